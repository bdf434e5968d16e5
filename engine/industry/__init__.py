"""Industry and CBAM: process routes of steel, cement, aluminium, ammonia/urea and hydrogen with cited parameter
ranges, their calibration per country (production, route shares, grid intensity) checked against EDGAR, localised
embedded emissions of every CBAM good against the EU default values (IR (EU) 2025/2621), the CBAM cost per tonne,
the claim table, and scenarios whose emission change flows through the satellite into both ledgers.

Public interface (presentation-free: pandas tables and dataclasses, units in column names or ``attrs``)
----------------------------------------------------------------------------------------------------------
Orchestrator (:mod:`engine.industry.model`), built over an :class:`~engine.accounts.ledger.Accounts`::

    from engine.industry import Industry, Scenario
    ind = Industry(accounts)
    ind.calibration(year=2018)            # per country: production [kt], BF-BOF share, grid, flags
    ind.coverage(year=2018, ci=90)        # modelled direct Mt of steel+cement+aluminium vs EDGAR, with intervals
    ind.top_producers(year=2018, n=20)    # the 20 largest producers of that table
    ind.cbam_comparison(year=2018, ci=90) # every Annex I country x good: ours (interval), ratio, verdicts
    ind.cbam("CHN", "7207 12 10")         # rows for a country and/or a CN code (NotFoundError for bad codes)
    ind.cost("CHN", "7207 12 10", import_year=2026, price=None)   # EUR/t: default vs ours, benchmark, factor
    ind.exporters(n=10)                   # largest non-EU exporters to the EU27 (WIOD 2011, c11 + c12)
    ind.claim_table(); ind.claim_summary()  # China + ten exporters: verdict per good; counts per country/group
    res = ind.scenario(Scenario(country="IND", eaf_share=0.6, clean_power_share=0.5))  # ScenarioResult
    ind.ledger_effect(Scenario(...), gwp="AR5")   # change of every ledger line's production and consumption

Building blocks (pure functions, arrays in and out):

- :mod:`engine.industry.parameters` -- ``load()``, :class:`Parameters` (``central()``, ``draw()``: seeded Monte
  Carlo, triangular / uniform / fixed per row of ``data/industry_parameters.csv``), ``with_values()``.
- :mod:`engine.industry.routes` -- :class:`Emissions` (process, combustion, F-gas, electricity, indirect and the
  same for precursors), one function per route (``clinker``, ``cement``, ``pig_iron``, ``dri``,
  ``crude_steel_route``, ``crude_steel``, ``steel_product``, ``primary_aluminium``, ``secondary_aluminium``,
  ``aluminium_product``, ``ammonia``, ``urea``, ``hydrogen``), :class:`RouteInputs`, ``country_products()``.
- :mod:`engine.industry.calibration` -- ``calibrate()``, ``route_inputs()``, ``national_direct()``,
  ``edgar_industry()``, ``coverage()``; ``DRI_COUNTRIES``, ``DEFAULT_YEAR``.
- :mod:`engine.industry.cbam` -- ``charged_share()``, ``cbam_factor()``, ``free_allocation_adjustment()``,
  ``certificates_per_tonne()``, ``cost_per_tonne()``, ``verdict()``, ``good_model()``, ``annex_rows()``,
  ``compare()``, ``benchmark()``, ``eu_exporters()``, ``claim_summary()``; ``CHARGED_SHARE``, ``VERDICTS``.
- :mod:`engine.industry.scenario` -- :class:`Scenario` (frozen, hashable, ``to_params()`` / ``from_params()`` /
  ``from_query_string()``), ``apply()``, ``national()``, ``sector_delta()``, ``delta_F()``,
  ``consumption_delta()``.

Intervals: Monte Carlo over the parameter table (``draws`` rows, ``seed`` row), quantiles at the chosen level
(66/90/95 %). Errors: :class:`~engine.core.errors.InputError` (bad value, the message names the allowed range) and
:class:`~engine.core.errors.NotFoundError` (unknown country or CN code, with the closest codes).
"""

from __future__ import annotations

__all__ = ["Industry", "Scenario", "ScenarioResult"]


def __getattr__(name: str):
    """Lazy imports (the routes and parameters load without pandas-heavy orchestration)."""
    if name in ("Industry", "ScenarioResult"):
        from engine.industry import model
        return getattr(model, name)
    if name == "Scenario":
        from engine.industry.scenario import Scenario
        return Scenario
    raise AttributeError(f"module 'engine.industry' has no attribute {name!r}")
