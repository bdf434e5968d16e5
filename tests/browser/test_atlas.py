"""The Atlas in a real browser: the tile map is drawn with emission colours, follows the year and layer controls
(URL and real control interactions), a click on land shows the cell's value with units and its country, a bad
link parameter gives a notice and the default map, and nothing fails or leaves the machine.

Screenshots go to test-output/screenshots/atlas-*.png. Pixel criteria are measured on a screenshot of the MapLibre
canvas (879 × 620 px at the default view, zoom 1.3): with the emissions palette (#fff7bc … #1a0a00 at alpha 225
over the white-bg style) every coloured cell has R − B > 30, the sink side of the diverging net-flux palette has
B − R > 30, and transparent cells (ocean, no data) are white.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.map_ready import MAP_READY_JS, TWO_FRAMES_JS

pytestmark = pytest.mark.browser

MAP_TIMEOUT_MS = 60_000  # the first tiles of a cold layer include building the layer and its pyramid

PROJECT_JS = """([lon, lat]) => {
    const m = document.querySelector('#atlas-map .js-plotly-plot')._fullLayout.map._subplot.map;
    const p = m.project([lon, lat]);
    return [p.x, p.y];
}"""

# thresholds (measured values on the test pack in comments)
MIN_EMISSION_SHARE = 0.15  # share of map pixels in emission colours (measured 0.33–0.36 for 1970–2022)
MIN_WHITE_SHARE = 0.30  # transparent ocean / no-data share (measured ~0.61)
MIN_DARK_SHARE = 0.005  # dark orange/brown (≥ ~100 kt cells) (measured 0.03–0.05)
MIN_YEAR_CHANGE = 0.015  # pixels changed (> 40 in some channel) between 1990 and 2020 (measured ~0.045)
MIN_LAYER_CHANGE = 0.20  # emissions -> net flux (oceans become coloured)
MIN_SINK_SHARE = 0.10  # net flux: blue (net uptake) share
VALUE_WITH_UNITS = re.compile(r"-?\d[\d,]*(\.\d+)?\s(t|kt|Mt)\b")


# ---- helpers ------------------------------------------------------------------------------------------------
@pytest.fixture()
def tiles(page):
    """Every /tiles/ response of the page as (status, url, content-type)."""
    seen: list[tuple[int, str, str]] = []
    page.on("response", lambda r: seen.append((r.status, r.url, r.headers.get("content-type", "")))
            if "/tiles/" in r.url else None)
    return seen


def _shots(out_dir):
    d = out_dir / "screenshots"
    d.mkdir(exist_ok=True)
    return d


def _wait_map(page, tiles, *want: str) -> None:
    """Wait until the map shows tiles whose URL contains every string of ``want``, then two more frames."""
    try:
        page.wait_for_function(MAP_READY_JS, arg=list(want), timeout=MAP_TIMEOUT_MS, polling=100)
    except PlaywrightTimeout as exc:  # say what the map did instead
        pytest.fail(f"map never showed tiles matching {want}: {exc}\n tiles seen: {tiles[-12:]}\n"
                    f" console errors: {page.watch.console_errors}\n failed: {page.watch.failed}")
    page.evaluate(TWO_FRAMES_JS)


def _map_pixels(page) -> np.ndarray:
    """RGB pixels (int) of the MapLibre canvas as the page shows it."""
    png = page.locator("#atlas-map .maplibregl-canvas").screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(np.int32)


def _shares(px: np.ndarray) -> dict[str, float]:
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    emission = ((r - b) > 30) & (r >= g)
    return {
        "emission": float(emission.mean()),
        "dark": float((emission & (px.sum(axis=2) < 400)).mean()),
        "sink": float(((b - r) > 30).mean()),
        "white": float((px.min(axis=2) > 245).mean()),
    }


def _changed(a: np.ndarray, b: np.ndarray) -> float:
    """Share of pixels whose colour differs by more than 40 in some channel."""
    assert a.shape == b.shape, (a.shape, b.shape)
    return float((np.abs(a - b).max(axis=2) > 40).mean())


def _assert_clean(page, tiles) -> None:
    assert page.watch.external == [], f"requests left the machine: {page.watch.external}"
    assert page.watch.console_errors == [], page.watch.console_errors
    assert page.watch.failed == [], page.watch.failed
    bad = [t for t in tiles if t[0] >= 400]
    assert bad == [], f"tile requests failed: {bad[:5]}"
    assert all(t[2].startswith("image/png") for t in tiles if t[0] == 200), {t[2] for t in tiles}


def _assert_emission_map(px: np.ndarray, what: str) -> dict[str, float]:
    s = _shares(px)
    assert s["emission"] >= MIN_EMISSION_SHARE, f"{what}: map looks blank, emission-coloured share {s}"
    assert s["dark"] >= MIN_DARK_SHARE, f"{what}: no high-emission cells drawn {s}"
    assert s["white"] >= MIN_WHITE_SHARE, f"{what}: no transparent (ocean) area, map flooded? {s}"
    return s


def _open(page, live_server, tiles, query: str, *want: str) -> None:
    resp = page.goto(live_server + "/atlas" + query)
    assert resp.status == 200
    _wait_map(page, tiles, *want)


def _click_lonlat(page, lon: float, lat: float) -> None:
    """A real mouse click on the map at a geographic point of the current view."""
    x, y = page.evaluate(PROJECT_JS, [lon, lat])
    box = page.locator("#atlas-map .maplibregl-canvas").bounding_box()
    assert 5 < x < box["width"] - 5 and 5 < y < box["height"] - 5, f"({lon}, {lat}) is outside the view: {x}, {y}"
    page.mouse.click(box["x"] + x, box["y"] + y)


# ---- tests ---------------------------------------------------------------------------------------------------
def test_atlas_draws_emission_tiles(page, live_server, out_dir, tiles):
    _open(page, live_server, tiles, "", "/tiles/emissions/", "year=2022")
    page.screenshot(path=str(_shots(out_dir) / "atlas-emissions.png"))
    _assert_emission_map(_map_pixels(page), "default atlas")
    ok = [t for t in tiles if t[0] == 200]
    assert len(ok) >= 4, tiles  # the world view at zoom ~1.3 needs a 4 × 3 block of zoom-2 tiles
    legend = page.locator("#atlas-legend").inner_text()
    assert "Greenhouse-gas emissions" in legend and "t CO2e per 0.1° cell per year" in legend, legend
    assert "10 Mt" in legend, legend
    assert page.locator("#atlas-note").inner_text().startswith("2022"), page.locator("#atlas-note").inner_text()
    _assert_clean(page, tiles)


def test_year_changes_map_by_link_and_slider(page, live_server, out_dir, tiles):
    _open(page, live_server, tiles, "?year=1990", "/tiles/emissions/", "year=1990")
    px_1990 = _map_pixels(page)
    _assert_emission_map(px_1990, "1990")
    assert page.locator("#atlas-note").inner_text().startswith("1990")
    _open(page, live_server, tiles, "?year=2020", "/tiles/emissions/", "year=2020")
    px_2020 = _map_pixels(page)
    _assert_emission_map(px_2020, "2020")
    changed = _changed(px_1990, px_2020)
    assert changed >= MIN_YEAR_CHANGE, f"the map barely changed between 1990 and 2020: {changed:.4f} of pixels"

    # a real slider interaction: keyboard on the focused handle (Home = first year)
    thumb = page.locator("#atlas-year [role=slider]")
    thumb.focus()
    with page.expect_response(lambda r: "/tiles/emissions/" in r.url and "year=1970" in r.url,
                              timeout=MAP_TIMEOUT_MS):
        page.keyboard.press("Home")
    _wait_map(page, tiles, "/tiles/emissions/", "year=1970")
    page.screenshot(path=str(_shots(out_dir) / "atlas-1970-slider.png"))
    px_1970 = _map_pixels(page)
    _assert_emission_map(px_1970, "1970 via slider")
    changed = _changed(px_1970, px_2020)
    assert changed >= MIN_YEAR_CHANGE, f"slider to 1970 barely changed the map: {changed:.4f} of pixels"
    assert thumb.get_attribute("aria-valuenow") == "1970"
    assert page.locator("#atlas-note").inner_text().startswith("1970")
    assert "year=1970" in page.url, page.url  # the address bar follows the controls (shareable link)
    _assert_clean(page, tiles)


def test_layer_dropdown_switches_to_net_flux(page, live_server, out_dir, tiles):
    _open(page, live_server, tiles, "", "/tiles/emissions/", "year=2022")
    px_em = _map_pixels(page)
    page.locator("#atlas-layer").click()
    option = page.get_by_role("option", name="Net flux")
    option.wait_for()
    with page.expect_response(lambda r: "/tiles/net_flux/" in r.url, timeout=MAP_TIMEOUT_MS):
        option.click()
    _wait_map(page, tiles, "/tiles/net_flux/", "year=2022")
    page.screenshot(path=str(_shots(out_dir) / "atlas-netflux.png"))
    px_nf = _map_pixels(page)
    legend = page.locator("#atlas-legend").inner_text()
    assert "Net flux" in legend and "blue = net uptake" in legend, legend
    assert "Net flux" in page.locator("#atlas-layer").inner_text()
    s = _shares(px_nf)
    assert s["sink"] >= MIN_SINK_SHARE, f"net flux shows no net uptake (blue) area: {s}"
    assert s["emission"] >= 0.05, f"net flux shows no net emission (red) area: {s}"
    changed = _changed(px_em, px_nf)
    assert changed >= MIN_LAYER_CHANGE, f"switching to net flux barely changed the map: {changed:.4f}"
    assert "layer=net_flux" in page.url, page.url
    assert page.locator("#atlas-sector").is_disabled()  # sectors apply to the emissions layer only
    _assert_clean(page, tiles)


def test_click_on_land_shows_value_units_and_country(page, live_server, out_dir, tiles):
    _open(page, live_server, tiles, "", "/tiles/emissions/", "year=2022")
    cell = page.locator("#atlas-cell")
    assert "Click the map" in cell.inner_text()
    _click_lonlat(page, 116.4, 39.9)  # Beijing
    try:
        cell.get_by_text("Country:").wait_for(timeout=20_000)
    except PlaywrightTimeout:
        attached = page.evaluate("() => !!document.querySelector('#atlas-map .js-plotly-plot').__holocarbonClick")
        page.screenshot(path=str(_shots(out_dir) / "atlas-click.png"))
        pytest.fail(f"a click on Beijing showed nothing in the cell panel ({cell.inner_text()!r}); the map's click "
                    f"handler is {'attached' if attached else 'NOT attached'} to the MapLibre map")
    page.screenshot(path=str(_shots(out_dir) / "atlas-click.png"))
    text = cell.inner_text()
    assert "Country: China" in text, text
    m = VALUE_WITH_UNITS.search(text)
    assert m and m.group(2) in ("kt", "Mt"), f"no value with units (kt/Mt) in the cell panel: {text!r}"
    assert "CO2e" in text and "(0.1° cell)" in text, text
    assert cell.locator(".cell-breakdown li").count() >= 2, text  # sector breakdown of that cell

    # a click on the open ocean: zero emissions and no country, not an error
    _click_lonlat(page, -25.0, -25.0)
    page.wait_for_function("() => document.querySelector('#atlas-cell').innerText.includes('no country')",
                           timeout=30_000)
    text = cell.inner_text()
    assert VALUE_WITH_UNITS.search(text), text
    _assert_clean(page, tiles)


@pytest.mark.parametrize("query,message", [
    ("?layer=nope", "layer must be one of"),
    ("?year=1890", "year must be in 1970–2023"),
    ("?sector=Cows", "sector must be 'all' or one of"),
], ids=["layer", "year", "sector"])
def test_bad_link_parameter_warns_and_draws_default_map(page, live_server, out_dir, tiles, query, message):
    _open(page, live_server, tiles, query, "/tiles/emissions/", "year=2022")
    notice = page.locator(".notice-warning").first
    text = notice.inner_text()
    assert "The link had a value Holocarbon cannot use" in text and message in text, text
    assert "showing the default view instead" in text
    if query == "?layer=nope":
        page.screenshot(path=str(_shots(out_dir) / "atlas-bad-param.png"))
    _assert_emission_map(_map_pixels(page), f"bad parameter {query}")
    assert "Emissions" in page.locator("#atlas-layer").inner_text()
    _assert_clean(page, tiles)
