"""REST routes of the green-exports capability (``/api/v1/green-exports``, ``/api/v1/green-exports/tornado``,
``/api/v1/green-exports/claim``), declared as :class:`~api.spec.Endpoint` objects that :mod:`api.v1` adds to its
:data:`~api.v1.ENDPOINTS` (one validation, one OpenAPI document, one API page).

The handlers are thin: typed arguments in, one call to :class:`engine.trade.GreenExports` (through
:func:`components.runtime.green_exports_for`, cached in the accounts' one cache layer), a table or an object out. A
year without data, an unknown tech or a parameter out of range answers 400 with the allowed values.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from api.spec import Column, Endpoint, Param, ParamError

TECHS = ("pv", "wind")  # engine.trade.TECHS (checked by tests/integration/test_green_api.py)
MT = "Mt CO2e"
YEAR_PARAM = Param("year", "int", "Export year (PV: Ember's full years; wind: the years of the authored wind table); "
                   "a year without data answers 400 with the years that have it. Default: the latest PV year.",
                   minimum=1900, maximum=2100, example=2024)
TECH_PARAM = Param("tech", "list", "Technologies: pv, wind or both.", default=TECHS, enum=TECHS, max_items=2,
                   example="pv,wind")
#: The fields of engine.trade.GreenParams, same names, ranges and defaults as the page URL.
GREEN_PARAMS = (
    Param("pv_lifetime_yr", "number", "PV lifetime [yr]; default 25.", minimum=10, maximum=40),
    Param("wind_lifetime_yr", "number", "Wind lifetime [yr]; default 20.", minimum=10, maximum=35),
    Param("pv_degradation_pct", "number", "PV output lost per year [% yr-1]; default 0.5.", minimum=0, maximum=2),
    Param("installation_share", "number", "Share of the exported MW installed in the destination [1] (the rest "
          "stocked or re-exported); default 1.", minimum=0, maximum=1),
    Param("displacement", "enum", "Displaced intensity: the destination's Ember grid average, or its fossil-only "
          "intensity (the fossil margin).", default="average", enum=("average", "fossil_margin")),
    Param("grid_decline_pct", "number", "Yearly decline of the displaced intensity along the lifetime [% yr-1]; "
          "default 0.", minimum=0, maximum=10),
    Param("manufacturing_grid_g_kwh", "number", "China's grid intensity where the equipment is made [g CO2e kWh-1]; "
          "default: Ember's value of the export year.", minimum=0, maximum=1500),
    Param("pv_commodities", "list", "Ember commodity types counted as PV exports.", default=("Panels",),
          enum=("Panels", "Cells"), max_items=2),
)
GREEN_CI = Param("ci", "enum", "Confidence level of the Monte Carlo intervals [%] (with draws > 0).", default="90",
                 enum=("66", "90", "95"))
DRAWS_PARAM = Param("draws", "int", "Monte Carlo draws for the intervals (0: central values only).", default=0,
                    minimum=0, maximum=2000, example=1000)
SEED_PARAM = Param("seed", "int", "Seed of the draws.", default=0, minimum=0, maximum=2**31 - 1)
METRIC_PARAM = Param("metric", "enum", "The result the tornado measures.", default="avoided_mt_lifetime",
                     enum=("avoided_mt_lifetime", "avoided_mt_per_year", "manufacturing_mt", "ratio"))
FORMATS = ("json", "csv", "xlsx")
_ROWS = {"type": "array", "items": {"type": "object"}}

DEST_COLUMNS = (
    Column("iso3", "string", "", "Destination (ISO3, or an Ember residual group such as OTHER_AFRICA)"),
    Column("name", "string", "", "Destination name"),
    Column("tech", "string", "", "pv or wind"),
    Column("capacity_mw", "number", "MW", "Exported capacity"),
    Column("installed_mw", "number", "MW", "Exported capacity × installation share"),
    Column("capacity_factor", "number", "1", "Capacity factor"),
    Column("capacity_factor_source", "string", "", "observed <year> or fallback: <rule>"),
    Column("intensity_g_kwh", "number", "g CO2e kWh-1", "Displaced grid intensity at installation"),
    Column("intensity_source", "string", "", "Where the intensity comes from"),
    Column("manufacturing_mt", "number", MT, "Manufacturing emissions (once, in China)"),
    Column("avoided_mt_per_year", "number", "Mt CO2e yr-1", "Avoided in the first year"),
    Column("avoided_mt_lifetime", "number", MT, "Avoided over the lifetime"),
    Column("ratio", "number", "1", "Lifetime avoided / manufacturing", True),
)
INTERVAL_COLUMNS = tuple(Column(f"{c}_{side}", "number", unit, f"{'lower' if side == 'low' else 'upper'} bound of the "
                                f"ci % interval (draws > 0)", True, True)
                         for c, unit in (("manufacturing_mt", MT), ("avoided_mt_per_year", "Mt CO2e yr-1"),
                                         ("avoided_mt_lifetime", MT), ("ratio", "1")) for side in ("low", "high"))
TORNADO_COLUMNS = (
    Column("parameter", "string", "", "Parameter (name in the parameter table or GreenParams)"),
    Column("label", "string", "", "In plain words"),
    Column("low", "number", "", "The parameter's low value (its unit in the parameter table)", True),
    Column("high", "number", "", "The parameter's high value", True),
    Column("result_low", "number", "", "The metric with the parameter at its low value (unit of the metric)"),
    Column("result_high", "number", "", "The metric with the parameter at its high value"),
    Column("result_central", "number", "", "The metric at the central values"),
    Column("swing", "number", "", "|result_high − result_low|"),
)
CLAIM_COLUMNS = (
    Column("claim", "string", "", "The published claim tested"),
    Column("scope", "string", "", "The scope tested, in plain words"),
    Column("techs", "string", "", "Technologies of the scope"),
    Column("params", "string", "", "GreenParams of the scope as a query string"),
    Column("basis", "string", "", "per year or lifetime"),
    Column("manufacturing_mt", "number", MT, "Our manufacturing emissions"),
    Column("avoided_mt", "number", MT, "Our avoided emissions on the basis"),
    Column("avoided_mt_low", "number", MT, "lower bound", True),
    Column("avoided_mt_high", "number", MT, "upper bound", True),
    Column("reference_manufacturing_mt", "number", MT, "The published manufacturing figure", True),
    Column("reference_avoided_mt", "number", MT, "The published avoided figure", True),
    Column("verdict", "string", "", "matches or does not match"),
    Column("explanation", "string", "", "Why, in one sentence"),
)


def green():
    """The app's :class:`engine.trade.GreenExports` (503 without the pack)."""
    from api.v1 import _accounts
    from components.runtime import green_exports_for

    return green_exports_for(_accounts())


def _techs(args) -> tuple[str, ...]:
    got = args.get("tech") or TECHS
    return tuple(t for t in TECHS if t in got)


def check_year(ge, args, techs) -> int:
    """The year (default: the latest PV year), or a 400 naming the years with data for every chosen tech."""
    common = sorted(set.intersection(*(set(int(y) for y in ge.years(t)) for t in techs)))
    if "year" not in args:
        pv = [int(y) for y in ge.years("pv")]
        year = max(pv) if "pv" in techs else max(common) if common else max(pv)
    else:
        year = int(args["year"])
    if year not in common:
        raise ParamError(f"no {' and '.join(techs)} export data for {year}; years with data for "
                         f"{', '.join(techs)}: {', '.join(map(str, common)) or 'none'}", common)
    return year


def params_from_args(args):
    """The :class:`engine.trade.GreenParams` of typed arguments (InputError naming the key and its range)."""
    from engine.trade import GreenParams

    raw = {}
    for p in GREEN_PARAMS:
        if p.name in args:
            v = args[p.name]
            raw[p.name] = ",".join(v) if isinstance(v, tuple) else (f"{v:g}" if isinstance(v, float) else str(v))
    return GreenParams.from_params(raw)


def _num(v):
    if v is None or (isinstance(v, (float, np.floating)) and not np.isfinite(v)):
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


def frame_records(df: pd.DataFrame) -> list[dict]:
    return json.loads(df.to_json(orient="records", double_precision=12))


def params_dict(gp) -> dict:
    from dataclasses import asdict

    d = asdict(gp)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


def totals_notes(totals: pd.DataFrame) -> list[str]:
    out = []
    for _, r in totals.iterrows():
        out.append(f"total {r['tech']}: {r['capacity_mw']:,.0f} MW exported, manufacturing "
                   f"{r['manufacturing_mt']:,.3f} Mt CO2e, avoided {r['avoided_mt_per_year']:,.3f} Mt CO2e in the "
                   f"first year and {r['avoided_mt_lifetime']:,.3f} Mt CO2e over the lifetime")
    return out


def h_green(args):
    from api.v1 import Result

    ge = green()
    techs = _techs(args)
    year = check_year(ge, args, techs)
    gp = params_from_args(args)
    draws, ci, seed = int(args.get("draws", 0)), int(args.get("ci", "90")), int(args.get("seed", 0))
    res = ge.result(year, techs, gp, draws=draws, ci=ci, seed=seed)
    dest, tot = res.destinations.reset_index(drop=True), res.totals.reset_index(drop=True)
    data = {"year": res.year, "techs": list(res.techs), "draws": draws, "ci": res.ci, "seed": seed,
            "parameters": params_dict(res.params), "query_string": "&".join(f"{k}={v}" for k, v in
                                                                           res.params.to_params().items()),
            "destinations": frame_records(dest), "totals": frame_records(tot), "notes": list(res.notes)}
    notes = ["Model estimates (not measurements): exported capacity × capacity factor × hours × degradation over the "
             "lifetime × the displaced grid intensity, against the manufacturing footprint.",
             *res.notes, *totals_notes(tot)]
    if draws:
        notes.append(f"Intervals: {res.ci} % of {draws} Monte Carlo draws (seed {seed}); totals' intervals come from "
                     "the draws of the sums.")
    out = Result(data, None, "green-exports-model", None, {"modelled": True, "intervals": bool(draws)}, notes,
                 {"destinations.*_mw": "MW", "destinations.manufacturing_mt*": MT,
                  "destinations.avoided_mt_per_year*": "Mt CO2e yr-1", "destinations.avoided_mt_lifetime*": MT,
                  "destinations.intensity_g_kwh": "g CO2e kWh-1", "totals.*": "as destinations"},
                 {"year": year, "techs": ",".join(techs)})
    out.csv_table = dest
    out.sheets = {"destinations": dest, "totals": tot}
    return out


def h_tornado(args):
    from api.v1 import Result

    ge = green()
    techs = _techs(args)
    year = check_year(ge, args, techs)
    gp = params_from_args(args)
    metric = args.get("metric", "avoided_mt_lifetime")
    t = ge.tornado(year, techs, gp, metric=metric).reset_index(drop=True)
    unit = {"avoided_mt_lifetime": MT, "avoided_mt_per_year": "Mt CO2e yr-1", "manufacturing_mt": MT,
            "ratio": "1"}[metric]
    return Result(t, None, "green-exports-tornado", None, {"modelled": True},
                  ["One parameter at a time from the low to the high end of its range, the others at their values "
                   "(central estimate); sorted by swing."],
                  {"result_*": unit, "swing": unit}, {"year": year, "techs": ",".join(techs), "metric": metric})


def h_claim(args):
    from api.v1 import Result

    ge = green()
    year = int(args.get("year", 2024))
    years = sorted(int(y) for y in ge.years("pv"))
    if year not in years:
        raise ParamError(f"no PV export data for {year}; years: {', '.join(map(str, years))}", years)
    t = ge.claim_check(year).reset_index(drop=True)
    return Result(t, None, "green-exports-claim", None, {"modelled": True},
                  ["Each published claim recomputed on the scopes that could produce it: techs, per year or lifetime, "
                   "average or fossil-margin displacement; verdict: the published figure inside our interval or not."],
                  {"*_mt*": MT}, {"year": year})


_COMMON = (YEAR_PARAM, TECH_PARAM, *GREEN_PARAMS)

ENDPOINTS = (
    Endpoint("/green-exports", "green_exports", "Green exports: manufacturing vs avoided emissions by destination",
             "China's exported solar PV (Ember, by destination) and wind turbines (authored table) of a year: for "
             "each destination the exported and installed MW, capacity factor, displaced grid intensity, the "
             "manufacturing emissions and the emissions avoided in the first year and over the lifetime, with "
             "Monte Carlo intervals when draws > 0; totals per tech and for all (model estimates). Every parameter "
             "of the model is a query parameter.", h_green,
             (*_COMMON, DRAWS_PARAM, GREEN_CI, SEED_PARAM),
             query=False, data_kind="object", tag="green", formats=FORMATS, example="?year=2024&tech=pv,wind",
             object_schema={"type": "object", "required": ["year", "techs", "parameters", "destinations", "totals",
                                                           "notes"],
                            "properties": {"year": {"type": "integer"},
                                           "techs": {"type": "array", "items": {"type": "string"}},
                                           "draws": {"type": "integer"}, "ci": {"type": "integer", "nullable": True},
                                           "seed": {"type": "integer"}, "parameters": {"type": "object"},
                                           "query_string": {"type": "string"}, "destinations": _ROWS,
                                           "totals": _ROWS, "notes": {"type": "array",
                                                                      "items": {"type": "string"}}}}),
    Endpoint("/green-exports/tornado", "green_exports_tornado", "Green exports: which parameters move the answer",
             "Each parameter of the green-exports model (the authored table's and the GreenParams') from the low to "
             "the high end of its range, the others held: the result at both ends and the swing, largest first "
             "(model estimates).", h_tornado, (*_COMMON, METRIC_PARAM),
             query=False, columns=TORNADO_COLUMNS, tag="green", formats=FORMATS,
             example="?year=2024&tech=pv&metric=avoided_mt_lifetime"),
    Endpoint("/green-exports/claim", "green_exports_claim", "Green exports: the claim check",
             "The published figures on China's 2024 clean-technology exports (the CAS “about 2 Mt in production vs "
             "about 350 Mt of reductions” and CREA's solar figures) recomputed on each scope that could produce "
             "them, with our interval and a verdict.", h_claim,
             (Param("year", "int", "Export year the claims are tested on.", default=2024, minimum=1900,
                    maximum=2100),),
             query=False, columns=CLAIM_COLUMNS, tag="green", formats=FORMATS, example="?year=2024"),
)
