"""Tests of engine.sources.electricity on the real OWID/Ember files (values from the source PROVENANCE.txt)."""

from __future__ import annotations

import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import electricity as el


@pytest.fixture(scope="module")
def gen(settings):
    return el.read_generation(settings)


@pytest.fixture(scope="module")
def wide(gen):
    return el.generation_wide(gen).set_index(["iso3", "year"])


@pytest.fixture(scope="module")
def ci(settings):
    return el.read_carbon_intensity(settings).set_index(["iso3", "year"])["intensity_g_co2e_per_kwh"]


def test_world_2023_mix(wide):
    """ember_owid_electricity/PROVENANCE.txt: World 2023 29,479 TWh (coal 10,468, gas 6,623, nuclear 2,686,
    wind 2,304, solar 1,630) - matches Ember/EI published values."""
    w = wide.loc[("WLD", 2023)]
    assert w["total"] == pytest.approx(29_479, abs=2)
    for src, val in {"coal": 10_468, "gas": 6_623, "nuclear": 2_686, "wind": 2_304, "solar": 1_630}.items():
        assert w[src] == pytest.approx(val, abs=1), src


@pytest.mark.parametrize("iso3, total", [("CHN", 9_460), ("USA", 4_249), ("IND", 1_968), ("DEU", 505),
                                         ("FRA", 514), ("POL", 169)])
def test_country_totals_2023(wide, iso3, total):
    """ember_owid_electricity/PROVENANCE.txt checks: 2023 generation totals [TWh]."""
    assert wide.loc[(iso3, 2023), "total"] == pytest.approx(total, abs=1)


def test_country_sources_2023(wide):
    """PROVENANCE.txt: China 2023 coal 5,742 TWh; France 2023 nuclear 336; Poland 2023 coal 103."""
    assert wide.loc[("CHN", 2023), "coal"] == pytest.approx(5_742, abs=1)
    assert wide.loc[("FRA", 2023), "nuclear"] == pytest.approx(336, abs=1)
    assert wide.loc[("POL", 2023), "coal"] == pytest.approx(103, abs=1)


@pytest.mark.parametrize("iso3, value", [("WLD", 473), ("CHN", 560), ("IND", 708), ("POL", 615), ("DEU", 344),
                                         ("USA", 384), ("FRA", 44)])
def test_carbon_intensity_2024(ci, iso3, value):
    """PROVENANCE.txt (carbon-intensity-electricity.csv): 2024 intensities [g CO2e/kWh], match Ember."""
    assert ci.loc[(iso3, 2024)] == pytest.approx(value, abs=1)


def test_generation_shape(gen):
    """Coverage from PROVENANCE.txt: 1985-2023, ~209 coded countries, ~204 in 2000-2022, ~81 in 2023."""
    assert gen.attrs["source"] == el.SOURCE_ID and gen.attrs["units"] == {"generation_twh": "TWh"}
    assert list(gen.columns) == ["iso3", "is_world", "year", "source", "generation_twh"]
    assert set(gen["source"]) == set(el.SOURCES)
    assert (gen["year"].min(), gen["year"].max()) == (1985, 2023)
    assert not gen.duplicated(["iso3", "year", "source"]).any()
    per_year = gen.groupby("year")["iso3"].nunique()
    assert 200 <= per_year.loc[2010] <= 215 and 75 <= per_year.loc[2023] <= 90
    assert gen["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert set(gen.loc[gen["is_world"], "iso3"]) == {"WLD"}
    assert "XKX" in set(gen["iso3"]) and not gen["iso3"].str.startswith("OWID").any()
    assert (gen["generation_twh"] >= 0).all()


def test_intensity_shape(ci, settings):
    df = el.read_carbon_intensity(settings)
    assert df.attrs["units"] == {"intensity_g_co2e_per_kwh": "g CO2e/kWh"}
    assert (df["year"].min(), df["year"].max()) == (2000, 2024)
    assert not df.duplicated(["iso3", "year"]).any()
    assert 205 <= df["iso3"].nunique() <= 220
    assert df["intensity_g_co2e_per_kwh"].between(0, 1500).all()


def test_world_equals_sum_of_countries_roughly(wide):
    """World 2015 (all countries reported) should be close to the sum of country rows (OWID aggregates)."""
    countries = wide.drop(index="WLD", level="iso3").xs(2015, level="year")["total"].sum()
    assert countries == pytest.approx(wide.loc[("WLD", 2015), "total"], rel=0.02)


def test_pack_items(settings):
    items = el.pack_items(settings)
    assert set(items) == {"ember_owid_electricity_generation", "ember_owid_electricity_carbon_intensity"}


def test_missing_file(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        el.read_generation(empty_settings)
    with pytest.raises(SourceMissingError, match="sources fetch"):
        el.read_carbon_intensity(empty_settings)


def test_malformed_generation(tmp_path):
    bad = tmp_path / "gen.csv"
    bad.write_text("Entity,Code,Year,Electricity from coal - TWh\nWorld,OWID_WRL,2023,1\n")
    with pytest.raises(SourceFormatError, match=r"electricity-prod-source-stacked\.csv.*Electricity from gas"):
        el.parse_generation(bad)
    worse = tmp_path / "x.csv"
    worse.write_text("Country,Yr\nA,1\n")
    with pytest.raises(SourceFormatError, match="Entity, Code, Year"):
        el.parse_carbon_intensity(worse)
