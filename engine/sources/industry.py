"""Crude steel, pig iron, cement and primary aluminium production by country.

Five public files (see ``data/sources.toml``, source ``industry_production``), all in thousand tonnes [kt]:

============================================================  =====================  =========  ==============
file                                                          commodity              years      origin
============================================================  =====================  =========  ==============
``crude_steel_by_country_2000-2018_tidy.csv``                 ``crude_steel``        2000-2018  worldsteel
``CEDS_worldsteel_Pig_Iron_Production_2010-2019.xlsx``        ``pig_iron``           2010-2019  worldsteel SSY 2020
``USGS_cement_by_country_2013-2017_tidy.csv``                 ``cement``             2013-2017  USGS MYB 2017 T22
``CEDS_USGS_Commodity_Summaries_Cement_Production.xlsx``      ``cement``             1998-2016  USGS MYB editions
``CEDS_Aluminum_Production.xlsx``                             ``primary_aluminium``  1850-2023  USGS (HYDE <1990)
============================================================  =====================  =========  ==============

worldsteel numbers must be shown with the credit "Source: World Steel Association" (kept in
``attrs["credit"]``).

Choices made here:

- **Aluminium 2022-2023** are flat copies of 2021 made by CEDS, not data: they are kept with
  ``is_extrapolated=True`` so views can hide them (:func:`production` drops them unless asked).
- **Aluminium "Sum" row** is dropped (it is the world total of the rows; recompute it from the rows). Two
  residual rows ``OTHERAFRIC`` / ``OTHERASIA`` (all zero) are kept as ``OTHER_AFRICA`` / ``OTHER_ASIA`` with
  ``region_type="other"``. ``NANTILLES`` (ISO numeric 530) becomes the retired code ``ANT``; the row named
  ``MONTENEGRO`` (numeric 891, the old Serbia-and-Montenegro number) is Montenegro (``MNE``, the Podgorica
  smelter).
- **Cement**: one series per country is built by preferring the tidy MYB-2017 CSV (2013-2017) and, for other
  years, the most recent Minerals Yearbook edition in the CEDS workbook that reports the year (edition sheets
  2002, 2005, 2007, 2010, 2011, 2013 and "2019" = MYB 2016 covering 2012-2016). The rounded MCS-2016 top-20
  sheet ("2016") is ignored (superseded by the "2019" sheet). Tokens ``--``, ``W`` (withheld), ``XX``, ``(5)``
  are missing values. The workbook's ``mapping`` sheet maps "Côte d'Ivoiree" to Costa Rica (fixed to CIV) and
  Kosovo to "srb (kosovo)" (-> XKX). :func:`parse_cement_ceds` exposes every edition with its ``edition`` column.
- **Crude steel**: "Former Yugoslavia" (2000-2005) is Serbia and Montenegro, code ``SCG`` (project convention).
- **Pig iron**: the file's "World" row is kept as ``iso3="WLD"``, ``region_type="world"``; it is worldsteel's
  world total, larger than the sum of the ~46 listed countries.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve
from engine.sources._iso import names_to_iso3

SOURCE_ID = "industry_production"
CREDIT = "Source: World Steel Association"
STEEL_FILE = "crude_steel_by_country_2000-2018_tidy.csv"
CEMENT_FILE = "USGS_cement_by_country_2013-2017_tidy.csv"
CEMENT_CEDS_FILE = "CEDS_USGS_Commodity_Summaries_Cement_Production.xlsx"
ALUMINIUM_FILE = "CEDS_Aluminum_Production.xlsx"
PIG_IRON_FILE = "CEDS_worldsteel_Pig_Iron_Production_2010-2019.xlsx"
COMMODITIES = ("crude_steel", "pig_iron", "cement", "primary_aluminium")
COLUMNS = ["iso3", "region_type", "year", "commodity", "production_kt", "is_extrapolated", "source_file"]
#: CEDS cement sheets in edition order (oldest first); "2019" is the Minerals Yearbook 2016 (2012-2016).
CEMENT_EDITIONS = ("2002", "2005", "2007", "2010", "2011", "2013", "2019")
#: Names the generic matcher misses (case-insensitive keys).
_NAME_OVERRIDES = {"former yugoslavia": "SCG", "united states, including puerto rico": "USA",
                   "ržunion": "REU"}  # "RŽunione": Réunion with a broken accent in the 2005 edition
_ALUMINIUM_CODE_OVERRIDES = {"NANTILLES": "ANT", "MONTENEGRO": "MNE", "OTHERAFRIC": "OTHER_AFRICA",
                             "OTHERASIA": "OTHER_ASIA"}
#: Errors in the CEDS cement 'mapping' sheet ("Côte d'Ivoiree" is mapped to Costa Rica there).
_CEMENT_MAPPING_ERRATA = {"Côte d'Ivoiree": "CIV"}
_MISSING_TOKENS = {"--", "W", "XX", "(5)", "NA", ""}


def _fmt_error(filename: str, what: str) -> SourceFormatError:
    return SourceFormatError(f"{filename}: {what}", SOURCE_ID, filename)


def _finish(df: pd.DataFrame, commodity: str, filename: str) -> pd.DataFrame:
    out = df.copy()
    out["commodity"] = commodity
    defaults = {"source_file": filename, "region_type": "country", "is_extrapolated": False}
    for col, default in defaults.items():
        if col in out:
            out[col] = out[col].astype(object).where(out[col].notna(), default)
        else:
            out[col] = default
    out["is_extrapolated"] = out["is_extrapolated"].astype(bool)
    out["year"] = out["year"].astype(int)
    out["production_kt"] = out["production_kt"].astype(float)
    out = out[COLUMNS].sort_values(["iso3", "year"]).reset_index(drop=True)
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {"production_kt": "kt"}
    out.attrs["credit"] = CREDIT
    return out


def _to_number(values: pd.Series) -> pd.Series:
    """Numbers written as ``"4,474.30"``, ``1200``, ``"--"`` -> float (NaN for missing tokens)."""
    s = values.astype("string").str.strip().str.replace(",", "", regex=False)
    s = s.where(~s.isin(list(_MISSING_TOKENS)))
    return pd.to_numeric(s, errors="coerce").astype(float)


def _map_names(names, filename: str) -> dict[str, str | None]:
    distinct = sorted({str(n) for n in names})
    out = {n: _NAME_OVERRIDES.get(n.strip().lower()) for n in distinct}
    rest = [n for n in distinct if out[n] is None]
    out.update(names_to_iso3(rest))
    return out


def _read_tidy_csv(path, filename: str) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise _fmt_error(filename, f"not a readable CSV ({exc})") from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in ("locality", "year", "value", "units") if c not in raw.columns]
    if missing:
        raise _fmt_error(filename, f"expected tidy columns locality, year, value, units; missing {missing}")
    units = set(raw["units"].dropna().astype(str).str.strip())
    if units != {"kt"}:
        raise _fmt_error(filename, f"expected units 'kt' only, found {sorted(units)}")
    df = pd.DataFrame({"name": raw["locality"].astype(str).str.strip(), "year": raw["year"],
                       "production_kt": _to_number(raw["value"])}).dropna(subset=["production_kt"])
    codes = _map_names(df["name"].unique(), filename)
    unmapped = sorted(n for n, c in codes.items() if c is None)
    if unmapped:
        raise _fmt_error(filename, f"locality names without an ISO3 code: {unmapped[:10]}")
    df["iso3"] = df["name"].map(codes)
    if df.duplicated(["iso3", "year"]).any():
        dup = df[df.duplicated(["iso3", "year"], keep=False)]
        raise _fmt_error(filename, f"two localities map to one ISO3 code: {sorted(set(dup['name']))[:6]}")
    return df


def parse_crude_steel(path) -> pd.DataFrame:
    """worldsteel crude steel production by country.

    Parameters
    ----------
    path : str or Path
        ``crude_steel_by_country_2000-2018_tidy.csv`` (columns locality, year, value, ``"units "``; quoted values
        with thousands separators).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; ``commodity="crude_steel"``, ``production_kt`` [kt]. ``attrs["credit"]`` holds the
        required worldsteel credit.

    Raises
    ------
    SourceFormatError
        Missing columns, units other than kt, or locality names that map to no ISO3 code.
    """
    return _finish(_read_tidy_csv(path, STEEL_FILE), "crude_steel", STEEL_FILE)


def parse_cement_usgs(path) -> pd.DataFrame:
    """USGS Minerals Yearbook 2017 (Table 22) hydraulic cement production by country, 2013-2017.

    Parameters
    ----------
    path : str or Path
        ``USGS_cement_by_country_2013-2017_tidy.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; ``commodity="cement"``, ``production_kt`` [kt]; empty values dropped.

    Raises
    ------
    SourceFormatError
        As :func:`parse_crude_steel`.
    """
    return _finish(_read_tidy_csv(path, CEMENT_FILE), "cement", CEMENT_FILE)


def _read_excel(path, filename: str, **kw):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # openpyxl "Unknown extension"
            return pd.read_excel(path, header=None, **kw)
    except ValueError as exc:  # missing sheet, not an xlsx
        raise _fmt_error(filename, f"cannot read the workbook ({exc})") from exc
    except Exception as exc:  # zipfile.BadZipFile, openpyxl errors
        raise _fmt_error(filename, f"not a readable xlsx workbook ({exc!r})") from exc


def _year_of(label) -> tuple[int | None, bool]:
    """Header cell -> (year, is_estimate); ``"2002e"`` -> (2002, True)."""
    m = re.fullmatch(r"\s*(\d{4})(?:\.0+)?\s*(e?)\s*", str(label))
    return (int(m.group(1)), bool(m.group(2))) if m else (None, False)


def _clean_cement_name(name: str) -> str:
    """Strip footnote marks: ``"Kosovoe, 6"`` -> ``"Kosovoe"``, ``"Bangladesh4"`` -> ``"Bangladesh"``."""
    return re.sub(r"[\s\d,]+$", "", str(name)).strip()


def parse_cement_ceds(path) -> pd.DataFrame:
    """Every USGS Minerals Yearbook edition in the CEDS cement workbook, long.

    Parameters
    ----------
    path : str or Path
        ``CEDS_USGS_Commodity_Summaries_Cement_Production.xlsx`` (sheets :data:`CEMENT_EDITIONS`, plus
        ``mapping`` name -> iso3).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``year``, ``edition`` (sheet name, str), ``edition_rank`` (0 = oldest),
        ``production_kt`` [kt], ``is_estimate`` (the edition's own-year column marked ``e``), ``name``.

    Raises
    ------
    SourceFormatError
        Missing ``mapping`` or edition sheet, a sheet without year headers, or names that map to no ISO3 code.
    """
    filename = CEMENT_CEDS_FILE
    sheets = _read_excel(path, filename, sheet_name=None)
    missing = [s for s in (*CEMENT_EDITIONS, "mapping") if s not in sheets]
    if missing:
        raise _fmt_error(filename, f"expected sheets {list(CEMENT_EDITIONS)} and 'mapping'; missing {missing}")
    mp = sheets["mapping"].iloc[1:, :2].dropna()
    mapping = {str(k).strip(): str(v).strip().upper() for k, v in zip(mp[0], mp[1])}
    # The sheet codes Kosovo "srb (kosovo)"; the project code for Kosovo is XKX.
    mapping = {k: ("XKX" if "KOSOVO" in v else v) for k, v in mapping.items()
               if re.fullmatch(r"[A-Z]{3}|.*KOSOVO.*", v)}
    mapping.update(_CEMENT_MAPPING_ERRATA)
    frames = []
    for rank, sheet in enumerate(CEMENT_EDITIONS):
        tab = sheets[sheet]
        years = [_year_of(c) for c in tab.iloc[0, 1:]]
        if not any(y for y, _ in years):
            raise _fmt_error(filename, f"sheet {sheet!r}: first row should hold years (e.g. 1998 ... '2002e')")
        body = tab.iloc[1:].dropna(subset=[0])
        for j, (year, est) in enumerate(years, start=1):
            if year is None:
                continue
            frames.append(pd.DataFrame({"name": body[0].astype(str), "year": year, "edition": sheet,
                                        "edition_rank": rank, "production_kt": _to_number(body[j]),
                                        "is_estimate": est}))
    df = pd.concat(frames, ignore_index=True).dropna(subset=["production_kt"])
    names = df["name"].unique()
    codes = {}
    for n in names:
        stripped, cleaned = n.strip(), _clean_cement_name(n)
        codes[n] = (mapping.get(stripped) or mapping.get(cleaned) or mapping.get(cleaned.rstrip("e"))
                    or _NAME_OVERRIDES.get(cleaned.lower()) or _NAME_OVERRIDES.get(cleaned.lower().rstrip("e")))
    rest = [n for n, c in codes.items() if c is None]
    if rest:
        fallback = names_to_iso3([_clean_cement_name(n) for n in rest])
        for n in rest:
            codes[n] = fallback.get(_clean_cement_name(n))
    unmapped = sorted(n for n, c in codes.items() if c is None)
    if unmapped:
        raise _fmt_error(filename, f"country names without an ISO3 code: {unmapped[:10]}")
    df["iso3"] = df["name"].map(codes)
    dup = df.duplicated(["iso3", "year", "edition"], keep=False)
    if dup.any():
        raise _fmt_error(filename, f"two names map to one ISO3 code in one edition: {sorted(set(df.loc[dup, 'name']))[:6]}")
    df = df.sort_values(["iso3", "year", "edition_rank"]).reset_index(drop=True)
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = {"production_kt": "kt"}
    return df


def cement_series(usgs: pd.DataFrame, ceds: pd.DataFrame) -> pd.DataFrame:
    """One cement value per (iso3, year): the tidy MYB-2017 CSV first, else the latest CEDS edition.

    Parameters
    ----------
    usgs : pandas.DataFrame
        Output of :func:`parse_cement_usgs`.
    ceds : pandas.DataFrame
        Output of :func:`parse_cement_ceds`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, ``commodity="cement"`` [kt], 1998-2017; ``source_file`` tells which file (and
        ``"<file>#<sheet>"`` which CEDS edition) each value comes from.
    """
    latest = ceds.sort_values("edition_rank").groupby(["iso3", "year"], as_index=False).last()
    latest = latest.assign(source_file=CEMENT_CEDS_FILE + "#" + latest["edition"].astype(str))
    have = pd.MultiIndex.from_frame(usgs[["iso3", "year"]])
    keep = ~pd.MultiIndex.from_frame(latest[["iso3", "year"]]).isin(have)
    old = latest.loc[keep, ["iso3", "year", "production_kt", "source_file"]]
    return _finish(pd.concat([usgs, old], ignore_index=True), "cement", CEMENT_FILE)


def parse_aluminium(path) -> pd.DataFrame:
    """CEDS primary aluminium smelter output by country.

    Parameters
    ----------
    path : str or Path
        ``CEDS_Aluminum_Production.xlsx`` (sheet ``Aluminum``; header row 3: ISO-Numeric, Country, MC17 Reg,
        RCP Template Reg #, 1850 ... 2023).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, ``commodity="primary_aluminium"``, ``production_kt`` [kt], 1850-2023;
        ``is_extrapolated`` True for 2022-2023 (CEDS copies of 2021). The ``Sum`` row is dropped;
        ``OTHER_AFRICA``/``OTHER_ASIA`` residual rows have ``region_type="other"``.

    Raises
    ------
    SourceFormatError
        Missing sheet or header columns, or an ISO numeric code that maps to no ISO3 code.
    """
    import country_converter as coco

    filename = ALUMINIUM_FILE
    tab = _read_excel(path, filename, sheet_name=0)
    hdr = [str(c).strip() for c in tab.iloc[2]] if len(tab) > 3 else []
    if hdr[:2] != ["ISO-Numeric", "Country"]:
        raise _fmt_error(filename, f"expected row 3 to start with 'ISO-Numeric', 'Country'; found {hdr[:2]}")
    years = {j: _year_of(c)[0] for j, c in enumerate(tab.iloc[2]) if _year_of(c)[0] is not None}
    if not years:
        raise _fmt_error(filename, "no year columns in row 3")
    body = tab.iloc[3:].dropna(subset=[1])
    body = body[body[1].astype(str).str.strip().str.lower() != "sum"]
    numeric = pd.to_numeric(body[0], errors="coerce")
    conv = coco.CountryConverter().data.dropna(subset=["ISOnumeric"])
    by_num = dict(zip(conv["ISOnumeric"].astype(int), conv["ISO3"]))
    names = body[1].astype(str).str.strip()
    iso = [_ALUMINIUM_CODE_OVERRIDES.get(n) or (by_num.get(int(x)) if pd.notna(x) else None)
           for n, x in zip(names, numeric)]
    bad = [n for n, c in zip(names, iso) if c is None]
    if bad:
        raise _fmt_error(filename, f"rows without an ISO numeric code: {bad[:10]}")
    wide = body[list(years)].rename(columns=years)
    wide.index = pd.Index(iso, name="iso3")
    long = wide.stack().rename("production_kt").reset_index().rename(columns={"level_1": "year"})
    long["production_kt"] = _to_number(long["production_kt"])
    long = long.dropna(subset=["production_kt"])
    long["region_type"] = np.where(long["iso3"].str.startswith("OTHER_"), "other", "country")
    last = max(y for y in years.values() if y <= 2021)
    long["is_extrapolated"] = long["year"] > last
    if long.duplicated(["iso3", "year"]).any():
        raise _fmt_error(filename, "two rows map to the same ISO3 code")
    return _finish(long, "primary_aluminium", filename)


def parse_pig_iron(path) -> pd.DataFrame:
    """worldsteel pig iron production by country (Steel Statistical Yearbook 2020, concise).

    Parameters
    ----------
    path : str or Path
        ``CEDS_worldsteel_Pig_Iron_Production_2010-2019.xlsx`` (row 3: Countries, iso, 2010 ... 2019).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, ``commodity="pig_iron"``, ``production_kt`` [kt]; the World row is
        ``iso3="WLD"``, ``region_type="world"``.

    Raises
    ------
    SourceFormatError
        If the header row (Countries, iso, years) is not found.
    """
    filename = PIG_IRON_FILE
    tab = _read_excel(path, filename, sheet_name=0)
    first = tab[0].astype(str).str.strip()
    hits = np.flatnonzero(first.eq("Countries").to_numpy())
    if len(hits) != 1 or str(tab.iloc[hits[0], 1]).strip().lower() != "iso":
        raise _fmt_error(filename, "expected one header row starting with 'Countries', 'iso', then years")
    h = hits[0]
    years = {j: _year_of(c)[0] for j, c in enumerate(tab.iloc[h]) if _year_of(c)[0] is not None}
    body = tab.iloc[h + 1:]
    is_world = body[0].astype(str).str.strip().str.lower().eq("world")
    code = body[1].astype(str).str.strip()
    ok = is_world | code.str.fullmatch(r"[A-Za-z]{3}")
    body, is_world, code = body[ok], is_world[ok], code[ok]
    wide = body[list(years)].rename(columns=years)
    wide.index = pd.Index(np.where(is_world, "WLD", code.str.upper()), name="iso3")
    long = wide.stack().rename("production_kt").reset_index().rename(columns={"level_1": "year"})
    long["production_kt"] = _to_number(long["production_kt"])
    long = long.dropna(subset=["production_kt"])
    long["region_type"] = np.where(long["iso3"].eq("WLD"), "world", "country")
    if long.duplicated(["iso3", "year"]).any():
        raise _fmt_error(filename, "duplicate iso codes")
    return _finish(long, "pig_iron", filename)


def read_crude_steel(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_crude_steel` on the verified data-directory file."""
    return parse_crude_steel(resolve(SOURCE_ID, STEEL_FILE, settings))


def read_cement_usgs(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_cement_usgs` on the verified data-directory file."""
    return parse_cement_usgs(resolve(SOURCE_ID, CEMENT_FILE, settings))


def read_cement_ceds(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_cement_ceds` on the verified data-directory file."""
    return parse_cement_ceds(resolve(SOURCE_ID, CEMENT_CEDS_FILE, settings))


def read_aluminium(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_aluminium` on the verified data-directory file."""
    return parse_aluminium(resolve(SOURCE_ID, ALUMINIUM_FILE, settings))


def read_pig_iron(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_pig_iron` on the verified data-directory file."""
    return parse_pig_iron(resolve(SOURCE_ID, PIG_IRON_FILE, settings))


def production(settings: Settings | None = None, include_extrapolated: bool = False) -> pd.DataFrame:
    """All four commodities in one long table.

    Parameters
    ----------
    settings : Settings, optional
    include_extrapolated : bool
        Keep the CEDS aluminium 2022-2023 copies of 2021 (``is_extrapolated=True``). Default False.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``iso3``, ``region_type`` (``country``/``world``/``other``), ``year``,
        ``commodity`` (:data:`COMMODITIES`), ``production_kt`` [kt], ``is_extrapolated``, ``source_file``.
        Unique on (iso3, year, commodity). ``attrs["credit"] = "Source: World Steel Association"``.
    """
    parts = [
        read_crude_steel(settings),
        read_pig_iron(settings),
        cement_series(read_cement_usgs(settings), read_cement_ceds(settings)),
        read_aluminium(settings),
    ]
    out = pd.concat(parts, ignore_index=True)
    if not include_extrapolated:
        out = out[~out["is_extrapolated"]]
    out = out.sort_values(["commodity", "iso3", "year"]).reset_index(drop=True)
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {"production_kt": "kt"}
    out.attrs["credit"] = CREDIT
    return out


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Tables for the processed pack.

    Returns
    -------
    dict
        ``industry_production`` (long table of :func:`production`, including the flagged aluminium
        extrapolation rows) and ``industry_production_cement_editions`` (every CEDS cement edition, for
        revision checks).
    """
    ceds = read_cement_ceds(settings)
    parts = [read_crude_steel(settings), read_pig_iron(settings),
             cement_series(read_cement_usgs(settings), ceds), read_aluminium(settings)]
    table = pd.concat(parts, ignore_index=True).sort_values(["commodity", "iso3", "year"]).reset_index(drop=True)
    table.attrs.update(source=SOURCE_ID, units={"production_kt": "kt"}, credit=CREDIT)
    return {"industry_production": table, "industry_production_cement_editions": ceds}
