"""A small synthetic pack for unit tests: the same items and schemas as the real pack, made up, tiny and seeded, so
the engine's accounts, input–output maths and maps run in seconds without any source file.

The world: four countries — France and Germany as input–output regions, Italy and Spain inside the rest of the world
(``ROW``) — with international bunkers; an input–output table of 3 regions × the 35 WIOD sectors × 5 final-demand
categories for every WIOD year (1995–2011); EDGAR-like emissions 1970–2023 by sector and gas; GCB-like land-use change
and global sinks; JRC-like CO2 by industry; a 0.1° country raster with one rectangle per country. Every number is
synthetic: unit-test fixtures only, never shown to a user.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from engine.core.config import AUTHORED_DIR
from engine.core.query import GASES, LUC_MODELS
from engine.data.pack import MemoryPack
from engine.maps.gridmath import grid_centres
from engine.sources.edgar import SECTORS as EDGAR_SECTORS

REGIONS = ("FRA", "DEU", "ROW")
COUNTRIES = ("FRA", "DEU", "ITA", "ESP")
NAMES = {"FRA": "France", "DEU": "Germany", "ITA": "Italy", "ESP": "Spain", "BUNKERS_SEA": "International Shipping",
         "BUNKERS_AIR": "International Aviation"}
SECTORS = tuple(f"c{i}" for i in range(1, 36))
FD = ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
TABLE_YEARS = range(1995, 2012)
YEARS = range(1970, 2024)
#: lat/lon boxes of the countries' cells on the 0.1° raster (rough, made up).
BOXES = {"FRA": (43.0, 50.0, -4.0, 7.0), "DEU": (48.0, 54.0, 7.0, 14.0), "ITA": (38.0, 46.0, 8.0, 18.0),
         "ESP": (37.0, 43.0, -9.0, 3.0)}
POPULATION = {"FRA": 65e6, "DEU": 82e6, "ITA": 59e6, "ESP": 47e6}
GDP_KUSD = {"FRA": 2.5e9, "DEU": 3.4e9, "ITA": 1.9e9, "ESP": 1.3e9}


def _table(rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = len(REGIONS) * len(SECTORS)
    Z = rng.uniform(0.0, 20.0, (n, n)) * (rng.uniform(size=(n, n)) < 0.3)
    for r in range(len(REGIONS)):  # domestic flows are larger than trade
        blk = slice(r * len(SECTORS), (r + 1) * len(SECTORS))
        Z[blk, blk] *= 4.0
    Y = rng.uniform(5.0, 60.0, (n, len(REGIONS) * len(FD)))
    Y[:, [k for k in range(Y.shape[1]) if k % len(FD) == 4]] *= 0.05  # inventories are small
    x = Z.sum(axis=1) + Y.sum(axis=1)
    return {"Z": Z, "Y": Y, "x": x}


def _edgar(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    scale = {"FRA": 1.0, "DEU": 1.6, "ITA": 0.9, "ESP": 0.6}
    base = rng.uniform(1.0, 30.0, (len(EDGAR_SECTORS), len(GASES)))
    base[:, GASES.index("CO2")] *= 8.0
    for iso in COUNTRIES:
        for si, sector in enumerate(EDGAR_SECTORS):
            for gi, gas in enumerate(GASES):
                for y in YEARS:
                    v = base[si, gi] * scale[iso] * (1 + 0.01 * (y - 1970)) * (1 + 0.05 * rng.standard_normal())
                    rows.append((iso, iso, NAMES[iso], sector, gas, y, max(v, 0.0), False))
    for iso, share in (("BUNKERS_SEA", 0.6), ("BUNKERS_AIR", 0.4)):
        for gas in GASES:
            for y in YEARS:
                v = 40.0 * share * (1 if gas == "CO2" else 0.01) if gas != "F-gases" else 0.0
                rows.append((iso, iso, NAMES[iso], "Transport", gas, y, v, False))
    return pd.DataFrame(rows, columns=["iso3", "edgar_code", "country", "sector", "gas", "year",
                                       "emissions_mt_co2e", "is_aggregate"])


def _raster() -> tuple[xr.DataArray, pd.DataFrame]:
    lat, lon = grid_centres(0.1)
    grid = np.zeros((lat.size, lon.size), dtype=np.int16)
    rows = []
    for k, (iso, (s, n, w, e)) in enumerate(BOXES.items(), 1):
        r = (lat >= s) & (lat <= n)
        c = (lon >= w) & (lon <= e)
        block = grid[np.ix_(r, c)]
        block[block == 0] = k  # first country keeps shared cells
        grid[np.ix_(r, c)] = block
        rows.append((k, iso, NAMES[iso], int((grid == k).sum()), False))
    da = xr.DataArray(grid, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="country_raster_0p1",
                      attrs={"units": "1", "no_country": 0})
    return da, pd.DataFrame(rows, columns=["index", "iso3", "name", "n_cells", "forced_cell"])


def _proxy(raster: xr.DataArray, rng: np.random.Generator, name: str, units: str) -> xr.DataArray:
    vals = np.where(raster.values > 0, rng.uniform(0.0, 1.0, raster.shape), 0.0).astype(np.float32)
    return xr.DataArray(vals, dims=("lat", "lon"), coords=raster.coords, name=name, attrs={"units": units})


def items(seed: int = 20261130) -> dict:
    """Every item of the synthetic pack (see the module docstring)."""
    rng = np.random.default_rng(seed)
    out: dict = {f"wiod_{y}": _table(rng) for y in TABLE_YEARS}
    out["wiod_labels"] = pd.DataFrame(
        [(i, r, r, s, s, s) for i, (r, s) in enumerate((r, s) for r in REGIONS for s in SECTORS)],
        columns=["row", "region", "iso3", "sector", "sector_name", "nace_rev11"])
    out["wiod_fd_labels"] = pd.DataFrame(
        [(i, r, r, c, c) for i, (r, c) in enumerate((r, c) for r in REGIONS for c in FD)],
        columns=["col", "region", "iso3", "category", "category_name"])
    edgar = _edgar(rng)
    out["edgar_ghg_by_sector"] = edgar
    tot = edgar.groupby(["iso3", "edgar_code", "country", "year"], as_index=False)["emissions_mt_co2e"].sum()
    tot = tot.rename(columns={"emissions_mt_co2e": "ghg_mt_co2e"}).assign(is_aggregate=False)
    out["edgar_ghg_totals"] = tot
    c = tot[tot["iso3"].isin(COUNTRIES)]
    out["edgar_ghg_per_capita"] = c.assign(
        ghg_t_co2e_per_capita=c["ghg_mt_co2e"] * 1e6 / c["iso3"].map(POPULATION))[
        ["iso3", "edgar_code", "country", "year", "ghg_t_co2e_per_capita", "is_aggregate"]]
    growth = 1.02 ** (c["year"] - 1990)
    out["edgar_ghg_per_gdp"] = c.assign(
        ghg_t_co2e_per_kusd=c["ghg_mt_co2e"] * 1e6 / (c["iso3"].map(GDP_KUSD) * growth))[
        ["iso3", "edgar_code", "country", "year", "ghg_t_co2e_per_kusd", "is_aggregate"]]
    luc_rows = []
    for iso in COUNTRIES:
        for mi, m in enumerate(m for m in LUC_MODELS if m != "mean"):
            for y in range(1960, 2024):
                v = (mi - 1.5) * 3.0 + 2.0 * np.sin(y / 7.0) + (5.0 if iso == "ESP" else 0.0)
                luc_rows.append((iso, NAMES[iso], m, y, v / 3.664, v, False))
    out["gcb_luc_by_model"] = pd.DataFrame(luc_rows, columns=["iso3", "country", "model", "year", "eluc_mtc",
                                                              "eluc_mt_co2", "is_aggregate"])
    yrs = np.arange(1959, 2024)
    out["gcb_global_budget"] = pd.DataFrame({
        "year": yrs, "fossil_gtc": 2.4 + 0.1 * (yrs - 1959), "land_use_change_gtc": 1.5 + 0 * yrs,
        "atmospheric_growth_gtc": 2.0 + 0.05 * (yrs - 1959), "ocean_sink_gtc": 1.0 + 0.03 * (yrs - 1959),
        "land_sink_gtc": 1.2 + 0.04 * (yrs - 1959), "cement_carbonation_gtc": 0.01 + 0 * yrs,
        "budget_imbalance_gtc": 0.3 + 0 * yrs})
    j2w = pd.read_csv(AUTHORED_DIR / "jrc56_to_wiod35.csv", keep_default_na=False)
    jrc_rows = [(iso, True, ind, y, float(rng.uniform(10, 5000)))
                for iso in COUNTRIES for ind in dict.fromkeys(j2w["jrc_industry"]) for y in range(2000, 2012)]
    jrc = pd.DataFrame(jrc_rows, columns=["iso3", "is_country", "industry", "year", "co2_kt"])
    out["jrc_co2"] = jrc.astype({"iso3": "category", "industry": "category"})
    raster, index = _raster()
    out["country_raster_0p1"], out["country_index"] = raster, index
    sink = _proxy(raster, rng, "proxy_land_sink_0p1", "1")
    sink.values /= sink.values.sum()
    out["proxy_land_sink_0p1"] = sink
    # Solazzo-like 95 % ranges: France and Germany by IPCC category, Italy with only its totals per gas (country
    # mean), Spain absent (continent median); no Buildings CO2 row anywhere (combustion proxy)
    sol = []
    for iso, scale in (("FRA", 1.0), ("DEU", 0.8)):
        for code, gas, lo, hi, emi in (("1.A.1", "CO2", 0.05, 0.05, 50_000), ("1.A.2", "CO2", 0.04, 0.04, 30_000),
                                       ("1.A.3", "CO2", 0.06, 0.06, 40_000), ("1.B", "CO2", 0.3, 0.3, 2_000),
                                       ("2", "CO2", 0.1, 0.1, 10_000), ("1.A", "CH4", 1.2, 1.2, 1_000),
                                       ("1.B.1", "CH4", 0.5, 0.5, 3_000), ("1.B.2", "CH4", 0.8, 2.2, 2_000),
                                       ("3.A.1", "CH4", 0.3, 0.3, 20_000), ("4.A", "CH4", 1.2, 1.2, 8_000),
                                       ("3.C.4", "N2O", 3.1, 3.1, 9_000), ("1.A", "N2O", 1.7, 1.7, 500)):
            sol.append((iso, code, gas, emi, lo * scale, hi * scale))
    for gas, lo in (("CO2", 0.08), ("CH4", 0.4), ("N2O", 1.5)):
        sol.append(("ITA", "1.A.1", gas, 10_000.0, lo, lo))
    out["solazzo_uncertainty"] = pd.DataFrame(sol, columns=["iso3", "ipcc", "gas", "emission_kt_co2e", "rel_lo",
                                                            "rel_hi"])
    co2 = edgar[(edgar["gas"] == "CO2") & edgar["iso3"].isin(("FRA", "DEU"))].groupby(
        ["iso3", "country", "year"], as_index=False)["emissions_mt_co2e"].sum()
    terr = co2.rename(columns={"emissions_mt_co2e": "emissions_mt_co2"}).assign(is_aggregate=False)
    terr["emissions_mtc"] = terr["emissions_mt_co2"] / 3.664
    out["gcb_territorial"] = terr
    cons = terr.copy()
    drift = np.where(cons["iso3"] == "FRA", 1.3, 0.85) + 0.002 * (cons["year"] - 2011).clip(lower=0)
    cons["emissions_mt_co2"] = cons["emissions_mt_co2"] * drift
    cons["emissions_mtc"] = cons["emissions_mt_co2"] / 3.664
    out["gcb_consumption"] = cons
    lat1, lon1 = grid_centres(1.0)
    out["takahashi_flux_annual"] = xr.DataArray(
        np.where(np.abs(lat1)[:, None] < 60, -2.0, -8.0) * np.ones((lat1.size, lon1.size)), dims=("lat", "lon"),
        coords={"lat": lat1, "lon": lon1}, name="takahashi_flux_annual", attrs={"units": "g C m-2 yr-1"})
    cd_years = np.arange(1990, 2014)
    out["cdiac_fossil_co2"] = xr.DataArray(
        rng.uniform(0.0, 2.0, (cd_years.size, lat1.size, lon1.size)) * (np.abs(lat1)[None, :, None] < 60),
        dims=("year", "lat", "lon"), coords={"year": cd_years, "lat": lat1, "lon": lon1}, name="cdiac_fossil_co2",
        attrs={"units": "Tg C cell-1 yr-1"})
    for p, units in (("population", "persons cell-1"), ("power", "GWh cell-1 yr-1"),
                     ("agriculture", "km2 cell-1"), ("land", "1"), ("forest_crop", "km2 cell-1"),
                     ("fuel_exploitation", "t CO2e cell-1 yr-1"), ("fuel_exploitation_co2", "persons-equivalent cell-1"),
                     ("industry", "persons-equivalent cell-1")):
        out[f"proxy_{p}_0p1"] = _proxy(raster, rng, f"proxy_{p}_0p1", units)
    return out


def pack(seed: int = 20261130) -> MemoryPack:
    """The synthetic pack (a :class:`engine.data.pack.MemoryPack` with key ``synthetic``)."""
    return MemoryPack(items(seed), key=f"synthetic-{seed}")
