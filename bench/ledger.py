"""Benchmark: the ledger engine. Prints JSON lines.

- ``ledger_factor_change``: all-region ledger after a GWP / gases / boundary change with the year cached
  (budget 20 ms), median and p95 over 60 changes;
- ``ledger_new_year``: first request for a new year (MRIO factorisation + satellite cold; budget 300 ms), each
  MRIO year 1996–2011 and nowcast years 2012–2023 in a fresh engine;
- ``pymrio_calc_all``: pymrio 0.7 ``calc_all`` on the same year's table and satellite, and the ratio to ours.
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.accounts.ledger import Accounts  # noqa: E402
from engine.core.config import Settings  # noqa: E402
from engine.core.query import GWP_SETS, Query  # noqa: E402
from engine.data.pack import ensure_pack  # noqa: E402


def _ms(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def main() -> None:
    pack = ensure_pack(Settings.from_env(), show_progress=False)
    acc = Accounts(pack)
    acc.ledger(Query(year=2010))  # warm the year and the static tables
    variants = list(itertools.product(GWP_SETS, [("CO2",), ("CO2", "CH4", "N2O", "F-gases"), ("CH4", "N2O")],
                                      ["countries", "EU27", "G20", "continents", "mrio"]))[:60]
    times = [_ms(lambda v=v: acc.ledger(Query(year=2010, gwp=v[0], gases=v[1], grouping=v[2]))) for v in variants]
    times.sort()
    print(json.dumps({"bench": "ledger_factor_change", "n": len(times), "median_ms": round(statistics.median(times), 2),
                      "p95_ms": round(times[int(0.95 * len(times)) - 1], 2), "budget_ms": 20}))

    cold = []
    for year in list(range(1996, 2012)) + list(range(2012, 2024)):
        fresh = Accounts(pack)
        fresh.sink_shares(), fresh.gdp(), fresh.names()  # year-independent tables (loaded once per process)
        cold.append(_ms(lambda y=year: fresh.ledger(Query(year=y))))
    cold.sort()
    print(json.dumps({"bench": "ledger_new_year", "n": len(cold), "median_ms": round(statistics.median(cold), 1),
                      "max_ms": round(cold[-1], 1), "budget_ms": 300}))

    ours = _ms(lambda: Accounts(pack).bundle(2011))
    try:
        import pandas as pd
        import pymrio

        from engine.sources import wiod

        b = acc.bundle(2011)
        arr = pack.arrays("wiod_2011")
        labels = pack.table("wiod_labels")
        idx = pd.MultiIndex.from_arrays([labels["region"], labels["sector"]], names=["region", "sector"])
        regions = list(dict.fromkeys(labels["region"]))
        ycols = pd.MultiIndex.from_product([regions, [c for c in wiod.FD_CATEGORIES]], names=["region", "category"])

        def run_pymrio():
            io = pymrio.IOSystem(Z=pd.DataFrame(arr["Z"], index=idx, columns=idx),
                                 Y=pd.DataFrame(arr["Y"], index=idx, columns=ycols))
            io.emissions = pymrio.Extension(name="emissions", F=pd.DataFrame(b.f * b.x, index=["CO2", "CH4", "N2O", "F-gases"],
                                                                                   columns=idx))
            io.calc_all()

        theirs = _ms(run_pymrio)
        print(json.dumps({"bench": "pymrio_calc_all", "year": 2011, "pymrio_ms": round(theirs, 1),
                          "holocarbon_bundle_ms": round(ours, 1), "ratio_pymrio_over_ours": round(theirs / ours, 1)}))
    except ImportError:
        print(json.dumps({"bench": "pymrio_calc_all", "skipped": "pymrio not installed (requirements-dev.txt)"}))


if __name__ == "__main__":
    main()
