"""The Ledger page's figure builders (components/ledger_view.py) on the figure dict, and its callbacks called
directly with the real pack.

Published values: the CAS "panoramic" claim for 2022 (China −17.7 %, USA +15.2 %, Japan +7.2 %) and GCB 2024 with
OWID processing for 2022 (China −9.2 %, USA +11.1 %, Japan +15.9 %, EU-27 +26.6 %, India −9.3 %) — REFERENCES.md,
"The panoramic claim to reproduce and discuss" and "National CO2, production vs consumption-based".
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from components import ledger_view as lv
from engine.accounts import regions
from engine.accounts.headline import headline
from engine.core.query import Query

ALL_GASES = ["CO2", "CH4", "N2O", "F-gases"]


# ---- fixtures ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app(settings):
    from app import create_app

    return create_app(settings)


@pytest.fixture(scope="module")
def ledger_page(app):
    import pages.ledger as page

    return page


def _map_inputs(accounts, q: Query):
    led = accounts.ledger(q)
    membership = regions.partition(accounts.year_frame(q.year)["codes"], q, accounts.mrio_regions())
    return led, membership


def _map(accounts, q: Query, per_capita=False, shown=None, fallback=False) -> tuple[go.Figure, pd.DataFrame]:
    led, membership = _map_inputs(accounts, q)
    frame = lv.map_frame(led, membership, accounts.names(), shown or q.perspective, per_capita)
    fig = lv.build_ledger_map(frame, q.perspective, per_capita, q.year, led.attrs["method"],
                              led.attrs["structure_year"], q.grouping, fallback=fallback)
    return fig, frame


def _footnote(fig: go.Figure) -> str:
    return fig.layout.annotations[0].text


def _small_ledger(method="nowcast") -> pd.DataFrame:
    """A factory ledger of four regions (values in Mt CO2e) for edge cases."""
    d = pd.DataFrame({
        "region": ["AAA", "BBB", "CCC", "BUNKERS"], "name": ["Aland", "Beland", "Celand", "International bunkers"],
        "production_mt_co2e": [1000.0, 500.0, 10.0, 100.0], "consumption_mt_co2e": [800.0, 650.0, 12.0, 0.0],
        "population": [1e8, 5e7, np.nan, np.nan], "n_members": [1, 1, 1, 1], "row_share": [False, True, False, False],
        "method": method, "structure_year": 2011,
    })
    if method == "production-only":
        d["consumption_mt_co2e"] = np.nan
        d["structure_year"] = None
    d["transfer_mt_co2e"] = d["consumption_mt_co2e"] - d["production_mt_co2e"]
    d["adjustment_pct"] = 100 * d["transfer_mt_co2e"] / d["production_mt_co2e"]
    d["panoramic_mt_co2e"] = d["consumption_mt_co2e"] - 50
    for c in ("production", "consumption", "panoramic"):
        d[f"{c}_t_per_capita"] = d[f"{c}_mt_co2e"] * 1e6 / d["population"]
    d.attrs.update(method=method, structure_year=2011 if method != "production-only" else None,
                   query={"year": "2022" if method != "production-only" else "1980"}, query_text="a query in words",
                   notes=["note one", "note two"])
    return d


# ---- helpers ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value,kw,text", [
    (1234.56, {}, "1,234.6"), (-1234.56, {"decimals": 0}, "−1,235"), (-0.04, {}, "0.0"),
    (19.58, {"sign": True}, "+19.6"), (float("nan"), {}, "—"), (None, {}, "—"),
])
def test_fmt_thousands_minus_and_missing(value, kw, text):
    assert lv.fmt(value, **kw) == text


@pytest.mark.parametrize("method,structure,text", [
    ("mrio", 2005, "MRIO (WIOD 2013 table of 2005)"), ("nowcast", 2011, "nowcast (structure of 2011)"),
    ("production-only", None, "production only (no input–output table before 1995)"),
])
def test_method_label(method, structure, text):
    assert lv.method_label(method, structure) == text


# ---- map --------------------------------------------------------------------------------------------------------
def test_consumption_map_is_iso3_choropleth_with_log_colour_bar(accounts):
    fig, frame = _map(accounts, Query(year=2022, perspective="consumption"))
    assert len(fig.data) == 2  # the countries' own accounts, and RoW's countries in grey
    tr = fig.data[0]
    assert tr.type == "choropleth" and tr.locationmode == "ISO-3"
    assert {"CHN", "USA", "DEU", "BRA"} <= set(tr.locations)
    assert "BUNKERS" not in set(tr.locations) and "OTHER" not in set(tr.locations)
    assert "Mt CO2e" in tr.colorbar.title.text and "log scale" in tr.colorbar.title.text
    assert "10,000" in tr.colorbar.ticktext and "1,000" in tr.colorbar.ticktext  # thousands separators
    chn = list(tr.locations).index("CHN")
    assert tr.z[chn] == pytest.approx(np.log10(frame.loc[frame.iso3 == "CHN", "value"].iloc[0]))
    hover = tr.hovertext[chn]
    assert re.search(r"Consumption: 1\d,\d{3}\.\d Mt CO2e", hover), hover
    assert "click for the country page" in hover
    assert fig.layout.geo.projection.rotation.lon == 0 and list(fig.layout.geo.lonaxis.range) == [-180, 180]
    assert fig.layout.title.text == "Consumption-based emissions, 2022 — modelled (nowcast on the 2011 table)"
    foot = _footnote(fig)
    assert "nowcast (structure of 2011)" in foot
    for src in ("EDGAR 2024", "WIOD 2013 + JRC", "GCB 2024", "MODIS/Pan et al. 2011", "modelled"):
        assert src in foot, (src, foot)


def test_row_countries_say_their_consumption_is_shared(accounts):
    """Issue 13, item 2: a country inside WIOD's rest of the world is drawn grey, out of the colour scale, and its
    hover says the value is RoW's; a measured year's title carries no 'modelled' tag; production maps colour all."""
    fig, _ = _map(accounts, Query(year=2010, perspective="consumption"))
    own, shared = fig.data
    assert "NGA" not in set(own.locations) and "DEU" in set(own.locations)
    hover = dict(zip(shared.locations, shared.hovertext))
    assert "Inside WIOD's rest of the world" in hover["NGA"] and "shared by production" in hover["NGA"]
    assert set(shared.z) == {0.0} and shared.showscale is False and "rest of the world" in shared.name
    assert fig.layout.title.text == "Consumption-based emissions, 2010"
    prod, _ = _map(accounts, Query(year=2010, perspective="production"))
    assert len(prod.data) == 1 and "NGA" in set(prod.data[0].locations)
    assert "shared from RoW" not in dict(zip(own.locations, own.hovertext))["DEU"]
    fig_p, _ = _map(accounts, Query(year=2010, perspective="production"))
    assert not any("shared from RoW" in h for h in fig_p.data[0].hovertext)  # production is not shared


def test_transfer_map_diverges_around_zero(accounts):
    fig, frame = _map(accounts, Query(year=2011, perspective="transfer"))
    tr = fig.data[0]
    assert tr.zmid == 0 and tr.zmin == -tr.zmax and tr.zmax > 0
    assert tr.colorscale[0][1] != tr.colorscale[-1][1]  # two-sided scale
    assert "Mt CO2e" in tr.colorbar.title.text and "clipped" in tr.colorbar.title.text
    assert (frame["value"] < 0).any() and (frame["value"] > 0).any()
    assert "Red: consumes more than it produces" in _footnote(fig)
    assert "MRIO (WIOD 2013 table of 2011)" in _footnote(fig)


def test_per_capita_map_units(accounts):
    fig, frame = _map(accounts, Query(year=2022, perspective="production"), per_capita=True)
    tr = fig.data[0]
    assert "t CO2e" in tr.colorbar.title.text and "per person" in tr.colorbar.title.text
    assert "per person" in fig.layout.title.text
    usa = frame.set_index("iso3").loc["USA", "value"]
    assert 10 < usa < 30  # t CO2e per person (EDGAR 2022: ~18)
    assert "t CO2e per person" in dict(zip(tr.locations, tr.hovertext))["USA"]
    tfig, _ = _map(accounts, Query(year=2022, perspective="transfer"), per_capita=True)
    assert tfig.data[0].zmid == 0 and "per person" in tfig.data[0].colorbar.title.text


def test_group_members_coloured_with_the_group_total(accounts):
    q = Query(year=2022, perspective="consumption", grouping="EU27")
    fig, frame = _map(accounts, q)
    led = accounts.ledger(q).set_index("region")
    eu = frame[frame["region"] == "EU27"]
    assert len(eu) == 27 and np.allclose(eu["value"], led.loc["EU27", "consumption_mt_co2e"])
    hover = dict(zip(fig.data[0].locations, fig.data[0].hovertext))
    assert "EU27 total:" in hover["DEU"] and "Mt CO2e" in hover["DEU"] and "27 member countries" in hover["DEU"]
    assert "EU27 total" not in hover["USA"]
    assert "coloured with its region's total" in _footnote(fig)


@pytest.mark.parametrize("grouping,code,label", [("continents", "FRA", "Europe total:"),
                                                 ("mrio", "NGA", "WIOD RoW total:"),
                                                 ("G20", "ARG", "G20 total:")])
def test_other_groupings_name_the_region_in_hover(accounts, grouping, code, label):
    fig, _ = _map(accounts, Query(year=2005, perspective="panoramic", grouping=grouping))
    assert label in dict(zip(fig.data[0].locations, fig.data[0].hovertext))[code]


def test_custom_group_hover(accounts):
    q = Query(year=2005, grouping="custom", members=("FRA", "DEU"), name="Core", perspective="production")
    fig, _ = _map(accounts, q)
    hover = dict(zip(fig.data[0].locations, fig.data[0].hovertext))
    assert "Core total:" in hover["FRA"] and "2 member countries" in hover["DEU"]


def test_fallback_map_before_1995_shows_production_and_says_so(accounts):
    q = Query(year=1980, perspective="consumption")
    led = accounts.ledger(q)
    assert not lv.has_consumption(led)
    fig, frame = _map(accounts, q, shown="production", fallback=True)
    assert len(frame) > 150 and fig.data[0].type == "choropleth"
    assert fig.layout.title.text.startswith("Production (territorial) emissions, 1980")
    assert "No consumption account before 1995" in fig.layout.title.subtitle.text
    assert "No input–output table before 1995" in _footnote(fig)
    assert "Production:" in fig.data[0].hovertext[0]


def test_map_frame_drops_missing_values():
    led = _small_ledger()
    membership = pd.Series(["AAA", "BBB", "CCC", "BUNKERS"], index=["AAA", "BBB", "CCC", "BUNKERS"])
    frame = lv.map_frame(led, membership, {}, "consumption", per_capita=True)
    assert list(frame["iso3"]) == ["AAA", "BBB"]  # CCC has no population, bunkers are no country
    assert frame.loc[0, "value"] == pytest.approx(8.0)  # 800 Mt / 1e8 persons = 8 t per person
    t = lv.map_frame(led, membership, {}, "transfer", per_capita=True)
    assert t.loc[0, "value"] == pytest.approx(-2.0)  # transfer per capita derived: −200 Mt / 1e8


def test_panoramic_with_negative_values_diverges():
    led = _small_ledger()
    led.loc[2, "panoramic_mt_co2e"] = -40.0
    membership = pd.Series(["AAA", "BBB", "CCC"], index=["AAA", "BBB", "CCC"])
    frame = lv.map_frame(led, membership, {}, "panoramic", per_capita=False)
    fig = lv.build_ledger_map(frame, "panoramic", False, 2022, "nowcast", 2011)
    assert fig.data[0].zmid == 0 and "blue = net sink" in _footnote(fig)


# ---- adjustment bars --------------------------------------------------------------------------------------------
def test_adjustment_bars_top_20_by_production(accounts):
    """Top 20 by production, the countries inside WIOD's rest of the world as ONE grey bar (they share one
    adjustment: −7.5 % in 2022 for Iran, Saudi Arabia, Pakistan ... — issue 13, item 2), hatched in a nowcast year."""
    led = accounts.ledger(Query(year=2022))
    fig = lv.build_adjustment_figure(led)
    bar = fig.data[0]
    assert bar.type == "bar" and bar.orientation == "h" and len(bar.y) == 20
    assert bar.y[0].startswith("China · 15,") and "Mt" in bar.y[0]
    assert not any(y.startswith("International bunkers") for y in bar.y)
    own = led[~led.region.isin(["BUNKERS", "OTHER"]) & ~(led.row_share & (led.n_members == 1))]
    inside = led[~led.region.isin(["BUNKERS", "OTHER"]) & led.row_share & (led.n_members == 1) & led.adjustment_pct.notna()]
    assert not any(y.startswith(("Iran", "Saudi Arabia", "Pakistan", "Viet Nam")) for y in bar.y)
    row_label = [y for y in bar.y if y.startswith("WIOD rest of world")]
    assert row_label == [f"WIOD rest of world ({len(inside)}) · "
                         f"{inside.production_mt_co2e.sum():,.0f} Mt"]
    i = list(bar.y).index(row_label[0])
    share = 100 * (inside.consumption_mt_co2e.sum() / inside.production_mt_co2e.sum() - 1)
    assert bar.x[i] == pytest.approx(share) and share == pytest.approx(inside.adjustment_pct.iloc[0])
    assert bar.marker.color[i] == lv.SHARED_COLOR
    top = own.nlargest(19, "production_mt_co2e")
    assert np.allclose([x for j, x in enumerate(bar.x) if j != i], top["adjustment_pct"])
    assert bar.marker.pattern.shape == "/"  # 2022 is a nowcast year: hatched
    assert lv.build_adjustment_figure(accounts.ledger(Query(year=2010))).data[0].marker.pattern.shape is None
    assert "%" in fig.layout.xaxis.title.text and fig.layout.yaxis.autorange == "reversed"
    assert "Mt CO2e" in bar.hovertemplate and "%" in bar.hovertemplate
    foot = _footnote(fig)
    assert "nowcast (structure of 2011)" in foot and "EDGAR 2024" in foot and "Grey: the countries inside" in foot
    assert "Hatched: modelled" in foot and fig.layout.title.subtitle.text.startswith("Modelled (nowcast)")


def test_adjustment_empty_state_before_1995(accounts):
    fig = lv.build_adjustment_figure(accounts.ledger(Query(year=1990)))
    assert len(fig.data) == 0
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "No input–output table before 1995" in texts and "1990" in texts
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert "production only" in _footnote(fig)


def test_adjustment_with_factory_ledger():
    fig = lv.build_adjustment_figure(_small_ledger(), n=2)
    assert list(fig.data[0].x) == pytest.approx([-20.0, 30.0])
    assert fig.data[0].text == ("−20.0 %", "+30.0 %")
    assert "WIOD rest of world (1) · 500 Mt" in fig.data[0].y  # Beland is inside RoW


# ---- headline ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def head(accounts):
    return headline(accounts)


def test_headline_figure_has_four_series_and_published_values(head):
    fig = lv.build_headline_figure(head)
    assert [t.type for t in fig.data] == ["bar"] * 4 and fig.layout.barmode == "group"
    names = [t.name for t in fig.data]
    assert "CAS claim (8 Apr 2026), GHG" in names and "GCB 2024 / OWID, CO2" in names
    claim = dict(zip(fig.data[2].x, fig.data[2].y))
    assert claim["China"] == pytest.approx(-17.7) and claim["United States"] == pytest.approx(15.2)
    assert claim["Japan"] == pytest.approx(7.2)
    gcb = dict(zip(fig.data[3].x, fig.data[3].y))
    assert gcb["China"] == pytest.approx(-9.2, abs=0.05) and gcb["India"] == pytest.approx(-9.3, abs=0.05)
    assert gcb["European Union (27)"] == pytest.approx(26.6, abs=0.05)
    assert "%" in fig.layout.yaxis.title.text and all("%" in t.hovertemplate for t in fig.data)
    foot = _footnote(fig)
    assert "8 April 2026" in foot and "GCB 2024" in foot and "OWID" in foot
    assert "No published CAS figure for EU27 and India" in foot


def test_headline_panel_lists_reasons_and_sources(head):
    panel = lv.headline_panel(head)
    text = str(panel)
    for bit in ("−17.7 %", "bunker fuel", "no published CAS figure", "CAS claim", "OWID",
                "doi:10.18160/gcp-2024", "China", "India"):
        assert bit in text, bit


# ---- table and footnotes ------------------------------------------------------------------------------------------
def test_table_columns_have_units_and_formats():
    names = {c["id"]: c["name"] for c in lv.TABLE_COLUMNS}
    assert names["production_mt_co2e"].endswith("(Mt CO2e)") and names["luc_mt_co2"].endswith("(Mt CO2)")
    assert names["adjustment_pct"].endswith("(%)") and "(t CO2e/person)" in names["consumption_t_per_capita"]
    fmt = next(c for c in lv.TABLE_COLUMNS if c["id"] == "production_mt_co2e")["format"].to_plotly_json()
    assert fmt["specifier"] == ",.1f"
    assert {"method_label", "row_flag", "name"} <= set(names)


def test_table_records_real_ledger(accounts):
    rows = lv.table_records(accounts.ledger(Query(year=2022)))
    assert len(rows) > 200
    chn = next(r for r in rows if r["region"] == "CHN")
    assert chn["method_label"] == "nowcast (structure of 2011)" and chn["row_flag"] == ""
    assert next(r for r in rows if r["region"] == "NGA")["row_flag"] == "yes, by production"
    assert all(set(r) == {c["id"] for c in lv.TABLE_COLUMNS} for r in rows)
    old = lv.table_records(accounts.ledger(Query(year=1980)))
    assert all(r["consumption_mt_co2e"] is None for r in old)  # JSON null, never NaN
    assert old[0]["method_label"].startswith("production only")


def test_footnotes_name_query_method_notes_and_sources(accounts):
    led = accounts.ledger(Query(year=2022, gases=("CO2", "F-gases")))
    text = str(lv.footnotes(led))
    assert led.attrs["query_text"] in text
    assert "nowcast (structure of 2011)" in text and "F-gases are kept in AR5" in text
    for src in ("EDGAR 2024", "WIOD 2013 + JRC", "GCB 2024", "MODIS/Pan et al. 2011"):
        assert src in text


# ---- callbacks, called directly -------------------------------------------------------------------------------------
def _values(arr):
    """A figure array as numbers: plotly sends numpy arrays as typed base64 (``{"dtype", "bdata"}``)."""
    import base64

    if isinstance(arr, dict) and "bdata" in arr:
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=arr["dtype"])
    return np.asarray(arr)


def test_ledger_callback_real_accounts(app, ledger_page):
    with app.server.test_request_context():
        fig, note, rows, adj, _, search, qs = ledger_page.update_ledger(
            2022, "AR6", ALL_GASES, "mean", "EU27", "", "transfer", "per_capita", "Custom group")
    fig, adj = go.Figure(fig), go.Figure(adj)  # cached as the plain dicts Dash sends
    assert note is None
    assert fig.data[0].type == "choropleth" and fig.data[0].zmid == 0
    assert any(r["region"] == "EU27" for r in rows)
    assert adj.data[0].type == "bar"
    assert "grouping=EU27" in search and "scale=per_capita" in search and search.startswith("?")
    assert qs == Query(year=2022, gwp="AR6", grouping="EU27", perspective="transfer").to_query_string()
    assert "scale" not in qs  # the session store holds only the Query


def test_ledger_callback_before_1995(app, ledger_page):
    with app.server.test_request_context():
        fig, note, _, adj, _, search, _ = ledger_page.update_ledger(
            1990, "AR5", ["CO2"], "mean", "countries", "", "panoramic", "absolute", None)
    fig, adj = go.Figure(fig), go.Figure(adj)
    assert "No input–output table before 1995" in str(note)
    assert fig.layout.title.text.startswith("Production (territorial) emissions, 1990")
    assert len(adj.data) == 0 and "scale" not in search


@pytest.mark.parametrize("args,message", [
    ((2022, "AR5", [], "mean", "countries", "", "consumption", "absolute", None), "choose at least one gas"),
    ((2022, "AR5", ALL_GASES, "mean", "custom", "", "consumption", "absolute", None), "type the ISO3 codes"),
    ((2022, "AR5", ALL_GASES, "mean", "custom", "FRA,DEX", "consumption", "absolute", None), "unknown region"),
], ids=["no-gas", "empty-custom", "unknown-code"])
def test_ledger_callback_bad_input_gives_a_notice(app, ledger_page, args, message):
    from dash import no_update

    with app.server.test_request_context():
        out = ledger_page.update_ledger(*args)
    assert out[6] is no_update and out[2] == []
    assert message in str(out[1]) and "notice-warning" in str(out[1])
    # issue 13, item 4: the charts say it too (a bad custom code left an empty map and no words where one looks)
    for fig in (out[0], out[3]):
        assert message in " ".join(a.text for a in fig.layout.annotations) and len(fig.data) == 0


def test_custom_group_keeps_its_name(app, ledger_page):
    with app.server.test_request_context():
        _, _, rows, _, _, search, _ = ledger_page.update_ledger(
            2005, "AR5", ALL_GASES, "mean", "custom", "FRA,DEU", "production", "absolute", "Core")
    assert any(r["name"] == "Core" for r in rows) and "name=Core" in search


def test_headline_callback_cached_and_follows_gwp(app, ledger_page):
    with app.server.test_request_context():
        fig, panel = ledger_page.update_headline("AR5")
        fig20, _ = ledger_page.update_headline("AR6-GWP20")
        again, _ = ledger_page.update_headline("AR5")
    from plotly.utils import PlotlyJSONEncoder

    same = json.dumps(again, cls=PlotlyJSONEncoder) == json.dumps(fig, cls=PlotlyJSONEncoder)
    assert same and again is not fig  # served from the cache, each request its own copy
    fig, fig20 = go.Figure(fig), go.Figure(fig20)
    assert fig.data[0].type == "bar" and "CAS claim" in str(panel)
    y, y20 = _values(fig.data[0].y), _values(fig20.data[0].y)
    assert list(y) != list(y20)  # the GHG adjustment depends on the metric
    assert list(_values(fig.data[2].y)[:3]) == list(_values(fig20.data[2].y)[:3])  # the published claim does not


def test_layout_bad_link_warns(app, ledger_page):
    with app.server.test_request_context():
        page = ledger_page.layout(year="1890", scale="nope")
    text = str(page)
    assert "The link had a value Holocarbon cannot use" in text and "scale must be one of" in text


def test_adjustment_title_counts_the_regions_and_bunkers_have_no_adjustment(accounts):
    """Issue 13: the continents view said "top 20 producers" for 7 bars; the bunker line showed −100 %."""
    from components.ledger_view import build_adjustment_figure, table_records

    cont = accounts.ledger(Query(year=2011, grouping="continents"))
    fig = build_adjustment_figure(cont)
    n = len(fig.data[0].y)
    assert fig.layout.title.text == f"Consumption vs production, all {n} regions, 2011" and 3 <= n < 20
    top = build_adjustment_figure(accounts.ledger(Query(year=2011)))
    assert top.layout.title.text == "Consumption vs production, top 20 producers, 2011" and len(top.data[0].y) == 20
    rows = {r["region"]: r for r in table_records(accounts.ledger(Query(year=2011)))}
    assert rows["BUNKERS"]["adjustment_pct"] is None and rows["BUNKERS"]["transfer_mt_co2e"] < 0
    assert rows["CHN"]["adjustment_pct"] is not None


def test_table_caveats_sit_next_to_the_region():
    ids = [c["id"] for c in lv.table_columns(90)]
    assert ids[:4] == ["name", "region", "method_label", "row_flag"]
    assert ids.index("production_mt_co2e_interval") == ids.index("production_mt_co2e") + 1


@pytest.mark.parametrize("year,kind,words", [
    (2022, "nowcast", "Modelled: consumption nowcast on the 2011 table"),
    (2011, "mrio", "Consumption from the WIOD table of 2011"),
    (1995, "mrio", "Consumption from the WIOD table of 1995"),
    (1994, "production-only", "Production only: no input–output table before 1995"),
])
def test_year_badge_says_what_the_year_rests_on(year, kind, words):
    """Issue 13: a nowcast year was flagged only in small grey text; the badge beside the year says it is modelled."""
    from components.controls import controls, year_status

    assert year_status(year) == (words, kind)
    layout = str(controls("t", Query(year=year)))
    assert words in layout and f"year-status-{kind}" in layout


@pytest.mark.parametrize("gwp,label", [("AR6-GWP20", "AR6 GWP20"), ("AR5", "AR5 GWP100")])
def test_headline_names_the_gwp_set_once(app, accounts, gwp, label):
    """The headline's method and notes name the GWP set as GWP_LABELS does: with GWP20 it once read
    'AR6-GWP20 GWP100' (issue 13, item 2)."""
    from components.charts import CHARTS

    out = CHARTS["ledger-headline"].build(accounts, Query(gwp=gwp), {})
    text = out.method + " ".join(out.notes)
    assert label in out.method
    assert "GWP20 GWP100" not in text and "GWP100 GWP100" not in text
    assert "REFERENCES.md" not in text  # a file a reader cannot open


def test_consumption_pages_open_on_the_last_measured_table(app, ledger_page):
    """Issue 13, item 2: the ledger and trade pages opened on 2022, a nowcast; without a year in the link they open
    on 2011 (the last WIOD 2013 table) and say why; a year in the link is kept, and a bad link falls back to 2011."""
    import pages.trade as trade

    with app.server.test_request_context():
        for page in (ledger_page, trade):
            plain, chosen, bad = str(page.layout()), str(page.layout(year="2022")), str(page.layout(year="1890"))
            assert "value=2011" in plain.replace(" ", "") and "Opens on 2011" in plain and "2012–2023" in plain
            assert "value=2022" in chosen.replace(" ", "") and "Opens on" not in chosen
            assert "value=2011" in bad.replace(" ", "") and "cannot use" in bad


def test_cached_ledger_views_answer_each_request_its_own(app, ledger_page):
    """The built charts are shared between requests through the cache: eight different views asked at once (two
    rounds, so the second is served from the cache) each get the charts of their own year, perspective and scale."""
    from concurrent.futures import ThreadPoolExecutor

    views = [(y, p, sc) for y in (2005, 2011) for p in ("production", "consumption") for sc in ("absolute",
                                                                                               "per_capita")]

    def ask(v):
        y, p, sc = v
        with app.server.test_request_context():
            fig, _, rows, adj, *_ = ledger_page.update_ledger(y, "AR5", ALL_GASES, "mean", "countries", "", p, sc,
                                                               None)
        return v, go.Figure(fig).layout.title.text, go.Figure(adj).layout.title.text, len(rows)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, views + views[::-1]))
    for (y, p, sc), title, adj_title, n in answers:
        assert title.startswith(lv.PERSPECTIVE_TITLES[p] + f", {y}"), (y, p, sc, title)
        assert ("per person" in title) == (sc == "per_capita"), title
        assert adj_title.endswith(str(y)) and n > 200

