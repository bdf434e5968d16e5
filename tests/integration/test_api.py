"""The REST API (/api/v1) and the Python API: answers equal the engine's, invariants hold through the API,
published values come back out, and every bad input gets a 4xx JSON with what is allowed."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from api.v1 import ENDPOINTS, PREFIX
from app import create_app
from engine.core.query import GWP_SETS, Query

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def app(settings):
    return create_app(settings)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def get_json(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.data[:300])
    assert r.mimetype == "application/json"
    return json.loads(r.data)


def table(body) -> pd.DataFrame:
    return pd.DataFrame(body["data"], columns=body["columns"])


# ---- every endpoint -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_example_answers_with_query_and_method(client, endpoint):
    url = PREFIX + endpoint.path.replace("{code}", "power-industry") + endpoint.example
    r = client.get(url)
    assert r.status_code == 200, r.data[:300]
    if endpoint.data_kind == "netcdf":
        assert r.mimetype == "application/x-netcdf"
        assert r.headers["X-Holocarbon-Query"].startswith("year=")
        return
    body = json.loads(r.data)
    assert body["endpoint"] == PREFIX + endpoint.path
    assert body["method"]["name"]
    if endpoint.query:
        from urllib.parse import parse_qsl

        fields = {"year", "gwp", "gases", "luc_model", "grouping", "members", "name", "perspective", "ci"}
        q = Query.from_params({k: v for k, v in parse_qsl(url.partition("?")[2]) if k in fields})
        assert body["query"]["year"] == q.year and body["query"]["gwp"] == q.gwp
        assert set(body["query"]) == fields  # every Query field, the interval level included
    if endpoint.data_kind == "table":
        assert body["count"] == len(body["data"]) > 0
        assert body["columns"] == [c.name for c in endpoint.columns if c.name in body["columns"]]


def test_index_lists_every_endpoint(client):
    body = get_json(client, PREFIX + "/")
    assert [e["path"] for e in body["endpoints"]] == [PREFIX + e.path for e in ENDPOINTS]
    assert body["openapi"] == PREFIX + "/openapi.json"


def test_openapi_document_describes_parameters_from_the_same_objects(client):
    doc = get_json(client, PREFIX + "/openapi.json")
    assert doc["openapi"].startswith("3.0")
    ledger = doc["paths"][PREFIX + "/ledger"]["get"]
    params = {p["name"]: p for p in ledger["parameters"]}
    assert params["gwp"]["schema"]["enum"] == list(GWP_SETS)
    assert params["year"]["schema"]["minimum"] == 1970 and params["year"]["schema"]["maximum"] == 2023
    assert params["gases"]["style"] == "form" and params["gases"]["explode"] is False
    assert set(ledger["responses"]) == {"200", "304", "400", "503"}
    assert "text/csv" in ledger["responses"]["200"]["content"]


# ---- numbers: same as the engine, invariants, published values ---------------------------------------------------

def test_ledger_equals_engine(client, accounts):
    q = Query(year=2015, gwp="AR6", grouping="G20")
    body = get_json(client, f"{PREFIX}/ledger?{q.to_query_string()}")
    api = table(body).set_index("region")
    eng = accounts.ledger(q).set_index("region")
    assert list(api.index) == list(eng.index)
    for col in ("production_mt_co2e", "consumption_mt_co2e", "land_sink_mt_co2", "adjustment_pct"):
        np.testing.assert_allclose(api[col].to_numpy(float), eng[col].to_numpy(float), rtol=1e-9, equal_nan=True)
    assert body["method"] == {"name": "nowcast", "structure_year": 2011, "flags": body["method"]["flags"],
                              "notes": body["method"]["notes"]}
    assert body["method"]["flags"]["nowcast"] is True


def test_world_consumption_equals_production_through_the_api(client):
    data = table(get_json(client, f"{PREFIX}/ledger?year=2008"))
    prod, cons = data["production_mt_co2e"].sum(), data["consumption_mt_co2e"].sum()
    assert abs(cons - prod) / prod < 1e-6


def test_flows_sum_to_consumption(client):
    """Every region's inbound flows (its own household emissions and the bunker fuel spread over the transport
    sectors included) add up to its consumption."""
    flows = table(get_json(client, f"{PREFIX}/flows?year=2011&grouping=mrio&limit=10000"))
    led = table(get_json(client, f"{PREFIX}/consumption?year=2011&grouping=mrio")).set_index("region")
    by_consumer = flows.groupby("consumer")["emissions_mt_co2e"].sum()
    for r in ("CHN", "USA", "DEU", "ROW"):
        assert by_consumer[r] == pytest.approx(led.loc[r, "consumption_mt_co2e"], rel=1e-6)


def test_2011_co2_adjustments_match_published_wiod_context(client):
    """REFERENCES.md: a WIOD-2013 MRIO with JRC sector CO2 gives 2011 consumption vs territorial of about −17 %
    (China), +16 % (USA); same bands as tests/test_ledger.py."""
    data = table(get_json(client, f"{PREFIX}/transfers?year=2011&gases=CO2&regions=CHN,USA")).set_index("region")
    assert data.loc["CHN", "adjustment_pct"] == pytest.approx(-17.0, abs=5)
    assert data.loc["USA", "adjustment_pct"] == pytest.approx(16.0, abs=5)


def test_headline_carries_published_claim_and_gcb(client):
    """REFERENCES.md: panoramic claim 2022 CHN −17.7 %, USA +15.2 %, JPN +7.2 %; GCB 2024 (OWID) CHN −9.2 %."""
    data = table(get_json(client, f"{PREFIX}/headline")).set_index("region")
    assert data.loc["CHN", "panoramic_claim_pct"] == -17.7
    assert data.loc["USA", "panoramic_claim_pct"] == 15.2
    assert data.loc["JPN", "panoramic_claim_pct"] == 7.2
    assert data.loc["CHN", "gcb_co2_pct"] == pytest.approx(-9.2, abs=0.05)
    assert pd.isna(data.loc["EU27", "panoramic_claim_pct"])


def test_production_split_sums_to_total(client):
    total = table(get_json(client, f"{PREFIX}/production?year=2020&regions=IND")).iloc[0]["emissions_mt_co2e"]
    split = table(get_json(client, f"{PREFIX}/production?year=2020&regions=IND&by=sector_gas"))
    assert split["emissions_mt_co2e"].sum() == pytest.approx(total, rel=1e-9)
    assert set(split["gas"]) == {"CO2", "CH4", "N2O", "F-gases"}


def test_zonal_country_total_equals_national_production(client):
    """Mass conservation through the API: France's cells sum to France's EDGAR production (t vs Mt)."""
    led = table(get_json(client, f"{PREFIX}/ledger?year=2019&regions=FRA")).set_index("region")
    z = get_json(client, f"{PREFIX}/zonal?region=FRA&year=2019&top=5")
    assert z["data"]["total"] == pytest.approx(led.loc["FRA", "production_mt_co2e"] * 1e6, rel=1e-6)
    tops = [c["value"] for c in z["data"]["top"]]
    assert len(tops) == 5 and tops == sorted(tops, reverse=True)
    assert all(c["country"] == "FRA" for c in z["data"]["top"])
    box = get_json(client, f"{PREFIX}/zonal?region=FRA&bbox=-5,42,8,51&year=2019&top=0")["data"]
    assert 0 < box["total"] < z["data"]["total"] and box["n_cells"] < z["data"]["n_cells"]


def test_grid_subset_is_cf_netcdf_matching_zonal(client, tmp_path):
    r = client.get(f"{PREFIX}/grid.nc?bbox=5,45,15,55&year=2019")
    assert r.status_code == 200
    path = tmp_path / "cut.nc"
    path.write_bytes(r.data)
    with xr.open_dataset(path) as ds:
        var = ds[list(ds.data_vars)[0]]
        assert var.shape == (100, 100)
        assert ds.attrs["Conventions"] == "CF-1.8" and var.attrs["cell_methods"] == "area: sum"
        total = float(var.sum())
    z = get_json(client, f"{PREFIX}/zonal?bbox=5,45,15,55&year=2019&top=0")["data"]
    assert total == pytest.approx(z["total"], rel=1e-5)  # float32 file vs float64 sum


def test_csv_has_header_lines_and_same_numbers(client):
    r = client.get(f"{PREFIX}/ledger?year=2019&regions=CHN,USA&format=csv")
    assert r.mimetype == "text/csv"
    text = r.data.decode()
    assert text.startswith("# Holocarbon API /api/v1/ledger\n# query: year=2019")
    assert "# method: nowcast, structure year 2011" in text
    csv = pd.read_csv(io.StringIO(text), comment="#")
    js = table(get_json(client, f"{PREFIX}/ledger?year=2019&regions=CHN,USA"))
    np.testing.assert_allclose(csv["production_mt_co2e"], js["production_mt_co2e"], rtol=1e-9)
    assert "attachment" in r.headers["Content-Disposition"]


def test_series_marks_nowcast_and_production_only_years(client):
    body = get_json(client, f"{PREFIX}/series?region=DEU")
    flags = body["method"]["flags"]
    assert flags["nowcast_years"] == list(range(2012, 2024))
    assert flags["production_only_years"] == list(range(1970, 1995))
    data = table(body)
    assert data["consumption_mt_co2e"].isna().sum() == 25


def test_sector_endpoint_and_catalogue(client):
    cat = table(get_json(client, f"{PREFIX}/sectors"))
    assert len(cat) == 43 and {"power-industry", "c1", "c35"} <= set(cat["code"])
    body = get_json(client, f"{PREFIX}/sectors/power-industry?year=2020")
    data = table(body)
    assert data.iloc[0]["code"] == "CHN" and data["share_pct"].sum() == pytest.approx(100, abs=1e-6)


def test_regions_lists_groups_with_members(client):
    data = table(get_json(client, f"{PREFIX}/regions")).set_index("code")
    assert len(data.loc["EU27", "members"].split(",")) == 27
    assert data.loc["DEU", "mrio_region"] == "DEU" and data.loc["NGA", "mrio_region"] == "ROW"
    assert "EU27" in data.loc["FRA", "groups"].split(",")


def test_sources_lists_every_registry_source(client):
    from engine.data.registry import load_registry

    data = table(get_json(client, f"{PREFIX}/sources"))
    assert set(data["id"]) == set(load_registry())
    assert (data["status"] == "ok").all() and not data["pack_failed"].any()


# ---- bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, status, detail, allowed", [
    ("/ledger?year=1969", 400, "year must be in 1970–2023; got 1969", None),
    ("/ledger?year=twenty", 400, "year must be an integer in 1970–2023", None),
    ("/ledger?gwp=AR9", 400, "gwp must be one of AR4, AR5, AR6, AR6-GWP20; got 'AR9'", list(GWP_SETS)),
    ("/ledger?gases=CO2,SF6", 400, "gases: 'SF6' is not one of CO2, CH4, N2O, F-gases", None),
    ("/ledger?gases=", 400, "gases must be a comma-separated list without empty items", None),
    ("/ledger?colour=red", 400, "unknown parameter 'colour' for /ledger", None),
    ("/ledger?year=2019&year=2020", 400, "parameter 'year' given 2 times", None),
    ("/ledger?grouping=custom", 400, "a custom group needs at least one member", None),
    ("/ledger?grouping=custom&members=FRA,XXZ", 400, "unknown region 'XXZ'", None),
    ("/ledger?members=FRA", 400, "members is only used with grouping=custom", None),
    ("/ledger?regions=CHNA", 400, "unknown region 'CHNA'; did you mean CHN", None),
    ("/ledger?name=" + "x" * 2001, 400, "parameter 'name' is too long", None),
    ("/ledger?grouping=custom&members=" + ",".join(["FRA"] * 251), 400, "members may list at most 250 items", None),
    ("/flows?limit=10001", 400, "limit must be in 1–10000; got 10001", None),
    ("/flows?by_sector=maybe", 400, "by_sector must be true or false", ["true", "false"]),
    ("/series", 400, "parameter 'region' is required", None),
    ("/series?region=ATLANTIS", 400, "unknown region 'ATLANTIS'", None),
    ("/cell?lat=48", 400, "parameter 'lon' is required", None),
    ("/cell?lat=95&lon=0", 400, "lat must be a number in [-90, 90]; got '95'", None),
    ("/cell?lat=inf&lon=0", 400, "lat must be a number in [-90, 90]", None),
    ("/cell?lat=1&lon=1&layer=magma", 400, "layer must be one of emissions, cdiac", None),
    ("/cell?lat=1&lon=1&layer=cdiac&year=2020", 400, "the CDIAC grid covers 1990–2013; got 2020", None),
    ("/zonal", 400, "give region (ISO3 code, group or continent) and/or bbox", ["region", "bbox"]),
    ("/zonal?region=FRANCE", 400, "unknown region 'FRANCE'", None),
    ("/zonal?region=FRA&top=101", 400, "top must be in 0–100; got 101", None),
    ("/zonal?bbox=10,0,5,1", 400, "bbox longitudes must satisfy -180 <= west < east <= 180", None),
    ("/zonal?bbox=1,2,3", 400, "bbox must be four numbers west,south,east,north", None),
    ("/grid.nc", 400, "parameter 'bbox' is required", None),
    ("/grid.nc?bbox=-180,-90,180,90", 400, "bbox may span at most 180° of longitude and 90° of latitude", None),
    ("/grid.nc?bbox=0.01,0.01,0.02,0.02", 400, "bbox contains no 0.1° cell centre", None),
    ("/headline?year=2020", 400, "unknown parameter 'year' for /headline", ["ci", "format", "gwp"]),
    ("/sectors?year=2020", 400, "unknown parameter 'year' for /sectors", ["format"]),
    ("/sectors/powr-industry", 404, "unknown sector 'powr-industry'; did you mean power-industry", None),
    ("/search", 400, "parameter 'q' is required", None),
    ("/search?q=", 400, "q must be 1–100 characters; got 0", None),
    ("/search?q=" + "x" * 101, 400, "q must be 1–100 characters; got 101", None),
    ("/search?q=germ&year=2020", 400, "unknown parameter 'year' for /search", ["format", "kinds", "limit", "q"]),
    ("/search?q=germ&kinds=planet", 400, "kinds: 'planet' is not one of country, group, continent, sector, place",
     ["country", "group", "continent", "sector", "place"]),
    ("/search?q=germ&limit=51", 400, "limit must be in 1–50; got 51", None),
    ("/compare?codes=DEU", 400, "codes must name 2 to 8 different regions; got 1", None),
    ("/compare?codes=DEU,XXQ", 400, "unknown region 'XXQ'", None),
    ("/compare?codes=CHN,USA,IND,RUS,JPN,DEU,IRN,KOR,SAU", 400, "codes may list at most 8 items; got 9", None),
    ("/nope", 404, "no API route /api/v1/nope", None),
])
def test_bad_input_is_a_clear_4xx(client, url, status, detail, allowed):
    body = get_json(client, PREFIX + url, status)
    assert body["error"] == ("not found" if status == 404 else "bad request")
    assert detail in body["detail"], body["detail"]
    if allowed is not None:
        assert body["allowed"] == allowed


def test_wrong_method_is_405_json(client):
    r = client.post(f"{PREFIX}/ledger", data="x")
    assert r.status_code == 405 and r.mimetype == "application/json"
    assert "GET" in r.headers["Allow"]
    assert json.loads(r.data)["allowed"] == ["GET"]


def test_overlong_query_string_refused(client):
    r = client.get(f"{PREFIX}/ledger?name=" + "x" * 9000)
    assert r.status_code == 400 and "query string too long" in json.loads(r.data)["detail"]


def test_no_pack_answers_503_but_catalogues_work(settings):
    bare = create_app(settings, build_pack=False).server.test_client()
    body = get_json(bare, f"{PREFIX}/ledger", 503)
    assert body["error"] == "unavailable" and "pack" in body["detail"]
    get_json(bare, f"{PREFIX}/sectors")
    get_json(bare, f"{PREFIX}/openapi.json")


# ---- the API page and the Python API -----------------------------------------------------------------------------

def test_api_page_lists_every_endpoint(client):
    from pages.api import layout

    text = json.dumps(layout().to_plotly_json(), default=lambda o: o.to_plotly_json())
    for e in ENDPOINTS:
        assert PREFIX + e.path in text
    assert client.get("/api").status_code == 200


def test_readme_python_example_is_the_tested_one_and_runs(settings, monkeypatch, capsys):
    """The README's Python API block is exactly engine.session.PYTHON_EXAMPLE, and it runs."""
    from engine.session import PYTHON_EXAMPLE

    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert PYTHON_EXAMPLE in blocks
    monkeypatch.setenv("HOLOCARBON_DATA", str(settings.data_dir))
    exec(compile(PYTHON_EXAMPLE, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert re.search(r"EU27 2019: production [\d,]+, consumption [\d,]+ Mt CO2e", out)
    assert "('lat', 'lon') (30, 80) t CO2e cell-1 yr-1" in out
    assert re.search(r"France: \d{3} Mt CO2e over \d+ cells", out)
    from engine.session import UNCERTAINTY_EXAMPLE

    assert UNCERTAINTY_EXAMPLE in blocks
    scope: dict = {}
    exec(compile(PYTHON_EXAMPLE + UNCERTAINTY_EXAMPLE, "README.md", "exec"), scope)
    assert re.search(r"China 2011 consumption [\d,]+ Mt CO2e \[[\d,]+, [\d,]+\]", capsys.readouterr().out)
    assert scope["d"]["consumption_mt_co2e"].shape[0] == 1000
    assert abs(scope["att"].groupby("output")["share_pct"].sum() - 100).max() < 1e-6
    assert scope["head"]["claim_inside"].notna().sum() == 3


def test_workers_share_answers_and_tiles_through_the_cache_backend(settings, tmp_path):
    """Two app instances (two server workers) on one FileSystemCache: what one computes the other reads."""
    from dataclasses import replace

    from werkzeug.datastructures import MultiDict

    from api.spec import parse_args
    from api.v1 import BY_RULE, _cache_key

    shared = replace(settings, cache_dir=tmp_path / "cache")
    a, b = create_app(shared), create_app(shared)
    url = f"{PREFIX}/ledger?year=2013&gwp=AR4&regions=BRA"
    first = a.server.test_client().get(url)
    assert first.status_code == 200
    with b.server.test_request_context(url):
        key = _cache_key(BY_RULE["/ledger"], parse_args(BY_RULE["/ledger"], MultiDict(
            {"year": "2013", "gwp": "AR4", "regions": "BRA"})))
        assert b.server.config["HOLOCARBON_ACCOUNTS"].cache.shared.get(key)[0] == first.data
    second = b.server.test_client().get(url)
    assert second.data == first.data and second.mimetype == "application/json"

    tile = a.server.test_client().get("/tiles/emissions/3/4/2.png?year=2013")
    assert tile.status_code == 200
    etag = tile.headers["ETag"].strip('"')
    assert b.server.config["HOLOCARBON_GRIDS"].cache.shared.get("tile:" + etag) == tile.data


def test_zonal_units_name_each_figure(client):
    units = get_json(client, f"{PREFIX}/zonal?region=BRA&layer=land_sink&year=2015&top=1")["units"]
    assert units == {"total": "t CO2 yr-1", "mean_per_cell": "t CO2 cell-1 yr-1", "mean_per_km2": "t CO2 km-2 yr-1",
                     "top.value": "t CO2 cell-1 yr-1", "area_km2": "km2"}


def test_openapi_document_is_valid_openapi_3(client):
    """Checked by an independent validator (openapi-spec-validator), not only by our own consumer."""
    from openapi_spec_validator import validate

    validate(get_json(client, PREFIX + "/openapi.json"))


def test_answers_revalidate_with_etag(client):
    url = f"{PREFIX}/ledger?year=2016&regions=IND"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get(f"{PREFIX}/ledger?year=2017&regions=IND", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    assert client.get(f"{PREFIX}/sources").headers.get("ETag") is None  # live status: never a stale answer
