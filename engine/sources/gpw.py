"""GPWv4 rev11 population count for 2020 on a 1 degree grid (CIESIN, ESRI ASCII grid).

The file is an ESRI ASCII grid (``ncols 360``, ``nrows 180``, ``xllcorner -180``, ``yllcorner -90``,
``cellsize 1``, ``NODATA_value -9999``) written north-up. Values are persons per cell. NODATA marks ocean and
cells outside the census coverage (also most of Antarctica); this reader sets them to 0 persons so sums and
proxies work without masks (the count of such cells is in ``attrs["nodata_cells"]``).

Citation: CIESIN (2018) Gridded Population of the World v4.11, Population Count, doi:10.7927/H4JW8BX5 (CC BY 4.0).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve

SOURCE_ID = "gpw4_1deg"
FILE = "gpw_v4_population_count_rev11_2020_1_deg.asc"
HEADER_KEYS = ("ncols", "nrows", "xllcorner", "yllcorner", "cellsize")


def parse_population(path) -> xr.DataArray:
    """Parse an ESRI ASCII population-count grid.

    Parameters
    ----------
    path : str or Path
        ESRI ASCII grid with a 5-6 line header (``ncols``, ``nrows``, ``xllcorner``/``xllcenter``,
        ``yllcorner``/``yllcenter``, ``cellsize``, optional ``NODATA_value``).

    Returns
    -------
    xarray.DataArray
        Population [persons cell-1], dims (``lat``, ``lon``), cell centres (for the 1 degree file ``lat``
        89.5 .. -89.5 descending, ``lon`` -179.5 .. 179.5); NODATA cells are 0; float64. ``attrs["year"]`` is
        2020.

    Raises
    ------
    SourceFormatError
        If the header is incomplete or the number of values is not ``ncols * nrows``.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        raw = fh.read()
    tokens = raw.split()
    header: dict[str, float] = {}
    i = 0
    while i + 1 < len(tokens) and tokens[i][:1].isalpha():
        header[tokens[i].decode("latin-1").lower()] = float(tokens[i + 1])
        i += 2
    x0 = header.get("xllcorner", header.get("xllcenter"))
    y0 = header.get("yllcorner", header.get("yllcenter"))
    if any(k not in header for k in ("ncols", "nrows", "cellsize")) or x0 is None or y0 is None:
        raise SourceFormatError(
            f"{path.name}: expected an ESRI ASCII grid header with ncols, nrows, xllcorner, yllcorner, cellsize "
            f"(found {sorted(header)})", SOURCE_ID, path.name)
    ncols, nrows, cell = int(header["ncols"]), int(header["nrows"]), header["cellsize"]
    try:
        values = np.array(tokens[i:], dtype=float)
    except ValueError as exc:
        raise SourceFormatError(f"{path.name}: non-numeric value in the grid body ({exc})", SOURCE_ID,
                                path.name) from exc
    if values.size != ncols * nrows:
        raise SourceFormatError(
            f"{path.name}: expected {nrows} x {ncols} = {nrows * ncols} values, found {values.size}",
            SOURCE_ID, path.name)
    grid = values.reshape(nrows, ncols)
    nodata = header.get("nodata_value")
    missing = np.zeros(grid.shape, bool) if nodata is None else np.isclose(grid, nodata)
    grid = np.where(missing, 0.0, grid)
    if (grid < 0).any():
        raise SourceFormatError(f"{path.name}: negative population counts", SOURCE_ID, path.name)
    if "xllcenter" in header:
        x0 -= cell / 2.0
    if "yllcenter" in header:
        y0 -= cell / 2.0
    lon = np.round(x0 + cell * (np.arange(ncols) + 0.5), 10)
    lat = np.round(y0 + cell * (nrows - np.arange(nrows) - 0.5), 10)
    return xr.DataArray(
        grid, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="population",
        attrs={"units": "persons cell-1", "source": SOURCE_ID, "year": 2020,
               "long_name": "population count 2020 (GPWv4 rev11, not adjusted to UN WPP totals)",
               "lat_order": "descending (north to south)", "nodata_cells": int(missing.sum()),
               "nodata_handling": "NODATA (-9999: ocean / no census data) set to 0 persons"},
    )


def read_population(settings: Settings | None = None) -> xr.DataArray:
    """Read the 1 degree GPWv4 2020 population count (see :func:`parse_population`) [persons cell-1]."""
    return parse_population(resolve(SOURCE_ID, FILE, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack: ``gpw_population_1deg`` (lat, lon) [persons cell-1], 2020."""
    return {"gpw_population_1deg": read_population(settings)}
