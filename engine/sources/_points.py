"""Shared steps of the point-source readers (mines, fields, flares, plants): read a CSV with a clear error, check
the columns, drop rows without usable coordinates and map country names to ISO3.

Each reader documents its own quirks; these helpers only keep the counting and the error messages in one place.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from engine.core.errors import SourceFormatError
from engine.sources._iso import names_to_iso3


def read_table(path, source_id: str, required: tuple[str, ...], **read_kw) -> pd.DataFrame:
    """Read a CSV and check its columns.

    Raises
    ------
    SourceFormatError
        If the file is not a readable CSV or a column of ``required`` is missing (the message names them).
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, low_memory=False, **read_kw)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError) as exc:
        raise SourceFormatError(f"{path.name}: not a readable CSV ({exc})", source_id, path.name) from exc
    check_columns(raw, path.name, source_id, required)
    return raw


def check_columns(raw: pd.DataFrame, name: str, source_id: str, required: tuple[str, ...]) -> None:
    """Raise :class:`SourceFormatError` naming the required columns that ``raw`` lacks."""
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise SourceFormatError(f"{name}: expected columns {missing}", source_id, name)


def valid_coordinates(lat: pd.Series, lon: pd.Series) -> np.ndarray:
    """True where latitude and longitude are numbers within [-90, 90] and [-180, 180] and not both 0 (a common
    placeholder for "unknown") [bool]."""
    la = pd.to_numeric(lat, errors="coerce")
    lo = pd.to_numeric(lon, errors="coerce")
    ok = la.notna() & lo.notna() & (la.abs() <= 90) & (lo.abs() <= 180) & ~((la == 0) & (lo == 0))
    return ok.to_numpy()


def countries_to_iso3(names: pd.Series, separator: str | None = None) -> tuple[pd.Series, pd.Series]:
    """ISO3 code of each country name, and all codes of multi-country names.

    Parameters
    ----------
    names : pandas.Series of str
        Country names as written by the source.
    separator : str, optional
        Separator of joint areas (GEM writes ``"Kuwait-Saudi Arabia"``); each part is mapped on its own.

    Returns
    -------
    iso3 : pandas.Series
        First code that maps (None when no part maps).
    codes : pandas.Series
        Tuple of every part's code that maps (empty when none).
    """
    names = names.astype(str).str.strip()
    whole = _whole(names, separator) if separator is not None else set()
    parts = {n: ([n] if separator is None or n in whole else n.split(separator)) for n in names.unique()}
    mapping = names_to_iso3(sorted({p.strip() for ps in parts.values() for p in ps}))
    codes = {n: tuple(dict.fromkeys(c for c in (mapping.get(p.strip()) for p in ps) if c)) for n, ps in parts.items()}
    all_codes = names.map(codes)
    first = all_codes.map(lambda t: t[0] if t else None).astype(object)
    return first, all_codes


def _whole(names: pd.Series, separator: str) -> set[str]:
    """Names that contain the separator but map as a whole (e.g. "Guinea-Bissau", "Timor-Leste")."""
    cand = [n for n in names.unique() if separator in n]
    m = names_to_iso3(cand) if cand else {}
    return {n for n, c in m.items() if c}


def first_positive(*columns: pd.Series) -> pd.Series:
    """Row-wise first value > 0 among the columns (NaN when none) [unit of the columns]."""
    out = pd.Series(np.nan, index=columns[0].index)
    for col in columns:
        v = pd.to_numeric(col, errors="coerce")
        out = out.where(out.notna(), v.where(v > 0))
    return out
