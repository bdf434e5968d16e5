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
    # every country drawn (the countries' own accounts and, on consumption views, RoW's countries in grey)
    page.wait_for_function("() => document.querySelectorAll('#ledger-map .choroplethlayer path').length > 150",
                           timeout=TIMEOUT)
    page.locator(ROWS).first.wait_for(timeout=TIMEOUT)
    page.locator("#ledger-headline .bars path").first.wait_for(timeout=TIMEOUT)


def test_ledger_draws_and_follows_controls(page, live_server, out_dir):
    _open(page, live_server, "?year=2022")
    _wait_title(page, "Consumption-based emissions, 2022")
    page.screenshot(path=str(_shots(out_dir) / "ledger-default.png"), full_page=True)
    text = page.locator("#ledger-map").inner_text()
    assert "Mt CO2e" in text and "log scale" in text, text  # colour bar with units
    assert page.locator("#ledger-adjustment .bars .point path").count() == 20  # the bars (error bars apart)
    assert "China" in page.locator("#ledger-adjustment").inner_text()
    head = page.locator("#ledger-headline-notes").inner_text()
    assert "−17.7 %" in head and "CAS claim" in head and "GCB" in head and "OWID" in head, head
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
    assert page.locator("#ledger-adjustment .bars .point path").count() == 0
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


def test_rest_of_world_countries_are_grey_and_still_open_their_page(page, live_server):
    """Issue 13, item 2: on a consumption map a country inside WIOD's rest of the world (Iran) is grey with a legend
    entry saying why; a click still opens its page (which says what is known)."""
    _open(page, live_server, "?year=2010")
    box = page.evaluate("""() => {
        for (const p of document.querySelectorAll('#ledger-map .choroplethlayer path')) {
            const d = p.__data__;
            if (d && d.loc === 'IRN') {
                const b = p.getBoundingClientRect();
                return [b.x, b.y, b.width, b.height, getComputedStyle(p).fill];
            }
        }
        return null;
    }""")
    assert box, "Iran is not drawn on the map"
    x, y, w, h, fill = box
    assert fill.replace(" ", "") == "rgb(185,193,202)", fill  # the shared-from-RoW grey, not a data colour
    assert "rest of the world" in page.locator("#ledger-map .legend").text_content()  # an SVG group
    page.mouse.click(x + 0.5 * w, y + 0.5 * h)
    page.wait_for_url(re.compile(r"/country/IRN\?.*year=2010"), timeout=TIMEOUT)
    page.get_by_text("Not known for it alone").wait_for(timeout=TIMEOUT)


# ---- intervals (issue 12) --------------------------------------------------------------------------------------
#: Error bars of a figure's first trace as plain arrays (plotly.js decodes numpy's binary arrays into _fullData).
ERRORS_JS = """(sel) => { const t = document.querySelector(sel + ' .js-plotly-plot')._fullData[0];
    const e = t.error_x && t.error_x.visible ? t.error_x : t.error_y;
    return {type: e.type, symmetric: e.symmetric, visible: e.visible, array: Array.from(e.array),
            arrayminus: Array.from(e.arrayminus)}; }"""
CHINA_CELL_JS = """(col) => {
    const row = [...document.querySelectorAll('#ledger-table tr')].find(
        r => { const c = r.querySelector('td[data-dash-column=region]'); return c && c.innerText.trim() === 'CHN'; });
    const cell = row && row.querySelector(`td[data-dash-column=${col}]`);
    return cell ? cell.innerText : '';
}"""
INTERVAL = re.compile(r"^[−-]?[\d,]+\.\d to [+−-]?[\d,]+\.\d")


def _china(page, col: str) -> str:
    return page.evaluate(CHINA_CELL_JS, col)


def test_every_number_has_its_interval(page, live_server, out_dir):
    """Table, map hover, adjustment error bars and the headline statements all carry the 90 % interval."""
    _open(page, live_server, "?year=2022")
    # the table: each value followed by its interval, the value column still numeric and sortable
    headers = page.locator("#ledger-table th").all_inner_texts()
    assert any("Production: 90 % interval" in h for h in headers), headers
    assert any("Net transfer: 90 % interval" in h for h in headers), headers
    prod, prod_iv = _china(page, "production_mt_co2e"), _china(page, "production_mt_co2e_interval")
    assert re.fullmatch(r"15,\d{3}\.\d", prod), prod
    assert INTERVAL.match(prod_iv), prod_iv
    lo, hi = (float(x.replace(",", "").replace("−", "-")) for x in prod_iv.split(" to "))
    assert lo < float(prod.replace(",", "")) < hi
    # a net transfer whose interval includes zero says so
    cells = page.locator("#ledger-table td[data-dash-column=transfer_mt_co2e_interval]").all_inner_texts()
    assert any("sign uncertain" in c for c in cells), cells
    for c in cells:
        if "sign uncertain" in c:
            a, b = c.split(" · ")[0].split(" to ")
            assert a.startswith(("−", "-")) and b.startswith("+"), c  # the interval really contains zero
    # the map hover gives the interval
    hover = page.evaluate(f"() => ({MAP_DATA_JS})().hovertext.find(t => t.includes('(USA)'))")
    assert "90 % interval:" in hover and "Mt CO2e" in hover, hover
    # the adjustment bars carry asymmetric error bars (array / arrayminus), one per bar
    ex = page.evaluate(ERRORS_JS, "#ledger-adjustment")
    assert ex["type"] == "data" and ex["symmetric"] is False and len(ex["array"]) == len(ex["arrayminus"]) == 20
    assert all(v >= 0 for v in ex["array"]) and any(v > 0 for v in ex["arrayminus"])
    assert page.locator("#ledger-adjustment .errorbar").count() >= 20  # drawn, not only in the data
    assert "whiskers: 90 %" in page.locator("#ledger-adjustment").inner_text()
    # the headline: Holocarbon's bars have error bars, the published figures are placed against the interval
    ey = page.evaluate(ERRORS_JS, "#ledger-headline")
    assert ey["type"] == "data" and ey["visible"] and len(ey["array"]) == 5
    notes = page.locator("#ledger-headline-notes").inner_text().replace("\xa0", " ")  # numbers keep their unit
    assert "the published CAS claim of −17.7 %" in notes, notes
    assert re.search(r"China: the published CAS claim of −17\.7 % lies (inside|below|above) our 90 % "
                     r"interval, [−+][\d.]+ % to [−+][\d.]+ %", notes), notes
    assert "GCB's CO2 figure of −9.2 %" in notes and "90 % interval (%)" in notes
    page.screenshot(path=str(_shots(out_dir) / "ledger-intervals.png"), full_page=True)
    _assert_clean(page)


def test_interval_level_follows_the_url_and_the_control(page, live_server, out_dir):
    """ci=66 in the link gives the 66 % interval; choosing 95 % widens it, says so and goes into the address."""
    _open(page, live_server, "?year=2022&ci=66")
    page.wait_for_function("() => [...document.querySelectorAll('#ledger-table th')].some("
                           "h => h.innerText.includes('66 % interval'))", timeout=TIMEOUT)
    assert page.locator("#ledger-ci").get_by_label("66 %").is_checked()
    narrow = _china(page, "production_mt_co2e_interval")
    assert INTERVAL.match(narrow), narrow
    assert "66 % interval" in page.locator("#ledger-headline-notes").inner_text()
    adj66 = page.evaluate(ERRORS_JS, "#ledger-adjustment")["array"][0]

    page.locator("#ledger-ci label", has_text="95 %").click()
    page.wait_for_function("() => location.search.includes('ci=95')", timeout=TIMEOUT)
    page.wait_for_function(f"(old) => ({CHINA_CELL_JS})('production_mt_co2e_interval') !== old", arg=narrow,
                           timeout=TIMEOUT)
    wide = _china(page, "production_mt_co2e_interval")
    (lo66, hi66), (lo95, hi95) = ([float(x.replace(",", "").replace("−", "-")) for x in s.split(" to ")]
                                  for s in (narrow, wide))
    assert lo95 < lo66 and hi95 > hi66, (narrow, wide)  # 95 % is wider than 66 %
    page.wait_for_function("() => document.querySelector('#ledger-headline-notes').innerText.includes("
                           "'95 % interval')", timeout=TIMEOUT)
    assert any("95 % interval" in h for h in page.locator("#ledger-table th").all_inner_texts())
    page.wait_for_function(f"(old) => ({ERRORS_JS})('#ledger-adjustment').array[0] > old", arg=adj66,
                           timeout=TIMEOUT)  # China's upper whisker is longer at 95 %
    assert "year=2022" in page.url and "ci=95" in page.url
    # the other pages get the level with the query (the navigation links carry it)
    href = page.locator("a.nav-link", has_text="Ledger").first.get_attribute("href")
    assert "ci=95" in (href or ""), href
    _assert_clean(page)
