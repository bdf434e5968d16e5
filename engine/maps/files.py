"""Grid files: a layer (or a window of it) as CF-1.8 NetCDF or as a GeoTIFF (EPSG:4326, pixel-is-area).

NetCDF carries a UDUNITS-parsable unit (``t yr-1`` per cell, ``cell_methods: area: sum``), the gas basis and the
method; GeoTIFF is written with tifffile and the standard GeoTIFF tags. Every NetCDF read or write in the process
holds :data:`engine.data.pack.NETCDF_LOCK` (HDF5 is not thread-safe).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import xarray as xr

from engine.maps.grid import RES


def cf_dataset(da: xr.DataArray) -> xr.Dataset:
    """A CF-1.8 dataset of one layer, ready for ``to_netcdf``."""
    ds = da.astype(np.float32).to_dataset(name=da.name or "value")
    ds["lat"].attrs = {"standard_name": "latitude", "units": "degrees_north", "axis": "Y"}
    ds["lon"].attrs = {"standard_name": "longitude", "units": "degrees_east", "axis": "X"}
    var = ds[da.name or "value"]
    var.attrs = {k: v for k, v in da.attrs.items() if isinstance(v, (str, int, float))}
    # CF: a quantity per grid cell is an extensive amount with cell_methods "area: sum"; the mass unit stays
    # UDUNITS-parsable and the gas basis goes to long_name
    var.attrs["holocarbon_units"] = da.attrs.get("units", "")
    var.attrs["units"] = "t yr-1"
    var.attrs["cell_methods"] = "area: sum"
    basis = units_basis(da.attrs.get("units", ""))
    var.attrs["long_name"] = f"{da.attrs.get('long_name', da.name)} [t {basis} per 0.1 degree cell per year]"
    if basis == "CO2e" and "gwp_set" in da.attrs:
        from engine.core.gwp import FGAS_NOTE
        from engine.core.query import GWP_LABELS

        var.attrs["gwp_set"] = GWP_LABELS.get(da.attrs["gwp_set"], da.attrs["gwp_set"])
        var.attrs["comment"] = ("CO2-equivalent mass: each gas weighted by its global-warming potential of the "
                                f"stated set. {FGAS_NOTE}")
    ds.attrs = {"Conventions": "CF-1.8", "title": da.attrs.get("long_name", da.name or ""),
                "institution": "Holocarbon (open source)", "source": da.attrs.get("method", ""),
                "references": "see data/sources.toml and docs/validation.md"}
    return ds


def units_basis(units: str) -> str:
    """The gas basis of a layer's units (``t CH4 cell-1 yr-1`` -> ``CH4``; ``t CO2e ...`` -> ``CO2e``)."""
    parts = str(units).split()
    return parts[1] if len(parts) > 1 and parts[0] == "t" else "CO2e" if "CO2e" in str(units) else "CO2"


def write_netcdf(da: xr.DataArray, path) -> None:
    """Write one layer as CF-convention NetCDF (compressed)."""
    ds = cf_dataset(da)
    from engine.data.pack import NETCDF_LOCK

    with NETCDF_LOCK:
        ds.to_netcdf(path, engine="netcdf4", encoding={v: {"zlib": True, "complevel": 4} for v in ds.data_vars})


def netcdf_bytes(da: xr.DataArray) -> bytes:
    """One layer (or a window of it) as CF NetCDF file bytes (:func:`write_netcdf` through a temporary file)."""
    import tempfile

    with tempfile.TemporaryDirectory() as td:
        path = Path(td) / "layer.nc"
        write_netcdf(da, path)
        return path.read_bytes()


def geotiff_bytes(da: xr.DataArray) -> bytes:
    """Float32 GeoTIFF of the window (EPSG:4326, pixel-is-area), the layer's units in the image description."""
    import tifffile

    lon0 = float(da["lon"].values[0]) - RES / 2
    lat0 = float(da["lat"].values[0]) + RES / 2
    geokeys = (1, 1, 0, 3,  # version, revision, minor, number of keys
               1024, 0, 1, 2,  # GTModelTypeGeoKey = geographic
               1025, 0, 1, 1,  # GTRasterTypeGeoKey = pixel is area
               2048, 0, 1, 4326)  # GeographicTypeGeoKey = WGS 84
    buf = io.BytesIO()
    tifffile.imwrite(buf, np.asarray(da.values, dtype=np.float32), compression="zlib",
                     description=f"{da.attrs.get('long_name', da.name)} [{da.attrs.get('units', '')}]",
                     extratags=[(33550, "d", 3, (RES, RES, 0.0), False),
                                (33922, "d", 6, (0.0, 0.0, 0.0, lon0, lat0, 0.0), False),
                                (34735, "H", len(geokeys), geokeys, False)])
    return buf.getvalue()
