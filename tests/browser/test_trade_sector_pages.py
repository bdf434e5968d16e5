"""Trade and sector pages in a real browser: they draw their charts from the pack, follow real control changes
(dropdown choice, checklist click) with the address bar kept in step, an unknown sector gets HTTP 404 with
suggestions, and nothing logs a console error or leaves the machine. Screenshots: test-output/screenshots/."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TIMEOUT = 30_000


def _shots(out_dir):
    d = out_dir / "screenshots"
    d.mkdir(exist_ok=True)
    return d


def _clean(page, allow_404=False):
    assert page.watch.external == [], f"requests left the machine: {page.watch.external}"
    errors = [e for e in page.watch.console_errors if not (allow_404 and "404 (NOT FOUND)" in e)]
    assert errors == [], errors
    assert [f for f in page.watch.failed if not (allow_404 and "404" in f)] == []


def _choose(page, dropdown_id, option_name):
    """A real dropdown interaction: open it and click the option."""
    page.locator(f"#{dropdown_id}").click()
    option = page.get_by_role("option", name=option_name)
    option.wait_for()
    option.click()


def _text_changes(page, selector, before):
    page.wait_for_function("([sel, before]) => { const e = document.querySelector(sel); "
                           "return e && e.innerText !== before; }", arg=[selector, before], timeout=TIMEOUT)


def test_trade_page_draws_and_follows_grouping(page, live_server, out_dir):
    resp = page.goto(live_server + "/trade?year=2011", wait_until="networkidle")
    assert resp.status == 200
    page.get_by_role("heading", name="Emissions embodied in trade").wait_for()
    page.locator("#trade-sankey .sankey").wait_for(timeout=TIMEOUT)
    page.locator("#trade-matrix .heatmaplayer").wait_for(timeout=TIMEOUT)
    assert "Mt CO2e" in page.locator("#trade-sankey").inner_text()
    assert "China" in page.locator("#trade-sankey").inner_text()
    assert "Largest net exporters" in page.locator("#trade-net-list").inner_text()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(_shots(out_dir) / "trade.png"), full_page=True)

    before = page.locator("#trade-net-list").inner_text()
    _choose(page, "trade-grouping", "EU27 as one region")
    _text_changes(page, "#trade-net-list", before)
    page.locator("#trade-sankey .sankey").wait_for(timeout=TIMEOUT)
    assert "European Union (27)" in page.locator("#trade-net-list").inner_text()
    page.wait_for_function("() => window.location.search.includes('grouping=EU27')", timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(_shots(out_dir) / "trade-eu27.png"), full_page=True)
    _clean(page)


def test_trade_page_empty_state_before_1995(page, live_server, out_dir):
    page.goto(live_server + "/trade?year=1990", wait_until="networkidle")
    page.locator(".notice, .empty-state").get_by_text("No input–output table before 1995").first.wait_for(
        timeout=TIMEOUT)
    # the badge beside the year says the same fact in the same words (one source: components.messages)
    assert "no input–output table before 1995" in page.locator("#trade-year-status").inner_text()
    assert page.locator("#trade-sankey").count() == 0
    page.screenshot(path=str(_shots(out_dir) / "trade-1990.png"), full_page=True)
    _clean(page)


def test_sector_c17_intensity_and_gas_checkbox(page, live_server, out_dir):
    resp = page.goto(live_server + "/sector/c17?year=2011", wait_until="networkidle")
    assert resp.status == 200
    page.get_by_role("heading", name="Electricity, Gas and Water Supply").wait_for()
    for gid in ("sector-ranking", "sector-map", "sector-intensity", "sector-foreign"):
        page.locator(f"#{gid} .main-svg").first.wait_for(timeout=TIMEOUT)
    assert "kg CO2e per USD" in page.locator("#sector-intensity").inner_text()
    assert "%" in page.locator("#sector-kpi-foreign").inner_text()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(_shots(out_dir) / "sector-c17.png"), full_page=True)

    kpis = page.locator(".cards-row").inner_text()
    page.locator("#sector-gases").get_by_label("CO2", exact=True).click()  # uncheck CO2: non-CO2 only
    _text_changes(page, ".cards-row", kpis)
    # the row is briefly empty while the callback answers (a loading state): wait for the new figures themselves
    page.wait_for_function("() => (document.querySelector('.cards-row') || {}).innerText?.includes('CH4+N2O+F-gases')",
                           timeout=TIMEOUT)
    page.wait_for_function("() => window.location.search.includes('gases=CH4')", timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(_shots(out_dir) / "sector-c17-nonco2.png"), full_page=True)
    _clean(page)


def test_sector_power_industry_follows_gwp(page, live_server, out_dir):
    resp = page.goto(live_server + "/sector/power-industry?year=2020", wait_until="networkidle")
    assert resp.status == 200
    page.get_by_role("heading", name="Power Industry").wait_for()
    page.locator("#sector-ranking .bars path").first.wait_for(timeout=TIMEOUT)
    page.locator("#sector-map .choroplethlayer").wait_for(timeout=TIMEOUT)
    assert "Structure of 2011" in page.inner_text("body")
    assert "China" in page.locator("#sector-ranking").inner_text()
    before = page.locator(".cards-row").inner_text()
    _choose(page, "sector-gwp", "AR6 GWP20")
    _text_changes(page, ".cards-row", before)
    page.wait_for_function("() => window.location.search.includes('gwp=AR6-GWP20')", timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(_shots(out_dir) / "sector-power-industry.png"), full_page=True)
    _clean(page)


def test_sector_index_lists_links(page, live_server, out_dir):
    page.goto(live_server + "/sector", wait_until="networkidle")
    page.get_by_role("heading", name="Sectors", exact=True).wait_for()
    assert page.locator(".sector-list a").count() == 43
    page.screenshot(path=str(_shots(out_dir) / "sector-index.png"), full_page=True)
    page.get_by_role("link", name="Power Industry").first.click()
    page.get_by_role("heading", name="Power Industry").wait_for(timeout=TIMEOUT)
    assert "/sector/power-industry" in page.url
    page.screenshot(path=str(_shots(out_dir) / "sector-index-click.png"), full_page=True)
    _clean(page)


def test_unknown_sector_404_with_suggestions(page, live_server, out_dir):
    resp = page.goto(live_server + "/sector/nope", wait_until="networkidle")
    assert resp.status == 404
    page.get_by_role("heading", name="Sector not found").wait_for(timeout=TIMEOUT)
    assert "Did you mean" in page.locator("#sector-not-found").inner_text()
    resp = page.goto(live_server + "/sector/power-indstry", wait_until="networkidle")
    assert resp.status == 404
    link = page.locator(".sector-suggestions a").first
    link.wait_for(timeout=TIMEOUT)
    assert "Power Industry" in link.inner_text()
    page.screenshot(path=str(_shots(out_dir) / "sector-not-found.png"), full_page=True)
    _clean(page, allow_404=True)
