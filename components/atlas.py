"""Atlas building blocks: the MapLibre figure with the tile layer and the label overlay, the legend, the cell panel."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html

from components.render.colormaps import COLORMAPS
from components.render.snapshot import legend_ticks, no_data_text, units_text
from engine.core.query import Query
from engine.maps import layers
from engine.maps.footprint import GROUP_CONSUMERS

#: (id, menu label) of every layer, generated from the layer registry.
LAYER_OPTIONS = [(lay.id, lay.label) for lay in layers.LAYERS]
#: The source line of each layer.
LAYER_SOURCES = {lay.id: lay.source_text for lay in layers.LAYERS}


def layer_available(layer: str, year: int) -> bool:
    return layers.get(layer).covers(year)


#: The world at the default view: the centre of the map [degree] (the zoom is fitted to the map's width in the
#: browser, ``assets/atlas.js``; this zoom fits the 880 px map of a 1440 px screen).
WORLD_CENTER = {"lat": 22.0, "lon": 10.0}
WORLD_ZOOM = 0.78


def build_atlas_figure(tile_url: str, labels_url: str | None = None, center: dict | None = None,
                       zoom: float = WORLD_ZOOM, revision: str = "atlas", visible: bool = True) -> go.Figure:
    """A MapLibre map (white-bg style: nothing fetched from the internet) with our raster tiles and, above them, the
    label overlay (country outlines fine enough for the zoom, country and city names; ``/tiles/labels/…``).

    Parameters
    ----------
    tile_url : str
        Absolute XYZ template ``…/tiles/<layer>/{z}/{x}/{y}.png?<query>`` (map layer 0).
    labels_url : str, optional
        Absolute XYZ template of the label overlay ``…/tiles/labels/{z}/{x}/{y}.png`` (map layer 1).
    visible : bool
        False draws no data layer (a year the layer does not cover: the page says so over the empty map).
    """
    fig = go.Figure(go.Scattermap(lat=[], lon=[], mode="markers", hoverinfo="skip", showlegend=False))
    map_layers = [{"sourcetype": "raster", "source": [tile_url], "below": "traces", "opacity": 1.0,
                   "visible": visible,
                   "sourceattribution": "Holocarbon (EDGAR, GCB, CDIAC, Takahashi, GPW, WRI, GEM, VIIRS, MODIS); "
                                        "Natural Earth; GeoNames (CC BY 4.0)"}]
    if labels_url:
        map_layers.append({"sourcetype": "raster", "source": [labels_url], "below": "traces", "opacity": 1.0})
    fig.update_layout(
        map=dict(style="white-bg", center=center or WORLD_CENTER, zoom=zoom, layers=map_layers),
        margin=dict(l=0, r=0, t=0, b=0),
        autosize=True,  # the graph's box sets the size (620 px on a desktop, about square on a phone)
        uirevision=revision,
        paper_bgcolor="#dfe7ee",
    )
    return fig


def legend_title(layer: str, q: Query | None = None, sector: str = "all") -> tuple[str, str]:
    """(title, what it shows) of a layer's legend: the sector, gases and GWP set only where the layer uses them."""
    lay = layers.get(layer)
    return lay.title, (lay.describe(q, sector) if q is not None else "")


def legend(layer: str, q: Query | None = None, sector: str = "all", units_note: str = "",
           bar_px: float = 256.0, title: str | None = None) -> html.Div:
    """A colour bar with ticks that never overlap (:func:`components.render.snapshot.legend_ticks`), the unit per
    the layer's own cell, and a swatch for the cells with no colour (HTML, so it stays crisp at any size). ``title``
    replaces the layer's title (the footprint's "Emissions caused by consumption in Germany, 2011 (modelled)")."""
    lay = layers.get(layer)
    cmap = COLORMAPS[lay.colormap]
    ticks = legend_ticks(cmap, lay.cell_factor, bar_px=bar_px, char_px=6.4, gap_px=6.0)  # 0.68rem ticks
    spans = []
    for i, (pos, label) in enumerate(ticks):
        edge = "legend-tick-start" if i == 0 and pos < 0.05 else "legend-tick-end" if (
            i == len(ticks) - 1 and pos > 0.95) else ""
        spans.append(html.Span(label, className=f"legend-tick {edge}".strip(), style={"left": f"{100 * pos:.1f}%"}))
    default_title, what = legend_title(layer, q, sector)
    title = title or default_title
    return html.Div([
        html.Div(title, className="legend-title"),
        html.Div(what, className="legend-what") if what else None,
        html.Div(className="legend-bar", style={"background": cmap.css_gradient()}, role="img",
                 **{"aria-label": f"colour scale from {ticks[0][1]} to {ticks[-1][1]}"}),
        html.Div(spans, className="legend-ticks"),
        html.Div(units_text(cmap, lay) + units_note, className="legend-units"),
        html.Div([html.Span(className="legend-swatch-none"),
                  html.Span(no_data_text(cmap, lay, lay.cell_factor))], className="legend-none"),
    ], className="legend")


# ---- the footprint layer: whose consumption, and where it is emitted ------------------------------------------
#: The footprint variants (:data:`engine.maps.footprint.VARIANTS`) in the words of the Atlas's switch.
VARIANT_LABELS = {"all": "All its consumption", "abroad": "Only what its imports cause abroad"}


def consumer_options(codes, names: dict) -> list[dict]:
    """The consumer picker's options: the groups and the model's rest of the world first (in the order given), then
    the countries by name; each labelled "Name (CODE)" so that typing either finds it."""
    codes = [str(c) for c in codes]
    groups = [c for c in codes if c in GROUP_CONSUMERS]
    countries = sorted((c for c in codes if c not in groups), key=lambda c: (names.get(c) or c).casefold())
    return [{"label": f"{names.get(c) or c} ({c})", "value": c} for c in groups + countries]


def footprint_title(attrs: dict) -> str:
    """Legend and caption title of a footprint layer from its attributes (consumer_name, variant, year):
    ``"Emissions caused by consumption in Germany, 2011 (modelled)"``; the abroad variant says "abroad"."""
    name = attrs.get("consumer_name") or attrs.get("consumer", "")
    where = " abroad" if attrs.get("variant") == "abroad" else ""
    year = f", {attrs['year']}" if attrs.get("year") is not None else ""
    return f"Emissions caused{where} by consumption in {name}{year} (modelled)"


def _mt(t: float) -> str:
    """Tonnes in Mt with a precision that suits the size ("1,229 Mt", "31.6 Mt", "0.42 Mt")."""
    mt = float(t) / 1e6
    return f"{mt:,.0f} Mt" if abs(mt) >= 100 else f"{mt:,.1f} Mt" if abs(mt) >= 1 else f"{mt:,.2f} Mt"


def footprint_lines(attrs: dict) -> list[str]:
    """The footprint's account in sentences (the Atlas panel and the captions of map exports): the consumer's
    footprint, the share emitted abroad, and the bunker fuel that is in the account but on no cell."""
    name = attrs.get("consumer_name") or attrs.get("consumer", "")
    basis = attrs.get("basis", "CO2e")
    share = float(attrs.get("share_abroad", float("nan")))
    lines = [f"Footprint of {name}: {_mt(attrs.get('footprint_t', 0.0))} {basis} a year",
             f"Emitted abroad: {100 * share:.1f} % ({_mt(attrs.get('abroad_t', 0.0))})"
             + (" — the map shows only this part" if attrs.get("variant") == "abroad" else "")]
    bunker = float(attrs.get("unplaced_bunker_t", 0.0) or 0.0)
    if bunker:
        lines.append(f"Not on the map: {_mt(bunker)} of international aviation and shipping fuel (bunkers)")
    return lines


def footprint_panel(attrs: dict) -> html.Div:
    """The footprint's key figures beside the map, in the modelled style of the key-figure cards
    (``kpi kpi-modelled``): a modelled number never looks measured."""
    head, abroad, *rest = footprint_lines(attrs)
    label, _, value = head.partition(": ")
    note = attrs.get("method_note") if attrs.get("io_method") == "nowcast" else None
    return html.Div([
        html.Div("Modelled", className="kpi-tag kpi-tag-modelled"),
        html.Div(label, className="kpi-label"),
        html.Div(value, className="kpi-value atlas-fp-total"),
        html.Div(abroad, className="atlas-fp-abroad"),
        *(html.Div(r, className="atlas-fp-bunker") for r in rest),
        html.Div(f"Method: {note}", className="kpi-sub") if note else None,
    ], className="kpi kpi-modelled atlas-footprint", role="group", **{"aria-label": head})


def fmt_tonnes(v: float) -> str:
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:,.2f} Mt"
    if a >= 1e3:
        return f"{v / 1e3:,.1f} kt"
    return f"{v:,.1f} t"


def cell_panel(info: dict, country_href: str | None) -> html.Div:
    """What a click on the map shows: value with units, country, sector breakdown. A layer from a coarser source
    (CDIAC, the ocean sink: 1°) gives the value of its own 1° cell, and the 0.1° cell's share of it."""
    basis = "CO2e" if "CO2e" in info["units"] else "CO2"
    lay = layers.BY_ID.get(info.get("layer", ""))
    extra = []
    if info.get("units") == "%":
        v = info.get("value")
        head = ([html.Strong(f"± {v:,.0f} %"), html.Span(" of this cell's emissions (95 % interval)")]
                if v else [html.Strong("No emissions in this cell"),
                                                  html.Span(" (no uncertainty to show)")])
    elif info.get("layer") == "ocean_sink" and info.get("ocean_status") in ("no data", "land"):
        head = ([html.Strong("No data"), html.Span(" — the Takahashi climatology does not cover this sea (not zero "
                                                   "flux)")] if info["ocean_status"] == "no data" else
                [html.Strong("Land"), html.Span(" — not part of the ocean layer")])
    elif lay is not None and lay.id == "ocean_sink":
        head = [html.Strong(f"{fmt_tonnes(info['value'])} {basis}"),
                html.Span(" per 0.1° cell per year (positive = uptake)")]
        flux = info.get("takahashi_flux_g_c_m2_yr")
        if flux is not None:
            extra.append(html.Div(f"Takahashi 2000 flux here: {flux:,.1f} g C m⁻² yr⁻¹ as published (negative = "
                                  f"uptake); {info.get('ocean_status_text', '')}", className="cell-ocean"))
    elif lay is not None and lay.cell_factor != 1:
        head = [html.Strong(f"{fmt_tonnes(info['value'] * lay.cell_factor)} {basis}"),
                html.Span(f" per {lay.cell_text} per year"),
                html.Div(f"{fmt_tonnes(info['value'])} in this 0.1° cell (1/{lay.cell_factor:g} of the "
                         f"{lay.cell_text})", className="cell-share")]
    else:
        head = [html.Strong(f"{fmt_tonnes(info['value'])} {basis}"), html.Span(" per 0.1° cell per year")]
    where = f"{info['lat']:.2f}°, {info['lon']:.2f}° (0.1° cell)"
    country = info.get("country_name") or "no country (ocean or unassigned)"
    rows = [html.Li(f"{b['sector']}: {fmt_tonnes(b['value'])}") for b in info.get("breakdown", [])]
    return html.Div([
        html.Div(head, className="cell-value"),
        *extra,
        html.Div(where, className="cell-where"),
        html.Div([html.Span("Country: "), dcc.Link(country, href=country_href) if country_href else html.Span(country)]),
        html.Ul(rows, className="cell-breakdown") if rows else None,
    ], className="cell-panel")
