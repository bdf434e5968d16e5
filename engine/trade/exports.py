"""Exported PV and wind capacity by destination.

PV: Ember's China solar PV exports (pack items ``ember_china_solar_exports_annual`` / ``_monthly``), in MW by
destination, month and commodity. Panels (modules) are counted by default; Cells on request (they become modules
abroad, often in the destination). Wafers are never counted as capacity: Ember's wafer MW is a nominal conversion
of pieces, and a wafer becomes a cell and a module in another country, where it would be counted again (cells and
modules made from Chinese wafers in South-East Asia are largely re-exported, e.g. to the United States).

Wind: ``data/wind_exports_china.csv``, the published China Wind Energy Association figures (CWEA 2024: 5,193.7 MW,
904 turbines, 23 countries; named shares for Saudi Arabia, Uzbekistan and Brazil, the rest an explicit
"other / not published" row; no split is invented).
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import AUTHORED_DIR
from engine.core.errors import InputError

WIND_FILENAME = "wind_exports_china.csv"
WIND_COLUMNS = ("year", "iso3", "name", "region", "share_pct", "capacity_mw", "turbines", "source", "note")
#: CWEA (2025) 2024 China Wind Power Installed Capacity Statistics Brief: exported wind capacity [MW], turbines,
#: destination countries.
CWEA_2024 = {"capacity_mw": 5193.7, "turbines": 904, "countries": 23}
#: Ember commodity type -> the lower-case name of the pack tables.
COMMODITY_KEYS = {"Panels": "panels", "Cells": "cells"}


def wind_table(path=None) -> pd.DataFrame:
    """The authored wind-export table (one row per year and destination, ``capacity_mw`` [MW]).

    Raises
    ------
    InputError
        Missing columns, duplicate (year, iso3) rows or a row without a source.
    """
    t = pd.read_csv(path or AUTHORED_DIR / WIND_FILENAME, dtype={"iso3": str, "region": str})
    missing = [c for c in WIND_COLUMNS if c not in t.columns]
    if missing:
        raise InputError(f"data/{WIND_FILENAME} lacks columns {missing}")
    if t.duplicated(["year", "iso3"]).any():
        raise InputError(f"data/{WIND_FILENAME} repeats (year, iso3) rows")
    if (t["source"].fillna("").astype(str).str.strip() == "").any():
        raise InputError(f"data/{WIND_FILENAME}: every row needs a source")
    t["year"] = t["year"].astype(int)
    t["capacity_mw"] = t["capacity_mw"].astype(float)
    t["region"] = t["region"].where(t["region"].notna(), None)
    return t


def pv_full_years(annual: pd.DataFrame) -> tuple[int, ...]:
    """Years in which Ember reports all twelve months for panels (the last year of the file may be partial)."""
    p = annual[annual["commodity"] == "panels"]
    months = p.groupby("year")["months"].max()
    return tuple(int(y) for y in months.index[months >= 12])


def pv_by_destination(annual: pd.DataFrame, monthly: pd.DataFrame, year: int,
                      commodities: tuple[str, ...]) -> pd.DataFrame:
    """PV exports of one year by destination.

    Parameters
    ----------
    annual : DataFrame
        ``ember_china_solar_exports_annual``.
    monthly : DataFrame
        ``ember_china_solar_exports_monthly`` (names and regions of the destinations).
    year : int
    commodities : tuple of str
        Subset of ``("Panels", "Cells")``.

    Returns
    -------
    DataFrame
        ``iso3``, ``name``, ``region`` (Ember's), ``panels_mw``, ``cells_mw``, ``capacity_mw`` [MW] (sum of the
        counted commodities). Destinations with zero counted capacity are dropped.
    """
    a = annual[(annual["year"] == year) & annual["commodity"].isin(["panels", "cells"])]
    wide = a.pivot_table(index="iso3", columns="commodity", values="capacity_mw", aggfunc="sum").fillna(0.0)
    wide = wide.reindex(columns=["panels", "cells"], fill_value=0.0)
    wide.columns = ["panels_mw", "cells_mw"]
    keys = [COMMODITY_KEYS[c] + "_mw" for c in commodities]
    wide["capacity_mw"] = wide[keys].sum(axis=1)
    names = monthly.drop_duplicates("iso3").set_index("iso3")
    out = wide.reset_index()
    out["name"] = out["iso3"].map(names["area"])
    out["region"] = out["iso3"].map(names["continent"])
    out = out[out["capacity_mw"] > 0]
    return out[["iso3", "name", "region", "panels_mw", "cells_mw", "capacity_mw"]].reset_index(drop=True)


def wind_by_destination(wind: pd.DataFrame, year: int) -> pd.DataFrame:
    """Wind exports of one year: ``iso3``, ``name``, ``region``, ``capacity_mw`` [MW], ``source``."""
    w = wind[wind["year"] == year]
    return w[["iso3", "name", "region", "capacity_mw", "source"]].reset_index(drop=True)


def monthly_pv(monthly: pd.DataFrame, start: int | None, end: int | None) -> pd.DataFrame:
    """Monthly PV exports by destination and commodity (panels and cells; wafers left out, see the module docstring).

    Returns
    -------
    DataFrame
        ``iso3``, ``name``, ``month`` (Timestamp, first of month), ``commodity`` (``Panels`` | ``Cells``),
        ``capacity_mw`` [MW].
    """
    m = monthly[monthly["commodity"].isin(["panels", "cells"])]
    if start is not None:
        m = m[m["year"] >= int(start)]
    if end is not None:
        m = m[m["year"] <= int(end)]
    out = pd.DataFrame({"iso3": m["iso3"].astype(str).to_numpy(), "name": m["area"].astype(str).to_numpy(),
                        "month": pd.to_datetime(m["date"]).to_numpy(),
                        "commodity": m["commodity"].str.capitalize().to_numpy(),
                        "capacity_mw": m["capacity_mw"].astype(float).to_numpy()})
    out.attrs["units"] = {"capacity_mw": "MW"}
    return out.sort_values(["month", "iso3", "commodity"]).reset_index(drop=True)
