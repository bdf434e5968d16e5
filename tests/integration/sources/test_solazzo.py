"""Solazzo et al. (2021) uncertainty table (engine.sources.solazzo): values checked against the paper."""

from __future__ import annotations

import pytest

from engine.sources.solazzo import parse_uncertainty, read_uncertainty


@pytest.fixture(scope="module")
def table(settings):
    return read_uncertainty(settings).set_index(["iso3", "ipcc", "gas"])


@pytest.mark.parametrize("iso,code,gas,lo,hi", [
    ("CHN", "1.A.1", "CO2", 0.107, 0.107),   # Solazzo et al. (2021) Fig. 5: China power CO2 ±10.7 %
    ("USA", "1.A.1", "CO2", 0.036, 0.036),   # USA power CO2 ±3.6 %
    ("CHN", "1.B.1", "CH4", 0.485, 0.485),   # Fig. 7: China coal-mining CH4 ±48 %
    ("USA", "3.A.1", "CH4", 0.24, 0.24),     # USA enteric fermentation CH4 ±24 %
    ("CHN", "4.A", "CH4", 1.225, 1.225),     # China landfills CH4 ±122 %
    ("CHN", "3.C.4", "N2O", 3.14, 3.14),     # Fig. 8: China direct soil N2O +314 %
])
def test_published_ranges(table, iso, code, gas, lo, hi):
    row = table.loc[(iso, code, gas)]
    assert row["rel_lo"] == pytest.approx(lo, abs=0.006) and row["rel_hi"] == pytest.approx(hi, abs=0.006)


def test_shape_and_quirks(settings, table):
    t = read_uncertainty(settings)
    assert len(t) == 4970 and t.attrs["dropped_zero_rows"] == 1  # Switzerland's zero landfill CH4 has no range
    assert set(t["gas"]) == {"CO2", "CH4", "N2O"} and t["iso3"].nunique() == 224
    assert (t["rel_hi"] > 1).any()  # ranges above 100 % exist (lognormal in the paper)


def test_bad_files_are_refused(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text('"","country","emi","rel.unc.min","rel.unc.max","sector","L1"\n"1","AAA",1,0.1,0.1,"1.A","SF6"\n')
    from engine.core.errors import SourceFormatError

    with pytest.raises(SourceFormatError, match="unknown gases"):
        parse_uncertainty(bad)
    bad.write_text('"","country","emi","rel.unc.min","rel.unc.max","sector","L1"\n'
                   '"1","AAA",1,0.1,0.1,"1.A","CO2"\n"2","AAA",1,0.1,0.1,"1.A.1","CO2"\n')
    with pytest.raises(SourceFormatError, match="sub-categories"):
        parse_uncertainty(bad)
