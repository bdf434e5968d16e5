"""China's solar PV exports by destination, monthly (Ember "China Solar PV Exports" full release).

File ``mart_solar_exports_full_release_monthly.csv`` (Ember, CC BY 4.0; cite "Ember - China Solar PV Exports
data", ember-energy.org/data/china-solar-exports-data/): one row per destination area, month and commodity,
2017-01 to 2025-09; panels from 2017, cells and wafers from 2022.

Columns read: Area, Date (YYYY-MM-01), Area type ("Country or economy" | "Region"), Region (continent), Commodity
code (HS/CN: panels 85414020 until 2021 and 85414300 from 2022, cells 85414200, wafers 38180019), Commodity type
(Panels | Cells | Wafers), Amount (items), Amount (kg), Amount (USD), Commodity price + Price unit (USD/W; USD/pc for wafers),
Capacity (MW). Cumulative capacity is not kept (it is a running sum of Capacity).

Destination rows ("Country or economy") are returned by :func:`parse_exports`: ISO3 codes, plus
``Netherlands Antilles`` -> ``ANT`` (retired ISO code) and Ember's residual rows ``Other Africa``,
``Other Latin America``, ``Other Oceania`` -> ``OTHER_AFRICA`` etc. with ``area_type="other"``; they are part of
the destination total (Ember's national sums include them). The 13 region aggregates (World, EU, G20, ASEAN, ...)
overlap the countries and are returned separately by :func:`parse_region_exports`.
"""

from __future__ import annotations

import re

import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve
from engine.sources._iso import names_to_iso3

SOURCE_ID = "ember_china_solar_exports"
FILENAME = "mart_solar_exports_full_release_monthly.csv"
CREDIT = "Ember - China Solar PV Exports data (2025), ember-energy.org/data/china-solar-exports-data/"
COMMODITIES = ("panels", "cells", "wafers")
_RAW = {
    "Area": "area", "Date": "date", "Area type": "area_type", "Region": "continent",
    "Commodity code": "commodity_code", "Commodity type": "commodity", "Amount (items)": "amount_items",
    "Amount (kg)": "amount_kg", "Amount (USD)": "value_usd", "Commodity price": "price",
    "Price unit": "price_unit", "Capacity (MW)": "capacity_mw",
}
_NAME_OVERRIDES = {"netherlands antilles": "ANT"}
UNITS = {"capacity_mw": "MW", "value_usd": "USD", "amount_kg": "kg", "amount_items": "items",
         "price": "see price_unit (USD/W panels and cells, USD/pc wafers)"}
VALUE_COLUMNS = ["capacity_mw", "value_usd", "amount_kg", "amount_items"]


def _read(path) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, dtype={"Commodity code": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SourceFormatError(f"{FILENAME}: not a readable CSV ({exc})", SOURCE_ID, FILENAME) from exc
    missing = [c for c in _RAW if c not in raw.columns]
    if missing:
        raise SourceFormatError(f"{FILENAME}: expected Ember columns {list(_RAW)}; missing {missing}",
                                SOURCE_ID, FILENAME)
    df = raw[list(_RAW)].rename(columns=_RAW)
    units = set(df["price_unit"].dropna().unique())
    if not units <= {"USD/W", "USD/pc"}:
        raise SourceFormatError(f"{FILENAME}: expected price units USD/W or USD/pc, found {sorted(units)}",
                                SOURCE_ID, FILENAME)
    df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce")
    if df["date"].isna().any():
        raise SourceFormatError(f"{FILENAME}: Date must be YYYY-MM-DD", SOURCE_ID, FILENAME)
    df["year"] = df["date"].dt.year.astype(int)
    df["month"] = df["date"].dt.month.astype(int)
    df["commodity"] = df["commodity"].astype(str).str.strip().str.lower()
    bad = sorted(set(df["commodity"]) - set(COMMODITIES))
    if bad:
        raise SourceFormatError(f"{FILENAME}: unknown Commodity type {bad} (expected Panels/Cells/Wafers)",
                                SOURCE_ID, FILENAME)
    for c in VALUE_COLUMNS + ["price"]:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df


def _finish(df: pd.DataFrame, key: str) -> pd.DataFrame:
    if df.duplicated([key, "date", "commodity"]).any():
        raise SourceFormatError(f"{FILENAME}: duplicate ({key}, month, commodity) rows", SOURCE_ID, FILENAME)
    df = df.sort_values([key, "date", "commodity"]).reset_index(drop=True)
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = dict(UNITS)
    df.attrs["credit"] = CREDIT
    return df


def parse_exports(path) -> pd.DataFrame:
    """Monthly exports by destination country (plus Ember's residual "Other ..." destinations).

    Parameters
    ----------
    path : str or Path
        ``mart_solar_exports_full_release_monthly.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``area`` (Ember name), ``area_type`` (``"country"`` or ``"other"``), ``continent``,
        ``date`` (datetime64, first of month), ``year``, ``month``, ``commodity`` (panels/cells/wafers),
        ``commodity_code`` (HS/CN, str), ``capacity_mw`` [MW], ``value_usd`` [USD], ``amount_kg`` [kg],
        ``amount_items`` [items], ``price`` [``price_unit``: USD/W for panels and cells, USD/pc for wafers].
        Unique on (iso3, date, commodity).

    Raises
    ------
    SourceFormatError
        Missing columns, bad dates, unknown commodities, or a destination name with no ISO3 code.
    """
    df = _read(path)
    df = df[df["area_type"].astype(str).str.strip() != "Region"].copy()
    names = df["area"].astype(str).str.strip()
    distinct = sorted(set(names))
    codes = {n: _NAME_OVERRIDES.get(n.lower()) for n in distinct}
    for n in distinct:
        if codes[n] is None and n.lower().startswith("other "):
            codes[n] = "OTHER_" + re.sub(r"\W+", "_", n[6:].strip().upper())
    codes.update(names_to_iso3([n for n in distinct if codes[n] is None]))
    unmapped = sorted(n for n, c in codes.items() if c is None)
    if unmapped:
        raise SourceFormatError(f"{FILENAME}: destination names without an ISO3 code: {unmapped[:10]}",
                                SOURCE_ID, FILENAME)
    df["area"] = names
    df["iso3"] = names.map(codes)
    df["area_type"] = df["iso3"].str.startswith("OTHER_").map({True: "other", False: "country"})
    cols = ["iso3", "area", "area_type", "continent", "date", "year", "month", "commodity", "commodity_code",
            *VALUE_COLUMNS, "price", "price_unit"]
    return _finish(df[cols], "iso3")


def parse_region_exports(path) -> pd.DataFrame:
    """Monthly exports to Ember's region aggregates (World, EU, G20, ASEAN, Africa, ...).

    Parameters
    ----------
    path : str or Path
        ``mart_solar_exports_full_release_monthly.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``region`` (Ember name), ``date``, ``year``, ``month``, ``commodity``, ``commodity_code``,
        ``capacity_mw`` [MW], ``value_usd`` [USD], ``amount_kg`` [kg], ``amount_items`` [items],
        ``price``, ``price_unit``. Regions overlap each other and the countries: never add them up.

    Raises
    ------
    SourceFormatError
        As :func:`parse_exports`.
    """
    df = _read(path)
    df = df[df["area_type"].astype(str).str.strip() == "Region"].rename(columns={"area": "region"})
    cols = ["region", "date", "year", "month", "commodity", "commodity_code", *VALUE_COLUMNS, "price", "price_unit"]
    return _finish(df[cols].copy(), "region")


def annual_by_destination(df: pd.DataFrame) -> pd.DataFrame:
    """Sum monthly exports to calendar years per destination and commodity.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`parse_exports`.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``area_type``, ``year``, ``commodity``, ``capacity_mw`` [MW], ``value_usd`` [USD],
        ``amount_kg`` [kg], ``amount_items`` [items], ``months`` (number of months reported; the last year may
        be partial, e.g. 2025 = January-September).
    """
    out = (df.groupby(["iso3", "area_type", "year", "commodity"], as_index=False)
             .agg(capacity_mw=("capacity_mw", "sum"), value_usd=("value_usd", "sum"),
                  amount_kg=("amount_kg", "sum"), amount_items=("amount_items", "sum"),
                  months=("month", "nunique")))
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {k: v for k, v in UNITS.items() if k in out.columns}
    out.attrs["credit"] = CREDIT
    return out


def read_exports(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_exports` on the verified data-directory file."""
    return parse_exports(resolve(SOURCE_ID, FILENAME, settings))


def read_region_exports(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_region_exports` on the verified data-directory file."""
    return parse_region_exports(resolve(SOURCE_ID, FILENAME, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Tables for the processed pack.

    Returns
    -------
    dict
        ``ember_china_solar_exports_monthly`` (destinations), ``ember_china_solar_exports_regions_monthly``
        (region aggregates) and ``ember_china_solar_exports_annual`` (destination x year x commodity).
    """
    path = resolve(SOURCE_ID, FILENAME, settings)
    monthly = parse_exports(path)
    return {
        "ember_china_solar_exports_monthly": monthly,
        "ember_china_solar_exports_regions_monthly": parse_region_exports(path),
        "ember_china_solar_exports_annual": annual_by_destination(monthly),
    }
