"""The MRIO satellite (:mod:`engine.io.satellite`): EDGAR sector emissions allocated to WIOD region-sectors.

Hand-checkable factory cases (two regions, a handful of sectors) for each rule of the method in the module
docstring of :mod:`engine.io.satellite` and ``data/README.md`` (JRC shares, zero-output exclusion, output-share
fallback, bunkers to c24/c25, household split between Buildings and Transport), then the conservation
invariants on the real data for every accounting year with an MRIO bundle (1995–2023), and the coverage of the
two authored concordance tables.

Sources: EDGAR 2024 booklet sectors (Crippa et al. 2024, JRC138862); JRC WIOD environmental accounts, 56
industries + FC_HH (Corsatea et al. 2019, JRC116234, doi:10.2760/024036); WIOD 2013 sectors c1..c35 (Timmer et
al. 2015, doi:10.1111/roie.12178).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from engine.core.query import GASES
from engine.io import satellite as sat

S = {name: i for i, name in enumerate(sat.EDGAR_SECTORS)}
T = {name: i for i, name in enumerate(sat.TARGETS)}
CO2, CH4, N2O = GASES.index("CO2"), GASES.index("CH4"), GASES.index("N2O")
NS = sat.N_SECTORS

#: A small concordance for the factory cases (a subset of data/edgar_to_wiod.csv).
SMALL_MASK = {
    "Agriculture": ["c1"], "Fuel Exploitation": ["c2"], "Industrial Combustion": ["c3", "c4"],
    "Processes": ["c3"], "Power Industry": ["c17"], "Buildings": ["c19", "HH"],
    "Transport": ["c23", "c24", "c25", "HH"], "Waste": ["c34"],
}


def _mask(spec=SMALL_MASK) -> np.ndarray:
    m = np.zeros((len(sat.EDGAR_SECTORS), len(sat.TARGETS)), dtype=bool)
    for s, targets in spec.items():
        for t in targets:
            m[S[s], T[t]] = True
    return m


def _col(region: int, sector: str) -> int:
    """Column of a region-sector in F (region-major, 35 sectors per region)."""
    return region * NS + T[sector]


@pytest.fixture()
def case():
    """Two regions. Region 0: c4 has zero output (JRC weight 70 would otherwise take 70 % of Industrial
    Combustion); household FC_HH 80 kt split 3:1 between Buildings and Transport by EDGAR CO2 (30 vs 10).
    Region 1: JRC weights of c3 and c4 are both zero -> output shares 3:1 (documented fallback)."""
    n = 2
    E = np.zeros((n, 8, 4))
    E[0, S["Industrial Combustion"], CO2] = 10.0
    E[0, S["Buildings"], CO2] = 30.0
    E[0, S["Transport"], CO2] = 10.0
    E[0, S["Transport"], CH4] = 1.0
    E[0, S["Agriculture"], CH4] = 5.0
    E[0, S["Power Industry"], CO2] = 50.0
    E[1, S["Industrial Combustion"], CO2] = 8.0
    E[1, S["Agriculture"], N2O] = 2.0
    E[1, S["Waste"], CH4] = 4.0
    E[1, S["Buildings"], CO2] = 6.0
    B = np.zeros((2, 4))
    B[0, CO2] = 6.0  # shipping
    B[1, CO2] = 3.0  # aviation
    P = np.zeros((n, len(sat.TARGETS)))
    P[0, [T["c1"], T["c3"], T["c4"], T["c17"], T["c19"], T["HH"]]] = [5, 30, 70, 100, 20, 80]
    P[0, [T["c23"], T["c24"], T["c25"]]] = [40, 20, 20]
    P[1, [T["c1"], T["c19"], T["c24"], T["c25"], T["c34"], T["HH"]]] = [5, 10, 10, 40, 3, 0]
    x = np.ones(n * NS)
    x[_col(0, "c4")] = 0.0
    x[_col(1, "c3")], x[_col(1, "c4")] = 3.0, 1.0
    return {"E": E, "B": B, "P": P, "x": x, "mask": _mask()}


def _alloc(c):
    return sat.allocate(c["E"], c["B"], c["P"], c["x"], c["mask"])


def _region_totals(s: sat.Satellite, n: int) -> np.ndarray:
    return s.F.reshape(4, n, NS).sum(axis=2) + s.h


# ---- factory cases -----------------------------------------------------------------------------------------------

def test_shapes(case):
    s = _alloc(case)
    assert s.F.shape == (4, 2 * NS) and s.h.shape == (4, 2) and s.territorial.shape == (4, 2)
    assert s.bunkers.shape == (4,)


def test_region_sums_equal_edgar_totals(case):
    """Every region's sectors + households, less its share of the bunkers, equal its EDGAR total per gas."""
    s = _alloc(case)
    tot = _region_totals(s, 2)
    bunker_share = np.zeros((4, 2))
    bunker_share[CO2] = [6 * 20 / 30 + 3 * 20 / 60, 6 * 10 / 30 + 3 * 40 / 60]
    np.testing.assert_allclose(tot - bunker_share, case["E"].sum(axis=1).T, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(s.territorial, case["E"].sum(axis=1).T)
    np.testing.assert_allclose(s.bunkers, case["B"].sum(axis=0))


def test_jrc_shares_and_zero_output_sector_gets_nothing(case):
    """Region 0: Industrial Combustion CO2 10 would split 30:70 over c3/c4 by JRC CO2, but c4 has zero output,
    so it is not a candidate and c3 takes all 10; every gas of c4 is 0."""
    s = _alloc(case)
    assert s.F[CO2, _col(0, "c3")] == pytest.approx(10.0, rel=1e-14)
    np.testing.assert_array_equal(s.F[:, _col(0, "c4")], 0.0)
    assert s.F[CO2, _col(0, "c17")] == pytest.approx(50.0)  # single candidate
    assert s.F[CH4, _col(0, "c1")] == pytest.approx(5.0)


def test_output_share_fallback_is_reported(case):
    """Region 1: c3 and c4 have zero JRC weight -> Industrial Combustion CO2 8 split by gross output 3:1
    (6 and 2), and (1, "Industrial Combustion") is reported. Region 0 used JRC shares: not reported."""
    s = _alloc(case)
    assert s.F[CO2, _col(1, "c3")] == pytest.approx(6.0, rel=1e-14)
    assert s.F[CO2, _col(1, "c4")] == pytest.approx(2.0, rel=1e-14)
    assert (1, "Industrial Combustion") in s.fallback_regions
    assert all(r != 0 for r, _ in s.fallback_regions)
    # Waste in region 1 has a JRC weight on c34 (3 kt): no fallback
    assert (1, "Waste") not in s.fallback_regions
    assert s.F[CH4, _col(1, "c34")] == pytest.approx(4.0)


def test_fallback_to_households_when_no_live_industry(case):
    """Region 1 Buildings: c19 has JRC weight 10 but HH weight 0 -> all to c19. With c19 dead (zero output) and
    HH still a (zero-weight) candidate, the fallback sends everything to households and reports it."""
    s = _alloc(case)
    assert s.F[CO2, _col(1, "c19")] == pytest.approx(6.0)
    assert s.h[CO2, 1] == pytest.approx(0.0)
    case["x"][_col(1, "c19")] = 0.0
    s = _alloc(case)
    assert s.F[CO2, _col(1, "c19")] == 0.0
    assert s.h[CO2, 1] == pytest.approx(6.0)
    assert (1, "Buildings") in s.fallback_regions


def test_household_split_between_buildings_and_transport(case):
    """FC_HH (80 kt) is split 3:1 between the Buildings and Transport candidates (EDGAR CO2 30 vs 10):
    Buildings: c19 20 vs HH 60 -> HH 22.5 of 30; Transport: c23 40, c24 20, c25 20, HH 20 -> HH 2 of 10, and
    the same shares for Transport CH4 (1 -> HH 0.2)."""
    s = _alloc(case)
    assert s.h[CO2, 0] == pytest.approx(22.5 + 2.0, rel=1e-14)
    assert s.F[CO2, _col(0, "c19")] == pytest.approx(7.5, rel=1e-14)
    assert s.F[CO2, _col(0, "c23")] == pytest.approx(4.0, rel=1e-14)
    assert s.h[CH4, 0] == pytest.approx(0.2, rel=1e-14)
    assert s.F[CH4, _col(0, "c24")] == pytest.approx(0.2, rel=1e-14)
    # no Buildings or Transport CO2 at all -> an even split of FC_HH (region 1 has FC_HH 0 here)
    case["E"][0, S["Buildings"], CO2] = 0.0
    case["E"][0, S["Transport"], CO2] = 0.0
    case["E"][0, S["Buildings"], CH4] = 8.0
    s = _alloc(case)
    assert s.h[CH4, 0] == pytest.approx(8.0 * 40 / 60 + 1.0 * 40 / 120, rel=1e-14)


def test_bunkers_spread_over_water_and_air_transport(case):
    """Shipping (6) goes to c24 of both regions by JRC CO2 20:10; aviation (3) to c25 by 20:40; the world total
    is preserved."""
    s = _alloc(case)
    no_bunkers = sat.allocate(case["E"], np.zeros((2, 4)), case["P"], case["x"], case["mask"])
    extra = s.F - no_bunkers.F
    np.testing.assert_allclose(extra[CO2, [_col(0, "c24"), _col(1, "c24")]], [4.0, 2.0], rtol=1e-14)
    np.testing.assert_allclose(extra[CO2, [_col(0, "c25"), _col(1, "c25")]], [1.0, 2.0], rtol=1e-14)
    other = np.ones(2 * NS, dtype=bool)
    other[[_col(0, "c24"), _col(1, "c24"), _col(0, "c25"), _col(1, "c25")]] = False
    np.testing.assert_array_equal(extra[:, other], 0.0)
    np.testing.assert_allclose(s.h, no_bunkers.h)
    np.testing.assert_allclose(s.F.sum(axis=1) + s.h.sum(axis=1),
                               case["E"].sum(axis=(0, 1)) + case["B"].sum(axis=0), rtol=1e-14)


def test_emissions_kept_when_sole_candidate_has_zero_output(case):
    """Power Industry CO2 50 in region 0 where c17 (its only candidate) has zero output must not vanish."""
    case["x"][_col(0, "c17")] = 0.0
    s = _alloc(case)
    assert (0, "Power Industry") in s.fallback_regions
    world = s.F.sum(axis=1) + s.h.sum(axis=1)
    np.testing.assert_allclose(world, case["E"].sum(axis=(0, 1)) + case["B"].sum(axis=0), rtol=1e-12)


# zero output is allowed only where another live candidate (or HH) remains in the real concordance
_MAY_BE_DEAD = [T[c] for c in ("c4", "c5", "c6", "c9", "c13", "c20", "c24", "c28", "c30", "c35")]


@hsettings(max_examples=40, deadline=None)
@given(E=arrays(np.float64, (3, 8, 4), elements=st.floats(0, 1e4)),
       B=arrays(np.float64, (2, 4), elements=st.floats(0, 1e3)),
       P=arrays(np.float64, (3, 36), elements=st.one_of(st.just(0.0), st.floats(0, 1e5))),
       dead=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(_MAY_BE_DEAD)), max_size=8))
def test_property_conservation_with_real_concordance(E, B, P, dead):
    """With the real concordance (data/edgar_to_wiod.csv), any non-negative emissions, any JRC weights (many
    zero) and some zero-output sectors: each region's allocation equals its EDGAR total plus its bunker share, the
    world total is preserved, and zero-output sectors receive nothing."""
    mask, _ = sat.load_concordances()
    x = np.ones(3 * NS)
    for r, t in dead:
        x[r * NS + t] = 0.0
    x[T["c24"]] = x[T["c25"]] = 1.0  # region 0 keeps live, weighted c24/c25 so the bunkers have somewhere to go
    P[0, T["c24"]] = max(P[0, T["c24"]], 1.0)
    P[0, T["c25"]] = max(P[0, T["c25"]], 1.0)
    s = sat.allocate(E, B, P, x, mask)
    assert np.isfinite(s.F).all() and np.isfinite(s.h).all()
    np.testing.assert_array_equal(s.F[:, x <= 0], 0.0)
    world = s.F.sum(axis=1) + s.h.sum(axis=1)
    np.testing.assert_allclose(world, E.sum(axis=(0, 1)) + B.sum(axis=0), rtol=1e-10, atol=1e-6)
    Fr = s.F.reshape(4, 3, NS)
    non_bunker = np.ones(NS, dtype=bool)
    non_bunker[[T["c24"], T["c25"]]] = False
    assert (Fr >= -1e-12).all()
    # bunkers only ever add (to c24/c25): the region total is at least its EDGAR total
    assert (Fr.sum(axis=2) + s.h - E.sum(axis=1).T >= -1e-6).all()


def test_jrc_proxy_folds_and_splits():
    """jrc_proxy: CHE (separate in the JRC account, inside RoW in WIOD 2013) is folded into ROW; C13-C15 is split
    over c4/c5 by gross output; FC_HH goes to HH; other years are ignored (clamped to 2011 for 2015)."""
    _, j2w = sat.load_concordances()
    regions = ("AAA", "ROW")
    x = np.ones(2 * NS)
    x[T["c4"]], x[T["c5"]] = 3.0, 1.0
    jrc = pd.DataFrame({"iso3": ["AAA", "AAA", "CHE", "AAA", "AAA"],
                        "industry": ["C13-C15", "FC_HH", "D35", "D35", "D35"],
                        "year": [2011, 2011, 2011, 2011, 2010],
                        "co2_kt": [8.0, 5.0, 7.0, 2.0, 1000.0]})
    P = sat.jrc_proxy(jrc, j2w, 2015, regions, x)
    assert P.shape == (2, 36)
    assert P[0, T["c4"]] == pytest.approx(6.0) and P[0, T["c5"]] == pytest.approx(2.0)
    assert P[0, T["HH"]] == 5.0 and P[0, T["c17"]] == 2.0 and P[1, T["c17"]] == 7.0
    assert P.sum() == pytest.approx(22.0)
    assert sat.jrc_year(1995) == 2000 and sat.jrc_year(2023) == 2011 and sat.jrc_year(2005) == 2005


def test_edgar_region_array_maps_countries_and_bunkers():
    """Countries outside the MRIO regions are summed into ROW; the two bunker lines are kept apart."""
    d = pd.DataFrame({"iso3": ["AAA", "ZZZ", "YYY", "BUNKERS_SEA", "BUNKERS_AIR"],
                      "sector": ["Power Industry", "Waste", "Waste", "Transport", "Transport"],
                      "gas": ["CO2", "CH4", "CH4", "CO2", "CO2"],
                      "emissions_mt_co2e": [1.0, 2.0, 3.0, 4.0, 5.0]})
    E, B = sat.edgar_region_array(d, ("AAA", "ROW"))
    assert E.shape == (2, 8, 4) and B.shape == (2, 4)
    assert E[0, S["Power Industry"], CO2] == 1.0
    assert E[1, S["Waste"], CH4] == 5.0
    assert B[0, CO2] == 4.0 and B[1, CO2] == 5.0
    assert E.sum() == 6.0


# ---- the concordance tables --------------------------------------------------------------------------------------

def test_edgar_concordance_covers_all_eight_sectors():
    """data/edgar_to_wiod.csv names every EDGAR 2024 booklet sector, only valid targets, no duplicates; the
    household target is a candidate of exactly Buildings and Transport (the FC_HH split)."""
    e2w = pd.read_csv(sat.AUTHORED_DIR / "edgar_to_wiod.csv")
    assert set(e2w["edgar_sector"]) == set(sat.EDGAR_SECTORS) and len(sat.EDGAR_SECTORS) == 8
    assert set(e2w["target"]) <= set(sat.TARGETS)
    assert not e2w.duplicated().any()
    assert set(e2w.loc[e2w["target"] == "HH", "edgar_sector"]) == {"Buildings", "Transport"}
    mask, _ = sat.load_concordances()
    assert mask.sum() == len(e2w) and mask.any(axis=1).all()
    assert mask[S["Transport"], [T["c24"], T["c25"]]].all()  # bunker targets are Transport candidates


def test_jrc_concordance_covers_56_industries_and_households():
    """data/jrc56_to_wiod35.csv maps each of the 56 JRC industries and FC_HH (Corsatea et al. 2019) to valid
    targets; every WIOD sector c1..c35 and HH receives some industry; split=output exactly where an industry
    maps to several sectors."""
    from engine.sources import jrc_co2

    _, j2w = sat.load_concordances()
    assert len(jrc_co2.INDUSTRIES) == 56
    assert set(j2w["jrc_industry"]) == set(jrc_co2.INDUSTRIES) | {jrc_co2.HOUSEHOLD_CODE}
    assert set(j2w["wiod_sector"]) == set(sat.TARGETS)
    assert j2w.loc[j2w["jrc_industry"] == "FC_HH", "wiod_sector"].tolist() == ["HH"]
    n_targets = j2w.groupby("jrc_industry")["wiod_sector"].transform("size")
    assert ((n_targets > 1) == (j2w["split"] == "output")).all()


# ---- real data: every year with an MRIO bundle ---------------------------------------------------------------------

YEARS = range(1995, 2024)


