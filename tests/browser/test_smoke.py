"""Each page loads in a real browser (Debian chromium), logs no console error, requests nothing from any host
other than the app, and is saved as a screenshot under test-output/screenshots/."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    # (path, expected HTTP status, text a person must see, screenshot name)
    ("/", 200, "Open holographic carbon maps", "home"),
    ("/data", 200, "Data & methods", "data"),
    ("/api", 200, "Python API", "api"),
    ("/no-such-page", 404, "Page not found", "not-found"),
]


def _expect_no_console_errors(page, allowed=()):
    errors = [e for e in page.watch.console_errors if not any(a in e for a in allowed)]
    assert errors == [], errors


@pytest.mark.parametrize("path,status,text,shot", PAGES, ids=[p[3] for p in PAGES])
def test_page_loads_offline(page, live_server, out_dir, path, status, text, shot):
    resp = page.goto(live_server + path, wait_until="networkidle")
    assert resp.status == status
    page.get_by_role("heading", name=text).wait_for(timeout=15_000)
    page.wait_for_load_state("networkidle")
    shots = out_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"{shot}.png"), full_page=True)
    assert page.watch.external == [], f"requests left the machine: {page.watch.external}"
    # a 404 document is reported by chromium as a failed resource; nothing else may fail
    _expect_no_console_errors(page, allowed=("404 (NOT FOUND)",) if status == 404 else ())
    assert [f for f in page.watch.failed if "404" not in f] == []


def test_navigation_built_from_registry(page, live_server):
    page.goto(live_server + "/", wait_until="networkidle")
    nav = page.locator("nav.nav a")
    labels = [nav.nth(i).inner_text() for i in range(nav.count())]
    assert "Data & methods" in labels and "Home" in labels
    page.get_by_role("link", name="Data & methods").first.click()
    page.get_by_role("heading", name="Data & methods").wait_for()
    assert page.url.endswith("/data")


def test_home_charts_render_real_data(page, live_server):
    """The two overview charts draw SVG paths/bars from the pack (not an error notice)."""
    page.goto(live_server + "/", wait_until="networkidle")
    page.locator("#home-world-ghg .main-svg").first.wait_for(timeout=15_000)
    assert page.locator("#home-world-ghg .scatterlayer path").count() >= 4  # one area per gas
    assert page.locator("#home-budget .bars path").count() >= 5
    assert "Gt CO2e per year" in page.locator("#home-world-ghg").inner_text()


def test_data_page_lists_every_source_as_present(page, live_server):
    from engine.data.registry import load_registry

    page.goto(live_server + "/data", wait_until="networkidle")
    page.locator(".sources-table").wait_for()
    registry = load_registry()
    for sid in registry:
        row = page.locator(f"#source-{sid}")
        assert row.count() == 1, sid
        assert row.locator(".badge").inner_text() == "present", sid
    assert f"of {sum(len(s.files) for s in registry.values())} source files present" in page.inner_text("body")


def test_api_page_example_link_answers_json(page, live_server):
    """A person on the API page follows an endpoint's example link and gets the JSON answer with its Query."""
    import json

    page.goto(live_server + "/api", wait_until="networkidle")
    link = page.locator("#endpoint-ledger a.api-example")
    href = link.get_attribute("href")
    assert href.startswith("/api/v1/ledger?")
    resp = page.request.get(live_server + href)
    assert resp.status == 200
    body = json.loads(resp.text())
    assert body["query"]["year"] == 2019 and body["query"]["gwp"] == "AR6"
    assert {r["region"] for r in body["data"]} == {"CHN", "USA"}
    assert page.get_by_text("from engine import Query, open_engine").first.is_visible()


def test_data_page_explains_the_uncertainty(page, live_server):
    """The Uncertainty section: inputs with sources, correlations, the parameter table read from
    data/uncertainty_parameters.csv and the API endpoint."""
    import csv
    from pathlib import Path

    page.goto(live_server + "/data", wait_until="networkidle")
    section = page.locator("#uncertainty")
    section.get_by_role("heading", name="Uncertainty").wait_for(timeout=15_000)
    text = section.inner_text()
    for bit in ("Solazzo et al. (2021)", "20 % relative standard error", "Rodrigues et al. (2018)",
                "four GCB bookkeeping models", "±0.9 GtC per year", "80 % for CH4 and N2O", "seeded",
                "data/ipcc_to_edgar.csv", "IPCC AR6 WGIII Ch. 2"):
        assert bit in text, bit
    rows = list(csv.DictReader(open(Path(__file__).resolve().parents[2] / "data" / "uncertainty_parameters.csv")))
    table = page.locator("#uncertainty-parameters tbody tr")
    assert table.count() == len(rows)
    assert {c.strip() for c in page.locator("#uncertainty-parameters tbody tr td:first-child").all_inner_texts()} \
        == {r["parameter"] for r in rows}
    link = section.locator("a[href='/api/v1/uncertainty?region=CHN&year=2022']")
    assert link.count() == 1
    resp = page.request.get(live_server + link.get_attribute("href"))
    assert resp.status == 200 and "attribution" in resp.text()
    assert page.watch.console_errors == [] and page.watch.external == []


def test_home_states_the_world_total_with_its_interval(page, live_server):
    page.goto(live_server + "/?ci=95", wait_until="networkidle")
    sentence = page.locator("#home-key-figures").inner_text()
    assert "Gt CO2e" in sentence and "95 % interval" in sentence, sentence
    page.locator("#home-world-ghg .main-svg").first.wait_for(timeout=15_000)
    assert "95 % interval" in page.locator("#home-world-ghg").inner_text()
    assert page.locator("#home-world-ghg .errorbar").count() >= 1
