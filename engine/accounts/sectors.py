"""Sector views: one emitting sector across countries — ranks, MRIO intensities and the foreign demand it serves.

Two sector systems meet here:

- the 8 EDGAR 2024 booklet sectors (:data:`engine.io.satellite.EDGAR_SECTORS`), addressed by URL slugs such as
  ``power-industry``; their production (territorial) emissions come straight from EDGAR, for every year
  1970–2023;
- the 35 WIOD 2013 sectors ``c1`` .. ``c35`` (:data:`engine.sources.wiod.SECTORS`) of the multi-regional
  input–output model, for which emission intensities and the destination of the emissions (domestic or foreign
  final demand) exist in the MRIO years 1995–2011 and the nowcast years 2012–2023 ("structure of 2011").

Equations (per gas ``g`` with the Query's GWP weights ``w_g``, :func:`engine.core.gwp.reweight_factors`):

- intensity of region ``r``, sector ``s``: ``φ_rs = Σ_g w_g f_g,rs`` [Mt CO2e (M USD)⁻¹]; ``1 Mt / 1 M USD =
  1000 kg USD⁻¹`` so ``φ [kg CO2e USD⁻¹] = 1000 φ [Mt CO2e (M USD)⁻¹]``;
- emissions of the sector: ``e_rs = φ_rs x_rs`` [Mt CO2e], ``x`` gross output of the structure year [M USD];
- foreign final-demand share: ``σ_rs = Σ_{c≠r} Φ_rs,c / Σ_c Φ_rs,c`` [1], with ``Φ = Σ_g w_g (f_g ∘ L Y)`` the
  embodied flows (producing region-sector × consuming region, :attr:`engine.accounts.ledger.YearBundle.flows`).

All functions are pure over an :class:`engine.accounts.ledger.Accounts` (its own caches do the work); nothing here
imports the web layer.

References
----------
1. Crippa, M. et al. (2024) GHG emissions of all world countries, JRC138862 (EDGAR 2024).
2. Timmer, M. P. et al. (2015) An illustrated user guide to the World Input–Output Database, Rev. Int. Econ.
   23:575–605, doi:10.1111/roie.12178 (WIOD 2013).
3. Corsatea, T. D. et al. (2019) WIOD Environmental Accounts, Update 2000–2016, JRC116234, doi:10.2760/024036.
4. Peters, G. P. et al. (2011) Growth in emission transfers via international trade from 1990 to 2008,
   PNAS 108:8903–8908, doi:10.1073/pnas.1006388108 (emissions embodied in exports).
"""

from __future__ import annotations

import difflib
from typing import NamedTuple

import numpy as np
import pandas as pd

from engine.accounts import regions as regions_mod
from engine.core.config import AUTHORED_DIR
from engine.core.gwp import reweight_factors
from engine.core.query import Query
from engine.io.satellite import EDGAR_SECTORS
from engine.sources.wiod import SECTORS as WIOD_SECTORS

#: Sector kinds.
KINDS = ("edgar", "mrio")
#: URL slug -> EDGAR sector name.
EDGAR_SLUGS = {s.lower().replace(" ", "-"): s for s in EDGAR_SECTORS}
#: Note attached to every foreign-share result of an EDGAR sector.
EDGAR_FOREIGN_NOTE = ("EDGAR sector approximation: the foreign share of the WIOD sectors this EDGAR sector is "
                      "allocated to (data/edgar_to_wiod.csv), weighted by their emissions; household direct "
                      "emissions (heating, private cars) are left out — they are consumed at home, so the share of "
                      "the whole EDGAR sector is lower.")


class Sector(NamedTuple):
    """A resolved sector: canonical URL code, display name, kind (``edgar`` or ``mrio``) and the engine label
    (the EDGAR sector name, or the WIOD code ``c1`` .. ``c35``)."""

    code: str
    name: str
    kind: str
    label: str

    @property
    def index(self) -> int:
        """Zero-based WIOD sector index (MRIO sectors only)."""
        if self.kind != "mrio":
            raise ValueError(f"{self.code!r} is an EDGAR sector, not a WIOD sector c1..c35")
        return int(self.label[1:]) - 1


def _clean(name: str) -> str:
    return " ".join(name.replace(" ,", ",").split())


def sector_catalogue() -> pd.DataFrame:
    """Every sector a sector page can show.

    Returns
    -------
    DataFrame
        ``code, name, kind, label``: the 8 EDGAR sectors (URL slug, name, ``"edgar"``) then the 35 WIOD 2013 sectors
        (``c1`` .. ``c35``, name, ``"mrio"``) [text].
    """
    rows = [(slug, name, "edgar", name) for slug, name in EDGAR_SLUGS.items()]
    rows += [(code, _clean(name), "mrio", code) for code, name in WIOD_SECTORS.items()]
    return pd.DataFrame(rows, columns=["code", "name", "kind", "label"])


def closest_sectors(code: str, n: int = 3) -> list[str]:
    """Known sector codes closest to a mistyped one (codes and names are both compared) [text]."""
    cat = sector_catalogue()
    key = str(code).strip().lower()
    by_name = {n.lower(): c for c, n in zip(cat["code"], cat["name"])}
    hits = difflib.get_close_matches(key, list(cat["code"]), n=n, cutoff=0.5)
    for name in difflib.get_close_matches(key, list(by_name), n=n, cutoff=0.5):
        if by_name[name] not in hits:
            hits.append(by_name[name])
    if not hits:
        hits = difflib.get_close_matches(key, list(cat["code"]) + list(by_name), n=n, cutoff=0.3)
        hits = [by_name.get(h, h) for h in hits]
    return list(dict.fromkeys(hits))[:n]


def resolve_sector(code: str) -> Sector:
    """The sector of a URL code: an EDGAR slug (``power-industry``; the EDGAR name is accepted too) or ``c1`` ..
    ``c35`` (case-insensitive).

    Raises
    ------
    ValueError
        For an unknown code; the message names the closest known codes.
    """
    key = str(code).strip().lower()
    key = key.replace("_", "-").replace(" ", "-")
    cat = sector_catalogue().set_index("code")
    if key in cat.index:
        row = cat.loc[key]
        return Sector(key, row["name"], row["kind"], row["label"])
    hint = closest_sectors(code)
    raise ValueError(f"unknown sector {str(code)[:60]!r}" + (f"; did you mean {', '.join(hint)}?" if hint else "")
                     + " (EDGAR sectors such as power-industry, or WIOD sectors c1..c35)")


def is_known_sector(code: str) -> bool:
    """True for a code :func:`resolve_sector` accepts."""
    try:
        resolve_sector(code)
    except ValueError:
        return False
    return True


def _region_names(acc, codes) -> list[str]:
    names = acc.names()
    return [names.get(c, regions_mod.GROUP_NAMES.get(c, c)) for c in codes]


def _attrs(acc, q: Query, sector: Sector, **extra) -> dict:
    from engine.accounts.ledger import method_for

    method, structure = method_for(q.year)
    return {"sector": sector.code, "sector_name": sector.name, "kind": sector.kind, "year": q.year,
            "method": method, "structure_year": structure, "query_text": q.describe(), **extra}


def edgar_sector_by_country(acc, q: Query, sector: str) -> pd.DataFrame:
    """Production (territorial) emissions of one EDGAR sector in every country, largest first.

    Parameters
    ----------
    acc : engine.accounts.ledger.Accounts
    q : Query
        Year, GWP set and gases are used [—].
    sector : str
        An EDGAR sector code (``power-industry``) [text].

    Returns
    -------
    DataFrame
        ``code, name, emissions_mt_co2e, share_pct``: ISO3 (international aviation and shipping as ``BUNKERS``),
        name, emissions [Mt CO2e yr⁻¹, the Query's GWP set; F-gases as published], share of the world total of
        the sector [%]. Lines with zero emissions are dropped. ``attrs["world_mt_co2e"]`` holds the world total.

    Raises
    ------
    ValueError
        For an unknown code or a WIOD sector (use :func:`mrio_sector_intensity`).
    """
    sec = resolve_sector(sector)
    if sec.kind != "edgar":
        raise ValueError(f"{sec.code!r} is a WIOD sector; EDGAR sectors are {', '.join(EDGAR_SLUGS)}")
    prod = acc.production(q)
    d = prod[prod["sector"] == sec.label].groupby("code")["emissions_mt_co2e"].sum()
    d = d[d != 0].sort_values(ascending=False)
    world = float(d.sum())
    out = pd.DataFrame({"code": d.index.astype(str), "name": _region_names(acc, d.index),
                        "emissions_mt_co2e": d.to_numpy(dtype=float)})
    out["share_pct"] = 100 * out["emissions_mt_co2e"] / world if world else np.nan
    out.attrs.update(_attrs(acc, q, sec, world_mt_co2e=world))
    return out


def sector_emissions_by_region(acc, q: Query, sector: str) -> pd.DataFrame:
    """Emissions of one sector by region, ranked: EDGAR countries for an EDGAR sector, MRIO regions for a WIOD one.

    Returns
    -------
    DataFrame
        ``code, name, emissions_mt_co2e, share_pct`` [—, text, Mt CO2e yr⁻¹, %]; empty for a WIOD sector before
        1995 (``attrs["available"]`` False).
    """
    sec = resolve_sector(sector)
    if sec.kind == "edgar":
        out = edgar_sector_by_country(acc, q, sec.code)
        out.attrs["available"] = True
        return out
    inten = mrio_sector_intensity(acc, q, sec.code)
    d = inten[inten["emissions_mt_co2e"] != 0].sort_values("emissions_mt_co2e", ascending=False, ignore_index=True)
    world = float(d["emissions_mt_co2e"].sum())
    out = pd.DataFrame({"code": d["region"].to_numpy(dtype=str), "name": d["name"].to_numpy(dtype=str),
                        "emissions_mt_co2e": d["emissions_mt_co2e"].to_numpy(dtype=float)})
    out["share_pct"] = 100 * out["emissions_mt_co2e"] / world if world else np.nan
    out.attrs.update(inten.attrs)
    out.attrs["world_mt_co2e"] = world
    return out


def weighted_intensity(f: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """GWP-weighted intensity ``φ = Σ_g w_g f_g``.

    Parameters
    ----------
    f : ndarray (n_gases, n)
        Intensities per gas [Mt CO2e (M USD)⁻¹, AR5 as published].
    weights : ndarray (n_gases,)
        Re-weighting factors of :func:`engine.core.gwp.reweight_factors` [1].

    Returns
    -------
    ndarray (n,)
        [Mt CO2e (M USD)⁻¹]
    """
    return np.asarray(weights, dtype=float) @ np.asarray(f, dtype=float)


def foreign_shares(flows: np.ndarray, n_regions: int, n_sectors: int) -> tuple[np.ndarray, np.ndarray]:
    """Total and foreign-bound emissions of each producing region-sector.

    Parameters
    ----------
    flows : ndarray (n_regions * n_sectors, n_regions)
        Embodied flows, producing region-sector × consuming region [Mt CO2e].

    Returns
    -------
    total, foreign : ndarray (n_regions, n_sectors)
        Row sums, and row sums over consuming regions other than the producer [Mt CO2e].
    """
    F = np.asarray(flows, dtype=float).reshape(n_regions, n_sectors, n_regions)
    total = F.sum(axis=2)
    domestic = F[np.arange(n_regions), :, np.arange(n_regions)]  # (n_regions, n_sectors)
    return total, total - domestic


def _empty(columns, acc, q, sec, **extra) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype=float if c not in ("region", "name") else object) for c in columns})
    out.attrs.update(_attrs(acc, q, sec, available=False,
                            note=f"no input–output table before 1995: no MRIO view for {q.year}", **extra))
    return out


def mrio_sector_intensity(acc, q: Query, sector: str) -> pd.DataFrame:
    """Emission intensity of one WIOD sector in each MRIO region, most intensive first.

    Parameters
    ----------
    acc : engine.accounts.ledger.Accounts
    q : Query
        Year, GWP set and gases are used [—].
    sector : str
        ``c1`` .. ``c35`` [text].

    Returns
    -------
    DataFrame
        ``region, name, intensity_kg_per_usd, emissions_mt_co2e, output_musd``: MRIO region (ISO3, ``ROW``), name,
        ``1000 φ_rs`` [kg CO2e USD⁻¹], ``φ_rs x_rs`` [Mt CO2e yr⁻¹], gross output ``x_rs`` of the structure year
        [M USD, current prices of that year]. Regions where the sector has no output are dropped (their
        intensity is undefined). Before 1995 the frame is empty and ``attrs["available"]`` is False.

    Notes
    -----
    In nowcast years (2012–2023) ``x`` is the model output for the GDP-scaled 2011 final demand and ``f`` that
    year's emissions over it: an estimate on the "structure of 2011".

    Raises
    ------
    ValueError
        For an unknown code or an EDGAR sector.
    """
    sec = resolve_sector(sector)
    if sec.kind != "mrio":
        raise ValueError(f"{sec.code!r} is an EDGAR sector; intensities exist for WIOD sectors c1..c35")
    cols = ["region", "name", "intensity_kg_per_usd", "emissions_mt_co2e", "output_musd"]
    b = acc.bundle(q.year)
    if b is None:
        return _empty(cols, acc, q, sec)
    n = len(b.regions)
    idx = np.arange(n) * len(b.sectors) + b.sectors.index(sec.label)
    phi = weighted_intensity(b.f, reweight_factors(q.gwp, q.gases))[idx]
    x = np.asarray(b.x, dtype=float)[idx]
    out = pd.DataFrame({"region": list(b.regions), "name": _region_names(acc, b.regions),
                        "intensity_kg_per_usd": 1000.0 * phi, "emissions_mt_co2e": phi * x, "output_musd": x})
    out = out[out["output_musd"] > 0].sort_values("intensity_kg_per_usd", ascending=False, ignore_index=True)
    out.attrs.update(_attrs(acc, q, sec, available=True))
    return out


def edgar_targets(sector_label: str, sectors: tuple[str, ...]) -> list[int]:
    """Zero-based indices, among the table's ``sectors``, of the sectors an EDGAR sector is allocated to
    (``data/edgar_to_wiod.csv``; households excluded)."""
    e2w = pd.read_csv(AUTHORED_DIR / "edgar_to_wiod.csv")
    t = set(e2w.loc[e2w["edgar_sector"] == sector_label, "target"])
    return sorted(i for i, s in enumerate(sectors) if s in t)


def foreign_demand_share(acc, q: Query, sector: str) -> pd.DataFrame:
    """Share of a sector's emissions embodied in the final demand of *other* regions, per producing MRIO region.

    Parameters
    ----------
    acc : engine.accounts.ledger.Accounts
    q : Query
        Year, GWP set and gases are used [—].
    sector : str
        ``c1`` .. ``c35``, or an EDGAR sector code (approximation, see Notes) [text].

    Returns
    -------
    DataFrame
        ``region, name, emissions_mt_co2e, foreign_mt_co2e, foreign_share``, largest share first: emissions of the
        sector in the producing region [Mt CO2e yr⁻¹], the part embodied in final demand of other regions
        [Mt CO2e yr⁻¹] and their ratio [1, in 0..1]. ``attrs``: ``world_share`` [1], ``world_foreign_mt_co2e``,
        ``world_emissions_mt_co2e`` [Mt CO2e yr⁻¹], ``approximation`` (None or a note), ``available``.
        Empty (``available`` False) before 1995.

    Notes
    -----
    Rows ``r*35+s`` of the flows, columns ``≠ r`` (:func:`foreign_shares`). For an EDGAR sector the WIOD sectors
    it maps to in ``data/edgar_to_wiod.csv`` are pooled (foreign and total emissions summed, i.e. each WIOD
    sector weighted by its emissions). Those WIOD sectors also carry other EDGAR sectors' emissions, and
    household direct emissions are left out: :data:`EDGAR_FOREIGN_NOTE`.
    """
    sec = resolve_sector(sector)
    cols = ["region", "name", "emissions_mt_co2e", "foreign_mt_co2e", "foreign_share"]
    approx = EDGAR_FOREIGN_NOTE if sec.kind == "edgar" else None
    b = acc.bundle(q.year)
    if b is None:
        return _empty(cols, acc, q, sec, approximation=approx, world_share=np.nan)
    n = len(b.regions)
    w = reweight_factors(q.gwp, q.gases)
    total, foreign = foreign_shares(np.einsum("g,gnr->nr", w, b.flows), n, len(b.sectors))
    cols_idx = [b.sectors.index(sec.label)] if sec.kind == "mrio" else edgar_targets(sec.label, b.sectors)
    tot = total[:, cols_idx].sum(axis=1)
    for_ = foreign[:, cols_idx].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(tot > 0, for_ / tot, np.nan)
    out = pd.DataFrame({"region": list(b.regions), "name": _region_names(acc, b.regions),
                        "emissions_mt_co2e": tot, "foreign_mt_co2e": for_, "foreign_share": np.clip(share, 0, 1)})
    out = out[tot > 0].sort_values("foreign_share", ascending=False, ignore_index=True)
    world_tot, world_for = float(tot.sum()), float(for_.sum())
    out.attrs.update(_attrs(acc, q, sec, available=True, approximation=approx,
                            world_share=world_for / world_tot if world_tot > 0 else np.nan,
                            world_foreign_mt_co2e=world_for, world_emissions_mt_co2e=world_tot))
    return out
