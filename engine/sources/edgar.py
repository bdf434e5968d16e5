"""EDGAR 2024 GHG booklet: country x sector x gas emissions, totals, intensities and LULUCF by macro-region.

File ``EDGAR_2024_GHG_booklet_2024.xlsx`` (Crippa et al. 2024, *GHG emissions of all world countries - 2024
Report*, JRC138862, doi:10.2760/4002897). Sheets read here:

==============================  =====================================================  =======================
sheet                           content                                                unit (booklet ``info``)
==============================  =====================================================  =======================
``GHG_totals_by_country``       GHG excl. LULUCF by country, 1970-2023                 Mt CO2e/yr (GWP100 AR5)
``GHG_by_sector_and_country``   substance x 8 sectors x country, 1970-2023             Mt CO2e/yr (GWP100 AR5)
``GHG_per_capita_by_country``   GHG per person, 1970-2023                              t CO2e/cap/yr
``GHG_per_GDP_by_country``      GHG per unit of GDP, 1990-2023                         t CO2e/kUSD/yr
``LULUCF_macroregions``         LULUCF by 10 macro-regions (+ EU27, world), 1990-2023  Mt CO2e/yr (GWP100 AR5)
==============================  =====================================================  =======================

Gases: the sector sheet writes substances ``CO2`` (fossil CO2, Mt CO2), ``GWP_100_AR5_CH4``, ``GWP_100_AR5_N2O``
and ``GWP_100_AR5_F-gases`` (Mt CO2e with IPCC AR5 GWP100). They are normalised to ``"CO2"``, ``"CH4"``,
``"N2O"``, ``"F-gases"``; values are kept as published. To change GWP set, divide CH4/N2O by their AR5 GWP and
multiply by the other set's; F-gases are lumped and cannot be re-weighted exactly.

Region codes. EDGAR writes its own country code in the column ``EDGAR Country Code``. Almost all are ISO 3166
alpha-3; the differences are mapped as follows (``edgar_code`` keeps the original):

================  ======================  ===============  ==========================================
EDGAR code        EDGAR name              ``iso3``         note
================  ======================  ===============  ==========================================
``AIR``           International Aviation  ``BUNKERS_AIR``  international bunker, not a country
``SEA``           International Shipping  ``BUNKERS_SEA``  international bunker, not a country
``ANT``           Curaçao                 ``CUW``          old Netherlands Antilles code
``SCG``           Serbia and Montenegro   ``SCG``          one entity, no Kosovo line; project code
``GLOBAL TOTAL``  GLOBAL TOTAL            ``WLD``          aggregate, ``is_aggregate=True``
``EU27``          EU27                    ``EU27``         aggregate, ``is_aggregate=True``
================  ======================  ===============  ==========================================

Some ISO codes stand for a slightly larger entity than the ISO country (EDGAR's names say so): ``CHE``
Switzerland and Liechtenstein, ``ESP`` Spain and Andorra, ``FRA`` France and Monaco, ``ISR`` Israel and
Palestine, ``ITA`` Italy, San Marino and the Holy See, ``SDN`` Sudan and South Sudan.

Rows with ``is_aggregate=False`` are the countries plus the two bunker lines; they add up to the published
GLOBAL TOTAL (checked by the tests). Blank spacer rows are skipped; missing values (e.g. a country before it
existed) are dropped from the long tables.

License: EDGAR CH4/N2O/F-gases CC BY 4.0; fossil CO2 (IEA-EDGAR CO2) CC BY-NC-ND 4.0, so totals containing it
must be shown with that license and not redistributed.
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve

SOURCE_ID = "edgar2024"
FILENAME = "EDGAR_2024_GHG_booklet_2024.xlsx"
CREDIT = (
    "EDGAR 2024 GHG (Crippa et al. 2024, JRC138862, doi:10.2760/4002897); "
    "IEA-EDGAR CO2 CC BY-NC-ND 4.0, EDGAR CH4/N2O/F-gases CC BY 4.0"
)

SHEET_TOTALS = "GHG_totals_by_country"
SHEET_SECTOR = "GHG_by_sector_and_country"
SHEET_PER_CAPITA = "GHG_per_capita_by_country"
SHEET_PER_GDP = "GHG_per_GDP_by_country"
SHEET_LULUCF = "LULUCF_macroregions"

#: The eight EDGAR sectors, as written in the booklet.
SECTORS = (
    "Agriculture",
    "Buildings",
    "Fuel Exploitation",
    "Industrial Combustion",
    "Power Industry",
    "Processes",
    "Transport",
    "Waste",
)
#: Booklet substance label -> normalised gas name.
GAS_NAMES = {
    "CO2": "CO2",
    "GWP_100_AR5_CH4": "CH4",
    "GWP_100_AR5_N2O": "N2O",
    "GWP_100_AR5_F-gases": "F-gases",
    "GWP_100_AR5_GHG": "GHG",
}
#: EDGAR country code -> project region code, where they differ.
CODE_MAP = {
    "AIR": "BUNKERS_AIR",
    "SEA": "BUNKERS_SEA",
    "ANT": "CUW",
    "GLOBAL TOTAL": "WLD",
    "EU27": "EU27",
}
#: Project codes of aggregate rows (never add them to countries).
AGGREGATES = ("WLD", "EU27")
#: Project codes of the international bunker lines.
BUNKERS = ("BUNKERS_AIR", "BUNKERS_SEA")

_CODE_COL = "EDGAR Country Code"


def _read_sheet(path, sheet: str, id_cols: list[str]) -> tuple[pd.DataFrame, list[int]]:
    """Read one booklet sheet; check its id columns and find the integer year columns."""
    book = _all_sheets(path)
    try:
        if sheet not in book.sheet_names:
            raise SourceFormatError(
                f"{FILENAME}: expected a sheet {sheet!r}; found {book.sheet_names}", SOURCE_ID, FILENAME
            )
        raw = book.parse(sheet)
    finally:
        if book is not path:
            book.close()
    missing = [c for c in id_cols if c not in raw.columns]
    years = [c for c in raw.columns if isinstance(c, int) or (isinstance(c, str) and c.isdigit())]
    if missing or not years:
        raise SourceFormatError(
            f"{FILENAME}: sheet {sheet!r} should have columns {id_cols} and one column per year; "
            f"missing {missing}, {len(years)} year columns (found {list(raw.columns)[:6]})",
            SOURCE_ID,
            FILENAME,
        )
    raw = raw.rename(columns={c: int(c) for c in years})
    raw = raw.dropna(subset=[id_cols[0]])  # blank spacer rows
    return raw, [int(c) for c in years]


def _melt(raw: pd.DataFrame, id_cols: list[str], years: list[int], value: str) -> pd.DataFrame:
    long = raw.melt(id_vars=id_cols, value_vars=years, var_name="year", value_name=value)
    long = long.dropna(subset=[value])
    long["year"] = long["year"].astype(int)
    long[value] = pd.to_numeric(long[value], errors="raise").astype(float)
    return long


def _add_codes(df: pd.DataFrame) -> pd.DataFrame:
    code = df[_CODE_COL].astype(str).str.strip()
    df = df.assign(edgar_code=code, iso3=code.replace(CODE_MAP))
    df["is_aggregate"] = df["iso3"].isin(AGGREGATES)
    df = df.rename(columns={"Country": "country"})
    df["country"] = df["country"].astype(str).str.strip()
    return df


def _finish(df: pd.DataFrame, units: dict[str, str], what: str) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = units
    df.attrs["description"] = what
    return df


def parse_ghg_by_sector(path) -> pd.DataFrame:
    """Emissions by country, EDGAR sector, gas and year (sheet ``GHG_by_sector_and_country``).

    Parameters
    ----------
    path : str or Path
        The booklet workbook.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3`` (project code, see module docstring), ``edgar_code``, ``country`` (EDGAR name),
        ``sector`` (one of :data:`SECTORS`), ``gas`` (``"CO2"``, ``"CH4"``, ``"N2O"``, ``"F-gases"``),
        ``year`` (1970-2023), ``emissions_mt_co2e`` [Mt CO2e/yr, GWP100 AR5; CO2 in Mt CO2/yr] and
        ``is_aggregate`` (True for ``WLD`` and ``EU27``). Bunkers are kept as ``BUNKERS_AIR``/``BUNKERS_SEA``.

    Raises
    ------
    SourceFormatError
        If the sheet or its columns are missing, or a substance/sector is not one the booklet uses.
    """
    ids = ["Substance", "Sector", _CODE_COL, "Country"]
    raw, years = _read_sheet(path, SHEET_SECTOR, ids)
    bad_gas = sorted(set(raw["Substance"].astype(str)) - (set(GAS_NAMES) - {"GWP_100_AR5_GHG"}))
    bad_sector = sorted(set(raw["Sector"].astype(str)) - set(SECTORS))
    if bad_gas or bad_sector:
        raise SourceFormatError(
            f"{FILENAME}: sheet {SHEET_SECTOR!r} has unexpected substances {bad_gas} or sectors {bad_sector}; "
            f"expected substances {list(GAS_NAMES)[:4]} and sectors {list(SECTORS)}",
            SOURCE_ID,
            FILENAME,
        )
    long = _add_codes(_melt(raw, ids, years, "emissions_mt_co2e"))
    long["gas"] = long["Substance"].map(GAS_NAMES)
    long = long.rename(columns={"Sector": "sector"})
    cols = ["iso3", "edgar_code", "country", "sector", "gas", "year", "emissions_mt_co2e", "is_aggregate"]
    long = long[cols].sort_values(["is_aggregate", "iso3", "sector", "gas", "year"])
    return _finish(
        long,
        {"emissions_mt_co2e": "Mt CO2e/yr (GWP100 AR5; fossil CO2 in Mt CO2/yr)"},
        "EDGAR 2024 GHG excl. LULUCF by country, sector and gas",
    )


def _parse_country_sheet(path, sheet: str, value: str, unit: str, what: str) -> pd.DataFrame:
    ids = [_CODE_COL, "Country"]
    raw, years = _read_sheet(path, sheet, ids)
    long = _add_codes(_melt(raw, ids, years, value))
    long = long[["iso3", "edgar_code", "country", "year", value, "is_aggregate"]]
    long = long.sort_values(["is_aggregate", "iso3", "year"])
    return _finish(long, {value: unit}, what)


def parse_ghg_totals(path) -> pd.DataFrame:
    """GHG totals excluding LULUCF by country and year (sheet ``GHG_totals_by_country``).

    Parameters
    ----------
    path : str or Path
        The booklet workbook.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``edgar_code``, ``country``, ``year`` (1970-2023), ``ghg_mt_co2e``
        [Mt CO2e/yr, GWP100 AR5] and ``is_aggregate``.
    """
    return _parse_country_sheet(
        path, SHEET_TOTALS, "ghg_mt_co2e", "Mt CO2e/yr (GWP100 AR5)", "EDGAR 2024 GHG excl. LULUCF by country"
    )


def parse_per_capita(path) -> pd.DataFrame:
    """GHG per person by country and year (sheet ``GHG_per_capita_by_country``).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``edgar_code``, ``country``, ``year`` (1970-2023), ``ghg_t_co2e_per_capita``
        [t CO2e/person/yr, GWP100 AR5] and ``is_aggregate``.
    """
    return _parse_country_sheet(
        path, SHEET_PER_CAPITA, "ghg_t_co2e_per_capita", "t CO2e/person/yr (GWP100 AR5)",
        "EDGAR 2024 GHG excl. LULUCF per capita",
    )


def parse_per_gdp(path) -> pd.DataFrame:
    """GHG per unit of GDP by country and year (sheet ``GHG_per_GDP_by_country``).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``edgar_code``, ``country``, ``year`` (1990-2023), ``ghg_t_co2e_per_kusd``
        [t CO2e per thousand USD of GDP per yr, as labelled in the booklet] and ``is_aggregate``.
    """
    return _parse_country_sheet(
        path, SHEET_PER_GDP, "ghg_t_co2e_per_kusd", "t CO2e/kUSD GDP/yr (GWP100 AR5)",
        "EDGAR 2024 GHG excl. LULUCF per unit of GDP",
    )


def parse_lulucf_macroregions(path) -> pd.DataFrame:
    """LULUCF emissions and removals by macro-region (sheet ``LULUCF_macroregions``).

    Parameters
    ----------
    path : str or Path
        The booklet workbook.

    Returns
    -------
    pandas.DataFrame
        Columns ``region`` (EDGAR macro-region name; ``"EU27"`` and ``"GLOBAL TOTAL"`` are aggregates),
        ``sector`` (``Deforestation``, ``Fires``, ``Forest Land``, ``Organic Soil``, ``Other Land``, or ``Net``
        for the published net total), ``gas`` (``CO2``, ``CH4``, ``N2O``, or ``GHG`` for ``Net``), ``year``
        (1990-2023), ``emissions_mt_co2e`` [Mt CO2e/yr, GWP100 AR5; negative = removal] and ``is_aggregate``.
    """
    ids = ["Substance", "Macro-region", "Sector"]
    raw, years = _read_sheet(path, SHEET_LULUCF, ids)
    bad = sorted(set(raw["Substance"].astype(str)) - set(GAS_NAMES))
    if bad:
        raise SourceFormatError(
            f"{FILENAME}: sheet {SHEET_LULUCF!r} has unexpected substances {bad}", SOURCE_ID, FILENAME
        )
    long = _melt(raw, ids, years, "emissions_mt_co2e")
    long["gas"] = long["Substance"].map(GAS_NAMES)
    long = long.rename(columns={"Macro-region": "region", "Sector": "sector"})
    long["region"] = long["region"].astype(str).str.strip()
    long["is_aggregate"] = long["region"].isin(["EU27", "GLOBAL TOTAL"])
    long = long[["region", "sector", "gas", "year", "emissions_mt_co2e", "is_aggregate"]]
    return _finish(
        long.sort_values(["is_aggregate", "region", "sector", "gas", "year"]),
        {"emissions_mt_co2e": "Mt CO2e/yr (GWP100 AR5); negative = removal"},
        "EDGAR 2024 LULUCF by macro-region",
    )


def read_ghg_by_sector(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_ghg_by_sector` on the verified booklet of the data directory."""
    return parse_ghg_by_sector(resolve(SOURCE_ID, FILENAME, settings))


def read_ghg_totals(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_ghg_totals` on the verified booklet of the data directory."""
    return parse_ghg_totals(resolve(SOURCE_ID, FILENAME, settings))


def read_per_capita(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_per_capita` on the verified booklet of the data directory."""
    return parse_per_capita(resolve(SOURCE_ID, FILENAME, settings))


def read_per_gdp(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_per_gdp` on the verified booklet of the data directory."""
    return parse_per_gdp(resolve(SOURCE_ID, FILENAME, settings))


def read_lulucf_macroregions(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_lulucf_macroregions` on the verified booklet of the data directory."""
    return parse_lulucf_macroregions(resolve(SOURCE_ID, FILENAME, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Tables of this source for the processed pack.

    Returns
    -------
    dict
        ``edgar_ghg_by_sector``, ``edgar_ghg_totals``, ``edgar_ghg_per_capita``, ``edgar_ghg_per_gdp``,
        ``edgar_lulucf_macroregions`` (DataFrames, see the ``parse_*`` functions).
    """
    path = resolve(SOURCE_ID, FILENAME, settings)
    with _all_sheets(path) as book:  # open the workbook once for the five sheets
        return {
            "edgar_ghg_by_sector": parse_ghg_by_sector(book),
            "edgar_ghg_totals": parse_ghg_totals(book),
            "edgar_ghg_per_capita": parse_per_capita(book),
            "edgar_ghg_per_gdp": parse_per_gdp(book),
            "edgar_lulucf_macroregions": parse_lulucf_macroregions(book),
        }


def _all_sheets(path) -> pd.ExcelFile:
    """Open the workbook once (``pd.ExcelFile``) so several parsers share it; an open one is passed through."""
    if isinstance(path, pd.ExcelFile):
        return path
    try:
        return pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # zip / xml errors: not an xlsx
        raise SourceFormatError(
            f"{FILENAME}: not a readable Excel workbook ({type(exc).__name__}: {exc})", SOURCE_ID, FILENAME
        ) from exc
