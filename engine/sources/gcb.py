"""Global Carbon Budget 2024: national fossil CO2 (territorial, consumption, transfers), national land-use
change by bookkeeping model, the global budget, and territorial CO2 by fuel.

Friedlingstein, P. et al. (2024) Global Carbon Budget 2024, Earth Syst. Sci. Data, doi:10.5194/essd-2024-519;
data doi:10.18160/gcp-2024 (CC BY 4.0). Files of source ``gcb2024``:

===============================================  ===============================================  ============
file / sheet                                     content                                          unit
===============================================  ===============================================  ============
``National_Fossil_Carbon_Emissions_2024v1.0``    ``Territorial Emissions`` 1850-2023;             MtC/yr
                                                 ``Consumption Emissions`` and ``Emissions
                                                 Transfers`` 1990-2021 (2022-23 rows empty)
``National_LandUseChange_Carbon_Emissions_...``  ELUC by country, one sheet per bookkeeping        MtC/yr (TgC)
                                                 model: BLUE, H&C2023, OSCAR, LUCE; 1850-2023
``Global_Carbon_Budget_2024_v1.0``               sheet ``Global Carbon Budget``, 1959-2023         GtC/yr
``GCB2024v17_MtCO2_flat.csv``                    territorial fossil CO2 by fuel, 1750-2023         Mt CO2/yr
===============================================  ===============================================  ============

Units: carbon-mass values are kept as published (``*_mtc``, ``*_gtc``) and, where useful, converted to CO2 mass
with the GCB factor **1 MtC = 3.664 Mt CO2** (:data:`C_TO_CO2`, the ratio of molar masses 44.01/12.011 rounded as
in the GCB files) into ``*_mt_co2`` columns.

Regions: the national xlsx files name countries in English ("USA", "Russia", "Czechia"), mapped to ISO3 with
:func:`engine.sources._iso.names_to_iso3`. Non-country columns: ``World``/``Global`` -> ``WLD`` and ``EU27`` ->
``EU27`` are kept with ``is_aggregate=True``; ``Bunkers`` -> ``BUNKERS`` (international aviation and shipping)
and ``Statistical Difference`` -> ``STAT_DIFF`` are kept as their own non-country lines (``is_aggregate=False``)
because countries + bunkers + statistical difference add up to World; the land-use file's ``OTHER`` and
``DISPUTED`` columns are kept as ``OTHER``/``DISPUTED`` for the same reason. Other region groups (``KP Annex B``,
``OECD``, ``Africa``, ...) are dropped: they overlap the countries. In the flat CSV, ``XIA``/``XIS`` become
``BUNKERS_AIR``/``BUNKERS_SEA``, ``KSV`` becomes ``XKX`` (Kosovo) and the three entities without ISO code get
``KUWAIT_OIL_FIRES``, ``PACIFIC_ISLANDS_PALAU`` and ``RYUKYU_ISLANDS``.

Vintages: the flat CSV is v17, slightly later than the xlsx v1.0 (China 2022 territorial 11,350.5 vs
11,402.4 Mt CO2); pin each file's own values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.core.units import C_TO_CO2
from engine.data.fetch import resolve
from engine.sources._iso import names_to_iso3

SOURCE_ID = "gcb2024"
NATIONAL_FOSSIL_FILE = "National_Fossil_Carbon_Emissions_2024v1.0.xlsx"
NATIONAL_LUC_FILE = "National_LandUseChange_Carbon_Emissions_2024v1.0.xlsx"
GLOBAL_FILE = "Global_Carbon_Budget_2024_v1.0.xlsx"
FLAT_FILE = "GCB2024v17_MtCO2_flat.csv"
CREDIT = "Global Carbon Budget 2024 (Friedlingstein et al. 2024, ESSD; doi:10.18160/gcp-2024)"

#: Mass of CO2 per mass of carbon used by the GCB files [t CO2 / t C].

SHEET_TERRITORIAL = "Territorial Emissions"
SHEET_CONSUMPTION = "Consumption Emissions"
SHEET_TRANSFERS = "Emissions Transfers"
SHEET_GLOBAL = "Global Carbon Budget"
#: Bookkeeping models of the national land-use change file (one sheet each).
LUC_MODELS = ("BLUE", "H&C2023", "OSCAR", "LUCE")
#: Fuel columns of the flat CSV.
FUELS = ("Total", "Coal", "Oil", "Gas", "Cement", "Flaring", "Other")

#: Non-country column names of the national files -> (project code, is_aggregate). Other groups are dropped.
SPECIAL_NAMES = {
    "World": ("WLD", True),
    "Global": ("WLD", True),
    "EU27": ("EU27", True),
    "Bunkers": ("BUNKERS", False),
    "Statistical Difference": ("STAT_DIFF", False),
    "OTHER": ("OTHER", False),
    "DISPUTED": ("DISPUTED", False),
}
#: Flat-CSV codes and names that are not plain ISO3 -> project code.
FLAT_CODES = {"XIA": "BUNKERS_AIR", "XIS": "BUNKERS_SEA", "KSV": "XKX"}
FLAT_NAMES = {
    "Kuwaiti Oil Fires": "KUWAIT_OIL_FIRES",
    "Pacific Islands (Palau)": "PACIFIC_ISLANDS_PALAU",
    "Ryukyu Islands": "RYUKYU_ISLANDS",
}
#: Global budget column header (as published) -> output column [GtC/yr].
BUDGET_COLUMNS = {
    "fossil emissions excluding carbonation": "fossil_gtc",
    "land-use change emissions": "land_use_change_gtc",
    "atmospheric growth": "atmospheric_growth_gtc",
    "ocean sink": "ocean_sink_gtc",
    "land sink": "land_sink_gtc",
    "cement carbonation sink": "cement_carbonation_gtc",
    "budget imbalance": "budget_imbalance_gtc",
}


def _fmt_error(filename: str, message: str) -> SourceFormatError:
    return SourceFormatError(f"{filename}: {message}", SOURCE_ID, filename)


def _open_book(path, filename: str) -> pd.ExcelFile:
    """Open a workbook once; an open ``pd.ExcelFile`` is passed through."""
    if isinstance(path, pd.ExcelFile):
        return path
    try:
        return pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # zip / xml errors: not an xlsx
        raise _fmt_error(filename, f"not a readable Excel workbook ({type(exc).__name__}: {exc})") from exc


def _read_raw_sheet(path, filename: str, sheet: str) -> pd.DataFrame:
    book = _open_book(path, filename)
    try:
        if sheet not in book.sheet_names:
            raise _fmt_error(filename, f"expected a sheet {sheet!r}; found {book.sheet_names}")
        return book.parse(sheet, header=None)
    finally:
        if book is not path:
            book.close()


def _is_year(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return 1700 <= int(value) <= 2100
    if isinstance(value, (float, np.floating)):
        return float(value).is_integer() and 1700 <= value <= 2100
    return isinstance(value, str) and value.strip().isdigit() and 1700 <= int(value) <= 2100


def _year_table(raw: pd.DataFrame, filename: str, sheet: str) -> pd.DataFrame:
    """Cut a GCB sheet laid out as a header row of names above one row per year (years in column 0).

    The header is the row just above the first year row (the sheets differ in how many notes precede it).
    """
    first = raw.iloc[:, 0].map(_is_year)
    if not first.any():
        raise _fmt_error(filename, f"sheet {sheet!r}: found no year rows (years expected in the first column)")
    start = int(np.argmax(first.to_numpy()))
    if start == 0:
        raise _fmt_error(filename, f"sheet {sheet!r}: no header row above the first year row")
    header = raw.iloc[start - 1]
    body = raw.iloc[start:]
    body = body[body.iloc[:, 0].map(_is_year)]
    names = {i: str(h).strip() for i, h in header.items() if i != 0 and isinstance(h, str) and h.strip()}
    table = body[list(names)].rename(columns=names)
    table.index = body.iloc[:, 0].astype(float).astype(int).rename("year")
    return table


def _national_long(table: pd.DataFrame, filename: str, sheet: str, value: str) -> pd.DataFrame:
    """Wide year x name table -> long iso3/country/year/value with aggregates flagged, groups dropped."""
    codes = {}
    aggregate = {}
    plain = [n for n in table.columns if n not in SPECIAL_NAMES]
    mapped = names_to_iso3(plain)
    for name in table.columns:
        if name in SPECIAL_NAMES:
            codes[name], aggregate[name] = SPECIAL_NAMES[name]
        elif mapped.get(name) and mapped[name] not in ("WLD", "BUNKERS"):
            codes[name], aggregate[name] = mapped[name], False
    if not {"China", "World", "Global"} & set(codes):
        raise _fmt_error(filename, f"sheet {sheet!r}: header row has no country names such as 'China'")
    dup = pd.Series(codes).duplicated(keep=False)
    if dup.any():
        raise _fmt_error(filename, f"sheet {sheet!r}: several columns map to one code: {sorted(dup[dup].index)}")
    table = table[list(codes)]
    long = table.reset_index().melt(id_vars="year", var_name="country", value_name=value)
    long[value] = pd.to_numeric(long[value], errors="coerce")
    long = long.dropna(subset=[value])
    long["iso3"] = long["country"].map(codes)
    long["is_aggregate"] = long["country"].map(aggregate).astype(bool)
    return long


def _finish(df: pd.DataFrame, units: dict[str, str], what: str) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = units
    df.attrs["description"] = what
    return df


def _parse_national(path, sheet: str, stem: str, what: str) -> pd.DataFrame:
    raw = _read_raw_sheet(path, NATIONAL_FOSSIL_FILE, sheet)
    table = _year_table(raw, NATIONAL_FOSSIL_FILE, sheet)
    long = _national_long(table, NATIONAL_FOSSIL_FILE, sheet, f"{stem}_mtc")
    # Keep only years with country data: the consumption/transfer sheets carry World and Bunkers in 2022-2023.
    is_country = ~long["iso3"].isin([code for code, _ in SPECIAL_NAMES.values()])
    long = long[long["year"].isin(set(long.loc[is_country, "year"]))].copy()
    long[f"{stem}_mt_co2"] = long[f"{stem}_mtc"] * C_TO_CO2
    long["year"] = long["year"].astype(int)
    cols = ["iso3", "country", "year", f"{stem}_mtc", f"{stem}_mt_co2", "is_aggregate"]
    long = long[cols].sort_values(["is_aggregate", "iso3", "year"])
    return _finish(long, {f"{stem}_mtc": "MtC/yr", f"{stem}_mt_co2": "Mt CO2/yr (= MtC x 3.664)"}, what)


def parse_territorial(path) -> pd.DataFrame:
    """Territorial fossil CO2 by country and year (sheet ``Territorial Emissions``).

    Parameters
    ----------
    path : str or Path
        ``National_Fossil_Carbon_Emissions_2024v1.0.xlsx``.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``country`` (name as in the file), ``year`` (1850-2023), ``emissions_mtc`` [MtC/yr],
        ``emissions_mt_co2`` [Mt CO2/yr] and ``is_aggregate`` (``WLD``, ``EU27``). ``BUNKERS`` and
        ``STAT_DIFF`` lines are kept; countries + these two = ``WLD``.
    """
    return _parse_national(path, SHEET_TERRITORIAL, "emissions", "GCB 2024 territorial fossil CO2")


def parse_consumption(path) -> pd.DataFrame:
    """Consumption-based fossil CO2 by country and year (sheet ``Consumption Emissions``, Peters et al. 2011).

    Returns
    -------
    pandas.DataFrame
        As :func:`parse_territorial`, years 1990-2021, ~120 countries + ``BUNKERS``, ``STAT_DIFF``, ``EU27``,
        ``WLD`` (World consumption = World territorial). The 2022-2023 rows, which hold only World and
        Bunkers, are dropped. The countries do not add up to World (the rest of the world is not listed).
    """
    return _parse_national(path, SHEET_CONSUMPTION, "emissions", "GCB 2024 consumption-based fossil CO2")


def parse_transfers(path) -> pd.DataFrame:
    """Emission transfers embodied in trade (sheet ``Emissions Transfers``), as published.

    The transfer is territorial minus consumption: **positive = net exporter** of embodied emissions (China),
    negative = net importer (USA, EU27). It closes exactly against the two other sheets for about three
    quarters of country-years; elsewhere the published transfer differs from territorial - consumption (by up
    to ~1.5 % of territorial for China 2021), because it is published as computed, not re-derived here.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``country``, ``year`` (1990-2021), ``transfer_mtc`` [MtC/yr], ``transfer_mt_co2``
        [Mt CO2/yr] and ``is_aggregate``.
    """
    return _parse_national(
        path, SHEET_TRANSFERS, "transfer", "GCB 2024 emission transfers (territorial - consumption)"
    )


def parse_land_use_change(path) -> pd.DataFrame:
    """National land-use change emissions (ELUC) by bookkeeping model.

    Parameters
    ----------
    path : str or Path
        ``National_LandUseChange_Carbon_Emissions_2024v1.0.xlsx`` (one sheet per model).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``country``, ``model`` (one of :data:`LUC_MODELS`), ``year`` (1850-2023),
        ``eluc_mtc`` [MtC/yr, positive = source], ``eluc_mt_co2`` [Mt CO2/yr] and ``is_aggregate``
        (``WLD`` = the file's ``Global``, ``EU27``). ``OTHER`` and ``DISPUTED`` lines are kept.
    """
    frames = []
    book = _open_book(path, NATIONAL_LUC_FILE)
    try:
        missing = [m for m in LUC_MODELS if m not in book.sheet_names]
        if missing:
            raise _fmt_error(
                NATIONAL_LUC_FILE, f"expected one sheet per model {list(LUC_MODELS)}; missing {missing}"
            )
        for model in LUC_MODELS:
            table = _year_table(book.parse(model, header=None), NATIONAL_LUC_FILE, model)
            long = _national_long(table, NATIONAL_LUC_FILE, model, "eluc_mtc")
            long["model"] = model
            frames.append(long)
    finally:
        if book is not path:
            book.close()
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    out["eluc_mt_co2"] = out["eluc_mtc"] * C_TO_CO2
    cols = ["iso3", "country", "model", "year", "eluc_mtc", "eluc_mt_co2", "is_aggregate"]
    out = out[cols].sort_values(["is_aggregate", "iso3", "model", "year"])
    return _finish(
        out,
        {"eluc_mtc": "MtC/yr (positive = source)", "eluc_mt_co2": "Mt CO2/yr (= MtC x 3.664)"},
        "GCB 2024 national land-use change emissions by bookkeeping model",
    )


def parse_global_budget(path) -> pd.DataFrame:
    """The global carbon budget (sheet ``Global Carbon Budget``), one row per year.

    Parameters
    ----------
    path : str or Path
        ``Global_Carbon_Budget_2024_v1.0.xlsx``.

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` (1959-2023), ``fossil_gtc`` (fossil emissions excluding carbonation),
        ``land_use_change_gtc``, ``atmospheric_growth_gtc``, ``ocean_sink_gtc``, ``land_sink_gtc``,
        ``cement_carbonation_gtc`` and ``budget_imbalance_gtc``, all [GtC/yr], sinks positive. Identity:
        fossil + land-use change - growth - ocean - land - carbonation = imbalance.
    """
    raw = _read_raw_sheet(path, GLOBAL_FILE, SHEET_GLOBAL)
    table = _year_table(raw, GLOBAL_FILE, SHEET_GLOBAL)
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in BUDGET_COLUMNS if c not in table.columns]
    if missing:
        raise _fmt_error(
            GLOBAL_FILE, f"sheet {SHEET_GLOBAL!r}: missing columns {missing} (found {list(table.columns)})"
        )
    out = table[list(BUDGET_COLUMNS)].rename(columns=BUDGET_COLUMNS).apply(pd.to_numeric, errors="coerce")
    out = out.reset_index()
    out["year"] = out["year"].astype(int)
    return _finish(
        out, {c: "GtC/yr" for c in BUDGET_COLUMNS.values()}, "GCB 2024 global carbon budget (sinks positive)"
    )


def parse_fossil_by_fuel(path) -> pd.DataFrame:
    """Territorial fossil CO2 by country, fuel and year (``GCB2024v17_MtCO2_flat.csv``).

    Parameters
    ----------
    path : str or Path
        The flat CSV.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``country``, ``year`` (1750-2023), ``fuel`` (one of :data:`FUELS`; ``Total`` is
        the sum of the others), ``emissions_mt_co2`` [Mt CO2/yr] and ``is_aggregate`` (``WLD``). Rows with no
        value are dropped; the file's per-capita column is not kept.
    """
    try:
        raw = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise _fmt_error(FLAT_FILE, f"not a readable CSV ({exc})") from exc
    code_col = "ISO 3166-1 alpha-3"
    missing = [c for c in ("Country", code_col, "Year", *FUELS) if c not in raw.columns]
    if missing:
        raise _fmt_error(FLAT_FILE, f"expected columns Country, {code_col}, Year and {list(FUELS)}; missing {missing}")
    code = raw[code_col].astype("string").str.strip()
    code = code.fillna(raw["Country"].map(FLAT_NAMES)).replace(FLAT_CODES)
    if code.isna().any():
        raise _fmt_error(FLAT_FILE, f"entities without code: {sorted(raw.loc[code.isna(), 'Country'].unique())}")
    df = pd.DataFrame({"iso3": code.astype(str), "country": raw["Country"], "year": raw["Year"].astype(int)})
    df = pd.concat([df, raw[list(FUELS)]], axis=1)
    long = df.melt(id_vars=["iso3", "country", "year"], var_name="fuel", value_name="emissions_mt_co2")
    long = long.dropna(subset=["emissions_mt_co2"])
    long["emissions_mt_co2"] = long["emissions_mt_co2"].astype(float)
    long["is_aggregate"] = long["iso3"].eq("WLD")
    long = long.sort_values(["is_aggregate", "iso3", "fuel", "year"])
    return _finish(long, {"emissions_mt_co2": "Mt CO2/yr"}, "GCB 2024 (v17) territorial fossil CO2 by fuel")


def read_territorial(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_territorial` on the verified file of the data directory."""
    return parse_territorial(resolve(SOURCE_ID, NATIONAL_FOSSIL_FILE, settings))


def read_consumption(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_consumption` on the verified file of the data directory."""
    return parse_consumption(resolve(SOURCE_ID, NATIONAL_FOSSIL_FILE, settings))


def read_transfers(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_transfers` on the verified file of the data directory."""
    return parse_transfers(resolve(SOURCE_ID, NATIONAL_FOSSIL_FILE, settings))


def read_land_use_change(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_land_use_change` on the verified file of the data directory."""
    return parse_land_use_change(resolve(SOURCE_ID, NATIONAL_LUC_FILE, settings))


def read_global_budget(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_global_budget` on the verified file of the data directory."""
    return parse_global_budget(resolve(SOURCE_ID, GLOBAL_FILE, settings))


def read_fossil_by_fuel(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_fossil_by_fuel` on the verified file of the data directory."""
    return parse_fossil_by_fuel(resolve(SOURCE_ID, FLAT_FILE, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Tables of this source for the processed pack.

    Returns
    -------
    dict
        ``gcb_territorial``, ``gcb_consumption``, ``gcb_transfers``, ``gcb_luc_by_model``,
        ``gcb_global_budget``, ``gcb_fossil_by_fuel`` (DataFrames, see the ``parse_*`` functions).
    """
    national = resolve(SOURCE_ID, NATIONAL_FOSSIL_FILE, settings)
    with _open_book(national, NATIONAL_FOSSIL_FILE) as book:  # open once for the three sheets
        national_tables = {
            "gcb_territorial": parse_territorial(book),
            "gcb_consumption": parse_consumption(book),
            "gcb_transfers": parse_transfers(book),
        }
    return {
        **national_tables,
        "gcb_luc_by_model": read_land_use_change(settings),
        "gcb_global_budget": read_global_budget(settings),
        "gcb_fossil_by_fuel": read_fossil_by_fuel(settings),
    }
