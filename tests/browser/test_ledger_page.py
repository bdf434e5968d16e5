"""The Ledger page in a real browser: the world choropleth, the adjustment bars, the headline comparison and the
sortable table draw from the real pack; real control interactions (perspective and grouping dropdowns, the
per-capita radio, the year slider) update them; before 1995 the page explains why there is no consumption view
and shows production instead; a click on a country opens its page with the same choices; nothing fails or leaves
the machine.

Screenshots: test-output/screenshots/ledger-*.png.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
MAP = "#ledger-map .js-plotly-plot"
MAP_TITLE_JS = "() => { const t = document.querySelector('#ledger-map .gtitle'); return t ? t.textContent : ''; }"
MAP_DATA_JS = "() => document.querySelector('#ledger-map .js-plotly-plot').data[0]"
ROWS = "#ledger-table tr:has(td[data-dash-column=name])"  # data rows (header and filter rows hold th)
N_ROWS_JS = "() => document.querySelectorAll('#ledger-table tr:has(td[data-dash-column=name])').length"


def _shots(out_dir):
    d = out_dir / "screenshots"
    d.mkdir(exist_ok=True)
    return d


def _wait_title(page, text: str) -> None:
    page.wait_for_function(f"() => ({MAP_TITLE_JS})().includes({text!r})", timeout=TIMEOUT, polling=100)


def _choose(page, dropdown_id: str, option: str) -> None:
    """A real dropdown interaction: open it and click the option."""
    page.locator(f"#{dropdown_id}").click()
    opt = page.get_by_role("option", name=option)
    opt.wait_for(timeout=TIMEOUT)
    opt.click()


def _assert_clean(page) -> None:
    assert page.watch.external == [], f"requests left the machine: {page.watch.external}"
    assert page.watch.console_errors == [], page.watch.console_errors
    assert page.watch.failed == [], page.watch.failed


def _open(page, live_server, query: str = "") -> None:
    resp = page.goto(live_server + "/ledger" + query)
    assert resp.status == 200
    page.locator("#ledger-map .choroplethlayer path").nth(100).wait_for(timeout=TIMEOUT)
    page.locator(ROWS).first.wait_for(timeout=TIMEOUT)
    page.locator("#ledger-headline .bars path").first.wait_for(timeout=TIMEOUT)


def test_ledger_draws_and_follows_controls(page, live_server, out_dir):
    _open(page, live_server, "?year=2022")
    _wait_title(page, "Consumption-based emissions, 2022")
    page.screenshot(path=str(_shots(out_dir) / "ledger-default.png"), full_page=True)
    text = page.locator("#ledger-map").inner_text()
    assert "Mt CO2e" in text and "log scale" in text, text  # colour bar with units
    assert page.locator("#ledger-adjustment .bars path").count() == 20
    assert "China" in page.locator("#ledger-adjustment").inner_text()
    head = page.locator("#ledger-headline-notes").inner_text()
    assert "−17.7 %" in head and "CAS 2026" in head and "GCB" in head and "OWID" in head, head
    first_row = page.locator(ROWS).first.inner_text()
    assert "China" in first_row and re.search(r"15,\d{3}\.\d", first_row), first_row  # thousands separators
    headers = page.locator("#ledger-table th").all_inner_texts()
    assert any("Production (Mt CO2e)" in h for h in headers), headers
    assert any("(t CO2e/person)" in h for h in headers) and any("Adjustment (%)" in h for h in headers)
    notes = page.locator("#ledger-footnotes").inner_text()
    assert "structure of 2011" in notes and "EDGAR 2024" in notes and "Pan et al. 2011" in notes, notes

    # perspective dropdown -> transfer map on a diverging scale, address bar follows
    _choose(page, "ledger-perspective", "Net transfer (consumption − production)")
    _wait_title(page, "Net emission transfer")
    trace = page.evaluate(MAP_DATA_JS)
    assert trace["zmid"] == 0 and trace["zmin"] == -trace["zmax"], trace["zmid"]
    assert "perspective=transfer" in page.url, page.url

    # per-capita radio
    page.get_by_label("Per capita (t CO2e per person)").check()
    _wait_title(page, "per person")
    assert "t CO2e" in page.locator("#ledger-map").inner_text()
    assert "scale=per_capita" in page.url, page.url

    # grouping dropdown: every EU member coloured with the EU27 total, said in the hover
    _choose(page, "ledger-grouping", "EU27 as one region")
    page.wait_for_function(f"() => (({MAP_DATA_JS})().hovertext || []).some(t => t.includes('EU27 total'))",
                           timeout=TIMEOUT)
    hover = page.evaluate(f"() => ({MAP_DATA_JS})().hovertext.find(t => t.includes('Germany'))")
    assert "EU27 total:" in hover and "t CO2e per person" in hover, hover
    page.locator(ROWS).first.wait_for()
    page.screenshot(path=str(_shots(out_dir) / "ledger-eu27-transfer-per-capita.png"), full_page=True)
    assert "grouping=EU27" in page.url
    _assert_clean(page)


def test_before_1995_explains_and_shows_production(page, live_server, out_dir):
    _open(page, live_server, "?year=2000&perspective=panoramic")
    _wait_title(page, "Panoramic account")
    thumb = page.locator("#ledger-year [role=slider]")
    thumb.focus()
    page.keyboard.press("Home")  # first year, 1970
    _wait_title(page, "Production (territorial) emissions, 1970")
    notice = page.locator("#ledger-notice").inner_text()
    assert "No input–output table before 1995" in notice, notice
    assert "No input–output table before 1995" in page.locator("#ledger-adjustment").inner_text()
    assert page.locator("#ledger-adjustment .bars path").count() == 0
    assert page.locator("#ledger-map .choroplethlayer path").count() > 100  # a map, not a blank
    assert "year=1970" in page.url
    page.screenshot(path=str(_shots(out_dir) / "ledger-1970-empty-state.png"), full_page=True)
    _assert_clean(page)


def test_table_sorts_and_filters(page, live_server, out_dir):
    _open(page, live_server, "?year=2022")
    name_filter = page.locator("#ledger-table th.dash-filter[data-dash-column=name] input[type=text]")
    name_filter.fill("Japan")
    name_filter.press("Enter")
    page.wait_for_function(f"() => ({N_ROWS_JS})() === 1", timeout=TIMEOUT)
    assert "Japan" in page.locator(ROWS).first.inner_text()
    name_filter.fill("")
    name_filter.press("Enter")
    page.wait_for_function(f"() => ({N_ROWS_JS})() == 25", timeout=TIMEOUT)  # page size
    # sort by adjustment, ascending: the most negative adjustment first
    sort = page.locator("#ledger-table th[data-dash-column=adjustment_pct] .column-header--sort")
    sort.click()
    page.wait_for_function("() => /^[-−]/.test(document.querySelector("
                           "'#ledger-table td[data-dash-column=adjustment_pct]').innerText)", timeout=TIMEOUT)
    cell = page.locator(ROWS).first.locator("td[data-dash-column=adjustment_pct]").inner_text()
    assert cell.startswith(("-", "−")), cell
    page.locator("#ledger-table").screenshot(path=str(_shots(out_dir) / "ledger-table-sorted.png"))
    _assert_clean(page)


def test_click_country_opens_country_page(page, live_server):
    _open(page, live_server, "?year=2010&gwp=AR6")
    box = page.evaluate("""() => {
        const paths = document.querySelectorAll('#ledger-map .choroplethlayer path');
        for (const p of paths) {
            const d = p.__data__;
            if (d && d.loc === 'CHN') { const b = p.getBoundingClientRect(); return [b.x, b.y, b.width, b.height]; }
        }
        return null;
    }""")
    assert box, "China is not drawn on the map"
    x, y, w, h = box
    page.mouse.click(x + 0.62 * w, y + 0.55 * h)  # inside eastern China
    page.wait_for_url(re.compile(r"/country/CHN\?.*year=2010.*gwp=AR6"), timeout=TIMEOUT)
    assert page.watch.external == [], page.watch.external
