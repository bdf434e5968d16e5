"""Exceptions raised by the engine, each carrying a message a person can act on and a machine-readable ``code``.

The engine knows nothing of HTTP: the web side maps these classes (and ``ValueError`` for bad input) to statuses in
one table (``api/errors.py``, :data:`ERROR_STATUS`), used by the API, tiles, exports and pages alike.

=============================  ====================  ============================================================
class                          ``code``              meaning
=============================  ====================  ============================================================
:class:`InputError`            ``bad_input``         a value the user chose cannot be used (also any ValueError)
:class:`NotFoundError`         ``not_found``         an unknown code (country, sector, chart)
:class:`SourceMissingError`    ``source_missing``    a public source file is not in the data directory
:class:`SourceCorruptError`    ``source_corrupt``    a source file does not match its registry checksum
:class:`SourceFormatError`     ``source_format``     a source file verifies but has an unexpected layout
:class:`PackError`             ``pack``              the processed pack (or an item of it) is not available
:class:`DownloadError`         ``download``          a download failed
=============================  ====================  ============================================================
"""

from __future__ import annotations


class HolocarbonError(Exception):
    """Base class for every error the engine raises on purpose."""

    code = "engine"


class InputError(HolocarbonError, ValueError):
    """A value the user chose cannot be used (a ValueError, so callers that catch ValueError keep working)."""

    code = "bad_input"


class NotFoundError(InputError):
    """An unknown code: a country, group, sector or chart that does not exist (the message names the closest)."""

    code = "not_found"


class SourceError(HolocarbonError):
    """A public source file is missing, corrupt or unreadable.

    Attributes
    ----------
    source_id, filename : str
        Registry id of the source and the file name inside it.
    """

    code = "source"

    def __init__(self, message: str, source_id: str, filename: str):
        super().__init__(message)
        self.message = message
        self.source_id = source_id
        self.filename = filename

    def __str__(self) -> str:  # OSError subclasses would otherwise print "[Errno None] ..."
        return self.message


class SourceMissingError(SourceError, FileNotFoundError):
    """The file is not in the data directory."""

    code = "source_missing"


class SourceCorruptError(SourceError):
    """The file is present but its size or sha256 does not match the registry."""

    code = "source_corrupt"


class SourceFormatError(SourceError):
    """The file verifies but its content does not have the layout the reader expects."""

    code = "source_format"


class DownloadError(HolocarbonError):
    """A download failed (network error, interrupted transfer or checksum mismatch)."""

    code = "download"


class PackError(HolocarbonError):
    """The processed pack is missing, stale or could not be built."""

    code = "pack"
