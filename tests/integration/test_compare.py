"""Compare several regions (issue 13, item 5): the view helpers on the real data (every value equals the ledger's for
the same region and year, the intervals equal the engine's per-region series), the regions read from a URL (unknown
codes named, too many dropped, names resolved), the URL round trip, the page's callbacks called directly, the figure
and table builders, ``/api/v1/compare`` and the exports of ``compare-series`` and ``compare-table``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest

from components import compare_view as cv
from engine.core.query import Query

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2015
CODES = ("DEU", "FRA", "NGA", "EU27", "Europe")


@pytest.fixture(scope="module")
def acc(app):
    a = app.server.config["HOLOCARBON_ACCOUNTS"]
    assert a is not None, "the processed pack is not available"
    return a


@pytest.fixture(scope="module")
def kf(acc):
    return cv.key_figures(acc, Query(year=YEAR), CODES)


@pytest.fixture(scope="module")
def series(acc):
    return cv.series(acc, Query(year=YEAR), CODES)


# ---- the numbers are the ledger's ------------------------------------------------------------------------------
@pytest.mark.parametrize("code,grouping", [("DEU", "countries"), ("NGA", "countries"), ("EU27", "EU27"),
                                           ("Europe", "continents")])
def test_key_figures_equal_the_ledger_of_the_regions_grouping(acc, kf, code, grouping):
    """A country from the ledger of countries, the EU27 from the ledger where it is one region, a continent from the
    ledger of continents: the same numbers their own pages show."""
    from components import intervals

    q = Query(year=YEAR, grouping=grouping)
    led = intervals.ledger(acc, q).set_index("region").loc[code]
    row = kf.set_index("code").loc[code]
    for col in ("production_mt_co2e", "consumption_mt_co2e", "transfer_mt_co2e", "adjustment_pct",
                "panoramic_mt_co2e", "production_t_per_capita", "consumption_t_per_capita", "population",
                "production_mt_co2e_lo", "consumption_mt_co2e_hi", "adjustment_pct_lo"):
        assert row[col] == pytest.approx(float(led[col]), rel=1e-12), col
    then = acc.ledger(q.replace(year=1990)).set_index("region").loc[code, "production_mt_co2e"]
    assert row["production_change_since_1990_pct"] == pytest.approx(100 * (led["production_mt_co2e"] / then - 1))
    then = acc.ledger(q.replace(year=2005)).set_index("region").loc[code, "consumption_mt_co2e"]
    assert row["consumption_change_since_2005_pct"] == pytest.approx(100 * (led["consumption_mt_co2e"] / then - 1))
    assert row["method"] == "nowcast" and row["name"] == acc.names().get(code, code)


def test_key_figures_keep_the_order_and_mark_the_rest_of_the_world(kf):
    assert list(kf["code"]) == list(CODES)
    row = kf.set_index("code")
    assert row.loc["DEU", "row_members"] == 0 and row.loc["NGA", "row_members"] == 1
    assert row.loc["EU27", "row_members"] == 1 and row.loc["EU27", "n_members"] == 27  # Croatia is not in WIOD 2013
    assert 0 < row.loc["Europe", "row_members"] < row.loc["Europe", "n_members"]
    assert row.loc["NGA", "consumption_account"].startswith("Shared RoW estimate, not its own")
    assert row.loc["EU27", "consumption_account"].startswith("1 of 27 members a shared RoW estimate")
    assert row.loc["DEU", "consumption_account"] == "Own (WIOD region) · nowcast on the 2011 table (modelled)"
    # a country inside RoW has RoW's consumption-to-production ratio: the reason for the caveat
    assert row.loc["NGA", "adjustment_pct"] != pytest.approx(row.loc["DEU", "adjustment_pct"], abs=1)


def test_changes_before_their_base_year_are_missing(acc):
    old = cv.key_figures(acc, Query(year=1992), ("DEU", "FRA"), intervals=False).set_index("code")
    assert old["production_change_since_1990_pct"].notna().all()
    assert old["production_change_since_2005_pct"].isna().all() and old["consumption_mt_co2e"].isna().all()
    assert (old["method"] == "production-only").all()
    assert old.loc["DEU", "consumption_account"] == "None before 1995 (production only)"


def test_series_equal_the_ledger_every_year(acc, series):
    for year in (1980, 1995, 2011, 2012, 2023):
        for code, grouping in (("DEU", "countries"), ("EU27", "EU27"), ("Europe", "continents")):
            led = acc.ledger(Query(year=year, grouping=grouping)).set_index("region").loc[code]
            row = series[(series["code"] == code) & (series["year"] == year)].iloc[0]
            for col in ("production_mt_co2e", "consumption_mt_co2e", "panoramic_mt_co2e", "population"):
                assert row[col] == pytest.approx(float(led[col]), rel=1e-12, nan_ok=True), (code, year, col)
            assert row["method"] == led["method"]
    assert len(series) == len(CODES) * 54
    assert series.loc[series["year"] < 1995, "consumption_mt_co2e"].isna().all()


@pytest.mark.parametrize("code,grouping", [("NGA", "countries"), ("EU27", "EU27")])
def test_series_intervals_equal_the_engines_region_series(acc, series, code, grouping):
    """The comparison draws every region's member lines together; each region's interval must still be exactly
    the one :meth:`Uncertainty.series` gives for that region alone."""
    from components.runtime import uncertainty_for

    ref = uncertainty_for(acc).series(Query(year=YEAR, grouping=grouping), code)
    mine = series[series["code"] == code].reset_index(drop=True)
    for col in ("production_mt_co2e_lo", "production_mt_co2e_hi", "consumption_mt_co2e_lo",
                "transfer_mt_co2e_hi", "panoramic_mt_co2e_lo"):
        np.testing.assert_allclose(mine[col].to_numpy(float), ref[col].to_numpy(float), rtol=1e-9, equal_nan=True,
                                   err_msg=col)
    assert (mine["consumption_mt_co2e_lo"] < mine["consumption_mt_co2e"]).iloc[30:].all()


def test_series_are_cached_per_region(acc, series):
    q = Query(year=2001)  # another year, same choices: the cached series
    again = cv.series(acc, q, ("Europe", "DEU"))
    pd.testing.assert_frame_equal(again.reset_index(drop=True),
                                  pd.concat([series[series["code"] == "Europe"], series[series["code"] == "DEU"]])
                                  .reset_index(drop=True), check_dtype=False)


def test_measure_frame_per_person_is_the_ledgers(acc, series):
    m = cv.measure_frame(series, "consumption", "per_capita")
    led = acc.ledger(Query(year=2008)).set_index("region")
    got = m[(m["code"] == "FRA") & (m["year"] == 2008)].iloc[0]
    assert got["value"] == pytest.approx(led.loc["FRA", "consumption_t_per_capita"], rel=1e-12)
    assert got["value_lo"] < got["value"] < got["value_hi"]
    with pytest.raises(ValueError, match="account must be one of production, consumption, transfer, panoramic"):
        cv.measure_frame(series, "sinks")
    with pytest.raises(ValueError, match="scale must be one of absolute, per_capita"):
        cv.measure_frame(series, "production", "log")


# ---- the regions of a URL ----------------------------------------------------------------------------------------
def test_unknown_codes_are_named_and_the_rest_compared(acc):
    sel = cv.parse_codes(acc, "DEU,XXQ,fra,Atlantis")
    assert sel.codes == ("DEU", "FRA") and sel.unknown == ("XXQ", "Atlantis") and sel.dropped == ()
    msg = cv.selection_message(sel)
    assert "“XXQ”" in msg and "“Atlantis”" in msg and "the other regions are compared" in msg


def test_more_than_eight_regions_are_cut_with_a_message(acc):
    sel = cv.parse_codes(acc, "CHN,USA,IND,RUS,JPN,DEU,IRN,KOR,SAU,IDN")
    assert len(sel.codes) == cv.MAX_REGIONS and sel.dropped == ("SAU", "IDN")
    assert cv.selection_message(sel) == "A comparison holds at most 8 regions: SAU, IDN were left out."


def test_codes_resolve_names_case_and_duplicates(acc):
    sel = cv.parse_codes(acc, "germany, deu ,eu27,north america,United States")
    assert sel.codes == ("DEU", "EU27", "North America", "USA") and not sel.unknown
    assert cv.parse_codes(acc, "").codes == cv.DEFAULT_CODES and cv.parse_codes(acc, None).codes == cv.DEFAULT_CODES
    assert cv.parse_codes(acc, "BUNKERS,OTHER").unknown == ("BUNKERS", "OTHER")  # ledger lines, not regions


def test_api_codes_are_checked(acc):
    assert cv.check_codes(acc, "deu,France") == ("DEU", "FRA")
    with pytest.raises(ValueError, match=r"unknown region 'CHX' \(did you mean CHN"):
        cv.check_codes(acc, "DEU,CHX")
    with pytest.raises(ValueError, match="codes must name 2 to 8 different regions; got 1"):
        cv.check_codes(acc, "DEU,deu")
    with pytest.raises(ValueError, match="got 9"):
        cv.check_codes(acc, "CHN,USA,IND,RUS,JPN,DEU,IRN,KOR,SAU")


def test_url_round_trip(app, acc):
    """The page's address holds the regions, the choices and the measure; opening it gives the same view."""
    from components.controls import query_from_url
    from pages import compare as page

    q = Query(year=2009, gwp="AR6", gases=("CO2", "CH4"), luc_model="BLUE", ci=66, perspective="panoramic")
    qs = cv.page_search(q, ("DEU", "North America", "EU27"), "per_capita")
    assert qs.startswith("codes=DEU,North%20America,EU27&")
    params = {k: v[-1] for k, v in parse_qs(qs).items()}
    back, problem = query_from_url(params)
    assert problem is None and back == q
    assert cv.parse_codes(acc, params["codes"]).codes == ("DEU", "North America", "EU27")
    assert cv.parse_scale(params["scale"]) == ("per_capita", None)
    with app.server.test_request_context("/compare?" + qs):
        tree = json.dumps(page.layout(**params).to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert '"value": ["DEU", "North America", "EU27"]' in tree
    assert f'"value": "{page.measure_value("panoramic", "per_capita")}"' in tree
    assert cv.parse_scale("log")[0] == "absolute" and "absolute, per_capita" in cv.parse_scale("log")[1]


def test_page_from_a_url_with_unknown_codes_says_so(app):
    from pages import compare as page

    with app.server.test_request_context("/compare"):
        tree = json.dumps(page.layout(codes="DEU,QQQ,FRA").to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert "Holocarbon has no country, group or continent “QQQ”; the other regions are compared." in tree
    assert '"value": ["DEU", "FRA"]' in tree


# ---- the page's callbacks, called directly ------------------------------------------------------------------------
def _values(year=YEAR, ci=90):
    """The shared controls' values in components.controls.FIELDS order."""
    return [year, "AR5", ["CO2", "CH4", "N2O", "F-gases"], "mean", "countries", "", "consumption", ci]


def test_update_view_builds_the_table_and_the_state(app):
    import dash

    from pages import compare as page

    with app.server.test_request_context("/compare"):
        table, title, note, options, state = page.update_view(*_values(), ["DEU", "NGA", "Africa"], None)
    assert title == f"Key figures, {YEAR}" and note is None
    assert state == {"qs": f"year={YEAR}", "codes": ["DEU", "NGA", "Africa"]}
    text = json.dumps(table.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert f'"href": "/country/DEU?year={YEAR}"' in text and f'"href": "/country/NGA?year={YEAR}"' in text
    assert f'"href": "/ledger?grouping=continents&year={YEAR}"' in text  # a continent has no country page
    assert "Shared RoW estimate, not its own" in text and "Production (Mt CO2e)" in text
    assert options is dash.no_update  # not full before, not full now: the picker keeps its options


def test_update_view_limits_and_explains(app):
    from pages import compare as page

    nine = ["CHN", "USA", "IND", "RUS", "JPN", "DEU", "IRN", "KOR", "SAU"]
    with app.server.test_request_context("/compare"):
        _, _, note, options, state = page.update_view(*_values(), nine, {"qs": "", "codes": nine[:7]})
        assert state["codes"] == nine[:8]
        assert "at most 8 regions" in json.dumps(note.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
        disabled = {o["value"] for o in options if o.get("disabled")}
        assert "FRA" in disabled and "CHN" not in disabled  # the chosen stay removable, the others wait
        _, _, note, options, state = page.update_view(*_values(), ["DEU"], {"qs": "", "codes": nine[:8]})
        assert state["codes"] == ["DEU"] and not any(o.get("disabled") for o in options)  # room again
        assert "Add at least one more region" in json.dumps(note.to_plotly_json(),
                                                            default=lambda o: o.to_plotly_json(), ensure_ascii=False)


def test_series_and_url_follow_the_measure(app):
    import dash

    from pages import compare as page

    state = {"qs": f"year={YEAR}&gwp=AR6", "codes": ["DEU", "FRA"]}
    with app.server.test_request_context("/compare"):
        lines, request = page.update_series(state, "production-per-person")  # not cached: the lines first
        fig = page.update_bands(request, state, "production-per-person")  # then the bands
        again, none = page.update_series(state, "production-per-person")  # cached now: at once with the bands
        stale = page.update_bands(request, {**state, "codes": ["DEU"]}, "production-per-person")
        url, carried = page.sync_url(state, "production-per-person")
    assert request == {"state": state, "measure": "production-per-person"} and none is None
    assert not [t for t in lines.data if t.fill] and "are being computed" in lines.layout.annotations[0].text
    assert len([t for t in fig.data if t.fill == "toself"]) == 2 and len([t for t in again.data if t.fill]) == 2
    assert stale is dash.no_update  # the view moved on while the bands were computed
    assert lines.layout.height == fig.layout.height  # the bands do not move the page
    assert fig.layout.title.text == "Production (territorial) emissions per person, 1970–2023"
    assert fig.layout.yaxis.title.text == "t CO2e per person per year"
    assert url == {"path": "/compare", "qs": f"codes=DEU,FRA&year={YEAR}&gwp=AR6&perspective=production&"
                                             "scale=per_capita"}
    assert carried == f"year={YEAR}&gwp=AR6&perspective=production"  # the next page gets the choices, not the regions


# ---- builders ---------------------------------------------------------------------------------------------------
def test_series_figure_draws_the_nowcast_dashed_and_says_so(series):
    fig = cv.build_series_figure(cv.measure_frame(series, "consumption"), "consumption", "absolute", 90, YEAR,
                                 ["NGA", "EU27", "Europe"])
    legend = [t.name for t in fig.data if t.showlegend is not False and t.mode == "lines"]
    assert legend == ["Germany", "France and Monaco", "Nigeria †", "European Union (27) †", "Europe †"]
    dashed = [t for t in fig.data if t.line.dash == "dash"]
    assert len(dashed) == 5 and all(min(t.x) == 2011 and max(t.x) == 2023 for t in dashed)
    solid = [t for t in fig.data if t.mode == "lines" and t.showlegend is not False]
    assert all(min(t.x) == 1995 and max(t.x) == 2011 for t in solid)
    assert len([t for t in fig.data if t.fill == "toself"]) == 5  # one interval band per region
    hover = [t for t in fig.data if t.hovertemplate]
    assert len(hover) == 5 and "(90 %: %{customdata[0]:,.0f} to %{customdata[1]:,.0f})" in hover[0].hovertemplate
    assert hover[0].customdata[-1][2] == " · nowcast (modelled)" and hover[0].customdata[0][2] == ""
    assert "dashed: nowcast 2012–2023 (modelled)" in fig.layout.title.subtitle.text
    foot = fig.layout.annotations[0].text
    assert "2012–2023 nowcast on the 2011" in foot and "† Consumption is a production share" in foot
    assert fig.layout.shapes[0].x0 == YEAR
    summary = fig.layout.meta["summary"]
    assert summary.startswith("Line chart: Consumption-based emissions, 1995–2023.")
    assert "Latest: Nigeria 2023:" in summary and "nowcast (modelled) (90 %:" in summary


def test_production_has_no_modelled_segment(series):
    fig = cv.build_series_figure(cv.measure_frame(series, "production"), "production", "absolute", None, None, ["NGA"])
    assert not [t for t in fig.data if t.line.dash == "dash"] and not [t for t in fig.data if t.fill]
    assert [t.name for t in fig.data if t.mode == "lines"][2] == "Nigeria"  # no † on the production account
    assert fig.layout.title.text == "Production (territorial) emissions, 1970–2023"
    assert "nowcast" not in fig.layout.title.subtitle.text and "(90 %" not in fig.data[-1].hovertemplate


def test_table_cells_use_the_projects_number_format(kf):
    cells = dict(zip(kf["code"], cv.table_cells(kf)))
    de = kf.set_index("code").loc["DEU"]
    assert cells["DEU"]["production_mt_co2e"][0] == f"{de['production_mt_co2e']:,.0f}"  # hundreds: no decimals
    assert cells["DEU"]["production_t_per_capita"][0] == f"{de['production_t_per_capita']:,.1f}"
    assert cells["DEU"]["adjustment_pct"][0] == f"{de['adjustment_pct']:+.1f}"
    assert cells["DEU"]["production_change_since_1990_pct"][0].startswith("−")  # a real minus sign
    assert " to " in cells["DEU"]["consumption_mt_co2e"][1]
    fig = cv.build_table_figure(kf)
    assert fig.data[0].type == "table" and list(fig.data[0].cells.values[0])[2] == "Nigeria †"
    assert fig.layout.meta["summary"].startswith(f"Table: key figures, {YEAR}, 5 regions. Germany: production")


def test_view_helpers_import_no_dash():
    """/api/v1/compare calls the data functions: importing them pulls in no Dash."""
    code = ("import sys, json; import components.compare_view; "
            "print(json.dumps(sorted(m for m in sys.modules if m == 'dash' or m.startswith('dash.'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_page_is_in_the_navigation_after_the_ledger(app):
    import dash

    pages = {p["relative_path"]: p for p in dash.page_registry.values()}
    compare = pages["/compare"]
    assert compare["name"] == "Compare" and compare["title"] == "Compare — Holocarbon"
    assert pages["/ledger"]["order"] < compare["order"] < pages["/sector"]["order"]


# ---- /api/v1/compare ------------------------------------------------------------------------------------------
def test_api_answers_the_key_figures_and_series(client, kf):
    r = client.get(f"/api/v1/compare?codes={','.join(CODES)}&year={YEAR}&ci=90")
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = json.loads(r.data)
    data = body["data"]
    assert data["codes"] == list(CODES) and data["year"] == YEAR and data["ci"] == 90
    regions = pd.DataFrame(data["regions"]).set_index("code")
    for col in ("production_mt_co2e", "consumption_mt_co2e_lo", "adjustment_pct", "production_change_since_1990_pct"):
        np.testing.assert_allclose(regions[col].to_numpy(float), kf.set_index("code")[col].to_numpy(float),
                                   rtol=1e-12)
    s = pd.DataFrame(data["series"])
    assert len(s) == 54 * len(CODES) and {"consumption_t_per_capita", "panoramic_mt_co2e_hi"} <= set(s.columns)
    de = s[(s["code"] == "DEU") & (s["year"] == 2011)].iloc[0]
    assert de["consumption_t_per_capita"] == pytest.approx(de["consumption_mt_co2e"] * 1e6 / de["population"])
    assert set(s.loc[s["year"] > 2011, "method"]) == {"nowcast"} and s.loc[s["year"] < 1995, "consumption_mt_co2e"]\
        .isna().all()
    assert body["method"]["flags"]["intervals"] is True and body["units"]["*_t_per_capita"] == "t CO2e person-1 yr-1"


def test_api_without_ci_has_no_intervals_and_csv_has_the_key_figures(client):
    data = json.loads(client.get("/api/v1/compare?codes=DEU,FRA&year=2010").data)["data"]
    assert data["ci"] is None and not any(k.endswith("_lo") for k in data["regions"][0])
    assert not any(k.endswith("_hi") for k in data["series"][0])
    r = client.get("/api/v1/compare?codes=DEU,FRA&year=2010&format=csv")
    assert r.mimetype == "text/csv"
    table = pd.read_csv(io.StringIO(r.data.decode()), comment="#")
    assert list(table["code"]) == ["DEU", "FRA"] and "consumption_account" in table.columns


@pytest.mark.parametrize("query,detail", [
    ("codes=DEU,XXQ", "unknown region 'XXQ'"),
    ("codes=DEU", "codes must name 2 to 8 different regions; got 1"),
    ("codes=" + ",".join(["CHN", "USA", "IND", "RUS", "JPN", "DEU", "IRN", "KOR", "SAU"]),
     "codes may list at most 8 items; got 9"),
    ("codes=DEU,FR%3BA", "codes: 'FR;A' is not a valid code"),
    ("codes=DEU,FRA&scale=per_capita", "unknown parameter 'scale' for /compare"),
])
def test_api_bad_codes_are_a_clear_400(client, query, detail):
    r = client.get(f"/api/v1/compare?{query}")
    assert r.status_code == 400 and r.mimetype == "application/json"
    assert detail in json.loads(r.data)["detail"]


def test_api_is_in_the_openapi_document(client):
    doc = json.loads(client.get("/api/v1/openapi.json").data)
    op = doc["paths"]["/api/v1/compare"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert params["codes"]["schema"]["maxItems"] == 8 and params["codes"]["style"] == "form"
    assert {"year", "ci", "format"} <= set(params)


# ---- exports -----------------------------------------------------------------------------------------------------
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "csv": "text/csv",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("chart", ["compare-series", "compare-table"])
def test_every_export_format_answers(client, chart, fmt):
    r = client.get(f"/export/{chart}.{fmt}?codes=DEU,FRA,NGA&year={YEAR}&perspective=production&scale=per_capita")
    assert r.status_code == 200, r.data[:300]
    assert r.mimetype == FORMATS[fmt]
    assert f"holocarbon_{chart}_DEU-FRA-NGA_per_capita_{YEAR}.{fmt}" in r.headers["Content-Disposition"]


def test_exported_data_is_the_view(client, acc):
    text = client.get(f"/export/compare-series.csv?codes=DEU,EU27&year={YEAR}&perspective=production"
                      "&scale=per_capita").get_data(as_text=True)
    data = pd.read_csv(io.StringIO(text), comment="#")
    assert list(data.columns[:5]) == ["region_code", "region_name", "year", "method", "production_t_co2e_per_person"]
    led = acc.ledger(Query(year=2000, grouping="EU27")).set_index("region")
    got = data[(data["region_code"] == "EU27") & (data["year"] == 2000)].iloc[0]
    assert got["production_t_co2e_per_person"] == pytest.approx(led.loc["EU27", "production_t_per_capita"])
    table = pd.read_csv(io.StringIO(client.get(f"/export/compare-table.csv?codes=DEU,EU27&year={YEAR}")
                                    .get_data(as_text=True)), comment="#")
    assert list(table["region_code"]) == ["DEU", "EU27"] and "consumption_account" in table.columns


def test_export_refuses_bad_codes_and_scale(client):
    r = client.get("/export/compare-series.png?codes=DEU,XXQ")
    assert r.status_code == 400 and "unknown region 'XXQ'" in r.json["detail"]
    r = client.get("/export/compare-table.csv?codes=DEU,FRA&scale=log")
    assert r.status_code == 400 and "scale must be one of absolute, per_capita" in r.json["detail"]


def test_briefing_keeps_the_comparison(acc):
    """"Add to briefing" stores the page's query string; the briefing splits it into the Query and the chart's
    parameters and rebuilds the same chart."""
    from components import briefing
    from components.charts import CHARTS

    q, params = briefing.split_query(CHARTS["compare-series"], f"codes=DEU,FRA&year={YEAR}&scale=per_capita")
    assert params == {"codes": "DEU,FRA", "scale": "per_capita"} and q.year == YEAR
    out = CHARTS["compare-series"].build(acc, q, params)
    assert out.title == "Consumption-based emissions per person, 1995–2023"
    assert urlsplit("/compare?" + cv.page_search(q, ("DEU", "FRA"), "per_capita")).query.startswith("codes=DEU,FRA")
