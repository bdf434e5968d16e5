"""Country page in a real browser: loads, a control change updates every chart, no console errors, offline."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _text(page, selector):
    return page.locator(selector).inner_text()


def test_country_page_updates_on_gas_change(page, live_server, out_dir):
    page.goto(live_server + "/country/JPN?year=2015", wait_until="networkidle")
    page.locator("#country-series .main-svg").first.wait_for(timeout=20_000)
    page.wait_for_function("() => document.querySelector('#country-series').textContent.includes('Mt CO2e per year')",
                           timeout=30_000)  # the series drawn, not the empty figure before it
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
    page.locator(".notice").get_by_text("No input–output table before 1995: 1985 shows production only").wait_for(
        timeout=20_000)
    assert page.watch.console_errors == []


def test_unknown_country_is_friendly_404(page, live_server, out_dir):
    resp = page.goto(live_server + "/country/FRX", wait_until="networkidle")
    assert resp.status == 404
    page.get_by_role("heading", name="Country not found").wait_for()
    assert page.get_by_role("link", name="(FRA)").count() == 1  # EDGAR's name: "France and Monaco (FRA)"
    page.screenshot(path=str(out_dir / "screenshots" / "country-404.png"))
    assert page.watch.external == []


SERIES_DATA_JS = "() => document.querySelector('#country-series .js-plotly-plot').data"
UNC_JS = "() => document.querySelector('#country-uncertainty .js-plotly-plot')"


def test_country_page_shows_intervals_bands_and_what_drives_them(page, live_server, out_dir):
    """Key figures with their interval, shaded bands under the three series, and the attribution chart, which
    follows the account chosen beside it (kept in the address as the perspective)."""
    page.goto(live_server + "/country/CHN?year=2022", wait_until="networkidle")
    page.locator("#country-cards .kpi").first.wait_for(timeout=30_000)
    page.wait_for_function(f"() => ({SERIES_DATA_JS})().some(t => t.fill === 'tonexty')", timeout=30_000)
    cards = page.locator("#country-cards").inner_text()
    assert cards.count("90 %:") >= 6, cards  # production, consumption, transfer, land-use change, sink, panoramic
    traces = page.evaluate(SERIES_DATA_JS)
    bands = [t for t in traces if t.get("fill") == "tonexty"]
    assert len(bands) == 3, [t.get("name") for t in traces]  # production, consumption, panoramic
    assert any(t.get("name") == "90 % intervals (shaded)" and t.get("showlegend") for t in bands)
    lines = {t["name"]: t for t in traces if t.get("fill") != "tonexty" and t.get("line", {}).get("width") != 0}
    assert "Production (territorial)" in lines and "90 %" in lines["Production (territorial)"]["hovertemplate"]
    assert page.locator("#country-series .scatterlayer .js-fill").count() >= 3  # the bands are drawn

    page.wait_for_function(f"() => ({UNC_JS})() && ({UNC_JS})().data && ({UNC_JS})().data.length > 0",
                           timeout=30_000)
    unc = page.locator("#country-uncertainty").inner_text()
    assert "what drives the uncertainty" in unc and "consumption-based account" in unc, unc
    assert "Nowcast" in unc and "Input–output table" in unc and "%" in unc
    shares = page.evaluate(f"() => Array.from(({UNC_JS})()._fullData[0].x)")  # decoded (data may hold bdata)
    assert 0 < len(shares) <= 9 and abs(sum(shares) - 100) < 0.5, shares  # every input accounted for

    # the account beside the chart: panoramic adds the land terms and goes into the address
    page.locator("#country-account label", has_text="Panoramic").click()
    page.wait_for_function("() => location.search.includes('perspective=panoramic')", timeout=10_000)
    page.wait_for_function("() => document.querySelector('#country-uncertainty').innerText.includes("
                           "'panoramic account')", timeout=10_000)
    # the interval level: 66 % narrows every card's interval and the bands
    before = page.locator("#country-cards").inner_text()
    page.locator("#country-ci label", has_text="66 %").click()
    page.wait_for_function("() => location.search.includes('ci=66')", timeout=10_000)
    page.wait_for_function("(b) => document.querySelector('#country-cards').innerText !== b", arg=before,
                           timeout=10_000)
    assert "66 %:" in page.locator("#country-cards").inner_text()
    page.wait_for_function(f"() => ({SERIES_DATA_JS})().some(t => t.name === '66 % intervals (shaded)')",
                           timeout=30_000)
    shots = out_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / "country-chn-intervals.png"), full_page=True)
    assert page.watch.console_errors == [] and page.watch.external == []
