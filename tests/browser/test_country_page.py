"""Country page in a real browser: loads, a control change updates every chart, no console errors, offline."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _text(page, selector):
    return page.locator(selector).inner_text()


def test_country_page_updates_on_gas_change(page, live_server, out_dir):
    page.goto(live_server + "/country/JPN?year=2015", wait_until="networkidle")
    page.locator("#country-series .main-svg").first.wait_for(timeout=20_000)
    page.locator("#country-cards .kpi").first.wait_for()
    before = _text(page, "#country-cards")
    assert "Mt CO2e" in before and "nowcast, structure of 2011" in before
    series_before = page.locator("#country-series").inner_text()
    assert "Mt CO2e per year" in series_before
    # really interact: untick CH4 in the gases checklist
    page.locator("#country-gases label", has_text="CH4").click()
    page.wait_for_function("(b) => document.querySelector('#country-cards').innerText !== b", arg=before,
                           timeout=10_000)
    # the view is a shareable link: the address bar follows the controls
    page.wait_for_function("() => location.search.includes('gases=CO2,N2O,F-gases')", timeout=5_000)
    page.wait_for_load_state("networkidle")
    shots = out_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / "country-jpn.png"), full_page=True)
    assert page.watch.console_errors == []
    assert page.watch.external == []
    assert page.locator("#country-partners .bars path").count() >= 10
    assert page.locator("#country-map canvas").count() >= 1


def test_country_page_before_1995_explains(page, live_server):
    page.goto(live_server + "/country/IND?year=1985", wait_until="networkidle")
    page.get_by_text("There is no input–output table before 1995").wait_for(timeout=20_000)
    assert page.watch.console_errors == []


def test_unknown_country_is_friendly_404(page, live_server, out_dir):
    resp = page.goto(live_server + "/country/FRX", wait_until="networkidle")
    assert resp.status == 404
    page.get_by_role("heading", name="Country not found").wait_for()
    assert page.get_by_role("link", name="(FRA)").count() == 1  # EDGAR's name: "France and Monaco (FRA)"
    page.screenshot(path=str(out_dir / "screenshots" / "country-404.png"))
    assert page.watch.external == []
