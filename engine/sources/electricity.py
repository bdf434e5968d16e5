"""Electricity generation by source and carbon intensity of electricity (Ember / Energy Institute via OWID).

Two Our World in Data grapher exports (OWID processing of Ember Yearly Electricity Data and the Energy Institute
Statistical Review of World Energy, CC BY 4.0; cite "Ember (2024); Energy Institute - Statistical Review of World
Energy (2024) - with major processing by Our World in Data"):

- ``electricity-prod-source-stacked.csv``: Entity, Code, Year and nine generation columns [TWh], 1985-2023
  (pre-2000 Energy Institute only, ~31 countries; 2023 only ~81 early-estimate countries).
- ``carbon-intensity-electricity.csv``: Entity, Code, Year, life-cycle carbon intensity [g CO2e/kWh], 2000-2024.

Rows kept: entities with an ISO3 ``Code``; OWID's ``OWID_KOS`` becomes ``XKX`` (Kosovo, project convention) and
``OWID_WRL`` becomes ``WLD`` flagged with ``is_world=True``. Region aggregates (``"Africa (Ember)"``, ``"OECD (EI)"``,
no code) are dropped: they overlap the countries and use inconsistent definitions.
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve

SOURCE_ID = "ember_owid_electricity"
GENERATION_FILE = "electricity-prod-source-stacked.csv"
INTENSITY_FILE = "carbon-intensity-electricity.csv"
CREDIT = (
    "Ember (2024); Energy Institute - Statistical Review of World Energy (2024) - "
    "with major processing by Our World in Data"
)

#: Generation source label -> leading text of the OWID column name (the rest is a chart suffix).
SOURCE_COLUMNS = {
    "coal": "Electricity from coal - TWh",
    "gas": "Electricity from gas - TWh",
    "oil": "Electricity from oil - TWh",
    "nuclear": "Electricity from nuclear - TWh",
    "hydro": "Electricity from hydro - TWh",
    "wind": "Electricity from wind - TWh",
    "solar": "Electricity from solar - TWh",
    "bioenergy": "Electricity from bioenergy - TWh",
    "other_renewables": "Other renewables excluding bioenergy - TWh",
}
#: Generation sources in display order (fossil first).
SOURCES = tuple(SOURCE_COLUMNS)
FOSSIL_SOURCES = ("coal", "gas", "oil")
INTENSITY_COLUMN = "Carbon intensity of electricity - gCO2/kWh"
_CODE_OVERRIDES = {"OWID_KOS": "XKX", "OWID_WRL": "WLD"}


def _read_owid_csv(path, filename: str) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SourceFormatError(f"{filename}: not a readable CSV ({exc})", SOURCE_ID, filename) from exc
    missing = [c for c in ("Entity", "Code", "Year") if c not in raw.columns]
    if missing:
        raise SourceFormatError(
            f"{filename}: expected OWID grapher columns Entity, Code, Year; missing {missing} "
            f"(found {list(raw.columns)[:6]})", SOURCE_ID, filename)
    return raw


def _keep_coded(raw: pd.DataFrame) -> pd.DataFrame:
    """Rows with an ISO3 code (plus Kosovo and World), with ``iso3`` and ``is_world`` columns."""
    code = raw["Code"].astype("string").str.strip()
    keep = code.notna() & ((~code.str.startswith("OWID_")) | code.isin(list(_CODE_OVERRIDES)))
    out = raw.loc[keep.fillna(False).to_numpy()].copy()
    out["iso3"] = out["Code"].astype(str).str.strip().replace(_CODE_OVERRIDES)
    out["is_world"] = out["iso3"].eq("WLD")
    out["year"] = pd.to_numeric(out["Year"], errors="raise").astype(int)
    return out


def parse_generation(path) -> pd.DataFrame:
    """Electricity generation by country, year and source.

    Parameters
    ----------
    path : str or Path
        ``electricity-prod-source-stacked.csv`` (OWID grapher export).

    Returns
    -------
    pandas.DataFrame
        Long table with columns ``iso3`` (ISO3; ``XKX`` Kosovo; ``WLD`` world), ``is_world`` (bool, True only for
        the world row), ``year`` (int), ``source`` (one of :data:`SOURCES`), ``generation_twh`` [TWh].
        Cells that are empty in the file (source not reported) are dropped, zeros are kept.
        ``attrs``: ``source``, ``units``, ``credit``.

    Raises
    ------
    SourceFormatError
        If the Entity/Code/Year columns or any of the nine generation columns are missing.
    """
    filename = GENERATION_FILE
    raw = _read_owid_csv(path, filename)
    rename = {}
    for label, prefix in SOURCE_COLUMNS.items():
        hits = [c for c in raw.columns if str(c).startswith(prefix)]
        if len(hits) != 1:
            raise SourceFormatError(
                f"{filename}: expected exactly one column starting with {prefix!r} [TWh], found {len(hits)}",
                SOURCE_ID, filename)
        rename[hits[0]] = label
    df = _keep_coded(raw.rename(columns=rename))
    long = df.melt(id_vars=["iso3", "is_world", "year"], value_vars=list(SOURCES),
                   var_name="source", value_name="generation_twh")
    long["generation_twh"] = pd.to_numeric(long["generation_twh"], errors="coerce")
    long = long.dropna(subset=["generation_twh"])
    long["source"] = pd.Categorical(long["source"], categories=list(SOURCES)).astype(str)
    long = long.sort_values(["iso3", "year", "source"]).reset_index(drop=True)
    if long.duplicated(["iso3", "year", "source"]).any():
        raise SourceFormatError(f"{filename}: duplicate (Code, Year) rows", SOURCE_ID, filename)
    long = long[["iso3", "is_world", "year", "source", "generation_twh"]]
    long.attrs["source"] = SOURCE_ID
    long.attrs["units"] = {"generation_twh": "TWh"}
    long.attrs["credit"] = CREDIT
    return long


def parse_carbon_intensity(path) -> pd.DataFrame:
    """Life-cycle carbon intensity of electricity generation by country and year.

    Parameters
    ----------
    path : str or Path
        ``carbon-intensity-electricity.csv`` (OWID grapher export of Ember data).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3`` (ISO3; ``XKX``; ``WLD`` world), ``is_world`` (bool), ``year`` (int),
        ``intensity_g_co2e_per_kwh`` [g CO2e/kWh]. ``attrs``: ``source``, ``units``, ``credit``.

    Raises
    ------
    SourceFormatError
        If the Entity/Code/Year or the intensity column is missing.
    """
    filename = INTENSITY_FILE
    raw = _read_owid_csv(path, filename)
    if INTENSITY_COLUMN not in raw.columns:
        raise SourceFormatError(f"{filename}: expected column {INTENSITY_COLUMN!r} [gCO2/kWh]", SOURCE_ID, filename)
    df = _keep_coded(raw)
    df["intensity_g_co2e_per_kwh"] = pd.to_numeric(df[INTENSITY_COLUMN], errors="coerce")
    df = df.dropna(subset=["intensity_g_co2e_per_kwh"])
    out = df[["iso3", "is_world", "year", "intensity_g_co2e_per_kwh"]].sort_values(["iso3", "year"])
    out = out.reset_index(drop=True)
    if out.duplicated(["iso3", "year"]).any():
        raise SourceFormatError(f"{filename}: duplicate (Code, Year) rows", SOURCE_ID, filename)
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {"intensity_g_co2e_per_kwh": "g CO2e/kWh"}
    out.attrs["credit"] = CREDIT
    return out


def generation_wide(long: pd.DataFrame) -> pd.DataFrame:
    """Pivot :func:`parse_generation` output to one row per (iso3, year) with a column per source plus total.

    Parameters
    ----------
    long : pandas.DataFrame
        Output of :func:`parse_generation`.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``year``, one column per source [TWh] (missing -> NaN), ``total`` [TWh] (sum of the
        reported sources) and ``fossil_share`` [fraction] (coal+gas+oil over total).
    """
    wide = long.pivot_table(index=["iso3", "year"], columns="source", values="generation_twh", aggfunc="sum")
    wide = wide.reindex(columns=list(SOURCES))
    wide["total"] = wide[list(SOURCES)].sum(axis=1, min_count=1)
    wide["fossil_share"] = wide[list(FOSSIL_SOURCES)].sum(axis=1, min_count=1) / wide["total"]
    wide.columns.name = None
    out = wide.reset_index()
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {**{s: "TWh" for s in SOURCES}, "total": "TWh", "fossil_share": "fraction"}
    return out


def read_generation(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_generation` on the verified data-directory file."""
    return parse_generation(resolve(SOURCE_ID, GENERATION_FILE, settings))


def read_carbon_intensity(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_carbon_intensity` on the verified data-directory file."""
    return parse_carbon_intensity(resolve(SOURCE_ID, INTENSITY_FILE, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Tables for the processed pack.

    Returns
    -------
    dict
        ``ember_owid_electricity_generation`` (long, [TWh]) and ``ember_owid_electricity_carbon_intensity``
        ([g CO2e/kWh]).
    """
    return {
        "ember_owid_electricity_generation": read_generation(settings),
        "ember_owid_electricity_carbon_intensity": read_carbon_intensity(settings),
    }
