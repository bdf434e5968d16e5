"""The header search box and the skip link in a real browser (Debian chromium), on a phone (390 px) and a desktop
(1440 px): typing shows the results, the arrow keys move, Enter opens, Escape closes, the skip link is the first Tab
stop; nothing leaves the machine and the console stays clean. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

WIDTHS = [pytest.param(390, id="phone-390"), pytest.param(1440, id="desktop-1440")]
TIMEOUT = 30_000  # the first search of the server builds the name index
INPUT = "#hc-search-input"


def _open(page, live_server, width, path="/"):
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 900})
    page.goto(live_server + path, wait_until="networkidle")
    page.wait_for_selector(f"{INPUT}[role=combobox]", timeout=TIMEOUT)
    return page.locator(INPUT)


def _attr(page, selector, name):
    return page.locator(selector).get_attribute(name)


def _clean(page):
    assert page.watch.external == [], f"requests left the machine: {page.watch.external}"
    assert page.watch.console_errors == [], page.watch.console_errors


@pytest.mark.parametrize("width", WIDTHS)
def test_type_arrow_down_enter_opens_germany(page, live_server, out_dir, width):
    box = _open(page, live_server, width)
    label = page.locator(f"label[for='{INPUT[1:]}']")
    assert label.inner_text() == "Search countries, groups, sectors and places"
    assert label.bounding_box()["width"] <= 1  # visually hidden, still read by screen readers
    assert _attr(page, INPUT, "aria-controls") == "hc-search-list" and _attr(page, INPUT, "aria-expanded") == "false"
    # the box fits the screen: on a phone it takes the header's full width on its own row
    b = box.bounding_box()
    assert b["x"] >= 0 and b["x"] + b["width"] <= width
    if width < 600:
        assert b["width"] >= 0.85 * width
    else:
        nav = page.locator("nav.nav").bounding_box()
        assert abs((b["y"] + b["height"] / 2) - (nav["y"] + nav["height"] / 2)) < 20  # one header row
    box.click()
    box.press_sequentially("germ", delay=40)
    first = page.locator("#hc-search-opt-0")
    first.wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => document.querySelector('#hc-search-list').dataset.query === 'germ'",
                           timeout=TIMEOUT)
    assert "Germany" in first.inner_text() and "DEU" in first.inner_text()
    assert _attr(page, INPUT, "aria-expanded") == "true" and page.locator("#hc-search-list").is_visible()
    assert page.locator("#hc-search-list [role=option]").count() >= 2
    assert "result" in page.locator("#hc-search-status").inner_text()
    pop = page.locator("#hc-search-popup").bounding_box()
    assert pop["x"] >= 0 and pop["x"] + pop["width"] <= width + 1  # the list stays on screen
    box.press("ArrowDown")
    assert _attr(page, "#hc-search-opt-0", "aria-selected") == "true"
    assert _attr(page, INPUT, "aria-activedescendant") == "hc-search-opt-0"
    shots = out_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"search-germ-{width}.png"))
    box.press("Enter")
    page.wait_for_url(re.compile(r"/country/DEU$"), timeout=TIMEOUT)
    page.get_by_role("heading", name="Germany", exact=True).wait_for(timeout=TIMEOUT)
    assert box.input_value() == "" and _attr(page, INPUT, "aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "main-content"  # focus moves to the page opened
    page.wait_for_load_state("networkidle")
    _clean(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_skip_link_is_the_first_tab_stop(page, live_server, out_dir, width):
    _open(page, live_server, width)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip-link", "Skip to content"]
    link = page.locator("a.skip-link").bounding_box()
    assert link["y"] >= 0 and link["x"] + link["width"] <= width  # visible on focus, on screen
    page.screenshot(path=str(out_dir / "screenshots" / f"skip-link-{width}.png"))
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'main-content'", timeout=5_000)
    assert "#" not in page.url  # the address keeps no fragment (the pages' URL state owns the address)
    page.keyboard.press("Tab")  # the next stop is inside the page, not back in the header
    assert page.evaluate("() => !!document.activeElement.closest('#main-content')")
    # without focus the skip link is out of sight
    page.locator(INPUT).focus()
    assert page.locator("a.skip-link").bounding_box()["y"] + page.locator("a.skip-link").bounding_box()["height"] <= 1
    _clean(page)


def test_escape_closes_then_clears_and_arrows_move(page, live_server):
    box = _open(page, live_server, 1440)
    box.click()
    box.press_sequentially("south", delay=30)
    page.wait_for_function("() => document.querySelector('#hc-search-list').dataset.query === 'south'",
                           timeout=TIMEOUT)
    assert page.locator("#hc-search-list [role=option]").count() >= 3
    box.press("ArrowDown")
    box.press("ArrowDown")
    assert _attr(page, "#hc-search-opt-1", "aria-selected") == "true"
    assert _attr(page, "#hc-search-opt-0", "aria-selected") == "false"
    box.press("ArrowUp")
    box.press("ArrowUp")  # back to the box: nothing highlighted
    assert page.locator("#hc-search-list [aria-selected=true]").count() == 0
    assert _attr(page, INPUT, "aria-activedescendant") is None
    box.press("Escape")
    assert _attr(page, INPUT, "aria-expanded") == "false" and not page.locator("#hc-search-list").is_visible()
    assert box.input_value() == "south"
    box.press("Escape")
    page.wait_for_function(f"() => document.querySelector('{INPUT}').value === ''", timeout=5_000)
    box.press_sequentially("zzqqxx", delay=20)
    page.get_by_text("Nothing matches “zzqqxx”.").wait_for(timeout=TIMEOUT)
    _clean(page)


def test_enter_typed_before_the_results_arrive_waits_for_them(page, live_server):
    """A fast typist: Enter right after the last key opens the first result for what was typed, not a stale one."""
    box = _open(page, live_server, 1440)
    box.click()
    box.press_sequentially("holland", delay=5)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/country/NLD$"), timeout=TIMEOUT)
    page.get_by_role("heading", name="Netherlands", exact=True).wait_for(timeout=TIMEOUT)
    _clean(page)


def test_country_name_in_the_address_redirects(page, live_server):
    resp = page.goto(live_server + "/country/GERMANY?year=2011", wait_until="networkidle")
    assert resp.status == 200 and re.search(r"/country/DEU\?year=2011$", page.url)
    page.get_by_role("heading", name="Germany", exact=True).wait_for(timeout=TIMEOUT)
    _clean(page)
