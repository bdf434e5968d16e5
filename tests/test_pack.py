"""The processed pack: atomic build, keyed by source checksums, failures recorded, reads back typed items."""

from __future__ import annotations

import json

import pytest

from engine import pack as pack_mod
from engine.config import Settings
from engine.errors import PackError
from engine.fetch import fetch_all
from engine.pack import MANIFEST, Pack, build_pack, ensure_pack, pack_key, pack_status
from engine.registry import load_registry

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
