"""The Atlas's sink and uncertainty layers in a real browser (issue 16 items 3 and 4): the uncertainty layer is in the
layer menu, draws coloured tiles with a legend in percent and answers a cell lookup in percent; a sea the ocean
climatology does not cover says "No data" in the cell panel, never a zero flux; nothing fails or leaves the machine.
Screenshots go to test-output/screenshots/atlas-uncertainty.png and atlas-ocean-no-data.png."""

from __future__ import annotations

import re

import pytest

from tests.support.map_ready import MAP_READY_JS, TWO_FRAMES_JS

pytestmark = pytest.mark.browser

MAP_TIMEOUT_MS = 60_000


@pytest.fixture()
def shots(out_dir):
    d = out_dir / "screenshots"
    d.mkdir(exist_ok=True)
    return d


def _lookup(page, lat: str, lon: str) -> str:
    page.get_by_label("Latitude (°N)").fill(lat)
    page.get_by_label("Longitude (°E)").fill(lon)
    page.get_by_role("button", name="Show this cell").click()
    page.wait_for_selector(".cell-panel", timeout=MAP_TIMEOUT_MS)
    return page.locator(".cell-panel").inner_text()


def test_uncertainty_layer_legend_and_cell_in_percent(page, live_server, shots):
    page.goto(f"{live_server}/atlas?layer=uncertainty&year=2015&view=48,6,3", wait_until="networkidle")
    page.wait_for_function(MAP_READY_JS, arg=["/tiles/uncertainty/", "year=2015"], timeout=MAP_TIMEOUT_MS)
    page.evaluate(TWO_FRAMES_JS)
    legend = page.locator(".legend").inner_text()
    assert "Relative uncertainty of the emissions map" in legend
    assert "100 %" in legend and "t CO2e" not in legend
    text = _lookup(page, "48.85", "2.35")
    m = re.search(r"± ([\d,]+) %", text)
    assert m and 20 <= int(m.group(1).replace(",", "")) <= 300, text
    assert "France" in text
    page.screenshot(path=str(shots / "atlas-uncertainty.png"))
    assert not page.watch.console_errors and not page.watch.external and not page.watch.failed


def test_ocean_layer_says_no_data_for_an_uncovered_sea(page, live_server, shots):
    page.goto(f"{live_server}/atlas?layer=ocean_sink&year=2015&view=40,10,2.5", wait_until="networkidle")
    page.wait_for_function(MAP_READY_JS, arg=["/tiles/ocean_sink/"], timeout=MAP_TIMEOUT_MS)
    assert "not zero flux" in page.locator(".legend").inner_text()
    text = _lookup(page, "35.5", "18.5")  # the Ionian Sea
    assert text.startswith("No data") and "not zero flux" in text
    text = _lookup(page, "50.05", "-30.05")  # the open North Atlantic
    assert "Takahashi 2000 flux here" in text and "per 0.1° cell per year" in text
    page.screenshot(path=str(shots / "atlas-ocean-no-data.png"))
    assert not page.watch.console_errors and not page.watch.external and not page.watch.failed
