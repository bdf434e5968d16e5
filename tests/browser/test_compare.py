"""The compare page in Debian chromium at a desktop (1440×900) and a phone (390×844) size: opened from a shared link,
a region added with the keyboard only (Tab to the picker, type, Enter) and the measure changed with the arrow keys,
the address and the chart following; nothing wider than the screen; no two texts of the chart on top of each other
(element boxes); an unknown code in the link named on the page. Screenshots: test-output/screenshots/compare-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.test_phones import WIDE_ELEMENTS_JS

pytestmark = pytest.mark.browser

TIMEOUT = 60_000  # the first comparison of a fresh server draws every year's intervals
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
ACTIVE_JS = "(css) => { const a = document.activeElement; return !!a && a.matches(css); }"
#: The text of the dropdown option that has the focus.
OPTION_JS = "() => { const o = document.activeElement.closest('[role=option]'); return o ? o.innerText.trim() : null; }"
LEGEND_JS = "() => [...document.querySelectorAll('#compare-series .legendtext')].map(t => t.textContent)"
#: Elements wider than the screen that do not sit in a box that scrolls (the phones test's check).
WIDE_JS = WIDE_ELEMENTS_JS
#: Pairs of visible texts of the series chart whose boxes intersect (title, subtitle, legend entries, tick labels,
#: axis titles, the footnote), and texts that sit on the plot area although they belong outside it.
OVERLAP_JS = """() => {
  const root = document.querySelector('#compare-series');
  const sel = {'title': '.gtitle', 'subtitle': '.gtitle-subtitle', 'legend': '.legend .traces',
               'xtick': '.xtick text', 'ytick': '.ytick text', 'axis title': '.xtitle, .ytitle',
               'footnote': '.annotation'};
  const items = [];
  for (const [kind, css] of Object.entries(sel)) {
    for (const el of root.querySelectorAll(css)) {
      const r = el.getBoundingClientRect();
      if (r.width > 0.5 && r.height > 0.5 && (el.textContent || '').trim())
        items.push({kind, text: el.textContent.trim().slice(0, 30), r});
    }
  }
  const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const out = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++)
    if (hit(items[i].r, items[j].r)) out.push(`${items[i].kind} "${items[i].text}" / ${items[j].kind} "${items[j].text}"`);
  const plot = root.querySelector('.nsewdrag').getBoundingClientRect();
  for (const it of items) if (['title', 'subtitle', 'legend', 'footnote'].includes(it.kind) && hit(it.r, plot))
    out.push(`${it.kind} "${it.text}" on the plot area`);
  return {n: items.length, kinds: [...new Set(items.map(i => i.kind))], overlaps: out};
}"""


def _open(page, base: str, path: str) -> None:
    page.goto(base + path)
    page.locator("#compare-series .scatterlayer path").first.wait_for(timeout=TIMEOUT)
    page.locator("#compare-table table tbody tr").first.wait_for(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(600)  # assets/narrow.js adapts a chart after plotly's first draw on a phone


def _tab_to(page, css: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_JS, css):
            return
    raise AssertionError(f"{css} not reached with {limit} Tab presses")


def _type_in_picker(page, text: str, option: str) -> None:
    """Type into the open picker until ``option`` is listed (a loaded machine can drop the first keystrokes while
    the list opens: clear what was typed and type again, the focus staying where it is)."""
    found = page.get_by_role("option", name=option, exact=True)
    for attempt in range(3):
        page.keyboard.type(text, delay=70)
        try:
            found.wait_for(timeout=TIMEOUT // 6)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            for _ in range(len(text) + 2):
                page.keyboard.press("Backspace")


def _no_overlap(page) -> dict:
    got = page.evaluate(OVERLAP_JS)
    assert got["overlaps"] == [], got
    return got


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
def test_compare_from_a_link_and_the_keyboard(page, live_server, out_dir, size):
    width, height = VIEWPORTS[size]
    page.set_viewport_size({"width": width, "height": height})
    _open(page, live_server, "/compare?codes=DEU,FRA&year=2015")
    assert page.title() == "Compare — Holocarbon"
    assert page.evaluate(LEGEND_JS) == ["Germany", "France and Monaco"]
    assert page.locator("#compare-year-status").inner_text() == "Modelled: consumption nowcast on the 2011 table"

    # a third country with the keyboard only: Tab to the picker, type, Enter
    page.locator("body").focus()
    _tab_to(page, "#compare-codes")
    _type_in_picker(page, "Japan", "Japan (JPN)")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.startsWith('?codes=DEU,FRA,JPN&year=2015')", timeout=TIMEOUT)
    page.wait_for_function(f"() => ({LEGEND_JS})().includes('Japan')", timeout=TIMEOUT)
    page.keyboard.press("Escape")
    assert page.evaluate(LEGEND_JS) == ["Germany", "France and Monaco", "Japan"]
    rows = page.locator("#compare-table tbody tr")
    assert rows.count() == 3
    assert page.locator("#compare-table a", has_text="Japan").get_attribute("href") == "/country/JPN?year=2015"
    summary = page.locator("#compare-series .hc-chart-summary").text_content()
    assert "3 lines (Germany, France and Monaco, Japan)" in summary, summary

    # the measure with the arrow keys: consumption per person
    _tab_to(page, "#compare-measure")
    page.keyboard.press("ArrowDown")  # opens the list, the focus on the chosen measure
    page.wait_for_function(f"() => ({OPTION_JS})() === 'Consumption-based (Mt CO2e)'", timeout=TIMEOUT)
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"() => ({OPTION_JS})() === 'Consumption-based, per person (t CO2e)'", timeout=TIMEOUT)
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('scale=per_capita')", timeout=TIMEOUT)
    page.wait_for_function("() => document.querySelector('#compare-series .ytitle').textContent === "
                           "'t CO2e per person per year'", timeout=TIMEOUT)
    page.wait_for_timeout(600)

    # nothing wider than the screen (the table scrolls inside its box), no text on top of another
    wide = page.evaluate(WIDE_JS)
    assert wide["scroll"] <= wide["W"] and wide["wide"] == [], wide
    got = _no_overlap(page)
    assert {"legend", "xtick", "ytick"} <= set(got["kinds"]), got
    legend = page.locator("#compare-series .legend").bounding_box()
    plot = page.locator("#compare-series .nsewdrag").bounding_box()
    if size == "phone":  # title and footnote as wrapping text beside the chart, the legend under the plot
        head = page.locator(".compare-card .hc-narrow-title").first
        assert head.inner_text().startswith("Consumption-based emissions per person"), head.inner_text()
        box = head.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= width
        assert legend["y"] >= plot["y"] + plot["height"] - 1, (legend, plot)
        table = page.locator(".compare-table-scroll").bounding_box()
        assert table["x"] + table["width"] <= width + 1  # the table's box fits; its rows scroll inside it
    else:
        assert set(got["kinds"]) >= {"title", "subtitle", "footnote"}, got
        assert legend["y"] + legend["height"] <= plot["y"] + 1, (legend, plot)  # above the plot, under the title
    shots = out_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"compare-{size}.png"), full_page=True)
    assert page.watch.console_errors == [], page.watch.console_errors
    assert page.watch.external == [], page.watch.external


def test_eight_regions_fit_and_unknown_codes_are_named(page, live_server, out_dir):
    """A link with an unknown code and nine known ones: the page names the unknown one, compares the first eight and
    says which were left out; eight legend entries and their footnote still leave every text readable."""
    page.set_viewport_size({"width": 1440, "height": 900})
    _open(page, live_server, "/compare?codes=DEU,QQQ,FRA,CHN,USA,IND,EU27,NGA,Africa,BRA&year=2011")
    notice = page.locator("#compare-url-notice").inner_text()
    assert "“QQQ”" in notice and "the other regions are compared" in notice, notice
    assert "at most 8 regions: BRA was left out" in notice, notice
    assert len(page.evaluate(LEGEND_JS)) == 8
    assert "codes=DEU,FRA,CHN,USA,IND,EU27,NGA,Africa&year=2011" in page.evaluate("() => location.search")
    _no_overlap(page)
    caveats = page.locator("#compare-table .compare-caveat-row").all_inner_texts()
    assert len(caveats) == 3 and caveats[1].startswith("Shared RoW estimate"), caveats  # EU27, Nigeria, Africa
    page.screenshot(path=str(out_dir / "screenshots" / "compare-eight.png"), full_page=True)
    assert page.watch.console_errors == [], page.watch.console_errors
