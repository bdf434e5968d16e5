"""Greenhouse-gas metrics: re-weighting EDGAR's CO2-equivalents to another GWP set.

EDGAR publishes CH4 and N2O in CO2e with IPCC AR5 GWP100 (CH4 28, N2O 265). For another set we divide by the
AR5 factor and multiply by the chosen one. F-gases are published as one CO2e total of many species and cannot be
re-weighted: they stay as published whatever the set (shown with a note wherever they appear).

References
----------
1. IPCC AR4 WG1 Table 2.14; AR5 WG1 Table 8.A.1; AR6 WG1 Table 7.15 — via the ``globalwarmingpotentials``
   package (data table ``globalwarmingpotentials.csv``).
"""

from __future__ import annotations

import numpy as np

from engine.core.query import GASES, GWP_SETS

#: ``globalwarmingpotentials`` table names for our GWP set ids.
_TABLES = {"AR4": "AR4GWP100", "AR5": "AR5GWP100", "AR6": "AR6GWP100", "AR6-GWP20": "AR6GWP20"}
#: The set EDGAR's CO2e figures are published in.
PUBLISHED_SET = "AR5"
REWEIGHTABLE = ("CH4", "N2O")
FGAS_NOTE = "F-gases are kept in AR5 GWP100 CO2e as published by EDGAR (a lumped total that cannot be re-weighted)."


def gwp_factor(gas: str, gwp_set: str) -> float:
    """GWP of one gas in a set [kg CO2e kg⁻¹].

    Raises
    ------
    ValueError
        For an unknown set or a gas other than CO2, CH4, N2O.
    """
    if gwp_set not in GWP_SETS:
        raise ValueError(f"gwp_set must be one of {', '.join(GWP_SETS)}; got {gwp_set!r}")
    if gas == "CO2":
        return 1.0
    if gas not in REWEIGHTABLE:
        raise ValueError(f"no single GWP for {gas!r}; re-weightable gases: CO2, {', '.join(REWEIGHTABLE)}")
    import globalwarmingpotentials as gwp

    return float(gwp.data[_TABLES[gwp_set]][gas])


def reweight_factors(gwp_set: str, gases: tuple[str, ...] = GASES) -> np.ndarray:
    """Multipliers turning EDGAR's published CO2e into the chosen set, one per gas in :data:`GASES` order.

    Gases not selected get 0, so a dot product with per-gas emissions gives the Query's total.

    Returns
    -------
    ndarray, shape (4,)
        ``GWP_set(gas) / GWP_AR5(gas)`` for CH4 and N2O; 1 for CO2 and F-gases; 0 for unselected gases [1].
    """
    out = np.zeros(len(GASES))
    for i, gas in enumerate(GASES):
        if gas not in gases:
            continue
        out[i] = gwp_factor(gas, gwp_set) / gwp_factor(gas, PUBLISHED_SET) if gas in REWEIGHTABLE else 1.0
    return out
