"""Access to the per-process runtime (settings, pack, cache) from layouts and callbacks.

The app factory stores them on the Flask config; pages reach them through these functions instead of importing
``app`` (pages never import app).
"""

from __future__ import annotations

import time

from flask import current_app
from flask_caching import Cache

from engine.core.config import Settings
from engine.data.fetch import source_statuses
from engine.data.registry import load_registry

#: The one cache layer (flask-caching). Configured by ``app.create_app``; the engine receives its backend.
cache = Cache()


def settings() -> Settings:
    return current_app.config["HOLOCARBON_SETTINGS"]


def pack():
    """The open :class:`engine.data.pack.Pack`, or None when it could not be built (the message is in pack_error)."""
    return current_app.config.get("HOLOCARBON_PACK")


def accounts():
    """The per-process :class:`engine.accounts.ledger.Accounts` (None when the pack is unavailable)."""
    return current_app.config.get("HOLOCARBON_ACCOUNTS")


def grids():
    """The per-process :class:`engine.maps.grids.Grids` (None when the pack is unavailable)."""
    return current_app.config.get("HOLOCARBON_GRIDS")


def prerenderer():
    """The per-process :class:`components.prerender.Prerenderer` (pictures of first charts), or None."""
    return current_app.config.get("HOLOCARBON_PRERENDER")


def uncertainty():
    """The per-process :class:`engine.uncertainty.propagate.Uncertainty` (None when the pack is unavailable)."""
    return current_app.config.get("HOLOCARBON_UNCERTAINTY")


def uncertainty_for(acc):
    """The :class:`~engine.uncertainty.propagate.Uncertainty` over ``acc``: the per-process one when it wraps the same
    accounts, else one held in the accounts' own memory cache (built once, by one caller, for those accounts). Chart
    builders receive ``acc`` only and may run outside the Dash app (the briefing, scripts)."""
    from engine.uncertainty.propagate import Uncertainty

    try:
        unc = current_app.config.get("HOLOCARBON_UNCERTAINTY")
    except RuntimeError:  # no application context
        unc = None
    if unc is not None and unc.accounts is acc:
        return unc
    return acc.cache.memo(acc._key("uncertainty-engine"), lambda: Uncertainty(acc), shared=False)


def industry_for(acc):
    """The :class:`engine.industry.Industry` over ``acc``: the per-process one (``HOLOCARBON_INDUSTRY``) when it wraps
    the same accounts, else one held in the accounts' own memory cache (built on first use, so start-up does not pay
    for it; its tables are cached in the same layer)."""
    from engine.industry import Industry

    try:
        config = current_app.config
    except RuntimeError:  # no application context (the briefing, scripts)
        config = None
    if config is not None and config.get("HOLOCARBON_ACCOUNTS") is acc:
        ind = config.get("HOLOCARBON_INDUSTRY")
        if ind is None or ind.accounts is not acc:
            # first use in this process (two requests racing build two; one is kept, both are equivalent)
            ind = config["HOLOCARBON_INDUSTRY"] = Industry(acc)
        return ind
    return acc.cache.memo(acc._key("industry-engine"), lambda: Industry(acc), shared=False)


def industry():
    """The per-process :class:`engine.industry.Industry` (None when the pack is unavailable)."""
    acc = accounts()
    return None if acc is None else industry_for(acc)


def green_exports_for(acc):
    """The :class:`engine.trade.GreenExports` over ``acc``: the per-process one (``HOLOCARBON_GREEN``) when it wraps
    the same accounts, else one held in the accounts' own memory cache (built on first use, like :func:`industry_for`;
    its results are cached in the same layer)."""
    from engine.trade import GreenExports

    try:
        config = current_app.config
    except RuntimeError:  # no application context (the briefing, scripts)
        config = None
    if config is not None and config.get("HOLOCARBON_ACCOUNTS") is acc:
        ge = config.get("HOLOCARBON_GREEN")
        if ge is None or getattr(ge, "accounts", acc) is not acc:
            ge = config["HOLOCARBON_GREEN"] = GreenExports(acc)
        return ge
    return acc.cache.memo(acc._key("green-exports-engine"), lambda: GreenExports(acc), shared=False)


def green_exports():
    """The per-process :class:`engine.trade.GreenExports` (None when the pack is unavailable)."""
    acc = accounts()
    return None if acc is None else green_exports_for(acc)


def lca_for(acc):
    """The :class:`engine.lca.LCA` over ``acc`` (product footprints): built on the per-process industry engine of
    :func:`industry_for` and held in the accounts' own memory cache (built on first use; its tables are cached in the
    same layer)."""
    from engine.lca import LCA

    return acc.cache.memo(acc._key("lca-engine"), lambda: LCA(acc, industry_for(acc)), shared=False)


def lca():
    """The per-process :class:`engine.lca.LCA` (None when the pack is unavailable)."""
    acc = accounts()
    return None if acc is None else lca_for(acc)


def pack_error() -> str | None:
    return current_app.config.get("HOLOCARBON_PACK_ERROR")


#: How long a verification of the source files is reused [s].
STATUS_TTL_S = 60


def cached_statuses(data_dir: str) -> list[tuple[str, int, int, int]]:
    """(source id, ok, missing, corrupt) per source; verified (sha256) at most once a minute per data directory,
    shared by the Data & methods page and ``/api/v1/sources`` (the key carries the minute, so an entry is never used
    after its minute has passed)."""
    def build():
        return [(s.source.id, s.ok, s.missing, s.corrupt) for s in source_statuses(load_registry(),
                                                                                   settings())]

    acc = accounts()
    if acc is None:
        return build()
    return acc.cache.memo(acc._key("source-status", data_dir, int(time.time() // STATUS_TTL_S)), build)
