"""Natural sources and sinks: land-use change by country (GCB bookkeeping models), global ocean and land sinks
(GCB budget), and the attribution of the land sink to countries with a land-cover proxy.

Land-sink proxy (the same one the gridded maps use): for each 0.1° cell,

    weight = cell area × (forest fraction + 0.3 × savanna fraction) × biome sink density(latitude)

with forest and savanna fractions from MODIS MCD12C1 2019 and the biome densities of Pan et al. (2011, Table 1):
boreal (|lat| ≥ 50°) 0.50 Pg C yr⁻¹ over 1,135 Mha, temperate (23.5° ≤ |lat| < 50°) 0.78 Pg C yr⁻¹ over 767 Mha,
tropical intact (|lat| < 23.5°) 1.19 Pg C yr⁻¹ over 1,392 Mha (1990–2007 means), blended smoothly over ± 6° of
latitude around each boundary (no line at 50° N across Canada). The factor 0.3 credits woody
savannas and savannas (10–60 % tree cover in the IGBP definitions) with a fraction of a forest's sink. Each year
the weights are scaled to the GCB land sink, so the sum over countries equals the GCB value. This is a modelled
attribution, labelled as such wherever it is shown.

References
----------
1. Friedlingstein, P. et al. (2024) Global Carbon Budget 2024, data doi:10.18160/gcp-2024.
2. Pan, Y. et al. (2011) A large and persistent carbon sink in the world's forests, Science 333:988-993,
   doi:10.1126/science.1201609.
3. Friedl, M. and Sulla-Menashe, D. (2015) MCD12C1 v006, doi:10.5067/MODIS/MCD12C1.006.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.core.units import C_TO_CO2, HA_PER_MHA, MASS_IN_T, MT_PER_GT
from engine.maps.gridmath import cell_area_m2

#: Pan et al. (2011) Table 1 biome sinks [Pg C yr⁻¹] and areas [Mha] -> densities [t C ha⁻¹ yr⁻¹].
BIOME_SINKS = {"boreal": (0.50, 1135.0), "temperate": (0.78, 767.0), "tropical": (1.19, 1392.0)}
SAVANNA_FACTOR = 0.3
BOREAL_LAT, TROPICAL_LAT = 50.0, 23.5
#: Half-width of the smooth blend between two biome densities [degree of latitude] (the boreal-temperate ecotone
#: spans about 44-56° N).
BLEND_HALF_WIDTH_DEG = 6.0


def _smoothstep(x: np.ndarray) -> np.ndarray:
    t = np.clip(x, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def biome_density(lat, half_width: float = BLEND_HALF_WIDTH_DEG) -> np.ndarray:
    """Forest sink density by latitude, Pan et al. (2011) biome means blended smoothly (C¹) across the biome
    boundaries (23.5° and 50°, ``± half_width``) [t C ha⁻¹ yr⁻¹].

    Equals the biome's own density more than ``half_width`` from a boundary and the mean of the two at the boundary;
    ``half_width=0`` gives the bands' step (which drew a straight line at 50° N across Canada).
    """
    dens = {k: pg * MASS_IN_T["Pg"] / (mha * HA_PER_MHA) for k, (pg, mha) in BIOME_SINKS.items()}
    a = np.abs(np.asarray(lat, dtype=float))
    if half_width <= 0:
        return np.where(a >= BOREAL_LAT, dens["boreal"], np.where(a >= TROPICAL_LAT, dens["temperate"],
                                                                   dens["tropical"]))
    s_temp = _smoothstep((a - TROPICAL_LAT + half_width) / (2 * half_width))
    s_bor = _smoothstep((a - BOREAL_LAT + half_width) / (2 * half_width))
    return (dens["tropical"] + (dens["temperate"] - dens["tropical"]) * s_temp
            + (dens["boreal"] - dens["temperate"]) * s_bor)


def land_sink_weights(forest: np.ndarray, savanna: np.ndarray, lat: np.ndarray, dlat: float, dlon: float
                      ) -> np.ndarray:
    """Relative land-sink strength of each cell: area × (forest + 0.3 × savanna fraction) × smooth biome density
    [t C yr⁻¹ before scaling], shape (lat, lon).

    Parameters
    ----------
    forest, savanna : ndarray (lat, lon)
        MODIS MCD12C1 forest and savanna fractions [1] (NaN = 0).
    lat : ndarray
        Row centres [degree]; ``dlat``, ``dlon`` the cell size [degree].
    """
    area_ha = cell_area_m2(np.asarray(lat, dtype=float), dlat, dlon) / 1e4
    per_row = (area_ha * biome_density(lat))[:, None]
    return (np.nan_to_num(forest) + SAVANNA_FACTOR * np.nan_to_num(savanna)) * per_row


def land_sink_cell_weights(fractions, lat: np.ndarray, dlat: float, dlon: float) -> np.ndarray:
    """:func:`land_sink_weights` of MODIS broad-class fractions (``class``, ``lat``, ``lon``; classes ``forest`` and
    ``savanna``), shape (lat, lon)."""
    return land_sink_weights(fractions.sel({"class": "forest"}).values.astype(np.float64),
                             fractions.sel({"class": "savanna"}).values.astype(np.float64), lat, dlat, dlon)


def country_shares(weights: np.ndarray, raster: np.ndarray, index: pd.DataFrame) -> pd.Series:
    """Share of the total weight in each country (cells with no country are left out) [1].

    Parameters
    ----------
    raster : ndarray of int
        Country index per cell (0 = none), as ``country_raster_0p1``.
    index : DataFrame
        ``index, iso3`` table of the raster; several indices may share an ISO3 (summed).
    """
    sums = np.bincount(raster.ravel().astype(np.int64), weights=weights.ravel(), minlength=int(index["index"].max()) + 1)
    s = pd.Series(sums[index["index"].to_numpy()], index=index["iso3"].to_numpy()).groupby(level=0).sum()
    s = s[s > 0]
    return s / s.sum()


def global_sinks(budget: pd.DataFrame, year: int) -> dict[str, float]:
    """GCB global ocean and land sinks of one year [Mt CO2 yr⁻¹], positive = removal; NaN outside 1959–2023."""
    row = budget[budget["year"] == year]
    if row.empty:
        return {"ocean_sink": float("nan"), "land_sink": float("nan")}
    r = row.iloc[0]
    return {"ocean_sink": float(r["ocean_sink_gtc"]) * MT_PER_GT * C_TO_CO2,
            "land_sink": float(r["land_sink_gtc"]) * MT_PER_GT * C_TO_CO2}
