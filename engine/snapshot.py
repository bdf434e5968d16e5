"""Map snapshots of a layer for reports: a PNG/PDF picture with outlines, legend, title and sources, and the grid
of the same window as CF NetCDF or GeoTIFF.

The picture is drawn on the server from the 0.1° layer itself (plate carrée, one pixel per 0.1° cell or finer),
coloured with the same registry as the tiles (:mod:`engine.tiles`), so what is exported is the data, not a
screenshot. GeoTIFF is written with tifffile and the standard GeoTIFF tags (EPSG:4326, pixel-is-area).
"""

from __future__ import annotations

import io
import math

import numpy as np
import xarray as xr
from PIL import Image, ImageDraw, ImageFont

from engine.tiles import COLORMAPS, _lut
from engine.zonal import BBox, cut

RES = 0.1


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


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees (:meth:`engine.zonal.BBox.parse`).

    Raises
    ------
    ValueError
        Malformed, out of range or empty.
    """
    return tuple(BBox.parse(text).as_list())


def window(da: xr.DataArray, bbox: tuple[float, float, float, float]) -> xr.DataArray:
    """The cells of a (lat desc, lon asc) layer whose centres fall inside the bbox (:func:`engine.zonal.cut`)."""
    return cut(da, BBox(*bbox))


def _font(size: int):
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def render_picture(da: xr.DataArray, layer: str, title: str, subtitle: str, sources: list[str],
                   outlines=None, max_px: int = 1600) -> Image.Image:
    """The window as an RGB picture with outlines, a legend with units, title, subtitle and sources.

    Parameters
    ----------
    outlines : GeoDataFrame, optional
        Country polygons (EPSG:4326) drawn as thin grey lines.
    """
    cmap = COLORMAPS[layer]
    vals = np.asarray(da.values, dtype=np.float64)
    h, w = vals.shape
    scale = max(1, int(max_px / max(w, 1)))
    rgba = _lut(cmap)[cmap.index(vals)]
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
    lut = _lut(cmap)
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


def geotiff_bytes(da: xr.DataArray) -> bytes:
    """Float32 GeoTIFF of the window (EPSG:4326, pixel-is-area), the layer's units in the image description."""
    import tifffile

    lon0 = float(da["lon"].values[0]) - RES / 2
    lat0 = float(da["lat"].values[0]) + RES / 2
    geokeys = (1, 1, 0, 3,  # version, revision, minor, number of keys
               1024, 0, 1, 2,  # GTModelTypeGeoKey = geographic
               1025, 0, 1, 1,  # GTRasterTypeGeoKey = pixel is area
               2048, 0, 1, 4326)  # GeographicTypeGeoKey = WGS 84
    buf = io.BytesIO()
    tifffile.imwrite(buf, np.asarray(da.values, dtype=np.float32), compression="zlib",
                     description=f"{da.attrs.get('long_name', da.name)} [{da.attrs.get('units', '')}]",
                     extratags=[(33550, "d", 3, (RES, RES, 0.0), False),
                                (33922, "d", 6, (0.0, 0.0, 0.0, lon0, lat0, 0.0), False),
                                (34735, "H", len(geokeys), geokeys, False)])
    return buf.getvalue()
