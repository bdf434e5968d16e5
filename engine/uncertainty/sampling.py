"""Seeded draws and their summaries: independent streams per input group (one seed, spawned in a fixed order, so the
draws of one group never depend on the size of another), correlated standard normals, multipliers from normal or
mean-preserving lognormal distributions, and interval quantiles.
"""

from __future__ import annotations

import numpy as np

#: The input groups, each with its own random stream (order fixed: adding a group at the end keeps the others).
STREAMS = ("emissions_own", "emissions_shared", "fgas", "luc_model", "luc", "land_sink", "ocean_sink", "nowcast",
           "table")


def streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per input group of :data:`STREAMS`."""
    children = np.random.SeedSequence(int(seed)).spawn(len(STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(STREAMS, children)}


def correlated(z_own: np.ndarray, z_shared: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """Standard normals with a shared component: ``sqrt(rho) z_shared + sqrt(1 − rho) z_own`` (correlation ``rho``
    between any two units that share ``z_shared``)."""
    rho = np.asarray(rho, dtype=float)
    return np.sqrt(rho) * z_shared + np.sqrt(1.0 - rho) * z_own


def multipliers(z: np.ndarray, sigma: np.ndarray, lognormal: np.ndarray) -> np.ndarray:
    """Multipliers of the central value with mean 1: ``exp(σz − σ²/2)`` where lognormal, ``max(1 + σz, 0)`` where
    normal [1]."""
    sigma = np.asarray(sigma, dtype=float)
    logm = np.exp(sigma * z - 0.5 * sigma ** 2)
    norm = np.maximum(1.0 + sigma * z, 0.0)
    return np.where(lognormal, logm, norm)


def interval(draws: np.ndarray, ci: int, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The central ``ci`` % interval of the draws along ``axis`` [unit of the draws]: the order statistics at ranks
    ``round((100 − ci)/200 · (n − 1))`` and ``n − 1`` minus that (nearest rank); NaN where any draw is NaN (an account
    that does not exist, such as consumption before 1995).

    Two single-rank partial sorts along a contiguous last axis: numpy's vectorised selection handles one rank at a
    time, about three times faster than one partition with both ranks.
    """
    a = np.ascontiguousarray(np.moveaxis(np.asarray(draws), axis, -1))
    n = a.shape[-1]
    k_lo = int(round((100 - ci) / 200 * (n - 1)))
    k_hi = n - 1 - k_lo
    bad = np.isnan(a).any(axis=-1)
    if bad.any():
        a = np.where(bad[..., None], 0, a)
    lo = np.partition(a, k_lo, axis=-1)[..., k_lo].astype(float)
    hi = np.partition(a, k_hi, axis=-1)[..., k_hi].astype(float)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)
