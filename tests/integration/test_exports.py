"""Every registered chart through ``GET /export/<chart>.<fmt>``: PNG/SVG/PDF decode and carry the title, the Query and
the credit; CSV/XLSX carry the data with units in column names and the provenance; the 4xx contract; the registry and
the pages' export menus agree.

One Flask test client for the module (the kaleido server starts once, on the first figure export).
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from components.charts import CHARTS, SOURCES
from components.export import HEIGHT, WIDTH
from engine.core.query import Query

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2015
#: Units a data column may carry in its name (every exported table needs at least one).
UNIT_PATTERN = re.compile(r"(^|_)(mt_co2e?|gt_co2e?|gt_c|pct|kg_per_usd|t_per_capita|t_co2e_per_person|musd"
                          r"|t_co2e_per_t|eur_per_t)$")


def chart_params(name: str) -> dict:
    """Page parameters for a chart: a country for country charts, an MRIO sector for sector charts."""
    spec = CHARTS[name]
    if "code" not in spec.params:
        return {}
    return {"code": "c17" if spec.page.startswith("/sector") else "CHN"}


def url(name: str, fmt: str, **extra) -> str:
    args = {"year": YEAR, **chart_params(name), **extra}
    return f"/export/{name}.{fmt}?" + "&".join(f"{k}={v}" for k, v in args.items())


@pytest.fixture(scope="module")
def app(settings):
    from app import create_app

    old = os.environ.get("HOLOCARBON_WARM")
    os.environ["HOLOCARBON_WARM"] = "0"  # no background warm-up thread competing with the exports
    try:
        yield create_app(settings)
    finally:
        if old is None:
            os.environ.pop("HOLOCARBON_WARM", None)
        else:
            os.environ["HOLOCARBON_WARM"] = old


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def outputs(app):
    """name -> ChartOutput built directly from the registry for the test Query (what the export must contain)."""
    acc = app.server.config["HOLOCARBON_ACCOUNTS"]
    assert acc is not None, "the processed pack is not available"
    q = Query(year=YEAR)
    return {name: spec.build(acc, q, chart_params(name)) for name, spec in CHARTS.items()}


FIGURE_CHARTS = [n for n in sorted(CHARTS) if n != "ledger-table"]


def _words(text: str) -> str:
    """Whitespace-normalised text; NFKC undoes the PDF's typographic ligatures (ﬁ, ﬂ)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _ok(resp, mimetype: str):
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == mimetype
    assert resp.headers["Cache-Control"] == "no-store"
    return resp.data


# ---- the registry ---------------------------------------------------------------------------------------------
def test_registry_covers_the_three_pages():
    expected = {"ledger-map", "ledger-adjustment", "ledger-headline", "ledger-table", "sector-rank", "sector-map",
                "sector-intensity", "sector-foreign", "trade-sankey", "trade-matrix", "trade-net"}
    assert expected <= set(CHARTS)
    for name in expected:
        spec = CHARTS[name]
        assert spec.page == "/" + name.split("-")[0] and spec.title


def test_every_output_has_units_method_and_known_sources(outputs):
    for name, out in outputs.items():
        assert out.title and out.method, name
        assert out.sources and set(out.sources) <= set(SOURCES), name
        assert not out.data.empty, name
        assert any(UNIT_PATTERN.search(c) for c in out.data.columns), (name, list(out.data.columns))
        assert (out.figure is None) == (name == "ledger-table"), name
        assert len("Method: " + out.method) <= 200, (name, "method too long for one footnote line")


def test_every_export_menu_names_a_registered_chart_and_back():
    """Pages and registry agree: menus only for registered charts, and every ledger/sector/trade chart has one."""
    menus = {}
    for page in ("ledger", "sector", "trade", "country", "home"):
        src = (ROOT / "pages" / f"{page}.py").read_text()
        menus[page] = re.findall(r'export_menu\(\s*"([a-z0-9-]+)"', src)
    literal = {n for names in menus.values() for n in names}
    assert literal <= set(CHARTS), literal - set(CHARTS)
    for name, spec in CHARTS.items():
        page = spec.page.strip("/")
        if page in ("ledger", "sector", "trade"):
            assert name in menus[page], f"{name} has no export menu on /{page}"
    assert 'export_menu("ledger-table", "The full ledger", figure=False)' in (ROOT / "pages" / "ledger.py").read_text()


# ---- figure formats for every chart -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", FIGURE_CHARTS)
def test_png_svg_pdf(client, outputs, name):
    title = outputs[name].title
    png = _ok(client.get(url(name, "png")), "image/png")
    img = Image.open(io.BytesIO(png))
    img.load()
    assert img.size == (WIDTH * 2, HEIGHT * 2)
    resp = client.get(url(name, "svg"))
    svg = _ok(resp, "image/svg+xml")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = _words(" ".join(root.itertext()))
    assert _words(title) in text and "Holocarbon" in text and "Source:" in text
    query_text = outputs[name].query_text or str(YEAR)
    assert _words(query_text) in text  # the Query in words (or what a world chart depends on)
    pdf = _ok(client.get(url(name, "pdf")), "application/pdf")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    ptext = _words(reader.pages[0].extract_text())
    assert _words(title) in ptext and "Source" in ptext
    filename = resp.headers["Content-Disposition"]
    assert f'holocarbon_{name}' in filename and f"_{YEAR}.svg" in filename
    if chart_params(name):
        assert f"_{chart_params(name)['code']}_" in filename


# ---- data formats for every chart -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_csv_and_xlsx(client, outputs, name):
    out = outputs[name]
    q = Query(year=YEAR)
    text = _ok(client.get(url(name, "csv")), "text/csv").decode("utf-8")
    head = [line for line in text.splitlines() if line.startswith("#")]
    assert f"# query: {out.query_text or q.describe()}" in head and f"# title: {out.title}" in head
    assert any(line.startswith("# source: ") for line in head) and any(line.startswith("# method: ") for line in head)
    data = pd.read_csv(io.StringIO(text), comment=None, skiprows=len(head))
    assert list(data.columns) == list(out.data.columns)
    assert any(UNIT_PATTERN.search(c) for c in data.columns)
    assert len(data) == len(out.data)

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(_ok(client.get(url(name, "xlsx")),
                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
                       read_only=True)
    assert wb.sheetnames == ["data", "about"]
    rows = list(wb["data"].iter_rows(values_only=True))
    assert list(rows[0]) == list(out.data.columns) and len(rows) == len(out.data) + 1
    about = {r[0]: r[1] for r in wb["about"].iter_rows(min_row=2, values_only=True)}
    assert next(wb["about"].iter_rows(max_row=1, values_only=True)) == ("field", "value")
    assert about["query"] == (out.query_text or q.describe()) and about["title"] == out.title
    assert about["method"] == out.method
    assert about["query string"] == q.to_query_string()
    for key, value in chart_params(name).items():
        assert about[key] == value


def test_ledger_table_is_data_only(client):
    r = client.get(url("ledger-table", "png"))
    assert r.status_code == 400 and "csv or xlsx" in r.json["detail"]


# ---- the exports are the view on screen -------------------------------------------------------------------------
def test_ledger_exports_follow_the_query(app, client):
    acc = app.server.config["HOLOCARBON_ACCOUNTS"]
    q = Query(year=2011, gases=("CO2", "CH4"), grouping="G20", perspective="panoramic")
    qs = q.to_query_string()
    text = client.get(f"/export/ledger-table.csv?{qs}").get_data(as_text=True)
    data = pd.read_csv(io.StringIO(text), comment="#")
    led = acc.ledger(q)
    assert len(data) == len(led) and "G20" in set(data["region"])  # the FULL ledger, grouped as on the page
    assert data.set_index("region")["production_mt_co2e"].to_dict() == pytest.approx(
        led.set_index("region")["production_mt_co2e"].to_dict())
    assert "# query: " + q.describe() in text
    m = pd.read_csv(io.StringIO(client.get(f"/export/ledger-map.csv?{qs}").get_data(as_text=True)), comment="#")
    assert "panoramic_mt_co2e" in m.columns
    assert set(m.loc[m["region"] == "G20", "country_code"]) >= {"CHN", "USA", "IND"}  # members share the group value
    # before 1995 the map falls back to production, and says so
    old = pd.read_csv(io.StringIO(client.get("/export/ledger-map.csv?year=1980").get_data(as_text=True)),
                      comment="#")
    assert "production_mt_co2e" in old.columns and "consumption_mt_co2e" not in old.columns


def test_ledger_map_scale_parameter(app):
    acc = app.server.config["HOLOCARBON_ACCOUNTS"]
    build = CHARTS["ledger-map"].build
    pc = build(acc, Query(year=2015), {"scale": "per_capita"})
    assert "consumption_t_co2e_per_person" in pc.data.columns and "per person" in pc.title
    assert "consumption_mt_co2e" in build(acc, Query(year=2015), {}).data.columns
    with pytest.raises(ValueError, match="absolute, per_capita"):
        build(acc, Query(year=2015), {"scale": "log"})


def test_sector_and_trade_exports_match_the_engine(app, client):
    from engine.accounts import sectors

    acc = app.server.config["HOLOCARBON_ACCOUNTS"]
    q = Query(year=2008, gases=("CO2",))
    ranks = sectors.sector_emissions_by_region(acc, q, "c17")
    d = pd.read_csv(io.StringIO(client.get(f"/export/sector-rank.csv?{q.to_query_string()}&code=C17")
                                .get_data(as_text=True)), comment="#")
    assert list(d["code"]) == list(ranks["code"])
    assert d["emissions_mt_co2e"].to_numpy() == pytest.approx(ranks["emissions_mt_co2e"].to_numpy())
    f = pd.read_csv(io.StringIO(client.get("/export/sector-foreign.csv?year=2008&code=c24").get_data(as_text=True)),
                    comment="#")
    assert f["foreign_share_pct"].between(0, 100).all()
    # EDGAR sectors: rank, map and the (approximate) foreign share as on the page; no intensity
    assert client.get("/export/sector-rank.csv?year=1980&code=power-industry").status_code == 200
    assert client.get("/export/sector-foreign.csv?year=2008&code=power-industry").status_code == 200
    r = client.get("/export/sector-intensity.csv?year=2008&code=power-industry")
    assert r.status_code == 400 and "c1..c35" in r.json["detail"]
    net = pd.read_csv(io.StringIO(client.get("/export/trade-net.csv?year=2008").get_data(as_text=True)), comment="#")
    assert net["net_mt_co2e"].sum() == pytest.approx(0.0, abs=1e-6)
    mat = pd.read_csv(io.StringIO(client.get("/export/trade-matrix.csv?year=2008&grouping=continents")
                                  .get_data(as_text=True)), comment="#")
    assert (mat["producer"] != mat["consumer"]).all() or "Other" in set(mat["producer"])
    sankey = pd.read_csv(io.StringIO(client.get("/export/trade-sankey.csv?year=2008").get_data(as_text=True)),
                         comment="#")
    assert len(sankey) == 25 and sankey["emissions_mt_co2e"].is_monotonic_decreasing


def test_no_io_table_before_1995_is_a_clear_400(client):
    for path in ("/export/trade-sankey.png?year=1990", "/export/sector-rank.csv?year=1990&code=c17"):
        r = client.get(path)
        assert r.status_code == 400 and "before 1995" in r.json["detail"], path


# ---- the error contract -----------------------------------------------------------------------------------------
def test_unknown_chart_and_format_are_404(client):
    r = client.get("/export/no-such-chart.png")
    assert r.status_code == 404 and r.json["error"] == "not found"
    assert set(r.json["allowed"]) == set(CHARTS)
    r = client.get("/export/ledger-map.gif")
    assert r.status_code == 404 and "png" in r.json["allowed"]


def test_bad_year_missing_and_unknown_codes_are_400(client):
    r = client.get("/export/ledger-map.png?year=1960")
    assert r.status_code == 400 and "1970" in r.json["detail"] and "2023" in r.json["detail"]
    assert client.get("/export/trade-net.csv?year=abc").status_code == 400
    r = client.get("/export/country-series.csv")
    assert r.status_code == 400 and "code" in r.json["detail"]
    assert client.get("/export/sector-map.csv?year=2010").status_code == 400
    r = client.get("/export/country-series.csv?code=CHX")
    assert r.status_code == 400 and "did you mean" in r.json["detail"] and "CHN" in r.json["detail"]
    r = client.get("/export/sector-rank.csv?code=c177")
    assert r.status_code == 400 and "did you mean" in r.json["detail"]
    r = client.get("/export/trade-net.csv?colour=red")
    assert r.status_code == 400 and "unknown parameter" in r.json["detail"]


@pytest.mark.parametrize("path", [
    "/export/..%2f..%2fetc%2fpasswd.png",
    "/export/..%2F..%2Fetc%2Fpasswd.csv",
    "/export/../../etc/passwd.png",
    "/export/%2e%2e/%2e%2e/etc/passwd.png",
    "/export/ledger-map.png%00.csv",
    "/export/country-series.csv?code=..%2f..%2fetc%2fpasswd",
    "/export/sector-rank.csv?code=../../etc/passwd",
])
def test_path_traversal_is_never_200(client, path):
    r = client.get(path)
    assert r.status_code != 200
    assert b"root:" not in r.data


# ---- decoration and timing ----------------------------------------------------------------------------------------
def test_decorate_keeps_the_charts_own_annotations(outputs):
    """Only the page footnote is replaced; headers (Sankey) and reference-line labels (foreign share) stay put."""
    from components.export import decorate

    q = Query(year=YEAR)
    for name, label in (("trade-sankey", "Emitted in (producer)"), ("sector-foreign", "world ")):
        before = [a for a in outputs[name].figure.layout.annotations if label in (a.text or "")]
        after = [a for a in decorate(outputs[name], q, chart_params(name)).layout.annotations
                 if label in (a.text or "")]
        assert len(before) == len(after) == 1, name
        assert (after[0].y, after[0].yshift, after[0].yanchor) == (before[0].y, before[0].yshift, before[0].yanchor), \
            name




# ---- the cite line and the modelled-year line in every export (issue 13, items 2 and 7) ------------------------
#: The badge's words (components.messages.year_words), which the export line repeats with the year.
MODELLED = "Modelled: consumption nowcast on the 2011 table"


def _cite_head(client) -> str:
    """``Holocarbon <version> (pack <id>)`` as the running app reports them."""
    from components.cite import app_version

    return f"Holocarbon {app_version()} (pack {client.get('/health').json['pack']})"


def _comment(text: str, key: str) -> list[str]:
    return [line[len(f"# {key}: "):] for line in text.splitlines() if line.startswith(f"# {key}: ")]


@pytest.mark.parametrize("year,modelled", [(2022, True), (2010, False)])
def test_every_format_carries_the_cite_line_and_for_a_nowcast_year_the_modelled_line(app, client, monkeypatch, year,
                                                                                      modelled):
    """CSV, XLSX, SVG, PDF and PNG of a consumption chart: ``Cite this view: Holocarbon <version> (pack <id>),
    <title>, <page URL with the query>, accessed <date>``; 2022 (a nowcast on the 2011 table) also says it is
    modelled, 2010 (WIOD's own table) does not."""
    import datetime as dt

    from openpyxl import load_workbook
    from pypdf import PdfReader

    name, head = "ledger-adjustment", _cite_head(client)
    page_url = f"http://localhost/ledger?year={year}"
    today = dt.date.today().isoformat()
    expect_modelled = f"{MODELLED} ({year}, WIOD 2013)"

    text = _ok(client.get(f"/export/{name}.csv?year={year}"), "text/csv").decode("utf-8")
    cite = _comment(text, "cite")
    assert len(cite) == 1 and cite[0].startswith(head + ", Consumption vs production")
    assert cite[0].endswith(f", {page_url}, accessed {today}")
    assert _comment(text, "modelled") == ([expect_modelled] if modelled else [])

    wb = load_workbook(io.BytesIO(_ok(client.get(f"/export/{name}.xlsx?year={year}"),
                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
                       read_only=True)
    about = {r[0]: r[1] for r in wb["about"].iter_rows(min_row=2, values_only=True)}
    assert about["cite"] == cite[0]
    assert about.get("modelled") == (expect_modelled if modelled else None)

    svg = _words(" ".join(ET.fromstring(_ok(client.get(f"/export/{name}.svg?year={year}"), "image/svg+xml"))
                          .itertext()))
    assert _words("Cite this view: " + cite[0]) in svg
    assert (expect_modelled in svg) == modelled

    pdf = _words(PdfReader(io.BytesIO(_ok(client.get(f"/export/{name}.pdf?year={year}"), "application/pdf")))
                 .pages[0].extract_text())
    assert "Cite this view" in pdf and head.split(" (pack ")[1].rstrip(")") in pdf and page_url in pdf.replace(" ", "")
    assert ("nowcast on the 2011 table" in pdf) == modelled

    renderer = app.server.config["HOLOCARBON_RENDERER"]
    drawn = []
    real = renderer.render

    def spy(fig, fmt, *a, **kw):  # the PNG is drawn from this figure: its footnote is what the picture shows
        drawn.append(" ".join(str(ann.text) for ann in fig.layout.annotations))
        return real(fig, fmt, *a, **kw)

    monkeypatch.setattr(renderer, "render", spy)
    Image.open(io.BytesIO(_ok(client.get(f"/export/{name}.png?year={year}"), "image/png"))).load()
    footer = _words(drawn[-1].replace("<br>", " "))
    assert _words("Cite this view: " + cite[0]) in footer
    assert (expect_modelled in footer) == modelled


def test_cite_url_opens_the_same_view(client):
    """The URL in a country chart's cite line is the country page with the same query (and the page answers)."""
    text = client.get("/export/country-bridge.csv?year=2015&code=CHN&gwp=AR6").get_data(as_text=True)
    url = _comment(text, "cite")[0].split(", ")[-2]
    assert url == "http://localhost/country/CHN?year=2015&gwp=AR6"
    assert client.get(url.removeprefix("http://localhost")).status_code == 200


@pytest.mark.parametrize("path,modelled", [
    ("/export/ledger-map.csv?year=2022&perspective=production", None),  # the production account only
    ("/export/ledger-map.csv?year=2022&perspective=panoramic", f"{MODELLED} (2022, WIOD 2013)"),
    ("/export/ledger-headline.csv?year=2010", f"{MODELLED} (2022, WIOD 2013)"),  # always 2022, whatever the year
    ("/export/trade-net.csv?year=2008", None),  # WIOD's own table of 2008
    ("/export/trade-net.csv?year=2015", f"{MODELLED} (2015, WIOD 2013)"),
    ("/export/home-budget.csv?year=2022", None),  # GCB's global budget: no input–output table in it
    ("/export/country-series.csv?year=2010&code=CHN", f"{MODELLED} (2012–2023, WIOD 2013)"),  # a series: its years
])
def test_modelled_line_only_where_a_nowcast_is_shown(client, path, modelled):
    text = _ok(client.get(path), "text/csv").decode("utf-8")
    assert _comment(text, "modelled") == ([modelled] if modelled else [])
    assert len(_comment(text, "cite")) == 1


def test_briefing_pages_carry_the_cite_and_modelled_lines(client):
    """The briefing PDF: each chart page cites its own view and says when it is modelled; the last page cites the
    briefing. The HTML briefing carries the same lines."""
    import json

    from pypdf import PdfReader

    body = json.dumps({"title": "Cite test", "intro": "", "items": [
        {"chart": "ledger-adjustment", "title": "", "query": "year=2022", "note": ""},
        {"chart": "ledger-adjustment", "title": "", "query": "year=2010", "note": ""}]})
    pdf = _ok(client.post("/briefing/export.pdf", data=body, content_type="application/json"), "application/pdf")
    pages = [_words(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 4  # cover, two charts, sources
    assert "Cite this view" in pages[1] and "Cite this view" in pages[2]
    assert "nowcast on the 2011 table" in pages[1] and "nowcast on the 2011 table" not in pages[2]
    assert "Cite this briefing" in pages[3] and "Cite test" in pages[3]
    html = client.post("/briefing/export.html", data=body, content_type="application/json").get_data(as_text=True)
    assert html.count("Cite this view: Holocarbon") == 2 and "Cite this briefing:" in html
    assert html.count(f"{MODELLED} (2022, WIOD 2013)") == 1
