"""The map of each 0.1° cell's relative uncertainty: how far a downscaled emission value can be trusted.

Two independent sources of error meet in a cell of the emissions map:

* the *inventory*: the country's emissions of each EDGAR sector and gas, with the 95 % ranges of Solazzo et al.
  (2021) by country, sector and gas (:func:`engine.uncertainty.inputs.sector_ranges`; half-width
  ``u_k = (rel_lo + rel_hi) / 2``; F-gases the global AR6 range, :data:`data/uncertainty_parameters.csv`
  ``fgas_half_width_90`` widened from 90 % to 95 %);
* the *proxy*: how well the spatial proxy places the country's total in this cell (``data/proxy_uncertainty.csv``,
  one 95 % relative half-width ``v_p`` per proxy with its justification; the proxy actually used after the
  fallback chain of :func:`engine.maps.grid.build_context`).

Combined in quadrature per cell, weighted by each part's share of the cell's emissions:

    u_cell² = Σ_k (e_k / E)² u_k² + Σ_p (E_p / E)² v_p²

with ``e_k`` the cell's emissions of sector-gas ``k``, ``E_p`` those spread with proxy ``p`` and ``E = Σ e_k``.
Inventory errors of different sectors and gases are independent (IPCC 2006 Approach 1, as Solazzo et al.); the proxy
error is shared by every sector spread with the same proxy in the same cell (if population is misplaced, transport,
buildings and waste are misplaced together), so it enters once per proxy with that proxy's whole share.

What this does not include: the error of the proxy's own input grid beyond the table's value, correlations between
neighbouring cells (a zone's total is better known than its cells), and the year-to-year change of the ranges
(Solazzo et al. publish 2015 only).

References
----------
1. Solazzo, E. et al. (2021) Atmos. Chem. Phys. 21:5655-5683, doi:10.5194/acp-21-5655-2021.
2. IPCC (2006) Guidelines Vol. 1 Ch. 3, Eq. 3.1 (Approach 1).
3. Andres, R. J. et al. (2016) Atmos. Chem. Phys. 16:14979-14995, doi:10.5194/acp-16-14979-2016.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.core.config import AUTHORED_DIR
from engine.core.query import GASES
from engine.maps.grid import GridContext

TABLE = "proxy_uncertainty.csv"
#: z of a two-sided 95 % and 90 % interval (F-gas range conversion).
Z95, Z90 = 1.959963984540054, 1.6448536269514722


def proxy_uncertainty(path=None) -> pd.Series:
    """``data/proxy_uncertainty.csv``: proxy -> 95 % relative half-width of a cell's share [1].

    Raises
    ------
    ValueError
        When a column is missing, a value is not a number in (0, 5], a justification or source is empty, or a proxy
        is listed twice.
    """
    path = AUTHORED_DIR / TABLE if path is None else path
    t = pd.read_csv(path)
    missing = {"proxy", "rel_95", "source", "justification"} - set(t.columns)
    if missing:
        raise ValueError(f"{TABLE}: missing columns {', '.join(sorted(missing))}")
    rel = pd.to_numeric(t["rel_95"], errors="coerce")
    bad = t["proxy"][~((rel > 0) & (rel <= 5))]
    if len(bad):
        raise ValueError(f"{TABLE}: rel_95 must be a number in (0, 5]; bad for {', '.join(map(str, bad))}")
    empty = t["proxy"][t["source"].fillna("").str.strip().eq("") | t["justification"].fillna("").str.strip().eq("")]
    if len(empty):
        raise ValueError(f"{TABLE}: every proxy needs a source and a justification; missing for "
                         f"{', '.join(map(str, empty))}")
    if t["proxy"].duplicated().any():
        raise ValueError(f"{TABLE}: proxy listed twice: {', '.join(t['proxy'][t['proxy'].duplicated()])}")
    return pd.Series(rel.to_numpy(dtype=float), index=t["proxy"].astype(str).to_numpy(), name="rel_95")


def inventory_halfwidths(ranges: pd.DataFrame, codes, sectors, fgas_half_width_90: float) -> np.ndarray:
    """95 % relative half-widths of every code × sector × gas (:data:`engine.core.query.GASES` order) [1].

    ``(rel_lo + rel_hi) / 2`` of the Solazzo ranges; a code without a row takes the sector-gas median of all lines
    (the gas's median where no line has that sector and gas); F-gases take ``fgas_half_width_90 × z95 / z90`` everywhere.
    """
    r = ranges.assign(u=(ranges["rel_lo"] + ranges["rel_hi"]) / 2.0)
    table = r.pivot_table(index="line", columns=["sector", "gas"], values="u", aggfunc="first")
    med = r.groupby(["sector", "gas"])["u"].median()
    out = np.zeros((len(codes), len(sectors), len(GASES)))
    idx = pd.Index(table.index).get_indexer(pd.Index([str(c) for c in codes]))
    for j, s in enumerate(sectors):
        for g, gas in enumerate(GASES):
            if gas == "F-gases":
                out[:, j, g] = fgas_half_width_90 * Z95 / Z90
                continue
            fallback = med.get((s, gas))
            if fallback is None or not np.isfinite(fallback):  # no line has this sector and gas: the gas's median
                of_gas = r.loc[r["gas"] == gas, "u"]
                fallback = float(of_gas.median()) if len(of_gas) else float(r["u"].median())
            col = table[(s, gas)].to_numpy() if (s, gas) in table.columns else np.full(len(table), np.nan)
            v = np.where(idx >= 0, col[np.where(idx >= 0, idx, 0)], np.nan)
            out[:, j, g] = np.where(np.isfinite(v), v, fallback)
    return out


def relative_uncertainty(ctx: GridContext, codes, E: np.ndarray, U: np.ndarray, masks: dict[str, np.ndarray],
                         v_proxy: pd.Series) -> np.ndarray:
    """Relative 95 % uncertainty of each cell (the module docstring's equation) [1], flat float32; 0 where the cell
    has no emissions (no uncertainty is defined there: transparent on the map, like a cell with no emissions, and
    averaged as such in the tile pyramid's coarser levels, which a NaN would blank).

    Parameters
    ----------
    ctx : GridContext
        Country cells and normalised proxies (:func:`engine.maps.grid.build_context`).
    codes : array of str
        Codes of the rows of ``E`` and ``U``.
    E : ndarray (code, sector, gas)
        National emissions of each sector and gas, already weighted to the map's basis (CO2e) [t yr⁻¹].
    U : ndarray (code, sector, gas)
        Inventory half-widths (:func:`inventory_halfwidths`) [1].
    masks : dict
        Proxy -> (sector, gas) indicator of the pairs it spreads (:func:`engine.maps.grid.proxy_masks`).
    v_proxy : Series
        :func:`proxy_uncertainty` [1].

    Raises
    ------
    ValueError
        A proxy (or a fallback in use) that ``data/proxy_uncertainty.csv`` does not list.
    """
    from engine.maps.grid import NLAT, NLON

    pos = pd.Index(ctx.codes).get_indexer(pd.Index([str(c) for c in codes]))
    ok = pos >= 0
    n = len(ctx.codes)
    e_cell = np.zeros(len(ctx.cells))
    var_cell = np.zeros(len(ctx.cells))
    for p, m in masks.items():
        e = E * m[None, :, :]
        T = np.bincount(pos[ok], weights=e.sum(axis=(1, 2))[ok], minlength=n)
        if not T.any():  # a sector map: the other proxies carry nothing
            continue
        Q = np.bincount(pos[ok], weights=((e * U) ** 2).sum(axis=(1, 2))[ok], minlength=n)
        used = ctx.used[p]
        unknown = sorted(set(used[T > 0]) - set(v_proxy.index))
        if unknown:
            raise ValueError(f"data/{TABLE} has no row for the proxy {', '.join(unknown)}")
        v = v_proxy.reindex(used).fillna(0.0).to_numpy()
        A = Q + (T * v) ** 2  # per entity: inventory variance + proxy variance, per unit share squared
        w = ctx.norm[p]
        t_cell = T[ctx.ent]
        t_cell *= w
        e_cell += t_cell
        a_cell = A[ctx.ent]
        a_cell *= w
        a_cell *= w
        var_cell += a_cell
    np.sqrt(var_cell, out=var_cell)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(e_cell > 0, var_cell / e_cell, 0.0).astype(np.float32)
    out = np.zeros(NLAT * NLON, dtype=np.float32)
    out[ctx.cells] = rel
    return out
