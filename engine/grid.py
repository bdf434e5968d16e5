"""Holographic grids: 0.1° emission, sink and net-flux layers computed on demand from national totals.

Every layer is an ``xarray.DataArray`` (``lat`` north→south, ``lon`` west→east, cell centres, 1800 × 3600) with
``attrs["units"]`` in t cell⁻¹ yr⁻¹.

Downscaling (emissions): each EDGAR country × sector total is spread over that country's cells in proportion to
the sector's spatial proxy (``data/sector_proxies.csv``: power plants, population, agricultural area), with a
fallback chain when a country has no cell of that proxy (population → land area → every cell of the country
evenly). Mass is conserved exactly: a country's cells sum to its national total. Countries that cover no 0.1° cell
centre and international bunkers (no routes offline) are reported as ``unplaced`` mass in the attrs.

The proxies are normalised per country once per process (:class:`GridContext`); a layer is then a gather over the
~2.1 million land cells — national totals indexed by each cell's country, times the cell's share — well under the
50 ms budget.

Sinks: ocean — the Takahashi et al. (2009) annual flux climatology, scaled each year to the GCB ocean sink; land —
the land-cover proxy of :mod:`engine.natural`, scaled to the GCB land sink; land-use change — each country's GCB
value spread over its forest and cropland area. Net flux = emissions + land-use change − land sink − ocean sink.
These sink maps are modelled distributions of global totals, labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from engine import natural, regions as regions_mod
from engine.gridmath import cell_area_m2, grid_centres
from engine.gwp import reweight_factors
from engine.overview import C_TO_CO2
from engine.query import GASES, Query

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
RES = 0.1
NLAT, NLON = 1800, 3600
LAT, LON = grid_centres(RES)
LAYERS = ("emissions", "cdiac", "ocean_sink", "land_sink", "luc", "net_flux")
LAYER_TITLES = {
    "emissions": "Greenhouse-gas emissions (downscaled EDGAR)",
    "cdiac": "Fossil CO2, CDIAC NDP-058 (observed-based reference, 1°)",
    "ocean_sink": "Ocean CO2 uptake (Takahashi pattern scaled to GCB)",
    "land_sink": "Land CO2 uptake (land-cover proxy scaled to GCB)",
    "luc": "Land-use change CO2 (GCB, spread over forest and cropland)",
    "net_flux": "Net flux: emissions + land-use change − sinks",
}
CDIAC_YEARS = (1990, 2013)
_CONTEXT_ITEMS = ("country_raster_0p1", "country_index", "proxy_population_0p1", "proxy_power_0p1",
                  "proxy_agriculture_0p1", "proxy_land_0p1", "proxy_forest_crop_0p1")
#: Pack items each layer is computed from (to say why a layer cannot be drawn before any tile is asked for).
LAYER_ITEMS = {
    "emissions": ("edgar_ghg_by_sector",) + _CONTEXT_ITEMS,
    "cdiac": ("cdiac_fossil_co2",),
    "ocean_sink": ("takahashi_flux_annual", "gcb_global_budget"),
    "land_sink": ("proxy_land_sink_0p1", "gcb_global_budget"),
    "luc": ("gcb_luc_by_model",) + _CONTEXT_ITEMS,
}
LAYER_ITEMS["net_flux"] = tuple(dict.fromkeys(i for k in ("emissions", "luc", "land_sink", "ocean_sink")
                                              for i in LAYER_ITEMS[k]))
SECTORS = ("Agriculture", "Buildings", "Fuel Exploitation", "Industrial Combustion", "Power Industry", "Processes",
           "Transport", "Waste")
#: Overseas departments that Natural Earth folds into France but EDGAR reports separately (lat/lon boxes).
FRENCH_OVERSEAS = {"GUF": (2.0, 6.0, -55.0, -51.0), "GLP": (15.8, 16.6, -61.9, -60.9),
                   "MTQ": (14.3, 15.0, -61.3, -60.7), "REU": (-21.5, -20.8, 55.1, 55.9),
                   "MYT": (-13.1, -12.5, 44.9, 45.4)}
FALLBACK_CHAIN = ("population", "land", "uniform")


def sector_proxies() -> dict[str, str]:
    """EDGAR sector -> proxy name (``data/sector_proxies.csv``)."""
    t = pd.read_csv(DATA_DIR / "sector_proxies.csv")
    return dict(zip(t["edgar_sector"], t["proxy"]))


def cell_areas_km2() -> np.ndarray:
    """Area of each 0.1° cell by latitude row [km²], shape (1800,)."""
    return cell_area_m2(LAT, RES, RES) / 1e6


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


class Grids:
    """Layer computations over a pack and the ledger engine (:class:`engine.accounts.Accounts`).

    Layers, pyramids and the proxy context (tens of MB each) live in a small memory-only LRU (``self.big``);
    rendered tiles (tens of kB) go to a memory LRU in front of the workers' shared cache (``self.cache``): a tile
    renders in ~1 ms once its layer exists, but another server worker may not have that layer yet (40 ms to
    seconds to compute), so a tile rendered by one worker is read by the others from the shared backend (measured
    with ``bench/load.py``); browsers revalidate with ETags.
    """

    #: Layers and pyramids kept per process (26 MB per layer, ~35 MB per pyramid): one net-flux year needs six
    #: items (its four input layers, itself and its pyramid), so 20 keep a user stepping through net-flux years from
    #: recomputing every input (bench/load.py saw 12 thrash under load); ~0.6 GB at most, inside the 2 GB budget.
    BIG_ITEMS = 20

    def __init__(self, accounts, big_items: int = BIG_ITEMS, tile_items: int = 4000):
        from engine.cache import TieredCache

        self.accounts = accounts
        self.pack = accounts.pack
        self.big = TieredCache(memory_items=big_items)
        self.cache = TieredCache(memory_items=tile_items, shared=accounts.cache.shared)

    def _key(self, *parts) -> str:
        return self.accounts._key("grid", *parts)

    def context(self) -> GridContext:
        def build():
            raster = self.pack.grid("country_raster_0p1").values
            index = self.pack.table("country_index")
            prox = {p: self.pack.grid(f"proxy_{p}_0p1").values.ravel() for p in ("population", "power", "agriculture")}
            land = self.pack.grid("proxy_land_0p1").values.astype(np.float64)
            prox["land"] = (land * cell_areas_km2()[:, None]).ravel()
            prox["forest_crop"] = self.pack.grid("proxy_forest_crop_0p1").values.ravel()
            return build_context(raster, index, self.accounts.entity_map(), prox)

        return self.big.memo(self._key("context"), build, shared=False)

    # ---- layers ---------------------------------------------------------------------------------------------
    def emissions(self, q: Query, sector: str = "all") -> xr.DataArray:
        """Downscaled EDGAR emissions for the Query's year, gases and GWP set [t CO2e cell⁻¹ yr⁻¹].

        Raises
        ------
        ValueError
            For an unknown sector (the message lists them).
        """
        if sector != "all" and sector not in SECTORS:
            raise ValueError(f"sector must be 'all' or one of {', '.join(SECTORS)}; got {sector!r}")

        def build():
            codes, sectors, arr = self.accounts.sector_year(q.year)
            E = arr @ reweight_factors(q.gwp, q.gases) * 1e6  # (code, sector) [t]
            keep = codes != regions_mod.BUNKERS
            codes, E = codes[keep], E[keep]
            proxy_of = sector_proxies()
            totals: dict[str, np.ndarray] = {}
            for j, s_name in enumerate(sectors):
                if sector in ("all", s_name):
                    p = proxy_of[s_name]
                    totals[p] = totals.get(p, 0.0) + E[:, j]
            flat, unplaced = downscale_arrays(self.context(), codes, totals)
            return to_dataarray(flat, "emissions", "t CO2e cell-1 yr-1",
                                long_name=LAYER_TITLES["emissions"], sector=sector, query=q.to_query_string(),
                                unplaced_t=float(sum(unplaced.values())), unplaced_codes=",".join(sorted(unplaced)),
                                total_t=float(sum(v.sum() for v in totals.values())),
                                method="EDGAR 2024 national totals downscaled with spatial proxies (modelled)")

        return self.big.memo(self._key("emissions", repr(q.replace(perspective="consumption", grouping="countries",
                                                                        members=())), sector), build, shared=False)

    def cdiac(self, year: int) -> xr.DataArray:
        """CDIAC NDP-058 fossil CO2 at 1°, shown on the 0.1° grid (each 1° value split evenly over its 100 cells)
        [t CO2 cell⁻¹ yr⁻¹].

        Raises
        ------
        ValueError
            Outside 1990–2013.
        """
        if not CDIAC_YEARS[0] <= year <= CDIAC_YEARS[1]:
            raise ValueError(f"the CDIAC grid covers {CDIAC_YEARS[0]}–{CDIAC_YEARS[1]}; got {year}")

        def build():
            g = self.pack.grid("cdiac_fossil_co2").sel(year=year).values.astype(np.float64)  # Tg C per 1° cell
            fine = np.repeat(np.repeat(g * 1e6 * C_TO_CO2 / 100.0, 10, axis=0), 10, axis=1)
            return to_dataarray(fine.ravel().astype(np.float32), "cdiac", "t CO2 cell-1 yr-1",
                                long_name=LAYER_TITLES["cdiac"], year=year,
                                method="CDIAC NDP-058 1° grid (national totals spread by population), observed-based")

        return self.big.memo(self._key("cdiac", year), build, shared=False)

    def ocean_sink(self, year: int) -> xr.DataArray:
        """Ocean CO2 uptake: Takahashi annual flux pattern scaled to the GCB ocean sink of the year, positive = uptake
        [t CO2 cell⁻¹ yr⁻¹]."""
        def shares():
            flux = self.pack.grid("takahashi_flux_annual").values.astype(np.float64)  # g C m-2 yr-1, 1°
            area1 = cell_area_m2(np.asarray(self.pack.grid("takahashi_flux_annual")["lat"]), 1.0, 1.0)[:, None]
            uptake = np.nan_to_num(-flux) * area1  # g C per 1° cell, uptake positive (outgassing negative)
            fine = np.repeat(np.repeat(uptake / 100.0, 10, axis=0), 10, axis=1)
            return (fine / fine.sum()).ravel().astype(np.float32)  # year-independent pattern, sums to 1

        def build():
            pattern = self.big.memo(self._key("ocean_pattern"), shares, shared=False)
            sink_t = natural.global_sinks(self.pack.table("gcb_global_budget"), year)["ocean_sink"] * 1e6
            return to_dataarray(pattern * np.float32(sink_t), "ocean_sink", "t CO2 cell-1 yr-1",
                                long_name=LAYER_TITLES["ocean_sink"], year=year, total_t=float(sink_t),
                                method="Takahashi et al. (2009) climatology scaled to the GCB 2024 ocean sink "
                                       "(modelled distribution)")

        return self.big.memo(self._key("ocean", year), build, shared=False)

    def land_sink(self, year: int) -> xr.DataArray:
        """Land CO2 uptake: the land-cover proxy of :mod:`engine.natural` scaled to the GCB land sink, positive =
        uptake [t CO2 cell⁻¹ yr⁻¹]."""
        def build():
            shares = self.pack.grid("proxy_land_sink_0p1").values.ravel()
            sink_t = natural.global_sinks(self.pack.table("gcb_global_budget"), year)["land_sink"] * 1e6
            flat = shares * np.float32(sink_t)
            return to_dataarray(flat.astype(np.float32), "land_sink", "t CO2 cell-1 yr-1",
                                long_name=LAYER_TITLES["land_sink"], year=year, total_t=float(sink_t),
                                method="MODIS 2019 forest/savanna x Pan et al. (2011) biome densities, scaled to the "
                                       "GCB 2024 land sink (modelled distribution)")

        return self.big.memo(self._key("land", year), build, shared=False)

    def luc(self, q: Query) -> xr.DataArray:
        """National land-use-change CO2 (GCB model or mean) spread over forest + cropland area [t CO2 cell⁻¹ yr⁻¹]."""
        def build():
            s = self.accounts.luc(q.year, q.luc_model)
            flat, unplaced = downscale_arrays(self.context(), s.index.to_numpy(dtype=str),
                                              {"forest_crop": s.to_numpy() * 1e6})
            return to_dataarray(flat, "luc", "t CO2 cell-1 yr-1", long_name=LAYER_TITLES["luc"],
                                year=q.year, luc_model=q.luc_model, unplaced_t=float(sum(unplaced.values())),
                                method="GCB 2024 national land-use change spread over MODIS forest and cropland "
                                       "(modelled distribution)")

        return self.big.memo(self._key("luc", q.year, q.luc_model), build, shared=False)

    def net_flux(self, q: Query) -> xr.DataArray:
        """Emissions (Query gases, GWP) + land-use change − land sink − ocean sink [t CO2e cell⁻¹ yr⁻¹]."""
        def build():
            e = self.emissions(q).values.copy()
            if "CO2" in q.gases:  # float32 in place: four 26 MB arrays, no float64 temporaries
                e += self.luc(q).values
                e -= self.land_sink(q.year).values
                e -= self.ocean_sink(q.year).values
            return to_dataarray(e.ravel(), "net_flux", "t CO2e cell-1 yr-1",
                                long_name=LAYER_TITLES["net_flux"], query=q.to_query_string(),
                                method="downscaled emissions + land-use change − modelled land and ocean sinks")

        return self.big.memo(self._key("net", repr(q.replace(perspective="consumption", grouping="countries",
                                                                  members=()))), build, shared=False)

    def layer(self, name: str, q: Query, sector: str = "all") -> xr.DataArray:
        """Any layer by name (:data:`LAYERS`).

        Raises
        ------
        ValueError
            Unknown layer (lists the layers), or a year outside the layer's coverage.
        """
        if name == "emissions":
            return self.emissions(q, sector)
        if name == "cdiac":
            return self.cdiac(q.year)
        if name == "ocean_sink":
            return self.ocean_sink(q.year)
        if name == "land_sink":
            return self.land_sink(q.year)
        if name == "luc":
            return self.luc(q)
        if name == "net_flux":
            return self.net_flux(q)
        raise ValueError(f"layer must be one of {', '.join(LAYERS)}; got {name!r}")

    def levels(self, name: str, q: Query, sector: str = "all") -> list[np.ndarray]:
        """The tile pyramid of a layer (memoised with the layer)."""
        from engine.tiles import pyramid

        key = self._key("pyramid", name, repr(q.replace(perspective="consumption", grouping="countries", members=())),
                        sector if name == "emissions" else "-")
        return self.big.memo(key, lambda: pyramid(self.layer(name, q, sector).values), shared=False)

    def unavailable(self, name: str) -> str | None:
        """Why a layer cannot be computed (the failed source's message, naming the file and the fix), or None."""
        for item in LAYER_ITEMS[name]:
            if not self.pack.has(item):
                return self.pack.failure_for(item)
        return None

    def national_sums(self, grid: xr.DataArray) -> pd.Series:
        """Sum of a layer over each entity's cells [the layer's unit × cells]."""
        ctx = self.context()
        s = np.bincount(ctx.ent, weights=grid.values.ravel()[ctx.cells].astype(np.float64), minlength=len(ctx.codes))
        return pd.Series(s, index=ctx.codes)

    def cell_info(self, name: str, q: Query, lat: float, lon: float, sector: str = "all") -> dict:
        """Value of one cell with its units, country and (for emissions) sector breakdown.

        Raises
        ------
        ValueError
            Latitude or longitude out of range.
        """
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"lat must be in [-90, 90] and lon in [-180, 180]; got {lat}, {lon}")
        row = min(int((90 - lat) / RES), NLAT - 1)
        col = min(int((lon + 180) / RES), NLON - 1)
        grid = self.layer(name, q, sector)
        flat = row * NLON + col
        ctx = self.context()
        k = np.searchsorted(ctx.cells, flat)
        code = str(ctx.codes[ctx.ent[k]]) if k < len(ctx.cells) and ctx.cells[k] == flat else None
        out = {"layer": name, "lat": float(LAT[row]), "lon": float(LON[col]), "value": float(grid.values[row, col]),
               "units": grid.attrs["units"], "country": code,
               "country_name": self.accounts.names().get(code, code) if code else None, "breakdown": []}
        if name == "emissions" and code:
            prod = self.accounts.production(q)
            nat = prod[prod["code"] == code].groupby("sector")["emissions_mt_co2e"].sum()
            proxy_of = sector_proxies()
            for s in SECTORS if sector == "all" else (sector,):
                v = float(nat.get(s, 0.0)) * 1e6 * float(ctx.norm[proxy_of[s]][k])
                if v:
                    out["breakdown"].append({"sector": s, "value": v})
            out["breakdown"].sort(key=lambda d: -d["value"])
        return out


def cf_dataset(da: xr.DataArray) -> xr.Dataset:
    """A CF-1.8 dataset of one layer, ready for ``to_netcdf``."""
    ds = da.astype(np.float32).to_dataset(name=da.name or "value")
    ds["lat"].attrs = {"standard_name": "latitude", "units": "degrees_north", "axis": "Y"}
    ds["lon"].attrs = {"standard_name": "longitude", "units": "degrees_east", "axis": "X"}
    var = ds[da.name or "value"]
    var.attrs = {k: v for k, v in da.attrs.items() if isinstance(v, (str, int, float))}
    # CF: a quantity per grid cell is an extensive amount with cell_methods "area: sum"; the mass unit stays
    # UDUNITS-parsable and the gas basis goes to long_name
    var.attrs["holocarbon_units"] = da.attrs.get("units", "")
    var.attrs["units"] = "t yr-1"
    var.attrs["cell_methods"] = "area: sum"
    basis = "CO2e" if "CO2e" in da.attrs.get("units", "") else "CO2"
    var.attrs["long_name"] = f"{da.attrs.get('long_name', da.name)} [t {basis} per 0.1 degree cell per year]"
    ds.attrs = {"Conventions": "CF-1.8", "title": da.attrs.get("long_name", da.name or ""),
                "institution": "Holocarbon (open source)", "source": da.attrs.get("method", ""),
                "references": "see data/sources.toml and docs/validation.md"}
    return ds


def write_netcdf(da: xr.DataArray, path) -> None:
    """Write one layer as CF-convention NetCDF (compressed)."""
    ds = cf_dataset(da)
    from engine.pack import NETCDF_LOCK

    with NETCDF_LOCK:
        ds.to_netcdf(path, engine="netcdf4", encoding={v: {"zlib": True, "complevel": 4} for v in ds.data_vars})


def netcdf_bytes(da: xr.DataArray) -> bytes:
    """One layer (or a window of it) as CF NetCDF file bytes (:func:`write_netcdf` through a temporary file)."""
    import tempfile

    with tempfile.TemporaryDirectory() as td:
        path = Path(td) / "layer.nc"
        write_netcdf(da, path)
        return path.read_bytes()


# GASES and reweight_factors are re-exported for callers that build layer keys
__all__ = ["Grids", "LAYERS", "SECTORS", "GASES", "netcdf_bytes", "reweight_factors", "write_netcdf"]
