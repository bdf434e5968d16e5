"""The patterns of the modelled sink maps (pure functions; :class:`engine.maps.grids.Grids` turns them into layers).

Ocean (Takahashi et al. 2009 climatology, reference year 2000)
    1. *Coastal gaps.* The climatology has no value in many water cells next to the coast (its 4° × 5° boxes were
       regridded to 1° and coastal boxes were left empty) and none in most marginal seas (Mediterranean, Baltic,
       Black and Red Seas, the Gulf, Hudson Bay, the Indonesian seas) or the central Arctic. :func:`ocean_fill`
       fills a water cell from the mean of its filled 8 neighbours, one 1° ring at a time, for at most
       :data:`FILL_STEPS` rings, moving through water cells only (never across land, so no lake is filled from an
       ocean on the other side of a coast). Three rings (3°) is less than one of the climatology's own 4° × 5°
       boxes: the fill closes the coastal strip without inventing a flux for a sea the climatology never observed.
       Water cells further away stay *no data* (transparent, and said so in the legend and the cell panel), never
       "zero flux".
    2. *What is scaled.* The climatology is a contemporary net flux: uptake at high latitudes and natural
       outgassing of upwelled carbon in the tropics and the Southern Ocean's upwelling band. Scaling the whole
       field to the GCB ocean sink would multiply the outgassing too (by 1.5–2.1 for 2000–2023). :func:`ocean_net`
       keeps the outgassing cells at their climatological values and scales the uptake cells alone so that the
       global sum equals the GCB ocean sink of the year: ``net = k × uptake − outgassing``, ``k = (S + O) / U``.
       Rationale: outgassing is set by the upwelling of old, carbon-rich water, which the anthropogenic
       perturbation does not strengthen (it slightly weakens it, Gruber et al. 2009), and the growth of the sink
       since 2000 comes from rising atmospheric CO2 over undersaturated water. The Takahashi flux itself, as
       published (g C m⁻² yr⁻¹, year 2000), is given per cell by :meth:`engine.maps.grids.Grids.cell_info`.
    3. *On the 0.1° grid.* The 1° flux density is applied to the water area of each 0.1° cell (1 − the MODIS
       land fraction of the cell), so the values follow the coastline and no ocean flux is drawn on land.

Land (the land-sink proxy)
    Pan et al. (2011) give the forest sink of three biomes. The first version applied them as steps at 23.5° and
    50° of latitude, which drew a straight line across Canada (the boreal density is 43 % of the temperate one).
    :func:`biome_density_smooth` blends the densities with a smooth step (C¹) ``±``:data:`BLEND_HALF_WIDTH_DEG`
    around each boundary: the boreal–temperate ecotone lies between about 44° N (Ontario, Quebec) and 56° N
    (Scandinavia, western Canada) in the WWF ecoregions (Olson et al. 2001), so a band of that width follows the
    real transition better than a line does.

References
----------
1. Takahashi, T. et al. (2009) Deep-Sea Res. II 56:554-577, doi:10.1016/j.dsr2.2008.12.009.
2. Gruber, N. et al. (2009) Global Biogeochem. Cycles 23:GB1005, doi:10.1029/2008GB003349.
3. Friedlingstein, P. et al. (2025) Global Carbon Budget 2024, Earth Syst. Sci. Data 17:965, doi:10.5194/essd-17-965-2025.
4. Pan, Y. et al. (2011) Science 333:988-993, doi:10.1126/science.1201609.
5. Olson, D. M. et al. (2001) BioScience 51:933-938, doi:10.1641/0006-3568(2001)051[0933:TEOTWA]2.0.CO;2.
"""

from __future__ import annotations

import numpy as np

from engine.accounts.natural import (  # noqa: F401  (the land-sink attribution lives with the ledger's)
    BLEND_HALF_WIDTH_DEG, BOREAL_LAT, SAVANNA_FACTOR, TROPICAL_LAT, land_sink_weights)
from engine.accounts.natural import biome_density as biome_density_smooth  # noqa: F401

#: Largest number of 1° rings a coastal gap is filled across [1°].
FILL_STEPS = 3
#: Cell status codes of :func:`ocean_fill`.
LAND, CLIMATOLOGY, FILLED, NO_DATA = 0, 1, 2, 3
STATUS_TEXT = {LAND: "land", CLIMATOLOGY: "Takahashi climatology", FILLED: "filled from the nearest climatology cells",
               NO_DATA: "no data (the climatology does not cover this sea)"}


def _neighbours(a: np.ndarray) -> list[np.ndarray]:
    """The 8 neighbours of every cell of a (lat, lon) grid, longitude wrapping round, latitude edges padded."""
    out = []
    for dr in (-1, 0, 1):
        rows = np.clip(np.arange(a.shape[0]) + dr, 0, a.shape[0] - 1)
        for dc in (-1, 0, 1):
            if dr or dc:
                out.append(np.roll(a[rows], -dc, axis=1))
    return out


def ocean_fill(flux: np.ndarray, land_fraction: np.ndarray, steps: int = FILL_STEPS) -> tuple[np.ndarray, np.ndarray]:
    """Fill the water cells next to the climatology, ring by ring through water (see the module docstring).

    Parameters
    ----------
    flux : ndarray (lat, lon)
        Annual flux density, NaN where the climatology has none [g C m⁻² yr⁻¹].
    land_fraction : ndarray (lat, lon)
        Land fraction of each cell (``takahashi_land_fraction``) [1]; a cell with less than 1 has water.
    steps : int
        Rings to fill [1°].

    Returns
    -------
    (flux, status)
        The filled flux density [g C m⁻² yr⁻¹] (NaN where still no data) and each cell's status (:data:`LAND`,
        :data:`CLIMATOLOGY`, :data:`FILLED`, :data:`NO_DATA`) [1].
    """
    if steps < 0:
        raise ValueError(f"steps must be >= 0; got {steps}")
    f = np.asarray(flux, dtype=np.float64).copy()
    water = np.asarray(land_fraction) < 1.0
    has = np.isfinite(f)
    status = np.where(has, CLIMATOLOGY, np.where(water, NO_DATA, LAND)).astype(np.uint8)
    for _ in range(steps):
        todo = water & ~has
        if not todo.any():
            break
        vals = _neighbours(np.where(has, f, 0.0))
        cnt = _neighbours(has.astype(np.float64))
        total, n = sum(vals), sum(cnt)
        new = todo & (n > 0)
        f[new] = total[new] / n[new]
        has = has | new
        status[new] = FILLED
    return f, status


def uptake_outgassing(flux: np.ndarray, area_m2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split a net sea-air flux into uptake and outgassing per cell, both positive [g C cell⁻¹ yr⁻¹].

    Parameters
    ----------
    flux : ndarray
        Flux density, negative = uptake, NaN = none [g C m⁻² yr⁻¹].
    area_m2 : ndarray
        Water area of each cell, broadcastable to ``flux`` [m²].
    """
    f = np.nan_to_num(np.asarray(flux, dtype=np.float64)) * area_m2
    return np.where(f < 0, -f, 0.0), np.where(f > 0, f, 0.0)


def uptake_factor(sink: float, uptake_total: float, outgassing_total: float) -> float:
    """``k = (S + O) / U``: the factor on the uptake cells that makes ``k U − O`` equal the sink ``S`` [1].

    Raises
    ------
    ValueError
        When ``U`` is not positive or ``S + O`` is negative (no uptake scaling can give that sink).
    """
    if not uptake_total > 0 or sink + outgassing_total < 0:
        raise ValueError(f"cannot scale an uptake of {uptake_total} to a sink of {sink} with outgassing "
                         f"{outgassing_total}")
    return (sink + outgassing_total) / uptake_total


def ocean_net(uptake: np.ndarray, outgassing: np.ndarray, sink: float) -> np.ndarray:
    """Net uptake per cell, positive = uptake: ``k × uptake − outgassing`` with ``k`` from :func:`uptake_factor`, so
    that the cells sum to ``sink`` [t CO2 cell⁻¹ yr⁻¹].

    Parameters
    ----------
    uptake, outgassing : ndarray
        Climatological uptake and outgassing of each cell, both positive [t CO2 cell⁻¹ yr⁻¹].
    sink : float
        The global ocean sink of the year [t CO2 yr⁻¹].
    """
    k = uptake_factor(sink, float(uptake.sum(dtype=np.float64)), float(outgassing.sum(dtype=np.float64)))
    return k * uptake - outgassing
