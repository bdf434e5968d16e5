"""Tests of engine.sources.solar_exports on the real Ember file (values from ember_china_solar_exports/PROVENANCE.txt)."""

from __future__ import annotations

import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import solar_exports as se


@pytest.fixture(scope="module")
def items(settings):
    return se.pack_items(settings)


@pytest.fixture(scope="module")
def monthly(items):
    return items["ember_china_solar_exports_monthly"]


@pytest.fixture(scope="module")
def annual(items):
    return items["ember_china_solar_exports_annual"]


@pytest.mark.parametrize("year, mw", [(2017, 33_221), (2020, 84_621), (2022, 155_757), (2023, 209_259),
                                      (2024, 237_236), (2025, 191_732)])
def test_panel_totals(annual, year, mw):
    """PROVENANCE.txt: panels, sum over country rows [MW]; matches Ember's ~208 GW (2023) and ~236 GW (2024)."""
    got = annual[(annual["commodity"] == "panels") & (annual["year"] == year)]["capacity_mw"].sum()
    assert got == pytest.approx(mw, abs=1.5)


def test_top_destinations_2024(annual):
    """PROVENANCE.txt: top 2024 destinations, all commodities: India 55.3 GW, Netherlands 39.2, Brazil 22.0,
    Pakistan 16.6, Saudi Arabia 16.1, Thailand 15.6."""
    gw = annual[annual["year"] == 2024].groupby("iso3")["capacity_mw"].sum().sort_values(ascending=False) / 1e3
    assert list(gw.index[:3]) == ["IND", "NLD", "BRA"]
    for iso3, val in {"IND": 55.3, "NLD": 39.2, "BRA": 22.0, "PAK": 16.6, "SAU": 16.1, "THA": 15.6}.items():
        assert gw[iso3] == pytest.approx(val, abs=0.05), iso3


def test_world_region_matches_countries(items, annual):
    """The "World" region row equals the sum of destination rows (within rounding)."""
    reg = items["ember_china_solar_exports_regions_monthly"]
    world = reg[(reg["region"] == "World") & (reg["year"] == 2023)]["capacity_mw"].sum()
    assert world == pytest.approx(annual[annual["year"] == 2023]["capacity_mw"].sum(), rel=1e-4)
    assert set(reg["region"]) >= {"World", "EU", "G20", "ASEAN", "Africa"} and reg["region"].nunique() == 13


def test_shape(monthly, annual):
    """PROVENANCE.txt coverage: 2017-01..2025-09, 231 destinations; panels from 2017, cells & wafers from 2022."""
    assert len(monthly) == 24_585 and monthly["iso3"].nunique() == 231
    assert monthly["date"].min().strftime("%Y-%m") == "2017-01" and monthly["date"].max().strftime("%Y-%m") == "2025-09"
    assert set(monthly["commodity"]) == set(se.COMMODITIES)
    assert monthly.loc[monthly["commodity"] != "panels", "year"].min() == 2022
    assert not monthly.duplicated(["iso3", "date", "commodity"]).any()
    assert set(monthly["area_type"]) == {"country", "other"}
    assert monthly.loc[monthly["area_type"] == "country", "iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert monthly.attrs["units"]["capacity_mw"] == "MW" and monthly.attrs["source"] == se.SOURCE_ID
    assert set(monthly.groupby("commodity")["price_unit"].first()) == {"USD/W", "USD/pc"}
    assert not annual.duplicated(["iso3", "year", "commodity"]).any()
    assert annual.loc[annual["year"] == 2025, "months"].max() == 9
    assert (monthly[["capacity_mw", "value_usd", "amount_kg"]] >= 0).all().all()


def test_missing_file(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        se.read_exports(empty_settings)


def test_malformed(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("Area,Date\nIndia,2024-01-01\n")
    with pytest.raises(SourceFormatError, match=r"mart_solar_exports.*missing"):
        se.parse_exports(bad)
    cols = ["Area", "Date", "Area type", "Region", "Commodity code", "Commodity type", "Amount (items)",
            "Amount (kg)", "Amount (USD)", "Commodity price", "Price unit", "Capacity (MW)"]
    bad.write_text(",".join(cols) + "\nIndia,2024-01-01,Country or economy,Asia,1,Turbines,1,1,1,1,USD/W,1\n")
    with pytest.raises(SourceFormatError, match="Commodity type"):
        se.parse_exports(bad)
