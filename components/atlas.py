"""Atlas building blocks: the MapLibre figure with the tile layer and outlines, the legend, the cell panel."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html

from components.render.colormaps import COLORMAPS
from engine.maps import layers

#: (id, menu label) of every layer, generated from the layer registry.
LAYER_OPTIONS = [(lay.id, lay.label) for lay in layers.LAYERS]
#: The source line of each layer.
LAYER_SOURCES = {lay.id: lay.source_text for lay in layers.LAYERS}


def layer_available(layer: str, year: int) -> bool:
    return layers.get(layer).covers(year)


def build_atlas_figure(tile_url: str, outline_url: str, center: dict | None = None, zoom: float = 1.3,
                       revision: str = "atlas") -> go.Figure:
    """A MapLibre map (white-bg style: nothing fetched from the internet) with our raster tiles and outlines.

    Parameters
    ----------
    tile_url : str
        Absolute XYZ template ``…/tiles/<layer>/{z}/{x}/{y}.png?<query>``.
    outline_url : str
        Absolute URL of the country outlines GeoJSON.
    """
    fig = go.Figure(go.Scattermap(lat=[], lon=[], mode="markers", hoverinfo="skip", showlegend=False))
    fig.update_layout(
        map=dict(
            style="white-bg",
            center=center or {"lat": 25, "lon": 10},
            zoom=zoom,
            layers=[
                {"sourcetype": "raster", "source": [tile_url], "below": "traces", "opacity": 1.0,
                 "sourceattribution": "Holocarbon (EDGAR, GCB, CDIAC, Takahashi, GPW, WRI, MODIS, Natural Earth)"},
                {"sourcetype": "geojson", "source": outline_url, "type": "line", "color": "#6b7785",
                 "line": {"width": 0.6}, "below": "traces"},
            ],
        ),
        margin=dict(l=0, r=0, t=0, b=0),
        height=620,
        uirevision=revision,
        paper_bgcolor="#dfe7ee",
    )
    return fig


def legend(layer: str, units_note: str = "") -> html.Div:
    """A colour bar with ticks and the unit (HTML, so it stays crisp at any size)."""
    cmap = COLORMAPS[layers.get(layer).colormap]
    ticks = [html.Span(label, className="legend-tick", style={"left": f"{100 * pos:.1f}%"})
             for pos, label in cmap.ticks()]
    return html.Div([
        html.Div(layers.get(layer).title, className="legend-title"),
        html.Div(className="legend-bar", style={"background": cmap.css_gradient()}),
        html.Div(ticks, className="legend-ticks"),
        html.Div(cmap.units + units_note, className="legend-units"),
    ], className="legend")


def fmt_tonnes(v: float) -> str:
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:,.2f} Mt"
    if a >= 1e3:
        return f"{v / 1e3:,.1f} kt"
    return f"{v:,.1f} t"


def cell_panel(info: dict, country_href: str | None) -> html.Div:
    """What a click on the map shows: value with units, country, sector breakdown."""
    basis = "CO2e" if "CO2e" in info["units"] else "CO2"
    head = [html.Strong(f"{fmt_tonnes(info['value'])} {basis}"), html.Span(" per 0.1° cell per year")]
    where = f"{info['lat']:.2f}°, {info['lon']:.2f}° (0.1° cell)"
    country = info.get("country_name") or "no country (ocean or unassigned)"
    rows = [html.Li(f"{b['sector']}: {fmt_tonnes(b['value'])}") for b in info.get("breakdown", [])]
    return html.Div([
        html.Div(head, className="cell-value"),
        html.Div(where, className="cell-where"),
        html.Div([html.Span("Country: "), dcc.Link(country, href=country_href) if country_href else html.Span(country)]),
        html.Ul(rows, className="cell-breakdown") if rows else None,
    ], className="cell-panel")
