"""The green-exports routes of ``/api/v1`` on the real pack: the 2024 PV export total read from Ember's file through
the API, the top destinations, mass balance of the totals over the destinations, a parameter that moves the answer
(and one that must not), intervals, errors with the allowed values, the OpenAPI document, CSV and XLSX, and
concurrent requests with different parameters (each answer its own)."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

EMBER_FILE = ("ember_china_solar_exports", "mart_solar_exports_full_release_monthly.csv")
SUMMED = ("capacity_mw", "installed_mw", "manufacturing_mt", "avoided_mt_per_year", "avoided_mt_lifetime")


def _all(data) -> dict:
    return next(t for t in data["totals"] if t["tech"] == "all")


def _body(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:400]
    return r.get_json()


@pytest.fixture(scope="module")
def ember_2024(settings) -> pd.DataFrame:
    """Ember's monthly file as published, 2024 module (Panels) rows."""
    d = pd.read_csv(settings.raw_dir.joinpath(*EMBER_FILE))
    d = d[(d["Date"].str[:4] == "2024") & (d["Commodity type"] == "Panels")]
    return d


@pytest.fixture(scope="module")
def pv2024(client):
    return _body(client, "/api/v1/green-exports?year=2024&tech=pv")["data"]


def test_2024_pv_total_is_embers_world_total(pv2024, ember_2024):
    """Ember China Solar PV Exports (2025 release): 2024 module exports to the World 237,236.55 MW (the "World" row
    summed over the 12 months; the countries add up to 237,236.28 MW). The API's PV total is that figure."""
    world = ember_2024[(ember_2024["Area type"] == "Region") & (ember_2024["Area"] == "World")]["Capacity (MW)"].sum()
    assert world == pytest.approx(237_236.55, abs=0.01)  # the file is the one the test was written for
    total = next(t for t in pv2024["totals"] if t["tech"] == "pv")
    assert total["capacity_mw"] == pytest.approx(world, abs=1.0)


def test_top_destinations_are_embers(pv2024, ember_2024):
    """Ember 2024 modules: the Netherlands (39.2 GW, a re-export hub) and Brazil (21.9 GW) lead; Pakistan, Saudi
    Arabia and India follow (15.5-16.4 GW each)."""
    countries = ember_2024[ember_2024["Area type"] == "Country or economy"]
    published = countries.groupby("Area")["Capacity (MW)"].sum().sort_values(ascending=False)
    ours = sorted((d for d in pv2024["destinations"] if not d["iso3"].startswith("OTHER")),
                  key=lambda d: -d["capacity_mw"])
    assert [d["iso3"] for d in ours[:2]] == ["NLD", "BRA"]
    assert ours[0]["capacity_mw"] == pytest.approx(published["Netherlands"], abs=0.5)
    assert ours[1]["capacity_mw"] == pytest.approx(published["Brazil"], abs=0.5)
    assert {d["iso3"] for d in ours[:5]} == {"NLD", "BRA", "PAK", "SAU", "IND"}


def test_totals_are_the_sum_of_the_destinations(client):
    """Mass balance in the JSON itself: each tech's total row and the "all" row are sums over the destinations."""
    body = _body(client, "/api/v1/green-exports?year=2024&tech=pv,wind")["data"]
    dest = pd.DataFrame(body["destinations"])
    totals = {t["tech"]: t for t in body["totals"]}
    assert set(totals) == {"pv", "wind", "all"} and set(dest["tech"]) == {"pv", "wind"}
    for tech in ("pv", "wind"):
        for col in SUMMED:
            assert totals[tech][col] == pytest.approx(dest.loc[dest["tech"] == tech, col].sum(), rel=1e-9), (tech, col)
    for col in SUMMED:
        assert totals["all"][col] == pytest.approx(totals["pv"][col] + totals["wind"][col], rel=1e-9), col
    a = totals["all"]
    assert a["ratio"] == pytest.approx(a["avoided_mt_lifetime"] / a["manufacturing_mt"], rel=1e-9)
    # CWEA 2024: 5,193.7 MW of wind turbines exported (the authored table's total)
    assert totals["wind"]["capacity_mw"] == pytest.approx(5193.7, abs=0.5)


def test_installation_share_scales_avoided_not_manufacturing(client):
    full = _body(client, "/api/v1/green-exports?year=2024&tech=pv")["data"]
    half = _body(client, "/api/v1/green-exports?year=2024&tech=pv&installation_share=0.5")["data"]
    f, h = _all(full), _all(half)
    assert half["parameters"]["installation_share"] == 0.5 and "installation_share=0.5" in half["query_string"]
    assert h["manufacturing_mt"] == pytest.approx(f["manufacturing_mt"], rel=1e-12)  # made anyway
    assert h["avoided_mt_lifetime"] == pytest.approx(0.5 * f["avoided_mt_lifetime"], rel=1e-9)
    assert h["installed_mw"] == pytest.approx(0.5 * f["installed_mw"], rel=1e-9)
    fossil = _body(client, "/api/v1/green-exports?year=2024&tech=pv&displacement=fossil_margin")["data"]
    assert _all(fossil)["avoided_mt_per_year"] > f["avoided_mt_per_year"]  # fossil-only intensity is higher


def test_draws_add_intervals_around_the_central_values(client):
    body = _body(client, "/api/v1/green-exports?year=2024&tech=pv&draws=200&ci=90")
    data = body["data"]
    assert data["ci"] == 90 and data["draws"] == 200 and body["method"]["flags"]["intervals"] is True
    for t in data["totals"]:
        for col in ("manufacturing_mt", "avoided_mt_per_year", "avoided_mt_lifetime"):
            assert t[f"{col}_low"] < t[f"{col}_high"], (t["tech"], col)
            assert t[f"{col}_low"] <= t[col] * 1.05 and t[col] * 0.95 <= t[f"{col}_high"], (t["tech"], col)
    central = _body(client, "/api/v1/green-exports?year=2024&tech=pv")["data"]
    assert "manufacturing_mt_low" not in central["destinations"][0]  # no NaN columns without draws


@pytest.mark.parametrize("url, allowed_has, words", [
    ("/api/v1/green-exports?year=2010", 2024, "2024"),
    ("/api/v1/green-exports?year=1950&tech=wind", 2024, "wind"),
    ("/api/v1/green-exports?tech=coal", "wind", "pv, wind"),
    ("/api/v1/green-exports?displacement=marginal", "fossil_margin", "average"),
    ("/api/v1/green-exports?pv_commodities=Wafers", "Cells", "Panels"),
    ("/api/v1/green-exports?format=pdf", "xlsx", "xlsx"),
    ("/api/v1/green-exports/tornado?metric=gdp", "ratio", "avoided_mt_lifetime"),
    ("/api/v1/green-exports/claim?year=2005", 2024, "2024"),
    ("/api/v1/green-exports?bogus=1", "installation_share", "bogus"),
])
def test_errors_name_the_allowed_values(client, url, allowed_has, words):
    r = client.get(url)
    assert r.status_code == 400 and r.is_json, r.get_data(as_text=True)[:300]
    body = r.get_json()
    assert allowed_has in body["allowed"] and words in body["detail"], body


@pytest.mark.parametrize("url, words", [
    ("/api/v1/green-exports?installation_share=1.5", "[0, 1]"),
    ("/api/v1/green-exports?pv_lifetime_yr=50", "[10, 40]"),
    ("/api/v1/green-exports?wind_lifetime_yr=5", "[10, 35]"),
    ("/api/v1/green-exports?pv_degradation_pct=3", "[0, 2]"),
    ("/api/v1/green-exports?grid_decline_pct=-1", "[0, 10]"),
    ("/api/v1/green-exports?manufacturing_grid_g_kwh=2000", "[0, 1500]"),
    ("/api/v1/green-exports?draws=5000", "0–2000"),
])
def test_out_of_range_parameters_are_400_naming_the_range(client, url, words):
    r = client.get(url)
    assert r.status_code == 400 and words in r.get_json()["detail"], r.get_data(as_text=True)


def test_openapi_lists_the_routes_and_every_parameter(client):
    from engine.trade import TECHS, GreenParams
    from dataclasses import fields

    from api.green import TECHS as API_TECHS

    assert tuple(TECHS) == API_TECHS
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/green-exports", "/api/v1/green-exports/tornado", "/api/v1/green-exports/claim"):
        op = doc["paths"][path]["get"]
        assert op["tags"] == ["green"] and "400" in op["responses"]
        assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in op["responses"]["200"]["content"]
        fmt = next(p for p in op["parameters"] if p["name"] == "format")
        assert fmt["schema"]["enum"] == ["json", "csv", "xlsx"]
    names = {p["name"] for p in doc["paths"]["/api/v1/green-exports"]["get"]["parameters"]}
    assert {f.name for f in fields(GreenParams)} | {"year", "tech", "draws", "ci", "seed", "format"} <= names
    listing = client.get("/api/v1/").get_json()
    assert "/api/v1/green-exports/claim" in {e["path"] for e in listing["endpoints"]}
    # the other endpoints keep their two formats
    ledger_fmt = next(p for p in doc["paths"]["/api/v1/ledger"]["get"]["parameters"] if p["name"] == "format")
    assert ledger_fmt["schema"]["enum"] == ["json", "csv"]


def test_csv_and_xlsx(client, pv2024):
    r = client.get("/api/v1/green-exports?year=2024&tech=pv&installation_share=0.8&format=csv")
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "# note: Model estimates" in text and "# note: total pv:" in text
    table = pd.read_csv(io.StringIO(text), comment="#")
    assert len(table) == len(pv2024["destinations"]) and "avoided_mt_lifetime" in table.columns
    r = client.get("/api/v1/green-exports?year=2024&tech=pv&format=xlsx")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    book = pd.read_excel(io.BytesIO(r.get_data()), sheet_name=None)
    assert set(book) == {"destinations", "totals", "about"}
    assert book["destinations"]["capacity_mw"].sum() == pytest.approx(_all(pv2024)["capacity_mw"], rel=1e-9)
    r = client.get("/api/v1/green-exports/tornado?year=2024&tech=pv&format=xlsx")
    assert r.status_code == 200 and "swing" in pd.read_excel(io.BytesIO(r.get_data()), sheet_name="data").columns


def test_tornado_and_claim(client):
    t = _body(client, "/api/v1/green-exports/tornado?year=2024&tech=pv&metric=avoided_mt_lifetime")["data"]
    swings = [r["swing"] for r in t]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    assert any(r["parameter"] == "pv_lifetime_yr" for r in t)
    c = _body(client, "/api/v1/green-exports/claim?year=2024")["data"]
    assert {r["verdict"] for r in c} <= {"matches", "does not match"} and len(c) >= 2
    assert {r["basis"] for r in c} <= {"per year", "lifetime"}


def test_concurrent_requests_each_get_their_own_answer(client):
    """Different parameters fired at once from eight threads: each answer carries its own parameters and numbers
    (no shared mutable state, no cache-key collisions)."""
    shares = [round(0.1 * k, 1) for k in range(1, 11)]
    urls = [f"/api/v1/green-exports?year=2024&tech=pv&installation_share={s:g}" for s in shares] * 2

    def get(url):
        with client.application.test_client() as c:
            return url, c.get(url).get_json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(get, urls))
    per_share = {}
    for url, body in answers:
        share = float(url.split("installation_share=")[1])
        assert body["data"]["parameters"]["installation_share"] == share
        per_share.setdefault(share, set()).add(round(_all(body["data"])["avoided_mt_lifetime"], 9))
    assert all(len(v) == 1 for v in per_share.values())
    full = next(iter(per_share[1.0]))
    for share, v in per_share.items():
        assert next(iter(v)) == pytest.approx(share * full, rel=1e-9)
