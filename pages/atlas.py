"""Atlas: the zoomable world map of where greenhouse gases are emitted and absorbed (0.1° tiles)."""

from __future__ import annotations

import math
from typing import Final, final
from urllib.parse import quote, urlencode

import dash
from dash import (
    ClientsideFunction,
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
    VARIANT_LABELS,
    WORLD_CENTER,
    WORLD_ZOOM,
    build_atlas_figure,
    cell_panel,
    consumer_options,
    footprint_panel,
    footprint_title,
    layer_available,
    legend,
)
from components.export_menu import map_export_menu
from components.messages import notice, user_message
from components.prerender import with_world_picture
from components.urlstate import url_state, url_sync
from engine.core.query import GASES, GWP_LABELS, GWP_SETS, YEAR_RANGE, Query
from engine.maps import layers
from engine.maps.footprint import DEFAULT_CONSUMER, VARIANTS, allowed_consumers
from engine.maps.grid import SECTORS

#: The page's path (also the page name of its world picture, components/prerender.py).
PATH = "/atlas"
dash.register_page(__name__, path=PATH, name="Atlas", order=10, title="Atlas — Holocarbon",
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
    NAMES: Final = "atlas-names"  # the "Place names" toggle of the label overlay
    APPLIES: Final = "atlas-applies"  # which controls the layer ignores, and why
    OVERLAY: Final = "atlas-overlay"  # "no map for this year" over the empty map
    YEAR_BADGE: Final = "atlas-year-badge"  # the year, large on the map while playing
    LAYER_INFO: Final = "atlas-layer-info"  # each layer's years and choices, for the clientside code
    PARAMS: Final = "atlas-params"  # the footprint layer's own choices (hidden for the other layers)
    CONSUMER: Final = "atlas-consumer"  # whose consumption (footprint layer)
    VARIANT: Final = "atlas-variant"  # all its consumption, or only what it causes abroad (footprint layer)
    FOOTPRINT: Final = "atlas-footprint"  # the consumer's footprint, share abroad and bunker line


#: The map's controls, in the argument order of the callbacks (layer, sector, gases, gwp, year).
CONTROLS = (ID.LAYER, ID.SECTOR, ID.GASES, ID.GWP, ID.YEAR)
#: The layer parameters' controls (:data:`engine.maps.layers.LAYER_PARAMS`), after ``names`` in the callbacks.
PARAM_CONTROLS = (ID.CONSUMER, ID.VARIANT)

LAYERS = [v for v, _ in LAYER_OPTIONS]
DEFAULTS = {"layer": "emissions", "sector": "all", "year": 2022, "gwp": "AR5", "gases": list(GASES), "names": True,
            "consumer": DEFAULT_CONSUMER, "variant": "all"}
#: What the clientside code needs of every layer: its years, the choices it depends on and its own parameters (from
#: the registry).
LAYER_INFO = {lay.id: {"years": list(lay.years), "uses": list(lay.uses), "params": list(lay.params),
                       "no_map": lay.short}
              for lay in layers.LAYERS}
#: The accounting year whose ledger lines list the consumers (the same codes every year; the WIOD table's year).
CONSUMER_YEAR = 2011


def _consumers() -> tuple[str, ...]:
    """Every consumer code of the footprint layer (groups first), or () without a pack."""
    acc = runtime.accounts()
    if acc is None:
        return ()
    return allowed_consumers(acc.year_frame(CONSUMER_YEAR)["codes"])


def _consumer_options(current: str) -> list[dict]:
    """The consumer picker's options with names (the current code alone when there is no pack)."""
    acc = runtime.accounts()
    codes = _consumers() or (current,)
    return consumer_options(codes, acc.names() if acc is not None else {})


def _consumer_from_query(query: dict) -> tuple[str, str, str | None]:
    """(consumer, variant, message) from URL parameters: an unknown consumer or variant falls back to Germany and
    all its consumption with a message naming what was wrong (never an error page)."""
    raw = str(query.get("consumer", DEFAULT_CONSUMER) or DEFAULT_CONSUMER).strip()[:40]
    variant = str(query.get("variant", "all") or "all").strip()[:40]
    problems = []
    consumer = raw.upper()
    allowed = _consumers()
    if not consumer.isalnum() or (allowed and consumer not in allowed):
        problems.append(f"consumer must be a ledger country (ISO3 code), ROW or a group "
                        f"({', '.join(c for c in allowed[:6])}); got {raw!r}" if allowed else
                        f"consumer must be a country code or a group; got {raw!r}")
        consumer = DEFAULT_CONSUMER
    if variant not in VARIANTS:
        problems.append(f"variant must be one of {', '.join(VARIANTS)}; got {variant!r}")
        variant = "all"
    if not problems:
        return consumer, variant, None
    return consumer, variant, (f"The link had a value Holocarbon cannot use ({'; '.join(problems)}); showing the "
                               f"emissions caused by consumption in {_consumer_name(consumer)} instead.")


def _consumer_name(code: str) -> str:
    acc = runtime.accounts()
    return (acc.names().get(code) if acc is not None else None) or code


def _params(layer: str, consumer: str | None, variant: str | None) -> dict:
    """The layer's own parameters (the footprint's consumer and variant), {} for the other layers."""
    if not layers.get(layer).params:
        return {}
    return {"consumer": (consumer or DEFAULT_CONSUMER).upper(), "variant": variant or "all"}


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
        names = str(query.get("names", "1"))
        if names not in ("0", "1"):
            raise ValueError(f"names must be 0 (no place names) or 1; got {names[:20]!r}")
        state.update(layer=layer, sector=sector, names=names == "1")
    except ValueError as exc:
        problem = f"The link had a value Holocarbon cannot use ({exc}); showing the default view instead."
    if problem is None and ("consumer" in query or "variant" in query):
        consumer, variant, problem = _consumer_from_query(query)
        state.update(consumer=consumer, variant=variant)
    return state, problem


def _view_from_query(query: dict) -> dict | None:
    """``view=lat,lon,zoom`` from the URL (ignored when malformed; latitude and zoom clamped to what the map shows:
    ±85° and at most :data:`engine.maps.layers.MAX_MAP_ZOOM`, longitude wrapped)."""
    try:
        lat, lon, zoom = (float(v) for v in str(query.get("view", "")).split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (lat, lon, zoom)):
        return None
    lon = (lon + 180.0) % 360.0 - 180.0 if not -180 <= lon <= 180 else lon
    return {"lat": min(85.0, max(-85.0, lat)), "lon": lon, "zoom": min(float(layers.MAX_MAP_ZOOM), max(-1.0, zoom))}


def _layer_options(year: int) -> list[dict]:
    """The layer menu; a layer with no map for the year says so and cannot be chosen."""
    return [{"label": label + ("" if layer_available(v, year) else f" — not available for {year}"), "value": v,
             "disabled": not layer_available(v, year)} for v, label in LAYER_OPTIONS]


def _applies(layer: str) -> tuple[bool, bool, bool, str | None]:
    """(sector disabled, gases disabled, GWP disabled, the reason in words) for a layer."""
    lay = layers.get(layer)
    off = {c: not lay.applies(c) for c in ("sector", "gases", "gwp")}
    if not any(off.values()):
        return False, False, False, None
    names = [n for c, n in (("sector", "sector"), ("gases", "gases"), ("gwp", "GWP metric")) if off[c]]
    what = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    why = (f"{lay.short} is {lay.basis} only" if off["gases"] else f"{lay.short} has no sectors")
    return off["sector"], off["gases"], off["gwp"], f"{why}: the {what} do{'es' if len(names) == 1 else ''} not apply."


def _gas_options(disabled: bool) -> list[dict]:
    return [{"label": g, "value": g, "disabled": disabled} for g in GASES]


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
    view = _view_from_query(query)
    marks = {y: str(y) for y in range(1970, 2024, 10)} | {2023: "2023"}
    sector_off, gases_off, gwp_off, why = _applies(state["layer"])
    params_off = not layers.get(state["layer"]).params
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
                             clearable=False, searchable=False, className="atlas-layer-menu"),
                html.Label("Sector", htmlFor=ID.SECTOR),
                dcc.Dropdown(id=ID.SECTOR, options=[{"label": "All sectors", "value": "all"}]
                             + [{"label": s, "value": s} for s in SECTORS], value=state["sector"], clearable=False,
                             searchable=False, disabled=sector_off),
                html.Label("Gases", htmlFor=ID.GASES),
                dcc.Checklist(id=ID.GASES, options=_gas_options(gases_off),
                              value=state["gases"], inline=True, className="checklist"),
                html.Label("GWP metric", htmlFor=ID.GWP),
                dcc.Dropdown(id=ID.GWP, options=[{"label": GWP_LABELS[g], "value": g} for g in GWP_SETS],
                             value=state["gwp"], clearable=False, searchable=False, disabled=gwp_off),
                html.P(why, id=ID.APPLIES, className="atlas-applies", **{"aria-live": "polite"}),
                footprint_controls(state, params_off),
                html.Label("Map labels", htmlFor=ID.NAMES, className="sr-only"),
                dcc.Checklist(id=ID.NAMES, options=[{"label": "Place names", "value": "on"}],
                              value=["on"] if state["names"] else [], className="checklist atlas-names"),
                html.Div(id=ID.LEGEND),
                html.Div(id=ID.FOOTPRINT, **{"aria-live": "polite"}),
                html.Div(id=ID.CELL, className="cell-box", **{"aria-live": "polite"},
                         children=html.Span("Click the map, or look up a cell below, to see a cell's value.",
                                            className="muted")),
                cell_lookup(),
            ], className="atlas-controls"),
            html.Div([
                html.P(id=ID.SUMMARY, className="sr-only"),
                html.Div([
                    with_world_picture(dcc.Graph(id=ID.MAP, figure=_initial_figure(state, view),
                                                 config={"displaylogo": False, "scrollZoom": True},
                                                 style={"height": "620px"}),
                                       _world_picture(state) if view is None else None, WORLD_CENTER["lat"]),
                    html.Div(str(state["year"]), id=ID.YEAR_BADGE, className="atlas-year-badge",
                             **{"aria-hidden": "true"}),
                    html.Div(_no_map(state["layer"], state["year"]), id=ID.OVERLAY, className="atlas-overlay",
                             role="status"),
                ], className="atlas-map-wrap"),
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
        dcc.Store(id=ID.VIEW, data=view),
        dcc.Store(id=ID.TILES),
        dcc.Store(id=ID.LAYER_INFO, data={"layers": LAYER_INFO, "max_zoom": layers.MAX_MAP_ZOOM,
                                          "fit_world": view is None}),
    ])


def _variant_options(disabled: bool) -> list[dict]:
    return [{"label": VARIANT_LABELS[v], "value": v, "disabled": disabled} for v in VARIANTS]


def footprint_controls(state: dict, off: bool) -> html.Div:
    """Whose consumption the footprint layer maps (a searchable list of the ledger's countries and the groups) and
    whether all of it or only what its imports cause abroad; hidden and disabled for the other layers."""
    return html.Div([
        html.Label("Emissions caused by consumption in", htmlFor=ID.CONSUMER),
        dcc.Dropdown(id=ID.CONSUMER, options=_consumer_options(state["consumer"]), value=state["consumer"],
                     clearable=False, searchable=True, disabled=off, placeholder="Type a country or group",
                     className="atlas-consumer-menu"),
        html.Label("Which emissions", htmlFor=ID.VARIANT, className="sr-only"),
        dcc.RadioItems(id=ID.VARIANT, options=_variant_options(off), value=state["variant"],
                       className="checklist atlas-variant"),
    ], id=ID.PARAMS, className="atlas-params", hidden=off, role="group",
        **{"aria-label": "Whose footprint"})


def _no_map(layer: str, year: int) -> str:
    """The sentence over the empty map for a year the layer does not cover, or "" (never another layer's map)."""
    text = layers.get(layer).no_map_text(year)
    return f"{text} Choose a year in its range, or another layer." if text else ""


def _tile_params(layer: str, sector: str, q: Query, consumer: str | None = None, variant: str | None = None) -> dict:
    """Tile query parameters for the controls: only the choices the layer depends on (defaults omitted), then the
    layer's own parameters (the footprint's consumer, always, and its variant when not "all"), in the order the
    browser writes them (assets/atlas.js ``tiles``)."""
    lay = layers.get(layer)
    params = {k: v for k, v in q.to_params().items() if k in ("gwp", "gases") and lay.applies(k)}
    params = {"year": q.year} | params
    if lay.applies("sector") and sector != "all":
        params["sector"] = sector
    own = _params(layer, consumer, variant)
    if own:
        params["consumer"] = own["consumer"]
        if own["variant"] != "all":
            params["variant"] = own["variant"]
    return params


def _tile_url(layer: str, params: dict) -> str:
    base = request.host_url.rstrip("/")
    return f"{base}/tiles/{layer}/{{z}}/{{x}}/{{y}}.png?{urlencode(params, safe=',', quote_via=quote)}"


def _labels_url(names: bool) -> str:
    return request.host_url.rstrip("/") + "/tiles/labels/{z}/{x}/{y}.png" + ("" if names else "?names=0")


def _world_picture(state: dict) -> str | None:
    """The picture of the world at the default view (components/prerender.py), when one is cached; otherwise asks
    for one in the background (the next visitor of this view gets it)."""
    pre, grids = runtime.prerenderer(), runtime.grids()
    if pre is None or grids is None:
        return None
    try:
        q = Query(year=state["year"], gwp=state["gwp"], gases=tuple(state["gases"]))
    except ValueError:
        return None
    lay = layers.get(state["layer"])
    if not lay.covers(q.year):
        return None
    names = bool(state["names"])
    key = _picture_key(state, q)
    picture = pre.picture(grids.accounts, PATH, key)
    if picture is None:
        from api.tiles import world_picture

        settings = runtime.settings()
        params = _params(lay.id, state.get("consumer"), state.get("variant"))
        pre.remember_drawn(grids.accounts, PATH, key, lambda: world_picture(
            grids, settings, lay.id, q, state["sector"], names, center_lon=WORLD_CENTER["lon"], **params))
    return picture


def _picture_key(state: dict, q: Query) -> str:
    """The world picture's key: the tile parameters of the view (with the footprint's consumer and variant), the
    layer and the place names."""
    layer = state["layer"]
    return urlencode(_tile_params(layer, state["sector"], q, state.get("consumer"), state.get("variant"))
                     | {"layer": layer, "names": int(bool(state["names"]))}, safe=",")


def _initial_figure(state: dict, view: dict | None):
    """The map, built once per page view; later control changes only swap the tile sources in the browser. A layer
    with no map for the year gets no data layer (the overlay says why); the world is shown whole by default."""
    try:
        q = Query(year=state["year"], gwp=state["gwp"], gases=tuple(state["gases"]))
    except ValueError:
        q = Query()
    lay = layers.get(state["layer"])
    covered = lay.covers(q.year)
    shown = q if covered else q.replace(year=min(max(q.year, lay.years[0]), lay.years[1]))  # never fetched
    center = {"lat": view["lat"], "lon": view["lon"]} if view else WORLD_CENTER
    tile_params = _tile_params(lay.id, state["sector"], shown, state.get("consumer"), state.get("variant"))
    return build_atlas_figure(_tile_url(lay.id, tile_params),
                              _labels_url(state["names"]), center=center,
                              zoom=view["zoom"] if view else WORLD_ZOOM, visible=covered)


@callback(
    Output(ID.LEGEND, "children"), Output(ID.NOTE, "children"),
    Output(ID.LAYER, "options"), Output(ID.SEARCH, "data"), Output(ID.SECTOR, "disabled"), Output(ID.SUMMARY, "children"),
    Output(ID.GASES, "options"), Output(ID.GWP, "disabled"), Output(ID.APPLIES, "children"),
    Output(ID.PARAMS, "hidden"), Output(ID.CONSUMER, "disabled"), Output(ID.VARIANT, "options"),
    Output(ID.FOOTPRINT, "children"),
    *(Input(c, "value") for c in CONTROLS), Input(ID.NAMES, "value"), *(Input(c, "value") for c in PARAM_CONTROLS),
)
def update_map(layer, sector, gases, gwp, year, names=("on",), consumer=DEFAULT_CONSUMER, variant="all"):
    """Thin: parse the controls into a Query; legend, notes, which controls apply, the footprint's account, and the
    shareable search (the tile URL is set in the browser by the clientside callbacks, so the map does not wait for
    this round trip)."""
    options = _layer_options(year)
    lay = layers.get(layer)
    sector_off, gases_off, gwp_off, why = _applies(layer)
    params_off = not lay.params
    applies = (_gas_options(gases_off), gwp_off, why, params_off, params_off, _variant_options(params_off))
    try:
        q = Query(year=year, gwp=gwp, gases=tuple(gases or ()))
    except ValueError as exc:
        return (no_update, notice(user_message(exc), "warning"), options, no_update, sector_off, no_update,
                *applies, no_update)
    if runtime.pack() is None:
        return (None, notice(user_message(RuntimeError(runtime.pack_error() or "")), "error"), options,
                no_update, True, no_update, *applies, None)
    params = _params(layer, consumer, variant)
    note = [html.Strong(f"{year} · "), LAYER_SOURCES[layer]]
    title, panel = None, None
    if not lay.covers(year):
        note = [notice(_no_map(layer, year), "warning")]
    elif (cannot := runtime.grids().unavailable(layer)) is not None:
        note = [notice(cannot, "error", f"The {dict(LAYER_OPTIONS)[layer]} layer cannot be drawn. ")]
    elif params:
        try:
            attrs = runtime.grids().layer(layer, lay.effective(q), sector, **params).attrs
        except ValueError as exc:
            note = [notice(user_message(exc), "warning")]
        else:
            title, panel = footprint_title(attrs), footprint_panel(attrs)
    if "F-gases" in q.gases and lay.applies("gases"):
        note.append(" F-gases are kept in AR5 CO2e as published.")
    if layer in ("net_flux",) and "CO2" not in q.gases:
        note.append(" Sinks and land-use change are CO2 fluxes: not included without CO2.")
    search_params = {"year": q.year} | {k: v for k, v in q.to_params().items() if k in ("gwp", "gases")}
    search_params["layer"] = layer
    if sector != "all":
        search_params["sector"] = sector
    if params:
        search_params["consumer"] = params["consumer"]
        if params["variant"] != "all":
            search_params["variant"] = params["variant"]
    if not names:
        search_params["names"] = "0"
    search = url_state(urlencode(search_params, safe=","))
    return (legend(layer, q, sector, title=title), note, options, search, sector_off,
            map_summary(layer, sector, q, title), *applies, panel)


def map_summary(layer: str, sector: str, q: Query, title: str | None = None) -> str:
    """What the map shows, in words, for a screen reader (the tiles themselves carry no text)."""
    lay = layers.get(layer)
    if not lay.covers(q.year):
        return f"No map: {lay.no_map_text(q.year)}"
    return (f"Zoomable world map: {title or dict(LAYER_OPTIONS)[layer]}, {lay.describe(q, sector)}, on a 0.1° grid "
            f"(about 11 km){'' if lay.resolution_deg <= 0.1 else f' from a {lay.resolution_deg:g}° source'}. The "
            "colour scale and its unit are in the legend beside the map; “Look up a cell” gives the value of the cell "
            "at a latitude and longitude.")


# keep the address bar in step with the controls and the map view, without reloading (shareable links)
url_sync(Input(ID.SEARCH, "data"), Input(ID.VIEW, "data"))


# The tile URLs follow the controls in the browser at once (assets/atlas.js; the server callback above only fills the
# legend and notes): only the choices the layer depends on go into the URL, and a year the layer does not cover gives
# no URL and a sentence over the empty map (never another layer's map under this one's name).
clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="tiles"),
    Output(ID.TILES, "data"), Output(ID.OVERLAY, "children"),
    *(Input(c, "value") for c in CONTROLS), Input(ID.NAMES, "value"), *(Input(c, "value") for c in PARAM_CONTROLS),
    State(ID.LAYER_INFO, "data"),
)

# Swap the tile sources of the existing map (no figure round trip; a burst of changes, e.g. arrow keys held on the
# year, fetches only the last one), cap the zoom, fit the world to the map's width when the link gives no view,
# send clicks to the atlas-click store and the view after a user's pan or zoom to the atlas-view store.
clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="apply"),
    Input(ID.TILES, "data"), State(ID.LAYER_INFO, "data"),
)

# The year, large on the map while playing.
clientside_callback(
    ClientsideFunction(namespace="atlas", function_name="badge"),
    Output(ID.YEAR_BADGE, "children"), Output(ID.YEAR_BADGE, "className"),
    Input(ID.YEAR, "value"), Input(ID.INTERVAL, "disabled"),
)


@callback(
    Output(ID.CELL, "children"),
    Input(ID.CLICK, "data"),
    *(State(c, "value") for c in CONTROLS), *(State(c, "value") for c in PARAM_CONTROLS),
    prevent_initial_call=True,
)
def show_cell(click, layer, sector, gases, gwp, year, consumer=DEFAULT_CONSUMER, variant="all"):
    grids = runtime.grids()
    if not click or grids is None:
        return no_update
    try:
        q = Query(year=year, gwp=gwp, gases=tuple(gases or ()))
        if not layer_available(layer, year):
            return notice(_no_map(layer, year), "warning")
        lay = layers.get(layer)
        info = grids.cell_info(layer, lay.effective(q), float(click["lat"]), float(click["lon"]),
                               sector if lay.applies("sector") else "all", **_params(layer, consumer, variant))
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
