"""The shared file cache of the server workers: flask-caching's FileSystemCache, pruned in batches.

cachelib's FileSystemCache, once it holds more than its threshold of files, deletes the oldest files only until the
count is back *at* the threshold: every following write is over it again and scans the whole directory (reading the
header of every file) to delete one more. With the app's 20,000-entry threshold that is 1.5-3 s added to each cache
write - each new map tile - for as long as the server runs (measured on a full cache, 2026-11-30: an emission tile at
zoom 9 took 1.6 s instead of milliseconds, and the Atlas browser tests timed out). Here a prune removes the oldest
files down to :data:`PRUNE_TO` of the threshold, so the scan happens once per ``(1 - PRUNE_TO) × threshold`` writes.
"""

from __future__ import annotations

import logging
import os
import struct
from time import time

from flask_caching.backends.filesystemcache import FileSystemCache

log = logging.getLogger("holocarbon")

#: Fraction of the threshold a prune leaves in the directory.
PRUNE_TO = 0.8


class BatchPruningFileSystemCache(FileSystemCache):
    """:class:`flask_caching.backends.filesystemcache.FileSystemCache` whose prune leaves room for
    ``(1 - PRUNE_TO) × threshold`` writes (``CACHE_TYPE = "components.cachebackend.BatchPruningFileSystemCache"``)."""

    def _prune(self) -> None:
        if not self._over_threshold():
            return
        self._remove_expired(time())
        if self._over_threshold():
            self._remove_oldest(int(self._threshold * PRUNE_TO))

    def _remove_oldest(self, keep: int) -> None:
        """Delete the files that expire first until at most ``keep`` remain."""
        stamped = []
        for fname in self._list_dir():
            try:
                with self._safe_stream_open(fname, "rb") as f:
                    stamped.append((struct.unpack("I", f.read(4))[0], fname))
            except FileNotFoundError:
                pass
            except (OSError, EOFError, struct.error):  # a half-written file: the oldest to go
                stamped.append((0, fname))
        stamped.sort(key=lambda item: item[0])
        removed = 0
        for _, fname in stamped[: max(len(stamped) - keep, 0)]:
            try:
                os.remove(fname)
                removed += 1
            except FileNotFoundError:
                pass
            except OSError as exc:
                log.warning("cache file %s could not be removed: %s", fname, exc)
                break
        self._update_count(value=len(stamped) - removed)
