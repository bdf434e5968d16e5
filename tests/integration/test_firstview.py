"""The index document carries the requested page's first view as static HTML (components/firstview.py, issue 13):
the header, the page's title and text, the picture of its first chart; the live page replaces it."""

from __future__ import annotations

import concurrent.futures as cf
import re

import pytest

from components.firstview import BUDGET_KEY, ROOT_ID

VIEW = re.compile(r'<div id="hc-first-view" class="hc-first-view">(.*?)</div>\s*<div id="react-entry-point">', re.S)


@pytest.fixture(autouse=True)
def _wait_for_cold_layouts(client):
    """The module's app is cold: wait for every layout here (the budget itself is tested below)."""
    client.application.config[BUDGET_KEY] = 60.0
    yield
    client.application.config.pop(BUDGET_KEY, None)


def _view(client, url: str) -> tuple[int, str | None]:
    r = client.get(url)
    m = VIEW.search(r.get_data(as_text=True))
    return r.status_code, (m.group(1) if m else None)


@pytest.mark.parametrize("url, title", [("/", "Open holographic carbon maps"), ("/ledger", "Ledger"), ("/atlas", "Atlas"),
                                        ("/country/DEU", "Germany"), ("/data", "Data")])
def test_index_holds_the_pages_first_view(client, url, title):
    status, view = _view(client, url)
    assert status == 200 and view is not None, url
    assert re.search(r"<h1[^>]*>[^<]*" + title, view), (url, view[:300])
    assert 'class="site-header"' in view and 'class="nav-link" href="/atlas"' in view  # the shell, links live
    assert " id=" not in view  # the live page owns every id


def test_country_page_view_follows_the_path_variable(client):
    _, fra = _view(client, "/country/FRA")
    _, deu = _view(client, "/country/DEU")
    assert "<h1>France and Monaco</h1>" in fra and "<h1>Germany</h1>" in deu


def test_unknown_path_and_bad_query_keep_the_plain_shell(client):
    r = client.get("/no/such/page")
    body = r.get_data(as_text=True)
    assert r.status_code == 404 and ROOT_ID not in body and 'id="react-entry-point"' in body
    status, view = _view(client, "/ledger?year=abc&gwp=%3Cscript%3E")
    assert status == 200
    assert view is None or "<script" not in view  # whatever the page makes of it, nothing unescaped


def test_concurrent_index_requests_each_get_their_own_page(client):
    urls = ["/ledger", "/atlas", "/country/FRA", "/country/DEU", "/data", "/country/JPN"] * 4
    expect = {"/ledger": "<h1>Ledger", "/atlas": "<h1>Atlas", "/country/FRA": "<h1>France and Monaco</h1>",
              "/country/DEU": "<h1>Germany</h1>", "/data": "<h1>Data", "/country/JPN": "<h1>Japan</h1>"}
    with cf.ThreadPoolExecutor(6) as ex:
        views = list(ex.map(lambda u: _view(client, u)[1], urls))
    for url, view in zip(urls, views):
        assert view is not None and expect[url] in view, url
        others = [h for u, h in expect.items() if u != url and h.startswith("<h1>") and h.endswith("</h1>")]
        assert not any(h in view for h in others), url


def test_a_layout_slower_than_the_budget_is_not_waited_for(client):
    client.application.config[BUDGET_KEY] = 0.0
    r = client.get("/ledger?year=2007")
    assert r.status_code == 200 and ROOT_ID not in r.get_data(as_text=True)
    assert 'id="react-entry-point"' in r.get_data(as_text=True)
