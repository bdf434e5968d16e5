"""Equations and parameters of the green-export model (engine/trade), with published numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.core.config import AUTHORED_DIR
from engine.core.errors import InputError
from engine.trade import GreenParams
from engine.trade import equations as eq
from engine.trade import params as pm


def test_worked_example_of_references():
    """REFERENCES.md "Solar and wind": 1 GW PV, 15 % capacity factor, 30 years, 0.5 %/yr degradation, displacing a
    0.5 kg/kWh grid avoids about 18.4 Mt CO2 over its life. By hand: 1,000 MW x 0.15 x 8,760 h = 1,314,000 MWh/yr;
    x 500 kg/MWh = 0.657 Mt/yr; x sum_{t=0}^{29} 0.995^t = (1 - 0.995^30)/0.005 = 27.923 -> 18.35 Mt."""
    per_year = eq.avoided_mt_per_year(1000.0, 0.15, 500.0)
    assert per_year == pytest.approx(0.657)
    factor = eq.lifetime_factor(30.0, 0.5)
    assert factor == pytest.approx((1 - 0.995 ** 30) / 0.005)
    assert per_year * factor == pytest.approx(18.4, abs=0.1)


def test_lifetime_factor_cases():
    assert eq.lifetime_factor(25.0, 0.0) == pytest.approx(25.0)
    assert eq.lifetime_factor(25.5, 0.0) == pytest.approx(25.5)
    # degradation and grid decline multiply: r = 0.99 x 0.98
    r = 0.99 * 0.98
    assert eq.lifetime_factor(10.0, 1.0, 2.0) == pytest.approx((1 - r ** 10) / (1 - r))
    # a half year at the end counts half of year n's weight
    assert eq.lifetime_factor(2.5, 10.0) == pytest.approx(1 + 0.9 + 0.5 * 0.81)
    # vectorised over draws x destinations
    out = eq.lifetime_factor(np.array([[20.0], [30.0]]), np.array([[0.5, 0.0]]))
    assert out.shape == (2, 2) and out[1, 1] == pytest.approx(30.0)


def test_pv_footprint_scales_with_the_grid():
    """Müller et al. (2021) Sol. Energy Mater. Sol. Cells 230:111277: about 810 kg CO2e/kWp made in China. At the
    reference grid the figure is returned unchanged; at China's 2024 Ember grid (560 g/kWh) with 60 % from
    electricity at a 950 g/kWh reference: 810 x (0.4 + 0.6 x 560/950) = 610.5 kg/kWp; 1 GW -> 0.61 Mt."""
    assert eq.pv_kg_per_kwp(810.0, 0.6, 950.0, 950.0) == pytest.approx(810.0)
    kg = eq.pv_kg_per_kwp(810.0, 0.6, 560.0, 950.0)
    assert kg == pytest.approx(810 * (0.4 + 0.6 * 560 / 950))
    assert eq.pv_manufacturing_mt(1000.0, kg) == pytest.approx(0.6105, abs=1e-3)
    # a zero-carbon grid leaves only the non-electricity part
    assert eq.pv_kg_per_kwp(810.0, 0.6, 0.0, 950.0) == pytest.approx(324.0)


def test_wind_per_mw_from_harmonised_lca():
    """Dolan and Heath (2012) J. Ind. Ecol. 16:S136: median 11 g CO2e/kWh harmonised to 30 % and 20 years ->
    11 x 0.30 x 8,760 x 20 x 1,000 / 10^6 = 578.2 t CO2e per MW; CWEA's 5,193.7 MW -> 3.0 Mt."""
    t = eq.wind_t_per_mw(11.0, 0.30, 20.0)
    assert t == pytest.approx(578.16)
    assert eq.wind_manufacturing_mt(5193.7, t) == pytest.approx(3.003, abs=1e-3)


def test_fossil_margin():
    """IPCC (2006) Vol. 2 Table 2.2: 94.6 t CO2/TJ coal at 37 % -> 920 g/kWh; 56.1 gas at 48 % -> 420.75 g/kWh."""
    coal = eq.fuel_intensity_g_kwh(94.6, 0.37)
    gas = eq.fuel_intensity_g_kwh(56.1, 0.48)
    assert coal == pytest.approx(920.4, abs=0.1) and gas == pytest.approx(420.75)
    shares = np.array([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]])
    m = eq.fossil_margin_g_kwh(shares, np.array([coal, gas, 800.0]))
    assert m == pytest.approx([(coal + gas) / 2, gas])
    draws = np.array([[coal, gas, 800.0], [2 * coal, gas, 800.0]])
    assert eq.fossil_margin_g_kwh(shares, draws).shape == (2, 2)


def test_ratio_handles_zero_manufacturing():
    r = eq.ratio(np.array([10.0, 5.0]), np.array([2.0, 0.0]))
    assert r[0] == 5.0 and np.isnan(r[1])


# ---- the authored tables -----------------------------------------------------------------------------------------
def test_parameter_table_is_complete_and_cited():
    p = pm.load()
    t = p.table
    assert (t["source"].str.len() > 5).all()
    assert ((t["low"] <= t["value"]) & (t["value"] <= t["high"])).all()
    assert p["pv_kg_per_kwp"] == 810.0          # Müller et al. 2021
    assert p["wind_lca_g_kwh"] == 11.0          # Dolan and Heath 2012
    assert p["pv_degradation_pct"] == 0.5       # Jordan and Kurtz 2013
    for region in pm.REGIONS:
        assert 0.08 <= p[f"pv_cf_{pm.region_key(region)}"] <= 0.25
        assert 0.2 <= p[f"wind_cf_{pm.region_key(region)}"] <= 0.5


def test_parameter_table_refusals(tmp_path):
    t = pd.read_csv(AUTHORED_DIR / pm.FILENAME)
    bad = t.copy()
    bad.loc[bad["parameter"] == "pv_kg_per_kwp", "value"] = 2000
    bad.to_csv(tmp_path / "a.csv", index=False)
    with pytest.raises(InputError, match="outside"):
        pm.load(tmp_path / "a.csv")
    t[t["parameter"] != "wind_cf_europe"].to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(InputError, match="wind_cf_europe"):
        pm.load(tmp_path / "b.csv")


def test_wind_table_sums_to_the_cwea_total():
    """CWEA (2025) 2024 statistics brief: 5,193.7 MW exported; Saudi Arabia 15 %, Uzbekistan 13.1 %, Brazil 12.5 %;
    the rest an explicit not-published row."""
    from engine.trade.exports import CWEA_2024, wind_table

    w = wind_table()
    w24 = w[w["year"] == 2024]
    assert w24["capacity_mw"].sum() == pytest.approx(CWEA_2024["capacity_mw"])
    assert w24["share_pct"].sum() == pytest.approx(100.0)
    shares = dict(zip(w24["iso3"], w24["share_pct"]))
    assert shares["SAU"] == 15.0 and shares["UZB"] == 13.1 and shares["BRA"] == 12.5
    assert "OTHER_WIND" in shares
    named = w24[w24["iso3"] != "OTHER_WIND"]
    assert (named["capacity_mw"] == (named["share_pct"] / 100 * 5193.7).round(2)).all()


# ---- GreenParams ---------------------------------------------------------------------------------------------
def test_params_roundtrip_and_defaults():
    assert GreenParams().to_params() == {}
    g = GreenParams(pv_lifetime_yr=30, displacement="fossil_margin", manufacturing_grid_g_kwh=300,
                    pv_commodities=("Cells", "Panels"))
    q = g.to_params()
    assert q == {"pv_lifetime_yr": "30", "displacement": "fossil_margin", "manufacturing_grid_g_kwh": "300",
                 "pv_commodities": "Panels,Cells"}
    assert GreenParams.from_params(q) == g
    assert hash(g) == hash(GreenParams.from_params(q))
    assert GreenParams.from_params({"pv_lifetime_yr": ["20", "31"]}).pv_lifetime_yr == 31.0


@pytest.mark.parametrize("key,value,match", [
    ("pv_lifetime_yr", "45", "10-40 yr"), ("wind_lifetime_yr", "x", "10-35 yr"),
    ("pv_degradation_pct", "-1", "0-2"), ("installation_share", "1.5", "0-1"),
    ("grid_decline_pct", "nan", "0-10"), ("manufacturing_grid_g_kwh", "2000", "0-1500"),
    ("displacement", "marginal", "average, fossil_margin"), ("pv_commodities", "Wafers", "Wafers"),
    ("pv_commodities", "modules", "Panels, Cells"), ("colour", "red", "unknown green-exports parameter"),
])
def test_params_refuse_bad_values(key, value, match):
    with pytest.raises(InputError, match=match):
        GreenParams.from_params({key: value})
