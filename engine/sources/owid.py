"""Our World in Data processing of the Global Carbon Budget 2024: territorial and consumption-based CO2.

Two OWID grapher exports (CC BY 4.0; cite "Global Carbon Budget (2024) - with major processing by Our World in
Data"):

- ``annual-co2-emissions-per-country.csv``: Entity, Code, Year, "Annual CO₂ emissions" [t CO2/yr], territorial
  fossil CO2 including cement, excluding land-use change, 1750-2023 (OWID variable 998397, equal to the GCB
  2024 v17 flat file);
- ``consumption-co2-emissions.csv``: Entity, Code, Year, "Annual consumption-based CO₂ emissions" [t CO2/yr],
  1990-2022 (148 entities in 2022; 2 stray entities in 2023). The official GCB xlsx v1.0 stops consumption at
  2021; OWID's 2022 values are its own GCB-2024 vintage.

Region codes. ``Code`` is ISO3 for countries, blank for regions, ``OWID_*`` for a few entities. Kept:

================================  ==================  ================
OWID entity / code                ``iso3``            ``is_aggregate``
================================  ==================  ================
countries (ISO3 code)             the code            False
``OWID_KOS`` Kosovo               ``XKX``             False
``International aviation``        ``BUNKERS_AIR``     False
``International shipping``        ``BUNKERS_SEA``     False
``International transport``       ``BUNKERS``         False
``Ryukyu Islands (GCP)``          ``RYUKYU_ISLANDS``  False
``European Union (27)``           ``EU27``            True
``OWID_WRL`` World                ``WLD``             True
================================  ==================  ================

All other blank-code entities (continents, income groups, "(GCP)" regions, EU-28) are dropped: they overlap
the countries. ``Kuwaiti Oil Fires (GCP)`` (478 Mt CO2 in 1991) is dropped too, because OWID already adds the
1991 oil fires to Kuwait (metadata: "Emissions from the 1991 Kuwaiti oil fires are included in Kuwait's
emissions for that year"); keeping it would count them twice. With that, the rows with ``is_aggregate=False``
(countries + bunkers + Ryukyu Islands) add up to World in every year of the territorial file.

Years: the consumption file has 2023 rows only for World and International transport (territorial values);
like every year without any country value, they are dropped.
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve

SOURCE_ID = "owid_gcb2024"
TERRITORIAL_FILE = "annual-co2-emissions-per-country.csv"
CONSUMPTION_FILE = "consumption-co2-emissions.csv"
CREDIT = "Global Carbon Budget (2024) - with major processing by Our World in Data"

TERRITORIAL_COLUMN = "Annual CO₂ emissions"
CONSUMPTION_COLUMN = "Annual consumption-based CO₂ emissions"
#: OWID codes -> project codes.
CODE_MAP = {"OWID_KOS": "XKX", "OWID_WRL": "WLD"}
#: Blank-code entities that are kept -> project codes.
ENTITY_MAP = {
    "European Union (27)": "EU27",
    "International aviation": "BUNKERS_AIR",
    "International shipping": "BUNKERS_SEA",
    "International transport": "BUNKERS",
    "Ryukyu Islands (GCP)": "RYUKYU_ISLANDS",
}
AGGREGATES = ("WLD", "EU27")


def _parse_grapher(path, filename: str, column: str, value: str, what: str) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SourceFormatError(f"{filename}: not a readable CSV ({exc})", SOURCE_ID, filename) from exc
    missing = [c for c in ("Entity", "Code", "Year", column) if c not in raw.columns]
    if missing:
        raise SourceFormatError(
            f"{filename}: expected OWID grapher columns Entity, Code, Year, {column!r}; missing {missing} "
            f"(found {list(raw.columns)})",
            SOURCE_ID,
            filename,
        )
    code = raw["Code"].astype("string").str.strip()
    code = code.fillna(raw["Entity"].map(ENTITY_MAP)).replace(CODE_MAP)
    keep = code.notna() & ~code.str.startswith("OWID_").fillna(False)
    out = pd.DataFrame(
        {
            "iso3": code[keep].astype(str),
            "entity": raw.loc[keep, "Entity"].astype(str),
            "year": pd.to_numeric(raw.loc[keep, "Year"], errors="raise").astype(int),
            f"{value}_t_co2": pd.to_numeric(raw.loc[keep, column], errors="coerce").astype(float),
        }
    ).dropna(subset=[f"{value}_t_co2"])
    is_country = ~out["iso3"].isin([*AGGREGATES, "BUNKERS", "BUNKERS_AIR", "BUNKERS_SEA"])
    out = out[out["year"].isin(set(out.loc[is_country, "year"]))].copy()
    out[f"{value}_mt_co2"] = out[f"{value}_t_co2"] / 1e6
    out["is_aggregate"] = out["iso3"].isin(AGGREGATES)
    out = out.sort_values(["is_aggregate", "iso3", "year"]).reset_index(drop=True)
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {f"{value}_t_co2": "t CO2/yr", f"{value}_mt_co2": "Mt CO2/yr"}
    out.attrs["description"] = what
    out.attrs["credit"] = CREDIT
    return out


def parse_territorial(path) -> pd.DataFrame:
    """Territorial (production-based) fossil CO2 by country and year.

    Parameters
    ----------
    path : str or Path
        ``annual-co2-emissions-per-country.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3`` (see module docstring), ``entity`` (OWID name), ``year`` (1750-2023),
        ``emissions_t_co2`` [t CO2/yr], ``emissions_mt_co2`` [Mt CO2/yr] and ``is_aggregate``.
    """
    return _parse_grapher(
        path, TERRITORIAL_FILE, TERRITORIAL_COLUMN, "emissions", "OWID/GCB 2024 territorial fossil CO2"
    )


def parse_consumption(path) -> pd.DataFrame:
    """Consumption-based fossil CO2 by country and year.

    Parameters
    ----------
    path : str or Path
        ``consumption-co2-emissions.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``entity``, ``year`` (1990-2022),
        ``emissions_t_co2`` [t CO2/yr], ``emissions_mt_co2`` [Mt CO2/yr] and ``is_aggregate``.
    """
    return _parse_grapher(
        path, CONSUMPTION_FILE, CONSUMPTION_COLUMN, "emissions", "OWID/GCB 2024 consumption-based fossil CO2"
    )


def production_vs_consumption(territorial: pd.DataFrame, consumption: pd.DataFrame) -> pd.DataFrame:
    """Join territorial and consumption CO2 where both exist.

    Parameters
    ----------
    territorial, consumption : pandas.DataFrame
        Outputs of :func:`parse_territorial` and :func:`parse_consumption`.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``entity``, ``year``, ``territorial_mt_co2`` [Mt CO2/yr], ``consumption_mt_co2``
        [Mt CO2/yr], ``transfer_mt_co2`` (consumption - territorial [Mt CO2/yr], positive = net importer),
        ``consumption_vs_territorial_pct`` [%] and ``is_aggregate``.
    """
    t = territorial[["iso3", "year", "entity", "emissions_mt_co2", "is_aggregate"]].rename(
        columns={"emissions_mt_co2": "territorial_mt_co2"}
    )
    c = consumption[["iso3", "year", "emissions_mt_co2"]].rename(columns={"emissions_mt_co2": "consumption_mt_co2"})
    out = t.merge(c, on=["iso3", "year"], how="inner")
    out["transfer_mt_co2"] = out["consumption_mt_co2"] - out["territorial_mt_co2"]
    out["consumption_vs_territorial_pct"] = 100.0 * out["transfer_mt_co2"] / out["territorial_mt_co2"]
    cols = ["iso3", "entity", "year", "territorial_mt_co2", "consumption_mt_co2", "transfer_mt_co2",
            "consumption_vs_territorial_pct", "is_aggregate"]
    out = out[cols].sort_values(["is_aggregate", "iso3", "year"]).reset_index(drop=True)
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {
        "territorial_mt_co2": "Mt CO2/yr",
        "consumption_mt_co2": "Mt CO2/yr",
        "transfer_mt_co2": "Mt CO2/yr (consumption - territorial)",
        "consumption_vs_territorial_pct": "%",
    }
    out.attrs["description"] = "OWID/GCB 2024 territorial vs consumption-based CO2"
    out.attrs["credit"] = CREDIT
    return out


def read_territorial(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_territorial` on the verified file of the data directory."""
    return parse_territorial(resolve(SOURCE_ID, TERRITORIAL_FILE, settings))


def read_consumption(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_consumption` on the verified file of the data directory."""
    return parse_consumption(resolve(SOURCE_ID, CONSUMPTION_FILE, settings))


def read_production_vs_consumption(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`production_vs_consumption` of the two verified files."""
    return production_vs_consumption(read_territorial(settings), read_consumption(settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Tables of this source for the processed pack.

    Returns
    -------
    dict
        ``owid_co2_territorial``, ``owid_co2_consumption`` and ``owid_co2_production_vs_consumption``
        (DataFrames, see the functions above).
    """
    territorial = read_territorial(settings)
    consumption = read_consumption(settings)
    return {
        "owid_co2_territorial": territorial,
        "owid_co2_consumption": consumption,
        "owid_co2_production_vs_consumption": production_vs_consumption(territorial, consumption),
    }
