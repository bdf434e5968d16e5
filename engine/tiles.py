"""Map tiles: one colormap registry, a per-layer resolution pyramid, and Web-Mercator PNG tiles.

A layer (0.1°, t cell⁻¹ yr⁻¹) is coloured on a log scale (emissions, sinks) or a symmetric log scale with a
diverging palette (land-use change, net flux). Cells with no value are transparent, so the basemap and country
outlines show through. Tiles are 256 × 256 px, XYZ scheme (z/x/y, y from the north), sampled from the coarsest
pyramid level whose cells are at least as large as a tile pixel (block means), so no cell is skipped when zoomed
out: cities and plants stay visible at every zoom.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, PngImagePlugin  # noqa: F401  (loaded once per process, not on the first tile)

TILE = 256
MAX_ZOOM = 12
BASE_RES = 0.1
#: Pyramid block factors: 0.1°, 0.2°, 0.4°, 0.8° and 1.5° (1800 and 3600 divide by each).
FACTORS = (1, 2, 4, 8, 15)


@dataclass(frozen=True)
class Colormap:
    """A colour scale: stops (low -> high), scale kind, range and the legend's unit label."""

    name: str
    stops: tuple[str, ...]
    scale: str  # "log" | "symlog"
    vmin: float  # log: lowest coloured value; symlog: linear threshold
    vmax: float
    units: str
    label: str

    def lut(self) -> np.ndarray:
        """256 × RGBA lookup table; entry 0 is transparent."""
        rgb = np.array([[int(h[i:i + 2], 16) for i in (1, 3, 5)] for h in self.stops], dtype=float)
        pos = np.linspace(0, 1, len(rgb))
        t = np.linspace(0, 1, 255)
        lut = np.zeros((256, 4), dtype=np.uint8)
        for c in range(3):
            lut[1:, c] = np.round(np.interp(t, pos, rgb[:, c]))
        lut[1:, 3] = 225
        return lut

    def index(self, v: np.ndarray) -> np.ndarray:
        """LUT index of each value (0 = transparent: no value, zero, or below a log scale's floor)."""
        v = np.asarray(v, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.scale == "log":
                lo, hi = math.log10(self.vmin), math.log10(self.vmax)
                t = (np.log10(np.where(v > 0, v, np.nan)) - lo) / (hi - lo)
                idx = 1 + np.round(np.clip(t, 0, 1) * 254)
                return np.where(np.isfinite(t) & (t >= 0), idx, 0).astype(np.uint8)  # below the floor: transparent
            norm = math.log10(1 + self.vmax / self.vmin)
            s = np.sign(v) * np.log10(1 + np.abs(v) / self.vmin) / norm
            idx = 1 + np.round((np.clip(s, -1, 1) + 1) / 2 * 254)
            return np.where(np.isfinite(v) & (np.abs(v) > 1e-9), idx, 0).astype(np.uint8)

    def ticks(self) -> list[tuple[float, str]]:
        """Legend ticks as (position 0..1, label)."""
        if self.scale == "log":
            lo, hi = int(math.log10(self.vmin)), int(math.log10(self.vmax))
            return [((e - lo) / (hi - lo), _fmt(10.0 ** e)) for e in range(lo, hi + 1)]
        norm = math.log10(1 + self.vmax / self.vmin)
        vals = [-self.vmax, -self.vmax / 1000, 0.0, self.vmax / 1000, self.vmax]
        return [((np.sign(v) * math.log10(1 + abs(v) / self.vmin) / norm + 1) / 2, _fmt(v)) for v in vals]

    def css_gradient(self) -> str:
        return "linear-gradient(to right, " + ", ".join(self.stops) + ")"


def _fmt(v: float) -> str:
    a = abs(v)
    s = "−" if v < 0 else ""
    if a >= 1e6:
        return f"{s}{a / 1e6:g} Mt"
    if a >= 1e3:
        return f"{s}{a / 1e3:g} kt"
    return f"{s}{a:g} t"


_EMIT = ("#fff7bc", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#993404", "#4d1a02", "#1a0a00")
_BLUE = ("#eff6fb", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
_GREEN = ("#f0f9e8", "#ccebc5", "#a8ddb5", "#7bccc4", "#43a2ca", "#0868ac")
_DIVERGE = ("#08306b", "#2171b5", "#6baed6", "#c6dbef", "#f7f7f7", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
_LUC = ("#00441b", "#238b45", "#74c476", "#c7e9c0", "#f7f7f7", "#dfc27d", "#bf812d", "#8c510a", "#543005")

#: The one colormap registry (layer -> colormap).
COLORMAPS: dict[str, Colormap] = {
    "emissions": Colormap("emissions", _EMIT, "log", 100.0, 1e7, "t CO2e per 0.1° cell per year", "Emissions"),
    "cdiac": Colormap("cdiac", _EMIT, "log", 100.0, 1e7, "t CO2 per 0.1° cell per year", "Fossil CO2 (CDIAC)"),
    "ocean_sink": Colormap("ocean_sink", tuple(reversed(_DIVERGE)), "symlog", 100.0, 1e5,
                           "t CO2 per 0.1° cell per year (blue = uptake, red = outgassing)", "Ocean uptake"),
    "land_sink": Colormap("land_sink", _GREEN, "log", 1e3, 1e5, "t CO2 taken up per 0.1° cell per year",
                          "Land uptake"),
    "luc": Colormap("luc", _LUC, "symlog", 10.0, 1e6, "t CO2 per 0.1° cell per year (green = net removal)",
                    "Land-use change"),
    "net_flux": Colormap("net_flux", _DIVERGE, "symlog", 10.0, 1e7,
                         "t CO2e per 0.1° cell per year (blue = net uptake, red = net emission)", "Net flux"),
}


def _halve(g: np.ndarray) -> np.ndarray:
    return (g[0::2, 0::2] + g[1::2, 0::2] + g[0::2, 1::2] + g[1::2, 1::2]) * np.float32(0.25)


def pyramid(grid: np.ndarray, factors: tuple[int, ...] = FACTORS) -> list[np.ndarray]:
    """One level per block factor: block means of the grid (float32); level 0 is the grid itself.

    Power-of-two levels are built from the previous level (strided sums, fast); other factors from level 0.
    """
    g0 = np.asarray(grid, dtype=np.float32)
    h, w = g0.shape
    out: list[np.ndarray] = []
    by_factor: dict[int, np.ndarray] = {1: g0}
    for f in factors:
        if f not in by_factor:
            if f % 2 == 0 and f // 2 in by_factor:
                by_factor[f] = _halve(by_factor[f // 2])
            else:
                cols = g0.reshape(h, w // f, f).sum(axis=2)
                by_factor[f] = cols.reshape(h // f, f, w // f).sum(axis=1) * np.float32(1.0 / (f * f))
        out.append(by_factor[f])
    return out


def check_tile(z: int, x: int, y: int) -> None:
    """Raise ValueError for an out-of-range tile address."""
    if not 0 <= z <= MAX_ZOOM:
        raise ValueError(f"zoom must be in 0–{MAX_ZOOM}; got {z}")
    n = 1 << z
    if not (0 <= x < n and 0 <= y < n):
        raise ValueError(f"at zoom {z}, x and y must be in 0–{n - 1}; got x={x}, y={y}")


def tile_lonlat(z: int, x: int, y: int, size: int = TILE) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes (size,) and latitudes (size,) of the pixel centres of an XYZ tile [degrees]."""
    n = 1 << z
    f = (np.arange(size) + 0.5) / size
    lon = (x + f) / n * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * (y + f) / n))))
    return lon, lat


def sample_tile(levels: list[np.ndarray], z: int, x: int, y: int, size: int = TILE) -> np.ndarray:
    """Layer values at the tile's pixel centres (size × size), from the right pyramid level."""
    check_tile(z, x, y)
    pix_deg = 360.0 / (size * (1 << z))
    res_of = [180.0 / lv.shape[0] for lv in levels]
    k = next((i for i, r in enumerate(res_of) if r >= pix_deg - 1e-12), len(levels) - 1)
    g = levels[k]
    res = res_of[k]
    lon, lat = tile_lonlat(z, x, y, size)
    rows = np.clip(((90.0 - lat) / res).astype(np.int64), 0, g.shape[0] - 1)
    cols = np.clip(((lon + 180.0) / res).astype(np.int64), 0, g.shape[1] - 1)
    return g[rows[:, None], cols[None, :]]


def render_png(values: np.ndarray, cmap: Colormap) -> bytes:
    """PNG bytes of a value block coloured with a colormap: a palette PNG whose index 0 is transparent."""
    lut = _lut(cmap)
    img = Image.fromarray(cmap.index(values), "P")
    img.putpalette(lut[:, :3].ravel().tobytes())
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1, transparency=lut[:, 3].tobytes())
    return buf.getvalue()


def _lut(cmap: Colormap) -> np.ndarray:
    return _LUTS[cmap.name] if cmap.name in _LUTS and cmap is COLORMAPS.get(cmap.name) else cmap.lut()


#: Lookup tables of the registry's colormaps, computed once at import (immutable after).
_LUTS = {name: cm.lut() for name, cm in COLORMAPS.items()}
