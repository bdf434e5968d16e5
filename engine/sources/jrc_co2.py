"""JRC WIOD environmental accounts, update 2000-2016: CO2 emissions by industry and by households.

Source file ``CO2 emissions.xlsx`` (EC Joint Research Centre, July 2019 release; Corsatea, T. D. et al. (2019)
World Input-Output Database Environmental Accounts, Update 2000-2016, JRC116234, doi:10.2760/024036; EC reuse
policy, reuse with acknowledgement). Layout: sheets ``Notes``, ``Sector`` (industry codes and names),
``SectorAgr`` (NACE sections, French) and one sheet per region (the 43 WIOD-2016 countries and ``RoW``), each with
a header row of years 2000-2016 and one row per WIOD-2016 industry (56 NACE Rev.2 industries ``A01`` .. ``U``)
plus ``FC_HH`` (direct emissions of households), in kt CO2.

Quirks (see ``SOURCES.md``): CHE, HRV and NOR are separate countries here but part of RoW in WIOD 2013; Romania
is ``ROU`` here (``ROM`` in WIOD 2013); the accounts follow the residence principle (international bunkers by
resident operators are included), so country totals exceed territorial inventories (world ~+2 % over GCB). A
break in China's non-metallic minerals (``C23``): 1826 Mt in 2014, 716 Mt in 2015. The ``MEX`` sheet carries
two empty trailing columns and a blank last row, which are ignored.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve

SOURCE_ID = "jrc_wiod_co2"
FILENAME = "CO2 emissions.xlsx"

#: Years covered by the file.
YEARS = range(2000, 2017)

#: Industry code of the direct emissions of households (final consumption, not an industry).
HOUSEHOLD_CODE = "FC_HH"

#: The 56 WIOD-2016 industries (NACE Rev.2 based), code -> name in file order (from the ``Sector`` sheet).
INDUSTRIES: Mapping[str, str] = MappingProxyType({
    "A01": "Crop and animal production, hunting and related service activities",
    "A02": "Forestry and logging",
    "A03": "Fishing and aquaculture",
    "B": "Mining and quarrying",
    "C10-C12": "Manufacture of food products, beverages and tobacco products",
    "C13-C15": "Manufacture of textiles, wearing apparel and leather products",
    "C16": "Manufacture of wood and of products of wood and cork, except furniture; manufacture of articles of "
           "straw and plaiting materials",
    "C17": "Manufacture of paper and paper products",
    "C18": "Printing and reproduction of recorded media",
    "C19": "Manufacture of coke and refined petroleum products",
    "C20": "Manufacture of chemicals and chemical products",
    "C21": "Manufacture of basic pharmaceutical products and pharmaceutical preparations",
    "C22": "Manufacture of rubber and plastic products",
    "C23": "Manufacture of other non-metallic mineral products",
    "C24": "Manufacture of basic metals",
    "C25": "Manufacture of fabricated metal products, except machinery and equipment",
    "C26": "Manufacture of computer, electronic and optical products",
    "C27": "Manufacture of electrical equipment",
    "C28": "Manufacture of machinery and equipment n.e.c.",
    "C29": "Manufacture of motor vehicles, trailers and semi-trailers",
    "C30": "Manufacture of other transport equipment",
    "C31_C32": "Manufacture of furniture; other manufacturing",
    "C33": "Repair and installation of machinery and equipment",
    "D35": "Electricity, gas, steam and air conditioning supply",
    "E36": "Water collection, treatment and supply",
    "E37-E39": "Sewerage; waste collection, treatment and disposal activities; materials recovery; remediation "
               "activities and other waste management services",
    "F": "Construction",
    "G45": "Wholesale and retail trade and repair of motor vehicles and motorcycles",
    "G46": "Wholesale trade, except of motor vehicles and motorcycles",
    "G47": "Retail trade, except of motor vehicles and motorcycles",
    "H49": "Land transport and transport via pipelines",
    "H50": "Water transport",
    "H51": "Air transport",
    "H52": "Warehousing and support activities for transportation",
    "H53": "Postal and courier activities",
    "I": "Accommodation and food service activities",
    "J58": "Publishing activities",
    "J59_J60": "Motion picture, video and television programme production, sound recording and music publishing "
               "activities; programming and broadcasting activities",
    "J61": "Telecommunications",
    "J62_J63": "Computer programming, consultancy and related activities; information service activities",
    "K64": "Financial service activities, except insurance and pension funding",
    "K65": "Insurance, reinsurance and pension funding, except compulsory social security",
    "K66": "Activities auxiliary to financial services and insurance activities",
    "L68": "Real estate activities",
    "M69_M70": "Legal and accounting activities; activities of head offices; management consultancy activities",
    "M71": "Architectural and engineering activities; technical testing and analysis",
    "M72": "Scientific research and development",
    "M73": "Advertising and market research",
    "M74_M75": "Other professional, scientific and technical activities; veterinary activities",
    "N": "Administrative and support service activities",
    "O84": "Public administration and defence; compulsory social security",
    "P85": "Education",
    "Q": "Human health and social work activities",
    "R_S": "Other service activities",
    "T": "Activities of households as employers; undifferentiated goods- and services-producing activities of "
         "households for own use",
    "U": "Activities of extraterritorial organizations and bodies",
})

#: Row codes of every region sheet, in order: the 56 industries then ``FC_HH``.
ROW_CODES: tuple[str, ...] = (*INDUSTRIES, HOUSEHOLD_CODE)

#: The 44 region sheets in file order (43 WIOD-2016 countries + ``RoW``).
REGIONS: tuple[str, ...] = (
    "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GBR", "GRC", "HUN", "IRL",
    "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE", "AUS", "BRA", "CAN",
    "CHN", "IDN", "IND", "JPN", "KOR", "MEX", "RUS", "TUR", "TWN", "USA", "CHE", "HRV", "NOR", "RoW",
)

#: Sheet name -> ISO3 (``RoW`` -> ``ROW``, flagged ``is_country=False`` in tables).
REGION_ISO3: Mapping[str, str] = MappingProxyType({r: ("ROW" if r == "RoW" else r) for r in REGIONS})

_NON_REGION_SHEETS = ("Notes", "Sector", "SectorAgr")


def _open(path: Path):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, KeyError...
        raise SourceFormatError(f"{path.name}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                                SOURCE_ID, path.name) from exc


def _year_of(cell) -> int | None:
    try:
        y = int(str(cell).strip().split(".")[0]) if cell is not None else None
    except ValueError:
        return None
    return y if y is not None and 1900 <= y <= 2100 else None


def _read_region_sheet(ws, sheet: str, fname: str) -> np.ndarray:
    """Return a (57, 17) float array [kt CO2] for one region sheet, validating the layout."""
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise SourceFormatError(f"{fname}: sheet {sheet!r} is empty; expected a header row of years "
                                f"{YEARS.start}-{YEARS.stop - 1}", SOURCE_ID, fname)
    year_cols = {y: j for j, c in enumerate(header) if (y := _year_of(c)) is not None}
    if sorted(year_cols) != list(YEARS):
        raise SourceFormatError(
            f"{fname}: sheet {sheet!r} header has years {sorted(year_cols)}; expected {YEARS.start}-{YEARS.stop - 1}",
            SOURCE_ID, fname)
    cols = [year_cols[y] for y in YEARS]
    codes, values = [], []
    for r in rows:
        if not r or r[0] is None or str(r[0]).strip() == "":
            if r and any(v is not None for v in r):
                raise SourceFormatError(f"{fname}: sheet {sheet!r} has values in a row without an industry code",
                                        SOURCE_ID, fname)
            continue
        code = str(r[0]).strip()
        vals = []
        for j in cols:
            v = r[j] if j < len(r) else None
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
                raise SourceFormatError(
                    f"{fname}: sheet {sheet!r} row {code!r} has a non-numeric value {v!r} in column {header[j]!r}; "
                    f"expected kt CO2", SOURCE_ID, fname)
            vals.append(float(v))
        codes.append(code)
        values.append(vals)
    if tuple(codes) != ROW_CODES:
        missing = [c for c in ROW_CODES if c not in codes]
        extra = [c for c in codes if c not in ROW_CODES]
        raise SourceFormatError(
            f"{fname}: sheet {sheet!r} rows should be the 56 WIOD-2016 industries A01..U then FC_HH in order; "
            f"missing {missing}, unexpected {extra}", SOURCE_ID, fname)
    return np.asarray(values, dtype=np.float64)


def parse_co2(path: str | Path) -> pd.DataFrame:
    """Read the CO2 emission accounts into a long table.

    Parameters
    ----------
    path : str or Path
        ``CO2 emissions.xlsx``.

    Returns
    -------
    pandas.DataFrame
        One row per region x industry x year (44 x 57 x 17 = 42,636 rows), columns:
        ``iso3`` (``ROU`` for Romania, ``ROW`` for the rest of the world), ``is_country`` (False for ``ROW``),
        ``industry`` (WIOD-2016 code, or ``FC_HH`` for household direct emissions), ``year`` (int),
        ``co2_kt`` [kt CO2].

    Raises
    ------
    SourceFormatError
        If the workbook is unreadable, region sheets are missing or extra, or a sheet lacks the year header,
        the industry rows or has non-numeric values.
    """
    path = Path(path)
    fname = path.name
    wb = _open(path)
    try:
        sheets = [s for s in wb.sheetnames if s not in _NON_REGION_SHEETS]
        missing = [r for r in REGIONS if r not in sheets]
        extra = [s for s in sheets if s not in REGIONS]
        if missing or extra:
            raise SourceFormatError(
                f"{fname}: expected one sheet per region ({len(REGIONS)}: 43 WIOD-2016 countries + RoW); "
                f"missing {missing}, unexpected {extra}", SOURCE_ID, fname)
        blocks = [_read_region_sheet(wb[s], s, fname) for s in REGIONS]
    finally:
        wb.close()
    data = np.stack(blocks)  # (region, row code, year)
    n_r, n_i, n_y = data.shape
    iso = [REGION_ISO3[r] for r in REGIONS]
    df = pd.DataFrame({
        "iso3": pd.Categorical(np.repeat(iso, n_i * n_y), categories=iso),
        "is_country": np.repeat([r != "RoW" for r in REGIONS], n_i * n_y),
        "industry": pd.Categorical(np.tile(np.repeat(ROW_CODES, n_y), n_r), categories=list(ROW_CODES)),
        "year": np.tile(np.array(list(YEARS), dtype=np.int64), n_r * n_i),
        "co2_kt": data.reshape(-1),
    })
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = {"co2_kt": "kt CO2"}
    return df


def read_co2(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_co2` on the registry file ``CO2 emissions.xlsx``.

    Raises
    ------
    SourceMissingError, SourceCorruptError, SourceFormatError
    """
    return parse_co2(resolve(SOURCE_ID, FILENAME, settings))


def parse_sectors(path: str | Path) -> pd.DataFrame:
    """Read the ``Sector`` sheet: industry codes and English names (56 industries + ``FC_HH``).

    Returns
    -------
    pandas.DataFrame
        Columns ``industry``, ``name``.
    """
    path = Path(path)
    fname = path.name
    wb = _open(path)
    try:
        if "Sector" not in wb.sheetnames:
            raise SourceFormatError(f"{fname}: no 'Sector' sheet (industry codes and names)", SOURCE_ID, fname)
        rows = list(wb["Sector"].iter_rows(values_only=True))
    finally:
        wb.close()
    hdr_i = next((i for i, r in enumerate(rows) if r and "Code" in r and "Description" in r), None)
    if hdr_i is None:
        raise SourceFormatError(f"{fname}: sheet 'Sector' lacks the header 'Code', 'Description'", SOURCE_ID, fname)
    hdr = rows[hdr_i]
    ci, di = hdr.index("Code"), hdr.index("Description")
    recs = [(str(r[ci]).strip(), str(r[di]).strip()) for r in rows[hdr_i + 1:] if r and r[ci] is not None]
    return pd.DataFrame(recs, columns=["industry", "name"])


def industries_table() -> pd.DataFrame:
    """The 56 industries and ``FC_HH``: columns ``industry``, ``name``, ``is_household``."""
    codes = list(ROW_CODES)
    names = [INDUSTRIES.get(c, "Final consumption expenditure by households (direct emissions)") for c in codes]
    return pd.DataFrame({"industry": codes, "name": names, "is_household": [c == HOUSEHOLD_CODE for c in codes]})


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack.

    Returns
    -------
    dict
        ``jrc_co2``: the long table of :func:`parse_co2` [kt CO2]; ``jrc_co2_industries``: codes and names.
    """
    df = read_co2(settings)
    ind = industries_table()
    ind.attrs["source"] = SOURCE_ID
    ind.attrs["units"] = {}
    return {"jrc_co2": df, "jrc_co2_industries": ind}
