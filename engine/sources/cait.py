"""Climate Watch (CAIT) historical GHG emissions by country, gas and sector, 1990-2018 (2021 release, via OWID).

Four OWID grapher CSVs of the Climate Watch data (WRI, CC BY 4.0; cite "Climate Watch (2021) Historical GHG
Emissions, World Resources Institute; via Our World in Data"), one per gas:

========================================================  =======  =======================
file                                                      ``gas``  unit
========================================================  =======  =======================
``GHG Emissions by Country and Sector (CAIT, 2021).csv``  ``GHG``  Mt CO2e/yr (GWP100 AR4)
``CO2 emissions by sector (CAIT, 2021).csv``              ``CO2``  Mt CO2/yr
``Methane emissions by sector (CAIT, 2021).csv``          ``CH4``  Mt CO2e/yr (GWP100 AR4)
``Nitrous oxide emissions by sector (CAIT, 2021).csv``    ``N2O``  Mt CO2e/yr (GWP100 AR4)
========================================================  =======  =======================

Each file has ``Country``, ``Year`` and, per sector, a value column and a ``(per capita)`` column
[t CO2e/person/yr]. The GWP set (AR4 GWP100) is as stated in the project's PROVENANCE for these files.

Sector hierarchy (checked on the files, to the 0.01 Mt rounding of the data), recorded in the ``level`` column:

- ``total``: ``Total excluding LUCF`` = Energy + Industry + Agriculture + Waste; ``Total including LUCF`` =
  ``Total excluding LUCF`` + ``Land-use change and forestry``.
- ``sector``: ``Energy``, ``Industry``, ``Agriculture``, ``Waste``, ``Land-use change and forestry`` (LUCF,
  negative = net sink).
- ``subsector`` (parts of Energy): ``Electricity and heat``, ``Manufacturing and construction``, ``Transport``,
  ``Buildings``, ``Other fuel combustion``, ``Fugitive emissions``.
- ``memo``: ``Aviation and shipping`` (international bunkers) is **not** included in Energy or the totals.

The identities hold to 0.03 Mt for nearly all rows; known exceptions in the published data: Suriname's CO2
Energy exceeds its sub-sectors by ~2 Mt (1990-1999), and Sudan/South Sudan, Russia, Ukraine, Belarus and EU27
GHG totals differ from the sector sum by up to 0.5 Mt in early years. ``GHG`` also contains F-gases (in
Industry), so it exceeds CO2 + CH4 + N2O.

Regions: country names are mapped with :func:`engine.sources._iso.names_to_iso3`; ``World`` -> ``WLD`` and
``European Union (27)`` -> ``EU27`` are kept with ``is_aggregate=True``; ``Timor`` (OWID's name) is ``TLS``.
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve
from engine.sources._iso import names_to_iso3

SOURCE_ID = "cait2021"
CREDIT = "Climate Watch (2021) Historical GHG Emissions, World Resources Institute; via Our World in Data"
#: Gas label -> file name.
FILES = {
    "GHG": "GHG Emissions by Country and Sector (CAIT, 2021).csv",
    "CO2": "CO2 emissions by sector (CAIT, 2021).csv",
    "CH4": "Methane emissions by sector (CAIT, 2021).csv",
    "N2O": "Nitrous oxide emissions by sector (CAIT, 2021).csv",
}
GASES = tuple(FILES)
TOTAL_EXCL_LUCF = "Total excluding LUCF"
TOTAL_INCL_LUCF = "Total including LUCF"
LUCF = "Land-use change and forestry"
#: Sector -> level in the hierarchy (see module docstring).
SECTOR_LEVELS = {
    TOTAL_EXCL_LUCF: "total",
    TOTAL_INCL_LUCF: "total",
    "Energy": "sector",
    "Industry": "sector",
    "Agriculture": "sector",
    "Waste": "sector",
    LUCF: "sector",
    "Electricity and heat": "subsector",
    "Manufacturing and construction": "subsector",
    "Transport": "subsector",
    "Buildings": "subsector",
    "Other fuel combustion": "subsector",
    "Fugitive emissions": "subsector",
    "Aviation and shipping": "memo",
}
#: Names handled before the ISO lookup -> (code, is_aggregate).
SPECIAL_NAMES = {
    "World": ("WLD", True),
    "European Union (27)": ("EU27", True),
    "Timor": ("TLS", False),  # OWID's short name for Timor-Leste, missed by country_converter
}
_PER_CAPITA = " (per capita)"


def parse_gas_file(path, gas: str) -> pd.DataFrame:
    """One CAIT file (one gas) as a long table.

    Parameters
    ----------
    path : str or Path
        The CSV of ``gas`` (see :data:`FILES`).
    gas : str
        ``"GHG"``, ``"CO2"``, ``"CH4"`` or ``"N2O"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``country`` (name in the file), ``year`` (1990-2018), ``gas``, ``sector``, ``level``
        (``total``/``sector``/``subsector``/``memo``), ``emissions_mt_co2e`` [Mt CO2e/yr, GWP100 AR4; CO2 in
        Mt CO2/yr], ``per_capita_t_co2e`` [t CO2e/person/yr] and ``is_aggregate`` (``WLD``, ``EU27``).

    Raises
    ------
    SourceFormatError
        If the file lacks ``Country``/``Year``/total columns or has a sector this reader does not know.
    """
    if gas not in FILES:
        raise ValueError(f"gas must be one of {GASES}, got {gas!r}")
    filename = FILES[gas]
    try:
        raw = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SourceFormatError(f"{filename}: not a readable CSV ({exc})", SOURCE_ID, filename) from exc
    required = ["Country", "Year", TOTAL_EXCL_LUCF, TOTAL_INCL_LUCF]
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise SourceFormatError(
            f"{filename}: expected columns {required} plus one column per sector; missing {missing} "
            f"(found {list(raw.columns)[:6]})",
            SOURCE_ID,
            filename,
        )
    sectors = [c for c in raw.columns if c not in ("Country", "Year") and not c.endswith(_PER_CAPITA)]
    unknown = [s for s in sectors if s not in SECTOR_LEVELS]
    if unknown:
        raise SourceFormatError(
            f"{filename}: unknown sector columns {unknown} (known: {list(SECTOR_LEVELS)})", SOURCE_ID, filename
        )
    values = raw.melt(id_vars=["Country", "Year"], value_vars=sectors, var_name="sector",
                      value_name="emissions_mt_co2e")
    pc_cols = [s + _PER_CAPITA for s in sectors if s + _PER_CAPITA in raw.columns]
    per_cap = raw.melt(id_vars=["Country", "Year"], value_vars=pc_cols, var_name="sector",
                       value_name="per_capita_t_co2e")
    per_cap["sector"] = per_cap["sector"].str.removesuffix(_PER_CAPITA)
    long = values.merge(per_cap, on=["Country", "Year", "sector"], how="left")
    long = long.dropna(subset=["emissions_mt_co2e"])

    names = long["Country"].astype(str).str.strip()
    mapped = names_to_iso3([n for n in names.unique() if n not in SPECIAL_NAMES])
    codes = {n: SPECIAL_NAMES[n][0] if n in SPECIAL_NAMES else mapped.get(n) for n in names.unique()}
    unmapped = sorted(n for n, c in codes.items() if c is None)
    if unmapped:
        raise SourceFormatError(f"{filename}: cannot map country names {unmapped} to ISO3", SOURCE_ID, filename)
    out = pd.DataFrame(
        {
            "iso3": names.map(codes),
            "country": names,
            "year": pd.to_numeric(long["Year"], errors="raise").astype(int),
            "gas": gas,
            "sector": long["sector"],
            "level": long["sector"].map(SECTOR_LEVELS),
            "emissions_mt_co2e": long["emissions_mt_co2e"].astype(float),
            "per_capita_t_co2e": long["per_capita_t_co2e"].astype(float),
            "is_aggregate": names.map(lambda n: SPECIAL_NAMES.get(n, (None, False))[1]).astype(bool),
        }
    )
    if out.duplicated(["iso3", "year", "sector"]).any():
        raise SourceFormatError(f"{filename}: duplicate country/year rows", SOURCE_ID, filename)
    return _finish(out.sort_values(["is_aggregate", "iso3", "sector", "year"]))


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = {
        "emissions_mt_co2e": "Mt CO2e/yr (GWP100 AR4; CO2 in Mt CO2/yr)",
        "per_capita_t_co2e": "t CO2e/person/yr",
    }
    df.attrs["description"] = "Climate Watch (CAIT 2021) emissions by country, gas and sector"
    df.attrs["credit"] = CREDIT
    return df


def parse_emissions(paths: dict[str, object]) -> pd.DataFrame:
    """All four gases in one long table.

    Parameters
    ----------
    paths : dict
        ``gas -> path`` for the gases to read (keys among :data:`GASES`).

    Returns
    -------
    pandas.DataFrame
        Concatenation of :func:`parse_gas_file` outputs (same columns), ``gas`` distinguishes the files.
    """
    frames = [parse_gas_file(p, gas) for gas, p in paths.items()]
    return _finish(pd.concat(frames, ignore_index=True))


def read_emissions(settings: Settings | None = None, gases=GASES) -> pd.DataFrame:
    """:func:`parse_emissions` on the verified files of the data directory.

    Parameters
    ----------
    settings : Settings, optional
    gases : iterable of str
        Which gases to read (default all four).
    """
    return parse_emissions({gas: resolve(SOURCE_ID, FILES[gas], settings) for gas in gases})


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Tables of this source for the processed pack.

    Returns
    -------
    dict
        ``cait_emissions`` (DataFrame of :func:`read_emissions`, all gases and sectors).
    """
    return {"cait_emissions": read_emissions(settings)}
