"""Industry routes, parameters, CBAM arithmetic and scenarios on the authored parameter table only (no source file):
hand-computed values, invariants (scrap EAF below BF-BOF, a zero-carbon grid gives no indirect emissions, full CCS
on process CO2 removes it), the phase-in factors of the law, and every error path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.core.errors import InputError
from engine.industry import cbam as cb
from engine.industry import parameters as params_mod
from engine.industry import routes
from engine.industry import scenario as sc
from engine.industry.scenario import Scenario


@pytest.fixture(scope="module")
def params():
    return params_mod.load()


@pytest.fixture(scope="module")
def p(params):
    return params.central()


# ---- the parameter table ----------------------------------------------------------------------------------------
def test_every_parameter_has_a_source_a_unit_and_a_range(params):
    t = params.table
    assert set(params_mod.REQUIRED) <= set(t["parameter"])
    assert (t["source"].str.len() > 8).all() and t["unit"].notna().all()
    assert ((t["low"] <= t["value"]) & (t["value"] <= t["high"])).all()
    assert set(t["distribution"]) <= set(params_mod.DISTRIBUTIONS)


def test_published_anchor_values(p):
    """GCCA GNR (2016 data): 3,519 MJ/t clinker, clinker share 0.75; IPCC (2006) Vol. 3 Ch. 2: calcination ~0.52;
    IAI: smelting 14-15 MWh/t; IPCC (2006) Vol. 2 Table 2.3: natural gas 56.1 t CO2/TJ."""
    assert p["kiln_thermal_energy"] == pytest.approx(3.519)
    assert p["clinker_ratio"] == pytest.approx(0.75)
    assert 0.51 <= p["clinker_calcination"] <= 0.54
    assert 14.0 <= p["al_smelter_electricity"] <= 15.0
    assert p["ef_gas"] == pytest.approx(56.1)


def test_draws_are_seeded_and_stay_in_their_ranges(params):
    a, b = params.draw(), params.draw()
    t = params.table.set_index("parameter")
    for name, v in a.items():
        if name in ("draws", "seed"):
            continue
        assert np.array_equal(v, b[name])
        assert v.min() >= t.loc[name, "low"] - 1e-12 and v.max() <= t.loc[name, "high"] + 1e-12
    tri = a["steel_bf_bof_direct"]
    assert len(tri) == params.n_draws and tri.std() > 0.05  # not collapsed onto the mode
    assert not np.array_equal(params.draw(seed=1)["steel_bf_bof_direct"], tri)


def test_triangular_quantiles():
    u = np.array([0.0, 0.5, 1.0])
    q = params_mod.triangular_ppf(u, 1.0, 2.0, 3.0)
    assert q.tolist() == pytest.approx([1.0, 2.0, 3.0])


def test_a_bad_table_is_refused(params):
    t = params.table.copy()
    t.loc[t["parameter"] == "ef_gas", "value"] = 999.0
    with pytest.raises(InputError, match="outside"):
        params_mod.check_table(t)
    with pytest.raises(InputError, match="lacks parameters"):
        params_mod.check_table(params.table[params.table["parameter"] != "ef_coal"])
    with pytest.raises(InputError, match="unknown industry parameter"):
        params_mod.with_values(params, no_such=1.0)


# ---- routes -----------------------------------------------------------------------------------------------------
def test_clinker_and_cement_by_hand(p):
    """Clinker: 0.525 + 3.519 GJ x (0.75 x 94.6 + 0.15 x 97.5 + 0.05 x 56.1 + 0.05 x 77.4)/1000; electricity 0.08
    MWh at 0.5 t/MWh. Cement at clinker ratio 0.7: 0.7 x clinker + 0.043 MWh x 0.5."""
    ef = (0.75 * 94.6 + 0.15 * 97.5 + 0.05 * 56.1 + 0.05 * 77.4) / 1000
    k = routes.clinker(p, 0.5)
    assert k.direct == pytest.approx(0.525 + 3.519 * ef)
    assert k.indirect == pytest.approx(0.08 * 0.5)
    c = routes.cement(p, 0.5, clinker_ratio=0.7)
    assert c.direct == 0.0
    assert c.total() == pytest.approx(0.7 * (0.525 + 3.519 * ef + 0.04) + 0.043 * 0.5)
    assert c.total(indirect=False) == pytest.approx(0.7 * (0.525 + 3.519 * ef))


def test_gas_fired_kiln_emits_less_and_biomass_is_zero_rated(p):
    coal = routes.clinker(p, 0.0, fuel_mix={"coal": 1.0})
    gas = routes.clinker(p, 0.0, fuel_mix={"gas": 1.0})
    bio = routes.clinker(p, 0.0, fuel_mix={"biomass": 1.0})
    assert bio.combustion == 0.0 and bio.process == pytest.approx(0.525)
    assert bio.total() < gas.total() < coal.total()
    with pytest.raises(InputError, match="kiln fuels must be among"):
        routes.clinker(p, 0.0, fuel_mix={"peat": 1.0})


def test_route_ordering_and_worldsteel_route_averages(p):
    """worldsteel Sustainability Indicators 2022 report: route averages about BF-BOF 2.3, DRI-EAF 1.4, scrap EAF 0.7
    t CO2/t crude steel including purchased electricity. At a 600 g/kWh grid ours must keep the order and land near
    those (they also carry upstream emissions, so ours may be somewhat lower)."""
    g = routes.grid_factor(600)
    bf = routes.crude_steel_route(p, g, "bf_bof").total()
    dri = routes.crude_steel_route(p, g, "dri_gas").total()
    scrap = routes.crude_steel_route(p, g, "scrap_eaf").total()
    assert scrap < dri < bf
    assert 1.9 <= bf <= 2.5 and 1.0 <= dri <= 1.6 and 0.3 <= scrap <= 0.8
    assert routes.crude_steel_route(p, g, "dri_coal").total() > bf  # rotary-kiln coal DRI (India)


def test_zero_carbon_grid_gives_no_indirect_emissions(p):
    x = routes.RouteInputs(grid=0.0, steel_shares={"bf_bof": 0.5, "scrap_eaf": 0.5}, h2_electrolysis_share=1.0)
    for name, e in routes.country_products(p, x).items():
        assert np.all(np.asarray(e.chain_indirect) == 0.0), name
    assert routes.country_products(p, x)["hydrogen"].total() == 0.0  # electrolysis on clean power


def test_full_ccs_on_process_removes_process_co2_only(p):
    x = routes.RouteInputs(grid=0.5, steel_shares={"bf_bof": 1.0}, ccs=1.0, ccs_scope="process")
    pr = routes.country_products(p, x)
    for k in ("clinker", "cement", "crude_steel", "ammonia", "hydrogen", "aluminium_primary"):
        assert float(pr[k].process + pr[k].precursor_process) == 0.0, k
    assert pr["clinker"].combustion > 0  # kiln fuel CO2 stays with scope "process"
    assert pr["aluminium_primary"].fgas == pytest.approx(p["al_pfc"])  # PFCs are not captured
    allx = routes.country_products(p, routes.RouteInputs(grid=0.5, steel_shares={"bf_bof": 1.0}, ccs=1.0,
                                                         ccs_scope="all"))
    assert allx["clinker"].direct == 0.0


def test_route_mix_is_the_share_weighted_sum_and_shares_must_add_up(p):
    g = 0.4
    mix = routes.crude_steel(p, g, {"bf_bof": 0.3, "scrap_eaf": 0.7}).total()
    assert mix == pytest.approx(0.3 * routes.crude_steel_route(p, g, "bf_bof").total()
                                + 0.7 * routes.crude_steel_route(p, g, "scrap_eaf").total())
    with pytest.raises(InputError, match="sum to 1"):
        routes.crude_steel(p, g, {"bf_bof": 0.3, "scrap_eaf": 0.3})
    with pytest.raises(InputError, match="steel routes must be among"):
        routes.crude_steel(p, g, {"oxygen": 1.0})
    with pytest.raises(InputError, match="reductant"):
        routes.dri(p, g, "wood")
    with pytest.raises(InputError, match="ccs_capture"):
        routes.check_ccs(1.5, "process")
    with pytest.raises(InputError, match="ccs_scope"):
        routes.check_ccs(0.5, "everything")


def test_urea_stoichiometry_and_precursor(p):
    """CO(NH2)2 = 60.06 g/mol from 2 NH3 (2 x 17.03) and CO2 (44.01): 0.567 t NH3 and 0.733 t CO2 per t urea."""
    assert p["urea_nh3"] == pytest.approx(2 * 17.03 / 60.06, abs=1e-3)
    assert routes.urea_fixed_co2(p) == pytest.approx(44.01 / 60.06, abs=1e-3)
    nh3 = routes.ammonia(p, 0.5, coal_share=0.0)
    u = routes.urea(p, 0.5, nh3)
    assert u.precursor_direct == pytest.approx(0.567 * nh3.direct)
    assert routes.ammonia(p, 0.5, coal_share=1.0).direct > nh3.direct


def test_vectorised_draws_broadcast_over_countries(params):
    d = params.draw(200)
    g = routes.grid_factor(np.array([[100.0], [800.0]]))
    e = routes.crude_steel(d, g, {"bf_bof": np.array([[0.2], [0.9]]), "scrap_eaf": np.array([[0.8], [0.1]])})
    tot = e.total()
    assert tot.shape == (2, 200) and (tot[1] > tot[0]).all()


# ---- CBAM arithmetic --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("year, share", [(2025, 0.0), (2026, 0.025), (2027, 0.05), (2028, 0.10), (2029, 0.225),
                                         (2030, 0.485), (2031, 0.61), (2032, 0.735), (2033, 0.86), (2034, 1.0),
                                         (2040, 1.0)])
def test_phase_in_factors(year, share):
    """Directive 2003/87/EC Art. 10a(1a) (as amended by Directive (EU) 2023/959): CBAM factor 97.5 % in 2026,
    95 %, 90 %, 77.5 %, 51.5 %, 39 %, 26.5 %, 14 % in 2033, none from 2034; Regulation (EU) 2023/956 Art. 31."""
    assert cb.charged_share(year) == pytest.approx(share)
    assert cb.cbam_factor(year) == pytest.approx(1 - share)


def test_cost_per_tonne_by_hand():
    """China 7207 12 10 in 2026: default 3.169 x 1.10 = 3.486; benchmark (column B, route C) 1.364;
    certificates 3.486 - 0.975 x 1.364; at 75 EUR/t."""
    cost = cb.cost_per_tonne(3.486, 1.364, 2026, 75.0)
    assert cost == pytest.approx(75 * (3.486 - 0.975 * 1.364))
    assert cb.cost_per_tonne(0.5, 1.364, 2026, 75.0) == 0.0  # never negative
    assert cb.cost_per_tonne(2.0, 1.0, 2034, 100.0) == pytest.approx(200.0)  # no free allocation left
    assert cb.cost_per_tonne(2.0, 1.0, 2026, 100.0, cscf=0.5) == pytest.approx(100 * (2 - 0.975 * 0.5))
    with pytest.raises(InputError, match="carbon price"):
        cb.cost_per_tonne(1.0, 1.0, 2026, -5)


def test_verdicts():
    v = cb.verdict([3.0, 2.0, 1.0, np.nan, 2.0], [1.5, 1.5, 1.5, 1.5, np.nan], [2.5, 2.5, 2.5, 2.5, np.nan])
    assert v.tolist() == ["above", "inside", "below", "no default", "not modelled"]


@pytest.mark.parametrize("sector, cn, desc, route, key", [
    ("Iron and steel", "72071210", "Semi-finished", "C", "crude_steel@bf_bof"),
    ("Iron and steel", "7208", "Flat-rolled", "E", "steel_product@scrap_eaf"),
    ("Iron and steel", "7308", "Structures", "", "steel_article@mix"),
    ("Iron and steel", "72191100", "Flat-rolled products of stainless steel", "", None),
    ("Iron and steel", "722410", "Steel, alloy", "F", None),
    ("Iron and steel", "720211", "Ferro-manganese", "", None),
    ("Cement", "25231000", "Grey clinker", "A", "clinker"),
    ("Cement", "25231000", "White clinker", "B", None),
    ("Cement", "25232900", "Grey Portland cement", "", "cement_portland"),
    ("Aluminium", "7601", "Unwrought aluminium", "L", "aluminium_secondary"),
    ("Aluminium", "7606", "Plates", "K", "al_product_primary"),
    ("Fertilisers", "28141000", "Anhydrous ammonia", "", "ammonia"),
    ("Fertilisers", "28080000", "Nitric acid", "", None),
    ("Hydrogen", "28041000", "Hydrogen", "", "hydrogen"),
])
def test_goods_map_to_routes_or_say_why_not(sector, cn, desc, route, key):
    got, note = cb.good_model(sector, cn, desc, route)
    assert got == key
    assert note


def test_fallback_rows_and_benchmarks():
    d = pd.DataFrame({
        "iso3": ["AAA", "AAA", "OTHER", "OTHER"], "country": ["A", "A", "Other", "Other"],
        "sector": ["Cement"] * 4, "cn_code": ["2523 10 00"] * 4, "cn_digits": ["25231000"] * 4,
        "description": ["Grey clinker", "White clinker", "Grey clinker", "White clinker"], "route": ["A", "B"] * 2,
        "direct": [np.nan, 1.0, 1.3, 1.2], "indirect": [np.nan, 0.1, 0.05, 0.06], "total": [np.nan, 1.1, 1.35, 1.26],
        "markup_2026": [np.nan, 1.21, 1.485, 1.386], "markup_2027": [np.nan] * 4, "markup_2028": [np.nan] * 4,
        "value_status": ["dash", "value", "value", "value"], "indirect_status": ["dash", "value", "value", "value"]})
    rows = cb.annex_rows(d)
    assert rows["iso3"].tolist() == ["AAA", "AAA"]
    assert rows["fallback"].tolist() == [True, False]
    assert rows["default_total"].tolist() == [1.35, 1.1]
    bm = pd.DataFrame({"sector": ["Cement"] * 2, "cn_code": ["2523 10 00"] * 2, "cn_digits": ["25231000"] * 2,
                       "description": ["x"] * 2, "column": ["B", "B"], "route": ["", ""], "year_group": ["A", "B"],
                       "benchmark_t_co2e_per_t": [0.666, 0.859]})
    assert cb.benchmark(bm, "25231000", "A") == pytest.approx(0.666)
    assert cb.benchmark(bm, "25231000", "") == pytest.approx(0.859)  # no route: the highest
    assert np.isnan(cb.benchmark(bm, "7601"))


# ---- scenarios ---------------------------------------------------------------------------------------------------
def test_scenario_round_trips_and_is_hashable():
    s = Scenario(country="ind", eaf_share=0.6, clean_power_share=0.5, kiln_fuel_mix="gas:0.4,coal:0.6",
                 ccs_capture=0.3, ccs_scope="all", cbam_year=2030, carbon_price=90)
    assert s.country == "IND" and s.kiln_fuel_mix == (("coal", 0.6), ("gas", 0.4))
    assert Scenario.from_query_string(s.to_query_string()) == s
    assert Scenario.from_params(s.to_params()) == s
    assert hash(s) == hash(Scenario.from_params(s.to_params()))
    assert Scenario(country="IND").is_baseline and not s.is_baseline
    assert Scenario().to_params() == {"country": "CHN", "year": "2018"}


@pytest.mark.parametrize("kw, match", [
    ({"eaf_share": 1.2}, "eaf_share must be in 0-1"),
    ({"eaf_share": "lots"}, "eaf_share must be a number"),
    ({"grid_intensity": 2000}, "grid_intensity must be in 0-1500 g CO2e/kWh"),
    ({"clinker_ratio": 0.2}, "clinker_ratio must be in 0.4-1"),
    ({"grid_intensity": 300, "clean_power_share": 0.5}, "not both"),
    ({"ccs_scope": "everything"}, "ccs_scope must be one of process, all"),
    ({"kiln_fuel_mix": "coal:0.5"}, "sum to 1"),
    ({"kiln_fuel_mix": "peat:1"}, "kiln fuel must be one of"),
    ({"kiln_fuel_mix": "coal"}, "fuel:share"),
    ({"country": "CHINA"}, "ISO3"),
    ({"year": 1990}, "year must be in 2000-2023"),
    ({"cbam_year": 2025}, "cbam_year must be in 2026-2040"),
    ({"carbon_price": -1}, "carbon_price must be in 0-1000"),
])
def test_bad_scenarios_are_refused_with_the_allowed_range(kw, match):
    with pytest.raises(InputError, match=match):
        Scenario(**kw)


def test_unknown_scenario_parameter_is_refused():
    with pytest.raises(InputError, match="unknown scenario parameter 'colour'"):
        Scenario.from_params({"colour": "red"})


def test_hand_computed_scenario(p):
    """A country at 50 % BF-BOF, no DRI, grid 0.5 t/MWh, clean share 0.2. Scenario: 80 % EAF and 60 % clean power:
    grid 0.5 x 0.4/0.8 = 0.25; steel = 0.2 x BF-BOF(0.25) + 0.8 x scrap EAF(0.25)."""
    base = routes.RouteInputs(grid=0.5, steel_shares={"bf_bof": 0.5, "scrap_eaf": 0.5})
    state = {"bf_bof": 0.5, "dri_share": 0.0, "dri_coal": 0.0, "clean_share": 0.2}
    x = sc.apply(Scenario(country="AAA", eaf_share=0.8, clean_power_share=0.6), base, state, p)
    assert x.grid == pytest.approx(0.25)
    steel = routes.country_products(p, x)["crude_steel"].total()
    bf = (p["steel_bf_bof_direct"] + p["steel_bf_bof_electricity"] * 0.25)
    scrap = p["eaf_own_direct"] + p["eaf_electricity_scrap"] * 0.25
    assert steel == pytest.approx(0.2 * bf + 0.8 * scrap)
    h2 = sc.apply(Scenario(country="AAA", eaf_share=1.0, dri_share_of_eaf=1.0, h2_share_of_dri=1.0,
                           grid_intensity=0), base, state, p)
    assert h2.steel_shares["dri_h2"] == pytest.approx(1.0)
    assert routes.country_products(p, h2)["crude_steel"].total() < 0.4  # hydrogen DRI on a clean grid


def test_sector_delta_and_consumption_delta_conserve_the_world_total(p):
    base = routes.RouteInputs(grid=0.5, steel_shares={"bf_bof": 0.8, "scrap_eaf": 0.2})
    state = {"bf_bof": 0.8, "dri_share": 0.0, "dri_coal": 0.0, "clean_share": 0.3}
    prod = {"steel": 1000.0, "cement": 2000.0, "aluminium": 100.0}
    n0 = sc.national(routes.country_products(p, sc.apply(Scenario(country="BBB"), base, state, p)), prod, p)
    n1 = sc.national(routes.country_products(p, sc.apply(Scenario(country="BBB", eaf_share=0.9, ccs_capture=0.5),
                                                         base, state, p)), prod, p)
    d = sc.sector_delta("BBB", n0, n1)
    assert d["delta_mt_co2e"].sum() == pytest.approx((n1["total"] - n0["total"]).sum())
    assert set(d["edgar_sector"]) <= {"Processes", "Industrial Combustion", "Power Industry"}
    regions, sectors = ("AAA", "BBB", "ROW"), tuple(f"c{i}" for i in range(1, 36))
    dF = sc.delta_F(d, regions, sectors, ("CO2", "CH4", "N2O", "F-gases"))
    rng = np.random.default_rng(0)
    LY = rng.random((105, 3)) + 0.1
    x = LY.sum(axis=1)
    dc = sc.consumption_delta(dF, x, LY)
    assert dc.sum() == pytest.approx(d["delta_mt_co2e"].sum())
    assert (dc.sum(axis=0) < 0).all()  # every consumer's footprint falls
