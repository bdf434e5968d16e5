"""Benchmark: uncertainty intervals. Prints JSON lines.

- ``uncertainty_emission_draws``: the correlated emission multipliers (1,000 draws × lines × sectors × gases), made
  once per process;
- ``uncertainty_new_year``: 1,000 draws for all regions of one year whose central ledger is cached: the full ledger
  with every interval column (budget 1 s), 1996–2023 sampled;
- ``uncertainty_query_change``: a GWP, gas or boundary change reusing the draws: the full ledger with intervals
  (budget 50 ms), and one column (what a page showing one perspective needs), median and p95 over 60 changes;
- ``uncertainty_series``: a country's 1970–2023 series with intervals, first call per country with the years
  warm;
- ``uncertainty_attribution``: the variance attribution of one region;
- ``uncertainty_memory``: the process's peak resident memory and the bytes of the cached draws.
"""

from __future__ import annotations

import itertools
import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.accounts.ledger import Accounts  # noqa: E402
from engine.core.config import Settings  # noqa: E402
from engine.core.query import GWP_SETS, Query  # noqa: E402
from engine.data.pack import ensure_pack  # noqa: E402
from engine.uncertainty.propagate import Uncertainty, attribution  # noqa: E402


def _ms(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def _stats(name: str, times: list[float], budget: float | None = None, **extra) -> None:
    times = sorted(times)
    out = {"bench": name, "n": len(times), "median_ms": round(statistics.median(times), 1),
           "p95_ms": round(times[max(0, int(round(0.95 * len(times))) - 1)], 1), "max_ms": round(times[-1], 1)}
    if budget is not None:
        out["budget_ms"] = budget
    out.update(extra)
    print(json.dumps(out), flush=True)


def main() -> None:
    pack = ensure_pack(Settings.from_env(), show_progress=False)
    acc = Accounts(pack)
    unc = Uncertainty(acc)
    t = _ms(unc.emission_draws)
    print(json.dumps({"bench": "uncertainty_emission_draws", "ms": round(t, 1), "draws": unc.params.draws,
                      "bytes": int(unc.emission_draws().m.nbytes), "note": "once per process"}), flush=True)

    years = [1996, 2000, 2005, 2008, 2011, 2014, 2017, 2020, 2022, 2023]
    cold = []
    for y in years:
        acc.ledger(Query(year=y))  # the central ledger of the year is cached
        cold.append(_ms(lambda y=y: unc.ledger(Query(year=y))))
    _stats("uncertainty_new_year", cold, 1000, draws=unc.params.draws, years=f"{years[0]}-{years[-1]}")

    variants = list(itertools.product(GWP_SETS, [("CO2",), ("CO2", "CH4", "N2O", "F-gases"), ("CH4", "N2O")],
                                      ["countries", "EU27", "G20", "continents", "mrio"]))[:60]
    full = [_ms(lambda v=v: unc.ledger(Query(year=2010, gwp=v[0], gases=v[1], grouping=v[2]))) for v in variants]
    _stats("uncertainty_query_change", full, 50, columns="all")
    one = [_ms(lambda v=v: unc.intervals(Query(year=2014, gwp=v[0], gases=v[1], grouping=v[2]),
                                         columns=("consumption_mt_co2e",))) for v in variants]
    _stats("uncertainty_query_change", one, 50, columns="consumption only")

    series = [_ms(lambda r=r: unc.series(Query(), r)) for r in ("DEU", "CHN", "USA", "IND", "BRA")]
    _stats("uncertainty_series", series, None, regions=5, years="1970-2023")

    att = [_ms(lambda r=r, y=y: attribution(unc, Query(year=y), r)) for r, y in
           (("CHN", 2011), ("USA", 2022), ("DEU", 2015), ("IND", 2005))]
    _stats("uncertainty_attribution", att, None)

    cached = 0
    for y in range(1995, 2024):
        yi = unc.year_inputs(y)
        cached += sum(v.nbytes for v in yi.values()) if yi else 0
        cached += unc.year_production(y).nbytes
    print(json.dumps({"bench": "uncertainty_memory", "peak_rss_mb": round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "emission_draws_mb": round(unc.emission_draws().m.nbytes / 2 ** 20, 1),
        "per_year_draws_mb_all_years": round(cached / 2 ** 20, 1)}), flush=True)


if __name__ == "__main__":
    main()
