"""The processed pack: atomic build, keyed by source checksums, failures recorded, reads back typed items."""

from __future__ import annotations

import json
import sys
import types

import pytest

from engine.core.config import Settings
from engine.core.errors import PackError
from engine.data import pack as pack_mod
from engine.data.fetch import fetch_all
from engine.data.pack import (
    MANIFEST,
    Pack,
    build_pack,
    ensure_pack,
    pack_key,
    pack_status,
)
from engine.data.registry import load_registry

SMALL = ("owid", "gpw")  # two quick readers: a table and a grid


@pytest.fixture()
def small_settings(settings, tmp_path) -> Settings:
    """A temporary data directory holding only the files of the SMALL readers."""
    s = Settings(data_dir=tmp_path / "d", mirror_dir=settings.raw_dir, offline=True)
    reg = load_registry()
    fetch_all(s, files=[*reg["owid_gcb2024"].files, *reg["gpw4_1deg"].files], show_progress=False)
    return s


def test_key_depends_on_version_and_checksums(monkeypatch):
    key = pack_key()
    assert len(key) == 16 and key == pack_key()
    monkeypatch.setattr(pack_mod, "PACK_VERSION", "test-other")
    assert pack_key() != key


def test_build_writes_typed_items_and_manifest(small_settings):
    path = build_pack(small_settings, modules=SMALL, show_progress=False)
    assert path == small_settings.pack_root / pack_key()
    manifest = json.loads((path / MANIFEST).read_text())
    assert manifest["failed"] == {} and manifest["module_list"] == list(SMALL)
    p = Pack.open(path)
    kinds = {e["kind"] for e in p.manifest["items"].values()}
    assert {"table", "grid"} <= kinds
    grid_name = next(n for n, e in p.manifest["items"].items() if e["kind"] == "grid")
    grid = p.grid(grid_name)
    assert grid.attrs.get("units") and set(grid.dims) >= {"lat", "lon"}
    assert p.grid(grid_name) is grid  # memoised per Pack instance
    # no temporary folders left beside the pack
    assert [d.name for d in small_settings.pack_root.iterdir()] == [path.name]


def test_interrupted_build_leaves_no_pack(small_settings, monkeypatch):
    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(pack_mod, "_write_item", boom)
    with pytest.raises(KeyboardInterrupt):
        build_pack(small_settings, modules=SMALL, show_progress=False)
    assert not small_settings.pack_root.exists() or list(small_settings.pack_root.iterdir()) == []
    assert pack_status(small_settings)[0] == "missing"


def test_missing_source_is_recorded_not_fatal(small_settings):
    path = build_pack(small_settings, modules=("owid", "edgar"), show_progress=False)  # edgar files absent
    p = Pack.open(path)
    assert "edgar" in p.manifest["failed"]
    assert "EDGAR_2024_GHG_booklet_2024.xlsx" in p.manifest["failed"]["edgar"]["message"]
    assert p.manifest["items"]  # owid items still built
    with pytest.raises(PackError, match="not available: .*sources fetch"):
        p.table("edgar_ghg_by_sector")


def test_partial_module_list_is_rebuilt_by_ensure_pack(small_settings, monkeypatch):
    build_pack(small_settings, modules=("owid",), show_progress=False)
    monkeypatch.setattr(pack_mod, "PACK_MODULES", SMALL)
    p = ensure_pack(small_settings, show_progress=False)
    assert p.manifest["module_list"] == list(SMALL)  # the owid-only pack was not accepted as complete
    mtime = (p.path / MANIFEST).stat().st_mtime_ns
    assert ensure_pack(small_settings, show_progress=False).path == p.path
    assert (p.path / MANIFEST).stat().st_mtime_ns == mtime  # up-to-date pack reused, not rebuilt


def test_open_without_manifest_says_how_to_build(tmp_path):
    with pytest.raises(PackError, match="python -m engine pack build"):
        Pack.open(tmp_path)


# ------------------------------------------------------------------------------------------------------------------
# failures are per item and never fatal
# ------------------------------------------------------------------------------------------------------------------

def test_module_items_constant_matches_a_full_build(pack):
    """MODULE_ITEMS (used to attribute failures) is exactly what a full real build writes, module by module."""
    modules = pack.manifest["modules"]
    assert pack.manifest["failed"] == {}, "the session pack must be complete for this check"
    assert list(modules) == list(pack_mod.PACK_MODULES) == list(pack_mod.MODULE_ITEMS)
    for mod_name, info in modules.items():
        assert set(info["items"]) == set(pack_mod.MODULE_ITEMS[mod_name]), mod_name
    assert {n: e["module"] for n, e in pack.manifest["items"].items()} == pack_mod.ITEM_MODULE


def _fake_module(monkeypatch, name: str, pack_items, source_id: str = "fake_source", derived: bool = True):
    """Register ``engine.<name>`` (derived) or ``engine.sources.<name>`` as an importable pack module."""
    mod = types.ModuleType(name)
    mod.SOURCE_ID = source_id
    mod.pack_items = pack_items
    if derived:
        monkeypatch.setattr(pack_mod, "DERIVED_MODULES", (*pack_mod.DERIVED_MODULES, name))
        monkeypatch.setitem(sys.modules, f"engine.{name}", mod)
    else:
        monkeypatch.setitem(sys.modules, f"engine.sources.{name}", mod)
    return mod


def test_failure_for_names_the_module_that_owns_the_item(small_settings):
    """Two readers fail (their files are absent): each item's message is its own module's, not the first one's."""
    p = Pack.open(build_pack(small_settings, modules=("owid", "cdiac", "takahashi", "gpw"), show_progress=False))
    failed = p.manifest["failed"]
    assert set(failed) == {"cdiac", "takahashi"}
    assert failed["cdiac"]["source_id"] == "cdiac_ndp058" and failed["takahashi"]["source_id"] == "takahashi2009"
    assert failed["cdiac"]["items"] == list(pack_mod.MODULE_ITEMS["cdiac"])
    assert failed["takahashi"]["items"] == list(pack_mod.MODULE_ITEMS["takahashi"])
    assert {"gpw_population_1deg", "owid_co2_territorial"} <= set(p.manifest["items"])  # the others were built
    for item in pack_mod.MODULE_ITEMS["takahashi"]:
        msg = p.failure_for(item)
        assert "takahashi2009/" in msg and "cdiac" not in msg and "sources fetch" in msg
    msg = p.failure_for("cdiac_fossil_co2")
    assert "cdiac_ndp058/" in msg and "takahashi" not in msg
    with pytest.raises(PackError, match="takahashi2009/.*sources fetch"):
        p.grid("takahashi_flux_annual")
    assert p.failure_for("gpw_population_1deg") is None
    assert "does not exist" in p.failure_for("edgar_ghg_totals")  # not built because not asked for, not failed
    assert "does not exist" in p.failure_for("no_such_item")


def test_failure_for_reads_manifests_without_item_lists(tmp_path):
    """A failed entry written before items were recorded falls back to MODULE_ITEMS."""
    manifest = {"key": "k", "items": {}, "failed": {
        "cdiac": {"source_id": "cdiac_ndp058", "file": "SUMMARY.MASS.DAT", "message": "cdiac is broken"},
        "takahashi": {"source_id": "takahashi2009", "file": "onedeg_land.nc", "message": "takahashi is broken"}}}
    p = Pack(tmp_path, manifest)
    assert p.failure_for("cdiac_fossil_co2") == "cdiac is broken"
    assert p.failure_for("takahashi_land_fraction") == "takahashi is broken"
    assert "does not exist" in p.failure_for("gcb_territorial")


def test_derived_module_with_a_failed_input_does_not_stop_the_build(small_settings):
    """``series`` reads items of readers that failed or did not run: recorded as a failure, the build completes
    (before, its PackError escaped build_pack and no pack was written at all)."""
    p = Pack.open(build_pack(small_settings, modules=("owid", "edgar", "series", "gpw"), show_progress=False))
    failed = p.manifest["failed"]
    assert set(failed) == {"edgar", "series"}
    assert failed["series"]["needs"] in pack_mod.ITEM_MODULE
    assert failed["series"]["items"] == ["ledger_series"]
    assert "series needs" in failed["series"]["message"]
    assert "gpw_population_1deg" in p.manifest["items"]  # a module after the failed derived one is still built
    with pytest.raises(PackError, match="ledger_series.*not available: series needs"):
        p.arrays("ledger_series")


def test_missing_dependency_names_the_failed_source(small_settings, monkeypatch):
    """A derived module whose input's reader failed gets that reader's source, file and message (KeyError path)."""
    _fake_module(monkeypatch, "fake_derived", lambda settings, built: {"fake_cdiac_x2": built["cdiac_fossil_co2"] * 2})
    p = Pack.open(build_pack(small_settings, modules=("cdiac", "fake_derived", "owid"), show_progress=False))
    info = p.manifest["failed"]["fake_derived"]
    assert info["source_id"] == "cdiac_ndp058" and info["file"] == p.manifest["failed"]["cdiac"]["file"]
    assert info["needs"] == "cdiac_fossil_co2"
    assert "which could not be built" in info["message"] and "sources fetch" in info["message"]
    assert "owid_co2_territorial" in p.manifest["items"]


def test_missing_dependency_that_did_not_run_names_its_source(small_settings, monkeypatch):
    """An input whose reader runs later (or not at all): the failure names that reader's source id."""
    _fake_module(monkeypatch, "fake_derived", lambda settings, built: {"pop2": built["gpw_population_1deg"]})
    p = Pack.open(build_pack(small_settings, modules=("owid", "fake_derived", "gpw"), show_progress=False))
    info = p.manifest["failed"]["fake_derived"]
    assert info["source_id"] == "gpw4_1deg" and info["needs"] == "gpw_population_1deg"
    assert "gpw_population_1deg" in p.manifest["items"]


def test_any_engine_error_of_a_module_is_recorded(small_settings, monkeypatch):
    """A PackError (not a SourceError) is recorded with the module's own source id; the build continues."""
    def boom(settings, built):
        raise PackError("derived item could not be computed")

    _fake_module(monkeypatch, "fake_derived", boom, source_id="gpw4_1deg")
    p = Pack.open(build_pack(small_settings, modules=("fake_derived", "owid"), show_progress=False))
    info = p.manifest["failed"]["fake_derived"]
    assert info == info | {"source_id": "gpw4_1deg", "file": None, "error": "PackError",
                           "message": "derived item could not be computed"}
    assert p.manifest["items"]


def test_a_module_is_written_all_or_nothing(small_settings, monkeypatch):
    """An item that cannot be stored fails its module; the module's items already written are removed."""
    import pandas as pd

    _fake_module(monkeypatch, "fake_reader",
                 lambda settings: {"fake_ok": pd.DataFrame({"a": [1]}), "fake_bad": object()}, derived=False)
    path = build_pack(small_settings, modules=("fake_reader", "owid"), show_progress=False)
    p = Pack.open(path)
    assert p.manifest["failed"]["fake_reader"]["error"] == "PackError"
    assert "fake_ok" not in p.manifest["items"] and not (path / "fake_ok.parquet").exists()
    assert "owid_co2_territorial" in p.manifest["items"]


def test_a_key_error_that_is_not_a_pack_item_is_a_bug(small_settings, monkeypatch):
    """Only a missing pack item counts as a data failure; any other KeyError surfaces and leaves no pack."""
    _fake_module(monkeypatch, "fake_derived", lambda settings, built: {}["not_an_item"])
    with pytest.raises(KeyError, match="not_an_item"):
        build_pack(small_settings, modules=("owid", "fake_derived"), show_progress=False)
    assert pack_status(small_settings)[0] == "missing"
    assert not [d for d in small_settings.pack_root.iterdir() if d.name.startswith(".tmp-")]


def test_failure_without_a_source_file_is_not_retried_every_start(small_settings, monkeypatch):
    """A failure that names no source file would repeat with the same sources: ensure_pack keeps the pack."""
    def boom(settings, built):
        raise PackError("cannot compute")

    _fake_module(monkeypatch, "fake_derived", boom, source_id="owid_gcb2024")  # its files are present
    monkeypatch.setattr(pack_mod, "PACK_MODULES", ("owid", "fake_derived"))
    p = ensure_pack(small_settings, show_progress=False)
    assert "fake_derived" in p.manifest["failed"]
    mtime = (p.path / MANIFEST).stat().st_mtime_ns
    assert (ensure_pack(small_settings, show_progress=False).path / MANIFEST).stat().st_mtime_ns == mtime


def test_empty_data_dir_gives_a_pack_of_failures_not_a_crash(empty_settings):
    """No source at all (first start before fetching): every module is recorded as failed and the build completes.
    ``series`` asks for the finished pack when it is given no items; the re-entry guard turns that into its
    failure instead of an endless recursion."""
    p = Pack.open(build_pack(empty_settings, show_progress=False))
    assert set(p.manifest["failed"]) == set(pack_mod.PACK_MODULES)
    assert p.manifest["items"] == {} and pack_status(empty_settings)[0] == "partial"
    for info in p.manifest["failed"].values():
        assert info["message"] and info["source_id"]
    assert "sources fetch" in p.failure_for("wiod_2011")
    assert [d.name for d in empty_settings.pack_root.iterdir()] == [p.path.name]
    assert ensure_pack(empty_settings, show_progress=False).path == p.path  # reused while sources are missing
