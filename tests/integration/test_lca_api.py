"""Product footprints through the REST API (``POST /api/v1/lca``, the template routes) and the Python API on the real
pack: a template POSTed gives the engine's total, mass balances hold in the answer, the answer's ``request``
reproduces it, every bad-input kind is a 4xx JSON naming the line, unknown countries and templates are 404 with the
closest, CSV and XLSX downloads hold the same total, the OpenAPI document lists and validates the routes, concurrent
different inventories each get their own answer, and ``hc.lca`` takes the same inventory."""

from __future__ import annotations

import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from api.lca import MAX_BODY, example_body

URL = "/api/v1/lca"
ROOT = Path(__file__).resolve().parents[2]


def post(client, body, status=200, query="", **kw):
    r = client.post(URL + query, json=body, **kw) if not isinstance(body, (str, bytes)) else \
        client.post(URL + query, data=body, **kw)
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True)[:500])
    return r


def data(client, body, query=""):
    return post(client, body, query=query).get_json()["data"]


@pytest.fixture(scope="module")
def lca(accounts):
    from engine.lca import LCA

    return LCA(accounts)


@pytest.fixture(scope="module")
def pv(client):
    r = client.get(URL + "/templates/pv_module")
    assert r.status_code == 200
    return r.get_json()


# ---- numbers -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["pv_module", "steel_beam", "passenger_car", "wheat"])
def test_posted_template_equals_the_engine_run_directly(client, lca, name):
    body = client.get(f"{URL}/templates/{name}").get_json()
    d = data(client, body)
    scope, inv = lca.template(name)
    res = lca.run(scope, inv)
    assert d["results"]["total_kg_co2e"] == pytest.approx(res.total, rel=1e-12)
    assert d["results"]["total_kg_co2e"] > 0
    assert len(d["contributions"]["lines"]) == len(inv) + (1 if scope.use_kwh else 0)
    # the GET link of the same template answers the same
    g = client.get(f"{URL}?template={name}").get_json()["data"]
    assert g["results"]["total_kg_co2e"] == pytest.approx(res.total, rel=1e-12)


def test_mass_balance_of_the_answer(client):
    d = data(client, {**example_body(), "draws": 300})
    total = d["results"]["total_kg_co2e"]
    c = d["contributions"]
    assert sum(r["kg_co2e"] for r in c["lines"]) == pytest.approx(total, rel=1e-12)
    by_gas = [r for r in d["results"]["by_gas"] if r["gas"] != "total"]
    assert {r["gas"] for r in by_gas} == {"CO2", "CH4", "N2O", "F-gases"}
    assert sum(r["kg_co2e"] for r in by_gas) == pytest.approx(total, rel=1e-12)
    for key in ("countries", "sectors", "kinds"):
        assert sum(r["kg_co2e"] for r in c[key]) == pytest.approx(total, rel=1e-12), key
    assert {r["kind"] for r in c["kinds"]} == {"money", "process", "electricity", "transport", "direct"}
    lo, hi = d["results"]["interval_kg_co2e"]
    assert lo < hi and lo < total * 1.5 and hi > total * 0.5
    assert d["results"]["draws"] == 300
    # every line's own split by gas adds to its CO2e under AR5 (GWP of the published set)
    for r in c["lines"]:
        assert r["kg_co2"] + r["kg_ch4"] + r["kg_n2o"] + r["kg_fgases"] == pytest.approx(r["kg_co2e"], rel=1e-9)


def test_the_answer_reproduces_from_its_request(client):
    d = data(client, {**example_body(), "draws": 250, "seed": 7, "compare": ["usa", "CHN"]})
    again = data(client, d["request"])
    assert again["results"] == d["results"]
    assert d["request"]["seed"] == 7 and d["request"]["compare"] == ["USA", "CHN"]


def test_comparison_of_origins(client):
    d = data(client, {**example_body(), "compare": ["CHN", "USA"]})
    rows = {r["country"]: r for r in d["comparison"]}
    assert set(rows) == {"DEU", "CHN", "USA"}
    assert rows["DEU"]["kg_co2e"] == pytest.approx(d["results"]["total_kg_co2e"], rel=1e-12)
    assert rows["DEU"]["vs_base"] == pytest.approx(1.0)
    assert sorted(r["rank"] for r in rows.values()) == [1, 2, 3]


def test_query_string_overrides_the_body_scope(client, pv):
    a = data(client, pv, "?country=DEU&year=2015")
    b = client.get(f"{URL}?template=pv_module&country=DEU&year=2015").get_json()["data"]
    assert a["results"]["total_kg_co2e"] == pytest.approx(b["results"]["total_kg_co2e"], rel=1e-12)
    assert a["request"]["scope"]["country"] == "DEU" and a["request"]["scope"]["year"] == 2015
    base = data(client, pv)["results"]["total_kg_co2e"]
    assert a["results"]["total_kg_co2e"] != pytest.approx(base, rel=1e-3)  # the grid of Germany, not China


def test_csv_body_with_scope_in_the_query_string(client, pv, lca):
    from engine.lca import from_records

    text = from_records(pv["lines"]).to_csv()
    r = client.post(URL + "?product=PV%20module&unit=kWp&country=CHN&year=2020", data=text,
                    content_type="text/csv")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert r.get_json()["data"]["results"]["total_kg_co2e"] == pytest.approx(
        lca.run(*lca.template("pv_module")).total, rel=1e-12)


# ---- errors --------------------------------------------------------------------------------------------------

def _lines(**changes_of_line_3):
    lines = [dict(ln) for ln in example_body()["lines"]]
    lines[2].update(changes_of_line_3)
    return {"scope": example_body()["scope"], "lines": [ln for ln in lines]}


def _without_unit():
    b = _lines()
    del b["lines"][2]["unit"]
    return b


BAD = [
    ("unknown sector", {**_lines(kind="money", sector="c99", unit="USD", price_year=2015)}, 400,
     "line 3: sector must be one of c1"),
    ("negative amount", _lines(amount=-4), 400, "line 3: amount must be >= 0; got -4"),
    ("missing unit", _without_unit(), 400, "line 3: missing unit"),
    ("empty unit", _lines(unit=""), 400, "line 3: missing unit"),
    ("wrong unit", _lines(unit="kWh"), 400, "line 3: unit of a transport line must be one of tkm"),
    ("unknown mode", _lines(mode="teleport"), 400, "line 3: mode must be one of road_truck"),
    ("amount as text", _lines(amount="5"), 400, "line 3: amount must be a JSON number"),
    ("unknown key", _lines(colour="red"), 400, "line 3: unknown keys ['colour']"),
    ("line not an object", {"scope": example_body()["scope"], "lines": [example_body()["lines"][0], 7]}, 400,
     "line 2 must be a JSON object"),
    ("too many lines", {"scope": example_body()["scope"], "lines": [example_body()["lines"][1]] * 201}, 400,
     "too many lines: 201 (at most 200); line 201 is the first one over"),
    ("no lines", {"scope": example_body()["scope"]}, 400, "the body needs 'lines'"),
    ("empty inventory", {"scope": example_body()["scope"], "lines": []}, 400, "the inventory is empty"),
    ("too many draws", {**example_body(), "draws": 5001}, 400, "draws must be >= 0 and <= 5000; got 5001"),
    ("bad ci", {**example_body(), "ci": 80}, 400, "ci must be one of 66, 90, 95"),
    ("bad scope year", {**example_body(), "scope": {**example_body()["scope"], "year": 1980}}, 400,
     "scope: year must be >= 1995"),
    ("bad boundary", {**example_body(), "scope": {**example_body()["scope"], "boundary": "grave"}}, 400,
     "scope: boundary must be one of cradle-to-gate"),
    ("unknown top key", {**example_body(), "colour": 1}, 400, "unknown keys ['colour']"),
    ("not an object", [1, 2], 400, "the body must be a JSON object"),
    ("malformed JSON", '{"scope": {"product": "x"}, "lines": [', 400, "malformed JSON at line 1 column"),
    ("deep JSON", "[" * 100000 + "]" * 100000, 400, "malformed JSON"),
    ("empty body", "", 400, "the body is empty"),
    ("unknown origin", _lines(origin="XXQ"), 404, "line 3: unknown country 'XXQ'"),
    ("unknown producer", {**example_body(), "scope": {**example_body()["scope"], "country": "DEX"}}, 404,
     "scope.country: unknown country 'DEX'; closest: "),
    ("unknown compare", {**example_body(), "compare": ["FRA", "GBX"]}, 404, "compare: unknown country 'GBX'"),
]


@pytest.mark.parametrize("body,status,detail", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_inventory_is_a_json_4xx_naming_the_line(client, body, status, detail):
    kw = {"content_type": "application/json"} if isinstance(body, str) else {}
    r = post(client, body, status, **kw)
    assert r.mimetype == "application/json"
    got = r.get_json()
    assert got["error"] == ("not found" if status == 404 else "bad request")
    assert detail in got["detail"], got["detail"]


def test_404s_name_the_closest(client):
    body = {**example_body(), "scope": {**example_body()["scope"], "country": "DEX"}}
    assert "DEU" in post(client, body, 404).get_json()["allowed"]
    for url in (f"{URL}/templates/pv_modul", f"{URL}?template=pv_modul"):
        r = client.get(url)
        assert r.status_code == 404 and r.get_json()["allowed"] == ["pv_module"], url
        assert "closest: pv_module" in r.get_json()["detail"]


def test_csv_body_errors_name_the_line(client):
    text = "kind,name,amount,unit,sector,price_year\nmoney,a,100,USD,c12,2015\nmoney,b,100,USD,c99,2015\n"
    r = post(client, text, 400, query="?product=x", content_type="text/csv")
    assert r.get_json()["detail"].startswith("line 2: unknown sector 'c99'")
    r = post(client, text, 400, content_type="text/csv")
    assert "needs the scope in the query string" in r.get_json()["detail"]


def test_content_type_size_and_query_limits(client):
    r = post(client, json.dumps(example_body()), 415, content_type="text/plain")
    assert r.get_json()["error"] == "unsupported media type" and "application/json" in r.get_json()["allowed"]
    r = post(client, json.dumps(example_body()), 415, content_type="application/x-www-form-urlencoded")
    big = json.dumps({**example_body(), "padding": "x" * MAX_BODY})
    r = post(client, big, 413, content_type="application/json")
    assert r.get_json()["error"] == "too large" and "at most 256 kB" in r.get_json()["detail"]
    r = post(client, example_body(), 400, query="?draws=6000")
    assert "draws must be in 0–5000" in r.get_json()["detail"]
    r = post(client, example_body(), 400, query="?colour=red")
    assert "unknown parameter 'colour'" in r.get_json()["detail"]
    r = client.get(f"{URL}?template=pv_module&draws=5001")
    assert r.status_code == 400 and "draws must be in 0–5000" in r.get_json()["detail"]
    r = client.put(URL, json=example_body())
    assert r.status_code == 405 and r.mimetype == "application/json"


# ---- downloads -----------------------------------------------------------------------------------------------

def test_csv_download_holds_the_same_total(client):
    total = data(client, example_body())["results"]["total_kg_co2e"]
    r = post(client, example_body(), query="?format=csv")
    assert r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    text = r.get_data(as_text=True)
    assert float(re.search(r"^# total_kg_co2e: (\S+)$", text, re.M).group(1)) == pytest.approx(total, rel=1e-12)
    lines = pd.read_csv(io.StringIO(text), comment="#")
    assert len(lines) == len(example_body()["lines"])
    assert lines["kg_co2e"].sum() == pytest.approx(total, rel=1e-9)


def test_xlsx_download_opens_and_holds_the_same_total(client):
    import openpyxl

    d = data(client, {**example_body(), "compare": ["CHN"]})
    r = post(client, {**example_body(), "compare": ["CHN"]}, query="?format=xlsx")
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = openpyxl.load_workbook(io.BytesIO(r.data), read_only=True)
    assert {"summary", "lines", "countries", "sectors", "paths", "sensitivity", "inventory", "sources",
            "comparison", "about"} <= set(wb.sheetnames)
    sheets = pd.read_excel(io.BytesIO(r.data), sheet_name=None)
    summary = dict(zip(sheets["summary"]["field"], sheets["summary"]["value"]))
    total = d["results"]["total_kg_co2e"]
    assert float(summary["total_kg_co2e"]) == pytest.approx(total, rel=1e-12)
    assert sheets["lines"]["kg_co2e"].sum() == pytest.approx(total, rel=1e-9)
    assert sheets["countries"]["kg_co2e"].sum() == pytest.approx(total, rel=1e-9)
    assert len(sheets["inventory"]) == len(example_body()["lines"])
    assert sheets["sources"]["source"].str.contains("World Input-Output Database").any()


def test_template_route_gives_a_postable_body_and_csv(client, pv):
    assert set(pv) >= {"scope", "lines"} and pv["scope"]["unit"] == "kWp"
    r = client.get(f"{URL}/templates/pv_module?format=csv")
    assert r.mimetype == "text/csv"
    assert len(pd.read_csv(io.StringIO(r.get_data(as_text=True)))) == len(pv["lines"])
    assert client.get(f"{URL}/templates/pv_module?x=1").status_code == 400
    t = client.get(f"{URL}/templates").get_json()
    assert set(t["columns"]) >= {"name", "href", "run"}
    assert {r["name"] for r in t["data"]} == {"pv_module", "steel_beam", "passenger_car", "wheat"}


# ---- the OpenAPI document ------------------------------------------------------------------------------------

def test_openapi_lists_the_routes_and_validates(client):
    from openapi_spec_validator import validate

    from engine.lca import KINDS
    from engine.lca.factors import MODES
    from engine.lca.inventory import GOODS

    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    post_op = doc["paths"][URL]["post"]
    assert "get" in doc["paths"][URL] and "get" in doc["paths"][URL + "/templates/{name}"]
    assert {"200", "400", "404", "413", "415"} <= set(post_op["responses"])
    content = post_op["requestBody"]["content"]
    line = content["application/json"]["schema"]["properties"]["lines"]["items"]
    assert line["properties"]["kind"]["enum"] == list(KINDS)
    assert line["properties"]["mode"]["enum"] == list(MODES)
    assert line["properties"]["good"]["enum"] == list(GOODS)
    assert content["application/json"]["schema"]["properties"]["draws"]["maximum"] == 5000
    # the document's example body is answered
    assert data(client, content["application/json"]["example"])["results"]["total_kg_co2e"] > 0


def test_api_page_lists_the_lca_routes(client):
    from pages.api import layout

    text = json.dumps(layout().to_plotly_json(), default=lambda o: o.to_plotly_json())
    for path in (URL, URL + "/templates", URL + "/templates/{name}"):
        assert path in text
    assert "endpoint-lca_post" in text


# ---- many users at once --------------------------------------------------------------------------------------

def test_concurrent_different_inventories_each_get_their_own_total(client):
    """Twelve inventories (different amounts and producing countries) posted twice each from eight threads: every
    answer is the one the same inventory gets alone."""
    bodies = []
    for k, country in enumerate(["DEU", "CHN", "USA", "IND", "FRA", "JPN"] * 2):
        b = example_body()
        b["scope"]["country"] = country
        b["lines"][1]["amount"] = 1.0 + k
        bodies.append(b)
    alone = [data(client, b)["results"]["total_kg_co2e"] for b in bodies]
    assert len(set(round(t, 9) for t in alone)) == len(bodies)  # the comparison is sharp

    def go(i):
        with client.application.test_client() as c:
            r = c.post(URL, json=bodies[i % len(bodies)])
            return i % len(bodies), r.status_code, r.get_json()["data"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(go, range(2 * len(bodies))))
    for i, status, d in answers:
        assert status == 200
        assert d["request"]["scope"]["country"] == bodies[i]["scope"]["country"]
        assert d["results"]["total_kg_co2e"] == alone[i]


# ---- the Python API ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hc(settings, accounts):
    from engine.maps.grids import Grids
    from engine.session import Engine
    from engine.uncertainty.propagate import Uncertainty

    return Engine(settings, accounts, Grids(accounts), Uncertainty(accounts))


def test_python_api_takes_the_same_inventory(client, hc, pv):
    from engine.core.errors import InputError
    from engine.lca import Scope, from_records

    api_total = data(client, pv)["results"]["total_kg_co2e"]
    assert hc.lca(pv).total == pytest.approx(api_total, rel=1e-12)
    assert hc.lca(json.dumps(pv)).total == pytest.approx(api_total, rel=1e-12)
    inv = from_records(pv["lines"])
    assert hc.lca(inv.to_csv(), scope=pv["scope"]).total == pytest.approx(api_total, rel=1e-12)
    assert hc.lca((Scope.from_dict(pv["scope"]), inv)).total == pytest.approx(api_total, rel=1e-12)
    assert hc.lca_template("pv_module") == {"scope": Scope.from_dict(pv["scope"]).to_dict(),
                                            "lines": inv.to_list()}
    with pytest.raises(InputError, match="needs scope="):
        hc.lca(inv)
    with pytest.raises(InputError, match="line 1: negative amount"):
        hc.lca({"scope": pv["scope"], "lines": [{**pv["lines"][0], "amount": -1}]})


def test_readme_lca_example_is_the_tested_one_and_runs(hc, capsys):
    from engine.session import LCA_EXAMPLE

    readme = (ROOT / "README.md").read_text()
    assert LCA_EXAMPLE in re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    scope = {"hc": hc}
    exec(compile(LCA_EXAMPLE, "README.md", "exec"), scope)
    out = capsys.readouterr().out
    assert re.search(r"PV module \(mono PERC\): [\d,]+ kg CO2e per kWp \[[\d,]+, [\d,]+\]", out), out
    lo, hi = scope["res"].interval
    assert lo < scope["res"].total < hi * 1.2
    assert scope["res"].scope.country == "DEU"
