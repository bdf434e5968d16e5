"""Country (or group) page figures: key figures, time series, sector × gas breakdown, partners, panoramic bridge."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import html

from components.figures import (
    GAS_COLORS,
    MODELLED_PATTERN,
    SINK_COLOR,
    SOURCE_COLOR,
    base_layout,
    summarise,
)
from components.messages import no_io_table
from engine.core.query import GASES

SOURCES_NOTE = ("Sources: EDGAR 2024 (production), WIOD 2013 + JRC CO2 shares (consumption), GCB 2024 (land-use "
                "change, land sink; sink attribution modelled).")


def fmt_mt(v: float | None, unit: str = "Mt CO2e") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{v:,.0f} {unit}" if abs(v) >= 1000 else f"{v:,.1f} {unit}"


def decimals_for(magnitude: float) -> int:
    """Decimals that keep two or three significant figures for values up to ``magnitude`` [any unit]: 0 from 100,
    1 from 1, 2 below (Iceland's 0.4 Mt reads "0.40", not "0")."""
    m = abs(float(magnitude)) if np.isfinite(magnitude) else 0.0
    return 0 if m >= 100 else 1 if m >= 1 else 2


def axis_format(values) -> str:
    """A tick format for an axis holding ``values``: thousands separators, and decimals when the values are small
    (an axis of "0 1 1 2 2" becomes "0 0.5 1 1.5 2")."""
    v = np.abs(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    top = float(v.max()) if v.size else 0.0
    return ",.0f" if top >= 10 else ",.1f" if top >= 1 else ",.2f"


def kpi(label: str, value: str, sub: str = "", interval: str | None = None, flag: str | None = None,
        kind: str | None = None) -> html.Div:
    """A key-figure card; the unit after the number is shown smaller, its interval (and a flag such as "sign
    uncertain") under it. ``kind`` "modelled" (a nowcast, an attributed sink) or "shared" (WIOD rest of the world's,
    not the country's own) styles the card and says so in its first line."""
    number, _, unit = value.partition(" ")
    tag = {"modelled": "Modelled", "shared": "Not its own: RoW share"}.get(kind or "")
    return html.Div([html.Div(tag, className=f"kpi-tag kpi-tag-{kind}") if tag else None,
                     html.Div(label, className="kpi-label"),
                     html.Div([number, html.Span(" " + unit, className="kpi-unit") if unit else None],
                              className="kpi-value"),
                     html.Div(interval, className="kpi-interval") if interval else None,
                     html.Div(flag, className="kpi-flag") if flag else None,
                     html.Div(sub, className="kpi-sub")], className=f"kpi kpi-{kind}" if kind else "kpi")


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or bool(pd.isna(v))


def fmt_range(lo, hi, unit: str = "", signed: bool = False) -> str:
    """An interval in words with the precision of :func:`fmt_mt`: "12,500 to 13,600" (a real minus sign)."""
    if _missing(lo) or _missing(hi):
        return "—"
    big = max(abs(float(lo)), abs(float(hi))) >= 1000
    f = (lambda v: f"{v:+,.0f}" if signed else f"{v:,.0f}") if big else \
        (lambda v: f"{v:+,.1f}" if signed else f"{v:,.1f}")
    text = f"{f(float(lo))} to {f(float(hi))}" + (f" {unit}" if unit else "")
    return text.replace("-", "−")


def interval_text(row, col: str, ci: int | None, unit: str = "", signed: bool = False) -> str | None:
    """"90 %: lo to hi" for a row with ``<col>_lo`` / ``<col>_hi`` (None without them or when they are missing)."""
    if ci is None or f"{col}_lo" not in row.index or _missing(row[f"{col}_lo"]):
        return None
    return f"{ci} %: {fmt_range(row[f'{col}_lo'], row[f'{col}_hi'], unit, signed)}"


def row_shared(row: pd.Series) -> bool:
    """A single country inside WIOD's rest of the world on a year with a consumption account: its consumption,
    transfer and panoramic figures are RoW's, shared by production, not its own."""
    return bool(row.get("row_share", False)) and int(row.get("n_members", 1) or 1) == 1 and \
        row["method"] != "production-only" and str(row.name) != "ROW"


def key_figures(row: pd.Series, year: int, ci: int | None = None) -> html.Div:
    """Cards for one ledger row (units in every card); with interval columns (:meth:`Uncertainty.ledger`) and ``ci``
    each card also shows its ``ci`` % interval, and the net transfer says when its sign is uncertain."""
    method = row["method"]
    cons_sub = {"mrio": f"WIOD {year}", "nowcast": "nowcast, structure of 2011",
                "production-only": f"{no_io_table}"}[method]
    adj = row.get("adjustment_pct")
    pc = row.get("production_t_per_capita")
    cc = row.get("consumption_t_per_capita")
    flag = None
    if ci is not None and bool(row.get("transfer_sign_uncertain", False)):
        flag = "sign uncertain: the interval includes zero"
    adj_iv = interval_text(row, "adjustment_pct", ci, "%", signed=True)
    shared = row_shared(row)
    cons_kind = "shared" if shared else "modelled" if method == "nowcast" else None
    if shared:
        cons_sub = "WIOD rest of the world's, shared by production; not measured for this country"
    return html.Div([
        kpi(f"Production {year}", fmt_mt(row["production_mt_co2e"]), "territorial (EDGAR)",
            interval_text(row, "production_mt_co2e", ci)),
        kpi("Consumption", fmt_mt(row["consumption_mt_co2e"]), cons_sub,
            interval_text(row, "consumption_mt_co2e", ci), kind=cons_kind),
        kpi("Net transfer", fmt_mt(row["transfer_mt_co2e"]),
            "—" if adj is None or pd.isna(adj) else f"{adj:+.1f} % vs production".replace("-", "−")
            + (f" ({adj_iv})" if adj_iv else "") + ("; the same for every RoW country" if shared else ""),
            interval_text(row, "transfer_mt_co2e", ci, signed=True), flag, kind=cons_kind),
        kpi("Land-use change", fmt_mt(row["luc_mt_co2"], "Mt CO2"), "GCB bookkeeping models",
            interval_text(row, "luc_mt_co2", ci)),
        kpi("Land sink (attributed)", fmt_mt(row["land_sink_mt_co2"], "Mt CO2"),
            "the GCB sink shared out by land cover (MODIS × Pan et al.), not measured here",
            interval_text(row, "land_sink_mt_co2", ci), kind="modelled"),
        kpi("Panoramic", fmt_mt(row["panoramic_mt_co2e"]), "consumption + LUC − the modelled land sink",
            interval_text(row, "panoramic_mt_co2e", ci), kind="shared" if shared else "modelled"),
        kpi("Per person", "—" if pd.isna(pc) else f"{pc:,.1f} t CO2e",
            "" if pd.isna(cc) else f"consumption {cc:,.1f} t CO2e",
            interval_text(row, "production_t_per_capita", ci)),
    ], className="cards-row")


#: Shaded interval bands of the series chart: (column, colour of the band).
BANDS = (("production_mt_co2e", "rgba(59, 74, 107, 0.18)"), ("consumption_mt_co2e", "rgba(196, 85, 59, 0.16)"),
         ("panoramic_mt_co2e", "rgba(90, 158, 111, 0.16)"))


def _band(series: pd.DataFrame, col: str, color: str, first: bool, ci: int) -> list[go.Scatter]:
    """Two traces filling between ``<col>_lo`` and ``<col>_hi`` where both exist (consumption from 1995)."""
    d = series[series[f"{col}_lo"].notna() & series[f"{col}_hi"].notna()]
    if d.empty:
        return []
    common = dict(x=d["year"], mode="lines", line=dict(width=0, color=color), hoverinfo="skip",
                  legendgroup="intervals")
    return [go.Scatter(y=d[f"{col}_lo"], showlegend=False, name=f"{col} lower bound", **common),
            go.Scatter(y=d[f"{col}_hi"], fill="tonexty", fillcolor=color, showlegend=first,
                       name=f"{ci} % intervals (shaded)", **common)]


def build_series_figure(series: pd.DataFrame, name: str, ci: int | None = None) -> go.Figure:
    """Production, consumption (MRIO years solid, nowcast dashed) and panoramic, 1970–2023 [Mt CO2e].

    With interval columns (:meth:`Uncertainty.series`) and ``ci``, each of the three accounts gets a shaded band of
    its ``ci`` % interval (drawn under the lines, one legend entry for all) and the hover gives the interval.
    """
    bands = ci is not None and all(f"{c}_lo" in series.columns for c, _ in BANDS)
    fig = go.Figure()
    if bands:
        for i, (col, color) in enumerate(BANDS):
            for tr in _band(series, col, color, i == 0, ci):
                fig.add_trace(tr)

    def hover(label: str, col: str, d: pd.DataFrame, extra: str = "") -> dict:
        if not bands:
            return dict(hovertemplate=f"{label} %{{x}}: %{{y:,.1f}} Mt CO2e{extra}<extra></extra>")
        return dict(customdata=np.column_stack([d[f"{col}_lo"], d[f"{col}_hi"]]),
                    hovertemplate=(f"{label} %{{x}}: %{{y:,.1f}} Mt CO2e{extra} ({ci} %: %{{customdata[0]:,.0f}} to "
                                   "%{customdata[1]:,.0f})<extra></extra>"))

    fig.add_trace(go.Scatter(x=series["year"], y=series["production_mt_co2e"], name="Production (territorial)",
                             mode="lines", line=dict(color="#3b4a6b", width=2.5),
                             **hover("Production", "production_mt_co2e", series)))
    mrio = series[series["method"] == "mrio"]
    now = series[series["method"].isin(["nowcast"]) | (series["year"] == 2011)]
    shared = "row_share" in series and bool(series["row_share"].fillna(False).astype(bool).any()) and \
        bool((series.get("n_members", pd.Series([1])) == 1).all())
    cons, color = ("Consumption, RoW share", "#7b8794") if shared else \
        ("Consumption", SOURCE_COLOR)
    fig.add_trace(go.Scatter(x=mrio["year"], y=mrio["consumption_mt_co2e"], name=f"{cons} (WIOD years)",
                             mode="lines", line=dict(color=color, width=2.5),
                             **hover(cons, "consumption_mt_co2e", mrio, " (WIOD)")))
    fig.add_trace(go.Scatter(x=now["year"], y=now["consumption_mt_co2e"], mode="lines",
                             name=f"{cons} (nowcast, modelled)",
                             line=dict(color=color, width=2.5, dash="dash"),
                             **hover(cons, "consumption_mt_co2e", now, " (modelled: nowcast)")))
    fig.add_trace(go.Scatter(x=series["year"], y=series["panoramic_mt_co2e"], name="Panoramic", mode="lines",
                             line=dict(color="#5a9e6f", width=2, dash="dot"),
                             **hover("Panoramic", "panoramic_mt_co2e", series)))
    foot = ("Consumption exists from 1995 (WIOD 2013 tables to 2011, solid; 2012–2023 modelled: a nowcast on the 2011 "
            "structure, dashed).<br>" + ("Grey: WIOD rest of the world's consumption, shared by production — not this "
                                         "country's own.<br>" if shared else ""))
    if bands:
        foot += (f"Shaded: {ci} % intervals (Monte Carlo draws of the inventories, the input–output table, the "
                 "nowcast, land-use change and the land sink).<br>")
    fig.update_layout(**base_layout(
        f"{name}: production, consumption and panoramic emissions, 1970–2023", foot + SOURCES_NOTE,
        height=430 + (14 if bands else 0)))
    fig.update_yaxes(title_text="Mt CO2e per year", rangemode="tozero",
                     tickformat=axis_format(series[["production_mt_co2e", "consumption_mt_co2e"]].to_numpy()))
    fig.update_xaxes(range=[1968.5, 2023.5])  # "1970" clear of the y axis' "0"
    fig.update_layout(legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"), hovermode="x unified")
    if bands:
        fig.update_layout(margin=dict(t=84, b=124))
    return summarise(fig)


def build_sector_gas_figure(prod: pd.DataFrame, name: str, year: int, totals: pd.DataFrame | None = None,
                            ci: int | None = None) -> go.Figure:
    """Stacked bars: EDGAR sectors × gases for one region and year [Mt CO2e].

    ``totals`` (``sector, emissions_lo, emissions_hi`` [Mt CO2e], from :meth:`Uncertainty.production_intervals`) adds
    whiskers of each sector total's ``ci`` % interval at the end of its stack.
    """
    if prod.empty:
        fig = go.Figure()
        fig.update_layout(**base_layout(f"{name}: emissions by sector and gas, {year}", "No EDGAR data."))
        return summarise(fig)
    order = prod.groupby("sector")["emissions_mt_co2e"].sum().sort_values().index.tolist()
    fig = go.Figure()
    for gas in GASES:
        d = prod[prod["gas"] == gas].set_index("sector")["emissions_mt_co2e"].reindex(order).fillna(0)
        if d.abs().sum() == 0:
            continue
        fig.add_trace(go.Bar(y=order, x=d.values, name=gas, orientation="h", marker_color=GAS_COLORS[gas],
                             hovertemplate=f"%{{y}} · {gas}: %{{x:,.1f}} Mt CO2e<extra></extra>"))
    foot = "Source: EDGAR 2024 GHG booklet.<br>F-gases in AR5 CO2e as published (not re-weighted)."
    if totals is not None and ci is not None and not totals.empty:
        tot = prod.groupby("sector")["emissions_mt_co2e"].sum().reindex(order)
        t = totals.set_index("sector").reindex(order)
        lo, hi = t["emissions_lo"].to_numpy(dtype=float), t["emissions_hi"].to_numpy(dtype=float)
        x = tot.to_numpy(dtype=float)
        fig.add_trace(go.Scatter(
            y=order, x=x, mode="markers", marker=dict(size=1, color="rgba(0,0,0,0)"), showlegend=False,
            name=f"{ci} % interval of the sector total",
            error_x=dict(type="data", symmetric=False, array=np.clip(hi - x, 0, None),
                         arrayminus=np.clip(x - lo, 0, None), color="#1f2933", thickness=1.2, width=3),
            customdata=np.column_stack([lo, hi]),
            hovertemplate=(f"%{{y}}, all gases: %{{x:,.1f}} Mt CO2e<br>{ci} % interval %{{customdata[0]:,.1f}} to "
                           "%{customdata[1]:,.1f}<extra></extra>")))
        foot += f"<br>Whiskers: {ci} % interval of each sector's total (all gases)."
    fig.update_layout(**base_layout(f"{name}: emissions by sector and gas, {year}", foot, height=400))
    fig.update_layout(barmode="stack", legend=dict(orientation="h", y=0.02, x=0.98, xanchor="right",
                                                   yanchor="bottom", bgcolor="rgba(255,255,255,0.8)"),
                      margin=dict(l=140, r=20, t=60, b=110))
    fig.update_xaxes(title_text="Mt CO2e per year",
                     tickformat=axis_format(prod.groupby("sector")["emissions_mt_co2e"].sum()))
    return summarise(fig)


def partners(flows: pd.DataFrame, region: str, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top partners by emissions embodied in the region's imports and in its exports [Mt CO2e]."""
    empty = pd.DataFrame({"partner": pd.Series(dtype=str), "emissions_mt_co2e": pd.Series(dtype=float)})
    if flows.empty:
        return empty, empty.copy()
    f = flows[flows["producer"] != flows["consumer"]]
    imports = f[f["consumer"] == region].groupby("producer")["emissions_mt_co2e"].sum().nlargest(n)
    exports = f[f["producer"] == region].groupby("consumer")["emissions_mt_co2e"].sum().nlargest(n)
    return imports.rename_axis("partner").reset_index(), exports.rename_axis("partner").reset_index()


def no_partners_figure(name: str, year: int) -> go.Figure:
    """The partners card of a country inside WIOD's rest of the world: no bars under its name (the model's partners
    are RoW's as a whole), the reason in words."""
    fig = go.Figure()
    fig.update_layout(**base_layout(f"{name}: trading partners, {year}",
                                    "WIOD 2013 pools every country outside its 40 economies into one region;<br>"
                                    "RoW's partners as a whole are on the Trade page.", height=480))
    fig.add_annotation(text=f"No bilateral flows for {name} alone:<br>it is part of WIOD's rest of the world,<br>"
                            "whose partners are not its own.", showarrow=False, xref="paper", yref="paper",
                       x=0.5, y=0.55, font=dict(size=13, color="#5f6b7a"), align="center")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return summarise(fig)


def build_partners_figure(imports: pd.DataFrame, exports: pd.DataFrame, names: dict, name: str,
                          year: int, method_note: str) -> go.Figure:
    """Horizontal bars per partner, sorted by the two flows together (largest on top): emissions made in the
    partner for this region's consumption (embodied in its imports) and made here for the partner's consumption
    (embodied in its exports) [Mt CO2e]."""
    fig = go.Figure()
    total = pd.concat([imports.set_index("partner")["emissions_mt_co2e"],
                       exports.set_index("partner")["emissions_mt_co2e"]], axis=1).fillna(0.0).sum(axis=1)
    order = [names.get(p, p) for p in total.sort_values(ascending=False).index]
    series = ((imports, f"Made in the partner, consumed in {name} (imports)", SOURCE_COLOR),
              (exports, f"Made in {name}, consumed in the partner (exports)", SINK_COLOR))
    for df, label, color in series:
        if df.empty:
            continue
        fig.add_trace(go.Bar(y=[names.get(p, p) for p in df["partner"]], x=df["emissions_mt_co2e"], orientation="h",
                             name=label, marker_color=color,
                             hovertemplate="%{y}: %{x:,.2f} Mt CO2e<extra>" + label + "</extra>"))
    fig.update_layout(**base_layout(f"{name}: top partners by embodied emissions, {year}",
                                    "Bilateral flows f∘(L·Y) between WIOD 2013 regions;<br>" + method_note +
                                    ".<br>Sources: WIOD 2013, EDGAR 2024, JRC CO2 shares.", height=480))
    fig.update_layout(barmode="group", legend=dict(orientation="h", y=1.0, x=0, xanchor="left", yanchor="bottom",
                                                   font=dict(size=11)),
                      margin=dict(l=160, r=20, t=96, b=124))
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])  # the largest partner on top
    values = pd.concat([imports["emissions_mt_co2e"], exports["emissions_mt_co2e"]])
    fig.update_xaxes(title_text="Mt CO2e per year", tickformat=axis_format(values))
    return summarise(fig)


def build_bridge_figure(row: pd.Series, name: str, year: int, ci: int | None = None) -> go.Figure:
    """Waterfall from production to panoramic: + transfer, + land-use change, − land sink [Mt CO2e].

    With interval columns in ``row`` and ``ci``, the three totals (production, consumption, panoramic) get whiskers
    of their ``ci`` % interval and their value labels move inside the bars, at their foot.
    """
    shared = row_shared(row)
    cons_tag = "<br>(RoW share)" if shared else "<br>(nowcast)" if row["method"] == "nowcast" else ""
    steps = [("Production", row["production_mt_co2e"], "absolute"),
             ("Net<br>transfer" + cons_tag, row["transfer_mt_co2e"], "relative"),
             ("Consumption" + cons_tag, row["consumption_mt_co2e"], "total"),
             ("Land-use<br>change", row["luc_mt_co2"], "relative"),
             ("Land sink<br>(modelled)", -row["land_sink_mt_co2"], "relative"),
             ("Panoramic<br>(modelled)", row["panoramic_mt_co2e"], "total")]
    totals = {"Production": "production_mt_co2e", steps[2][0]: "consumption_mt_co2e",
              steps[5][0]: "panoramic_mt_co2e"}
    whiskers = ci is not None and all(f"{c}_lo" in row.index for c in totals.values())
    sizes = [abs(float(s[1])) for s in steps if np.isfinite(float(s[1]))]
    dp = decimals_for(max(sizes) if sizes else 0.0)  # Iceland: "+0.12", not "+0"
    fig = go.Figure(go.Waterfall(
        x=[s[0] for s in steps], y=[0 if s[2] == "total" else s[1] for s in steps], measure=[s[2] for s in steps],
        text=[(f"{s[1]:+,.{dp}f}" if s[2] == "relative" else f"{s[1]:,.{dp}f}").replace("-", "−") for s in steps],
        textposition=["inside" if whiskers and s[0] in totals else "outside" for s in steps], textangle=0,
        insidetextanchor="start",  # at the foot of the bar, clear of the whisker at its top
        increasing=dict(marker_color=SOURCE_COLOR), decreasing=dict(marker_color=SINK_COLOR),
        totals=dict(marker_color="#3b4a6b"), connector=dict(line=dict(color="#aab4be")),
        hovertemplate="%{x}: %{y:,.1f} Mt CO2e<extra></extra>", cliponaxis=False))
    hatched = [i for i, st in enumerate(steps) if "(" in st[0] and np.isfinite(float(st[1]))]
    if hatched:  # modelled steps hatched over the waterfall (a waterfall has no per-bar pattern)
        ends = np.cumsum([0.0 if not np.isfinite(float(st[1])) else float(st[1]) if st[2] != "total" else 0.0
                          for st in steps])
        base = [0.0 if st[2] != "relative" else ends[i] - float(st[1]) for i, st in enumerate(steps)]
        fig.add_trace(go.Bar(
            x=[steps[i][0] for i in hatched], y=[float(steps[i][1]) for i in hatched],
            base=[base[i] for i in hatched], marker=dict(color="rgba(0,0,0,0)", pattern=MODELLED_PATTERN),
            hoverinfo="skip", showlegend=False, name="modelled"))
        fig.update_layout(barmode="overlay")
    foot = ("Land-use change and land sink are CO2 (GCB 2024).<br>Hatched: modelled — the sink is attributed by land "
            "cover (MODIS × Pan et al. 2011)"
            + (";<br>consumption is WIOD rest of the world's, shared by production." if shared else
               ";<br>consumption is a nowcast on the last WIOD table." if row["method"] == "nowcast" else "."))
    if whiskers:
        xs = [k for k in totals if not _missing(row[totals[k]]) and not _missing(row[f"{totals[k]}_lo"])]
        v = np.array([float(row[totals[k]]) for k in xs])
        lo = np.array([float(row[f"{totals[k]}_lo"]) for k in xs])
        hi = np.array([float(row[f"{totals[k]}_hi"]) for k in xs])
        if xs:
            fig.add_trace(go.Scatter(
                x=xs, y=v, mode="markers", marker=dict(size=1, color="rgba(0,0,0,0)"), showlegend=False,
                error_y=dict(type="data", symmetric=False, array=np.clip(hi - v, 0, None),
                             arrayminus=np.clip(v - lo, 0, None), color="#1f2933", thickness=1.4, width=5),
                customdata=np.column_stack([lo, hi]), name=f"{ci} % interval",
                hovertemplate=(f"%{{x}}: %{{y:,.1f}} Mt CO2e<br>{ci} % interval %{{customdata[0]:,.0f}} to "
                               "%{customdata[1]:,.0f}<extra></extra>")))
        foot += f"<br>Whiskers: {ci} % interval of each total."
    fig.update_layout(**base_layout(f"{name}: from production to panoramic, {year}", foot, height=400))
    fig.update_xaxes(tickangle=0)
    # on a phone (assets/narrow.js) six two-line labels do not fit: short words; the hatching still marks the
    # modelled steps and the footnote (moved under the chart) says so
    fig.update_layout(meta={"narrow": {"xaxis.tickmode": "array", "xaxis.tickvals": [st[0] for st in steps],
                                       "xaxis.ticktext": ["Prod.", "Trans-<br>fer", "Cons.", "Land<br>use",
                                                          "Sink", "Pan."], "xaxis.tickfont.size": 10}})
    fig.update_yaxes(title_text="Mt CO2e per year", tickformat=axis_format(sizes))
    fig.update_layout(showlegend=False)
    return summarise(fig)


#: Input groups of :func:`engine.uncertainty.propagate.attribution` in words a policy reader understands.
GAS_WORDS = {"CO2": "CO2", "CH4": "Methane", "N2O": "Nitrous oxide", "F-gases": "F-gases"}
SECTOR_WORDS = {"Agriculture": "agriculture", "Buildings": "buildings", "Fuel Exploitation": "oil, gas and coal supply",
                "Industrial Combustion": "industrial fuel use", "Power Industry": "power plants",
                "Processes": "industrial processes", "Transport": "transport", "Waste": "waste"}
#: What dominates an inventory's uncertainty per gas (data/uncertainty_parameters.csv: default emission factors carry
#: 80 % of the CH4 and N2O variance, 20 % of the CO2 variance, where national fuel statistics dominate).
GAS_CAUSE = {"CO2": "fuel statistics", "CH4": "emission factors", "N2O": "emission factors",
             "F-gases": "inventory estimate"}
GROUP_WORDS = {"input–output table": ("Input–output table", "who supplies whom"),
               "nowcast": ("Nowcast", "years after 2011"),
               "land-use change": ("Land-use change", "spread of the GCB models"),
               "land sink": ("Land sink", "GCB estimate")}
GROUP_COLORS = {"input–output table": "#7a8794", "nowcast": "#a9b4bf", "land-use change": "#8c6d3f",
                "land sink": SINK_COLOR}
ACCOUNT_WORDS = {"production": "production (territorial)", "consumption": "consumption-based",
                 "transfer": "net transfer", "panoramic": "panoramic"}


def group_parts(group: str) -> tuple[str, str | None]:
    """(what, why) of an attribution group: "CH4 · Agriculture" -> ("Methane from agriculture", "emission factors")."""
    if group in GROUP_WORDS:
        return GROUP_WORDS[group]
    gas, _, sector = group.partition(" · ")
    if gas in GAS_WORDS and sector:
        return f"{GAS_WORDS[gas]} from {SECTOR_WORDS.get(sector, sector.lower())}", GAS_CAUSE[gas]
    return group, None


def group_words(group: str) -> str:
    """An attribution group in plain words: "CH4 · Agriculture" -> "Methane from agriculture (emission factors)"."""
    what, why = group_parts(group)
    return f"{what} ({why})" if why else what


def attribution_rows(att: pd.DataFrame, account: str, n: int = 8) -> pd.DataFrame:
    """The ``n`` largest variance shares of one account, the rest pooled in one row: ``group, input, share_pct,
    variance`` (largest first; ``input`` in words)."""
    d = att[(att["output"] == account) & (att["variance"] > 0)].sort_values("variance", ascending=False)
    top = d.head(n)
    rows = [{"group": g, "input": group_words(g), "share_pct": float(p), "variance": float(v)}
            for g, p, v in zip(top["group"], top["share_pct"], top["variance"])]
    rest = d.iloc[n:]
    if len(rest):
        rows.append({"group": "other", "input": f"Everything else ({len(rest)} smaller inputs)",
                     "share_pct": float(rest["share_pct"].sum()), "variance": float(rest["variance"].sum())})
    return pd.DataFrame(rows, columns=["group", "input", "share_pct", "variance"])


def uncertainty_title(name: str, account: str, year: int) -> str:
    return f"{name}: what drives the uncertainty of the {ACCOUNT_WORDS[account]} account, {year}"


def build_uncertainty_figure(att: pd.DataFrame, name: str, year: int, account: str, ci: int | None = None,
                             interval: tuple[float, float] | None = None, n: int = 8,
                             note: str | None = None) -> go.Figure:
    """Horizontal bars: which inputs drive the uncertainty of one account of a region in one year.

    Parameters
    ----------
    att : DataFrame
        :func:`engine.uncertainty.propagate.attribution` (``output, group, variance, share_pct``).
    account : str
        production, consumption, transfer or panoramic.
    interval : (lo, hi), optional
        The account's ``ci`` % interval [Mt CO2e], quoted in the subtitle.
    note : str, optional
        A line for the footnote (e.g. why another account than the one chosen is shown).
    """
    import textwrap

    rows = attribution_rows(att, account, n)
    title = f"{name}: what drives the uncertainty, {year}"  # short: the account is in the subtitle
    subtitle = f"Share of the variance of the {ACCOUNT_WORDS[account]} account"
    if interval is not None and ci is not None and not any(_missing(v) for v in interval):
        subtitle += f"<br>{ci} % interval: {fmt_range(*interval, 'Mt CO2e', signed=account == 'transfer')}"
    # short footnote lines, so that it stays readable on a phone
    foot = ("Inputs are independent, so the shares add up to 100 %.<br>Emissions: Solazzo et al. (2021) ranges by "
            "country, sector, gas;<br>input–output table: 20 % cell errors; nowcast: its drift against GCB;<br>"
            "land: GCB 2024. Method: Data & methods, “Uncertainty”.")
    if note:
        foot = "<br>".join(textwrap.wrap(note, 60)) + "<br>" + foot
    extra = 14 * foot.count("<br>") - 28  # lines beyond the three the default margin holds
    if rows.empty:
        fig = go.Figure()
        fig.update_layout(**base_layout(title, foot, height=420, subtitle=subtitle))
        fig.add_annotation(text="No uncertainty to attribute for this account.", showarrow=False, xref="paper",
                           yref="paper", x=0.5, y=0.55, font=dict(size=13, color="#5f6b7a"))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return summarise(fig)
    # one row per input: its name above a thin bar (readable at any width, no tick labels to make room for)
    k = len(rows)
    colors = [GROUP_COLORS.get(g, GAS_COLORS.get(g.partition(" · ")[0], "#c5ccd3")) for g in rows["group"]]
    share = rows["share_pct"].to_numpy(dtype=float)
    y = np.arange(k, dtype=float)
    fig = go.Figure(go.Bar(
        x=share, y=y + 0.16, orientation="h", width=0.46, marker_color=colors,
        text=[f"{v:.0f} %" if v >= 10 else f"{v:.1f} %" for v in share], textposition="outside", cliponaxis=False,
        customdata=np.column_stack([rows["input"], np.sqrt(rows["variance"].to_numpy(dtype=float))]),
        hovertemplate=("%{customdata[0]}: %{x:.1f} % of the variance<br>standard deviation %{customdata[1]:,.1f} "
                       "Mt CO2e<extra></extra>")))
    height = 170 + 40 * k + extra
    fig.update_layout(**base_layout(title, foot, height=height, subtitle=subtitle))  # the footnote is annotation 0
    for i, g in enumerate(rows["group"]):
        what, why = group_parts(g) if g != "other" else (rows["input"].iloc[i], None)
        label = what + (f" <span style='color:#5f6b7a'>({why})</span>" if why else "")
        fig.add_annotation(text=label, x=0, xref="paper", xanchor="left", y=i - 0.2, yref="y", yanchor="middle",
                           showarrow=False, align="left", font=dict(size=11.5, color="#1f2933"))
    fig.update_xaxes(title_text="Share of the variance (%)", ticksuffix=" %", range=[0, 1.16 * share.max()])
    fig.update_yaxes(autorange=False, range=[k - 0.45, -0.6], showticklabels=False, showgrid=False, zeroline=False)
    fig.update_layout(showlegend=False, margin=dict(l=20, r=30, t=86, b=118 + extra))
    return summarise(fig)


def map_view(bounds: tuple[float, float, float, float]) -> tuple[dict, float]:
    """Centre and zoom that frame a lon/lat bounding box in a ~600 px map."""
    minx, miny, maxx, maxy = bounds
    span = max(maxx - minx, (maxy - miny) * 1.6, 1e-3)
    zoom = float(np.clip(np.log2(360.0 / span) - 0.2, 0.5, 8))
    return {"lat": (miny + maxy) / 2, "lon": (minx + maxx) / 2}, zoom


def row_member_box(name: str, year: int, adjustment_pct: float | None = None) -> html.Div:
    """What is and is not known for a country inside WIOD's rest of the world (its page says it where the numbers
    are): its own inventory and land-use figures, the modelled sink, and what only exists for RoW as a whole."""
    adj = "" if adjustment_pct is None or not np.isfinite(adjustment_pct) else \
        f" (the same {adjustment_pct:+.1f} % for every such country in {year})".replace("-", "−")
    return html.Div([
        html.Strong(f"{name} is inside WIOD's “rest of the world”. "),
        html.Span("WIOD 2013 models 40 economies one by one and pools every other country into one region, so some "
                  f"of {name}'s figures are its own and some are not."),
        html.Div([
            html.Div([html.H3("Its own (measured or reported)"), html.Ul([
                html.Li("production by sector and gas (EDGAR 2024 inventory) and its interval"),
                html.Li("land-use change (GCB 2024 bookkeeping models, national)"),
                html.Li("population (for per-person figures)")])]),
            html.Div([html.H3("Modelled"), html.Ul([
                html.Li("the land sink: the GCB sink shared out by land cover, not measured for the country")])]),
            html.Div([html.H3("Not known for it alone"), html.Ul([
                html.Li(f"consumption, net transfer and adjustment: RoW's, shared by production{adj}"),
                html.Li("trading partners: the model has none for it (RoW's are on the Trade page)")])]),
        ], className="known-box"),
    ], className="notice notice-info", role="status")
