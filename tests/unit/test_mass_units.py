"""Emissions in tonnes of the gas (issue 11): ``unit=mass`` on grids and production tables, CF attributes, errors —
on the synthetic pack."""

from __future__ import annotations

import numpy as np
import pytest

from components.render.colormaps import COLORMAPS
from engine.core.gwp import emission_weights, gwp_factor, mass_factors, mass_gas
from engine.core.query import Query
from engine.maps.files import cf_dataset


def test_mass_factors_undo_the_published_ar5_weighting():
    """EDGAR publishes CH4 and N2O in AR5 GWP100 CO2e (CH4 28, N2O 265; IPCC AR5 WG1 Table 8.A.1)."""
    assert mass_factors("CH4")[1] == pytest.approx(1 / 28) and gwp_factor("CH4", "AR5") == 28
    assert mass_factors("N2O")[2] == pytest.approx(1 / 265)
    assert mass_factors("CO2").tolist() == [1.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("unit,gases,message", [
    ("tonnes", ("CH4",), "unit must be one of co2e, mass; got 'tonnes'"),
    ("mass", ("CO2", "CH4"), "unit=mass needs exactly one gas .*got gases CO2\\+CH4"),
    ("mass", ("F-gases",), "not available for F-gases: F-gases stay in CO2e"),
])
def test_units_a_gas_cannot_have_are_refused(unit, gases, message):
    with pytest.raises(ValueError, match=message):
        mass_gas(unit, gases)


def test_grid_in_tonnes_of_methane_is_the_ar5_co2e_grid_over_28(synthetic_grids):
    q = Query(year=2011, gases=("CH4",), gwp="AR5")
    co2e = synthetic_grids.layer("emissions", q)
    mass = synthetic_grids.layer("emissions", q, unit="mass")
    assert mass.attrs["units"] == "t CH4 cell-1 yr-1" and mass.attrs["gas"] == "CH4"
    assert co2e.attrs["units"] == "t CO2e cell-1 yr-1" and co2e.attrs["gwp_set"] == "AR5"
    assert np.allclose(mass.values, co2e.values / 28, rtol=1e-6)
    # the GWP set does not change a mass
    ar6 = synthetic_grids.layer("emissions", q.replace(gwp="AR6"), unit="mass")
    assert np.array_equal(ar6.values, mass.values)


def test_co2_layers_are_tonnes_of_co2_whatever_the_unit(synthetic_grids):
    q = Query(year=2011)
    assert np.array_equal(synthetic_grids.layer("land_sink", q, unit="mass").values,
                          synthetic_grids.layer("land_sink", q).values)
    with pytest.raises(ValueError, match="unit=mass needs exactly one gas"):
        synthetic_grids.layer("net_flux", q, unit="mass")
    co2 = synthetic_grids.layer("net_flux", q.replace(gases=("CO2",)), unit="mass")
    assert co2.attrs["units"] == "t CO2 cell-1 yr-1"


def test_layers_shared_by_requests_are_read_only(synthetic_grids):
    da = synthetic_grids.layer("emissions", Query(year=2011))
    with pytest.raises(ValueError, match="read-only"):
        da.values[0, 0] = 1.0


def test_production_in_tonnes_of_the_gas(synthetic_accounts):
    q = Query(year=2011, gases=("N2O",))
    co2e = synthetic_accounts.production(q)
    mass = synthetic_accounts.production(q, "mass")
    assert "emissions_mt" in mass and "emissions_mt_co2e" not in mass
    assert mass["emissions_mt"].sum() == pytest.approx(co2e["emissions_mt_co2e"].sum() / 265)
    assert mass.attrs["units"] == {"emissions_mt": "Mt N2O yr-1"}


def test_netcdf_attributes_name_the_gas_and_the_gwp_set(synthetic_grids):
    q = Query(year=2011, gases=("CH4",), gwp="AR6")
    mass = cf_dataset(synthetic_grids.layer("emissions", q, unit="mass"))["emissions"].attrs
    assert mass["units"] == "t yr-1" and mass["cell_methods"] == "area: sum"  # UDUNITS-parsable
    assert mass["gas"] == "CH4" and "gwp_set" not in mass and "[t CH4 per 0.1 degree cell" in mass["long_name"]
    co2e = cf_dataset(synthetic_grids.layer("emissions", q))["emissions"].attrs
    assert co2e["gwp_set"] == "AR6 GWP100" and co2e["gas"] == "CH4" and "CO2e per 0.1 degree" in co2e["long_name"]
    assert "F-gases" in co2e["comment"]


def test_weights_and_colour_map_for_a_mass_layer():
    w, basis, attrs = emission_weights("AR6", ("CH4",), "mass")
    assert basis == "CH4" and attrs == {"gas": "CH4", "basis": "mass"}
    cm = COLORMAPS["emissions"].for_mass("CH4", 1 / 28)
    assert cm.units.startswith("t CH4") and (cm.vmin, cm.vmax) == (10.0, 1e6)
