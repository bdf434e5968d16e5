"""Benchmark: the comparison of 8 countries (``/compare``, ``/api/v1/compare``). Prints JSON lines.

- ``compare_cold``: a fresh engine (the pack open, nothing computed): the key figures of 8 countries for one year,
  their 1970–2023 series with 90 % intervals, the chart and the table (each step and the total);
- ``compare_new_regions``: the engine warm (every year's draws ready), 8 regions not compared before: what a person
  waits for after choosing another set of countries;
- ``compare_warm``: the same comparison again (the series from the cache): what a change of the measure or of the
  year costs, median and p95 over 20 repetitions;
- ``compare_without_intervals``: the series alone without intervals (the lines the page draws first, and
  ``/api/v1/compare`` without ``ci``), warm engine, 8 regions not seen before;
- ``compare_machine``: the load average when the run started (the machine is shared: compare ``cpu_ms``).

Run: ``.venv/bin/python bench/compare.py`` (about a minute on the 2-core machine).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components import compare_view as cv  # noqa: E402
from engine.accounts.ledger import Accounts  # noqa: E402
from engine.core.cache import TieredCache  # noqa: E402
from engine.core.config import Settings  # noqa: E402
from engine.core.query import Query  # noqa: E402
from engine.data.pack import ensure_pack  # noqa: E402

FIRST = ("DEU", "FRA", "CHN", "USA", "IND", "BRA", "JPN", "GBR")
SECOND = ("ITA", "ESP", "CAN", "AUS", "KOR", "MEX", "IDN", "ZAF")  # ZAF inside WIOD's rest of the world
THIRD = ("POL", "TUR", "RUS", "NLD", "BEL", "SWE", "NGA", "EGY")
YEAR = 2019


def _ms(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t) * 1000, out


def _view(acc, q: Query, codes) -> dict[str, float]:
    """The page's work for one comparison, step by step [ms]; ``cpu_ms`` is the processor time of the whole (the
    wall time on a shared machine also counts the other processes)."""
    cpu = time.process_time()
    steps = {}
    steps["key_figures_ms"], kf = _ms(lambda: cv.key_figures(acc, q, codes))
    steps["series_ms"], data = _ms(lambda: cv.series(acc, q, codes))
    steps["chart_ms"], _ = _ms(lambda: cv.build_series_figure(cv.measure_frame(data, "consumption"), "consumption",
                                                              "absolute", q.ci, q.year, cv.shared_row(acc, codes)))
    steps["table_ms"], _ = _ms(lambda: cv.key_figures_table(kf))
    steps["total_ms"] = sum(steps.values())
    steps["cpu_ms"] = (time.process_time() - cpu) * 1000
    return {k: round(v, 1) for k, v in steps.items()}


def main() -> None:
    print(json.dumps({"bench": "compare_machine", "load_average_1min": round(os.getloadavg()[0], 2),
                      "cpus": os.cpu_count()}))
    pack = ensure_pack(Settings.from_env(), show_progress=False)
    q = Query(year=YEAR)
    acc = Accounts(pack, cache=TieredCache(memory_items=4096))
    print(json.dumps({"bench": "compare_cold", "regions": len(FIRST), "year": YEAR, **_view(acc, q, FIRST)}))
    print(json.dumps({"bench": "compare_new_regions", "regions": len(SECOND), "year": YEAR,
                      **_view(acc, q, SECOND)}))
    runs = [_view(acc, q, FIRST) for _ in range(20)]
    warm = sorted(r["total_ms"] for r in runs)
    print(json.dumps({"bench": "compare_warm", "regions": len(FIRST), "n": len(warm),
                      "median_ms": round(statistics.median(warm), 1), "p95_ms": round(warm[int(0.95 * len(warm)) - 1], 1),
                      "median_cpu_ms": round(statistics.median(r["cpu_ms"] for r in runs), 1), "budget_ms": 1000}))
    cpu = time.process_time()
    ms, _ = _ms(lambda: cv.series(acc, q, THIRD, intervals=False))
    print(json.dumps({"bench": "compare_without_intervals", "regions": len(THIRD), "series_ms": round(ms, 1),
                      "cpu_ms": round((time.process_time() - cpu) * 1000, 1)}))


if __name__ == "__main__":
    main()
