"""The ``/green-exports`` page on the real pack: layout from a URL (choices restored, bad values named), the callbacks
called directly (a parameter change changes the figures and the address), the URL round trip of the page state, the
claim check, the chart registry's exports and the Data & methods section."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest


@pytest.fixture(scope="module")
def ge(app):
    from components.runtime import green_exports_for

    with app.server.app_context():
        return green_exports_for(app.server.config["HOLOCARBON_ACCOUNTS"])


def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)


def _values(**changes):
    """The parameter controls' values in the order of the callback's inputs (defaults unless changed)."""
    from components import green_view as gv
    from pages import green_exports as page

    base = {f: gv.field_default(f) for f in page.P_FIELDS}
    base["pv_commodities"] = list(base["pv_commodities"])
    base.update(changes)
    return [base[f] for f in page.P_FIELDS]


def _view(app, year=2024, techs=("pv", "wind"), ci=90, size="gw", metric="avoided_mt_lifetime", **changes):
    """(map, bars, headline, notes, notice, address) of the page's two callbacks."""
    from pages import green_exports as page

    with app.server.test_request_context("/green-exports"):
        fmap = page.update_map(year, list(techs), size, *_values(**changes))
        return (fmap, *page.update_view(year, list(techs), ci, size, metric, *_values(**changes)))


def test_the_engine_object_is_built_once_per_process(app, ge):
    from components.runtime import green_exports_for

    assert app.server.config["HOLOCARBON_GREEN"] is ge
    with app.server.app_context():
        assert green_exports_for(app.server.config["HOLOCARBON_ACCOUNTS"]) is ge


def test_layout_restores_the_choices_of_the_url(app):
    from pages import green_exports as page

    with app.server.test_request_context("/green-exports"):
        out = page.layout(year="2024", tech="pv", installation_share="0.7", displacement="fossil_margin", ci="66",
                          size="avoided", pv_lifetime_yr="30")
    text = _text(out)
    for fragment in ('"value": 2024', '"value": ["pv"]', '"value": 0.7', '"value": "fossil_margin"', '"value": 66',
                     '"value": "avoided"', '"value": 30.0', "Model estimate"):
        assert fragment in text, fragment


def test_layout_names_bad_url_values_and_falls_back(app):
    from pages import green_exports as page

    with app.server.test_request_context("/green-exports"):
        text = _text(page.layout(year="1990", tech="coal", installation_share="3", size="huge"))
    assert "export_year must be one of" in text and "installation_share must be in 0-1" in text
    assert "tech must be a comma-separated subset of pv, wind" in text and "size must be one of gw, avoided" in text
    assert '"value": 1.0' in text and '"value": ["pv", "wind"]' in text  # the defaults instead


def test_a_parameter_change_changes_the_figures_and_the_address(app):
    fmap, bars, head, notes, problem, search = _view(app)
    assert problem is None and search["path"] == "/green-exports" and search["qs"] == "export_year=2024"
    fmap2, bars2, head2, _, problem2, search2 = _view(app, installation_share=0.5)
    assert problem2 is None and search2["qs"] == "export_year=2024&installation_share=0.5"
    avoided = [t for t in bars.data if t.name == "Avoided over the lifetime"][0]
    avoided2 = [t for t in bars2.data if t.name == "Avoided over the lifetime"][0]
    assert list(avoided2.x) == pytest.approx([0.5 * v for v in avoided.x], rel=1e-9)
    made = [t for t in bars.data if t.name.startswith("Manufacturing")][0]
    made2 = [t for t in bars2.data if t.name.startswith("Manufacturing")][0]
    assert list(made2.x) == pytest.approx(list(made.x), rel=1e-12)
    assert _text(head) != _text(head2)
    # the map's marker sizes follow the toggle: by GW they do not move with the installation share, by avoided Mt
    # they are relative to the largest, so the same; its hover text carries the new numbers
    assert fmap.data[1].text != fmap2.data[1].text
    assert "geo" in fmap.to_plotly_json()["layout"]
    _, _, _, _, _, s3 = _view(app, techs=("wind",), size="avoided", metric="ratio", displacement="fossil_margin")
    assert dict(parse_qsl(s3["qs"])) == {"export_year": "2024", "tech": "wind", "size": "avoided", "metric": "ratio",
                                         "displacement": "fossil_margin"}


def test_no_tech_and_bad_values_give_a_message_not_a_trace(app):
    from dash import no_update

    out = _view(app, techs=())
    assert out[0] is no_update and out[1] is no_update and "at least one technology" in _text(out[4])
    out = _view(app, pv_commodities=[])
    assert out[0] is no_update and out[1] is no_update and "pv_commodities" in _text(out[4])


def test_url_round_trip(app, ge):
    from components import green_view as gv

    with app.server.test_request_context("/green-exports"):
        s, problems = gv.parse_state(ge, {"year": "2024", "tech": "pv", "installation_share": "0.6",
                                          "pv_commodities": "Panels,Cells", "manufacturing_grid_g_kwh": "500",
                                          "ci": "95", "size": "avoided", "metric": "manufacturing_mt"})
        assert problems == []
        again, problems = gv.parse_state(ge, dict(parse_qsl(gv.page_search(s))))
    assert problems == [] and again == s
    assert again.params.pv_commodities == ("Panels", "Cells") and again.params.manufacturing_grid_g_kwh == 500.0


def test_tornado_follows_the_metric(app):
    from pages import green_exports as page

    with app.server.test_request_context("/green-exports"):
        life = page.update_tornado(2024, ["pv"], "avoided_mt_lifetime", *_values())
        made = page.update_tornado(2024, ["pv"], "manufacturing_mt", *_values())
    assert life.layout.title.text != made.layout.title.text
    assert list(life.data[0].y) != list(made.data[0].y) or list(life.data[0].x) != list(made.data[0].x)


def test_claim_check_panel(app):
    from pages import green_exports as page

    with app.server.test_request_context("/green-exports"):
        panel, fig = page.update_claim(2024)
    text = _text(panel)
    assert "Why they differ" in text and ("matches" in text or "does not match" in text)
    assert fig.layout.xaxis.type == "log" and len(fig.data) == 2


@pytest.mark.parametrize("chart", ["green-map", "green-bars", "green-tornado", "green-claim"])
def test_chart_exports(client, chart):
    r = client.get(f"/export/{chart}.csv?export_year=2024&tech=pv&installation_share=0.5&size=avoided")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    text = r.get_data(as_text=True)
    assert "Model estimates" in text
    r = client.get(f"/export/{chart}.csv?export_year=1990")
    assert r.status_code == 400 and "export_year must be one of" in r.get_json()["detail"]


def test_bars_export_has_the_destinations_with_intervals(client):
    import io

    import pandas as pd

    r = client.get("/export/green-bars.xlsx?export_year=2024&tech=pv")
    data = pd.read_excel(io.BytesIO(r.get_data()), sheet_name="data")
    cols = ("avoided_mt_co2e_lifetime", "avoided_mt_co2e_lifetime_low", "avoided_mt_co2e_lifetime_high")
    assert {"iso3", "capacity_mw", "manufacturing_mt_co2e", *cols} <= set(data.columns)
    assert (data[cols[1]] <= data[cols[0]] * 1.05).all() and (data[cols[1]] <= data[cols[2]]).all()


def test_data_page_section_and_trade_link(app):
    from pages import data, trade

    with app.server.test_request_context("/data"):
        text = _text(data.layout())
    assert '"id": "green-exports"' in text and "What exports are not" in text and "installation_share" in text
    assert "source-ember_china_solar_exports" in text and "source-owid_solar_capacity" in text
    with app.server.test_request_context("/trade"):
        text = _text(trade.layout())
    assert '"href": "/green-exports"' in text


def test_validation_report_has_the_green_section(ge):
    """docs/validation.md (``python -m components.render.report``) carries the engine's green-exports section as
    section 9, with the exported GW of this pack."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "validation.md").read_text()
    assert "## 9. Green exports (2024)" in text and "## 8. Industry and CBAM" in text
    assert text.index("## 8. Industry") < text.index("## 9. Green exports")
    totals = ge.result(2024).totals.set_index("tech")
    assert f"| pv | {totals.loc['pv', 'capacity_mw'] / 1000:,.1f} |" in text
