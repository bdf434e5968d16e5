"""ICMM Global Mining Dataset, September 2025 (V1): mines, smelters and refineries with location, asset type and
commodities (no capacity or production).

Sheet ``External``: 8,508 sites. This reader keeps the aluminium smelters — sites whose primary commodity is
aluminium and whose ``Asset Type`` includes ``Smelter`` (:data:`ASSET`, :data:`COMMODITY`): 96 sites (86 plain
smelters, 4 smelter-plants, 3 mine-smelters, 3 smelter-refineries). The dataset lists few Chinese sites (none of
these smelters is in China), so it is a partial location proxy. Sites without valid coordinates would be dropped and
counted (none in the 2025 file). The coal mines of this file are not used: GEM's tracker has output and mine type.

Citation: International Council on Mining and Metals (2025) Global Mining Dataset V1 (CC BY 4.0, stated in the
workbook's About sheet).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve
from engine.sources._points import check_columns, countries_to_iso3, valid_coordinates

SOURCE_ID = "icmm_mining"
FILE = "global-mining-dataset.xlsx"
SHEET = "External"
ASSET = "Smelter"
COMMODITY = "aluminium"
REQUIRED = ("ICMMID", "Mine Name", "Latitude", "Longitude", "Asset Type", "Country", "Primary Commodity")


def parse_smelters(path) -> pd.DataFrame:
    """Parse the ICMM workbook and keep the aluminium smelters.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``iso3``, ``country``, ``name``, ``asset_type``, ``lat``, ``lon`` [degree]. ``attrs``: ``n_sites``,
        ``n_dropped_coordinates``.

    Raises
    ------
    SourceFormatError
        Not a readable workbook, no ``External`` sheet, or a missing column.
    """
    path = Path(path)
    try:
        raw = pd.read_excel(path, sheet_name=SHEET)
    except Exception as exc:  # ValueError (no such sheet), zipfile.BadZipFile, openpyxl errors
        raise SourceFormatError(f"{path.name}: not a readable workbook with a sheet {SHEET!r} ({exc})",
                                SOURCE_ID, path.name) from exc
    raw.columns = [str(c).strip() for c in raw.columns]  # the file writes "Mine Name " with a trailing space
    check_columns(raw, path.name, SOURCE_ID, REQUIRED)
    sel = (raw["Primary Commodity"].astype(str).str.strip().str.lower() == COMMODITY) & \
        raw["Asset Type"].astype(str).str.contains(ASSET, case=False)
    s = raw[sel]
    ok = valid_coordinates(s["Latitude"], s["Longitude"])
    s = s[ok]
    iso3, _ = countries_to_iso3(s["Country"])
    df = pd.DataFrame({
        "id": s["ICMMID"].astype(str), "iso3": iso3, "country": s["Country"].astype(str),
        "name": s["Mine Name"].astype(str), "asset_type": s["Asset Type"].astype(str),
        "lat": pd.to_numeric(s["Latitude"]).astype(float), "lon": pd.to_numeric(s["Longitude"]).astype(float),
    }).reset_index(drop=True)
    df.attrs.update(source=SOURCE_ID, n_sites=len(raw), n_dropped_coordinates=int((~ok).sum()),
                    units={"lat": "degree_north", "lon": "degree_east"})
    return df


def read_smelters(settings: Settings | None = None) -> pd.DataFrame:
    """Read the aluminium smelters (see :func:`parse_smelters`)."""
    return parse_smelters(resolve(SOURCE_ID, FILE, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack: ``icmm_aluminium_smelters``."""
    return {"icmm_aluminium_smelters": read_smelters(settings)}
