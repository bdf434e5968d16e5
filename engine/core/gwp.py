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


#: Units of emission grids and tables: CO2-equivalents of the Query's GWP set, or tonnes of the gas itself.
UNITS = ("co2e", "mass")
#: Why F-gases have no mass unit.
FGAS_MASS_NOTE = ("F-gases stay in CO2e: EDGAR publishes them as one CO2e total of many species (HFCs, PFCs, SF6, "
                  "NF3) with different GWPs, so they have no single mass")


def mass_gas(unit: str, gases: tuple[str, ...]) -> str | None:
    """The gas whose mass is asked for, or None for CO2-equivalents.

    Raises
    ------
    ValueError
        For a unit other than :data:`UNITS`, ``mass`` with several gases, or ``mass`` of F-gases.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}; got {unit!r}")
    if unit == "co2e":
        return None
    if len(gases) != 1:
        raise ValueError(f"unit=mass needs exactly one gas (CO2, CH4 or N2O: tonnes of that gas); got gases "
                         f"{'+'.join(gases)}")
    if gases[0] not in ("CO2", *REWEIGHTABLE):
        raise ValueError(f"unit=mass is not available for {gases[0]}: {FGAS_MASS_NOTE}")
    return gases[0]


def mass_factors(gas: str) -> np.ndarray:
    """Multipliers turning EDGAR's published CO2e into tonnes of one gas, in :data:`GASES` order: 1 for CO2,
    ``1 / GWP_AR5`` for CH4 and N2O (EDGAR publishes them in AR5 GWP100 CO2e), 0 for the other gases
    [t gas (t CO2e)⁻¹].

    Raises
    ------
    ValueError
        For F-gases (:data:`FGAS_MASS_NOTE`) or an unknown gas.
    """
    mass_gas("mass", (gas,))
    out = np.zeros(len(GASES))
    out[GASES.index(gas)] = 1.0 if gas == "CO2" else 1.0 / gwp_factor(gas, PUBLISHED_SET)
    return out


def emission_weights(gwp_set: str, gases: tuple[str, ...], unit: str = "co2e") -> tuple[np.ndarray, str, dict]:
    """(weights per gas in :data:`GASES` order, the basis label, attributes) of emissions in a unit.

    ``co2e``: the GWP re-weighting of :func:`reweight_factors`, basis ``CO2e``, attributes ``gas`` (the gases
    joined by ``+``) and ``gwp_set``; ``mass``: :func:`mass_factors`, basis the gas (``CH4``), attribute ``gas``.

    Raises
    ------
    ValueError
        As :func:`mass_gas`.
    """
    gas = mass_gas(unit, gases)
    if gas is None:
        return reweight_factors(gwp_set, gases), "CO2e", {"gas": "+".join(gases), "gwp_set": gwp_set,
                                                           "basis": "CO2e"}
    return mass_factors(gas), gas, {"gas": gas, "basis": "mass"}
