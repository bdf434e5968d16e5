"""The equations of the green-export model, one small function each (arrays in, arrays out; numpy broadcasting, so
the same functions serve the central estimate, shape (destinations,), and the Monte Carlo, shape (draws,
destinations)).

References
----------
1. Jordan, D. C., Kurtz, S. R. (2013) Photovoltaic degradation rates - an analytical review, Prog. Photovolt.
   21:12-29, doi:10.1002/pip.1182.
2. Müller, A. et al. (2021) A comparative life cycle assessment of silicon PV modules, Sol. Energy Mater. Sol. Cells
   230:111277, doi:10.1016/j.solmat.2021.111277.
3. Dolan, S. L., Heath, G. A. (2012) Life cycle greenhouse gas emissions of utility-scale wind power: systematic
   review and harmonization, J. Ind. Ecol. 16(S1):S136-S154, doi:10.1111/j.1530-9290.2012.00464.x.
4. IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 2, Ch. 2, Table 2.2.
"""

from __future__ import annotations

import numpy as np

HOURS_PER_YEAR = 8760.0
#: GJ of electricity in one MWh.
GJ_PER_MWH = 3.6


def lifetime_factor(lifetime_yr, degradation_pct, decline_pct=0.0):
    """Sum over the operating years of output x displaced intensity, relative to the first year [yr].

    ``F = Σ_{t=0}^{n-1} r^t + (L − n) r^n`` with ``r = (1 − d/100)(1 − g/100)``, ``n = floor(L)``: year 0 is the first
    full year; a fractional lifetime counts the last part-year pro rata. With ``r = 1``, ``F = L``.

    Parameters
    ----------
    lifetime_yr : array_like
        Operating life ``L`` [yr].
    degradation_pct : array_like
        Yearly loss of output ``d`` [% yr⁻¹] (PV median 0.5, Jordan and Kurtz 2013 [1]).
    decline_pct : array_like
        Yearly decline ``g`` of the displaced intensity [% yr⁻¹].

    Returns
    -------
    ndarray
        ``F`` [yr] (equivalent full years at the first year's output and intensity).
    """
    L = np.asarray(lifetime_yr, dtype=float)
    r = (1.0 - np.asarray(degradation_pct, dtype=float) / 100.0) * (1.0 - np.asarray(decline_pct, dtype=float) / 100.0)
    n = np.floor(L)
    with np.errstate(divide="ignore", invalid="ignore"):
        geometric = np.where(np.isclose(r, 1.0), n, (1.0 - r ** n) / np.where(np.isclose(r, 1.0), 1.0, 1.0 - r))
    return geometric + (L - n) * r ** n


def generation_mwh(installed_mw, capacity_factor):
    """First-year generation ``P · CF · 8760 h`` [MWh yr⁻¹] of ``installed_mw`` [MW] at ``capacity_factor`` [1]."""
    return np.asarray(installed_mw, dtype=float) * np.asarray(capacity_factor, dtype=float) * HOURS_PER_YEAR


def avoided_mt_per_year(installed_mw, capacity_factor, intensity_g_kwh):
    """First-year avoided emissions ``P · CF · 8760 · I`` [Mt CO2e yr⁻¹].

    Parameters
    ----------
    installed_mw : array_like
        Installed capacity [MW].
    capacity_factor : array_like
        [1].
    intensity_g_kwh : array_like
        Displaced intensity at installation [g CO2e kWh⁻¹] (= kg MWh⁻¹).

    Notes
    -----
    MWh x kg MWh⁻¹ = kg; 10⁹ kg = 1 Mt.
    """
    return generation_mwh(installed_mw, capacity_factor) * np.asarray(intensity_g_kwh, dtype=float) / 1e9


def pv_kg_per_kwp(kg_per_kwp_ref, electricity_share, grid_g_kwh, reference_grid_g_kwh):
    """PV module footprint at a manufacturing grid [kg CO2e kWp⁻¹].

    ``f(grid) = f_ref · ((1 − s) + s · grid / grid_ref)``: the electricity part ``s`` of the reference footprint
    (Müller et al. 2021 [2], 810 kg/kWp for China) scales with the grid intensity, the rest is fixed.

    Parameters
    ----------
    kg_per_kwp_ref : array_like
        Footprint at the reference grid [kg CO2e kWp⁻¹].
    electricity_share : array_like
        Share of the footprint from electricity at the reference grid [1].
    grid_g_kwh, reference_grid_g_kwh : array_like
        Manufacturing and reference grid intensities [g CO2e kWh⁻¹].
    """
    s = np.asarray(electricity_share, dtype=float)
    return np.asarray(kg_per_kwp_ref, dtype=float) * ((1.0 - s) + s * np.asarray(grid_g_kwh, dtype=float)
                                                       / np.asarray(reference_grid_g_kwh, dtype=float))


def pv_manufacturing_mt(capacity_mw, kg_per_kwp):
    """Manufacturing emissions of ``capacity_mw`` [MW] of PV at ``kg_per_kwp`` [kg CO2e kWp⁻¹] -> [Mt CO2e]."""
    return np.asarray(capacity_mw, dtype=float) * 1000.0 * np.asarray(kg_per_kwp, dtype=float) / 1e9


def wind_t_per_mw(lca_g_kwh, reference_cf, reference_lifetime_yr):
    """Life-cycle emissions per MW of wind [t CO2e MW⁻¹] from a harmonised g/kWh figure (Dolan and Heath 2012 [3]):
    ``g/kWh · CF_ref · 8760 h · L_ref · 1000 kWh MWh⁻¹ / 10⁶ g t⁻¹`` (11 g/kWh, 30 %, 20 yr -> 578 t/MW)."""
    return (np.asarray(lca_g_kwh, dtype=float) * np.asarray(reference_cf, dtype=float) * HOURS_PER_YEAR
            * np.asarray(reference_lifetime_yr, dtype=float) * 1000.0 / 1e6)


def wind_manufacturing_mt(capacity_mw, t_per_mw):
    """Manufacturing emissions of ``capacity_mw`` [MW] of wind at ``t_per_mw`` [t CO2e MW⁻¹] -> [Mt CO2e]."""
    return np.asarray(capacity_mw, dtype=float) * np.asarray(t_per_mw, dtype=float) / 1e6


def fuel_intensity_g_kwh(ef_t_tj, efficiency):
    """CO2 per kWh of electricity from a fuel: ``EF · 3.6 GJ MWh⁻¹ / η`` [g CO2 kWh⁻¹] (IPCC 2006 factors [4] in
    t CO2 TJ⁻¹ of fuel; ``η`` net electrical efficiency [1]; 94.6 t/TJ at 0.37 -> 920 g/kWh)."""
    return np.asarray(ef_t_tj, dtype=float) * GJ_PER_MWH / np.asarray(efficiency, dtype=float)


def fossil_margin_g_kwh(shares, fuel_g_kwh):
    """Intensity of the fossil part of a generation mix [g CO2 kWh⁻¹]: ``Σ_f s_f · e_f``.

    Parameters
    ----------
    shares : ndarray, shape (destinations, 3)
        Shares of coal, gas and oil in fossil generation [1] (rows sum to 1).
    fuel_g_kwh : ndarray, shape (3,) or (draws, 3)
        Per-fuel intensities of :func:`fuel_intensity_g_kwh` [g CO2 kWh⁻¹].

    Returns
    -------
    ndarray, shape (destinations,) or (draws, destinations)
    """
    return np.asarray(fuel_g_kwh, dtype=float) @ np.asarray(shares, dtype=float).T


def ratio(avoided, manufacturing):
    """``avoided / manufacturing`` [1]; NaN where manufacturing is zero (nothing exported)."""
    a = np.asarray(avoided, dtype=float)
    m = np.asarray(manufacturing, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(m > 0, a / np.where(m > 0, m, 1.0), np.nan)
