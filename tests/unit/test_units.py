"""The units table (engine.core.units)."""

from __future__ import annotations

import pytest

from engine.core import units


def test_mass_factors():
    assert units.mass_factor("Mt", "t") == 1e6 and units.mass_factor("Gt", "Mt") == 1e3
    assert units.mass_factor("Tg", "Mt") == 1.0 and units.mass_factor("kg", "t") == 1e-3
    with pytest.raises(ValueError, match="mass unit must be one of"):
        units.mass_factor("lb", "t")


def test_carbon_to_co2():
    """IUPAC molar masses give 3.6641; GCB tables use 3.664 (Friedlingstein et al. 2024)."""
    assert units.C_TO_CO2 == pytest.approx(3.6641, abs=1e-4)
    assert units.C_TO_CO2_GCB == 3.664


def test_intensity_conversion():
    assert units.KG_PER_USD_PER_MT_PER_MUSD == 1000.0
