"""Zonal statistics and grid subsets: a region's total, mean and largest cells for a layer, and bounding-box cuts.

A *zone* is a set of 0.1° cells: a country (its cells in the country raster; ISO3 codes, with the entity mapping
of :mod:`engine.maps.grid` — Serbia, Montenegro and Kosovo are EDGAR's ``SCG``), a named group (``EU27``, ``G7``,
``G20``, ``BRICS``, ``OECD``: the union of its members' cells), a continent name, or a bounding box
``(west, south, east, north)`` in degrees (cell centres inside the box), or a region intersected with a box.

Cells sum exactly: the emissions total of a country equals its downscaled national total (mass conservation of
:func:`engine.maps.grid.downscale_arrays`), which equals its EDGAR total unless part of it had no cell (``unplaced``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from engine.accounts import regions as regions_mod
from engine.core.query import Query, closest
from engine.maps import layers as layers_mod
from engine.maps.grid import LAT, LON, NLON, RES, cell_areas_km2

#: Largest number of top cells a zonal request may ask for.
MAX_TOP = 100
#: Largest bounding box of a grid subset [degrees of longitude, degrees of latitude] (1.6 million cells, ~6 MB).
MAX_SUBSET_SPAN = (180.0, 90.0)


@dataclass(frozen=True)
class BBox:
    """A longitude/latitude box in degrees (no antimeridian crossing: ``west < east``).

    Raises
    ------
    ValueError
        For values out of range or an empty box.
    """

    west: float
    south: float
    east: float
    north: float

    def __post_init__(self):
        vals = (self.west, self.south, self.east, self.north)
        if not all(np.isfinite(v) for v in vals):
            raise ValueError("bbox values must be finite numbers (west,south,east,north in degrees)")
        if not (-180 <= self.west < self.east <= 180):
            raise ValueError(f"bbox longitudes must satisfy -180 <= west < east <= 180; got west={self.west}, "
                             f"east={self.east}")
        if not (-90 <= self.south < self.north <= 90):
            raise ValueError(f"bbox latitudes must satisfy -90 <= south < north <= 90; got south={self.south}, "
                             f"north={self.north}")

    @classmethod
    def parse(cls, text: str) -> "BBox":
        """From ``"west,south,east,north"``."""
        parts = str(text).split(",")
        if len(parts) != 4:
            raise ValueError(f"bbox must be four numbers west,south,east,north (degrees); got {str(text)[:80]!r}")
        try:
            return cls(*(float(p) for p in parts))
        except ValueError as exc:
            if "bbox" in str(exc):
                raise
            raise ValueError(f"bbox must be four numbers west,south,east,north (degrees); got {str(text)[:80]!r}") \
                from None

    def rows_cols(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column indices of the cells whose centres are inside the box."""
        rows = np.flatnonzero((LAT >= self.south) & (LAT <= self.north))
        cols = np.flatnonzero((LON >= self.west) & (LON <= self.east))
        return rows, cols

    def as_list(self) -> list[float]:
        return [self.west, self.south, self.east, self.north]


def zone_names(grids) -> dict[str, str]:
    """Every region code a zone may name -> its display name (countries with cells, groups, continents)."""
    ctx = grids.context()
    names = grids.accounts.names()
    out = {str(c): names.get(str(c), str(c)) for c in ctx.codes}
    out.update({g: regions_mod.GROUP_NAMES[g] for g in regions_mod.NAMED_GROUPS})
    out.update({c: c for c in sorted(set(regions_mod.continents().values()))})
    return out


def zone_cells(grids, region: str | None = None, bbox: BBox | None = None) -> np.ndarray:
    """Sorted flat indices of the cells of a zone.

    Raises
    ------
    ValueError
        Neither region nor bbox given, or an unknown region (names the closest codes).
    """
    if region is None and bbox is None:
        raise ValueError("give a region (ISO3 code, group or continent) or a bbox (west,south,east,north)")
    cells = None
    if region is not None:
        ctx = grids.context()
        emap = grids.accounts.entity_map()
        pos = ctx.entity_index()
        continent_of = regions_mod.continents()
        if region in regions_mod.NAMED_GROUPS:
            members = regions_mod.group_members()[region]
        elif region in set(continent_of.values()):
            members = tuple(c for c, k in continent_of.items() if k == region)
        else:
            code = str(region).upper()
            code = emap.get(code, code)
            if code not in pos:
                hint = closest(region, zone_names(grids))
                raise ValueError(f"unknown region {str(region)[:40]!r} (countries as ISO3 codes, groups "
                                 f"{', '.join(regions_mod.NAMED_GROUPS)} or continents)"
                                 + (f"; did you mean {', '.join(hint)}?" if hint else ""))
            members = (code,)
        ids = sorted({pos[emap.get(m, m)] for m in members if emap.get(m, m) in pos})
        cells = ctx.cells[np.isin(ctx.ent, ids)]
    if bbox is not None:
        rows, cols = bbox.rows_cols()
        box = (rows[:, None] * NLON + cols[None, :]).ravel()
        cells = box if cells is None else np.intersect1d(cells, box, assume_unique=True)
    return np.sort(cells)


def zonal_stats(grids, layer: str, q: Query, region: str | None = None, bbox: BBox | None = None,
                sector: str = "all", top: int = 10, unit: str = "co2e") -> dict:
    """Total, mean and largest cells of a layer over a zone.

    Returns
    -------
    dict
        ``layer, units, region, bbox, n_cells, area_km2, total`` [the layer's unit summed, t yr⁻¹],
        ``mean_per_cell`` [t cell⁻¹ yr⁻¹], ``mean_per_km2`` [t km⁻² yr⁻¹], ``top`` (list of ``lat, lon, value,
        country`` for the ``top`` cells largest in magnitude), ``long_name`` and ``method`` of the layer,
        ``additive``. For a layer whose cells do not add up (:attr:`engine.maps.layers.Layer.additive` false: the
        relative uncertainty [%]) ``total`` and ``mean_per_km2`` are None, ``mean_per_cell`` is the mean over the
        cells with a value, and ``median``, ``n_cells_with_value`` and ``note`` say so.

    Raises
    ------
    ValueError
        Bad zone, ``top`` outside 0–:data:`MAX_TOP`, or a year outside the layer's coverage.
    """
    if not 0 <= int(top) <= MAX_TOP:
        raise ValueError(f"top must be between 0 and {MAX_TOP}; got {top}")
    cells = zone_cells(grids, region, bbox)
    grid = grids.layer(layer, q, sector, unit)
    flat = grid.values.ravel()
    vals = np.nan_to_num(flat[cells].astype(np.float64))
    areas = cell_areas_km2()[cells // NLON]
    area = float(areas.sum())
    n = int(cells.size)
    additive = layers_mod.get(layer).additive
    if additive:
        total = float(vals.sum())
        mean_cell, mean_km2, extra = (total / n if n else None), (total / area if area else None), {}
    else:  # a relative uncertainty [%] does not add up: the zone's cells with a value, their mean and median
        has = vals[vals > 0]
        total, mean_km2 = None, None
        mean_cell = float(has.mean()) if has.size else None
        extra = {"n_cells_with_value": int(has.size), "median": float(np.median(has)) if has.size else None,
                 "note": "this layer's cells do not add up: no total; mean and median over the zone's cells that "
                         "have a value (cells without emissions have none)"}
    k = min(int(top), n)
    tops = []
    if k:
        idx = np.argpartition(-np.abs(vals), k - 1)[:k]
        idx = idx[np.argsort(-np.abs(vals[idx]), kind="stable")]
        ctx = grids.context()
        names = grids.accounts.names()
        for i in idx:
            c = int(cells[i])
            j = np.searchsorted(ctx.cells, c)
            code = str(ctx.codes[ctx.ent[j]]) if j < ctx.cells.size and ctx.cells[j] == c else None
            tops.append({"lat": round(float(LAT[c // NLON]), 2), "lon": round(float(LON[c % NLON]), 2),
                         "value": float(vals[i]), "country": code,
                         "country_name": names.get(code, code) if code else None})
    return {"layer": layer, "units": grid.attrs.get("units", ""), "long_name": grid.attrs.get("long_name", layer),
            "method": grid.attrs.get("method", ""), "region": region, "bbox": bbox.as_list() if bbox else None,
            "sector": sector if layer == "emissions" else None, "n_cells": n, "area_km2": area, "total": total,
            "mean_per_cell": mean_cell, "mean_per_km2": mean_km2, "top": tops, "additive": additive, **extra}


def subset(grids, layer: str, q: Query, bbox: BBox, sector: str = "all", unit: str = "co2e") -> xr.DataArray:
    """A layer cut to a bounding box (cell centres inside it), with the layer's attributes and the box.

    Raises
    ------
    ValueError
        A box larger than :data:`MAX_SUBSET_SPAN` or containing no cell centre.
    """
    if bbox.east - bbox.west > MAX_SUBSET_SPAN[0] or bbox.north - bbox.south > MAX_SUBSET_SPAN[1]:
        raise ValueError(f"bbox may span at most {MAX_SUBSET_SPAN[0]:g}° of longitude and {MAX_SUBSET_SPAN[1]:g}° "
                         f"of latitude; for the whole grid use `python -m engine grid --out file.nc`")
    grid = grids.layer(layer, q, sector, unit)
    out = cut(grid, bbox).copy()
    out.attrs = dict(grid.attrs, bbox=",".join(f"{v:g}" for v in bbox.as_list()))
    return out


def cut(da: xr.DataArray, bbox: BBox) -> xr.DataArray:
    """The cells of a (lat descending, lon ascending) layer whose centres are inside the box (a view).

    Raises
    ------
    ValueError
        When the box contains no cell centre.
    """
    out = da.sel(lat=slice(bbox.north, bbox.south), lon=slice(bbox.west, bbox.east))
    if out.size == 0:
        raise ValueError(f"bbox contains no 0.1° cell centre (cells are centred on odd multiples of {RES / 2:g}°)")
    return out


__all__ = ["BBox", "MAX_SUBSET_SPAN", "MAX_TOP", "cut", "subset", "zonal_stats", "zone_cells", "zone_names"]
