"""The ledger equations, one small pure function each (arrays in, arrays out; no pack, no cache).

Symbols (per ledger line ``i`` — a country, the international bunkers, GCB's "other" — or per region ``g`` of a
grouping): production ``p`` (EDGAR, territorial), consumption ``c`` (input–output model), land-use change ``l``,
attributed land sink ``s`` (removal positive), population ``n``.

- transfer: ``t = c − p``;
- panoramic: ``P = c + l − s``;
- adjustment: ``a = 100 t / p`` [%] where ``p > 0``;
- per capita: ``v × 10⁶ / n`` [t person⁻¹] for a value ``v`` in Mt;
- rest-of-world sharing: a country inside the model's "rest of the world" region gets
  ``c_i = c_RoW · p_i / Σ_{j ∈ RoW} p_j`` (its share of RoW's production), so sums over any grouping stay exact
  (the RoW figure is shared, not the country's own: flagged ``row_share``).
"""

from __future__ import annotations

import numpy as np

from engine.core.units import T_PER_MT


def line_consumption(region_values: np.ndarray, region_of_line: np.ndarray, row_member: np.ndarray,
                     production: np.ndarray, row_index: int) -> np.ndarray:
    """A region-level account on the ledger lines: each line inside a model region takes the region's value; lines
    in the rest of the world share its value in proportion to their production.

    Parameters
    ----------
    region_values : ndarray, shape (..., n_regions)
        The account per model region [Mt]; leading axes (draws) are kept.
    region_of_line : ndarray of int, shape (n_lines,)
        Model region index of each line, -1 for lines outside the named regions.
    row_member : ndarray of bool, shape (n_lines,)
        Lines that belong to the rest of the world (countries outside the named regions).
    production : ndarray, shape (..., n_lines)
        Production of each line, the sharing key [Mt].
    row_index : int
        Index of the rest of the world among the model regions.

    Returns
    -------
    ndarray, shape (..., n_lines) [Mt]; its sum equals ``region_values.sum(-1)`` when every named region has a line.
    """
    has = region_of_line >= 0
    out = np.where(has, np.take(region_values, np.where(has, region_of_line, 0), axis=-1), 0.0)
    row_prod = np.where(row_member, production, 0.0)
    total = row_prod.sum(axis=-1, keepdims=True)
    share = np.divide(row_prod, total, out=np.zeros_like(row_prod, dtype=float), where=total > 0)
    return out + share * region_values[..., row_index, None]


def transfer(consumption: np.ndarray, production: np.ndarray) -> np.ndarray:
    """Net emissions embodied in trade ``c − p`` [Mt]."""
    return consumption - production


def panoramic(consumption: np.ndarray, luc: np.ndarray, land_sink: np.ndarray) -> np.ndarray:
    """Panoramic account ``c + l − s`` [Mt]: consumption plus land-use change minus the attributed land sink."""
    return consumption + luc - land_sink


def adjustment_pct(transfer_: np.ndarray, production: np.ndarray) -> np.ndarray:
    """Consumption vs production ``100 t / p`` [%]; NaN where production is not positive."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(production > 0, 100 * transfer_ / production, np.nan)


def per_capita(value_mt: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Per person ``v × 10⁶ / n`` [t person⁻¹]; NaN where the population is unknown or zero."""
    pop = np.where(population > 0, population, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return value_mt * T_PER_MT / pop


def group_sum(values: np.ndarray, inverse: np.ndarray, k: int) -> np.ndarray:
    """Sum of line values per group (``inverse``: group index of each line) [unit of values]."""
    return np.bincount(inverse, weights=values, minlength=k)


def group_sum_known(values: np.ndarray, inverse: np.ndarray, k: int) -> np.ndarray:
    """Sum per group of the known (non-NaN) values; NaN for a group with none known (population)."""
    ok = ~np.isnan(values)
    out = np.bincount(inverse, weights=np.where(ok, values, 0.0), minlength=k)
    out[np.bincount(inverse, weights=ok.astype(float), minlength=k) == 0] = np.nan
    return out
