"""Natural Earth admin-0 countries and the 0.1 degree country raster (engine.sources.natural_earth)."""

from __future__ import annotations

import time
import zipfile

import numpy as np
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.maps.gridmath import cell_area_m2
from engine.sources import natural_earth as ne


@pytest.fixture(scope="module")
def c50(settings):
    return ne.read_countries("50m", settings)


@pytest.fixture(scope="module")
def c110(settings):
    return ne.read_countries("110m", settings)


@pytest.fixture(scope="module")
def raster(c50):
    t0 = time.perf_counter()
    r, idx = ne.rasterize_countries(c50, 0.1)
    return r, idx, time.perf_counter() - t0


def test_countries_50m(c50):
    """PROVENANCE: 242 features at 1:50m, EPSG:4326; ISO_A3 is -99 for Norway and France, ISO_A3_EH fixes them."""
    assert len(c50) == 242
    assert c50.crs.to_epsg() == 4326
    assert list(c50.columns) == ["iso3", "iso3_source", "adm0_a3", "name", "type", "continent", "region_wb",
                                 "subregion", "pop_est", "gdp_md", "geometry"]
    by_name = c50.set_index("name")["iso3"]
    assert by_name["Norway"] == "NOR" and by_name["France"] == "FRA"
    assert by_name["Kosovo"] == "XKX"  # ADM0_A3 KOS mapped to the project's code
    assert by_name["Somaliland"] == "SOL" and by_name["N. Cyprus"] == "CYN"
    assert set(c50.loc[c50["iso3_source"] == "ADM0_A3", "iso3"]) == {"SOL", "XKX", "CYN", "KAS"}
    assert c50["iso3"].str.fullmatch(r"[A-Z]{3}").all()


def test_duplicates_documented(c50, c110):
    """Only AUS repeats at 1:50m (Indian Ocean Ter., Ashmore and Cartier Is.); adm0_a3 is unique."""
    dup = c50.loc[c50["iso3"].duplicated(keep=False)]
    assert sorted(dup["adm0_a3"]) == ["ATC", "AUS", "IOA"]
    assert not c50["adm0_a3"].duplicated().any()
    assert not c110["iso3"].duplicated().any()
    assert len(c110) == 177


def test_raster_grid_and_countries(raster):
    r, idx, _ = raster
    assert r.shape == (1800, 3600) and r.dtype == np.int16
    assert r["lat"].values[0] == pytest.approx(89.95) and r["lat"].values[-1] == pytest.approx(-89.95)
    assert r["lon"].values[0] == pytest.approx(-179.95) and r["lon"].values[-1] == pytest.approx(179.95)
    assert not idx["iso3"].duplicated().any()
    cells = idx.set_index("iso3")["n_cells"]
    for iso in ("CHN", "USA", "RUS", "BRA"):
        assert cells[iso] > 50000

    def at(lat, lon):
        v = int(r.sel(lat=lat, lon=lon, method="nearest"))
        return None if v == ne.NO_COUNTRY else idx.set_index("index").loc[v, "iso3"]

    assert at(48.85, 2.35) == "FRA"  # Paris
    assert at(59.91, 10.75) == "NOR"  # Oslo
    assert at(30.0, -40.0) is None  # mid Atlantic
    assert at(-33.87, 151.2) == "AUS"


def test_raster_land_share(raster):
    """Measured: 2,141,871 land cells = 28.7 % of the globe's area (146.6 M km2 incl. Antarctica)."""
    r, idx, _ = raster
    land = r.values > 0
    area = cell_area_m2(r["lat"].values, 0.1, 0.1)[:, None]
    share = float((land * area).sum() / (area.sum() * r.sizes["lon"]))
    assert share == pytest.approx(0.287, abs=0.003)
    assert int(land.sum()) == pytest.approx(2_141_871, rel=0.001)
    # tiny islands get one cell; enclaves stay without
    small = idx.set_index("iso3")
    assert small.loc["NRU", "n_cells"] == 1 and small.loc["NRU", "forced_cell"]
    assert set(small.index[small["n_cells"] == 0]) <= {"VAT", "MAC", "MAF"}


def test_raster_speed(raster):
    """The shapely rasterisation of 6.48 M cells must stay fast (measured ~1 s; target < 20 s)."""
    assert raster[2] < 20


def test_pack_items(settings):
    items = ne.pack_items(settings)
    assert set(items) == {"ne_countries_50m", "ne_countries_110m", "country_raster_0p1", "country_index"}


def test_missing_file(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        ne.read_countries("50m", empty_settings)
    with pytest.raises(ValueError, match="50m"):
        ne.read_countries("10m", empty_settings)


def test_malformed_zip(tmp_path):
    bad = tmp_path / "ne_50m_admin_0_countries.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("readme.txt", "no shapefile here")
    with pytest.raises(SourceFormatError, match="zipped admin-0 shapefile"):
        ne.parse_countries(bad)


def test_missing_fields(tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame({"NAME": ["X"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    path = tmp_path / "x.shp"
    gdf.to_file(path, engine="pyogrio")
    with pytest.raises(SourceFormatError, match="ISO_A3_EH"):
        ne.parse_countries(path)
