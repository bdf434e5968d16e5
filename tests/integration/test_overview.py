"""Home-page summaries (engine.accounts.overview) and their figure builders, on the real EDGAR and GCB files."""

from __future__ import annotations

import pytest

from components.figures import build_budget_figure, build_world_ghg_figure
from engine.accounts import overview
from engine.sources import edgar, gcb


@pytest.fixture(scope="module")
def by_sector(settings):
    return edgar.read_ghg_by_sector(settings)


@pytest.fixture(scope="module")
def budget_table(settings):
    return gcb.read_global_budget(settings)


def test_world_ghg_equals_edgar_global_total(by_sector):
    """Countries + bunkers summed per year equal EDGAR's own GLOBAL TOTAL rows (EDGAR 2024 booklet,
    GHG_by_sector_and_country); 2023 equals the 52.96 Gt CO2e headline of the EDGAR 2024 report (Crippa et al.
    2024, JRC138862, excl. LULUCF). The older 2023 report's 53.8 Gt for 2022 is a different vintage."""
    world = overview.world_ghg_by_gas(by_sector)
    total = world.groupby("year")["emissions_mt_co2e"].sum()
    glob = by_sector[by_sector["is_aggregate"] & (by_sector["iso3"] == "WLD")]
    if not glob.empty:
        published = glob.groupby("year")["emissions_mt_co2e"].sum()
        assert (total - published).abs().max() < 1.0  # Mt, rounding of the sheet
    assert total[2023] == pytest.approx(52_960, abs=10)
    assert total[2022] < total[2023]
    assert list(world["gas"].unique()) == list(overview.GAS_ORDER)
    assert world["year"].min() == 1970 and world["year"].max() == 2023


def test_budget_2023_matches_gcb(budget_table):
    """GCB 2024 global budget 2023 (REFERENCES.md): fossil 10.314, LUC 0.989, growth 5.926, ocean 2.881,
    land 2.302, carbonation 0.214, imbalance -0.019 GtC; sources minus sinks equals zero with the imbalance."""
    b = overview.global_budget(budget_table, 2023).set_index("term")["gt_c"]
    assert b["Fossil CO2 emissions"] == pytest.approx(10.314, abs=0.001)
    assert b["Ocean sink"] == pytest.approx(-2.881, abs=0.001)
    assert b["Land sink"] == pytest.approx(-2.302, abs=0.001)
    assert abs(b.sum()) < 0.005


def test_budget_bad_year(budget_table):
    with pytest.raises(ValueError, match=r"year 1900 is outside the global budget \(1959–2023\)"):
        overview.global_budget(budget_table, 1900)


def test_world_figure_has_one_area_per_gas_and_units(by_sector):
    fig = build_world_ghg_figure(overview.world_ghg_by_gas(by_sector)).to_dict()
    assert [t["name"] for t in fig["data"]] == list(overview.GAS_ORDER)
    assert all(t["stackgroup"] == "ghg" for t in fig["data"])
    assert fig["layout"]["yaxis"]["title"]["text"] == "Gt CO2e per year"
    assert "2023" in fig["layout"]["title"]["text"]
    assert "EDGAR 2024" in fig["layout"]["annotations"][0]["text"]
    assert "Gt CO2e" in fig["data"][0]["hovertemplate"]


def test_budget_figure_colours_sources_and_sinks(budget_table):
    data = overview.global_budget(budget_table, 2023)
    fig = build_budget_figure(data, 2023).to_dict()
    bar = fig["data"][0]
    assert bar["orientation"] == "h" and len(bar["y"]) == len(data)
    colours = dict(zip(bar["y"], bar["marker"]["color"]))
    assert colours["Fossil CO2 emissions"] != colours["Ocean sink"]
    # issue 13, item 9: the CO2 that stays in the air is not drawn as a blue sink, and is named for what it is
    assert "Atmospheric growth" not in colours and colours["Stays in the atmosphere"] not in (
        colours["Ocean sink"], colours["Land sink"], colours["Fossil CO2 emissions"])
    assert colours["Budget imbalance"] != colours["Ocean sink"]
    kinds = data.set_index("term")["kind"]
    assert kinds["Atmospheric growth"] == "atmosphere" and kinds["Ocean sink"] == "sink"
    assert fig["layout"]["xaxis"]["title"]["text"] == "Gt CO2 per year"
    assert "Global Carbon Budget 2024" in fig["layout"]["annotations"][0]["text"]
