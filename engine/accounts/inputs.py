"""The tables the accounts are computed from, shaped from the pack's source items (pure functions of tables; the
orchestrator :class:`engine.accounts.ledger.Accounts` reads the pack and caches the results).

Every function documents its units. Ledger lines are EDGAR country entities (ISO3), the international bunkers
(``BUNKERS``) and GCB's other and disputed areas (``OTHER``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.accounts import natural
from engine.accounts.regions import BUNKERS
from engine.core.config import AUTHORED_DIR
from engine.core.query import GASES, LUC_MODELS
from engine.core.units import T_PER_MT
from engine.sources.edgar import SECTORS as EDGAR_SECTORS


def entity_map() -> dict[str, str]:
    """Natural Earth / GCB code -> EDGAR ledger entity (``data/entity_map.csv``; e.g. SRB, MNE, XKX -> SCG)."""
    return dict(pd.read_csv(AUTHORED_DIR / "entity_map.csv").set_index("code")["entity"])


def line_codes(iso3: pd.Series) -> pd.Series:
    """Ledger line of EDGAR rows: the two bunker rows (``BUNKERS_SEA``, ``BUNKERS_AIR``) become ``BUNKERS``."""
    return iso3.where(~iso3.str.startswith("BUNKERS"), BUNKERS)


def production_by_gas_all(by_sector: pd.DataFrame) -> pd.DataFrame:
    """EDGAR production per (year, line) and gas, all years [Mt CO2e, AR5 as published]."""
    d = by_sector[~by_sector["is_aggregate"]]
    return d.assign(code=line_codes(d["iso3"])).pivot_table(index=["year", "code"], columns="gas",
                                                            values="emissions_mt_co2e", aggfunc="sum",
                                                            fill_value=0.0)


def country_year(production_all: pd.DataFrame, totals: pd.DataFrame, per_capita: pd.DataFrame,
                 year: int) -> pd.DataFrame:
    """Per ledger line of one year: production per gas [Mt CO2e] and ``population`` [persons].

    Population is EDGAR's total GHG over its GHG per person (the booklet's own population).
    """
    prod = production_all.loc[year].reindex(columns=list(GASES), fill_value=0.0)
    t = totals[(totals["year"] == year) & ~totals["is_aggregate"]].set_index("iso3")["ghg_mt_co2e"]
    p = per_capita[(per_capita["year"] == year) & ~per_capita["is_aggregate"]].set_index("iso3")[
        "ghg_t_co2e_per_capita"]
    prod["population"] = (t * T_PER_MT / p.replace(0, np.nan)).reindex(prod.index)
    return prod


def gdp_table(totals: pd.DataFrame, per_gdp: pd.DataFrame) -> pd.DataFrame:
    """GDP per country (rows) and year (columns) implied by EDGAR's totals and per-GDP intensities [k USD, EDGAR's
    constant-price basis]."""
    m = totals.merge(per_gdp, on=["iso3", "year"], suffixes=("", "_g"))
    m = m[~m["is_aggregate"] & (m["ghg_t_co2e_per_kusd"] > 0)]
    m["gdp_kusd"] = m["ghg_mt_co2e"] * T_PER_MT / m["ghg_t_co2e_per_kusd"]
    return m.pivot_table(index="iso3", columns="year", values="gdp_kusd", aggfunc="sum")


def to_entities(shares: pd.Series, emap: dict[str, str]) -> pd.Series:
    """Sum values keyed by Natural Earth codes into ledger entities."""
    return shares.groupby([emap.get(c, c) for c in shares.index]).sum()


def sink_shares(raster, index: pd.DataFrame, weights: np.ndarray, emap: dict[str, str]) -> pd.Series:
    """Share of the global land sink attributed to each ledger line [1] (land-cover proxy, :mod:`natural`)."""
    return to_entities(natural.country_shares(weights, raster, index), emap)


def luc_tables(luc: pd.DataFrame, emap: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Land-use change per model (and the mean of the four) as year × ledger-line tables [Mt CO2 yr⁻¹]."""
    d = luc[~luc["is_aggregate"]]
    d = d.assign(code=d["iso3"].map(lambda c: emap.get(c, c)))
    per = d.pivot_table(index=["year", "code"], columns="model", values="eluc_mt_co2", aggfunc="sum")
    out = {}
    for m in LUC_MODELS:
        col = per.mean(axis=1, skipna=True) if m == "mean" else per[m]
        out[m] = col.unstack("code")
    return out


def sector_year(by_sector: pd.DataFrame, year: int) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """(line codes, EDGAR sectors, emissions[line, sector, gas]) of one year [Mt CO2e, AR5 as published]."""
    d = by_sector[(by_sector["year"] == year) & ~by_sector["is_aggregate"]]
    code = line_codes(d["iso3"]).to_numpy()
    codes, ci = np.unique(code.astype(str), return_inverse=True)
    si = d["sector"].map({s: i for i, s in enumerate(EDGAR_SECTORS)}).to_numpy()
    gi = d["gas"].map({g: i for i, g in enumerate(GASES)}).to_numpy()
    arr = np.zeros((len(codes), len(EDGAR_SECTORS), len(GASES)))
    np.add.at(arr, (ci, si, gi), d["emissions_mt_co2e"].to_numpy(dtype=float))
    return codes, EDGAR_SECTORS, arr
