"""The map of each cell's relative uncertainty (engine.maps.uncertainty_map): the authored proxy table, the inventory
half-widths and the per-cell combination, checked by hand on a two-country grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.core.query import GASES, Query
from engine.maps import layers
from engine.maps.grid import FALLBACK_CHAIN, GridContext, sector_gas_proxies
from engine.maps.uncertainty_map import (
    Z90,
    Z95,
    inventory_halfwidths,
    proxy_uncertainty,
    relative_uncertainty,
)


def test_the_proxy_table_covers_every_proxy_and_fallback_with_a_source():
    t = proxy_uncertainty()
    used = {p for ps in sector_gas_proxies().values() for p in ps}
    assert used | set(FALLBACK_CHAIN) | {"forest_crop"} <= set(t.index)
    assert ((t > 0) & (t <= 5)).all()
    assert t["power"] < t["population"] < t["uniform"]  # located plants are better placed than people's fuel use


@pytest.mark.parametrize("edit, match", [
    (lambda d: d.drop(columns="source"), "missing columns source"),
    (lambda d: d.assign(rel_95=d["rel_95"].where(d["proxy"] != "power", -1)), "bad for power"),
    (lambda d: d.assign(justification=d["justification"].where(d["proxy"] != "land", "")), "missing for land"),
    (lambda d: pd.concat([d, d.head(1)]), "listed twice: power"),
])
def test_the_proxy_table_refuses_bad_rows(tmp_path, edit, match):
    from engine.core.config import AUTHORED_DIR

    d = edit(pd.read_csv(AUTHORED_DIR / "proxy_uncertainty.csv"))
    d.to_csv(tmp_path / "p.csv", index=False)
    with pytest.raises(ValueError, match=match):
        proxy_uncertainty(tmp_path / "p.csv")


def test_inventory_halfwidths_take_the_mean_of_the_bounds_and_fall_back_to_the_median():
    ranges = pd.DataFrame({"line": ["AAA", "AAA", "BBB", "BBB"], "sector": ["Power Industry"] * 4,
                           "gas": ["CO2", "CH4", "CO2", "CH4"], "rel_lo": [0.1, 0.5, 0.3, 0.7],
                           "rel_hi": [0.3, 1.5, 0.3, 0.7]})
    U = inventory_halfwidths(ranges, ["AAA", "CCC"], ("Power Industry",), fgas_half_width_90=0.3)
    g = {gas: i for i, gas in enumerate(GASES)}
    assert U[0, 0, g["CO2"]] == pytest.approx(0.2) and U[0, 0, g["CH4"]] == pytest.approx(1.0)
    assert U[1, 0, g["CO2"]] == pytest.approx((0.2 + 0.3) / 2)  # no row: median of the lines
    assert U[0, 0, g["F-gases"]] == pytest.approx(0.3 * Z95 / Z90)


def _ctx():
    """Two countries on the first cells of the grid: AAA has cells 0, 1 and 2; BBB cell 3. BBB has no power plant, so
    its power proxy fell back to population."""
    norm = {"population": np.array([0.5, 0.3, 0.2, 1.0]), "power": np.array([1.0, 0.0, 0.0, 1.0])}
    used = {"population": np.array(["population", "population"], dtype=object),
            "power": np.array(["power", "population"], dtype=object)}
    return GridContext(codes=np.array(["AAA", "BBB"], dtype=object), cells=np.arange(4), ent=np.array([0, 0, 0, 1]),
                       norm=norm, used=used, n_cells=np.array([3, 1]))


def _masks(proxy_of_sector, n_gases=4):
    """One proxy per sector for every gas."""
    out = {}
    for j, p in enumerate(proxy_of_sector):
        out.setdefault(p, np.zeros((len(proxy_of_sector), n_gases)))[j, :] = 1.0
    return out


def test_a_cell_by_hand():
    """AAA: power 100 t CO2 (±10 %), transport 40 t CO2 (±5 %) and 10 t CH4 (±50 %) on population; proxies: power
    ±50 %, population ±100 %. Cell 0 holds all the power (100 t) and half of the population-spread 50 t."""
    E = np.zeros((2, 2, 4))
    E[0, 0, 0], E[0, 1, 0], E[0, 1, 1] = 100.0, 40.0, 10.0
    E[1, 0, 0] = 20.0  # BBB's power, spread by population
    U = np.zeros((2, 2, 4))
    U[0, 0, 0], U[0, 1, 0], U[0, 1, 1] = 0.10, 0.05, 0.50
    U[1, 0, 0] = 0.2
    v = pd.Series({"power": 0.5, "population": 1.0})
    rel = relative_uncertainty(_ctx(), np.array(["AAA", "BBB"]), E, U, _masks(["power", "population"]), v)
    # cell 0: e = 100 (power) + 20 (transport CO2) + 5 (transport CH4) = 125
    var0 = (100 * 0.10) ** 2 + (20 * 0.05) ** 2 + (5 * 0.50) ** 2 + (100 * 0.5) ** 2 + (25 * 1.0) ** 2
    assert rel[0] == pytest.approx(np.sqrt(var0) / 125, rel=1e-6)
    # cell 1: only the population part, 30 % of it
    var1 = (12 * 0.05) ** 2 + (3 * 0.5) ** 2 + (15 * 1.0) ** 2
    assert rel[1] == pytest.approx(np.sqrt(var1) / 15, rel=1e-6)
    # BBB's power on its fallback: the population proxy's uncertainty, not the power one's
    assert rel[3] == pytest.approx(np.sqrt(0.2 ** 2 + 1.0 ** 2), rel=1e-6)
    assert rel[4] == 0.0 and rel.dtype == np.float32  # no emissions: no value


def test_a_sector_whose_gases_have_different_proxies():
    """AAA's one sector: 100 t CO2 (+-10 %) on power, 10 t CH4 (+-50 %) on population. Cell 0 holds all the CO2 and
    half of the CH4; cell 1 only 30 % of the CH4, so its uncertainty is the CH4's alone."""
    E = np.zeros((2, 1, 4))
    E[0, 0, 0], E[0, 0, 1] = 100.0, 10.0
    U = np.zeros((2, 1, 4))
    U[0, 0, 0], U[0, 0, 1] = 0.10, 0.50
    masks = {"power": np.array([[1.0, 0.0, 0.0, 0.0]]), "population": np.array([[0.0, 1.0, 1.0, 1.0]])}
    rel = relative_uncertainty(_ctx(), np.array(["AAA", "BBB"]), E, U, masks,
                               pd.Series({"power": 0.5, "population": 1.0}))
    var0 = (100 * 0.10) ** 2 + (5 * 0.50) ** 2 + (100 * 0.5) ** 2 + (5 * 1.0) ** 2
    assert rel[0] == pytest.approx(np.sqrt(var0) / 105, rel=1e-6)
    assert rel[1] == pytest.approx(np.sqrt(0.5 ** 2 + 1.0 ** 2), rel=1e-6)


def test_a_missing_proxy_row_is_an_error():
    E = np.ones((2, 1, 4))
    with pytest.raises(ValueError, match="has no row for the proxy population"):
        relative_uncertainty(_ctx(), np.array(["AAA", "BBB"]), E, np.zeros_like(E), _masks(["population"]),
                             pd.Series({"power": 0.5}))


def test_the_layer_is_registered_in_percent_and_computed_on_the_synthetic_pack(synthetic_grids):
    lay = layers.get("uncertainty")
    assert lay.units == "%" and not lay.additive and lay.kind == "modelled" and lay.applies("sector")
    da = synthetic_grids.layer("uncertainty", Query(year=2011))
    v = da.values
    emis = synthetic_grids.layer("emissions", Query(year=2011)).values
    assert ((v > 0) == (emis > 0)).all()  # a value exactly where the emissions map has one
    assert 5.0 < float(np.median(v[v > 0])) < 250.0
    power = synthetic_grids.layer("uncertainty", Query(year=2011), "Power Industry").values
    assert not np.array_equal(power, v)
    levels = synthetic_grids.levels("uncertainty", Query(year=2011))
    assert levels[-1].max() <= v.max() + 1e-3  # block means over cells with a value: never above the cells
