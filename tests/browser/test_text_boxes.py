"""No overlapping text in the charts (issue 13, "Done when"): on every page, at 390×844 and 1440×900, the text of
each drawn chart — tick labels, value labels, legend entries, titles, annotations, colour-bar ticks — is checked by
its element boxes, not by eye: no two visible text boxes of one chart overlap by more than a sliver, and no text
sticks out of its chart. The pages also never scroll sideways at either width.

Boxes are the browser's ``getBoundingClientRect`` of each SVG ``text`` element inside ``.js-plotly-plot``; two boxes
"overlap" when their intersection is more than 25 % of the smaller one and more than 12 px² (glyph boxes carry some
air above and below the letters, so touching lines of one paragraph do not count).
"""

from __future__ import annotations

import pytest
from tests.support.live import live_goto

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
PAGES = ("/", "/atlas", "/ledger?year=2011", "/ledger?year=2022&perspective=panoramic", "/country/DEU?year=2022",
         "/country/ISL?year=2022", "/sector", "/sector/c17?year=2011", "/sector/Transport?year=2020",
         "/trade?year=2011", "/compare?codes=DEU,FRA,CHN,ISL",
         "/industry?country=IND&year=2019&eaf_share=0.6",
         "/green-exports?year=2024&tech=pv,wind&size=avoided", "/footprint?template=passenger_car&step=4", "/briefing", "/data", "/validation", "/api")

TEXT_BOXES_JS = """() => {
  const charts = [];
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const host = gd.getBoundingClientRect();
    if (host.width === 0 || host.height === 0) continue;
    const items = [];
    for (const t of gd.querySelectorAll('svg text')) {
      const s = (t.textContent || '').trim();
      if (!s) continue;
      const cs = getComputedStyle(t);
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) continue;
      let hidden = false;
      for (let p = t.parentElement; p && p !== gd; p = p.parentElement) {
        const ps = getComputedStyle(p);
        if (ps.display === 'none' || ps.visibility === 'hidden' || Number(ps.opacity) === 0) { hidden = true; break; }
      }
      if (hidden) continue;
      const r = t.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      items.push({s, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom});
    }
    const overlaps = [];
    for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0), h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (w <= 0 || h <= 0) continue;
      const small = Math.min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0));
      if (w * h > 12 && w * h > 0.25 * small) overlaps.push(`${a.s} | ${b.s}`);
    }
    const outside = items.filter(a => a.x0 < host.left - 2 || a.x1 > host.right + 2).map(a => a.s);
    charts.push({id: (gd.closest('[id]') || {}).id || '?', n: items.length, overlaps: overlaps.slice(0, 6),
                 outside: outside.slice(0, 6)});
  }
  return {charts, scroll: document.documentElement.scrollWidth, W: document.documentElement.clientWidth};
}"""


def assert_page_sound(page, out_dir, name: str, size: str) -> None:
    """The settled page fits its width (no element wider, no sideways scroll), no chart's text overlaps or leaves its
    box, the console is clean and nothing was asked of another host; a full-page screenshot is kept as ``name``."""
    from tests.browser.test_phones import WIDE_ELEMENTS_JS

    wide = page.evaluate(WIDE_ELEMENTS_JS)
    assert wide["scroll"] <= wide["W"] and wide["wide"] == [], wide
    boxes = page.evaluate(TEXT_BOXES_JS)
    bad = [c for c in boxes["charts"] if c["overlaps"] or c["outside"]]
    assert bad == [], (size, bad)
    shots = out_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=True)
    assert page.watch.console_errors == [], page.watch.console_errors
    assert page.watch.external == [], page.watch.external


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser, live_server):
    context = browser.new_context(viewport=SIZES[request.param], device_scale_factor=1)
    pg = live_goto(context.new_page())
    pg.size_name = request.param
    yield pg
    context.close()


def _settle(pg) -> None:
    """Wait until the charts are drawn and narrow.js has adapted them (the figures arrive after the layout)."""
    pg.wait_for_load_state("networkidle")
    pg.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')].every(
        gd => !gd.getBoundingClientRect().width || (gd.data && gd.data.length) || gd.layout && gd.layout.annotations
        && gd.layout.annotations.length)""", timeout=60_000)
    pg.wait_for_timeout(900)


@pytest.mark.parametrize("path", PAGES)
def test_chart_text_never_overlaps(sized, live_server, path):
    sized.goto(live_server + path, wait_until="networkidle", timeout=90_000)
    _settle(sized)
    got = sized.evaluate(TEXT_BOXES_JS)
    assert got["scroll"] <= got["W"], (sized.size_name, got["scroll"], got["W"])
    bad = [c for c in got["charts"] if c["overlaps"] or c["outside"]]
    assert bad == [], (sized.size_name, path, bad)


def test_the_check_finds_an_overlap(sized, live_server):
    """The check itself can fail: two labels drawn on the same spot are reported."""
    sized.goto(live_server + "/ledger?year=2011", wait_until="networkidle", timeout=90_000)
    _settle(sized)
    sized.evaluate("""() => {
        const gd = document.querySelector('#ledger-headline .js-plotly-plot');
        return window.Plotly.relayout(gd, {annotations: [...(gd.layout.annotations || []),
            {text: 'Overlapping label', x: 0.5, y: 0.5, xref: 'paper', yref: 'paper', showarrow: false},
            {text: 'Overlapping label', x: 0.5, y: 0.5, xref: 'paper', yref: 'paper', showarrow: false}]});
    }""")
    sized.wait_for_timeout(300)
    got = sized.evaluate(TEXT_BOXES_JS)
    headline = [c for c in got["charts"] if c["id"].startswith("ledger-headline")]
    assert headline and any("Overlapping label | Overlapping label" in o for o in headline[0]["overlaps"]), headline
