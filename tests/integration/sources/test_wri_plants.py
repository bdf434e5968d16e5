"""WRI Global Power Plant Database v1.3.0, trimmed copy (engine.sources.wri_plants)."""

from __future__ import annotations

import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import wri_plants


@pytest.fixture(scope="module")
def plants(settings):
    return wri_plants.read_plants(settings)


def test_rows_and_columns(plants):
    """PROVENANCE: 34,936 plants (all rows of v1.3.0)."""
    assert len(plants) == 34936
    assert list(plants.columns) == ["iso3", "country_long", "name", "lat", "lon", "primary_fuel", "is_fossil",
                                    "generation_gwh", "year"]
    assert plants.attrs["units"]["generation_gwh"].startswith("GWh")
    assert plants["lat"].between(-90, 90).all() and plants["lon"].between(-180, 180).all()


def test_total_generation_2017(plants):
    """PROVENANCE: sum of estimated generation 2017 = 23.7 PWh (world ~25 PWh)."""
    assert plants["generation_gwh"].sum() / 1e6 == pytest.approx(23.74, abs=0.01)


def test_every_plant_has_iso3(plants):
    """All 167 country_long names map to ISO3 (none left unmapped in v1.3.0)."""
    assert plants["iso3"].notna().all()
    assert plants.attrs["unmapped_countries"] == []
    assert plants["iso3"].nunique() == 167
    codes = plants.groupby("country_long")["iso3"].first()
    assert codes["United States of America"] == "USA" and codes["Kosovo"] == "XKX"
    assert codes["Cote DIvoire"] == "CIV" and codes["Democratic Republic of the Congo"] == "COD"
    assert codes["Congo"] == "COG"


def test_fossil_flags(plants):
    """Coal, Oil, Gas, Petcoke are fossil (2,330 + 2,320 + 3,998 + 12 = 8,660 plants)."""
    assert plants["is_fossil"].sum() == 8660
    fossil = wri_plants.fossil_generation_by_country(plants)
    by_country = fossil.groupby("iso3")["generation_twh"].sum()
    assert by_country.idxmax() == "CHN"
    assert 3000 < by_country["USA"] < 3300  # est. fossil generation USA 2017 ~3.1 PWh


def test_pack_items(settings):
    assert list(wri_plants.pack_items(settings)) == ["wri_power_plants"]


def test_missing_file(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        wri_plants.read_plants(empty_settings)


def test_malformed_file(tmp_path):
    bad = tmp_path / "global_power_plant_database.csv"
    bad.write_text("country,name,latitude,longitude\nUSA,A,1,2\n")
    with pytest.raises(SourceFormatError, match="expected columns"):
        wri_plants.parse_plants(bad)
    coords = tmp_path / "coords.csv"
    coords.write_text("country_long,name,latitude,longitude,primary_fuel,estimated_generation_gwh_2017\n"
                      "France,A,north,2,Gas,1\n")
    with pytest.raises(SourceFormatError, match="latitude/longitude"):
        wri_plants.parse_plants(coords)
