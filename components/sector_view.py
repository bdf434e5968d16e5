"""Pure builders of the sector page: ranked emissions, the world map, MRIO intensities and foreign demand shares.

Data in (the frames of :mod:`engine.accounts.sectors`), plotly figures or small Dash components out; unit-tested on the
figure dict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components.figures import SINK_COLOR, SOURCE_COLOR, base_layout
from components.messages import NO_IO_TABLE, no_io_table

EDGAR_SOURCE = "Source: EDGAR 2024 GHG (Crippa et al. 2024, JRC138862), production (territorial)."
MRIO_SOURCE = ("Sources: WIOD 2013 (Timmer et al. 2015, doi:10.1111/roie.12178); EDGAR 2024 emissions<br>"
               "allocated to WIOD sectors by JRC sector CO2 (Corsatea et al. 2019, doi:10.2760/024036).")
FGAS_SHORT = "F-gases kept in AR5 CO2e as published."
TOP_N = 25
BAR_COLOR = "#3b6b5a"
#: Sequential colour scale of the sector map (light to dark).
MAP_SCALE = [[0, "#f3efe0"], [0.35, "#e6b06a"], [0.7, "#c4553b"], [1, "#5a1b12"]]


def method_text(meta: dict) -> str:
    """One line on how a number was derived (MRIO table year or 'structure of 2011' nowcast)."""
    method, year, structure = meta.get("method"), meta.get("year"), meta.get("structure_year")
    if method == "mrio":
        return f"MRIO: WIOD 2013 table of {structure} with EDGAR emissions of {year}."
    if method == "nowcast":
        return f"Nowcast: structure of {structure} (WIOD 2013) with EDGAR emissions of {year}."
    return f"{NO_IO_TABLE}: production only."


def _gas_line(gases) -> str:
    line = "Gases: " + " + ".join(gases) + "."
    return line + (" " + FGAS_SHORT if "F-gases" in gases else "")


def _finite(v) -> bool:
    return v is not None and bool(np.isfinite(v))


def narrow_codes(fig: go.Figure) -> go.Figure:
    """On a phone (assets/narrow.js) 41 region codes do not fit a 270 px plot: every third is labelled (the bar
    under a finger names its region)."""
    fig.update_layout(meta={**(fig.layout.meta or {}), "narrow": {"xaxis.dtick": 3}})
    return fig


def short(name: str, n: int = 48) -> str:
    """A sector name cut to ``n`` characters (chart subtitles) [text]."""
    return name if len(name) <= n else name[: n - 1].rstrip(" ,;") + "…"


def fit_footnote(fig: go.Figure, left: int) -> go.Figure:
    """Start the footnote at the figure's left edge rather than the plot's (wide left margins) [px]."""
    if fig.layout.annotations:
        fig.layout.annotations[0].xshift = -(left - 12)
    return fig


def _empty_figure(title: str, message: str, footnote: str, height: int = 420) -> go.Figure:
    """A figure whose plot area explains why there is nothing to show (never blank axes)."""
    fig = go.Figure()
    fig.update_layout(**base_layout(title, footnote, height=height))
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.55,
                       font=dict(size=13, color="#5f6b7a"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def build_sector_ranking_figure(df: pd.DataFrame, sector_name: str, year: int, gases=("CO2",),
                                mrio: bool = False, meta: dict | None = None, top: int = TOP_N) -> go.Figure:
    """Horizontal bars of the largest emitters of one sector, largest on top.

    Parameters
    ----------
    df : DataFrame
        ``code, name, emissions_mt_co2e, share_pct`` ranked (:func:`engine.accounts.sectors.sector_emissions_by_region`)
        [—, text, Mt CO2e yr⁻¹, %].
    sector_name, year :
        For the title [text, year].
    gases : tuple of str
        Selected gases (footnote) [text].
    mrio : bool
        Regions are MRIO regions (WIOD 2013) rather than EDGAR countries.
    meta : dict, optional
        ``attrs`` of the frame (method line in the footnote).
    top : int
        Bars shown [count].
    """
    title = f"Emissions by {'MRIO region' if mrio else 'country'}, {year}"
    foot = ((MRIO_SOURCE + "<br>" + method_text(meta or {})) if mrio else EDGAR_SOURCE) + "<br>" + _gas_line(gases)
    if df.empty:
        return _empty_figure(title, "No emissions to rank for this choice.", foot)
    world = float(df["emissions_mt_co2e"].sum())
    d = df.head(top).iloc[::-1]
    fig = go.Figure(go.Bar(
        x=d["emissions_mt_co2e"], y=d["name"], orientation="h", marker_color=BAR_COLOR,
        customdata=np.stack([d["share_pct"].to_numpy(dtype=float), d["code"].to_numpy(dtype=object)], axis=1),
        text=[f"{v:,.0f}" if v >= 10 else f"{v:,.1f}" for v in d["emissions_mt_co2e"]], textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y} (%{customdata[1]}): %{x:,.1f} Mt CO2e<br>%{customdata[0]:.1f} % of the world "
                      "total<extra></extra>",
    ))
    height = max(420, 150 + 22 * len(d))
    fig.update_layout(**base_layout(title, foot, height=height,
                                    subtitle=f"{short(sector_name)} · world {world:,.0f} Mt CO2e · largest {len(d)} of {len(df)}"))
    fig.update_layout(showlegend=False, margin=dict(l=190, r=50, t=70, b=120))
    fit_footnote(fig, 190)
    fig.update_xaxes(title_text="Mt CO2e per year", tickformat=",.0f", rangemode="tozero",
                     range=[0, float(d["emissions_mt_co2e"].max()) * 1.14])
    fig.update_yaxes(automargin=True)
    return fig


def build_sector_map_figure(df: pd.DataFrame, sector_name: str, year: int, gases=("CO2",), mrio: bool = False,
                            meta: dict | None = None) -> go.Figure:
    """World choropleth of one sector's emissions (log colour scale; local TopoJSON basemap).

    Parameters
    ----------
    df : DataFrame
        ``code, name, emissions_mt_co2e, share_pct`` [—, text, Mt CO2e yr⁻¹, %]. Codes that are not countries
        (``BUNKERS``, ``ROW``) are left off the map.
    """
    title = f"Where the emissions happen, {year}"
    foot = ((MRIO_SOURCE + "<br>" + method_text(meta or {}) + " Rest of the world (RoW) is not mapped.") if mrio
            else EDGAR_SOURCE + " Bunkers are not mapped.") + "<br>" + _gas_line(gases)
    d = df[df["code"].str.fullmatch(r"[A-Z]{3}") & ~df["code"].isin(["ROW"]) & (df["emissions_mt_co2e"] > 0)]
    if d.empty:
        return _empty_figure(title, "No country emissions to map for this choice.", foot)
    v = d["emissions_mt_co2e"].to_numpy(dtype=float)
    z = np.log10(v)
    lo, hi = np.floor(z.min()), np.ceil(z.max())
    lo = max(lo, hi - 5)  # five decades of colour; smaller values sit at the pale end
    ticks = np.arange(lo, hi + 1)
    fig = go.Figure(go.Choropleth(
        locations=d["code"], z=np.clip(z, lo, hi), locationmode="ISO-3", colorscale=MAP_SCALE, zmin=lo, zmax=hi,
        marker_line_color="#ffffff", marker_line_width=0.3,
        customdata=np.stack([d["name"].to_numpy(dtype=object), v, d["share_pct"].to_numpy(dtype=float)], axis=1),
        hovertemplate="%{customdata[0]}: %{customdata[1]:,.2f} Mt CO2e<br>%{customdata[2]:.2f} % of the world "
                      "total<extra></extra>",
        colorbar=dict(title=dict(text="Mt CO2e<br>per year", font=dict(size=11)), tickvals=ticks,
                      ticktext=[f"{10 ** t:,.0f}" if t >= 0 else f"{10 ** t:g}" for t in ticks], len=0.75, thickness=12),
    ))
    fig.update_layout(**base_layout(title, foot, height=440, subtitle=f"{short(sector_name)} · logarithmic colour scale"))
    fig.update_layout(margin=dict(l=10, r=10, t=70, b=110))
    fig.update_geos(projection_type="natural earth", projection_rotation_lon=0, lonaxis_range=[-180, 180],
                    showframe=False, showcoastlines=False, showcountries=True, countrycolor="#d5dbe1",
                    showland=True, landcolor="#eef1f4", lataxis_range=[-58, 85])
    return fig


def build_intensity_figure(df: pd.DataFrame, sector_name: str, gases=("CO2",), meta: dict | None = None
                           ) -> go.Figure:
    """Bars of the emission intensity of one WIOD sector by MRIO region, most intensive first.

    Parameters
    ----------
    df : DataFrame
        ``region, name, intensity_kg_per_usd, emissions_mt_co2e, output_musd``
        (:func:`engine.accounts.sectors.mrio_sector_intensity`) [—, text, kg CO2e USD⁻¹, Mt CO2e yr⁻¹, M USD].
    """
    meta = meta or {}
    year = meta.get("year", "")
    title = f"Emission intensity of output by region, {year}"
    foot = (MRIO_SOURCE + "<br>" + method_text(meta) + "<br>Intensity = the sector's emissions / its gross output.<br>"
            + _gas_line(gases))
    if df.empty:
        return _empty_figure(title, f"{NO_IO_TABLE}: no intensities for this year.", foot)
    d = df.sort_values("intensity_kg_per_usd", ascending=False)
    fig = go.Figure(go.Bar(
        x=d["region"], y=d["intensity_kg_per_usd"], marker_color=SOURCE_COLOR,
        customdata=np.stack([d["name"].to_numpy(dtype=object), d["emissions_mt_co2e"].to_numpy(dtype=float),
                             d["output_musd"].to_numpy(dtype=float) / 1000], axis=1),
        hovertemplate="%{customdata[0]}: %{y:,.3f} kg CO2e per USD<br>%{customdata[1]:,.1f} Mt CO2e from "
                      "%{customdata[2]:,.1f} bn USD output<extra></extra>",
    ))
    struct = meta.get("structure_year")
    fig.update_layout(**base_layout(title, foot, height=460,
                                    subtitle=f"{short(sector_name)} · kg CO2e per USD of output (USD of {struct})"
                                    if struct else short(sector_name)))
    fig.update_layout(showlegend=False, margin=dict(l=70, r=20, t=70, b=150))
    fit_footnote(fig, 70)
    fig.update_yaxes(title_text="kg CO2e per USD", rangemode="tozero")  # default ticks: 0.05 … 10 stay distinct
    fig.update_xaxes(title_text=None, tickangle=-90, tickfont=dict(size=9), dtick=1)  # every code, not every other
    return narrow_codes(fig)


def build_foreign_share_figure(df: pd.DataFrame, sector_name: str, gases=("CO2",), meta: dict | None = None
                               ) -> go.Figure:
    """Bars of the share of a sector's emissions embodied in other regions' final demand, by producing region.

    Parameters
    ----------
    df : DataFrame
        ``region, name, emissions_mt_co2e, foreign_mt_co2e, foreign_share`` (:func:`engine.accounts.sectors.
        foreign_demand_share`) [—, text, Mt CO2e yr⁻¹, Mt CO2e yr⁻¹, 1]; ``attrs['world_share']`` draws the
        world line.
    """
    meta = meta or dict(df.attrs)
    year = meta.get("year", "")
    title = f"Share serving foreign final demand, {year}"
    foot = MRIO_SOURCE + "<br>" + method_text(meta) + "<br>Embodied flows f∘(L·Y) to consuming regions ≠ the producer."
    if meta.get("approximation"):
        foot += "<br>EDGAR sector approximated by the WIOD sectors it maps to (households left out)."
    foot += "<br>" + _gas_line(gases)
    if df.empty:
        return _empty_figure(title, f"{NO_IO_TABLE}: no foreign demand shares for this year.",
                             foot)
    d = df.sort_values("foreign_share", ascending=False)
    fig = go.Figure(go.Bar(
        x=d["region"], y=100 * d["foreign_share"], marker_color=SINK_COLOR, name="foreign share",
        customdata=np.stack([d["name"].to_numpy(dtype=object), d["foreign_mt_co2e"].to_numpy(dtype=float),
                             d["emissions_mt_co2e"].to_numpy(dtype=float)], axis=1),
        hovertemplate="%{customdata[0]}: %{y:.1f} % for foreign final demand<br>%{customdata[1]:,.1f} of "
                      "%{customdata[2]:,.1f} Mt CO2e<extra></extra>",
    ))
    world = meta.get("world_share")
    fig.update_layout(**base_layout(title, foot, height=470,
                                    subtitle=f"{short(sector_name)} · world {100 * world:.1f} % (dashed line)"
                                    if _finite(world) else short(sector_name)))
    if _finite(world):
        fig.add_hline(y=100 * world, line_dash="dash", line_color="#1f2933", line_width=1,
                      annotation_text=f"world {100 * world:.1f} %", annotation_position="top right",
                      annotation_font_size=11)
    fig.update_layout(showlegend=False, margin=dict(l=70, r=20, t=70, b=170))
    fit_footnote(fig, 70)
    fig.update_yaxes(title_text="% of the sector's emissions", ticksuffix=" %", range=[0, 100])
    fig.update_xaxes(title_text=None, tickangle=-90, tickfont=dict(size=9), dtick=1)  # every code, not every other
    return narrow_codes(fig)


def kpi(label: str, value: str, sub: str | None = None, id: str | None = None) -> html.Div:
    """A KPI card (label, big value, small line)."""
    kw = {"id": id} if id else {}
    return html.Div([html.Div(label, className="kpi-label"), html.Div(value, className="kpi-value"),
                     html.Div(sub, className="kpi-sub") if sub else None], className="kpi", **kw)


def foreign_kpis(df: pd.DataFrame, sector_name: str) -> list[html.Div]:
    """KPI cards: world share for foreign final demand and the Mt CO2e behind it."""
    a = df.attrs
    share = a.get("world_share")
    if df.empty or not _finite(share):
        return [kpi("Serving foreign final demand (world)", "—", f"{no_io_table}")]
    sub = "approximation via WIOD sectors" if a.get("approximation") else f"of {sector_name} emissions worldwide"
    return [
        kpi("Serving foreign final demand (world)", f"{100 * share:.1f} %", sub, id="sector-kpi-foreign"),
        kpi("Embodied in other regions' final demand", f"{a['world_foreign_mt_co2e']:,.0f} Mt CO2e",
            f"of {a['world_emissions_mt_co2e']:,.0f} Mt CO2e from the sector"),
    ]


def sector_index(catalogue: pd.DataFrame, search: str = "") -> html.Div:
    """Links to every sector page, EDGAR sectors first, then WIOD sectors."""
    blocks = []
    for kind, title, lead in (
            ("edgar", "EDGAR sectors (production, 1970–2023)",
             "Territorial emissions by country for each EDGAR 2024 sector."),
            ("mrio", "Input–output sectors (WIOD 2013, 1995–2023)",
             "Emissions, emission intensity per USD of output and the share serving foreign final demand.")):
        d = catalogue[catalogue["kind"] == kind]
        blocks.append(html.Section([
            html.H2(title), html.P(lead, className="lead-small"),
            html.Ul([html.Li(dcc.Link([html.Span(c, className="sector-code"), " ", n], href=f"/sector/{c}{search}"))
                     for c, n in zip(d["code"], d["name"])], className=f"sector-list sector-list-{kind}"),
        ]))
    return html.Div(blocks)
