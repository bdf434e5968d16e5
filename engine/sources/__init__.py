"""One reader per public source.

Each module ``engine/sources/<name>.py`` exposes pure ``parse_*(path)`` functions (file in, tidy table or
``xarray`` grid out, units in column names or ``attrs["units"]``, ISO3 region codes) and ``read_*(settings)``
wrappers that resolve the verified file through :func:`engine.data.fetch.resolve`, so a missing or corrupt file raises
a :class:`~engine.core.errors.SourceError` that says how to fix it.
"""
