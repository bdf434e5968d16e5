"""The industry and CBAM routes of ``/api/v1`` on the real pack: published default values through the API, lists by
country and by product, errors with the allowed values, the OpenAPI document, CSV, and concurrent scenarios (each
answer its own)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest


def _rows(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()


def test_china_semi_finished_steel_default_as_published(client):
    """IR (EU) 2025/2621 Annex I, China, CN 7207 12 10 (semi-finished products of iron or non-alloy steel, route C):
    total default value 3.169 t CO2e/t ("3.17" in REFERENCES.md); mark-ups 10/20/30 % for 2026/2027/2028 (Annex I,
    point 1)."""
    body = _rows(client, "/api/v1/cbam?country=CHN&cn=7207")
    row = next(r for r in body["data"] if r["cn_code"] == "7207 12 10")
    assert row["default_total"] == pytest.approx(3.17, abs=0.005)
    assert row["default_2026"] == pytest.approx(3.486, abs=1e-9)  # 3.169 × 1.1, rounded as published
    assert row["default_2028"] == pytest.approx(row["default_total"] * 1.3, abs=1e-3)  # as published, 3 decimals
    assert row["ours_lo"] <= row["ours"] <= row["ours_hi"]
    assert row["verdict"] == ("above" if row["default_total"] > row["ours_hi"] else
                              "below" if row["default_total"] < row["ours_lo"] else "inside")
    assert all(r["iso3"] == "CHN" and r["cn_code"].replace(" ", "").startswith("7207") for r in body["data"])
    assert body["method"]["flags"]["modelled"] is True and "model estimates" in " ".join(body["method"]["notes"])


@pytest.mark.parametrize("iso3, cn, total", [("IND", "7207 12 10", 4.27), ("CHN", "2523 29 00", 1.42),
                                              ("IND", "7601", 1.87)])
def test_more_published_defaults(client, iso3, cn, total):
    """IR (EU) 2025/2621 Annex I: India 7207 12 10 4.27; China Portland cement 2523 29 00 1.42; India unwrought
    aluminium 7601 1.87 t CO2e/t (the values test_industry_cbam.py reads from the engine)."""
    body = _rows(client, f"/api/v1/cbam?country={iso3}&cn={cn}")
    assert any(r["cn_code"] == cn and r["default_total"] == pytest.approx(total, abs=0.005) for r in body["data"])


def test_lists_by_country_and_by_product(client):
    by_country = _rows(client, "/api/v1/cbam?country=IND")["data"]
    assert len({r["sector"] for r in by_country}) == 5 and {r["iso3"] for r in by_country} == {"IND"}
    by_product = _rows(client, "/api/v1/cbam?cn=72071210")["data"]
    assert {"CHN", "IND", "USA"} <= {r["iso3"] for r in by_product}
    assert {r["cn_code"] for r in by_product} == {"7207 12 10"}


@pytest.mark.parametrize("url, status, allowed_has", [
    ("/api/v1/cbam", 400, "country"),
    ("/api/v1/cbam?country=XXX", 404, "CHN"),
    ("/api/v1/cbam?cn=9999", 404, "7207 12 10"),
    ("/api/v1/cbam?cn=12", 400, "7207 12 10"),
    ("/api/v1/industry?country=ZZZ", 404, "IND"),
    ("/api/v1/industry/scenario?country=QQQ", 404, "IND"),
    ("/api/v1/industry/scenario?country=IND&ccs_scope=some", 400, "all"),
])
def test_errors_name_the_allowed_values(client, url, status, allowed_has):
    r = client.get(url)
    assert r.status_code == status and r.is_json
    body = r.get_json()
    assert allowed_has in body["allowed"], body


@pytest.mark.parametrize("url, words", [
    ("/api/v1/industry?country=IND&year=1990", "2000"),
    ("/api/v1/industry/scenario?country=IND&eaf_share=1.5", "[0, 1]"),
    ("/api/v1/industry/scenario?country=IND&clinker_ratio=0.2", "0.4"),
    ("/api/v1/industry/scenario?country=IND&grid_intensity=100&clean_power_share=0.5", "not both"),
    ("/api/v1/industry/scenario?country=IND&kiln_fuel_mix=coal:0.5", "sum to 1"),
    ("/api/v1/industry/scenario?country=IND&kiln_fuel_mix=uranium:1", "coal"),
    ("/api/v1/industry/scenario?country=IND&carbon_price=-5", "1000"),
    ("/api/v1/industry/scenario?country=IND&cbam_year=2025", "2026"),
    ("/api/v1/industry/scenario?country=IND&bogus=1", "bogus"),
])
def test_out_of_range_parameters_are_400_naming_the_range(client, url, words):
    r = client.get(url)
    assert r.status_code == 400 and words in r.get_json()["detail"], r.get_data(as_text=True)


def test_industry_answers_routes_production_and_edgar(client):
    body = _rows(client, "/api/v1/industry?country=IND&year=2019")["data"]
    assert body["country"] == "IND" and body["year"] == 2019
    assert body["calibration"]["crude_steel_kt"] > 50_000  # India made > 100 Mt of crude steel in 2018-2019
    products = {p["product"]: p for p in body["products"]}
    assert set(products) >= {"crude_steel", "clinker", "aluminium_primary", "hydrogen"}
    clinker = products["clinker"]
    assert clinker["process"] == pytest.approx(0.525, abs=0.03)  # calcination, about 0.52 t CO2 per t clinker (GCCA)
    assert clinker["total_lo"] <= clinker["total"] <= clinker["total_hi"]
    cov = body["coverage"]
    assert cov["modelled_mt_lo"] <= cov["modelled_mt"] <= cov["modelled_mt_hi"]
    assert 0.2 < cov["coverage"] < 1.2 and cov["rank"] <= 3


def test_scenario_answer_moves_with_its_parameters(client):
    base = _rows(client, "/api/v1/industry/scenario?country=IND&year=2019")["data"]
    more_eaf = _rows(client, "/api/v1/industry/scenario?country=IND&year=2019&eaf_share=0.8")["data"]
    assert base["baseline"] is True and more_eaf["baseline"] is False
    assert more_eaf["scenario"]["eaf_share"] == "0.8" and "eaf_share=0.8" in more_eaf["query_string"]
    total = lambda d: next(e for e in d["emissions"] if e["product"] == "total")  # noqa: E731
    assert total(base)["delta_mt"] == pytest.approx(0.0, abs=1e-9)
    assert total(more_eaf)["delta_mt"] < -10  # India's BF-BOF share is about 0.68: moving to 80 % EAF cuts steel
    cost = {c["cn_code"]: c for c in more_eaf["cbam_costs"]}
    assert cost["7207 12 10"]["cost_scenario"] < cost["7207 12 10"]["cost_baseline"]
    assert more_eaf["carbon_price"] == 75.0 and more_eaf["cbam_import_year"] == 2026


def test_scenario_ledger_effect_conserves_the_world(client):
    body = _rows(client, "/api/v1/industry/scenario?country=IND&year=2019&clean_power_share=0.6&ledger=true")["data"]
    assert body["world_production_delta_mt_co2e"] < 0
    assert body["world_consumption_delta_mt_co2e"] == pytest.approx(body["world_production_delta_mt_co2e"], rel=1e-6)
    assert any(r["code"] != "IND" for r in body["ledger_effect"])  # importers' footprints move too


def test_csv_where_the_others_offer_it(client):
    r = client.get("/api/v1/cbam?country=CHN&cn=7207&format=csv")
    text = r.get_data(as_text=True)
    assert r.mimetype == "text/csv" and "# note: Default values: IR (EU) 2025/2621" in text
    assert "\nCHN,China,Iron and steel,7207 12 10," in text
    r = client.get("/api/v1/industry/scenario?country=IND&eaf_share=0.7&format=csv")
    assert r.mimetype == "text/csv" and "baseline_total_t_co2e_per_t" in r.get_data(as_text=True)


def test_openapi_lists_the_routes(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/cbam", "/api/v1/industry", "/api/v1/industry/scenario"):
        op = doc["paths"][path]["get"]
        assert op["tags"] == ["industry"] and "404" in op["responses"] and "400" in op["responses"]
    names = {p["name"] for p in doc["paths"]["/api/v1/industry/scenario"]["get"]["parameters"]}
    assert {"eaf_share", "clean_power_share", "clinker_ratio", "kiln_fuel_mix", "ccs_capture", "carbon_price"} <= names
    listing = client.get("/api/v1/").get_json()
    assert "/api/v1/industry/scenario" in {e["path"] for e in listing["endpoints"]}


def test_concurrent_scenarios_each_get_their_own_answer(client):
    """Different scenarios fired at once from eight threads: each answer carries its own parameters and its own
    numbers (no shared mutable state, no cache-key collisions)."""
    shares = [round(0.1 * k, 1) for k in range(0, 10)]
    urls = [f"/api/v1/industry/scenario?country=IND&year=2019&eaf_share={s}&clean_power_share={1 - s:.1f}"
            for s in shares] * 2

    def get(url):
        with client.application.test_client() as c:
            return url, c.get(url).get_json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(get, urls))
    totals = {}
    for url, body in answers:
        share = url.split("eaf_share=")[1].split("&")[0]
        assert body["data"]["scenario"]["eaf_share"] == f"{float(share):g}"
        steel = next(e for e in body["data"]["emissions"] if e["product"] == "steel")
        totals.setdefault(share, set()).add(round(steel["scenario_mt"], 9))
    assert all(len(v) == 1 for v in totals.values())  # the same scenario twice: the same answer
    assert len({next(iter(v)) for v in totals.values()}) == len(shares)  # different scenarios: different answers
