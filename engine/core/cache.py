"""The one cache layer: memory in front of an optional shared backend (file system or Redis).

The web app configures flask-caching and hands its backend (a ``cachelib`` cache: ``get``/``set``) to the engine;
the command line and notebooks use memory only. Keys are short strings built from the pack key and the small
hashable values they depend on (a :class:`~engine.core.query.Query` repr, a year). Values are our own numpy / pandas
objects; nothing user-supplied is ever unpickled.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any, Callable

import pandas as pd

log = logging.getLogger("holocarbon.cache")
_MISSING = object()


def ready(value: Any, depth: int = 2) -> Any:
    """Build the lazy lookup tables of the pandas indexes in ``value`` (a frame, a series, or a dict / list / tuple of
    them) before the value is shared between threads. A pandas index builds its hash table on first use, and two
    threads doing that first lookup at once can get ``KeyError`` for a label that is there (found by a test that
    asks eight ledger views at once: ``luc(2011)`` failed with ``KeyError: 2011``)."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        for idx in (value.index, value.columns) if isinstance(value, pd.DataFrame) else (value.index,):
            if len(idx):
                try:
                    idx.get_loc(idx[0])
                except Exception:  # noqa: BLE001 — a non-unique or odd index: nothing to prepare
                    pass
    elif depth > 0 and isinstance(value, dict):
        for v in value.values():
            ready(v, depth - 1)
    elif depth > 0 and isinstance(value, (list, tuple)):
        for v in value[:64]:
            ready(v, depth - 1)
    return value


class MemoryLRU:
    """Thread-safe least-recently-used store of live objects (no pickling: values must be treated as immutable)."""

    def __init__(self, max_items: int = 256):
        self.max_items = max_items
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            if key not in self._data:
                return None
            self._data.move_to_end(key)
            return self._data[key]

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_items:
                self._data.popitem(last=False)


class TieredCache:
    """A per-process memory cache in front of an optional shared backend.

    Parameters
    ----------
    shared : object with ``get(key)`` and ``set(key, value, timeout)``, optional
        e.g. flask-caching's ``cache.cache`` (FileSystemCache or RedisCache). Errors of the shared backend are
        logged and ignored: the engine then computes (a slower answer, never a failed one).
    memory_items : int
        Capacity of the memory tier.
    """

    def __init__(self, shared=None, memory_items: int = 256, timeout: int = 0):
        self.memory = MemoryLRU(memory_items)
        self.shared = shared
        self.timeout = timeout
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def get(self, key: str) -> Any:
        value = self.memory.get(key)
        if value is not None:
            return value
        if self.shared is not None:
            try:
                value = self.shared.get(key)
            except Exception as exc:  # a broken shared cache must not break answers
                log.warning("shared cache get failed (%s); computing", exc)
                value = None
            if value is not None:
                self.memory.set(key, ready(value))
        return value

    def set(self, key: str, value: Any, shared: bool = True) -> None:
        self.memory.set(key, value)
        if shared and self.shared is not None:
            try:
                self.shared.set(key, value, timeout=self.timeout)
            except Exception as exc:
                log.warning("shared cache set failed (%s)", exc)

    def memo(self, key: str, compute: Callable[[], Any], shared: bool = True) -> Any:
        """Return the cached value of ``key`` or compute, store and return it.

        Concurrent callers of the same key (e.g. the dozen tile requests of one map view) wait for one computation
        instead of each doing it.
        """
        value = self.get(key)
        if value is not None:
            return value
        with self._locks_guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            value = self.get(key)
            if value is None:
                value = ready(compute())
                self.set(key, value, shared=shared)
        with self._locks_guard:
            self._locks.pop(key, None)
        return value
