"""Declarative parameters and endpoints of the REST API: one description drives validation, the OpenAPI document
and the human-readable API page, so the three cannot disagree.

A :class:`Param` parses one query-string value (typed, bounded, with the allowed values named in the error); an
:class:`Endpoint` lists its parameters, the columns of its table (name, JSON type, unit, meaning) and its formats.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from engine.core.query import (
    CI_LEVELS,
    GASES,
    GROUPINGS,
    GWP_SETS,
    LUC_MODELS,
    MAX_MEMBERS,
    MAX_NAME,
    PERSPECTIVES,
    YEAR_RANGE,
)

#: Longest accepted value of any string parameter (characters) and longest query string.
MAX_PARAM_LENGTH = 2000
MAX_QUERY_STRING = 8192
_ISO3 = "^[A-Za-z]{3}$"


class ParamError(ValueError):
    """A bad parameter: ``str(exc)`` is the detail, ``allowed`` what would have been accepted, ``status`` 400 (or 404
    for an unknown code in the path)."""

    def __init__(self, detail: str, allowed=None, status: int = 400):
        super().__init__(detail)
        self.allowed = list(allowed) if allowed is not None else None
        self.status = status


@dataclass(frozen=True)
class Param:
    """One query or path parameter.

    ``kind`` is ``int``, ``number``, ``enum``, ``list`` (comma-separated; items from ``enum`` or matching
    ``pattern``), ``string``, ``bool`` or ``bbox`` (four comma-separated numbers).
    """

    name: str
    kind: str
    description: str
    default: Any = None
    required: bool = False
    enum: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    max_items: int = 50
    pattern: str | None = None
    location: str = "query"
    example: Any = None

    def schema(self) -> dict:
        """JSON Schema (OpenAPI 3.0) of the raw value."""
        if self.kind == "int":
            s = {"type": "integer", "minimum": int(self.minimum), "maximum": int(self.maximum)}
        elif self.kind == "number":
            s = {"type": "number", "minimum": self.minimum, "maximum": self.maximum}
        elif self.kind == "enum":
            s = {"type": "string", "enum": list(self.enum)}
        elif self.kind == "bool":
            s = {"type": "boolean"}
        elif self.kind == "list":
            item = {"type": "string", "enum": list(self.enum)} if self.enum else {"type": "string",
                                                                                   "pattern": self.pattern}
            s = {"type": "array", "items": item, "minItems": 1, "maxItems": self.max_items}
            if self.enum:
                s["uniqueItems"] = True
        elif self.kind == "bbox":
            s = {"type": "array", "items": {"type": "number", "minimum": -180, "maximum": 180}, "minItems": 4,
                 "maxItems": 4}
        else:
            s = {"type": "string", "minLength": 1, "maxLength": self.max_length}
            if self.pattern:
                s["pattern"] = self.pattern
        if self.default is not None:
            s["default"] = list(self.default) if isinstance(self.default, tuple) else self.default
        return s

    def openapi(self) -> dict:
        out = {"name": self.name, "in": self.location, "required": self.required or self.location == "path",
               "description": self.description, "schema": self.schema()}
        if self.kind in ("list", "bbox"):
            out.update(style="form", explode=False)
        if self.example is not None:
            out["example"] = self.example
        return out

    def describe_type(self) -> str:
        """Short human description of the accepted values (API page)."""
        if self.kind == "int":
            return f"integer {int(self.minimum)}–{int(self.maximum)}"
        if self.kind == "number":
            return f"number {self.minimum:g} to {self.maximum:g}"
        if self.kind == "enum":
            return "one of " + ", ".join(self.enum)
        if self.kind == "bool":
            return "true or false"
        if self.kind == "list":
            what = ", ".join(self.enum) if self.enum else "ISO3 codes" if self.pattern == _ISO3 else "region codes"
            return f"comma-separated list (≤ {self.max_items}) of {what}"
        if self.kind == "bbox":
            return "west,south,east,north (degrees)"
        return f"text (≤ {self.max_length} characters)"

    def parse(self, raw: str) -> Any:
        """Typed value of a raw string.

        Raises
        ------
        ParamError
            Naming the parameter, what was received and what is allowed.
        """
        got = raw if len(raw) <= 60 else raw[:57] + "..."
        if self.kind == "int":
            if not re.fullmatch(r"[+-]?\d{1,9}", raw.strip()):
                raise ParamError(f"{self.name} must be an integer in {int(self.minimum)}–{int(self.maximum)}; "
                                 f"got {got!r}")
            value = int(raw)
            if not self.minimum <= value <= self.maximum:
                raise ParamError(f"{self.name} must be in {int(self.minimum)}–{int(self.maximum)}; got {value}")
            return value
        if self.kind == "number":
            try:
                value = float(raw)
            except ValueError:
                raise ParamError(f"{self.name} must be a number; got {got!r}") from None
            if not math.isfinite(value) or not self.minimum <= value <= self.maximum:
                raise ParamError(f"{self.name} must be a number in [{self.minimum:g}, {self.maximum:g}]; got {got!r}")
            return value
        if self.kind == "enum":
            if raw in self.enum:
                return raw
            raise ParamError(f"{self.name} must be one of {', '.join(self.enum)}; got {got!r}", self.enum)
        if self.kind == "bool":
            low = raw.strip().lower()
            if low in ("true", "1", "yes"):
                return True
            if low in ("false", "0", "no"):
                return False
            raise ParamError(f"{self.name} must be true or false; got {got!r}", ["true", "false"])
        if self.kind == "list":
            items = [p.strip() for p in raw.split(",")]
            if not raw.strip() or any(not p for p in items):
                raise ParamError(f"{self.name} must be a comma-separated list without empty items; got {got!r}",
                                 self.enum or None)
            if len(items) > self.max_items:
                raise ParamError(f"{self.name} may list at most {self.max_items} items; got {len(items)}")
            for p in items:
                if self.enum and p not in self.enum:
                    raise ParamError(f"{self.name}: {p[:40]!r} is not one of {', '.join(self.enum)}", self.enum)
                if self.pattern and not re.fullmatch(self.pattern.strip("^$"), p):
                    raise ParamError(f"{self.name}: {p[:40]!r} is not a valid code (three letters, ISO3)")
            if self.enum and len(set(items)) != len(items):
                raise ParamError(f"{self.name} lists an item twice; got {got!r}", self.enum)
            return tuple(items)
        if self.kind == "bbox":
            from engine.maps.zonal import BBox

            try:
                return BBox.parse(raw)
            except ValueError as exc:
                raise ParamError(str(exc)) from None
        if not raw or len(raw) > self.max_length:
            raise ParamError(f"{self.name} must be 1–{self.max_length} characters; got {len(raw)}")
        if self.pattern and not re.fullmatch(self.pattern.strip("^$"), raw):
            raise ParamError(f"{self.name} does not match {self.pattern}; got {got!r}")
        return raw


#: The Query's parameters (same names, values and defaults as page URLs; see engine.core.query.Query).
QUERY_PARAMS = (
    Param("year", "int", "Accounting year (consumption views: MRIO 1995–2011, nowcast 2012–2023; production only "
          "before 1995).", default=2022, minimum=YEAR_RANGE[0], maximum=YEAR_RANGE[1], example=2019),
    Param("gwp", "enum", "Global-warming-potential set for CO2-equivalents.", default="AR5", enum=GWP_SETS),
    Param("gases", "list", "Gases to include.", default=GASES, enum=GASES, max_items=len(GASES)),
    Param("luc_model", "enum", "GCB 2024 bookkeeping model for land-use change, or their mean.", default="mean",
          enum=LUC_MODELS),
    Param("grouping", "enum", "How countries are grouped into regions (a named group is merged into one region; "
          "`custom` merges `members`).", default="countries", enum=GROUPINGS),
    Param("members", "list", "ISO3 codes of the custom group (with grouping=custom).", pattern=_ISO3,
          max_items=MAX_MEMBERS, example="FRA,DEU"),
    Param("name", "string", "Label of the custom group.", max_length=MAX_NAME, pattern=r"^[^\x00-\x1f]+$"),
    Param("perspective", "enum", "Accounting perspective (maps and charts).", default="consumption",
          enum=PERSPECTIVES),
    Param("ci", "enum", "Confidence level of the intervals [%]. Given explicitly on ledger, consumption, transfers, "
          "production and series, it adds `<column>_lo` and `<column>_hi` beside each value column.", default="90",
          enum=tuple(str(c) for c in CI_LEVELS)),
)
FORMAT_PARAM = Param("format", "enum", "Response format: JSON (default) or CSV with `#` header lines.",
                     default="json", enum=("json", "csv"))


@dataclass(frozen=True)
class Column:
    """One column of an endpoint's table: JSON type (``number``, ``integer``, ``string``, ``boolean``), unit,
    meaning; ``nullable`` when the value can be missing (e.g. consumption before 1995)."""

    name: str
    type: str
    unit: str = ""
    description: str = ""
    nullable: bool = False
    #: present only for some parameter values (e.g. the unit), so not required in the schema
    optional: bool = False

    def schema(self) -> dict:
        s: dict = {"type": self.type}
        if self.nullable:
            s["nullable"] = True
        return s


@dataclass(frozen=True)
class Endpoint:
    """One GET route under ``/api/v1``.

    ``handler(ctx, args)`` returns a :class:`Result`; ``args`` maps parameter names to typed values (the Query
    parameters are turned into ``args["query"]`` when ``query`` is True).
    """

    path: str
    name: str
    summary: str
    description: str
    handler: Callable
    params: tuple[Param, ...] = ()
    query: bool = True
    columns: tuple[Column, ...] = ()
    data_kind: str = "table"  # table | object | netcdf
    formats: tuple[str, ...] = ("json", "csv")
    tag: str = "accounts"
    example: str = ""
    object_schema: dict = field(default_factory=dict)

    @property
    def all_params(self) -> tuple[Param, ...]:
        out = tuple(self.params)
        if self.query:
            out += QUERY_PARAMS
        if len(self.formats) > 1:
            out += (FORMAT_PARAM if self.formats == FORMAT_PARAM.enum else
                    replace(FORMAT_PARAM, enum=self.formats, description="Response format: JSON (default), CSV "
                            "with `#` header lines" + (" or an XLSX workbook (the tables and an `about` sheet)."
                                                       if "xlsx" in self.formats else ".")),)
        return out

    @property
    def flask_rule(self) -> str:
        return re.sub(r"\{(\w+)\}", r"<\1>", self.path)


def parse_args(endpoint: Endpoint, args, path_args: dict | None = None) -> dict:
    """Typed arguments of a request (``args``: a werkzeug MultiDict), the Query built from its parameters.

    Raises
    ------
    ParamError
        Unknown or repeated parameter, bad value, missing required parameter, or a Query the engine refuses.
    """
    from engine.core.query import Query

    params = {p.name: p for p in endpoint.all_params if p.location == "query"}
    unknown = sorted(set(args) - set(params))
    if unknown:
        raise ParamError(f"unknown parameter {unknown[0][:40]!r} for {endpoint.path}", sorted(params))
    out: dict[str, Any] = {}
    for name, p in params.items():
        values = args.getlist(name)
        if len(values) > 1:
            raise ParamError(f"parameter {name!r} given {len(values)} times; give it once")
        if not values:
            if p.required:
                raise ParamError(f"parameter {name!r} is required ({p.describe_type()})",
                                 list(p.enum) or None)
            continue
        if len(values[0]) > MAX_PARAM_LENGTH:
            raise ParamError(f"parameter {name!r} is too long ({len(values[0])} characters; at most "
                             f"{MAX_PARAM_LENGTH})")
        out[name] = p.parse(values[0])
    for p in endpoint.all_params:
        if p.location == "path":
            out[p.name] = p.parse(str((path_args or {})[p.name]))
    if endpoint.query:
        qargs = {p.name: out.pop(p.name) for p in QUERY_PARAMS if p.name in out}
        if "members" in qargs and qargs.get("grouping") != "custom":
            raise ParamError("members is only used with grouping=custom", ["grouping=custom"])
        try:
            out["query"] = Query.from_params(qargs)
        except ValueError as exc:
            raise ParamError(str(exc)) from None
        out["intervals"] = "ci" in qargs  # interval columns only when asked for
    out.setdefault("format", "json")
    return out
