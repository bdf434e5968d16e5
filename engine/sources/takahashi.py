"""Takahashi et al. (2009) climatological monthly net sea-air CO2 flux, 1 degree (FluxEngine regridding).

Twelve NetCDF files (one per month of the reference year 2000, stamped 2001 by FluxEngine) hold ``CO2flux``
[g C m-2 month-1], negative when the ocean takes up CO2, ``_FillValue`` -999 over land and where the
climatology has no data. The files label the grid by its cell *edges*: ``latitude`` runs 90 .. -89 (northern
edges) and ``longitude`` -180 .. 179 (western edges; the global attributes give westernmost -180 and
easternmost 180). This reader relabels them as cell centres 89.5 .. -89.5 and -179.5 .. 179.5; the grid lines
up with the 1 degree land-fraction file ``onedeg_land.nc`` (north-up, no coordinates) and with MODIS land
cover aggregated to 1 degree.

Fluxes are per square metre of the cell (the climatology's 4 x 5 degree boxes were regridded to 1 degree), so
the integrated flux is ``sum(flux * cell area)`` over cells with data; it comes to -1.40 Pg C yr-1 (the paper
quotes -1.42 Pg C yr-1 for the reference year 2000).

Citation: Takahashi, T. et al. (2009) Deep-Sea Res. II 56:554-577, doi:10.1016/j.dsr2.2008.12.009.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve
from engine.maps.gridmath import EARTH_RADIUS_M, cell_area_m2, grid_centres

SOURCE_ID = "takahashi2009"

#: Monthly files in calendar order (January first).
MONTH_FILES = (
    "M2001001.1200.a7.all_products.BIN.01jan011200.v1.20132321105.data.nc",
    "M2001032.1200.a7.all_products.BIN.01feb011200.v1.20132321228.data.nc",
    "M2001060.1200.a7.all_products.BIN.01mar011200.v1.20132321229.data.nc",
    "M2001091.1200.a7.all_products.BIN.01apr011200.v1.20132321230.data.nc",
    "M2001121.1200.a7.all_products.BIN.01may011200.v1.20132321231.data.nc",
    "M2001152.1200.a7.all_products.BIN.01jun011200.v1.20132321233.data.nc",
    "M2001182.1200.a7.all_products.BIN.01jul011200.v1.20132321234.data.nc",
    "M2001213.1200.a7.all_products.BIN.01aug011200.v1.20132321234.data.nc",
    "M2001244.1200.a7.all_products.BIN.01sep011200.v1.20132321243.data.nc",
    "M2001274.1200.a7.all_products.BIN.01oct011200.v1.20132321244.data.nc",
    "M2001305.1200.a7.all_products.BIN.01nov011200.v1.20132321245.data.nc",
    "M2001335.1200.a7.all_products.BIN.01dec011200.v1.20132321246.data.nc",
)
LAND_FILE = "onedeg_land.nc"
VARIABLE = "CO2flux"
NLAT, NLON = 180, 360
CITATION = "Takahashi et al. (2009) Deep-Sea Res. II 56:554-577, doi:10.1016/j.dsr2.2008.12.009"

__all__ = ["cell_area_m2", "EARTH_RADIUS_M", "parse_month", "parse_land_fraction", "read_climatology",
           "annual_flux", "integrated_flux_pgc", "read_land_fraction", "pack_items"]


def _open(path: Path) -> xr.Dataset:
    try:
        return xr.open_dataset(path, mask_and_scale=True, decode_times=True)
    except (OSError, ValueError) as exc:
        raise SourceFormatError(f"{path.name}: not a readable NetCDF file ({exc})", SOURCE_ID, path.name) from exc


def parse_month(path) -> xr.DataArray:
    """Parse one monthly FluxEngine file to its net sea-air CO2 flux.

    Parameters
    ----------
    path : str or Path
        A ``M2001*.all_products*.nc`` file with variable ``CO2flux`` (time, latitude, longitude), 1 x 180 x 360.

    Returns
    -------
    xarray.DataArray
        Net sea-air flux [g C m-2 month-1] (negative = ocean uptake), NaN over land / no data; dims (``lat``,
        ``lon``), cell centres 89.5 .. -89.5 (descending) and -179.5 .. 179.5 [degree]; scalar coordinate
        ``month`` (1-12) from the file's time stamp; float32.

    Raises
    ------
    SourceFormatError
        If ``CO2flux`` is missing or the grid is not 180 x 360 with edges 90 .. -89 and -180 .. 179.
    """
    path = Path(path)
    with _open(path) as ds:
        if VARIABLE not in ds:
            raise SourceFormatError(f"{path.name}: expected a variable {VARIABLE!r} (found {sorted(ds.data_vars)})",
                                    SOURCE_ID, path.name)
        var = ds[VARIABLE]
        if var.ndim == 3:
            var = var.isel({var.dims[0]: 0})
        if var.shape != (NLAT, NLON) or "latitude" not in ds.coords or "longitude" not in ds.coords:
            raise SourceFormatError(
                f"{path.name}: expected {VARIABLE} on a 180 x 360 latitude/longitude grid, found {dict(var.sizes)}",
                SOURCE_ID, path.name)
        lat_edges = ds["latitude"].values.astype(float)
        lon_edges = ds["longitude"].values.astype(float)
        if not (np.allclose(lat_edges, 90.0 - np.arange(NLAT)) and np.allclose(lon_edges, -180.0 + np.arange(NLON))):
            raise SourceFormatError(
                f"{path.name}: expected latitude labels 90 .. -89 and longitude -180 .. 179 (cell edges)",
                SOURCE_ID, path.name)
        month = None
        if "time" in ds.coords and ds["time"].size == 1:
            try:
                month = int(ds["time"].dt.month.values.ravel()[0])
            except (TypeError, AttributeError):
                month = None
        values = np.asarray(var.values, dtype=np.float32)
    lat, lon = grid_centres(1.0)
    da = xr.DataArray(
        values, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="co2_flux",
        attrs={"units": "g C m-2 month-1", "source": SOURCE_ID,
               "long_name": "net sea-air CO2 flux (negative = ocean uptake), climatology for reference year 2000",
               "lat_order": "descending (north to south)"},
    )
    if month is not None:
        da = da.assign_coords(month=month)
    return da


def parse_land_fraction(path) -> xr.DataArray:
    """Parse ``onedeg_land.nc``, the fraction of each 1 degree cell that is land.

    Returns
    -------
    xarray.DataArray
        Land fraction [1] in 0..1, dims (``lat``, ``lon``) with the same centres as :func:`parse_month`.

    Raises
    ------
    SourceFormatError
        If ``land_proportion`` is missing or not 180 x 360.
    """
    path = Path(path)
    with _open(path) as ds:
        if "land_proportion" not in ds:
            raise SourceFormatError(f"{path.name}: expected a variable 'land_proportion'", SOURCE_ID, path.name)
        var = ds["land_proportion"]
        values = np.asarray(var.values, dtype=np.float32).reshape(-1, *var.shape[-2:])[0]
    if values.shape != (NLAT, NLON):
        raise SourceFormatError(f"{path.name}: expected land_proportion on 180 x 360 cells, found {values.shape}",
                                SOURCE_ID, path.name)
    lat, lon = grid_centres(1.0)
    return xr.DataArray(values, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="land_fraction",
                        attrs={"units": "1", "source": SOURCE_ID, "long_name": "land fraction of the 1 degree cell",
                               "lat_order": "descending (north to south)"})


def read_climatology(settings: Settings | None = None) -> xr.DataArray:
    """Read the 12 monthly flux fields.

    Returns
    -------
    xarray.DataArray
        Dims (``month``, ``lat``, ``lon``), month 1-12 [g C m-2 month-1], NaN over land / no data.
    """
    months = []
    for i, name in enumerate(MONTH_FILES, 1):
        da = parse_month(resolve(SOURCE_ID, name, settings))
        if "month" in da.coords and int(da["month"]) != i:
            raise SourceFormatError(f"{name}: expected month {i}, the file's time stamp says {int(da['month'])}",
                                    SOURCE_ID, name)
        months.append(da.assign_coords(month=i))
    out = xr.concat(months, dim="month")
    out.name = "co2_flux"
    out.attrs = dict(months[0].attrs)
    return out


def read_land_fraction(settings: Settings | None = None) -> xr.DataArray:
    """Read ``onedeg_land.nc`` (see :func:`parse_land_fraction`) [1]."""
    return parse_land_fraction(resolve(SOURCE_ID, LAND_FILE, settings))


def annual_flux(settings: Settings | None = None, monthly: xr.DataArray | None = None) -> xr.DataArray:
    """Annual net sea-air CO2 flux per cell: the sum of the 12 monthly fluxes.

    Parameters
    ----------
    monthly : xarray.DataArray, optional
        Output of :func:`read_climatology` (read when omitted).

    Returns
    -------
    xarray.DataArray
        [g C m-2 yr-1], dims (``lat``, ``lon``); NaN where no month has data (land). Months without data in a
        cell that has data in other months (seasonal ice edge) count as zero flux.
    """
    monthly = read_climatology(settings) if monthly is None else monthly
    has = monthly.notnull().any("month")
    out = monthly.sum("month", skipna=True).where(has).astype(np.float32)
    out.name = "co2_flux_annual"
    out.attrs = {"units": "g C m-2 yr-1", "source": SOURCE_ID,
                 "long_name": "annual net sea-air CO2 flux (negative = ocean uptake), reference year 2000",
                 "lat_order": "descending (north to south)", "citation": CITATION}
    return out


def integrated_flux_pgc(flux: xr.DataArray) -> float:
    """Area-integrated flux of a per-area field on a regular 1 degree grid.

    Parameters
    ----------
    flux : xarray.DataArray
        Flux per area [g C m-2 per period], dims (``lat``, ``lon``), NaN ignored.

    Returns
    -------
    float
        ``sum(flux * cell area)`` [Pg C per period].
    """
    dlat = float(abs(flux["lat"][0] - flux["lat"][1]))
    dlon = float(abs(flux["lon"][1] - flux["lon"][0]))
    area = cell_area_m2(flux["lat"].values, dlat, dlon)
    return float(np.nansum(flux.values * area[:, None]) / 1e15)


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack.

    ``takahashi_flux_annual`` (lat, lon) [g C m-2 yr-1], ``takahashi_flux_monthly`` (month, lat, lon)
    [g C m-2 month-1] and ``takahashi_land_fraction`` (lat, lon) [1].
    """
    monthly = read_climatology(settings)
    monthly.attrs["citation"] = CITATION
    return {
        "takahashi_flux_annual": annual_flux(monthly=monthly),
        "takahashi_flux_monthly": monthly,
        "takahashi_land_fraction": read_land_fraction(settings),
    }
