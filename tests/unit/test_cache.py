"""The one cache layer under concurrency (issue 11 audit): distinct keys asked at the same time each get their own
value, one key asked by many threads is computed once, and a broken shared backend never breaks an answer."""

from __future__ import annotations

import concurrent.futures as cf
import threading
import time

from engine.core.cache import TieredCache


class SlowBackend:
    """A shared backend (like FileSystemCache) that is slow and records what it stores."""

    def __init__(self):
        self.data, self.lock = {}, threading.Lock()

    def get(self, key):
        time.sleep(0.001)
        with self.lock:
            return self.data.get(key)

    def set(self, key, value, timeout=0):
        time.sleep(0.001)
        with self.lock:
            self.data[key] = value


def test_distinct_keys_at_once_each_get_their_own_value():
    cache = TieredCache(shared=SlowBackend(), memory_items=8)  # small: evictions happen during the test

    def ask(i):
        key = f"k{i % 40}"
        return key, cache.memo(key, lambda: (time.sleep(0.002), f"value of {key}")[1])

    with cf.ThreadPoolExecutor(16) as ex:
        results = list(ex.map(ask, range(400)))
    assert all(v == f"value of {k}" for k, v in results)


def test_one_key_is_computed_once_for_many_threads():
    cache = TieredCache()
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.05)
        return "x"

    with cf.ThreadPoolExecutor(12) as ex:
        assert set(ex.map(lambda _: cache.memo("same", compute), range(12))) == {"x"}
    assert len(calls) == 1


def test_a_broken_shared_backend_means_computing_not_failing():
    class Broken:
        def get(self, key):
            raise OSError("disk gone")

        def set(self, key, value, timeout=0):
            raise OSError("disk gone")

    cache = TieredCache(shared=Broken())
    assert cache.memo("a", lambda: 1) == 1 and cache.memo("a", lambda: 2) == 1  # memory tier kept it


def test_ready_builds_pandas_lookups_before_sharing():
    """A pandas index builds its hash table on first lookup; two threads doing it at once got KeyError for a year
    that is there (issue 13 session: eight concurrent ledger views, ``luc(2011)``). Values computed through ``memo``
    come out with their index and column lookups built."""
    import pandas as pd

    from engine.core.cache import TieredCache

    frames = {m: pd.DataFrame({"DEU": [1.0, 2.0], "FRA": [3.0, 4.0]}, index=pd.Index([2010, 2011])) for m in "ab"}
    assert not frames["a"].index._engine.is_mapping_populated
    got = TieredCache().memo("k", lambda: frames)
    for df in got.values():
        assert df.index._engine.is_mapping_populated and df.columns._engine.is_mapping_populated
    assert got["b"].loc[2011, "FRA"] == 4.0
