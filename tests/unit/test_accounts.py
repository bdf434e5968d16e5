"""The ledger on the synthetic pack: invariants that hold for any table size (world consumption = world
production, groups = sums of members, rest-of-world sharing, flows = consumption, GWP switch), and pymrio as an
independent oracle of the consumption accounts (Stadler 2021, J. Open Res. Softw. 9(1):8, doi:10.5334/jors.251)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core.gwp import gwp_factor
from engine.core.query import GASES, GWP_SETS, Query
from tests.support import synthetic

YEARS = (2000, 2011, 2016)  # a table year, the last table year, a nowcast year


def test_tables_come_from_the_pack_labels(synthetic_accounts):
    t = synthetic_accounts.tables()
    assert t.regions == synthetic.REGIONS and len(t.sectors) == 35 and t.fd_categories == synthetic.FD
    assert t.years == tuple(synthetic.TABLE_YEARS)
    assert synthetic_accounts.bundle(2011).flows.shape == (4, 3 * 35, 3)


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("gases", [GASES, ("CO2",), ("CH4", "N2O")])
def test_world_consumption_equals_world_production(synthetic_accounts, year, gases):
    w = synthetic_accounts.world_check(Query(year=year, gases=gases))
    assert w["relative_difference"] < 1e-12


def test_production_only_before_the_first_table(synthetic_accounts):
    led = synthetic_accounts.ledger(Query(year=1990))
    assert led["consumption_mt_co2e"].isna().all() and (led["method"] == "production-only").all()
    assert not led["row_share"].any()


@settings(max_examples=25, deadline=None)
@given(year=st.sampled_from(YEARS), gwp=st.sampled_from(GWP_SETS),
       grouping=st.sampled_from(["EU27", "G7", "continents", "mrio"]))
def test_group_totals_are_the_sums_of_their_members(synthetic_accounts, year, gwp, grouping):
    q = Query(year=year, gwp=gwp)
    countries = synthetic_accounts.ledger(q).set_index("region")
    grouped = synthetic_accounts.ledger(q.replace(grouping=grouping))
    for col in ("production_mt_co2e", "consumption_mt_co2e", "luc_mt_co2", "land_sink_mt_co2"):
        assert grouped[col].sum() == pytest.approx(countries[col].sum(), rel=1e-12)
    assert grouped["n_members"].sum() == len(countries)


def test_rest_of_the_world_is_shared_by_production(synthetic_accounts):
    """Italy and Spain are inside the model's RoW: together they carry RoW's consumption, each in proportion to its
    production, so both show RoW's adjustment, flagged row_share."""
    q = Query(year=2011)
    led = synthetic_accounts.ledger(q).set_index("region")
    mrio = synthetic_accounts.ledger(q.replace(grouping="mrio")).set_index("region")
    row = led.loc[["ITA", "ESP"]]
    assert row["consumption_mt_co2e"].sum() == pytest.approx(mrio.loc["ROW", "consumption_mt_co2e"], rel=1e-12)
    assert row["adjustment_pct"].iloc[0] == pytest.approx(row["adjustment_pct"].iloc[1], rel=1e-12)
    assert row["row_share"].all() and not led.loc[["FRA", "DEU"], "row_share"].any()


def test_panoramic_transfer_adjustment_and_per_capita(synthetic_accounts):
    led = synthetic_accounts.ledger(Query(year=2011)).set_index("region")
    fra = led.loc["FRA"]
    assert fra["transfer_mt_co2e"] == pytest.approx(fra["consumption_mt_co2e"] - fra["production_mt_co2e"])
    assert fra["panoramic_mt_co2e"] == pytest.approx(fra["consumption_mt_co2e"] + fra["luc_mt_co2"]
                                                     - fra["land_sink_mt_co2"])
    assert fra["adjustment_pct"] == pytest.approx(100 * fra["transfer_mt_co2e"] / fra["production_mt_co2e"])
    assert fra["population"] == pytest.approx(synthetic.POPULATION["FRA"], rel=1e-9)
    assert fra["production_t_per_capita"] == pytest.approx(fra["production_mt_co2e"] * 1e6 / 65e6)


def test_land_sink_of_all_lines_is_the_global_sink(synthetic_accounts, synthetic_pack):
    led = synthetic_accounts.ledger(Query(year=2011))
    budget = synthetic_pack.table("gcb_global_budget").set_index("year")
    assert led["land_sink_mt_co2"].sum() == pytest.approx(budget.loc[2011, "land_sink_gtc"] * 1000 * 3.664)  # 1 GtC = 3.664
    co2_off = synthetic_accounts.ledger(Query(year=2011, gases=("CH4",)))
    assert (co2_off["luc_mt_co2"] == 0).all() and (co2_off["land_sink_mt_co2"] == 0).all()


def test_gwp_switch_rescales_methane_exactly(synthetic_accounts):
    ar5 = synthetic_accounts.ledger(Query(year=2011, gases=("CH4",))).set_index("region")
    ar6 = synthetic_accounts.ledger(Query(year=2011, gases=("CH4",), gwp="AR6")).set_index("region")
    factor = gwp_factor("CH4", "AR6") / gwp_factor("CH4", "AR5")
    assert np.allclose(ar6["production_mt_co2e"], ar5["production_mt_co2e"] * factor, rtol=1e-12)
    assert np.allclose(ar6["consumption_mt_co2e"], ar5["consumption_mt_co2e"] * factor, rtol=1e-12)


@pytest.mark.parametrize("year", YEARS)
def test_flows_into_a_region_sum_to_its_consumption(synthetic_accounts, year):
    q = Query(year=year, grouping="mrio")
    fl = synthetic_accounts.flows(q)
    led = synthetic_accounts.ledger(q).set_index("region")
    inbound = fl.groupby("consumer")["emissions_mt_co2e"].sum()
    for r in synthetic.REGIONS:
        # the model regions' consumption includes embodied bunker fuel, which flows also carry
        assert inbound[r] == pytest.approx(led.loc[r, "consumption_mt_co2e"], rel=1e-10)
    by_sector = synthetic_accounts.flows(q, by_sector=True)
    assert set(by_sector["sector"]) <= set(synthetic.SECTORS) | {"HH"}
    assert by_sector["emissions_mt_co2e"].sum() == pytest.approx(fl["emissions_mt_co2e"].sum(), rel=1e-12)


def test_nowcast_uses_the_last_table_and_gdp_growth(synthetic_accounts):
    b = synthetic_accounts.bundle(2016)
    assert b.method == "nowcast" and b.structure_year == 2011
    growth = synthetic_accounts.demand_growth(2011, 2016)
    assert growth == pytest.approx([1.02 ** 5] * 3, rel=1e-9)  # synthetic GDP grows 2 % a year everywhere
    s = b.system
    assert np.allclose(s.Z.sum(axis=1) + s.Y.sum(axis=1), s.x, rtol=1e-9)  # the scaled table stays balanced


def test_bundle_arrays_are_read_only(synthetic_accounts):
    """Bundles are shared by every request of a process: nobody may change them in place."""
    b = synthetic_accounts.bundle(2011)
    with pytest.raises(ValueError, match="read-only"):
        b.flows[0, 0, 0] = 1.0


def test_pymrio_oracle_on_the_synthetic_table(synthetic_accounts):
    """pymrio's calc_all on the same table and satellite gives the same consumption accounts (to 1e-9)."""
    pymrio = pytest.importorskip("pymrio")
    b = synthetic_accounts.bundle(2011)
    s = b.system
    idx = s.index()
    cols = pd.MultiIndex.from_product([s.regions, s.fd_categories], names=["region", "category"])
    io = pymrio.IOSystem(Z=pd.DataFrame(s.Z, index=idx, columns=idx), Y=pd.DataFrame(s.Y, index=idx, columns=cols))
    ext = s.extensions["ghg"]
    F_Y = np.zeros((len(GASES), s.Y.shape[1]))
    F_Y[:, ::len(s.fd_categories)] = ext.F_Y  # households' direct emissions on their consumption column
    io.ghg = pymrio.Extension(name="ghg", F=pd.DataFrame(ext.F, index=list(GASES), columns=idx),
                              F_Y=pd.DataFrame(F_Y, index=list(GASES), columns=cols))
    io.calc_all()
    ours = b.flows.sum(axis=1) + b.h
    assert np.allclose(io.ghg.D_cba_reg.to_numpy(), ours, rtol=1e-9, atol=1e-9)
