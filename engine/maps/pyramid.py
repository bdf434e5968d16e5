"""Tile geometry and resolution pyramids of a 0.1° layer (numbers only; colouring and PNG encoding are
presentation, in ``components/render/tiles.py``).

Tiles are 256 × 256 px, XYZ scheme (z/x/y, y from the north), Web Mercator. A tile is sampled from the coarsest
pyramid level whose cells are at least as large as a tile pixel (block means), so no cell is skipped when zoomed out:
cities and plants stay visible at every zoom.
"""

from __future__ import annotations

import numpy as np

TILE = 256
MAX_ZOOM = 12
BASE_RES = 0.1
#: Pyramid block factors: 0.1°, 0.2°, 0.4°, 0.8° and 1.5° (1800 and 3600 divide by each).
FACTORS = (1, 2, 4, 8, 15)


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
