"""Uncertainty from the input–output table itself, by first-order (Taylor) propagation of independent relative
errors on every technical coefficient and final-demand cell.

Each cell of ``A`` and ``Y`` carries an independent relative error with standard deviation ``rse``
(``data/uncertainty_parameters.csv``; about 20 % is what multi-regional tables need to reconcile, Moran & Wood 2014).
Perturbing ``A`` and ``y`` and letting output follow from ``x = L·y`` keeps every perturbed table balanced by
construction. To first order the consumption account of region ``r``, ``C_r = a·L·y_r`` with multipliers
``a = f·L``, moves by

    δC_r = Σ_ij a_i δA_ij (L y_r)_j + Σ_i a_i δY_ir

so for any two gases ``g, h`` and regions ``r, s``

    Cov(C_gr, C_hs) = rse² Σ_j (Σ_i a_gi a_hi A_ij²) (L y_r)_j (L y_s)_j + [r = s] rse² Σ_i,c a_gi a_hi Y_irc²

a sum over cells that costs O(n²) instead of a thousand factorisations. Rodrigues et al. (2018) derive and validate
this propagation for consumption-based accounts; a test compares it with brute-force Monte Carlo on perturbed
tables. The emission intensities are held at their central values here (their uncertainty is drawn separately).

References
----------
1. Rodrigues, J. F. D., Moran, D., Wood, R. and Behrens, P. (2018) Uncertainty of consumption-based carbon accounts,
   Environ. Sci. Technol. 52:7577-7586, doi:10.1021/acs.est.8b00632.
2. Moran, D. and Wood, R. (2014) Convergence between the Eora, WIOD, EXIOBASE, and OpenEU's consumption-based carbon
   accounts, Econ. Syst. Res. 26:245-261, doi:10.1080/09535314.2014.935298.
3. Lenzen, M. et al. (2010) Uncertainty analysis for multi-region input–output models – a case study of the UK's
   carbon footprint, Econ. Syst. Res. 22:43-63, doi:10.1080/09535311003661226.
"""

from __future__ import annotations

import numpy as np


def cba_covariance(M: np.ndarray, A: np.ndarray, LY: np.ndarray, Y: np.ndarray, n_fd: int,
                   rse: float) -> np.ndarray:
    """Covariance of the consumption accounts from table-cell errors, per pair of gases and regions.

    Parameters
    ----------
    M : ndarray, shape (k, n)
        Multipliers ``f·L`` per gas [Mt CO2e (M USD)⁻¹].
    A : ndarray, shape (n, n)
        Technical coefficients [1].
    LY : ndarray, shape (n, r)
        Output required by each region's final demand [M USD].
    Y : ndarray, shape (n, r * n_fd)
        Final demand by region and category [M USD].
    rse : float
        Relative standard error of every cell [1].

    Returns
    -------
    ndarray, shape (k, k, r, r)
        [Mt CO2e²].
    """
    A2 = A * A
    W = np.einsum("gi,hi,ij->ghj", M, M, A2, optimize=True)  # (k, k, n)
    cov = np.einsum("ghj,jr,js->ghrs", W, LY, LY, optimize=True)
    n, r = LY.shape
    Y2 = (Y * Y).reshape(n, r, n_fd).sum(axis=2)  # (n, r)
    diag = np.einsum("gi,hi,ir->ghr", M, M, Y2, optimize=True)
    idx = np.arange(r)
    cov[:, :, idx, idx] += diag
    return rse ** 2 * cov


def brute_force_covariance(A: np.ndarray, Y: np.ndarray, F: np.ndarray, x: np.ndarray, n_fd: int, rse: float,
                           draws: int, seed: int = 1) -> np.ndarray:
    """Monte Carlo estimate of the same covariance for a small table (tests): perturb every cell of ``A`` and ``Y``
    by ``1 + rse·z``, solve each table, and take the covariance of ``f·L·y_r`` with ``f = F / x`` held fixed.

    Returns
    -------
    ndarray, shape (k, k, r, r)
    """
    rng = np.random.default_rng(seed)
    n = A.shape[0]
    r = Y.shape[1] // n_fd
    f = F / np.where(x > 0, x, np.inf)
    out = []
    for _ in range(draws):
        Ad = A * (1 + rse * rng.standard_normal(A.shape))
        Yd = Y * (1 + rse * rng.standard_normal(Y.shape))
        LYd = np.linalg.solve(np.eye(n) - Ad, Yd.reshape(n, r, n_fd).sum(axis=2))
        out.append(f @ LYd)  # (k, r)
    C = np.array(out)  # (draws, k, r)
    C = C - C.mean(axis=0)
    return np.einsum("dgr,dhs->ghrs", C, C) / (draws - 1)
