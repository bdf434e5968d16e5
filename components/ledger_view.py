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

from components.figures import base_layout

#: Sources named under every ledger chart (REFERENCES.md, data/sources.toml).
SOURCES = ("Sources: EDGAR 2024 (production); WIOD 2013 + JRC sector CO2 (MRIO); GCB 2024 (land-use change,<br>"
           "sinks); MODIS/Pan et al. 2011 land-sink attribution (modelled).")
SOURCES_TEXT = SOURCES.replace("<br>", " ")
HEADLINE_SOURCES = ("Sources: panoramic claim: CAS 2026 announcement (2022 GHG);<br>GCB 2024 national files, "
                    "OWID processing (2022 CO2);<br>Holocarbon: EDGAR 2024 + WIOD 2013 (structure of 2011).")
NO_IO_TABLE = ("No input–output table before 1995 (WIOD 2013 covers 1995–2011), so consumption, transfers and the "
               "panoramic account are not estimated for {year}.")

PERSPECTIVE_TITLES = {"production": "Production (territorial) emissions", "consumption": "Consumption-based emissions",
                      "transfer": "Net emission transfer (consumption − production)",
                      "panoramic": "Panoramic account (consumption + land-use change − land sink)"}
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


def method_label(method: str, structure_year: int | None) -> str:
    """The method flag in words; nowcast years say "structure of 2011"."""
    if method == "mrio":
        return f"MRIO (WIOD 2013 table of {structure_year})"
    if method == "nowcast":
        return f"nowcast (structure of {structure_year})"
    return "production only (no input–output table before 1995)"


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
        rows without a value (no population, no consumption account) are dropped.
    """
    led = ledger.set_index("region")
    vals = values_of(ledger, perspective, per_capita).set_axis(ledger["region"])
    m = membership[~membership.index.isin(NON_MAP)]
    m = m[m.isin(led.index)]
    out = pd.DataFrame({"iso3": m.index.astype(str), "region": m.to_numpy(dtype=str)})
    out["country"] = [names.get(c, c) for c in out["iso3"]]
    out["region_name"] = led["name"].reindex(out["region"]).to_numpy()
    out["n_members"] = led["n_members"].reindex(out["region"]).to_numpy()
    out["row_share"] = led["row_share"].reindex(out["region"]).to_numpy(dtype=bool)
    out["value"] = vals.reindex(out["region"]).to_numpy(dtype=float)
    return out[np.isfinite(out["value"])].reset_index(drop=True)


def _group_label(region: str, region_name: str, grouping: str) -> str:
    if region in NAMED_GROUPS:
        return region
    if region == "ROW":
        return "WIOD RoW"
    return region_name


def map_hover(frame: pd.DataFrame, perspective: str, per_capita: bool, grouping: str) -> list[str]:
    """Hover text per country: the value with its unit, whose total it is, and the RoW sharing note."""
    unit = unit_of(per_capita)
    what = PERSPECTIVE_SHORT[perspective].lower()
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
        lines.append(f"No input–output table before 1995: showing production instead of {perspective}.")
    elif perspective == "transfer":
        lines.append("Red: consumes more than it produces (net importer of embodied emissions); blue: net exporter.")
    elif perspective == "panoramic":
        lines.append("Consumption + land-use change (GCB, CO2) − attributed land sink (modelled); blue = net sink.")
    if grouping != "countries":
        lines.append("Each member country is coloured with its region's total.")
    lines.append(SOURCES)
    return "<br>".join(lines)


def build_ledger_map(frame: pd.DataFrame, perspective: str, per_capita: bool, year: int, method: str,
                     structure_year: int | None = None, grouping: str = "countries",
                     fallback: bool = False) -> go.Figure:
    """World choropleth of one ledger perspective (plotly geo, ISO-3 locations, local TopoJSON basemap).

    Production and consumption totals are coloured on a log scale (the colour bar is labelled in Mt CO2e);
    transfers, and panoramic values that can be negative, on a diverging scale centred on 0.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`map_frame`.
    fallback : bool
        The year has no consumption account: ``frame`` holds production and the title says so.
    """
    unit = unit_of(per_capita)
    v = frame["value"].to_numpy(dtype=float)
    diverging = perspective == "transfer" or (perspective == "panoramic" and len(v) and np.nanmin(v) < 0)
    trace = dict(locations=frame["iso3"], locationmode="ISO-3", customdata=frame[["iso3"]].to_numpy(),
                 hovertext=map_hover(frame, "production" if fallback else perspective, per_capita, grouping),
                 hoverinfo="text", marker=dict(line=dict(color="#ffffff", width=0.3)))
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
    shown = "production" if fallback else perspective
    title = f"{PERSPECTIVE_TITLES[shown]}, {year}" + (" — per person" if per_capita else "")
    subtitle = ("No consumption account before 1995: production shown" if fallback
                else "Click a country for its page")
    foot = map_footnote(perspective, per_capita, method, structure_year, year, fallback, grouping)
    fig.update_layout(**base_layout(title, foot, height=640, subtitle=subtitle))
    fig.update_layout(margin=dict(l=10, r=10, t=64, b=58 + 14 * (foot.count("<br>") + 1)))
    fig.update_geos(projection_type="natural earth", projection_rotation_lon=0, lonaxis_range=[-180, 180],
                    lataxis_range=[-58, 85], showframe=False, showcoastlines=False, showcountries=True,
                    countrycolor="#ffffff", showland=True, landcolor="#e6e9ed", showocean=True, oceancolor="#f4f8fb",
                    bgcolor="rgba(0,0,0,0)")
    return fig


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
    return fig


def build_adjustment_figure(ledger: pd.DataFrame, n: int = 20) -> go.Figure:
    """Horizontal bars of the adjustment (consumption vs production [%]) of the ``n`` largest producers.

    Regions are sorted by production (largest on top), labelled with their production [Mt CO2e]; bars are
    coloured on a diverging scale centred on 0 (red: consumption above production).
    """
    year = int(ledger.attrs.get("query", {}).get("year", 0)) or None
    method, structure = _method_of(ledger)
    title = f"Consumption vs production, top {n} producers" + (f", {year}" if year else "")
    foot = ("Adjustment = consumption ÷ production − 1 [%]; "
            f"{method_label(method, structure)}. International bunkers are<br>left out. † consumption shared "
            "from the WIOD rest-of-the-world region by production.<br>" + SOURCES)
    if not has_consumption(ledger):
        msg = NO_IO_TABLE.format(year=year or "this year").replace(" (WIOD", "<br>(WIOD").replace(", so", ",<br>so")
        msg = msg.replace(" are not estimated", "<br>are not estimated")
        return empty_figure(title, msg, f"{method_label(method, structure)}.<br>" + SOURCES, height=600)
    d = ledger[~ledger["region"].isin(NON_MAP) & ledger["adjustment_pct"].notna()]
    d = d.nlargest(n, "production_mt_co2e")
    labels = [f"{nm if len(nm) <= 24 else nm[:23] + '…'}{' †' if row and n == 1 else ''} · {fmt(p, 0)} Mt"
              for nm, p, row, n in zip(d["name"], d["production_mt_co2e"], d["row_share"], d["n_members"])]
    adj = d["adjustment_pct"].to_numpy(dtype=float)
    m = float(np.nanmax(np.abs(adj))) if len(adj) else 1.0
    fig = go.Figure(go.Bar(
        x=adj, y=labels, orientation="h",
        marker=dict(color=adj, colorscale=DIVERGING_BARS, cmid=0.0, cmin=-m, cmax=m),
        text=[fmt(a, 1, sign=True) + " %" for a in adj], textposition="outside", cliponaxis=False,
        customdata=np.column_stack([d["name"], d["production_mt_co2e"], d["consumption_mt_co2e"]]),
        hovertemplate=("<b>%{customdata[0]}</b><br>adjustment %{x:+,.1f} %<br>production %{customdata[1]:,.1f} "
                       "Mt CO2e<br>consumption %{customdata[2]:,.1f} Mt CO2e<extra></extra>"),
    ))
    fig.update_layout(**base_layout(title, foot, height=600,
                                    subtitle="Red: consumes more than it produces; blue: produces for others"))
    left = min(260, 30 + 6.6 * max(len(lb) for lb in labels))  # room for the region labels [px]
    fig.update_yaxes(autorange="reversed", automargin=False, title_text=None)
    fig.update_xaxes(title_text="Adjustment, consumption vs production (%)", ticksuffix=" %", zeroline=True,
                     zerolinecolor="#888", range=[-1.35 * m, 1.35 * m])
    fig.update_layout(showlegend=False, margin=dict(l=left, r=30, t=70, b=130))
    fig.layout.annotations[0].update(xshift=-(left - 12))  # the footnote starts under the labels
    return fig


# ---- headline -------------------------------------------------------------------------------------------------
HEADLINE_SERIES = (("holocarbon_ghg_pct", "Holocarbon, all GHGs", "#1f6f5c"),
                   ("holocarbon_co2_gcb_boundary_pct", "Holocarbon, CO2 (GCB boundary)", "#7fb8a4"),
                   ("panoramic_claim_pct", "Panoramic claim (CAS 2026), GHG", "#c4553b"),
                   ("gcb_co2_pct", "GCB 2024 / OWID, CO2", "#2f7fb5"))


def build_headline_figure(head: pd.DataFrame, year: int = 2022) -> go.Figure:
    """Grouped bars of the 2022 adjustment [%] per headline region: Holocarbon (GHG; CO2 at GCB's boundary), the
    published panoramic claim and GCB."""
    fig = go.Figure()
    for col, label, color in HEADLINE_SERIES:
        vals = head[col].astype(float)
        fig.add_trace(go.Bar(
            x=head["name"], y=vals, name=label, marker_color=color,
            text=[fmt(v, 1, sign=True) if np.isfinite(v) else "" for v in vals], textposition="outside",
            textfont=dict(size=10), textangle=-90, cliponaxis=False,
            hovertemplate=f"%{{x}}<br>{label}: %{{y:+,.1f}} %<extra></extra>",
        ))
    missing = [c if c == "EU27" else n for c, n, v in zip(head["region"], head["name"], head["panoramic_claim_pct"])
               if not np.isfinite(float(v))]
    foot = ("Consumption vs production [%], " + str(year) + "."
            + (f" No published panoramic figure for {' and '.join(missing)}." if missing else "")
            + "<br>" + HEADLINE_SOURCES)
    fig.update_layout(**base_layout(f"Headline: who consumes more than it produces, {year}", foot, height=600,
                                    subtitle="Holocarbon beside the published panoramic claim and GCB"))
    fig.update_layout(barmode="group", bargap=0.25, uniformtext=dict(minsize=10, mode="show"),
                      legend=dict(orientation="h", y=-0.08, x=0, xanchor="left", yanchor="top", font=dict(size=11)),
                      margin=dict(l=60, r=20, t=70, b=150))
    fig.layout.annotations[0].update(yshift=-82)
    vals = head[[c for c, _, _ in HEADLINE_SERIES]].to_numpy(dtype=float)
    lo, hi = min(float(np.nanmin(vals)), 0.0), max(float(np.nanmax(vals)), 0.0)
    pad = 0.22 * (hi - lo)  # room for the vertical value labels
    fig.update_yaxes(title_text="Adjustment vs production (%)", ticksuffix=" %", zeroline=True,
                     zerolinecolor="#888", range=[lo - pad if lo < 0 else 0, hi + pad])
    return fig


def headline_panel(head: pd.DataFrame) -> html.Div:
    """A compact table of the headline numbers [%] and the one-line reasons, with sources."""
    rows = []
    for r in head.itertuples(index=False):
        rows.append(html.Tr([
            html.Td(r.name), html.Td(fmt(r.holocarbon_ghg_pct, 1, True) + " %"),
            html.Td(fmt(r.holocarbon_co2_gcb_boundary_pct, 1, True) + " %"),
            html.Td(fmt(r.panoramic_claim_pct, 1, True) + (" %" if np.isfinite(r.panoramic_claim_pct) else "")),
            html.Td(fmt(r.gcb_co2_pct, 1, True) + (" %" if np.isfinite(r.gcb_co2_pct) else "")),
            html.Td(r.reason, className="reason"),
        ]))
    head_row = html.Tr([html.Th(t) for t in ("Region", "Holocarbon GHG (%)", "Holocarbon CO2, GCB boundary (%)",
                                            "Panoramic claim (%)", "GCB 2024 CO2 (%)", "Why they differ")])
    notes = list(head.attrs.get("notes", []))
    return html.Div([
        html.H3("Headline figures, 2022: Holocarbon beside the panoramic claim and the Global Carbon Budget"),
        html.Table([html.Thead(head_row), html.Tbody(rows)], className="table headline-table"),
        html.P([html.Strong("Sources. "), " ".join(notes) + " GCB 2024: Friedlingstein et al. 2024, "
                "doi:10.18160/gcp-2024, national files as processed by Our World in Data (OWID)."],
               className="footnote"),
    ], className="headline-panel")


# ---- table ----------------------------------------------------------------------------------------------------
def _num(id_: str, name: str, decimals: int = 1) -> dict:
    return {"id": id_, "name": name, "type": "numeric",
            "format": Format(group=Group.yes, precision=decimals, scheme=Scheme.fixed)}


TABLE_COLUMNS = [
    {"id": "name", "name": "Region", "type": "text"},
    {"id": "region", "name": "Code", "type": "text"},
    _num("production_mt_co2e", "Production (Mt CO2e)"),
    _num("consumption_mt_co2e", "Consumption (Mt CO2e)"),
    _num("transfer_mt_co2e", "Net transfer, cons. − prod. (Mt CO2e)"),
    _num("adjustment_pct", "Adjustment (%)"),
    _num("bunkers_in_consumption_mt_co2e", "Bunker fuel in consumption (Mt CO2e)"),
    _num("luc_mt_co2", "Land-use change (Mt CO2)"),
    _num("land_sink_mt_co2", "Land sink, attributed (Mt CO2)"),
    _num("panoramic_mt_co2e", "Panoramic (Mt CO2e)"),
    _num("production_t_per_capita", "Production per person (t CO2e/person)", 2),
    _num("consumption_t_per_capita", "Consumption per person (t CO2e/person)", 2),
    _num("panoramic_t_per_capita", "Panoramic per person (t CO2e/person)", 2),
    _num("population", "Population (persons)", 0),
    {"id": "method_label", "name": "Method", "type": "text"},
    {"id": "row_flag", "name": "Consumption shared from RoW", "type": "text"},
    {"id": "n_members", "name": "Member countries", "type": "numeric", "format": Format(group=Group.yes)},
]


def table_records(ledger: pd.DataFrame) -> list[dict]:
    """Ledger rows for the DataTable: numbers as floats (None when missing), flags in words."""
    d = ledger.copy()
    d["method_label"] = [method_label(m, None if s is None or (isinstance(s, float) and math.isnan(s)) else int(s))
                         for m, s in zip(d["method"], d["structure_year"])]
    d["row_flag"] = np.where(d["row_share"] & (d["method"] != "production-only"), "yes, by production", "")
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
