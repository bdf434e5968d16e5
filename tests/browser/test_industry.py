"""The industry page in Debian chromium at a desktop (1440×900) and a phone (390×844) size: opened from a shared link,
the charts drawn, a scenario control changed (the address and the before/after chart follow), nothing wider than the
screen, no two chart texts on top of each other, no console errors, no off-host request; the header stays one row at
1440 px with Industry in it. Screenshots: test-output/screenshots/industry-*.png."""

from __future__ import annotations

import pytest

from tests.browser.test_phones import WIDE_ELEMENTS_JS
from tests.browser.test_text_boxes import assert_page_sound

pytestmark = pytest.mark.browser

TIMEOUT = 60_000
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
LINK = "/industry?country=IND&year=2019&cn=72071210"
#: Tops of the header's navigation links, and whether the header holds one row.
HEADER_JS = """() => {
  const links = [...document.querySelectorAll('.site-header .nav-link')];
  const tops = links.map(a => Math.round(a.getBoundingClientRect().top));
  const inner = document.querySelector('.header-inner').getBoundingClientRect();
  return {labels: links.map(a => a.textContent.trim()), tops, height: inner.height};
}"""


def _open(page, base: str, path: str) -> None:
    page.goto(base + path)
    page.locator("#industry-breakdown .waterfalllayer path").first.wait_for(timeout=TIMEOUT)
    page.locator("#industry-scenario .bars path").first.wait_for(timeout=TIMEOUT)
    page.locator("#industry-claim table tbody tr").first.wait_for(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(700)


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
def test_industry_page_from_a_link_and_a_scenario(page, live_server, out_dir, size):
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[size])))
    _open(page, live_server, LINK)
    assert page.title() == "Industry and CBAM — Holocarbon"
    assert page.locator(".industry-badge").first.inner_text() == "Model estimate"
    before = page.evaluate("() => Array.from(document.querySelector('#industry-scenario .js-plotly-plot')"
                           "._fullData[1].x)")

    # the scenario: 80 % of India's crude steel from electric arc furnaces
    page.locator("#industry-sc-eaf_share").click()
    page.get_by_role("option", name="80 %", exact=True).click()
    page.wait_for_function("() => location.search.includes('eaf_share=0.8')", timeout=TIMEOUT)
    page.wait_for_function("""(b) => { const gd = document.querySelector('#industry-scenario .js-plotly-plot');
        return gd && gd._fullData && gd._fullData[1] && gd._fullData[1].x[0] < b[0] - 1e-6; }""", arg=before,
                       timeout=TIMEOUT)
    assert "country=IND" in page.url and "cn=72071210" in page.url
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(700)

    assert_page_sound(page, out_dir, "industry", size)


def test_header_keeps_one_row_at_1440_with_industry(page, live_server):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server + "/industry")
    page.locator("#industry-breakdown .waterfalllayer path").first.wait_for(timeout=TIMEOUT)
    got = page.evaluate(HEADER_JS)
    assert "Industry" in got["labels"]
    assert len(set(got["tops"])) == 1, got  # every link on the same line
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    wide = page.evaluate(WIDE_ELEMENTS_JS)
    assert wide["scroll"] <= wide["W"], wide
