"""Holocarbon engine: the science, with no web imports.

Python API (see the README)::

    from engine import Query, open_engine
    hc = open_engine()
    hc.ledger(Query(year=2019))                  # DataFrame: the panoramic ledger per region
    hc.grid("emissions", year=2019)              # xarray DataArray, 0.1 degree
    hc.flows(year=2011, grouping="mrio")         # DataFrame: bilateral embodied emissions
    hc.zonal("emissions", region="FRA", year=2019)

Building blocks
---------------
- :class:`engine.core.config.Settings` -- where data lives (``HOLOCARBON_DATA``, ``HOLOCARBON_MIRROR``).
- :func:`engine.data.registry.load_registry` -- the source registry (``data/sources.toml``).
- :func:`engine.data.fetch.fetch_all`, :func:`engine.data.fetch.check_all` -- fill and verify the data directory.
- :mod:`engine.sources` -- one reader per public source, returning tidy tables or xarray grids with units.
- :func:`engine.data.pack.ensure_pack`, :class:`engine.data.pack.Pack` -- the processed pack the app reads.
- :class:`engine.accounts.ledger.Accounts`, :class:`engine.maps.grid.Grids` -- national accounts and 0.1 degree layers.
"""

from __future__ import annotations

#: The release version (the one place it is written). The app shows it with the git commit of the running code
#: (``0.1.0+<commit>``, components.cite.app_version) and the data pack id in every "Cite this view" line.
__version__ = "0.1.0"
__all__ = ["Engine", "Query", "Settings", "open_engine"]


def __getattr__(name: str):
    """Lazy imports, so ``python -m engine`` and the readers do not load the whole stack."""
    if name == "Query":
        from engine.core.query import Query
        return Query
    if name == "Settings":
        from engine.core.config import Settings
        return Settings
    if name in ("Engine", "open_engine"):
        from engine import session
        return getattr(session, name)
    raise AttributeError(f"module 'engine' has no attribute {name!r}")
