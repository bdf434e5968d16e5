"""XYZ map tiles and cell values over the engine's grids (thin wrappers over engine.maps; colours in components.render).

- ``GET /tiles/<layer>/<z>/<x>/<y>.png?<query>`` — 256 px Web-Mercator PNG; Query parameters as in page URLs
  plus ``sector`` for the emissions and footprint layers, and ``consumer`` (required) and ``variant`` for the footprint
  layer. ``Cache-Control`` and ``ETag`` (304 on ``If-None-Match``).
  Choices the layer does not depend on (the gases of the ocean sink, say) are accepted and ignored: they do not
  change the tile or its ETag, and the header ``X-Holocarbon-Ignored`` names them.
- ``GET /tiles/labels/<z>/<x>/<y>.png[?names=0]`` — transparent 256 px overlay with country outlines (1:110m, 1:50m,
  1:10m as the zoom grows; :mod:`engine.maps.outlines`) and place names (Natural Earth countries, GeoNames cities;
  placed once per zoom over the whole world, :mod:`engine.maps.labels`) with a white halo; ``names=0`` draws the
  outlines only. Zoom 0–9. Same caching as the layer tiles.
- ``GET /geo/countries.geojson`` — country outlines (Natural Earth 1:110m) for the map.
Bad layer, tile address or query -> 4xx JSON ``{error, detail, allowed}``; a missing source -> 503 JSON; never a
500. (Cell values and zonal statistics are in the REST API, :mod:`api.v1`.)
"""

from __future__ import annotations

import base64
import hashlib
import io
import unicodedata
from pathlib import Path

import numpy as np
from flask import Blueprint, Response, current_app, request
from PIL import Image, ImageDraw, ImageFont

from api.errors import bad_request, error_response, register_error_handlers
from components.render.colormaps import COLORMAPS
from components.render.tiles import render_png
from engine.core.query import Query
from engine.maps import labels as labels_mod
from engine.maps import layers
from engine.maps.grid import SECTORS
from engine.maps.outlines import Outlines
from engine.maps.pyramid import sample_tile

bp = Blueprint("holocarbon_tiles", __name__)
register_error_handlers(bp)
_QUERY_KEYS = ("year", "gwp", "gases", "luc_model")


def _grids():
    return current_app.config.get("HOLOCARBON_GRIDS")


def _parse(args) -> tuple[Query, str]:
    extra = set(args) - set(_QUERY_KEYS) - {"sector", "layer", "grouping", "members", "name", "perspective",
                                            *layers.LAYER_PARAMS}
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
    lay = layers.get(layer)
    ignored = [k for k in ("gwp", "gases", "luc_model", "sector") if k in request.args and not lay.applies(k)]
    q = lay.effective(q)  # an ignored choice neither changes the tile nor splits the cache
    sector = sector if lay.applies("sector") else "all"
    params = {k: request.args.get(k).strip() for k in lay.params if request.args.get(k)}  # consumer, variant
    if "consumer" in params:
        params["consumer"] = params["consumer"].upper()
    if lay.params:
        if "consumer" not in params:
            from engine.maps.footprint import allowed_consumers

            codes = grids.accounts.year_frame(q.year)["codes"] if lay.covers(q.year) else ()
            return bad_request(f"the {layer} layer needs a consumer: a ledger country (ISO3), ROW or a group",
                               allowed_consumers(codes))
        params.setdefault("variant", "all")
    canon = f"{grids.accounts.namespace}|{layer}|{q.to_query_string()}|{sector if lay.applies('sector') else ''}|{z}/{x}/{y}"
    if lay.params:
        canon += "|" + ",".join(f"{k}={params.get(k, '')}" for k in lay.params)
    etag = hashlib.sha1(canon.encode()).hexdigest()[:20]
    if request.if_none_match and etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{etag}"', "Cache-Control": "public, max-age=86400"})
    cache = grids.cache
    png = cache.get("tile:" + etag)
    if png is None:
        try:
            levels = grids.levels(layer, q, sector, **params)
            png = render_png(sample_tile(levels, z, x, y), COLORMAPS[layers.get(layer).colormap])
        except ValueError as exc:
            return error_response(exc)
        cache.set("tile:" + etag, png)
    resp = Response(png, mimetype="image/png")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    resp.set_etag(etag)
    if ignored:
        resp.headers["X-Holocarbon-Ignored"] = ",".join(ignored)
    return resp


# ---- the label overlay ----------------------------------------------------------------------------------------
#: Fonts of the labels, first found wins: DejaVu Sans Condensed (Debian's fonts-dejavu-core, on every machine of the
#: project) for its narrow letters and wide script coverage; Pillow's own font otherwise (ASCII names).
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"regular": ("DejaVuSansCondensed.ttf", "DejaVuSans.ttf"),
         "bold": ("DejaVuSansCondensed-Bold.ttf", "DejaVuSans-Bold.ttf")}
#: Supersampling of the label tiles (drawn at 512 px, reduced to 256 px: smooth lines and text).
SS = 2
#: Halo around the text [px at 256 px].
HALO = 1.5
#: Colours (RGBA): outlines, country names, city names and dots, halo.
OUTLINE_RGBA = (88, 99, 114, 210)
COUNTRY_RGBA = (62, 72, 86, 255)
CITY_RGBA = (24, 31, 41, 255)
HALO_RGBA = (255, 255, 255, 235)
LABEL_PARAMS = ("names",)


def _font_file(weight: str) -> Path | None:
    return next((FONT_DIR / f for f in FONTS[weight] if (FONT_DIR / f).is_file()), None)


def label_style() -> str:
    """Name of the label style (fonts found, sizes): part of the placement's cache key and of the tiles' ETag."""
    files = [_font_file(w) for w in FONTS]
    return "v2-" + "-".join(f.stem if f else "default" for f in files)


def _font(grids, weight: str, size: int):
    """A font through the grids' memory cache (a font object is per process, never pickled). Basic layout: names
    are drawn left to right, and it measures ten times faster than complex layout."""
    def build():
        path = _font_file(weight)
        if path is None:
            return ImageFont.load_default(size=size)
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)

    return grids.big.memo(grids._key("font", weight, size), build, shared=False)


def _label_font(kind: str, z: int) -> tuple[str, int]:
    """(weight, size [px at 256 px]) of a kind of label at a tile zoom."""
    if kind == "country":
        return "bold", (10, 10, 11, 12, 13)[min(z, 4)] if z < 5 else 14
    if kind == "capital":
        return "bold", 12 if z < 6 else 13
    return "regular", 11 if z < 6 else 12


def _label_lines(kind: str, name: str, ascii_only: bool) -> list[str]:
    """The lines drawn for a place: long country names on two balanced lines; diacritics dropped only for Pillow's
    own font (it has no accented letters)."""
    if ascii_only:
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    words = name.split()
    if kind == "country" and len(name) > 12 and len(words) > 1:
        cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
        return [" ".join(words[:cut]), " ".join(words[cut:])]
    return [name]


class _LabelPainter:
    """Measures and draws the labels of one request (fonts from the grids' memory cache). Sizes are in pixels of the
    supersampled tile (``SS`` × 256 px); a text box is its lines (ascender to descender each) plus the halo."""

    def __init__(self, grids):
        self.grids = grids
        self.ascii_only = _font_file("regular") is None
        self.fonts: dict = {}  # per request: (weight, size) -> (font, ascent, descent)
        self.halo = round(HALO * SS)

    def font(self, kind: str, z: int):
        weight, size = _label_font(kind, z)
        if (weight, size) not in self.fonts:
            font = _font(self.grids, weight, size * SS)
            ascent, descent = font.getmetrics()
            self.fonts[weight, size] = (font, ascent, descent)
        return self.fonts[weight, size]

    def layout(self, kind: str, name: str, z: int):
        """(font, lines, line widths, line height, box width, box height) of a label [px, supersampled]."""
        font, ascent, descent = self.font(kind, z)
        lines = _label_lines(kind, name, self.ascii_only)
        widths = [font.getlength(t) for t in lines]
        lh = ascent + descent
        return font, lines, widths, lh, max(widths) + 2 * self.halo, lh * len(lines) + 2 * self.halo

    def measure(self, kind: str, name: str, z: int) -> tuple[float, float]:
        """Width and height of a label's text with its halo [px at 256 px]."""
        *_, w, h = self.layout(kind, name, z)
        return w / SS, h / SS

    def draw(self, draw, kind: str, name: str, z: int, left: int, top: int) -> None:
        """Draw a label whose box has its top-left corner at (left, top) [px, supersampled]."""
        font, lines, widths, lh, w, _ = self.layout(kind, name, z)
        fill = COUNTRY_RGBA if kind == "country" else CITY_RGBA
        for i, (text, lw) in enumerate(zip(lines, widths)):
            x = left + self.halo + (w - 2 * self.halo - lw) / 2
            draw.text((round(x), top + self.halo + i * lh), text, font=font, fill=fill, anchor="la",
                      stroke_width=self.halo, stroke_fill=HALO_RGBA)


def render_label_tile(grids, settings, z: int, x: int, y: int, names: bool = True) -> bytes:
    """PNG of the label overlay of one tile: outlines, then the names placed for this zoom (transparent elsewhere).

    Raises
    ------
    ValueError
        For a tile address outside 0–9 or the zoom's grid.
    """
    labels_mod.check_tile(z, x, y)
    size = labels_mod.TILE * SS
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img, "RGBA")
    n = 1 << z
    lon0, lon1 = x / n * 360.0 - 180.0, (x + 1) / n * 360.0 - 180.0
    lat1 = float(np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * y / n)))))
    lat0 = float(np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * (y + 1) / n)))))
    pad = (lon1 - lon0) * 0.02
    width = SS if z >= 3 else 1
    for piece in Outlines(grids.pack, grids.big, grids._key, settings).for_zoom(z).within(
            lon0 - pad, lat0 - pad, lon1 + pad, lat1 + pad):
        px, py = labels_mod.world_px(piece[:, 0], piece[:, 1], z)
        draw.line(list(zip((px * SS - size * x).tolist(), (py * SS - size * y).tolist())), fill=OUTLINE_RGBA,
                  width=width, joint="curve" if width > 1 else None)
    if names:
        painter = _LabelPainter(grids)
        rows = labels_mod.PlaceLabels(grids.cache, grids._key, settings).tile(z, x, y, painter.measure,
                                                                              label_style())
        for r in rows.itertuples(index=False):
            if r.kind != "country":
                cx, cy = round((r.x + r.dx) * SS), round((r.y + r.dy) * SS)
                rad = labels_mod.DOT * SS
                draw.ellipse((cx - rad, cy - rad, cx + rad, cy + rad), fill=CITY_RGBA, outline=HALO_RGBA, width=SS)
            painter.draw(draw, r.kind, r.name, z, round((r.tx + r.dx) * SS), round((r.ty + r.dy) * SS))
    out = img.convert("RGBa").reduce(SS).convert("RGBA")
    buf = io.BytesIO()
    out.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


#: Zoom of the world picture of the Atlas (4 x 4 tiles: a 1,024 px world, about the 880 px of a desktop map).
WORLD_PICTURE_ZOOM = 2


def world_picture(grids, settings, layer: str, q: Query, sector: str = "all", names: bool = True,
                  center_lon: float = 0.0, z: int = WORLD_PICTURE_ZOOM, **params) -> str:
    """The whole Web-Mercator world of a layer with its label overlay, as the Atlas draws it at a world view, for the
    picture shown until the live map is ready (components/prerender.py): the same tiles, stitched at zoom ``z`` and
    turned so that ``center_lon`` is in the middle. A WebP ``data:`` URI (lossy, quality 80). ``params`` are the
    layer's own parameters (the footprint's ``consumer`` and ``variant``), as on its tiles.

    Raises
    ------
    ValueError
        A year the layer does not cover (no picture of another year under its name).
    """
    lay = layers.get(layer)
    lay.check_year(q.year)
    q, sector = lay.effective(q), (sector if lay.applies("sector") else "all")
    levels = grids.levels(layer, q, sector, **{k: v for k, v in params.items() if k in lay.params})
    cmap = COLORMAPS[lay.colormap]
    n, size = 1 << z, labels_mod.TILE
    world = Image.new("RGBA", (n * size, n * size), (255, 255, 255, 255))
    for x in range(n):
        for y in range(n):
            data = Image.open(io.BytesIO(render_png(sample_tile(levels, z, x, y), cmap))).convert("RGBA")
            world.alpha_composite(data, (x * size, y * size))
            over = Image.open(io.BytesIO(render_label_tile(grids, settings, z, x, y, names))).convert("RGBA")
            world.alpha_composite(over, (x * size, y * size))
    shift = round(n * size / 2 - (center_lon + 180.0) / 360.0 * n * size)  # center_lon to the middle
    rgb = np.roll(np.asarray(world.convert("RGB")), shift, axis=1)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="WEBP", quality=80, method=4)
    return "data:image/webp;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@bp.get("/tiles/labels/<int:z>/<int:x>/<int:y>.png")
def label_tile(z: int, x: int, y: int):
    grids = _grids()
    if grids is None:
        return bad_request("the processed data pack is not available", status=503, error="unavailable")
    extra = sorted(set(request.args) - set(LABEL_PARAMS))
    if extra:
        return bad_request(f"unknown parameter {extra[0]!r} of the label tiles", LABEL_PARAMS)
    names = request.args.get("names", "1")
    if names not in ("0", "1"):
        return bad_request(f"names must be 0 (outlines only) or 1 (outlines and place names); got {names[:20]!r}",
                           ["0", "1"])
    try:
        labels_mod.check_tile(z, x, y)
    except ValueError as exc:
        return error_response(exc)
    settings = current_app.config.get("HOLOCARBON_SETTINGS")
    canon = f"{grids.accounts.namespace}|labels|{label_style()}|{names}|{z}/{x}/{y}"
    etag = hashlib.sha1(canon.encode()).hexdigest()[:20]
    if request.if_none_match and etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{etag}"', "Cache-Control": "public, max-age=86400"})
    png = grids.cache.get("tile:" + etag)
    if png is None:
        try:
            png = render_label_tile(grids, settings, z, x, y, names == "1")
        except ValueError as exc:
            return error_response(exc)
        grids.cache.set("tile:" + etag, png)
    resp = Response(png, mimetype="image/png")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    resp.set_etag(etag)
    return resp


@bp.get("/tiles/labels/<z>/<x>/<y>.png")
def label_tile_not_a_number(z: str, x: str, y: str):
    """A label tile address that is not three whole numbers (e.g. ``-1``)."""
    return bad_request(f"z, x and y must be whole numbers 0 or more; got {z[:12]!r}/{x[:12]!r}/{y[:12]!r}",
                       status=400)


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
