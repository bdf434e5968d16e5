"""Tests of the OWID / GCB 2024 CO2 reader (engine/sources/owid.py) on the real files."""

from __future__ import annotations

import pandas as pd
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import owid


@pytest.fixture(scope="module")
def items(settings):
    return owid.pack_items(settings)


@pytest.fixture(scope="module")
def pvc(items):
    return items["owid_co2_production_vs_consumption"].set_index(["iso3", "year"])


#: REFERENCES.md, "National CO2, production (territorial) vs consumption-based" (OWID/GCB 2024), Mt CO2.
REFERENCE_ROWS = [
    ("CHN", 2022, 11350.5, 10309.7, -9.2),
    ("USA", 2022, 5078.9, 5642.9, 11.1),
    ("JPN", 2022, 1032.7, 1196.4, 15.9),
    ("EU27", 2022, 2740.1, 3469.3, 26.6),
    ("IND", 2022, 2831.2, 2567.0, -9.3),
    ("CHN", 2021, 11447.9, 10400.6, -9.1),
    ("USA", 2021, 5032.2, 5569.8, 10.7),
    ("CHN", 2010, 8620.6, 7337.1, -14.9),
]


@pytest.mark.parametrize("iso3, year, terr, cons, pct", REFERENCE_ROWS)
def test_reference_table(pvc, iso3, year, terr, cons, pct):
    """REFERENCES.md table "National CO2, production (territorial) vs consumption-based", source OWID/GCB 2024
    (annual-co2-emissions-per-country.csv, consumption-co2-emissions.csv): territorial and consumption Mt CO2
    and the consumption-vs-territorial percentage."""
    row = pvc.loc[(iso3, year)]
    assert row["territorial_mt_co2"] == pytest.approx(terr, abs=0.06)
    assert row["consumption_mt_co2"] == pytest.approx(cons, abs=0.06)
    assert row["consumption_vs_territorial_pct"] == pytest.approx(pct, abs=0.06)


def test_territorial_equals_units(items):
    """Published unit is tonnes; the Mt column is tonnes / 1e6 (China 2022: 11,350,537,667 t ~ 11350.5 Mt)."""
    t = items["owid_co2_territorial"]
    assert (t["emissions_t_co2"] / 1e6 - t["emissions_mt_co2"]).abs().max() < 1e-9
    assert t.attrs["units"] == {"emissions_t_co2": "t CO2/yr", "emissions_mt_co2": "Mt CO2/yr"}
    assert t.attrs["source"] == "owid_gcb2024"


def test_territorial_world_closure_and_codes(items):
    """Countries + bunkers + Ryukyu Islands = World every year (Kuwaiti oil fires are inside Kuwait in OWID, so the
    separate 'Kuwaiti Oil Fires (GCP)' line must not be kept)."""
    t = items["owid_co2_territorial"]
    parts = t[~t["is_aggregate"]].groupby("year")["emissions_mt_co2"].sum()
    world = t[t["iso3"] == "WLD"].set_index("year")["emissions_mt_co2"]
    assert (parts - world).abs().max() < 0.05
    assert "KUWAIT_OIL_FIRES" not in set(t["iso3"])
    assert {"BUNKERS_AIR", "BUNKERS_SEA", "XKX", "EU27", "WLD"} <= set(t["iso3"])
    assert set(t.loc[t["is_aggregate"], "iso3"]) == {"WLD", "EU27"}
    assert not t["iso3"].str.startswith("OWID_").any()
    assert not t["entity"].isin(["Africa", "Asia", "High-income countries", "European Union (28)"]).any()
    assert t["year"].min() == 1750 and t["year"].max() == 2023
    assert not t.duplicated(["iso3", "year"]).any()


def test_consumption_coverage(items):
    """Consumption 1990-2022 (the 2023 World/International-transport rows are dropped), ~120 countries."""
    c = items["owid_co2_consumption"]
    assert c["year"].min() == 1990 and c["year"].max() == 2022
    n = c.loc[(c["year"] == 2022) & c["iso3"].str.fullmatch("[A-Z]{3}") & ~c["is_aggregate"], "iso3"].nunique()
    assert 110 <= n <= 130
    assert "BUNKERS" in set(c["iso3"])
    assert not c.duplicated(["iso3", "year"]).any()
    w = c[(c.iso3 == "WLD") & (c.year == 2022)]["emissions_mt_co2"].iloc[0]
    tw = items["owid_co2_territorial"].query("iso3 == 'WLD' and year == 2022")["emissions_mt_co2"].iloc[0]
    assert w == pytest.approx(tw, rel=1e-6)


def test_read_missing_file_says_fetch(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        owid.read_consumption(empty_settings)


def test_parse_missing_value_column_raises(tmp_path):
    path = tmp_path / "bad.csv"
    pd.DataFrame({"Entity": ["China"], "Code": ["CHN"], "Year": [2022], "CO2": [1.0]}).to_csv(path, index=False)
    with pytest.raises(SourceFormatError, match="Annual CO₂ emissions"):
        owid.parse_territorial(path)


def test_parse_empty_file_raises(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(SourceFormatError, match="not a readable CSV"):
        owid.parse_consumption(path)


def test_parse_small_file(tmp_path):
    """Region rows without code are dropped, EU-27 and World are kept as flagged aggregates."""
    path = tmp_path / "small.csv"
    pd.DataFrame(
        {
            "Entity": ["China", "Asia", "European Union (27)", "World"],
            "Code": ["CHN", None, None, "OWID_WRL"],
            "Year": [2022] * 4,
            "Annual consumption-based CO₂ emissions": [1e9, 2e9, 3e9, 4e9],
        }
    ).to_csv(path, index=False)
    df = owid.parse_consumption(path)
    assert list(df["iso3"]) == ["CHN", "EU27", "WLD"]
    assert list(df["is_aggregate"]) == [False, True, True]
    assert df["emissions_mt_co2"].tolist() == [1000.0, 3000.0, 4000.0]
