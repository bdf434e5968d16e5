"""pymrio as an independent oracle of the consumption accounts on the real WIOD 2013 table of 2011 with the real
Holocarbon satellite: pymrio's ``calc_all`` (Stadler 2021, J. Open Res. Softw. 9(1):8, doi:10.5334/jors.251)
implements the same equations separately. The identities themselves are tested by hand in
``tests/unit/test_iomath.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.core.query import GASES, Query

N_REG = 2


# ---- x, A, L -----------------------------------------------------------------------------------------------------


# ---- satellite intensities and accounts --------------------------------------------------------------------------


# ---- oracle: pymrio on the real WIOD 2011 table and the real satellite --------------------------------------------

def _pymrio_system(pack, bundle):
    """A pymrio IOSystem of WIOD 2011 with the Holocarbon satellite as one extension (F by gas; F_Y = household
    direct emissions on each region's household consumption column)."""
    import pymrio

    from engine.sources import wiod

    arrays = pack.arrays("wiod_2011")
    rows = pd.MultiIndex.from_product([wiod.REGIONS, list(wiod.SECTORS)], names=["region", "sector"])
    cols = pd.MultiIndex.from_product([wiod.REGIONS, list(wiod.FD_CATEGORIES)], names=["region", "category"])
    Z = pd.DataFrame(np.array(arrays["Z"]), index=rows, columns=rows)
    Y = pd.DataFrame(np.array(arrays["Y"]), index=rows, columns=cols)
    # Holocarbon rebuilds x = Z·1 + Y·1 (engine.io.iomath.calc_x); give pymrio the same output
    x = pd.DataFrame(Z.to_numpy().sum(axis=1) + Y.to_numpy().sum(axis=1), index=rows, columns=["indout"])
    np.testing.assert_allclose(x["indout"].to_numpy(), bundle.x, rtol=0, atol=0)
    gases = pd.Index(list(GASES), name="stressor")
    F = pd.DataFrame(bundle.f * bundle.x, index=gases, columns=rows)
    F_Y = pd.DataFrame(0.0, index=gases, columns=cols)
    for i, r in enumerate(wiod.REGIONS):
        F_Y[(r, "CONS_h")] = bundle.h[:, i]
    io = pymrio.IOSystem(Z=Z, Y=Y, x=x, name="WIOD 2011",
                         ghg={"name": "ghg", "F": F, "F_Y": F_Y, "unit": pd.DataFrame({"unit": ["Mt CO2e"] * 4},
                                                                                       index=gases)})
    io.calc_all()
    return io


@pytest.mark.slow
def test_oracle_pymrio_wiod_2011(pack, accounts):
    """Holocarbon's consumption-based accounts per region and gas on WIOD 2011 equal pymrio's ``D_cba_reg``
    (D_cba summed per consuming region + F_Y) within 1e-9 relative, and so do the multipliers ``M`` and the
    production accounts ``D_pba_reg``. Also end to end: the ledger with MRIO regions (AR5, one gas at a time)
    reports the same consumption per region.

    pymrio 0.7.0, ``IOSystem.calc_all`` (Stadler 2021, doi:10.5334/jors.251).
    """
    from engine.sources import wiod

    b = accounts.bundle(2011)
    assert b.method == "mrio" and b.structure_year == 2011
    io = _pymrio_system(pack, b)
    regions = list(wiod.REGIONS)
    d_cba = io.ghg.D_cba_reg.reindex(index=list(GASES), columns=regions).to_numpy()
    ours = b.flows.sum(axis=1) + b.h  # (gas, consuming region)
    np.testing.assert_allclose(ours, d_cba, rtol=1e-9, atol=1e-9 * np.abs(d_cba).max())

    d_pba = io.ghg.D_pba_reg.reindex(index=list(GASES), columns=regions).to_numpy()
    prod = (b.f * b.x).reshape(4, len(regions), -1).sum(axis=2) + b.h
    np.testing.assert_allclose(prod, d_pba, rtol=1e-9, atol=1e-9 * np.abs(d_pba).max())

    M = io.ghg.M.reindex(index=list(GASES)).to_numpy()
    np.testing.assert_allclose(b.M, M, rtol=1e-9, atol=1e-9 * np.abs(M).max())

    iso = [wiod.REGION_ISO3[r] for r in regions]
    for g, gas in enumerate(GASES):
        led = accounts.ledger(Query(year=2011, gwp="AR5", gases=(gas,), grouping="mrio")).set_index("region")
        np.testing.assert_allclose(led.loc[iso, "consumption_mt_co2e"].to_numpy(), d_cba[g], rtol=1e-9,
                                   atol=1e-9 * np.abs(d_cba[g]).max())
