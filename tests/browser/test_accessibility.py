"""Accessibility of every page (WCAG 2.1 AA, issue 13) in Debian chromium, at a desktop and a phone size.

axe-core (shipped by the PyPI package axe-playwright-python, run inside the page; nothing is fetched) finds no
violation of impact "serious" or "critical" on any page once its charts and tables are drawn; each page has its own
browser title, also after navigating inside the app; every chart carries a short text summary of what it shows,
read by screen readers in place of the drawing, and the summary follows the data.

Each axe report (every impact, minor included) is saved under test-output/a11y/ for a person to read.
"""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
BLOCKING = ("serious", "critical")

PAGES = [
    # (path, browser title, what must be drawn before the page is checked)
    ("/", "Holocarbon — open holographic carbon maps", "#home-budget .bars path"),
    ("/atlas", "Atlas — Holocarbon", "#atlas-legend .legend-bar"),
    ("/ledger", "Ledger — Holocarbon", "#ledger-adjustment .bars path"),
    ("/country/CHN", "China — Holocarbon", "#country-series .scatterlayer path"),
    ("/compare", "Compare — Holocarbon", "#compare-table tbody tr"),
    ("/industry", "Industry and CBAM — Holocarbon", "#industry-claim tbody tr"),
    ("/green-exports", "Green exports — Holocarbon", "#green-claim tbody tr"),
    ("/footprint?step=4", "Product footprint — Holocarbon", "#lca-paths li"),
    ("/sector", "Sectors — Holocarbon", ".sector-list-mrio a"),
    ("/sector/c17", "Electricity, Gas and Water Supply — Holocarbon", "#sector-foreign .bars path"),
    ("/trade", "Trade — Holocarbon", "#trade-net .bars path"),
    ("/briefing", "Briefing — Holocarbon", "#briefing-empty"),
    ("/data", "Data & methods — Holocarbon", "#uncertainty-parameters tbody tr"),
    ("/validation", "Validation report — Holocarbon", ".validation-report h2"),
    ("/api", "API — Holocarbon", "#endpoint-ledger"),
    ("/no-such-page", "Page not found — Holocarbon", "h1"),
]

#: Violations inside Dash's own widgets that the project cannot change: rule id -> (text in the node's HTML, why).
EXCLUDED = {
    "aria-hidden-focus": (
        'class="dash-dropdown-focus-target"',
        "Dash 4's dcc.Dropdown keeps an aria-hidden, read-only <input> as a focus trampoline: focusing it moves the "
        "focus at once to the dropdown's named <button> (test_keyboard.py checks that Tab lands on the button), so "
        "no keyboard or screen-reader user ever rests on the hidden input; the component takes no property to "
        "change it.",
    ),
}


def _settled(page) -> None:
    """Two animation frames: assets/a11y.js names the widgets and writes the chart summaries on the next one."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _open(page, base: str, path: str, ready: str) -> None:
    page.goto(base + path)
    page.locator(ready).first.wait_for(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    _settled(page)


def _axe(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def _blocking(violations: list[dict]) -> list[str]:
    out = []
    for v in violations:
        if v["impact"] not in BLOCKING:
            continue
        marker = EXCLUDED.get(v["id"], (None,))[0]
        nodes = [n for n in v["nodes"] if marker is None or marker not in n["html"]]
        out += [f"{v['id']} ({v['impact']}): {n['target']} — {n['failureSummary'][:160]}" for n in nodes]
    return out


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
@pytest.mark.parametrize("path,title,ready", PAGES, ids=[p[0].strip("/") or "home" for p in PAGES])
def test_no_serious_or_critical_violations(page, live_server, out_dir, path, title, ready, size):
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[size])))
    _open(page, live_server, path, ready)
    assert page.title() == title
    assert page.evaluate("document.documentElement.lang") == "en"
    violations = _axe(page)
    reports = out_dir / "a11y"
    reports.mkdir(exist_ok=True)
    name = (path.strip("/").replace("/", "-") or "home") + f"-{size}"
    (reports / f"{name}.json").write_text(json.dumps(
        [{k: v[k] for k in ("id", "impact", "help", "helpUrl")} | {"nodes": [n["target"] for n in v["nodes"]]}
         for v in violations], indent=1))
    assert _blocking(violations) == []
    # a 404 document is reported by chromium as a failed resource; nothing else may fail
    errors = [e for e in page.watch.console_errors if not (path == "/no-such-page" and "404 (NOT FOUND)" in e)]
    assert errors == [], errors
    assert page.watch.external == [], page.watch.external


def test_briefing_with_charts(page, live_server):
    """The briefing with charts in it (previews, notes, move and remove buttons) has no blocking violation either."""
    page.goto(live_server + "/")
    items = [{"chart": "home-budget", "title": "", "query": "", "note": ""},
             {"chart": "ledger-adjustment", "title": "Adjustment", "query": "year=2015", "note": "A note."}]
    page.evaluate("d => localStorage.setItem('hc-briefing', JSON.stringify(d))",
                  {"title": "", "intro": "", "items": items})
    _open(page, live_server, "/briefing", ".briefing-item textarea")
    assert page.locator(".briefing-item").count() == 2
    assert _blocking(_axe(page)) == []
    assert page.watch.console_errors == [], page.watch.console_errors


def test_exclusions_match_only_dash_internals(page, live_server):
    """The one excluded rule fires only on Dash's dropdown trampoline: the same rule on an element of ours (an
    aria-hidden link) is still reported."""
    _open(page, live_server, "/ledger", "#ledger-adjustment .bars path")
    page.evaluate("""() => { const a = document.createElement('a'); a.href = '#'; a.textContent = 'x';
                             a.setAttribute('aria-hidden', 'true'); document.querySelector('h1').appendChild(a); }""")
    found = _blocking(_axe(page))
    assert len(found) == 1 and found[0].startswith("aria-hidden-focus"), found


def test_titles_follow_navigation_inside_the_app(page, live_server):
    """A link followed inside the app (no page load) changes the title too; a country page is named after it."""
    _open(page, live_server, "/", "#home-budget .bars path")
    page.locator("nav.nav").get_by_role("link", name="Ledger").click()
    page.wait_for_function("() => document.title === 'Ledger — Holocarbon'", timeout=TIMEOUT)
    page.locator("nav.nav").get_by_role("link", name="Trade").click()
    page.wait_for_function("() => document.title === 'Trade — Holocarbon'", timeout=TIMEOUT)
    page.goto(live_server + "/country/DEU")
    page.wait_for_function("() => document.title === 'Germany — Holocarbon'", timeout=TIMEOUT)
    assert len({t for _, t, _ in PAGES}) == len(PAGES)  # every page its own title


SUMMARY_JS = """(id) => {
    const p = document.querySelector('#' + id + ' .hc-chart-summary');
    return p ? p.textContent : null;
}"""


def _summary(page, chart_id: str, contains: str = "") -> str:
    page.wait_for_function(f"() => ({SUMMARY_JS})({chart_id!r}) && ({SUMMARY_JS})({chart_id!r}).includes({contains!r})",
                           timeout=TIMEOUT)
    return page.evaluate(SUMMARY_JS, chart_id)


def test_ledger_charts_are_summarised_in_words(page, live_server):
    """Each ledger chart has a hidden paragraph saying what it shows, with the extreme values as the data has them;
    the drawing itself is hidden from screen readers; a new choice rewrites the summary."""
    _open(page, live_server, "/ledger?year=2022", "#ledger-adjustment .bars path")
    adjustment = _summary(page, "ledger-adjustment", "2022")
    assert adjustment.startswith("Bar chart: Consumption vs production, top 20 producers, 2022."), adjustment
    # the highest and lowest bars, read from the drawn figure's own data
    top, bottom = page.evaluate("""() => {
        const d = document.querySelector('#ledger-adjustment .js-plotly-plot')._fullData[0];  // decoded arrays
        const x = Array.from(d.x);
        const i = x.indexOf(Math.max(...x)), j = x.indexOf(Math.min(...x));
        return [d.customdata[i][0], d.customdata[j][0]];
    }""")
    assert re.search(rf"Highest: {re.escape(top)}; adjustment \+[\d.]+ %; 90 % interval", adjustment), adjustment
    assert re.search(rf"Lowest: {re.escape(bottom)}; adjustment −[\d.]+ %", adjustment), adjustment
    assert "Click" not in adjustment and "hover" not in adjustment  # no mouse instructions
    # the map's highest region and its value agree with the ledger table (a different component, same numbers)
    world = _summary(page, "ledger-map", "Highest")
    assert world.startswith("World map: Consumption-based emissions, 2022 — modelled (nowcast on the 2011 table)."), world
    consumption = page.wait_for_function("""() => {
        for (const row of document.querySelectorAll('#ledger-table tr')) {
            const name = row.querySelector('td[data-dash-column=name]');
            if (name && name.innerText.trim() === 'China') {
                return row.querySelector('td[data-dash-column=consumption_mt_co2e]').innerText.trim();
            }
        }
        return null;
    }""", timeout=TIMEOUT).json_value()
    assert f"Highest: China (CHN); Consumption: {consumption} Mt CO2e" in world, (consumption, world)
    headline = _summary(page, "ledger-headline", "China")
    assert headline.startswith("Grouped bar chart: Headline: who consumes more than it produces, 2022."), headline
    assert "CAS claim (8 Apr 2026), GHG" in headline and "−17.7 %" in headline, headline
    hidden = page.evaluate("() => [...document.querySelectorAll('#ledger-adjustment .main-svg')]"
                           ".map(s => s.getAttribute('aria-hidden'))")
    assert hidden and set(hidden) == {"true"}, hidden
    # another year: the summary follows the figure
    page.goto(live_server + "/ledger?year=2005&ci=95")
    later = _summary(page, "ledger-adjustment", "2005")
    assert "95 % interval" in later and later != adjustment, later
    assert page.watch.console_errors == [], page.watch.console_errors


def test_every_chart_on_the_content_pages_has_a_summary(page, live_server):
    """No chart without words: every plotly chart of the home, country, sector and trade pages has a summary that
    names the kind of chart and its title."""
    kinds = ("Bar chart", "Stacked bar chart", "Grouped bar chart", "Line chart", "Stacked area chart", "World map",
             "Heat map", "Flow diagram", "Waterfall chart", "Map")
    for path, ready, n in (("/", "#home-budget .bars path", 2), ("/country/CHN", "#country-uncertainty .bars path", 6),
                           ("/sector/c17", "#sector-foreign .bars path", 4), ("/trade", "#trade-net .bars path", 3)):
        _open(page, live_server, path, ready)
        page.wait_for_load_state("networkidle")
        _settled(page)
        texts = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')]"
                              ".map(g => [g.closest('[id]').id, (g.querySelector('.hc-chart-summary') || {}).textContent])")
        assert len(texts) == n, (path, texts)
        for chart, text in texts:
            assert text and text.split(":")[0] in kinds and len(text) < 1100, (path, chart, text)
    sankey = _summary(page, "trade-sankey", "Largest")
    assert sankey.startswith("Flow diagram: Largest emission flows embodied in trade"), sankey
    assert re.search(r"Largest: .+ → .+: [\d,.]+ Mt CO2e\.", sankey), sankey
