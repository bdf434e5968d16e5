"""Tests of engine.sources.industry on the real files (values from industry_production/PROVENANCE.txt)."""

from __future__ import annotations

import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import industry as ind


@pytest.fixture(scope="module")
def items(settings):
    return ind.pack_items(settings)


@pytest.fixture(scope="module")
def table(items):
    return items["industry_production"]


def value(table, commodity, year, iso3):
    rows = table[(table["commodity"] == commodity) & (table["year"] == year) & (table["iso3"] == iso3)]
    assert len(rows) == 1, (commodity, year, iso3)
    return float(rows["production_kt"].iloc[0])


@pytest.mark.parametrize("iso3, kt", [("CHN", 928_264), ("IND", 109_272), ("JPN", 104_319), ("USA", 86_607),
                                      ("DEU", 42_435)])
def test_crude_steel_2018(table, iso3, kt):
    """PROVENANCE.txt (crude_steel_by_country_2000-2018_tidy.csv, worldsteel): 2018 crude steel [kt]."""
    assert value(table, "crude_steel", 2018, iso3) == pytest.approx(kt, abs=1)


@pytest.mark.parametrize("iso3, kt", [("CHN", 2_331_000), ("IND", 281_000), ("USA", 86_799), ("TUR", 80_552),
                                      ("VNM", 78_843)])
def test_cement_2017(table, iso3, kt):
    """PROVENANCE.txt (USGS Minerals Yearbook 2017 Table 22): 2017 hydraulic cement [kt]."""
    assert value(table, "cement", 2017, iso3) == pytest.approx(kt, abs=1)


@pytest.mark.parametrize("iso3, kt", [("CHN", 38_900), ("IND", 3_967), ("RUS", 3_640), ("CAN", 3_137),
                                      ("ARE", 2_540), ("BHR", 1_561), ("NOR", 1_400), ("USA", 889)])
def test_aluminium_2021(table, iso3, kt):
    """PROVENANCE.txt (CEDS_Aluminum_Production.xlsx, USGS MCS): 2021 primary aluminium [kt]."""
    assert value(table, "primary_aluminium", 2021, iso3) == pytest.approx(kt, abs=0.5)


def test_aluminium_world_and_extrapolation(table, settings):
    """PROVENANCE.txt: the dropped "Sum" row gives World 2021 = 66,710 kt; 2022-2023 are flat copies of 2021."""
    al = table[table["commodity"] == "primary_aluminium"]
    assert al.loc[al["year"] == 2021, "production_kt"].sum() == pytest.approx(66_710, abs=1)
    assert set(al.loc[al["is_extrapolated"], "year"]) == {2022, 2023}
    assert not al.loc[al["year"] <= 2021, "is_extrapolated"].any()
    assert "Sum" not in set(al["iso3"])
    default = ind.production(settings)
    assert default.loc[default["commodity"] == "primary_aluminium", "year"].max() == 2021


@pytest.mark.parametrize("iso3, kt", [("WLD", 1_281_998), ("CHN", 809_365), ("IND", 74_156), ("JPN", 74_907),
                                      ("USA", 22_301), ("DEU", 25_520)])
def test_pig_iron_2019(table, iso3, kt):
    """PROVENANCE.txt (worldsteel Steel Statistical Yearbook 2020 via CEDS): 2019 pig iron [kt]."""
    assert value(table, "pig_iron", 2019, iso3) == pytest.approx(kt, abs=1)


def test_shape_and_keys(table):
    assert list(table.columns) == ind.COLUMNS
    assert set(table["commodity"]) == set(ind.COMMODITIES)
    assert not table.duplicated(["iso3", "year", "commodity"]).any()
    assert table.attrs["credit"] == "Source: World Steel Association"
    assert table.attrs["units"] == {"production_kt": "kt"}
    assert (table["production_kt"] >= 0).all()
    assert set(table["region_type"]) == {"country", "world", "other"}
    assert set(table.loc[table["region_type"] == "world", "iso3"]) == {"WLD"}
    spans = table.groupby("commodity")["year"].agg(["min", "max"])
    assert tuple(spans.loc["crude_steel"]) == (2000, 2018)
    assert tuple(spans.loc["pig_iron"]) == (2010, 2019)
    assert tuple(spans.loc["cement"]) == (1998, 2017)
    countries = table[table["region_type"] == "country"].groupby("commodity")["iso3"].nunique()
    assert countries["crude_steel"] == 97 and countries["cement"] >= 155 and 45 <= countries["pig_iron"] <= 50


def test_cement_series_sources(table, items):
    """2013-2017 come from the tidy MYB-2017 CSV, earlier years from the latest CEDS edition."""
    cem = table[table["commodity"] == "cement"]
    assert (cem.loc[cem["year"] >= 2013, "source_file"] == ind.CEMENT_FILE).mean() > 0.95
    assert cem.loc[cem["year"] < 2013, "source_file"].str.startswith(ind.CEMENT_CEDS_FILE + "#").all()
    # China 2012 from the "2019" sheet (Minerals Yearbook 2016).
    chn12 = cem[(cem["iso3"] == "CHN") & (cem["year"] == 2012)]
    assert chn12["source_file"].iloc[0].endswith("#2019")
    assert float(chn12["production_kt"].iloc[0]) == pytest.approx(2_210_000)
    eds = items["industry_production_cement_editions"]
    assert set(eds["edition"]) == set(ind.CEMENT_EDITIONS)
    assert "XKX" in set(eds["iso3"]) and "CIV" in set(eds["iso3"])
    # The mapping-sheet erratum (Côte d'Ivoire listed as CRI) must not create a second Costa Rica.
    assert not eds.duplicated(["iso3", "year", "edition"]).any()


def test_former_yugoslavia_is_scg(table):
    steel = table[(table["commodity"] == "crude_steel") & (table["iso3"] == "SCG")]
    assert set(steel["year"]) == set(range(2000, 2006))


def test_missing_file(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        ind.read_crude_steel(empty_settings)


def test_malformed_files(tmp_path):
    csv = tmp_path / "steel.csv"
    csv.write_text("locality,year,value,units \nChina,2018,\"1,000\",Mt\n")
    with pytest.raises(SourceFormatError, match=r"crude_steel.*units 'kt'"):
        ind.parse_crude_steel(csv)
    csv.write_text("country,year,value\nChina,2018,1\n")
    with pytest.raises(SourceFormatError, match="locality, year, value, units"):
        ind.parse_cement_usgs(csv)
    xlsx = tmp_path / "al.xlsx"
    import pandas as pd

    pd.DataFrame({"a": [1, 2, 3, 4], "b": ["x", "y", "z", "w"]}).to_excel(xlsx, index=False, header=False)
    with pytest.raises(SourceFormatError, match="ISO-Numeric"):
        ind.parse_aluminium(xlsx)
    with pytest.raises(SourceFormatError, match="Countries"):
        ind.parse_pig_iron(xlsx)
    with pytest.raises(SourceFormatError, match="mapping"):
        ind.parse_cement_ceds(xlsx)
    notxlsx = tmp_path / "bad.xlsx"
    notxlsx.write_text("not a workbook")
    with pytest.raises(SourceFormatError, match="CEDS_Aluminum_Production.xlsx"):
        ind.parse_aluminium(notxlsx)
