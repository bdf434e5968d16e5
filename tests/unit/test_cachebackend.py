"""The shared file cache prunes in batches (components/cachebackend.py): at a full cache, cachelib's own prune deleted
one file per write and scanned the whole directory every time (1.5-3 s per new tile at 20,000 files)."""

from __future__ import annotations

from unittest import mock

from cachelib import FileSystemCache as CachelibFileSystemCache

from components.cachebackend import PRUNE_TO, BatchPruningFileSystemCache


def _fill(cache, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        cache.set(f"k{i}", i, timeout=1000 + i)  # later keys expire later: the oldest go first


def test_a_prune_leaves_room_and_keeps_the_newest(tmp_path):
    cache = BatchPruningFileSystemCache(str(tmp_path), threshold=20, default_timeout=0)
    _fill(cache, 22)  # a write prunes first when the count is over the threshold (the 22nd), then writes
    left = cache._file_count
    assert left <= int(20 * PRUNE_TO) + 1, left
    assert cache.get("k21") == 21 and cache.get("k0") is None
    assert len(list(cache._list_dir())) == left
    # the next writes up to the threshold scan nothing
    with mock.patch.object(BatchPruningFileSystemCache, "_remove_oldest", side_effect=AssertionError("scanned")):
        _fill(cache, 20 - left, start=100)
    assert cache._file_count == 20


def test_cachelib_alone_scans_on_every_write_at_a_full_cache(tmp_path):
    """What the subclass fixes: cachelib prunes back to the threshold only, so each later write prunes again."""
    cache = CachelibFileSystemCache(str(tmp_path), threshold=20, default_timeout=0)
    _fill(cache, 22)
    with mock.patch.object(CachelibFileSystemCache, "_remove_older", wraps=cache._remove_older) as older:
        _fill(cache, 3, start=100)
    assert older.call_count == 3


def test_the_app_uses_it(tmp_path):
    from app import _cache_config
    from engine.core.config import Settings

    settings = Settings.from_env({"HOLOCARBON_DATA": str(tmp_path), "HOLOCARBON_CACHE_DIR": str(tmp_path / "c")})
    assert _cache_config(settings)["CACHE_TYPE"] == "components.cachebackend.BatchPruningFileSystemCache"
