"""Access to the per-process runtime (settings, pack, cache) from layouts and callbacks.

The app factory stores them on the Flask config; pages reach them through these functions instead of importing
``app`` (pages never import app).
"""

from __future__ import annotations

from flask import current_app
from flask_caching import Cache

from engine.config import Settings

#: The one cache layer (flask-caching). Configured by ``app.create_app``; the engine receives its backend.
cache = Cache()


def settings() -> Settings:
    return current_app.config["HOLOCARBON_SETTINGS"]


def pack():
    """The open :class:`engine.pack.Pack`, or None when it could not be built (the message is in pack_error)."""
    return current_app.config.get("HOLOCARBON_PACK")


def accounts():
    """The per-process :class:`engine.accounts.Accounts` (None when the pack is unavailable)."""
    return current_app.config.get("HOLOCARBON_ACCOUNTS")


def grids():
    """The per-process :class:`engine.grid.Grids` (None when the pack is unavailable)."""
    return current_app.config.get("HOLOCARBON_GRIDS")


def pack_error() -> str | None:
    return current_app.config.get("HOLOCARBON_PACK_ERROR")
