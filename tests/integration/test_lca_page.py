"""The ``/footprint`` page on the real pack: a template's layout and result equal the engine's, an edited line changes
the result and the address, a bad line or a bad CSV upload is named with its line (the page keeps working), the
address and the saved study round-trip the state, the chart registry's exports and the report, Data & methods."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qsl

import pytest


@pytest.fixture(scope="module")
def lca(app):
    from components.runtime import lca_for

    with app.server.app_context():
        return lca_for(app.server.config["HOLOCARBON_ACCOUNTS"])


def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)


def _state(lca, **params):
    from components import lca_view as lv

    s, problems = lv.parse_state(lca, params)
    assert problems == []
    return s


def _view(app, s, rows=None, template=None, step=4):
    """The result callback's outputs for a state (rows: the table's rows instead of the state's lines) at a step of
    the wizard (4, the interpretation, by default: every output is built)."""
    from components import lca_view as lv
    from pages import footprint as page

    rows = lv.rows_from_records(s.records) if rows is None else rows
    sc = s.scope
    with app.server.test_request_context("/footprint"):
        out = page.update_view(rows, sc.product, sc.amount, sc.unit, sc.country, sc.year, sc.gwp, sc.boundary,
                               sc.use_kwh, sc.use_country, s.ci, list(s.compare), step, template or s.template)
    keys = ("headline", "note", "validation", "contrib", "where", "what", "tiers", "sensitivity", "paths", "notes",
            "compare", "compare_words", "search")
    return dict(zip(keys, out))


def _total(view) -> float:
    """The total of the headline card, read back from the contribution chart's bars [kg CO2e]."""
    return float(sum(view["contrib"].data[0].x))


def test_the_engine_object_is_built_once_per_process(app, lca):
    from components.runtime import lca_for

    with app.server.app_context():
        assert lca_for(app.server.config["HOLOCARBON_ACCOUNTS"]) is lca


def test_template_load_gives_the_engines_total(app, lca):
    from components import lca_view as lv
    from pages import footprint as page

    with app.server.test_request_context("/footprint"):
        out = page.edit(page.ID.TEMPLATE, "passenger_car", None, None, None, [])
    template, rows, *scope_values = out[:11]
    assert template is dash_no_update() and len(rows) == 12 and scope_values[0] == "Mid-size passenger car (petrol)"
    scope, inv = lca.template("passenger_car")
    want = lca.run(scope, inv, draws=lv.PAGE_DRAWS, ci=90, top_paths=lv.TOP_PATHS)
    view = _view(app, lv.LcaState("passenger_car", scope, tuple(lv.records_from_rows(rows))))
    assert view["validation"] is None and view["search"]["qs"] == "template=passenger_car&year=2020&step=4"
    assert _total(view) == pytest.approx(want.total, rel=1e-9)
    head = _text(view["headline"])
    assert f"{want.total:,.0f}" in head and f"90 % interval {lv.fmt_kg(want.interval[0])}" in head
    assert "CH4" in head and "F-gases" in head


def dash_no_update():
    from dash import no_update

    return no_update


def test_editing_a_line_changes_the_result_and_the_address(app, lca):
    from components import lca_view as lv

    s = _state(lca, template="steel_beam")
    base = _view(app, s)
    rows = lv.rows_from_records(s.records)
    rows[0]["amount"] = rows[0]["amount"] * 2  # twice the steel per beam
    edited = _view(app, s, rows)
    assert _total(edited) > _total(base) * 1.4
    qs = dict(parse_qsl(edited["search"]["qs"]))
    assert qs == {"template": "steel_beam", "year": "2020", "amounts": f"1:{rows[0]['amount']:g}", "step": "4"}
    # the address read back gives the same lines and the same total
    again = _state(lca, **qs)
    assert again.records[0]["amount"] == rows[0]["amount"]
    assert _total(_view(app, again)) == pytest.approx(_total(edited), rel=1e-12)


def test_the_interpretation_is_built_only_on_its_step(app, lca):
    s = _state(lca, template="wheat")
    at3, at4 = _view(app, s, step=3), _view(app, s, step=4)
    assert at3["contrib"] == at4["contrib"] and at3["headline"] is not dash_no_update()
    assert all(at3[k] is dash_no_update() for k in ("where", "what", "tiers", "sensitivity", "paths", "compare"))
    assert "step=3" in at3["search"]["qs"] and "step=4" in at4["search"]["qs"]
    assert at4["paths"] is not dash_no_update() and len(at4["compare"].data[0].x) == 7  # the 6 and France


def test_a_bad_line_is_named_next_to_the_table_and_the_last_result_stays(app, lca):
    from components import lca_view as lv

    s = _state(lca, template="steel_beam")
    rows = lv.rows_from_records(s.records)
    rows[2]["amount"] = -3
    view = _view(app, s, rows)
    assert "line 3: negative amount -3" in _text(view["validation"])
    assert view["contrib"] is dash_no_update() and view["search"] is dash_no_update()
    rows = lv.rows_from_records(s.records)
    rows[1]["origin"] = "XYZ"
    assert "line 2: unknown country 'XYZ'" in _text(_view(app, s, rows)["validation"])


def _upload(text: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


def test_a_bad_csv_upload_names_the_line_and_changes_nothing(app, lca):
    from pages import footprint as page

    bad = "kind,name,amount,unit,sector,price_year\nmoney,glass,5,USD,c11,2020\nmoney,paint,4,USD,c99,2020\n"
    with app.server.test_request_context("/footprint"):
        out = page.edit(page.ID.UPLOAD_CSV, "steel_beam", _upload(bad), None, "bad.csv", [{"kind": "money"}])
    assert all(v is dash_no_update() for v in out[:-1])
    assert "line 2: unknown sector 'c99'" in _text(out[-1])
    good = bad.replace("c99", "c9")
    with app.server.test_request_context("/footprint"):
        out = page.edit(page.ID.UPLOAD_CSV, "steel_beam", _upload(good), None, "good.csv", [])
    assert [r["item"] for r in out[1]] == ["c11", "c9"] and "Read 2 lines from good.csv" in _text(out[-1])


def test_add_line_appends_a_row_the_engine_accepts(app, lca):
    from components import lca_view as lv
    from pages import footprint as page

    s = _state(lca, template="wheat")
    rows = lv.rows_from_records(s.records)
    with app.server.test_request_context("/footprint"):
        out = page.edit(page.ID.ADD, "wheat", None, None, None, rows)
    assert len(out[1]) == len(rows) + 1
    rows = out[1]
    rows[-1]["amount"] = 100
    view = _view(app, s, rows)
    assert view["validation"] is None and "inv=" in view["search"]["qs"]  # a new line: the inventory in the address
    assert _total(view) > _total(_view(app, s))


def test_url_round_trip_of_a_custom_inventory_and_scope(app, lca):
    from components import lca_view as lv

    s = _state(lca, template="scratch", product="Bike frame", unit="frame", country="DEU", year="2011",
               boundary="cradle-to-gate+use-electricity", use_kwh="50", use_country="FRA")
    records = [{"kind": "process", "name": "aluminium tubes", "amount": 0.002, "unit": "t", "good": "aluminium",
                "origin": "CHN"},
               {"kind": "money", "name": "paint", "amount": 12, "unit": "EUR", "sector": "c9", "price_year": 2011},
               {"kind": "transport", "name": "ship", "amount": 40, "unit": "tkm", "mode": "sea_container"}]
    s = lv.LcaState("scratch", s.scope, tuple(lv._lca_engine().from_records(records).to_list()), 66, ("DEU", "POL"))
    qs, complete = lv.page_search(lca, s)
    assert complete and "inv=" in qs and "use_kwh=50" in qs and "ci=66" in qs
    back, problems = lv.parse_state(lca, dict(parse_qsl(qs)))
    assert problems == []
    assert back.scope == s.scope and back.records == s.records and back.ci == 66 and back.compare == ("DEU", "POL")
    r1, r2 = lv.result(lca, s), lv.result(lca, back)
    assert r1.total == pytest.approx(r2.total, rel=1e-12) and r1.lines["line"].iloc[-1] == "use"


def test_saved_study_json_round_trip_through_the_upload(app, lca):
    from components import lca_view as lv
    from pages import footprint as page

    s = _state(lca, template="pv_module", country="VNM", amounts="1:200")
    text = lv.study_json(lca, s)
    assert json.loads(text)["scope"]["country"] == "VNM"
    up = "data:application/json;base64," + base64.b64encode(text.encode()).decode()
    with app.server.test_request_context("/footprint"):
        out = page.edit(page.ID.UPLOAD_STUDY, "pv_module", None, up, None, [])
    assert out[0] == "scratch" and out[5] == "VNM" and out[1][0]["amount"] == 200
    assert lv.records_from_rows(out[1]) == [dict(r) for r in s.records]
    with app.server.test_request_context("/footprint"):
        bad = page.edit(page.ID.UPLOAD_STUDY, "pv_module", None, "data:application/json;base64,"
                        + base64.b64encode(b'{"scope": {}}').decode(), None, [])
    assert "expected an object with 'scope' and 'lines'" in _text(bad[-1])


def test_layout_restores_the_url_and_names_bad_values(app):
    from pages import footprint as page

    with app.server.test_request_context("/footprint"):
        text = _text(page.layout(template="wheat", country="DEU", step="3", amounts="2:99"))
        bad = _text(page.layout(template="bread", ci="50", amounts="40:1"))
    assert '"value": "wheat"' in text and '"value": "DEU"' in text and "lca-step is-active" in text
    assert "unknown template 'bread'" in bad and "ci must be one of 66, 90, 95" in bad
    assert "there is no line 40" in bad and "Model estimate" in bad


def test_interpretation_shows_readable_paths_and_the_comparison(app, lca):
    s = _state(lca, template="passenger_car")
    view = _view(app, s)
    paths = _text(view["paths"])
    assert "←" in paths and "electricity, gas and water (China)" in paths
    lowest = _text(view["compare_words"])
    assert "Lowest:" in lowest
    bars = view["compare"].data[0]
    assert list(bars.x) == sorted(bars.x) and len(bars.x) == 6
    tiers = view["tiers"].data[1].x
    assert tiers[-1] == pytest.approx(_total(view), rel=1e-6)  # the running total ends at the footprint


@pytest.mark.parametrize("chart", ["lca-report", "lca-contrib", "lca-where", "lca-what", "lca-tiers",
                                   "lca-sensitivity", "lca-paths", "lca-compare"])
def test_chart_registry_exports(client, chart):
    r = client.get(f"/export/{chart}.csv?template=steel_beam&year=2019&amounts=1:1.5&country=IND")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    body = r.get_data(as_text=True)
    assert "# query: Steel beam (hot-rolled section), 1 t made in IND, 2019" in body
    bad = client.get(f"/export/{chart}.csv?template=steel_beam&amounts=9:1")
    assert bad.status_code == 400 and "there is no line 9" in bad.get_data(as_text=True)


def test_report_xlsx_and_the_summary_png(app, client, lca):
    import io

    import openpyxl

    from components import lca_view as lv

    s = _state(lca, template="steel_beam")
    with app.server.app_context():
        data = lv.report_xlsx_of(lca.accounts, s)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert {"scope", "by_gas", "inventory", "lines", "paths", "compare", "notes", "about"} <= set(wb.sheetnames)
    r = client.get("/export/lca-report.png?template=steel_beam")
    assert r.status_code == 200 and r.data[:4] == b"\x89PNG"


def test_data_and_methods_has_the_footprint_section(app):
    from pages import data

    with app.server.test_request_context("/data"):
        text = _text(data.layout())
    for fragment in ("Product footprints", "Suh and Huppes 2005", "data/lca_factors.csv", "footprint-templates",
                     "Müller et al. (2021)", "double-count"):
        assert fragment in text, fragment


def test_the_report_goes_into_the_briefing(app, lca):
    """"+ Add the report to the briefing" stores the chart ``lca-report`` with the page's query: the briefing rebuilds
    it (and the other footprint charts) from that query, the scope in the note."""
    from components import briefing, lca_view as lv

    s = _state(lca, template="wheat", country="DEU")
    qs, complete = lv.page_search(lca, s)
    assert complete
    doc = briefing.validate({"title": "Wheat", "intro": "", "items": [
        {"chart": "lca-report", "title": "Product footprint: report", "query": qs, "note": ""},
        {"chart": "lca-compare", "title": "", "query": qs, "note": ""}]})
    with app.server.app_context():
        done = briefing.resolve(app.server.config["HOLOCARBON_ACCOUNTS"], doc)
    report = done[0].output
    total = lv.result(lca, s).total
    assert report.title.startswith(f"Wheat grain: {lv.fmt_kg(total)} kg CO2e per 1 t")
    assert any(n.startswith("Study: product: Wheat grain; functional unit: 1 t; producing country: DEU") for n in
               report.notes)
    assert "DEU" in set(done[1].output.data["country"])


def test_downloads_of_the_inventory_the_study_and_the_report(app, lca):
    import io

    import openpyxl

    from components import lca_view as lv
    from engine.lca import from_csv
    from pages import footprint as page

    s = _state(lca, template="steel_beam", amounts="1:1.3")
    rows = lv.rows_from_records(s.records)
    sc = s.scope
    values = (sc.product, sc.amount, sc.unit, sc.country, sc.year, sc.gwp, sc.boundary, sc.use_kwh, sc.use_country,
              90, list(lv.DEFAULT_COMPARE))
    with app.server.test_request_context("/footprint"):
        csv_file = page._download(page.ID.CSV, "steel_beam", rows, *values)
        study = page._download(page.ID.STUDY, "steel_beam", rows, *values)
        xlsx = page._download(page.ID.XLSX, "steel_beam", rows, *values)
    assert csv_file["filename"] == "holocarbon_inventory_steel-beam--hot-rolled-section.csv"
    assert from_csv(csv_file["content"]).lines[0].amount == 1.3
    assert lca.from_json(study["content"]) == (s.scope, s.inventory())
    wb = openpyxl.load_workbook(io.BytesIO(__import__("base64").b64decode(xlsx["content"])))
    lines = list(wb["lines"].iter_rows(values_only=True))
    assert lines[1][1] == "hot-rolled steel section" and lines[1][6] == pytest.approx(1.3)
