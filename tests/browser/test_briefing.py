"""Briefing builder in a real browser: add two charts on a country page, write a title and a note, reorder,
download the PDF; the empty state; a bad .json file is refused with a message. No console errors, offline."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

STORED = "() => JSON.parse(localStorage.getItem('hc-briefing') || 'null')"


def _shots(out_dir):
    d = out_dir / "screenshots"
    d.mkdir(exist_ok=True)
    return d


def test_briefing_from_country_page_to_pdf(page, live_server, out_dir):
    page.goto(live_server + "/country/CHN?year=2020", wait_until="networkidle")
    page.locator("#country-series .main-svg").first.wait_for(timeout=30_000)
    add = "button.briefing-add[data-chart='{}']"
    page.locator(add.format("country-series")).click()
    page.get_by_text("✓ Added (1 in briefing)").wait_for()
    page.locator(add.format("country-partners")).click()  # the trading partners chart
    page.get_by_text("✓ Added (2 in briefing)").wait_for()
    stored = page.evaluate(STORED)
    assert [i["chart"] for i in stored["items"]] == ["country-series", "country-partners"]
    assert all("code=CHN" in i["query"] and "year=2020" in i["query"] for i in stored["items"])

    page.get_by_role("link", name="Briefing").click()  # client-side navigation, as a person would
    page.wait_for_url("**/briefing*")
    items = page.locator(".briefing-item")
    items.nth(1).wait_for(timeout=15_000)
    assert items.count() == 2
    assert "China: time series" in items.nth(0).inner_text()

    page.fill("#briefing-title", "China briefing for the test")
    page.fill("#briefing-intro", "Two charts about China.")
    items.nth(1).locator("textarea").fill("Partners note: the USA consumes most.")
    items.nth(0).locator("textarea").fill("Series note: production above consumption.")
    page.wait_for_function(f"() => ({STORED})().items[0].note === 'Series note: production above consumption.'")
    stored = page.evaluate(STORED)
    assert stored["title"] == "China briefing for the test" and stored["intro"] == "Two charts about China."
    assert stored["items"][1]["note"] == "Partners note: the USA consumes most."
    # the typed note keeps focus (the list is not re-rendered while typing)
    assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"

    # reorder: the partners chart first, with its note
    items.nth(1).get_by_role("button", name="↑ Up").click()
    page.wait_for_function(f"() => ({STORED})().items[0].chart === 'country-partners'")
    page.wait_for_function("() => document.querySelector('.briefing-item h3').innerText.includes('trading partners')")
    assert items.nth(0).locator("textarea").input_value() == "Partners note: the USA consumes most."
    assert items.nth(0).get_by_role("button", name="↑ Up").is_disabled()

    # previews: PNG from /export, loaded lazily
    page.wait_for_function("() => [...document.querySelectorAll('img.briefing-preview')].every(i => i.src === "
                           "new URL(i.dataset.src, location.href).href && i.complete && i.naturalWidth > 0)",
                           timeout=60_000)
    assert page.evaluate("() => document.querySelector('img.briefing-preview').loading") == "lazy"
    page.screenshot(path=str(_shots(out_dir) / "briefing-list.png"), full_page=True)

    # survives a reload (local storage)
    page.reload(wait_until="networkidle")
    page.locator(".briefing-item").nth(1).wait_for(timeout=15_000)
    assert page.input_value("#briefing-title") == "China briefing for the test"

    with page.expect_download(timeout=90_000) as dl:
        page.click("#briefing-pdf")
    path = out_dir / "briefing-browser.pdf"
    dl.value.save_as(path)
    assert dl.value.suggested_filename.startswith("holocarbon-briefing_china-briefing-for-the-test_")
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) == 4
    texts = [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in reader.pages]
    assert "China briefing for the test" in texts[0] and "Two charts about China." in texts[0]
    assert "Partners note: the USA consumes most." in texts[1]
    assert "Series note: production above consumption." in texts[2]
    assert texts[3].startswith("Sources")
    page.get_by_text("PDF ready: 4 pages").wait_for()
    page.screenshot(path=str(_shots(out_dir) / "briefing-downloaded.png"), full_page=True)

    with page.expect_download(timeout=30_000) as dl:
        page.click("#briefing-save")
    saved = json.loads(dl.value.path().read_bytes())
    assert saved["title"] == "China briefing for the test" and len(saved["items"]) == 2

    assert page.watch.console_errors == []
    assert page.watch.external == []
    assert page.watch.failed == []


def test_briefing_empty_state_and_bad_file(page, live_server, out_dir, tmp_path):
    page.goto(live_server + "/briefing", wait_until="networkidle")
    empty = page.locator("#briefing-empty")
    empty.wait_for(timeout=15_000)
    assert "Add charts with the + Add to briefing button under any chart" in empty.inner_text()
    page.screenshot(path=str(_shots(out_dir) / "briefing-empty.png"), full_page=True)

    page.click("#briefing-pdf")
    page.get_by_text("The briefing has no charts yet").wait_for(timeout=15_000)

    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x", "items": [{"chart": "no-such-chart"}]}')
    page.set_input_files("#briefing-upload input[type=file]", str(bad))
    msg = page.locator(".briefing-message .notice-error", has_text="Cannot open")
    msg.wait_for(timeout=15_000)
    assert "Cannot open “bad.json”" in msg.inner_text() and "unknown chart 'no-such-chart'" in msg.inner_text()
    page.screenshot(path=str(_shots(out_dir) / "briefing-bad-file.png"), full_page=True)
    assert page.evaluate(STORED) in (None, {"title": "", "intro": "", "items": []})

    good = tmp_path / "good.json"
    good.write_text(json.dumps({"title": "Opened from a file", "intro": "",
                                "items": [{"chart": "home-budget", "title": "Budget", "query": "", "note": "n1"}]}))
    page.set_input_files("#briefing-upload input[type=file]", str(good))
    page.locator(".briefing-item").first.wait_for(timeout=15_000)
    assert page.input_value("#briefing-title") == "Opened from a file"
    assert page.locator(".briefing-item textarea").input_value() == "n1"
    page.get_by_role("button", name="Remove").click()
    page.locator("#briefing-empty").wait_for()
    assert page.evaluate(STORED)["items"] == []

    assert page.watch.console_errors == []
    assert page.watch.external == []
