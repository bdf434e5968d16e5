"""Fault tolerance: missing or corrupt sources at start, interrupted pack builds, an unwritable cache directory.

- A source file missing or corrupt at start: the pages and endpoints that need it answer with a clear message (503
  JSON naming the file and ``python -m engine sources fetch``); all others keep working.
- An interrupted pack build leaves no half-written pack, and the next start rebuilds.
- An unwritable cache directory: the app serves without the disk cache and logs a warning naming the directory.

The fault app is built once for the module over a data directory that links every real raw file except the CDIAC
source (removed) and one Takahashi monthly flux file (copied with bytes flipped, so its sha256 no longer matches).
Its pack build (~30-40 s) is the slow part of this file.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app import create_app
from engine.core.config import PROJECT_ROOT, Settings
from engine.core.query import Query
from engine.data import pack as pack_mod
from engine.data.fetch import FIX_COMMAND, fetch_all, file_status, local_path
from engine.data.pack import (
    MANIFEST,
    Pack,
    build_pack,
    ensure_pack,
    pack_key,
    pack_status,
)
from engine.data.registry import all_files, load_registry
from engine.sources import takahashi

MISSING_SOURCE = "cdiac_ndp058"
CORRUPT_SOURCE = takahashi.SOURCE_ID  # "takahashi2009"
CORRUPT_FILE = takahashi.MONTH_FILES[0]  # the January sea-air CO2 flux field
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------------------------------------------------------
# a data directory with one source missing and one file corrupt, and the app started on it
# ------------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fault_settings(settings, tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("faults")
    s = Settings(data_dir=root / "data", mirror_dir=None, offline=True, cache_dir=root / "cache")
    for sf in all_files(load_registry()):
        if sf.source_id == MISSING_SOURCE:
            continue
        src, dest = local_path(settings, sf), local_path(s, sf)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if (sf.source_id, sf.name) == (CORRUPT_SOURCE, CORRUPT_FILE):
            data = bytearray(src.read_bytes())  # same size, different bytes: only the checksum can tell
            mid = len(data) // 2
            data[mid:mid + 4096] = bytes(b ^ 0xFF for b in data[mid:mid + 4096])
            dest.write_bytes(bytes(data))
        else:
            dest.symlink_to(src.resolve())
    return s


@pytest.fixture(scope="module")
def fault_app(fault_settings):
    return create_app(fault_settings)  # builds the pack: every module except the two broken ones


@pytest.fixture(scope="module")
def client(fault_app):
    return fault_app.server.test_client()


@pytest.fixture(scope="module")
def fault_pack(fault_app) -> Pack:
    p = fault_app.server.config["HOLOCARBON_PACK"]
    assert p is not None, fault_app.server.config.get("HOLOCARBON_PACK_ERROR")
    return p


def _text(component) -> str:
    """All text of a Dash component tree (what a reader of the rendered page would see)."""
    if component is None or isinstance(component, (bool, int, float)):
        return ""
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def test_fault_data_dir_is_as_intended(fault_settings):
    reg = load_registry()
    assert {file_status(fault_settings, f) for f in reg[MISSING_SOURCE].files} == {"missing"}
    assert file_status(fault_settings, reg[CORRUPT_SOURCE].file(CORRUPT_FILE)) == "corrupt"
    others = [f for f in all_files(reg) if f.source_id != MISSING_SOURCE and f.name != CORRUPT_FILE]
    assert local_path(fault_settings, others[0]).is_symlink()
    assert {file_status(fault_settings, f) for f in others} == {"ok"}


def test_data_page_status_shows_missing_and_corrupt(fault_settings):
    """The status function behind the Data & methods page reports both sources; every other one is present."""
    from components.sources_table import source_statuses

    by_id = {s.source.id: s for s in source_statuses(load_registry(), fault_settings)}
    assert by_id[MISSING_SOURCE].status == "missing"
    assert by_id[MISSING_SOURCE].missing == len(by_id[MISSING_SOURCE].source.files)
    assert by_id[CORRUPT_SOURCE].status == "corrupt" and by_id[CORRUPT_SOURCE].corrupt == 1
    assert {sid for sid, s in by_id.items() if s.status != "ok"} == {MISSING_SOURCE, CORRUPT_SOURCE}


def test_pack_records_both_failures_and_builds_the_rest(fault_pack):
    failed = fault_pack.manifest["failed"]
    assert set(failed) == {"cdiac", "takahashi"}
    assert failed["cdiac"]["source_id"] == MISSING_SOURCE and "is missing" in failed["cdiac"]["message"]
    assert failed["takahashi"]["source_id"] == CORRUPT_SOURCE and failed["takahashi"]["file"] == CORRUPT_FILE
    assert "is corrupt" in failed["takahashi"]["message"]
    for info in failed.values():
        assert FIX_COMMAND in info["message"] and info["file"] in info["message"]
    assert set(fault_pack.manifest["modules"]) == set(pack_mod.PACK_MODULES) - {"cdiac", "takahashi"}
    assert {"proxy_land_sink_0p1", "ledger_series", "edgar_ghg_by_sector"} <= set(fault_pack.manifest["items"])
    # each missing item explains itself with its own source, not the other one's
    assert CORRUPT_FILE in fault_pack.failure_for("takahashi_flux_annual")
    assert MISSING_SOURCE in fault_pack.failure_for("cdiac_fossil_co2")
    assert CORRUPT_SOURCE not in fault_pack.failure_for("cdiac_fossil_co2")


def test_next_start_reuses_the_partial_pack_until_the_sources_are_fixed(settings, fault_settings, fault_pack,
                                                                         tmp_path):
    """While the sources are still broken a restart does not rebuild; once they verify, it does."""
    mtime = (fault_pack.path / MANIFEST).stat().st_mtime_ns
    assert build_pack(fault_settings, show_progress=False) == fault_pack.path
    assert (fault_pack.path / MANIFEST).stat().st_mtime_ns == mtime
    assert pack_status(fault_settings)[0] == "partial"
    # the same pack seen from a data directory where the broken files have been fetched again
    fixed = Settings(data_dir=tmp_path / "fixed", mirror_dir=None, offline=True)
    for sf in all_files(load_registry()):
        dest = local_path(fixed, sf)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.symlink_to(local_path(settings, sf).resolve())
    assert pack_mod._pack_complete(fault_pack.path, fault_settings)
    assert not pack_mod._pack_complete(fault_pack.path, fixed)


def test_health(client, fault_pack):
    r = client.get("/health")
    assert r.status_code == 200 and r.json["status"] == "ok"
    assert r.json["pack"] == fault_pack.key and r.json["pack_error"] is None


def test_ledger_still_works(fault_app, client):
    acc = fault_app.server.config["HOLOCARBON_ACCOUNTS"]
    ledger = acc.ledger(Query(year=2019))
    assert len(ledger) > 100
    r = client.get("/api/v1/ledger?year=2019")
    assert r.status_code == 200 and r.mimetype == "application/json", (r.status_code, r.data[:300])
    body = r.get_json()
    assert body["query"]["year"] == 2019 and body["count"] == len(body["data"]) > 100


@pytest.mark.parametrize("layer", ["emissions", "land_sink", "luc"])
def test_tiles_that_do_not_need_the_broken_sources(client, layer):
    r = client.get(f"/tiles/{layer}/2/1/1.png?year=2010")
    assert r.status_code == 200 and r.mimetype == "image/png" and r.data.startswith(PNG_MAGIC)


def _assert_unavailable(r, source: str, file_part: str, what: str):
    assert r.status_code == 503, (r.status_code, r.data[:300])
    assert r.mimetype == "application/json", r.mimetype
    body = r.get_json()
    assert body["error"] == "unavailable"
    detail = body["detail"]
    assert f"{source}/" in detail and file_part in detail and what in detail, detail
    assert FIX_COMMAND in detail, detail


BROKEN = {
    "cdiac": (MISSING_SOURCE, "", "is missing"),
    "ocean_sink": (CORRUPT_SOURCE, CORRUPT_FILE, "is corrupt"),
    "net_flux": (CORRUPT_SOURCE, CORRUPT_FILE, "is corrupt"),  # emissions + luc - land sink - ocean sink
}


@pytest.mark.parametrize("layer", list(BROKEN))
def test_tile_of_a_broken_source_is_503_naming_the_file(client, layer):
    _assert_unavailable(client.get(f"/tiles/{layer}/2/1/1.png?year=2010"), *BROKEN[layer])


@pytest.mark.parametrize("layer", ["cdiac", "ocean_sink"])
def test_cell_value_of_a_broken_source_is_503(client, layer):
    _assert_unavailable(client.get(f"/api/v1/cell?layer={layer}&lat=-40.5&lon=-30.5&year=2010"), *BROKEN[layer])


@pytest.mark.parametrize("layer,fmt", [("cdiac", "nc"), ("ocean_sink", "png")])
def test_map_export_of_a_broken_source_is_503(client, layer, fmt):
    _assert_unavailable(client.get(f"/export/map.{fmt}?layer={layer}&year=2010"), *BROKEN[layer])


@pytest.mark.parametrize("path", ["/", "/ledger", "/atlas", "/data", "/atlas?layer=ocean_sink&year=2010",
                                  "/atlas?layer=cdiac&year=2010"])
def test_pages_still_answer(client, path):
    assert client.get(path).status_code == 200


def _page(path: str):
    import dash

    return next(p for p in dash.page_registry.values() if p["path"] == path)


@pytest.mark.parametrize("path,query", [("/", {}), ("/ledger", {"year": "2019"}), ("/atlas", {}),
                                        ("/atlas", {"layer": "ocean_sink", "year": "2010"}),
                                        ("/atlas", {"layer": "cdiac", "year": "2010"}), ("/data", {})])
def test_page_layouts_render(fault_app, path, query):
    """The server-side layouts (what Dash sends for the page) build without an error and serialise."""
    import plotly

    with fault_app.server.test_request_context(path, query_string=query):
        layout = _page(path)["layout"](**query)
    json.dumps(layout, cls=plotly.utils.PlotlyJSONEncoder)


def test_data_page_names_the_broken_sources(fault_app):
    with fault_app.server.test_request_context("/data"):
        text = _text(_page("/data")["layout"]())
    assert "missing" in text and "corrupt" in text
    assert "2 reader(s) could not run" in text and "cdiac" in text and "takahashi" in text


# ------------------------------------------------------------------------------------------------------------------
# an interrupted pack build leaves no half-written pack; the next start rebuilds
# ------------------------------------------------------------------------------------------------------------------

SMALL = ("natural_earth", "owid")  # the crash happens in owid, after natural_earth's items are written
SMALL_SOURCES = ("natural_earth", "owid_gcb2024")


@pytest.fixture()
def small_settings(settings, tmp_path, monkeypatch) -> Settings:
    """A temporary data directory with the SMALL readers' files; the app's module list is SMALL."""
    s = Settings(data_dir=tmp_path / "d", mirror_dir=settings.raw_dir, offline=True)
    reg = load_registry()
    fetch_all(s, files=[f for sid in SMALL_SOURCES for f in reg[sid].files], show_progress=False)
    monkeypatch.setattr(pack_mod, "PACK_MODULES", SMALL)
    return s


def _complete_packs(s: Settings) -> list[Path]:
    return [d for d in s.pack_root.iterdir() if (d / MANIFEST).exists()] if s.pack_root.exists() else []


def _assert_rebuilt(s: Settings) -> Pack:
    p = ensure_pack(s, show_progress=False)  # what create_app does at start
    assert p.path == s.pack_root / pack_key()
    assert p.manifest["module_list"] == list(SMALL) and p.manifest["failed"] == {}
    assert set(p.manifest["modules"]) == set(SMALL)
    assert len(p.table("owid_co2_territorial")) and len(p.geo("ne_countries_110m"))
    return p


@pytest.mark.parametrize("crash", [KeyboardInterrupt, SystemExit, MemoryError])
def test_crash_mid_build_leaves_no_pack_and_next_start_rebuilds(small_settings, monkeypatch, crash):
    from engine.sources import owid

    seen = {}

    def crash_after_first_module(*a, **k):
        tmp = [d for d in small_settings.pack_root.iterdir() if d.name.startswith(".tmp-")]
        seen["written"] = sorted(f.name for d in tmp for f in d.iterdir())
        raise crash

    with monkeypatch.context() as m:
        m.setattr(owid, "pack_items", crash_after_first_module)
        with pytest.raises(crash):
            ensure_pack(small_settings, show_progress=False)
    assert "ne_countries_110m.geoparquet" in seen["written"]  # the crash really came mid-build
    assert _complete_packs(small_settings) == []
    assert list(small_settings.pack_root.iterdir()) == []  # the temporary folder is gone too
    assert pack_status(small_settings)[0] == "missing"
    _assert_rebuilt(small_settings)


KILLED_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from engine.data import pack as pack_mod
    from engine.core.config import Settings
    from engine.sources import owid

    def hang(*a, **k):
        print("writing", flush=True)
        time.sleep(120)

    owid.pack_items = hang
    s = Settings(data_dir=Path(sys.argv[1]), mirror_dir=None, offline=True)
    pack_mod.build_pack(s, modules=("natural_earth", "owid"), show_progress=False)
""")


def test_killed_build_leaves_no_pack_and_next_start_rebuilds(small_settings, tmp_path):
    """A build killed with SIGKILL (no clean-up runs) leaves only a temporary folder; the next start ignores it,
    builds a complete pack, and a later build removes the dead folder once it is stale."""
    script = tmp_path / "killed_build.py"
    script.write_text(KILLED_BUILD)
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    proc = subprocess.Popen([sys.executable, str(script), str(small_settings.data_dir)], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # natural_earth written, owid "running"
        assert line.strip() == "writing", proc.stderr.read() if proc.poll() is not None else line
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    leftovers = [d for d in small_settings.pack_root.iterdir()]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".tmp-")  # half-written, but not a pack
    assert any(leftovers[0].iterdir()) and not (leftovers[0] / MANIFEST).exists()
    assert pack_status(small_settings)[0] == "missing"

    p = _assert_rebuilt(small_settings)
    assert leftovers[0].exists()  # recent: it could be another process's build in progress

    old = time.time() - pack_mod.STALE_TMP_S - 60
    os.utime(leftovers[0], (old, old))
    assert build_pack(small_settings, force=True, show_progress=False) == p.path
    assert sorted(d.name for d in small_settings.pack_root.iterdir()) == [p.path.name]


def test_target_folder_without_manifest_is_rebuilt(small_settings):
    """A pack folder with items but no manifest (e.g. half copied by hand) is not a pack: the next start rebuilds."""
    target = small_settings.pack_root / pack_key()
    target.mkdir(parents=True)
    (target / "owid_co2_territorial.parquet").write_bytes(b"half a file")
    p = _assert_rebuilt(small_settings)
    assert (p.path / "owid_co2_territorial.parquet").stat().st_size > 100


# ------------------------------------------------------------------------------------------------------------------
# an unwritable cache directory: serve without the disk cache, log a warning naming the directory
# ------------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["parent_is_a_file", "dir_is_a_file"])
def test_unwritable_cache_dir_serves_with_memory_cache(settings, tmp_path, caplog, kind):
    """(test_app covers the page; this adds the warning's level and directory, the backend and the API/tiles.)
    Running as root, chmod cannot make a directory unwritable: the cache directory is made impossible instead."""
    blocker = tmp_path / "afile"
    blocker.write_text("not a directory")
    cache_dir = blocker / "cache" if kind == "parent_is_a_file" else blocker
    s = Settings(data_dir=settings.data_dir, mirror_dir=None, offline=True, cache_dir=cache_dir)
    with caplog.at_level(logging.WARNING, logger="holocarbon"):
        app = create_app(s)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "holocarbon"]
    assert any(str(cache_dir) in r.getMessage() and "in-memory cache" in r.getMessage() for r in warnings), \
        [r.getMessage() for r in caplog.records]
    with app.server.app_context():
        from components.runtime import cache

        assert type(cache.cache).__name__ == "SimpleCache"
    assert blocker.is_file()  # nothing was created in its place
    c = app.server.test_client()
    assert c.get("/health").status_code == 200
    if kind == "parent_is_a_file":  # one app is enough for the (slower) data routes
        r = c.get("/tiles/emissions/1/0/0.png?year=2010")
        assert r.status_code == 200 and r.data.startswith(PNG_MAGIC)
        r = c.get("/api/v1/cell?lat=48.85&lon=2.35&year=2010")
        assert r.status_code == 200 and r.json["query"]["year"] == 2010


# ------------------------------------------------------------------------------------------------------------------
# no sources at all: the app still starts and says what is missing
# ------------------------------------------------------------------------------------------------------------------

def test_app_starts_with_no_sources_at_all(empty_settings):
    app = create_app(empty_settings)
    c = app.server.test_client()
    assert c.get("/health").status_code == 200
    for path in ("/", "/data", "/ledger", "/atlas"):
        assert c.get(path).status_code == 200, path
    for path in ("/tiles/emissions/2/1/1.png?year=2010", "/api/v1/ledger?year=2019"):
        r = c.get(path)
        assert r.status_code == 503 and r.mimetype == "application/json", (path, r.status_code, r.data[:200])
        assert r.get_json()["error"] == "unavailable" and FIX_COMMAND in r.get_json()["detail"]


@pytest.mark.parametrize("layer,year,named", [("cdiac", 2010, "cdiac_ndp058"), ("ocean_sink", 2010, "takahashi"),
                                              ("net_flux", 2010, "takahashi")])
def test_atlas_says_why_a_layer_cannot_be_drawn(fault_app, layer, year, named):
    """Choosing a layer whose source is broken shows a notice naming the file and the fix (not a blank map)."""
    from pages.atlas import update_map

    with fault_app.server.test_request_context("/atlas"):
        _legend, note, *_ = update_map(layer, "all", ["CO2", "CH4", "N2O", "F-gases"], "AR5", year)
    text = _text(note)
    assert "cannot be drawn" in text and named in text and "python -m engine sources fetch" in text, text


def test_atlas_layers_that_work_have_no_error_notice(fault_app):
    from pages.atlas import update_map

    with fault_app.server.test_request_context("/atlas"):
        for layer in ("emissions", "land_sink", "luc"):
            _legend, note, *_ = update_map(layer, "all", ["CO2"], "AR5", 2010)
            assert "cannot be drawn" not in _text(note)
