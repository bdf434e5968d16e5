"""The source registry: every public file the engine reads, with origin, checksum, license and citation.

The registry is authored by the project in ``data/sources.toml``. Each top-level table is a *source*
(a dataset, e.g. ``edgar2024``) with descriptive fields and a list of *files*.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tomllib

from engine.core.config import REGISTRY_PATH

ORIGIN_KINDS = ("url", "pypi", "npm", "mirror")


@dataclass(frozen=True)
class SourceFile:
    """One file of a source.

    Attributes
    ----------
    source_id : str
        Id of the source the file belongs to (also its folder in the data directory).
    name : str
        File name, possibly with a sub-folder (``import_matrices/x.csv``).
    bytes : int
        Expected size [bytes].
    sha256 : str
        Expected SHA-256 hex digest.
    origin : str
        One of :data:`ORIGIN_KINDS`.
    url, package, version, member, note : str or None
        Where the bytes come from: a download URL, or a package and the member inside it.
    """

    source_id: str
    name: str
    bytes: int
    sha256: str
    origin: str
    url: str | None = None
    package: str | None = None
    version: str | None = None
    member: str | None = None
    note: str | None = None

    @property
    def relpath(self) -> str:
        """Path relative to the raw data directory (and to a mirror)."""
        return f"{self.source_id}/{self.name}"

    def describe_origin(self) -> str:
        """Where this file comes from, in words."""
        if self.origin == "url":
            return str(self.url)
        if self.origin in ("pypi", "npm"):
            return f"{self.origin} package {self.package}=={self.version}, member {self.member}"
        return f"a Holocarbon data mirror only ({self.note})"


@dataclass(frozen=True)
class Source:
    """A public dataset and its files."""

    id: str
    title: str
    citation: str
    license: str
    years: str
    used_for: str
    url_info: str
    files: tuple[SourceFile, ...]

    def file(self, name: str) -> SourceFile:
        """Return the registry entry of one file by name.

        Raises
        ------
        KeyError
            If the source has no file of that name (the message lists the files it has).
        """
        for f in self.files:
            if f.name == name:
                return f
        raise KeyError(f"source {self.id!r} has no file {name!r}; it has: {', '.join(f.name for f in self.files)}")


def load_registry(path: Path = REGISTRY_PATH) -> dict[str, Source]:
    """Parse ``data/sources.toml`` into :class:`Source` values keyed by id.

    Raises
    ------
    ValueError
        If an entry lacks a required field or names an unknown origin kind.
    """
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    out: dict[str, Source] = {}
    for sid, entry in raw.items():
        files = []
        for f in entry.get("files", []):
            origin = f.get("origin")
            if origin not in ORIGIN_KINDS:
                raise ValueError(f"{path}: {sid}/{f.get('name')}: origin {origin!r} not in {ORIGIN_KINDS}")
            files.append(
                SourceFile(
                    source_id=sid,
                    name=f["name"],
                    bytes=int(f["bytes"]),
                    sha256=f["sha256"],
                    origin=origin,
                    url=f.get("url"),
                    package=f.get("package"),
                    version=f.get("version"),
                    member=f.get("member"),
                    note=f.get("note"),
                )
            )
        try:
            out[sid] = Source(
                id=sid,
                title=entry["title"],
                citation=entry["citation"],
                license=entry["license"],
                years=entry["years"],
                used_for=entry["used_for"],
                url_info=entry["url_info"],
                files=tuple(files),
            )
        except KeyError as exc:
            raise ValueError(f"{path}: source {sid!r} lacks field {exc.args[0]!r}") from None
    return out


def all_files(registry: dict[str, Source]) -> list[SourceFile]:
    """Every file of every source, in registry order."""
    return [f for s in registry.values() for f in s.files]
