"""Downscaling (engine.maps.grid): mass conservation, fallbacks, entity mapping — synthetic fixtures, then real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from engine.maps.grid import NLAT, NLON, build_context, downscale, entity_raster

SECTOR_PROXY = {"Power Industry": "power", "Transport": "population", "Agriculture": "agriculture"}


@pytest.fixture(scope="module")
def synthetic():
    """Three painted countries: A (power plants, people, farms), B (people only), C (land only, nobody)."""
    raster = np.zeros((NLAT, NLON), dtype=np.int16)
    raster[100:110, 200:220] = 1  # A
    raster[300:305, 400:404] = 2  # B
    raster[600:602, 600:602] = 3  # C
    index = pd.DataFrame({"index": [1, 2, 3], "iso3": ["AAA", "BBB", "CCC"]})
    shape = (NLAT * NLON,)
    pop, power, agri, land = (np.zeros(shape) for _ in range(4))
    flat = np.arange(NLAT * NLON).reshape(NLAT, NLON)
    a, b, c = flat[100:110, 200:220].ravel(), flat[300:305, 400:404].ravel(), flat[600:602, 600:602].ravel()
    pop[a] = np.arange(len(a)) + 1.0
    pop[b] = 5.0
    power[a[:3]] = [100.0, 0.0, 300.0]
    agri[a[-10:]] = 2.0
    land[np.concatenate([a, b, c])] = 1.0
    ctx = build_context(raster, index, {}, {"population": pop, "power": power, "agriculture": agri, "land": land})
    return ctx, {"A": a, "B": b, "C": c}


def test_fallback_chain_per_proxy(synthetic):
    ctx, _ = synthetic
    pos = ctx.entity_index()
    assert ctx.used["power"][pos["AAA"]] == "power"
    assert ctx.used["power"][pos["BBB"]] == "population"  # no plants -> population
    assert ctx.used["power"][pos["CCC"]] == "land"  # nobody -> land area
    assert ctx.used["agriculture"][pos["BBB"]] == "population"


def test_power_goes_to_plants_in_proportion(synthetic):
    ctx, cells = synthetic
    totals = pd.DataFrame({"code": ["AAA"], "sector": ["Power Industry"], "value_t": [400.0]})
    flat, unplaced = downscale(ctx, totals, SECTOR_PROXY)
    assert unplaced == {}
    np.testing.assert_allclose(flat[cells["A"][:3]], [100.0, 0.0, 300.0])
    assert flat.sum() == pytest.approx(400.0)


@hsettings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["AAA", "BBB", "CCC", "ZZZ"]), st.sampled_from(sorted(SECTOR_PROXY)),
                          st.floats(0, 1e9)), min_size=1, max_size=12))
def test_property_each_country_sums_to_its_total(synthetic, rows):
    """Mass conservation: every country's cells sum to its national total; unknown codes are reported unplaced."""
    ctx, cells = synthetic
    totals = pd.DataFrame(rows, columns=["code", "sector", "value_t"])
    flat, unplaced = downscale(ctx, totals, SECTOR_PROXY)
    expected = totals.groupby("code")["value_t"].sum()
    for code, key in (("AAA", "A"), ("BBB", "B"), ("CCC", "C")):
        assert flat[cells[key]].sum() == pytest.approx(expected.get(code, 0.0), rel=1e-9, abs=1e-6)
    assert unplaced.get("ZZZ", 0.0) == pytest.approx(expected.get("ZZZ", 0.0), rel=1e-12)
    assert flat.sum() + sum(unplaced.values()) == pytest.approx(totals["value_t"].sum(), rel=1e-9, abs=1e-6)


def test_entity_map_and_french_overseas_split():
    raster = np.zeros((NLAT, NLON), dtype=np.int16)
    row = int((90 - 4.0) / 0.1)
    col = int((180 - 53.0) / 0.1)  # French Guiana, painted as France
    raster[row, col] = 1
    raster[10, 10] = 2  # Serbia -> SCG
    index = pd.DataFrame({"index": [1, 2], "iso3": ["FRA", "SRB"]})
    ent, codes = entity_raster(raster, index, {"SRB": "SCG"})
    assert codes[ent[row * NLON + col]] == "GUF"
    assert codes[ent[10 * NLON + 10]] == "SCG"
    assert ent[0] == -1


# ---- real data ---------------------------------------------------------------------------------------------------


