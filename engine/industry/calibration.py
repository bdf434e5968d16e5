"""Country calibration: production, route shares and grid intensity per country and year, the route inputs they give,
the modelled direct emissions of steel, cement and aluminium, and their check against EDGAR.

Inputs (pack items): ``industry_production`` (worldsteel crude steel 2000-2018 and pig iron 2010-2019, USGS cement
1998-2017, USGS/CEDS primary aluminium to 2021), ``ember_owid_electricity_carbon_intensity`` (2000-2024) and
``ember_owid_electricity_generation``; ``edgar_ghg_by_sector`` for the check.

Rules:

- **Years outside a series** take the nearest year of that country's series (ties: the earlier year); the source
  year is kept (``*_year`` columns) and the row is flagged.
- **BF-BOF share** = pig iron / crude steel (pig iron is almost all charged to basic oxygen furnaces). Above 1 it
  is clipped to 1 and flagged (pig iron also goes to foundries and is traded); a country with crude steel but no
  pig-iron series is taken as EAF only and flagged (the pig-iron table lists the countries with blast furnaces).
- **DRI caveat**: EAF steel is scrap-based except in :data:`DRI_COUNTRIES` (India, Iran, the Middle East and North
  Africa), where the pack has no DRI series: the DRI share of their EAF steel is drawn uniformly over 0-1
  (parameter ``eaf_dri_share_caveat``); Indian DRI is 79 % coal-based, DRI elsewhere gas-based.
- **Grid intensity**: Ember's life-cycle carbon intensity of electricity (g CO2e/kWh) of the country, times the
  parameter ``grid_factor`` (combustion vs life-cycle basis); a country without a value takes the world's (flagged).
  ``clean_share`` is the low-carbon share of generation (nuclear, hydro, wind, solar, other renewables, bioenergy).
- **Ammonia and hydrogen**: coal-based in China in the shares of the parameter table, gas-based elsewhere.

Modelled national direct emissions [Mt CO2e]: crude steel × (route-mix chain direct + reheating per t crude),
cement × (national clinker ratio × clinker direct), primary aluminium × smelting direct (anode, PFC, other fuels;
alumina refining excluded: refineries often sit in another country). EDGAR's ``Processes`` + ``Industrial
Combustion`` (all gases) of the same country and year is the denominator of the coverage ratio; it covers every
manufacturing industry, so a ratio well below 1 is expected (chemicals, food, paper, other minerals and metals).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.industry import routes

#: Countries whose EAF steel may be largely DRI-based (India, Iran, Middle East and North Africa).
DRI_COUNTRIES = ("IND", "IRN", "SAU", "EGY", "ARE", "QAT", "OMN", "BHR", "KWT", "LBY", "DZA", "MAR", "TUN",
                 "IRQ", "JOR")
#: Generation sources counted as low-carbon for ``clean_share``.
CLEAN_SOURCES = ("nuclear", "hydro", "wind", "solar", "other_renewables", "bioenergy")
#: Commodities of ``industry_production`` -> calibration column prefix.
COMMODITIES = {"crude_steel": "crude_steel", "pig_iron": "pig_iron", "cement": "cement",
               "primary_aluminium": "aluminium"}
#: EDGAR sectors the modelled direct emissions are checked against.
EDGAR_SECTORS = ("Processes", "Industrial Combustion")
#: Default calibration year: the last year every production series has (crude steel ends in 2018).
DEFAULT_YEAR = 2018


def nearest_year(long: pd.DataFrame, value: str, year: int) -> pd.DataFrame:
    """Each country's value at ``year``, or at the nearest year of its series (ties: the earlier year).

    Parameters
    ----------
    long : DataFrame
        Columns ``iso3``, ``year`` and ``value``.

    Returns
    -------
    DataFrame
        Indexed by ``iso3``: ``value`` [unit of the input] and ``source_year``.
    """
    d = long.dropna(subset=[value])
    if d.empty:
        return pd.DataFrame({value: [], "source_year": []}, index=pd.Index([], name="iso3"))
    dist = (d["year"] - year).abs() * 2 + (d["year"] > year)  # ties go to the earlier year
    pick = d.assign(_d=dist.to_numpy()).sort_values(["iso3", "_d"]).drop_duplicates("iso3")
    return pd.DataFrame({value: pick[value].to_numpy(dtype=float), "source_year": pick["year"].to_numpy(dtype=int)},
                        index=pd.Index(pick["iso3"].astype(str), name="iso3"))


def clean_shares(generation: pd.DataFrame) -> pd.DataFrame:
    """Low-carbon share of generation per country and year [1] (columns ``iso3``, ``year``, ``clean_share``)."""
    g = generation[~generation["is_world"]] if "is_world" in generation else generation
    wide = g.pivot_table(index=["iso3", "year"], columns="source", values="generation_twh", aggfunc="sum")
    total = wide.sum(axis=1)
    clean = wide.reindex(columns=list(CLEAN_SOURCES)).fillna(0.0).sum(axis=1)
    share = (clean / total.where(total > 0)).rename("clean_share")
    return share.reset_index().dropna(subset=["clean_share"])


def calibrate(production: pd.DataFrame, intensity: pd.DataFrame, generation: pd.DataFrame | None, year: int,
              countries=None) -> pd.DataFrame:
    """Per-country inputs of the routes for one year (see the module docstring for the rules).

    Parameters
    ----------
    production : DataFrame
        ``industry_production`` (iso3, region_type, year, commodity, production_kt).
    intensity : DataFrame
        ``ember_owid_electricity_carbon_intensity`` (iso3, is_world, year, intensity_g_co2e_per_kwh).
    generation : DataFrame or None
        ``ember_owid_electricity_generation`` (for ``clean_share``); None leaves it empty.
    year : int
        Calibration year.
    countries : iterable of str, optional
        Countries to calibrate (default: every country with production data).

    Returns
    -------
    DataFrame
        Indexed by ``iso3``: ``crude_steel_kt``, ``pig_iron_kt``, ``cement_kt``, ``aluminium_kt`` [kt] and their
        ``*_year``; ``bf_bof_share`` [1] with ``bf_bof_flag`` (``ok``, ``clipped``, ``no pig iron``,
        ``no steel``); ``dri_caveat`` (bool); ``grid_g_co2e_per_kwh`` [g CO2e kWh⁻¹] with ``grid_year`` and
        ``grid_flag``; ``clean_share`` [1] with ``clean_share_year``; ``flags`` (text, "" when nothing was
        carried, clipped or filled). ``attrs``: year, units, method notes.
    """
    prod = production[production["region_type"] == "country"] if "region_type" in production else production
    parts = {}
    for commodity, col in COMMODITIES.items():
        d = prod.loc[prod["commodity"] == commodity, ["iso3", "year", "production_kt"]]
        parts[col] = nearest_year(d, "production_kt", year)
    idx = sorted(set().union(*(p.index for p in parts.values())) if countries is None else
                 {str(c).upper() for c in countries})
    out = pd.DataFrame(index=pd.Index(idx, name="iso3"))
    flags: dict[str, list[str]] = {c: [] for c in idx}
    for col, p in parts.items():
        p = p.reindex(idx)
        out[f"{col}_kt"] = p["production_kt"].fillna(0.0)
        out[f"{col}_year"] = p["source_year"].astype("Int64")
        for c, y in p["source_year"].dropna().items():
            if int(y) != year:
                flags[c].append(f"{col} carried from {int(y)}")
    steel, pig = out["crude_steel_kt"], out["pig_iron_kt"]
    has_pig = out["pig_iron_year"].notna()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(steel > 0, pig / steel.where(steel > 0), np.nan)
    share = np.clip(np.nan_to_num(ratio, nan=0.0), 0.0, 1.0)
    flag = np.select([steel <= 0, ~has_pig, ratio > 1], ["no steel", "no pig iron", "clipped"], "ok")
    out["bf_bof_share"] = np.where(steel > 0, share, np.nan)
    out["bf_bof_flag"] = flag
    for c, f, r in zip(idx, flag, ratio):
        if f == "clipped":
            flags[c].append(f"pig iron / crude steel = {r:.2f} > 1: BF-BOF share clipped to 1")
        elif f == "no pig iron":
            flags[c].append("no pig-iron series: crude steel taken as EAF only")
    out["dri_caveat"] = out.index.isin(DRI_COUNTRIES)
    for c in out.index[out["dri_caveat"] & (steel > 0)]:
        flags[c].append("DRI country: the DRI share of EAF steel is unknown (drawn 0-1)")
    ints = intensity[~intensity["is_world"]] if "is_world" in intensity else intensity
    gi = nearest_year(ints[["iso3", "year", "intensity_g_co2e_per_kwh"]], "intensity_g_co2e_per_kwh", year)
    world = intensity[intensity["iso3"] == "WLD"]
    wv = nearest_year(world[["iso3", "year", "intensity_g_co2e_per_kwh"]], "intensity_g_co2e_per_kwh", year)
    gi = gi.reindex(idx)
    missing = gi["intensity_g_co2e_per_kwh"].isna()
    w_val = float(wv["intensity_g_co2e_per_kwh"].iloc[0]) if len(wv) else np.nan
    w_year = int(wv["source_year"].iloc[0]) if len(wv) else pd.NA
    out["grid_g_co2e_per_kwh"] = gi["intensity_g_co2e_per_kwh"].fillna(w_val)
    out["grid_year"] = gi["source_year"].astype("Int64").where(~missing, w_year)
    out["grid_flag"] = np.where(missing, "world", "country")
    for c in out.index[missing]:
        flags[c].append("no Ember grid intensity: world value used")
    for c, y in gi["source_year"].dropna().items():
        if int(y) != year:
            flags[c].append(f"grid intensity carried from {int(y)}")
    if generation is not None:
        cs = nearest_year(clean_shares(generation), "clean_share", year).reindex(idx)
        out["clean_share"] = cs["clean_share"]
        out["clean_share_year"] = cs["source_year"].astype("Int64")
    else:
        out["clean_share"] = np.nan
        out["clean_share_year"] = pd.array([pd.NA] * len(idx), dtype="Int64")
    out["flags"] = ["; ".join(flags[c]) for c in idx]
    out.attrs.update(year=int(year), units={"*_kt": "kt", "grid_g_co2e_per_kwh": "g CO2e/kWh (Ember, life cycle)",
                                            "bf_bof_share": "1", "clean_share": "1"},
                     method="nearest year of each series; BF-BOF share = pig iron / crude steel, clipped to 0-1")
    return out


def route_inputs(calib: pd.DataFrame, p) -> routes.RouteInputs:
    """The :class:`~engine.industry.routes.RouteInputs` of every calibrated country, as arrays of shape
    ``(countries, 1)`` (or ``(countries, draws)`` where a parameter enters) that broadcast with the draws ``p``.

    Steel: BF-BOF share from the calibration; the rest EAF, of which a share is DRI (``eaf_dri_share_caveat`` in
    :data:`DRI_COUNTRIES`, ``eaf_dri_share_other`` elsewhere), coal-based in India (``dri_coal_share_ind``).
    """
    col = lambda a: np.asarray(a, dtype=float)[:, None]  # noqa: E731 - a country axis
    iso = calib.index.to_numpy(dtype=str)
    bf = col(calib["bf_bof_share"].fillna(0.0))
    caveat = col(calib["dri_caveat"].astype(float)) > 0
    dri_share = np.where(caveat, p["eaf_dri_share_caveat"], p["eaf_dri_share_other"])
    coal = np.where(col(iso == "IND") > 0, p["dri_coal_share_ind"], 0.0)
    eaf = 1.0 - bf
    shares = {"bf_bof": bf + 0.0 * dri_share, "dri_gas": eaf * dri_share * (1 - coal),
              "dri_coal": eaf * dri_share * coal, "scrap_eaf": eaf * (1 - dri_share)}
    chn = col(iso == "CHN") > 0
    return routes.RouteInputs(
        grid=routes.grid_factor(col(calib["grid_g_co2e_per_kwh"]), p["grid_factor"]),
        steel_shares=shares, dri_reductant_coal=coal + 0.0 * dri_share,
        nh3_coal_share=np.where(chn, p["nh3_coal_share_chn"], 0.0),
        h2_coal_share=np.where(chn, p["h2_coal_share_chn"], 0.0))


def national_direct(calib: pd.DataFrame, products: dict[str, routes.Emissions], p) -> dict[str, np.ndarray]:
    """Modelled direct emissions of steel, cement and primary aluminium per country [Mt CO2e].

    Returns
    -------
    dict
        ``steel``, ``cement``, ``aluminium``, ``total``: arrays of shape (countries,) or (countries, draws).
    """
    kt = lambda c: np.asarray(calib[c], dtype=float)[:, None]  # noqa: E731
    rolled = products["steel_product"].chain_direct / p["steel_product_yield"]  # per t crude, reheating included
    out = {"steel": kt("crude_steel_kt") * rolled / 1000.0,
           "cement": kt("cement_kt") * products["cement"].chain_direct / 1000.0,
           "aluminium": kt("aluminium_kt") * products["aluminium_primary"].chain_direct / 1000.0}
    n = max(np.shape(v)[-1] for v in out.values())
    out = {k: np.broadcast_to(v, (len(calib), n)) for k, v in out.items()}
    out["total"] = out["steel"] + out["cement"] + out["aluminium"]
    return out


def edgar_industry(edgar_by_sector: pd.DataFrame, year: int) -> pd.DataFrame:
    """EDGAR ``Processes`` and ``Industrial Combustion`` per country for one year, all gases [Mt CO2e, AR5].

    Returns
    -------
    DataFrame
        Indexed by ``iso3``: ``edgar_processes``, ``edgar_industrial_combustion``, ``edgar_industry`` (their sum).
    """
    e = edgar_by_sector
    d = e[(e["year"] == year) & ~e["is_aggregate"] & e["sector"].isin(EDGAR_SECTORS)]
    wide = d.pivot_table(index="iso3", columns="sector", values="emissions_mt_co2e", aggfunc="sum")
    wide = wide.reindex(columns=list(EDGAR_SECTORS)).fillna(0.0)
    out = pd.DataFrame({"edgar_processes": wide["Processes"], "edgar_industrial_combustion":
                        wide["Industrial Combustion"]})
    out["edgar_industry"] = out.sum(axis=1)
    out.index = out.index.astype(str)
    return out


def coverage(modelled: dict[str, np.ndarray], central: dict[str, np.ndarray], calib: pd.DataFrame,
             edgar: pd.DataFrame, ci: int = 90) -> pd.DataFrame:
    """Modelled direct emissions against EDGAR per country, with Monte Carlo intervals.

    Parameters
    ----------
    modelled : dict
        :func:`national_direct` on the draws (arrays (countries, draws)).
    central : dict
        :func:`national_direct` at the central parameters (arrays (countries, 1)).
    edgar : DataFrame
        :func:`edgar_industry`.
    ci : int
        Interval level [%].

    Returns
    -------
    DataFrame
        One row per country: production [kt], ``steel_mt``, ``cement_mt``, ``aluminium_mt``, ``modelled_mt`` and
        ``modelled_mt_lo``/``_hi`` [Mt CO2e], EDGAR columns [Mt CO2e], ``coverage`` = modelled / EDGAR
        Processes + Industrial Combustion [1] with ``coverage_lo``/``_hi``, ``bf_bof_share``, ``flags``; sorted by
        ``modelled_mt`` (largest first).
    """
    from engine.uncertainty.sampling import interval

    lo, hi = interval(modelled["total"], ci, axis=1)
    out = pd.DataFrame(index=calib.index)
    for c in ("crude_steel_kt", "cement_kt", "aluminium_kt", "bf_bof_share"):
        out[c] = calib[c]
    for k in ("steel", "cement", "aluminium"):
        out[f"{k}_mt"] = central[k][:, 0]
    out["modelled_mt"] = central["total"][:, 0]
    out["modelled_mt_lo"], out["modelled_mt_hi"] = lo, hi
    out = out.join(edgar, how="left")
    den = out["edgar_industry"].where(out["edgar_industry"] > 0)
    out["coverage"] = out["modelled_mt"] / den
    out["coverage_lo"] = out["modelled_mt_lo"] / den
    out["coverage_hi"] = out["modelled_mt_hi"] / den
    out["flags"] = calib["flags"]
    out = out.sort_values("modelled_mt", ascending=False)
    out.attrs.update(year=calib.attrs.get("year"), ci=ci, units={"*_mt*": "Mt CO2e (AR5)", "*_kt": "kt",
                                                                 "coverage*": "1"},
                     method="modelled direct emissions of steel, cement and primary aluminium / EDGAR Processes + "
                            "Industrial Combustion (all gases) of the same country and year")
    return out
