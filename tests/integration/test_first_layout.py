"""The page inside the first layout answer (components/shell.py ``page_container``): ``/_dash-layout`` asked from a
page of the app carries that page (Dash's router would add it one round trip later), with the browser's location,
so that the router does not run again; anything else gets Dash's empty container. Many visitors at once: every
answer is its own page."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest


def _find(node, id_):
    """The component with ``id_`` in a layout (plain JSON)."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == id_:
            return node
        for v in node.get("props", {}).values():
            found = _find(v, id_)
            if found is not None:
                return found
    elif isinstance(node, list):
        for v in node:
            found = _find(v, id_)
            if found is not None:
                return found
    return None


def _layout(client, referrer: str | None, headers: dict | None = None):
    h = dict(headers or {})
    if referrer is not None:
        h["Referer"] = referrer
    r = client.get("/_dash-layout", headers=h)
    return r, (json.loads(r.data) if r.status_code == 200 else None)


@pytest.mark.parametrize("path,search,text", [
    ("/ledger", "", "Ledger"),
    ("/country/DEU", "?year=2015&gwp=AR6", "Germany"),
    ("/atlas", "?layer=ocean_sink&year=2010", "Atlas"),
    ("/", "", "Open holographic carbon maps"),
])
def test_layout_holds_the_page_it_was_asked_from(client, path, search, text):
    r, layout = _layout(client, f"http://localhost{path}{search}")
    assert r.status_code == 200
    loc = _find(layout, "_pages_location")["props"]
    assert loc["pathname"] == path and loc.get("search", "") == search
    assert loc["href"] == f"http://localhost{path}{search}"  # as the browser has it: no change reported on mount
    content = _find(layout, "_pages_content")["props"]["children"]
    assert content is not None and text in json.dumps(content)
    assert _find(layout, "_pages_store")["props"]["data"]["title"]
    if path == "/country/DEU":  # the query reached the page's layout as Dash's router passes it
        assert _find(layout, "country-year")["props"]["value"] == 2015


@pytest.mark.parametrize("referrer", [None, "http://elsewhere.example/ledger", "http://localhost/no-such-page",
                                      "javascript:alert(1)", "not a url", "http://localhost/a/b/c/d"])
def test_otherwise_the_empty_container(client, referrer):
    r, layout = _layout(client, referrer)
    assert r.status_code == 200
    assert _find(layout, "_pages_content")["props"].get("children") is None  # the router fills it
    assert "pathname" not in _find(layout, "_pages_location")["props"]


def test_a_page_that_says_not_found_says_it_in_the_first_answer(client):
    _, layout = _layout(client, "http://localhost/country/%00")
    assert "Country not found" in json.dumps(_find(layout, "_pages_content")["props"]["children"])


def test_a_cached_layout_of_another_page_is_not_reused(client):
    r1, _ = _layout(client, "http://localhost/ledger")
    etag = r1.headers["ETag"]
    again, _ = _layout(client, "http://localhost/ledger", {"If-None-Match": etag})
    assert again.status_code == 304
    other, layout = _layout(client, "http://localhost/trade", {"If-None-Match": etag})
    assert other.status_code == 200 and _find(layout, "_pages_location")["props"]["pathname"] == "/trade"


def test_concurrent_layouts_each_their_own_page(client):
    paths = ["/ledger", "/trade", "/atlas", "/", "/compare?codes=DEU,FRA", "/country/FRA", "/country/CHN",
             "/sector", "/data"] * 3

    def ask(path):
        r, layout = _layout(client, f"http://localhost{path}")
        loc = _find(layout, "_pages_location")["props"]
        return path, loc["pathname"] + loc.get("search", "")

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, paths))
    assert all(asked == got for asked, got in answers), [a for a in answers if a[0] != a[1]]
