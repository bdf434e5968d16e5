"""Region boundaries: how countries are grouped into ledger regions for a Query.

Every grouping is a *partition* of the world (each country, and the international bunkers line, belongs to
exactly one region), so sums over regions always equal the world total. Group memberships are authored in
``data/groups.csv`` and ``data/continents.csv``.
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import AUTHORED_DIR
from engine.core.query import Query, closest

BUNKERS = "BUNKERS"
ROW = "ROW"
NAMED_GROUPS = ("EU27", "G7", "G20", "BRICS", "OECD")
GROUP_NAMES = {"EU27": "European Union (27)", "G7": "G7", "G20": "G20 (member countries)", "BRICS": "BRICS (2025)",
               "OECD": "OECD (38)", ROW: "Rest of the world (WIOD RoW)", BUNKERS: "International bunkers"}


def group_members() -> dict[str, tuple[str, ...]]:
    """Member ISO3 codes of each named group (``data/groups.csv``)."""
    g = pd.read_csv(AUTHORED_DIR / "groups.csv")
    return {name: tuple(sorted(d["iso3"])) for name, d in g.groupby("group")}


def continents() -> dict[str, str]:
    """ISO3 -> continent (``data/continents.csv``)."""
    c = pd.read_csv(AUTHORED_DIR / "continents.csv", keep_default_na=False)
    return dict(zip(c["iso3"], c["continent"]))


def check_codes(codes, known) -> None:
    """Refuse unknown ISO3 codes, naming the closest known ones.

    Raises
    ------
    ValueError
    """
    known = set(known)
    for c in codes:
        if c not in known:
            hint = closest(c, known)
            raise ValueError(f"unknown region {c!r}" + (f"; did you mean {', '.join(hint)}?" if hint else ""))


def partition(codes, query: Query, mrio_regions: tuple[str, ...]) -> pd.Series:
    """Region label of each code (countries' ISO3 and ``BUNKERS``) under the Query's grouping.

    Parameters
    ----------
    codes : iterable of str
        Every code of the ledger (countries and ``BUNKERS``).
    mrio_regions : tuple of str
        WIOD region ISO3 codes (with ``ROW``).

    Returns
    -------
    Series
        index code, value region label.

    Raises
    ------
    ValueError
        If a custom group names an unknown code (with the closest matches).
    """
    codes = list(codes)
    g = query.grouping
    if g == "countries":
        labels = codes
    elif g == "mrio":
        inside = set(mrio_regions)
        labels = [c if c in inside or c == BUNKERS else ROW for c in codes]
    elif g == "continents":
        cont = continents()
        labels = [BUNKERS if c == BUNKERS else cont.get(c, "Other") for c in codes]
    else:
        if g == "custom":
            check_codes(query.members, set(codes) - {BUNKERS})
            members, label = set(query.members), query.name
        else:
            members, label = set(group_members()[g]), g
        labels = [label if c in members else c for c in codes]
    return pd.Series(labels, index=codes, name="region")
