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


def tick_text(v: float, unit: str = "t") -> str:
    """A legend tick by magnitude with its unit: ``"100 t"``, ``"−10 kt"``, ``"1 Mt"``, ``"2.5 Gt"``, ``"0"``; with
    ``unit="%"`` a percentage (``"100 %"``)."""
    if v == 0:
        return "0"
    a, sign = abs(v), ("−" if v < 0 else "")
    if unit == "%":
        return f"{sign}{a:g} %"
    for div, unit in ((1e9, "Gt"), (1e6, "Mt"), (1e3, "kt")):
        if a >= div:
            return f"{sign}{a / div:g} {unit}"
    return f"{sign}{a:g} t"


def legend_ticks(cmap, factor: float = 1.0, bar_px: float = 240.0, char_px: float = 6.6, gap_px: float = 10.0
                 ) -> list[tuple[float, str]]:
    """Ticks of a colour bar that never overlap: (position 0..1 along the bar, label) in the order of the bar.

    Candidates are the powers of ten inside the colour map's range (and zero on a diverging scale), placed where the
    colour map puts them. The ends are always labelled; between them every decade, else every second one, and so
    on (from zero outwards on a diverging scale, the same on both sides), the first spacing at which every label
    (``char_px`` per character) stays ``gap_px`` clear of its neighbours (labels at the bar's ends are aligned with
    them). ``factor`` multiplies the values written (e.g. 100 for a 1° source shown as 0.1° cells: the legend then
    speaks per 1° cell).
    """
    lo, hi = math.ceil(math.log10(cmap.vmin) - 1e-9), math.floor(math.log10(cmap.vmax) + 1e-9)
    if cmap.scale == "log":
        values = [10.0 ** e for e in range(lo, hi + 1)]
    else:
        pos_side = [10.0 ** e for e in range(lo, hi + 1)]
        values = [-v for v in reversed(pos_side)] + [0.0] + pos_side
    idx = cmap.index(np.array([v if v else np.nan for v in values]))
    pos = [0.5 if v == 0 else (int(i) - 1) / 254 for v, i in zip(values, idx)]
    labels = [tick_text(v * factor, cmap.tick_unit) for v in values]
    width = [len(t) * char_px for t in labels]

    def span(k):  # a label is centred on its tick, except at the bar's ends where it starts or ends there
        c = pos[k] * bar_px
        if pos[k] < 0.05:
            return c, c + width[k]
        if pos[k] > 0.95:
            return c - width[k], c
        return c - width[k] / 2, c + width[k] / 2

    def fits(ks) -> bool:
        spans = sorted(span(k) for k in ks)
        return all(a[1] + gap_px <= b[0] for a, b in zip(spans, spans[1:]))

    n = len(values)
    kept = [0, n - 1]
    for step in range(1, n):  # every decade, else every second one, ...: even spacing, ends always labelled
        if cmap.scale == "log":
            inner = list(range(0, n - 1, step))
        else:  # from zero outwards, the same on both sides
            c = values.index(0.0)
            inner = sorted({c} | {c + d for j in range(step, c + 1, step) for d in (j, -j)} - {0, n - 1})
        cand = sorted(set(inner) | {0, n - 1})
        if fits(cand):
            kept = cand
            break
        trimmed = [k for k in cand if k in (0, n - 1) or abs(pos[k] - 0.5) < 0.5 - 1e-9 and
                   not any(abs(k - e) < step for e in (0, n - 1))]
        if cmap.scale != "log" and fits(trimmed) and len(trimmed) > len(kept):
            kept = trimmed
            break
        if cmap.scale == "log" and fits(cand[:-2] + [n - 1]) and len(cand) > 3:
            kept = cand[:-2] + [n - 1]
            break
    return [(pos[k], labels[k]) for k in sorted(kept)]


def units_text(cmap, layer) -> str:
    """The unit line of a layer's legend: per the layer's own cell (``t CO2 per 1° cell per year`` for CDIAC), and
    the colour map's note on the colours (``blue = uptake, …``)."""
    if getattr(layer, "value_units", ""):
        return cmap.units
    note = cmap.units.split(" (", 1)[1].rstrip(")") if " (" in cmap.units else ""
    basis = cmap.units.split(" per ", 1)[0]
    taken = " taken up" if " taken up " in cmap.units else ""
    unit = basis.replace(" taken up", "") + taken + f" per {layer.cell_text} per year"
    return unit + (f" ({note})" if note else "")


def no_data_text(cmap, layer, factor: float = 1.0) -> str:
    """What a transparent cell means on a layer's map (the legend's "no colour" swatch)."""
    if cmap.scale == "log":
        what = f"no data, zero or below {tick_text(cmap.vmin * factor, cmap.tick_unit)}"
    else:
        what = "no data or zero"
    where = {"land": "; seas and oceans are not part of this layer",
             "ocean": "; land is not part of this layer; seas the climatology does not cover (Mediterranean, Baltic, "
                      "Black Sea, Arctic, …) are no data, not zero flux"}.get(layer.domain, "")
    return f"No colour: {what}{where}"


def bbox_from_view(lat: float, lon: float, zoom: float, width_px: int = 900, height_px: int = 620
                   ) -> tuple[float, float, float, float]:
    """(west, south, east, north) seen by a Web-Mercator map of that size at that centre and zoom [degrees].

    The zoom is the Atlas map's (MapLibre: the world is 512 px wide at zoom 0), as in its ``view=lat,lon,zoom``.
    """
    span_lon = min(360.0, width_px / 512.0 * 360.0 / (2 ** zoom))
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
                   outlines=None, max_px: int = 1600, layer=None) -> Image.Image:
    """The window as an RGB picture with outlines, a legend with units, title, subtitle and sources.

    Parameters
    ----------
    colormap : str or Colormap
        A colour-map id of the registry, or a colour map (e.g. :meth:`Colormap.for_mass`).
    outlines : GeoDataFrame, optional
        Country polygons (EPSG:4326) drawn as thin grey lines.
    layer : engine.maps.layers.Layer, optional
        The layer drawn: its legend then speaks per the layer's own cell (1° for CDIAC) and says what a cell with no
        colour means.
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
    factor = layer.cell_factor if layer is not None else 1.0
    tick_font = _font(14)
    for pos, label in legend_ticks(cmap, factor, bar_px=bar_w, char_px=8.5):
        tw = d.textlength(label, font=tick_font)
        x0 = pos * bar_w if pos < 0.05 else pos * bar_w - tw if pos > 0.95 else pos * bar_w - tw / 2
        d.text((40 + x0, y + 22), label, fill=(95, 107, 122),
               font=tick_font)
    units = units_text(cmap, layer) if layer is not None else cmap.units
    d.text((40, y + 44), units, fill=(31, 41, 51), font=_font(15))
    if layer is not None:
        sw = (40 + bar_w + 24, y)
        d.rectangle((sw[0], sw[1], sw[0] + 18, sw[1] + 18), fill=(255, 255, 255), outline=(150, 158, 170))
        d.text((sw[0] + 26, sw[1] + 1), no_data_text(cmap, layer, factor), fill=(95, 107, 122), font=_font(14))
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
