"""Country names and codes to ISO 3166-1 alpha-3, with the quirks of our sources handled explicitly.

``country_converter`` does the regex matching; the table below fixes names it misses or that our sources use
for entities without an ISO code. Codes that are not ISO but are used consistently across the project:

- ``SCG`` Serbia and Montenegro (EDGAR reports them as one entity),
- ``XKX`` Kosovo (country_converter's user-assigned code),
- ``BUNKERS_AIR``, ``BUNKERS_SEA`` international aviation and shipping (never dropped, never a country),
- ``WLD`` world total.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

#: Names (case-insensitive) seen in our sources that country_converter misses or maps wrongly.
OVERRIDES: dict[str, str | None] = {
    "serbia and montenegro": "SCG",
    "kosovo": "XKX",
    "world": "WLD",
    "global": "WLD",
    "global total": "WLD",
    "international aviation": "BUNKERS_AIR",
    "international shipping": "BUNKERS_SEA",
    "international transport": "BUNKERS",
    "bunkers": "BUNKERS",
    "kuwaiti oil fires": None,
    "micronesia (country)": "FSM",
    "micronesia (federated states of)": "FSM",
    "curacao": "CUW",
    "curaçao": "CUW",
    "bonaire, saint eustatius and saba": "BES",
    "sint maarten (dutch part)": "SXM",
    "saint helena": "SHN",
    "wallis and futuna islands": "WLF",
    "czechia": "CZE",
    "timor-leste": "TLS",
    "timor": "TLS",
    "east timor": "TLS",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "eswatini": "SWZ",
    "macedonia": "MKD",
    "north macedonia": "MKD",
    "democratic republic of the congo": "COD",
    "democratic republic of congo": "COD",
    "congo": "COG",
    "republic of the congo": "COG",
    "türkiye": "TUR",
    "turkiye": "TUR",
    "laos": "LAO",
    "palestine": "PSE",
    "occupied palestinian territory": "PSE",
    "state of palestine": "PSE",
}


def names_to_iso3(names: Iterable[str]) -> dict[str, str | None]:
    """Map each distinct name to an ISO3 code, or None when it is not a country (aggregate, unknown).

    Parameters
    ----------
    names : iterable of str
        Country names as written in a source.

    Returns
    -------
    dict
        ``name -> ISO3 or None``.
    """
    import country_converter as coco

    distinct = sorted({str(n) for n in names if isinstance(n, str) and n.strip()})
    out: dict[str, str | None] = {}
    todo = []
    for n in distinct:
        key = n.strip().lower()
        if key in OVERRIDES:
            out[n] = OVERRIDES[key]
        else:
            todo.append(n)
    if todo:
        import logging

        logging.getLogger("country_converter").setLevel(logging.ERROR)
        conv = coco.CountryConverter().convert(todo, to="ISO3", not_found=None)
        if isinstance(conv, str):
            conv = [conv]
        for n, code in zip(todo, conv):
            out[n] = code if isinstance(code, str) and len(code) == 3 and code.isalpha() else None
    return out


def iso3_name_table() -> pd.DataFrame:
    """ISO3 code -> short English name for every country country_converter knows (plus project codes)."""
    import country_converter as coco

    data = coco.CountryConverter().data[["ISO3", "name_short"]].dropna()
    extra = pd.DataFrame(
        {"ISO3": ["SCG", "WLD", "BUNKERS_AIR", "BUNKERS_SEA", "BUNKERS"],
         "name_short": ["Serbia and Montenegro", "World", "International aviation", "International shipping",
                        "International bunkers"]}
    )
    return pd.concat([data, extra], ignore_index=True).drop_duplicates("ISO3").rename(
        columns={"ISO3": "iso3", "name_short": "name"}
    )
