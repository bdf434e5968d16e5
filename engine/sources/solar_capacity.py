"""Installed solar PV capacity by country (Our World in Data, from BP Statistical Review / IRENA).

File ``installed-solar-PV-capacity.csv`` (OWID grapher chart "installed-solar-PV-capacity", CC BY 4.0; cite "BP
Statistical Review of World Energy; IRENA - with processing by Our World in Data"), as committed in
ReDI-School/nrw-data-analytics: columns Entity, Code (ISO3; empty for regions such as Europe, Asia Pacific, Africa,
CIS), Year (1996-2020), Solar Capacity [GW, cumulative installed at year end]. About 47 countries plus the world.

Rows kept: entities with an ISO3 code; ``OWID_WRL`` becomes ``WLD`` (``is_world=True``). Region rows (no code)
are dropped: their definitions (BP regions) overlap the countries and do not match Ember's.

Use: with solar generation [TWh] of ``ember_owid_electricity`` a country's observed PV capacity factor is
TWh / (mean of the year's start and end capacity [GW] x 8.76) (see :mod:`engine.trade.capacity`).
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve

SOURCE_ID = "owid_solar_capacity"
FILENAME = "installed-solar-PV-capacity.csv"
CREDIT = "BP Statistical Review of World Energy; IRENA - with processing by Our World in Data"
VALUE_COLUMN = "Solar Capacity"


def parse_capacity(path) -> pd.DataFrame:
    """Cumulative installed solar PV capacity by country and year.

    Parameters
    ----------
    path : str or Path
        ``installed-solar-PV-capacity.csv`` (OWID grapher export).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3`` (ISO3; ``WLD`` world), ``is_world`` (bool), ``year`` (int), ``capacity_gw`` [GW, installed
        at year end]. Unique on (iso3, year). ``attrs``: ``source``, ``units``, ``credit``.

    Raises
    ------
    SourceFormatError
        If the file is not a CSV, lacks the Entity/Code/Year/Solar Capacity columns, has negative capacities or
        duplicate (Code, Year) rows.
    """
    try:
        raw = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SourceFormatError(f"{FILENAME}: not a readable CSV ({exc})", SOURCE_ID, FILENAME) from exc
    missing = [c for c in ("Entity", "Code", "Year", VALUE_COLUMN) if c not in raw.columns]
    if missing:
        raise SourceFormatError(f"{FILENAME}: expected OWID columns Entity, Code, Year, {VALUE_COLUMN} [GW]; "
                                f"missing {missing}", SOURCE_ID, FILENAME)
    code = raw["Code"].astype("string").str.strip()
    keep = (code.notna() & (~code.str.startswith("OWID_") | (code == "OWID_WRL"))).fillna(False).to_numpy()
    df = raw.loc[keep].copy()
    df["iso3"] = df["Code"].astype(str).str.strip().replace({"OWID_WRL": "WLD"})
    df["is_world"] = df["iso3"].eq("WLD")
    df["year"] = pd.to_numeric(df["Year"], errors="raise").astype(int)
    df["capacity_gw"] = pd.to_numeric(df[VALUE_COLUMN], errors="coerce").astype(float)
    df = df.dropna(subset=["capacity_gw"])
    if (df["capacity_gw"] < 0).any():
        raise SourceFormatError(f"{FILENAME}: negative {VALUE_COLUMN}", SOURCE_ID, FILENAME)
    if df.duplicated(["iso3", "year"]).any():
        raise SourceFormatError(f"{FILENAME}: duplicate (Code, Year) rows", SOURCE_ID, FILENAME)
    out = df[["iso3", "is_world", "year", "capacity_gw"]].sort_values(["iso3", "year"]).reset_index(drop=True)
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {"capacity_gw": "GW"}
    out.attrs["credit"] = CREDIT
    return out


def read_capacity(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_capacity` on the verified data-directory file."""
    return parse_capacity(resolve(SOURCE_ID, FILENAME, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Tables for the processed pack.

    Returns
    -------
    dict
        ``owid_solar_capacity`` (country x year, [GW]).
    """
    return {"owid_solar_capacity": read_capacity(settings)}
