"""Takahashi et al. (2009) sea-air CO2 flux climatology (engine.sources.takahashi) and engine.maps.gridmath."""

from __future__ import annotations

import numpy as np
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.maps.gridmath import EARTH_RADIUS_M, cell_area_m2, grid_centres
from engine.sources import takahashi


@pytest.fixture(scope="module")
def monthly(settings):
    return takahashi.read_climatology(settings)


@pytest.fixture(scope="module")
def annual(monthly):
    return takahashi.annual_flux(monthly=monthly)


def test_cell_area_sums_to_sphere():
    """Cell areas of a full 1 degree grid add up to 4 pi R^2; a 1x1 degree equatorial cell is ~12,364 km2."""
    lat, lon = grid_centres(1.0)
    area = cell_area_m2(lat, 1.0, 1.0)
    assert area.sum() * lon.size == pytest.approx(4 * np.pi * EARTH_RADIUS_M**2, rel=1e-12)
    assert cell_area_m2(0.5, 1.0, 1.0) / 1e6 == pytest.approx(12364, rel=1e-3)
    assert area[0] < area[89]


def test_climatology_grid(monthly):
    """File labels are cell edges (latitude 90..-89, longitude -180..179): the reader gives centres."""
    assert monthly.dims == ("month", "lat", "lon")
    assert monthly.shape == (12, 180, 360)
    assert monthly["month"].values.tolist() == list(range(1, 13))
    assert monthly["lat"].values[[0, -1]].tolist() == [89.5, -89.5]
    assert monthly["lon"].values[[0, -1]].tolist() == [-179.5, 179.5]
    assert monthly.attrs["units"] == "g C m-2 month-1"
    assert not (monthly == -999).any()  # _FillValue masked


def test_integrated_annual_flux(annual):
    """PROVENANCE / REFERENCES.md: 12 months x cell area = -1.40 PgC/yr (Takahashi 2009 paper: -1.42)."""
    assert annual.attrs["units"] == "g C m-2 yr-1"
    total = takahashi.integrated_flux_pgc(annual)
    assert total == pytest.approx(-1.40, abs=0.01)
    assert total == pytest.approx(-1.42, abs=0.05)


def test_sea_cells_only(settings, annual):
    """Flux cells are sea: almost none fall on cells that are all land in onedeg_land.nc."""
    land = takahashi.read_land_fraction(settings)
    has = annual.notnull()
    assert 30000 < int(has.sum()) < 45000
    assert int((has & (land >= 0.999)).sum()) < 0.02 * int(has.sum())
    # the land mask is north-up: Arctic ocean at the top row, Antarctica at the bottom
    assert float(land.isel(lat=0).mean()) < 0.05 and float(land.isel(lat=-1).mean()) > 0.95


def test_pack_items(settings):
    items = takahashi.pack_items(settings)
    assert set(items) == {"takahashi_flux_annual", "takahashi_flux_monthly", "takahashi_land_fraction"}
    assert items["takahashi_flux_annual"].shape == (180, 360)


def test_missing_file(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        takahashi.read_climatology(empty_settings)


def test_malformed_file(tmp_path):
    import xarray as xr

    bad = tmp_path / "bad.nc"
    xr.Dataset({"other": (("latitude", "longitude"), np.zeros((2, 3)))}).to_netcdf(bad, engine="netcdf4")
    with pytest.raises(SourceFormatError, match="CO2flux"):
        takahashi.parse_month(bad)
    junk = tmp_path / "junk.nc"
    junk.write_text("not netcdf")
    with pytest.raises(SourceFormatError, match="not a readable NetCDF"):
        takahashi.parse_month(junk)
