"""The app without a mouse (issue 13): in Debian chromium, driven by the keyboard only (Tab, arrows, Enter, Space,
typing), a person changes every kind of control (slider, dropdown, checkboxes, radio buttons) and sees the page
follow; opens a country's page from the ledger's "Go to a country" (the map's click has no keyboard equivalent
otherwise); reads an atlas cell by latitude and longitude. Each control is announced with its label (accessible
names checked through the accessibility tree).

Screenshots: test-output/screenshots/keyboard-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
ACTIVE_JS = "(css) => { const a = document.activeElement; return !!a && a.matches(css); }"
#: The text of the dropdown option that has the focus.
OPTION_JS = "() => { const o = document.activeElement.closest('[role=option]'); return o ? o.innerText.trim() : null; }"


def _shots(out_dir):
    d = out_dir / "screenshots"
    d.mkdir(exist_ok=True)
    return d


def _tab_to(page, css: str, limit: int = 120, back: bool = False) -> int:
    """Press Tab (Shift+Tab with ``back``) until the focused element matches ``css``; the number of presses."""
    for n in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate(ACTIVE_JS, css):
            return n
    raise AssertionError(f"{css} not reached with {limit} Tab presses; focus is on "
                         + page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)"))


def _named(page, role: str, name) -> None:
    """Exactly one element of ``role`` whose accessible name is ``name`` (once assets/a11y.js has named it)."""
    found = page.get_by_role(role, name=name, exact=True) if isinstance(name, str) else page.get_by_role(role, name=name)
    found.first.wait_for(timeout=TIMEOUT)
    assert found.count() == 1, (role, name, found.count())


def _search(page) -> str:
    return page.evaluate("() => window.location.search")


def _wait_search(page, part: str) -> None:
    page.wait_for_function(f"() => window.location.search.includes({part!r})", timeout=TIMEOUT)


def _clean(page) -> None:
    assert page.watch.console_errors == [], page.watch.console_errors
    assert page.watch.external == [], page.watch.external


def _open_ledger(page, live_server, query: str = "") -> None:
    page.goto(live_server + "/ledger" + query)
    page.locator("#ledger-adjustment .bars path").first.wait_for(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")


def test_ledger_opens_a_country_from_the_keyboard(page, live_server, out_dir):
    """Tab to "Go to a country", type a few letters, arrow to the country, Enter; Tab to "Open its page", Enter:
    the country's page opens with the ledger's choices."""
    _open_ledger(page, live_server, "?year=2015&gwp=AR6")
    _named(page, "button", re.compile(r"^Go to a country"))  # the dropdown is announced with its label
    page.locator("body").focus()
    _tab_to(page, "#ledger-goto")  # Dash's focus trampoline hands the focus to the dropdown's button
    germany = page.get_by_role("option", name="Germany (DEU)")
    for attempt in range(3):  # a loaded machine can drop the first keystrokes while the menu opens: type again
        page.keyboard.type("Germ", delay=60)
        try:
            germany.wait_for(timeout=TIMEOUT // 3)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            for _ in range(6):
                page.keyboard.press("Backspace")  # clear what was typed, keep the focus where it is
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#ledger-goto').innerText.includes('Germany (DEU)')",
                           timeout=TIMEOUT)
    assert page.evaluate(ACTIVE_JS, "#ledger-goto")  # the focus comes back to the dropdown
    page.screenshot(path=str(_shots(out_dir) / "keyboard-ledger-goto.png"))
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_JS, "#ledger-goto-open")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/country/DEU\?"), timeout=TIMEOUT)
    page.get_by_role("heading", name="Germany").wait_for(timeout=TIMEOUT)
    assert "year=2015" in _search(page) and "gwp=AR6" in _search(page), _search(page)
    page.wait_for_function("() => document.title === 'Germany — Holocarbon'", timeout=TIMEOUT)
    _clean(page)


def test_ledger_controls_work_from_the_keyboard(page, live_server, out_dir):
    """Slider (arrow keys), dropdown (arrow keys and Enter), checkbox (Space), radio buttons (arrow keys): each is
    reached with Tab, named by its label, and changes the view."""
    _open_ledger(page, live_server, "?year=2022")
    # names a screen reader announces (from each control's visible label)
    _named(page, "slider", "Year")
    _named(page, "button", re.compile(r"^Perspective"))
    _named(page, "group", "Gases")
    _named(page, "radiogroup", "Interval (confidence)")
    _named(page, "radiogroup", "Map values")
    _named(page, "checkbox", "CH4")

    page.locator("body").focus()
    _tab_to(page, "#ledger-year [role=slider]")
    page.keyboard.press("ArrowLeft")
    _wait_search(page, "year=2021")
    page.wait_for_function("() => document.querySelector('#ledger-map .gtitle').textContent.includes('2021')",
                           timeout=TIMEOUT)

    _tab_to(page, "#ledger-perspective")
    page.keyboard.press("ArrowDown")  # opens the list, the focus on the chosen option
    page.wait_for_function(f"() => ({OPTION_JS})() === 'Consumption-based'", timeout=TIMEOUT)
    page.keyboard.press("ArrowDown")  # the next option: net transfer
    page.wait_for_function(f"() => ({OPTION_JS})() === 'Net transfer (consumption − production)'", timeout=TIMEOUT)
    page.keyboard.press("Enter")
    _wait_search(page, "perspective=transfer")
    page.wait_for_function("() => document.querySelector('#ledger-map .gtitle').textContent"
                           ".includes('Net emission transfer')", timeout=TIMEOUT)

    _tab_to(page, "#ledger-gases input[value=CH4]")
    page.keyboard.press("Space")
    _wait_search(page, "gases=CO2,N2O,F-gases")

    _tab_to(page, "#ledger-ci input:checked")
    page.keyboard.press("ArrowRight")  # 90 % → 95 %
    _wait_search(page, "ci=95")
    page.wait_for_function("() => [...document.querySelectorAll('#ledger-table th')]"
                           ".some(th => th.innerText.includes('95 % interval'))", timeout=TIMEOUT)
    page.screenshot(path=str(_shots(out_dir) / "keyboard-ledger-controls.png"), full_page=True)
    _clean(page)


def test_atlas_cell_and_year_from_the_keyboard(page, live_server, out_dir):
    """The atlas without a mouse: a cell's value by typing its latitude and longitude (Enter), the year by the
    slider's arrow keys; the map's text summary follows."""
    page.goto(live_server + "/atlas?year=2019")
    page.locator("#atlas-legend .legend-bar").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => document.querySelector('#atlas-summary').textContent.includes('2019')",
                           timeout=TIMEOUT)
    assert "0.1° grid" in page.evaluate("() => document.querySelector('#atlas-summary').textContent")
    _named(page, "textbox", re.compile(r"^Latitude"))
    page.locator("body").focus()
    _tab_to(page, "#atlas-lat")
    page.keyboard.type("48.86")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_JS, "#atlas-lon")
    page.keyboard.type("2.35")
    page.keyboard.press("Enter")
    cell = page.locator("#atlas-cell .cell-panel")
    cell.wait_for(timeout=TIMEOUT)
    text = cell.inner_text()
    assert "France" in text and "per 0.1° cell per year" in text and "48.8" in text, text
    assert page.get_attribute("#atlas-cell", "aria-live") == "polite"  # a screen reader hears the answer

    page.locator("#atlas-lat").fill("123")
    page.locator("#atlas-lat").press("Enter")
    page.get_by_text("off the map").wait_for(timeout=TIMEOUT)

    _tab_to(page, "#atlas-year [role=slider]")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#atlas-summary').textContent.includes('2020')",
                           timeout=TIMEOUT)
    assert "year=2020" in _search(page)
    page.screenshot(path=str(_shots(out_dir) / "keyboard-atlas-cell.png"), full_page=True)
    _clean(page)
