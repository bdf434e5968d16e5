"""Emission ranges per ledger line (country), EDGAR sector and gas, from Solazzo et al. (2021).

The table gives 95 % half-widths per country, IPCC 2006 category and gas (CO2, CH4, N2O) for 2015. Categories map to
EDGAR's eight booklet sectors through ``data/ipcc_to_edgar.csv``; several categories of one sector combine as a sum of
independent errors, IPCC (2006) Approach 1 (the table's categories are already the level at which Solazzo et al.
treat errors as independent; correlation between countries is added by the sampling, :mod:`engine.uncertainty.draws`). Where a country has no row for a sector and gas, the range comes from,
in order (the ``method`` column says which):

1. ``table`` — the country's own rows for that sector;
2. ``combustion proxy`` — for a fuel-combustion sector (power, industrial combustion, transport, buildings), the
   combined range of the country's combustion rows of the gas (the table gives CO2 by 1.A.1–1.A.3 but no
   1.A.4 for buildings, and CH4 and N2O only for 1.A as a whole);
3. ``country mean`` — the combined range of all the country's rows of the gas;
4. ``continent median`` — for a country missing from the table, the median of its continent's countries for that
   sector and gas (``global median`` if the continent has none);
5. ``bunkers`` — international aviation and shipping take the combined range of every country's transport rows.

Each relative range is held fixed for every year (only 2015 is published). F-gases are not in the table: they get the
global range of IPCC AR6 WGIII Ch. 2 (:data:`engine.uncertainty.parameters`).

References
----------
1. Solazzo, E. et al. (2021) Atmos. Chem. Phys. 21:5655-5683, doi:10.5194/acp-21-5655-2021.
2. Minx, J. C. et al. (2021) Earth Syst. Sci. Data 13:5213-5252, doi:10.5194/essd-13-5213-2021 (AR6 WGIII Ch. 2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.core.config import AUTHORED_DIR
from engine.sources.edgar import SECTORS as EDGAR_SECTORS

TABLE_GASES = ("CO2", "CH4", "N2O")
COMBUSTION = ("Power Industry", "Industrial Combustion", "Transport", "Buildings")
METHODS = ("table", "combustion proxy", "country mean", "continent median", "global median", "bunkers")
BUNKERS = "BUNKERS"


def concordance() -> pd.DataFrame:
    """``data/ipcc_to_edgar.csv``: IPCC 2006 category -> EDGAR booklet sector."""
    return pd.read_csv(AUTHORED_DIR / "ipcc_to_edgar.csv")


def _combine(d: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The relative half-widths of a sum of independent categories per group, IPCC (2006) Vol. 1 Ch. 3 Approach 1
    (Eq. 3.1): ``U = sqrt(Σ (e_i U_i)²) / Σ e_i``, for the lower and the upper half-width (categories weighted
    equally where a group's emissions are 0)."""
    w = d["emission_kt_co2e"].clip(lower=0)
    zero = w.groupby([d[k] for k in keys]).transform("sum") <= 0
    w = w.where(~zero, 1.0)
    g = pd.DataFrame({"w": w, "lo": (d["rel_lo"] * w) ** 2, "hi": (d["rel_hi"] * w) ** 2}).groupby(
        [d[k] for k in keys]).sum()
    return pd.DataFrame({"rel_lo": np.sqrt(g["lo"]) / g["w"], "rel_hi": np.sqrt(g["hi"]) / g["w"]})


def sector_ranges(solazzo: pd.DataFrame, lines, continent_of: dict[str, str],
                  concord: pd.DataFrame | None = None) -> pd.DataFrame:
    """95 % relative half-widths for every ledger line × EDGAR sector × gas (CO2, CH4, N2O).

    Parameters
    ----------
    solazzo : DataFrame
        :func:`engine.sources.solazzo.parse_uncertainty`.
    lines : iterable of str
        Ledger lines (EDGAR entities, ``BUNKERS``).
    continent_of : dict
        ISO3 -> continent (``data/continents.csv``).

    Returns
    -------
    DataFrame
        ``line, sector, gas, rel_lo, rel_hi, method`` [1, 1, text], one row per line, sector and gas.

    Raises
    ------
    ValueError
        When the table has an IPCC category the concordance does not map.
    """
    concord = concordance() if concord is None else concord
    unknown = sorted(set(solazzo["ipcc"]) - set(concord["ipcc"]))
    if unknown:
        raise ValueError(f"data/ipcc_to_edgar.csv does not map the IPCC categories {', '.join(unknown)}")
    t = solazzo.merge(concord[["ipcc", "edgar_sector"]], on="ipcc")
    own = _combine(t, ["iso3", "edgar_sector", "gas"])
    comb = _combine(t[t["edgar_sector"].isin(COMBUSTION)], ["iso3", "gas"])
    whole = _combine(t, ["iso3", "gas"])
    # bunkers: the global transport range of each gas (all combustion where a gas has no transport row)
    transport = _combine(t[t["edgar_sector"] == "Transport"], ["gas"])
    combustion = _combine(t[t["edgar_sector"].isin(COMBUSTION)], ["gas"])
    bunk = transport.reindex(list(TABLE_GASES)).fillna(combustion)
    in_table = set(t["iso3"])
    lines = list(lines)
    out = pd.MultiIndex.from_product([lines, EDGAR_SECTORS, TABLE_GASES], names=["line", "sector", "gas"]).to_frame(
        index=False)
    out["rel_lo"] = np.nan
    out["rel_hi"] = np.nan
    out["method"] = ""

    def fill(mask: pd.Series, values: pd.DataFrame, how: str) -> None:
        todo = mask & (out["method"] == "")
        keys = out.loc[todo, list(values.index.names)]
        target = (pd.MultiIndex.from_frame(keys) if keys.shape[1] > 1 else pd.Index(keys.iloc[:, 0]))
        got = values.reindex(target)
        ok = got["rel_lo"].notna().to_numpy()
        idx = out.index[todo][ok]
        out.loc[idx, ["rel_lo", "rel_hi"]] = got[ok].to_numpy()
        out.loc[idx, "method"] = how

    is_bunk = out["line"] == BUNKERS
    fill(is_bunk, bunk.rename_axis("gas"), "bunkers")
    own.index = own.index.set_names(["line", "sector", "gas"])
    comb.index = comb.index.set_names(["line", "gas"])
    whole.index = whole.index.set_names(["line", "gas"])
    fill(~is_bunk, own, "table")
    fill(~is_bunk & out["sector"].isin(COMBUSTION), comb, "combustion proxy")
    fill(~is_bunk, whole, "country mean")
    known = out[out["method"] != ""].copy()
    known["continent"] = known["line"].map(continent_of)
    by_cont = known.groupby(["continent", "sector", "gas"])[["rel_lo", "rel_hi"]].median()
    glob = known.groupby(["sector", "gas"])[["rel_lo", "rel_hi"]].median()
    out["continent"] = out["line"].map(continent_of)
    fill(out["continent"].notna(), by_cont, "continent median")
    fill(pd.Series(True, index=out.index), glob, "global median")
    out = out.drop(columns="continent")
    out[["rel_lo", "rel_hi"]] = out[["rel_lo", "rel_hi"]].astype(float)
    out.attrs["missing_countries"] = sorted(str(c) for c in set(lines) - in_table - {BUNKERS})
    return out


def distribution(rel_lo: np.ndarray, rel_hi: np.ndarray, lognormal_above: float) -> tuple[np.ndarray, np.ndarray]:
    """(sigma, lognormal flag) of each 95 % range.

    Normal where the range is symmetric and at most ``lognormal_above``: ``sigma = half-width / 1.96`` [1].
    Lognormal otherwise (wide or asymmetric, as Solazzo et al. 2021), with the log-scale ``sigma`` from the interval:
    an asymmetric range ``[1 − lo, 1 + hi]`` gives ``(ln(1 + hi) − ln(1 − lo)) / (2 × 1.96)``; a symmetric one is read
    as an uncertainty factor, ``[1/(1 + u), 1 + u]`` (IPCC 2006 Vol. 1 Ch. 3; a lower bound of −314 % cannot be meant
    literally), giving ``ln(1 + u) / 1.96``. The draws are scaled so that their mean is the inventory value, so for
    wide ranges the median lies below it.
    """
    lo_raw = np.asarray(rel_lo, dtype=float)
    hi = np.asarray(rel_hi, dtype=float)
    asym = np.abs(hi - lo_raw) > 0.01 * np.maximum(hi, 1e-9)
    logn = (hi > lognormal_above) | asym
    lo = np.minimum(lo_raw, 0.95)
    two_sided = (np.log1p(hi) - np.log1p(-lo)) / (2 * 1.96)
    factor = np.log1p(hi) / 1.96
    sigma = np.where(logn, np.where(asym & (lo_raw < 0.95), two_sided, factor), (lo + hi) / 2 / 1.96)
    return sigma, logn
