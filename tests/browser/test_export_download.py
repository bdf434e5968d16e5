"""Export downloads in a real browser: change a control, click an export link under a chart and receive the file
of exactly that view (the link is completed at click time with the address bar's query, see assets/export.js).

Downloads are kept in test-output/downloads/.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from PIL import Image

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
DOWNLOAD_TIMEOUT = 90_000  # the first figure export starts the server's kaleido (chromium) once


def _downloads(out_dir):
    d = out_dir / "downloads"
    d.mkdir(exist_ok=True)
    return d


def _link(page, chart: str, fmt: str):
    return page.locator(f"a.export-link[data-chart='{chart}'][data-fmt='{fmt}']")


def _assert_clean(page) -> None:
    assert page.watch.external == [], f"requests left the machine: {page.watch.external}"
    assert page.watch.console_errors == [], page.watch.console_errors
    # chromium reports a navigation that turns into a download as an aborted request: not a failure
    failed = [f for f in page.watch.failed if not ("/export/" in f and f.endswith("net::ERR_ABORTED"))]
    assert failed == [], failed


def test_country_series_png_is_the_view_on_screen(page, live_server, out_dir):
    page.goto(live_server + "/country/CHN?year=2015", wait_until="networkidle")
    page.locator("#country-series .main-svg").first.wait_for(timeout=TIMEOUT)
    page.locator("#country-cards .kpi").first.wait_for(timeout=TIMEOUT)
    # two real control changes: one year back on the slider, CH4 unticked
    thumb = page.locator("#country-year [role=slider]")
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('year=2014')", timeout=TIMEOUT)
    page.locator("#country-gases label", has_text="CH4").click()
    page.wait_for_function("() => location.search.includes('gases=CO2,N2O,F-gases')", timeout=TIMEOUT)

    link = _link(page, "country-series", "png")
    assert link.count() == 1 and link.inner_text() == "PNG"
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT) as info:
        link.click()
    download = info.value
    assert download.failure() is None
    name = download.suggested_filename
    assert name == "holocarbon_country-series_CHN_2014.png", name
    args = parse_qs(urlparse(download.url).query)
    assert args["year"] == ["2014"] and args["gases"] == ["CO2,N2O,F-gases"] and args["code"] == ["CHN"], args
    target = _downloads(out_dir) / name
    download.save_as(str(target))
    img = Image.open(target)
    img.load()
    assert img.size == (2400, 1440) and img.format == "PNG"
    _assert_clean(page)


def test_ledger_table_csv_is_the_full_ledger_of_the_view(page, live_server, out_dir):
    page.goto(live_server + "/ledger?year=2015")
    page.locator("#ledger-table tr:has(td[data-dash-column=name])").first.wait_for(timeout=TIMEOUT)
    # grouping dropdown: EU27 as one region (a real dropdown interaction)
    page.locator("#ledger-grouping").click()
    page.get_by_role("option", name="EU27 as one region").click()
    page.wait_for_function("() => location.search.includes('grouping=EU27')", timeout=TIMEOUT)
    # the map's per-capita radio adds scale= to the address bar; the table export must still work
    page.get_by_label("Per capita (t CO2e per person)").check()
    page.wait_for_function("() => location.search.includes('scale=per_capita')", timeout=TIMEOUT)

    link = _link(page, "ledger-table", "csv")
    assert link.count() == 1
    assert _link(page, "ledger-table", "png").count() == 0  # a table: data formats only
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT) as info:
        link.click()
    download = info.value
    assert download.failure() is None
    name = download.suggested_filename
    assert name == "holocarbon_ledger-table_2015.csv", name
    target = _downloads(out_dir) / name
    download.save_as(str(target))
    text = target.read_text(encoding="utf-8")
    head = [line for line in text.splitlines() if line.startswith("#")]
    qs = next(line for line in head if line.startswith("# query string: "))
    assert "year=2015" in qs and "grouping=EU27" in qs, qs
    assert any(line.startswith("# query: 2015,") and "EU27" in line for line in head), head
    data = pd.read_csv(io.StringIO(text), comment="#")
    assert "EU27" in set(data["region"]) and "DEU" not in set(data["region"])  # members pooled, as on screen
    assert len(data) > 150  # the full ledger, not the 25 rows of the table's first page
    assert {"production_mt_co2e", "consumption_mt_co2e", "panoramic_mt_co2e"} <= set(data.columns)
    _assert_clean(page)
