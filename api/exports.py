"""``GET /export/<chart>.<fmt>?<query>`` — every registered chart as PNG/SVG/PDF or its data as CSV/XLSX.

Query parameters are those of the page URLs (year, gwp, gases, luc_model, grouping, members, name, perspective)
plus the chart's page parameters (e.g. ``code`` for country charts). Unknown chart or format -> 404, bad
parameters -> 400, both as JSON ``{error, detail, allowed}``. Every export carries the "Cite this view" line (the
chart's page URL with the same query, the version and the pack) and, for a consumption-side chart of a nowcast year,
the modelled-year line (:func:`components.cite.export_lines`, through the footer and metadata of
:mod:`components.export`).
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, request

from api.errors import (
    ServiceUnavailable,
    bad_request,
    error_response,
    register_error_handlers,
)
from api.limits import heavy
from components.charts import CHARTS
from components.export import FORMATS, csv_bytes, figure_bytes, xlsx_bytes
from engine.core.query import Query

bp = Blueprint("holocarbon_exports", __name__)
register_error_handlers(bp)
#: Page presentation parameters that may ride along in a page's query string; charts that do not use them ignore
#: them (e.g. the ledger's per-capita toggle when exporting the ledger table).
PAGE_ONLY = ("scale", "view", "layer")
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def render(name: str, fmt: str, args) -> tuple[bytes, str, str]:
    """(bytes, mimetype, filename) of one export; raises KeyError (unknown chart) or ValueError (bad input)."""
    spec = CHARTS[name]
    params = {k: args[k] for k in (*spec.params, *spec.optional) if k in args}
    missing = [k for k in spec.params if k not in params]
    if missing:
        raise ValueError(f"chart {name!r} needs the parameter(s) {', '.join(missing)}")
    query_args = {k: v for k, v in args.items()
                  if k not in spec.params and k not in spec.optional and k not in PAGE_ONLY}
    q = Query.from_params(query_args)
    acc = current_app.config.get("HOLOCARBON_ACCOUNTS")
    if acc is None:
        raise ServiceUnavailable("the processed data pack is not available")
    out = spec.build(acc, q, params)
    if fmt in ("png", "svg", "pdf"):
        data = figure_bytes(out, fmt, q, params, current_app.config["HOLOCARBON_RENDERER"], chart=name)
    elif fmt == "csv":
        data = csv_bytes(out, q, params, chart=name)
    else:
        data = xlsx_bytes(out, q, params, chart=name)
    stem = _SAFE.sub("-", "_".join([name, *(str(v) for v in params.values()), str(q.year)]))
    return data, FORMATS[fmt], f"holocarbon_{stem}.{fmt}"


@bp.get("/export/<name>.<fmt>")
@heavy
def export(name: str, fmt: str):
    if name not in CHARTS:
        return bad_request(f"unknown chart {name!r}", sorted(CHARTS), status=404, error="not found")
    if fmt not in FORMATS:
        return bad_request(f"unknown format {fmt!r}", list(FORMATS), status=404, error="not found")
    try:
        data, mime, filename = render(name, fmt, request.args)
    except (ValueError, ServiceUnavailable, RuntimeError) as exc:  # bad input, no pack, renderer failure
        return error_response(exc)
    resp = Response(data, mimetype=mime)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


def map_caption(lay, q: Query, sector: str, unit: str, da, bbox) -> tuple[str, str, list[str], object]:
    """(title, subtitle, source lines, colour map) of a map picture: the subtitle names only the choices the layer
    depends on (no "perspective: consumption" under an emissions map; no gases under a CO2-only sink), the year
    and the window.

    Parameters
    ----------
    lay : engine.maps.layers.Layer
    da : xarray.DataArray
        The window drawn (its ``method`` and ``units`` attributes).
    bbox : (west, south, east, north)
        The window [degree].
    """
    from components.render.colormaps import COLORMAPS
    from engine.core.gwp import mass_factors
    from engine.maps.files import units_basis

    title = lay.title
    if lay.params and da.attrs.get("consumer"):  # the footprint: whose consumption, and its account
        from components.atlas import footprint_lines, footprint_title

        title = footprint_title({k: v for k, v in da.attrs.items() if k != "year"})
    cmap = COLORMAPS[lay.colormap]
    basis = units_basis(da.attrs.get("units", ""))
    if unit == "mass" and basis not in ("CO2", "CO2e"):
        cmap = cmap.for_mass(basis, float(mass_factors(basis).max()))
        title += f" — tonnes of {basis}"
    window = ", ".join(f"{v:.1f}" for v in bbox)
    subtitle = f"{lay.describe(q, sector)} · window {window} (W, S, E, N)"
    sources = ["Source: " + str(da.attrs.get("method", "")), "Boundaries: Natural Earth 1:50m (public domain)"]
    if lay.params and da.attrs.get("consumer"):
        sources.insert(1, " · ".join(footprint_lines(da.attrs)) + " (whole world, not only this window)")
    return title, subtitle, sources, cmap


@bp.get("/export/map.<fmt>")
@heavy
def export_map(fmt: str):
    """The atlas view as a picture (png, pdf) or as data (nc: CF NetCDF, tif: GeoTIFF).

    Parameters: ``layer``, ``sector``, the Query's ``year/gwp/gases/luc_model``, the footprint layer's ``consumer``
    (required with ``layer=footprint``) and ``variant``, and the window as ``bbox=west,south,east,north`` or the
    atlas ``view=lat,lon,zoom`` (default: the world).
    """
    from components.render.snapshot import bbox_from_view, picture_bytes, render_picture
    from engine.maps import layers
    from engine.maps.files import geotiff_bytes, netcdf_bytes
    from engine.maps.grid import SECTORS
    from engine.maps.zonal import BBox, cut

    kinds = {"png": "image/png", "pdf": "application/pdf", "nc": "application/x-netcdf", "tif": "image/tiff"}
    if fmt not in kinds:
        return bad_request(f"unknown map format {fmt!r}", list(kinds), status=404, error="not found")
    grids = current_app.config.get("HOLOCARBON_GRIDS")
    if grids is None:
        return bad_request("the processed data pack is not available", status=503, error="unavailable")
    args = request.args
    layer = args.get("layer", "emissions")
    if layer not in layers.BY_ID:
        return bad_request(f"unknown layer {layer!r}", layers.LAYER_IDS)
    sector = args.get("sector", "all")
    unit = args.get("unit", "co2e")
    try:
        if sector != "all" and sector not in SECTORS:
            raise ValueError(f"sector must be 'all' or one of {', '.join(SECTORS)}; got {sector!r}")
        q = Query.from_params({k: args[k] for k in ("year", "gwp", "gases", "luc_model") if k in args})
        if "bbox" in args:
            bbox = tuple(BBox.parse(args["bbox"]).as_list())
        elif "view" in args:
            try:
                lat, lon, zoom = (float(v) for v in args["view"].split(","))
            except ValueError:
                raise ValueError("view must be lat,lon,zoom") from None
            bbox = bbox_from_view(lat, lon, zoom)
        else:
            bbox = (-180.0, -60.0, 180.0, 85.0)
        lay = layers.get(layer)
        lay.check_year(q.year)  # never another layer's map, nor an empty picture, under this layer's name
        q, sector = lay.effective(q), (sector if lay.applies("sector") else "all")
        params = {k: args[k].strip() for k in lay.params if args.get(k, "").strip()}  # consumer, variant
        if lay.params and "consumer" not in params:
            from engine.maps.footprint import allowed_consumers

            return bad_request(f"the {layer} layer needs a consumer: a ledger country (ISO3), ROW or a group",
                               allowed_consumers(grids.accounts.year_frame(q.year)["codes"]))
        if "consumer" in params:
            params["consumer"] = params["consumer"].upper()
        da = cut(grids.layer(layer, q, sector, unit, **params), BBox(*bbox))
    except ValueError as exc:
        return error_response(exc)
    stem = "_".join(["holocarbon", layer, *(params.get(k, "") for k in ("consumer", "variant") if params.get(k)),
                     str(q.year)])
    if fmt in ("png", "pdf"):
        title, subtitle, sources, cmap = map_caption(lay, q, sector, unit, da, bbox)
        img = render_picture(da, cmap, title, subtitle, sources, outlines=grids.pack.geo("ne_countries_50m"),
                             layer=lay)
        data = picture_bytes(img, fmt)
    elif fmt == "tif":
        data = geotiff_bytes(da)
    else:
        data = netcdf_bytes(da)
    resp = Response(data, mimetype=kinds[fmt])
    resp.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp
