"""Figure builders of the trade and sector pages on the figure dict, and their callbacks called directly with the
real pack (thin callbacks: Query → engine → builders; bad input gives a notice, never an exception)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from components import sector_view as sv
from components import trade_view as tv
from engine.accounts import sectors
from engine.core.query import GASES, Query

ALL = list(GASES)
NAMES = {"CHN": "China", "USA": "United States", "DEU": "Germany", "ROW": "Rest of the world (WIOD RoW)"}


def _flows():
    """Toy flows: CHN→USA 10, CHN→DEU 4, USA→CHN 2, DEU→USA 3, ROW→CHN 5 and domestic lines."""
    rows = [("CHN", "CHN", 100.0), ("CHN", "USA", 10.0), ("CHN", "DEU", 4.0), ("USA", "CHN", 2.0),
            ("USA", "USA", 50.0), ("DEU", "USA", 3.0), ("ROW", "CHN", 5.0), ("ROW", "ROW", 80.0)]
    f = pd.DataFrame(rows, columns=["producer", "consumer", "emissions_mt_co2e"])
    f.attrs.update(method="mrio", structure_year=2011, query={"year": "2011"})
    return f


def _text(fig) -> str:
    return json.dumps(fig.to_plotly_json(), default=str, ensure_ascii=False)


def _footnote(fig) -> str:
    return fig.layout.annotations[0].text


# ---- trade builders ----------------------------------------------------------------------------------------
def test_sankey_drops_domestic_flows_and_keeps_units():
    fig = tv.build_sankey_figure(_flows(), NAMES, ALL, {"year": 2011})
    (tr,) = fig.data
    assert tr.type == "sankey"
    assert sum(tr.link.value) == pytest.approx(24.0)  # 10 + 4 + 2 + 3 + 5, no domestic line
    labels = list(tr.node.label)
    src = [labels[i] for i in tr.link.source]
    tgt = [labels[i] for i in tr.link.target]
    assert ("China", "United States") in zip(src, tgt)
    assert all(s != t or i != j for s, t, i, j in zip(src, tgt, tr.link.source, tr.link.target))
    assert "Mt CO2e" in tr.link.hovertemplate and tr.valuesuffix == " Mt CO2e"
    assert "2011" in fig.layout.title.text
    foot = _footnote(fig)
    assert "WIOD 2013" in foot and "EDGAR" in foot and "F-gases" in foot
    assert "24 of 24 Mt CO2e" in fig.layout.title.subtitle.text


def test_sankey_top_n_and_nowcast_label():
    f = _flows()
    f.attrs.update(method="nowcast", structure_year=2011)
    fig = tv.build_sankey_figure(f, NAMES, ("CO2",), {"year": 2020}, top=2)
    assert len(fig.data[0].link.value) == 2 and max(fig.data[0].link.value) == 10
    assert "structure of 2011" in _footnote(fig) and "F-gases" not in _footnote(fig)


def test_sankey_empty_state_explains():
    fig = tv.build_sankey_figure(_flows().iloc[[0]], NAMES, ALL, {"year": 2011})
    assert fig.data == () and "No flows between regions" in _text(fig)


def test_trade_matrix_other_and_blank_diagonal():
    m = tv.trade_matrix(_flows(), top=2)
    assert list(m.index) == ["CHN", "USA", "Other"] and list(m.columns) == ["CHN", "USA", "Other"]
    assert np.isnan(m.loc["CHN", "CHN"]) and np.isnan(m.loc["USA", "USA"])
    assert m.loc["CHN", "USA"] == 10 and m.loc["CHN", "Other"] == 4 and m.loc["Other", "CHN"] == 5
    assert m.loc["Other", "USA"] == 3 and m.loc["Other", "Other"] == 0
    assert np.nansum(m.to_numpy()) == pytest.approx(24.0)  # every inter-regional flow is in the matrix once


def test_trade_matrix_figure():
    fig = tv.build_trade_matrix_figure(_flows(), NAMES, ALL, {"year": 2011}, top=2)
    (hm,) = fig.data
    assert hm.type == "heatmap" and list(hm.x) == ["CHN", "USA", "Other"]
    assert "Mt CO2e" in hm.hovertemplate and "Mt CO2e" in hm.colorbar.title.text
    assert fig.layout.yaxis.title.text.startswith("Emitted in") and fig.layout.xaxis.title.text.startswith("Consumed")
    assert hm.text[0][0] == "" and hm.text[0][1] == "10"


def test_net_trade_table_sums_to_zero_and_sorted():
    t = tv.net_trade_table(_flows(), NAMES)
    assert list(t.columns) == ["region", "name", "exports_mt_co2e", "imports_mt_co2e", "net_mt_co2e"]
    assert t["net_mt_co2e"].sum() == pytest.approx(0.0)
    assert t["net_mt_co2e"].is_monotonic_decreasing
    row = t.set_index("region").loc["CHN"]
    assert (row["exports_mt_co2e"], row["imports_mt_co2e"], row["net_mt_co2e"]) == (14, 7, 7)
    assert t.iloc[-1]["region"] == "USA" and t.iloc[-1]["net_mt_co2e"] == -11


def test_net_trade_figure_and_list():
    t = tv.net_trade_table(_flows(), NAMES)
    fig = tv.build_net_trade_figure(t, ALL, {"year": 2011, "method": "mrio", "structure_year": 2011})
    (bar,) = fig.data
    assert bar.orientation == "h" and "Mt CO2e" in fig.layout.xaxis.title.text and "Mt CO2e" in bar.hovertemplate
    assert "−11" in list(bar.text) and "+7" in list(bar.text)
    lists = tv.net_trade_list(t)
    s = str(lists)
    assert "Largest net exporters" in s and "Largest net importers" in s and "−11.0" in s and "+7.0" in s


def test_trade_builders_on_empty_input():
    empty = pd.DataFrame(columns=["producer", "consumer", "emissions_mt_co2e"])
    assert tv.trade_matrix(empty).empty and tv.net_trade_table(empty, {}).empty
    for fig in (tv.build_trade_matrix_figure(empty, {}, ALL, {"year": 1990}),
                tv.build_net_trade_figure(tv.net_trade_table(empty, {}), ALL, {"year": 1990})):
        assert fig.data == () and "No flows" in _text(fig)


def test_trade_builders_with_real_flows(accounts):
    q = Query(year=2011)
    flows = accounts.flows(q)
    names = accounts.names()
    fig = tv.build_sankey_figure(flows, names, q.gases)
    assert len(fig.data[0].link.value) == tv.N_SANKEY
    assert "China" in fig.data[0].node.label and "2011" in fig.layout.title.text
    m = tv.trade_matrix(flows)
    assert m.shape == (16, 16) and "CHN" in m.index and "USA" in m.columns
    t = tv.net_trade_table(flows, names)
    assert abs(t["net_mt_co2e"].sum()) < 1e-6 * t["exports_mt_co2e"].sum()
    top = t.iloc[0]
    assert top["region"] == "CHN" and top["net_mt_co2e"] > 500  # China: largest net exporter (Peters et al. 2011)
    assert t.iloc[-1]["region"] == "USA"  # the USA: largest net importer
    pio.to_json(fig, validate=True)


def test_trade_grouping_eu27(accounts):
    q = Query(year=2011, grouping="EU27")
    t = tv.net_trade_table(accounts.flows(q), accounts.names())
    assert "EU27" in set(t["region"]) and "DEU" not in set(t["region"])
    assert t.set_index("region").loc["EU27", "net_mt_co2e"] < 0  # the EU imports embodied emissions


# ---- sector builders ---------------------------------------------------------------------------------------
def test_ranking_figure_edgar(accounts):
    q = Query(year=2011)
    d = sectors.edgar_sector_by_country(accounts, q, "power-industry")
    fig = sv.build_sector_ranking_figure(d, "Power Industry", 2011, q.gases, False, d.attrs)
    (bar,) = fig.data
    assert len(bar.y) == 25 and bar.y[-1] == "China"  # largest on top
    assert fig.layout.xaxis.title.text == "Mt CO2e per year" and "Mt CO2e" in bar.hovertemplate
    assert "% of the world" in bar.hovertemplate
    assert "EDGAR 2024" in _footnote(fig) and "F-gases" in _footnote(fig)
    assert "world 13,227 Mt CO2e" in fig.layout.title.subtitle.text and "Power Industry" in fig.layout.title.subtitle.text
    assert fig.layout.annotations[0].xshift == -178  # footnote starts at the figure edge, not the plot
    assert "3,990" in list(bar.text)


def test_map_figure_uses_iso3_and_local_geo(accounts):
    q = Query(year=2011)
    d = sectors.edgar_sector_by_country(accounts, q, "power-industry")
    fig = sv.build_sector_map_figure(d, "Power Industry", 2011, q.gases)
    (ch,) = fig.data
    assert ch.type == "choropleth" and ch.locationmode == "ISO-3"
    assert "BUNKERS" not in list(ch.locations) and "CHN" in list(ch.locations)
    assert fig.layout.geo.projection.rotation.lon == 0 and list(fig.layout.geo.lonaxis.range) == [-180, 180]
    assert "Mt CO2e" in ch.colorbar.title.text and "Mt CO2e" in ch.hovertemplate
    assert "1,000" in list(ch.colorbar.ticktext)


def test_map_of_mrio_sector_skips_row(accounts):
    d = sectors.sector_emissions_by_region(accounts, Query(year=2011), "c17")
    fig = sv.build_sector_map_figure(d, "Electricity", 2011, ("CO2",), True, d.attrs)
    assert "ROW" not in list(fig.data[0].locations) and len(fig.data[0].locations) == 40
    assert "RoW" in _footnote(fig) and "WIOD 2013" in _footnote(fig)


def test_intensity_figure(accounts):
    d = sectors.mrio_sector_intensity(accounts, Query(year=2011), "c17")
    fig = sv.build_intensity_figure(d, "Electricity, Gas and Water Supply", ALL, d.attrs)
    (bar,) = fig.data
    assert len(bar.x) == 41 and bar.x[0] == d.iloc[0]["region"]
    assert fig.layout.yaxis.title.text == "kg CO2e per USD" and "kg CO2e per USD" in bar.hovertemplate
    assert "WIOD 2013 table of 2011" in _footnote(fig)
    assert fig.layout.xaxis.dtick == 1  # every region's code is labelled (plotly skipped every other one)


def test_intensity_figure_nowcast_and_empty(accounts):
    d = sectors.mrio_sector_intensity(accounts, Query(year=2020), "c17")
    assert "structure of 2011" in _footnote(sv.build_intensity_figure(d, "E", ALL, d.attrs))
    e = sectors.mrio_sector_intensity(accounts, Query(year=1990), "c17")
    fig = sv.build_intensity_figure(e, "E", ALL, e.attrs)
    assert fig.data == () and "before 1995" in _text(fig)


def test_foreign_share_figure_and_kpis(accounts):
    d = sectors.foreign_demand_share(accounts, Query(year=2011), "c17")
    fig = sv.build_foreign_share_figure(d, "Electricity", ALL, dict(d.attrs))
    (bar,) = fig.data
    assert max(bar.y) <= 100 and min(bar.y) >= 0
    assert fig.layout.yaxis.ticksuffix == " %" and "Mt CO2e" in bar.hovertemplate
    world = 100 * d.attrs["world_share"]
    assert any(s.y0 == pytest.approx(world) for s in fig.layout.shapes)  # the dashed world line
    assert f"{world:.1f} %" in fig.layout.title.subtitle.text
    kp = str(sv.foreign_kpis(d, "Electricity"))
    assert f"{world:.1f} %" in kp and "Mt CO2e" in kp


def test_foreign_share_figure_edgar_flags_approximation(accounts):
    d = sectors.foreign_demand_share(accounts, Query(year=2011), "transport")
    fig = sv.build_foreign_share_figure(d, "Transport", ("CO2",), dict(d.attrs))
    assert "approximated" in _footnote(fig)
    assert "approximation" in str(sv.foreign_kpis(d, "Transport"))


def test_foreign_kpis_before_1995(accounts):
    d = sectors.foreign_demand_share(accounts, Query(year=1990), "c17")
    assert "before 1995" in str(sv.foreign_kpis(d, "E"))
    assert sv.build_foreign_share_figure(d, "E", ALL).data == ()


def test_sector_index_links_every_sector():
    s = str(sv.sector_index(sectors.sector_catalogue(), "?year=2011"))
    assert s.count("/sector/") == 43 and "/sector/power-industry?year=2011" in s and "/sector/c35?year=2011" in s


# ---- callbacks, called directly with the real pack ---------------------------------------------------------
@pytest.fixture(scope="module")
def app(settings):
    from app import create_app

    return create_app(settings)


def _vals(**kw):
    v = dict(year=2011, gwp="AR5", gases=ALL, luc_model="mean", grouping="countries", members="",
             perspective="consumption")
    v.update(kw)
    return list(v.values())


def test_trade_callback_real_data(app):
    import pages.trade as page

    with app.server.test_request_context():
        body, search, qs = page.update(*_vals())
    s = str(body)
    assert "trade-sankey" in s and "trade-matrix" in s and "trade-net" in s
    assert search == {"path": "/trade", "qs": "year=2011"} and qs == "year=2011"


def test_trade_callback_nowcast_grouping_and_empty(app):
    import pages.trade as page

    with app.server.test_request_context():
        body, _, qs = page.update(*_vals(year=2020, grouping="G7"))
        assert "structure of 2011" in str(body).lower() and "grouping=G7" in qs
        body, _, _ = page.update(*_vals(year=1990))
        assert "No input–output table before 1995" in str(body) and "trade-sankey" not in str(body)


@pytest.mark.parametrize("vals,msg", [(_vals(gases=[]), "choose at least one gas"),
                                      (_vals(grouping="custom"), "custom group"),
                                      (_vals(grouping="custom", members="FRA,XXX"), "unknown region"),
                                      (_vals(year=1500), "year must be in")])
def test_trade_callback_bad_input_gives_notice(app, vals, msg):
    import dash

    import pages.trade as page

    with app.server.test_request_context():
        body, search, qs = page.update(*vals)
    assert msg in str(body) and "notice" in str(body)
    if msg != "unknown region":
        assert search is dash.no_update and qs is dash.no_update


@pytest.mark.parametrize("code,ids", [("c17", ("sector-ranking", "sector-map", "sector-intensity", "sector-foreign")),
                                      ("power-industry", ("sector-ranking", "sector-map", "sector-foreign"))])
def test_sector_callback_real_data(app, code, ids):
    import pages.sector as page

    with app.server.test_request_context():
        body, search, _ = page.update(*_vals(gwp="AR6"), code)
    s = str(body)
    assert all(i in s for i in ids)
    assert ("sector-intensity" in s) == (code == "c17")
    assert search == {"path": f"/sector/{code}", "qs": "year=2011&gwp=AR6"}


def test_sector_callback_pre_1995(app):
    import pages.sector as page

    with app.server.test_request_context():
        body, _, _ = page.update(*_vals(year=1990), "c17")
        assert "No input–output table before 1995" in str(body) and "sector-ranking" not in str(body)
        body, _, _ = page.update(*_vals(year=1990), "power-industry")
        assert "sector-ranking" in str(body) and "before 1995" in str(body)  # ranks yes; foreign share explained


def test_sector_callback_bad_input(app):
    import pages.sector as page

    with app.server.test_request_context():
        body, _, _ = page.update(*_vals(gases=[]), "c17")
        assert "choose at least one gas" in str(body)
        body, _, _ = page.update(*_vals(), "nope")
        assert "unknown sector" in str(body)


def test_sector_layouts(app):
    import pages.sector as page

    with app.server.test_request_context():
        nf = str(page.layout(code="power-indstry"))
        assert "Sector not found" in nf and "/sector/power-industry" in nf
        ok = str(page.layout(code="c17", year="2005", gwp="AR6"))
        assert "Electricity, Gas and Water Supply" in ok and "sector-body" in ok
        bad = str(page.layout(code="c17", year="1800"))
        assert "cannot use" in bad
        idx = str(page.index_layout(year="2005"))
        assert "/sector/c17?year=2005" in idx


def test_http_status(app):
    c = app.server.test_client()
    assert c.get("/trade").status_code == 200
    assert c.get("/sector").status_code == 200
    assert c.get("/sector/c17").status_code == 200
    assert c.get("/sector/power-industry").status_code == 200
    assert c.get("/sector/nope").status_code == 404
    assert c.get("/sector/c36").status_code == 404
