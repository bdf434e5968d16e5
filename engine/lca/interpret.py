"""Interpretation (ISO 14044 §4.5): contributions, structural path analysis through the MRIO, contributions by
supply-chain tier, a one-at-a-time sensitivity ranking. Pure functions over arrays and tables; the orchestrator
(:mod:`engine.lca.model`) adds the data-quality notes and the comparison of origins.

Structural path analysis (Defourny & Thorbecke 1984; Lenzen 2003; Peters & Hertwich 2006): the money lines'
footprint ``f L y = Σ_k f A^k y`` is a sum over supply chains; a path ``j₀ ← j₁ ← … ← j_k`` (``j₀`` the sector
bought from, ``j_k`` where the emission happens) has value ``f_{j_k} A_{j_k j_{k-1}} … A_{j_1 j_0} y_{j_0}``. The
tree is searched best-first with the subtree bound ``M_j × demand_j`` (``M = f L``: no path below a node can exceed
it), so the top paths are exact once the largest open bound is below the n-th best path; the search stops earlier at
``max_depth`` or ``max_expand`` and says so. The sum of all paths of order ``k`` is ``f A^k y``
(:func:`tiers`): summed to a deep enough order it converges to the total.

References
----------
1. Defourny, J. and Thorbecke, E. (1984) Structural path analysis and multiplier decomposition within a social
   accounting matrix framework, Econ. J. 94:111-136, doi:10.2307/2232220.
2. Lenzen, M. (2003) Environmentally important paths, linkages and key sectors in the Australian economy, Struct.
   Change Econ. Dyn. 14:1-34, doi:10.1016/S0954-349X(02)00025-5.
3. Peters, G. P. and Hertwich, E. G. (2006) Structural analysis of international trade: environmental impacts of
   Norway, Econ. Syst. Res. 18:155-181, doi:10.1080/09535310600653008.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class PathSearch:
    """Paths found and how the search ended.

    Attributes
    ----------
    paths : list of (root, nodes, value)
        ``root`` the caller's id of the purchase, ``nodes`` the region-sector indices from the purchase to the
        emitter, ``value`` [unit of ``f`` × unit of ``y``].
    exact : bool
        True when the top paths are proven (the bound criterion ended the search).
    expanded : int
        Nodes expanded.
    """

    paths: list
    exact: bool
    expanded: int


def structural_paths(f: np.ndarray, A: np.ndarray, M: np.ndarray, roots, top: int = 20, max_depth: int = 10,
                     max_expand: int = 2000, min_share: float = 1e-6) -> PathSearch:
    """The ``top`` largest paths of the module docstring.

    Parameters
    ----------
    f : ndarray (n,)
        Direct intensities, one impact (e.g. CO2e) [kg (M USD)⁻¹].
    A : ndarray (n, n)
        Technical coefficients [1].
    M : ndarray (n,)
        Multipliers ``f L`` [kg (M USD)⁻¹].
    roots : iterable of (id, column, y)
        Purchases: an id, the region-sector bought from and the amount [M USD].
    top : int
        Number of paths wanted.
    max_depth : int
        Deepest order searched (order 0 = the sector bought from).
    max_expand : int
        Nodes expanded at most.
    min_share : float
        Paths and subtrees below this share of the total are not searched [1].
    """
    if top <= 0:
        return PathSearch([], True, 0)
    heap, count = [], 0
    total = 0.0
    for rid, col, y in roots:
        b = float(M[col] * y)
        total += b
        heap.append((-b, count, rid, (int(col),), float(y)))
        count += 1
    heapq.heapify(heap)
    floor = abs(total) * min_share
    best: list[float] = []  # min-heap of the top values
    found = []
    expanded = 0
    exact = True
    while heap:
        neg_b, _, rid, nodes, d = heapq.heappop(heap)
        nth = best[0] if len(best) >= top else floor
        if -neg_b < max(nth, floor):
            break
        j = nodes[-1]
        v = float(f[j] * d)
        if v > max(nth, floor):
            found.append((rid, nodes, v))
            heapq.heappush(best, v)
            if len(best) > top:
                heapq.heappop(best)
        if len(nodes) - 1 >= max_depth:
            exact = False if -neg_b - v > max(nth, floor) else exact
            continue
        if expanded >= max_expand:
            exact = False
            break
        expanded += 1
        dem = A[:, j] * d
        bound = M * dem
        cut = max(best[0] if len(best) >= top else floor, floor)
        for i in np.flatnonzero(bound > cut):
            heapq.heappush(heap, (-float(bound[i]), count, rid, nodes + (int(i),), float(dem[i])))
            count += 1
    found.sort(key=lambda t: -t[2])
    return PathSearch(found[:top], exact, expanded)


def tiers(f: np.ndarray, A: np.ndarray, y: np.ndarray, max_order: int = 30) -> pd.DataFrame:
    """Contributions by supply-chain tier: ``c_k = f A^k y`` for ``k = 0 … max_order`` (the sum of every path of
    order ``k``).

    Returns
    -------
    DataFrame
        ``tier`` (0 = the sectors bought from), ``value``, ``cumulative`` [unit of f × unit of y].
    """
    v = np.asarray(y, dtype=float).copy()
    out = []
    for k in range(max_order + 1):
        out.append(float(f @ v))
        v = A @ v
    t = pd.DataFrame({"tier": np.arange(max_order + 1), "value": out})
    t["cumulative"] = t["value"].cumsum()
    return t


def tier_rows(f: np.ndarray, A: np.ndarray, max_order: int = 20) -> np.ndarray:
    """The rows ``f A^k`` for ``k = 0 … max_order`` (shape (max_order + 1, n)): ``tier_rows(...) @ y`` equals
    :func:`tiers` for any demand ``y``, so a year's rows are computed once [unit of f]."""
    out = np.empty((max_order + 1, len(f)))
    out[0] = f
    for k in range(1, max_order + 1):
        out[k] = out[k - 1] @ A
    return out


def group_contributions(lines: pd.DataFrame, by: str, value: str = "kg_co2e") -> pd.DataFrame:
    """Sum of ``value`` by a column, largest first, with ``share`` of the total [1]."""
    g = lines.groupby(by, as_index=False, sort=False)[value].sum()
    tot = lines[value].sum()
    g["share"] = g[value] / tot if tot else np.nan
    return g.sort_values(value, ascending=False, key=abs, ignore_index=True)


def sensitivity(contrib: pd.DataFrame, line_lo: np.ndarray | None, line_hi: np.ndarray | None,
                factors: list[dict]) -> pd.DataFrame:
    """One-at-a-time sensitivity of the total.

    Every line's amount: ``elasticity`` = ∂ln total / ∂ln amount = its share of the total (the model is linear);
    every shared factor (a grid, a transport mode) the same over the lines it enters. With per-line intervals
    (``line_lo``, ``line_hi``, the line's total at the interval's ends, from the Monte Carlo), ``total_low`` and
    ``total_high`` are the total with that one line at its ends, the others central, and ``swing`` their
    difference; the ranking is by swing when known, else by |elasticity|.

    Parameters
    ----------
    contrib : DataFrame
        Per line: ``line``, ``name``, ``kg_co2e``.
    factors : list of dict
        ``parameter``, ``kind``, ``elasticity``, ``total_low``, ``total_high`` of shared factors.
    """
    total = float(contrib["kg_co2e"].sum())
    rows = []
    for i, r in enumerate(contrib.itertuples(index=False)):
        lo = hi = np.nan
        if line_lo is not None:
            lo = total - r.kg_co2e + float(line_lo[i])
            hi = total - r.kg_co2e + float(line_hi[i])
        rows.append({"parameter": f"line {r.line}: {r.name}", "kind": "amount",
                     "elasticity": r.kg_co2e / total if total else np.nan, "total_low": lo, "total_high": hi})
    rows += factors
    out = pd.DataFrame(rows, columns=["parameter", "kind", "elasticity", "total_low", "total_high"])
    out["swing"] = (out["total_high"] - out["total_low"]).abs()
    key = out["swing"].where(out["swing"].notna(), out["elasticity"].abs() * total)
    out = out.assign(_k=key.fillna(0.0)).sort_values("_k", ascending=False).drop(columns="_k")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out.reset_index(drop=True)
