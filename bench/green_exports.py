"""Benchmark: the green-export model (engine/trade). Prints JSON lines.

- ``green_first``: the first result of a year (destinations assembled: exports, capacity factors, intensities);
- ``green_param_change``: a parameter change recomputes every destination and the totals, central values only,
  the year's destinations warm (budget 50 ms), median and p95 over varied parameters;
- ``green_draws``: the same with 1,000 Monte Carlo draws (budget 1 s);
- ``green_tornado``: the one-at-a-time tornado of lifetime avoided emissions (a new parameter set).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.accounts.ledger import Accounts  # noqa: E402
from engine.core.config import Settings  # noqa: E402
from engine.data.pack import ensure_pack  # noqa: E402
from engine.trade import GreenExports, GreenParams  # noqa: E402
from bench.uncertainty import _ms, _stats  # noqa: E402  (the JSON-line timing helpers of the benches)

YEAR = 2024


def main() -> None:
    acc = Accounts(ensure_pack(Settings.from_env(), show_progress=False))
    ge = GreenExports(acc)
    t = _ms(lambda: ge.result(YEAR))
    r = ge.result(YEAR)
    print(json.dumps({"bench": "green_first", "ms": round(t, 1), "destinations": len(r.destinations)}), flush=True)
    variants = [GreenParams(pv_lifetime_yr=20 + i / 2, displacement=("average", "fossil_margin")[i % 2],
                            grid_decline_pct=(i % 5) / 2) for i in range(30)]
    times = [_ms(lambda v=v: ge.result(YEAR, params=v)) for v in variants]
    _stats("green_param_change", times, 50, destinations=len(r.destinations))
    times = [_ms(lambda v=v: ge.result(YEAR, params=v.replace(installation_share=0.9), draws=1000, seed=1))
             for v in variants[:10]]
    _stats("green_draws", times, 1000, draws=1000)
    times = [_ms(lambda v=v: ge.tornado(YEAR, params=v.replace(installation_share=0.8))) for v in variants[:10]]
    _stats("green_tornado", times)


if __name__ == "__main__":
    main()
