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


def results(accounts: Accounts, with_uncertainty: bool = True) -> dict:
    """Every figure of the validation report.

    Returns
    -------
    dict
        ``pack`` (key), ``world_balance``, ``gcb`` (per country-year), ``summary`` (:func:`summarise`),
        ``reference_2011`` (Holocarbon vs the published WIOD+JRC context), ``large`` (large economies), ``headline``,
        ``sink_top10`` (shares of the land sink), ``cdiac`` (:func:`cdiac_comparison`), ``uncertainty``
        (:func:`uncertainty_results`, None without ``with_uncertainty``), ``industry`` (:func:`industry_results`),
        ``green`` (:func:`green_results`),
        ``seconds``.
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
    unc = None
    if with_uncertainty:
        from engine.uncertainty.propagate import Uncertainty

        unc = uncertainty_results(Uncertainty(accounts))
    industry = industry_results(accounts)
    green = green_results(accounts)
    return {"industry": industry, "green": green, "uncertainty": unc, "pack": accounts.pack.key, "world_balance": wb, "gcb": cmp, "summary": s, "reference_2011": ref_rows,
            "large": large, "headline": headline(accounts),
            "sink_top10": pd.DataFrame({"region": sink.index, "share_pct": 100 * sink.values}), "cdiac": cdiac,
            "gcb_years": (GCB_YEARS.start, GCB_YEARS.stop - 1), "seconds": time.perf_counter() - t0}


# ---- uncertainty -----------------------------------------------------------------------------------------------
#: IPCC AR6 WGIII Ch. 2 (Minx et al. 2021, ESSD 13:5213), 2019, 90 % intervals as ± % of the central value.
AR6_2019_HALF_WIDTH_PCT = {"CO2": 8.0, "CH4": 30.0, "N2O": 60.0, "F-gases": 30.0}
#: Schulte, Jakobs & Pauliuk (2024), ESSD 16:2669: median coefficient of variation of national emissions [%].
SCHULTE_MEDIAN_CV_PCT = {"CO2": 4.0, "CH4": 12.0, "N2O": 33.0}
#: Rodrigues et al. (2018), ES&T 52:7577: national consumption-based accounts, relative standard deviation [%].
RODRIGUES_CBA_CV_PCT = (2.0, 16.0)
#: Solazzo et al. (2021) Fig. 5: 95 % half-widths of power-sector CO2 (IPCC 1.A.1, the only category that maps to
#: EDGAR's Power Industry) [%].
SOLAZZO_POWER_CO2_95_PCT = {"CHN": 10.7, "USA": 3.6}
UNCERTAINTY_YEAR_WORLD = 2019
UNCERTAINTY_YEAR_NATIONAL = 2015
UNCERTAINTY_YEAR_CBA = 2011


def _gas_draws_by_line(unc, year: int, params=None) -> tuple[np.ndarray, np.ndarray]:
    """(line codes, production draws per line and gas (draws, lines, 4) [Mt CO2e AR5]); with ``params`` the draws
    are made afresh (not cached) from those parameters."""
    from engine.core.query import GASES
    from engine.uncertainty.draws import emission_draws

    acc = unc.accounts
    codes, _, arr = acc.sector_year(year)
    if params is None:
        ed = unc.emission_draws()
    else:
        ed = emission_draws(unc.ranges(), unc._all_lines(), params)
    pos = ed.index()
    rows = np.array([pos[str(c)] for c in codes])
    out = np.stack([np.einsum("dls,ls->dl", ed.m[g][:, rows, :], arr[:, :, g].astype(np.float32))
                    for g in range(len(GASES))], axis=-1)
    return np.asarray(codes), out


def world_production_intervals(unc, year: int = UNCERTAINTY_YEAR_WORLD, ci: int = 90, params=None) -> pd.DataFrame:
    """World production (EDGAR, bunker fuel included) by gas and in total: central, ``ci`` % interval, the relative
    bounds, the median of the draws against the central value, and AR6's half-width.

    Returns
    -------
    DataFrame
        ``gas, central_mt, lo_mt, hi_mt, minus_pct, plus_pct, half_width_pct, median_vs_central_pct,
        ar6_half_width_pct`` [Mt CO2e AR5, %].
    """
    from engine.core.query import GASES
    from engine.uncertainty.sampling import interval

    _, draws = _gas_draws_by_line(unc, year, params)
    _, _, arr = unc.accounts.sector_year(year)
    central = arr.sum(axis=(0, 1))  # per gas
    world = draws.sum(axis=1).astype(float)  # (draws, 4)
    rows = []
    for g, gas in enumerate(GASES):
        rows.append((gas, float(central[g]), world[:, g]))
    rows.append(("all GHGs", float(central.sum()), world.sum(axis=1)))
    out = []
    for gas, c, x in rows:
        lo, hi = interval(x, ci)
        out.append({"gas": gas, "central_mt": c, "lo_mt": float(lo), "hi_mt": float(hi),
                    "minus_pct": 100 * (1 - float(lo) / c), "plus_pct": 100 * (float(hi) / c - 1),
                    "half_width_pct": 50 * (float(hi) - float(lo)) / c,
                    "median_vs_central_pct": 100 * (float(np.median(x)) / c - 1),
                    "ar6_half_width_pct": AR6_2019_HALF_WIDTH_PCT.get(gas, np.nan)})
    frame = pd.DataFrame(out)
    frame.attrs.update(year=year, ci=ci)
    return frame


def independent_parameters(params):
    """The same parameters with the correlations dropped: no emission-factor variance shared between countries."""
    from engine.uncertainty.parameters import Parameters

    return Parameters({**params.values, "shared_ef_variance_co2": 0.0, "shared_ef_variance_ch4": 0.0,
                       "shared_ef_variance_n2o": 0.0}, params.sources)


def national_cv(unc, year: int = UNCERTAINTY_YEAR_NATIONAL) -> pd.DataFrame:
    """The median coefficient of variation of national production by gas over the countries that emit the gas
    (bunker fuel and EDGAR's unallocated entities left out), against Schulte et al. (2024).

    Returns
    -------
    DataFrame
        ``gas, median_cv_pct, countries, schulte_median_cv_pct``.
    """
    from engine.accounts.regions import BUNKERS
    from engine.core.query import GASES

    codes, draws = _gas_draws_by_line(unc, year)
    country = np.array([len(str(c)) == 3 and str(c) != BUNKERS and str(c).isalpha() and str(c) != "OTHER"
                        for c in codes])
    rows = []
    for g, gas in enumerate(GASES[:3]):
        x = draws[:, country, g].astype(float)
        mean = x.mean(axis=0)
        ok = mean > 0
        cv = 100 * x[:, ok].std(axis=0) / mean[ok]
        rows.append({"gas": gas, "median_cv_pct": float(np.median(cv)), "countries": int(ok.sum()),
                     "schulte_median_cv_pct": SCHULTE_MEDIAN_CV_PCT[gas]})
    return pd.DataFrame(rows)


def sector_check(unc, year: int = UNCERTAINTY_YEAR_NATIONAL) -> pd.DataFrame:
    """Power-sector CO2 of China and the USA at 95 %: the draws must give back Solazzo et al.'s published range
    (one IPCC category maps to EDGAR's Power Industry, so nothing is combined)."""
    q = Query(year=year, gases=("CO2",), ci=95)
    pi = unc.production_intervals(q, by=("region", "sector"), ci=95).set_index(["region", "sector"])
    prod = unc.accounts.production(q).groupby(["code", "sector"])["emissions_mt_co2e"].sum()
    rows = []
    for iso, published in SOLAZZO_POWER_CO2_95_PCT.items():
        lo, hi = pi.loc[(iso, "Power Industry"), ["emissions_lo", "emissions_hi"]]
        c = float(prod.loc[(iso, "Power Industry")])
        rows.append({"region": iso, "sector": "Power Industry", "gas": "CO2", "central_mt": c,
                     "minus_pct": 100 * (1 - lo / c), "plus_pct": 100 * (hi / c - 1), "solazzo_pct": published})
    return pd.DataFrame(rows)


def consumption_cv(unc, year: int = UNCERTAINTY_YEAR_CBA, regions=LARGE_ECONOMIES) -> pd.DataFrame:
    """Consumption accounts of the large economies: coefficient of variation and 90 % half-width of the draws (all
    inputs: emissions through the input–output model and the table's own errors), against Rodrigues et al. (2018).

    Returns
    -------
    DataFrame
        ``region, central_mt, cv_pct, half_width_90_pct``.
    """
    from engine.uncertainty.sampling import interval

    q = Query(year=year)
    led = unc.accounts.ledger(q).set_index("region")
    labels, draws = unc.region_draws(q)
    j = {str(r): i for i, r in enumerate(labels)}
    rows = []
    for r in regions:
        x = draws["consumption_mt_co2e"][:, j[r]].astype(float)
        c = float(led.loc[r, "consumption_mt_co2e"])
        lo, hi = interval(x, 90)
        rows.append({"region": r, "central_mt": c, "cv_pct": 100 * float(x.std()) / c,
                     "half_width_90_pct": 50 * float(hi - lo) / c})
    return pd.DataFrame(rows)


def monte_carlo_error(unc, sizes=(500, 1000, 2000), seeds: int = 6, gas: str = "CH4",
                      year: int = UNCERTAINTY_YEAR_WORLD) -> pd.DataFrame:
    """The Monte Carlo error of the world's 90 % upper bound for one gas: its standard deviation over ``seeds``
    independent seeds for each number of draws [% of the central value]; it should shrink about as 1/√n."""
    from engine.core.query import GASES
    from engine.uncertainty.parameters import Parameters

    g = GASES.index(gas)
    rows = []
    for n in sizes:
        bounds = []
        for s in range(seeds):
            p = Parameters({**unc.params.values, "draws": n, "seed": unc.params.seed + 1000 + s}, unc.params.sources)
            w = world_production_intervals(unc, year, params=p).set_index("gas")
            bounds.append(float(w.loc[gas, "plus_pct"]))
            del w
        rows.append({"draws": n, "gas": GASES[g], "upper_bound_mean_pct": float(np.mean(bounds)),
                     "upper_bound_sd_pct": float(np.std(bounds, ddof=1)), "seeds": seeds})
    return pd.DataFrame(rows)


def uncertainty_results(unc) -> dict:
    """Every uncertainty figure of the validation report (sources in the constants above).

    Returns
    -------
    dict
        ``world`` (:func:`world_production_intervals`), ``world_independent`` (the same without correlations),
        ``national_cv``, ``sector_check``, ``consumption`` (:func:`consumption_cv`), ``headline``
        (:func:`engine.uncertainty.propagate.headline_intervals`), ``convergence`` (China 2022),
        ``monte_carlo_error``, ``nowcast_sigma``, ``draws``, ``seed``, ``seconds``.
    """
    from engine.uncertainty.propagate import convergence, headline_intervals

    t0 = time.perf_counter()
    nowcast = unc.nowcast_sigma()
    return {"world": world_production_intervals(unc),
            "world_independent": world_production_intervals(unc, params=independent_parameters(unc.params)),
            "national_cv": national_cv(unc), "sector_check": sector_check(unc), "consumption": consumption_cv(unc),
            "headline": headline_intervals(unc), "convergence": convergence(unc, Query(year=2022), "CHN"),
            "monte_carlo_error": monte_carlo_error(unc),
            "nowcast_sigma": {"s_pp": nowcast["s"], "n": nowcast["n"],
                              "sigma_pp": {k: nowcast[k] for k in range(1, 13)}},
            "draws": unc.params.draws, "seed": unc.params.seed, "seconds": time.perf_counter() - t0}


# ---- industry and CBAM -------------------------------------------------------------------------------------------
#: Calibration year of the industry figures of the report (engine.industry.calibration.DEFAULT_YEAR).
INDUSTRY_YEAR = 2018


def industry_results(accounts: Accounts, year: int = INDUSTRY_YEAR, ci: int = 90) -> dict:
    """The industry figures of the report: modelled direct emissions of steel, cement and aluminium against EDGAR for
    the 20 largest producers, and the claim table (China and the ten largest exporters to the EU).

    Returns
    -------
    dict
        ``coverage`` (20 rows: ``iso3``, production [kt], modelled [Mt CO2e] with interval, EDGAR Processes +
        Industrial Combustion [Mt CO2e], ``coverage`` [1] with interval), ``claim`` (counts of verdicts per country
        and sector, :meth:`engine.industry.Industry.claim_summary`), ``claim_totals`` (per country: ``above``,
        ``inside``, ``below``, ``modelled``, ``share_above_pct``), ``exporters`` (the ranking), ``year``, ``ci``,
        ``method``, ``seconds``.
    """
    from engine.industry import Industry

    t0 = time.perf_counter()
    ind = Industry(accounts)
    cov = ind.top_producers(year, 20, ci).reset_index()
    cols = ["iso3", "crude_steel_kt", "cement_kt", "aluminium_kt", "modelled_mt", "modelled_mt_lo", "modelled_mt_hi",
            "edgar_industry", "coverage", "coverage_lo", "coverage_hi"]
    summary = ind.claim_summary(year, ci)
    totals = summary.groupby("iso3", sort=False)[["above", "inside", "below", "modelled"]].sum().reset_index()
    totals["share_above_pct"] = 100.0 * totals["above"] / totals["modelled"].where(totals["modelled"] > 0)
    return {"coverage": cov[cols], "claim": summary, "claim_totals": totals, "exporters": ind.exporters(10),
            "year": year, "ci": ci, "method": ind.coverage(year, ci).attrs.get("method", ""),
            "seconds": time.perf_counter() - t0}


# ---- green exports -----------------------------------------------------------------------------------------------
#: Export year of the green-exports section (the year of the CREA and CWEA figures).
GREEN_YEAR = 2024


def green_results(accounts: Accounts, year: int = GREEN_YEAR) -> dict:
    """The green-exports section of the report: :func:`engine.trade.report.green_markdown` (CREA solar reproduction,
    the verdict on the seed's "about 2 Mt vs about 350 Mt", the largest destinations).

    Returns
    -------
    dict
        ``markdown`` (the section, Markdown text), ``year``, ``seconds``.
    """
    from engine.trade import GreenExports
    from engine.trade.report import green_markdown

    t0 = time.perf_counter()
    text = green_markdown(GreenExports(accounts), year)
    return {"markdown": text, "year": year, "seconds": time.perf_counter() - t0}
