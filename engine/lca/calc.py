"""The calculation: a tiered hybrid of process data and the environmentally extended MRIO (Suh & Huppes 2005),
written as explicit technosphere and biosphere matrices so the result is ``g = B A⁻¹ f``.

Activities (columns of the technosphere ``A``): the product (column 0), one foreground activity per non-money line
(a tonne of a process good, a kWh of a grid, a t·km of a mode, a kg of a gas emitted directly) and, when there are
money lines, every region-sector of the MRIO. Their products are the rows, in the same order. Entries (Brightway's
sign convention, production positive):

- ``A[0, 0] = 1``; ``A[k, 0] = −amount_k`` for a foreground line ``k``; ``A[j, 0] = −Σ y_j`` for the money lines'
  purchases from region-sector ``j`` [M USD of the table's year];
- foreground activities produce one unit and buy nothing from the others (``A[k, k] = 1``): the process routes,
  grid intensities and transport factors are already cradle-to-gate per unit;
- the MRIO block is ``I − A_io``.

Biosphere ``B`` (rows the gases of :data:`~engine.core.query.GASES`) holds each activity's direct emissions per
unit [kg]: the per-unit factors of the foreground lines and the MRIO intensities ``f × 10⁹`` [kg (M USD)⁻¹].
Characterisation: the GWP weights of the scope (:func:`engine.core.gwp.reweight_factors`) on EDGAR's AR5 CO2e by
gas. With ``f`` the unit demand on the product, ``A⁻¹ f = (1, amounts, L y)`` so ``g = Σ_k amount_k b_k +
f_io L y``; the fast path (:func:`line_totals`) uses the year's multipliers ``M = f_io L`` already factorised by
the ledger, and the tests check both against Brightway's ``bw2calc`` on the same matrices.

Double counting (the rule): a process line replaces the purchase of its good. A process line removes nothing from
the MRIO, so the money lines must not include what the process lines already cover; :func:`double_counting` flags a
money line whose sector is the sector that sells a process line's good (steel and aluminium: c12, cement and
clinker: c11, ammonia, urea and hydrogen: c9), electricity lines against c17, transport lines against c23-c26.
Money lines are at purchasers' prices while WIOD is at basic prices: trade and transport margins are not split off
(a known simplification, it overstates the goods' sectors slightly).

References
----------
1. Suh, S. and Huppes, G. (2005) Methods for life cycle inventory of a product, J. Clean. Prod. 13:687-697,
   doi:10.1016/j.jclepro.2003.04.001.
2. Heijungs, R. and Suh, S. (2002) The Computational Structure of Life Cycle Assessment, Kluwer,
   doi:10.1007/978-94-015-9900-9.
3. Mutel, C. (2017) Brightway: an open source framework for life cycle assessment, J. Open Source Softw. 2(12):236,
   doi:10.21105/joss.00236.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from engine.core.query import GASES

#: kg per Mt.
KG_PER_MT = 1e9
#: Sectors of the transport modes and of grid electricity (for the double-counting check).
MODE_SECTORS = {"road_truck": "c23", "rail": "c23", "sea_container": "c24", "inland_water": "c24",
                "air_freight": "c25"}
ELECTRICITY_SECTOR = "c17"


@dataclass(frozen=True, eq=False)
class HybridMatrices:
    """The hybrid system of one product.

    Attributes
    ----------
    technosphere : scipy.sparse.csc_matrix, shape (m, m)
        ``A`` [unit of the row's product per unit of the column's activity].
    biosphere : ndarray, shape (4, m)
        ``B`` [kg of gas (as EDGAR's AR5 CO2e for CH4, N2O, F-gases) per unit of activity].
    demand : ndarray, shape (m,)
        ``f``: one functional unit of the product [1].
    characterisation : ndarray, shape (4,)
        GWP weights [kg CO2e (kg CO2e AR5)⁻¹].
    activities : tuple of str
        Column labels (``product``, ``line:<i>``, ``mrio:<region>:<sector>``).
    gases : tuple of str
    """

    technosphere: sp.csc_matrix
    biosphere: np.ndarray
    demand: np.ndarray
    characterisation: np.ndarray
    activities: tuple[str, ...]
    gases: tuple[str, ...] = GASES


def line_totals(fg_amounts: np.ndarray, fg_factors: np.ndarray, money_musd: np.ndarray, money_cols: np.ndarray,
                M_kg: np.ndarray) -> np.ndarray:
    """Emissions of every line by gas: foreground ``amount × factor``, money ``y × M[:, j]`` [kg].

    Parameters
    ----------
    fg_amounts : ndarray (k,)
        Foreground amounts [unit per functional unit].
    fg_factors : ndarray (k, 4)
        Per-unit emissions by gas [kg unit⁻¹].
    money_musd : ndarray (q,)
        Money lines in M USD of the table's year [M USD].
    money_cols : ndarray of int (q,)
        Region-sector column of each money line.
    M_kg : ndarray (4, n)
        MRIO multipliers [kg (M USD)⁻¹].

    Returns
    -------
    ndarray (k + q, 4)
        Foreground lines first, then money lines [kg].
    """
    fg = np.asarray(fg_amounts, float)[:, None] * np.asarray(fg_factors, float).reshape(len(fg_amounts), -1)
    mo = np.asarray(money_musd, float)[:, None] * M_kg[:, np.asarray(money_cols, int)].T if len(money_cols) else \
        np.zeros((0, M_kg.shape[0] if M_kg is not None else len(GASES)))
    return np.vstack([fg.reshape(-1, len(GASES)), mo.reshape(-1, len(GASES))])


def characterise(by_gas: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """CO2-equivalents ``by_gas · w`` over the last axis [kg CO2e]."""
    return np.asarray(by_gas) @ np.asarray(weights)


def hybrid_matrices(fg_amounts, fg_factors, money_musd, money_cols, A_io: np.ndarray | None, f_io_kg: np.ndarray |
                    None, weights: np.ndarray, io_labels=None) -> HybridMatrices:
    """The technosphere, biosphere and demand of the module docstring.

    Parameters
    ----------
    A_io : ndarray (n, n) or None
        Technical coefficients of the MRIO [M USD (M USD)⁻¹]; None when there are no money lines.
    f_io_kg : ndarray (4, n) or None
        MRIO intensities by gas [kg (M USD)⁻¹].
    io_labels : sequence of str, optional
        Labels of the MRIO columns.
    """
    fg_amounts = np.asarray(fg_amounts, float)
    fg_factors = np.asarray(fg_factors, float).reshape(len(fg_amounts), len(GASES))
    k = len(fg_amounts)
    money = len(money_cols) > 0
    n = A_io.shape[0] if money else 0
    m = 1 + k + n
    rows, cols, vals = [0], [0], [1.0]
    for i in range(k):
        rows += [1 + i, 1 + i]
        cols += [0, 1 + i]
        vals += [-fg_amounts[i], 1.0]
    B = np.zeros((len(GASES), m))
    B[:, 1:1 + k] = fg_factors.T
    blocks = [sp.coo_matrix((vals, (rows, cols)), shape=(m, m))]
    if money:
        y = np.zeros(n)
        np.add.at(y, np.asarray(money_cols, int), np.asarray(money_musd, float))
        nz = np.flatnonzero(y)
        blocks.append(sp.coo_matrix((-y[nz], (1 + k + nz, np.zeros(len(nz), int))), shape=(m, m)))
        io = sp.coo_matrix(np.eye(n) - A_io)
        blocks.append(sp.coo_matrix((io.data, (io.row + 1 + k, io.col + 1 + k)), shape=(m, m)))
        B[:, 1 + k:] = f_io_kg
    T = sum(b.tocsc() for b in blocks).tocsc()
    T.eliminate_zeros()
    demand = np.zeros(m)
    demand[0] = 1.0
    labels = ["product"] + [f"line:{i}" for i in range(k)] + \
        ([f"mrio:{lab}" for lab in io_labels] if (money and io_labels is not None) else
         [f"mrio:{j}" for j in range(n)])
    return HybridMatrices(T, B, demand, np.asarray(weights, float), tuple(labels))


def solve(hm: HybridMatrices) -> tuple[np.ndarray, np.ndarray]:
    """``s = A⁻¹ f`` (the scaling vector) and ``g = B s`` by gas [kg], with a sparse LU solve."""
    s = spla.spsolve(hm.technosphere, hm.demand)
    return s, hm.biosphere @ s


def double_counting(lines, producer: str) -> list[tuple[int, str]]:
    """Money lines that may repeat what a process, electricity or transport line covers (1-based line number,
    message). A warning, not an error: the purchase may be of something else in the same sector."""
    from engine.lca.inventory import GOODS

    covered: dict[tuple[str, str], list[str]] = {}
    for ln in lines:
        c = ln.country(producer)
        if ln.kind == "process":
            covered.setdefault((GOODS[ln.good][1], c), []).append(ln.good)
        elif ln.kind == "electricity":
            covered.setdefault((ELECTRICITY_SECTOR, c), []).append("electricity")
        elif ln.kind == "transport":
            covered.setdefault((MODE_SECTORS[ln.mode], "*"), []).append(ln.mode)
    out = []
    for i, ln in enumerate(lines):
        if ln.kind != "money":
            continue
        hits = covered.get((ln.sector, ln.country(producer)), []) + covered.get((ln.sector, "*"), [])
        if hits:
            out.append((i + 1, f"line {i + 1} buys from sector {ln.sector} of {ln.country(producer)}, which also "
                               f"sells {', '.join(sorted(set(hits)))} entered as physical lines: make sure the money "
                               f"excludes them (tiered hybrid: a process line removes nothing from the MRIO)"))
    return out
