"""REST routes of the industry and CBAM capability (``/api/v1/cbam``, ``/api/v1/industry``,
``/api/v1/industry/scenario``), declared as :class:`~api.spec.Endpoint` objects that :mod:`api.v1` adds to its
:data:`~api.v1.ENDPOINTS` (one validation, one OpenAPI document, one API page).

The handlers are thin: typed arguments in, one call to :class:`engine.industry.Industry` (through
:func:`components.runtime.industry_for`, cached in the accounts' one cache layer), a table or an object out. An
unknown country or CN code answers 404 and a value out of range 400, each with the allowed values.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from api.spec import Column, Endpoint, Param, ParamError
from engine.core.query import CI_LEVELS

#: Calibration years the industry routes take (the scenario's range; production series are carried and flagged
#: outside 1998–2021).
YEAR_PARAM = Param("year", "int", "Calibration year of the production data and grid intensity (values outside a "
                   "series are carried from the nearest year and flagged).", default=2018, minimum=2000,
                   maximum=2023, example=2019)
CI_PARAM = Param("ci", "enum", "Confidence level of the Monte Carlo intervals [%].", default="90",
                 enum=tuple(str(c) for c in CI_LEVELS))
COUNTRY_PATTERN = r"^[A-Za-z]{3}$"
TCO2 = "t CO2e t-1"

CBAM_COLUMNS = (
    Column("iso3", "string", "", "Exporting country (ISO3)"),
    Column("country", "string", "", "Country name as in Annex I of IR (EU) 2025/2621"),
    Column("sector", "string", "", "CBAM sector (Annex I of Regulation (EU) 2023/956)"),
    Column("cn_code", "string", "", "CN code as printed in the regulation"),
    Column("description", "string", "", "Good"),
    Column("route", "string", "", "Production route letter of the default value table", True),
    Column("default_direct", "number", TCO2, "Default value, direct emissions (IR 2025/2621)", True),
    Column("default_indirect", "number", TCO2, "Default value, indirect emissions", True),
    Column("default_total", "number", TCO2, "Default value, total (the regulation's number)", True),
    Column("default_2026", "number", TCO2, "Default value with the 2026 mark-up", True),
    Column("default_2027", "number", TCO2, "Default value with the 2027 mark-up", True),
    Column("default_2028", "number", TCO2, "Default value with the 2028 mark-up", True),
    Column("indirect_charged", "boolean", "", "Indirect emissions are on the CBAM boundary of the good"),
    Column("fallback", "boolean", "", "The value is the 'Other countries and territories' one"),
    Column("model", "string", "", "Route product of the model (null: not modelled)", True),
    Column("model_note", "string", "", "What was assumed, or why the good is not modelled", True),
    Column("ours_direct", "number", TCO2, "Modelled direct emissions (central parameters)", True),
    Column("ours_indirect", "number", TCO2, "Modelled indirect emissions", True),
    Column("ours_precursor", "number", TCO2, "Modelled precursor emissions", True),
    Column("ours", "number", TCO2, "Modelled embedded emissions on the regulation's boundary (median of draws)", True),
    Column("ours_lo", "number", TCO2, "lower bound of the ci % interval", True),
    Column("ours_hi", "number", TCO2, "upper bound of the ci % interval", True),
    Column("ratio", "number", "1", "Default value / modelled", True),
    Column("ratio_lo", "number", "1", "lower bound", True),
    Column("ratio_hi", "number", "1", "upper bound", True),
    Column("verdict", "string", "", "Default value above, inside or below our interval; no default; not modelled"),
    Column("verdict_2026", "string", "", "The same for the 2026 mark-up"),
    Column("verdict_2027", "string", "", "The same for the 2027 mark-up"),
    Column("verdict_2028", "string", "", "The same for the 2028 mark-up"),
)

#: Scenario parameters (same names and ranges as :class:`engine.industry.Scenario` and the page URL).
SCENARIO_PARAMS = (
    Param("eaf_share", "number", "Share of crude steel made in electric arc furnaces [1] (the rest BF-BOF).",
          minimum=0, maximum=1, example=0.6),
    Param("dri_share_of_eaf", "number", "Share of EAF metallics that are DRI [1] (the rest scrap).", minimum=0,
          maximum=1),
    Param("h2_share_of_dri", "number", "Share of DRI reduced with hydrogen from electrolysis at the grid [1].",
          minimum=0, maximum=1),
    Param("grid_intensity", "number", "Grid intensity [g CO2e kWh-1] (instead of clean_power_share).", minimum=0,
          maximum=1500),
    Param("clean_power_share", "number", "Low-carbon share of generation [1]; scales the fossil part of the grid.",
          minimum=0, maximum=1, example=0.5),
    Param("clinker_ratio", "number", "National clinker ratio [t clinker t-1 cement].", minimum=0.4, maximum=1.0),
    Param("kiln_fuel_mix", "string", "Kiln fuel mix, fuel:share pairs summing to 1 (fuels coal, petcoke, gas, oil, "
          "waste, biomass).", max_length=120, pattern=r"^[a-z:0-9., ]+$", example="coal:0.5,gas:0.5"),
    Param("ccs_capture", "number", "CO2 capture rate [1].", minimum=0, maximum=1),
    Param("ccs_scope", "enum", "What CCS captures: process CO2 or all direct CO2.", default="process",
          enum=("process", "all")),
    Param("smelter_clean_share", "number", "Zero-carbon share of aluminium smelters' power [1].", minimum=0,
          maximum=1),
    Param("ammonia_coal_share", "number", "Coal-gasification share of ammonia [1].", minimum=0, maximum=1),
    Param("h2_electrolysis_share", "number", "Electrolysis share of hydrogen [1].", minimum=0, maximum=1),
    Param("cbam_year", "int", "CBAM import year of the cost.", default=2026, minimum=2026, maximum=2040),
    Param("carbon_price", "number", "Carbon price [EUR t-1 CO2e]; default 75, the average EU allowance price of 2025 "
          "(Veyt, January 2026).", minimum=0, maximum=1000),
)
_ROWS = {"type": "array", "items": {"type": "object"}}


def industry():
    """The app's :class:`engine.industry.Industry` (503 without the pack)."""
    from api.v1 import _accounts
    from components.runtime import industry_for

    return industry_for(_accounts())


def check_country(ind, raw: str, known=None) -> str:
    """The ISO3 code, or a 404 :class:`ParamError` listing the known codes."""
    code = str(raw).strip().upper()
    known = list(known) if known is not None else ind.countries()
    if code not in known:
        from engine.core.query import closest

        near = closest(code, known)
        raise ParamError(f"unknown country {raw!r}" + (f"; closest: {', '.join(near)}" if near else "")
                         + " (ISO3 codes listed in allowed)", known, status=404)
    return code


def check_cn(ind, raw: str, year: int, ci: int) -> str:
    """The CN code's digits, or a 400 (not 4–10 digits) / 404 (no CBAM good) :class:`ParamError` with the codes."""
    digits = "".join(ch for ch in str(raw) if ch.isdigit())
    table = ind.cbam_comparison(year, ci)
    codes = sorted(set(table["cn_code"].astype(str)))
    if not 4 <= len(digits) <= 10:
        raise ParamError(f"cn must be a CN code of 4 to 10 digits (e.g. 7207 or 7207 12 10); got {raw!r}", codes)
    if not any(d.startswith(digits) or digits.startswith(d) for d in set(table["cn_digits"])):
        raise ParamError(f"no CBAM good with CN code {raw!r} (CBAM goods are in chapters 25, 28, 31, 72, 73 and 76)",
                         codes, status=404)
    return digits


def h_cbam(args):
    from api.v1 import Result

    ind = industry()
    year, ci = args.get("year", 2018), int(args.get("ci", "90"))
    if "country" not in args and "cn" not in args:
        raise ParamError("give country, cn or both (e.g. ?country=CHN&cn=7207)", ["country", "cn"])
    country = cn = None
    if "country" in args:
        country = check_country(ind, args["country"], sorted(set(ind.defaults()["iso3"])))
    if "cn" in args:
        cn = check_cn(ind, args["cn"], year, ci)
    t = ind.cbam(country, cn, year, ci)
    return Result(t.reset_index(drop=True), None, "industry-model", None,
                  {"modelled": True, "intervals": True},
                  ["Default values: IR (EU) 2025/2621 Annex I as published (the regulation's numbers). ours*: model "
                   "estimates of Holocarbon's process routes calibrated on the country (not measurements).",
                   f"Intervals: {ci} % of the Monte Carlo draws over data/industry_parameters.csv.",
                   "verdict: the default value above, inside or below our interval."],
                  {"default_*": TCO2, "ours*": TCO2, "ratio*": "1"},
                  {"year": year, "ci": ci, "country": country, "cn": cn})


def _products_table(ind, country: str, year: int, ci: int) -> pd.DataFrame:
    from components.industry_view import route_products

    return route_products(ind, country, year, ci)


def h_industry(args):
    from api.v1 import Result, _num

    ind = industry()
    year, ci = args.get("year", 2018), int(args.get("ci", "90"))
    country = check_country(ind, args["country"])
    calib = ind.calibration(year)
    if country not in calib.index:
        raise ParamError(f"no calibration for {country} in {year}", list(calib.index), status=404)
    c = calib.loc[country]
    products = _products_table(ind, country, year, ci)
    cov = ind.coverage(year, ci)
    coverage = None
    if country in cov.index:
        r = cov.loc[country]
        coverage = {k: _num(r[k]) for k in ("steel_mt", "cement_mt", "aluminium_mt", "modelled_mt", "modelled_mt_lo",
                                           "modelled_mt_hi", "edgar_processes", "edgar_industrial_combustion",
                                           "edgar_industry", "coverage", "coverage_lo", "coverage_hi")}
        coverage["rank"] = int(list(cov.index).index(country)) + 1
    calibration = {k: (_num(v) if isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))
                       else (bool(v) if isinstance(v, (bool, np.bool_)) else (None if pd.isna(v) else str(v))))
                   for k, v in c.items()}
    data = {"country": country, "year": year, "ci": ci, "calibration": calibration,
            "products": json.loads(products.to_json(orient="records", double_precision=12)),
            "coverage": coverage}
    res = Result(data, None, "industry-model", None, {"modelled": True, "intervals": True},
                 ["Model estimates: process routes with cited parameters calibrated on the country's production and "
                  "grid intensity (not measurements).", str(cov.attrs.get("method", "")),
                  f"Intervals: {ci} % of the Monte Carlo draws."],
                 {"products.*": TCO2, "coverage.*_mt*": "Mt CO2e (AR5)", "calibration.*_kt": "kt",
                  "calibration.grid_g_co2e_per_kwh": "g CO2e kWh-1"},
                 {"year": year, "ci": ci, "country": country})
    res.csv_table = products
    return res


def scenario_from_args(args):
    """The :class:`engine.industry.Scenario` of typed arguments (InputError for a refused combination)."""
    from engine.industry import Scenario

    keys = ("country", "year") + tuple(p.name for p in SCENARIO_PARAMS)
    return Scenario(**{k: args[k] for k in keys if k in args})


def h_scenario(args):
    from api.v1 import Result

    ind = industry()
    check_country(ind, args["country"])
    s = scenario_from_args(args)
    res = ind.scenario(s)
    em = res.emissions.reset_index().rename(columns={"index": "product"})
    data = {"scenario": s.to_params(), "query_string": s.to_query_string(), "baseline": s.is_baseline,
            "intensities": json.loads(res.intensities.to_json(orient="records", double_precision=12)),
            "emissions": json.loads(em.to_json(orient="records", double_precision=12)),
            "sector_delta": json.loads(res.sector_delta.to_json(orient="records", double_precision=12)),
            "cbam_costs": json.loads(res.cbam_costs.to_json(orient="records", double_precision=12)),
            "cbam_import_year": int(res.cbam_costs.attrs.get("import_year", s.cbam_year)),
            "carbon_price": float(res.cbam_costs.attrs.get("price", 75.0))}
    if args.get("ledger"):
        led = ind.ledger_effect(s)
        data["ledger_effect"] = json.loads(led.head(30).to_json(orient="records", double_precision=12))
        data["world_production_delta_mt_co2e"] = led.attrs["world_production_delta"]
        data["world_consumption_delta_mt_co2e"] = led.attrs["world_consumption_delta"]
    out = Result(data, None, "industry-scenario", None, {"modelled": True, "baseline": s.is_baseline},
                 list(res.notes), {"intensities.*": TCO2, "emissions.*_mt": "Mt CO2e (AR5)", "emissions.*_kt": "kt",
                                   "cbam_costs.cost_*": "EUR t-1", "cbam_costs.ours_*": TCO2},
                 {"country": s.country, "year": s.year})
    wide = res.intensities.pivot(index="product", columns="case", values="total").reset_index()
    out.csv_table = wide.rename(columns={"baseline": "baseline_total_t_co2e_per_t",
                                         "scenario": "scenario_total_t_co2e_per_t"})
    return out


def _country_param(required: bool, text: str) -> Param:
    return Param("country", "string", text, required=required, max_length=3, pattern=COUNTRY_PATTERN, example="CHN")


ENDPOINTS = (
    Endpoint("/cbam", "cbam", "CBAM default values against localised embedded emissions",
             "Every good of Annex I of IR (EU) 2025/2621 for a country and/or a CN code (any prefix of 4 to 10 "
             "digits): the default value and its 2026–2028 mark-ups as published, Holocarbon's modelled embedded "
             "emissions on the regulation's boundary with their interval (a model estimate), the ratio and the "
             "verdict (default above, inside or below the interval). Give country, cn or both.", h_cbam,
             (_country_param(False, "Exporting country (ISO3) with a row in Annex I."),
              Param("cn", "string", "CN code, 4 to 10 digits, spaces allowed (a bad code answers with the CN codes "
                    "of every CBAM good in `allowed`).", max_length=13, example="7207"), YEAR_PARAM, CI_PARAM),
             query=False, columns=CBAM_COLUMNS, tag="industry", example="?country=CHN&cn=7207"),
    Endpoint("/industry", "industry", "Industry routes, production and modelled vs EDGAR of a country",
             "A country's calibration (production, blast-furnace share, grid intensity, flags), the modelled embedded "
             "emissions of each route product by component with intervals (model estimates), and its modelled direct "
             "emissions of steel, cement and aluminium against EDGAR's Processes and Industrial Combustion.",
             h_industry,
             (_country_param(True, "Country (ISO3) with production data or a CBAM default value."), YEAR_PARAM,
              CI_PARAM),
             query=False, data_kind="object", tag="industry", example="?country=IND&year=2019",
             object_schema={"type": "object", "required": ["country", "year", "ci", "calibration", "products"],
                            "properties": {"country": {"type": "string"}, "year": {"type": "integer"},
                                           "ci": {"type": "integer"}, "calibration": {"type": "object"},
                                           "products": _ROWS,
                                           "coverage": {"type": "object", "nullable": True}}}),
    Endpoint("/industry/scenario", "industry_scenario", "An industry scenario (the 'digital twin')",
             "Route shares, grid, clinker ratio, kiln fuels, CCS and smelter power of one country changed: product "
             "intensities before and after, the country's emissions of steel, cement and aluminium [Mt], the change "
             "by EDGAR sector and the CBAM cost per tonne of key goods at the carbon price (model estimates; central "
             "values). With ledger=true also the change of every ledger line's production and consumption (through "
             "the satellite and the MRIO). Parameters left out keep the calibrated value.", h_scenario,
             (_country_param(True, "Country (ISO3)."), YEAR_PARAM, *SCENARIO_PARAMS,
              Param("ledger", "bool", "Add the ledger effect (production and consumption change of every ledger line; "
                    "≈ 0.3 s).", default=False)),
             query=False, data_kind="object", tag="industry",
             example="?country=IND&year=2019&eaf_share=0.6&clean_power_share=0.5",
             object_schema={"type": "object", "required": ["scenario", "query_string", "intensities", "emissions",
                                                           "cbam_costs"],
                            "properties": {"scenario": {"type": "object"}, "query_string": {"type": "string"},
                                           "baseline": {"type": "boolean"}, "intensities": _ROWS,
                                           "emissions": _ROWS, "sector_delta": _ROWS, "cbam_costs": _ROWS,
                                           "cbam_import_year": {"type": "integer"},
                                           "carbon_price": {"type": "number"}, "ledger_effect": _ROWS,
                                           "world_production_delta_mt_co2e": {"type": "number"},
                                           "world_consumption_delta_mt_co2e": {"type": "number"}}}),
)
