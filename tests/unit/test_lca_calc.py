"""Unit tests of the LCA engine's pure parts: the hybrid matrices on a hand-checked toy, Brightway's bw2calc as the
oracle, structural paths and tiers, inventory parsing and its errors, the JSON round trip."""

from __future__ import annotations

import numpy as np
import pytest

from engine.core.errors import InputError
from engine.lca import Scope, calc, interpret
from engine.lca.inventory import MAX_LINES, from_csv, from_records
from engine.lca.model import LCA

W = np.array([1.0, 1.0, 1.0, 1.0])


def toy():
    """A 2-process toy: one foreground line (2 kWh at 0.5 kg CO2/kWh) and 10 USD (1e-5 M USD) from sector 0 of a
    two-sector economy with A = [[0.1, 0.2], [0.3, 0.0]] and CO2 intensities f = (1e6, 2e6) kg per M USD."""
    A = np.array([[0.1, 0.2], [0.3, 0.0]])
    f = np.zeros((4, 2))
    f[0] = [1e6, 2e6]
    f[2] = [0.0, 1e3]  # some N2O (kg CO2e) in sector 1
    return A, f


def test_hand_checked_toy():
    """By hand: L = (I - A)^-1 = 1/0.84 [[1, 0.2], [0.3, 0.9]]; L y with y = (1e-5, 0) = (1.190476e-5, 3.571429e-6);
    CO2 = 1e6 * 1.190476e-5 + 2e6 * 3.571429e-6 = 11.904762 + 7.142857 = 19.047619 kg; N2O = 1e3 * 3.571429e-6
    = 0.0035714 kg; foreground 2 kWh * 0.5 = 1.0 kg CO2. Total 20.051190 kg CO2e."""
    A, f = toy()
    hm = calc.hybrid_matrices([2.0], [[0.5, 0, 0, 0]], [1e-5], [0], A, f, W)
    s, g = calc.solve(hm)
    assert s[0] == pytest.approx(1.0)
    assert s[1] == pytest.approx(2.0)
    assert s[2:] == pytest.approx([1.0 / 0.84 * 1e-5, 0.3 / 0.84 * 1e-5])
    assert g[0] == pytest.approx(1.0 + 19.047619, rel=1e-7)
    assert g[2] == pytest.approx(0.0035714286, rel=1e-6)
    assert calc.characterise(g, W) == pytest.approx(20.0511905, rel=1e-7)
    M = f @ np.linalg.inv(np.eye(2) - A)
    fast = calc.line_totals([2.0], [[0.5, 0, 0, 0]], [1e-5], [0], M)
    assert fast.sum(axis=0) == pytest.approx(g, rel=1e-12)
    assert hm.technosphere.shape == (4, 4)
    assert hm.technosphere[3, 0] == 0.0 and hm.technosphere[2, 0] == pytest.approx(-1e-5)


def bw_score(hm):
    """The same matrices through bw2calc (Brightway's calculation engine) as the oracle."""
    import bw_processing as bwp
    import bw2calc as bc

    T = hm.technosphere.tocoo()
    ids = np.arange(1, T.shape[0] + 1)
    flows = np.arange(100001, 100001 + hm.biosphere.shape[0])
    dp = bwp.create_datapackage()
    idx = np.array(list(zip(ids[T.row], ids[T.col])), dtype=bwp.INDICES_DTYPE)
    dp.add_persistent_vector(matrix="technosphere_matrix", indices_array=idx, data_array=T.data,
                             flip_array=np.zeros(len(T.data), bool))
    r, c = np.nonzero(hm.biosphere)
    dp.add_persistent_vector(matrix="biosphere_matrix",
                             indices_array=np.array(list(zip(flows[r], ids[c])), dtype=bwp.INDICES_DTYPE),
                             data_array=hm.biosphere[r, c])
    dp.add_persistent_vector(matrix="characterization_matrix",
                             indices_array=np.array(list(zip(flows, flows)), dtype=bwp.INDICES_DTYPE),
                             data_array=hm.characterisation)
    lca = bc.LCA({int(ids[0]): 1.0}, data_objs=[dp])
    lca.lci()
    lca.lcia()
    by_flow = np.asarray(lca.inventory.sum(axis=1)).ravel()
    rows = [lca.dicts.biosphere[int(fl)] for fl in flows[np.unique(r)]]
    gas = np.zeros(hm.biosphere.shape[0])
    gas[np.unique(r)] = by_flow[rows]
    return float(lca.score), gas


def test_bw2calc_oracle_toy():
    pytest.importorskip("bw2calc")
    A, f = toy()
    w = np.array([1.0, 28 / 28, 298 / 265, 1.0])
    hm = calc.hybrid_matrices([2.0, 3.0], [[0.5, 0, 0, 0], [0, 1.0, 0, 0]], [1e-5, 2e-5], [0, 1], A, f, w)
    s, g = calc.solve(hm)
    score, gas = bw_score(hm)
    assert score == pytest.approx(float(g @ w), rel=1e-9)
    assert gas == pytest.approx(g, rel=1e-9)


def test_paths_sum_to_tiers_and_converge():
    """Every path of the toy enumerated (no cut) sums per order to f A^k y; the tiers converge to f L y."""
    A, f = toy()
    fw = f.sum(axis=0)
    M = fw @ np.linalg.inv(np.eye(2) - A)
    y = np.array([1.0, 0.5])
    res = interpret.structural_paths(fw, A, M, [(0, 0, 1.0), (1, 1, 0.5)], top=10_000, max_depth=6,
                                     max_expand=10_000, min_share=0.0)
    by_order = np.zeros(7)
    for _, nodes, v in res.paths:
        by_order[len(nodes) - 1] += v
    t = interpret.tiers(fw, A, y, max_order=6)
    assert by_order == pytest.approx(t["value"].to_numpy(), rel=1e-12)
    deep = interpret.tiers(fw, A, y, max_order=60)
    total = float(M @ y)
    assert deep["cumulative"].iloc[-1] == pytest.approx(total, rel=1e-12)
    assert abs(t["cumulative"].iloc[-1] - total) / total > 1e-4  # order 6 is not yet there: truncation matters


def test_top_paths_are_the_largest():
    rng = np.random.default_rng(3)
    A = rng.random((6, 6)) * 0.12
    f = rng.random(6)
    M = f @ np.linalg.inv(np.eye(6) - A)
    res = interpret.structural_paths(f, A, M, [(0, 2, 1.0)], top=5, max_depth=4, max_expand=10_000, min_share=0.0)
    every = interpret.structural_paths(f, A, M, [(0, 2, 1.0)], top=100_000, max_depth=4, max_expand=100_000,
                                       min_share=0.0)
    assert [v for *_, v in res.paths] == pytest.approx([v for *_, v in every.paths[:5]])
    assert res.exact


GOOD = {"kind": "money", "name": "glass", "amount": 10, "unit": "USD", "price_year": 2015, "sector": "c11"}


@pytest.mark.parametrize("patch, match", [
    ({"sector": "c99"}, "line 2: unknown sector 'c99'"),
    ({"amount": -1}, "line 2: negative amount"),
    ({"unit": ""}, "line 2: missing unit"),
    ({"origin": "XX1"}, "line 2: unknown country"),
    ({"kind": "gift"}, "line 2: kind must be one of money, process"),
    ({"price_year": None}, "line 2: money lines need a price_year"),
    ({"unit": "GBP"}, "line 2: money unit must be a currency"),
    ({"kind": "process", "unit": "t", "good": "gold"}, "line 2: unknown good 'gold'"),
    ({"kind": "transport", "unit": "tkm", "mode": "rocket"}, "line 2: unknown transport mode"),
    ({"kind": "electricity", "unit": "litre"}, "line 2: unit of a electricity line"),
    ({"colour": "red"}, "line 2: unknown keys"),
])
def test_bad_lines_name_the_line(patch, match):
    with pytest.raises(InputError, match=match):
        from_records([GOOD, {**GOOD, **patch}])


def test_too_many_lines_and_empty():
    with pytest.raises(InputError, match=f"too many lines: {MAX_LINES + 1}"):
        from_records([GOOD] * (MAX_LINES + 1))
    assert len(from_records([GOOD] * MAX_LINES)) == MAX_LINES
    with pytest.raises(InputError, match="empty"):
        from_records([])


def test_csv_parsing_and_errors():
    text = ("kind,name,amount,unit,origin,sector,price_year,good,mode\n"
            "money,glass,10,EUR,DEU,c11,2015,,\n"
            "process,steel,1.5,t,producer,,,steel,\n"
            "transport,truck,100,tkm,,,,,road_truck\n")
    inv = from_csv(text)
    assert [ln.kind for ln in inv.lines] == ["money", "process", "transport"]
    assert inv.lines[0].unit == "EUR" and inv.lines[0].origin == "DEU" and inv.lines[1].origin == "producer"
    assert from_csv(inv.to_csv()) == inv
    with pytest.raises(InputError, match="line 2: negative amount"):
        from_csv(text.replace("steel,1.5", "steel,-1.5"))
    with pytest.raises(InputError, match="header lacks columns"):
        from_csv("kind,name\nmoney,x\n")


def test_scope_validation():
    with pytest.raises(InputError, match="boundary must be one of cradle-to-gate, cradle-to-gate\\+use-electricity"):
        Scope(product="x", boundary="cradle-to-grave")
    with pytest.raises(InputError, match="gwp must be one of AR4, AR5, AR6, AR6-GWP20"):
        Scope(product="x", gwp="AR7")
    with pytest.raises(InputError, match="year must be in 1995-2023"):
        Scope(product="x", year=1990)
    with pytest.raises(InputError, match="use_kwh needs boundary"):
        Scope(product="x", use_kwh=10)
    with pytest.raises(InputError, match="amount must be a number > 0"):
        Scope(product="x", amount=0)
    s = Scope(product="x", boundary="cradle-to-gate+use-electricity", use_kwh=5, country="deu")
    assert s.country == "DEU" and s.use_country == "DEU"


def test_json_round_trip():
    s = Scope(product="PV module", amount=2, unit="kWp", country="CHN", year=2019, gwp="AR6")
    inv = from_records([GOOD, {"kind": "direct", "name": "N2O", "amount": 0.5, "unit": "kg", "gas": "N2O"}])
    obj = LCA.to_json(s, inv)
    import json

    s2, inv2 = LCA.from_json(json.dumps(obj))
    assert s2 == s and inv2 == inv
    with pytest.raises(InputError, match="unknown scope keys"):
        LCA.from_json({"scope": {"product": "x", "colour": 1}, "lines": [GOOD]})


def test_double_counting_warns():
    inv = from_records([GOOD | {"sector": "c12"}, {"kind": "process", "name": "steel", "amount": 1, "unit": "t",
                                                    "good": "steel"}])
    hits = calc.double_counting(inv.lines, "CHN")
    assert [n for n, _ in hits] == [1] and "c12" in hits[0][1]
    assert calc.double_counting(from_records([GOOD]).lines, "CHN") == []
