"""The product-footprint wizard in Debian chromium at a desktop (1440×900) and a phone (390×844) size: a template
chosen in step 1, an amount edited in the inventory table (step 2), the total of step 3 follows and the address
keeps the edit, step 4 shows readable supply-chain paths and the comparison; nothing wider than the screen, no two
chart texts on top of each other, no console errors, no off-host request. Screenshots:
test-output/screenshots/footprint-*.png."""

from __future__ import annotations

import pytest

from tests.browser.test_text_boxes import assert_page_sound

pytestmark = pytest.mark.browser

TIMEOUT = 60_000
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
TOTAL = "() => { const e = document.querySelector('#lca-headline .lca-kpi-total .lca-kpi-value'); " \
        "return e ? parseFloat(e.textContent.replace(/,/g, '')) : null; }"


def _step(page, n: int) -> None:
    page.locator(f"#lca-step-{n - 1} button", has_text="Next").click()
    page.locator(f"#lca-step-{n}.is-active").wait_for(timeout=TIMEOUT)


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
def test_footprint_wizard_template_edit_result_paths(page, live_server, out_dir, size):
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[size])))
    page.goto(live_server + "/footprint")
    assert page.title() == "Product footprint — Holocarbon"
    assert page.locator(".lca-badge").first.inner_text() == "Model estimate"

    # step 1: the steel-beam template (its sources are shown)
    page.locator("#lca-template").click()
    page.get_by_role("option", name="Hot-rolled steel section (beam), per tonne, made in China", exact=True).click()
    page.wait_for_function("() => location.search.includes('template=steel_beam')", timeout=TIMEOUT)
    assert "worldsteel" in page.locator("#lca-template-info").inner_text(timeout=TIMEOUT) or \
        page.locator("#lca-template-info summary").count() == 1

    # step 3 first: the template's total
    page.locator(".lca-steps-item", has_text="Result").click()
    page.locator("#lca-step-3.is-active").wait_for(timeout=TIMEOUT)
    page.wait_for_function(f"() => ({TOTAL})() > 0", timeout=TIMEOUT)
    before = page.evaluate(TOTAL)
    assert 1000 < before < 5000  # kg CO2e per tonne of Chinese steel sections

    # step 2: twice the steel of line 1
    page.locator(".lca-steps-item", has_text="Inventory").click()
    cell = page.locator('#lca-table td[data-dash-column="amount"]').first
    cell.click()
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('amounts=1:2')", timeout=TIMEOUT)

    # step 3: the total follows
    _step(page, 3)
    page.wait_for_function(f"(b) => ({TOTAL})() > 1.5 * b", arg=before, timeout=TIMEOUT)
    assert "interval" in page.locator("#lca-headline .lca-kpi-total").inner_text()
    page.locator("#lca-contrib .bars path").first.wait_for(timeout=TIMEOUT)

    # step 4: readable paths, the comparison and its lowest country
    _step(page, 4)
    page.locator("#lca-paths li").first.wait_for(timeout=TIMEOUT)
    chains = page.locator("#lca-paths").inner_text()
    assert "(China)" in chains and "kg CO2e" in chains
    assert "←" in chains
    assert page.locator("#lca-compare-words").inner_text().startswith("Lowest:")
    page.locator("#lca-compare-chart .bars path").first.wait_for(timeout=TIMEOUT)
    page.locator("#lca-tiers .bars path").first.wait_for(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(700)

    assert_page_sound(page, out_dir, "footprint", size)


def test_the_industry_page_links_here(page, live_server):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server + "/industry")
    page.locator("#industry-footprint-link").click()
    page.wait_for_url("**/footprint**", timeout=TIMEOUT)
    page.locator("#lca-template").wait_for(timeout=TIMEOUT)
    assert page.title() == "Product footprint — Holocarbon"


def test_header_keeps_one_row_at_1440_with_footprint(page, live_server):
    from tests.browser.test_industry import HEADER_JS
    from tests.browser.test_phones import WIDE_ELEMENTS_JS

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server + "/footprint")
    page.locator("#lca-template").wait_for(timeout=TIMEOUT)
    got = page.evaluate(HEADER_JS)
    assert "Footprint" in got["labels"]
    assert len(set(got["tops"])) == 1, got  # every link on the same line
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    wide = page.evaluate(WIDE_ELEMENTS_JS)
    assert wide["scroll"] <= wide["W"], wide
