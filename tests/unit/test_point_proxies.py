"""Point-source proxies and the sharpened population (engine.maps.proxies) on small synthetic worlds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from engine.maps import proxies
from engine.maps.gridmath import grid_centres

LAT, LON = grid_centres(0.1)


def _raster():
    """Country 1 on 40-50 N, 0-10 E; country 2 on 40-50 N, 20-30 E; the rest no country (0)."""
    r = np.zeros((1800, 3600), dtype=np.int32)
    r[400:500, 1800:1900] = 1
    r[400:500, 2000:2100] = 2
    da = xr.DataArray(r, dims=("lat", "lon"), coords={"lat": LAT, "lon": LON})
    return da, pd.DataFrame({"index": [1, 2], "iso3": ["AAA", "BBB"]})


def _pop(value: float = 1.0):
    p = np.zeros((1800, 3600))
    p[400:500, 1800:1900] = value
    p[400:500, 2000:2100] = value
    return xr.DataArray(p, dims=("lat", "lon"), coords={"lat": LAT, "lon": LON})


def test_fill_by_median_order_of_groups():
    v = pd.Series([1.0, 3.0, np.nan, 0.0, 10.0, np.nan])
    g1 = pd.Series(["a/u", "a/u", "a/u", "a/s", "b/u", "c/u"])
    g2 = pd.Series(["a", "a", "a", "a", "b", "c"])
    out, how = proxies.fill_by_median(v, g1, g2)
    assert out.tolist() == [1.0, 3.0, 2.0, 2.0, 10.0, 3.0]  # own group; country; global median of 1, 3, 10
    assert how.tolist() == ["reported", "reported", "group0_median", "group1_median", "reported", "global_median"]


def test_coal_underground_weighs_16_times_surface():
    """IPCC 2006 Tier 1 averages: underground 18 + 2.5 post-mining, surface 1.2 + 0.1 m3 CH4 per t."""
    mines = pd.DataFrame({"iso3": ["AAA", "AAA"], "mine_type": ["underground", "surface"], "output_mt": [1.0, 1.0]})
    w, _ = proxies.coal_mine_weights(mines)
    assert w[0] / w[1] == pytest.approx(20.5 / 1.3)
    assert w[0] == pytest.approx(1e6 * 20.5 * 0.67e-3 * 28)  # t CO2e per Mt of coal


def test_steel_bf_bof_far_above_eaf():
    plants = pd.DataFrame({"bf_kt": [0.0, 0.0, 0.0], "dri_kt": [0.0, 0.0, 1000.0], "iron_kt": [0.0, 0.0, 1000.0],
                           "bof_kt": [1000.0, 0.0, 0.0], "eaf_kt": [0.0, 1000.0, 1000.0], "ohf_kt": [0.0] * 3,
                           "other_steel_kt": [0.0] * 3})
    w = proxies.steel_plant_weights(plants)
    # BOF without a listed blast furnace: 0.9 t hot metal per t of steel; x 0.8 utilisation
    assert w[0] == pytest.approx(0.8 * 1e6 * (0.9 * 1.8 + 0.2))
    assert w[1] == pytest.approx(0.8 * 1e6 * 0.15)
    assert w[0] > 10 * w[1]
    assert w[2] == pytest.approx(0.8 * 1e6 * (1.0 + 0.15))  # DRI-EAF


def test_place_points_snaps_onto_own_country_and_joint_areas():
    raster, index = _raster()
    pts = pd.DataFrame({"lat": [45.05, 45.05, 45.05, 30.0], "lon": [5.05, 15.05, 15.05, 100.0],
                        "iso3": ["AAA", "AAA", "BBB", "AAA"], "countries": ["", "", "AAA,BBB", ""]})
    grid, n = proxies.place_points(pts, np.array([1.0, 2.0, 4.0, 8.0]), raster.values, index, window=60,
                                   countries="countries")
    r, c = proxies.cell_index(45.05, 9.95)
    assert grid[r, c] == 2.0  # 15 E belongs to no country: snapped to AAA's nearest cell (its east edge)
    r, c = proxies.cell_index(45.05, 5.05)
    assert grid[r, c] == 1.0
    assert grid[proxies.cell_index(45.05, 15.05)] == 0  # the joint-area point also moved onto a country
    assert n["n_snapped"] == 2 and n["n_kept_outside_country"] == 1  # 30 N 100 E is too far: kept
    assert n["share_weight_kept_outside_country"] == pytest.approx(8 / 15)
    assert grid.sum() == pytest.approx(15.0)


def test_fuel_exploitation_methane_goes_to_mines_and_fields_and_its_co2_to_flares_and_industry():
    """AAA has one underground mine and one oil unit, Fuel Exploitation CH4 60 + CO2 40 Mt: all the methane on the two
    points in proportion to their Tier 1 estimates, none of the CO2 on them (no flares: the CO2 of refineries and coke
    ovens follows the industry proxy). BBB has only a flare of 1 bcm (2.5 Mt CO2) and CO2 10 Mt: its methane goes on
    the flare, 2.5 of its 10 Mt CO2 too and the rest on the industry proxy. A country with no point stays zero
    (population fallback in the grid context)."""
    raster, index = _raster()
    mines = pd.DataFrame({"lat": [45.05], "lon": [5.05], "iso3": ["AAA"], "mine_type": ["underground"],
                          "output_mt": [2.0]})
    fields = pd.DataFrame({"lat": [46.05], "lon": [6.05], "iso3": ["AAA"], "countries": [""],
                           "production_mboe": [10.0]})
    flares = pd.DataFrame({"lat": [45.05], "lon": [25.05], "iso3": ["BBB"], "bcm": [1.0]})
    edgar = pd.DataFrame({"iso3": ["AAA", "AAA", "BBB"], "sector": ["Fuel Exploitation"] * 3, "gas": ["CH4", "CO2", "CO2"],
                          "year": [2019] * 3, "emissions_mt_co2e": [60.0, 40.0, 10.0], "is_aggregate": [False] * 3})
    ch4 = proxies.fuel_exploitation_proxy(mines, fields, flares, raster, index, _pop()).values.astype(np.float64)
    mine = 2e6 * 20.5 * 0.67e-3 * 28
    field = 10e6 * 1.3e-3 * 28
    assert ch4[proxies.cell_index(45.05, 5.05)] == pytest.approx(mine, rel=1e-5)
    assert ch4[proxies.cell_index(46.05, 6.05)] == pytest.approx(field, rel=1e-5)
    assert ch4[400:500, 1800:1900].sum() == pytest.approx(mine + field, rel=1e-5)  # nothing else in AAA
    assert ch4[proxies.cell_index(45.05, 25.05)] == pytest.approx(2.5e6, rel=1e-5)  # BBB: flares only
    assert ch4[400:500, 2000:2100].sum() == pytest.approx(2.5e6, rel=1e-5)
    co2 = proxies.fuel_exploitation_co2_proxy(flares, raster, index, edgar, _pop())
    v = co2.values.astype(np.float64)
    aaa = v[400:500, 1800:1900]
    assert aaa.max() == pytest.approx(aaa.min())  # AAA: the industry proxy (uniform here), no point
    bbb = v[400:500, 2000:2100]
    assert v[proxies.cell_index(45.05, 25.05)] / bbb.sum() == pytest.approx(0.25 + 0.75 / 1e4, rel=1e-5)
    assert v[proxies.cell_index(30.0, 100.0)] == 0
    assert co2.attrs["flare_share_weighted_mean"] == pytest.approx(2.5 / 50)
    assert co2.attrs["gases"] == "CO2" and co2.attrs["n_countries_with_flares"] == 1


def test_industry_share_caps_and_composite_keeps_population_weight():
    raster, index = _raster()
    edgar = pd.DataFrame({"iso3": ["AAA", "AAA", "BBB"], "sector": ["Processes", "Industrial Combustion", "Processes"],
                          "year": [2019] * 3, "emissions_mt_co2e": [1.0, 1.0, 100.0], "is_aggregate": [False] * 3})
    steel = pd.DataFrame({"lat": [45.05, 45.05], "lon": [5.05, 25.05], "iso3": ["AAA", "BBB"], "bf_kt": [5000.0, 0.0],
                          "dri_kt": [0.0, 0.0], "iron_kt": [5000.0, 0.0], "bof_kt": [5000.0, 0.0],
                          "eaf_kt": [0.0, 1000.0], "ohf_kt": [0.0, 0.0], "other_steel_kt": [0.0, 0.0]})
    smelters = pd.DataFrame({"lat": [], "lon": [], "iso3": []})
    q = np.bincount([1, 2], weights=proxies.steel_plant_weights(steel), minlength=3)
    a = proxies.industry_shares(q, edgar, index)
    assert a[1] == proxies.INDUSTRY_SHARE_MAX  # 8 Mt of plant CO2 against 2 Mt of EDGAR industry: capped
    assert a[2] == pytest.approx(0.8 * 1e6 * 0.15 / 100e6)
    out = proxies.industry_proxy(steel, smelters, _pop(), raster, index, edgar).values.astype(np.float64)
    aaa = out[400:500, 1800:1900]
    assert aaa.sum() == pytest.approx(1e4, rel=1e-5)  # population total of the country kept
    assert aaa[proxies.cell_index(45.05, 5.05)[0] - 400, 50] == pytest.approx(0.6 * 1e4 + 0.4, rel=1e-5)
    assert out[proxies.cell_index(30.0, 100.0)] == 0


def _toy_population(fractions_urban_cell: tuple[int, int] | None):
    lat1, lon1 = grid_centres(1.0)
    gpw = xr.DataArray(np.zeros((180, 360)), dims=("lat", "lon"), coords={"lat": lat1, "lon": lon1})
    gpw[40, 180] = 1000.0
    land = xr.DataArray(np.ones((1800, 3600)), dims=("lat", "lon"), coords={"lat": LAT, "lon": LON})
    classes = ["forest", "shrubland", "savanna", "grassland", "wetland", "cropland", "urban", "snow_ice", "barren",
               "water"]
    frac = np.zeros((len(classes), 1800, 3600), dtype=np.float32)
    frac[classes.index("forest")] = 1.0
    if fractions_urban_cell is not None:
        r, c = fractions_urban_cell
        frac[:, r, c] = 0.0
        frac[classes.index("urban"), r, c] = 1.0
    fr = xr.DataArray(frac, dims=("class", "lat", "lon"), coords={"class": classes, "lat": LAT, "lon": LON})
    return gpw, land, fr


def test_population_sharpened_by_land_cover_keeps_the_1_degree_total():
    gpw, land, fr = _toy_population((403, 1806))
    cities = pd.DataFrame({"lat": [], "lon": [], "population": []})
    out = proxies.population_proxy(gpw, land, cities, fr).values.astype(np.float64)
    block = out[400:410, 1800:1810]
    assert block.sum() == pytest.approx(1000.0, rel=1e-6)
    # one built-up cell (weight 100 per km2) among 99 forest cells (1 per km2), areas nearly equal
    assert block[3, 6] == pytest.approx(1000 * 100 / (100 + 99), rel=0.01)
    assert block[3, 6] > 90 * np.median(block)
    flat = proxies.population_proxy(gpw, land, cities).values.astype(np.float64)[400:410, 1800:1810]
    assert flat.max() / flat.min() < 1.03  # without land cover: uniform density over land (areas differ by row)


def test_population_city_cap_leaves_half_to_land_cover():
    """A city larger than its 1 degree cell takes at most half of it; the rest follows land cover."""
    gpw, land, fr = _toy_population(None)
    cities = pd.DataFrame({"lat": [49.55], "lon": [0.55], "population": [5000.0]})
    out = proxies.population_proxy(gpw, land, cities, fr).values.astype(np.float64)[400:410, 1800:1810]
    assert out.sum() == pytest.approx(1000.0, rel=1e-6)
    assert (out > 0).all()  # no empty squares
    assert out.min() == pytest.approx(500.0 / 100, rel=0.02)
    full = proxies.population_proxy(gpw, land, cities, fr, city_share_max=1.0).values[400:410, 1800:1810]
    assert (full == 0).sum() == 91  # the old rule: the 3 x 3 kernel takes everything
    with pytest.raises(ValueError, match="city_share_max must be in"):
        proxies.population_proxy(gpw, land, cities, fr, city_share_max=1.5)


def _fractions(crop: np.ndarray, grass: np.ndarray) -> xr.DataArray:
    return xr.DataArray(np.stack([crop, grass]).astype(np.float32), dims=("class", "lat", "lon"),
                        coords={"class": ["cropland", "grassland"], "lat": LAT, "lon": LON})


def test_agriculture_drops_the_grassland_of_empty_arctic_cells_only():
    """Tundra rule (issue 16): grassland poleward of 60 degrees in a 1 degree cell with < 0.1 people per km2 is not
    pasture; cropland, populated northern grassland and sparse grassland further south stay."""
    crop, grass, pop = np.zeros((1800, 3600)), np.zeros((1800, 3600)), np.zeros((1800, 3600))
    r70, r64, r25, rs65 = proxies.cell_index([70.05, 64.05, -25.05, -65.05], [0.05] * 4)[0]
    c = 1800
    for r in (r70, r64, r25, rs65):
        grass[r, c] = 0.5
    crop[r70, c + 1] = 0.25          # arctic cropland (an experimental farm): kept
    area1 = proxies._cell_area_km2()  # per row [km2]
    pop[r64, c] = 0.2 * area1[r64] * 100  # 0.2 people per km2 over its 1 degree cell: populated north, kept
    pop[r70, c] = 0.05 * area1[r70] * 100  # 0.05 people per km2: tundra, grassland dropped
    # r25 (the outback) and rs65 (no people, far south) have no people: only the southern ocean one is dropped
    out = proxies.agriculture_proxy(_fractions(crop, grass), xr.DataArray(pop, dims=("lat", "lon")))
    v = out.values.astype(np.float64)
    assert v[r70, c] == 0.0
    assert v[r70, c + 1] == pytest.approx(0.25 * area1[r70], rel=1e-6)
    assert v[r64, c] == pytest.approx(0.5 * area1[r64], rel=1e-6)
    assert v[r25, c] == pytest.approx(0.5 * area1[r25], rel=1e-6)
    assert v[rs65, c] == 0.0
    assert out.attrs["tundra_grassland_dropped_km2"] == pytest.approx(0.5 * (area1[r70] + area1[rs65]), rel=1e-6)
    assert out.attrs["total_km2"] == pytest.approx(v.sum(), rel=1e-6)
    # with the rule turned off (latitude beyond the pole) every grassland cell counts
    off = proxies.agriculture_proxy(_fractions(crop, grass), xr.DataArray(pop, dims=("lat", "lon")), tundra_lat=91)
    assert off.values[r70, c] > 0 and off.attrs["tundra_grassland_dropped_km2"] == 0
