"""Global Energy Monitor, Global Iron and Steel Tracker (GIST), plant-level map file of March 2025: steel plants of
at least 0.5 Mt yr-1 with location and capacity by route.

1,204 plants x 92 columns. Capacities are given per status of the plant's units, e.g.
``operating-nominal-bof-steel-capacity-(ttpa)`` and ``mothballed-nominal-eaf-steel-capacity-(ttpa)`` [thousand t
yr-1]; a plant may have operating and mothballed units at once.

Kept capacity (:data:`KEEP_STATUS`): units that exist and have produced — ``operating``,
``operating-pre-retirement`` and ``mothballed`` (the emission maps span 1970-2023; a mothballed furnace produced in
many of those years). Announced, construction, cancelled and retired capacity is not counted. A plant is kept when
its kept capacity (steel or iron) is positive: in the 2025-03-25 file 950 plants are kept and 254 dropped (no
operating or mothballed capacity: announced, under construction, cancelled or retired); no coordinates are
invalid.

Citation: Global Energy Monitor (2025) Global Iron and Steel Tracker, March 2025 release (CC BY 4.0).
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import Settings
from engine.data.fetch import resolve
from engine.sources._points import countries_to_iso3, read_table, valid_coordinates

SOURCE_ID = "gem_steel_plants"
FILE = "gist_plants_2025-03-25.csv"
KEEP_STATUS = ("operating", "operating-pre-retirement", "mothballed")
#: Output column -> capacity kind in the GIST column names (``<status>-nominal-<kind>-capacity-(ttpa)`` or
#: ``<status>-other/unspecified-<kind>-capacity-(ttpa)``).
ROUTES = {"bof_kt": "nominal-bof-steel", "eaf_kt": "nominal-eaf-steel", "ohf_kt": "nominal-ohf-steel",
          "other_steel_kt": "other/unspecified-steel", "crude_steel_kt": "nominal-crude-steel",
          "bf_kt": "nominal-bf", "dri_kt": "nominal-dri", "iron_kt": "nominal-iron"}
REQUIRED = ("plant-id", "plant-name-(english)", "country/area", "plant-status", "prod-method-tier", "lat", "lng",
            "operating-nominal-crude-steel-capacity-(ttpa)", "operating-nominal-bof-steel-capacity-(ttpa)",
            "operating-nominal-eaf-steel-capacity-(ttpa)")


def kept_capacity(raw: pd.DataFrame, kind: str) -> pd.Series:
    """Sum of the :data:`KEEP_STATUS` capacity columns of one kind that the file has [kt yr-1]."""
    cols = [f"{s}-{kind}-capacity-(ttpa)" for s in KEEP_STATUS]
    cols = [c for c in cols if c in raw.columns]
    if not cols:
        return pd.Series(0.0, index=raw.index)
    return raw[cols].apply(pd.to_numeric, errors="coerce").fillna(0.0).clip(lower=0.0).sum(axis=1)


def parse_plants(path) -> pd.DataFrame:
    """Parse the steel plant CSV and keep plants with operating or mothballed capacity.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``iso3``, ``country``, ``name``, ``status``, ``route`` (GIST ``prod-method-tier``), ``lat``,
        ``lon`` [degree] and the kept capacities of :data:`ROUTES` [kt yr-1]. ``attrs``: ``n_plants``,
        ``n_dropped_capacity``, ``n_dropped_coordinates``.

    Raises
    ------
    SourceFormatError
        Unreadable file or a missing column.
    """
    raw = read_table(path, SOURCE_ID, REQUIRED, encoding="utf-8-sig")
    caps = pd.DataFrame({out: kept_capacity(raw, kind) for out, kind in ROUTES.items()})
    has_cap = (caps[["crude_steel_kt", "bof_kt", "eaf_kt", "ohf_kt", "other_steel_kt", "bf_kt", "dri_kt",
                     "iron_kt"]].sum(axis=1) > 0).to_numpy()
    ok = valid_coordinates(raw["lat"], raw["lng"])
    keep = has_cap & ok
    f, caps = raw[keep], caps[keep]
    iso3, _ = countries_to_iso3(f["country/area"])
    df = pd.DataFrame({
        "id": f["plant-id"].astype(str), "iso3": iso3, "country": f["country/area"].astype(str),
        "name": f["plant-name-(english)"].astype(str), "status": f["plant-status"].astype(str),
        "route": f["prod-method-tier"].fillna("unknown").astype(str),
        "lat": pd.to_numeric(f["lat"]).astype(float), "lon": pd.to_numeric(f["lng"]).astype(float),
    }).join(caps).reset_index(drop=True)
    df.attrs.update(source=SOURCE_ID, n_plants=len(raw), n_dropped_capacity=int((~has_cap & ok).sum()),
                    n_dropped_coordinates=int((~ok).sum()),
                    units={"lat": "degree_north", "lon": "degree_east", **{k: "kt yr-1" for k in ROUTES}})
    return df


def read_plants(settings: Settings | None = None) -> pd.DataFrame:
    """Read the steel plants (see :func:`parse_plants`)."""
    return parse_plants(resolve(SOURCE_ID, FILE, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack: ``gem_steel_plants`` (kept plants with capacity by route)."""
    return {"gem_steel_plants": read_plants(settings)}
