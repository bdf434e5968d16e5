"""The source registry, the downloader and the data-directory check.

The downloader is exercised against a local HTTP server (this machine has no internet) that serves the mirror,
plus handlers that corrupt a file or cut a transfer short: no half-written file may be left behind.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from engine.__main__ import main as cli
from engine.core.config import Settings
from engine.core.errors import DownloadError, SourceCorruptError, SourceMissingError
from engine.data.fetch import check_all, download_file, fetch_file, file_status, resolve
from engine.data.registry import ORIGIN_KINDS, load_registry

REGISTRY = load_registry()
SMALL = REGISTRY["owid_gcb2024"].file("consumption-co2-emissions.csv")  # 138,960 bytes


def test_registry_complete_and_consistent():
    """Every file has size, checksum, origin and license; every source has a citation."""
    assert len(REGISTRY) >= 17
    for src in REGISTRY.values():
        assert src.citation and src.license and src.years and src.used_for, src.id
        assert src.files, src.id
        for f in src.files:
            assert len(f.sha256) == 64 and f.bytes > 0
            assert f.origin in ORIGIN_KINDS
            if f.origin == "url":
                assert f.url.startswith("https://")


def test_registry_matches_mirror_manifest():
    """The registry's facts agree with ../shared/data/MANIFEST.csv for every file both list."""
    import csv

    manifest = Path(__file__).resolve().parents[3] / "shared" / "data" / "MANIFEST.csv"
    if not manifest.is_file():
        pytest.skip("no ../shared/data mirror beside the project")
    rows = {r["file"]: r for r in csv.DictReader(open(manifest))}
    for src in REGISTRY.values():
        for f in src.files:
            row = rows[f.relpath]
            assert int(row["bytes"]) == f.bytes and row["sha256"] == f.sha256, f.relpath


class _Handler(http.server.SimpleHTTPRequestHandler):
    mode = "ok"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.directory) / self.path.lstrip("/")
        data = path.read_bytes()
        if self.mode == "corrupt":
            data = data[:-10] + b"0123456789"
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.mode == "interrupt":
            self.wfile.write(data[: len(data) // 3])
            self.wfile.flush()
            self.connection.shutdown(2)  # close mid-transfer
            return
        self.wfile.write(data)


@pytest.fixture()
def server(settings):
    """A local HTTP server over the (already verified) raw data directory; yields (base_url, handler class)."""
    handler = type("H", (_Handler,), {"mode": "ok"})

    def factory(*a, **kw):
        return handler(*a, directory=str(settings.raw_dir), **kw)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), factory)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_download_verifies_and_installs(server, empty_settings):
    base, _ = server
    dest = download_file(empty_settings, SMALL, url=f"{base}/{SMALL.relpath}")
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == SMALL.sha256
    assert file_status(empty_settings, SMALL) == "ok"
    assert _leftovers(dest.parent) == [dest]


def test_corrupt_download_is_refused_and_removed(server, empty_settings):
    base, handler = server
    handler.mode = "corrupt"
    with pytest.raises(DownloadError, match="sha256 .* does not match"):
        download_file(empty_settings, SMALL, url=f"{base}/{SMALL.relpath}")
    folder = empty_settings.raw_dir / SMALL.source_id
    assert _leftovers(folder) == []
    assert file_status(empty_settings, SMALL) == "missing"


def test_interrupted_download_leaves_nothing(server, empty_settings):
    base, handler = server
    handler.mode = "interrupt"
    with pytest.raises(DownloadError, match="interrupted|expected|failed"):
        download_file(empty_settings, SMALL, url=f"{base}/{SMALL.relpath}")
    assert _leftovers(empty_settings.raw_dir / SMALL.source_id) == []


def test_unreachable_origin_gives_clear_error(empty_settings):
    with pytest.raises(DownloadError, match="download of http://127.0.0.1:9/x failed"):
        download_file(empty_settings, SMALL, url="http://127.0.0.1:9/x")


def test_fetch_from_mirror_then_check(settings, tmp_path):
    s = Settings(data_dir=tmp_path / "d", mirror_dir=settings.raw_dir, offline=True)
    rep = fetch_file(s, SMALL)
    assert rep.status == "ok" and "mirror" in rep.detail
    assert fetch_file(s, SMALL).detail == "already present"


def test_offline_without_mirror_reports_missing(empty_settings):
    rep = fetch_file(empty_settings, SMALL)
    assert rep.status == "missing" and "offline" in rep.detail


def test_resolve_missing_names_file_origin_and_fix(empty_settings):
    with pytest.raises(SourceMissingError) as info:
        resolve("owid_gcb2024", "consumption-co2-emissions.csv", empty_settings)
    msg = str(info.value)
    assert "consumption-co2-emissions.csv" in msg and "is missing" in msg
    assert "raw.githubusercontent.com" in msg and "python -m engine sources fetch" in msg


def test_resolve_corrupt_file(settings, tmp_path):
    s = Settings(data_dir=tmp_path / "d", mirror_dir=None, offline=True)
    dest = s.raw_dir / SMALL.relpath
    dest.parent.mkdir(parents=True)
    dest.write_bytes((settings.raw_dir / SMALL.relpath).read_bytes()[:-1] + b"X")
    with pytest.raises(SourceCorruptError, match="is corrupt .* sources fetch"):
        resolve(SMALL.source_id, SMALL.name, s)


def test_check_cli_all_ok(settings, capsys, monkeypatch):
    """`python -m engine sources check` prints one line per file and exits 0 when all are ok."""
    monkeypatch.setenv("HOLOCARBON_DATA", str(settings.data_dir))
    assert cli(["sources", "check"]) == 0
    out = capsys.readouterr().out
    n_files = sum(len(s.files) for s in REGISTRY.values())
    assert out.count("\nok ") + out.startswith("ok ") == n_files
    assert f"{n_files} ok, 0 missing, 0 corrupt" in out


def test_check_cli_reports_missing_and_corrupt(settings, tmp_path, capsys, monkeypatch):
    data = tmp_path / "d"
    dest = data / "raw" / SMALL.relpath
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"not the file")
    monkeypatch.setenv("HOLOCARBON_DATA", str(data))
    monkeypatch.setenv("HOLOCARBON_MIRROR", "none")
    assert cli(["sources", "check"]) == 1
    out = capsys.readouterr().out
    assert f"corrupt  {SMALL.relpath}" in out
    assert "missing  edgar2024/EDGAR_2024_GHG_booklet_2024.xlsx" in out
    reports = check_all(Settings.from_env())
    assert sum(r.status == "corrupt" for r in reports) == 1
