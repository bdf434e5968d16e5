"""The inventory: the bill of inputs per functional unit, one :class:`Line` each, parsed from JSON/dicts or CSV
text with errors that name the line.

Kinds (:data:`KINDS`) and their units:

- ``money``: a purchase by WIOD 2013 sector (``c1`` .. ``c35``) and country of origin, in ``USD``, ``EUR`` or
  ``CNY`` of a ``price_year`` (the rule converting it to USD of the table's year is in :mod:`engine.lca.factors`);
  traced through the MRIO's multipliers by gas;
- ``process``: tonnes (or kg) of a process good (:data:`GOODS`) made in the origin country, through the industry
  routes (:mod:`engine.industry.routes`);
- ``electricity``: kWh (or MWh) at the origin country's grid intensity (Ember, life cycle);
- ``transport``: t·km (``tkm``) by mode (:data:`~engine.lca.factors.MODES`), cited factors;
- ``direct``: kg (or t) of a gas emitted by the product system itself (field N2O, diesel burnt on site), the gas
  one of CO2, CH4, N2O.

``origin`` is an ISO3 code or ``producer`` (the scope's country). A country code's existence is checked by the
orchestrator against the data (:meth:`engine.lca.model.LCA.check`); everything else here.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass, fields

from engine.core.errors import InputError
from engine.lca.factors import CURRENCIES, MODES
from engine.sources.wiod import SECTORS

KINDS = ("money", "process", "electricity", "transport", "direct")
#: Process goods -> (industry product of :func:`engine.industry.routes.country_products`, WIOD sector that sells it).
GOODS = {
    "steel": ("steel_product", "c12"),
    "crude_steel": ("crude_steel", "c12"),
    "aluminium": ("aluminium_primary_alumina", "c12"),
    "aluminium_secondary": ("aluminium_secondary", "c12"),
    "cement": ("cement", "c11"),
    "clinker": ("clinker", "c11"),
    "ammonia": ("ammonia", "c9"),
    "urea": ("urea", "c9"),
    "hydrogen": ("hydrogen", "c9"),
}
DIRECT_GASES = ("CO2", "CH4", "N2O")
#: Accepted units per kind -> factor to the base unit (money: the currency itself).
UNITS = {
    "process": {"t": 1.0, "kg": 1e-3},
    "electricity": {"kwh": 1.0, "mwh": 1e3},
    "transport": {"tkm": 1.0, "t.km": 1.0, "t·km": 1.0, "t km": 1.0},
    "direct": {"kg": 1.0, "t": 1e3},
}
BASE_UNIT = {"process": "t", "electricity": "kWh", "transport": "tkm", "direct": "kg", "money": "currency"}
MAX_LINES = 200
PRODUCER = "producer"
CSV_COLUMNS = ("kind", "name", "amount", "unit", "origin", "sector", "price_year", "good", "mode", "gas", "source",
               "note")


@dataclass(frozen=True)
class Line:
    """One input per functional unit.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    name : str
        What it is (shown in contributions).
    amount : float
        Quantity per functional unit [unit], >= 0.
    unit : str
        ``USD``/``EUR``/``CNY`` (money), ``t``/``kg`` (process), ``kWh``/``MWh`` (electricity), ``tkm``
        (transport), ``kg``/``t`` (direct).
    origin : str
        ISO3 code of the supplying country, or ``producer``.
    sector : str
        WIOD sector code (money lines).
    price_year : int
        Year of the money amount's prices (money lines).
    good : str
        One of :data:`GOODS` (process lines).
    mode : str
        One of :data:`~engine.lca.factors.MODES` (transport lines).
    gas : str
        One of :data:`DIRECT_GASES` (direct lines).
    source, note : str
        Where the amount comes from; free text.
    """

    kind: str
    name: str
    amount: float
    unit: str
    origin: str = PRODUCER
    sector: str = ""
    price_year: int = 0
    good: str = ""
    mode: str = ""
    gas: str = ""
    source: str = ""
    note: str = ""

    @property
    def base_amount(self) -> float:
        """The amount in the kind's base unit (t, kWh, tkm, kg; money: the stated currency) [base unit]."""
        if self.kind == "money":
            return self.amount
        return self.amount * UNITS[self.kind][self.unit.lower()]

    def country(self, producer: str) -> str:
        return producer if self.origin == PRODUCER else self.origin

    def to_dict(self) -> dict:
        d = asdict(self)
        return {k: v for k, v in d.items() if v not in ("", 0) or k in ("kind", "name", "amount", "unit", "origin")}


def _err(n: int, msg: str) -> InputError:
    return InputError(f"line {n}: {msg}")


def make_line(d: dict, n: int) -> Line:
    """A checked :class:`Line` from a mapping; ``n`` is its 1-based line number (for the messages).

    Raises
    ------
    InputError
        ``line n: ...`` naming the problem: unknown kind, sector, good, mode, gas or key; negative or missing
        amount; missing or wrong unit; a bad origin code or price year.
    """
    if not isinstance(d, dict):
        raise _err(n, f"must be an object with kind, name, amount, unit, ...; got {type(d).__name__}")
    allowed = {f.name for f in fields(Line)}
    unknown = sorted(k for k in d if k not in allowed)
    if unknown:
        raise _err(n, f"unknown keys {unknown}; allowed: {', '.join(sorted(allowed))}")
    kind = str(d.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise _err(n, f"kind must be one of {', '.join(KINDS)}; got {d.get('kind')!r}")
    name = str(d.get("name") or "").strip()[:120] or kind
    raw = d.get("amount")
    try:
        amount = float(raw)
    except (TypeError, ValueError):
        raise _err(n, f"amount must be a number >= 0; got {raw!r}") from None
    if math.isnan(amount) or math.isinf(amount):
        raise _err(n, f"amount must be a finite number; got {raw!r}")
    if amount < 0:
        raise _err(n, f"negative amount {amount:g}: amounts are inputs per functional unit, >= 0")
    unit = str(d.get("unit") or "").strip()
    if not unit:
        want = ", ".join(CURRENCIES) if kind == "money" else ", ".join(UNITS[kind])
        raise _err(n, f"missing unit ({kind} lines take {want})")
    origin = str(d.get("origin") or PRODUCER).strip()
    origin = PRODUCER if origin.lower() == PRODUCER else origin.upper()
    if origin != PRODUCER and not (len(origin) == 3 and origin.isalpha()):
        raise _err(n, f"unknown country {d.get('origin')!r}: origin must be an ISO3 code or 'producer'")
    kw = {"kind": kind, "name": name, "amount": amount, "origin": origin, "source": str(d.get("source") or ""),
          "note": str(d.get("note") or "")}
    if kind == "money":
        if unit.upper() not in CURRENCIES:
            raise _err(n, f"money unit must be a currency, one of {', '.join(CURRENCIES)}; got {unit!r}")
        sector = str(d.get("sector") or "").strip().lower()
        if sector not in SECTORS:
            raise _err(n, f"unknown sector {d.get('sector')!r}: WIOD 2013 sectors are c1..c35 (e.g. c12 "
                          f"{SECTORS['c12']})")
        try:
            py = int(float(d.get("price_year")))
        except (TypeError, ValueError):
            raise _err(n, f"money lines need a price_year (the year of the prices); got {d.get('price_year')!r}") \
                from None
        kw.update(unit=unit.upper(), sector=sector, price_year=py)
    else:
        if unit.lower() not in UNITS[kind]:
            raise _err(n, f"unit of a {kind} line must be one of {', '.join(UNITS[kind])}; got {unit!r}")
        kw["unit"] = unit
        if kind == "process":
            good = str(d.get("good") or "").strip().lower()
            if good not in GOODS:
                raise _err(n, f"unknown good {d.get('good')!r}; process goods: {', '.join(GOODS)}")
            kw["good"] = good
        elif kind == "transport":
            mode = str(d.get("mode") or "").strip().lower()
            if mode not in MODES:
                raise _err(n, f"unknown transport mode {d.get('mode')!r}; modes: {', '.join(MODES)}")
            kw["mode"] = mode
        elif kind == "direct":
            gas = str(d.get("gas") or "").strip().upper()
            if gas not in DIRECT_GASES:
                raise _err(n, f"unknown gas {d.get('gas')!r}; direct lines take {', '.join(DIRECT_GASES)}")
            kw["gas"] = gas
    return Line(**kw)


@dataclass(frozen=True)
class Inventory:
    """The lines of a footprint (at most :data:`MAX_LINES`), per functional unit."""

    lines: tuple[Line, ...]

    def __post_init__(self):
        if len(self.lines) > MAX_LINES:
            raise InputError(f"too many lines: {len(self.lines)} (at most {MAX_LINES}); line {MAX_LINES + 1} is "
                             f"the first one over")
        if not self.lines:
            raise InputError("the inventory is empty: add at least one line")

    def __len__(self) -> int:
        return len(self.lines)

    def to_list(self) -> list[dict]:
        return [ln.to_dict() for ln in self.lines]

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
        w.writeheader()
        for ln in self.lines:
            d = asdict(ln)
            d["price_year"] = d["price_year"] or ""
            w.writerow(d)
        return buf.getvalue()

    def replace_line(self, i: int, **changes) -> Inventory:
        from dataclasses import replace

        lines = list(self.lines)
        lines[i] = replace(lines[i], **changes)
        return Inventory(tuple(lines))


def from_records(records) -> Inventory:
    """An :class:`Inventory` from a list of mappings (JSON).

    Raises
    ------
    InputError
        ``too many lines`` (more than :data:`MAX_LINES`) or ``line n: ...``.
    """
    if not isinstance(records, (list, tuple)):
        raise InputError(f"inventory must be a list of lines; got {type(records).__name__}")
    if len(records) > MAX_LINES:
        raise InputError(f"too many lines: {len(records)} (at most {MAX_LINES}); line {MAX_LINES + 1} is the first "
                         f"one over")
    return Inventory(tuple(make_line(d, i + 1) for i, d in enumerate(records)))


def from_csv(text: str) -> Inventory:
    """An :class:`Inventory` from CSV text with a header of :data:`CSV_COLUMNS` (``kind, name, amount, unit`` are
    required; the others may be left out). Line numbers in messages count inventory lines (the header is not one).

    Raises
    ------
    InputError
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("the CSV is empty: it needs a header (kind,name,amount,unit,...) and at least one line")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("kind", "name", "amount", "unit") if c not in header]
    if missing:
        raise InputError(f"CSV header lacks columns {missing}; columns: {', '.join(CSV_COLUMNS)}")
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise InputError(f"CSV header has unknown columns {unknown}; columns: {', '.join(CSV_COLUMNS)}")
    records = []
    for row in reader:
        rec = {k.strip().lower(): (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k is not None}
        if not any(rec.values()):
            continue
        records.append({k: v for k, v in rec.items() if v not in ("", None)})
        if len(records) > MAX_LINES:
            raise InputError(f"too many lines: more than {MAX_LINES} (line {MAX_LINES + 1} is the first one over)")
    return from_records(records)
