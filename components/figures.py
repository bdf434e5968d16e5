"""Pure figure builders: data in, plotly figure out (unit-tested on the figure dict)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import dcc

from engine.accounts import overview

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
GAS_COLORS = {"CO2": "#3b4a6b", "CH4": "#d98c2b", "N2O": "#5a9e6f", "F-gases": "#9a6fb0"}
SOURCE_COLOR, SINK_COLOR = "#c4553b", "#2f7fb5"

#: A light template with plotly_white's look (grids #EBF0F8 on white): the full plotly_white template costs
#: ~30 ms per figure to copy, more than the data.
LIGHT_TEMPLATE = {"layout": {
    "paper_bgcolor": "white", "plot_bgcolor": "white",
    "xaxis": {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8", "ticks": "",
              "automargin": True},
    "yaxis": {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8", "ticks": "",
              "automargin": True},
    "geo": {"bgcolor": "white", "landcolor": "#E5ECF6", "lakecolor": "white", "showlakes": True},
    "colorway": ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880"],
    "hoverlabel": {"align": "left"},
}}

GRAPH_CONFIG = {
    "displaylogo": False,
    "topojsonURL": "/topojson/",  # local basemaps, never the CDN
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def base_layout(title: str, footnote: str, height: int = 440, subtitle: str | None = None) -> dict:
    """Shared layout: title (and subtitle), fonts, margins, and a source/method footnote under the plot.

    The footnote may hold ``<br>`` line breaks; keep each line under ~95 characters so it fits a half-width card.
    """
    title_dict = dict(text=title, x=0.01, xanchor="left", font=dict(size=15))
    if subtitle:
        title_dict["subtitle"] = dict(text=subtitle, font=dict(size=12, color="#5f6b7a"))
    return dict(
        title=title_dict,
        template=LIGHT_TEMPLATE,
        font=dict(family=FONT, size=12, color="#1f2933"),
        height=height,
        margin=dict(l=60, r=20, t=70, b=110),
        separators=".,",
        annotations=[dict(text=footnote, showarrow=False, xref="paper", yref="paper", x=0, y=0, yshift=-48,
                          xanchor="left", yanchor="top", align="left", font=dict(size=10, color="#5f6b7a"))],
    )


def graph(fig: go.Figure, **kwargs) -> dcc.Graph:
    """A dcc.Graph with the project's config (offline basemaps, PNG export at 2x)."""
    return dcc.Graph(figure=fig, config=GRAPH_CONFIG, **kwargs)


def build_world_ghg_figure(world: pd.DataFrame, interval: tuple[float, float, int] | None = None) -> go.Figure:
    """Stacked area of world GHG emissions by gas.

    Parameters
    ----------
    world : DataFrame
        Output of :func:`engine.accounts.overview.world_ghg_by_gas` [Mt CO2e yr⁻¹].
    interval : (lo, hi, ci), optional
        The ``ci`` % interval of the latest year's world total [Mt CO2e yr⁻¹]: quoted in the subtitle and drawn as a
        whisker on the top of the stack.
    """
    fig = go.Figure()
    for gas in overview.GAS_ORDER:
        d = world[world["gas"] == gas]
        if d.empty:
            continue
        fig.add_trace(go.Scatter(
            x=d["year"], y=d["emissions_mt_co2e"] / 1000, name=gas, stackgroup="ghg", mode="lines",
            line=dict(width=0.5, color=GAS_COLORS[gas]),
            hovertemplate=f"{gas} %{{x}}: %{{y:,.2f}} Gt CO2e<extra></extra>",
        ))
    last = int(world["year"].max())
    total = world.loc[world["year"] == last, "emissions_mt_co2e"].sum() / 1000
    subtitle = f"{total:,.1f} Gt CO2e in {last}"
    foot = ("Source: EDGAR 2024 GHG booklet (Crippa et al. 2024, JRC138862).<br>"
            "Excl. LULUCF, incl. international aviation and shipping. CH4, N2O and F-gases<br>"
            "in CO2e with AR5 GWP100 as published; F-gases cannot be re-weighted.")
    if interval is not None:
        lo, hi, ci = interval
        subtitle += f" ({ci} % interval {lo / 1000:,.1f} to {hi / 1000:,.1f})"
        legend = dict(orientation="h", x=0.01, y=0.99, xanchor="left", yanchor="top", bgcolor="rgba(255,255,255,0.75)")
        foot += (f"<br>Whisker: {ci} % interval of the {last} total (Solazzo et al. 2021 ranges, Monte Carlo).")
        fig.add_trace(go.Scatter(
            x=[last], y=[total], mode="markers", marker=dict(size=5, color="#1f2933"), showlegend=False,
            error_y=dict(type="data", symmetric=False, array=[max(hi / 1000 - total, 0)],
                         arrayminus=[max(total - lo / 1000, 0)], color="#1f2933", thickness=1.4, width=4),
            hovertemplate=(f"World total %{{x}}: %{{y:,.1f}} Gt CO2e<br>{ci} % interval {lo / 1000:,.1f} to "
                           f"{hi / 1000:,.1f}<extra></extra>")))
    fig.update_layout(**base_layout(
        f"World greenhouse-gas emissions by gas, 1970–{last}", foot, subtitle=subtitle,
        height=440 + (14 if interval is not None else 0)))
    fig.update_yaxes(title_text="Gt CO2e per year", rangemode="tozero", tickformat=",.0f")
    fig.update_xaxes(title_text=None)
    if interval is not None:  # the whisker's marker would widen the axis past the last year
        fig.update_xaxes(range=[int(world["year"].min()), last + 0.4])
    fig.update_layout(legend=legend if interval is not None else  # the longer subtitle needs the top row
                      dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"))
    return fig


def build_budget_figure(budget: pd.DataFrame, year: int) -> go.Figure:
    """Horizontal bars of the global carbon budget: sources right, sinks left.

    Parameters
    ----------
    budget : DataFrame
        Output of :func:`engine.accounts.overview.global_budget` [Gt CO2 yr⁻¹].
    year : int
        Budget year, for the title.
    """
    d = budget.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=d["gt_co2"], y=d["term"], orientation="h",
        marker_color=[SOURCE_COLOR if k == "source" else SINK_COLOR for k in d["kind"]],
        text=[f"{v:+,.1f}".replace("-", "−") for v in d["gt_co2"]], textposition="outside", cliponaxis=False,
        customdata=d["gt_c"],
        hovertemplate="%{y}: %{x:,.2f} Gt CO2 (%{customdata:,.3f} Gt C)<extra></extra>",
    ))
    fig.update_layout(**base_layout(
        f"Global carbon budget {year}",
        "Source: Global Carbon Budget 2024 (Friedlingstein et al. 2024,<br>doi:10.18160/gcp-2024); GtC × 3.664. "
        "Sources positive, sinks negative;<br>the budget imbalance closes the identity.",
        subtitle="Where CO2 comes from and where it goes",
    ))
    lo, hi = float(budget["gt_co2"].min()), float(budget["gt_co2"].max())
    pad = 0.22 * (hi - lo)  # room for the value labels outside the bars
    fig.update_xaxes(title_text="Gt CO2 per year", zeroline=True, zerolinecolor="#888", tickformat=",.0f",
                     range=[min(lo, 0) - pad, max(hi, 0) + pad])
    fig.update_yaxes(automargin=True)
    fig.update_layout(showlegend=False, margin=dict(l=190, r=40, t=70, b=110))
    return fig
