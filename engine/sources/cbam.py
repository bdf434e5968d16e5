"""EU CBAM default values (Implementing Regulation (EU) 2025/2621) and CBAM benchmarks (IR (EU) 2025/2620).

Files (source ``cbam_2025_2621``, transcribed from the Official Journal by the opencbam 0.1.0 package, Apache-2.0;
EU reuse policy, Decision 2011/833/EU):

- ``cbam_default_values_2025_2621_annexI.csv``: Annex I, default embedded emissions per country and CN code
  [t CO2e per t of good]: direct, indirect, total, and the published totals including the mark-up for 2026, 2027
  and 2028 (+10 / +20 / +30 %, fertilisers +1 % every year), production route letter. 11,391 rows, 118 countries
  plus "Other Countries and Territories" (the fallback table, code ``OTHER`` here).
- ``annex_iv_precursor_defaults_2621.json``: Annex IV, the highest default value per good (with mark-ups).
- ``benchmarks_2620.json``: CBAM benchmarks per CN code, columns A and B of the Annex of IR 2025/2620, with route
  and a year group where the Annex splits values.
- ``cbam_goods_cn.json``: the CN codes of CBAM goods (EU CBAM report structure, sheet "CL CBAMGoods").

Missing-value tokens in Annex I: ``DASH`` (the Annex gives no value for that country; the Regulation says to use
the "Other Countries and Territories" value) and ``NA`` (not applicable: indirect emissions of steel, aluminium
and hydrogen, which CBAM does not charge). Values are ``NaN`` and the ``value_status`` column says why.

CN codes are kept as written in the Annex, with spaces (``"7208"``, ``"7207 12 10"``, ``"2523 10 00"``), and as
digits only in ``cn_digits``. One (country, CN code) can have several rows (white / grey clinker, hydraulic
cements), told apart by ``description`` and ``route``.

Quirk: the Albania "White Portland cement" row has DASH for direct/indirect/total but numbers in the three mark-up
columns (1.230, 0.140, 1.370 - evidently a shifted direct/indirect/total); mark-ups of DASH rows are set to NaN.

Default-value rules applied by :func:`default_value`:

1. The CN code asked for is matched to the longest Annex code that is a prefix of it (``"72081000"`` -> the
   heading ``7208``).
2. If the country is not in Annex I, or its total for that good is DASH, the "Other Countries and Territories"
   row for the same CN code and description is used.
3. ``year=None`` returns the total before mark-up; 2026 and 2027 return the published mark-up columns; any year
   from 2028 on returns the 2028 column (the mark-up stays at its 2028 level). Years before 2026 raise
   ``ValueError`` (the transitional period had different default values).
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve
from engine.sources._iso import names_to_iso3

SOURCE_ID = "cbam_2025_2621"
ANNEX_I_FILE = "cbam_default_values_2025_2621_annexI.csv"
ANNEX_IV_FILE = "annex_iv_precursor_defaults_2621.json"
BENCHMARKS_FILE = "benchmarks_2620.json"
GOODS_FILE = "cbam_goods_cn.json"
FALLBACK_COUNTRY = "Other Countries and Territories"
FALLBACK_CODE = "OTHER"
VALUE_COLUMNS = ("direct", "indirect", "total", "markup_2026", "markup_2027", "markup_2028")
ANNEX_I_COLUMNS = ["country", "sector", "cn_code", "description", *VALUE_COLUMNS, "route"]
UNIT = "t CO2e/t"
_VALUE_RE = re.compile(r"^-?\d+(\.\d+)?$")


def _fmt_error(filename: str, what: str) -> SourceFormatError:
    return SourceFormatError(f"{filename}: {what}", SOURCE_ID, filename)


def _digits(cn: str) -> str:
    return re.sub(r"\D", "", str(cn))


def _numbers(values: pd.Series, filename: str, column: str) -> pd.Series:
    s = values.astype(str).str.strip()
    bad = sorted(set(s[~(s.str.match(_VALUE_RE) | s.isin(["DASH", "NA", ""]))]))
    if bad:
        raise _fmt_error(filename, f"column {column!r} holds values that are neither numbers nor DASH/NA: {bad[:5]}")
    return pd.to_numeric(s.where(s.str.match(_VALUE_RE)), errors="coerce").astype(float)


def parse_default_values(path) -> pd.DataFrame:
    """Annex I default values of IR (EU) 2025/2621.

    Parameters
    ----------
    path : str or Path
        ``cbam_default_values_2025_2621_annexI.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per (country, cn_code, description): ``country`` (name as in the Annex), ``iso3`` (``OTHER`` for
        the fallback table), ``sector``, ``cn_code`` (spaced, as written), ``cn_digits``, ``description``,
        ``direct``, ``indirect``, ``total`` [t CO2e/t], ``markup_2026``, ``markup_2027``, ``markup_2028``
        (published totals incl. mark-up) [t CO2e/t], ``route`` (letter or ""), ``value_status`` (``"value"``,
        ``"dash"`` = no value, use the fallback) and ``indirect_status`` (``"value"``, ``"dash"``, ``"na"`` = not
        applicable). ``attrs``: ``source``, ``units``.

    Raises
    ------
    SourceFormatError
        Missing columns, or a value that is neither a number nor DASH/NA.
    """
    filename = ANNEX_I_FILE
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise _fmt_error(filename, f"not a readable CSV ({exc})") from exc
    missing = [c for c in ANNEX_I_COLUMNS if c not in raw.columns]
    if missing:
        raise _fmt_error(filename, f"expected columns {ANNEX_I_COLUMNS}; missing {missing}")
    df = raw[ANNEX_I_COLUMNS].copy()
    for c in ("country", "sector", "cn_code", "description", "route"):
        df[c] = df[c].astype(str).str.strip()
    total_tok = df["total"].str.strip()
    indirect_tok = df["indirect"].str.strip()
    for c in VALUE_COLUMNS:
        df[c] = _numbers(df[c], filename, c)
    df["value_status"] = np.where(df["total"].notna(), "value", "dash")
    if not total_tok[df["total"].isna()].isin(["DASH"]).all():
        raise _fmt_error(filename, "column 'total' has empty or NA cells; only DASH may stand for a missing total")
    df["indirect_status"] = np.select([indirect_tok.eq("NA"), indirect_tok.eq("DASH")], ["na", "dash"], "value")
    # Mark-ups of rows without a total are not usable (see the module notes on the Albania row).
    df.loc[df["total"].isna(), ["markup_2026", "markup_2027", "markup_2028"]] = np.nan
    codes = names_to_iso3([n for n in df["country"].unique() if n != FALLBACK_COUNTRY])
    codes[FALLBACK_COUNTRY] = FALLBACK_CODE
    unmapped = sorted(n for n, c in codes.items() if c is None)
    if unmapped:
        raise _fmt_error(filename, f"country names without an ISO3 code: {unmapped[:10]}")
    df["iso3"] = df["country"].map(codes)
    if df.duplicated(["iso3", "cn_code", "description"]).any():
        raise _fmt_error(filename, "duplicate (country, cn_code, description) rows")
    if FALLBACK_CODE not in set(df["iso3"]):
        raise _fmt_error(filename, f"no {FALLBACK_COUNTRY!r} rows (the fallback table)")
    df["cn_digits"] = df["cn_code"].map(_digits)
    out = df[["country", "iso3", "sector", "cn_code", "cn_digits", "description", *VALUE_COLUMNS, "route",
              "value_status", "indirect_status"]].reset_index(drop=True)
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {c: UNIT for c in VALUE_COLUMNS}
    return out


def _load_json(path, filename: str):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _fmt_error(filename, f"not valid JSON ({exc})") from exc


def parse_annex_iv(path) -> pd.DataFrame:
    """Annex IV of IR 2025/2621: highest default value per good (used for precursors of unknown origin).

    Parameters
    ----------
    path : str or Path
        ``annex_iv_precursor_defaults_2621.json`` (a list of records with sector, cn_code, description, highest,
        markup_2026/2027/2028, route).

    Returns
    -------
    pandas.DataFrame
        Columns ``sector``, ``cn_code``, ``cn_digits``, ``description``, ``highest``, ``markup_2026``,
        ``markup_2027``, ``markup_2028`` [t CO2e/t], ``route``.

    Raises
    ------
    SourceFormatError
        If the JSON is not a list of such records.
    """
    filename = ANNEX_IV_FILE
    data = _load_json(path, filename)
    need = ["sector", "cn_code", "description", "highest", "markup_2026", "markup_2027", "markup_2028", "route"]
    if not isinstance(data, list) or not data or not all(isinstance(r, dict) and set(need) <= set(r) for r in data):
        raise _fmt_error(filename, f"expected a JSON list of records with keys {need}")
    df = pd.DataFrame(data)[need]
    for c in ("highest", "markup_2026", "markup_2027", "markup_2028"):
        df[c] = _numbers(df[c].fillna(""), filename, c)
    df["route"] = df["route"].fillna("").astype(str)
    df.insert(2, "cn_digits", df["cn_code"].map(_digits))
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = {c: UNIT for c in ("highest", "markup_2026", "markup_2027", "markup_2028")}
    return df


def parse_benchmarks(path) -> pd.DataFrame:
    """CBAM benchmarks of IR (EU) 2025/2620, long.

    Parameters
    ----------
    path : str or Path
        ``benchmarks_2620.json``: a list of {sector, cn_code, description, column_a, column_b, extra_groups},
        each column a list of {value, route, year}.

    Returns
    -------
    pandas.DataFrame
        Columns ``sector``, ``cn_code``, ``cn_digits``, ``description``, ``column`` (``"A"`` or ``"B"``, the
        Annex's two benchmark columns), ``route`` (letter or ""), ``year_group`` (the Annex's year split marker,
        ``""`` when none), ``benchmark_t_co2e_per_t`` [t CO2e/t]. ``extra_groups`` are empty in this file; if
        present they are kept with ``column="extra"``.

    Raises
    ------
    SourceFormatError
        If the JSON is not a list of such records or a value is not a number.
    """
    filename = BENCHMARKS_FILE
    data = _load_json(path, filename)
    if not isinstance(data, list) or not data:
        raise _fmt_error(filename, "expected a JSON list of benchmark records")
    rows = []
    for rec in data:
        if not isinstance(rec, dict) or not {"sector", "cn_code", "column_a", "column_b"} <= set(rec):
            raise _fmt_error(filename, "each record needs sector, cn_code, column_a and column_b")
        groups = [("A", rec["column_a"]), ("B", rec["column_b"])]
        groups += [("extra", g) for g in rec.get("extra_groups") or []]
        for col, entries in groups:
            entries = entries if isinstance(entries, list) else [entries]
            for e in entries:
                if not isinstance(e, dict) or "value" not in e:
                    raise _fmt_error(filename, f"{rec['cn_code']}: benchmark entries need a 'value'")
                rows.append({"sector": rec["sector"], "cn_code": rec["cn_code"],
                             "description": rec.get("description", ""), "column": col,
                             "route": e.get("route") or "", "year_group": str(e.get("year") or ""),
                             "value": str(e["value"])})
    df = pd.DataFrame(rows)
    df["benchmark_t_co2e_per_t"] = _numbers(df.pop("value"), filename, "value")
    if df["benchmark_t_co2e_per_t"].isna().any():
        raise _fmt_error(filename, "empty benchmark values")
    df.insert(2, "cn_digits", df["cn_code"].map(_digits))
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = {"benchmark_t_co2e_per_t": UNIT}
    return df


def parse_goods(path) -> pd.DataFrame:
    """CN codes of CBAM goods.

    Parameters
    ----------
    path : str or Path
        ``cbam_goods_cn.json`` ({"_source", "_count", "goods": [...]}).

    Returns
    -------
    pandas.DataFrame
        Columns ``cn_digits`` (8 digits), ``cn_code`` (spaced display), ``family``, ``sector``, ``category``,
        ``ghg``, ``description``.

    Raises
    ------
    SourceFormatError
        If there is no ``goods`` list or its length differs from ``_count``.
    """
    filename = GOODS_FILE
    data = _load_json(path, filename)
    goods = data.get("goods") if isinstance(data, dict) else None
    if not isinstance(goods, list) or not goods:
        raise _fmt_error(filename, "expected an object with a non-empty 'goods' list")
    if "_count" in data and data["_count"] != len(goods):
        raise _fmt_error(filename, f"'_count' says {data['_count']} goods but the list holds {len(goods)}")
    df = pd.DataFrame(goods).rename(columns={"cn": "cn_digits", "display": "cn_code"})
    cols = ["cn_digits", "cn_code", "family", "sector", "category", "ghg", "description"]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise _fmt_error(filename, f"goods records lack keys {missing}")
    df = df[cols].copy()
    df.attrs["source"] = SOURCE_ID
    df.attrs["units"] = {}
    return df


def read_default_values(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_default_values` on the verified data-directory file."""
    return parse_default_values(resolve(SOURCE_ID, ANNEX_I_FILE, settings))


def read_annex_iv(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_annex_iv` on the verified data-directory file."""
    return parse_annex_iv(resolve(SOURCE_ID, ANNEX_IV_FILE, settings))


def read_benchmarks(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_benchmarks` on the verified data-directory file."""
    return parse_benchmarks(resolve(SOURCE_ID, BENCHMARKS_FILE, settings))


def read_goods(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_goods` on the verified data-directory file."""
    return parse_goods(resolve(SOURCE_ID, GOODS_FILE, settings))


def _year_column(year: int | None) -> str:
    if year is None:
        return "total"
    year = int(year)
    if year < 2026:
        raise ValueError(f"IR 2025/2621 default values apply from 2026 (definitive period); got year={year}")
    return f"markup_{min(year, 2028)}"


def _candidates(rows: pd.DataFrame, cn: str, route: str | None, description: str | None) -> pd.DataFrame:
    """Rows whose CN code is the longest prefix of ``cn``, filtered by route / description."""
    digits = _digits(cn)
    hits = rows[[digits.startswith(d) for d in rows["cn_digits"]]] if len(rows) else rows
    if hits.empty:
        return hits
    hits = hits[hits["cn_digits"].str.len() == hits["cn_digits"].str.len().max()]
    if route is not None:
        hits = hits[hits["route"].str.upper() == route.upper()]
    if description is not None:
        hits = hits[hits["description"].str.lower().str.contains(description.lower(), regex=False)]
    return hits


def default_value_detail(iso3: str, cn_code: str, year: int | None = 2026, *, table: pd.DataFrame | None = None,
                         settings: Settings | None = None, route: str | None = None,
                         description: str | None = None) -> dict:
    """Look up a CBAM default value with the fallback and mark-up rules (see the module notes).

    Parameters
    ----------
    iso3 : str
        Country of origin (ISO3). Codes absent from Annex I use the fallback table.
    cn_code : str
        CN code, spaced or not, 4 to 10 digits (``"7208"``, ``"7207 12 10"``, ``"72081000"``).
    year : int or None
        Import year: 2026, 2027, 2028+ (mark-up included), or None for the total before mark-up.
    table : pandas.DataFrame, optional
        Output of :func:`parse_default_values`; read from the data directory when omitted.
    settings : Settings, optional
        Used only when ``table`` is omitted.
    route, description : str, optional
        Pick among several rows for one CN code (e.g. ``description="grey"`` for grey clinker; ``route="A"``).

    Returns
    -------
    dict
        ``iso3`` asked, ``country`` and ``cn_code`` / ``description`` / ``route`` of the row used,
        ``fallback`` (bool), ``direct``, ``indirect``, ``total`` [t CO2e/t], ``year``, ``value`` [t CO2e/t]
        (the total with the year's mark-up), ``markup_factor`` (value / total).

    Raises
    ------
    KeyError
        If no Annex I row (country or fallback) matches the CN code.
    ValueError
        If several rows match (pass ``route`` or ``description``) or ``year`` < 2026.
    """
    col = _year_column(year)
    tab = read_default_values(settings) if table is None else table
    iso3 = str(iso3).upper()
    own = _candidates(tab[tab["iso3"] == iso3], cn_code, route, description)
    fallback = own.empty or own["value_status"].eq("dash").all()
    if not fallback and len(own) > 1:
        raise ValueError(f"{len(own)} Annex I rows match {iso3} {cn_code}: "
                         f"{list(zip(own['description'], own['route']))}; pass route= or description=")
    if fallback:
        fb = _candidates(tab[tab["iso3"] == FALLBACK_CODE], cn_code, route, description)
        if len(own) == 1:  # same good as the country's DASH row
            fb = fb[fb["description"] == own["description"].iloc[0]]
        if fb.empty:
            raise KeyError(f"no CBAM Annex I default value for CN {cn_code!r} (country {iso3} or fallback)")
        if len(fb) > 1:
            raise ValueError(f"{len(fb)} fallback rows match {cn_code}: "
                             f"{list(zip(fb['description'], fb['route']))}; pass route= or description=")
        row = fb.iloc[0]
    else:
        row = own.iloc[0]
    value = float(row[col])
    return {"iso3": iso3, "country": row["country"], "cn_code": row["cn_code"], "description": row["description"],
            "route": row["route"], "fallback": bool(fallback), "direct": float(row["direct"]),
            "indirect": float(row["indirect"]), "total": float(row["total"]), "year": year, "value": value,
            "markup_factor": value / float(row["total"]) if row["total"] else np.nan}


def default_value(iso3: str, cn_code: str, year: int | None = 2026, *, table: pd.DataFrame | None = None,
                  settings: Settings | None = None, route: str | None = None,
                  description: str | None = None) -> float:
    """CBAM default embedded emissions of a good from a country, mark-up of ``year`` included.

    Parameters
    ----------
    iso3, cn_code, year, table, settings, route, description
        As :func:`default_value_detail`.

    Returns
    -------
    float
        [t CO2e per t of good]; ``year=None`` gives the Annex total before mark-up.
    """
    return default_value_detail(iso3, cn_code, year, table=table, settings=settings, route=route,
                                description=description)["value"]


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Tables for the processed pack.

    Returns
    -------
    dict
        ``cbam_default_values`` (Annex I), ``cbam_annex_iv``, ``cbam_benchmarks``, ``cbam_goods``.
    """
    return {
        "cbam_default_values": read_default_values(settings),
        "cbam_annex_iv": read_annex_iv(settings),
        "cbam_benchmarks": read_benchmarks(settings),
        "cbam_goods": read_goods(settings),
    }
