"""Global Energy Monitor, Global Oil and Gas Extraction Tracker (GOGET), map file of February 2025: oil and gas
fields and units with location, status and production.

One point per field or unit (7,396 units, ``unit-id`` unique); a large basin is a few points and US shale is split
by operator. ``production---total-(oil,-gas-and-hydrocarbons)-(million-boe/y)`` is the unit's production in its own
latest reported year (0 or blank when not reported).

Kept (:data:`KEEP_STATUS`): units that exist and have produced — ``operating`` and ``shut_in`` (temporarily
stopped, the oil-field analogue of a mothballed mine). Dropped: ``discovered``, ``in_development``,
``exploration``, ``cancelled`` (never produced), ``decommissioned``, ``abandoned`` and ``UGS`` (underground gas
storage, not extraction). Counts in the 2025-02-26 file: 6,394 units kept, 1,002 dropped for their status, 17 kept
units dropped for missing coordinates (6,377 left); 789 kept units report no production (the proxy fills them).

Joint areas are written ``"Kuwait-Saudi Arabia"``: ``iso3`` is the first country, ``countries`` all of them (a
point may be placed on the cells of any); ``"Timor Gap"`` maps to no country (``iso3`` None).

Citation: Global Energy Monitor (2025) Global Oil and Gas Extraction Tracker, February 2025 release (CC BY 4.0).
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import Settings
from engine.data.fetch import resolve
from engine.sources._points import countries_to_iso3, read_table, valid_coordinates

SOURCE_ID = "gem_oil_gas_fields"
FILE = "goget_map_2025-02-26.csv"
KEEP_STATUS = ("operating", "shut_in")
PRODUCTION = "production---total-(oil,-gas-and-hydrocarbons)-(million-boe/y)"
REQUIRED = ("unit-id", "country/area", "wiki-name", "status", "lat", "lng", "location-accuracy", PRODUCTION)


def parse_fields(path) -> pd.DataFrame:
    """Parse the oil and gas extraction CSV and keep :data:`KEEP_STATUS` units with coordinates.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``iso3``, ``countries`` (comma-joined ISO3 codes of a joint area), ``name``, ``status``, ``lat``,
        ``lon`` [degree], ``location_accuracy`` (``exact``, ``approximate`` or ``unknown``), ``production_mboe``
        [million boe yr-1, NaN when not reported]. ``attrs``: ``n_units``, ``n_dropped_status``,
        ``n_dropped_coordinates``.

    Raises
    ------
    SourceFormatError
        Unreadable file or a missing column.
    """
    raw = read_table(path, SOURCE_ID, REQUIRED, encoding="utf-8-sig")
    kept = raw[raw["status"].isin(KEEP_STATUS)]
    ok = valid_coordinates(kept["lat"], kept["lng"])
    f = kept[ok]
    iso3, codes = countries_to_iso3(f["country/area"], separator="-")
    prod = pd.to_numeric(f[PRODUCTION], errors="coerce")
    df = pd.DataFrame({
        "id": f["unit-id"].astype(str), "iso3": iso3, "countries": codes.map(",".join),
        "name": f["wiki-name"].astype(str), "status": f["status"].astype(str),
        "lat": pd.to_numeric(f["lat"]).astype(float), "lon": pd.to_numeric(f["lng"]).astype(float),
        "location_accuracy": f["location-accuracy"].fillna("unknown").astype(str),
        "production_mboe": prod.where(prod > 0),
    }).reset_index(drop=True)
    df.attrs.update(source=SOURCE_ID, n_units=len(raw), n_dropped_status=len(raw) - len(kept),
                    n_dropped_coordinates=int((~ok).sum()),
                    units={"lat": "degree_north", "lon": "degree_east", "production_mboe": "million boe yr-1"})
    return df


def read_fields(settings: Settings | None = None) -> pd.DataFrame:
    """Read the oil and gas units (see :func:`parse_fields`)."""
    return parse_fields(resolve(SOURCE_ID, FILE, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack: ``gem_oil_gas_fields`` (kept units)."""
    return {"gem_oil_gas_fields": read_fields(settings)}
