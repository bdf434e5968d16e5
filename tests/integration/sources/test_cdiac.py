"""CDIAC NDP-058 1 degree fossil CO2 grids (engine.sources.cdiac)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import cdiac


@pytest.fixture(scope="module")
def stack(settings):
    return cdiac.read_stack(settings)


@pytest.fixture(scope="module")
def summary(settings):
    return cdiac.read_summary(settings)


def test_stack_shape_coords_units(stack):
    """24 years x 180 x 360, cell centres, north-up (readme.ndp058_v2016.txt: row 0 = 89.5N, col 0 = 179.5W)."""
    assert stack.dims == ("year", "lat", "lon")
    assert stack.shape == (24, 180, 360)
    assert stack["year"].values.tolist() == list(range(1990, 2014))
    assert stack["lat"].values[0] == 89.5 and stack["lat"].values[-1] == -89.5
    assert stack["lon"].values[0] == -179.5 and stack["lon"].values[-1] == 179.5
    assert stack.attrs["units"] == "Tg C cell-1 yr-1"
    assert stack.attrs["source"] == cdiac.SOURCE_ID
    assert float(stack.min()) >= 0.0


def test_2013_sum_and_max_cell(stack):
    """REFERENCES.md "Gridded checks" / PROVENANCE: 2013 sum 9,233.6 TgC; max 86.0 TgC at 35.5N 139.5E (Tokyo)."""
    g = stack.sel(year=2013)
    assert float(g.sum()) == pytest.approx(9233.6, abs=0.1)
    i, j = np.unravel_index(int(np.argmax(g.values)), g.shape)
    assert float(g.max()) == pytest.approx(86.0, abs=0.05)
    assert (float(g["lat"][i]), float(g["lon"][j])) == (35.5, 139.5)


def test_every_year_matches_summary_file(stack, summary):
    """SUMMARY.MASS.DAT (min, max, sum per year, 2 decimals) is the reader check the dataset ships."""
    ref = summary.set_index("year").loc[1990:2013]
    sums = stack.sum(("lat", "lon")).values
    maxes = stack.max(("lat", "lon")).values
    np.testing.assert_allclose(sums, ref["sum_tgc"].values, atol=0.01)
    np.testing.assert_allclose(maxes, ref["max_cell_tgc"].values, atol=0.05)


def test_summary_table(summary):
    """SUMMARY.MASS.DAT covers 1751-2013 with the published 2013 sum 9233.63 TgC."""
    assert summary["year"].min() == 1751 and summary["year"].max() == 2013
    assert not summary["year"].duplicated().any()
    assert summary.set_index("year").loc[2013, "sum_tgc"] == pytest.approx(9233.63)
    assert summary.attrs["units"]["sum_tgc"] == "Tg C yr-1"


def test_read_grid_year_bounds(settings):
    g = cdiac.read_grid(2000, settings)
    assert int(g["year"]) == 2000 and g.shape == (180, 360)
    with pytest.raises(ValueError, match="1990-2013"):
        cdiac.read_grid(1989, settings)
    with pytest.raises(ValueError, match="1990-2013"):
        cdiac.read_grid(2014, settings)


def test_pack_items(settings):
    items = cdiac.pack_items(settings)
    assert list(items) == ["cdiac_fossil_co2"]
    assert items["cdiac_fossil_co2"].shape == (24, 180, 360)


def test_missing_file(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        cdiac.read_grid(2013, empty_settings)


def test_malformed_files(tmp_path):
    short = tmp_path / "gridcar.2013"
    short.write_text(" 0.000000E+00\n" * 100)
    with pytest.raises(SourceFormatError, match="expected 64800 values"):
        cdiac.parse_gridcar(short)
    text = tmp_path / "gridcar.2012"
    text.write_text("<html>not found</html>\n")
    with pytest.raises(SourceFormatError, match="non-numeric"):
        cdiac.parse_gridcar(text)
    summ = tmp_path / "SUMMARY.MASS.DAT"
    summ.write_text("nothing here\n")
    with pytest.raises(SourceFormatError, match="year mingrid maxgrid gridsum"):
        cdiac.parse_summary(summ)
