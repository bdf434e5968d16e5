"""Tests of the Climate Watch (CAIT 2021) reader (engine/sources/cait.py) on the real files."""

from __future__ import annotations

import pandas as pd
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import cait


@pytest.fixture(scope="module")
def emissions(settings):
    items = cait.pack_items(settings)
    assert set(items) == {"cait_emissions"}
    return items["cait_emissions"]


@pytest.fixture(scope="module")
def wide(emissions):
    return emissions.pivot_table(index=["iso3", "year", "gas"], columns="sector", values="emissions_mt_co2e")


@pytest.mark.parametrize(
    "iso3, excl, incl",
    [("CHN", 12355.2, 11705.8), ("USA", 6023.6, 5794.4), ("JPN", 1186.8, 1154.7)],
)
def test_ghg_2018_pinned(wide, iso3, excl, incl):
    """2018 GHG excl./incl. LUCF [Mt CO2e, AR4]: cait2021/PROVENANCE.txt ('GHG Emissions by Country and Sector
    (CAIT, 2021).csv'): CHN 12355.2/11705.8, USA 6023.6/5794.4, JPN 1186.8/1154.7."""
    row = wide.loc[(iso3, 2018, "GHG")]
    assert row[cait.TOTAL_EXCL_LUCF] == pytest.approx(excl, abs=0.06)
    assert row[cait.TOTAL_INCL_LUCF] == pytest.approx(incl, abs=0.06)


def test_china_lucf_2018(wide):
    """China 2018 LUCF = -649.4 Mt CO2e (cait2021/PROVENANCE.txt; negative = net sink)."""
    assert wide.loc[("CHN", 2018, "GHG"), cait.LUCF] == pytest.approx(-649.4, abs=0.06)


@pytest.mark.parametrize("iso3", ["CHN", "USA", "JPN", "DEU", "IND", "WLD"])
def test_sector_hierarchy(wide, iso3):
    """Energy = its six sub-sectors; total excl. LUCF = Energy + Industry + Agriculture + Waste; total incl. =
    excl. + LUCF (rounding of the published 0.01 Mt values); aviation and shipping is a memo item outside them."""
    w = wide.xs(iso3, level="iso3")
    subs = [s for s, lvl in cait.SECTOR_LEVELS.items() if lvl == "subsector"]
    energy = w[[s for s in subs if s in w]].sum(axis=1)
    assert ((energy - w["Energy"]).abs() < 0.1).all()
    main = w[[s for s in ["Energy", "Industry", "Agriculture", "Waste"] if s in w]].sum(axis=1)
    assert ((main - w[cait.TOTAL_EXCL_LUCF]).abs() < 0.1).all()
    incl = w[cait.TOTAL_EXCL_LUCF] + w[cait.LUCF]
    assert ((incl - w[cait.TOTAL_INCL_LUCF]).abs() < 0.1).all()


def test_gases_and_fgases(wide):
    """GHG totals exceed CO2 + CH4 + N2O by the F-gases (>= 0), e.g. China 2018."""
    t = wide[cait.TOTAL_EXCL_LUCF].unstack("gas")
    gap = (t["GHG"] - (t["CO2"] + t["CH4"] + t["N2O"])).dropna()
    assert (gap > -0.05).all()
    assert 100 < gap.loc[("CHN", 2018)] < 600


def test_shape_units_codes(emissions):
    assert set(emissions["gas"]) == {"GHG", "CO2", "CH4", "N2O"}
    assert emissions["year"].min() == 1990 and emissions["year"].max() == 2018
    assert emissions["iso3"].nunique() == 195
    assert set(emissions.loc[emissions["is_aggregate"], "iso3"]) == {"WLD", "EU27"}
    assert emissions.loc[~emissions["is_aggregate"], "iso3"].str.fullmatch("[A-Z]{3}").all()
    assert "TLS" in set(emissions["iso3"])
    assert not emissions.duplicated(["iso3", "year", "gas", "sector"]).any()
    assert set(emissions["level"]) == {"total", "sector", "subsector", "memo"}
    assert emissions.attrs["source"] == "cait2021"
    assert "AR4" in emissions.attrs["units"]["emissions_mt_co2e"]
    chn = emissions.query("iso3 == 'CHN' and year == 2018 and gas == 'GHG' and sector == 'Total excluding LUCF'")
    assert float(chn["per_capita_t_co2e"].iloc[0]) == pytest.approx(8.65, abs=0.01)


def test_read_missing_file_says_fetch(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        cait.read_emissions(empty_settings)


def test_parse_missing_total_column_raises(tmp_path):
    path = tmp_path / "bad.csv"
    pd.DataFrame({"Country": ["China"], "Year": [2018], "Energy": [1.0]}).to_csv(path, index=False)
    with pytest.raises(SourceFormatError, match="Total excluding LUCF"):
        cait.parse_gas_file(path, "CO2")


def test_parse_unknown_sector_raises(tmp_path):
    path = tmp_path / "bad.csv"
    pd.DataFrame(
        {"Country": ["China"], "Year": [2018], "Total excluding LUCF": [1.0], "Total including LUCF": [1.0],
         "Space": [0.5]}
    ).to_csv(path, index=False)
    with pytest.raises(SourceFormatError, match="unknown sector columns .*Space"):
        cait.parse_gas_file(path, "GHG")


def test_parse_unmappable_country_raises(tmp_path):
    path = tmp_path / "bad.csv"
    pd.DataFrame(
        {"Country": ["Atlantis"], "Year": [2018], "Total excluding LUCF": [1.0], "Total including LUCF": [1.0]}
    ).to_csv(path, index=False)
    with pytest.raises(SourceFormatError, match="Atlantis"):
        cait.parse_gas_file(path, "GHG")


def test_bad_gas_argument():
    with pytest.raises(ValueError, match="gas must be one of"):
        cait.parse_gas_file("x.csv", "SF6")
