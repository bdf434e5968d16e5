"""Country (or group) page figures: key figures, time series, sector × gas breakdown, partners, panoramic bridge."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import html

from components.figures import GAS_COLORS, SINK_COLOR, SOURCE_COLOR, base_layout
from engine.core.query import GASES

SOURCES_NOTE = ("Sources: EDGAR 2024 (production), WIOD 2013 + JRC CO2 shares (consumption), GCB 2024 (land-use "
                "change, land sink; sink attribution modelled).")


def fmt_mt(v: float | None, unit: str = "Mt CO2e") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{v:,.0f} {unit}" if abs(v) >= 1000 else f"{v:,.1f} {unit}"


def kpi(label: str, value: str, sub: str = "") -> html.Div:
    """A key-figure card; the unit after the number is shown smaller."""
    number, _, unit = value.partition(" ")
    return html.Div([html.Div(label, className="kpi-label"),
                     html.Div([number, html.Span(" " + unit, className="kpi-unit") if unit else None],
                              className="kpi-value"),
                     html.Div(sub, className="kpi-sub")], className="kpi")


def key_figures(row: pd.Series, year: int) -> html.Div:
    """Cards for one ledger row (units in every card)."""
    method = row["method"]
    cons_sub = {"mrio": f"WIOD {year}", "nowcast": "nowcast, structure of 2011",
                "production-only": "no input–output table before 1995"}[method]
    adj = row.get("adjustment_pct")
    pc = row.get("production_t_per_capita")
    cc = row.get("consumption_t_per_capita")
    return html.Div([
        kpi(f"Production {year}", fmt_mt(row["production_mt_co2e"]), "territorial (EDGAR)"),
        kpi("Consumption", fmt_mt(row["consumption_mt_co2e"]), cons_sub),
        kpi("Net transfer", fmt_mt(row["transfer_mt_co2e"]),
            "—" if adj is None or pd.isna(adj) else f"{adj:+.1f} % vs production"),
        kpi("Land-use change", fmt_mt(row["luc_mt_co2"], "Mt CO2"), "GCB bookkeeping models"),
        kpi("Land sink (attributed)", fmt_mt(row["land_sink_mt_co2"], "Mt CO2"), "modelled share of the GCB sink"),
        kpi("Panoramic", fmt_mt(row["panoramic_mt_co2e"]), "consumption + LUC − land sink"),
        kpi("Per person", "—" if pd.isna(pc) else f"{pc:,.1f} t CO2e",
            "" if pd.isna(cc) else f"consumption {cc:,.1f} t CO2e"),
    ], className="cards-row")


def build_series_figure(series: pd.DataFrame, name: str) -> go.Figure:
    """Production, consumption (MRIO years solid, nowcast dashed) and panoramic, 1970–2023 [Mt CO2e]."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=series["year"], y=series["production_mt_co2e"], name="Production (territorial)", mode="lines",
                             line=dict(color="#3b4a6b", width=2.5),
                             hovertemplate="Production %{x}: %{y:,.1f} Mt CO2e<extra></extra>"))
    mrio = series[series["method"] == "mrio"]
    now = series[series["method"].isin(["nowcast"]) | (series["year"] == 2011)]
    fig.add_trace(go.Scatter(x=mrio["year"], y=mrio["consumption_mt_co2e"], name="Consumption (WIOD years)", mode="lines",
                             line=dict(color=SOURCE_COLOR, width=2.5),
                             hovertemplate="Consumption %{x}: %{y:,.1f} Mt CO2e (WIOD)<extra></extra>"))
    fig.add_trace(go.Scatter(x=now["year"], y=now["consumption_mt_co2e"], mode="lines",
                             name="Consumption (nowcast, 2011 structure)",
                             line=dict(color=SOURCE_COLOR, width=2.5, dash="dash"),
                             hovertemplate="Consumption %{x}: %{y:,.1f} Mt CO2e (nowcast)<extra></extra>"))
    fig.add_trace(go.Scatter(x=series["year"], y=series["panoramic_mt_co2e"], name="Panoramic", mode="lines",
                             line=dict(color="#5a9e6f", width=2, dash="dot"),
                             hovertemplate="Panoramic %{x}: %{y:,.1f} Mt CO2e<extra></extra>"))
    fig.update_layout(**base_layout(
        f"{name}: production, consumption and panoramic emissions, 1970–2023",
        "Consumption exists from 1995 (WIOD 2013 tables to 2011, solid; 2012–2023 nowcast on the 2011 structure, "
        "dashed).<br>" + SOURCES_NOTE, height=430))
    fig.update_yaxes(title_text="Mt CO2e per year", tickformat=",.0f", rangemode="tozero")
    fig.update_layout(legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"), hovermode="x unified")
    return fig


def build_sector_gas_figure(prod: pd.DataFrame, name: str, year: int) -> go.Figure:
    """Stacked bars: EDGAR sectors × gases for one region and year [Mt CO2e]."""
    if prod.empty:
        fig = go.Figure()
        fig.update_layout(**base_layout(f"{name}: emissions by sector and gas, {year}", "No EDGAR data."))
        return fig
    order = prod.groupby("sector")["emissions_mt_co2e"].sum().sort_values().index.tolist()
    fig = go.Figure()
    for gas in GASES:
        d = prod[prod["gas"] == gas].set_index("sector")["emissions_mt_co2e"].reindex(order).fillna(0)
        if d.abs().sum() == 0:
            continue
        fig.add_trace(go.Bar(y=order, x=d.values, name=gas, orientation="h", marker_color=GAS_COLORS[gas],
                             hovertemplate=f"%{{y}} · {gas}: %{{x:,.1f}} Mt CO2e<extra></extra>"))
    fig.update_layout(**base_layout(f"{name}: emissions by sector and gas, {year}",
                                    "Source: EDGAR 2024 GHG booklet.<br>F-gases in AR5 CO2e as published "
                                    "(not re-weighted).", height=400))
    fig.update_layout(barmode="stack", legend=dict(orientation="h", y=0.02, x=0.98, xanchor="right",
                                                   yanchor="bottom", bgcolor="rgba(255,255,255,0.8)"),
                      margin=dict(l=140, r=20, t=60, b=110))
    fig.update_xaxes(title_text="Mt CO2e per year", tickformat=",.0f")
    return fig


def partners(flows: pd.DataFrame, region: str, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top partners by emissions embodied in the region's imports and in its exports [Mt CO2e]."""
    empty = pd.DataFrame({"partner": pd.Series(dtype=str), "emissions_mt_co2e": pd.Series(dtype=float)})
    if flows.empty:
        return empty, empty.copy()
    f = flows[flows["producer"] != flows["consumer"]]
    imports = f[f["consumer"] == region].groupby("producer")["emissions_mt_co2e"].sum().nlargest(n)
    exports = f[f["producer"] == region].groupby("consumer")["emissions_mt_co2e"].sum().nlargest(n)
    return imports.rename_axis("partner").reset_index(), exports.rename_axis("partner").reset_index()


def build_partners_figure(imports: pd.DataFrame, exports: pd.DataFrame, names: dict, name: str,
                          year: int, method_note: str) -> go.Figure:
    """Two horizontal bar groups: embodied in imports (by producer) and in exports (by consumer)."""
    fig = go.Figure()
    for df, label, color in ((imports, "Embodied in imports (made in →)", SOURCE_COLOR),
                             (exports, "Embodied in exports (consumed in →)", SINK_COLOR)):
        if df.empty:
            continue
        d = df.iloc[::-1]
        fig.add_trace(go.Bar(y=[names.get(p, p) for p in d["partner"]], x=d["emissions_mt_co2e"], orientation="h",
                             name=label, marker_color=color,
                             hovertemplate="%{y}: %{x:,.1f} Mt CO2e<extra>" + label + "</extra>"))
    fig.update_layout(**base_layout(f"{name}: top partners by embodied emissions, {year}",
                                    "Bilateral flows f∘(L·Y) between WIOD 2013 regions;<br>" + method_note +
                                    ". Sources: WIOD 2013, EDGAR 2024, JRC CO2 shares.", height=460))
    fig.update_layout(barmode="group", legend=dict(orientation="v", y=0.02, x=0.98, xanchor="right",
                                                   yanchor="bottom", bgcolor="rgba(255,255,255,0.85)"),
                      margin=dict(l=160, r=20, t=60, b=110))
    fig.update_xaxes(title_text="Mt CO2e per year", tickformat=",.0f")
    return fig


def build_bridge_figure(row: pd.Series, name: str, year: int) -> go.Figure:
    """Waterfall from production to panoramic: + transfer, + land-use change, − land sink [Mt CO2e]."""
    steps = [("Production", row["production_mt_co2e"], "absolute"),
             ("Net<br>transfer", row["transfer_mt_co2e"], "relative"),
             ("Consumption", row["consumption_mt_co2e"], "total"),
             ("Land-use<br>change", row["luc_mt_co2"], "relative"),
             ("Land<br>sink", -row["land_sink_mt_co2"], "relative"),
             ("Panoramic", row["panoramic_mt_co2e"], "total")]
    fig = go.Figure(go.Waterfall(
        x=[s[0] for s in steps], y=[0 if s[2] == "total" else s[1] for s in steps], measure=[s[2] for s in steps],
        text=[f"{s[1]:+,.0f}" if s[2] == "relative" else f"{s[1]:,.0f}" for s in steps], textposition="outside",
        increasing=dict(marker_color=SOURCE_COLOR), decreasing=dict(marker_color=SINK_COLOR),
        totals=dict(marker_color="#3b4a6b"), connector=dict(line=dict(color="#aab4be")),
        hovertemplate="%{x}: %{y:,.1f} Mt CO2e<extra></extra>", cliponaxis=False))
    fig.update_layout(**base_layout(f"{name}: from production to panoramic, {year}",
                                    "Land-use change and land sink are CO2 (GCB 2024);<br>the sink share is a "
                                    "modelled attribution (MODIS × Pan et al. 2011).", height=400))
    fig.update_xaxes(tickangle=0)
    fig.update_yaxes(title_text="Mt CO2e per year", tickformat=",.0f")
    fig.update_layout(showlegend=False)
    return fig


def map_view(bounds: tuple[float, float, float, float]) -> tuple[dict, float]:
    """Centre and zoom that frame a lon/lat bounding box in a ~600 px map."""
    minx, miny, maxx, maxy = bounds
    span = max(maxx - minx, (maxy - miny) * 1.6, 1e-3)
    zoom = float(np.clip(np.log2(360.0 / span) - 0.2, 0.5, 8))
    return {"lat": (miny + maxy) / 2, "lon": (minx + maxx) / 2}, zoom
