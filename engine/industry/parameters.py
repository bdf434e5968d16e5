"""The parameters of the industry routes, one row each with value, range, unit and source
(``data/industry_parameters.csv``), and their seeded Monte Carlo draws.

Intervals are formed by Monte Carlo: every parameter is drawn independently from its row's distribution —
``triangular`` (low, mode = value, high), ``uniform`` (low, high) or ``fixed`` (the value) — with one seeded
generator (``seed`` row), ``draws`` rows. The same draws serve every country and good, so a parameter shared by two
goods moves both together (e.g. the calcination factor in clinker and in cement).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.core.config import AUTHORED_DIR
from engine.core.errors import InputError

FILENAME = "industry_parameters.csv"
COLUMNS = ("parameter", "product", "route", "value", "low", "high", "unit", "distribution", "source", "note")
DISTRIBUTIONS = ("triangular", "uniform", "fixed")
#: Parameters the routes need (a table without one of them is refused).
REQUIRED = (
    "draws", "seed", "steel_bf_bof_direct", "steel_bof_own_direct", "hot_metal_per_bof_steel",
    "steel_bf_bof_electricity", "sinter_direct", "sinter_electricity", "dri_gas_direct", "dri_coal_direct",
    "dri_h2_direct", "dri_h2_per_t_dri", "dri_shaft_electricity", "dri_per_eaf_steel", "eaf_own_direct",
    "eaf_electricity_scrap", "eaf_electricity_dri", "electrolysis_electricity", "steel_product_yield",
    "steel_rolling_direct", "steel_rolling_electricity", "steel_article_yield", "steel_article_direct",
    "eaf_dri_share_caveat", "eaf_dri_share_other", "dri_coal_share_ind", "clinker_calcination",
    "kiln_thermal_energy", "ef_coal", "ef_petcoke", "ef_gas", "ef_oil", "ef_waste", "ef_biomass",
    "kiln_share_coal", "kiln_share_petcoke", "kiln_share_gas", "kiln_share_oil", "kiln_share_waste",
    "kiln_share_biomass", "clinker_electricity", "cement_grinding_electricity", "clinker_ratio",
    "clinker_ratio_portland", "al_anode_co2", "al_pfc", "al_other_direct", "al_smelter_electricity",
    "alumina_per_al", "alumina_direct", "alumina_electricity", "al_secondary_direct", "al_secondary_electricity",
    "al_product_yield", "al_product_direct", "nh3_gas_direct", "nh3_coal_direct", "nh3_process_share",
    "nh3_gas_electricity", "nh3_coal_electricity", "nh3_coal_share_chn", "urea_nh3", "urea_co2_fixed",
    "urea_direct", "urea_electricity", "h2_smr_direct", "h2_coal_direct", "h2_process_share",
    "h2_fossil_electricity", "h2_coal_share_chn", "grid_factor", "carbon_price", "cscf",
)
#: Kiln fuels of a fuel mix (each has an ``ef_<fuel>`` and a default ``kiln_share_<fuel>`` row).
KILN_FUELS = ("coal", "petcoke", "gas", "oil", "waste", "biomass")


@dataclass(frozen=True)
class Parameters:
    """The parameter table: central values, ranges, distributions and sources by name.

    ``p[name]`` is the central value [unit of the row]; :meth:`draw` gives the Monte Carlo draws.
    """

    table: pd.DataFrame = field(repr=False, compare=False, hash=False)
    values: dict = field(default_factory=dict)

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    @property
    def n_draws(self) -> int:
        return int(self.values["draws"])

    @property
    def seed(self) -> int:
        return int(self.values["seed"])

    def source(self, name: str) -> str:
        """The citation of a parameter."""
        return str(self.table.set_index("parameter").loc[name, "source"])

    def digest(self) -> str:
        """A short digest of every number of the table (cache keys)."""
        from engine.data.fingerprint import digest

        cols = ["parameter", "value", "low", "high", "distribution"]
        return digest(self.table[cols].astype(str).values.tolist())

    def central(self) -> dict[str, float]:
        """Every parameter at its central value (a mapping the route functions take) [units of the rows]."""
        return dict(self.values)

    def draw(self, n: int | None = None, seed: int | None = None) -> dict[str, np.ndarray]:
        """Independent draws of every parameter (see the module docstring).

        Parameters
        ----------
        n : int, optional
            Number of draws (default the ``draws`` row).
        seed : int, optional
            Seed (default the ``seed`` row).

        Returns
        -------
        dict
            name -> ndarray of shape (n,) [unit of the row]; ``draws`` and ``seed`` stay scalars.
        """
        n = self.n_draws if n is None else int(n)
        rng = np.random.default_rng(self.seed if seed is None else seed)
        out: dict[str, np.ndarray] = {}
        for row in self.table.itertuples(index=False):  # table order: a new row at the end keeps the others' draws
            if row.parameter in ("draws", "seed"):
                out[row.parameter] = row.value
                continue
            u = rng.random(n)  # one uniform per row and draw, so a row's draws never depend on another's kind
            if row.distribution == "fixed" or row.low == row.high:
                out[row.parameter] = np.full(n, float(row.value))
            elif row.distribution == "uniform":
                out[row.parameter] = row.low + u * (row.high - row.low)
            else:
                out[row.parameter] = triangular_ppf(u, row.low, row.value, row.high)
        return out


def triangular_ppf(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """Quantile function of the triangular distribution (low, mode, high) at probabilities ``u`` [unit of the bounds].
    """
    u = np.asarray(u, dtype=float)
    span = high - low
    if span <= 0:
        return np.full_like(u, mode)
    c = (mode - low) / span
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1 - u) * span * (high - mode))
    return np.where(u < c, left, right)


def check_values(t: pd.DataFrame, filename: str, key: str | None = "parameter",
                 distributions: tuple[str, ...] = DISTRIBUTIONS) -> None:
    """Refuse rows of an authored table (``data/<filename>``) with a distribution not in ``distributions``, a value
    outside [low, high] or no source; the message names the rows by ``t[key]`` (by their index when ``key`` is
    None).

    Raises
    ------
    InputError
    """
    def names(rows: pd.DataFrame) -> list:
        return list(rows[key]) if key else list(rows.index)

    bad = sorted(set(t["distribution"]) - set(distributions))
    if bad:
        raise InputError(f"data/{filename}: distribution must be one of {', '.join(distributions)}; got {bad}")
    out = t[~((t["low"] <= t["value"]) & (t["value"] <= t["high"]))]
    if len(out):
        raise InputError(f"data/{filename}: value outside [low, high] for {names(out)}")
    unsourced = t[t["source"].fillna("").astype(str).str.strip() == ""]
    if len(unsourced):
        raise InputError(f"data/{filename}: no source for {names(unsourced)}")


def check_table(t: pd.DataFrame, filename: str = FILENAME, columns: tuple[str, ...] = COLUMNS,
                required: tuple[str, ...] = REQUIRED) -> None:
    """Refuse a parameter table (one row per ``parameter``; by default ``data/industry_parameters.csv``) with missing
    columns or parameters, a repeated parameter, or rows :func:`check_values` refuses.

    Raises
    ------
    InputError
        Naming the rows at fault.
    """
    missing = [c for c in columns if c not in t.columns]
    if missing:
        raise InputError(f"data/{filename} lacks columns {missing}")
    absent = [r for r in required if r not in set(t["parameter"])]
    if absent:
        raise InputError(f"data/{filename} lacks parameters {', '.join(absent)}")
    if t["parameter"].duplicated().any():
        raise InputError(f"data/{filename} repeats parameters {sorted(set(t.loc[t['parameter'].duplicated(), 'parameter']))}")
    check_values(t, filename)


def read_table(path, filename: str = FILENAME, columns: tuple[str, ...] = COLUMNS,
               required: tuple[str, ...] = REQUIRED) -> Parameters:
    """Read and check a parameter table of this layout (``path``, by default ``data/<filename>``).

    Raises
    ------
    InputError
        See :func:`check_table`.
    """
    t = pd.read_csv(path or AUTHORED_DIR / filename)
    check_table(t, filename, columns, required)
    for c in ("value", "low", "high"):
        t[c] = t[c].astype(float)
    return Parameters(t, dict(zip(t["parameter"], t["value"])))


def load(path=None) -> Parameters:
    """Read and check ``data/industry_parameters.csv`` (or another table of the same layout).

    Raises
    ------
    InputError
        See :func:`check_table`.
    """
    return read_table(path)


def with_values(params: Parameters, **changes: float) -> Parameters:
    """A copy with some central values (and their ranges collapsed onto them) replaced — for tests and what-ifs."""
    t = params.table.copy()
    for name, v in changes.items():
        if name not in set(t["parameter"]):
            raise InputError(f"unknown industry parameter {name!r}")
        t.loc[t["parameter"] == name, ["value", "low", "high"]] = float(v)
    return Parameters(t, dict(zip(t["parameter"], t["value"])))
