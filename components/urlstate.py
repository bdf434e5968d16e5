"""The address bar follows each page's controls without a reload, so every view is a shareable link.

A page keeps its URL state in a ``dcc.Store``: its server callback writes :func:`url_state` there, and the page
calls :func:`url_sync` once, which registers the one clientside function ``holocarbon.syncUrl``
(``assets/urlstate.js``, loaded by Dash with every asset) on that store. The function rewrites the address with
``history.replaceState`` (no reload, no new history entry).

Where the query string goes, by the keys of the state:

* ``path`` — only when the address's path is exactly ``path`` (a late answer for another page, or another sector
  code, never rewrites the address);
* ``prefix`` — only when the address's path starts with ``prefix``; the path itself is kept;
* neither — on any page, after the current path.

An optional second input (the atlas's map view ``{lat, lon, zoom}``) is appended as ``view=lat,lon,zoom``.
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, clientside_callback, no_update

NAMESPACE = "holocarbon"
FUNCTION = "syncUrl"


def url_state(qs, path: str | None = None, prefix: str | None = None):
    """The URL state of a page for a query string (``"year=2011&gwp=AR6"``, a leading ``?`` is dropped).

    ``no_update`` passes through, so a callback can hand over whatever it would have returned.
    """
    if qs is no_update:
        return no_update
    if path is not None and prefix is not None:
        raise ValueError("give path (exact match) or prefix, not both")
    state = {"path": path} if path is not None else {"prefix": prefix} if prefix is not None else {}
    state["qs"] = str(qs or "").removeprefix("?")
    return state


def url_sync(state_input: Input, view_input: Input | None = None) -> None:
    """Register the clientside callback that keeps the address bar in step with a page's URL-state store.

    Parameters
    ----------
    state_input : Input
        The page's store of :func:`url_state` values, e.g. ``Input(ID.SEARCH, "data")``.
    view_input : Input, optional
        A ``{lat, lon, zoom}`` map view appended as ``view=lat,lon,zoom`` (the atlas).
    """
    inputs = [state_input] + ([view_input] if view_input is not None else [])
    clientside_callback(ClientsideFunction(namespace=NAMESPACE, function_name=FUNCTION), *inputs)
