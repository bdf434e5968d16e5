"""The uncertainty engine on the synthetic pack: input ranges and their fallbacks, distributions, propagation through
the same functions as the central estimate, correlation, group sums, reproducibility, Monte Carlo error, the
first-order table covariance against brute force, attribution and convergence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.accounts import equations as eq
from engine.core.query import Query
from engine.uncertainty import parameters as params_mod
from engine.uncertainty.draws import consumption_draws, emission_draws
from engine.uncertainty.inputs import distribution, sector_ranges
from engine.uncertainty.propagate import Uncertainty, attribution, convergence
from engine.uncertainty.sampling import interval, multipliers
from engine.uncertainty.table import brute_force_covariance, cba_covariance

CONT = {"FRA": "Europe", "DEU": "Europe", "ITA": "Europe", "ESP": "Europe"}


def _params(**changes) -> params_mod.Parameters:
    p = params_mod.load()
    return params_mod.Parameters({**p.values, **changes}, p.sources)


@pytest.fixture(scope="module")
def unc(synthetic_accounts):
    return Uncertainty(synthetic_accounts)


def test_ranges_follow_the_fallback_chain(synthetic_pack):
    r = sector_ranges(synthetic_pack.table("solazzo_uncertainty"), ["FRA", "ITA", "ESP", "BUNKERS"], CONT)
    r = r.set_index(["line", "sector", "gas"])
    assert r.loc[("FRA", "Power Industry", "CO2"), "method"] == "table"
    assert r.loc[("FRA", "Power Industry", "CO2"), "rel_hi"] == pytest.approx(0.05)
    # Buildings CO2 has no row: the country's combustion rows combine by IPCC Approach 1 (independent sum)
    e, u = np.array([50_000, 30_000, 40_000]), np.array([0.05, 0.04, 0.06])
    assert r.loc[("FRA", "Buildings", "CO2"), "method"] == "combustion proxy"
    assert r.loc[("FRA", "Buildings", "CO2"), "rel_hi"] == pytest.approx(np.sqrt(((e * u) ** 2).sum()) / e.sum())
    assert r.loc[("ITA", "Waste", "CH4"), "method"] == "country mean"
    assert r.loc[("ESP", "Agriculture", "CH4"), "method"] == "continent median"
    assert (r.xs("BUNKERS")["method"] == "bunkers").all()


def test_distributions():
    sigma, logn = distribution(np.array([0.05, 0.8, 3.1]), np.array([0.05, 2.2, 3.1]), 0.5)
    assert logn.tolist() == [False, True, True]
    assert sigma[0] == pytest.approx(0.05 / 1.96)
    assert sigma[1] == pytest.approx((np.log(3.2) - np.log(0.2)) / 3.92)  # asymmetric: both bounds
    assert sigma[2] == pytest.approx(np.log(4.1) / 1.96)  # symmetric and wide: an uncertainty factor
    z = np.random.default_rng(0).standard_normal(200_000)
    m = multipliers(z, np.log(4.1) / 1.96, True)
    assert m.mean() == pytest.approx(1.0, abs=0.02) and np.median(m) < 0.9  # mean kept, median below it


def test_zero_ranges_give_the_central_estimate_through_the_same_functions(synthetic_accounts, synthetic_pack):
    """With every range zero the consumption draws are the central consumption accounts exactly: the draws go
    through the same allocation and input-output functions, not a second implementation."""
    ranges = sector_ranges(synthetic_pack.table("solazzo_uncertainty"), ["FRA", "DEU", "ITA", "ESP", "BUNKERS"], CONT)
    ranges[["rel_lo", "rel_hi"]] = 0.0
    dr = emission_draws(ranges, ["FRA", "DEU", "ITA", "ESP", "BUNKERS"], _params(fgas_half_width_90=0.0, draws=20))
    assert np.all(dr.m == 1.0)
    b = synthetic_accounts.bundle(2016)
    codes, _, arr = synthetic_accounts.sector_year(2016)
    cons, bunk = consumption_draws(b, codes, arr, dr)
    assert np.allclose(cons, (b.flows.sum(axis=1) + b.h)[None], rtol=1e-12)
    assert np.allclose(bunk, b.bunker_cons[None], rtol=1e-12)


def test_line_consumption_with_a_sample_axis_is_the_per_draw_function():
    rng = np.random.default_rng(1)
    region = rng.uniform(1, 5, (6, 3))
    prod = rng.uniform(1, 5, (6, 5))
    of, row = np.array([0, 1, -1, -1, -1]), np.array([False, False, True, True, False])
    all_at_once = eq.line_consumption(region, of, row, prod, 2)
    for d in range(6):
        assert np.allclose(all_at_once[d], eq.line_consumption(region[d], of, row, prod[d], 2))


def test_intervals_contain_the_central_value_and_groups_sum_their_members(unc):
    q = Query(year=2011)
    led = unc.ledger(q)
    for col in ("production_mt_co2e", "consumption_mt_co2e"):
        assert (led[f"{col}_lo"] <= led[col] + 1e-6).all() and (led[col] <= led[f"{col}_hi"] + 1e-6).all()
    labels, countries = unc.region_draws(q)
    glabels, grouped = unc.region_draws(q.replace(grouping="EU27"))
    members = [list(labels).index(c) for c in ("FRA", "DEU", "ITA", "ESP")]
    eu = list(glabels).index("EU27")
    for col in ("production_mt_co2e", "consumption_mt_co2e", "panoramic_mt_co2e"):
        assert np.allclose(grouped[col][:, eu], countries[col][:, members].sum(axis=1), rtol=1e-5)


def test_correlated_emission_factors_widen_the_world_interval(synthetic_accounts):
    """Default emission factors shared between countries: the world CH4 interval is wider than with independent
    countries (a test that fails if the correlation were dropped)."""
    q = Query(year=2011, gases=("CH4",))
    width = {}
    for rho in (0.0, 0.8):
        u = Uncertainty(synthetic_accounts, _params(shared_ef_variance_ch4=rho))
        world = u.line_draws(q)["production_mt_co2e"].sum(axis=1)
        lo, hi = interval(world, 90)
        width[rho] = hi - lo
    assert width[0.8] > 1.3 * width[0.0]


def test_draws_are_reproducible_and_more_draws_shrink_the_monte_carlo_error(synthetic_accounts):
    q = Query(year=2011, gases=("N2O",))
    a = Uncertainty(synthetic_accounts).intervals(q)
    b = Uncertainty(synthetic_accounts).intervals(q)
    pd.testing.assert_frame_equal(a, b)
    spread = {}
    for n in (250, 1000):
        his = [interval(Uncertainty(synthetic_accounts, _params(draws=n, seed=s)).line_draws(q)[
            "production_mt_co2e"].sum(axis=1), 90)[1] for s in range(8)]
        spread[n] = np.std(his)
    assert spread[1000] < spread[250]


def test_table_covariance_matches_brute_force_monte_carlo():
    """First-order propagation of cell errors (Rodrigues et al. 2018) against 3,000 perturbed tables solved one by
    one (each balanced: output follows from x = L y)."""
    rng = np.random.default_rng(3)
    n, r, nfd = 12, 3, 2
    Z = rng.uniform(0, 5, (n, n))
    Y = rng.uniform(5, 20, (n, r * nfd))
    x = Z.sum(1) + Y.sum(1)
    A = Z / x
    F = rng.uniform(0, 10, (2, n))
    L = np.linalg.inv(np.eye(n) - A)
    M = (F / x) @ L
    LY = L @ Y.reshape(n, r, nfd).sum(2)
    analytic = cba_covariance(M, A, LY, Y, nfd, 0.2)
    brute = brute_force_covariance(A, Y, F, x, nfd, 0.2, 3000)
    for g in range(2):
        assert np.allclose(np.sqrt(np.diagonal(analytic[g, g])), np.sqrt(np.diagonal(brute[g, g])), rtol=0.08)


def test_nowcast_years_are_wider_than_table_years(unc):
    def rel_width(year):
        led = unc.ledger(Query(year=year)).set_index("region").loc["FRA"]
        return (led["consumption_mt_co2e_hi"] - led["consumption_mt_co2e_lo"]) / led["consumption_mt_co2e"]

    assert rel_width(2020) > rel_width(2011)
    assert unc.nowcast_sigma()["s"] > 0


def test_attribution_adds_up_and_matches_the_draws(unc):
    q = Query(year=2011)
    att = attribution(unc, q, "FRA")
    assert att.groupby("output")["share_pct"].sum().round(6).eq(100).all()
    labels, draws = unc.region_draws(q)
    j = list(labels).index("FRA")
    for output, col in (("production", "production_mt_co2e"), ("consumption", "consumption_mt_co2e")):
        total = att[att["output"] == output]["variance"].sum()
        assert np.sqrt(total) == pytest.approx(draws[col][:, j].std(), rel=0.15)
    with pytest.raises(ValueError, match="unknown region"):
        attribution(unc, q, "XXX")


def test_convergence_of_the_draws(unc):
    conv = convergence(unc, Query(year=2011), "DEU")
    assert set(conv["column"]) >= {"production_mt_co2e", "consumption_mt_co2e"}
    assert (conv["shift_pct_of_width"] < 25).all()


def test_production_only_years_have_no_consumption_interval(unc):
    led = unc.ledger(Query(year=1990))
    assert led["consumption_mt_co2e_lo"].isna().all() and led["production_mt_co2e_lo"].notna().all()
    assert not led["transfer_sign_uncertain"].any()


def test_ci_is_a_query_field_with_three_levels():
    assert Query(ci="95").ci == 95 and Query().ci == 90 and Query(ci=66).to_params()["ci"] == "66"
    with pytest.raises(ValueError, match="ci must be one of 66, 90, 95"):
        Query(ci=80)
