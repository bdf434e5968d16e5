"""GPWv4 rev11 2020 population count at 1 degree (engine.sources.gpw)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import gpw


@pytest.fixture(scope="module")
def pop(settings):
    return gpw.read_population(settings)


def test_grid(pop):
    assert pop.dims == ("lat", "lon") and pop.shape == (180, 360)
    assert pop["lat"].values[[0, -1]].tolist() == [89.5, -89.5]
    assert pop["lon"].values[[0, -1]].tolist() == [-179.5, 179.5]
    assert pop.attrs["units"] == "persons cell-1"
    assert float(pop.min()) == 0.0  # NODATA -> 0
    assert pop.attrs["nodata_cells"] > 30000  # oceans


def test_total_and_max_cell(pop):
    """REFERENCES.md "Gridded checks" / PROVENANCE: total 7.97e9; max 36.0 M at 6.5S 106.5E (Jakarta)."""
    assert float(pop.sum()) == pytest.approx(7.97e9, rel=0.002)
    i, j = np.unravel_index(int(np.argmax(pop.values)), pop.shape)
    assert float(pop.max()) == pytest.approx(36.0e6, rel=0.002)
    assert (float(pop["lat"][i]), float(pop["lon"][j])) == (-6.5, 106.5)


def test_pack_items(settings):
    assert list(gpw.pack_items(settings)) == ["gpw_population_1deg"]


def test_missing_file(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        gpw.read_population(empty_settings)


def test_small_and_malformed_grids(tmp_path):
    ok = tmp_path / "ok.asc"
    ok.write_text("ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\nNODATA_value -9999\n"
                  "1 2 -9999\n4 5 6\n")
    g = gpw.parse_population(ok)
    assert g["lat"].values.tolist() == [1.5, 0.5] and g["lon"].values.tolist() == [0.5, 1.5, 2.5]
    assert g.values.tolist() == [[1, 2, 0], [4, 5, 6]]
    short = tmp_path / "short.asc"
    short.write_text("ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3\n")
    with pytest.raises(SourceFormatError, match="expected 2 x 3 = 6 values"):
        gpw.parse_population(short)
    nohead = tmp_path / "nohead.asc"
    nohead.write_text("1 2 3\n")
    with pytest.raises(SourceFormatError, match="ESRI ASCII grid header"):
        gpw.parse_population(nohead)
