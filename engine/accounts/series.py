"""Derived pack item: consumption-side arrays of every MRIO and nowcast year, so any Query's time series (and any
year's ledger) needs no MRIO solve at request time.

``ledger_series`` (npz): ``years`` (29,), ``cons`` (29, 4, 41) consumption per gas and MRIO region [Mt CO2e, AR5
as published], ``bunk`` (29, 4, 41) the bunker fuel inside it, ``terr`` (29, 4, 41) EDGAR production per region.
Built with the same :class:`engine.accounts.ledger.Accounts` code as the live ledger, so the two cannot disagree (tested).
"""

from __future__ import annotations

import numpy as np

from engine.core.config import Settings

SOURCE_ID = "wiod2013"
FIRST_YEAR, LAST_YEAR = 1995, 2023


def pack_items(settings: Settings | None = None, built: dict | None = None) -> dict:
    from engine.accounts.ledger import Accounts
    from engine.data.pack import MemoryPack

    if built is None:  # called on its own (not from a build): read the items from the pack
        from engine.data.pack import ensure_pack

        built_pack = ensure_pack(settings or Settings.from_env(), show_progress=False)
    else:
        built_pack = MemoryPack(built)
    acc = Accounts(built_pack)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    cons, bunk, terr = [], [], []
    for y in years:
        b = acc.bundle(int(y))
        cons.append(b.flows.sum(axis=1) + b.h)
        bunk.append(b.bunker_cons)
        terr.append(b.territorial)
    return {"ledger_series": {"years": years, "cons": np.stack(cons), "bunk": np.stack(bunk),
                              "terr": np.stack(terr)}}
