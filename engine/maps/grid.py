"""The 0.1° grid and mass-conserving downscaling: national totals spread over each country's cells in proportion
to a spatial proxy (pure functions; :class:`engine.maps.grids.Grids` orchestrates them into layers).

Grid: 1800 × 3600 cells, ``lat`` centres north→south, ``lon`` west→east (:func:`engine.maps.gridmath.grid_centres`);
a layer is an ``xarray.DataArray`` with ``attrs["units"]`` in t cell⁻¹ yr⁻¹.

Downscaling: each EDGAR country × sector total is spread over that country's cells in proportion to the sector's
spatial proxy (``data/sector_proxies.csv``: power plants, population, agricultural area), with a fallback chain when a
country has no cell of that proxy (population → land area → every cell of the country evenly). Mass is conserved
exactly: a country's cells sum to its national total. Countries that cover no 0.1° cell centre and international
bunkers (no routes offline) are reported as ``unplaced`` mass.

The proxies are normalised per country once per process (:class:`GridContext`); a layer is then a gather over the
~2.1 million land cells — national totals indexed by each cell's country, times the cell's share — well under the
50 ms budget.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from engine.core.config import AUTHORED_DIR
from engine.core.units import M2_PER_KM2
from engine.maps.gridmath import cell_area_m2, grid_centres
from engine.sources.edgar import SECTORS

RES = 0.1
NLAT, NLON = 1800, 3600
LAT, LON = grid_centres(RES)
#: Overseas departments that Natural Earth folds into France but EDGAR reports separately (lat/lon boxes).
FRENCH_OVERSEAS = {"GUF": (2.0, 6.0, -55.0, -51.0), "GLP": (15.8, 16.6, -61.9, -60.9),
                   "MTQ": (14.3, 15.0, -61.3, -60.7), "REU": (-21.5, -20.8, 55.1, 55.9),
                   "MYT": (-13.1, -12.5, 44.9, 45.4)}
FALLBACK_CHAIN = ("population", "land", "uniform")


#: Proxies read from the pack as they are (``proxy_<name>_0p1``); ``land`` and ``forest_crop`` are derived.
PACKED_PROXIES = ("population", "power", "agriculture", "fuel_exploitation", "fuel_exploitation_co2", "industry")


def sector_proxies() -> dict[str, str]:
    """EDGAR sector -> proxy name of its non-CO2 gases and, unless ``proxy_co2`` says otherwise, its CO2
    (``data/sector_proxies.csv``)."""
    t = pd.read_csv(AUTHORED_DIR / "sector_proxies.csv")
    return dict(zip(t["edgar_sector"], t["proxy"]))


def sector_gas_proxies() -> dict[str, tuple[str, ...]]:
    """EDGAR sector -> the proxy of each gas of :data:`engine.core.query.GASES` (``data/sector_proxies.csv``: ``proxy``,
    and ``proxy_co2`` for a sector whose CO2 is emitted elsewhere than its other gases, like Fuel Exploitation's
    refinery and coke-oven CO2 against its mine and well methane)."""
    from engine.core.query import GASES

    t = pd.read_csv(AUTHORED_DIR / "sector_proxies.csv", keep_default_na=False)
    co2 = t["proxy_co2"] if "proxy_co2" in t else t["proxy"]
    return {s: tuple((c or p) if g == "CO2" else p for g in GASES)
            for s, p, c in zip(t["edgar_sector"], t["proxy"], co2)}


def proxy_masks(sectors) -> dict[str, np.ndarray]:
    """Proxy -> (sector, gas) indicator of the pairs it spreads [1], for ``sectors`` in the order of an
    emissions array ``[code, sector, gas]`` (:func:`sector_gas_proxies`)."""
    from engine.core.query import GASES

    sg = sector_gas_proxies()
    out: dict[str, np.ndarray] = {}
    for j, s in enumerate(sectors):
        for g, p in enumerate(sg[s]):
            out.setdefault(p, np.zeros((len(sectors), len(GASES))))[j, g] = 1.0
    return out


def cell_areas_km2() -> np.ndarray:
    """Area of each 0.1° cell by latitude row [km²], shape (1800,)."""
    return cell_area_m2(LAT, RES, RES) / M2_PER_KM2


def to_dataarray(flat: np.ndarray, name: str, units: str, **attrs) -> xr.DataArray:
    """Wrap a flat (1800*3600,) array as a (lat, lon) DataArray with units."""
    return xr.DataArray(flat.reshape(NLAT, NLON), dims=("lat", "lon"), coords={"lat": LAT, "lon": LON}, name=name,
                        attrs={"units": units, **attrs})


@dataclass(frozen=True)
class GridContext:
    """Country cells and per-country normalised proxies (built once per process).

    Attributes
    ----------
    codes : ndarray of str
        Ledger entity codes (EDGAR countries), index = entity id.
    cells : ndarray of int64
        Flat indices of the cells that belong to an entity.
    ent : ndarray of int32
        Entity id of each of those cells.
    norm : dict
        proxy name -> float64 share of each cell in its entity's total (sums to 1 per entity with cells).
    used : dict
        proxy name -> array of the proxy actually used per entity (after fallbacks).
    n_cells : ndarray of int64
        Number of cells of each entity (precomputed: every layer needs it).
    """

    codes: np.ndarray
    cells: np.ndarray
    ent: np.ndarray
    norm: dict
    used: dict
    n_cells: np.ndarray

    def entity_index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}


def entity_raster(raster: np.ndarray, index: pd.DataFrame, entity_map: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Flat entity id per cell (-1 = none) and the entity codes, from the Natural Earth country raster.

    Natural Earth codes are mapped to EDGAR entities (``data/entity_map.csv``) and France's overseas departments
    are split off by location (:data:`FRENCH_OVERSEAS`).
    """
    iso_by_index = dict(zip(index["index"], index["iso3"]))
    codes_per_index = {i: entity_map.get(c, c) for i, c in iso_by_index.items()}
    codes = np.array(sorted(set(codes_per_index.values()) | set(FRENCH_OVERSEAS)), dtype=object)
    pos = {c: k for k, c in enumerate(codes)}
    lut = np.full(int(raster.max()) + 1, -1, dtype=np.int32)
    for i, c in codes_per_index.items():
        lut[i] = pos[c]
    ent = lut[raster.astype(np.int64)].reshape(NLAT, NLON)
    fra = pos.get("FRA")
    for code, (la0, la1, lo0, lo1) in FRENCH_OVERSEAS.items():
        rows = (LAT >= la0) & (LAT <= la1)
        cols = (LON >= lo0) & (LON <= lo1)
        block = ent[np.ix_(rows, cols)]
        block[block == fra] = pos[code]
        ent[np.ix_(rows, cols)] = block
    return ent.ravel(), codes


def build_context(raster: np.ndarray, index: pd.DataFrame, entity_map: dict[str, str],
                  proxies: dict[str, np.ndarray]) -> GridContext:
    """Normalise every proxy within each entity, applying the fallback chain where an entity's sum is zero.

    Parameters
    ----------
    proxies : dict
        proxy name -> flat (1800*3600,) non-negative array; must include ``population`` and ``land``.
    """
    ent_flat, codes = entity_raster(raster, index, entity_map)
    cells = np.flatnonzero(ent_flat >= 0)
    ent = ent_flat[cells]
    n = len(codes)
    sums = {p: np.bincount(ent, weights=np.nan_to_num(v[cells]).astype(np.float64), minlength=n)
            for p, v in proxies.items()}
    sums["uniform"] = np.bincount(ent, minlength=n).astype(np.float64)
    values = {p: np.nan_to_num(v[cells]).astype(np.float64) for p, v in proxies.items()}
    values["uniform"] = np.ones(len(cells))
    norm, used = {}, {}
    for p in proxies:
        choice = np.full(n, p, dtype=object)
        bad = sums[p] <= 0
        for fb in FALLBACK_CHAIN:
            if not bad.any():
                break
            choice[bad] = fb
            bad = bad & (sums[fb] <= 0)
        v = np.zeros(len(cells))
        denom = np.zeros(n)
        for name in set(choice):
            mask_e = choice == name
            sel = mask_e[ent]
            v[sel] = values[name][sel]
            denom[mask_e] = sums[name][mask_e]
        with np.errstate(divide="ignore", invalid="ignore"):
            norm[p] = np.where(denom[ent] > 0, v / denom[ent], 0.0)
        used[p] = choice
    return GridContext(codes=codes, cells=cells, ent=ent, norm=norm, used=used,
                       n_cells=sums["uniform"].astype(np.int64))


def scatter(ctx: GridContext, cell_values: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Place values of the context's cells into a full flat grid (zeros elsewhere)."""
    out = np.zeros(NLAT * NLON, dtype=dtype)
    out[ctx.cells] = cell_values
    return out


def downscale_arrays(ctx: GridContext, codes: np.ndarray, totals: dict[str, np.ndarray],
                     dtype=np.float32) -> tuple[np.ndarray, dict]:
    """Spread national totals over cells: ``totals`` maps proxy name -> totals aligned on ``codes`` [t yr⁻¹].

    Returns the flat grid (``dtype``) and the unplaced totals of codes without cells.
    """
    pos = pd.Index(ctx.codes).get_indexer(pd.Index(codes))
    n = len(ctx.codes)
    has_cells = ctx.n_cells > 0
    placed = (pos >= 0) & has_cells[np.where(pos >= 0, pos, 0)]
    vals = np.zeros(len(ctx.cells))
    unplaced: dict[str, float] = {}
    for proxy, t in totals.items():
        T = np.bincount(pos[placed], weights=t[placed], minlength=n)
        vals += T[ctx.ent] * ctx.norm[proxy]
        for c, v in zip(codes[~placed], t[~placed]):
            if v:
                unplaced[str(c)] = unplaced.get(str(c), 0.0) + float(v)
    return scatter(ctx, vals, dtype), unplaced


def downscale(ctx: GridContext, totals: pd.DataFrame, proxy_of: dict[str, str]) -> tuple[np.ndarray, dict]:
    """Spread national sector totals over cells (table form of :func:`downscale_arrays`, in float64).

    Parameters
    ----------
    totals : DataFrame
        ``code, sector, value_t`` national totals [t yr⁻¹].
    proxy_of : dict
        EDGAR sector -> proxy name.

    Returns
    -------
    (flat grid [t cell⁻¹ yr⁻¹], unplaced {code: t})
        Each entity's cells sum to its total exactly; totals of codes without cells are returned as unplaced.
    """
    t = totals.assign(proxy=totals["sector"].map(proxy_of))
    per = t.pivot_table(index="code", columns="proxy", values="value_t", aggfunc="sum", fill_value=0.0)
    codes = per.index.to_numpy(dtype=str)
    return downscale_arrays(ctx, codes, {p: per[p].to_numpy() for p in per.columns}, dtype=np.float64)




__all__ = ["GridContext", "LAT", "LON", "NLAT", "NLON", "RES", "SECTORS", "build_context", "cell_areas_km2",
           "downscale", "downscale_arrays", "entity_raster", "PACKED_PROXIES", "proxy_masks", "scatter", "sector_gas_proxies",
           "sector_proxies", "to_dataarray"]
