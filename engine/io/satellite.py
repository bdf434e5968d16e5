"""The MRIO satellite account: EDGAR country × sector × gas emissions allocated to WIOD region-sectors.

Method (each step documented in ``data/README.md``):

1. Countries map to the 41 WIOD 2013 regions (40 countries; everything else, including Serbia and Montenegro,
   goes to RoW). International aviation and shipping bunkers are kept apart.
2. Each EDGAR sector has candidate targets (``data/edgar_to_wiod.csv``): WIOD sectors c1..c35 and households
   (``HH``, direct emissions). Within an EDGAR sector, emissions are split across candidates in proportion to
   the JRC WIOD CO2 of each candidate (``data/jrc56_to_wiod35.csv``) for the JRC year nearest the accounting year
   within 2000–2011. Household direct CO2 in the JRC account (FC_HH) covers heating and private transport; it is
   split between the Buildings and Transport candidates in proportion to the region's EDGAR Buildings and
   Transport CO2. The same shares are used for every gas of an EDGAR sector (the JRC account has CO2 only).
3. Zero-output sectors are never candidates (their intensity would be infinite). When every candidate of a
   region has zero JRC weight, gross output shares of the candidates are used instead; when no candidate has
   output at all, households take it if they are a candidate, otherwise the region's whole gross output
   (documented fallbacks, reported in ``fallback_regions``).
4. Bunkers go to water (c24, shipping) and air (c25, aviation) transport of every region in proportion to the
   JRC CO2 of those sectors (the JRC account counts bunker fuel by the operator's residence).

Invariant (tested): for every region and gas, sector + household allocations sum to the region's EDGAR total;
world allocations (with bunkers) sum to EDGAR's world total.

References
----------
1. Crippa, M. et al. (2024) GHG emissions of all world countries, JRC138862 (EDGAR 2024).
2. Corsatea, T. D. et al. (2019) WIOD Environmental Accounts, Update 2000–2016, JRC116234, doi:10.2760/024036.
3. Timmer, M. P. et al. (2015) Rev. Int. Econ. 23:575-605, doi:10.1111/roie.12178 (WIOD).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.core.config import AUTHORED_DIR
from engine.core.query import GASES
from engine.sources.edgar import SECTORS as EDGAR_SECTORS

#: The WIOD 2013 sectors (the default labels; functions take the labels of the table they allocate to).
WIOD_SECTORS = tuple(f"c{i}" for i in range(1, 36))
N_SECTORS = len(WIOD_SECTORS)
#: Household direct emissions: the target after the sectors.
HH_LABEL = "HH"
TARGETS = WIOD_SECTORS + (HH_LABEL,)
HH = N_SECTORS  # index of the household target for the WIOD labels
JRC_YEARS = (2000, 2011)
BUNKER_TARGETS = {"BUNKERS_SEA": "c24", "BUNKERS_AIR": "c25"}


def targets_of(sectors: tuple[str, ...]) -> tuple[str, ...]:
    """Allocation targets of a table: its sectors, then households."""
    return (*sectors, HH_LABEL)


def load_concordances(sectors: tuple[str, ...] = WIOD_SECTORS) -> tuple[np.ndarray, pd.DataFrame]:
    """EDGAR-sector × target candidate mask (8 × (sectors + 1), bool) and the JRC 56 → WIOD 35 table.

    Raises
    ------
    ValueError
        When the concordance names a target the table does not have.
    """
    e2w = pd.read_csv(AUTHORED_DIR / "edgar_to_wiod.csv")
    targets = targets_of(sectors)
    unknown = sorted(set(e2w["target"]) - set(targets))
    if unknown:
        raise ValueError(f"data/edgar_to_wiod.csv names targets the table does not have: {', '.join(unknown[:5])}")
    mask = np.zeros((len(EDGAR_SECTORS), len(targets)), dtype=bool)
    for s, t in e2w.itertuples(index=False):
        mask[EDGAR_SECTORS.index(s), targets.index(t)] = True
    j2w = pd.read_csv(AUTHORED_DIR / "jrc56_to_wiod35.csv", keep_default_na=False)
    return mask, j2w


def jrc_year(year: int) -> int:
    """JRC year used for sector shares: the accounting year clamped to 2000–2011."""
    return int(min(max(year, JRC_YEARS[0]), JRC_YEARS[1]))


def jrc_proxy(jrc: pd.DataFrame, j2w: pd.DataFrame, year: int, regions: tuple[str, ...], x: np.ndarray,
              sectors: tuple[str, ...] = WIOD_SECTORS) -> np.ndarray:
    """JRC CO2 per WIOD region and target (c1..c35, HH) for one year [kt CO2].

    CHE, HRV and NOR (separate in the JRC account, inside RoW in WIOD 2013) are folded into RoW; JRC industries
    that split across several WIOD sectors are divided by the gross output ``x`` of those sectors in the region.

    Parameters
    ----------
    regions : tuple of str
        WIOD region ISO3 codes in table order, RoW as "ROW".
    x : ndarray, shape (len(regions) * 35,)
        Gross output [M USD].
    """
    d = jrc[jrc["year"] == jrc_year(year)]
    reg_index = {r: i for i, r in enumerate(regions)}
    region = d["iso3"].astype(str).map(lambda c: reg_index.get(c, reg_index["ROW"])).to_numpy()
    targets_all = targets_of(sectors)
    out = np.zeros((len(regions), len(targets_all)))
    xr = x.reshape(len(regions), len(sectors))
    by_ind = j2w.groupby("jrc_industry")
    ind = d["industry"].astype(str).to_numpy()
    val = d["co2_kt"].to_numpy(dtype=float)
    for code, rows in by_ind:
        sel = ind == code
        if not sel.any():
            continue
        targets = [targets_all.index(t) for t in rows["wiod_sector"]]
        r_idx, v = region[sel], val[sel]
        if len(targets) == 1:
            np.add.at(out[:, targets[0]], r_idx, v)
            continue
        w = xr[:, targets].clip(min=0)  # split by output of the targets in each region
        tot = w.sum(axis=1, keepdims=True)
        w = np.divide(w, tot, out=np.full_like(w, 1.0 / len(targets)), where=tot > 0)
        for k, t in enumerate(targets):
            np.add.at(out[:, t], r_idx, v * w[r_idx, k])
    return out


@dataclass(frozen=True)
class Satellite:
    """Emissions allocated to the MRIO for one accounting year.

    Attributes
    ----------
    F : ndarray, shape (4, n_regions * 35)
        Emissions by gas and region-sector, including bunker fuel [Mt CO2e, AR5 as published].
    h : ndarray, shape (4, n_regions)
        Direct household emissions by gas and region [Mt CO2e].
    territorial : ndarray, shape (4, n_regions)
        EDGAR totals of each region (without bunkers) [Mt CO2e].
    bunkers : ndarray, shape (4,)
        International aviation + shipping [Mt CO2e].
    F_bunkers : ndarray, shape (4, n_regions * 35)
        The part of ``F`` that is bunker fuel (on c24/c25) [Mt CO2e].
    fallback_regions : tuple
        (region, EDGAR sector) pairs where gross-output shares replaced JRC shares.
    """

    F: np.ndarray
    h: np.ndarray
    territorial: np.ndarray
    bunkers: np.ndarray
    F_bunkers: np.ndarray
    fallback_regions: tuple


def edgar_region_array(edgar_year: pd.DataFrame, regions: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """EDGAR emissions of one year as (region, EDGAR sector, gas) and the bunkers as (bunker, gas) [Mt CO2e].

    Countries outside the WIOD regions are summed into RoW; ``regions`` must contain "ROW".
    """
    reg_index = {r: i for i, r in enumerate(regions)}
    d = edgar_year
    iso = d["iso3"].astype(str)
    is_bunker = iso.isin(list(BUNKER_TARGETS))
    E = np.zeros((len(regions), len(EDGAR_SECTORS), len(GASES)))
    c = d[~is_bunker]
    ri = c["iso3"].astype(str).map(lambda k: reg_index.get(k, reg_index["ROW"])).to_numpy()
    si = c["sector"].map({s: i for i, s in enumerate(EDGAR_SECTORS)}).to_numpy()
    gi = c["gas"].map({g: i for i, g in enumerate(GASES)}).to_numpy()
    np.add.at(E, (ri, si, gi), c["emissions_mt_co2e"].to_numpy(dtype=float))
    B = np.zeros((len(BUNKER_TARGETS), len(GASES)))
    b = d[is_bunker]
    bi = b["iso3"].map({k: i for i, k in enumerate(BUNKER_TARGETS)}).to_numpy()
    np.add.at(B, (bi, b["gas"].map({g: i for i, g in enumerate(GASES)}).to_numpy()),
              b["emissions_mt_co2e"].to_numpy(dtype=float))
    return E, B


def allocate(E: np.ndarray, B: np.ndarray, P: np.ndarray, x: np.ndarray, mask: np.ndarray,
             sectors: tuple[str, ...] = WIOD_SECTORS) -> Satellite:
    """Allocate regional EDGAR emissions and bunkers to region-sectors and households.

    Parameters
    ----------
    E : ndarray, shape (n_regions, 8, 4)
        EDGAR emissions by region, EDGAR sector and gas [Mt CO2e].
    B : ndarray, shape (2, 4)
        Bunkers (shipping, aviation) by gas [Mt CO2e].
    P : ndarray, shape (n_regions, 36)
        JRC CO2 proxy per target [kt CO2] (see :func:`jrc_proxy`).
    x : ndarray, shape (n_regions * 35,)
        Gross output [M USD]; sectors with x <= 0 receive nothing.
    mask : ndarray, shape (8, 36)
        Candidate targets of each EDGAR sector.
    """
    shares = allocation_shares(E, P, x, mask, sectors)
    F, h, F_b = apply_allocation(E, B, shares)
    return Satellite(F=F, h=h, territorial=E.sum(axis=1).T.copy(), bunkers=B.sum(axis=0), F_bunkers=F_b,
                     fallback_regions=shares.fallback_regions)


@dataclass(frozen=True)
class AllocationShares:
    """How each region's EDGAR sector emissions split over the table's sectors and households, and how bunker fuel
    splits over the region-sectors of water and air transport.

    The shares are computed once from the central emissions (:func:`allocation_shares`) and then applied to any
    emissions, with or without a sample axis (:func:`apply_allocation`): the uncertainty engine draws emissions, not
    allocation rules.

    Attributes
    ----------
    sector : ndarray, shape (n_regions, 8, n_sectors + 1)
        Share of each EDGAR sector going to each table sector and (last) households [1]; rows sum to 1, or to 0 where
        a region has nothing to allocate.
    bunker : ndarray, shape (2, n_regions, n_sectors)
        Share of shipping and aviation bunkers on each region-sector [1].
    fallback_regions : tuple
        (region, EDGAR sector) pairs where output shares replaced JRC shares.
    """

    sector: np.ndarray
    bunker: np.ndarray
    fallback_regions: tuple


def allocation_shares(E: np.ndarray, P: np.ndarray, x: np.ndarray, mask: np.ndarray,
                      sectors: tuple[str, ...] = WIOD_SECTORS) -> AllocationShares:
    """The allocation shares of the method in the module docstring, for the central emissions ``E``.

    ``E`` enters only through the household split between heating and private transport (each region's Buildings vs
    Transport CO2) and through which region-sectors have anything to allocate (fallbacks).
    """
    n_reg, n_sec = E.shape[0], len(sectors)
    hh = n_sec  # households follow the sectors
    xr = x.reshape(n_reg, n_sec)
    alive = np.concatenate([xr > 0, np.ones((n_reg, 1), dtype=bool)], axis=1)  # HH always alive
    b_i, t_i = EDGAR_SECTORS.index("Buildings"), EDGAR_SECTORS.index("Transport")
    co2 = GASES.index("CO2")
    bt = E[:, [b_i, t_i], co2].clip(min=0)
    bt_tot = bt.sum(axis=1)
    hh_split = np.divide(bt, bt_tot[:, None], out=np.full_like(bt, 0.5), where=bt_tot[:, None] > 0)
    shares = np.zeros((n_reg, len(EDGAR_SECTORS), n_sec + 1))
    fallback = []
    for s in range(len(EDGAR_SECTORS)):
        cand = mask[s][None, :] & alive
        w = np.where(cand, P, 0.0).clip(min=0)
        if s in (b_i, t_i):  # household share of FC_HH for heating vs private transport
            w[:, hh] = P[:, hh] * hh_split[:, 0 if s == b_i else 1] * cand[:, hh]
        tot = w.sum(axis=1)
        for r in np.nonzero((tot <= 0) & (E[:, s, :].sum(axis=1) != 0))[0]:
            wx = np.where(cand[r, :n_sec], xr[r].clip(min=0), 0.0)
            if wx.sum() <= 0 and cand[r, hh]:
                wx = np.zeros(n_sec)
                w[r, hh] = 1.0
            elif wx.sum() <= 0:  # no candidate produces anything here: spread over the region's whole output
                wx = xr[r].clip(min=0)
            w[r, :n_sec] = wx
            fallback.append((int(r), EDGAR_SECTORS[s]))
        tot = w.sum(axis=1)
        shares[:, s, :] = np.divide(w, tot[:, None], out=np.zeros_like(w), where=tot[:, None] > 0)
    bunker = np.zeros((len(BUNKER_TARGETS), n_reg, n_sec))
    for k, (_, target) in enumerate(BUNKER_TARGETS.items()):
        t = sectors.index(target)
        w = np.where(alive[:, t], P[:, t], 0.0).clip(min=0)
        if w.sum() <= 0:
            w = np.where(alive[:, t], xr[:, t], 0.0).clip(min=0)
        bunker[k, :, t] = w / w.sum()
    return AllocationShares(shares, bunker, tuple(fallback))


def apply_allocation(E: np.ndarray, B: np.ndarray, shares: AllocationShares
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Region-sector emissions from EDGAR emissions and allocation shares; any leading (sample) axes are kept.

    Parameters
    ----------
    E : ndarray, shape (..., n_regions, 8, 4)
        EDGAR emissions by region, EDGAR sector and gas [Mt CO2e].
    B : ndarray, shape (..., 2, 4)
        Bunkers (shipping, aviation) by gas [Mt CO2e].

    Returns
    -------
    F : ndarray, shape (..., 4, n_regions * n_sectors)
        Emissions by gas and region-sector, bunker fuel included [Mt CO2e].
    h : ndarray, shape (..., 4, n_regions)
        Direct household emissions [Mt CO2e].
    F_bunkers : ndarray, shape (..., 4, n_regions * n_sectors)
        The bunker fuel part of ``F`` [Mt CO2e].
    """
    S = shares.sector
    n_reg, n_edgar, n_t = S.shape
    n_sec = n_t - 1
    lead = E.shape[:-3]
    out = np.zeros(lead + (n_reg, n_t, len(GASES)))
    for s in range(n_edgar):  # sector by sector, as the method reads
        out += S[:, s, :, None] * E[..., :, s, None, :]
    bunk = np.zeros(lead + (n_reg, n_sec, len(GASES)))
    for k in range(shares.bunker.shape[0]):
        bunk += shares.bunker[k][:, :, None] * B[..., k, None, None, :]
    F_b = np.swapaxes(bunk.reshape(lead + (n_reg * n_sec, len(GASES))), -1, -2).copy()
    F = np.swapaxes(out[..., :n_sec, :].reshape(lead + (n_reg * n_sec, len(GASES))), -1, -2) + F_b
    h = np.swapaxes(out[..., n_sec, :], -1, -2).copy()
    return F, h, F_b
