"""Multi-regional input–output maths, one equation per function (after pymrio's ``iomath``). Arrays may carry
leading sample axes (``Z`` of shape ``(..., n, n)``), which the identities broadcast over; factorisations are per
table.

Symbols: ``Z`` inter-industry flows, ``Y`` final demand, ``x`` gross output, ``A`` technical coefficients,
``L`` Leontief inverse, ``F`` satellite (emissions by region-sector), ``f`` intensities. Monetary values in
million USD (current prices, WIOD 2013), emissions in Mt CO2e.

References
----------
1. Miller, R. E. and Blair, P. D. (2009) Input-Output Analysis: Foundations and Extensions, 2nd ed., Cambridge
   University Press, doi:10.1017/CBO9780511626982.
2. Stadler, K. (2021) Pymrio — a Python based multi-regional input-output analysis toolbox, J. Open Res. Softw.
   9(1):8, doi:10.5334/jors.251.
3. Peters, G. P. (2008) From production-based to consumption-based national emission inventories, Ecol. Econ.
   65:13-23, doi:10.1016/j.ecolecon.2007.10.014.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla


def calc_x(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Gross output from the flows, ``x = Z·1 + Y·1`` [M USD].

    WIOD 2013 values are rounded to whole million USD, so the published output column is off by ~0.2 %;
    rebuilding x from the flows makes world consumption equal world production exactly.
    """
    return Z.sum(axis=-1) + Y.sum(axis=-1)


def calc_A(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Technical coefficients ``A = Z · diag(x)⁻¹`` [M USD (M USD)⁻¹].

    Sectors with zero or negative output (22 in WIOD 2013, e.g. c35 in many countries) get zero columns.
    """
    inv = np.zeros_like(x, dtype=float)
    ok = x > 0
    inv[ok] = 1.0 / x[ok]
    return Z * inv[..., np.newaxis, :]


def calc_L(A: np.ndarray) -> np.ndarray:
    """Leontief inverse ``L = (I − A)⁻¹`` [1]. Prefer :func:`factorise` and solves for repeated use."""
    return np.linalg.inv(np.eye(A.shape[0]) - A)


def factorise(A: np.ndarray):
    """LU factorisation of ``I − A`` (scipy ``lu_factor``: ``P(I − A) = LU`` packed in one matrix, LAPACK pivots),
    reused for every right-hand side of a year."""
    return sla.lu_factor(np.eye(A.shape[0]) - A, check_finite=False)


def _row_order(piv: np.ndarray) -> np.ndarray:
    """LAPACK's pivots (row ``i`` swapped with row ``piv[i]``, in turn) as one permutation: ``(Pb) = b[order]``."""
    order = np.arange(piv.size)
    for i, p in enumerate(piv):
        order[i], order[p] = order[p], order[i]
    return order


def lu_solve(lu, b: np.ndarray, trans: int = 0) -> np.ndarray:
    """``(I − A)⁻¹ b`` (``trans=1``: ``(I − A)⁻ᵀ b``) from :func:`factorise`, by two triangular solves.

    Not ``scipy.linalg.lu_solve``: LAPACK ``getrs`` of scipy 1.17.1's OpenBLAS 0.3.30 corrupts the heap when two
    threads call it at once (the process dies, "malloc(): corrupted top size"; two requests of a multi-threaded
    server), while ``trtrs`` (:func:`scipy.linalg.solve_triangular`) is safe. Same numbers to rounding
    (tests/unit/test_iomath.py).
    """
    packed, piv = lu
    order = _row_order(piv)
    if trans:  # Aᵀ = Uᵀ Lᵀ P: solve Uᵀ z = b, Lᵀ w = z, x = Pᵀ w
        z = sla.solve_triangular(packed, b, lower=False, trans=1, check_finite=False)
        w = sla.solve_triangular(packed, z, lower=True, unit_diagonal=True, trans=1, check_finite=False)
        x = np.empty_like(w)
        x[order] = w
        return x
    y = sla.solve_triangular(packed, b[order], lower=True, unit_diagonal=True, check_finite=False)
    return sla.solve_triangular(packed, y, lower=False, check_finite=False)


def solve_LY(lu, Y: np.ndarray) -> np.ndarray:
    """Output required by each final-demand column, ``L·Y`` [M USD], from the LU factorisation."""
    return lu_solve(lu, Y)


def calc_f(F: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Emission intensities ``f = F · diag(x)⁻¹`` [Mt CO2e (M USD)⁻¹]; zero-output sectors get zero intensity.

    ``F`` may have leading dimensions (gases); the last axis is region-sector.
    """
    inv = np.zeros_like(x, dtype=float)
    ok = x > 0
    inv[ok] = 1.0 / x[ok]
    if np.ndim(F) > np.ndim(inv) and np.ndim(inv) > 1:  # a sample axis: align (..., k, n) with (..., n)
        inv = inv[..., np.newaxis, :]
    return F * inv


def calc_M(f: np.ndarray, lu) -> np.ndarray:
    """Multipliers ``M = f · L`` [Mt CO2e (M USD)⁻¹ of final demand], solving ``(I − A)ᵀ Mᵀ = fᵀ``."""
    return lu_solve(lu, np.atleast_2d(f).T, trans=1).T


def embodied_flows(f: np.ndarray, LY: np.ndarray) -> np.ndarray:
    """Emissions by producing region-sector and consuming region, ``f ∘ (L·Y)`` [Mt CO2e].

    Parameters
    ----------
    f : ndarray, shape (..., n)
        Intensities [Mt CO2e (M USD)⁻¹].
    LY : ndarray, shape (n, r)
        Output required by each consuming region's final demand [M USD].

    Returns
    -------
    ndarray, shape (..., n, r)
    """
    return f[..., :, np.newaxis] * LY


def consumption_accounts(f: np.ndarray, LY: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Consumption-based accounts ``E_cba(r) = f · L · y_r + h_r`` [Mt CO2e].

    Parameters
    ----------
    h : ndarray, shape (..., r)
        Direct household emissions of each region [Mt CO2e].
    """
    return np.einsum("...n,nr->...r", f, LY) + h


def scale_final_demand(LY: np.ndarray, growth: np.ndarray) -> np.ndarray:
    """Output required when each consuming region's final demand is scaled by ``growth`` [M USD].

    ``L·Y`` is linear in the columns of ``Y``: scaling region r's final demand by ``g_r`` scales column r of
    ``L·Y`` by ``g_r`` (structure, i.e. technology and trade shares, unchanged).
    """
    return LY * np.asarray(growth, dtype=float)[np.newaxis, :]


def aggregate_rows(values: np.ndarray, n_regions: int) -> np.ndarray:
    """Sum a region-major axis of length ``n_regions × n_sectors`` into regions (second-to-last axis)."""
    shape = values.shape
    n = shape[-2]
    return values.reshape(*shape[:-2], n_regions, n // n_regions, shape[-1]).sum(axis=-2)
