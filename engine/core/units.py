"""Units and physical constants, in one table: every conversion factor the engine applies is named here, with where
it comes from. Code multiplies by these names, never by a bare ``1e6``.

Mass units are tonnes-based (``t``), emissions per year; the ledger is in Mt, grids in t per cell.

References
----------
1. Friedlingstein, P. et al. (2024) Global Carbon Budget 2024, Earth Syst. Sci. Data, doi:10.5194/essd-2024-519:
   carbon figures in Gt C are converted with 1 Gt C = 3.664 Gt CO2.
2. IUPAC (2021) standard atomic weights: C 12.011, O 15.999 (CO2 44.0095 g mol⁻¹).
3. Moritz, H. (2000) Geodetic Reference System 1980, J. Geodesy 74:128-133 (authalic radius 6,371,007.2 m).
"""

from __future__ import annotations

#: Mass units in tonnes.
MASS_IN_T = {"g": 1e-6, "kg": 1e-3, "t": 1.0, "kt": 1e3, "Mt": 1e6, "Gt": 1e9, "Tg": 1e6, "Pg": 1e9}

T_PER_KT = MASS_IN_T["kt"]
T_PER_MT = MASS_IN_T["Mt"]
T_PER_GT = MASS_IN_T["Gt"]
MT_PER_GT = MASS_IN_T["Gt"] / MASS_IN_T["Mt"]
KG_PER_T = 1.0 / MASS_IN_T["kg"]

#: Molar masses [g mol⁻¹] (IUPAC 2021).
MOLAR_MASS_C = 12.011
MOLAR_MASS_CO2 = 44.0095
#: Mass of CO2 per mass of carbon [t CO2 (t C)⁻¹]: the molar-mass ratio 44.0095 / 12.011 = 3.6641 rounded as the
#: Global Carbon Budget does for all its tables (ref. 1), and as the project's references state it. The one factor
#: for every carbon figure (GCB land-use change, land and ocean sinks, the budget, CDIAC), so terms from different
#: tables of the ledger are converted alike.
C_TO_CO2 = 3.664

#: Areas.
M2_PER_KM2 = 1e6
M2_PER_HA = 1e4
HA_PER_MHA = 1e6
#: Radius of the authalic sphere (same area as the GRS80/WGS84 ellipsoid) [m] (ref. 3).
EARTH_RADIUS_M = 6371007.2

#: Money: WIOD values are in million USD.
USD_PER_MUSD = 1e6
#: An intensity of 1 Mt CO2e per million USD is 1,000 kg CO2e per USD [kg USD⁻¹ (Mt (M USD)⁻¹)⁻¹].
KG_PER_USD_PER_MT_PER_MUSD = T_PER_MT * KG_PER_T / USD_PER_MUSD
#: GDP in EDGAR's per-GDP table is per thousand USD.
USD_PER_KUSD = 1e3


def mass_factor(unit_from: str, unit_to: str) -> float:
    """Factor turning a mass in ``unit_from`` into ``unit_to`` (e.g. ``mass_factor("Mt", "t") == 1e6``).

    Raises
    ------
    ValueError
        For a unit not in :data:`MASS_IN_T` (the message lists them).
    """
    for u in (unit_from, unit_to):
        if u not in MASS_IN_T:
            raise ValueError(f"mass unit must be one of {', '.join(MASS_IN_T)}; got {u!r}")
    return MASS_IN_T[unit_from] / MASS_IN_T[unit_to]
