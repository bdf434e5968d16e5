"""Data & methods, the validation report, the glossary tooltips and the "Cite this view" footer in Debian chromium
(issue 13, items 7 and 9): what a researcher sees and copies. Screenshots under test-output/screenshots/."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
from pathlib import Path

import pytest

from tests.support.live import LIVE_PAGE

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def _health(base: str) -> dict:
    with urllib.request.urlopen(base + "/health", timeout=30) as r:
        return json.loads(r.read())


def _shot(page, out_dir: Path, name: str) -> None:
    shots = out_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_data_page_names_version_pack_sources_and_no_path(page, live_server, out_dir, settings, size):
    """GeoNames with its licence, the version and pack id the runtime reports, the claims with their links, no
    server path, nothing wider than the screen."""
    from components.cite import app_version

    page.set_viewport_size(DESKTOP if size == "desktop" else PHONE)
    page.goto(live_server + "/data")
    page.locator("#uncertainty-parameters tbody tr").first.wait_for(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    pack = _health(live_server)["pack"]
    assert page.locator("#version-pack").inner_text() == pack
    assert page.locator("#version-app").inner_text() == app_version()
    geonames = page.locator("#source-geonames")
    assert "GeoNames" in geonames.inner_text() and "CC BY 4.0" in geonames.inner_text()
    assert geonames.locator("a[href='https://www.geonames.org']").count() == 1
    assert "World Bank" in page.locator("#input-gdp").inner_text()
    body = page.inner_text("body")
    for bad in (str(settings.data_dir), str(settings.raw_dir), "/root", "data/raw"):
        assert bad not in body, bad
    claim = page.locator("#claim-panoramic-2022")
    assert "−17.7 %" in claim.inner_text()
    assert claim.locator("a[href*='sari.cas.cn']").count() == 1 and claim.locator("a[href*='english.news.cn']").count() == 1
    _no_sideways_scroll(page)
    _shot(page, out_dir, f"data-{size}")
    assert page.watch.console_errors == [] and page.watch.external == []


def test_validation_report_is_a_page_linked_from_data(page, live_server, out_dir):
    """The link on Data & methods opens /validation: every heading of docs/validation.md, tables that scroll in their
    own box on a phone (the page itself does not)."""
    md = (ROOT / "docs" / "validation.md").read_text()
    headings = [line[3:].strip() for line in md.splitlines() if line.startswith("## ")]
    page.goto(live_server + "/data")
    page.locator("#validation-link a[href='/validation']").click()
    page.get_by_role("heading", name="Holocarbon validation report").wait_for(timeout=TIMEOUT)
    assert page.url.endswith("/validation")
    shown = [h.strip() for h in page.locator(".validation-report h2").all_inner_texts()]
    assert shown == headings
    assert page.title() == "Validation report — Holocarbon"
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    _no_sideways_scroll(page)
    widths = page.evaluate("""() => [...document.querySelectorAll('.validation-report table')]
        .map(t => [t.scrollWidth, t.clientWidth, getComputedStyle(t).overflowX])""")
    assert widths and any(s > c for s, c, _ in widths)  # a wide table scrolls inside itself…
    assert all(o == "auto" for _, _, o in widths)
    _shot(page, out_dir, "validation-phone")
    assert page.watch.console_errors == [] and page.watch.external == []


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_glossary_tooltip_on_keyboard_focus_tap_and_escape(browser, live_server, out_dir, size):
    """Tab reaches a term in the home page's lead and shows its definition; Escape hides it; on a phone a tap opens
    it and a tap elsewhere closes it, and the open definition stays inside the screen."""
    phone = size == "phone"
    context = browser.new_context(viewport=PHONE if phone else DESKTOP, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        page.locator("#home-budget .bars path").first.wait_for(timeout=TIMEOUT)
        tip = page.locator("#gloss-tip-consumption-based")
        assert tip.is_hidden()
        page.locator("#home-holographic").click()  # the focus starts from the line above the lead…
        page.keyboard.press("Tab")  # …and Tab reaches the first term
        assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == \
            "gloss-tip-consumption-based"
        tip.wait_for(state="visible", timeout=5_000)
        assert "Emissions counted for the country whose final consumption" in tip.inner_text()
        box = tip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box
        _shot(page, out_dir, f"glossary-{size}")
        page.keyboard.press("Escape")
        tip.wait_for(state="hidden", timeout=5_000)
        if phone:
            term = page.locator(".gloss-term", has_text="nowcast")
            term.tap()
            page.locator("#gloss-tip-nowcast").wait_for(state="visible", timeout=5_000)
            page.locator("h1").tap()
            page.locator("#gloss-tip-nowcast").wait_for(state="hidden", timeout=5_000)
        _no_sideways_scroll(page)
    finally:
        context.close()


#: The live page is in the document (Dash rendered the page; the static first view of components/firstview.py is gone).


def test_cite_line_follows_the_view_and_copies(browser, live_server):
    """The footer line names the version, the pack, the page, its full URL and today's date; it follows a navigation
    and a change of the address made by the page; the button copies it."""
    from components.cite import app_version

    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    try:
        head = f"Holocarbon {app_version()} (pack {_health(live_server)['pack']}), "
        today = dt.date.today().isoformat()
        page.goto(live_server + "/data")
        page.wait_for_function(LIVE_PAGE, timeout=TIMEOUT)  # the live page, not its static first view, is clicked
        line = page.locator("#cite-line")
        page.wait_for_function("() => ((document.getElementById('cite-line') || {}).textContent || '')"
                               ".includes('Data & methods')", timeout=TIMEOUT)
        assert line.inner_text() == f"{head}Data & methods, {live_server}/data, accessed {today}"
        page.locator("nav.nav").get_by_role("link", name="Trade").click()
        page.wait_for_function("() => document.getElementById('cite-line').textContent.includes(', Trade, ')",
                               timeout=TIMEOUT)
        page.wait_for_function(LIVE_PAGE, timeout=TIMEOUT)
        page.wait_for_load_state("networkidle")  # the page's own address rewrite is done
        page.evaluate("() => history.replaceState(null, '', '/trade?year=2008')")  # what urlstate.js does
        page.wait_for_function("() => document.getElementById('cite-line').textContent.includes('year=2008')",
                               timeout=TIMEOUT)
        expected = f"{head}Trade, {live_server}/trade?year=2008, accessed {today}"
        assert line.inner_text() == expected
        page.locator("#cite-copy").click()
        page.locator("#cite-status").filter(has_text=re.compile("copied")).wait_for(timeout=5_000)
        assert page.evaluate("navigator.clipboard.readText()") == expected
    finally:
        context.close()
