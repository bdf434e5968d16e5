"""Green exports (issue 15): manufacturing emissions against lifetime avoided emissions of China's exported solar
PV and wind equipment, by destination, with every parameter visible.

Public interface (presentation-free: pandas tables and dataclasses, units in column names)
-------------------------------------------------------------------------------------------
::

    from engine.trade import GreenExports, GreenParams, GreenResult, TECHS
    ge = GreenExports(accounts)              # engine.accounts.ledger.Accounts (its pack and cache)
    ge.years("pv"); ge.years("wind")         # years with data (pv: Ember's full years; wind: CWEA table)
    ge.parameters()                          # data/green_exports_parameters.csv (value, low, high, source, ...)
    r = ge.result(2024, ("pv", "wind"), GreenParams(displacement="fossil_margin"), draws=1000, ci=90, seed=0)
    r.destinations; r.totals; r.notes; r.ci
    ge.tornado(2024, metric="avoided_mt_lifetime")
    ge.claim_check(2024)                     # CREA solar reproduction and the seed's "2 Mt vs 350 Mt"
    ge.monthly("pv", 2023, 2024)             # PV exports by destination and month

``destinations`` / ``totals`` columns: iso3 (Ember residual rows such as ``OTHER_AFRICA`` and the wind row
``OTHER_WIND`` kept and part of the totals; totals rows have ``TOTAL``), name, tech, region (destinations only),
capacity_mw [MW exported], installed_mw [MW, x installation_share], capacity_factor [1],
capacity_factor_source ("observed <year>" | "fallback: <rule>"), intensity_g_kwh [g CO2e/kWh displaced at
installation], intensity_source ("Ember <year> average" | "fossil margin ..." | "fallback ..."), manufacturing_mt
[Mt CO2e], avoided_mt_per_year [Mt CO2e/yr, first year], avoided_mt_lifetime [Mt CO2e], ratio [1, lifetime
avoided / manufacturing]; with draws > 0 also ``<metric>_low`` / ``<metric>_high`` for the four metrics (totals:
from the draws of the sums). Totals: one row per tech and an ``"all"`` row (capacity factor generation-weighted,
intensity generation-weighted).

Modules: :mod:`~engine.trade.params` (GreenParams, the authored table), :mod:`~engine.trade.exports` (exports by
destination), :mod:`~engine.trade.capacity` (capacity factors, displaced intensities), :mod:`~engine.trade.equations`
(one function per equation), :mod:`~engine.trade.model` (the orchestrator), :mod:`~engine.trade.report` (the
validation section).

Errors: :class:`engine.core.errors.InputError` (bad year, tech or parameter; the message names the allowed values)
and :class:`~engine.core.errors.NotFoundError`.
"""

from engine.trade.model import TECHS, GreenExports, GreenResult
from engine.trade.params import GreenParams

__all__ = ["TECHS", "GreenExports", "GreenParams", "GreenResult"]
