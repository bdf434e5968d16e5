"""Natural Earth 5.1.1 admin-0 countries (1:50m and 1:110m), and a 0.1 degree country raster.

The official zips are read straight from the archive with pyogrio. Country codes: ``ISO_A3_EH`` (ISO 3166
alpha-3 with Natural Earth's fixes, e.g. NOR and FRA, whose ``ISO_A3`` is "-99"), falling back to ``ADM0_A3``
where ``ISO_A3_EH`` is "-99". At 1:50m that fallback concerns Somaliland (SOL), Kosovo (KOS -> ``XKX``, the code
used across Holocarbon, see :mod:`engine.sources._iso`), Northern Cyprus (CYN) and Siachen Glacier (KAS); the
last three-letter codes are Natural Earth's, not ISO. ``iso3_source`` says which field gave the code.

Duplicates: at 1:50m "Indian Ocean Ter." (IOA) and "Ashmore and Cartier Is." (ATC) carry ``ISO_A3_EH`` AUS
beside Australia itself, so ``iso3`` AUS appears on 3 features (``adm0_a3`` stays unique). France's overseas
departments (French Guiana, Réunion, ...) are part of the FRA feature. :func:`rasterize_countries` merges
features that share an ``iso3`` into one index.

Citation: Natural Earth, free vector and raster map data, naturalearthdata.com (public domain).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve
from engine.maps.gridmath import grid_centres

SOURCE_ID = "natural_earth"
FILE_50M = "ne_50m_admin_0_countries.zip"
FILE_110M = "ne_110m_admin_0_countries.zip"

#: Shapefile fields read -> output columns.
FIELDS = {"ISO_A3_EH": "iso3_eh", "ADM0_A3": "adm0_a3", "NAME": "name", "CONTINENT": "continent",
          "REGION_WB": "region_wb", "SUBREGION": "subregion", "POP_EST": "pop_est", "GDP_MD": "gdp_md",
          "TYPE": "type"}

#: Natural Earth codes replaced by the project's codes.
CODE_OVERRIDES = {"KOS": "XKX"}

#: Raster value of cells that belong to no country.
NO_COUNTRY = 0


def parse_countries(path):
    """Parse a Natural Earth admin-0 countries shapefile zip.

    Parameters
    ----------
    path : str or Path
        ``ne_<scale>_admin_0_countries.zip`` (the shapefile is read from inside the zip).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature, EPSG:4326, columns ``iso3`` (see module docstring), ``iso3_source``
        (``"ISO_A3_EH"`` or ``"ADM0_A3"``), ``adm0_a3``, ``name``, ``type``, ``continent``, ``region_wb``,
        ``subregion``, ``pop_est`` [persons], ``gdp_md`` [million USD, current], ``geometry``.

    Raises
    ------
    SourceFormatError
        If the zip holds no readable layer or lacks one of the expected fields.
    """
    import geopandas as gpd

    path = Path(path)
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError / DataLayerError and others
        raise SourceFormatError(f"{path.name}: expected a zipped admin-0 shapefile, cannot read it ({exc})",
                                SOURCE_ID, path.name) from exc
    missing = [f for f in FIELDS if f not in gdf.columns]
    if missing:
        raise SourceFormatError(f"{path.name}: expected admin-0 fields {missing} (Natural Earth 5.x attributes)",
                                SOURCE_ID, path.name)
    out = gdf[list(FIELDS) + ["geometry"]].rename(columns=FIELDS)
    eh = out["iso3_eh"].astype(str).str.strip()
    use_adm = eh.isin(["-99", "", "None", "nan"])
    out["iso3"] = eh.where(~use_adm, out["adm0_a3"]).replace(CODE_OVERRIDES)
    out["iso3_source"] = np.where(use_adm, "ADM0_A3", "ISO_A3_EH")
    out = out.drop(columns="iso3_eh")
    out["pop_est"] = out["pop_est"].astype(float)
    out["gdp_md"] = out["gdp_md"].astype(float)
    if out.crs is None:
        out = out.set_crs("EPSG:4326")
    elif out.crs.to_epsg() != 4326:
        out = out.to_crs("EPSG:4326")
    cols = ["iso3", "iso3_source", "adm0_a3", "name", "type", "continent", "region_wb", "subregion", "pop_est",
            "gdp_md", "geometry"]
    out = out[cols].reset_index(drop=True)
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {"pop_est": "persons", "gdp_md": "million USD (current)"}
    return out


def read_countries(scale: str = "50m", settings: Settings | None = None):
    """Read the 1:50m (default) or 1:110m countries (see :func:`parse_countries`)."""
    files = {"50m": FILE_50M, "110m": FILE_110M}
    if scale not in files:
        raise ValueError(f"scale must be '50m' or '110m', not {scale!r}")
    return parse_countries(resolve(SOURCE_ID, files[scale], settings))


def _polygon_parts(geom):
    import shapely

    parts = shapely.get_parts(geom)
    return [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]


def rasterize_countries(gdf, res: float = 0.1, min_one_cell: bool = True) -> tuple[xr.DataArray, pd.DataFrame]:
    """Burn country polygons into a global grid by cell centre.

    A cell gets a country when its centre lies inside (or on the edge of) one of the country's polygons
    (``shapely.intersects_xy`` on each polygon's bounding-box sub-grid). Features sharing an ``iso3`` share an
    index; where polygons overlap the later feature wins. Small countries may cover no cell centre.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Output of :func:`parse_countries` (EPSG:4326).
    res : float, optional
        Cell size [degree], default 0.1 (1800 x 3600 cells).
    min_one_cell : bool, optional
        If True (default), a country that covers no cell centre gets the cell holding the representative point
        of its largest polygon, when that cell belongs to no other country (small islands such as Nauru or
        Tuvalu). Countries whose point falls on another country's cell (Vatican, Macao, St-Martin at
        0.1 degree) stay without a cell; ``n_cells`` 0 flags them.

    Returns
    -------
    raster : xarray.DataArray
        int16 country index per cell (0 = no country), dims (``lat``, ``lon``), centres 89.95 .. -89.95
        (descending) and -179.95 .. 179.95 for 0.1 degree.
    index : pandas.DataFrame
        Columns ``index`` (int, 1..N), ``iso3``, ``name`` (of the largest feature with that code),
        ``n_cells`` (cells assigned), ``forced_cell`` (True when the single cell came from ``min_one_cell``).
    """
    import shapely

    lat, lon = grid_centres(res)
    grid = np.full((lat.size, lon.size), NO_COUNTRY, dtype=np.int16)
    codes = list(dict.fromkeys(gdf["iso3"]))
    code_index = {c: i + 1 for i, c in enumerate(codes)}
    if len(codes) >= np.iinfo(np.int16).max:
        raise ValueError("too many countries for an int16 raster")
    names: dict[str, str] = {}
    areas: dict[str, float] = {}
    anchor: dict[str, tuple[float, float]] = {}
    for iso3, name, geom in zip(gdf["iso3"], gdf["name"], gdf.geometry):
        if geom is None or geom.is_empty:
            continue
        area = geom.area
        if area > areas.get(iso3, -1.0):
            areas[iso3], names[iso3] = area, name
            largest = max(_polygon_parts(geom), key=lambda p: p.area, default=None)
            if largest is not None:
                pt = largest.representative_point()
                anchor[iso3] = (pt.x, pt.y)
        value = code_index[iso3]
        for poly in _polygon_parts(geom):
            minx, miny, maxx, maxy = poly.bounds
            # lon index j has centre -180 + res*(j + 0.5); lat index i has centre 90 - res*(i + 0.5)
            j0 = max(int(np.floor((minx + 180.0) / res - 0.5)), 0)
            j1 = min(int(np.ceil((maxx + 180.0) / res - 0.5)), lon.size - 1)
            i0 = max(int(np.floor((90.0 - maxy) / res - 0.5)), 0)
            i1 = min(int(np.ceil((90.0 - miny) / res - 0.5)), lat.size - 1)
            if j1 < j0 or i1 < i0:
                continue
            shapely.prepare(poly)
            xx, yy = np.meshgrid(lon[j0:j1 + 1], lat[i0:i1 + 1])
            inside = shapely.intersects_xy(poly, xx, yy)
            if inside.any():
                grid[i0:i1 + 1, j0:j1 + 1][inside] = value
    counts = np.bincount(grid.ravel(), minlength=len(codes) + 1)
    forced = set()
    if min_one_cell:
        for iso3, value in code_index.items():
            if counts[value] == 0 and iso3 in anchor:
                x, y = anchor[iso3]
                i = min(max(int((90.0 - y) / res), 0), lat.size - 1)
                j = min(max(int((x + 180.0) / res), 0), lon.size - 1)
                if grid[i, j] == NO_COUNTRY:
                    grid[i, j] = value
                    forced.add(iso3)
        counts = np.bincount(grid.ravel(), minlength=len(codes) + 1)
    index = pd.DataFrame({"index": np.arange(1, len(codes) + 1), "iso3": codes,
                          "name": [names.get(c, "") for c in codes], "n_cells": counts[1:].astype(int),
                          "forced_cell": [c in forced for c in codes]})
    index.attrs["source"] = SOURCE_ID
    index.attrs["units"] = {"n_cells": f"cells of {res} degree"}
    raster = xr.DataArray(
        grid, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="country_index",
        attrs={"units": "1", "source": SOURCE_ID, "no_country": NO_COUNTRY, "resolution_deg": res,
               "long_name": "country index (see country_index table) by cell centre, Natural Earth admin-0",
               "lat_order": "descending (north to south)"},
    )
    return raster, index


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack.

    ``ne_countries_50m`` and ``ne_countries_110m`` (GeoDataFrames), ``country_raster_0p1`` (int16, 1800 x 3600
    cells, index 0 = no country) and ``country_index`` (index -> iso3, name, n_cells).
    """
    c50 = read_countries("50m", settings)
    c110 = read_countries("110m", settings)
    raster, index = rasterize_countries(c50, 0.1)
    return {"ne_countries_50m": c50, "ne_countries_110m": c110, "country_raster_0p1": raster,
            "country_index": index}
