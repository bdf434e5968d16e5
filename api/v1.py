"""REST API ``/api/v1``: thin routes over the engine, described once in :data:`ENDPOINTS` (validation, OpenAPI
document at ``/api/v1/openapi.json`` and the API page all come from it).

Every data response carries the Query it answered (all eight fields) and the method flags::

    {"endpoint": "/api/v1/ledger", "query": {...}, "query_text": "...", "method": {"name": "mrio",
     "structure_year": 2011, "flags": {...}, "notes": [...]}, "units": {...}, "columns": [...], "count": 231,
     "data": [{...}, ...]}

``format=csv`` gives the same table as CSV after ``#`` lines with the Query, method, units and notes. Errors are
JSON ``{error, detail, allowed}``: 400 for bad parameters (the detail names what is allowed), 404 for unknown
routes or codes, 503 when a source the answer needs is missing (the detail says which and how to fix it).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from flask import Blueprint, Response, current_app, request

from api.errors import (
    ServiceUnavailable,
    bad_request,
    error_response,
    register_error_handlers,
)
from api.limits import heavy
from api.spec import Column, Endpoint, Param, ParamError, parse_args
from engine.accounts.search import KINDS as SEARCH_KINDS
from engine.accounts.search import MAX_QUERY as SEARCH_MAX_QUERY
from engine.core.query import CI_LEVELS, GWP_SETS, Query
from engine.maps.files import units_basis

bp = Blueprint("holocarbon_api_v1", __name__, url_prefix="/api/v1")
register_error_handlers(bp)
PREFIX = "/api/v1"
API_VERSION = "1.0.0"


# ---------------------------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Result:
    """What a handler returns: a table (DataFrame) or an object, with the Query and method."""

    data: Any
    query: Query | None = None
    method: str = ""
    structure_year: int | None = None
    flags: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    units: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    csv_table: pd.DataFrame | None = None  # for object results: the table their CSV shows
    sheets: dict | None = None  # for object results with format=xlsx: sheet name -> table (else the CSV table)


def _query_dict(q: Query | None) -> dict | None:
    if q is None:
        return None
    d = asdict(q)
    d["gases"], d["members"] = list(q.gases), list(q.members)
    return d


def _method_block(res: Result) -> dict:
    return {"name": res.method, "structure_year": res.structure_year, "flags": res.flags, "notes": list(res.notes)}


def _from_attrs(df: pd.DataFrame, q: Query, **flags) -> Result:
    """A Result for an engine table whose ``attrs`` carry method, structure year, notes and units."""
    a = df.attrs
    method = a.get("method", "")
    return Result(df, q, method, a.get("structure_year"),
                  {"nowcast": method == "nowcast", "production_only": method == "production-only", **flags},
                  list(a.get("notes", [])), dict(a.get("units", {})))


def _records(df: pd.DataFrame, columns: tuple[Column, ...]) -> list[dict]:
    """JSON records of the declared columns, typed as declared (NaN and inf -> null)."""
    out = pd.DataFrame(index=df.index)
    for c in columns:
        if c.name not in df.columns:
            continue
        s = df[c.name]
        if c.type == "integer":
            s = pd.to_numeric(s, errors="coerce").round().astype("Int64")
        elif c.type == "number":
            s = pd.to_numeric(s, errors="coerce").astype(float).replace([np.inf, -np.inf], np.nan)
        elif c.type == "boolean":
            s = s.astype("boolean") if c.nullable else s.astype(bool)
        else:
            s = s.where(s.notna(), None).map(lambda v: v if v is None else str(v))
        out[c.name] = s
    return json.loads(out.to_json(orient="records", double_precision=15))


def _csv(endpoint: Endpoint, res: Result, table: pd.DataFrame, columns) -> bytes:
    buf = io.StringIO()
    buf.write(f"# Holocarbon API {PREFIX}{endpoint.path}\n")
    if res.query is not None:
        buf.write(f"# query: {res.query.to_query_string() or 'defaults'} ({res.query.describe()})\n")
    buf.write(f"# method: {res.method}" + (f", structure year {res.structure_year}" if res.structure_year else "")
              + "\n")
    for k, v in res.units.items():
        buf.write(f"# units: {k} = {v}\n")
    for k, v in res.extra.items():
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            buf.write(f"# {k}: {v}\n")
    for note in res.notes:
        buf.write(f"# note: {' '.join(str(note).split())}\n")
    cols = [c.name for c in columns if c.name in table.columns] if columns else list(table.columns)
    table[cols].to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode()


def _xlsx(endpoint: Endpoint, res: Result) -> bytes:
    """A workbook: the answer's table(s) (``res.sheets``, else the CSV table) and an ``about`` sheet with the
    endpoint, method, units and notes (what the CSV's ``#`` lines say)."""
    if res.sheets:
        sheets = res.sheets
    else:
        table = res.data if isinstance(res.data, pd.DataFrame) else res.csv_table
        if isinstance(res.data, pd.DataFrame) and endpoint.columns:
            table = table[[c.name for c in endpoint.columns if c.name in table.columns]]
        sheets = {"data": table if table is not None else pd.DataFrame()}
    about = [("endpoint", PREFIX + endpoint.path), ("method", res.method)]
    if res.query is not None:
        about.append(("query", res.query.to_query_string() or "defaults"))
    about += [(f"units: {k}", v) for k, v in res.units.items()]
    about += [(k, v) for k, v in res.extra.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
    about += [("note", " ".join(str(n).split())) for n in res.notes]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, table in sheets.items():
            table.to_excel(xw, sheet_name=str(name)[:31], index=False)
        pd.DataFrame(about, columns=["field", "value"]).to_excel(xw, sheet_name="about", index=False)
    return buf.getvalue()


def _respond(endpoint: Endpoint, res: Result, fmt: str) -> Response:
    headers = {"Cache-Control": "no-store", "X-Holocarbon-Method": res.method or "-"}
    if res.query is not None:
        headers["X-Holocarbon-Query"] = res.query.to_query_string() or "defaults"
    if fmt == "xlsx":
        stem = endpoint.name + (f"_{res.query.year}" if res.query is not None else "")
        headers["Content-Disposition"] = f'attachment; filename="holocarbon_{stem}.xlsx"'
        return Response(_xlsx(endpoint, res), headers=headers,
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if fmt == "csv":
        table = res.data if isinstance(res.data, pd.DataFrame) else res.csv_table
        columns = endpoint.columns if isinstance(res.data, pd.DataFrame) else ()
        stem = endpoint.name + (f"_{res.query.year}" if res.query is not None else "")
        headers["Content-Disposition"] = f'attachment; filename="holocarbon_{stem}.csv"'
        return Response(_csv(endpoint, res, table if table is not None else pd.DataFrame(), columns),
                        mimetype="text/csv", headers=headers)
    body: dict[str, Any] = {"endpoint": PREFIX + endpoint.path, "query": _query_dict(res.query),
                            "query_text": res.query.describe() if res.query is not None else None,
                            "method": _method_block(res), "units": res.units}
    body.update(res.extra)
    if isinstance(res.data, pd.DataFrame):
        body["columns"] = [c.name for c in endpoint.columns if c.name in res.data.columns]
        body["count"] = int(len(res.data))
        body["data"] = _records(res.data, endpoint.columns)
    else:
        body["data"] = res.data
    return Response(json.dumps(body, allow_nan=False, default=_json_default), mimetype="application/json",
                    headers=headers)


def _json_default(o):
    if isinstance(o, np.generic):
        return o.item()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


# ---------------------------------------------------------------------------------------------------------------
# context
# ---------------------------------------------------------------------------------------------------------------

def _served(key: str):
    """The app's engine object under config ``key`` (accounts, grids, uncertainty); 503 with the pack's error when
    the data pack could not be loaded."""
    obj = current_app.config.get(key)
    if obj is None:
        raise ServiceUnavailable(current_app.config.get("HOLOCARBON_PACK_ERROR")
                                 or "the processed data pack is not available")
    return obj


def _accounts():
    return _served("HOLOCARBON_ACCOUNTS")


def _grids():
    return _served("HOLOCARBON_GRIDS")


# ---------------------------------------------------------------------------------------------------------------
# columns
# ---------------------------------------------------------------------------------------------------------------

MT = "Mt CO2e yr-1"
_REGION = (Column("region", "string", "", "Region code of the grouping (ISO3, group, continent, BUNKERS, OTHER)"),
           Column("name", "string", "", "Region name"))
_METHOD_COLS = (Column("method", "string", "", "mrio, nowcast or production-only"),
                Column("structure_year", "integer", "", "MRIO year whose structure is used", nullable=True),
                Column("row_share", "boolean", "", "Some consumption shared from WIOD's rest-of-world region by "
                       "production"))
LEDGER_COLUMNS = _REGION + (
    Column("production_mt_co2e", "number", MT, "Production (territorial) emissions, EDGAR"),
    Column("consumption_mt_co2e", "number", MT, "Consumption-based emissions (MRIO); null before 1995", True),
    Column("transfer_mt_co2e", "number", MT, "Net emissions embodied in trade (consumption − production)", True),
    Column("bunkers_in_consumption_mt_co2e", "number", MT, "International bunker fuel embodied in consumption",
           True),
    Column("luc_mt_co2", "number", "Mt CO2 yr-1", "Land-use change (GCB bookkeeping model)"),
    Column("land_sink_mt_co2", "number", "Mt CO2 yr-1", "Land sink attributed to the region (removal positive; "
           "modelled)"),
    Column("panoramic_mt_co2e", "number", MT, "Consumption + land-use change − land sink", True),
    Column("adjustment_pct", "number", "%", "Consumption vs production", True),
    Column("population", "number", "persons", "Population (EDGAR)", True),
    Column("production_t_per_capita", "number", "t CO2e person-1 yr-1", "", True),
    Column("consumption_t_per_capita", "number", "t CO2e person-1 yr-1", "", True),
    Column("panoramic_t_per_capita", "number", "t CO2e person-1 yr-1", "", True),
    Column("n_members", "integer", "", "Number of ledger lines in the region"),
) + _METHOD_COLS
#: The interval columns (with ci=...): lower and upper bound beside every value column.
INTERVAL_OF = ("production_mt_co2e", "consumption_mt_co2e", "transfer_mt_co2e", "bunkers_in_consumption_mt_co2e",
               "luc_mt_co2", "land_sink_mt_co2", "panoramic_mt_co2e", "adjustment_pct", "production_t_per_capita",
               "consumption_t_per_capita", "panoramic_t_per_capita")


def _with_intervals_of(columns: tuple[Column, ...], of: tuple[str, ...]) -> tuple[Column, ...]:
    """The columns with ``<name>_lo`` and ``<name>_hi`` (optional: only with ci) after each column named in ``of``."""
    out = []
    for c in columns:
        out.append(c)
        if c.name in of:
            for side, word in (("lo", "lower"), ("hi", "upper")):
                out.append(Column(f"{c.name}_{side}", "number", c.unit, f"{word} bound of the ci % interval (with ci)",
                                  nullable=True, optional=True))
    return tuple(out)


def _with_intervals(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    out = list(_with_intervals_of(columns, INTERVAL_OF))
    if any(c.name == "transfer_mt_co2e" for c in columns):
        out.append(Column("transfer_sign_uncertain", "boolean", "", "The interval of the net transfer contains zero "
                          "(with ci)", optional=True))
    return tuple(out)


LEDGER_COLUMNS = _with_intervals(LEDGER_COLUMNS)
_BY_NAME = {c.name: c for c in LEDGER_COLUMNS}
CONSUMPTION_COLUMNS = _with_intervals(tuple(_BY_NAME[n] for n in (
    "region", "name", "consumption_mt_co2e", "bunkers_in_consumption_mt_co2e", "consumption_t_per_capita",
    "population", "method", "structure_year", "row_share")))
TRANSFER_COLUMNS = _with_intervals(tuple(_BY_NAME[n] for n in (
    "region", "name", "production_mt_co2e", "consumption_mt_co2e", "transfer_mt_co2e", "adjustment_pct", "method",
    "structure_year", "row_share")))
SERIES_COLUMNS = (Column("year", "integer", "", "Year"),) + tuple(
    c for c in LEDGER_COLUMNS if c.name not in ("structure_year",)) + (
    Column("structure_year", "integer", "", "MRIO year whose structure is used", nullable=True),)


# ---------------------------------------------------------------------------------------------------------------
# handlers
# ---------------------------------------------------------------------------------------------------------------

REGIONS_PARAM = Param("regions", "list", "Only these regions of the grouping (codes as in the `region` column).",
                      pattern=r"^[A-Za-z0-9 _&().'-]{1,40}$", max_items=60, example="CHN,USA")


def _filter_regions(df: pd.DataFrame, regions, column: str = "region") -> pd.DataFrame:
    if not regions:
        return df
    from engine.accounts.regions import check_codes

    check_codes(regions, set(df[column].astype(str)))  # ValueError naming the closest codes -> 400
    return df[df[column].isin(regions)].reset_index(drop=True)


def _uncertainty():
    return _served("HOLOCARBON_UNCERTAINTY")


def _interval_flags(res: Result, q: Query) -> Result:
    from engine.uncertainty.propagate import interval_note

    res.flags["intervals"] = True
    res.extra["ci"] = q.ci
    res.extra["draws"] = _uncertainty().params.draws
    note = interval_note(q.ci, _uncertainty().params.draws)
    if note not in res.notes:
        res.notes.append(note)
    return res


def h_ledger(args) -> Result:
    q = args["query"]
    led = _uncertainty().ledger(q) if args.get("intervals") else _accounts().ledger(q)
    res = _from_attrs(_filter_regions(led, args.get("regions")), q, mrio=led.attrs["method"] == "mrio",
                      modelled_land_sink=True)
    return _interval_flags(res, q) if args.get("intervals") else res


def h_production(args) -> Result:
    from engine.accounts.regions import partition

    q, acc = args["query"], _accounts()
    unit = args.get("unit", "co2e")
    prod = acc.production(q, unit)
    col = "emissions_mt_co2e" if unit == "co2e" else "emissions_mt"
    part = partition(sorted(set(prod["code"])), q, acc.mrio_regions())
    prod = prod.assign(region=prod["code"].map(part))
    keys = {"region": ["region"], "sector": ["region", "sector"], "gas": ["region", "gas"],
            "sector_gas": ["region", "sector", "gas"]}[args.get("by", "region")]
    out = prod.groupby(keys, as_index=False)[col].sum()
    names = acc.names()
    out.insert(1, "name", [q.name if (q.grouping == "custom" and r == q.name) else names.get(r, r)
                           for r in out["region"]])
    out = out.sort_values([col], ascending=False, ignore_index=True)
    out.attrs.update(prod.attrs)
    res = _from_attrs(_filter_regions(out, args.get("regions")), q)
    res.units = {col: MT if unit == "co2e" else f"Mt {prod.attrs['gas']} yr-1"}
    if args.get("intervals"):
        iv = _uncertainty().production_intervals(q, tuple(keys), unit).rename(
            columns={"emissions_lo": f"{col}_lo", "emissions_hi": f"{col}_hi"})
        res.data = res.data.merge(iv, on=keys, how="left")
        _interval_flags(res, q)
    if unit == "mass":
        res.notes.append(f"Emissions in tonnes of {prod.attrs['gas']} itself (unit=mass): EDGAR's AR5 CO2e divided by "
                         "the AR5 GWP100 of the gas.")
    res.extra = {"unit": unit, "gas": prod.attrs["gas"]}
    return res


def h_flows(args) -> Result:
    q, acc = args["query"], _accounts()
    fl = acc.flows(q, by_sector=args.get("by_sector", False))
    for side in ("producer", "consumer"):
        if args.get(side):
            fl = fl[fl[side] == args[side]]
    total = len(fl)
    limit = args.get("limit", 1000)
    res = _from_attrs(fl.head(limit).reset_index(drop=True), q)
    res.units = {"emissions_mt_co2e": MT}
    res.extra = {"total_count": int(total), "truncated": total > limit}
    return res


def h_series(args) -> Result:
    q, acc = args["query"], _accounts()
    s = _uncertainty().series(q, args["region"]) if args.get("intervals") else acc.series(q, args["region"])
    res = _from_attrs(s, q)
    res.method = "mixed"
    res.flags = {"nowcast_years": [int(y) for y in s.loc[s["method"] == "nowcast", "year"]],
                 "production_only_years": [int(y) for y in s.loc[s["method"] == "production-only", "year"]]}
    return _interval_flags(res, q) if args.get("intervals") else res


def h_sectors(args) -> Result:
    from engine.accounts.sectors import sector_catalogue

    cat = sector_catalogue()
    return Result(cat, None, "catalogue", notes=["EDGAR 2024 sectors (production accounts, maps) and the 35 WIOD "
                                                  "2013 sectors (consumption accounts)."])


def h_sector(args) -> Result:
    from engine.accounts.sectors import resolve_sector, sector_emissions_by_region

    q = args["query"]
    try:
        sec = resolve_sector(args["code"])
    except ValueError as exc:
        raise ParamError(str(exc), status=404) from None
    df = sector_emissions_by_region(_accounts(), q, sec.code)
    res = _from_attrs(df, q)
    res.units = {"emissions_mt_co2e": MT, "share_pct": "%"}
    res.extra = {"sector": {"code": sec.code, "name": sec.name, "kind": sec.kind},
                 "world_mt_co2e": float(df.attrs.get("world_mt_co2e", 0.0))}
    return res


def h_regions(args) -> Result:
    from engine.accounts import regions as regions_mod

    acc = _accounts()
    names = acc.names()
    codes = [str(c) for c in acc.year_frame(Query().year)["codes"]]  # the ledger lines (the same every year)
    inside = set(acc.mrio_regions())
    cont = regions_mod.continents()
    groups = regions_mod.group_members()
    member_of = {c: [g for g in regions_mod.NAMED_GROUPS if c in groups[g]] for c in codes}
    rows = [{"code": c, "name": names.get(c, c),
             "kind": "bunkers" if c == regions_mod.BUNKERS else "other" if c == "OTHER" else "country",
             "mrio_region": c if c in inside else (None if c in (regions_mod.BUNKERS, "OTHER") else regions_mod.ROW),
             "continent": cont.get(c), "groups": ",".join(member_of[c]), "members": None} for c in codes]
    for g in regions_mod.NAMED_GROUPS:
        rows.append({"code": g, "name": regions_mod.GROUP_NAMES[g], "kind": "group", "mrio_region": None,
                     "continent": None, "groups": "", "members": ",".join(groups[g])})
    for c in sorted(set(cont.values())):
        rows.append({"code": c, "name": c, "kind": "continent", "mrio_region": None, "continent": c, "groups": "",
                     "members": ",".join(sorted(k for k, v in cont.items() if v == c))})
    return Result(pd.DataFrame(rows), None, "catalogue",
                  notes=["Countries are EDGAR 2024 entities (ISO3); groups from data/groups.csv, continents from "
                         "data/continents.csv; mrio_region is the WIOD 2013 region (ROW = rest of the world)."])


#: Zoom of the atlas centred on a place found by search (0 world .. 12; about 300 km across at 7) [—].
PLACE_ZOOM = 7


def search_href(kind: str, code: str, lat: float | None = None, lon: float | None = None) -> str:
    """The app page of a search result: a country's page, the ledger grouped by a group (or by continents), a
    sector's page, or the atlas centred on a place (``view=lat,lon,zoom``)."""
    from urllib.parse import quote

    if kind == "country":
        return f"/country/{quote(code)}"
    if kind == "group":
        return f"/ledger?grouping={quote(code)}"
    if kind == "continent":
        return "/ledger?grouping=continents"
    if kind == "sector":
        return f"/sector/{quote(code)}"
    if kind == "place" and lat is not None and lon is not None:
        return f"/atlas?view={lat:.3f},{lon:.3f},{PLACE_ZOOM}"
    raise ValueError(f"no page for a {kind!r} result; kinds are {', '.join(SEARCH_KINDS)}")


def h_search(args) -> Result:
    from engine.accounts.search import normalize, search, search_index

    text = args["q"]
    if re.search(r"[\x00-\x1f\x7f]", text):
        raise ParamError(f"q must not hold control characters (line breaks, tabs); got {text[:40]!r}")
    if not normalize(text):
        raise ParamError(f"q must hold at least one letter or digit; got {text[:40]!r}")
    acc = _accounts()
    hits = search(search_index(acc), text, limit=args.get("limit", 10), kinds=args.get("kinds"))
    names = acc.names()
    rows = [{"rank": i + 1, "kind": h.kind, "code": h.code, "name": h.name, "match": h.match, "tier": h.tier,
             "country": h.country, "country_name": names.get(h.country) if h.country else None,
             "lat": h.lat, "lon": h.lon, "href": search_href(h.kind, h.code, h.lat, h.lon)}
            for i, h in enumerate(hits)]
    return Result(pd.DataFrame(rows, columns=[c.name for c in SEARCH_COLUMNS]), None, "name index",
                  notes=["Countries (EDGAR entities, by code or any common name), groups, continents, sectors and "
                         "GeoNames places of 15,000+ people; ranked exact code, exact name, prefix, word prefix, "
                         "substring, then the closest names when nothing matches."],
                  extra={"q": " ".join(text.split())})


SEARCH_COLUMNS = (
    Column("rank", "integer", "", "1 for the best match"),
    Column("kind", "string", "", "country, group, continent, sector or place"),
    Column("code", "string", "", "ISO3 code, group code, continent, sector code or GeoNames id"),
    Column("name", "string", "", "Name"),
    Column("match", "string", "", "The name or code that matched, as written"),
    Column("tier", "string", "", "code, name, prefix, word, substring or fuzzy"),
    Column("country", "string", "", "Ledger country a place lies in", True),
    Column("country_name", "string", "", "Its name", True),
    Column("lat", "number", "degree_north", "Latitude of a place", True),
    Column("lon", "number", "degree_east", "Longitude of a place", True),
    Column("href", "string", "", "The app page of the result"),
)


def h_uncertainty(args) -> Result:
    from engine.uncertainty.propagate import attribution, convergence

    q, unc = args["query"], _uncertainty()
    region = args["region"]
    led = unc.ledger(q)
    hit = led[led["region"] == region]
    if hit.empty:
        from engine.accounts.regions import check_codes

        check_codes([region], set(led["region"]))
    row = hit.iloc[0]
    intervals = {c: {"value": _num(row[c]), "lo": _num(row[f"{c}_lo"]), "hi": _num(row[f"{c}_hi"])}
                 for c in INTERVAL_OF}
    att = attribution(unc, q, region)
    conv = convergence(unc, q, region)
    ns = unc.nowcast_sigma()
    labels, inv = unc.accounts._groups(q)
    codes = unc.accounts.year_frame(q.year)["codes"]
    members = {str(c) for c, i in zip(codes, inv) if str(labels[i]) == region}
    rng = unc.ranges()
    rng = rng[rng["line"].isin(members)]
    ranges = {"by_method": {str(k): int(v) for k, v in rng.groupby("method").size().items()},
              "not_in_table": sorted(set(rng.loc[rng["method"].isin(["continent median", "global median"]),
                                                 "line"])),
              "rows": json.loads(rng.to_json(orient="records")) if len(members) <= 3 else None}
    data = {"region": region, "name": str(row["name"]), "year": q.year, "ci": q.ci, "draws": unc.params.draws,
            "seed": unc.params.seed, "intervals": intervals, "emission_ranges": ranges,
            "transfer_sign_uncertain": bool(row["transfer_sign_uncertain"]),
            "attribution": json.loads(att.to_json(orient="records")),
            "convergence": json.loads(conv.to_json(orient="records")),
            "nowcast_sigma_pp": {"s": ns["s"], "this_year": ns.get(min(max(q.year - 2011, 1), 12))
                                 if q.year > 2011 else None}}
    res = Result(data, q, led.attrs["method"], led.attrs.get("structure_year"),
                 {"nowcast": led.attrs["method"] == "nowcast", "intervals": True}, list(led.attrs.get("notes", [])),
                 {"intervals": "Mt CO2e yr-1 (Mt CO2 for luc and land sink; % for adjustment_pct)",
                  "attribution.variance": "(Mt CO2e yr-1)^2", "attribution.share_pct": "%"})
    res.csv_table = att
    return res


def _num(v):
    return None if v is None or (isinstance(v, float) and not np.isfinite(v)) or pd.isna(v) else float(v)


def h_headline(args) -> Result:
    from engine.accounts.headline import HEADLINE_YEAR, headline

    gwp = args.get("gwp", "AR5")
    df = headline(_accounts(), gwp)  # the finished answer is cached by the view
    if "ci" not in args:
        q = Query(year=HEADLINE_YEAR, gwp=gwp)
        return Result(df, q, "nowcast", 2011, {"nowcast": True}, list(df.attrs.get("notes", [])), {"*_pct": "%"})
    from engine.uncertainty.propagate import headline_intervals

    q = Query(year=HEADLINE_YEAR, gwp=gwp, ci=int(args["ci"]))
    iv = headline_intervals(_uncertainty(), gwp, q.ci)
    df = df.merge(iv, on="region", how="left")
    order = [c for c in ("region", "name", "holocarbon_ghg_pct", "holocarbon_ghg_pct_lo", "holocarbon_ghg_pct_hi",
                         "holocarbon_co2_pct", "holocarbon_co2_pct_lo", "holocarbon_co2_pct_hi",
                         "holocarbon_co2_gcb_boundary_pct", "holocarbon_co2_gcb_boundary_pct_lo",
                         "holocarbon_co2_gcb_boundary_pct_hi", "panoramic_claim_pct", "claim_position",
                         "claim_inside", "gcb_co2_pct", "gcb_position", "gcb_inside", "method", "reason")]
    res = Result(df[order], q, "nowcast", 2011, {"nowcast": True}, list(df.attrs.get("notes", [])),
                 {"*_pct": "%"})
    return _interval_flags(res, q)


def h_compare(args) -> Result:
    """Key figures and 1970–2023 series of 2–8 regions side by side (``/compare`` in the app)."""
    from components import compare_view as cv
    from engine.io.nowcast import method_for

    acc, intervals = _accounts(), bool(args.get("intervals"))
    if intervals:
        _uncertainty()  # 503 with the reason when the draws are not available
    codes = cv.check_codes(acc, args["codes"]) if args.get("codes") else cv.DEFAULT_CODES
    q = args["query"].replace(grouping="countries", members=(), name=Query().name)
    kf = cv.key_figures(acc, q, codes, intervals)
    ser = cv.with_per_capita(cv.series(acc, q, codes, intervals))
    if not intervals:
        ser = ser[[c for c in ser.columns if not c.endswith(("_lo", "_hi"))]]
    method, structure = method_for(q.year)
    data = {"codes": list(codes), "year": q.year, "ci": q.ci if intervals else None,
            "regions": json.loads(kf.to_json(orient="records", double_precision=15)),
            "series": json.loads(ser.to_json(orient="records", double_precision=15))}
    notes = ["Each region's values are those of the ledger in which it is one region (a group or continent: the sum "
             "of its members).",
             "consumption_account says what a region's consumption rests on: a country inside WIOD's rest of the "
             "world has a production share of RoW's consumption, not its own account.",
             "Series: method mrio (a WIOD table, 1995–2011), nowcast (modelled on the 2011 table, 2012–2023) or "
             "production-only (before 1995: no consumption, transfer or panoramic values)."]
    res = Result(data, q, method, structure, {"nowcast": method == "nowcast", "production_only": method ==
                                              "production-only", "intervals": intervals}, notes,
                 {"*_mt_co2e": MT, "*_t_per_capita": "t CO2e person-1 yr-1", "*_pct": "%", "population": "persons"})
    res.csv_table = kf
    return _interval_flags(res, q) if intervals else res


def h_sources(args) -> Result:
    from components.runtime import cached_statuses
    from engine.data.registry import load_registry

    settings = current_app.config["HOLOCARBON_SETTINGS"]
    pack = current_app.config.get("HOLOCARBON_PACK")
    failed = {info.get("source_id"): info.get("message") for info in (pack.manifest["failed"].values() if pack else [])}
    reg = load_registry()
    rows = []
    for sid, ok, missing, corrupt in cached_statuses(str(settings.data_dir)):
        src = reg[sid]
        rows.append({"id": sid, "title": src.title, "license": src.license, "years": src.years,
                     "citation": src.citation, "url": src.url_info, "files": len(src.files), "ok": ok,
                     "missing": missing, "corrupt": corrupt,
                     "status": "corrupt" if corrupt else "missing" if missing else "ok",
                     "pack_failed": sid in failed, "pack_message": failed.get(sid)})
    return Result(pd.DataFrame(rows), None, "registry",
                  extra={"pack": pack.key if pack else None,
                         "pack_error": current_app.config.get("HOLOCARBON_PACK_ERROR")},
                  notes=["Each file is verified against the size and SHA-256 in data/sources.toml (at most once a "
                         "minute). Fix a missing or corrupt file with `python -m engine sources fetch`."])


def _grid_result(q: Query, layer: str, data, attrs: dict, **extra) -> Result:
    """A grid answer whose method name and flags come from the layer registry."""
    from engine.maps import layers

    lay = layers.get(layer)
    return Result(data, q, lay.kind, None, {"downscaled": lay.downscaled, "modelled_sink": lay.modelled_sink},
                  [attrs.get("method", "")] if attrs.get("method") else [], {"value": attrs.get("units", "")},
                  extra)


def _layer_grids(args):
    """The grid engine, with the footprint layer's ``consumer`` and ``variant`` bound when that layer is asked for
    (other layers take no parameters: the two are ignored there)."""
    grids = _grids()
    if args.get("layer") == "footprint":
        if not args.get("consumer"):
            from engine.maps.footprint import allowed_consumers

            raise ParamError("layer=footprint needs a consumer: a ledger country (ISO3), ROW or a group",
                             allowed_consumers(grids.accounts.year_frame(args["query"].year)["codes"]))
        return grids.with_params(consumer=args.get("consumer"), variant=args.get("variant", "all"))
    return grids


def h_cell(args) -> Result:
    q = args["query"]
    layer, sector = args.get("layer", "emissions"), args.get("sector", "all")
    grids = _layer_grids(args)
    unit = args.get("unit", "co2e")
    info = grids.cell_info(layer, q, args["lat"], args["lon"], sector, unit)
    attrs = grids.layer(layer, q, sector, unit).attrs
    res = _grid_result(q, layer, info, attrs)
    table = pd.DataFrame([{"sector": "total", "value": info["value"]}] + info["breakdown"])
    res.csv_table = table
    res.extra = {"lat": info["lat"], "lon": info["lon"], "country": info["country"] or ""}
    return res


def h_zonal(args) -> Result:
    from engine.maps.zonal import zonal_stats

    q = args["query"]
    layer, sector = args.get("layer", "emissions"), args.get("sector", "all")
    bbox = args.get("bbox")
    if args.get("region") is None and bbox is None:
        if layer != "footprint":
            raise ParamError("give region (ISO3 code, group or continent) and/or bbox (west,south,east,north)",
                             ["region", "bbox"])
        from engine.maps.zonal import BBox

        bbox = BBox(-180.0, -90.0, 180.0, 90.0)  # a footprint over the whole world: the consumer's whole account
    stats = zonal_stats(_layer_grids(args), layer, q, args.get("region"), bbox, sector, args.get("top", 10),
                        args.get("unit", "co2e"))
    res = _grid_result(q, layer, stats, {"method": stats["method"], "units": stats["units"]})
    res.csv_table = pd.DataFrame(stats["top"], columns=["lat", "lon", "value", "country", "country_name"])
    res.extra = {k: stats[k] for k in ("n_cells", "area_km2", "total", "mean_per_cell", "mean_per_km2", "additive")}
    if stats["additive"]:
        basis = units_basis(stats["units"])
        res.units = {"total": f"t {basis} yr-1", "mean_per_cell": stats["units"],
                     "mean_per_km2": f"t {basis} km-2 yr-1", "top.value": stats["units"], "area_km2": "km2"}
    else:  # a relative uncertainty: no total, the mean and median of the cells with a value
        res.units = {"mean_per_cell": stats["units"], "median": stats["units"], "top.value": stats["units"],
                     "area_km2": "km2"}
        res.extra.update({k: stats[k] for k in ("median", "n_cells_with_value", "note")})
    if layer == "footprint":
        res.extra.update(_footprint_extra(_layer_grids(args).layer(layer, q, sector, args.get("unit", "co2e")).attrs))
    return res


def _footprint_extra(attrs: dict) -> dict:
    """The footprint layer's account lines: consumer, variant, footprint, domestic and abroad totals, the share
    emitted abroad and the unplaced bunker fuel [t yr⁻¹ in the layer's basis], and the model method."""
    keys = ("consumer", "consumer_name", "variant", "footprint_t", "domestic_t", "abroad_t", "share_abroad",
            "unplaced_bunker_t", "unplaced_t", "io_method", "structure_year", "method_note", "row_note")
    return {k: attrs[k] for k in keys if k in attrs}


def h_grid_nc(args) -> Result:
    from engine.maps.files import netcdf_bytes
    from engine.maps.zonal import subset

    q = args["query"]
    layer, sector = args.get("layer", "emissions"), args.get("sector", "all")
    da = subset(_layer_grids(args), layer, q, args["bbox"], sector, args.get("unit", "co2e"))
    data = netcdf_bytes(da)
    return _grid_result(q, layer, data, da.attrs)


# ---------------------------------------------------------------------------------------------------------------
# the endpoints
# ---------------------------------------------------------------------------------------------------------------

def _layer_param():
    from engine.maps.layers import LAYER_IDS

    return Param("layer", "enum", "Map layer.", default="emissions", enum=LAYER_IDS)


def _sector_param():
    from engine.maps.grid import SECTORS

    return Param("sector", "enum", "EDGAR sector of the emissions layer (other layers ignore it).", default="all",
                 enum=("all",) + SECTORS)


#: The footprint layer's parameters (the other layers ignore them).
CONSUMER_PARAM = Param("consumer", "string", "Footprint layer: the region whose final demand causes the emissions, a "
                       "ledger country (ISO3), ROW (WIOD's rest of the world) or a group (EU27, G7, G20, BRICS, "
                       "OECD); required with layer=footprint.", max_length=12, pattern=r"^[A-Za-z0-9]+$",
                       example="DEU")
VARIANT_PARAM = Param("variant", "enum", "Footprint layer: all (everything the consumer's final demand causes) or "
                      "abroad (only what it causes outside its own territory).", default="all",
                      enum=("all", "abroad"))


def _industry_endpoints() -> tuple[Endpoint, ...]:
    from api.industry import ENDPOINTS as INDUSTRY_ENDPOINTS

    return INDUSTRY_ENDPOINTS


def _green_endpoints() -> tuple[Endpoint, ...]:
    from api.green import ENDPOINTS as GREEN_ENDPOINTS

    return GREEN_ENDPOINTS


def _lca_endpoints() -> tuple[Endpoint, ...]:
    from api.lca import ENDPOINTS as LCA_ENDPOINTS

    return LCA_ENDPOINTS


UNIT_PARAM = Param("unit", "enum", "co2e: CO2-equivalents of the GWP set (default); mass: tonnes of the gas itself "
                   "(t CO2, t CH4 or t N2O; needs exactly one gas in `gases`; F-gases have no single mass and stay "
                   "CO2e). The CO2 layers (cdiac, sinks, luc) are tonnes of CO2 either way.", default="co2e",
                   enum=("co2e", "mass"))
_OBJ = {"type": "object"}
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/ledger", "ledger", "The panoramic ledger per region",
             "Production, consumption, net transfer, bunker fuel in consumption, land-use change, land sink, "
             "panoramic total, adjustment and per-capita values for every region of the grouping.",
             h_ledger, (REGIONS_PARAM,), columns=LEDGER_COLUMNS, example="?year=2019&gwp=AR6&regions=CHN,USA"),
    Endpoint("/production", "production", "Production (territorial) emissions",
             "EDGAR 2024 emissions by region of the grouping, optionally split by EDGAR sector and/or gas, "
             "re-weighted to the GWP set (F-gases as published).",
             h_production, (REGIONS_PARAM, Param("by", "enum", "Split of the totals.", default="region",
                                                 enum=("region", "sector", "gas", "sector_gas")), UNIT_PARAM),
             columns=_REGION + (Column("sector", "string", "", "EDGAR sector (with by=sector or sector_gas)"),
                                Column("gas", "string", "", "Gas (with by=gas or sector_gas)"),
                                Column("emissions_mt_co2e", "number", MT, "Emissions (unit=co2e)", optional=True),
                                Column("emissions_mt_co2e_lo", "number", MT, "lower bound (with ci)", True, True),
                                Column("emissions_mt_co2e_hi", "number", MT, "upper bound (with ci)", True, True),
                                Column("emissions_mt", "number", "Mt of the gas yr-1",
                                       "Emissions in tonnes of the one gas chosen (unit=mass)", optional=True),
                                Column("emissions_mt_lo", "number", "Mt of the gas yr-1", "lower bound (with ci)",
                                       True, True),
                                Column("emissions_mt_hi", "number", "Mt of the gas yr-1", "upper bound (with ci)",
                                       True, True)),
             example="?year=2022&by=sector&regions=IND"),
    Endpoint("/consumption", "consumption", "Consumption-based emissions",
             "Emissions embodied in each region's final demand (WIOD 2013 MRIO, 1995–2011; nowcast 2012–2023 with "
             "the 2011 structure; null before 1995).", h_ledger, (REGIONS_PARAM,),
             columns=CONSUMPTION_COLUMNS, example="?year=2011&grouping=mrio"),
    Endpoint("/transfers", "transfers", "Net emissions embodied in trade",
             "Consumption minus production per region, and the adjustment in % of production.", h_ledger,
             (REGIONS_PARAM,), columns=TRANSFER_COLUMNS, example="?year=2015&grouping=EU27&regions=EU27,CHN"),
    Endpoint("/flows", "flows", "Bilateral embodied emissions",
             "Emissions from producing region to consuming region (MRIO regions mapped to the grouping; countries "
             "outside WIOD are in ROW), largest first; household direct emissions have sector HH. Empty before "
             "1995.", h_flows,
             (Param("by_sector", "bool", "Keep the producing WIOD sector (c1..c35, HH).", default=False),
              Param("producer", "string", "Only flows from this region.", max_length=40,
                    pattern=r"^[A-Za-z0-9 _&().'-]+$"),
              Param("consumer", "string", "Only flows to this region.", max_length=40,
                    pattern=r"^[A-Za-z0-9 _&().'-]+$"),
              Param("limit", "int", "Most rows to return (largest first).", default=1000, minimum=1,
                    maximum=10000)),
             columns=(Column("producer", "string", "", "Producing region"),
                      Column("consumer", "string", "", "Consuming region"),
                      Column("sector", "string", "", "Producing sector (with by_sector=true)"),
                      Column("emissions_mt_co2e", "number", MT, "Embodied emissions")),
             tag="trade", example="?year=2011&grouping=mrio&consumer=USA&limit=10"),
    Endpoint("/series", "series", "Time series of one region",
             "Every ledger term of one region for 1970–2023 (every other choice as in the Query).", h_series,
             (Param("region", "string", "Region code of the grouping (ISO3, group, continent).", required=True,
                    max_length=40, pattern=r"^[A-Za-z0-9 _&().'-]+$", example="DEU"),),
             columns=SERIES_COLUMNS, example="?region=DEU&gwp=AR6"),
    Endpoint("/sectors", "sectors", "Sector catalogue",
             "The 8 EDGAR sectors (URL slugs) and the 35 WIOD 2013 sectors (c1..c35).", h_sectors, query=False,
             columns=(Column("code", "string", "", "Code for /api/v1/sectors/{code}"),
                      Column("name", "string", "", "Name"), Column("kind", "string", "", "edgar or mrio")),
             tag="catalogue"),
    Endpoint("/sectors/{code}", "sector", "One sector by region",
             "Emissions of one sector by region, largest first: EDGAR countries for an EDGAR sector (production), "
             "MRIO regions for a WIOD sector.", h_sector,
             (Param("code", "string", "Sector code: EDGAR slug (power-industry) or c1..c35.", max_length=60,
                    location="path", example="power-industry"),),
             columns=(Column("code", "string", "", "Region code"), Column("name", "string", "", "Region name"),
                      Column("emissions_mt_co2e", "number", MT, "Emissions"),
                      Column("share_pct", "number", "%", "Share of the sector's world total", True)),
             tag="accounts", example="?year=2020"),
    Endpoint("/regions", "regions", "Countries, groups and continents",
             "Every ledger line (EDGAR country entities, international bunkers, GCB 'other'), the named groups "
             "with their members and the continents.", h_regions, query=False,
             columns=(Column("code", "string", "", "Code"), Column("name", "string", "", "Name"),
                      Column("kind", "string", "", "country, bunkers, other, group or continent"),
                      Column("mrio_region", "string", "", "WIOD 2013 region", True),
                      Column("continent", "string", "", "Continent", True),
                      Column("groups", "string", "", "Named groups the country belongs to (comma-separated)"),
                      Column("members", "string", "", "Members of a group or continent (comma-separated)", True)),
             tag="catalogue"),
    Endpoint("/search", "search", "Find countries, groups, sectors and places by name",
             "Countries by code or any common name (GERMANY, Holland, Ivory Coast, UK), groups, continents, "
             "sectors and places (GeoNames cities), best first: exact code, exact name, prefix of a name, prefix of "
             "a word, substring, then the closest names when nothing matches; case, accents and punctuation are "
             "ignored. Each result names the app page that shows it.", h_search,
             (Param("q", "string", "What to look for (no control characters).", required=True,
                    max_length=SEARCH_MAX_QUERY, example="germ"),
              Param("limit", "int", "Most results.", default=10, minimum=1, maximum=50),
              Param("kinds", "list", "Only these kinds of result.", enum=SEARCH_KINDS, max_items=len(SEARCH_KINDS))),
             query=False, columns=SEARCH_COLUMNS, tag="catalogue", example="?q=germ"),
    Endpoint("/uncertainty", "uncertainty", "Uncertainty of one region's accounts",
             "The interval of every ledger term of one region (the Query's ci level, 1,000 seeded Monte Carlo draws), "
             "the attribution of each account's variance to its inputs (emissions by gas and sector, the "
             "input–output table, the nowcast, land-use change, the land sink) and the convergence of the draws.",
             h_uncertainty,
             (Param("region", "string", "Region code of the grouping (ISO3, group, continent).", required=True,
                    max_length=40, pattern=r"^[A-Za-z0-9 _&().'-]+$", example="CHN"),),
             data_kind="object", tag="accounts", example="?region=CHN&year=2022",
             object_schema={"type": "object", "required": ["region", "year", "ci", "intervals", "attribution",
                                                           "convergence"],
                            "properties": {"region": {"type": "string"}, "year": {"type": "integer"},
                                           "ci": {"type": "integer"}, "draws": {"type": "integer"},
                                           "intervals": {"type": "object"},
                                           "emission_ranges": {"type": "object", "description": (
                                               "95 % emission ranges of the region's lines by EDGAR sector and gas "
                                               "and how each was found (table, combustion proxy, country mean, "
                                               "continent median for countries not in Solazzo et al.)")},
                                           "attribution": {"type": "array", "items": _OBJ},
                                           "convergence": {"type": "array", "items": _OBJ}}}),
    Endpoint("/headline", "headline", "Headline comparison, 2022",
             "Holocarbon's consumption-vs-production adjustment for China, the USA, Japan, the EU27 and India "
             "beside the published 'panoramic' claim and the Global Carbon Budget, with the reasons for each "
             "difference.", h_headline,
             (Param("gwp", "enum", "GWP set.", default="AR5", enum=GWP_SETS),
              Param("ci", "enum", "Confidence level [%]: adds the intervals of Holocarbon's adjustments and whether "
                    "each published figure lies inside them.", enum=tuple(str(c) for c in CI_LEVELS))),
             query=False,
             columns=_with_intervals_of((Column("region", "string"), Column("name", "string"),
                      Column("holocarbon_ghg_pct", "number", "%", "All GHGs"),
                      Column("holocarbon_co2_pct", "number", "%", "CO2 only, bunker fuel included"),
                      Column("holocarbon_co2_gcb_boundary_pct", "number", "%", "CO2, GCB boundary"),
                      Column("panoramic_claim_pct", "number", "%", "Published claim", True),
                      Column("claim_position", "string", "", "Where the claim lies against the all-GHG interval: "
                             "inside, below or above (with ci; null where nothing is published)", True, True),
                      Column("claim_inside", "boolean", "", "The claim lies inside the all-GHG interval (with ci; "
                             "null where nothing is published)", True, True),
                      Column("gcb_co2_pct", "number", "%", "GCB 2024 (OWID)", True),
                      Column("gcb_position", "string", "", "Where GCB lies against the CO2 interval on GCB's "
                             "boundary: inside, below or above (with ci)", True, True),
                      Column("gcb_inside", "boolean", "", "GCB lies inside the CO2 interval on GCB's boundary (with "
                             "ci)", True, True),
                      Column("method", "string"), Column("reason", "string", "", "Why the numbers differ")),
                                        ("holocarbon_ghg_pct", "holocarbon_co2_pct",
                                         "holocarbon_co2_gcb_boundary_pct")),
             example="?gwp=AR6"),
    Endpoint("/compare", "compare", "Several regions side by side",
             "Key figures for the year (production, consumption, net transfer in % of production, per-person values, "
             "changes since 1990 and 2005, what each consumption account rests on) and the 1970–2023 series of every "
             "account of 2 to 8 countries, groups or continents. Each region's values are those of the ledger in "
             "which it is one region. With ci: the intervals of every value.", h_compare,
             (Param("codes", "list", "2 to 8 regions: ISO3 countries, groups (EU27, G7, G20, BRICS, OECD) or "
                    "continents (as in /api/v1/regions); country names work too. Default: CHN,USA,EU27,IND.",
                    pattern=r"^[A-Za-z0-9 _&().'-]{1,40}$", max_items=8, example="DEU,FRA,CHN"),),
             data_kind="object", tag="accounts", example="?codes=DEU,FRA,CHN&year=2019",
             object_schema={"type": "object", "required": ["codes", "year", "regions", "series"],
                            "properties": {"codes": {"type": "array", "items": {"type": "string"}},
                                           "year": {"type": "integer"},
                                           "ci": {"type": "integer", "nullable": True},
                                           "regions": {"type": "array", "items": _OBJ, "description": (
                                               "Key figures per region for the year, in the order of codes")},
                                           "series": {"type": "array", "items": _OBJ, "description": (
                                               "One row per region and year 1970–2023")}}}),
    Endpoint("/cell", "cell", "One grid cell",
             "Value of the 0.1° cell containing a point, with units, country and (emissions) the sector "
             "breakdown.", h_cell,
             (Param("lat", "number", "Latitude (degrees north).", required=True, minimum=-90, maximum=90,
                    example=48.85),
              Param("lon", "number", "Longitude (degrees east).", required=True, minimum=-180, maximum=180,
                    example=2.35)), data_kind="object", tag="grids",
             example="?lat=48.85&lon=2.35&year=2019",
             object_schema={"type": "object", "required": ["layer", "lat", "lon", "value", "units"],
                            "properties": {"layer": {"type": "string"}, "lat": {"type": "number"},
                                           "lon": {"type": "number"}, "value": {"type": "number"},
                                           "units": {"type": "string"},
                                           "country": {"type": "string", "nullable": True},
                                           "country_name": {"type": "string", "nullable": True},
                                           "breakdown": {"type": "array", "items": _OBJ}}}),
    Endpoint("/zonal", "zonal", "Zonal statistics",
             "Total, mean and largest cells of a layer over a country, group, continent and/or bounding box; "
             "for layer=footprint with neither, the whole world (the consumer's whole footprint, with its share "
             "emitted abroad).",
             h_zonal,
             (Param("region", "string", "Country (ISO3), group (EU27, G7, G20, BRICS, OECD) or continent.",
                    max_length=40, pattern=r"^[A-Za-z0-9 _&().'-]+$", example="FRA"),
              Param("bbox", "bbox", "Bounding box west,south,east,north in degrees.", example="-10,35,30,60"),
              Param("top", "int", "Number of largest cells to list.", default=10, minimum=0, maximum=100)),
             data_kind="object", tag="grids", example="?region=FRA&year=2019&top=5",
             object_schema={"type": "object", "required": ["layer", "units", "n_cells", "total", "top"],
                            "properties": {"layer": {"type": "string"}, "units": {"type": "string"},
                                           "n_cells": {"type": "integer"},
                                           "total": {"type": "number", "nullable": True,
                                                     "description": "null for a layer whose cells do not add up "
                                                                    "(uncertainty)"},
                                           "additive": {"type": "boolean"},
                                           "area_km2": {"type": "number"},
                                           "mean_per_cell": {"type": "number", "nullable": True},
                                           "mean_per_km2": {"type": "number", "nullable": True},
                                           "top": {"type": "array", "items": _OBJ}}}),
    Endpoint("/grid.nc", "grid", "Grid subset as NetCDF",
             "A layer cut to a bounding box (at most 180° × 90°) as CF-1.8 NetCDF, t per cell per year.",
             h_grid_nc,
             (Param("bbox", "bbox", "Bounding box west,south,east,north in degrees.", required=True,
                    example="-10,35,30,60"),),
             data_kind="netcdf", formats=("nc",), tag="grids", example="?bbox=5,45,15,55&year=2019"),
    Endpoint("/sources", "sources", "Sources and their status",
             "Every public source with license, citation and the verification status of its files, and whether "
             "the processed pack could be built from it.", h_sources, query=False,
             columns=(Column("id", "string"), Column("title", "string"), Column("license", "string"),
                      Column("years", "string"), Column("citation", "string"), Column("url", "string"),
                      Column("files", "integer"), Column("ok", "integer"), Column("missing", "integer"),
                      Column("corrupt", "integer"), Column("status", "string", "", "ok, missing or corrupt"),
                      Column("pack_failed", "boolean", "", "The pack items of this source could not be built"),
                      Column("pack_message", "string", "", "Why", True)),
             tag="catalogue"),
)

# industry and CBAM (api/industry.py declares them)
ENDPOINTS = ENDPOINTS + _industry_endpoints()
# green exports (api/green.py declares them)
ENDPOINTS = ENDPOINTS + _green_endpoints()
# product footprints (api/lca.py declares the GET routes; its blueprint adds POST /lca)
ENDPOINTS = ENDPOINTS + _lca_endpoints()

# grid endpoints take the layer and sector parameters
ENDPOINTS = tuple(replace(e, params=(_layer_param(), *e.params, _sector_param(), UNIT_PARAM, CONSUMER_PARAM,
                                     VARIANT_PARAM)) if e.tag == "grids"
                  else e
                  for e in ENDPOINTS)
BY_RULE = {e.path: e for e in ENDPOINTS}


#: Endpoints whose answers are not cached: live file verification (memoised on its own for a minute), NetCDF
#: bodies (megabytes; their layer is cached by the grid engine) and search (a millisecond from its in-memory index;
#: every keystroke's answer would only fill the shared cache).
UNCACHED = ("sources", "grid", "search")


def _cache_key(endpoint: Endpoint, args: dict) -> str | None:
    """Cache key of a finished answer (serialising a table costs more than computing it): the pack key, the
    endpoint and the canonical typed arguments (the Query's repr and small scalars only)."""
    acc = current_app.config.get("HOLOCARBON_ACCOUNTS")
    if acc is None or endpoint.name in UNCACHED:
        return None
    canon = "&".join(f"{k}={v!r}" for k, v in sorted(args.items()))
    return acc._key("api", API_VERSION, endpoint.name, hashlib.sha1(canon.encode()).hexdigest())


def _view(endpoint: Endpoint):
    def view(**path_args):
        if len(request.query_string) > 8192:
            return bad_request(f"query string too long ({len(request.query_string)} bytes; at most 8192)")
        try:
            args = parse_args(endpoint, request.args, path_args)
            key = _cache_key(endpoint, args)
            if key is not None:
                # the answer depends only on the pack and the arguments: clients revalidate with the ETag
                etag = hashlib.sha1(key.encode()).hexdigest()[:24]
                if request.if_none_match and etag in request.if_none_match:
                    return Response(status=304, headers={"ETag": f'"{etag}"', "Cache-Control": "no-cache"})
                # a ready answer, from this worker's memory or the workers' shared cache
                cached = current_app.config["HOLOCARBON_ACCOUNTS"].cache.get(key)
                if cached is not None:
                    body, mimetype, headers = cached
                    return Response(body, mimetype=mimetype, headers=headers)
            res = endpoint.handler(args)
        except (ValueError, ServiceUnavailable) as exc:  # bad parameters, refused combinations, no pack
            return error_response(exc)
        if endpoint.data_kind == "netcdf":
            stem = f"{args.get('layer', 'emissions')}_{args['query'].year}"
            return Response(res.data, mimetype="application/x-netcdf", headers={
                "Content-Disposition": f'attachment; filename="holocarbon_{stem}.nc"', "Cache-Control": "no-store",
                "X-Holocarbon-Query": args["query"].to_query_string() or "defaults",
                "X-Holocarbon-Method": res.method})
        resp = _respond(endpoint, res, args.get("format", "json"))
        if key is not None:
            resp.headers["Cache-Control"] = "no-cache"
            resp.set_etag(etag)
            current_app.config["HOLOCARBON_ACCOUNTS"].cache.set(
                key, (resp.get_data(), resp.mimetype,
                      {k: v for k, v in resp.headers.items() if k not in ("Content-Type", "Content-Length")}))
        return resp

    view.__name__ = "api_" + endpoint.name
    return heavy(view) if endpoint.data_kind == "netcdf" else view


for _e in ENDPOINTS:
    bp.add_url_rule(_e.flask_rule, view_func=_view(_e), methods=["GET"])


@bp.get("/")
@bp.get("")
def index():
    """The list of endpoints (with example links) and where the OpenAPI document is."""
    if request.args:
        return bad_request(f"unknown parameter {sorted(request.args)[0][:40]!r}; this route takes none", [])
    return Response(json.dumps({
        "name": "Holocarbon API", "version": API_VERSION, "openapi": PREFIX + "/openapi.json", "docs": "/api",
        "endpoints": [{"path": PREFIX + e.path, "summary": e.summary, "example": PREFIX + e.path + e.example}
                      for e in ENDPOINTS]}), mimetype="application/json")


@bp.get("/openapi.json")
def openapi_json():
    from api.openapi import openapi_document

    if request.args:
        return bad_request(f"unknown parameter {sorted(request.args)[0][:40]!r}; this route takes none", [])
    return Response(json.dumps(openapi_document(ENDPOINTS, API_VERSION, PREFIX)), mimetype="application/json",
                    headers={"Cache-Control": "public, max-age=300"})


@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def unknown(rest: str):
    path = "/" + rest.rstrip("/")
    if any(re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", re.escape(e.path).replace("\\{", "{").replace("\\}", "}")), path)
           for e in ENDPOINTS) or path in ("/openapi.json", ""):
        resp = bad_request(f"{request.method} is not allowed on {PREFIX}{path}; use GET", ["GET"], status=405,
                           error="method not allowed")
        resp.headers["Allow"] = "GET, HEAD, OPTIONS"
        return resp
    return bad_request(f"no API route {PREFIX}/{rest[:80]}", [PREFIX + e.path for e in ENDPOINTS], status=404,
                       error="not found")
