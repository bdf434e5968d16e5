"""Footprint layers (engine.maps.footprint) on the synthetic pack: the decomposition reproduces the ledger's embodied
flows, the grid sums to the ledger's consumption account (property test), the abroad variant, error paths."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from engine.core.gwp import reweight_factors
from engine.core.query import GASES, GWP_SETS, Query
from engine.io import iomath
from engine.maps import layers
from engine.maps.footprint import (
    DEFAULT_CONSUMER,
    VARIANTS,
    Footprints,
    demand_shares,
    entity_shares,
    household_totals,
    producer_totals,
)

GROUPING = {"ROW": "mrio", "EU27": "EU27", "G7": "G7", "G20": "G20", "OECD": "OECD"}


def _ledger_row(accounts, q, consumer):
    """The ledger's consumption account and its bunker part for a consumer [t CO2e] (the reference of every sum)."""
    led = accounts.ledger(q.replace(grouping=GROUPING.get(consumer, "countries")))
    row = led[led["region"] == consumer].iloc[0]
    return row["consumption_mt_co2e"] * 1e6, row["bunkers_in_consumption_mt_co2e"] * 1e6


def test_decomposition_reproduces_the_ledger_flows(synthetic_accounts):
    """Σ_k E[r,k,g] S[r,k,j] LY[rj,c]/x[rj] + bunker flows = the bundle's embodied flows f∘LY, and households = h."""
    b = synthetic_accounts.bundle(2011)
    S = b.shares.sector
    n_reg, n_sec = len(b.regions), len(b.sectors)
    LY, x = b.system.LY, b.x
    inv = np.divide(1.0, x, out=np.zeros_like(x), where=x > 0)
    per_j = np.einsum("rkg,rkj,rjc->grjc", b.E, S[:, :, :n_sec], (LY * inv[:, None]).reshape(n_reg, n_sec, -1))
    bunker_flows = iomath.embodied_flows(iomath.calc_f(b.system.extensions["ghg_bunkers"].F, x), LY)
    np.testing.assert_allclose(per_j.reshape(4, n_reg * n_sec, -1) + bunker_flows, b.flows, rtol=1e-9, atol=1e-12)
    G = demand_shares(S, LY, x)
    w = reweight_factors("AR5", GASES)
    a = np.eye(n_reg)[1]
    X = producer_totals(b.E, G, w, a)
    assert X.sum() == pytest.approx(float(w @ (b.flows[:, :, 1].sum(axis=1) - b.bunker_cons[:, 1])), rel=1e-9)
    np.testing.assert_allclose(household_totals(b.E, S[:, :, -1], w).sum(axis=1), w @ b.h, rtol=1e-9)


def test_entity_shares_keep_mass_and_skip_entities_without_cells():
    Ee = np.array([[2.0, 0.0], [6.0, 0.0], [5.0, 1.0], [9.0, 9.0]])
    region_of = np.array([0, 0, 0, 1])
    has_cells = np.array([True, True, False, True])
    s = entity_shares(Ee, region_of, has_cells, 2)
    np.testing.assert_allclose(s[:, 0], [0.25, 0.75, 0.0, 1.0])
    np.testing.assert_allclose(s[:, 1], [0.5, 0.5, 0.0, 1.0])  # nothing on cells in region 0: split by cell count


@hsettings(max_examples=25, deadline=None)
@given(year=st.sampled_from([1995, 2003, 2011, 2016, 2023]), gwp=st.sampled_from(GWP_SETS),
       gases=st.lists(st.sampled_from(GASES), min_size=1, max_size=4, unique=True),
       consumer=st.sampled_from(["DEU", "FRA", "ESP", "ITA", "ROW", "EU27", "G7"]))
def test_property_grid_sums_to_the_consumption_account(synthetic_grids, year, gwp, gases, consumer):
    """Mass conservation: grid + unplaced bunker fuel = the ledger's consumption account (1e-6 relative)."""
    q = Query(year=year, gwp=gwp, gases=tuple(gases))
    da = synthetic_grids.layer("footprint", q, consumer=consumer)
    cons, bunk = _ledger_row(synthetic_grids.accounts, q, consumer)
    total = float(da.values.astype(np.float64).sum())
    assert da.attrs["unplaced_bunker_t"] == pytest.approx(bunk, rel=1e-9, abs=1e-6)
    assert total + da.attrs["unplaced_bunker_t"] == pytest.approx(cons, rel=1e-6, abs=1e-3)
    assert da.attrs["modelled"] == 1 and da.attrs["io_method"] == ("mrio" if year <= 2011 else "nowcast")
    assert da.attrs["units"] == "t CO2e cell-1 yr-1" and da.attrs["consumer"] == consumer


def test_abroad_is_the_account_minus_the_domestic_part(synthetic_grids):
    """abroad = consumption − bunkers − (DEU-produced emissions for DEU's final demand + DEU households), from the
    bundle's flows; the grid of the abroad variant is zero on DEU's cells."""
    g = synthetic_grids
    q = Query(year=2011)
    b = g.accounts.bundle(2011)
    r = list(b.regions).index("DEU")
    n_sec = len(b.sectors)
    w = reweight_factors(q.gwp, q.gases)
    F_b = b.system.extensions["ghg_bunkers"].F
    own = slice(r * n_sec, (r + 1) * n_sec)
    bunker_flows = iomath.embodied_flows(iomath.calc_f(F_b, b.x), b.system.LY)
    domestic = float(w @ (b.flows[:, own, r].sum(axis=1) - bunker_flows[:, own, r].sum(axis=1) + b.h[:, r])) * 1e6
    cons, bunk = _ledger_row(g.accounts, q, "DEU")
    allv = g.layer("footprint", q, consumer="DEU")
    abroad = g.layer("footprint", q, consumer="DEU", variant="abroad")
    assert float(abroad.values.astype(np.float64).sum()) == pytest.approx(cons - bunk - domestic, rel=1e-6)
    assert allv.attrs["domestic_t"] == pytest.approx(domestic, rel=1e-9)
    assert allv.attrs["share_abroad"] == pytest.approx((cons - bunk - domestic) / (cons - bunk), rel=1e-6)
    ctx = g.context()
    deu = ctx.cells[ctx.ent == ctx.entity_index()["DEU"]]
    assert abroad.values.ravel()[deu].max() == 0 and allv.values.ravel()[deu].sum() > 0


def test_sector_choice_filters_the_producing_sector(synthetic_grids):
    q = Query(year=2011)
    parts = [synthetic_grids.layer("footprint", q, s, consumer="FRA") for s in
             ("Power Industry", "Transport", "Agriculture")]
    assert all(p.attrs["sector"] != "all" for p in parts)
    assert parts[0].attrs["unplaced_bunker_t"] == 0 and parts[1].attrs["unplaced_bunker_t"] > 0
    whole = synthetic_grids.layer("footprint", q, consumer="FRA")
    assert sum(p.attrs["footprint_t"] for p in parts) < whole.attrs["footprint_t"] * (1 + 1e-9)


def test_footprints_are_cached_per_consumer_and_variant(synthetic_grids):
    q = Query(year=2011)
    a = synthetic_grids.layer("footprint", q, consumer="ITA")
    assert synthetic_grids.layer("footprint", q.replace(luc_model="BLUE"), consumer="ITA") is a  # ignored choice
    assert synthetic_grids.layer("footprint", q, consumer="ESP") is not a
    assert synthetic_grids.with_params(consumer="ITA").layer("footprint", q) is a
    assert not a.values.flags.writeable


def test_without_a_consumer_the_engine_draws_the_default(synthetic_grids):
    da = synthetic_grids.layer("footprint", Query(year=2011))
    assert da.attrs["consumer"] == DEFAULT_CONSUMER and da.attrs["long_name"] == layers.get("footprint").title


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"consumer": "GERMANY"}, "consumer must be a ledger country"),
    ({"consumer": "DEU", "variant": "imports"}, "variant must be one of all, abroad"),
])
def test_bad_consumer_or_variant(synthetic_grids, kwargs, match):
    with pytest.raises(ValueError, match=match) as info:
        synthetic_grids.layer("footprint", Query(year=2011), **kwargs)
    if "variant" not in kwargs:
        assert "DEU" in info.value.allowed and "EU27" in info.value.allowed


def test_no_footprint_before_the_table(synthetic_grids):
    with pytest.raises(ValueError, match="the footprint layer covers 1995–2023; got 1994"):
        synthetic_grids.layer("footprint", Query(year=1994), consumer="DEU")


def test_other_layers_ignore_the_consumer_and_unknown_params_are_refused(synthetic_grids):
    q = Query(year=2011)
    assert synthetic_grids.layer("emissions", q, consumer="DEU") is synthetic_grids.layer("emissions", q)
    with pytest.raises(ValueError, match="layer parameters are consumer, variant; got 'colour'"):
        synthetic_grids.with_params(colour="red")
    assert VARIANTS == ("all", "abroad")


def test_consumers_list_groups_then_countries(synthetic_grids):
    c = Footprints(synthetic_grids).consumers(2011)
    assert c[:2] == ("ROW", "EU27") and "DEU" in c and "BUNKERS" not in c
