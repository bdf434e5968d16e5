"""Global Energy Monitor, Global Coal Mine Tracker (GCMT), map extract of April/May 2024: mines with location,
status, underground or surface type and output.

The file is UTF-16 with a BOM. It has one row per mine *and owner* (6,580 rows, 6,360 mine ids); the rows of a mine
may differ in status (188 ids) and output (193 ids). ``circle_value`` is the production where known, else the
capacity [Mt yr-1] (China mostly capacity).

Kept (:data:`KEEP_STATUS`): mines that exist and have produced — ``operating`` and ``mothballed``. The emission
maps span 1970-2023, and a mothballed mine produced in many of those years (and keeps emitting some methane after
closure). Dropped: ``proposed``, ``shelved``, ``cancelled`` (never produced) and ``retired``. A mine is kept when
one of its rows has a kept status; it keeps the largest output of those rows. Counts in the 2024-05 file: 4,192 mines
kept, 2,168 dropped for their status; no coordinates are invalid; 178 kept mines have output 0 (the proxy fills
them, :func:`engine.maps.proxies.fill_by_median`).

``mine_type``: ``underground``, ``surface``, ``underground_and_surface`` or ``unknown`` (27 rows).

Citation: Global Energy Monitor (2024) Global Coal Mine Tracker, April 2024 release (CC BY 4.0).
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import Settings
from engine.data.fetch import resolve
from engine.sources._points import countries_to_iso3, read_table, valid_coordinates

SOURCE_ID = "gem_coal_mines"
FILE = "gcmt_map_data_2024-05.csv"
KEEP_STATUS = ("operating", "mothballed")
MINE_TYPES = ("underground", "surface", "underground_and_surface", "unknown")
REQUIRED = ("id", "country", "project", "status", "mine-type", "capacity", "production", "lat", "lng",
            "circle_value")


def parse_mines(path) -> pd.DataFrame:
    """Parse the coal mine CSV, keep :data:`KEEP_STATUS` and one row per mine.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``iso3``, ``country``, ``name``, ``status``, ``mine_type`` (one of :data:`MINE_TYPES`), ``lat``,
        ``lon`` [degree], ``capacity_mt``, ``production_mt``, ``output_mt`` (production, else capacity; 0 when
        unknown) [Mt coal yr-1]. ``attrs``: ``n_mines`` (distinct ids), ``n_dropped_status``,
        ``n_dropped_coordinates``.

    Raises
    ------
    SourceFormatError
        Unreadable file or a missing column.
    """
    raw = read_table(path, SOURCE_ID, REQUIRED, encoding="utf-16")
    n_mines = int(raw["id"].nunique())
    kept = raw[raw["status"].isin(KEEP_STATUS)].copy()
    kept["output_mt"] = pd.to_numeric(kept["circle_value"], errors="coerce").fillna(0.0).clip(lower=0.0)
    kept = kept.sort_values("output_mt", ascending=False, kind="stable").drop_duplicates("id")
    n_status = n_mines - len(kept)
    ok = valid_coordinates(kept["lat"], kept["lng"])
    kept = kept[ok]
    iso3, _ = countries_to_iso3(kept["country"])
    mtype = kept["mine-type"].astype(str).where(kept["mine-type"].isin(MINE_TYPES), "unknown")
    df = pd.DataFrame({
        "id": kept["id"].astype(str), "iso3": iso3, "country": kept["country"].astype(str),
        "name": kept["project"].astype(str), "status": kept["status"].astype(str), "mine_type": mtype,
        "lat": kept["lat"].astype(float), "lon": kept["lng"].astype(float),
        "capacity_mt": pd.to_numeric(kept["capacity"], errors="coerce"),
        "production_mt": pd.to_numeric(kept["production"], errors="coerce"),
        "output_mt": kept["output_mt"].astype(float),
    }).sort_values("id").reset_index(drop=True)
    df.attrs.update(source=SOURCE_ID, n_mines=n_mines, n_dropped_status=n_status,
                    n_dropped_coordinates=int((~ok).sum()),
                    units={"lat": "degree_north", "lon": "degree_east", "output_mt": "Mt coal yr-1"})
    return df


def read_mines(settings: Settings | None = None) -> pd.DataFrame:
    """Read the coal mines (see :func:`parse_mines`)."""
    return parse_mines(resolve(SOURCE_ID, FILE, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack: ``gem_coal_mines`` (kept mines, one row each)."""
    return {"gem_coal_mines": read_mines(settings)}


__all__ = ["KEEP_STATUS", "MINE_TYPES", "parse_mines", "read_mines"]
