"""Footprint layers on the real pack (WIOD 2013 × EDGAR 2024): mass conservation against the ledger's consumption
account (the reference: :meth:`engine.accounts.ledger.Accounts.ledger`, column ``consumption_mt_co2e`` and its bunker
part ``bunkers_in_consumption_mt_co2e``), the abroad variant against the bundle's embodied flows, and the API."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from api.v1 import PREFIX
from engine.core.gwp import reweight_factors
from engine.core.query import Query
from engine.io import iomath
from engine.maps.grids import Grids

GROUPING = {"EU27": "EU27", "ROW": "mrio"}


@pytest.fixture(scope="module")
def grids(accounts):
    return Grids(accounts)


def _account(accounts, q, consumer):
    led = accounts.ledger(q.replace(grouping=GROUPING.get(consumer, "countries")))
    row = led[led["region"] == consumer].iloc[0]
    return row["consumption_mt_co2e"] * 1e6, row["bunkers_in_consumption_mt_co2e"] * 1e6


@pytest.mark.parametrize("consumer", ["USA", "DEU", "CHN", "EU27"])
def test_grid_sums_to_the_consumption_account_2011(grids, consumer):
    """Grid + unplaced bunker line = the ledger's 2011 consumption account to 1e-6 relative."""
    q = Query(year=2011)
    da = grids.layer("footprint", q, consumer=consumer)
    cons, bunk = _account(grids.accounts, q, consumer)
    total = float(da.values.astype(np.float64).sum())
    assert da.attrs["unplaced_bunker_t"] == pytest.approx(bunk, rel=1e-9)
    assert abs(total + da.attrs["unplaced_bunker_t"] - cons) / cons < 1e-6
    assert da.attrs["unplaced_t"] == 0.0 and 0.0 < da.attrs["share_abroad"] < 1.0


@pytest.mark.parametrize("consumer", ["USA", "DEU", "CHN"])
def test_abroad_is_consumption_minus_the_domestic_part(grids, consumer):
    """abroad = consumption − bunkers − (emissions produced at home for home final demand + household direct
    emissions), the latter from the ledger bundle's embodied flows f∘LY."""
    q = Query(year=2011)
    b = grids.accounts.bundle(2011)
    r = list(b.regions).index(consumer)
    n = len(b.sectors)
    own = slice(r * n, (r + 1) * n)
    w = reweight_factors(q.gwp, q.gases)
    bunker_flows = iomath.embodied_flows(iomath.calc_f(b.system.extensions["ghg_bunkers"].F, b.x), b.system.LY)
    domestic = float(w @ (b.flows[:, own, r].sum(axis=1) - bunker_flows[:, own, r].sum(axis=1) + b.h[:, r])) * 1e6
    cons, bunk = _account(grids.accounts, q, consumer)
    abroad = grids.layer("footprint", q, consumer=consumer, variant="abroad")
    assert float(abroad.values.astype(np.float64).sum()) == pytest.approx(cons - bunk - domestic, rel=1e-6)


def test_nowcast_year_says_so(grids):
    q = Query(year=2020)
    da = grids.layer("footprint", q, consumer="FRA")
    cons, bunk = _account(grids.accounts, q, "FRA")
    assert da.attrs["io_method"] == "nowcast" and da.attrs["structure_year"] == 2011 and da.attrs["modelled"] == 1
    assert "2011" in da.attrs["method_note"]
    assert float(da.values.astype(np.float64).sum()) + bunk == pytest.approx(cons, rel=1e-6)


def test_row_member_country_gets_its_share_of_row(grids):
    """Switzerland is inside WIOD's RoW: its footprint is its production share of RoW's, households at home."""
    q = Query(year=2011)
    da = grids.layer("footprint", q, consumer="CHE")
    cons, bunk = _account(grids.accounts, q, "CHE")
    assert float(da.values.astype(np.float64).sum()) + bunk == pytest.approx(cons, rel=1e-6)
    assert da.attrs["domestic_t"] > 0


# ---- the API ---------------------------------------------------------------------------------------------------

def _get(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.data[:300])
    return json.loads(r.data) if r.mimetype == "application/json" else r


def test_zonal_whole_world_is_the_whole_footprint(client, accounts):
    """/api/v1/zonal?layer=footprint&consumer=DEU&year=2011: the world total = Germany's account − bunkers."""
    body = _get(client, f"{PREFIX}/zonal?layer=footprint&consumer=DEU&year=2011&top=3")
    cons, bunk = _account(accounts, Query(year=2011), "DEU")
    data = body["data"]
    assert data["total"] == pytest.approx(cons - bunk, rel=1e-6)
    assert data["bbox"] == [-180, -90, 180, 90]
    extra = body.get("extra") or body
    assert extra["share_abroad"] == pytest.approx(data["total"] and extra["abroad_t"] / data["total"], rel=1e-6)
    assert extra["unplaced_bunker_t"] == pytest.approx(bunk, rel=1e-9)
    box = _get(client, f"{PREFIX}/zonal?layer=footprint&consumer=DEU&year=2011&region=DEU&top=0")["data"]
    assert box["total"] == pytest.approx(extra["domestic_t"], rel=1e-6)


@pytest.mark.parametrize("url", [
    f"{PREFIX}/zonal?layer=footprint&consumer=XXX&year=2011",
    f"{PREFIX}/zonal?layer=footprint&year=2011",
    f"{PREFIX}/cell?layer=footprint&consumer=GERMANY&lat=50&lon=10&year=2011",
    f"{PREFIX}/grid.nc?layer=footprint&bbox=5,45,15,55&year=2011",
    "/tiles/footprint/2/2/1.png?year=2011&consumer=XXX",
])
def test_bad_or_missing_consumer_is_400_naming_the_codes(client, url):
    body = _get(client, url, status=400)
    assert "consumer" in body["detail"] and "DEU" in body["allowed"] and "EU27" in body["allowed"]


def test_bad_variant_is_400(client):
    body = _get(client, f"{PREFIX}/zonal?layer=footprint&consumer=DEU&variant=imports&year=2011", status=400)
    assert "variant" in body["detail"]


def test_grid_nc_cell_and_tiles_of_a_footprint(client):
    r = _get(client, f"{PREFIX}/grid.nc?layer=footprint&consumer=USA&bbox=-100,30,-90,40&year=2011")
    assert r.mimetype == "application/x-netcdf" and len(r.data) > 1000
    cell = _get(client, f"{PREFIX}/cell?layer=footprint&consumer=USA&lat=41.85&lon=-87.65&year=2011")["data"]
    assert cell["value"] > 0 and cell["country"] == "USA"
    t1 = client.get("/tiles/footprint/2/1/1.png?year=2011&consumer=USA")
    t2 = client.get("/tiles/footprint/2/1/1.png?year=2011&consumer=CHN")
    assert t1.status_code == t2.status_code == 200 and t1.mimetype == "image/png"
    assert t1.headers["ETag"] != t2.headers["ETag"]
    again = client.get("/tiles/footprint/2/1/1.png?year=2011&consumer=USA", headers={"If-None-Match": t1.headers["ETag"]})
    assert again.status_code == 304


def test_openapi_lists_consumer_and_variant(client):
    doc = _get(client, f"{PREFIX}/openapi.json")
    params = {p["name"] for p in doc["paths"]["/api/v1/zonal"]["get"]["parameters"]} if "/api/v1/zonal" in doc[
        "paths"] else {p["name"] for p in doc["paths"]["/zonal"]["get"]["parameters"]}
    assert {"consumer", "variant"} <= params


def test_concurrent_consumers_each_get_their_own_answer(app, accounts):
    """Different consumers fired at /api/v1/zonal at once: each answer is its own account (no crossed caches)."""
    consumers = ["DEU", "FRA", "JPN", "BRA", "IND", "GBR"]
    q = Query(year=2011)
    expected = {c: np.subtract(*_account(accounts, q, c)) for c in consumers}

    def ask(c):
        with app.server.test_client() as cl:
            r = cl.get(f"{PREFIX}/zonal?layer=footprint&consumer={c}&year=2011&top=0")
            return c, r.status_code, json.loads(r.data)

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(ask, consumers * 2))
    for c, status, body in answers:
        assert status == 200, body
        assert body["data"]["total"] == pytest.approx(expected[c], rel=1e-6), c
