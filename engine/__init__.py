"""Holocarbon engine: the science, with no web imports.

Public entry points
-------------------
- :class:`engine.config.Settings` -- where data lives (``HOLOCARBON_DATA``, ``HOLOCARBON_MIRROR``).
- :func:`engine.registry.load_registry` -- the source registry (``data/sources.toml``).
- :func:`engine.fetch.fetch_all`, :func:`engine.fetch.check_all` -- fill and verify the data directory.
- :mod:`engine.sources` -- one reader per public source, returning tidy tables or xarray grids with units.
- :func:`engine.pack.ensure_pack`, :class:`engine.pack.Pack` -- the processed pack the app reads.
"""

__version__ = "0.1.0"
