"""Sinks that read honestly and the uncertainty map, on the real pack (issue 16 items 3 and 4): the ocean layer's
coastal fill and uptake-only scaling, the land sink without a line at 50° N, and a cell of the uncertainty layer
computed by hand from the tables."""

from __future__ import annotations

import numpy as np
import pytest

from engine.accounts import natural
from engine.core.gwp import emission_weights
from engine.core.query import GASES, Query
from engine.core.units import T_PER_MT
from engine.maps import sinks
from engine.maps.grid import LAT, LON, NLON, sector_gas_proxies
from engine.maps.grids import Grids
from engine.maps.uncertainty_map import Z90, Z95, proxy_uncertainty


@pytest.fixture(scope="module")
def grids(accounts):
    return Grids(accounts)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(np.argmin(np.abs(LAT - lat))), int(np.argmin(np.abs(LON - lon)))


# ---- ocean ------------------------------------------------------------------------------------------------------
def test_ocean_layer_sums_to_gcb_and_keeps_the_outgassing_as_observed(grids, pack):
    """Takahashi et al. (2009): the reference-year-2000 net flux integrates to -1.40 Pg C yr-1 over its cells."""
    da = grids.ocean_sink(2022)
    gcb = natural.global_sinks(pack.table("gcb_global_budget"), 2022)["ocean_sink"] * T_PER_MT
    assert float(da.values.sum(dtype=np.float64)) == pytest.approx(gcb, rel=1e-5)
    pat = grids.ocean_pattern()
    out = pat["outgassing"].astype(np.float64)
    # outgassing cells are the climatology's, unscaled: 1.0-1.1 Pg C yr-1 (3.7-4.0 Gt CO2) with the coastal fill
    assert 3.7e9 < out.sum() < 4.0e9
    neg = da.values.ravel() < 0
    np.testing.assert_allclose(-da.values.ravel()[neg], out[neg], rtol=1e-5)
    # the uptake factor is smaller than the whole-field factor the earlier method applied to outgassing too
    k = da.attrs["uptake_factor"]
    whole = gcb / (pat["uptake_t"] - pat["outgassing_t"])
    assert 1.0 < k < whole
    # the tropics (20° S-20° N) are a net source in the climatology: still a source, not amplified
    rows = np.abs(LAT) < 20
    tropics = float(da.values[rows].sum(dtype=np.float64))
    assert -3.2e9 < tropics < 0


def test_coastal_gaps_are_filled_and_uncovered_seas_are_no_data(grids):
    pat = grids.ocean_pattern()
    status = pat["status_1deg"]
    assert 3000 < pat["filled_cells"] < 4500 and (status == sinks.FILLED).sum() == pat["filled_cells"]
    da = grids.ocean_sink(2022)
    # filled cells carry flux on the map; land 0.1° cells carry none
    land = grids.pack.grid("proxy_land_0p1").values
    assert float(np.abs(da.values[land >= 1.0]).max()) == 0.0
    # the Mediterranean (35° N 18° E) and the Caspian (42° N 50° E): no data, never a filled value
    for lat, lon in ((35.5, 18.5), (42.5, 50.5)):
        info = grids.cell_info("ocean_sink", Query(year=2022), lat, lon)
        assert info["ocean_status"] == "no data" and info["takahashi_flux_g_c_m2_yr"] is None
        assert info["value"] == 0.0
    # a filled coastal cell has the fill's flux and a value
    r, c = np.argwhere(status == sinks.FILLED)[len(np.argwhere(status == sinks.FILLED)) // 2]
    info = grids.cell_info("ocean_sink", Query(year=2022), 89.5 - r, -179.5 + c)
    assert info["ocean_status"] == "filled" and info["takahashi_flux_g_c_m2_yr"] is not None
    # the open North Atlantic (50° N 30° W) is climatology, a sink
    info = grids.cell_info("ocean_sink", Query(year=2022), 50.05, -30.05)
    assert info["ocean_status"] == "climatology" and info["takahashi_flux_g_c_m2_yr"] < 0 < info["value"]


# ---- land -------------------------------------------------------------------------------------------------------
def test_land_sink_has_no_line_at_50_north_across_canada(grids, pack):
    da = grids.land_sink(2022)
    cols = (LON > -100) & (LON < -60)
    south = da.values[_cell(50.05, 0)[0], cols].mean()
    north = da.values[_cell(49.95, 0)[0], cols].mean()
    assert abs(north / south - 1) < 0.15  # the step attribution jumped by a factor 2.5 here
    # the ledger's country attribution uses the same pack item
    w = pack.grid("proxy_land_sink_0p1").values.astype(np.float64)
    np.testing.assert_allclose(da.values.sum(dtype=np.float64) * w / w.sum(), da.values, rtol=1e-4, atol=1e-3)
    gcb = natural.global_sinks(pack.table("gcb_global_budget"), 2022)["land_sink"] * T_PER_MT
    assert float(da.values.sum(dtype=np.float64)) == pytest.approx(gcb, rel=1e-5)


# ---- uncertainty ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lat, lon", [(48.85, 2.35), (42.05, -93.55)])  # Paris; Iowa's cropland
def test_an_uncertainty_cell_by_hand(grids, accounts, lat, lon):
    """u² = Σ_k (e_k/E)² u_k² + Σ_p (E_p/E)² v_p², with u_k = (rel_lo + rel_hi)/2 of Solazzo et al. (2021) and v_p from
    data/proxy_uncertainty.csv, summed here sector by sector and gas by gas from the tables."""
    from engine.uncertainty.propagate import Uncertainty

    q = Query(year=2015)
    row, col = _cell(lat, lon)
    flat = row * NLON + col
    ctx = grids.context()
    k = int(np.searchsorted(ctx.cells, flat))
    code = str(ctx.codes[ctx.ent[k]])
    codes, sectors, arr = accounts.sector_year(2015)
    weights, _, _ = emission_weights(q.gwp, q.gases, "co2e")
    i = list(codes).index(code)
    ranges = Uncertainty(accounts).ranges()
    mine = ranges[ranges["line"] == code].set_index(["sector", "gas"])
    v = proxy_uncertainty()
    proxy_of = sector_gas_proxies()
    fgas = Uncertainty(accounts).params["fgas_half_width_90"] * Z95 / Z90
    e_tot, inv_var, by_proxy = 0.0, 0.0, {}
    for j, s in enumerate(sectors):
        for g, gas in enumerate(GASES):
            p = proxy_of[s][g]
            share = float(ctx.norm[p][k])
            e = float(arr[i, j, g]) * weights[g] * T_PER_MT * share
            u = fgas if gas == "F-gases" else float(mine.loc[(s, gas), ["rel_lo", "rel_hi"]].mean())
            e_tot += e
            inv_var += (e * u) ** 2
            by_proxy[p] = by_proxy.get(p, 0.0) + e
    ent = int(ctx.ent[k])
    proxy_var = sum((e * v[str(ctx.used[p][ent])]) ** 2 for p, e in by_proxy.items())
    expected = 100.0 * np.sqrt(inv_var + proxy_var) / e_tot
    info = grids.cell_info("uncertainty", q, lat, lon)
    assert info["units"] == "%"
    assert info["value"] == pytest.approx(expected, rel=1e-4)
    assert 20.0 < info["value"] < 200.0


def test_uncertainty_layer_range_and_where_it_has_values(grids):
    q = Query(year=2022)
    v = grids.uncertainty(q).values
    e = grids.emissions(q).values
    assert ((v > 0) == (e > 0)).all()
    vals = v[v > 0]
    # the largest (402 % in 2022) is an oil-field cell in Suriname holding methane of Fuel Exploitation alone, whose
    # inventory range is about +-390 % (Solazzo et al. 2021) and fugitive-site proxy +-100 %
    assert 20.0 < float(np.median(vals)) < 150.0 and float(vals.max()) < 450.0
    # a power plant cell is better placed than the country's average cell
    power = grids.uncertainty(q, "Power Industry").values
    pop = grids.uncertainty(q, "Transport").values
    both = (power > 0) & (pop > 0)
    assert np.median(power[both]) < np.median(pop[both])


def test_openapi_and_tiles_know_the_new_layer(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    enums = [p["schema"].get("enum") for path in doc["paths"].values() for op in path.values()
             if isinstance(op, dict) for p in op.get("parameters", []) if p.get("name") == "layer"]
    assert any(e and "uncertainty" in e for e in enums)
    r = client.get("/api/v1/cell?layer=uncertainty&lat=48.85&lon=2.35&year=2015")
    assert r.status_code == 200 and r.get_json()["data"]["value"] > 0
    assert r.get_json()["units"]["value"] == "%"
    t = client.get("/tiles/uncertainty/3/4/2.png?year=2015")
    assert t.status_code == 200 and t.data[:4] == b"\x89PNG"
    nc = client.get("/api/v1/grid.nc?layer=uncertainty&year=2015&bbox=0,40,10,50")
    assert nc.status_code == 200 and nc.data[:3] in (b"CDF", b"\x89HD")


def test_zonal_statistics_of_the_uncertainty_layer_have_no_total(client):
    """A relative uncertainty does not add up: before, France's 'total' was the sum of its cells' percentages
    (540,357 %). The zone gives the mean and median of the cells that have a value, and says why there is no total."""
    r = client.get("/api/v1/zonal?layer=uncertainty&region=FRA&year=2015&top=3")
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.get_json()
    d = body["data"] if "data" in body else body
    assert d["total"] is None and d["additive"] is False and "do not add up" in d["note"]
    assert 40 <= d["median"] <= 200 and 40 <= d["mean_per_cell"] <= 200, d
    assert 0 < d["n_cells_with_value"] <= d["n_cells"]
    assert "total" not in body.get("units", {}) and body["units"]["median"] == "%"
    emis = client.get("/api/v1/zonal?layer=emissions&region=FRA&year=2015&top=0").get_json()
    e = emis["data"] if "data" in emis else emis
    assert e["additive"] is True and e["total"] > 1e8  # France's emissions: hundreds of Mt CO2e
