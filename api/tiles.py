"""XYZ map tiles and cell values over the engine's grids (thin wrappers over engine.maps; colours in components.render).

- ``GET /tiles/<layer>/<z>/<x>/<y>.png?<query>`` — 256 px Web-Mercator PNG; Query parameters as in page URLs
  plus ``sector`` for the emissions layer. ``Cache-Control`` and ``ETag`` (304 on ``If-None-Match``).
- ``GET /geo/countries.geojson`` — country outlines (Natural Earth 1:110m) for the map.
Bad layer, tile address or query -> 4xx JSON ``{error, detail, allowed}``; a missing source -> 503 JSON; never a
500. (Cell values and zonal statistics are in the REST API, :mod:`api.v1`.)
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, request

from api.errors import bad_request, error_response, register_error_handlers
from components.render.colormaps import COLORMAPS
from components.render.tiles import render_png
from engine.core.query import Query
from engine.maps import layers
from engine.maps.grid import SECTORS
from engine.maps.pyramid import sample_tile

bp = Blueprint("holocarbon_tiles", __name__)
register_error_handlers(bp)
_QUERY_KEYS = ("year", "gwp", "gases", "luc_model")


def _grids():
    return current_app.config.get("HOLOCARBON_GRIDS")


def _parse(args) -> tuple[Query, str]:
    extra = set(args) - set(_QUERY_KEYS) - {"sector", "layer", "grouping", "members", "name", "perspective"}
    if extra:
        raise ValueError(f"unknown parameter {sorted(extra)[0]!r}")
    params = {k: args[k] for k in _QUERY_KEYS if k in args}
    sector = args.get("sector", "all")
    if sector != "all" and sector not in SECTORS:
        raise ValueError(f"sector must be 'all' or one of {', '.join(SECTORS)}; got {sector!r}")
    return Query.from_params(params), sector


@bp.get("/tiles/<layer>/<int:z>/<int:x>/<int:y>.png")
def tile(layer: str, z: int, x: int, y: int):
    if layer not in layers.BY_ID:
        return bad_request(f"unknown layer {layer!r}", layers.LAYER_IDS, status=404, error="not found")
    grids = _grids()
    if grids is None:
        return bad_request("the processed data pack is not available", status=503, error="unavailable")
    try:
        q, sector = _parse(request.args)
    except ValueError as exc:
        return error_response(exc)
    canon = f"{grids.accounts.namespace}|{layer}|{q.to_query_string()}|{sector if layer == 'emissions' else ''}|{z}/{x}/{y}"
    etag = hashlib.sha1(canon.encode()).hexdigest()[:20]
    if request.if_none_match and etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{etag}"', "Cache-Control": "public, max-age=86400"})
    cache = grids.cache
    png = cache.get("tile:" + etag)
    if png is None:
        try:
            levels = grids.levels(layer, q, sector)
            png = render_png(sample_tile(levels, z, x, y), COLORMAPS[layers.get(layer).colormap])
        except ValueError as exc:
            return error_response(exc)
        cache.set("tile:" + etag, png)
    resp = Response(png, mimetype="image/png")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    resp.set_etag(etag)
    return resp


@bp.get("/geo/countries.geojson")
def countries_geojson():
    grids = _grids()
    if grids is None:
        return bad_request("the processed data pack is not available", status=503, error="unavailable")
    def build():
        return grids.pack.geo("ne_countries_110m")[["iso3", "name", "geometry"]].to_json(drop_id=True)

    text = grids.big.memo(grids._key("geojson110"), build, shared=False)
    resp = Response(text, mimetype="application/geo+json")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    return resp
