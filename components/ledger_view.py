"""Pure builders of the Ledger page: the world choropleth, the adjustment bars, the headline comparison, the
ledger table and the footnotes (data in, plotly figures / Dash components out; unit-tested on the figure dict).

Every number keeps its unit: ledgers in Mt CO2e per year (land-use change and the land sink in Mt CO2), per-capita
values in t CO2e per person per year, adjustments in % of production.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import html
from dash.dash_table.Format import Format, Group, Scheme

from components.figures import MODELLED_PATTERN, SHARED_COLOR, base_layout, modelled_tag, short_code, summarise
from components.messages import NO_IO_TABLE, no_io_table

#: Sources named under every ledger chart (REFERENCES.md, data/sources.toml).
SOURCES = ("Sources: EDGAR 2024 (production); WIOD 2013 + JRC sector CO2 (MRIO); GCB 2024 (land-use change,<br>"
           "sinks); MODIS/Pan et al. 2011 land-sink attribution (modelled).")
SOURCES_TEXT = SOURCES.replace("<br>", " ")
HEADLINE_SOURCES = ("Sources: CAS claim: announcement of 8 April 2026 (2022 GHG);<br>GCB 2024 national files, "
                    "OWID processing (2022 CO2);<br>Holocarbon: EDGAR 2024 + WIOD 2013 (structure of 2011).")
#: Why a year before the tables has no consumption view ({year} filled in).
NO_CONSUMPTION = (f"{NO_IO_TABLE} (WIOD 2013 covers 1995–2011), so consumption, transfers and the "
               "panoramic account are not estimated for {year}.")

PERSPECTIVE_TITLES = {"production": "Production (territorial) emissions", "consumption": "Consumption-based emissions",
                      "transfer": "Net emission transfer (consumption − production)",
                      "panoramic": "Panoramic account (consumption + land-use change − modelled land sink)"}
PERSPECTIVE_SHORT = {"production": "Production", "consumption": "Consumption", "transfer": "Net transfer",
                     "panoramic": "Panoramic"}
#: (absolute column [Mt CO2e], per-capita column [t CO2e person⁻¹]) per perspective; transfer per capita is derived.
PERSPECTIVE_COLUMNS = {"production": ("production_mt_co2e", "production_t_per_capita"),
                       "consumption": ("consumption_mt_co2e", "consumption_t_per_capita"),
                       "transfer": ("transfer_mt_co2e", None),
                       "panoramic": ("panoramic_mt_co2e", "panoramic_t_per_capita")}
NAMED_GROUPS = ("EU27", "G7", "G20", "BRICS", "OECD")
#: Lines of the ledger that are not countries or regions on a map (and distort per-region rankings).
NON_MAP = ("BUNKERS", "OTHER")
SEQUENTIAL = "YlOrRd"
DIVERGING = "RdBu_r"  # blue = negative (net exporter of embodied emissions / net sink), red = positive
#: Diverging bar colours with no white middle (a small adjustment stays visible).
DIVERGING_BARS = [[0.0, "#08519c"], [0.5, "#9ecae1"], [0.5, "#fcae91"], [1.0, "#a50f15"]]
ABS_UNIT, PC_UNIT = "Mt CO2e", "t CO2e per person"


# ---- small helpers --------------------------------------------------------------------------------------------
def fmt(value: float, decimals: int = 1, sign: bool = False) -> str:
    """A number with thousands separators and a real minus sign ("—" for a missing value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    value = round(float(value), decimals) + 0.0  # no "−0.0"
    s = f"{value:+,.{decimals}f}" if sign else f"{value:,.{decimals}f}"
    return s.replace("-", "−")


def fmt_interval(lo: float, hi: float, decimals: int = 1, sign: bool = False) -> str:
    """An interval in words, "12,345.6 to 14,567.8" ("—" when it does not exist)."""
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (lo, hi)):
        return "—"
    return f"{fmt(lo, decimals, sign)} to {fmt(hi, decimals, sign)}"


def ci_of(ledger: pd.DataFrame) -> int | None:
    """The interval level of a ledger with interval columns (:meth:`Uncertainty.ledger`), else None."""
    if "production_mt_co2e_lo" not in ledger.columns:
        return None
    ci = ledger.attrs.get("ci")
    if ci is None:
        ci = ledger.attrs.get("query", {}).get("ci", 90)
    return int(ci)


def has_intervals(ledger: pd.DataFrame, column: str) -> bool:
    return f"{column}_lo" in ledger.columns and f"{column}_hi" in ledger.columns


def method_label(method: str, structure_year: int | None) -> str:
    """The method flag in words; nowcast years say "structure of 2011"."""
    if method == "mrio":
        return f"MRIO (WIOD 2013 table of {structure_year})"
    if method == "nowcast":
        return f"nowcast (structure of {structure_year})"
    return f"production only ({no_io_table})"


def has_consumption(ledger: pd.DataFrame) -> bool:
    """Whether the ledger's year has a consumption account (an MRIO table or the nowcast)."""
    return ledger.attrs.get("method", ledger["method"].iloc[0] if len(ledger) else "") != "production-only"


def needs_io_table(perspective: str) -> bool:
    return perspective != "production"


def unit_of(per_capita: bool) -> str:
    return PC_UNIT if per_capita else ABS_UNIT


def _method_of(ledger: pd.DataFrame) -> tuple[str, int | None]:
    method = ledger.attrs.get("method") or (ledger["method"].iloc[0] if len(ledger) else "production-only")
    structure = ledger.attrs.get("structure_year")
    if structure is None and len(ledger) and "structure_year" in ledger:
        s = ledger["structure_year"].iloc[0]
        structure = None if s is None or (isinstance(s, float) and math.isnan(s)) else int(s)
    return method, structure


def values_of(ledger: pd.DataFrame, perspective: str, per_capita: bool) -> pd.Series:
    """The perspective's value per ledger row [Mt CO2e, or t CO2e person⁻¹ when ``per_capita``]."""
    col, pc_col = PERSPECTIVE_COLUMNS[perspective]
    if not per_capita:
        return ledger[col].astype(float)
    if pc_col is not None:
        return ledger[pc_col].astype(float)
    pop = ledger["population"].astype(float).where(ledger["population"] > 0)
    return ledger[col].astype(float) * 1e6 / pop


def interval_of(ledger: pd.DataFrame, perspective: str, per_capita: bool) -> tuple[pd.Series, pd.Series] | None:
    """(lo, hi) of the perspective's value per ledger row, in the unit of :func:`values_of`; None without intervals."""
    col, pc_col = PERSPECTIVE_COLUMNS[perspective]
    if not has_intervals(ledger, col):
        return None
    if not per_capita:
        return ledger[f"{col}_lo"].astype(float), ledger[f"{col}_hi"].astype(float)
    if pc_col is not None and has_intervals(ledger, pc_col):
        return ledger[f"{pc_col}_lo"].astype(float), ledger[f"{pc_col}_hi"].astype(float)
    pop = ledger["population"].astype(float).where(ledger["population"] > 0)
    return ledger[f"{col}_lo"].astype(float) * 1e6 / pop, ledger[f"{col}_hi"].astype(float) * 1e6 / pop


# ---- map ------------------------------------------------------------------------------------------------------
def map_frame(ledger: pd.DataFrame, membership: pd.Series, names: dict[str, str], perspective: str,
              per_capita: bool) -> pd.DataFrame:
    """One row per country with the value of its ledger region (a group colours every member with its total).

    Parameters
    ----------
    ledger : DataFrame
        :meth:`engine.accounts.ledger.Accounts.ledger` for the Query.
    membership : Series
        Country ISO3 -> region label of the Query's grouping (:func:`engine.accounts.regions.partition`).
    names : dict
        Code -> display name (:meth:`engine.accounts.ledger.Accounts.names`).

    Returns
    -------
    DataFrame
        ``iso3, country, region, region_name, n_members, row_share, value`` [Mt CO2e or t CO2e person⁻¹];
        with a ledger that has intervals also ``value_lo, value_hi`` and ``sign_uncertain`` (the interval of a net
        transfer contains zero). Rows without a value (no population, no consumption account) are dropped.
    """
    led = ledger.set_index("region")
    vals = values_of(ledger, perspective, per_capita).set_axis(ledger["region"])
    bounds = interval_of(ledger, perspective, per_capita)
    m = membership[~membership.index.isin(NON_MAP)]
    m = m[m.isin(led.index)]
    out = pd.DataFrame({"iso3": m.index.astype(str), "region": m.to_numpy(dtype=str)})
    out["country"] = [names.get(c, c) for c in out["iso3"]]
    out["region_name"] = led["name"].reindex(out["region"]).to_numpy()
    out["n_members"] = led["n_members"].reindex(out["region"]).to_numpy()
    out["row_share"] = led["row_share"].reindex(out["region"]).to_numpy(dtype=bool)
    out["value"] = vals.reindex(out["region"]).to_numpy(dtype=float)
    if bounds is not None:
        for side, v in zip(("value_lo", "value_hi"), bounds):
            out[side] = v.set_axis(ledger["region"]).reindex(out["region"]).to_numpy(dtype=float)
        flag = ledger["transfer_sign_uncertain"] if perspective == "transfer" and \
            "transfer_sign_uncertain" in ledger else pd.Series(False, index=ledger.index)
        out["sign_uncertain"] = flag.set_axis(ledger["region"]).reindex(out["region"]).fillna(False).to_numpy(
            dtype=bool)
    return out[np.isfinite(out["value"])].reset_index(drop=True)


def shared_from_row(frame: pd.DataFrame, perspective: str) -> pd.Series:
    """Rows (of a :func:`map_frame` or a ledger) whose value is a share of WIOD's rest of the world, not its own: a
    country alone in its region, inside RoW, on a view that needs the input–output table."""
    if not needs_io_table(perspective) or frame.empty:
        return pd.Series(False, index=frame.index)
    return frame["row_share"].astype(bool) & (frame["n_members"] == 1) & (frame["region"] != "ROW")


def _group_label(region: str, region_name: str, grouping: str) -> str:
    if region in NAMED_GROUPS:
        return region
    if region == "ROW":
        return "WIOD RoW"
    return region_name


def map_hover(frame: pd.DataFrame, perspective: str, per_capita: bool, grouping: str,
              ci: int | None = None) -> list[str]:
    """Hover text per country: the value with its unit (and its ``ci`` % interval when the frame has one), whose
    total it is, and the RoW sharing note."""
    unit = unit_of(per_capita)
    what = PERSPECTIVE_SHORT[perspective].lower()
    with_iv = ci is not None and "value_lo" in frame.columns
    decimals = 2 if per_capita else 1
    out = []
    for r in frame.itertuples(index=False):
        head = f"<b>{r.country}</b> ({r.iso3})"
        if r.n_members > 1 or r.region != r.iso3:
            label = _group_label(r.region, r.region_name, grouping)
            line = f"{label} total: {fmt(r.value, 1 if not per_capita else 2)} {unit} ({what})"
            extra = f"<br>{int(r.n_members)} member countries share this colour"
        else:
            line = f"{PERSPECTIVE_SHORT[perspective]}: {fmt(r.value, 1 if not per_capita else 2)} {unit}"
            extra = ""
        if with_iv and np.isfinite(r.value_lo):
            sign = perspective == "transfer"
            line += f"<br>{ci} % interval: {fmt_interval(r.value_lo, r.value_hi, decimals, sign)} {unit}"
            if r.sign_uncertain:
                line += "<br><i>sign uncertain: the interval includes zero</i>"
        if r.row_share and needs_io_table(perspective) and r.region != "ROW":
            extra += ("<br>consumption shared from RoW by production (WIOD RoW region)" if r.n_members == 1
                      else "<br>includes members whose consumption is shared from RoW by production")
        out.append(f"{head}<br>{line}{extra}<br><i>click for the country page</i>")
    return out


def _log_ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    vals, text = [], []
    for e in range(math.floor(lo), math.ceil(hi) + 1):
        vals.append(float(e))
        text.append(fmt(10.0 ** e, 0 if e >= 0 else -e))
    return vals, text


def map_footnote(perspective: str, per_capita: bool, method: str, structure_year: int | None, year: int,
                 fallback: bool = False, grouping: str = "countries") -> str:
    lines = [f"{year}, {method_label(method, structure_year)}. "
             + ("Per capita: region total ÷ population (EDGAR)." if per_capita else "Values in Mt CO2e per year.")]
    if fallback:
        lines.append(f"{NO_IO_TABLE}: showing production instead of {perspective}.")
    elif perspective == "transfer":
        lines.append("Red: consumes more than it produces (net importer of embodied emissions); blue: net exporter.")
    elif perspective == "panoramic":
        lines.append("Consumption + land-use change (GCB, CO2) − attributed land sink (modelled); blue = net sink.")
    if grouping != "countries":
        lines.append("Each member country is coloured with its region's total.")
    elif needs_io_table(perspective) and not fallback:
        lines.append("Grey: inside WIOD's rest of the world; their consumption is a share of RoW's, not their own.")
    lines.append(SOURCES)
    return "<br>".join(lines)


def build_ledger_map(frame: pd.DataFrame, perspective: str, per_capita: bool, year: int, method: str,
                     structure_year: int | None = None, grouping: str = "countries",
                     fallback: bool = False, ci: int | None = None) -> go.Figure:
    """World choropleth of one ledger perspective (plotly geo, ISO-3 locations, local TopoJSON basemap).

    Production and consumption totals are coloured on a log scale (the colour bar is labelled in Mt CO2e);
    transfers, and panoramic values that can be negative, on a diverging scale centred on 0.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`map_frame`.
    fallback : bool
        The year has no consumption account: ``frame`` holds production and the title says so.
    ci : int, optional
        The interval level of ``value_lo`` / ``value_hi`` in ``frame`` (shown in the hover).
    """
    unit = unit_of(per_capita)
    shared = shared_from_row(frame, "production" if fallback else perspective)
    whole, frame = frame, frame[~shared]
    v = frame["value"].to_numpy(dtype=float)
    diverging = perspective == "transfer" or (perspective == "panoramic" and len(v) and np.nanmin(v) < 0)
    trace = dict(locations=frame["iso3"], locationmode="ISO-3", customdata=frame[["iso3"]].to_numpy(),
                 hovertext=map_hover(frame, "production" if fallback else perspective, per_capita, grouping, ci),
                 hoverinfo="text", marker=dict(line=dict(color="#ffffff", width=0.3)), name="", showlegend=False)
    colorbar = dict(title=dict(text=unit.replace(" per ", "<br>per "), side="top"), thickness=14, len=0.8,
                    tickformat=",.0f")
    if diverging:
        m = float(np.nanquantile(np.abs(v), 0.95)) if len(v) else 1.0
        m = m if m > 0 else 1.0
        trace.update(z=np.clip(v, -m, m), colorscale=DIVERGING, zmid=0.0, zmin=-m, zmax=m)
        colorbar["title"]["text"] += "<br>(clipped at ±" + fmt(m, 0 if m >= 10 else 1) + ")"
    elif per_capita:
        hi = float(np.nanquantile(v, 0.95)) if len(v) else 1.0
        trace.update(z=np.clip(v, 0, hi), colorscale=SEQUENTIAL, zmin=0.0, zmax=hi)
        colorbar["title"]["text"] += f"<br>(≥ {fmt(hi, 0)} dark)"
    else:
        z = np.log10(np.clip(v, 0.01, None))
        lo, hi = (float(np.floor(z.min())), float(z.max())) if len(z) else (0.0, 1.0)
        lo = max(lo, -1.0)
        tickvals, ticktext = _log_ticks(lo, hi)
        trace.update(z=z, colorscale=SEQUENTIAL, zmin=lo, zmax=hi)
        colorbar.update(tickvals=tickvals, ticktext=ticktext)
        colorbar["title"]["text"] += "<br>(log scale)"
    fig = go.Figure(go.Choropleth(**trace, colorbar=colorbar))
    if shared.any():  # a share of RoW's account is not the country's own: grey, out of the colour scale
        sh = whole[shared]
        hover = [f"<b>{c}</b> ({i})<br><i>Inside WIOD's rest of the world: no {PERSPECTIVE_SHORT[perspective].lower()} "
                 f"account of its own.</i><br>RoW's, shared by production: {fmt(val, 2 if per_capita else 1)} {unit}"
                 "<br><i>click for what is known</i>" for c, i, val in zip(sh["country"], sh["iso3"], sh["value"])]
        fig.add_trace(go.Choropleth(
            locations=sh["iso3"], locationmode="ISO-3", z=np.zeros(len(sh)), customdata=sh[["iso3"]].to_numpy(),
            colorscale=[[0, SHARED_COLOR], [1, SHARED_COLOR]], showscale=False, hovertext=hover, hoverinfo="text",
            marker=dict(line=dict(color="#ffffff", width=0.3)), showlegend=True,
            name="Inside WIOD's rest of the world: no account of their own"))
        fig.update_layout(legend=dict(x=0.0, y=0.0, xanchor="left", yanchor="bottom", bgcolor="rgba(255,255,255,0.8)",
                                      font=dict(size=11)))
    shown = "production" if fallback else perspective
    method_tag = "" if fallback or not needs_io_table(perspective) else modelled_tag(method, structure_year)
    title = f"{PERSPECTIVE_TITLES[shown]}, {year}" + (" — per person" if per_capita else "") + method_tag
    subtitle = ("No consumption account before 1995: production shown" if fallback
                else "Click a country for its page")
    if ci is not None and "value_lo" in frame.columns:
        subtitle += f" · hover for its {ci} % interval"
    foot = map_footnote(perspective, per_capita, method, structure_year, year, fallback, grouping)
    fig.update_layout(**base_layout(title, foot, height=640, subtitle=subtitle))
    fig.update_layout(margin=dict(l=10, r=10, t=64, b=58 + 14 * (foot.count("<br>") + 1)))
    fig.update_geos(projection_type="natural earth", projection_rotation_lon=0, lonaxis_range=[-180, 180],
                    lataxis_range=[-58, 85], showframe=False, showcoastlines=False, showcountries=True,
                    countrycolor="#ffffff", showland=True, landcolor="#e6e9ed", showocean=True, oceancolor="#f4f8fb",
                    bgcolor="rgba(0,0,0,0)")
    return summarise(fig)


# ---- adjustment bars ------------------------------------------------------------------------------------------
def empty_figure(title: str, message: str, footnote: str, height: int = 460) -> go.Figure:
    """An explaining empty state: the title, a centred message and the footnote, no axes."""
    fig = go.Figure()
    fig.update_layout(**base_layout(title, footnote, height=height))
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.55,
                       font=dict(size=13, color="#5f6b7a"), align="center")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(margin=dict(l=20, r=20, t=70, b=110))
    return summarise(fig)


def bar_colour(x: float) -> str:
    """The colour of :data:`DIVERGING_BARS` at ``x`` in [−1, 1] (negative: blues, zero and above: reds)."""
    (_, c0), (_, c1), (_, c2), (_, c3) = DIVERGING_BARS
    lo, hi, t = (c1, c0, -x) if x < 0 else (c2, c3, x)
    t = min(max(float(t), 0.0), 1.0) if np.isfinite(t) else 0.0
    a, b = (np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)]) for c in (lo, hi))
    r, g, bl = np.round(a + (b - a) * t).astype(int)
    return f"#{r:02x}{g:02x}{bl:02x}"


#: The region code of the countries inside WIOD's rest of the world taken together (:func:`row_aggregate`).
ROW_AGGREGATE = "ROW"


def row_aggregate(rows: pd.DataFrame) -> pd.DataFrame:
    """The countries inside WIOD's rest of the world as one ledger row: production and consumption summed, the
    adjustment (which they all share) recomputed, its interval that of any member (the same for all: RoW's
    consumption is shared by production in every draw). Empty when ``rows`` is."""
    if rows.empty:
        return rows
    prod, cons = float(rows["production_mt_co2e"].sum()), float(rows["consumption_mt_co2e"].sum())
    row = {"region": ROW_AGGREGATE, "name": f"WIOD rest of world ({len(rows)})",
           "production_mt_co2e": prod, "consumption_mt_co2e": cons, "adjustment_pct": 100 * (cons / prod - 1),
           "row_share": True, "n_members": len(rows)}
    for c in ("adjustment_pct_lo", "adjustment_pct_hi"):
        if c in rows:
            row[c] = float(rows[c].iloc[0])
    return pd.DataFrame([row])


def build_adjustment_figure(ledger: pd.DataFrame, n: int = 20) -> go.Figure:
    """Horizontal bars of the adjustment (consumption vs production [%]) of the ``n`` largest producers.

    Regions are sorted by production (largest on top), labelled with their production [Mt CO2e]; bars are
    coloured on a diverging scale centred on 0 (red: consumption above production). With a ledger that has intervals
    (:meth:`Uncertainty.ledger`) each bar gets its interval as error bars (``error_x`` array/arrayminus), the value
    label moves past the whisker, and a bar whose interval contains zero (sign uncertain) is drawn pale.
    """
    year = int(ledger.attrs.get("query", {}).get("year", 0)) or None
    method, structure = _method_of(ledger)
    eligible = ledger[~ledger["region"].isin(NON_MAP) & ledger["adjustment_pct"].notna()]
    inside_row = shared_from_row(eligible, "consumption")  # the adjustment rests on the input–output table
    eligible = pd.concat([eligible[~inside_row], row_aggregate(eligible[inside_row])], ignore_index=True)
    count = len(eligible) if has_consumption(ledger) else n
    what = f"top {n} producers" if count > n else f"all {count} regions"  # continents: "all 7 regions"
    title = f"Consumption vs production, {what}" + (f", {year}" if year else "")
    ci = ci_of(ledger) if has_intervals(ledger, "adjustment_pct") else None
    foot = ("Adjustment = consumption ÷ production − 1 [%]; "
            f"{method_label(method, structure)}. International bunkers are<br>left out. Grey: the countries inside "
            "WIOD's rest of the world, as one region (they share its adjustment).<br>")
    if method == "nowcast":
        foot += f"Hatched: modelled (nowcast on the {structure} table), not a measured table.<br>"
    if ci is not None:
        foot += (f"Whiskers: {ci} % interval (Monte Carlo). Pale bars: the interval includes 0, so the direction "
                 "is uncertain.<br>")
    foot += SOURCES
    if not has_consumption(ledger):
        msg = NO_CONSUMPTION.format(year=year or "this year").replace(" (WIOD", "<br>(WIOD").replace(", so", ",<br>so")
        msg = msg.replace(" are not estimated", "<br>are not estimated")
        return empty_figure(title, msg, f"{method_label(method, structure)}.<br>" + SOURCES, height=600)
    d = eligible.nlargest(n, "production_mt_co2e")
    labels = [f"{nm if len(nm) <= 30 else nm[:29] + '…'} · {fmt(p, 0)} Mt"
              for nm, p in zip(d["name"], d["production_mt_co2e"])]
    adj = d["adjustment_pct"].to_numpy(dtype=float)
    m = float(np.nanmax(np.abs(adj))) if len(adj) else 1.0
    texts = [fmt(a, 1, sign=True) + " %" for a in adj]
    colors = [bar_colour(a / m if m > 0 else 0.0) for a in adj]
    colors = [SHARED_COLOR if r == ROW_AGGREGATE else c for r, c in zip(d["region"], colors)]
    marker = dict(color=colors)
    if method == "nowcast":
        marker["pattern"] = MODELLED_PATTERN
    bar = dict(
        x=adj, y=labels, orientation="h",
        marker=marker,
        text=texts, textposition="outside", cliponaxis=False,
        customdata=np.column_stack([d["name"], d["production_mt_co2e"], d["consumption_mt_co2e"]]),
        hovertemplate=("<b>%{customdata[0]}</b><br>adjustment %{x:+,.1f} %<br>production %{customdata[1]:,.1f} "
                       "Mt CO2e<br>consumption %{customdata[2]:,.1f} Mt CO2e<extra></extra>"),
    )
    traces = []
    reach = m
    subtitle = ("Modelled (nowcast) · " if method == "nowcast" else "") + \
        "red: consumes more than it produces, blue: less"
    if ci is not None:
        lo = d["adjustment_pct_lo"].to_numpy(dtype=float)
        hi = d["adjustment_pct_hi"].to_numpy(dtype=float)
        uncertain = (lo < 0) & (hi > 0)
        bar.update(
            error_x=dict(type="data", symmetric=False, array=np.clip(hi - adj, 0, None),
                         arrayminus=np.clip(adj - lo, 0, None), color="#3a4754", thickness=1.2, width=3),
            text=None, textposition="none",
            customdata=np.column_stack([d["name"], d["production_mt_co2e"], d["consumption_mt_co2e"], lo, hi,
                                        np.where(uncertain, "<br><i>sign uncertain: the interval includes 0</i>",
                                                 "")]),
            hovertemplate=("<b>%{customdata[0]}</b><br>adjustment %{x:+,.1f} %<br>" + f"{ci} % interval "
                           "%{customdata[3]:+,.1f} to %{customdata[4]:+,.1f} %%{customdata[5]}<br>production "
                           "%{customdata[1]:,.1f} Mt CO2e<br>consumption %{customdata[2]:,.1f} Mt CO2e<extra></extra>"),
        )
        bar["marker"]["opacity"] = np.where(uncertain, 0.45, 1.0)
        right = adj >= 0
        ends = np.where(right, hi, lo)
        traces.append(go.Scatter(  # the value label past the whisker, on the bar's side
            x=ends, y=labels, mode="text", text=texts, cliponaxis=False, hoverinfo="skip", showlegend=False,
            textposition=["middle right" if r else "middle left" for r in right],
            textfont=dict(size=11, color="#1f2933")))
        finite = np.concatenate([lo, hi])[np.isfinite(np.concatenate([lo, hi]))]
        reach = max(m, float(np.max(np.abs(finite)))) if len(finite) else m
        subtitle += f" · whiskers: {ci} %"
    fig = go.Figure([go.Bar(**bar), *traces])
    fig.update_layout(**base_layout(title, foot, height=600, subtitle=subtitle[:1].upper() + subtitle[1:]))
    left = min(260, 30 + 6.6 * max(len(lb) for lb in labels))  # room for the region labels [px]
    fig.update_yaxes(autorange="reversed", automargin=False, title_text=None)
    fig.update_xaxes(title_text="Adjustment, consumption vs production (%)", ticksuffix=" %", zeroline=True,
                     zerolinecolor="#888", range=[-1.35 * reach, 1.35 * reach])
    fig.update_layout(showlegend=False, margin=dict(l=left, r=30, t=70, b=130 + (14 if ci is not None else 0)))
    fig.layout.annotations[0].update(xshift=-(left - 12))  # the footnote starts under the labels
    # on a phone (assets/narrow.js) the long names give way to codes so the bars keep the width
    codes = [f"{'RoW' if r == ROW_AGGREGATE else short_code(r)} {fmt(p, 0)}"
             for r, p in zip(d["region"], d["production_mt_co2e"])]
    fig.update_layout(meta={"narrow": {"yaxis.tickmode": "array", "yaxis.tickvals": labels, "yaxis.ticktext": codes,
                                       "margin.l": 84, "annotations[0].xshift": 0}})
    return summarise(fig)


# ---- headline -------------------------------------------------------------------------------------------------
HEADLINE_SERIES = (("holocarbon_ghg_pct", "Holocarbon, all GHGs", "#1f6f5c"),
                   ("holocarbon_co2_gcb_boundary_pct", "Holocarbon, CO2 (GCB boundary)", "#7fb8a4"),
                   ("panoramic_claim_pct", "CAS claim (8 Apr 2026), GHG", "#c4553b"),
                   ("gcb_co2_pct", "GCB 2024 / OWID, CO2", "#2f7fb5"))


#: Published figures and the Holocarbon interval each is compared with: (published column, interval column, how the
#: sentence names the published figure, how it names the interval).
HEADLINE_PUBLISHED = (
    ("panoramic_claim_pct", "holocarbon_ghg_pct", "the published CAS claim", "our {ci} % interval"),
    ("gcb_co2_pct", "holocarbon_co2_gcb_boundary_pct", "GCB's CO2 figure",
     "our {ci} % interval for CO2 at GCB's boundary"),
)
#: Holocarbon's bars that carry an interval in the headline chart.
HEADLINE_INTERVALS = ("holocarbon_ghg_pct", "holocarbon_co2_gcb_boundary_pct")


def headline_with_intervals(head: pd.DataFrame, intervals: pd.DataFrame, ci: int) -> pd.DataFrame:
    """The headline rows with Holocarbon's ``ci`` % intervals (``<column>_lo`` / ``_hi`` [%] for
    :data:`HEADLINE_INTERVALS`, from :func:`engine.uncertainty.propagate.headline_intervals`) and where each published
    figure lies, as the engine found it: ``<published column>_position`` = ``inside``, ``below`` or ``above`` the
    interval it is compared with (None without a published figure). The claim (all GHGs) is compared with the all-GHG
    interval, GCB (CO2, bunker fuel left out) with the CO2 interval at GCB's boundary."""
    cols = ["region"] + [f"{c}_{s}" for c in HEADLINE_INTERVALS for s in ("lo", "hi")]
    positions = {"panoramic_claim_pct": "claim_position", "gcb_co2_pct": "gcb_position"}
    out = head.merge(intervals[cols + list(positions.values())].rename(columns={v: f"{k}_position"
                                                                             for k, v in positions.items()}),
                     on="region", how="left")
    for col in positions:
        out[f"{col}_position"] = out[f"{col}_position"].astype(object).where(out[f"{col}_position"].notna(), None)
    out.attrs.update(head.attrs)
    out.attrs["ci"] = int(ci)
    return out


def headline_statement(r, ci: int) -> str:
    """One region in plain words: whether each published figure lies inside the Holocarbon interval it is compared
    with."""
    parts = []
    for col, against, what, name in HEADLINE_PUBLISHED:
        pos = r.get(f"{col}_position")
        if pos is None:
            if col == "panoramic_claim_pct":
                parts.append("there is no published CAS figure")
            continue
        where = {"inside": "lies inside", "below": "lies below", "above": "lies above"}[pos]
        pct = lambda v: f"{fmt(v, 1, True)}\u00a0%"  # noqa: E731 — a number and its unit never split
        parts.append(f"{what} of {pct(r[col])} {where} {name.format(ci=ci)}, {pct(r[f'{against}_lo'])} to "
                     f"{pct(r[f'{against}_hi'])} (Holocarbon {pct(r[against])})")
    return f"{r['name']}: " + "; ".join(parts) + "."


HEADLINE_BARGAP = 0.25


def build_headline_figure(head: pd.DataFrame, year: int = 2022) -> go.Figure:
    """Grouped bars of the 2022 adjustment [%] per headline region: Holocarbon (GHG; CO2 at GCB's boundary), the
    published panoramic claim and GCB. With :func:`headline_with_intervals` rows, Holocarbon's two bars get their
    intervals as error bars (``error_y``) and their value labels sit past the whiskers."""
    ci = head.attrs.get("ci") if "holocarbon_ghg_pct_lo" in head.columns else None
    fig = go.Figure()
    labels = []  # (x position, y, text, above) of the labels that move past a whisker
    n = len(HEADLINE_SERIES)
    width = (1 - HEADLINE_BARGAP) / n  # each bar's share of a category [category units]
    for j, (col, label, color) in enumerate(HEADLINE_SERIES):
        vals = head[col].astype(float)
        texts = [fmt(v, 1, sign=True) if np.isfinite(v) else "" for v in vals]
        bar = dict(x=head["name"], y=vals, name=label, marker_color=color, offsetgroup=col,
                   text=texts, textposition="outside", textfont=dict(size=10), textangle=-90, cliponaxis=False,
                   hovertemplate=f"%{{x}}<br>{label}: %{{y:+,.1f}} %<extra></extra>")
        if col in HEADLINE_INTERVALS and ci is not None:
            lo = head[f"{col}_lo"].astype(float).to_numpy()
            hi = head[f"{col}_hi"].astype(float).to_numpy()
            v = vals.to_numpy()
            bar.update(text=None, textposition="none",
                       error_y=dict(type="data", symmetric=False, array=np.clip(hi - v, 0, None),
                                    arrayminus=np.clip(v - lo, 0, None), color="#12261f", thickness=1.4, width=3),
                       customdata=np.column_stack([lo, hi]),
                       hovertemplate=(f"%{{x}}<br>{label}: %{{y:+,.1f}} %<br>{ci} % interval %{{customdata[0]:+,.1f}} "
                                      "to %{customdata[1]:+,.1f} %<extra></extra>"))
            offset = -(1 - HEADLINE_BARGAP) / 2 + width * (j + 0.5)
            labels += [(i + offset, h if up else lw, t, up)
                       for i, (h, lw, t, up) in enumerate(zip(hi, lo, texts, v >= 0)) if t and np.isfinite(h)]
        fig.add_trace(go.Bar(**bar))
    missing = [c if c == "EU27" else n for c, n, v in zip(head["region"], head["name"], head["panoramic_claim_pct"])
               if not np.isfinite(float(v))]
    foot = ("Consumption vs production [%], " + str(year) + "."
            + (f" No published CAS figure for {' and '.join(missing)}." if missing else "")
            + (f"<br>Whiskers: Holocarbon's {ci} % intervals (Monte Carlo draws of its inputs)." if ci is not None
               else "")
            + "<br>" + HEADLINE_SOURCES)
    fig.update_layout(**base_layout(f"Headline: who consumes more than it produces, {year}", foot, height=600,
                                    subtitle="Holocarbon beside the published CAS claim and GCB"))
    fig.update_layout(barmode="group", bargap=HEADLINE_BARGAP, uniformtext=dict(minsize=10, mode="show"),
                      legend=dict(orientation="h", y=-0.08, x=0, xanchor="left", yanchor="top", font=dict(size=11)),
                      margin=dict(l=60, r=20, t=70, b=150 + (14 if ci is not None else 0)))
    fig.layout.annotations[0].update(yshift=-82)
    for x, y, text, up in labels:  # vertical like the other bars' labels, past the whisker's end
        fig.add_annotation(x=x, y=y, text=text, showarrow=False, textangle=-90, font=dict(size=10),
                           yanchor="bottom" if up else "top", yshift=2 if up else -2, xref="x", yref="y")
    cols = [c for c, _, _ in HEADLINE_SERIES] + ([f"{c}_{s}" for c in HEADLINE_INTERVALS for s in ("lo", "hi")]
                                                  if ci is not None else [])
    vals = head[cols].to_numpy(dtype=float)
    lo, hi = min(float(np.nanmin(vals)), 0.0), max(float(np.nanmax(vals)), 0.0)
    pad = 0.22 * (hi - lo)  # room for the vertical value labels
    fig.update_yaxes(title_text="Adjustment vs production (%)", ticksuffix=" %", zeroline=True,
                     zerolinecolor="#888", range=[lo - pad if lo < 0 else 0, hi + pad])
    # on a phone (assets/narrow.js): codes under the groups, level, so they never run into the legend
    fig.update_layout(meta={"narrow": {"xaxis.tickmode": "array", "xaxis.tickvals": list(head["name"]),
                                       "xaxis.ticktext": list(head["region"]), "xaxis.tickangle": 0,
                                       "legend.y": -0.06}})
    return summarise(fig)


def headline_panel(head: pd.DataFrame) -> html.Div:
    """A compact table of the headline numbers [%] and the one-line reasons, with sources; with
    :func:`headline_with_intervals` rows also Holocarbon's interval and, per region, a plain statement of whether each
    published figure lies inside it."""
    ci = head.attrs.get("ci") if "holocarbon_ghg_pct_lo" in head.columns else None
    rows = []
    for r in head.itertuples(index=False):
        cells = [html.Td(r.name), html.Td(fmt(r.holocarbon_ghg_pct, 1, True) + " %")]
        if ci is not None:
            cells.append(html.Td(fmt_interval(r.holocarbon_ghg_pct_lo, r.holocarbon_ghg_pct_hi, 1, True) + " %",
                                 className="interval"))
        cells.append(html.Td(fmt(r.holocarbon_co2_gcb_boundary_pct, 1, True) + " %"))
        if ci is not None:
            cells.append(html.Td(fmt_interval(r.holocarbon_co2_gcb_boundary_pct_lo,
                                              r.holocarbon_co2_gcb_boundary_pct_hi, 1, True) + " %",
                                 className="interval"))
        cells += [
            html.Td(fmt(r.panoramic_claim_pct, 1, True) + (" %" if np.isfinite(r.panoramic_claim_pct) else "")),
            html.Td(fmt(r.gcb_co2_pct, 1, True) + (" %" if np.isfinite(r.gcb_co2_pct) else "")),
            html.Td(r.reason, className="reason"),
        ]
        rows.append(html.Tr(cells))
    iv = [f"{ci} % interval (%)"] if ci is not None else []
    titles = (["Region", "Holocarbon GHG (%)", *iv, "Holocarbon CO2, GCB boundary (%)", *iv, "CAS claim (%)",
               "GCB 2024 CO2 (%)", "Why they differ"])
    head_row = html.Tr([html.Th(t) for t in titles])
    notes = list(head.attrs.get("notes", []))
    statements = None
    if ci is not None:
        statements = html.Div([
            html.P(f"Do the published figures lie inside Holocarbon's {ci} % interval?", className="statements-title"),
            html.Ul([html.Li(headline_statement(r, ci)) for _, r in head.iterrows()], className="headline-statements"),
            html.P("The claim (all greenhouse gases) is compared with Holocarbon's all-GHG interval; GCB (CO2 only, "
                   "international bunker fuel left out) with Holocarbon's CO2 interval on the same boundary. The "
                   "claim's input–output table, year and boundary are not published: a figure inside the interval is "
                   "consistent with Holocarbon's estimate, not a confirmation of it.", className="footnote"),
        ], className="headline-statements-box")
    return html.Div([
        html.H2("Headline figures, 2022: Holocarbon beside the CAS claim and the Global Carbon Budget"),
        html.P(["Two meanings of “panoramic”: the Chinese Academy of Sciences calls its whole accounting system "
                "“panoramic” (announced 8 April 2026; the figure compared here is its consumption-versus-production "
                "adjustment, the “CAS claim”); on this site the ", html.Em("panoramic account"), " is Holocarbon's "
                "column: consumption + land-use change − the land sink attributed to the country (modelled). ",
                html.A("The claims and their sources", href="/data#claims"), "."],
               className="footnote headline-terms"),
        statements,
        html.Div(html.Table([html.Thead(head_row), html.Tbody(rows)], className="table headline-table"),
                 className="table-scroll"),
        html.P([html.Strong("Sources. "), " ".join(notes) + " GCB 2024: Friedlingstein et al. 2024, "
                "doi:10.18160/gcp-2024, national files as processed by Our World in Data (OWID)."],
               className="footnote"),
    ], className="headline-panel")


# ---- table ----------------------------------------------------------------------------------------------------
def _num(id_: str, name: str, decimals: int = 1) -> dict:
    return {"id": id_, "name": name, "type": "numeric",
            "format": Format(group=Group.yes, precision=decimals, scheme=Scheme.fixed)}


#: Value columns of the table, in order: (id, header, decimals) [unit in the header].
VALUE_COLUMNS = (
    ("production_mt_co2e", "Production (Mt CO2e)", 1),
    ("consumption_mt_co2e", "Consumption (Mt CO2e)", 1),
    ("transfer_mt_co2e", "Net transfer, cons. − prod. (Mt CO2e)", 1),
    ("adjustment_pct", "Adjustment (%)", 1),
    ("bunkers_in_consumption_mt_co2e", "Bunker fuel in consumption (Mt CO2e)", 1),
    ("luc_mt_co2", "Land-use change (Mt CO2)", 1),
    ("land_sink_mt_co2", "Land sink, attributed — modelled (Mt CO2)", 1),
    ("panoramic_mt_co2e", "Panoramic, with the modelled sink (Mt CO2e)", 1),
    ("production_t_per_capita", "Production per person (t CO2e/person)", 2),
    ("consumption_t_per_capita", "Consumption per person (t CO2e/person)", 2),
    ("panoramic_t_per_capita", "Panoramic per person (t CO2e/person)", 2),
)
#: Columns that rest on the input–output table (a share of RoW's for a country inside it).
CONSUMPTION_COLUMNS = ("consumption_mt_co2e", "transfer_mt_co2e", "adjustment_pct", "bunkers_in_consumption_mt_co2e",
                       "panoramic_mt_co2e", "consumption_t_per_capita", "panoramic_t_per_capita")
#: Modelled columns (the land sink is attributed to countries by land cover; the panoramic account subtracts it).
MODELLED_COLUMNS = ("land_sink_mt_co2", "panoramic_mt_co2e", "panoramic_t_per_capita")


def table_styles() -> list[dict]:
    """DataTable conditional styles that make the caveats visible where the numbers are: modelled columns on an
    amber tint, the consumption columns of countries inside WIOD's rest of the world grey and italic (RoW's account
    shared by production, not theirs)."""
    cols = list(CONSUMPTION_COLUMNS) + [f"{c}_interval" for c in CONSUMPTION_COLUMNS]
    return ([{"if": {"column_id": [c for m in MODELLED_COLUMNS for c in (m, f"{m}_interval")]},
              "backgroundColor": "#fdf6e7"},
             {"if": {"filter_query": '{row_flag} = "yes, by production"', "column_id": cols},
              "color": "#3f4a55", "fontStyle": "italic", "backgroundColor": "#eef0f3"}])


#: Short names of the value columns for their interval columns (``<id>_interval``, text "lo to hi").
INTERVAL_NAMES = {"production_mt_co2e": "Production", "consumption_mt_co2e": "Consumption",
                  "transfer_mt_co2e": "Net transfer", "adjustment_pct": "Adjustment",
                  "bunkers_in_consumption_mt_co2e": "Bunker fuel", "luc_mt_co2": "Land-use change",
                  "land_sink_mt_co2": "Land sink", "panoramic_mt_co2e": "Panoramic",
                  "production_t_per_capita": "Production per person",
                  "consumption_t_per_capita": "Consumption per person",
                  "panoramic_t_per_capita": "Panoramic per person"}
#: Interval columns written with a sign (they can be negative either way).
SIGNED = ("transfer_mt_co2e", "adjustment_pct")
#: The marker of a net transfer whose interval contains zero.
SIGN_UNCERTAIN = "sign uncertain"


def table_columns(ci: int = 90) -> list[dict]:
    """The DataTable columns: each value (numeric, sortable) followed by its ``ci`` % interval (text)."""
    cols = [{"id": "name", "name": "Region", "type": "text"}, {"id": "region", "name": "Code", "type": "text"},
            # the caveats next to the region, not 20 columns to the right: a modelled or shared figure says so
            {"id": "method_label", "name": "Method", "type": "text"},
            {"id": "row_flag", "name": "Consumption shared from RoW", "type": "text"}]
    for id_, name, decimals in VALUE_COLUMNS:
        cols.append(_num(id_, name, decimals))
        cols.append({"id": f"{id_}_interval", "name": f"{INTERVAL_NAMES[id_]}: {ci} % interval", "type": "text"})
    cols += [
        _num("population", "Population (persons)", 0),
        {"id": "n_members", "name": "Member countries", "type": "numeric", "format": Format(group=Group.yes)},
    ]
    return cols


TABLE_COLUMNS = table_columns()
INTERVAL_COLUMN_IDS = tuple(f"{id_}_interval" for id_, _, _ in VALUE_COLUMNS)


def table_records(ledger: pd.DataFrame) -> list[dict]:
    """Ledger rows for the DataTable: numbers as floats (None when missing), intervals as text "lo to hi" (None
    without interval columns; the net transfer's says "sign uncertain" when it contains zero), flags in words."""
    d = ledger.copy()
    d["method_label"] = [method_label(m, None if s is None or (isinstance(s, float) and math.isnan(s)) else int(s))
                         for m, s in zip(d["method"], d["structure_year"])]
    d["row_flag"] = np.where(d["row_share"] & (d["method"] != "production-only"), "yes, by production", "")
    # the bunker line hands its fuel to the consumers of every country: an "adjustment" of −100 % is not a finding
    lines = d["region"].isin(NON_MAP)
    for col in ("adjustment_pct", "adjustment_pct_lo", "adjustment_pct_hi"):
        if col in d:
            d.loc[lines, col] = np.nan
    for id_, _, decimals in VALUE_COLUMNS:
        if not has_intervals(d, id_):
            d[f"{id_}_interval"] = None
            continue
        text = [fmt_interval(lo, hi, decimals, id_ in SIGNED) for lo, hi in zip(d[f"{id_}_lo"], d[f"{id_}_hi"])]
        if id_ == "transfer_mt_co2e" and "transfer_sign_uncertain" in d:
            text = [f"{t} · {SIGN_UNCERTAIN}" if flag else t for t, flag in zip(text, d["transfer_sign_uncertain"])]
        d[f"{id_}_interval"] = [None if t == "—" else t for t in text]
    cols = [c["id"] for c in TABLE_COLUMNS]
    d = d[cols].astype(object)
    return d.where(pd.notna(d), None).to_dict("records")


# ---- footnotes ------------------------------------------------------------------------------------------------
def footnotes(ledger: pd.DataFrame) -> html.Div:
    """Query in words, method, the engine's notes and the sources, under the page."""
    method, structure = _method_of(ledger)
    items = [html.Li([html.Strong("Query: "), ledger.attrs.get("query_text", "")]),
             html.Li([html.Strong("Method: "), method_label(method, structure) + ". Production: EDGAR 2024 "
                      "GHG by country, sector and gas. Consumption: E = f·L·y + h on the WIOD 2013 MRIO (41 regions × "
                      "35 sectors) with EDGAR emissions allocated by JRC sector CO2 shares; countries inside WIOD's "
                      "rest-of-the-world region share its consumption in proportion to their production."])]
    items += [html.Li(n) for n in ledger.attrs.get("notes", [])]
    items.append(html.Li(SOURCES_TEXT))
    return html.Div([html.Strong("Notes"), html.Ul(items)], className="footnote ledger-notes")
