"""Validation of the ledger and the maps against invariants and published accounts: the figures of
``docs/validation.md``.

:func:`results` computes every figure; ``python -m engine validate`` prints them as JSON, and
``python -m components.render.report`` writes them as the Markdown report (presentation is not the engine's). Tests
assert the same figures, so the report and the test suite cannot drift apart.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from engine.accounts.headline import headline
from engine.accounts.ledger import MRIO_YEARS, Accounts
from engine.core.query import Query

LARGE_ECONOMIES = ("CHN", "USA", "JPN", "DEU", "GBR", "FRA", "IND")
GCB_YEARS = range(MRIO_YEARS[0], 2022)
#: Published context (REFERENCES.md): WIOD-2013 MRIO with the JRC sector CO2 account, 2011, CO2.
WIOD_JRC_2011_PCT = {"CHN": -17.0, "USA": 16.0, "JPN": 19.0}


def world_balance(accounts: Accounts, years=range(MRIO_YEARS[0], 2024)) -> pd.DataFrame:
    """World production vs consumption per year for all gases (AR5) and CO2 only [Mt CO2e], relative error [1]."""
    rows = []
    for y in years:
        for gases in (("CO2", "CH4", "N2O", "F-gases"), ("CO2",)):
            w = accounts.world_check(Query(year=y, gases=gases))
            rows.append({"year": y, "gases": "+".join(gases), **w})
    return pd.DataFrame(rows)


def gcb_comparison(accounts: Accounts, years=GCB_YEARS) -> pd.DataFrame:
    """Holocarbon vs GCB 2024 consumption/production ratios, CO2 only, on GCB's boundary (bunker fuel removed).

    Returns
    -------
    DataFrame
        ``iso3, year, method, holocarbon_pct, gcb_pct, diff_pp, hold2011_pct`` where ``hold2011_pct`` is the naive
        baseline of holding each country's 2011 ratio (nowcast years only) [%].
    """
    gt = accounts.pack.table("gcb_territorial")
    gc = accounts.pack.table("gcb_consumption")
    m = gt.merge(gc, on=["iso3", "year"], suffixes=("_t", "_c"))
    gcb = (100 * (m["emissions_mt_co2_c"] / m["emissions_mt_co2_t"] - 1)).set_axis(
        pd.MultiIndex.from_frame(m[["iso3", "year"]]))
    countries = [r for r in accounts.mrio_regions() if r != "ROW"]
    rows, base = [], {}
    for y in years:
        led = accounts.ledger(Query(year=y, gases=("CO2",))).set_index("region")
        for r in countries:
            if (r, y) not in gcb.index:
                continue
            p, c, b = led.loc[r, ["production_mt_co2e", "consumption_mt_co2e", "bunkers_in_consumption_mt_co2e"]]
            pct = 100 * ((c - b) / p - 1)
            if y == MRIO_YEARS[1]:
                base[r] = pct
            rows.append({"iso3": r, "year": y, "method": led.loc[r, "method"], "holocarbon_pct": pct,
                         "gcb_pct": float(gcb[(r, y)])})
    out = pd.DataFrame(rows)
    out["diff_pp"] = out["holocarbon_pct"] - out["gcb_pct"]
    out["hold2011_pct"] = np.where(out["method"] == "nowcast", out["iso3"].map(base), np.nan)
    return out


def summarise(cmp: pd.DataFrame) -> dict:
    """Median and worst absolute differences [pp] overall, per method and per large economy."""
    a = cmp.assign(abs_pp=cmp["diff_pp"].abs())
    now = a[a["method"] == "nowcast"]
    out = {
        "all": {"median": float(a["abs_pp"].median()), "worst": float(a["abs_pp"].max()),
                "worst_at": a.loc[a["abs_pp"].idxmax(), ["iso3", "year"]].tolist()},
        "by_method": {m: {"median": float(d["abs_pp"].median()), "worst": float(d["abs_pp"].max())}
                      for m, d in a.groupby("method")},
        "nowcast_vs_hold2011": {"holocarbon_median": float(now["abs_pp"].median()),
                                "hold2011_median": float((now["hold2011_pct"] - now["gcb_pct"]).abs().median())},
        "large": {r: {"median": float(d["abs_pp"].median()), "worst": float(d["abs_pp"].max())}
                  for r, d in a[a["iso3"].isin(LARGE_ECONOMIES)].groupby("iso3")},
    }
    return out


def cdiac_comparison(grids, years=range(1990, 2014)) -> pd.DataFrame:
    """Holocarbon's fossil CO2 grid (EDGAR CO2, all sectors, downscaled) vs CDIAC NDP-058, both at 1°.

    Returns
    -------
    DataFrame
        per year: ``pearson_r_log10`` — Pearson r of log10(1 + t CO2) over cells where either grid is non-zero;
        ``top_decile_overlap_cells`` — cells in both grids' top decile (of their non-zero cells);
        ``mass_share_holocarbon``, ``mass_share_cdiac`` — each grid's share of its own mass that lies in those
        shared top-decile cells [1]; ``holocarbon_gt``, ``cdiac_gt`` — totals [Gt CO2].
    """
    from engine.core.units import C_TO_CO2, MASS_IN_T, T_PER_GT

    cd = grids.pack.grid("cdiac_fossil_co2")
    rows = []
    for y in years:
        ours = grids.emissions(Query(year=y, gases=("CO2",))).values.astype(np.float64)
        ours1 = ours.reshape(180, 10, 360, 10).sum(axis=(1, 3))
        ref = cd.sel(year=y).values.astype(np.float64) * MASS_IN_T["Tg"] * C_TO_CO2  # Tg C -> t CO2
        either = (ours1 > 0) | (ref > 0)
        r = float(np.corrcoef(np.log10(1 + ours1[either]), np.log10(1 + ref[either]))[0, 1])
        top_o = ours1 >= np.quantile(ours1[ours1 > 0], 0.9)
        top_r = ref >= np.quantile(ref[ref > 0], 0.9)
        both = top_o & top_r & (ours1 > 0) & (ref > 0)
        rows.append({"year": y, "pearson_r_log10": r, "top_decile_overlap_cells": int(both.sum()),
                     "mass_share_holocarbon": float(ours1[both].sum() / ours1.sum()),
                     "mass_share_cdiac": float(ref[both].sum() / ref.sum()),
                     "holocarbon_gt": float(ours1.sum() / T_PER_GT), "cdiac_gt": float(ref.sum() / T_PER_GT)})
    return pd.DataFrame(rows)


def results(accounts: Accounts) -> dict:
    """Every figure of the validation report.

    Returns
    -------
    dict
        ``pack`` (key), ``world_balance``, ``gcb`` (per country-year), ``summary`` (:func:`summarise`),
        ``reference_2011`` (Holocarbon vs the published WIOD+JRC context), ``large`` (large economies), ``headline``,
        ``sink_top10`` (shares of the land sink), ``cdiac`` (:func:`cdiac_comparison`), ``seconds``.
    """
    from engine.maps.grids import Grids

    t0 = time.perf_counter()
    cdiac = cdiac_comparison(Grids(accounts))
    wb = world_balance(accounts)
    cmp = gcb_comparison(accounts)
    s = summarise(cmp)
    ref = accounts.ledger(Query(year=2011, gases=("CO2",))).set_index("region")
    ref_rows = pd.DataFrame([{"region": r, "holocarbon_pct (incl. bunker fuel)": float(ref.loc[r, "adjustment_pct"]),
                              "WIOD+JRC published context": v} for r, v in WIOD_JRC_2011_PCT.items()])
    large = pd.DataFrame([{"region": r, "median abs diff (pp)": v["median"], "worst abs diff (pp)": v["worst"]}
                          for r, v in s["large"].items()])
    sink = accounts.sink_shares().sort_values(ascending=False).head(10)
    return {"pack": accounts.pack.key, "world_balance": wb, "gcb": cmp, "summary": s, "reference_2011": ref_rows,
            "large": large, "headline": headline(accounts),
            "sink_top10": pd.DataFrame({"region": sink.index, "share_pct": 100 * sink.values}), "cdiac": cdiac,
            "gcb_years": (GCB_YEARS.start, GCB_YEARS.stop - 1), "seconds": time.perf_counter() - t0}
