"""WRI Global Power Plant Database v1.3.0 (trimmed copy): plant locations, fuel and estimated generation.

The copy in the registry keeps only ``country_long, name, latitude, longitude, primary_fuel, other_fuel1-3,
date_of_construction, estimated_generation_gwh_2013 .. 2017`` for all 34,936 plants: there is no ISO3
``country`` column and no capacity. The file is read as latin-1: the trimmed copy replaced most non-ASCII
letters in plant names by ``??`` (about 2,400 lines) and 5 lines keep stray bytes, so plant names are labels,
not keys. ``estimated_generation_gwh_2013 .. 2016`` are empty for every coal, oil, gas and petcoke plant, so this
reader uses the 2017 estimate (1,798 plants have none; their generation is NaN, not 0).

Countries are mapped from ``country_long`` with :func:`engine.sources._iso.names_to_iso3`; all 167 names map
(Kosovo -> XKX, Antarctica -> ATA). Coastal plants may lie on sea cells of a 0.1 degree grid: snap them to
their country's nearest cell when rasterising.

Citation: Global Energy Observatory, Google, KTH Royal Institute of Technology in Stockholm, Enipedia, World
Resources Institute (2018) Global Power Plant Database, v1.3.0 (CC BY 4.0).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve
from engine.sources._iso import names_to_iso3

SOURCE_ID = "wri_gppd"
FILE = "global_power_plant_database.csv"
GENERATION_YEAR = 2017
FOSSIL_FUELS = ("Coal", "Oil", "Gas", "Petcoke")
REQUIRED = ("country_long", "name", "latitude", "longitude", "primary_fuel",
            f"estimated_generation_gwh_{GENERATION_YEAR}")


def parse_plants(path) -> pd.DataFrame:
    """Parse the power plant CSV.

    Parameters
    ----------
    path : str or Path
        ``global_power_plant_database.csv`` (latin-1).

    Returns
    -------
    pandas.DataFrame
        One row per plant: ``iso3``, ``country_long`` (as written), ``name``, ``lat``, ``lon`` [degree, WGS84],
        ``primary_fuel``, ``is_fossil`` (primary fuel Coal, Oil, Gas or Petcoke), ``generation_gwh``
        (estimated generation in 2017 [GWh yr-1], NaN when not estimated), ``year`` (2017).
        ``iso3`` is None for names that map to no country (none in v1.3.0).

    Raises
    ------
    SourceFormatError
        If a required column is missing or coordinates are not numeric / out of range.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, encoding="latin-1", low_memory=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SourceFormatError(f"{path.name}: not a readable CSV ({exc})", SOURCE_ID, path.name) from exc
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise SourceFormatError(f"{path.name}: expected columns {missing} (WRI GPPD v1.3.0 layout)",
                                SOURCE_ID, path.name)
    lat = pd.to_numeric(raw["latitude"], errors="coerce")
    lon = pd.to_numeric(raw["longitude"], errors="coerce")
    if lat.isna().any() or lon.isna().any() or (lat.abs() > 90).any() or (lon.abs() > 180).any():
        raise SourceFormatError(f"{path.name}: latitude/longitude must be numbers within +-90 / +-180",
                                SOURCE_ID, path.name)
    names = raw["country_long"].astype(str).str.strip()
    mapping = names_to_iso3(names.unique())
    df = pd.DataFrame({
        "iso3": names.map(mapping).astype(object),
        "country_long": names,
        "name": raw["name"].astype(str),
        "lat": lat.astype(float),
        "lon": lon.astype(float),
        "primary_fuel": raw["primary_fuel"].astype(str),
        "is_fossil": raw["primary_fuel"].isin(FOSSIL_FUELS),
        "generation_gwh": pd.to_numeric(raw[f"estimated_generation_gwh_{GENERATION_YEAR}"], errors="coerce"),
        "year": GENERATION_YEAR,
    })
    df["iso3"] = df["iso3"].where(df["iso3"].notna(), None)
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = {"lat": "degree_north", "lon": "degree_east",
                         "generation_gwh": f"GWh yr-1 (estimated, {GENERATION_YEAR})"}
    df.attrs["unmapped_countries"] = sorted(n for n, c in mapping.items() if c is None)
    return df


def read_plants(settings: Settings | None = None) -> pd.DataFrame:
    """Read the power plant database (see :func:`parse_plants`)."""
    return parse_plants(resolve(SOURCE_ID, FILE, settings))


def fossil_generation_by_country(plants: pd.DataFrame) -> pd.DataFrame:
    """Estimated 2017 generation of fossil plants per country and fuel.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``primary_fuel``, ``n_plants``, ``generation_twh`` [TWh yr-1].
    """
    fossil = plants[plants["is_fossil"] & plants["iso3"].notna()]
    out = (fossil.groupby(["iso3", "primary_fuel"], as_index=False)
           .agg(n_plants=("name", "size"), generation_gwh=("generation_gwh", "sum")))
    out["generation_twh"] = out.pop("generation_gwh") / 1000.0
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {"generation_twh": f"TWh yr-1 (estimated, {GENERATION_YEAR})"}
    return out


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack: ``wri_power_plants`` (one row per plant, 34,936 rows)."""
    return {"wri_power_plants": read_plants(settings)}
