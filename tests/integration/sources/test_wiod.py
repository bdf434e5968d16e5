"""Tests of engine.sources.wiod on the real WIOD 2013 files (bquast/wiod R package data).

Pinned numbers were measured on the registry files (data/sources.toml, sha256-verified) and checked against the
quirks listed in ``SOURCES.md`` ("Known quirks: WIOD 2013 RData") and ``wiod2013/PROVENANCE.txt``.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.data.fetch import resolve
from engine.sources import wiod


@pytest.fixture(scope="module")
def t2011(settings):
    return wiod.read_wiot(2011, settings)


def _label(i: int) -> tuple[str, str]:
    return wiod.REGIONS[i // wiod.N_SECTORS], list(wiod.SECTORS)[i % wiod.N_SECTORS]


def test_constants():
    """41 regions (40 countries + RoW last, Romania as ROM), 35 sectors, 5 FD categories, 1995-2011."""
    assert len(wiod.REGIONS) == 41 and wiod.REGIONS[-1] == "RoW"
    assert "ROM" in wiod.REGIONS and "ROU" not in wiod.REGIONS
    assert wiod.REGION_ISO3["ROM"] == "ROU" and wiod.REGION_ISO3["RoW"] == "ROW"
    assert wiod.REGION_ISO3["DEU"] == "DEU"
    assert list(wiod.SECTORS) == [f"c{i}" for i in range(1, 36)]
    assert wiod.SECTORS["c17"] == "Electricity, Gas and Water Supply" and wiod.SECTOR_NACE11["c17"] == "E"
    assert list(wiod.FD_CATEGORIES) == ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]
    assert list(wiod.YEARS) == list(range(1995, 2012))
    with pytest.raises(TypeError):
        wiod.SECTORS["c36"] = "x"  # read-only mapping


def test_shapes_and_dtypes(t2011):
    """wiot_2011.RData: inter 1435x1435, final 1435x205, output 1435 (PROVENANCE.txt 'CONTENT per year')."""
    assert t2011.year == 2011
    assert t2011.Z.shape == (1435, 1435) and t2011.Y.shape == (1435, 205) and t2011.x.shape == (1435,)
    for a in (t2011.Z, t2011.Y, t2011.x):
        assert a.dtype == np.float64 and not a.flags.writeable
    assert t2011.regions == wiod.REGIONS and t2011.sectors == tuple(wiod.SECTORS)
    assert t2011.iso3[32] == "ROU" and t2011.iso3[-1] == "ROW"
    labels = t2011.row_labels()
    assert len(labels) == 1435 and labels.loc[32 * 35, "region"] == "ROM" and labels.loc[32 * 35, "iso3"] == "ROU"
    assert labels.loc[6 * 35 + 16, ["region", "sector"]].tolist() == ["CHN", "c17"]


def test_values_are_whole_million_usd(t2011):
    """SOURCES.md: 'Values are rounded to whole million USD'; intermediate use is never negative."""
    for a in (t2011.Z, t2011.Y, t2011.x):
        assert np.array_equal(a, np.round(a))
    assert (t2011.Z >= 0).all() and (t2011.x >= 0).all()


def test_zero_output_region_sectors_2011(t2011):
    """SOURCES.md: '22 region-sectors have zero output (e.g. c35 in many countries, c19 in CHN/IDN)'.

    Measured on wiot_2011.RData: 14 x c35, c19 in CHN and IDN, c8 in CYP/LUX/LVA/MLT, c5 in LUX and SWE.
    """
    zero = {_label(i) for i in np.flatnonzero(t2011.x == 0)}
    assert len(zero) == 22
    assert {("CHN", "c19"), ("IDN", "c19"), ("AUS", "c35"), ("CYP", "c8"), ("SWE", "c5")} <= zero
    assert sum(1 for _, s in zero if s == "c35") == 14
    # two of them still carry a -1 inventory change (rounding): LUX c5 and c8
    flows = t2011.x_from_flows
    assert {_label(i) for i in np.flatnonzero(flows < 0)} == {("LUX", "c5"), ("LUX", "c8")}


def test_negative_final_demand_2011(t2011):
    """SOURCES.md: '352 final-demand cells are negative (inventory changes)'. Measured in 2011: 346 in
    INVEN and 6 in GFCF, summing to -170,065 million USD; none in the consumption categories."""
    neg = t2011.Y < 0
    assert neg.sum() == 352
    by_cat = np.bincount(np.nonzero(neg)[1] % 5, minlength=5)
    assert by_cat.tolist() == [0, 0, 0, 6, 346]
    assert t2011.Y[neg].sum() == pytest.approx(-170_065, abs=0.5)


def test_row_balance(t2011):
    """SOURCES.md / PROVENANCE.txt: rounding leaves the row balance x = Z1 + Y1 off by a median ~0.2 %.
    Measured for 2011: median 0.187 %, largest absolute gap 108 million USD."""
    x, s = t2011.x, t2011.x_from_flows
    m = x > 0
    rel = np.abs(s[m] - x[m]) / x[m]
    assert 0.0015 < np.median(rel) < 0.0025
    assert np.abs(s - x).max() == pytest.approx(108, abs=0.5)


def test_world_totals_2011(t2011):
    """World gross output 2011 as published (sum of wiot_2011$output) = 141,767,904 million USD; rebuilt from
    flows (Z1 + Y1) = 141,708,692; world final use 69,268,600 (measured on the registry file)."""
    assert t2011.x.sum() == pytest.approx(141_767_904, abs=0.5)
    assert t2011.x_from_flows.sum() == pytest.approx(141_708_692, abs=0.5)
    assert t2011.Y.sum() == pytest.approx(69_268_600, abs=0.5)
    # consumption = production when output is rebuilt from the flows
    assert t2011.x_from_flows.sum() == pytest.approx(t2011.Z.sum() + t2011.Y.sum(), rel=1e-12)


def test_final_demand_columns_are_region_major(t2011):
    """SOURCES.md: final-demand columns are region-major by 5 categories. With that reading ~91 % of final use
    is bought from the own region (home bias); the category-major reading would give ~1 %."""
    fd = wiod.final_demand_by_region(t2011.Y)
    assert fd.shape == (1435, 41)
    assert fd.sum() == pytest.approx(t2011.Y.sum(), rel=1e-12)
    blocks = fd.reshape(41, 35, 41).sum(axis=1)
    home = np.trace(blocks) / blocks.sum()
    assert home == pytest.approx(0.912, abs=0.005)
    cat = t2011.Y.reshape(1435, 41, 5).sum(axis=(0, 1))
    assert cat.argmax() == 0  # households are the largest category
    labels = wiod.fd_column_labels()
    assert labels.loc[7, ["region", "category"]].tolist() == ["AUT", "CONS_g"]
    with pytest.raises(ValueError, match="205 columns"):
        wiod.final_demand_by_region(np.zeros((3, 41)))


def test_sector_names_match_package(settings):
    """The 35 names equal the industries stored in wiot_regional_2011.RData of the same R package."""
    path = resolve(wiod.SOURCE_ID, "wiot_regional_2011.RData", settings)
    reg = wiod._load_rdata(path)["wiot_reg_2011"]
    assert [str(s) for s in reg["industries"]] == list(wiod.SECTORS.values())


def test_industry_classes_are_wiod2016(settings):
    """WIOD_IndClass.rda holds the WIOD 2016 classification (56 NACE Rev.2 industries), whose final-demand
    names are the ones used for FD_CATEGORIES."""
    cls = wiod.read_industry_classes(settings)
    ind = cls[cls.kind == "industry"]
    assert len(ind) == 56 and ind.code.iloc[0] == "A01" and "D35" in set(ind.code)
    fd = cls[cls.kind == "final_demand"].set_index("code")["description"].to_dict()
    assert fd == dict(wiod.FD_CATEGORIES)
    corr = wiod.parse_correspondence(resolve(wiod.SOURCE_ID, wiod.CORR_FILE, settings))
    assert len(corr["WIOD_NACErev2"]) == 64 and list(corr["WIOD_ESTAT"].wiod[:5]) == list(wiod.FD_CATEGORIES)


def test_read_wiot_bad_year(settings):
    for bad in (1994, 2012, "2011", 2011.5):
        with pytest.raises(ValueError, match="1995.2011"):
            wiod.read_wiot(bad, settings)


def test_read_wiot_missing(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        wiod.read_wiot(2011, empty_settings)


def test_parse_wiot_not_rdata(tmp_path):
    p = tmp_path / "wiot_2011.RData"
    p.write_bytes(b"this is not an R data file")
    with pytest.raises(SourceFormatError, match="wiot_2011.RData: not a readable R data file"):
        wiod.parse_wiot(p, 2011)


def _small_rda(path, name="wiot_2011", n=3):
    import rdata

    rdata.write_rda(path, {name: {
        "year": np.array([2011]), "inter": np.zeros((n, n)), "final": np.zeros((n, 2)), "output": np.zeros(n),
        "countries": np.array(list(wiod.REGIONS)), "industries": np.array(list(wiod.SECTORS)),
    }})


def test_parse_wiot_wrong_shape(tmp_path):
    p = tmp_path / "wiot_2011.RData"
    _small_rda(p)
    with pytest.raises(SourceFormatError, match=r"wiot_2011\$inter has shape \(3, 3\), expected \(1435, 1435\)"):
        wiod.parse_wiot(p, 2011)


def test_parse_wiot_wrong_object(tmp_path):
    p = tmp_path / "wiot_2010.RData"
    _small_rda(p, name="something_else")
    with pytest.raises(SourceFormatError, match="expected an R object named 'wiot_2010'"):
        wiod.parse_wiot(p, 2010)


def test_pack_items(settings):
    """All 17 years read and packed; world gross output grows from 55.2 (1995) to 141.8 (2011) trillion USD."""
    items = wiod.pack_items(settings)
    years = [k for k in items if k.startswith("wiod_") and k[5:].isdigit()]
    assert years == [f"wiod_{y}" for y in range(1995, 2012)]
    for k in years:
        a = items[k]
        assert set(a) == {"Z", "Y", "x"}
        assert a["Z"].shape == (1435, 1435) and a["Y"].shape == (1435, 205) and a["Z"].dtype == np.float64
    assert items["wiod_1995"]["x"].sum() == pytest.approx(55_182_318, abs=0.5)
    assert items["wiod_2011"]["x"].sum() == pytest.approx(141_767_904, abs=0.5)
    lab = items["wiod_labels"]
    assert list(lab.columns) == ["row", "region", "iso3", "sector", "sector_name", "nace_rev11"]
    assert len(lab) == 1435 and lab["row"].is_unique
    assert len(items["wiod_sectors"]) == 35 and len(items["wiod_fd_labels"]) == 205
    assert items["wiod_labels"].attrs["source"] == "wiod2013"
