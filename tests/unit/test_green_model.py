"""The green-export orchestrator on a small hand-made pack: hand-computed destinations, mass balance, intervals,
tornado and the error paths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.accounts.ledger import Accounts
from engine.core.errors import InputError
from engine.data.pack import MemoryPack
from engine.trade import TECHS, GreenExports, GreenParams
from engine.trade import equations as eq


def _pack() -> MemoryPack:
    dests = [("AAA", "Aland", "Europe"), ("BBB", "Bland", "Middle East"), ("OTHER_AFRICA", "Other Africa", "Africa")]
    monthly, annual = [], []
    for iso3, name, cont in dests:
        for year in (2023, 2024):
            for m in range(1, 13):
                monthly.append({"iso3": iso3, "area": name, "continent": cont, "date": pd.Timestamp(year, m, 1),
                                "year": year, "month": m, "commodity": "panels", "capacity_mw": 100.0})
            annual.append({"iso3": iso3, "area_type": "country", "year": year, "commodity": "panels",
                           "capacity_mw": 1200.0, "months": 12})
            annual.append({"iso3": iso3, "area_type": "country", "year": year, "commodity": "cells",
                           "capacity_mw": 600.0, "months": 12})
            annual.append({"iso3": iso3, "area_type": "country", "year": year, "commodity": "wafers",
                           "capacity_mw": 999.0, "months": 12})
    intensity = pd.DataFrame({"iso3": ["AAA", "BBB", "CHN", "WLD", "SAU", "BRA", "UZB"],
                              "is_world": [False, False, False, True, False, False, False], "year": 2023,
                              "intensity_g_co2e_per_kwh": [400.0, 700.0, 600.0, 480.0, 700.0, 100.0, 500.0]})
    gen = []
    for iso3, coal, gas in (("AAA", 10.0, 10.0), ("BBB", 0.0, 20.0), ("WLD", 50.0, 50.0)):
        for y in (2019, 2020, 2023):
            gen += [{"iso3": iso3, "is_world": iso3 == "WLD", "year": y, "source": s, "generation_twh": v}
                    for s, v in (("coal", coal), ("gas", gas), ("oil", 0.0), ("solar", 2.0))]
    cap = pd.DataFrame({"iso3": ["AAA", "AAA"], "is_world": False, "year": [2019, 2020], "capacity_gw": [1.0, 1.0]})
    return MemoryPack({"ember_china_solar_exports_monthly": pd.DataFrame(monthly),
                       "ember_china_solar_exports_annual": pd.DataFrame(annual),
                       "ember_owid_electricity_carbon_intensity": intensity,
                       "ember_owid_electricity_generation": pd.DataFrame(gen), "owid_solar_capacity": cap},
                      key="green-test")


@pytest.fixture(scope="module")
def ge():
    return GreenExports(Accounts(_pack()))


def test_years_and_techs(ge):
    assert TECHS == ("pv", "wind")
    assert ge.years("pv") == (2023, 2024)
    assert ge.years("wind") == (2024,)
    with pytest.raises(InputError, match="pv, wind"):
        ge.years("hydro")


def test_hand_computed_destination(ge):
    """AAA 2024: 1,200 MW panels; observed CF 2020 = 2 TWh / (1 GW x 8.76) = 0.2283; Ember 2023 intensity 400
    carried; 25 years at 0.5 %/yr. Manufacturing at China's 600 g/kWh: 1,200 MW x 810 x (0.4 + 0.6 x 600/950)."""
    r = ge.result(2024, ("pv",))
    a = r.destinations.set_index("iso3").loc["AAA"]
    cf = 2.0 / 8.76
    assert a["capacity_factor"] == pytest.approx(cf)
    assert a["capacity_factor_source"] == "observed 2020"
    assert a["intensity_source"].startswith("Ember 2023 average")
    per_year = 1200 * cf * 8760 * 400 / 1e9
    assert a["avoided_mt_per_year"] == pytest.approx(per_year)
    assert a["avoided_mt_lifetime"] == pytest.approx(per_year * (1 - 0.995 ** 25) / 0.005)
    assert a["manufacturing_mt"] == pytest.approx(1200 * 1000 * 810 * (0.4 + 0.6 * 600 / 950) / 1e9)
    assert a["ratio"] == pytest.approx(a["avoided_mt_lifetime"] / a["manufacturing_mt"])
    b = r.destinations.set_index("iso3").loc["BBB"]
    assert b["capacity_factor_source"].startswith("fallback: Middle East")
    assert b["capacity_factor"] == pytest.approx(0.20)
    o = r.destinations.set_index("iso3").loc["OTHER_AFRICA"]
    assert o["intensity_source"].startswith("fallback")


def test_mass_balance_and_choices(ge):
    r = ge.result(2024)
    d, t = r.destinations, r.totals.set_index("tech")
    assert set(t.index) == {"pv", "wind", "all"}
    for col in ("capacity_mw", "installed_mw", "manufacturing_mt", "avoided_mt_per_year", "avoided_mt_lifetime"):
        assert t.loc["all", col] == pytest.approx(d[col].sum())
        assert t.loc["pv", col] + t.loc["wind", col] == pytest.approx(t.loc["all", col])
    assert t.loc["wind", "capacity_mw"] == pytest.approx(5193.7)
    assert t.loc["pv", "capacity_mw"] == pytest.approx(3600.0)   # panels only, never wafers
    cells = ge.result(2024, ("pv",), GreenParams(pv_commodities=("Panels", "Cells"))).totals
    assert cells["capacity_mw"].iloc[-1] == pytest.approx(5400.0)
    half = ge.result(2024, params=GreenParams(installation_share=0.5)).totals.set_index("tech")
    assert half.loc["all", "avoided_mt_lifetime"] == pytest.approx(0.5 * t.loc["all", "avoided_mt_lifetime"])
    assert half.loc["all", "manufacturing_mt"] == pytest.approx(t.loc["all", "manufacturing_mt"])
    margin = ge.result(2024, ("pv",), GreenParams(displacement="fossil_margin")).destinations.set_index("iso3")
    assert margin.loc["BBB", "intensity_g_kwh"] == pytest.approx(eq.fuel_intensity_g_kwh(56.1, 0.48))
    clean = ge.result(2024, params=GreenParams(manufacturing_grid_g_kwh=0.0)).totals.set_index("tech")
    assert clean.loc["pv", "manufacturing_mt"] < t.loc["pv", "manufacturing_mt"]
    assert not any(c.endswith("_low") for c in d.columns) and r.ci is None


def test_intervals_contain_the_central_value(ge):
    r = ge.result(2024, draws=400, ci=90, seed=3)
    assert r.ci == 90
    for df in (r.destinations, r.totals):
        for m in ("manufacturing_mt", "avoided_mt_per_year", "avoided_mt_lifetime", "ratio"):
            assert (df[f"{m}_low"] <= df[m] * (1 + 1e-9)).all() and (df[m] <= df[f"{m}_high"] * (1 + 1e-9)).all()
            assert (df[f"{m}_high"] > df[f"{m}_low"]).all()
    # totals come from the draws of the sums: narrower than the sum of the bounds
    t = r.totals.set_index("tech")
    assert t.loc["all", "avoided_mt_lifetime_high"] < r.destinations["avoided_mt_lifetime_high"].sum()
    again = ge.result(2024, draws=400, ci=90, seed=3)
    assert again.totals.equals(r.totals)


def test_tornado_order(ge):
    t = ge.tornado(2024, metric="avoided_mt_lifetime")
    assert list(t["swing"]) == sorted(t["swing"], reverse=True)
    assert {"parameter", "label", "low", "high", "result_low", "result_high", "result_central", "swing"} <= set(t)
    assert "ef_coal" not in set(t["parameter"])     # no effect with the average grid
    assert "pv_lifetime_yr" in set(t["parameter"])
    m = ge.tornado(2024, ("pv",), metric="manufacturing_mt")
    assert m["parameter"].iloc[0] in {"pv_kg_per_kwp", "pv_electricity_share", "pv_reference_grid_g_kwh"}
    assert "pv_lifetime_yr" not in set(m["parameter"])


def test_monthly(ge):
    m = ge.monthly("pv", 2024, 2024)
    assert list(m.columns) == ["iso3", "name", "month", "commodity", "capacity_mw"]
    assert len(m) == 36 and m["capacity_mw"].sum() == pytest.approx(3600.0)
    with pytest.raises(InputError, match="pv"):
        ge.monthly("wind")


@pytest.mark.parametrize("kwargs,match", [
    ({"year": 1990}, "2017-2100"), ({"year": "abc"}, "integer"), ({"year": 2030}, "pv: 2023-2024"),
    ({"year": 2024, "techs": ("pv", "coal")}, "pv, wind"), ({"year": 2024, "techs": ()}, "pv, wind"),
    ({"year": 2024, "draws": -1}, "0-10000"), ({"year": 2024, "draws": 5, "ci": 80}, "66, 90, 95"),
    ({"year": 2024, "seed": -2}, "seed"),
])
def test_bad_inputs(ge, kwargs, match):
    with pytest.raises(InputError, match=match):
        ge.result(**kwargs)


def test_missing_tech_year_is_a_note(ge):
    r = ge.result(2023)
    assert r.techs == ("pv",)
    assert any("no wind export data for 2023" in n for n in r.notes)
    with pytest.raises(InputError, match="metric"):
        ge.tornado(2024, metric="gw")


def test_claim_check_shape(ge):
    cc = ge.claim_check(2024)
    assert set(cc["claim"]) == {"CREA solar", "CAS 2 Mt vs 350 Mt"}
    assert set(cc["verdict"]) <= {"matches", "does not match"}
    assert set(cc["basis"]) == {"per year", "lifetime"}
    assert np.isfinite(cc["avoided_mt"]).all()
