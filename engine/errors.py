"""Exceptions raised by the engine, each carrying a message a person can act on."""

from __future__ import annotations


class HolocarbonError(Exception):
    """Base class for every error the engine raises on purpose."""


class SourceError(HolocarbonError):
    """A public source file is missing, corrupt or unreadable.

    Attributes
    ----------
    source_id, filename : str
        Registry id of the source and the file name inside it.
    """

    def __init__(self, message: str, source_id: str, filename: str):
        super().__init__(message)
        self.message = message
        self.source_id = source_id
        self.filename = filename

    def __str__(self) -> str:  # OSError subclasses would otherwise print "[Errno None] ..."
        return self.message


class SourceMissingError(SourceError, FileNotFoundError):
    """The file is not in the data directory."""


class SourceCorruptError(SourceError):
    """The file is present but its size or sha256 does not match the registry."""


class SourceFormatError(SourceError):
    """The file verifies but its content does not have the layout the reader expects."""


class DownloadError(HolocarbonError):
    """A download failed (network error, interrupted transfer or checksum mismatch)."""


class PackError(HolocarbonError):
    """The processed pack is missing, stale or could not be built."""
