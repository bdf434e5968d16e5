"""The authored factor table of the life-cycle assessment (``data/lca_factors.csv``): transport emission factors
per tonne-kilometre by mode, the relative uncertainty of grid intensities, the direct-emission factors the templates
use, the currency rates and the US GDP deflator that turn a purchase into USD of the input–output table's year.

One row per factor with ``factor, kind, key, year, value, low, high, unit, distribution, source, note``;
``distribution`` is ``triangular`` (low, mode = value, high) or ``fixed``.

Money conversion (stated, one rule): an amount in currency ``c`` of price year ``p`` becomes USD of ``p`` with the
annual average rate of ``p`` (ECB reference rates for EUR, Federal Reserve H.10 for CNY), then USD of the table's
year ``t`` with the US GDP deflator, ``USD_t = USD_p × D_t / D_p`` (BEA NIPA Table 1.1.9). WIOD 2013 is in current
million USD of each table year (basic prices); nowcast years keep the 2011 table and its prices, so their money
lines are deflated to 2011.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.core.config import AUTHORED_DIR
from engine.core.errors import InputError
from engine.industry.parameters import check_values

FILENAME = "lca_factors.csv"
COLUMNS = ("factor", "kind", "key", "year", "value", "low", "high", "unit", "distribution", "source", "note")
DISTRIBUTIONS = ("triangular", "fixed")
#: Transport modes with a t·km factor.
MODES = ("road_truck", "rail", "sea_container", "air_freight", "inland_water")
#: Currencies a money line may be stated in.
CURRENCIES = ("USD", "EUR", "CNY")


@dataclass(frozen=True)
class Factors:
    """The factor table, indexed for look-ups."""

    table: pd.DataFrame = field(repr=False, compare=False, hash=False)
    #: (factor, key, year or None) -> row as a dict (built by :func:`load`).
    index: dict = field(default_factory=dict, repr=False, compare=False, hash=False)

    def row(self, factor: str, key: str, year: int | None = None) -> dict:
        hit = self.index.get((factor, key, None if year is None else int(year)))
        if hit is None and year is None:
            hit = next((r for (f, k, _), r in self.index.items() if f == factor and k == key), None)
        if hit is None:
            raise InputError(f"no {factor} factor for {key}{'' if year is None else f' in {year}'} in data/{FILENAME}")
        return hit

    def transport(self, mode: str) -> tuple[float, float, float]:
        """(value, low, high) of a mode [kg CO2e t⁻¹ km⁻¹]."""
        if mode not in MODES:
            raise InputError(f"transport mode must be one of {', '.join(MODES)}; got {mode!r}")
        r = self.row("transport", mode)
        return float(r["value"]), float(r["low"]), float(r["high"])

    def grid_relative(self) -> tuple[float, float, float]:
        """(value, low, high) of the relative uncertainty of a grid intensity [1]."""
        r = self.row("grid_relative", "all")
        return float(r["value"]), float(r["low"]), float(r["high"])

    def value(self, factor: str, key: str) -> float:
        return float(self.row(factor, key)["value"])

    def years(self, factor: str, key: str) -> tuple[int, int]:
        y = [yr for (f, k, yr) in self.index if f == factor and k == key and yr is not None]
        return min(y), max(y)

    def to_usd(self, amount: float, currency: str, price_year: int, table_year: int) -> tuple[float, str]:
        """An amount in ``currency`` of ``price_year`` as USD of ``table_year`` [USD], and the rule in words.

        Raises
        ------
        InputError
            An unknown currency, or a year without a rate or a deflator (the message names the covered years).
        """
        if currency not in CURRENCIES:
            raise InputError(f"currency must be one of {', '.join(CURRENCIES)}; got {currency!r}")
        rate = 1.0
        if currency != "USD":
            lo, hi = self.years("fx", currency)
            if not lo <= price_year <= hi:
                raise InputError(f"no {currency} rate for {price_year}; rates cover {lo}-{hi}")
            rate = self.value_year("fx", currency, price_year)
        lo, hi = self.years("deflator", "USD")
        for y in (price_year, table_year):
            if not lo <= y <= hi:
                raise InputError(f"no US GDP deflator for {y}; it covers {lo}-{hi}")
        d = self.value_year("deflator", "USD", table_year) / self.value_year("deflator", "USD", price_year)
        rule = (f"{currency} {price_year} x {rate:.4f} USD/{currency} x deflator {table_year}/{price_year} = {d:.4f}"
                if currency != "USD" else f"USD {price_year} x deflator {table_year}/{price_year} = {d:.4f}")
        return amount * rate * d, rule

    def value_year(self, factor: str, key: str, year: int) -> float:
        return float(self.row(factor, key, year)["value"])


def check_table(t: pd.DataFrame) -> None:
    """Refuse a table with missing columns, an unknown distribution, a value outside [low, high], a missing source or
    a transport mode without a row.

    Raises
    ------
    InputError
    """
    missing = [c for c in COLUMNS if c not in t.columns]
    if missing:
        raise InputError(f"data/{FILENAME} lacks columns {missing}")
    check_values(t, FILENAME, key=None, distributions=DISTRIBUTIONS)
    absent = [m for m in MODES if not ((t["factor"] == "transport") & (t["key"] == m)).any()]
    if absent:
        raise InputError(f"data/{FILENAME} lacks transport modes {absent}")


def load(path=None) -> Factors:
    """Read and check ``data/lca_factors.csv`` (or a table of the same layout)."""
    t = pd.read_csv(path or AUTHORED_DIR / FILENAME, dtype={"key": str})
    check_table(t)
    t["year"] = t["year"].astype("Int64")
    for c in ("value", "low", "high"):
        t[c] = t[c].astype(float)
    index = {(r["factor"], r["key"], None if pd.isna(r["year"]) else int(r["year"])): r
             for r in t.to_dict("records")}
    return Factors(t, index)


def triangular_draws(rng: np.random.Generator, n: int, low: float, mode: float, high: float) -> np.ndarray:
    """``n`` draws of a triangular distribution (low, mode, high) [unit of the bounds]; the mode when low = high."""
    if high <= low:
        return np.full(n, mode)
    return rng.triangular(low, mode, high, n)
