"""Search over the real pack: the index covers every ledger country and finds each by its EDGAR, Natural Earth and
ISO names; ``/country/<name>`` redirects to the canonical code (302, query string kept) and anything else keeps the
friendly 404 with suggestions; the header box's callback and ``/api/v1/search``; the shell's accessibility basics."""

from __future__ import annotations

import json
import sys
import time

import pytest

from engine.accounts import search as S

PREFIX = "/api/v1"


@pytest.fixture(scope="module")
def index(accounts):
    return S.search_index(accounts)


# ---- the index on the real pack ---------------------------------------------------------------------------------

def test_index_holds_every_ledger_country_and_finds_it_by_its_names(accounts, index):
    """Every country of the ledger is in the index, and its EDGAR name, its lower-case code and the Natural Earth name
    of each country it holds resolve to it (Monaco to France and Monaco, Serbia to Serbia and Montenegro)."""
    from engine.accounts.inputs import entity_map

    countries = {e.code for e in index.entries if e.kind == "country"}
    assert countries == set(accounts.country_year(2020).index) - {"BUNKERS"}
    names = accounts.names()
    assert {c: S.resolve(index, names[c]) for c in countries} == {c: c for c in countries}
    assert {c: S.resolve(index, c.lower()) for c in countries} == {c: c for c in countries}
    emap = entity_map()
    geo = accounts.pack.geo("ne_countries_50m")
    own = geo[(geo["adm0_a3"] == geo["iso3"]) & geo["iso3"].map(lambda c: emap.get(c, c) in countries)]
    assert len(own) > 200
    got = {r.name: S.resolve(index, r.name) for r in own.itertuples()}
    assert got == {r.name: emap.get(r.iso3, r.iso3) for r in own.itertuples()}
    assert got["Monaco"] == "FRA" and got["Serbia"] == "SCG" and got["Liechtenstein"] == "CHE"
    assert S.resolve(index, "Kosovo") == "SCG" and S.resolve(index, "South Sudan") == "SDN"  # not ISO3 in NE


@pytest.mark.parametrize("text, code", [
    ("GERMANY", "DEU"), ("united-states", "USA"), ("USA", "USA"), ("US", "USA"), ("America", "USA"),
    ("United States of America", "USA"), ("UK", "GBR"), ("Britain", "GBR"), ("Great Britain", "GBR"),
    ("Holland", "NLD"), ("South Korea", "KOR"), ("Korea", "KOR"), ("Russia", "RUS"), ("Czechia", "CZE"),
    ("Czech Republic", "CZE"), ("Türkiye", "TUR"), ("Turkey", "TUR"), ("Ivory Coast", "CIV"),
    ("Côte d'Ivoire", "CIV"), ("Viet Nam", "VNM"), ("Vietnam", "VNM"), ("Iran", "IRN"), ("EU", "EU27"),
])
def test_common_names_resolve_on_the_real_index(index, text, code):
    assert S.resolve(index, text) == code


def test_ranking_on_the_real_index(index):
    assert [h.code for h in S.search(index, "ind")[:2]] == ["IND", "IDN"]
    hits = S.search(index, "germ")
    assert (hits[0].kind, hits[0].code) == ("country", "DEU") and all(h.kind == "place" for h in hits[1:])
    paris = S.search(index, "paris")[0]
    assert (paris.kind, paris.country) == ("place", "FRA") and paris.lat == pytest.approx(48.85, abs=0.01)


def test_queries_are_fast_once_the_index_is_built(index):
    """Figures, not a timing test: the median and worst time per query over a mixed set (printed with -s)."""
    queries = ["g", "ge", "germ", "germany", "ind", "s", "sa", "united states", "côte", "paris", "new york", "c17",
               "steel", "europe", "xyzzy", "germny", "korea", "holland", "ber", "an"]
    times = []
    for q in queries * 5:
        t = time.perf_counter()
        S.search(index, q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"search: {len(index)} entries, median {times[len(times) // 2]:.2f} ms, worst {times[-1]:.2f} ms")
    assert len(index) > 30_000  # countries, groups, sectors and the GeoNames places


# ---- /country/<name> ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, target", [
    ("/country/GERMANY", "/country/DEU"),
    ("/country/germany?year=2011&gwp=AR6", "/country/DEU?year=2011&gwp=AR6"),
    ("/country/united-states", "/country/USA"),
    ("/country/South%20Korea", "/country/KOR"),
    ("/country/deu", "/country/DEU"),
    ("/country/european-union", "/country/EU27"),
    ("/country/Monaco", "/country/FRA"),
])
def test_country_names_redirect_to_the_canonical_code(client, path, target):
    r = client.get(path)
    assert r.status_code == 302, (path, r.status_code)
    assert r.headers["Location"] == target
    assert client.get(path, follow_redirects=True).status_code == 200


@pytest.mark.parametrize("path", ["/country/DEU", "/country/EU27", "/country/DEU?year=2011"])
def test_canonical_codes_are_served(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/country/XXX", "/country/south", "/country/germ", "/country/Paris",
                                  "/country/..%2f..%2fetc%2fpasswd"])
def test_unknown_or_ambiguous_keeps_the_friendly_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "Location" not in r.headers


def _country_page(app):
    return sys.modules["pages.country"]


def test_404_suggests_what_the_index_finds(app):
    page = _country_page(app)
    with app.server.test_request_context("/country/south"):
        text = json.dumps(page.layout(code="south").to_plotly_json(), default=lambda o: o.to_plotly_json())
        assert "Country not found" in text and "(ZAF)" in text and "(KOR)" in text
        text = json.dumps(page.layout(code="germny").to_plotly_json(), default=lambda o: o.to_plotly_json())
        assert "Germany (DEU)" in text
        text = json.dumps(page.layout(code="FRX").to_plotly_json(), default=lambda o: o.to_plotly_json())
        assert text.count("(FRA)") == 1  # the code suggestion and the index's are not listed twice
        assert page.resolve_code("Holland") == "NLD" and page.resolve_code("XXX") is None


# ---- the header box ---------------------------------------------------------------------------------------------

def _links(children):
    return [li.children.href for li in children]


def test_search_callback_lists_links_that_keep_the_view(app):
    from components.search import update_results

    with app.server.test_request_context("/"):
        items, answered, empty, status = update_results("germ", "year=2011&gwp=AR6&grouping=EU27&perspective=transfer")
        assert answered == "germ" and empty == "" and status.startswith("8 results")
        assert _links(items)[0] == "/country/DEU?year=2011&gwp=AR6"
        assert items[0].role == "option" and items[0].id == "hc-search-opt-0"
        items, _, _, _ = update_results("EU", None)
        assert _links(items)[0] == "/ledger?grouping=EU27"
        items, _, _, _ = update_results("c17", "year=2005&luc_model=BLUE")
        assert _links(items)[0] == "/sector/c17?year=2005"
        items, _, _, _ = update_results("Paris", "year=2005")
        assert _links(items)[0] == "/atlas?view=48.853,2.349,7&year=2005"
        items, _, empty, status = update_results("qqqqqq", None)
        assert items == [] and "Nothing matches" in empty and status == "No results."
        assert update_results("   ", None) == ([], "   ", "", "")


def test_shell_has_skip_link_first_main_landmark_labelled_search_and_lang(app, client):
    from components.search import ID
    from components.shell import MAIN_ID, shell

    with app.server.test_request_context("/"):
        layout = shell()
    first = layout.children[0]
    assert first.className == "skip-link" and first.href == f"#{MAIN_ID}"
    main = next(c for c in layout.children if type(c).__name__ == "Main")
    assert main.id == MAIN_ID and main.tabIndex == "-1"
    text = json.dumps(layout.to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert f'"htmlFor": "{ID.INPUT}"' in text and '"role": "listbox"' in text and '"role": "search"' in text
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "search.js" in html and "search.css" in html


# ---- /api/v1/search ------------------------------------------------------------------------------------------------

def test_api_search_ranks_and_links(client):
    body = json.loads(client.get(f"{PREFIX}/search?q=germ").data)
    assert body["endpoint"] == f"{PREFIX}/search" and body["q"] == "germ" and body["count"] == 10
    first = body["data"][0]
    assert (first["rank"], first["kind"], first["code"], first["tier"], first["href"]) == (
        1, "country", "DEU", "prefix", "/country/DEU")
    body = json.loads(client.get(f"{PREFIX}/search?q=paris&kinds=place&limit=2").data)
    assert [d["kind"] for d in body["data"]] == ["place", "place"]
    assert body["data"][0]["country"] == "FRA" and body["data"][0]["href"].startswith("/atlas?view=48.853,2.349,")
    body = json.loads(client.get(f"{PREFIX}/search?q=Holland&kinds=country,group&limit=1").data)
    assert [(d["code"], d["match"], d["tier"]) for d in body["data"]] == [("NLD", "Holland", "name")]
    body = json.loads(client.get(f"{PREFIX}/search?q=qqqqqq").data)
    assert body["count"] == 0 and body["data"] == []
    csv = client.get(f"{PREFIX}/search?q=steel&format=csv").get_data(as_text=True)
    assert "rank,kind,code,name,match,tier,country,country_name,lat,lon,href" in csv
    assert "\n1,sector,c12,Basic Metals and Fabricated Metal,Steel,name," in csv


@pytest.mark.parametrize("url, detail", [
    ("/search?q=%20%20", "q must hold at least one letter or digit"),
    ("/search?q=-%3F", "q must hold at least one letter or digit"),
    ("/search?q=a%0Ab", "q must not hold control characters"),
    ("/search?q=germ&limit=0", "limit must be in 1–50; got 0"),
    ("/search?q=germ&kinds=country,country", "kinds lists an item twice"),
])
def test_api_search_bad_parameters_are_400(client, url, detail):
    r = client.get(PREFIX + url)
    assert r.status_code == 400 and r.mimetype == "application/json"
    assert detail in json.loads(r.data)["detail"]


def test_openapi_document_lists_search(client):
    doc = json.loads(client.get(f"{PREFIX}/openapi.json").data)
    op = doc["paths"][f"{PREFIX}/search"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert set(params) == {"q", "limit", "kinds", "format"}
    assert params["q"]["required"] is True and params["q"]["schema"]["maxLength"] == S.MAX_QUERY
    assert params["kinds"]["schema"]["items"]["enum"] == list(S.KINDS)
    assert set(op["responses"]) == {"200", "400", "503"}  # not cached: no 304
    row = op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"]["items"]
    assert set(row["required"]) == {"rank", "kind", "code", "name", "match", "tier", "country", "country_name",
                                    "lat", "lon", "href"}
    listing = json.loads(client.get(f"{PREFIX}/").data)
    assert f"{PREFIX}/search?q=germ" in [e["example"] for e in listing["endpoints"]]
