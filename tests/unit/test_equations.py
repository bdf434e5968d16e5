"""The ledger equations (engine.accounts.equations) by hand."""

from __future__ import annotations

import numpy as np
import pytest

from engine.accounts import equations as eq


def test_line_consumption_shares_the_rest_of_the_world_by_production():
    region = np.array([100.0, 50.0, 30.0])  # A, B, RoW
    region_of_line = np.array([0, 1, -1, -1, -1])  # A, B, two RoW countries, bunkers
    row_member = np.array([False, False, True, True, False])
    prod = np.array([80.0, 60.0, 10.0, 30.0, 5.0])
    out = eq.line_consumption(region, region_of_line, row_member, prod, 2)
    assert out.tolist() == pytest.approx([100.0, 50.0, 7.5, 22.5, 0.0])
    assert out.sum() == pytest.approx(region.sum())


def test_line_consumption_without_row_production_leaves_row_unplaced():
    out = eq.line_consumption(np.array([1.0, 2.0]), np.array([0, -1]), np.array([False, True]),
                              np.array([1.0, 0.0]), 1)
    assert out.tolist() == [1.0, 0.0]


def test_transfer_panoramic_adjustment_per_capita():
    c, p, luc, sink = np.array([120.0, 80.0]), np.array([100.0, 0.0]), np.array([5.0, -2.0]), np.array([10.0, 1.0])
    assert eq.transfer(c, p).tolist() == [20.0, 80.0]
    assert eq.panoramic(c, luc, sink).tolist() == [115.0, 77.0]
    adj = eq.adjustment_pct(eq.transfer(c, p), p)
    assert adj[0] == pytest.approx(20.0) and np.isnan(adj[1])
    pc = eq.per_capita(np.array([10.0, 1.0]), np.array([2e6, 0.0]))
    assert pc[0] == pytest.approx(5.0) and np.isnan(pc[1])


def test_group_sums_and_unknown_population():
    inv = np.array([0, 0, 1, 2])
    assert eq.group_sum(np.array([1.0, 2.0, 3.0, 4.0]), inv, 3).tolist() == [3.0, 3.0, 4.0]
    pop = eq.group_sum_known(np.array([1.0, np.nan, np.nan, 4.0]), inv, 3)
    assert pop[0] == 1.0 and np.isnan(pop[1]) and pop[2] == 4.0
