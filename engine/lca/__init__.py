"""Product footprints (issue 17): a guided life-cycle assessment from goal and scope to interpretation (ISO
14040/44) as a tiered hybrid of the industry process routes and the environmentally extended MRIO, on open data.

Public interface (presentation-free: dataclasses and pandas tables, kg per functional unit, units in column names
or ``attrs``)
-------------------------------------------------------------------------------------------------------------------
::

    from engine.lca import LCA, Scope, Inventory, Line, from_records, from_csv
    lca = LCA(accounts)                              # engine.accounts.ledger.Accounts (its pack and cache)
    lca.templates()                                  # name, title, product, unit, country, lines, published value
    scope, inv = lca.template("pv_module")           # pv_module, steel_beam, passenger_car, wheat
    scope = Scope(product="PV module", amount=1, unit="kWp", country="CHN", year=2020, gwp="AR5",
                  boundary="cradle-to-gate")         # or "cradle-to-gate+use-electricity" with use_kwh, use_country
    inv = from_records([{"kind": "money", "name": "glass", "amount": 40, "unit": "USD", "price_year": 2020,
                         "sector": "c11", "origin": "producer"}, ...])   # or from_csv(text)
    res = lca.run(scope, inv, draws=1000, ci=90, seed=0, top_paths=20)  # LcaResult
    res.total; res.interval; res.totals; res.lines; res.by_country; res.by_sector; res.by_kind
    res.by_emitter; res.tiers; res.paths; res.sensitivity; res.notes
    lca.compare_origins(scope, inv, ["CHN", "DEU", "USA"])   # where to source with the lowest footprint
    lca.to_json(scope, inv); lca.from_json(obj)      # {"scope": {...}, "lines": [...]} round trip ("csv" also read)
    lca.matrices(scope, inv)                         # HybridMatrices: technosphere A, biosphere B, demand f

Line kinds (:data:`engine.lca.inventory.KINDS`): ``money`` (WIOD sector, origin, currency USD/EUR/CNY and price
year), ``process`` (t of :data:`engine.lca.inventory.GOODS`), ``electricity`` (kWh), ``transport`` (tkm by
:data:`engine.lca.factors.MODES`), ``direct`` (kg of CO2, CH4 or N2O); at most 200 lines.

Modules: :mod:`~engine.lca.scope` (Scope, BOUNDARIES), :mod:`~engine.lca.inventory` (Line, Inventory, parsing),
:mod:`~engine.lca.factors` (``data/lca_factors.csv``: transport factors, currency rates, deflator),
:mod:`~engine.lca.calc` (hybrid matrices, line totals, the double-counting rule), :mod:`~engine.lca.interpret`
(structural paths, tiers, contributions, sensitivity), :mod:`~engine.lca.templates` (``data/lca_templates``),
:mod:`~engine.lca.model` (the orchestrator, Monte Carlo, comparison of origins).

Errors: :class:`~engine.core.errors.InputError` (bad scope value naming the allowed values; ``line n: ...`` for an
inventory line: unknown sector, good, mode or gas, negative amount, missing unit, too many lines) and
:class:`~engine.core.errors.NotFoundError` (unknown country or template, with the closest).
"""

from engine.lca.calc import HybridMatrices
from engine.lca.inventory import GOODS, KINDS, MAX_LINES, Inventory, Line, from_csv, from_records
from engine.lca.model import LCA, LcaResult
from engine.lca.scope import BOUNDARIES, Scope

__all__ = ["BOUNDARIES", "GOODS", "KINDS", "LCA", "MAX_LINES", "HybridMatrices", "Inventory", "LcaResult", "Line",
           "Scope", "from_csv", "from_records"]
