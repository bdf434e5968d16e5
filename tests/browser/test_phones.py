"""Phones (issue 13): at 390×844 no page is wider than the screen, charts keep their title and footnote as wrapping
text (assets/narrow.js), the shared controls fold into a drawer with the year in sight; at 1440 px nothing of that
applies. Screenshots under test-output/screenshots/phone-*.png."""

from __future__ import annotations

import pytest
from tests.support.live import live_goto

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = ("/", "/atlas", "/ledger?year=2011", "/country/DEU?year=2011", "/sector", "/sector/c4?year=2011",
         "/trade?year=2011", "/briefing", "/data", "/api", "/no-such-page")
#: Scrollable boxes: what is inside them may be wider than the screen (tables scroll inside their box).
WIDE_ELEMENTS_JS = """() => {
  const W = document.documentElement.clientWidth, out = [];
  const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p); if (['auto', 'scroll', 'hidden'].includes(s.overflowX) && p !== document.body
          && p !== document.documentElement) return true; } return false; };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 1 && !el.closest('svg') && !scrolls(el))
      out.push(`${el.tagName}.${el.className}#${el.id} right=${Math.round(r.right)}`);
  }
  return {W, scroll: document.documentElement.scrollWidth, wide: out.slice(0, 8)};
}"""


@pytest.fixture()
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    pg = live_goto(context.new_page())
    errors = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    yield pg
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_page_is_wider_than_a_phone(phone, live_server, out_dir, path):
    phone.goto(live_server + path, wait_until="networkidle")
    phone.wait_for_timeout(600)  # narrow.js adapts after plotly's first draw
    got = phone.evaluate(WIDE_ELEMENTS_JS)
    assert got["scroll"] <= got["W"], got
    assert got["wide"] == [], got
    shots = out_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").split("?")[0].replace("/", "-") or "home"
    phone.screenshot(path=str(shots / f"phone-{name}.png"), full_page=True)
    # the unknown page answers 404 on purpose (the browser logs the status)
    assert [e for e in phone.errors if "status of 404" not in e or path != "/no-such-page"] == [], phone.errors


def test_charts_keep_title_and_footnote_as_text_on_a_phone(phone, live_server):
    """The series chart's title and its sources line are HTML beside the graph (wrapping, nothing clipped), gone
    from the SVG; the legend sits under the plot, never over the title."""
    phone.goto(live_server + "/country/DEU?year=2011", wait_until="networkidle")
    card = phone.locator("#country-series").locator("xpath=..")
    card.locator(".hc-narrow-head").wait_for(timeout=30_000)
    head = card.locator(".hc-narrow-title").inner_text()
    assert head.startswith("Germany: production, consumption and panoramic emissions"), head
    foot = card.locator(".hc-narrow-foot").inner_text()
    assert "Sources: EDGAR 2024" in foot and "GCB 2024" in foot, foot
    box, page_w = card.locator(".hc-narrow-foot").bounding_box(), phone.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= page_w  # wraps inside the screen
    svg_title = phone.evaluate("() => [...document.querySelectorAll('#country-series .gtitle')]"
                               ".map(t => t.textContent).join('')")
    assert svg_title == "", svg_title
    legend = phone.locator("#country-series .legend").bounding_box()
    plot = phone.locator("#country-series .bglayer").bounding_box()
    assert legend["y"] >= plot["y"] + plot["height"] - 1, (legend, plot)  # under the plot area


def test_controls_fold_into_a_drawer_with_the_year_in_sight(phone, live_server):
    phone.goto(live_server + "/ledger?year=2011", wait_until="networkidle")
    toggle = phone.locator("#ledger-controls-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert phone.locator("#ledger-controls .ctl-year").is_visible()
    assert not phone.locator("#ledger-controls .ctl-gwp").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    gwp = phone.locator("#ledger-controls .ctl-gwp")
    assert gwp.is_visible()
    box = gwp.bounding_box()
    assert box["width"] >= 300, box  # a dropdown as wide as the screen, not "C…"
    toggle.click()
    assert not gwp.is_visible()


def test_wide_screens_keep_the_server_layout(page, live_server):
    """At 1440 px: no drawer button, every control shown, titles in the SVG, no HTML captions."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server + "/country/DEU?year=2011", wait_until="networkidle")
    page.locator("#country-series .gtitle").first.wait_for(timeout=30_000)
    assert "Germany: production" in page.locator("#country-series .gtitle").first.text_content()
    assert page.locator(".hc-narrow-head").count() == 0
    assert not page.locator("#country-controls-toggle").is_visible()
    assert page.locator("#country-controls .ctl-gwp").is_visible()


def test_the_year_says_when_it_is_modelled(phone, live_server):
    """The badge beside the year stays in sight on a phone and follows the year: a nowcast year says "Modelled"."""
    phone.goto(live_server + "/ledger?year=2022", wait_until="networkidle")
    badge = phone.locator("#ledger-year-status")
    assert badge.is_visible() and badge.inner_text() == "Modelled: consumption nowcast on the 2011 table"
    assert "year-status-nowcast" in badge.get_attribute("class")
    box = phone.locator("#ledger-controls .ctl-year input[type=number]")
    box.fill("2005")
    box.blur()  # the slider's number box commits when it loses focus
    phone.wait_for_function("() => document.querySelector('#ledger-year-status').innerText === "
                            "'Consumption from the WIOD table of 2005'", timeout=30_000)
    assert "year-status-mrio" in badge.get_attribute("class")
