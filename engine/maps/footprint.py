"""Footprint maps: where on the 0.1° grid the emissions caused by one region's final demand are emitted.

For a consumer (a ledger country, the model's rest of the world ``ROW``, or a named group) the consumption-based
account of the ledger is split by producing region and EDGAR sector, and each part is spread inside the producing
region with the same sector proxies as the production map (:meth:`engine.maps.grids.Grids.emissions`).

Equations (per accounting year; ``r`` producing model region, ``j`` table sector, ``k`` EDGAR sector, ``g`` gas,
``c`` consuming model region):

- demand shares ``G[r,k,c] = Σ_j S[r,k,j] (L·Y)[rj,c] / x[rj]``: the part of region r's EDGAR-sector-k emissions
  allocated to table sectors (``S``, :class:`engine.io.satellite.AllocationShares`) that consumer c's final demand
  requires. Since ``f = F/x`` and ``F[g,rj] = Σ_k S[r,k,j] E[r,k,g] + F_bunkers[g,rj]``, the embodied flows of the
  ledger are ``f[g,rj] (L·Y)[rj,c] = Σ_k E[r,k,g] S[r,k,j] (L·Y)[rj,c]/x[rj] + bunker part`` exactly;
- producer totals ``X[r,k] = Σ_g w_g E[r,k,g] Σ_c G[r,k,c] a_c`` [Mt] for consumer weights ``a`` over the model's
  consuming regions and gas weights ``w`` (the Query's GWP set and gases);
- household direct emissions ``H[c,k] = Σ_g w_g E[c,k,g] S[c,k,HH]``, placed at the consumer's home;
- bunker fuel (international aviation and shipping, on the transport sectors' ``F_bunkers``): ``Σ_c a_c
  bunker_cons[c]``, reported as an unplaced number, never on the grid.

So the grid sums to the ledger's consumption account minus its bunker part (``bunkers_in_consumption_mt_co2e``).

Spreading: a producing region's EDGAR sector-and-gas totals are grouped by proxy (``data/sector_proxies.csv``; a
sector's CO2 may have a proxy of its own) and split over
the region's countries (entities of the country raster) in proportion to their EDGAR production in that proxy group
(for the 40 named countries the region is the one country; WIOD's ``RoW`` is spread over every other country this
way), then over each country's cells with the country-normalised proxy of the production map
(:class:`engine.maps.grid.GridContext`). Year-independent normalised proxies make a consumer-year layer a weighted
sum of three gathers.

Consumer weights follow the ledger (:func:`engine.accounts.equations.line_consumption`): a named model country takes
its region's column; a country inside the model's rest of the world takes its production share of RoW's column (its
household part placed on its own cells); a group sums its members.

Variants (:data:`VARIANTS`): ``all`` (everything the consumer's final demand causes) and ``abroad`` (only the cells
outside the consumer's own territory: the consumption account minus the emissions produced on its territory for its
own final demand, households included).

Notes
-----
Years 2012–2023 use the ledger's nowcast (the 2011 table's structure with the year's emissions): the layer says so
(``io_method``, ``method_note``). Every footprint is a model result (``modelled = 1``).

References
----------
1. Kanemoto, K., Moran, D. and Hertwich, E. G. (2016) Mapping the carbon footprint of nations, Environ. Sci.
   Technol. 50:10512-10517, doi:10.1021/acs.est.6b03227.
2. Peters, G. P. (2008) From production-based to consumption-based national emission inventories, Ecol. Econ.
   65:13-23, doi:10.1016/j.ecolecon.2007.10.014.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.accounts import regions as regions_mod
from engine.core.gwp import emission_weights, reweight_factors
from engine.core.query import Query, closest
from engine.core.units import T_PER_MT
from engine.io.nowcast import METHOD_NOTES
from engine.maps.grid import NLAT, NLON, SECTORS, GridContext, proxy_masks

#: Footprint variants: everything the consumer's final demand causes, or only what it causes outside its territory.
VARIANTS = ("all", "abroad")
#: Consumers that are not ledger countries: the model's rest of the world and the named groups.
GROUP_CONSUMERS = (regions_mod.ROW,) + regions_mod.NAMED_GROUPS
#: The consumer of the engine's footprint layer when none is given (the issue's example), so that code drawing every
#: layer of the registry (exports, snapshots) can draw it; the API requires an explicit ``consumer``.
DEFAULT_CONSUMER = "DEU"
#: Ledger lines that cannot consume (the bunkers line, GCB's "other" areas).
NOT_CONSUMERS = (regions_mod.BUNKERS, "OTHER")


# ---- pure functions --------------------------------------------------------------------------------------------
def demand_shares(S: np.ndarray, LY: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Share of each producing region's EDGAR-sector emissions (on table sectors) required by each consuming region's
    final demand, ``G[r,k,c] = Σ_j S[r,k,j] (L·Y)[rj,c] / x[rj]`` [1].

    Parameters
    ----------
    S : ndarray, shape (n_regions, 8, n_sectors + 1)
        Allocation shares of EDGAR sectors to table sectors and (last) households [1].
    LY : ndarray, shape (n_regions * n_sectors, n_regions)
        Output required by each consuming region's final demand [M USD].
    x : ndarray, shape (n_regions * n_sectors,)
        Gross output [M USD]; zero-output sectors carry no emissions (zero intensity, as :func:`engine.io.iomath.calc_f`).

    Returns
    -------
    ndarray, shape (n_regions, 8, n_regions) [1]; ``Σ_c G[r,k,c] = 1 − S[r,k,HH]`` when output is all final demand.
    """
    n_reg = S.shape[0]
    n_sec = S.shape[2] - 1
    inv = np.zeros_like(x, dtype=float)
    ok = x > 0
    inv[ok] = 1.0 / x[ok]
    D = (LY * inv[:, None]).reshape(n_reg, n_sec, LY.shape[1])
    return np.einsum("rkj,rjc->rkc", S[:, :, :n_sec], D)


def producer_totals(E: np.ndarray, G: np.ndarray, w: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Emissions of each producing region and EDGAR sector caused by a consumer, ``X[r,k] = Σ_g w_g E[r,k,g] Σ_c
    G[r,k,c] a_c`` [Mt CO2e, or Mt of the gas with mass weights].

    Parameters
    ----------
    E : ndarray, shape (n_regions, 8, 4)
        EDGAR emissions by model region, sector and gas [Mt CO2e, AR5 as published].
    G : ndarray, shape (n_regions, 8, n_regions)
        Demand shares (:func:`demand_shares`) [1].
    w : ndarray, shape (4,)
        Gas weights (:func:`engine.core.gwp.emission_weights`) [1 or t gas (t CO2e AR5)⁻¹].
    a : ndarray, shape (n_regions,)
        Consumer weight of each consuming model region [1].
    """
    return producer_totals_by_gas(E, G, w, a).sum(axis=2)


def producer_totals_by_gas(E: np.ndarray, G: np.ndarray, w: np.ndarray, a: np.ndarray) -> np.ndarray:
    """:func:`producer_totals` before the sum over gases, ``X[r,k,g] = w_g E[r,k,g] Σ_c G[r,k,c] a_c``, shape
    (n_regions, 8, 4)."""
    return E * w * (G @ a)[:, :, None]


def household_totals_by_gas(E: np.ndarray, S_hh: np.ndarray, w: np.ndarray) -> np.ndarray:
    """:func:`household_totals` before the sum over gases, ``H[c,k,g] = w_g E[c,k,g] S[c,k,HH]``."""
    return E * w * S_hh[:, :, None]


def household_totals(E: np.ndarray, S_hh: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Direct household emissions of each consuming region by EDGAR sector, ``H[c,k] = Σ_g w_g E[c,k,g] S[c,k,HH]``
    [Mt CO2e, or Mt of the gas with mass weights]."""
    return household_totals_by_gas(E, S_hh, w).sum(axis=2)


def entity_shares(Ee: np.ndarray, region_of: np.ndarray, has_cells: np.ndarray, n_regions: int) -> np.ndarray:
    """Share of each entity (country of the raster) in its model region's production, per proxy group [1].

    ``share[e,p] = Ee[e,p] / Σ_{e' in region(e), with cells} Ee[e',p]``; entities without cells get 0 (their region's
    other countries take their part, so mass is kept); a region whose countries with cells produce nothing in a group
    splits it by cell count.

    Parameters
    ----------
    Ee : ndarray, shape (n_entities, n_groups)
        Production of each entity per proxy group [Mt CO2e].
    region_of : ndarray of int, shape (n_entities,)
        Model region index of each entity.
    has_cells : ndarray of bool, shape (n_entities,)
    n_regions : int

    Returns
    -------
    ndarray, shape (n_entities, n_groups) [1]; per region and group the shares sum to 1 (or 0 for a region with no
    cells at all).
    """
    v = np.where(has_cells[:, None], np.clip(Ee, 0.0, None), 0.0)
    tot = np.zeros((n_regions, v.shape[1]))
    np.add.at(tot, region_of, v)
    cells = has_cells.astype(float)
    ncell = np.bincount(region_of, weights=cells, minlength=n_regions)
    fallback = np.divide(cells, ncell[region_of], out=np.zeros_like(cells), where=ncell[region_of] > 0)
    denom = tot[region_of]
    return np.where(denom > 0, np.divide(v, denom, out=np.zeros_like(v), where=denom > 0), fallback[:, None])


def spread(cells: np.ndarray, ent: np.ndarray, norm: np.ndarray, A: np.ndarray) -> np.ndarray:
    """Entity totals per proxy group spread over the cells, ``v[cell] = Σ_p A[ent(cell), p] · norm[p, cell]``, as a
    flat float32 grid [t cell⁻¹ yr⁻¹].

    Parameters
    ----------
    cells, ent : ndarray
        Flat index and entity of every country cell (:class:`engine.maps.grid.GridContext`).
    norm : ndarray, shape (n_groups, n_cells), float32
        Each cell's share of its entity's proxy [1].
    A : ndarray, shape (n_entities, n_groups)
        Entity totals per group [t yr⁻¹].
    """
    A32 = A.astype(np.float32)
    vals = A32[ent, 0] * norm[0]
    for p in range(1, A.shape[1]):
        if A32[:, p].any():
            vals += A32[ent, p] * norm[p]
    out = np.zeros(NLAT * NLON, dtype=np.float32)
    out[cells] = vals
    return out


def consumer_members(consumer: str, codes: np.ndarray, mrio_regions: tuple[str, ...]) -> np.ndarray:
    """Ledger lines that make up a consumer (a country line, ``ROW`` or a named group).

    Raises
    ------
    ValueError
        For an unknown consumer, naming the groups and the closest country codes.
    """
    codes = np.asarray(codes, dtype=str)
    known = sorted(set(codes) - set(NOT_CONSUMERS))
    if consumer in regions_mod.NAMED_GROUPS:
        return codes[np.isin(codes, regions_mod.group_members()[consumer])]
    if consumer == regions_mod.ROW:
        inside = set(mrio_regions)
        return codes[~np.isin(codes, list(inside) + list(NOT_CONSUMERS))]
    if consumer in known:
        return np.array([consumer])
    hint = closest(str(consumer), set(known) | set(GROUP_CONSUMERS))
    raise ValueError(f"consumer must be a ledger country (ISO3), {', '.join(GROUP_CONSUMERS)}; got {consumer!r}"
                     + (f"; did you mean {', '.join(hint)}?" if hint else ""))


def allowed_consumers(codes) -> tuple[str, ...]:
    """Every consumer code: the groups, then the ledger countries (sorted)."""
    return GROUP_CONSUMERS + tuple(sorted(set(map(str, codes)) - set(NOT_CONSUMERS) - set(GROUP_CONSUMERS)))


def check_variant(variant: str) -> str:
    """Raises ValueError naming :data:`VARIANTS` for any other value."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(VARIANTS)}; got {variant!r}")
    return variant


# ---- per-year factors (Query-independent) ----------------------------------------------------------------------
@dataclass(frozen=True)
class YearFactors:
    """Query-independent inputs of every footprint of one accounting year.

    Attributes
    ----------
    regions : tuple of str
        Model regions (ROW last or wherever the table has it).
    G : ndarray (n_regions, 8, n_regions)
        Demand shares [1] (:func:`demand_shares`).
    S_hh : ndarray (n_regions, 8)
        Share of each region's EDGAR sector that is household direct emissions [1].
    E : ndarray (n_regions, 8, 4)
        EDGAR emissions by model region, sector and gas [Mt CO2e, AR5 as published].
    bunker_cons : ndarray (4, n_regions)
        Bunker fuel in each consuming region's account [Mt CO2e].
    Ee : ndarray (n_entities, 8, 4)
        EDGAR emissions of each raster entity [Mt CO2e] (aligned on the grid context's codes).
    method, structure_year
        The ledger's method of the year (``mrio`` or ``nowcast``) and its table year.
    """

    year: int
    regions: tuple[str, ...]
    G: np.ndarray
    S_hh: np.ndarray
    E: np.ndarray
    bunker_cons: np.ndarray
    Ee: np.ndarray
    method: str
    structure_year: int


def year_factors(bundle, ctx: GridContext, sector_year) -> YearFactors:
    """The :class:`YearFactors` of a ledger year bundle (:class:`engine.accounts.ledger.YearBundle`) on a grid
    context; ``sector_year`` is ``(codes, sectors, emissions[code, sector, gas])`` of the year."""
    S = bundle.shares.sector
    G = demand_shares(S, bundle.system.LY, bundle.x)
    codes, _, arr = sector_year
    pos = pd.Index(np.asarray(codes, dtype=str)).get_indexer(pd.Index(ctx.codes.astype(str)))
    Ee = np.where((pos >= 0)[:, None, None], arr[np.where(pos >= 0, pos, 0)], 0.0)
    out = YearFactors(year=bundle.year, regions=tuple(bundle.regions), G=G, S_hh=S[:, :, -1].copy(),
                      E=np.asarray(bundle.E), bunker_cons=np.asarray(bundle.bunker_cons), Ee=Ee,
                      method=bundle.method, structure_year=bundle.structure_year)
    for a in (out.G, out.S_hh, out.Ee):
        a.flags.writeable = False
    return out


# ---- the orchestrator -----------------------------------------------------------------------------------------
class Footprints:
    """Footprint layers over a :class:`engine.maps.grids.Grids` (its context, caches and accounts)."""

    def __init__(self, grids):
        self.grids = grids
        self.accounts = grids.accounts

    def proxy_groups(self) -> tuple[tuple[str, ...], np.ndarray]:
        """(proxy groups, (EDGAR sector × gas) × group indicator matrix) of ``data/sector_proxies.csv``, read once;
        the rows run over sectors, then gases (``E.reshape(n, -1)`` of an ``[.., sector, gas]`` array)."""
        def build():
            masks = proxy_masks(SECTORS)
            groups = tuple(masks)
            P = np.stack([masks[g].ravel() for g in groups], axis=1)
            P.flags.writeable = False
            return groups, P

        return self.grids.cache.memo(self.grids._key("footprint_groups"), build, shared=False)

    def norm32(self, groups: tuple[str, ...]) -> np.ndarray:
        """The context's country-normalised proxies of the groups as one float32 (group, cell) array [1]
        (year-independent, 8 MB per group), built once per process."""
        def build():
            ctx = self.grids.context()
            out = np.stack([ctx.norm[g].astype(np.float32) for g in groups])
            out.flags.writeable = False
            return out

        return self.grids.cache.memo(self.grids._key("footprint_norm32", *groups), build, shared=False)

    def factors(self, year: int) -> YearFactors:
        """Per-year factors, cached per process (a few hundred kB; the year's bundle is the ledger's)."""
        def build():
            b = self.accounts.bundle(year)
            if b is None:
                raise ValueError(f"footprints need the input–output model (1995–2023); got {year}")
            return year_factors(b, self.grids.context(), self.accounts.sector_year(year))

        return self.grids.cache.memo(self.grids._key("footprint_factors", year), build, shared=False)

    def consumers(self, year: int = 2011) -> tuple[str, ...]:
        """Allowed consumer codes (:func:`allowed_consumers` of the year's ledger lines)."""
        return allowed_consumers(self.accounts.year_frame(year)["codes"])

    def check_consumer(self, consumer, year: int) -> str:
        """The consumer code (:data:`DEFAULT_CONSUMER` when None), or ValueError (with ``allowed``: every code) for an
        unknown one."""
        codes = self.accounts.year_frame(year)["codes"]
        if consumer is None or str(consumer).strip() == "":
            consumer = DEFAULT_CONSUMER
        consumer = str(consumer).strip()
        consumer = consumer.upper() if consumer.upper() in set(map(str, codes)) | set(GROUP_CONSUMERS) else consumer
        try:
            consumer_members(consumer, codes, self.accounts.mrio_regions())
        except ValueError as exc:
            exc.allowed = list(allowed_consumers(codes))
            raise
        return consumer

    def weights(self, q: Query, consumer: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(member lines, their model column, their ledger weight, column weights ``a``) of a consumer, as the
        ledger shares consumption (:func:`engine.accounts.equations.line_consumption`) [1]."""
        yf = self.accounts.year_frame(q.year)
        regs = self.accounts.mrio_regions()
        codes = np.asarray(yf["codes"], dtype=str)
        members = consumer_members(consumer, codes, regs)
        idx = pd.Index(codes).get_indexer(pd.Index(members))
        prod = yf["P"] @ reweight_factors(q.gwp, q.gases)
        ri = regs.index(regions_mod.ROW)
        row_prod = np.where(yf["row_member"], prod, 0.0).sum()
        wiod = yf["wiod_idx"][idx]
        col = np.where(wiod >= 0, wiod, ri)
        coef = np.where(wiod >= 0, 1.0,
                        np.where(yf["row_member"][idx] & (row_prod > 0), prod[idx] / (row_prod or 1.0), 0.0))
        a = np.bincount(col, weights=coef, minlength=len(regs))
        return members, col, coef, a

    def layer(self, q: Query, consumer: str, variant: str = "all", sector: str = "all", unit: str = "co2e"):
        """The footprint grid of a consumer [t CO2e cell⁻¹ yr⁻¹] (or tonnes of the one gas with ``unit="mass"``)
        as ``(flat float32 grid, attrs)``; see the module docstring.

        Raises
        ------
        ValueError
            Unknown consumer, variant or sector, or a year without the input–output model.
        """
        from engine.maps import layers

        check_variant(variant)
        if sector != "all" and sector not in SECTORS:
            raise ValueError(f"sector must be 'all' or one of {', '.join(SECTORS)}; got {sector!r}")
        lay = layers.get("footprint")
        lay.check_year(q.year)
        fy = self.factors(q.year)
        ctx = self.grids.context()
        w, basis, gas_attrs = emission_weights(q.gwp, q.gases, unit)
        members, col, coef, a = self.weights(q, consumer)
        keep = np.array([sector in ("all", s) for s in SECTORS], dtype=float)[:, None]
        # by sector and gas, since a sector's gases may have different proxies; flattened (k, g) to match P
        X = (producer_totals_by_gas(fy.E, fy.G, w, a) * keep * T_PER_MT).reshape(len(fy.E), -1)  # (region, k·g) [t]
        H = (household_totals_by_gas(fy.E, fy.S_hh, w) * keep * T_PER_MT).reshape(len(fy.E), -1)
        groups, P = self.proxy_groups()
        regs = list(fy.regions)
        ri = regs.index(regions_mod.ROW)
        ent_codes = ctx.codes.astype(str)
        region_of = np.array([regs.index(c) if c in regs and c != regions_mod.ROW else ri for c in ent_codes])
        has_cells = ctx.n_cells > 0
        share = entity_shares((fy.Ee * w).reshape(len(fy.Ee), -1) @ P, region_of, has_cells, len(regs))
        A = (X @ P)[region_of] * share  # (entity, group) [t]
        # households at home: each member line's part on its own cells, else over its region like production
        epos = pd.Index(ent_codes).get_indexer(pd.Index(members))
        for e, c, k in zip(epos, col, coef):
            hh = k * (H[c] @ P)
            if e >= 0 and has_cells[e]:
                A[e] += hh
            else:
                A += hh[None, :] * share * (region_of == c)[:, None]
        region_has = np.bincount(region_of, weights=has_cells.astype(float), minlength=len(regs)) > 0
        placed_regions = region_has.copy()
        unplaced_model = float(((X @ P).sum(axis=1) * ~placed_regions).sum())
        territory = np.zeros(len(ent_codes), dtype=bool)
        territory[epos[epos >= 0]] = True
        total_all = float(A.sum())
        domestic = float(A[territory].sum())
        if variant == "abroad":
            A = A * ~territory[:, None]
        flat = spread(ctx.cells, ctx.ent, self.norm32(groups), A)
        bunker = float(a @ (w @ fy.bunker_cons)) * T_PER_MT if sector in ("all", "Transport") else 0.0
        abroad = total_all - domestic
        attrs = dict(
            long_name=lay.title, consumer=consumer,
            consumer_name=self.accounts.names().get(consumer, consumer), variant=variant, sector=sector,
            query=q.to_query_string(), year=q.year, total_t=float(A.sum()), footprint_t=total_all,
            domestic_t=domestic, abroad_t=abroad, share_abroad=min(max(abroad / total_all, 0.0), 1.0) if total_all else 0.0,
            unplaced_bunker_t=bunker, unplaced_t=unplaced_model,
            modelled=1, io_method=fy.method, structure_year=fy.structure_year,
            method_note=METHOD_NOTES[fy.method].format(structure_year=fy.structure_year),
            row_note="WIOD's RoW region is spread over the countries outside the 40 named ones in proportion to "
                     "their EDGAR production per proxy group",
            method=lay.method, **gas_attrs)
        return flat, basis, attrs


__all__ = ["DEFAULT_CONSUMER", "Footprints", "GROUP_CONSUMERS", "VARIANTS", "YearFactors", "allowed_consumers", "check_variant",
           "consumer_members", "demand_shares", "entity_shares", "household_totals", "household_totals_by_gas",
           "producer_totals", "producer_totals_by_gas", "spread", "year_factors"]
