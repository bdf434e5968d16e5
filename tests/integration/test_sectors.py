"""engine.accounts.sectors on the real pack: sector codes, ranks that add up to the world, MRIO intensities, foreign shares.

Reference pattern (electricity intensity): coal-based power in China and India emits several times more per
dollar of output than the hydro/nuclear systems of France and Sweden (WIOD Environmental Accounts, Corsatea et al.
2019, doi:10.2760/024036; IEA CO2 emissions per kWh 2011: CHN ~760 g, IND ~860 g, FRA ~60 g, SWE ~20 g).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.accounts import sectors
from engine.core.query import Query
from engine.io.satellite import EDGAR_SECTORS

Q11 = Query(year=2011)


# ---- catalogue and codes -----------------------------------------------------------------------------------
def test_catalogue_has_8_edgar_and_35_mrio_sectors():
    cat = sectors.sector_catalogue()
    assert list(cat.columns[:3]) == ["code", "name", "kind"]
    assert (cat["kind"] == "edgar").sum() == len(EDGAR_SECTORS) == 8
    assert list(cat.loc[cat["kind"] == "mrio", "code"]) == [f"c{i}" for i in range(1, 36)]
    assert cat["code"].is_unique
    assert "power-industry" in set(cat["code"])
    assert cat.set_index("code").loc["c17", "name"] == "Electricity, Gas and Water Supply"
    assert not cat["name"].str.contains(" ,").any()  # tidied WIOD names


@pytest.mark.parametrize("code,expected", [("power-industry", ("power-industry", "edgar", "Power Industry")),
                                           ("Power Industry", ("power-industry", "edgar", "Power Industry")),
                                           ("fuel_exploitation", ("fuel-exploitation", "edgar", "Fuel Exploitation")),
                                           ("c17", ("c17", "mrio", "c17")), ("C1", ("c1", "mrio", "c1"))])
def test_resolve_sector_accepts_slugs_names_and_codes(code, expected):
    s = sectors.resolve_sector(code)
    assert (s.code, s.kind, s.label) == expected
    assert sectors.is_known_sector(code)


@pytest.mark.parametrize("code,hint", [("power-indstry", "power-industry"), ("c71", "c7"), ("transprt", "transport"),
                                       ("agricultur", "agriculture")])
def test_unknown_code_names_the_closest_matches(code, hint):
    with pytest.raises(ValueError, match=f"unknown sector '{code}'; did you mean .*{hint}"):
        sectors.resolve_sector(code)
    assert not sectors.is_known_sector(code)
    assert hint in sectors.closest_sectors(code)


@pytest.mark.parametrize("code", ["c0", "c36", "", "nope", "../etc", "x" * 500])
def test_bad_codes_refused(code):
    with pytest.raises(ValueError, match="unknown sector"):
        sectors.resolve_sector(code)


def test_mrio_index_only_for_mrio():
    assert sectors.resolve_sector("c17").index == 16
    with pytest.raises(ValueError, match="EDGAR sector"):
        _ = sectors.resolve_sector("waste").index


# ---- EDGAR sector by country -------------------------------------------------------------------------------
@pytest.mark.parametrize("sector", list(sectors.EDGAR_SLUGS))
def test_country_ranks_sum_to_world_total(accounts, sector):
    """Country lines of a sector add up to the world total of that sector in the production table."""
    d = sectors.edgar_sector_by_country(accounts, Q11, sector)
    prod = accounts.production(Q11)
    world = prod.loc[prod["sector"] == sectors.EDGAR_SLUGS[sector], "emissions_mt_co2e"].sum()
    assert list(d.columns) == ["code", "name", "emissions_mt_co2e", "share_pct"]
    assert d["emissions_mt_co2e"].sum() == pytest.approx(world, rel=1e-9)
    assert d.attrs["world_mt_co2e"] == pytest.approx(world, rel=1e-9)
    assert d["share_pct"].sum() == pytest.approx(100.0)
    assert d["emissions_mt_co2e"].is_monotonic_decreasing
    assert d["code"].is_unique


def test_power_industry_2011_led_by_china_and_usa(accounts):
    d = sectors.edgar_sector_by_country(accounts, Q11, "power-industry")
    assert list(d["code"][:2]) == ["CHN", "USA"]
    assert d.iloc[0]["name"] == "China" and 25 < d.iloc[0]["share_pct"] < 40


def test_gwp_and_gases_apply(accounts):
    co2 = sectors.edgar_sector_by_country(accounts, Q11.replace(gases=("CO2",)), "agriculture")
    ar5 = sectors.edgar_sector_by_country(accounts, Q11, "agriculture")
    gwp20 = sectors.edgar_sector_by_country(accounts, Q11.replace(gwp="AR6-GWP20"), "agriculture")
    assert co2.attrs["world_mt_co2e"] < ar5.attrs["world_mt_co2e"] < gwp20.attrs["world_mt_co2e"]


def test_edgar_ranks_refuse_mrio_codes(accounts):
    with pytest.raises(ValueError, match="WIOD sector"):
        sectors.edgar_sector_by_country(accounts, Q11, "c17")


def test_edgar_ranks_exist_before_1995(accounts):
    d = sectors.edgar_sector_by_country(accounts, Query(year=1970), "power-industry")
    assert len(d) > 100 and d["emissions_mt_co2e"].sum() > 1000


# ---- MRIO intensities --------------------------------------------------------------------------------------
def test_intensity_columns_units_and_positive(accounts):
    d = sectors.mrio_sector_intensity(accounts, Q11, "c17")
    assert list(d.columns) == ["region", "name", "intensity_kg_per_usd", "emissions_mt_co2e", "output_musd"]
    assert len(d) == 41 and (d["intensity_kg_per_usd"] > 0).all() and (d["output_musd"] > 0).all()
    # kg CO2e per USD = 1000 x Mt CO2e per M USD = 1000 x emissions / output
    np.testing.assert_allclose(d["intensity_kg_per_usd"], 1000 * d["emissions_mt_co2e"] / d["output_musd"])
    assert d["intensity_kg_per_usd"].is_monotonic_decreasing


def test_electricity_intensity_pattern_2011(accounts):
    """Coal-heavy power (CHN, IND) is far more emission-intensive per dollar than FRA/SWE (module docstring)."""
    d = sectors.mrio_sector_intensity(accounts, Q11, "c17").set_index("region")["intensity_kg_per_usd"]
    assert min(d["CHN"], d["IND"]) > 5 * max(d["FRA"], d["SWE"])
    assert 1 < d["CHN"] < 20 and 0.05 < d["FRA"] < 1


@pytest.mark.parametrize("code", ["c1", "c12", "c17", "c24", "c30"])
def test_sector_emissions_match_the_flows(accounts, code):
    """φ·x of a WIOD sector equals the embodied flows leaving it, summed over consuming regions (L·Y·1 = x)."""
    d = sectors.mrio_sector_intensity(accounts, Q11, code).set_index("region")
    fl = accounts.flows(Q11.replace(grouping="mrio"), by_sector=True)
    per = fl[fl["sector"] == code].groupby("producer")["emissions_mt_co2e"].sum()
    pd.testing.assert_series_equal(d["emissions_mt_co2e"].sort_index(), per.reindex(d.index).sort_index(),
                                   check_names=False, rtol=1e-6)


def test_intensity_follows_gwp(accounts):
    """Agriculture is CH4/N2O-heavy: GWP20 raises its intensity, CO2-only lowers it."""
    a = sectors.mrio_sector_intensity(accounts, Q11, "c1").set_index("region")["intensity_kg_per_usd"]
    g20 = sectors.mrio_sector_intensity(accounts, Q11.replace(gwp="AR6-GWP20"), "c1").set_index("region")
    co2 = sectors.mrio_sector_intensity(accounts, Q11.replace(gases=("CO2",)), "c1").set_index("region")
    assert (g20["intensity_kg_per_usd"].reindex(a.index) > a).all()
    assert (co2["intensity_kg_per_usd"].reindex(a.index) < a).all()


def test_intensity_refuses_edgar_codes(accounts):
    with pytest.raises(ValueError, match="intensities exist for WIOD sectors"):
        sectors.mrio_sector_intensity(accounts, Q11, "power-industry")


def test_nowcast_year_is_labelled(accounts):
    d = sectors.mrio_sector_intensity(accounts, Query(year=2020), "c17")
    assert d.attrs["method"] == "nowcast" and d.attrs["structure_year"] == 2011 and not d.empty


# ---- foreign final demand ----------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["c17", "c24", "c12", "power-industry", "transport", "buildings"])
def test_foreign_share_in_unit_interval(accounts, code):
    d = sectors.foreign_demand_share(accounts, Q11, code)
    assert list(d.columns) == ["region", "name", "emissions_mt_co2e", "foreign_mt_co2e", "foreign_share"]
    assert d["foreign_share"].between(0, 1).all()
    w = d.attrs["world_share"]
    assert 0 <= w <= 1
    assert w == pytest.approx(d.attrs["world_foreign_mt_co2e"] / d.attrs["world_emissions_mt_co2e"])
    assert d["foreign_share"].min() <= w <= d["foreign_share"].max()  # a weighted mean of the regions' shares
    assert (d.attrs["approximation"] is not None) == (code in sectors.EDGAR_SLUGS)


def test_foreign_share_matches_bilateral_flows(accounts):
    """Per producing region: flows to other consuming regions over all flows of the sector (flows by sector)."""
    d = sectors.foreign_demand_share(accounts, Q11, "c17").set_index("region")
    fl = accounts.flows(Q11.replace(grouping="mrio"), by_sector=True)
    fl = fl[fl["sector"] == "c17"]
    foreign = fl[fl["producer"] != fl["consumer"]].groupby("producer")["emissions_mt_co2e"].sum()
    total = fl.groupby("producer")["emissions_mt_co2e"].sum()
    for r in ("CHN", "USA", "DEU", "ROW"):
        assert d.loc[r, "foreign_share"] == pytest.approx(foreign[r] / total[r], rel=1e-9)


def test_foreign_share_pattern(accounts):
    """Shipping (c24) serves foreign demand far more than electricity (c17); small open economies export more
    of their power sector's emissions (embodied in goods) than large ones."""
    ship = sectors.foreign_demand_share(accounts, Q11, "c24").attrs["world_share"]
    power = sectors.foreign_demand_share(accounts, Q11, "c17")
    assert ship > power.attrs["world_share"] > 0.05
    s = power.set_index("region")["foreign_share"]
    assert s["BEL"] > s["USA"] and s["TWN"] > s["IND"]


def test_edgar_approximation_pools_mapped_sectors(accounts):
    """Power Industry maps to c17 only, so its approximation equals c17; Industrial Combustion pools c3..c18."""
    a = sectors.foreign_demand_share(accounts, Q11, "power-industry").set_index("region")["foreign_share"]
    b = sectors.foreign_demand_share(accounts, Q11, "c17").set_index("region")["foreign_share"]
    pd.testing.assert_series_equal(a.sort_index(), b.sort_index())
    assert sectors.edgar_targets("Industrial Combustion", tuple(f"c{i}" for i in range(1, 36))) == sorted(
        [i - 1 for i in (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18)])


def test_foreign_shares_function_on_a_toy_table():
    """Two regions, one sector: flows [[6, 4], [1, 9]] → totals 10, 10; foreign 4, 1."""
    flows = np.array([[6.0, 4.0], [1.0, 9.0]])
    total, foreign = sectors.foreign_shares(flows, n_regions=2, n_sectors=1)
    np.testing.assert_allclose(total[:, 0], [10, 10])
    np.testing.assert_allclose(foreign[:, 0], [4, 1])


# ---- before 1995 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["c17", "power-industry"])
def test_pre_1995_mrio_views_are_empty_and_flagged(accounts, code):
    q = Query(year=1990)
    f = sectors.foreign_demand_share(accounts, q, code)
    assert f.empty and f.attrs["available"] is False and "before 1995" in f.attrs["note"]
    assert np.isnan(f.attrs["world_share"])
    if code == "c17":
        i = sectors.mrio_sector_intensity(accounts, q, code)
        assert i.empty and i.attrs["available"] is False and i.attrs["method"] == "production-only"
        assert list(i.columns) == ["region", "name", "intensity_kg_per_usd", "emissions_mt_co2e", "output_musd"]
        r = sectors.sector_emissions_by_region(accounts, q, code)
        assert r.empty and r.attrs["available"] is False


def test_sector_emissions_by_region_mrio_sums_to_world(accounts):
    d = sectors.sector_emissions_by_region(accounts, Q11, "c17")
    assert d["share_pct"].sum() == pytest.approx(100)
    assert "ROW" in set(d["code"]) and d.attrs["available"] is True
