"""The header search box: one text input, and under it a list of links to what matches (countries, groups,
continents, sectors, places).

Accessibility (WAI-ARIA 1.2 combobox with a listbox popup): a label read by screen readers (visually hidden), the
input as ``role=combobox`` with ``aria-autocomplete=list``, ``aria-controls``, ``aria-expanded`` and
``aria-activedescendant``, the results as ``role=listbox`` / ``role=option``, and a polite status line with the
number of results. ``assets/search.js`` keeps those attributes (``dcc.Input`` cannot carry them) and handles the
keys: typing shows the list, ArrowDown/ArrowUp move, Enter opens the highlighted result (the first when none is),
Escape closes the list (a second Escape clears the box).

Results come from one thin server callback: the text to :func:`engine.accounts.search.search` over the accounts'
cached index, each result to a ``dcc.Link`` (in-app navigation, no reload) whose address comes from
:func:`api.v1.search_href`, the same as ``/api/v1/search`` gives. Country, sector and atlas links keep the choices of
the current view (year, GWP set, gases, ...) from the shell's session store ``hc-query``.
"""

from __future__ import annotations

import re
from typing import Final, Sequence, final
from urllib.parse import parse_qsl, quote, urlencode

from dash import Input, Output, State, callback, dcc, html, no_update
from flask import redirect, request

from api.v1 import search_href
from components import runtime
from components.messages import user_message
from engine.accounts import search as engine_search
from engine.accounts.regions import NAMED_GROUPS

#: Results shown under the box [count].
LIMIT = 8
#: Query fields each kind of page keeps from the current view.
CARRY = {"country": ("year", "gwp", "gases", "luc_model", "ci"), "sector": ("year", "gwp", "gases"),
         "place": ("year", "gwp", "gases", "luc_model"),
         "group": ("year", "gwp", "gases", "luc_model", "perspective", "ci"),
         "continent": ("year", "gwp", "gases", "luc_model", "perspective", "ci")}
KIND_LABELS = {"country": "Country", "group": "Group", "continent": "Continent", "sector": "Sector", "place": "Place"}


@final
class ID:
    """Component ids of the search box (one place: layout, callback, assets/search.js and tests use these)."""

    ROOT: Final = "hc-search"
    LABEL: Final = "hc-search-label"
    INPUT: Final = "hc-search-input"
    POPUP: Final = "hc-search-popup"
    LIST: Final = "hc-search-list"
    EMPTY: Final = "hc-search-empty"
    STATUS: Final = "hc-search-status"
    OPTION: Final = "hc-search-opt"  # option i is ``hc-search-opt-<i>``
    QUERY: Final = "hc-query"  # the shell's session store of the query string (components.controls)


def search_box() -> html.Div:
    """The search box of the header (a ``role=search`` landmark)."""
    return html.Div([
        html.Label("Search countries, groups, sectors and places", htmlFor=ID.INPUT, id=ID.LABEL,
                   className="visually-hidden"),
        dcc.Input(id=ID.INPUT, type="search", placeholder="Search: country, sector, city…", autoComplete="off",
                  spellCheck=False, debounce=False, maxLength=100, className="hc-search-input"),
        html.Div([
            html.Ul(id=ID.LIST, role="listbox", className="hc-search-list", **{"aria-labelledby": ID.LABEL}),
            html.P(id=ID.EMPTY, className="hc-search-empty"),
        ], id=ID.POPUP, className="hc-search-popup"),
        html.Div(id=ID.STATUS, role="status", className="visually-hidden"),
    ], id=ID.ROOT, role="search", className="hc-search")


def _carry(href: str, kind: str, qs: str | None) -> str:
    """The result's address with the current view's choices that its page understands."""
    keep = CARRY.get(kind, ())
    params = [(k, v) for k, v in parse_qsl(str(qs or "").lstrip("?")) if k in keep]
    if not params:
        return href
    return href + ("&" if "?" in href else "?") + urlencode(params, safe=",")


def result_items(hits: Sequence, names: dict, qs: str | None = None) -> list[html.Li]:
    """One option per result: a link with the name, what matched when it is not in the name, and the kind.

    Parameters
    ----------
    hits : sequence of engine.accounts.search.Hit
    names : dict
        Code -> display name (the country a place lies in).
    qs : str, optional
        The current view's query string.
    """
    items = []
    for i, h in enumerate(hits):
        detail = KIND_LABELS.get(h.kind, h.kind)
        if h.kind == "country":
            detail += f" · {h.code}"
        elif h.kind == "place" and h.country:
            detail += f" · {names.get(h.country, h.country)}"
        elif h.kind == "sector":
            detail += " · " + ("WIOD " + h.code if h.code[:1] == "c" and h.code[1:].isdigit() else "EDGAR")
        label = [html.Span(h.name, className="hc-search-name")]
        if h.tier not in ("code",) and h.match.casefold() not in h.name.casefold():
            label.append(html.Span(f" ({h.match})", className="hc-search-alias"))
        href = _carry(search_href(h.kind, h.code, h.lat, h.lon), h.kind, qs)
        items.append(html.Li(
            dcc.Link([html.Span(label), html.Span(detail, className="hc-search-meta")], href=href,
                     className="hc-search-link"),
            id=f"{ID.OPTION}-{i}", role="option", className="hc-search-option",
            **{"aria-selected": "false", "data-kind": h.kind}))
    return items


@callback(
    Output(ID.LIST, "children"), Output(ID.LIST, "data-query"), Output(ID.EMPTY, "children"),
    Output(ID.STATUS, "children"),
    Input(ID.INPUT, "value"), State(ID.QUERY, "data"),
    prevent_initial_call=True,
)
def update_results(value, qs):
    """Thin: the text to the engine's search, the hits to links. ``data-query`` says which text the list answers
    (assets/search.js waits for it before Enter opens a result)."""
    from engine.accounts.search import search, search_index

    text = str(value or "")
    if not text.strip():
        return [], text, "", ""
    acc = runtime.accounts()
    if acc is None:
        return [], text, "Search needs the data pack, which is not available.", "Search is not available."
    try:
        hits = search(search_index(acc), text, limit=LIMIT)
    except Exception as exc:  # never a stack trace in the browser: user_message logs what is unexpected
        return [], text, user_message(exc), no_update
    if not hits:
        return [], text, f"Nothing matches “{text.strip()[:60]}”.", "No results."
    n = len(hits)
    status = f"{n} result{'s' if n != 1 else ''}; use the up and down arrow keys, Enter to open."
    return result_items(hits, acc.names(), qs), text, "", status


# ---- country addresses ----------------------------------------------------------------------------------------
def known_codes() -> set[str]:
    """Country codes with EDGAR data, plus the named groups."""
    acc = runtime.accounts()
    if acc is None:
        return set(NAMED_GROUPS)
    codes = set(acc.country_year(2020).index) - {"BUNKERS"}
    return codes | set(NAMED_GROUPS)


def resolve_code(raw) -> str | None:
    """The canonical code a URL's ``<code>`` stands for: a known code in any case (``fra`` -> FRA), or a country or
    group the search index names unambiguously (``GERMANY``, ``united-states``, ``South Korea``); None otherwise."""
    text = str(raw or "").strip()
    if not text:
        return None
    known = known_codes()
    if text.upper() in known:
        return text.upper()
    acc = runtime.accounts()
    if acc is None:
        return None
    code = engine_search.resolve(engine_search.search_index(acc), text)
    return code if code in known else None


#: A country page address (the path Werkzeug has already decoded).
_COUNTRY_PATH = re.compile(r"^/country/([^/]+)/?$")


def canonical_redirect():
    """``/country/<name>`` -> 302 to ``/country/<CODE>`` (query string kept) when the name is not the canonical code
    but resolves to one; None (carry on) for canonical codes and for what does not resolve (the friendly 404)."""
    m = _COUNTRY_PATH.match(request.path)
    if m is None:
        return None
    raw = m.group(1)
    code = resolve_code(raw)
    if code is None or code == raw:
        return None
    qs = request.query_string.decode("latin-1")
    return redirect(f"/country/{quote(code)}" + (f"?{qs}" if qs else ""), 302)
