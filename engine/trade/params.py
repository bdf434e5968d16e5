"""The user's choices of the green-export model (:class:`GreenParams`, frozen and URL-safe) and the authored
parameter table ``data/green_exports_parameters.csv`` (value, low, high, distribution and source per row).

The table is read with the generic :class:`engine.industry.parameters.Parameters` (central values, seeded
triangular / uniform / fixed draws); only the check of the required rows is specific to this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlencode

import pandas as pd

from engine.core.errors import InputError
from engine.industry import parameters as industry_parameters
from engine.industry.parameters import Parameters

FILENAME = "green_exports_parameters.csv"
COLUMNS = ("parameter", "tech", "value", "low", "high", "unit", "distribution", "source", "note")
#: Ember's regions (column ``continent`` of the export file), the keys of the regional capacity factor rows.
REGIONS = ("Africa", "Asia", "Europe", "Latin America and Caribbean", "Middle East", "North America", "Oceania")
#: Displaced-intensity choices: Ember's average grid intensity, or the intensity of the fossil part of the mix.
DISPLACEMENTS = ("average", "fossil_margin")
#: Ember commodity types that can be counted as capacity (wafers never: see :mod:`engine.trade.exports`).
PV_COMMODITIES = ("Panels", "Cells")
#: GreenParams fields that are also table rows: the field is the central value, the row's range feeds the tornado.
CHOICE_ROWS = ("pv_lifetime_yr", "wind_lifetime_yr", "pv_degradation_pct", "installation_share", "grid_decline_pct")
REQUIRED = (
    "draws", "seed", "pv_kg_per_kwp", "pv_reference_grid_g_kwh", "pv_electricity_share", "pv_cell_footprint_share",
    "pv_cf_observed_factor", "pv_cf_clip_low", "pv_cf_clip_high", "pv_cf_world", "wind_lca_g_kwh",
    "wind_lca_reference_cf", "wind_lca_reference_lifetime_yr", "wind_degradation_pct", "wind_cf_world", "ef_coal",
    "ef_gas", "ef_oil", "eff_coal", "eff_gas", "eff_oil", "displaced_intensity_factor", *CHOICE_ROWS,
)


def region_key(region: str) -> str:
    """Row-name suffix of an Ember region (``"Latin America and Caribbean"`` -> ``latin_america_and_caribbean``)."""
    return "_".join(str(region).lower().split())


#: Allowed ranges of the numeric GreenParams fields: name -> (low, high, unit).
RANGES = {
    "pv_lifetime_yr": (10.0, 40.0, "yr"),
    "wind_lifetime_yr": (10.0, 35.0, "yr"),
    "pv_degradation_pct": (0.0, 2.0, "%/yr"),
    "installation_share": (0.0, 1.0, "share"),
    "grid_decline_pct": (0.0, 10.0, "%/yr"),
    "manufacturing_grid_g_kwh": (0.0, 1500.0, "g CO2e/kWh"),
}


def _number(name: str, v) -> float:
    lo, hi, unit = RANGES[name]
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number in {lo:g}-{hi:g} {unit}; got {v!r}") from None
    if not lo <= x <= hi:  # also refuses NaN
        raise InputError(f"{name} must be in {lo:g}-{hi:g} {unit}; got {v!r}")
    return x


@dataclass(frozen=True)
class GreenParams:
    """The choices a reader makes (hashable: cache keys and URL query strings).

    Parameters
    ----------
    pv_lifetime_yr : float
        Operating life of exported PV [yr], 10-40.
    wind_lifetime_yr : float
        Operating life of exported wind turbines [yr], 10-35.
    pv_degradation_pct : float
        Yearly loss of PV output [% yr⁻¹], 0-2 (Jordan and Kurtz 2013: median 0.5).
    installation_share : float
        Share of the exported MW installed in the destination [1], 0-1: exports are not installations (stocks in
        warehouses, re-export through hubs such as the Netherlands); it scales avoided emissions only, the
        manufacturing emissions happened anyway.
    displacement : str
        ``"average"`` (the destination's Ember average grid intensity) or ``"fossil_margin"`` (intensity of its coal,
        gas and oil generation with IPCC fuel factors and plant efficiencies).
    grid_decline_pct : float
        Yearly decline of the displaced intensity along the lifetime [% yr⁻¹], 0-10.
    manufacturing_grid_g_kwh : float or None
        Grid intensity of manufacturing [g CO2e kWh⁻¹], 0-1500; None = China's Ember intensity of the export year.
    pv_commodities : tuple of str
        Ember commodity types counted as exported capacity: a non-empty subset of ``("Panels", "Cells")``.
    """

    pv_lifetime_yr: float = 25.0
    wind_lifetime_yr: float = 20.0
    pv_degradation_pct: float = 0.5
    installation_share: float = 1.0
    displacement: str = "average"
    grid_decline_pct: float = 0.0
    manufacturing_grid_g_kwh: float | None = None
    pv_commodities: tuple[str, ...] = ("Panels",)

    def __post_init__(self):
        for name in RANGES:
            v = getattr(self, name)
            if v is None and name == "manufacturing_grid_g_kwh":
                continue
            object.__setattr__(self, name, _number(name, v))
        if self.displacement not in DISPLACEMENTS:
            raise InputError(f"displacement must be one of {', '.join(DISPLACEMENTS)}; got {self.displacement!r}")
        com = self.pv_commodities
        if isinstance(com, str):
            com = tuple(c for c in com.split(",") if c.strip())
        canon = {c.lower(): c for c in PV_COMMODITIES}
        out = []
        for c in com:
            key = str(c).strip().lower()
            if key == "wafers":
                raise InputError("pv_commodities cannot include Wafers: wafers are not counted as capacity (they "
                                 "become cells and modules abroad, counted again there); allowed: Panels, Cells")
            if key not in canon:
                raise InputError(f"pv_commodities must be a subset of {', '.join(PV_COMMODITIES)}; got {c!r}")
            if canon[key] not in out:
                out.append(canon[key])
        if not out:
            raise InputError(f"pv_commodities must name at least one of {', '.join(PV_COMMODITIES)}")
        object.__setattr__(self, "pv_commodities", tuple(sorted(out, key=PV_COMMODITIES.index)))

    def to_params(self) -> dict[str, str]:
        """Query-string parameters (field names as keys), non-default values only."""
        default = GreenParams()
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v == getattr(default, f.name):
                continue
            if isinstance(v, tuple):
                out[f.name] = ",".join(v)
            elif isinstance(v, float):
                out[f.name] = f"{v:g}"
            else:
                out[f.name] = str(v)
        return out

    def to_query_string(self) -> str:
        return urlencode(self.to_params(), safe=",")

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> GreenParams:
        """Build from a mapping of strings (or lists of strings, as from ``parse_qs``).

        Raises
        ------
        InputError
            For an unknown key or a bad value; the message names the key and its allowed range or values.
        """
        names = {f.name for f in fields(cls)}
        kwargs: dict = {}
        for key, value in params.items():
            if key not in names:
                raise InputError(f"unknown green-exports parameter {key!r}; allowed: {', '.join(sorted(names))}")
            if isinstance(value, (list, tuple)) and key != "pv_commodities":
                value = value[-1] if value else ""
            if isinstance(value, str) and len(value) > 200:
                raise InputError(f"green-exports parameter {key!r} is too long")
            if key == "manufacturing_grid_g_kwh" and (value is None or str(value).strip().lower() in ("", "none")):
                kwargs[key] = None
                continue
            if key == "pv_commodities":
                if isinstance(value, (list, tuple)):
                    value = ",".join(map(str, value))
                kwargs[key] = tuple(c.strip() for c in str(value).split(",") if c.strip())
                continue
            kwargs[key] = value
        return cls(**kwargs)

    def replace(self, **changes) -> GreenParams:
        from dataclasses import replace

        return replace(self, **changes)


def required() -> tuple[str, ...]:
    """The parameters the table must have: :data:`REQUIRED` and a capacity factor per tech and region."""
    return tuple(REQUIRED) + tuple(f"{tech}_cf_{region_key(r)}" for tech in ("pv", "wind") for r in REGIONS)


def check_table(t: pd.DataFrame) -> None:
    """Refuse a table with missing columns or rows, unknown distributions, values outside [low, high] or no source
    (:func:`engine.industry.parameters.check_table` with this table's columns and required rows).

    Raises
    ------
    InputError
        Naming the rows at fault.
    """
    industry_parameters.check_table(t, FILENAME, COLUMNS, required())


def load(path=None) -> Parameters:
    """Read and check ``data/green_exports_parameters.csv`` (or another table of the same layout).

    Returns
    -------
    engine.industry.parameters.Parameters
        ``p[name]`` central value [unit of the row]; ``p.draw(n, seed)`` seeded draws; ``p.table`` the rows.

    Raises
    ------
    InputError
        See :func:`check_table`.
    """
    return industry_parameters.read_table(path, FILENAME, COLUMNS, required())
