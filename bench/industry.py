"""Benchmark: industry routes, CBAM comparison and scenarios. Prints JSON lines.

- ``industry_calibration``: calibrating every country for a year (once per year and process);
- ``industry_cbam_table``: the CBAM comparison for every Annex I country and good with Monte Carlo intervals
  (parameter draws and calibration warm; once per year and interval level);
- ``industry_scenario``: a scenario recompute for one country (central estimates, the country's calibration warm),
  median and p95 over varied scenarios (budget 20 ms);
- ``industry_ledger_effect``: the change of every ledger line's production and consumption for a new scenario,
  the year's input–output bundle warm (budget 300 ms), and the first call of a year (bundle cold);
- ``industry_page_callback``: the ``/industry`` page's server side of a scenario change (the scenario callback:
  engine call, two figures, the national table, the address), in process without a browser; the browser's
  control-change-to-redrawn-charts figure (budget 1 s p95) is ``python bench/pages.py industry``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.accounts.ledger import Accounts  # noqa: E402
from engine.core.config import Settings  # noqa: E402
from engine.data.pack import ensure_pack  # noqa: E402
from engine.industry import Industry, Scenario  # noqa: E402
from bench.uncertainty import _ms, _stats  # noqa: E402  (the JSON-line timing helpers of the benches)


def main() -> None:
    pack = ensure_pack(Settings.from_env(), show_progress=False)
    acc = Accounts(pack)
    ind = Industry(acc)
    print(json.dumps({"bench": "industry_calibration", "ms": round(_ms(lambda: ind.calibration(2018)), 1),
                      "countries": len(ind.calibration(2018))}), flush=True)
    ind.draws()
    t = _ms(lambda: ind.cbam_comparison(2018, 90))
    table = ind.cbam_comparison(2018, 90)
    print(json.dumps({"bench": "industry_cbam_table", "ms": round(t, 1), "rows": len(table),
                      "countries": int(table["iso3"].nunique()), "draws": ind.params.n_draws,
                      "modelled_rows": int(table["model"].notna().sum())}), flush=True)
    countries = ["CHN", "IND", "USA", "JPN", "DEU", "RUS", "KOR", "TUR", "BRA", "IRN"]
    for c in countries:
        ind.scenario(Scenario(country=c))  # the country's calibration and base inputs
    variants = [Scenario(country=c, eaf_share=0.3 + 0.02 * i, clean_power_share=0.2 + 0.02 * i,
                         clinker_ratio=0.6 + 0.01 * i, ccs_capture=0.1 * (i % 5))
                for i, c in enumerate(countries * 3)]
    _stats("industry_scenario", [_ms(lambda s=s: ind.scenario(s)) for s in variants], 20)
    cold = _ms(lambda: ind.ledger_effect(Scenario(country="CHN", year=2018, eaf_share=0.5)))
    warm = [_ms(lambda s=s: ind.ledger_effect(s.replace(year=2018, ccs_capture=0.05 + 0.01 * i)))
            for i, s in enumerate(variants)]
    _stats("industry_ledger_effect", warm, 300, bundle="warm", first_call_of_year_ms=round(cold, 1))
    _page_callback()


def _page_callback() -> None:
    """The industry page's scenario callback, called directly in a request context (as Dash calls it)."""
    import dataclasses

    from app import create_app

    app = create_app(dataclasses.replace(Settings.from_env(), cache_dir=None))
    from pages import industry as page

    fields = list(page.SC_FIELDS)
    values = [None] * len(fields)
    values[fields.index("cbam_year")] = 2026
    times = []
    with app.server.test_request_context("/industry"):
        page.update_view("IND", "72071210", 2019, 90, *values)  # the country's calibration and base inputs
        for i in range(20):
            v = list(values)
            v[fields.index("eaf_share" if i % 2 == 0 else "clean_power_share")] = round(0.3 + 0.03 * i, 2)
            times.append(_ms(lambda v=v: page.update_view("IND", "72071210", 2019, 90, *v)))
    _stats("industry_page_callback", times, None, page="/industry?country=IND&year=2019")


if __name__ == "__main__":
    main()
