"""Downscaling (engine.maps.grid): mass conservation, fallbacks, entity mapping — synthetic fixtures, then real data."""

from __future__ import annotations

import numpy as np
import pytest

from engine.maps.grids import Grids

SECTOR_PROXY = {"Power Industry": "power", "Transport": "population", "Agriculture": "agriculture"}


def test_unknown_layer_and_sector(accounts_grids):
    from engine.core.query import Query

    with pytest.raises(ValueError, match="layer must be one of emissions, cdiac"):
        accounts_grids.layer("co2_magic", Query(year=2010))
    with pytest.raises(ValueError, match="sector must be 'all' or one of Agriculture"):
        accounts_grids.emissions(Query(year=2010), sector="Mining")
    with pytest.raises(ValueError, match="CDIAC grid covers 1990–2013"):
        accounts_grids.cdiac(2020)


@pytest.fixture(scope="module")
def accounts_grids(accounts):
    return Grids(accounts)


# ---- real data ---------------------------------------------------------------------------------------------------

def _country_check(g, q, sector="all"):
    layer = g.emissions(q, sector)
    sums = g.national_sums(layer)
    prod = g.accounts.production(q)
    if sector != "all":
        prod = prod[prod["sector"] == sector]
    nat = prod.groupby("code")["emissions_mt_co2e"].sum() * 1e6
    unplaced = set(filter(None, layer.attrs["unplaced_codes"].split(",")))
    placed = [c for c in nat.index if c not in unplaced and c != "BUNKERS" and nat[c] > 0]
    assert len(placed) > 180
    np.testing.assert_allclose(sums[placed].to_numpy(), nat[placed].to_numpy(), rtol=2e-5)
    world = nat.drop("BUNKERS", errors="ignore").sum()
    assert layer.values.sum(dtype=np.float64) + layer.attrs["unplaced_t"] == pytest.approx(world, rel=1e-5)
    assert layer.attrs["unplaced_t"] < 1e-4 * world  # e.g. Gibraltar covers no 0.1° cell centre
    return layer


@pytest.mark.parametrize("year,gases,sector", [(2012, ("CH4",), "all"), (2020, ("CO2", "CH4", "N2O", "F-gases"), "all"),
                                               (1975, ("CO2",), "Power Industry"), (2023, ("N2O",), "Agriculture")])
def test_each_country_sums_to_its_national_total(accounts_grids, year, gases, sector):
    """Mass conservation on the real data: every placed country's cells sum to its EDGAR total (float32 grid)."""
    from engine.core.query import Query

    _country_check(accounts_grids, Query(year=year, gases=gases), sector)


def test_cdiac_layer_matches_published_total(accounts_grids):
    """CDIAC NDP-058 2013: 9,233.6 TgC (REFERENCES.md), shown as t CO2 per 0.1° cell (1° value / 100)."""
    layer = accounts_grids.cdiac(2013)
    assert layer.values.sum(dtype=np.float64) / 1e6 == pytest.approx(9233.6 * 3.664, rel=1e-3)
    r, c = np.unravel_index(np.argmax(layer.values), layer.shape)
    assert 35 < float(layer["lat"][r]) < 36 and 139 < float(layer["lon"][c]) < 140  # Tokyo's 1° cell


def test_sinks_scale_to_gcb(accounts_grids):
    """Ocean and land sink maps sum to the GCB 2024 global sinks of the year (2022: ocean 2.723, land 3.871 GtC)."""
    ocean = accounts_grids.ocean_sink(2022).values.sum(dtype=np.float64)
    land = accounts_grids.land_sink(2022).values.sum(dtype=np.float64)
    assert ocean / 1e9 == pytest.approx(2.723 * 3.664, rel=2e-3)
    assert land / 1e9 == pytest.approx(3.871 * 3.664, rel=2e-3)
    assert accounts_grids.land_sink(2022).values.min() >= 0


def test_net_flux_is_emissions_plus_luc_minus_sinks(accounts_grids):
    from engine.core.query import Query

    q = Query(year=2015)
    g = accounts_grids
    expect = (g.emissions(q).values.astype(np.float64) + g.luc(q).values - g.land_sink(2015).values
              - g.ocean_sink(2015).values)
    np.testing.assert_allclose(g.net_flux(q).values, expect, rtol=1e-5, atol=1e-2)
    only_ch4 = g.net_flux(Query(year=2015, gases=("CH4",)))
    np.testing.assert_array_equal(only_ch4.values, g.emissions(Query(year=2015, gases=("CH4",))).values)


def test_cell_info_finds_a_power_plant(accounts_grids):
    """Bełchatów (51.27N, 19.33E), Europe's largest coal plant: Poland, power-dominated cell of several Mt."""
    from engine.core.query import Query

    info = accounts_grids.cell_info("emissions", Query(year=2020), 51.27, 19.33)
    assert info["country"] == "POL" and info["units"] == "t CO2e cell-1 yr-1"
    assert info["value"] > 5e6 and info["breakdown"][0]["sector"] == "Power Industry"
    assert sum(b["value"] for b in info["breakdown"]) == pytest.approx(info["value"], rel=1e-4)
    ocean = accounts_grids.cell_info("ocean_sink", Query(year=2020), -45.0, -30.0)
    assert ocean["country"] is None and ocean["value"] > 0
    with pytest.raises(ValueError, match="lat must be in"):
        accounts_grids.cell_info("emissions", Query(year=2020), 95, 0)


def test_cdiac_validation_floor(accounts_grids):
    """Holocarbon vs CDIAC at 1°, 1990–2013 (docs/validation.md §6): measured r 0.698–0.805 and shared top-decile
    mass 67.6–75.2 %; floors 0.65 and 65 %. A broken proxy or raster mapping drops well below."""
    from engine.validation import cdiac_comparison

    d = cdiac_comparison(accounts_grids, years=(1990, 2000, 2008, 2013))
    assert d["pearson_r_log10"].min() >= 0.65
    assert d[["mass_share_holocarbon", "mass_share_cdiac"]].min().min() >= 0.65
    assert (d["holocarbon_gt"] / d["cdiac_gt"]).between(0.95, 1.10).all()


def test_grid_cli_writes_cf_netcdf(settings, tmp_path, monkeypatch, capsys):
    import xarray as xr

    from engine.__main__ import main as cli

    monkeypatch.setenv("HOLOCARBON_DATA", str(settings.data_dir))
    out = tmp_path / "ch4.nc"
    assert cli(["grid", "--layer", "emissions", "--gas", "CH4", "--sector", "all", "--year", "2012",
                "--out", str(out)]) == 0
    ds = xr.open_dataset(out)
    assert ds.attrs["Conventions"] == "CF-1.8"
    var = ds["emissions"]
    assert var.attrs["units"] == "t yr-1" and var.attrs["cell_methods"] == "area: sum"
    assert ds["lat"].attrs["units"] == "degrees_north" and var.shape == (1800, 3600)
    assert "CO2e per 0.1 degree cell" in var.attrs["long_name"]
    assert cli(["grid", "--layer", "emissions", "--sector", "Mining", "--out", str(out)]) == 2
    assert "sector must be 'all' or one of" in capsys.readouterr().err


def test_layer_items_exist_in_the_full_pack(accounts_grids):
    """Every item a layer declares it needs is a real pack item (so a broken source is reported, see test_faults)."""
    from engine.maps import layers

    for lay in layers.LAYERS:
        assert all(accounts_grids.pack.has(i) for i in lay.items), lay.id
        assert accounts_grids.unavailable(lay.id) is None
