"""Goal and scope of a product footprint (ISO 14040/44 §4.2): the product, its functional unit, the system
boundary, the producing country and year, and the impact method (a GWP set of the :class:`~engine.core.query.Query`).

Boundaries (:data:`BOUNDARIES`):

- ``cradle-to-gate``: every input of the inventory up to the factory gate;
- ``cradle-to-gate+use-electricity``: the same plus the electricity the product uses over its life (``use_kwh`` at
  the grid of ``use_country``, the year's Ember intensity); no other use or end-of-life stage is modelled.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from engine.core.errors import InputError
from engine.core.query import GASES, GWP_SETS, Query
from engine.io.nowcast import MRIO_YEARS

#: System boundaries.
BOUNDARIES = ("cradle-to-gate", "cradle-to-gate+use-electricity")
#: Years with an input–output table or a nowcast (the money lines need one).
YEAR_RANGE = (MRIO_YEARS[0], 2023)
MAX_NAME = 80


def _iso3(name: str, value) -> str:
    code = str(value or "").strip().upper()
    if not (len(code) == 3 and code.isalpha()):
        raise InputError(f"{name} must be an ISO3 country code (three letters, e.g. CHN); got {value!r}")
    return code


@dataclass(frozen=True)
class Scope:
    """Goal and scope of a footprint (frozen, hashable).

    Attributes
    ----------
    product : str
        What is footprinted (at most 80 characters).
    amount : float
        Size of the functional unit [unit], > 0; the inventory is per functional unit.
    unit : str
        Unit of the functional unit (``kWp``, ``t``, ``vehicle``, ...).
    country : str
        Producing country (ISO3): lines with origin ``producer`` are supplied from it.
    year : int
        Year of the data, :data:`YEAR_RANGE` (money lines after 2011 use the nowcast on the 2011 table).
    gwp : str
        One of :data:`~engine.core.query.GWP_SETS` (checked through the Query).
    boundary : str
        One of :data:`BOUNDARIES`.
    use_kwh : float
        Lifetime use-phase electricity per functional unit [kWh]; only with the use boundary.
    use_country : str or None
        Grid of the use phase (ISO3); default ``country``.
    gases : tuple of str
        Gases counted in the total, a subset of :data:`~engine.core.query.GASES`.
    """

    product: str
    amount: float = 1.0
    unit: str = "item"
    country: str = "CHN"
    year: int = 2020
    gwp: str = "AR5"
    boundary: str = "cradle-to-gate"
    use_kwh: float = 0.0
    use_country: str | None = None
    gases: tuple[str, ...] = GASES

    def __post_init__(self):
        name = str(self.product or "").strip()
        if not name or len(name) > MAX_NAME:
            raise InputError(f"product must be a name of 1-{MAX_NAME} characters; got {self.product!r}")
        object.__setattr__(self, "product", name)
        try:
            amount = float(self.amount)
        except (TypeError, ValueError):
            raise InputError(f"functional unit amount must be a number > 0; got {self.amount!r}") from None
        if not amount > 0 or amount != amount or amount == float("inf"):
            raise InputError(f"functional unit amount must be a number > 0; got {self.amount!r}")
        object.__setattr__(self, "amount", amount)
        unit = str(self.unit or "").strip()
        if not unit or len(unit) > 20:
            raise InputError(f"functional unit needs a unit of 1-20 characters (e.g. kWp, t, vehicle); got "
                             f"{self.unit!r}")
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "country", _iso3("country", self.country))
        try:
            year = int(self.year)
        except (TypeError, ValueError):
            raise InputError(f"year must be an integer in {YEAR_RANGE[0]}-{YEAR_RANGE[1]}; got {self.year!r}") from None
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise InputError(f"year must be in {YEAR_RANGE[0]}-{YEAR_RANGE[1]} (years with an input-output table "
                             f"or its nowcast); got {year}")
        object.__setattr__(self, "year", year)
        try:
            q = Query(year=year, gwp=self.gwp, gases=self.gases)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        object.__setattr__(self, "gwp", q.gwp)
        object.__setattr__(self, "gases", q.gases)
        if self.boundary not in BOUNDARIES:
            raise InputError(f"boundary must be one of {', '.join(BOUNDARIES)}; got {self.boundary!r}")
        try:
            kwh = float(self.use_kwh or 0.0)
        except (TypeError, ValueError):
            raise InputError(f"use_kwh must be a number >= 0 [kWh]; got {self.use_kwh!r}") from None
        if kwh < 0 or kwh != kwh or kwh == float("inf"):
            raise InputError(f"use_kwh must be a number >= 0 [kWh]; got {self.use_kwh!r}")
        if kwh > 0 and self.boundary != "cradle-to-gate+use-electricity":
            raise InputError("use_kwh needs boundary 'cradle-to-gate+use-electricity'; allowed boundaries: "
                             f"{', '.join(BOUNDARIES)}")
        object.__setattr__(self, "use_kwh", kwh)
        use = self.country if self.use_country in (None, "") else _iso3("use_country", self.use_country)
        object.__setattr__(self, "use_country", use)

    @property
    def query(self) -> Query:
        """The Query of the impact method (year, GWP set, gases)."""
        return Query(year=self.year, gwp=self.gwp, gases=self.gases)

    def replace(self, **changes) -> Scope:
        d = asdict(self)
        d.update(changes)
        return Scope(**d)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["gases"] = list(self.gases)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Scope:
        """Build from a mapping (JSON); unknown keys are refused with the allowed ones named."""
        if not isinstance(d, dict):
            raise InputError(f"scope must be an object with keys product, amount, unit, ...; got {type(d).__name__}")
        allowed = set(cls.__dataclass_fields__)
        unknown = sorted(set(d) - allowed)
        if unknown:
            raise InputError(f"unknown scope keys {unknown}; allowed: {', '.join(sorted(allowed))}")
        kw = dict(d)
        if "gases" in kw and isinstance(kw["gases"], list):
            kw["gases"] = tuple(kw["gases"])
        if "product" not in kw:
            raise InputError("scope needs a product name")
        return cls(**kw)


__all__ = ["BOUNDARIES", "GWP_SETS", "Scope", "YEAR_RANGE"]
