"""Benchmark: product footprints (engine/lca). Prints JSON lines.

- ``lca_run_30_lines``: a 30-line inventory (the passenger-car template plus 18 lines of every kind from several
  countries) with contributions, tiers, emitters, sensitivity and 20 top paths, the year's bundle and the industry
  calibration warm (budget 100 ms);
- ``lca_run_30_lines_1000_draws``: the same with 1,000 Monte Carlo draws, the uncertainty engine's emission draws
  warm (budget 2 s); the first call (emission draws cold) is reported as ``first_call_ms``;
- ``lca_templates``: every template, central;
- ``lca_api_post_30_lines``: ``POST /api/v1/lca`` of the same 30-line inventory (20 top paths, JSON answer) through
  the Flask test client, each request with a fresh seed so no answer comes from the cache (p50/p95; budget 250 ms:
  the engine's 100 ms plus parsing, checking and serialising the answer).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.uncertainty import _ms, _stats  # noqa: E402  (the JSON-line timing helpers of the benches)
from engine.accounts.ledger import Accounts  # noqa: E402
from engine.core.config import Settings  # noqa: E402
from engine.data.pack import ensure_pack  # noqa: E402
from engine.lca import LCA, from_records  # noqa: E402


def inventory_30(lca: LCA):
    scope, inv = lca.template("passenger_car")
    extra = []
    for i, (c, s) in enumerate([("DEU", "c13"), ("JPN", "c14"), ("KOR", "c14"), ("USA", "c30"), ("MEX", "c15"),
                                ("THA", "c10"), ("IND", "c4"), ("CHN", "c16")]):
        extra.append({"kind": "money", "name": f"parts {i}", "amount": 100 + 10 * i, "unit": "EUR" if i % 2 else
                      "USD", "price_year": 2015 + i, "sector": s, "origin": c})
    extra += [{"kind": "process", "name": "cement", "amount": 0.05, "unit": "t", "good": "cement"},
              {"kind": "process", "name": "steel from Japan", "amount": 0.1, "unit": "t", "good": "steel",
               "origin": "JPN"},
              {"kind": "process", "name": "urea", "amount": 0.01, "unit": "t", "good": "urea", "origin": "IND"},
              {"kind": "process", "name": "hydrogen", "amount": 0.002, "unit": "t", "good": "hydrogen"},
              {"kind": "electricity", "name": "paint shop", "amount": 150, "unit": "kWh", "origin": "DEU"},
              {"kind": "electricity", "name": "battery plant", "amount": 80, "unit": "kWh", "origin": "KOR"},
              {"kind": "transport", "name": "sea", "amount": 15000, "unit": "tkm", "mode": "sea_container"},
              {"kind": "transport", "name": "rail", "amount": 900, "unit": "tkm", "mode": "rail"},
              {"kind": "transport", "name": "air parts", "amount": 20, "unit": "tkm", "mode": "air_freight"},
              {"kind": "direct", "name": "refrigerant top-up as CO2e? (CH4 stand-in)", "amount": 0.01, "unit": "kg",
               "gas": "CH4"}]
    inv = from_records(inv.to_list() + extra)
    assert len(inv) == 30, len(inv)
    return scope, inv


def main() -> None:
    pack = ensure_pack(Settings.from_env(), show_progress=False)
    lca = LCA(Accounts(pack))
    scope, inv = inventory_30(lca)
    cold = _ms(lambda: lca.run(scope, inv, top_paths=20))
    times = [_ms(lambda: lca.run(scope, inv, top_paths=20)) for _ in range(20)]
    res = lca.run(scope, inv, top_paths=20)
    _stats("lca_run_30_lines", times, 100, lines=len(inv), paths=len(res.paths), exact=res.paths.attrs["exact"],
           first_call_ms=round(cold, 1), kg_co2e=round(res.total, 1))
    first = _ms(lambda: lca.run(scope, inv, draws=1000, top_paths=20))
    times = [_ms(lambda s=s: lca.run(scope, inv, draws=1000, seed=s, top_paths=20)) for s in range(5)]
    r = lca.run(scope, inv, draws=1000, top_paths=20)
    _stats("lca_run_30_lines_1000_draws", times, 2000, draws=1000, first_call_ms=round(first, 1),
           interval=[round(v, 1) for v in r.interval])
    for name in lca.templates()["name"]:
        s, i = lca.template(name)
        t = _ms(lambda: lca.run(s, i))
        print(json.dumps({"bench": "lca_template", "template": name, "ms": round(t, 1),
                          "kg_co2e": round(lca.run(s, i).total, 1)}), flush=True)
    api_post()


def api_post(runs: int = 30) -> None:
    """p50/p95 of POST /api/v1/lca with the 30-line inventory, through the app (memory cache, no warm-up thread)."""
    import dataclasses
    import os

    os.environ["HOLOCARBON_WARM"] = "0"
    from app import create_app
    from engine.lca import LCA as _LCA

    settings = Settings.from_env()
    client = create_app(dataclasses.replace(settings, cache_dir=None)).server.test_client()
    acc = client.application.config["HOLOCARBON_ACCOUNTS"]
    scope, inv = inventory_30(_LCA(acc))
    body = _LCA.to_json(scope, inv)

    def once(seed: int) -> int:
        r = client.post("/api/v1/lca", json={**body, "top_paths": 20, "seed": seed})
        assert r.status_code == 200, r.get_data(as_text=True)[:300]
        return len(r.data)

    cold = _ms(lambda: once(10_000))
    size = once(10_001)
    times = [_ms(lambda s=s: once(s)) for s in range(runs)]
    _stats("lca_api_post_30_lines", times, 250, lines=len(inv), first_call_ms=round(cold, 1), bytes=size)


if __name__ == "__main__":
    main()
