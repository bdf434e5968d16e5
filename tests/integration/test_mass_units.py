"""Emissions in tonnes of the gas on the real data, through the Python API, the REST API, the grid CLI and map
snapshots (issue 11)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
import xarray as xr

from tests.support.servers import netcdf_from_bytes


def test_world_methane_in_tonnes_is_in_the_global_methane_budget_range(client):
    """Saunois et al. (2020), Earth Syst. Sci. Data 12:1561, doi:10.5194/essd-12-1561-2020, Table 3, bottom-up,
    2008–2017: fossil fuels 128 [113–154] + agriculture and waste 213 [198–232] Tg CH4 yr⁻¹, i.e. 311–386 Tg. EDGAR's
    anthropogenic CH4 without land use (2012, mid-decade) in tonnes of CH4 must fall in that range."""
    r = client.get("/api/v1/production?year=2012&gases=CH4&unit=mass&by=gas")
    assert r.status_code == 200
    body = json.loads(r.data)
    assert body["units"] == {"emissions_mt": "Mt CH4 yr-1"} and body["unit"] == "mass" and body["gas"] == "CH4"
    world = sum(row["emissions_mt"] for row in body["data"])
    assert 311 <= world <= 386, world
    co2e = json.loads(client.get("/api/v1/production?year=2012&gases=CH4&by=gas").data)
    assert world == pytest.approx(sum(row["emissions_mt_co2e"] for row in co2e["data"]) / 28, rel=1e-9)


def test_grid_subset_in_tonnes_of_n2o_has_cf_units_and_the_gas(client):
    r = client.get("/api/v1/grid.nc?layer=emissions&gases=N2O&unit=mass&bbox=5,45,15,50&year=2015")
    assert r.status_code == 200
    var = netcdf_from_bytes(r.data)["emissions"]
    assert var.attrs["units"] == "t yr-1" and var.attrs["gas"] == "N2O" and "gwp_set" not in var.attrs
    co2e = netcdf_from_bytes(client.get("/api/v1/grid.nc?layer=emissions&gases=N2O&bbox=5,45,15,50&year=2015&gwp=AR6").data)
    assert co2e["emissions"].attrs["gwp_set"] == "AR6 GWP100" and co2e["emissions"].attrs["gas"] == "N2O"
    assert float(var.sum()) == pytest.approx(float(co2e["emissions"].sum()) / 273, rel=1e-4)  # AR6 N2O GWP100 273


def test_zonal_and_cell_in_tonnes_of_methane(client):
    z = json.loads(client.get("/api/v1/zonal?layer=emissions&region=DEU&year=2019&gases=CH4&unit=mass&top=1").data)
    assert z["units"]["total"] == "t CH4 yr-1" and z["data"]["units"] == "t CH4 cell-1 yr-1"
    p = json.loads(client.get("/api/v1/production?year=2019&gases=CH4&unit=mass&regions=DEU").data)
    assert z["data"]["total"] / 1e6 == pytest.approx(p["data"][0]["emissions_mt"], rel=1e-5)
    c = json.loads(client.get("/api/v1/cell?layer=emissions&lat=51.3&lon=12.3&year=2019&gases=CH4&unit=mass").data)
    assert c["data"]["units"] == "t CH4 cell-1 yr-1"
    assert c["data"]["value"] == pytest.approx(sum(b["value"] for b in c["data"]["breakdown"]), rel=1e-4)


@pytest.mark.parametrize("url,detail", [
    ("/api/v1/grid.nc?bbox=5,45,15,50&unit=mass", "unit=mass needs exactly one gas"),
    ("/api/v1/zonal?region=FRA&unit=mass&gases=F-gases", "F-gases stay in CO2e"),
    ("/api/v1/production?unit=kg", "unit must be one of co2e, mass"),
    ("/api/v1/cell?lat=1&lon=1&unit=mass&gases=CO2,CH4", "unit=mass needs exactly one gas"),
])
def test_units_a_gas_cannot_have_get_400(client, url, detail):
    r = client.get(url)
    assert r.status_code == 400 and detail in json.loads(r.data)["detail"]


def test_map_snapshots_in_tonnes_of_methane(client):
    png = client.get("/export/map.png?layer=emissions&gases=CH4&unit=mass&year=2015&bbox=-10,35,30,60")
    assert png.status_code == 200 and png.mimetype == "image/png"
    from PIL import Image

    assert Image.open(io.BytesIO(png.data)).size[0] > 400
    nc = client.get("/export/map.nc?layer=emissions&gases=CH4&unit=mass&year=2015&bbox=-10,35,30,60")
    var = netcdf_from_bytes(nc.data)["emissions"]
    assert var.attrs["gas"] == "CH4" and "[t CH4 per 0.1 degree cell per year]" in var.attrs["long_name"]
    bad = client.get("/export/map.png?layer=emissions&unit=mass&year=2015")
    assert bad.status_code == 400 and "exactly one gas" in json.loads(bad.data)["detail"]


def test_grid_cli_writes_tonnes_of_methane(settings, tmp_path, monkeypatch, capsys):
    from engine.__main__ import main as cli

    monkeypatch.setenv("HOLOCARBON_DATA", str(settings.data_dir))
    out = tmp_path / "ch4.nc"
    assert cli(["grid", "--layer", "emissions", "--gas", "CH4", "--unit", "mass", "--year", "2012",
                "--out", str(out)]) == 0
    assert "t CH4 cell-1 yr-1" in capsys.readouterr().out
    with xr.open_dataset(out) as ds:
        v = ds["emissions"]
        assert v.attrs["gas"] == "CH4" and v.attrs["units"] == "t yr-1"
        assert 300e6 < float(np.nansum(v.values)) < 340e6  # EDGAR 2012 CH4 on land cells, t CH4
    assert cli(["grid", "--layer", "emissions", "--unit", "mass", "--out", str(out)]) == 2
    assert "exactly one gas" in capsys.readouterr().err
