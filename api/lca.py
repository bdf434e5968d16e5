"""REST routes of product footprints (issue 17): a life-cycle assessment of an inventory POSTed as JSON or CSV, the
templates, and a template run by GET (for links).

- ``POST /api/v1/lca``: ``application/json`` ``{"scope": {...}, "lines": [...], "draws", "ci", "seed",
  "top_paths", "compare"}`` (or ``"csv"`` text instead of ``"lines"``), or ``text/csv`` lines with the scope in the
  query string; the query string's scope and run options override the body's (a saved inventory rerun elsewhere).
  ``format=json|csv|xlsx``.
- ``GET /api/v1/lca?template=pv_module&country=CHN``: a template run (declared as an :class:`~api.spec.Endpoint`
  in :data:`ENDPOINTS`, validated, cached and documented like every GET route).
- ``GET /api/v1/lca/templates`` (an Endpoint) and ``GET /api/v1/lca/templates/<name>`` (the template as the body to
  POST; ``format=csv`` its lines as CSV).

The handlers are thin: the body is checked against :data:`LINE_FIELDS`, :data:`SCOPE_FIELDS` and
:data:`RUN_FIELDS` (the same tables give the OpenAPI request schema, so the document and the checks cannot
disagree), then one call to :meth:`engine.lca.LCA.run`. A bad inventory answers 400 with the engine's message naming
the line (``line 3: unknown sector 'c99' ...``), an unknown template or country 404 with the closest, a body over
:data:`MAX_BODY` 413, another content type 415; never a 500.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from flask import Blueprint, Response, request

from api.errors import ServiceUnavailable, bad_request, error_response, register_error_handlers
from api.spec import MAX_QUERY_STRING, Column, Endpoint, Param, ParamError, parse_args
from engine.core.errors import HolocarbonError, NotFoundError
from engine.core.query import CI_LEVELS, GASES, GWP_SETS, closest
from engine.lca.factors import CURRENCIES, MODES
from engine.lca.inventory import DIRECT_GASES, GOODS, KINDS, MAX_LINES, UNITS
from engine.lca.model import MAX_DRAWS, MAX_TOP
from engine.lca.scope import BOUNDARIES, YEAR_RANGE
from engine.sources.wiod import SECTORS

bp = Blueprint("holocarbon_api_lca", __name__, url_prefix="/api/v1")
register_error_handlers(bp)

#: Largest accepted request body [bytes] (200 lines of ~600 characters fit twice; the server's limit is 1 MB).
MAX_BODY = 256 * 1024
#: Most countries in one comparison of origins.
MAX_COMPARE = 60
#: Most emitting sectors listed in the JSON answer (largest first; the rest are in the total).
MAX_EMITTERS = 50
FORMATS = ("json", "csv", "xlsx")
MEDIA_JSON, MEDIA_CSV = "application/json", "text/csv"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KG = "kg CO2e per functional unit x amount"
METHOD = "lca-tiered-hybrid"
METHOD_NOTES = (
    "Tiered hybrid life-cycle assessment (Suh & Huppes 2005, doi:10.1016/j.jclepro.2004.05.013): physical lines "
    "(process goods through the industry routes, electricity at the grid's life-cycle intensity, transport by mode, "
    "direct emissions) in the foreground; money lines through the environmentally extended WIOD 2013 MRIO "
    "(multipliers by gas, nowcast after 2011).",
    "Double counting: a process line removes nothing from the MRIO; a money line in a sector that also sells a good "
    "entered physically is flagged in the notes, and its amount must exclude that good.",
    "Impact method: GWP100 of the scope's set (AR5 by default; EDGAR's F-gases as published in CO2e).",
)
#: Datasets behind each line kind (registry ids of data/sources.toml, or an authored table).
KIND_SOURCES = {
    "money": ("wiod2013", "edgar2024"),
    "process": ("industry_production", "data/industry_parameters.csv"),
    "electricity": ("ember_owid_electricity",),
    "transport": ("data/lca_factors.csv",),
    "direct": ("data/lca_factors.csv",),
}


# ---------------------------------------------------------------------------------------------------------------
# the request description: one table per object drives both the checks and the OpenAPI schema
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One key of a JSON object of the request: JSON type, bounds or allowed values, and what it means."""

    name: str
    type: str  # string | number | integer | array | any
    description: str
    required: bool = False
    enum: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    nullable: bool = False
    items: tuple = ()  # enum of the items of an array of strings (empty: any string)
    max_items: int | None = None

    def schema(self) -> dict:
        if self.type == "any":
            return {"description": self.description}
        s: dict = {"type": self.type, "description": self.description}
        if self.enum:
            s["enum"] = list(self.enum)
        if self.minimum is not None:
            s["minimum"] = self.minimum
            if self.exclusive_minimum:
                s["exclusiveMinimum"] = True
        if self.maximum is not None:
            s["maximum"] = self.maximum
        if self.type == "array":
            s["items"] = {"type": "string", **({"enum": list(self.items)} if self.items else {})}
            s["minItems"] = 1
            if self.max_items is not None:
                s["maxItems"] = self.max_items
        if self.nullable:
            s["nullable"] = True
        return s

    def check(self, value, where: str):
        """The value if it has the declared type and bounds, else a 400 :class:`ParamError` naming ``where``."""
        if self.type == "any" or (value is None and self.nullable):
            return value
        got = json.dumps(value)[:60] if _jsonable(value) else repr(value)[:60]
        if self.type == "string":
            ok = isinstance(value, str)
        elif self.type == "integer":
            ok = (isinstance(value, int) and not isinstance(value, bool)) or (
                isinstance(value, float) and value.is_integer())
        elif self.type == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        else:  # array of strings
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if not ok:
            kind = {"array": "a list of strings"}.get(self.type, f"a JSON {self.type}")
            raise ParamError(f"{where}{self.name} must be {kind}; got {got}", list(self.enum) or None)
        if self.enum and value not in self.enum:
            raise ParamError(f"{where}{self.name} must be one of {', '.join(map(str, self.enum))}; got {got}",
                             list(self.enum))
        if self.type in ("integer", "number"):
            try:
                finite = math.isfinite(float(value))
            except OverflowError:  # an integer beyond a float
                finite = False
            if not finite:
                raise ParamError(f"{where}{self.name} must be a finite number; got {got}")
            low_bad = self.minimum is not None and (value <= self.minimum if self.exclusive_minimum
                                                    else value < self.minimum)
            if low_bad or (self.maximum is not None and value > self.maximum):
                lo = "" if self.minimum is None else (f"> {self.minimum:g}" if self.exclusive_minimum
                                                     else f">= {self.minimum:g}")
                hi = "" if self.maximum is None else f"<= {self.maximum:g}"
                raise ParamError(f"{where}{self.name} must be {' and '.join(s for s in (lo, hi) if s)}; got {got}")
            return int(value) if self.type == "integer" else value
        if self.type == "array":
            if not value or (self.max_items is not None and len(value) > self.max_items):
                raise ParamError(f"{where}{self.name} must list 1-{self.max_items} items; got {len(value)}")
            bad = [v for v in value if self.items and v not in self.items]
            if bad:
                raise ParamError(f"{where}{self.name}: {bad[0][:40]!r} is not one of {', '.join(self.items)}",
                                 list(self.items))
        return value


def _jsonable(v) -> bool:
    try:
        json.dumps(v)
        return True
    except (TypeError, ValueError):
        return False


_UNITS_TEXT = "; ".join(f"{k}: {', '.join(v)}" for k, v in UNITS.items())
LINE_FIELDS = (
    Field("kind", "string", "What the line is: a purchase in money, tonnes of a process good, kWh of electricity, "
          "t·km of transport or kg of a gas emitted directly.", True, enum=KINDS),
    Field("name", "string", "What it is (shown in the contributions; cut at 120 characters)."),
    Field("amount", "number", "Quantity per functional unit [unit], >= 0.", True, minimum=0),
    Field("unit", "string", f"Unit of the amount: a currency for money lines ({', '.join(CURRENCIES)}); "
          f"{_UNITS_TEXT}.", True),
    Field("origin", "string", "Supplying country (ISO3), or `producer` (the scope's country, the default)."),
    Field("sector", "string", "WIOD 2013 sector of a money line (c1..c35, e.g. c12 basic and fabricated metals).",
          enum=tuple(SECTORS)),
    Field("price_year", "integer", "Year of a money line's prices (converted to USD of the table's year with the "
          "stated exchange rates and the US GDP deflator)."),
    Field("good", "string", "Process good of a process line (through the industry routes of the supplying "
          "country).", enum=tuple(GOODS)),
    Field("mode", "string", "Transport mode of a transport line (cited factors per t·km).", enum=MODES),
    Field("gas", "string", "Gas of a direct line.", enum=DIRECT_GASES),
    Field("source", "string", "Where the amount comes from (kept in the answer)."),
    Field("note", "string", "Free text."),
)
SCOPE_FIELDS = (
    Field("product", "string", "What is footprinted (1-80 characters).", True),
    Field("amount", "number", "Size of the functional unit [unit] (the lines are per functional unit; the "
          "results are for this many).", minimum=0, exclusive_minimum=True),
    Field("unit", "string", "Unit of the functional unit (kWp, t, vehicle, ...; 1-20 characters)."),
    Field("country", "string", "Producing country (ISO3): lines with origin `producer` are supplied from it."),
    Field("year", "integer", "Year of the data (money lines after 2011 use the nowcast on the 2011 table).",
          minimum=YEAR_RANGE[0], maximum=YEAR_RANGE[1]),
    Field("gwp", "string", "GWP set of the impact method.", enum=GWP_SETS),
    Field("boundary", "string", "System boundary; the use boundary adds `use_kwh` at the grid of `use_country`.",
          enum=BOUNDARIES),
    Field("use_kwh", "number", "Lifetime use-phase electricity per functional unit [kWh] (use boundary only).",
          minimum=0),
    Field("use_country", "string", "Grid of the use phase (ISO3; default `country`).", nullable=True),
    Field("gases", "array", "Gases counted in the total.", items=GASES, max_items=len(GASES)),
)
RUN_FIELDS = (
    Field("draws", "integer", f"Monte Carlo draws for the intervals (0: central value only; at most {MAX_DRAWS}).",
          minimum=0, maximum=MAX_DRAWS),
    Field("ci", "integer", "Confidence level of the intervals [%].", enum=CI_LEVELS),
    Field("seed", "integer", "Seed of the draws (the same seed, the same answer).", minimum=0, maximum=2 ** 32 - 1),
    Field("top_paths", "integer", f"Structural paths to list (at most {MAX_TOP}).", minimum=0, maximum=MAX_TOP),
    Field("compare", "array", f"Also make the product in these countries (ISO3, at most {MAX_COMPARE}): where to "
          "source with the lowest footprint.", max_items=MAX_COMPARE),
)
#: Keys of a template kept for the reader; a POSTed template may carry them (they are not used).
INFO_KEYS = ("name", "title", "description", "published", "sources")
BODY_FIELDS = (Field("scope", "any", "Goal and scope (see the scope schema).", True),
               Field("lines", "any", f"The inventory, 1-{MAX_LINES} lines per functional unit."),
               Field("csv", "string", "The inventory as CSV text instead of `lines` (header kind,name,amount,unit,"
                     "origin,sector,price_year,good,mode,gas,source,note).")) + RUN_FIELDS + tuple(
    Field(k, "any", "Template information (ignored).") for k in INFO_KEYS)
RUN_DEFAULTS = {"draws": 0, "ci": 90, "seed": 0, "top_paths": 20, "compare": None}


def _object_schema(fields_: tuple[Field, ...], required_extra=()) -> dict:
    return {"type": "object", "additionalProperties": False,
            "required": [f.name for f in fields_ if f.required] + list(required_extra),
            "properties": {f.name: f.schema() for f in fields_}}


def _check_object(obj, fields_: tuple[Field, ...], where: str) -> dict:
    """``obj`` checked against ``fields_``: an object, no unknown key, every value typed (400 naming ``where``)."""
    if not isinstance(obj, dict):
        raise ParamError(f"{where.rstrip(': .') or 'the body'} must be a JSON object; got "
                         f"{type(obj).__name__ if obj is not None else 'null'}")
    known = {f.name: f for f in fields_}
    unknown = sorted(str(k) for k in obj if k not in known)
    if unknown:
        raise ParamError(f"{where}unknown keys {unknown}; allowed: {', '.join(known)}", list(known))
    missing = [f.name for f in fields_ if f.required and f.name not in obj]
    if missing:
        raise ParamError(f"{where}missing {', '.join(missing)}", [f.name for f in fields_ if f.required])
    return {k: known[k].check(v, where) for k, v in obj.items()}


# ---------------------------------------------------------------------------------------------------------------
# query-string parameters (GET template runs; POST overrides)
# ---------------------------------------------------------------------------------------------------------------

_ISO3 = r"^[A-Za-z]{3}$"
COUNTRY_PARAM = Param("country", "string", "Producing country (ISO3); default the template's or the body's.",
                      max_length=3, pattern=_ISO3, example="DEU")
YEAR_PARAM = Param("year", "int", "Year of the data.", minimum=YEAR_RANGE[0], maximum=YEAR_RANGE[1], example=2020)
GWP_PARAM = Param("gwp", "enum", "GWP set of the impact method.", enum=GWP_SETS)
RUN_PARAMS = (
    Param("draws", "int", "Monte Carlo draws for the intervals (0: none).", default=0, minimum=0, maximum=MAX_DRAWS),
    Param("ci", "enum", "Confidence level of the intervals [%].", default="90", enum=tuple(map(str, CI_LEVELS))),
    Param("seed", "int", "Seed of the draws.", default=0, minimum=0, maximum=2 ** 31 - 1),
    Param("top_paths", "int", "Structural paths to list.", default=20, minimum=0, maximum=MAX_TOP),
    Param("compare", "list", "Countries to make the same product in (ISO3): where to source with the lowest "
          "footprint.", pattern=_ISO3, max_items=MAX_COMPARE, example="DEU,USA"),
)
TEMPLATE_PARAM = Param("template", "string", "Template name (as in /api/v1/lca/templates).", required=True,
                       max_length=40, pattern=r"^[A-Za-z0-9_-]+$", example="pv_module")
#: The scope as query parameters of a POST (a text/csv body's scope; for a JSON body they override its scope).
POST_SCOPE_PARAMS = (
    Param("product", "string", "Product (text/csv bodies: required).", max_length=80, pattern=r"^[^\x00-\x1f]+$"),
    Param("amount", "number", "Size of the functional unit.", minimum=1e-9, maximum=1e12),
    Param("unit", "string", "Unit of the functional unit.", max_length=20, pattern=r"^[^\x00-\x1f]+$"),
    COUNTRY_PARAM, YEAR_PARAM, GWP_PARAM,
    Param("boundary", "enum", "System boundary.", enum=BOUNDARIES),
    Param("use_kwh", "number", "Lifetime use-phase electricity per functional unit [kWh].", minimum=0,
          maximum=1e12),
    Param("use_country", "string", "Grid of the use phase (ISO3).", max_length=3, pattern=_ISO3),
)
_NO_DEFAULT_RUN = tuple(replace(p, default=None) for p in RUN_PARAMS)


def _post_endpoint() -> Endpoint:
    """The query string of a POST as an Endpoint (so :func:`api.spec.parse_args` checks it like any other)."""
    return Endpoint("/lca", "lca_post", "", "", h_run, POST_SCOPE_PARAMS + _NO_DEFAULT_RUN, query=False,
                    formats=FORMATS)


# ---------------------------------------------------------------------------------------------------------------
# engine access
# ---------------------------------------------------------------------------------------------------------------

def lca_engine():
    """The :class:`engine.lca.LCA` over the app's accounts (503 without the pack): the page's one
    (:func:`components.runtime.lca_for`, in the accounts' memory cache, on the per-process industry engine)."""
    from api.v1 import _accounts
    from components.runtime import lca_for

    return lca_for(_accounts())


def _check_countries(lca, scope, compare) -> None:
    """404 naming the closest codes for an unknown producing, use-phase or comparison country."""
    known = lca.known_countries()
    checks = [("scope.country", scope.country), ("scope.use_country", scope.use_country)]
    checks += [("compare", c) for c in (compare or ())]
    for where, code in checks:
        if code not in known:
            near = closest(code, known)
            raise ParamError(f"{where}: unknown country {code!r}" + (f"; closest: {', '.join(near)}" if near else ""),
                             near, status=404)


def run_options(raw: dict) -> dict:
    """Run options with their defaults (``compare`` upper-cased, duplicates dropped)."""
    opts = {**RUN_DEFAULTS, **{k: raw[k] for k in RUN_DEFAULTS if raw.get(k) is not None}}
    opts["ci"] = int(opts["ci"])
    if opts["compare"]:
        opts["compare"] = list(dict.fromkeys(str(c).strip().upper() for c in opts["compare"]))
    return opts


def _records(df: pd.DataFrame | None) -> list[dict]:
    if df is None or df.empty:
        return []
    return json.loads(df.to_json(orient="records", double_precision=15, default_handler=str))


def _num(v):
    return None if v is None or not np.isfinite(v) else float(v)


def _citations(acc) -> dict:
    """Registry id -> "title. citation" of the datasets in :data:`KIND_SOURCES` (parsing data/sources.toml costs
    ~80 ms: read once per accounts, in their memory cache)."""
    def build():
        from engine.data.registry import load_registry

        reg = load_registry()
        return {sid: f"{reg[sid].title}. {reg[sid].citation}" for ids in KIND_SOURCES.values() for sid in ids
                if sid in reg}

    return acc.cache.memo(acc._key("lca-citations"), build, shared=False)


def _sources(acc, res, template: dict | None) -> pd.DataFrame:
    """Where every number comes from: the datasets of the line kinds used, each line's factor and amount sources,
    the template's references."""
    cites = _citations(acc)
    rows = [{"what": "method", "source": METHOD_NOTES[0]}]
    kinds = list(dict.fromkeys(res.lines["kind"]))
    for k in kinds:
        for sid in KIND_SOURCES[k]:
            rows.append({"what": f"{k} lines", "source": cites.get(sid, sid)})
    for txt in dict.fromkeys(res.lines["factor_source"]):
        rows.append({"what": "factor", "source": str(txt)})
    for ln, txt in zip(res.lines["line"], res.lines["source"]):
        if txt:
            rows.append({"what": f"line {ln} amount", "source": str(txt)})
    for txt in (template or {}).get("sources", []):
        rows.append({"what": "template", "source": str(txt)})
    pub = (template or {}).get("published") or {}
    if pub.get("source"):
        rows.append({"what": "published footprint of a similar product", "source":
                     f"{pub.get('kg_co2e')} kg CO2e: {pub['source']}"})
    return pd.DataFrame(rows).drop_duplicates(ignore_index=True)


def run(lca, scope, inv, opts: dict, template: dict | None = None):
    """The :class:`~api.v1.Result` of one footprint: JSON object, CSV table (the lines) and XLSX sheets."""
    from api.v1 import Result
    from engine.lca import LCA

    _check_countries(lca, scope, opts["compare"])
    res = lca.run(scope, inv, draws=opts["draws"], ci=opts["ci"], seed=opts["seed"], top_paths=opts["top_paths"])
    if not np.isfinite(res.total) or (res.interval and not np.all(np.isfinite(res.interval))):
        raise ParamError(f"the footprint is not a finite number (got {res.total!r}): the amounts are too large")
    comparison = lca.compare_origins(scope, inv, opts["compare"]) if opts["compare"] else None
    request_body = {**LCA.to_json(scope, inv), **{k: opts[k] for k in RUN_DEFAULTS if opts[k] is not None}}
    totals = res.totals.copy()
    paths = res.paths.copy()
    if not paths.empty:
        paths["nodes"] = paths["nodes"].map(list)
        paths["sectors"] = paths["sectors"].map(list)
    sources = _sources(lca.accounts, res, template)
    notes = list(METHOD_NOTES[1:]) + list(res.notes)
    data = {
        "product": scope.product, "functional_unit": {"amount": scope.amount, "unit": scope.unit},
        "results": {"total_kg_co2e": res.total,
                    "interval_kg_co2e": [float(v) for v in res.interval] if res.interval else None,
                    "draws": res.draws, "ci": res.ci, "seed": res.seed, "by_gas": _records(totals)},
        "contributions": {"lines": _records(res.lines), "countries": _records(res.by_country),
                          "sectors": _records(res.by_sector), "kinds": _records(res.by_kind),
                          "tiers": _records(res.tiers), "emitters": _records(res.by_emitter.head(MAX_EMITTERS)),
                          "emitters_count": int(len(res.by_emitter))},
        "paths": _records(paths), "paths_exact": bool(paths.attrs.get("exact", True)),
        "sensitivity": _records(res.sensitivity),
        "comparison": _records(comparison) if comparison is not None else None,
        "notes": notes,
        "sources": _records(sources),
        "request": request_body,
    }
    units = {"results.*kg_co2e": KG, "results.by_gas.kg": "kg of the gas (F-gases: kg CO2e as published)",
             "contributions.*.kg_*": KG, "contributions.lines.factor": "kg CO2e per unit of the line (factor_unit)",
             "*.share": "1", "paths.kg_co2e": KG, "sensitivity.elasticity": "1", "sensitivity.total_*": KG,
             "comparison.kg_co2e": KG, "comparison.vs_base": "1"}
    out = Result(data, None, METHOD, None, {"modelled": True, "intervals": res.interval is not None,
                                            "paths_exact": data["paths_exact"]},
                 [*METHOD_NOTES[:1], *notes], units,
                 {"product": scope.product, "total_kg_co2e": res.total})
    summary = [("product", scope.product), ("functional unit", f"{scope.amount:g} {scope.unit}"),
               ("country", scope.country), ("year", scope.year), ("gwp", scope.gwp), ("boundary", scope.boundary),
               ("total_kg_co2e", res.total)]
    if res.interval:
        summary += [(f"total_kg_co2e_low ({res.ci} %)", res.interval[0]),
                    (f"total_kg_co2e_high ({res.ci} %)", res.interval[1]), ("draws", res.draws), ("seed", res.seed)]
    summary += [(f"kg_co2e {g}", float(v)) for g, v in zip(totals["gas"], totals["kg_co2e"]) if g != "total"]
    inv_table = pd.DataFrame(inv.to_list())
    out.csv_table = res.lines
    out.sheets = {"summary": pd.DataFrame(summary, columns=["field", "value"]).astype({"value": object}),
                  "lines": res.lines, "countries": res.by_country, "sectors": res.by_sector, "kinds": res.by_kind,
                  "tiers": res.tiers, "paths": paths.assign(nodes=paths["nodes"].map(" <- ".join),
                                                            sectors=paths["sectors"].map(" <- ".join))
                  if not paths.empty else paths,
                  "sensitivity": res.sensitivity, "inventory": inv_table, "sources": sources}
    if comparison is not None:
        out.sheets["comparison"] = comparison
    return out


# ---------------------------------------------------------------------------------------------------------------
# GET handlers (Endpoints: validated and cached by api.v1)
# ---------------------------------------------------------------------------------------------------------------

def h_run(args):
    """A template run: ``template`` with ``country``, ``year``, ``gwp`` changed."""
    from engine.lca import templates as templates_mod

    lca = lca_engine()
    try:
        tpl = templates_mod.load(args["template"])
    except NotFoundError as exc:
        raise ParamError(str(exc), _closest_templates(args["template"]), status=404) from None
    scope, inv = lca.from_json(tpl)
    changes = {k: args[k] for k in ("year", "gwp") if k in args}
    if "country" in args:
        changes["country"] = args["country"].upper()
        if scope.use_country == scope.country:
            changes["use_country"] = None
    if changes:
        scope = scope.replace(**changes)
    opts = run_options({k: (args[k] if k != "compare" else list(args[k])) for k in RUN_DEFAULTS if k in args})
    return run(lca, scope, inv, opts, tpl)


def _closest_templates(name: str) -> list[str]:
    """The template names closest to ``name`` (every name when none is close)."""
    from engine.lca import templates as templates_mod

    known = templates_mod.names()
    return [n.lower() for n in closest(str(name).upper(), [k.upper() for k in known])] or known


def h_templates(args):
    from api.v1 import Result

    t = lca_engine().templates()
    t = t.assign(href=[f"/api/v1/lca/templates/{n}" for n in t["name"]],
                 run=[f"/api/v1/lca?template={n}" for n in t["name"]])
    return Result(t, None, "catalogue", notes=["Editable templates (data/lca_templates/*.json) that show the method, "
                                                "each with its sources and a published footprint of a similar "
                                                "product; GET a template's href and POST it to /api/v1/lca."])


TEMPLATE_COLUMNS = (
    Column("name", "string", "", "Template name"), Column("title", "string", "", "Title"),
    Column("product", "string", "", "Product of the scope"), Column("unit", "string", "", "Functional unit"),
    Column("country", "string", "", "Producing country of the template (ISO3)"),
    Column("lines", "integer", "", "Inventory lines"),
    Column("published_kg_co2e", "number", "kg CO2e per functional unit",
           "A published footprint of a similar product", True),
    Column("published_source", "string", "", "Its citation", True),
    Column("href", "string", "", "The template as the body to POST"),
    Column("run", "string", "", "The template's footprint by GET"),
)
_ROWS = {"type": "array", "items": {"type": "object"}}
RESULT_SCHEMA = {
    "type": "object",
    "required": ["product", "functional_unit", "results", "contributions", "paths", "sensitivity", "notes",
                 "sources", "request"],
    "properties": {
        "product": {"type": "string"}, "functional_unit": {"type": "object"},
        "results": {"type": "object", "required": ["total_kg_co2e", "interval_kg_co2e", "by_gas"],
                    "properties": {"total_kg_co2e": {"type": "number"},
                                   "interval_kg_co2e": {"type": "array", "items": {"type": "number"},
                                                        "minItems": 2, "maxItems": 2, "nullable": True},
                                   "draws": {"type": "integer"}, "ci": {"type": "integer"},
                                   "seed": {"type": "integer"}, "by_gas": _ROWS}},
        "contributions": {"type": "object", "required": ["lines", "countries", "sectors", "kinds", "tiers"],
                          "properties": {k: _ROWS for k in ("lines", "countries", "sectors", "kinds", "tiers",
                                                            "emitters")}},
        "paths": _ROWS, "paths_exact": {"type": "boolean"}, "sensitivity": _ROWS,
        "comparison": {**_ROWS, "nullable": True}, "notes": {"type": "array", "items": {"type": "string"}},
        "sources": _ROWS,
        "request": {"type": "object", "description": "The body that reproduces this answer when POSTed"},
    },
}
GET_RUN_DESCRIPTION = (
    "The footprint of a template (for links), with the producing country, year and GWP set changed: the same "
    "answer as POSTing the template's body (GET /api/v1/lca/templates/{name}) to /api/v1/lca. POST your own "
    "inventory to the same address.")
ENDPOINTS = (
    Endpoint("/lca", "lca", "Product footprint (life-cycle assessment) of a template",
             GET_RUN_DESCRIPTION, h_run, (TEMPLATE_PARAM, COUNTRY_PARAM, YEAR_PARAM, GWP_PARAM, *RUN_PARAMS),
             query=False, data_kind="object", formats=FORMATS, tag="lca", example="?template=pv_module&country=CHN",
             object_schema=RESULT_SCHEMA),
    Endpoint("/lca/templates", "lca_templates", "Product footprint templates",
             "The editable templates (a PV module, a steel beam, a passenger car, a tonne of wheat), each with its "
             "functional unit, lines and a published footprint of a similar product.", h_templates, query=False,
             columns=TEMPLATE_COLUMNS, tag="lca"),
)


# ---------------------------------------------------------------------------------------------------------------
# routes of this blueprint: POST /lca and GET /lca/templates/<name>
# ---------------------------------------------------------------------------------------------------------------

def _read_post():
    """(scope, inventory, run options, format) of the POST request (ParamError / InputError on a bad one)."""
    from engine.lca import LCA, Scope, from_csv

    if len(request.query_string) > MAX_QUERY_STRING:
        raise ParamError(f"query string too long ({len(request.query_string)} bytes; at most {MAX_QUERY_STRING})")
    args = parse_args(_post_endpoint(), request.args)
    fmt = args.pop("format", "json")
    mime = request.mimetype
    if mime not in (MEDIA_JSON, MEDIA_CSV):
        raise ParamError(f"send the inventory as {MEDIA_JSON} ({{\"scope\": {{...}}, \"lines\": [...]}}) or "
                         f"{MEDIA_CSV} (lines; the scope in the query string); got Content-Type "
                         f"{(request.content_type or 'none')[:60]!r}", [MEDIA_JSON, MEDIA_CSV], status=415)
    if (request.content_length or 0) > MAX_BODY:
        raise ParamError(f"request body too large ({request.content_length} bytes; at most {MAX_BODY // 1024} kB)",
                         status=413)
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:  # a chunked body has no Content-Length
        raise ParamError(f"request body too large (at most {MAX_BODY // 1024} kB)", status=413)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParamError(f"the body is not UTF-8 text (byte {exc.start})") from None
    scope_over = {p.name: args.pop(p.name) for p in POST_SCOPE_PARAMS if p.name in args}
    run_over = {k: (list(args[k]) if k == "compare" else args[k]) for k in RUN_DEFAULTS if k in args}
    if mime == MEDIA_CSV:
        if "product" not in scope_over:
            raise ParamError("a text/csv body needs the scope in the query string: at least product= (and "
                             "country=, year=, amount=, unit=, ...)", [p.name for p in POST_SCOPE_PARAMS])
        scope = Scope.from_dict({k: (v.upper() if k in ("country", "use_country") else v)
                                 for k, v in scope_over.items()})
        return scope, from_csv(text), run_options(run_over), fmt
    if not text.strip():
        raise ParamError('the body is empty: POST {"scope": {...}, "lines": [...]}')
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParamError(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ParamError("malformed JSON: nested too deeply") from None
    body = _check_object(body, BODY_FIELDS, "")
    if "lines" not in body and "csv" not in body:
        raise ParamError("the body needs 'lines' (a list of lines) or 'csv' (CSV text)", ["lines", "csv"])
    _check_object(body["scope"], SCOPE_FIELDS, "scope: ")
    if "lines" in body:
        if not isinstance(body["lines"], list):
            raise ParamError(f"lines must be a list of lines; got {type(body['lines']).__name__}")
        if len(body["lines"]) > MAX_LINES:
            raise ParamError(f"too many lines: {len(body['lines'])} (at most {MAX_LINES}); line {MAX_LINES + 1} is "
                             "the first one over")
        for i, ln in enumerate(body["lines"]):
            _check_object(ln, LINE_FIELDS, f"line {i + 1}: ")
    scope_dict = {**body["scope"], **scope_over}
    for k in ("country", "use_country"):
        if k in scope_over:
            scope_dict[k] = scope_over[k].upper()
    if "country" in scope_over and "use_country" not in scope_over and \
            body["scope"].get("use_country") in (None, body["scope"].get("country")):
        scope_dict["use_country"] = None
    obj = {"scope": scope_dict, **{k: body[k] for k in ("lines", "csv") if k in body}}
    scope, inv = LCA.from_json(obj)
    return scope, inv, run_options({**{k: body[k] for k in RUN_DEFAULTS if k in body}, **run_over}), fmt


@bp.post("/lca")
def post_lca():
    """POST an inventory: its footprint (see the module docstring)."""
    from api.v1 import API_VERSION, BY_RULE, _accounts, _respond

    try:
        scope, inv, opts, fmt = _read_post()
        acc = _accounts()
        canon = json.dumps({"scope": scope.to_dict(), "lines": inv.to_list(), "opts": opts, "format": fmt},
                           sort_keys=True, default=str)
        key = acc._key("api", API_VERSION, "lca-post", hashlib.sha1(canon.encode()).hexdigest())
        cached = acc.cache.get(key)
        if cached is not None:
            body, mimetype, headers = cached
            return Response(body, mimetype=mimetype, headers=headers)
        res = run(lca_engine(), scope, inv, opts)
    except (HolocarbonError, ValueError, ServiceUnavailable) as exc:
        status = getattr(exc, "status", None)
        if status in (413, 415):
            return bad_request(str(exc), getattr(exc, "allowed", None), status=status,
                               error={413: "too large", 415: "unsupported media type"}[status])
        return error_response(exc)
    resp = _respond(BY_RULE["/lca"], res, fmt)
    acc.cache.set(key, (resp.get_data(), resp.mimetype,
                        {k: v for k, v in resp.headers.items() if k not in ("Content-Type", "Content-Length")}))
    return resp


@bp.get("/lca/templates/<name>")
def get_template(name: str):
    """A template as the body to POST (``{"scope", "lines"}`` and its information keys); ``format=csv``: its lines."""
    from engine.lca import templates as templates_mod

    unknown = sorted(set(request.args) - {"format"})
    if unknown:
        return bad_request(f"unknown parameter {unknown[0][:40]!r} for /lca/templates/{{name}}", ["format"])
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv"):
        return bad_request(f"format must be one of json, csv; got {fmt[:40]!r}", ["json", "csv"])
    try:
        tpl = templates_mod.load(name)
    except NotFoundError as exc:
        return bad_request(str(exc), _closest_templates(name), status=404, error="not found")
    except (HolocarbonError, ValueError) as exc:
        return error_response(exc)
    headers = {"Cache-Control": "no-cache"}
    if fmt == "csv":
        from engine.lca import from_records

        headers["Content-Disposition"] = f'attachment; filename="holocarbon_lca_{tpl["name"]}.csv"'
        return Response(from_records(tpl["lines"]).to_csv(), mimetype="text/csv", headers=headers)
    body = {k: tpl[k] for k in ("scope", "lines", *INFO_KEYS) if k in tpl}
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json", headers=headers)


# ---------------------------------------------------------------------------------------------------------------
# OpenAPI
# ---------------------------------------------------------------------------------------------------------------

def example_body() -> dict:
    """A small inventory of every line kind (the OpenAPI example; the tests post it)."""
    return {"scope": {"product": "steel bracket", "amount": 1, "unit": "piece", "country": "DEU", "year": 2019,
                      "gwp": "AR5", "boundary": "cradle-to-gate"},
            "lines": [{"kind": "process", "name": "steel", "amount": 0.002, "unit": "t", "good": "steel",
                       "origin": "CHN"},
                      {"kind": "electricity", "name": "machining", "amount": 1.5, "unit": "kWh"},
                      {"kind": "transport", "name": "sea freight", "amount": 40, "unit": "tkm",
                       "mode": "sea_container"},
                      {"kind": "money", "name": "coating", "amount": 0.4, "unit": "EUR", "price_year": 2019,
                       "sector": "c9"},
                      {"kind": "direct", "name": "cutting gas", "amount": 0.01, "unit": "kg", "gas": "CO2"}],
            "draws": 200, "ci": 90, "seed": 0, "top_paths": 5}


def openapi_paths(prefix: str) -> dict:
    """The operations of this blueprint: ``post`` of ``/lca`` and ``get`` of ``/lca/templates/{name}``."""
    from api.openapi import _envelope

    err = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    line = _object_schema(LINE_FIELDS)
    scope = _object_schema(SCOPE_FIELDS)
    body = _object_schema(BODY_FIELDS)
    body["properties"]["scope"] = scope
    body["properties"]["lines"] = {"type": "array", "items": line, "minItems": 1, "maxItems": MAX_LINES,
                                   "description": BODY_FIELDS[1].description}
    ok = {"application/json": {"schema": _envelope(ENDPOINTS[0])}, "text/csv": {"schema": {"type": "string"}},
          XLSX_MEDIA: {"schema": {"type": "string", "format": "binary"}}}
    params = [p.openapi() for p in POST_SCOPE_PARAMS + _NO_DEFAULT_RUN]
    fmt = {"name": "format", "in": "query", "required": False, "description": "Response format: JSON (default), "
           "CSV (the lines, after # lines with the total, method and notes) or an XLSX workbook (sheets summary, "
           "lines, countries, sectors, kinds, tiers, paths, sensitivity, inventory, sources, comparison, about).",
           "schema": {"type": "string", "enum": list(FORMATS), "default": "json"}}
    post = {
        "operationId": "lca_post", "tags": ["lca"], "summary": "Product footprint of your inventory",
        "description": (
            "Goal and scope plus a bill of inputs per functional unit, each a purchase in money (WIOD sector, "
            "origin, currency and price year), tonnes of a process good, kWh of electricity, t·km of transport or "
            "kg of a gas emitted directly; answered with the total and its interval, the split by gas, "
            "contributions by line, country, sector, kind and supply-chain tier, the top structural paths, a "
            "sensitivity ranking, notes, the sources, and `request`: the body that reproduces the answer. "
            f"JSON bodies (or text/csv lines with the scope in the query string), at most {MAX_BODY // 1024} kB and "
            f"{MAX_LINES} lines; query parameters override the body's scope and run options. Errors name the line "
            "(`line 3: unknown sector 'c99'`)."),
        "parameters": [fmt, *params],
        "requestBody": {"required": True, "content": {
            MEDIA_JSON: {"schema": body, "example": example_body()},
            MEDIA_CSV: {"schema": {"type": "string", "description": "Header kind,name,amount,unit,origin,sector,"
                                                                     "price_year,good,mode,gas,source,note"},
                        "example": "kind,name,amount,unit,origin,good\nprocess,steel,0.002,t,CHN,steel\n"}}},
        "responses": {
            "200": {"description": "The footprint and its interpretation", "content": ok},
            "400": {"description": "A bad inventory, scope or option; the detail names the line", "content": err},
            "404": {"description": "Unknown country (producing, use phase, origin or comparison); `allowed` lists "
                                   "the closest", "content": err},
            "413": {"description": f"Body larger than {MAX_BODY // 1024} kB", "content": err},
            "415": {"description": "Content-Type other than application/json or text/csv", "content": err},
            "503": {"description": "The processed data pack is not available", "content": err}},
    }
    tpl = {"get": {
        "operationId": "lca_template", "tags": ["lca"], "summary": "One template as the body to POST",
        "description": "`{scope, lines}` ready to POST to /api/v1/lca (with the template's title, description, "
                       "sources and published footprint, which a POST ignores); `format=csv` gives its lines as CSV.",
        "parameters": [{"name": "name", "in": "path", "required": True, "description": "Template name",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 40}, "example": "pv_module"},
                       {"name": "format", "in": "query", "required": False, "description": "json or csv",
                        "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}}],
        "responses": {
            "200": {"description": "The template", "content": {
                MEDIA_JSON: {"schema": {"type": "object", "required": ["scope", "lines"],
                                        "properties": {"scope": {"type": "object"}, "lines": _ROWS}}},
                MEDIA_CSV: {"schema": {"type": "string"}}}},
            "400": {"description": "A bad or unknown parameter", "content": err},
            "404": {"description": "Unknown template; `allowed` lists the closest names", "content": err}}}}
    return {"post": post, "templates": tpl}
