"""Small helpers for regular latitude/longitude grids (cell centres, cell areas).

Conventions used by every gridded reader: coordinates are cell centres in degrees, ``lat`` descending from north
to south, ``lon`` ascending from west to east starting at -180.
"""

from __future__ import annotations

import numpy as np

from engine.core.units import (
    EARTH_RADIUS_M,  # re-exported: the authalic radius lives in the units table
)


def grid_centres(res: float) -> tuple[np.ndarray, np.ndarray]:
    """Cell-centre coordinates of a global regular grid.

    Parameters
    ----------
    res : float
        Cell size [degree]; 180 and 360 must be multiples of it.

    Returns
    -------
    lat : numpy.ndarray
        Centres from ``90 - res/2`` down to ``-90 + res/2`` [degree north], descending.
    lon : numpy.ndarray
        Centres from ``-180 + res/2`` up to ``180 - res/2`` [degree east], ascending.
    """
    nlat = int(round(180.0 / res))
    nlon = int(round(360.0 / res))
    if abs(nlat * res - 180.0) > 1e-9 or abs(nlon * res - 360.0) > 1e-9:
        raise ValueError(f"grid resolution {res} does not divide 180 and 360 degrees")
    lat = np.round(90.0 - res * (np.arange(nlat) + 0.5), 10)
    lon = np.round(-180.0 + res * (np.arange(nlon) + 0.5), 10)
    return lat, lon


def cell_area_m2(lat, dlat: float, dlon: float, radius: float = EARTH_RADIUS_M) -> np.ndarray:
    """Area of grid cells on a sphere.

    Parameters
    ----------
    lat : array_like
        Cell-centre latitudes [degree north].
    dlat, dlon : float
        Cell height and width [degree].
    radius : float, optional
        Sphere radius [m]; default the authalic radius 6,371,007.2 m.

    Returns
    -------
    numpy.ndarray
        Area of one cell at each latitude [m2], same shape as ``lat``:
        ``R**2 * dlon_rad * (sin(lat + dlat/2) - sin(lat - dlat/2))``. Summed over a full global grid this equals
        ``4 * pi * R**2``.
    """
    lat = np.asarray(lat, dtype=float)
    north = np.deg2rad(np.clip(lat + dlat / 2.0, -90.0, 90.0))
    south = np.deg2rad(np.clip(lat - dlat / 2.0, -90.0, 90.0))
    return radius**2 * np.deg2rad(dlon) * (np.sin(north) - np.sin(south))
