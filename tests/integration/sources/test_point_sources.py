"""Point sources of the Fuel Exploitation and industry proxies: GEM coal mines, GEM oil and gas units, VIIRS flare
sites, GEM steel plants, ICMM aluminium smelters (engine.sources.gem_coal, gem_oil_gas, viirs_flares, gem_steel,
icmm_mining). Figures from each PROVENANCE.txt in ../shared/data."""

from __future__ import annotations

import numpy as np
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import gem_coal, gem_oil_gas, gem_steel, icmm_mining, viirs_flares


@pytest.fixture(scope="module")
def mines(settings):
    return gem_coal.read_mines(settings)


@pytest.fixture(scope="module")
def fields(settings):
    return gem_oil_gas.read_fields(settings)


@pytest.fixture(scope="module")
def flares(settings):
    return viirs_flares.read_flares(settings)


@pytest.fixture(scope="module")
def steel(settings):
    return gem_steel.read_plants(settings)


def test_coal_mines_kept_and_dropped(mines):
    """6,360 mines; operating + mothballed kept (3,755 operating + 401 mothballed by first row; 4,192 with any row
    kept); the rest dropped for their status; output of operating mines about 8.6 Gt (world coal ~8.7 Gt)."""
    assert mines.attrs["n_mines"] == 6360
    assert len(mines) == 4192 and mines.attrs["n_dropped_status"] == 6360 - 4192
    assert mines["id"].is_unique and set(mines["status"]) == {"operating", "mothballed"}
    assert set(mines["mine_type"]) <= set(gem_coal.MINE_TYPES)
    assert mines["iso3"].notna().all()
    op = mines[mines["status"] == "operating"]["output_mt"].sum()
    assert 8000 < op < 9300
    assert int((mines["output_mt"] <= 0).sum()) == 178


def test_coal_largest_us_mine_in_powder_river_basin(mines):
    """North Antelope Rochelle 56.3 Mt/yr at 43.5-44.4 N, 105.3 W (PROVENANCE)."""
    us = mines[mines["iso3"] == "USA"].nlargest(1, "output_mt").iloc[0]
    assert "Antelope" in us["name"] and 43.5 <= us["lat"] <= 44.4 and abs(us["lon"] + 105.3) < 0.3
    assert us["output_mt"] == pytest.approx(56.3, abs=0.3)


def test_oil_gas_units(fields):
    """7,396 units, operating + shut_in kept; 17 without coordinates; Ghawar at 25.2 N 49.3 E."""
    a = fields.attrs
    assert a["n_units"] == 7396 and a["n_dropped_status"] == 1002 and a["n_dropped_coordinates"] == 17
    assert len(fields) == 7396 - 1002 - 17
    gh = fields.loc[fields["name"].str.contains("Ghawar")].nlargest(1, "production_mboe").iloc[0]
    assert abs(gh["lat"] - 25.2) < 0.2 and abs(gh["lon"] - 49.3) < 0.2 and gh["production_mboe"] > 1000
    joint = fields[fields["countries"].str.contains(",")]
    assert len(joint) > 0 and set(joint["iso3"]) <= {c for s in joint["countries"] for c in s.split(",")}
    total = fields["production_mboe"].sum() / 1e3
    assert 50 < total < 62  # Gboe yr-1 (PROVENANCE: 60.0 over all statuses)


def test_flares_total_and_countries(flares):
    """10,009 sites; 138.5 bcm in 2017; Russia 19.9, Iraq 17.8, USA 9.5 bcm (PROVENANCE)."""
    assert len(flares) == 10009 and flares.attrs["n_blank_rows"] == 21376 - 10009
    assert flares["bcm"].sum() == pytest.approx(138.5, abs=0.1)
    by = flares.groupby("iso3")["bcm"].sum()
    assert by["RUS"] == pytest.approx(19.9, abs=0.1) and by["IRQ"] == pytest.approx(17.8, abs=0.1)
    assert by["USA"] == pytest.approx(9.5, abs=0.1)
    assert int(flares["iso3"].isna().sum()) == 1  # the Saudi-Kuwaiti Neutral Zone site


def test_steel_capacity_by_route(steel):
    """Operating crude steel 2,199 Mt/yr (PROVENANCE); with operating-pre-retirement and mothballed units 2,267;
    China about 48 %; 950 plants kept, 254 without kept capacity."""
    assert len(steel) == 950 and steel.attrs["n_dropped_capacity"] == 254
    crude = steel["crude_steel_kt"].sum() / 1e3
    assert 2199 <= crude < 2300
    assert 0.45 < steel.loc[steel["iso3"] == "CHN", "crude_steel_kt"].sum() / 1e3 / crude < 0.5
    assert steel["bof_kt"].sum() > 1.8 * steel["eaf_kt"].sum()
    g = steel[steel["name"].str.contains("Gwangyang")].iloc[0]
    assert g["crude_steel_kt"] == pytest.approx(23000, rel=0.05)


def test_aluminium_smelters(settings):
    s = icmm_mining.read_smelters(settings)
    assert len(s) == 96 and s["iso3"].notna().all()
    assert s["asset_type"].str.contains("Smelter").all()
    assert (s["iso3"] == "CAN").sum() >= 10  # Quebec's smelters


@pytest.mark.parametrize("mod", [gem_coal, gem_oil_gas, viirs_flares, gem_steel, icmm_mining])
def test_pack_items_and_missing_file(mod, settings, empty_settings):
    items = mod.pack_items(settings)
    assert len(items) == 1 and len(next(iter(items.values()))) > 90
    with pytest.raises(SourceMissingError, match="sources fetch"):
        mod.pack_items(empty_settings)


def test_bad_layout_raises(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-16")
    with pytest.raises(SourceFormatError, match="expected columns"):
        gem_coal.parse_mines(bad)
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(SourceFormatError, match="expected columns"):
        gem_oil_gas.parse_fields(bad)
    with pytest.raises(SourceFormatError, match="expected columns"):
        viirs_flares.parse_flares(bad)
    with pytest.raises(SourceFormatError, match="expected columns"):
        gem_steel.parse_plants(bad)
    with pytest.raises(SourceFormatError, match="not a readable workbook"):
        icmm_mining.parse_smelters(bad)


def test_bad_coordinates_dropped_and_counted(tmp_path):
    csv = tmp_path / "flares.csv"
    csv.write_text("id_key_2017,Latitude,Longitude,Type,ISO_Code,Country,BCM_2017\n"
                   "1,30.0,50.0,flare,IRN,Iran,0.5\n2,95.0,50.0,flare,IRN,Iran,0.5\n3,0,0,flare,IRN,Iran,0.5\n"
                   ",,,,,,\n4,31.0,51.0,gas,IRN,Iran,\n")
    f = viirs_flares.parse_flares(csv)
    assert f["id"].tolist() == ["1", "4"] and f.attrs["n_dropped_coordinates"] == 2 and f.attrs["n_blank_rows"] == 1
    np.testing.assert_array_equal(f["bcm"].to_numpy(), [0.5, 0.0])
