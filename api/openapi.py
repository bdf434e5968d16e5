"""The OpenAPI 3.0 document of ``/api/v1``, generated from :data:`api.v1.ENDPOINTS` (the same parameter objects
validate requests, so the document cannot drift from the behaviour)."""

from __future__ import annotations

from api.spec import MAX_PARAM_LENGTH, QUERY_PARAMS, Endpoint

ERROR_SCHEMA = {
    "type": "object", "required": ["error", "detail"], "additionalProperties": False,
    "properties": {"error": {"type": "string"}, "detail": {"type": "string"},
                   "allowed": {"type": "array", "items": {}}},
}
QUERY_SCHEMA = {
    "type": "object", "required": [p.name for p in QUERY_PARAMS],
    "properties": {
        "year": {"type": "integer"}, "gwp": {"type": "string"}, "gases": {"type": "array", "items": {"type": "string"}},
        "luc_model": {"type": "string"}, "grouping": {"type": "string"},
        "members": {"type": "array", "items": {"type": "string"}}, "name": {"type": "string"},
        "perspective": {"type": "string"}, "ci": {"type": "integer"}},
}
METHOD_SCHEMA = {
    "type": "object", "required": ["name", "flags", "notes"],
    "properties": {"name": {"type": "string"}, "structure_year": {"type": "integer", "nullable": True},
                   "flags": {"type": "object"}, "notes": {"type": "array", "items": {"type": "string"}}},
}


def _envelope(endpoint: Endpoint) -> dict:
    props = {"endpoint": {"type": "string"}, "query": {**QUERY_SCHEMA, "nullable": True},
             "query_text": {"type": "string", "nullable": True}, "method": METHOD_SCHEMA,
             "units": {"type": "object"}}
    required = ["endpoint", "query", "method", "data"]
    if endpoint.data_kind == "table":
        required_cols = [c.name for c in endpoint.columns if c.name not in ("sector", "gas") and not c.optional]
        item = {"type": "object", "required": required_cols, "additionalProperties": False,
                "properties": {c.name: c.schema() for c in endpoint.columns}}
        props.update(columns={"type": "array", "items": {"type": "string"}}, count={"type": "integer", "minimum": 0},
                     data={"type": "array", "items": item})
        required += ["columns", "count"]
    else:
        props["data"] = endpoint.object_schema or {"type": "object"}
    return {"type": "object", "required": required, "properties": props}


def _responses(endpoint: Endpoint) -> dict:
    err = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    if endpoint.data_kind == "netcdf":
        ok = {"description": "CF-1.8 NetCDF (t per 0.1° cell per year)",
              "content": {"application/x-netcdf": {"schema": {"type": "string", "format": "binary"}}}}
    else:
        content = {"application/json": {"schema": _envelope(endpoint)}}
        if "csv" in endpoint.formats:
            content["text/csv"] = {"schema": {"type": "string"}}
        if "xlsx" in endpoint.formats:
            content["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = {
                "schema": {"type": "string", "format": "binary"}}
        ok = {"description": "The answer, with the Query and the method flags", "content": content}
    out = {"200": ok, "400": {"description": "A bad parameter; `allowed` lists what is accepted", "content": err},
           "503": {"description": "A source file the answer needs is missing or corrupt"
                   + (", or the server is busy with other exports (`error: busy`, `Retry-After`)"
                      if endpoint.data_kind == "netcdf" else ""), "content": err}}
    if "{" in endpoint.path or endpoint.tag in ("industry", "lca"):
        out["404"] = {"description": "Unknown code (country, CN code, template); `allowed` lists the known or "
                                     "closest ones",
                      "content": err}
    from api.v1 import UNCACHED

    if endpoint.name not in UNCACHED:
        out["304"] = {"description": "Not modified (the `ETag` given in `If-None-Match` still holds)"}
    return out


def label_tile_path() -> dict:
    """The label overlay of the Atlas, ``/tiles/labels/{z}/{x}/{y}.png`` (a PNG route outside ``/api/v1``,
    :func:`api.tiles.label_tile`)."""
    from engine.maps.labels import MAX_ZOOM

    err = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}

    def coord(name: str, text: str, maximum: int | None = None) -> dict:
        schema = {"type": "integer", "minimum": 0} | ({"maximum": maximum} if maximum is not None else {})
        return {"name": name, "in": "path", "required": True, "description": text, "schema": schema}

    return {"get": {
        "operationId": "label_tile", "tags": ["grids"],
        "summary": "Map label overlay: country outlines and place names as a transparent 256 px PNG tile",
        "description": (
            "XYZ tile (Web Mercator, y from the north) of the Atlas's label overlay: country outlines at the detail "
            "the zoom needs (Natural Earth 1:110m, 1:50m, 1:10m) and country and city names (Natural Earth label "
            "points, GeoNames cities of 15,000+ people, CC BY 4.0) with a white halo, placed once per zoom over the "
            "whole world so that a name crossing a tile edge is drawn by both tiles at the same place. Transparent "
            f"where there is nothing to draw. Zoom 0–{MAX_ZOOM}; x and y in 0–2^z−1."),
        "parameters": [
            coord("z", f"zoom, 0–{MAX_ZOOM}", MAX_ZOOM),
            coord("x", "column, 0–2^z−1, west to east", (1 << MAX_ZOOM) - 1),
            coord("y", "row, 0–2^z−1, north to south", (1 << MAX_ZOOM) - 1),
            {"name": "names", "in": "query", "required": False,
             "description": "1 (default): outlines and place names; 0: outlines only",
             "schema": {"type": "string", "enum": ["0", "1"], "default": "1"}}],
        "responses": {
            "200": {"description": "The tile (`Cache-Control`, `ETag`)",
                    "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}},
            "304": {"description": "Not modified (the `ETag` given in `If-None-Match` still holds)"},
            "400": {"description": "A tile address outside the zoom's grid, a zoom above "
                                   f"{MAX_ZOOM}, or a bad or unknown parameter; `allowed` lists what is accepted",
                    "content": err},
            "503": {"description": "The processed data pack is not available", "content": err}}}}


def openapi_document(endpoints: tuple[Endpoint, ...], version: str, prefix: str) -> dict:
    """The OpenAPI 3.0.3 document (a plain dict, JSON-serialisable)."""
    paths: dict = {}
    for e in endpoints:
        op = {"operationId": e.name, "summary": e.summary, "description": e.description, "tags": [e.tag],
              "parameters": [p.openapi() for p in e.all_params], "responses": _responses(e)}
        paths[prefix + e.path] = {"get": op}
    listing = {"type": "object", "required": ["name", "version", "endpoints"],
               "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                              "endpoints": {"type": "array", "items": {"type": "object"}}}}
    err = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    paths[prefix + "/"] = {"get": {"operationId": "index", "summary": "List of endpoints", "tags": ["catalogue"],
                                   "responses": {"200": {"description": "Endpoints with example links", "content": {
                                       "application/json": {"schema": listing}}},
                                       "400": {"description": "Parameters given", "content": err}}}}
    paths[prefix + "/openapi.json"] = {"get": {
        "operationId": "openapi", "summary": "This document", "tags": ["catalogue"],
        "responses": {"200": {"description": "OpenAPI 3.0 document",
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      "400": {"description": "Parameters given", "content": err}}}}
    paths["/tiles/labels/{z}/{x}/{y}.png"] = label_tile_path()
    from api.lca import openapi_paths  # POST /lca and the template route (a blueprint of their own)

    lca_ops = openapi_paths(prefix)
    paths.setdefault(prefix + "/lca", {})["post"] = lca_ops["post"]
    paths[prefix + "/lca/templates/{name}"] = lca_ops["templates"]
    return {
        "openapi": "3.0.3",
        "info": {"title": "Holocarbon API", "version": version,
                 "description": (
                     "Open greenhouse-gas accounts and maps: production (EDGAR 2024), consumption (WIOD 2013 MRIO; "
                     "nowcast 2012–2023), trade transfers, natural sources and sinks (GCB 2024) and 0.1° grids. "
                     "Every answer carries the Query it answered and the method flags; errors are JSON "
                     "`{error, detail, allowed}`. Parameters longer than "
                     f"{MAX_PARAM_LENGTH} characters are refused. Licenses of the underlying data: /api/v1/sources.")},
        "paths": paths,
        "components": {"schemas": {"Error": ERROR_SCHEMA}},
        "tags": [{"name": "accounts", "description": "National accounts"},
                 {"name": "trade", "description": "Emissions embodied in trade"},
                 {"name": "grids", "description": "0.1° maps"},
                 {"name": "industry", "description": "Industry process routes, CBAM default values and scenarios "
                                                     "(model estimates)"},
                 {"name": "green", "description": "Green exports: manufacturing vs avoided emissions of exported "
                                                  "solar and wind equipment (model estimates)"},
                 {"name": "lca", "description": "Product footprints: a tiered hybrid life-cycle assessment of an "
                                                "inventory (model estimates)"},
                 {"name": "catalogue", "description": "Codes, sources and this document"}],
    }
