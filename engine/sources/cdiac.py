"""CDIAC NDP-058 v2016: annual fossil-fuel CO2 emissions gridded at 1 degree (Andres, Boden & Marland 2016).

Files ``gridcar.<yyyy>`` hold one value per line (Fortran ``ES13.6E2``), 180 rows x 360 columns written row by
row: row 0 is the 90-89 N band, column 0 the 180-179 W cell (north-up, west to east). Values are the mass emitted
in each cell [Tg C cell-1 yr-1] from fossil fuels, cement production and gas flaring. ``SUMMARY.MASS.DAT`` gives
per year the minimum, maximum and sum of the cells, used here as a read check.

The within-country distribution follows population (Andres et al. 2016): the grid checks the large-scale pattern
of a downscaled map, it is not ground truth for point sources. The registry holds the years 1990-2013.

Citation: Andres, R.J., T.A. Boden and G. Marland (2016), doi:10.3334/CDIAC/ffe.ndp058.2016.
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

SOURCE_ID = "cdiac_ndp058"
FIRST_YEAR = 1990
LAST_YEAR = 2013
SUMMARY_FILE = "SUMMARY.MASS.DAT"
UNITS = "Tg C cell-1 yr-1"
NLAT, NLON = 180, 360


def grid_file(year: int) -> str:
    """File name of one year's grid, ``gridcar.<year>``."""
    return f"gridcar.{int(year)}"


def _check_year(year: int) -> int:
    y = int(year)
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise ValueError(f"CDIAC NDP-058 grids are available for {FIRST_YEAR}-{LAST_YEAR} only, not {year}")
    return y


def parse_gridcar(path, year: int | None = None) -> xr.DataArray:
    """Parse one ``gridcar.<yyyy>`` file.

    Parameters
    ----------
    path : str or Path
        The plain-text grid (64,800 values, one per line).
    year : int, optional
        Year the file holds; taken from the file name suffix when omitted. Stored as a scalar ``year`` coordinate.

    Returns
    -------
    xarray.DataArray
        Fossil CO2 emission mass per cell [Tg C cell-1 yr-1], dims (``lat``, ``lon``); cell centres, ``lat``
        descending 89.5 .. -89.5 [degree north], ``lon`` -179.5 .. 179.5 [degree east]; float64.

    Raises
    ------
    SourceFormatError
        If the file does not hold exactly 180 x 360 non-negative numbers.
    """
    path = Path(path)
    if year is None:
        try:
            year = int(path.name.rsplit(".", 1)[-1])
        except ValueError:
            year = None
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        values = np.array(raw.split(), dtype=float)
    except ValueError as exc:
        raise SourceFormatError(
            f"{path.name}: expected one number per line (ES13.6E2 format), found non-numeric text ({exc})",
            SOURCE_ID, path.name) from exc
    if values.size != NLAT * NLON:
        raise SourceFormatError(
            f"{path.name}: expected {NLAT * NLON} values (180 x 360 grid), found {values.size}", SOURCE_ID, path.name)
    if not np.isfinite(values).all() or (values < 0).any():
        raise SourceFormatError(f"{path.name}: expected finite non-negative values [Tg C]", SOURCE_ID, path.name)
    lat, lon = grid_centres(1.0)
    da = xr.DataArray(
        values.reshape(NLAT, NLON), dims=("lat", "lon"), coords={"lat": lat, "lon": lon},
        name="fossil_co2_tgc",
        attrs={"units": UNITS, "source": SOURCE_ID,
               "long_name": "fossil-fuel, cement and flaring CO2 emissions (mass of carbon per 1 degree cell)",
               "lat_order": "descending (north to south)"},
    )
    if year is not None:
        da = da.assign_coords(year=int(year))
    return da


def parse_summary(path) -> pd.DataFrame:
    """Parse ``SUMMARY.MASS.DAT`` (per-year minimum, maximum and sum of the grid cells).

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` (int), ``min_cell_tgc``, ``max_cell_tgc``, ``sum_tgc`` [Tg C]; one row per year
        1751-2013.

    Raises
    ------
    SourceFormatError
        If no ``year mingrid maxgrid gridsum`` table is found.
    """
    path = Path(path)
    rows = []
    header_seen = False
    with open(path, encoding="latin-1") as fh:
        for line in fh:
            parts = line.split()
            if parts[:4] == ["year", "mingrid", "maxgrid", "gridsum"]:
                header_seen = True
                continue
            if header_seen and len(parts) == 4:
                try:
                    rows.append((int(parts[0]), float(parts[1]), float(parts[2]), float(parts[3])))
                except ValueError:
                    continue
    if not header_seen or not rows:
        raise SourceFormatError(
            f"{path.name}: expected a table headed 'year mingrid maxgrid gridsum' with one row per year",
            SOURCE_ID, path.name)
    df = pd.DataFrame(rows, columns=["year", "min_cell_tgc", "max_cell_tgc", "sum_tgc"])
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = {"min_cell_tgc": "Tg C cell-1 yr-1", "max_cell_tgc": "Tg C cell-1 yr-1",
                         "sum_tgc": "Tg C yr-1"}
    return df


def read_grid(year: int, settings: Settings | None = None) -> xr.DataArray:
    """Read one year's grid (see :func:`parse_gridcar`) [Tg C cell-1 yr-1].

    Raises
    ------
    ValueError
        If ``year`` is outside 1990-2013.
    """
    y = _check_year(year)
    return parse_gridcar(resolve(SOURCE_ID, grid_file(y), settings), y)


def read_summary(settings: Settings | None = None) -> pd.DataFrame:
    """Read ``SUMMARY.MASS.DAT`` (see :func:`parse_summary`)."""
    return parse_summary(resolve(SOURCE_ID, SUMMARY_FILE, settings))


def read_stack(settings: Settings | None = None, years=None) -> xr.DataArray:
    """Read several years into one array.

    Parameters
    ----------
    years : iterable of int, optional
        Default 1990-2013.

    Returns
    -------
    xarray.DataArray
        Dims (``year``, ``lat``, ``lon``) [Tg C cell-1 yr-1], lat descending.
    """
    years = list(range(FIRST_YEAR, LAST_YEAR + 1)) if years is None else [_check_year(y) for y in years]
    grids = [read_grid(y, settings) for y in years]
    stack = xr.concat(grids, dim="year")
    stack.name = "fossil_co2_tgc"
    stack.attrs = dict(grids[0].attrs)
    return stack


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack: ``cdiac_fossil_co2`` (year, lat, lon) [Tg C cell-1 yr-1], 1990-2013."""
    stack = read_stack(settings)
    stack.attrs["citation"] = "Andres, Boden & Marland (2016) doi:10.3334/CDIAC/ffe.ndp058.2016"
    return {"cdiac_fossil_co2": stack}
