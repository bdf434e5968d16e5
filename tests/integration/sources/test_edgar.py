"""Tests of the EDGAR 2024 GHG booklet reader (engine/sources/edgar.py) on the real file."""

from __future__ import annotations

import time

import openpyxl
import pandas as pd
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import edgar


@pytest.fixture(scope="module")
def items(settings):
    start = time.perf_counter()
    out = edgar.pack_items(settings)
    out["_seconds"] = time.perf_counter() - start
    return out


@pytest.fixture(scope="module")
def sector(items):
    return items["edgar_ghg_by_sector"]


@pytest.fixture(scope="module")
def totals(items):
    return items["edgar_ghg_totals"]


def _value(df, iso3, year, col):
    row = df[(df["iso3"] == iso3) & (df["year"] == year)]
    assert len(row) == 1, (iso3, year, len(row))
    return float(row[col].iloc[0])


@pytest.mark.parametrize("iso3, expected", [("CHN", 15159.6), ("USA", 6046.2), ("JPN", 1107.6)])
def test_totals_2022_pinned(totals, iso3, expected):
    """GHG excl. LULUCF 2022 [Mt CO2e, AR5]: REFERENCES.md "EDGAR" and edgar2024/PROVENANCE.txt
    (EDGAR 2024 booklet, sheet GHG_totals_by_country): China 15,159.6; USA 6,046.2; Japan 1,107.6."""
    assert _value(totals, iso3, 2022, "ghg_mt_co2e") == pytest.approx(expected, abs=0.06)


def test_sector_rows_sum_to_totals_sheet(sector, totals):
    """Sheet GHG_by_sector_and_country summed over sectors and gases equals GHG_totals_by_country for every
    country (and bunker/aggregate line) and year."""
    summed = sector.groupby(["iso3", "year"])["emissions_mt_co2e"].sum()
    published = totals.set_index(["iso3", "year"])["ghg_mt_co2e"]
    joined = pd.concat([summed.rename("s"), published.rename("t")], axis=1)
    assert joined["s"].notna().all() and joined["t"].notna().all(), "country-years in one sheet only"
    assert (joined["s"] - joined["t"]).abs().max() < 1e-6 * max(1.0, joined["t"].abs().max())


@pytest.mark.parametrize("table, col", [("edgar_ghg_by_sector", "emissions_mt_co2e"),
                                        ("edgar_ghg_totals", "ghg_mt_co2e")])
def test_countries_plus_bunkers_sum_to_global_total(items, table, col):
    """Countries + international aviation + shipping = the booklet's GLOBAL TOTAL, every year (no double
    counting, nothing dropped)."""
    df = items[table]
    parts = df[~df["is_aggregate"]].groupby("year")[col].sum()
    world = df[df["iso3"] == "WLD"].groupby("year")[col].sum()
    assert (parts - world).abs().max() < 1e-6
    assert world[2022] == pytest.approx(51968.5, abs=1.0)  # booklet GLOBAL TOTAL 2022


def test_bunkers_are_own_lines(sector, totals):
    """International aviation (EDGAR 'AIR') and shipping ('SEA') are kept as BUNKERS_AIR / BUNKERS_SEA,
    not countries and not aggregates, with transport CO2 of a plausible size (hundreds of Mt)."""
    for df in (sector, totals):
        assert {"BUNKERS_AIR", "BUNKERS_SEA"} <= set(df["iso3"])
        assert not df.loc[df["iso3"].isin(edgar.BUNKERS), "is_aggregate"].any()
    air = sector[(sector.iso3 == "BUNKERS_AIR") & (sector.year == 2022) & (sector.gas == "CO2")]
    sea = sector[(sector.iso3 == "BUNKERS_SEA") & (sector.year == 2022) & (sector.gas == "CO2")]
    assert 300 < air["emissions_mt_co2e"].sum() < 600
    assert 500 < sea["emissions_mt_co2e"].sum() < 900


def test_codes(sector, totals):
    """EDGAR codes differing from ISO3 are mapped (ANT->CUW, AIR/SEA->BUNKERS_*, GLOBAL TOTAL->WLD); aggregates
    are flagged; all other codes are 3-letter."""
    codes = set(totals["iso3"])
    assert {"CUW", "SCG", "WLD", "EU27"} <= codes
    assert not {"ANT", "AIR", "SEA", "GLOBAL TOTAL"} & codes
    assert set(totals.loc[totals["is_aggregate"], "iso3"]) == {"WLD", "EU27"}
    plain = totals.loc[~totals["is_aggregate"] & ~totals["iso3"].isin(edgar.BUNKERS), "iso3"]
    assert plain.str.fullmatch(r"[A-Z]{3}").all()
    assert totals.loc[totals.iso3 == "CUW", "edgar_code"].eq("ANT").all()
    assert set(sector["iso3"]) == codes


def test_shape_and_units(sector, totals):
    assert set(sector["sector"]) == set(edgar.SECTORS)
    assert set(sector["gas"]) == {"CO2", "CH4", "N2O", "F-gases"}
    assert sector["year"].min() == 1970 and sector["year"].max() == 2023
    assert sector["iso3"].nunique() > 200
    assert not sector.duplicated(["iso3", "sector", "gas", "year"]).any()
    assert not totals.duplicated(["iso3", "year"]).any()
    assert sector.attrs["source"] == "edgar2024" and "emissions_mt_co2e" in sector.attrs["units"]
    assert "AR5" in totals.attrs["units"]["ghg_mt_co2e"]
    assert sector["emissions_mt_co2e"].notna().all()


def test_per_capita_implies_plausible_population(items, totals):
    """totals / per-capita gives the population the booklet used: China 2022 ~1.41 billion, World ~7.9-8.0
    billion (UN WPP 2022 order of magnitude)."""
    pc = items["edgar_ghg_per_capita"]
    assert pc.attrs["units"]["ghg_t_co2e_per_capita"].startswith("t CO2e")
    for iso3, low, high in [("CHN", 1.38e9, 1.44e9), ("WLD", 7.8e9, 8.1e9)]:
        pop = _value(totals, iso3, 2022, "ghg_mt_co2e") * 1e6 / _value(pc, iso3, 2022, "ghg_t_co2e_per_capita")
        assert low < pop < high, (iso3, pop)


def test_per_gdp(items):
    gdp = items["edgar_ghg_per_gdp"]
    assert gdp["year"].min() == 1990 and gdp["year"].max() == 2023
    assert (gdp["ghg_t_co2e_per_kusd"] > 0).all()
    assert not gdp.duplicated(["iso3", "year"]).any()


def test_lulucf_macroregions(items):
    """Macro-region LULUCF components add up to the published GLOBAL TOTAL 'Net' line (Mt CO2e)."""
    lu = items["edgar_lulucf_macroregions"]
    regions = set(lu.loc[~lu["is_aggregate"], "region"])
    assert len(regions) == 10 and "Eastern Asia" in regions
    parts = lu[~lu["is_aggregate"] & (lu["sector"] != "Net")].groupby("year")["emissions_mt_co2e"].sum()
    net = lu[(lu["region"] == "GLOBAL TOTAL") & (lu["sector"] == "Net")].set_index("year")["emissions_mt_co2e"]
    assert (parts - net).abs().max() < 1e-6
    assert lu["year"].min() == 1990 and lu["year"].max() == 2023
    forest = lu[(lu.region == "GLOBAL TOTAL") & (lu.sector == "Forest Land") & (lu.year == 2022)]
    assert float(forest["emissions_mt_co2e"].iloc[0]) < 0  # forest land is a net sink


def test_pack_items(items):
    assert set(k for k in items if not k.startswith("_")) == {
        "edgar_ghg_by_sector", "edgar_ghg_totals", "edgar_ghg_per_capita", "edgar_ghg_per_gdp",
        "edgar_lulucf_macroregions",
    }


def test_read_missing_file_says_fetch(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        edgar.read_ghg_totals(empty_settings)


def _workbook(path, sheet, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_parse_missing_column_raises(tmp_path):
    path = _workbook(tmp_path / "bad.xlsx", "GHG_totals_by_country", [["Code", "Country", 1970], ["CHN", "China", 1.0]])
    with pytest.raises(SourceFormatError, match="EDGAR Country Code"):
        edgar.parse_ghg_totals(path)


def test_parse_missing_sheet_raises(tmp_path):
    path = _workbook(tmp_path / "bad.xlsx", "other", [["x"]])
    with pytest.raises(SourceFormatError, match="GHG_by_sector_and_country"):
        edgar.parse_ghg_by_sector(path)


def test_parse_unknown_sector_raises(tmp_path):
    rows = [["Substance", "Sector", "EDGAR Country Code", "Country", 1970],
            ["CO2", "Space travel", "CHN", "China", 1.0]]
    path = _workbook(tmp_path / "bad.xlsx", "GHG_by_sector_and_country", rows)
    with pytest.raises(SourceFormatError, match="unexpected substances .* sectors"):
        edgar.parse_ghg_by_sector(path)


def test_parse_not_a_workbook_raises(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_text("not a spreadsheet")
    with pytest.raises(SourceFormatError, match="not a readable Excel workbook"):
        edgar.parse_ghg_totals(path)
