"""Atlas: the zoomable world map of where greenhouse gases are emitted and absorbed (0.1° tiles)."""

from __future__ import annotations

import json
import math
from typing import Final, final
from urllib.parse import urlencode

import dash
from dash import (
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
    no_update,
)
from flask import request

from components import runtime
from components.atlas import (
    LAYER_OPTIONS,
    LAYER_SOURCES,
    build_atlas_figure,
    cell_panel,
    layer_available,
    legend,
)
from components.export_menu import map_export_menu
from components.messages import notice, user_message
from components.urlstate import url_state, url_sync
from engine.core.query import GASES, GWP_LABELS, GWP_SETS, YEAR_RANGE, Query
from engine.maps.grid import SECTORS

dash.register_page(__name__, path="/atlas", name="Atlas", order=10, title="Atlas — Holocarbon",
                   description="Zoomable 0.1° maps of emissions by sector and gas, the CDIAC reference grid, ocean "
                               "and land sinks, land-use change and the net flux, for any year.")


@final
class ID:
    """Component ids of the atlas page (one place: layout, callbacks, clientside JavaScript and tests use these)."""

    LAYER: Final = "atlas-layer"
    SECTOR: Final = "atlas-sector"
    GASES: Final = "atlas-gases"
    GWP: Final = "atlas-gwp"
    LEGEND: Final = "atlas-legend"
    CELL: Final = "atlas-cell"
    MAP: Final = "atlas-map"
    PLAY: Final = "atlas-play"
    YEAR: Final = "atlas-year"
    INTERVAL: Final = "atlas-interval"
    NOTE: Final = "atlas-note"
    CLICK: Final = "atlas-click"
    SEARCH: Final = "atlas-search"  # URL state (components.urlstate)
    VIEW: Final = "atlas-view"  # the map's centre and zoom, {lat, lon, zoom}
    TILES: Final = "atlas-tiles"
    SUMMARY: Final = "atlas-summary"  # what the map shows, in words (read by screen readers)
    LAT: Final = "atlas-lat"  # "Look up a cell": the keyboard's way to what a click on the map does
    LON: Final = "atlas-lon"
    LOOKUP: Final = "atlas-lookup"


#: The map's controls, in the argument order of the callbacks (layer, sector, gases, gwp, year).
CONTROLS = (ID.LAYER, ID.SECTOR, ID.GASES, ID.GWP, ID.YEAR)

LAYERS = [v for v, _ in LAYER_OPTIONS]
DEFAULTS = {"layer": "emissions", "sector": "all", "year": 2022, "gwp": "AR5", "gases": list(GASES)}


def _state_from_query(query: dict) -> tuple[dict, str | None]:
    """Initial control values from URL parameters; a bad parameter falls back to defaults with a message."""
    state = dict(DEFAULTS)
    problem = None
    try:
        q = Query.from_params({k: v for k, v in query.items() if k in ("year", "gwp", "gases", "luc_model")})
        state.update(year=q.year, gwp=q.gwp, gases=list(q.gases), luc_model=q.luc_model)
        layer = query.get("layer", "emissions")
        if layer not in LAYERS:
            raise ValueError(f"layer must be one of {', '.join(LAYERS)}; got {layer!r}")
        sector = query.get("sector", "all")
        if sector != "all" and sector not in SECTORS:
            raise ValueError(f"sector must be 'all' or one of {', '.join(SECTORS)}; got {sector!r}")
        state.update(layer=layer, sector=sector)
    except ValueError as exc:
        problem = f"The link had a value Holocarbon cannot use ({exc}); showing the default view instead."
    return state, problem


def _view_from_query(query: dict) -> dict | None:
    """``view=lat,lon,zoom`` from the URL (ignored when malformed or out of range)."""
    try:
        lat, lon, zoom = (float(v) for v in str(query.get("view", "")).split(","))
    except ValueError:
        return None
    if -85 <= lat <= 85 and -180 <= lon <= 180 and 0 <= zoom <= 12:
        return {"lat": lat, "lon": lon, "zoom": zoom}
    return None


def _layer_options(year: int) -> list[dict]:
    return [{"label": label + ("" if layer_available(v, year) else " — no data this year"), "value": v,
             "disabled": not layer_available(v, year)} for v, label in LAYER_OPTIONS]


def cell_lookup() -> html.Div:
    """Latitude and longitude boxes and a button: a cell's value without a mouse (Enter in a box works too). Text
    boxes, not number boxes: Dash's number box adds two stepper buttons to the tab order, of no use for a position."""
    return html.Div([
        html.Div("Look up a cell", className="legend-title", id=f"{ID.LOOKUP}-title"),
        html.Div([html.Label("Latitude (°N)", htmlFor=ID.LAT),
                  dcc.Input(id=ID.LAT, type="text", inputMode="decimal", placeholder="e.g. 48.86",
                            maxLength=12)]),
        html.Div([html.Label("Longitude (°E)", htmlFor=ID.LON),
                  dcc.Input(id=ID.LON, type="text", inputMode="decimal", placeholder="e.g. 2.35",
                            maxLength=12)]),
        html.Button("Show this cell", id=ID.LOOKUP, className="btn", type="button"),
    ], className="cell-lookup", role="group", **{"aria-labelledby": f"{ID.LOOKUP}-title"})


def layout(**query):
    state, problem = _state_from_query(query)
    marks = {y: str(y) for y in range(1970, 2024, 10)} | {2023: "2023"}
    return html.Div([
        html.Div([
            html.H1("Atlas"),
            html.P("Where greenhouse gases are emitted and absorbed, on a 0.1° grid (about 11 km). Click the map for "
                   "a cell's value, country and sectors. Modelled layers say so in their source line.",
                   className="lead-small"),
        ], className="page-head"),
        notice(problem, "warning") if problem else None,
        html.Div([
            html.Div([
                html.Label("Layer", htmlFor=ID.LAYER),
                dcc.Dropdown(id=ID.LAYER, options=_layer_options(state["year"]), value=state["layer"],
                             clearable=False),
                html.Label("Sector", htmlFor=ID.SECTOR),
                dcc.Dropdown(id=ID.SECTOR, options=[{"label": "All sectors", "value": "all"}]
                             + [{"label": s, "value": s} for s in SECTORS], value=state["sector"], clearable=False),
                html.Label("Gases", htmlFor=ID.GASES),
                dcc.Checklist(id=ID.GASES, options=[{"label": g, "value": g} for g in GASES],
                              value=state["gases"], inline=True, className="checklist"),
                html.Label("GWP metric", htmlFor=ID.GWP),
                dcc.Dropdown(id=ID.GWP, options=[{"label": GWP_LABELS[g], "value": g} for g in GWP_SETS],
                             value=state["gwp"], clearable=False),
                html.Div(id=ID.LEGEND),
                html.Div(id=ID.CELL, className="cell-box", **{"aria-live": "polite"},
                         children=html.Span("Click the map, or look up a cell below, to see a cell's value.",
                                            className="muted")),
                cell_lookup(),
            ], className="atlas-controls"),
            html.Div([
                html.P(id=ID.SUMMARY, className="sr-only"),
                dcc.Graph(id=ID.MAP, figure=_initial_figure(state, _view_from_query(query)),
                          config={"displaylogo": False, "scrollZoom": True}, style={"height": "620px"}),
                html.Div([
                    html.Button("▶ Play", id=ID.PLAY, n_clicks=0, className="btn"),
                    html.Label("Year", htmlFor=ID.YEAR, className="sr-only"),
                    html.Div(dcc.Slider(id=ID.YEAR, min=YEAR_RANGE[0], max=YEAR_RANGE[1], step=1,
                                        value=state["year"], marks=marks,
                                        tooltip={"placement": "top"}),
                             className="year-slider"),
                ], className="year-row"),
                map_export_menu(),
                dcc.Interval(id=ID.INTERVAL, interval=1500, disabled=True),
                html.Div(id=ID.NOTE, className="footnote"),
            ], className="atlas-main"),
        ], className="atlas-grid"),
        dcc.Store(id=ID.CLICK),
        dcc.Store(id=ID.SEARCH),
        dcc.Store(id=ID.VIEW, data=_view_from_query(query)),
        dcc.Store(id=ID.TILES),
    ])


def _tile_params(layer: str, sector: str, q: Query) -> tuple[str, dict]:
    """(layer actually drawn, tile query parameters) for the controls."""
    params = {k: v for k, v in q.to_params().items() if k in ("year", "gwp", "gases")}
    params["year"] = q.year
    if layer == "emissions" and sector != "all":
        params["sector"] = sector
    return (layer if layer_available(layer, q.year) else "emissions"), params


def _tile_url(layer: str, params: dict) -> str:
    base = request.host_url.rstrip("/")
    return f"{base}/tiles/{layer}/{{z}}/{{x}}/{{y}}.png?{urlencode(params, safe=',')}"


def _initial_figure(state: dict, view: dict | None):
    """The map, built once per page view; later control changes only swap the tile source in the browser."""
    try:
        q = Query(year=state["year"], gwp=state["gwp"], gases=tuple(state["gases"]))
    except ValueError:
        q = Query()
    layer, params = _tile_params(state["layer"], state["sector"], q)
    center = {"lat": view["lat"], "lon": view["lon"]} if view else None
    return build_atlas_figure(_tile_url(layer, params), request.host_url.rstrip("/") + "/geo/countries.geojson",
                              center=center, zoom=view["zoom"] if view else 1.3)


@callback(
    Output(ID.LEGEND, "children"), Output(ID.NOTE, "children"),
    Output(ID.LAYER, "options"), Output(ID.SEARCH, "data"), Output(ID.SECTOR, "disabled"), Output(ID.SUMMARY, "children"),
    *(Input(c, "value") for c in CONTROLS),
)
def update_map(layer, sector, gases, gwp, year):
    """Thin: parse the controls into a Query; legend, notes and the shareable search (the tile URL is set in the
    browser by the clientside callback below, so the map does not wait for this round trip)."""
    options = _layer_options(year)
    try:
        q = Query(year=year, gwp=gwp, gases=tuple(gases or ()))
    except ValueError as exc:
        return no_update, notice(user_message(exc), "warning"), options, no_update, no_update, no_update
    if runtime.pack() is None:
        return None, notice(user_message(RuntimeError(runtime.pack_error() or "")), "error"), options, \
            no_update, True, no_update
    tile_layer, params = _tile_params(layer, sector, q)
    note = [html.Strong(f"{year} · "), LAYER_SOURCES[layer]]
    if not layer_available(layer, year):
        note = [notice(f"The {dict(LAYER_OPTIONS)[layer]} layer has no data for {year}; choose another layer or a "
                       "year in its range.", "warning")]
    elif (why := runtime.grids().unavailable(tile_layer)) is not None:
        note = [notice(why, "error", f"The {dict(LAYER_OPTIONS)[tile_layer]} layer cannot be drawn. ")]
    if "F-gases" in q.gases and layer in ("emissions", "net_flux"):
        note.append(" F-gases are kept in AR5 CO2e as published.")
    if layer in ("net_flux",) and "CO2" not in q.gases:
        note.append(" Sinks and land-use change are CO2 fluxes: not included without CO2.")
    search_params = {k: v for k, v in params.items() if k != "sector"} | {"layer": layer}
    if sector != "all":
        search_params["sector"] = sector
    search = url_state(urlencode(search_params, safe=","))
    return legend(tile_layer), note, options, search, layer not in ("emissions",), map_summary(tile_layer, sector, q)


def map_summary(layer: str, sector: str, q: Query) -> str:
    """What the map shows, in words, for a screen reader (the tiles themselves carry no text)."""
    what = dict(LAYER_OPTIONS)[layer] + (f", sector {sector}" if layer == "emissions" and sector != "all" else "")
    gases = f" ({'+'.join(q.gases)}, {q.gwp})" if layer in ("emissions", "net_flux") else ""
    return (f"Zoomable world map: {what}{gases}, {q.year}, on a 0.1° grid (about 11 km). The colour scale and its "
            "unit are in the legend beside the map; “Look up a cell” gives the value of the cell at a latitude and "
            "longitude.")


# keep the address bar in step with the controls and the map view, without reloading (shareable links)
url_sync(Input(ID.SEARCH, "data"), Input(ID.VIEW, "data"))


@callback(Output(ID.VIEW, "data"), Input(ID.MAP, "relayoutData"), State(ID.VIEW, "data"),
          prevent_initial_call=True)
def remember_view(relayout, view):
    """The map's centre and zoom after the user pans or zooms (for the shareable link)."""
    if not relayout or "map.center" not in relayout and "map.zoom" not in relayout:
        return no_update
    view = dict(view or {"lat": 25.0, "lon": 10.0, "zoom": 1.3})
    center = relayout.get("map.center") or {}
    view.update(lat=float(center.get("lat", view["lat"])), lon=float(center.get("lon", view["lon"])),
                zoom=float(relayout.get("map.zoom", view["zoom"])))
    return view

# The tile URL follows the controls in the browser at once (the server callback above only fills the legend and
# notes); it mirrors _tile_params: defaults omitted, sector only for emissions, emissions when a layer has no data.
clientside_callback(
    """function(layer, sector, gases, gwp, year){
        const ranges = {cdiac: [1990, 2013]};
        const r = ranges[layer] || [1970, 2023];
        const lay = (year >= r[0] && year <= r[1]) ? layer : 'emissions';
        const order = ['CO2', 'CH4', 'N2O', 'F-gases'];
        const g = order.filter(x => (gases || []).includes(x));
        if(!g.length){ return window.dash_clientside.no_update; }
        const p = ['year=' + year];
        if(gwp && gwp !== 'AR5'){ p.push('gwp=' + encodeURIComponent(gwp)); }
        if(g.length !== 4){ p.push('gases=' + g.join(',')); }
        if(lay === 'emissions' && sector && sector !== 'all'){ p.push('sector=' + encodeURIComponent(sector)); }
        return window.location.origin + '/tiles/' + lay + '/{z}/{x}/{y}.png?' + p.join('&');
    }""",
    Output(ID.TILES, "data"),
    *(Input(c, "value") for c in CONTROLS),
)

# Swap the tile source of the existing map (no figure round trip) and make sure clicks reach the atlas-click store.
# The graph element is looked up on every try: Dash replaces its placeholder when plotly finishes loading.
clientside_callback(
    """function(url){
        let tries = 0;
        function apply(){
            const host = document.getElementById(%(map)s);
            const gd = host && host.querySelector('.js-plotly-plot');
            const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            if(!sub || !sub.map || !window.Plotly){ if(tries++ < 100){ setTimeout(apply, 100); } return; }
            if(url && gd.layout.map.layers[0].source[0] !== url){
                // swap the tiles of the live MapLibre source (no layer teardown, no fade-in), and keep plotly's
                // layout in step so a later redraw uses the same URL; relayout when the source is not there yet
                const m = sub.map;
                const raster = (m.getStyle().layers || []).find(l => l.type === 'raster');
                const src = raster && m.getSource(raster.source);
                if(src && src.setTiles){
                    gd.layout.map.layers[0].source = [url];
                    if(gd._fullLayout.map.layers && gd._fullLayout.map.layers[0]){
                        gd._fullLayout.map.layers[0].source = [url];
                    }
                    m.setPaintProperty(raster.id, 'raster-fade-duration', 0);
                    src.setTiles([url]);
                } else {
                    window.Plotly.relayout(gd, {'map.layers[0].source': [url]});
                }
            }
            if(gd.__holocarbonClick !== sub.map){
                gd.__holocarbonClick = sub.map;
                sub.map.on('click', function(e){
                    window.dash_clientside.set_props(%(click)s, {data: {lat: e.lngLat.lat, lon: e.lngLat.lng,
                                                                        t: Date.now()}});
                });
            }
        }
        apply();
    }""" % {"map": json.dumps(ID.MAP), "click": json.dumps(ID.CLICK)},  # no other % in this source
    Input(ID.TILES, "data"),
)


@callback(
    Output(ID.CELL, "children"),
    Input(ID.CLICK, "data"),
    *(State(c, "value") for c in CONTROLS),
    prevent_initial_call=True,
)
def show_cell(click, layer, sector, gases, gwp, year):
    grids = runtime.grids()
    if not click or grids is None:
        return no_update
    try:
        q = Query(year=year, gwp=gwp, gases=tuple(gases or ()))
        lay = layer if layer_available(layer, year) else "emissions"
        info = grids.cell_info(lay, q, float(click["lat"]), float(click["lon"]), sector if lay == "emissions" else "all")
    except (ValueError, KeyError, TypeError) as exc:
        return notice(user_message(exc), "warning")
    has_country_page = any(p.get("path_template") == "/country/<code>" for p in dash.page_registry.values())
    href = f"/country/{info['country']}?year={year}" if info.get("country") and has_country_page else None
    return cell_panel(info, href)


@callback(
    Output(ID.CLICK, "data"), Output(ID.CELL, "children", allow_duplicate=True),
    Input(ID.LOOKUP, "n_clicks"), Input(ID.LAT, "n_submit"), Input(ID.LON, "n_submit"),
    State(ID.LAT, "value"), State(ID.LON, "value"),
    prevent_initial_call=True,
)
def look_up_cell(_clicks, _submit_lat, _submit_lon, lat, lon):
    """The cell at a typed latitude and longitude, as if the map had been clicked there."""
    try:
        lat, lon = (float(str(v).strip().replace("−", "-").replace(",", ".")) for v in (lat, lon))
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise ValueError("not a number")
    except (TypeError, ValueError):
        return no_update, notice("Type a latitude (−90 to 90) and a longitude (−180 to 180), e.g. 48.86 and 2.35.",
                                 "warning")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return no_update, notice(f"{lat:g}, {lon:g} is off the map: latitude −90 to 90, longitude −180 to 180.",
                                 "warning")
    return {"lat": lat, "lon": lon, "t": int(_clicks or 0) + int(_submit_lat or 0) + int(_submit_lon or 0)}, no_update


@callback(
    Output(ID.INTERVAL, "disabled"), Output(ID.PLAY, "children"),
    Input(ID.PLAY, "n_clicks"), State(ID.INTERVAL, "disabled"),
    prevent_initial_call=True,
)
def toggle_play(_n, disabled):
    return (not disabled), ("❚❚ Pause" if disabled else "▶ Play")


@callback(
    Output(ID.YEAR, "value"), Input(ID.INTERVAL, "n_intervals"), State(ID.YEAR, "value"),
    prevent_initial_call=True,
)
def advance_year(_n, year):
    return YEAR_RANGE[0] if year >= YEAR_RANGE[1] else year + 1
