"""The green-exports page in Debian chromium at a desktop (1440×900) and a phone (390×844) size: opened from a shared
link, the map, bars, tornado and claim drawn, a parameter changed (the address and the bars follow), nothing wider
than the screen, no two chart texts on top of each other, no console errors, no off-host request (the map's basemap
comes from the app's /topojson/). Screenshots: test-output/screenshots/green-exports-*.png."""

from __future__ import annotations

import pytest

from tests.browser.test_text_boxes import assert_page_sound

pytestmark = pytest.mark.browser

TIMEOUT = 60_000
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
LINK = "/green-exports?year=2024&tech=pv,wind"
AVOIDED_X = ("() => { const gd = document.querySelector('#green-bars .js-plotly-plot');"
             " return gd && gd._fullData && gd._fullData[1] ? Array.from(gd._fullData[1].x) : null; }")


def _open(page, base: str, path: str) -> None:
    page.goto(base + path)
    page.locator("#green-map .scattergeo path").first.wait_for(state="attached", timeout=TIMEOUT)
    page.locator("#green-bars .bars path").first.wait_for(timeout=TIMEOUT)
    page.locator("#green-tornado .bars path").first.wait_for(timeout=TIMEOUT)
    page.locator("#green-claim table tbody tr").first.wait_for(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(700)


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
def test_green_exports_from_a_link_and_a_parameter_change(page, live_server, out_dir, size):
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[size])))
    _open(page, live_server, LINK)
    assert page.title() == "Green exports — Holocarbon"
    assert page.locator(".green-badge").first.inner_text() == "Model estimate"
    assert page.locator(".green-kpi").count() == 5
    before = page.evaluate(AVOIDED_X)
    assert before and before[0] > 0

    # fossil-margin displacement: a higher displaced intensity, more avoided everywhere
    page.locator("#green-p-displacement").click()
    page.get_by_role("option", name="Fossil margin (fossil-only intensity)", exact=True).click()
    page.wait_for_function("() => location.search.includes('displacement=fossil_margin')", timeout=TIMEOUT)
    page.wait_for_function(f"(b) => {{ const x = ({AVOIDED_X})(); return x && Math.max(...x) > Math.max(...b); }}",
                           arg=before, timeout=TIMEOUT)
    assert "year=2024" in page.url
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(700)

    assert_page_sound(page, out_dir, "green-exports", size)


def test_the_trade_page_links_here(page, live_server):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server + "/trade")
    page.locator("#trade-green-link").click()
    page.wait_for_url("**/green-exports**", timeout=TIMEOUT)
    page.locator("#green-bars .bars path").first.wait_for(timeout=TIMEOUT)
    assert page.title() == "Green exports — Holocarbon"
