"""Country page: figure builders on the figure dict, the page callback on real data, bad codes."""

from __future__ import annotations

import pandas as pd
import pytest

from components.country_view import (
    build_bridge_figure,
    build_partners_figure,
    build_sector_gas_figure,
    build_series_figure,
    map_view,
    partners,
)
from engine.core.query import Query


@pytest.fixture(scope="module")
def china(accounts):
    q = Query(year=2018)
    led = accounts.ledger(q).set_index("region")
    return q, led.loc["CHN"], accounts.series(q, "CHN")


def test_series_figure_marks_nowcast_dashed(china):
    _, _, series = china
    fig = build_series_figure(series, "China")
    names = [t.name for t in fig.data]
    assert names == ["Production (territorial)", "Consumption (WIOD years)", "Consumption (nowcast, modelled)",
                     "Panoramic"]
    wiod, now = fig.data[1], fig.data[2]
    assert wiod.line.dash is None and now.line.dash == "dash"
    assert min(wiod.x) == 1995 and max(wiod.x) == 2011 and min(now.x) == 2011 and max(now.x) == 2023
    assert fig.layout.yaxis.title.text == "Mt CO2e per year"
    assert "Mt CO2e" in fig.data[0].hovertemplate
    assert "nowcast on the 2011 structure" in fig.layout.annotations[0].text


def test_sector_gas_figure_stacks_gases(accounts, china):
    q, _, _ = china
    prod = accounts.production(q)
    prod = prod[prod["code"] == "CHN"].groupby(["sector", "gas"], as_index=False)["emissions_mt_co2e"].sum()
    fig = build_sector_gas_figure(prod, "China", 2018)
    assert fig.layout.barmode == "stack"
    assert {t.name for t in fig.data} == {"CO2", "CH4", "N2O", "F-gases"}
    total = sum(float(sum(t.x)) for t in fig.data)
    assert total == pytest.approx(prod["emissions_mt_co2e"].sum(), rel=1e-9)
    assert "F-gases in AR5 CO2e as published" in fig.layout.annotations[0].text


def test_bridge_waterfall_closes(china):
    _, row, _ = china
    fig = build_bridge_figure(row, "China", 2018).to_dict()
    wf = fig["data"][0]
    assert wf["type"] == "waterfall" and wf["measure"] == ["absolute", "relative", "total", "relative", "relative",
                                                           "total"]
    assert wf["y"][0] + wf["y"][1] == pytest.approx(row["consumption_mt_co2e"], rel=1e-9)
    assert wf["y"][0] + wf["y"][1] + wf["y"][3] + wf["y"][4] == pytest.approx(row["panoramic_mt_co2e"], rel=1e-9)


def test_partners_and_figure(accounts, china):
    q, _, _ = china
    imp, exp = partners(accounts.flows(q), "CHN")
    assert len(imp) == 10 and len(exp) == 10 and "CHN" not in set(imp["partner"]) | set(exp["partner"])
    assert "USA" in set(exp["partner"])
    fig = build_partners_figure(imp, exp, accounts.names(), "China", 2018, "nowcast").to_dict()
    assert len(fig["data"]) == 2 and "United States" in fig["data"][1]["y"]
    empty = build_partners_figure(pd.DataFrame(columns=["partner", "emissions_mt_co2e"]),
                                  pd.DataFrame(columns=["partner", "emissions_mt_co2e"]), {}, "X", 1990, "n/a")
    assert empty.to_dict()["data"] == []


def test_map_view_frames_bounds():
    center, zoom = map_view((-10.0, 35.0, 30.0, 60.0))
    assert center == {"lat": 47.5, "lon": 10.0} and 2.0 < zoom < 4.0
    assert map_view((100.0, 20.0, 100.5, 20.5))[1] == 8


def test_unknown_code_is_404_with_suggestions(settings):
    from app import create_app

    client = create_app(settings).server.test_client()
    assert client.get("/country/FRA").status_code == 200
    assert client.get("/country/EU27").status_code == 200
    assert client.get("/country/FRX").status_code == 404
    assert client.get("/country/..%2fetc").status_code == 404


def test_uncertainty_for_is_one_per_accounts_outside_the_app(accounts):
    """Outside an app context (scripts, the briefing renderer in tests) chart builders get one Uncertainty per
    accounts object, built once even when several threads ask at the same time, and never another accounts' one."""
    from concurrent.futures import ThreadPoolExecutor

    from components.runtime import uncertainty_for
    from engine.accounts.ledger import Accounts

    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(lambda _: uncertainty_for(accounts), range(12)))
    assert all(u is got[0] for u in got) and got[0].accounts is accounts
    other = Accounts(accounts.pack)
    assert uncertainty_for(other) is not got[0] and uncertainty_for(other).accounts is other


def test_partners_sorted_by_both_flows_and_named_in_words(accounts, china):
    """Issue 13: the partners were in the order plotly met them; now by imports + exports, largest on top, and the
    legend says what each bar is instead of "made in →"."""
    q, _, _ = china
    imp, exp = partners(accounts.flows(q), "CHN")
    fig = build_partners_figure(imp, exp, accounts.names(), "China", 2018, "nowcast").to_dict()
    order = fig["layout"]["yaxis"]["categoryarray"][::-1]  # top first
    total = (imp.set_index("partner")["emissions_mt_co2e"].add(exp.set_index("partner")["emissions_mt_co2e"],
                                                               fill_value=0).sort_values(ascending=False))
    names = accounts.names()
    assert order == [names.get(p, p) for p in total.index]
    assert order[0] in ("United States", "Rest of the world (WIOD RoW)")  # the largest two flows of China's trade
    legend = [t["name"] for t in fig["data"]]
    assert legend == ["Made in the partner, consumed in China (imports)",
                      "Made in China, consumed in the partner (exports)"]


def test_small_countries_keep_their_digits(accounts):
    """Iceland's bridge read "+0" and "−0" and its axis "0 1 1 2 2": labels and ticks take decimals by magnitude."""
    from components.country_view import axis_format, build_bridge_figure, decimals_for

    assert (decimals_for(15160), decimals_for(4.2), decimals_for(0.4)) == (0, 1, 2)
    assert (axis_format([12000, 50]), axis_format([4.2, 1.1]), axis_format([0.4, -0.2])) == (",.0f", ",.1f", ",.2f")
    q = Query(year=2011)
    row = accounts.ledger(q).set_index("region").loc["ISL"]
    fig = build_bridge_figure(row, "Iceland", 2011).to_dict()
    labels = fig["data"][0]["text"]
    assert all(t.strip("+−-0.,") for t in labels), labels  # no label is a bare zero
    big = max(abs(float(row[c])) for c in ("production_mt_co2e", "consumption_mt_co2e"))
    assert fig["layout"]["yaxis"]["tickformat"] == axis_format([big])


def _texts(component) -> str:
    """All the text of a Dash component tree."""
    kids = getattr(component, "children", None)
    if kids is None:
        return ""
    if isinstance(kids, str):
        return kids
    if not isinstance(kids, (list, tuple)):
        kids = [kids]
    return " ".join(k if isinstance(k, str) else _texts(k) for k in kids if k is not None)


def _classes(component) -> list[str]:
    kids = getattr(component, "children", None) or []
    kids = kids if isinstance(kids, (list, tuple)) else [kids]
    return [getattr(component, "className", "") or ""] + [c for k in kids if not isinstance(k, str)
                                                         for c in _classes(k)]


def test_row_member_page_says_what_is_its_own(accounts):
    """Issue 13, item 2: Iceland (inside WIOD's rest of the world) — its consumption, transfer and panoramic cards
    say 'Not its own: RoW share', the land sink is 'Modelled', the series draws RoW's consumption grey and names it,
    the partners chart draws no RoW bars under Iceland's name, and the box lists what is and is not known."""
    from components.charts import CHARTS
    from components.country_view import key_figures, row_member_box, row_shared

    q = Query(year=2022)
    isl = accounts.ledger(q).set_index("region").loc["ISL"]
    deu = accounts.ledger(q).set_index("region").loc["DEU"]
    assert row_shared(isl) and not row_shared(deu)
    cards = key_figures(isl, 2022)
    text, classes = _texts(cards), _classes(cards)
    assert text.count("Not its own: RoW share") == 3 and "Modelled" in text
    assert classes.count("kpi kpi-shared") == 3 and "kpi kpi-modelled" in classes
    de_classes = _classes(key_figures(deu, 2022))
    assert de_classes.count("kpi kpi-modelled") == 4  # 2022 consumption and transfer are a nowcast; sink, panoramic
    assert "kpi kpi-shared" not in de_classes
    de_2010 = accounts.ledger(Query(year=2010)).set_index("region").loc["DEU"]
    assert _classes(key_figures(de_2010, 2010)).count("kpi kpi-modelled") == 2  # a measured table: sink, panoramic
    series = build_series_figure(accounts.series(q, "ISL"), "Iceland")
    assert [t.name for t in series.data][1].startswith("Consumption, RoW share")
    box = _texts(row_member_box("Iceland", 2022, float(isl["adjustment_pct"])))
    assert "Not known for it alone" in box and "−7.5 %" in box and "EDGAR 2024" in box
    out = CHARTS["country-partners"].build(accounts, q, {"code": "ISL"})
    assert out.data.empty and "trading partners" in out.title and not any(t.type == "bar" for t in out.figure.data)
    bridge = build_bridge_figure(isl, "Iceland", 2022)
    hatched = [t for t in bridge.data if t.type == "bar"]
    assert hatched and set(hatched[0].x) >= {"Land sink<br>(modelled)", "Consumption<br>(RoW share)"}
