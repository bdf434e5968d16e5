"""Map snapshots of a layer for reports: a PNG/PDF picture with outlines, legend, title and sources (the grid of the
same window as data is :mod:`engine.maps.files`).

The picture is drawn on the server from the 0.1° layer itself (plate carrée, one pixel per 0.1° cell or finer),
coloured with the same registry as the tiles (:mod:`components.render.colormaps`), so what is exported is the data,
not a screenshot.
"""

from __future__ import annotations

import io
import math

import numpy as np
import xarray as xr
from PIL import Image, ImageDraw, ImageFont

from components.render.colormaps import COLORMAPS
from components.render.tiles import lut_of
from engine.maps.grid import RES


def bbox_from_view(lat: float, lon: float, zoom: float, width_px: int = 900, height_px: int = 620
                   ) -> tuple[float, float, float, float]:
    """(west, south, east, north) seen by a Web-Mercator map of that size at that centre and zoom [degrees]."""
    span_lon = min(360.0, width_px / 256.0 * 360.0 / (2 ** zoom))
    span_lat = min(170.0, span_lon * height_px / width_px * max(math.cos(math.radians(lat)), 0.2))
    west, east = lon - span_lon / 2, lon + span_lon / 2
    if span_lon >= 360:
        west, east = -180.0, 180.0
    south, north = max(-90.0, lat - span_lat / 2), min(90.0, lat + span_lat / 2)
    return max(-180.0, west), south, min(180.0, east), north


def _font(size: int):
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def render_picture(da: xr.DataArray, colormap, title: str, subtitle: str, sources: list[str],
                   outlines=None, max_px: int = 1600) -> Image.Image:
    """The window as an RGB picture with outlines, a legend with units, title, subtitle and sources.

    Parameters
    ----------
    colormap : str or Colormap
        A colour-map id of the registry, or a colour map (e.g. :meth:`Colormap.for_mass`).
    outlines : GeoDataFrame, optional
        Country polygons (EPSG:4326) drawn as thin grey lines.
    """
    cmap = COLORMAPS[colormap] if isinstance(colormap, str) else colormap
    vals = np.asarray(da.values, dtype=np.float64)
    h, w = vals.shape
    scale = max(1, int(max_px / max(w, 1)))
    rgba = lut_of(cmap)[cmap.index(vals)]
    img = Image.fromarray(rgba, "RGBA").resize((w * scale, h * scale), Image.NEAREST)
    map_img = Image.new("RGB", img.size, (255, 255, 255))
    map_img.paste(img, mask=img.split()[3])
    lon0, lat0 = float(da["lon"].values[0]) - RES / 2, float(da["lat"].values[0]) + RES / 2
    px = scale / RES
    if outlines is not None:
        draw = ImageDraw.Draw(map_img)
        w_, s_, e_, n_ = lon0, lat0 - h * RES, lon0 + w * RES, lat0
        for geom in outlines.geometry.cx[w_:e_, s_:n_]:
            polys = getattr(geom, "geoms", [geom])
            for poly in polys:
                xs, ys = poly.exterior.coords.xy
                pts = [((x - lon0) * px, (lat0 - y) * px) for x, y in zip(xs, ys)]
                draw.line(pts, fill=(110, 119, 133), width=1)
    W = map_img.width + 80
    head, foot = 110, 150 + 18 * len(sources)
    canvas = Image.new("RGB", (W, map_img.height + head + foot), (255, 255, 255))
    canvas.paste(map_img, (40, head))
    d = ImageDraw.Draw(canvas)
    d.text((40, 22), title, fill=(31, 41, 51), font=_font(30))
    d.text((40, 66), subtitle, fill=(95, 107, 122), font=_font(18))
    y = head + map_img.height + 20
    bar_w = min(600, W - 80)
    grad = np.linspace(0, 1, bar_w)
    lut = lut_of(cmap)
    bar = lut[np.clip((1 + grad * 254).astype(int), 1, 255)][:, :3]
    canvas.paste(Image.fromarray(np.repeat(bar[None, :, :], 18, axis=0).astype(np.uint8), "RGB"), (40, y))
    for pos, label in cmap.ticks():
        d.text((40 + pos * bar_w - 12, y + 22), label, fill=(95, 107, 122), font=_font(14))
    d.text((40, y + 44), cmap.units, fill=(31, 41, 51), font=_font(15))
    for i, src in enumerate(sources):
        d.text((40, y + 76 + 18 * i), src, fill=(95, 107, 122), font=_font(13))
    d.text((40, y + 80 + 18 * len(sources)), "Made with Holocarbon — open greenhouse-gas accounting from public data",
           fill=(95, 107, 122), font=_font(13))
    return canvas


def picture_bytes(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "pdf":
        img.save(buf, format="PDF", resolution=150)
    else:
        img.save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()
