"""The ``/industry`` page on the real pack: layout from a URL (choices restored, bad values named), the callbacks
called directly (figures, the address, the claim), the figure builders' dicts, and the chart registry's exports."""

from __future__ import annotations

import dataclasses
import json

import pytest


@pytest.fixture(scope="module")
def ind(app):
    from components.runtime import industry_for

    with app.server.app_context():
        return industry_for(app.server.config["HOLOCARBON_ACCOUNTS"])


def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)


def _no_scenario():
    from pages import industry as page

    return [None] * (len(page.SC_FIELDS) - 2) + [2026, None]


def test_the_industry_object_is_built_once_per_process(app, ind):
    from components.runtime import industry_for

    assert app.server.config["HOLOCARBON_INDUSTRY"] is ind
    with app.server.app_context():
        assert industry_for(app.server.config["HOLOCARBON_ACCOUNTS"]) is ind


def test_layout_restores_the_choices_of_the_url(app):
    from pages import industry as page

    with app.server.test_request_context("/industry"):
        out = page.layout(country="IND", year="2019", cn="7601", eaf_share="0.6", kiln_fuel_mix="gas:1")
    text = _text(out)
    assert '"id": "industry-country", "options"' in text or '"industry-country"' in text
    for fragment in ('"value": "IND"', '"value": "7601"', '"value": 2019', '"value": 0.6', '"value": "gas:1"',
                     "Model estimate"):
        assert fragment in text, fragment


def test_layout_names_bad_url_values_and_falls_back(app):
    from pages import industry as page

    with app.server.test_request_context("/industry"):
        text = _text(page.layout(country="XYZ", cn="1234", eaf_share="3"))
    assert "eaf_share must be in 0-1" in text and "is not one of the goods" in text
    assert "XYZ has no CBAM default value row" in text and '"value": "CHN"' in text


def test_update_view_builds_every_chart_and_the_address(app):
    from pages import industry as page

    values = _no_scenario()
    values[page.SC_FIELDS.index("eaf_share")] = 0.6
    with app.server.test_request_context("/industry"):
        scen, cost, national, note, search = page.update_view("IND", "72071210", 2019, 90, *values)
        b, d, product_note = page.update_product("IND", "72071210", 2019, 90)
    assert note is None and product_note is None
    assert search == {"path": "/industry", "qs": "country=IND&year=2019&eaf_share=0.6&cn=72071210"}
    assert b.data[0].type == "waterfall" and list(b.data[0].y)[:2] == ["Process", "Combustion"]
    assert "model estimate" in b.layout.title.text
    assert {t.name for t in b.data} >= {"CBAM default", "Default + mark-up 2026/27/28"}
    assert "India" in list(d.data[0].y) and d.data[0].type == "bar"  # our interval as a bar
    assert [t.name for t in scen.data] == ["Calibrated (before)", "Scenario (after)"]
    before, after = (dict(zip(t.y, t.x)) for t in scen.data)
    assert after["Crude steel"] < before["Crude steel"]  # India's EAF share rises from about 32 % to 60 %
    assert "at 75 EUR/t CO2e" in cost.layout.title.text
    assert "Change (Mt CO2e)" in _text(national)


def test_update_view_with_a_price_and_a_level(app):
    from pages import industry as page

    values = _no_scenario()
    values[-1] = 120
    with app.server.test_request_context("/industry"):
        scen, cost, national, note, search = page.update_view("CHN", "28041000", 2018, 95, *values)
    assert "carbon_price=120" in search["qs"] and "ci=95" in search["qs"]
    assert "at 120 EUR/t CO2e" in cost.layout.title.text


def test_update_product_says_when_a_good_is_not_there(app):
    from pages import industry as page

    with app.server.test_request_context("/industry"):
        b, d, note = page.update_product("XXX", "72071210", 2018, 90)
    assert "unknown country" in _text(note)


def test_update_view_refuses_a_combination_with_a_message(app):
    from dash import no_update

    from pages import industry as page

    values = _no_scenario()
    values[page.SC_FIELDS.index("kiln_fuel_mix")] = "coal:0.2"
    with app.server.test_request_context("/industry"):
        out = page.update_view("CHN", "72071210", 2018, 90, *values)
    assert out[0] is no_update and "sum to 1" in _text(out[3]) and out[4] is no_update


def test_claim_callback_says_it_in_words(app):
    from pages import industry as page

    with app.server.test_request_context("/industry"):
        table, fig, words = page.update_claim(2018, 90)
    text = _text(table) + json.dumps([_text(w) for w in words])
    assert "China" in text and "Iron and steel" in text and "▲" in text
    assert "For China the default lies above our modelled range for" in text
    assert [t.name for t in fig.data] == ["default above our range", "default inside our range",
                                          "default below our range"]


def test_breakdown_components_add_up_to_the_total(ind):
    """Process + combustion + F-gases + precursors (+ indirect where charged) = the central total on the boundary."""
    from components import industry_view as iv

    for good in ("25231000", "72071210", "7601"):
        df = iv.breakdown(ind, "CHN", good)
        comp = df.set_index("component")["value"]
        direct = comp[["process", "combustion", "fgas", "precursor"]].sum()
        row = ind.cbam("CHN", iv.GOOD_BY_VALUE[good][1])
        row = row[row["model"].notna()].iloc[0]
        assert direct + (comp["indirect"] if df.attrs["indirect_charged"] else 0.0) == pytest.approx(
            row["ours_central"], rel=1e-6)
        assert (df["value_lo"] <= df["value"] + 1e-9).all() and (df["value"] <= df["value_hi"] + 1e-9).all()


def test_clinker_breakdown_has_the_calcination_co2(ind):
    """GCCA 'Getting the Numbers Right': process CO2 of calcination about 0.52 t per t clinker."""
    from components import industry_view as iv

    comp = iv.breakdown(ind, "CHN", "25231000").set_index("component")["value"]
    assert comp["process"] == pytest.approx(0.525, abs=0.03) and comp["precursor"] == 0.0


@pytest.mark.parametrize("name", ["industry-breakdown", "industry-defaults", "industry-claim", "industry-scenario",
                                  "industry-cost"])
def test_every_industry_chart_exports_csv(client, name):
    r = client.get(f"/export/{name}.csv?country=IND&year=2019&cn=7601&eaf_share=0.6")
    text = r.get_data(as_text=True)
    assert r.status_code == 200, text[:300]
    assert "Model estimates" in text and "2025/2621" in text


def test_industry_export_bad_input_is_400(client):
    r = client.get("/export/industry-breakdown.csv?country=IND&year=2019&eaf_share=4")
    assert r.status_code == 400 and "eaf_share" in r.get_json()["detail"]
    r = client.get("/export/industry-breakdown.csv?country=IND&year=2019&cn=1111")
    assert r.status_code == 400 and "cn must be one of" in r.get_json()["detail"]


def test_industry_charts_are_in_the_registry_with_the_page(client):
    from components.charts import CHARTS

    names = [n for n, s in CHARTS.items() if s.page == "/industry"]
    assert len(names) == 5
    html_text = client.get("/industry").get_data(as_text=True)
    assert "Industry" in html_text


def test_a_missing_source_is_named_on_the_page_and_the_api_answers_503(settings):
    """With the CBAM table unavailable the page says which data is missing (no error page) and the API answers 503."""
    from unittest import mock

    from app import create_app
    from engine.core.errors import PackError
    from pages import industry as page

    fresh = create_app(dataclasses.replace(settings, cache_dir=None))
    pack_type = type(fresh.server.config["HOLOCARBON_ACCOUNTS"].pack)
    table = pack_type.table

    def broken(self, name, *args, **kwargs):
        if name == "cbam_default_values":
            raise PackError("cbam_default_values is not available (test)")
        return table(self, name, *args, **kwargs)

    with mock.patch.object(pack_type, "table", broken):
        with fresh.server.test_request_context("/industry"):
            text = _text(page.layout())
        r = fresh.server.test_client().get("/api/v1/cbam?country=CHN")
    assert "cbam_default_values is not available" in text and "notice-error" in text
    assert r.status_code == 503 and "cbam_default_values" in r.get_json()["detail"]


def test_a_briefing_item_from_the_industry_page_rebuilds_the_view(ind):
    """The briefing keeps a chart by name and the page's query string: the scenario and the good come back."""
    from components import briefing as B
    from components.charts import CHARTS

    qs = "country=IND&year=2019&eaf_share=0.6&cn=7601&ci=95"
    q, params = B.split_query(CHARTS["industry-scenario"], qs)
    assert q.year == 2019 and q.ci == 95 and params == {"country": "IND", "eaf_share": "0.6", "cn": "7601"}
    out = CHARTS["industry-scenario"].build(ind.accounts, q, params)
    assert "eaf_share=0.6" in out.query_text and "IND" in out.title
    out = CHARTS["industry-breakdown"].build(ind.accounts, *B.split_query(CHARTS["industry-breakdown"], qs))
    assert out.ci == 95 and "Unwrought aluminium" in out.notes[0] + out.query_text + str(out.data.attrs)
