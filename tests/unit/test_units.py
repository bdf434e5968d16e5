"""The units table (engine.core.units)."""

from __future__ import annotations

import pytest

from engine.core import units


def test_mass_factors():
    assert units.mass_factor("Mt", "t") == 1e6 and units.mass_factor("Gt", "Mt") == 1e3
    assert units.mass_factor("Tg", "Mt") == 1.0 and units.mass_factor("kg", "t") == 1e-3
    with pytest.raises(ValueError, match="mass unit must be one of"):
        units.mass_factor("lb", "t")


def test_one_carbon_to_co2_factor():
    """REFERENCES.md and the Global Carbon Budget 2024 (Friedlingstein et al. 2024): 1 GtC = 3.664 GtCO2, the molar
    mass ratio rounded to four significant figures."""
    assert units.C_TO_CO2 == 3.664
    assert round(units.MOLAR_MASS_CO2 / units.MOLAR_MASS_C, 3) == units.C_TO_CO2
    import engine.sources.gcb as gcb

    assert gcb.C_TO_CO2 is units.C_TO_CO2 or gcb.C_TO_CO2 == units.C_TO_CO2


def test_intensity_conversion():
    assert units.KG_PER_USD_PER_MT_PER_MUSD == 1000.0
