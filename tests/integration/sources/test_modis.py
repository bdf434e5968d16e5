"""MODIS MCD12C1 2019 land cover (engine.sources.modis)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import modis


@pytest.fixture(scope="module")
def lc(settings):
    return modis.read_landcover(settings)


@pytest.fixture(scope="module")
def fractions(lc):
    return modis.class_fractions(lc, factor=2)


def test_grid_and_classes(lc):
    """PROVENANCE: 7200 x 3600 uint8, geotransform -180, 0.05, 90, -0.05; values exactly 0..16."""
    assert lc.shape == (3600, 7200) and lc.dtype == np.uint8
    assert lc["lat"].values[0] == pytest.approx(89.975) and lc["lat"].values[-1] == pytest.approx(-89.975)
    assert lc["lon"].values[0] == pytest.approx(-179.975) and lc["lon"].values[-1] == pytest.approx(179.975)
    assert lc.attrs["flag_meanings"].split()[2] == "evergreen_broadleaf_forest"
    assert np.unique(lc.values).tolist() == list(range(17))


def test_pixel_counts(lc):
    """PROVENANCE checks: water 17.55M, EBF 410k, snow/ice 2.61M, barren 0.81M pixels."""
    n = modis.class_counts(lc)
    assert n["water"] == pytest.approx(17.55e6, rel=0.001)
    assert n["evergreen_broadleaf_forest"] == pytest.approx(410e3, rel=0.002)
    assert n["snow_ice"] == pytest.approx(2.61e6, rel=0.002)
    assert n["barren"] == pytest.approx(0.81e6, rel=0.01)
    assert n["nodata"] == 0
    assert sum(n.values()) == 3600 * 7200


SPOTS = {  # PROVENANCE spot checks: (lat, lon) -> (IGBP code, broad group)
    "Congo": ((0.0, 20.0), 2, "forest"),
    "Sahara": ((23.0, 10.0), 16, "barren"),
    "Greenland": ((72.0, -40.0), 15, "snow_ice"),
    "Iowa": ((42.0, -93.0), 12, "cropland"),
    "Paris": ((48.85, 2.35), 13, "urban"),
}


@pytest.mark.parametrize("place", list(SPOTS))
def test_spot_checks(lc, fractions, place):
    """PROVENANCE spot checks (Congo EBF, Sahara barren, Greenland ice, Iowa cropland, Paris urban)."""
    (lat, lon), code, group = SPOTS[place]
    assert int(lc.sel(lat=lat, lon=lon, method="nearest")) == code
    cell = fractions.sel(lat=lat, lon=lon, method="nearest")
    assert float(cell.sel({"class": group})) >= 0.5


def test_fractions(fractions, lc):
    assert fractions.dims == ("class", "lat", "lon") and fractions.shape == (10, 1800, 3600)
    assert fractions.dtype == np.float32
    assert fractions["lat"].values[0] == pytest.approx(89.95) and fractions["lon"].values[0] == pytest.approx(-179.95)
    np.testing.assert_allclose(fractions.sum("class").values, 1.0, atol=1e-6)
    # pixel totals carry over: water fraction x 4 pixels = water pixel count
    assert float(fractions.sel({"class": "water"}).sum()) * 4 == pytest.approx(modis.class_counts(lc)["water"])
    # half of the mosaic class 14 goes to cropland
    n = modis.class_counts(lc)
    crop = float(fractions.sel({"class": "cropland"}).sum()) * 4
    assert crop == pytest.approx(n["cropland"] + 0.5 * n["cropland_natural_mosaic"], rel=1e-6)


def test_fractions_1deg(lc):
    f = modis.class_fractions(lc, factor=20)
    assert f.shape == (10, 180, 360)
    assert f["lat"].values[0] == pytest.approx(89.5)
    assert float(f.sel({"class": "forest"}).max()) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="factor"):
        modis.class_fractions(lc, factor=7)


def test_missing_file(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        modis.read_landcover(empty_settings)


def test_malformed_file(tmp_path):
    import tifffile

    small = tmp_path / "small.tif"
    tifffile.imwrite(small, np.zeros((10, 20), dtype=np.uint8))
    with pytest.raises(SourceFormatError, match="expected a 3600 x 7200 uint8"):
        modis.parse_landcover(small)
    junk = tmp_path / "junk.tif"
    junk.write_bytes(b"not a tiff")
    with pytest.raises(SourceFormatError, match="not a readable GeoTIFF"):
        modis.parse_landcover(junk)
