"""A per-process limit on heavy answers (chart and map exports, briefings, NetCDF subsets).

Each server process allows :data:`HEAVY_SLOTS` heavy renders at once; a request that finds no free slot within
:data:`WAIT_S` seconds gets ``503 {error: "busy"}`` with ``Retry-After`` instead of holding a server thread for
minutes, so a burst of exports never stalls the tiles, pages and API answers of other users. The semaphore is
created by ``app.create_app`` and kept in the Flask config (no module-level state).
"""

from __future__ import annotations

import functools
import threading

from flask import current_app

from api.errors import Busy, error_response

#: Heavy renders at once per server process (kaleido/chromium, map pictures, NetCDF encoding).
HEAVY_SLOTS = 2
#: How long a request waits for a free slot before it is answered 503 [s].
WAIT_S = 3.0
#: Suggested client back-off [s].
RETRY_AFTER_S = 5
CONFIG_KEY = "HOLOCARBON_HEAVY_SLOTS"


def make_slots(n: int = HEAVY_SLOTS) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(n)


def heavy(view):
    """Run ``view`` in one of the process's heavy slots, or answer 503 busy when none frees up in time."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        slots = current_app.config.get(CONFIG_KEY)
        if slots is None:  # an app built without the limiter (never the case with create_app)
            return view(*args, **kwargs)
        if not slots.acquire(timeout=WAIT_S):
            resp = error_response(Busy(f"the server is busy with other exports; retry in {RETRY_AFTER_S} seconds"))
            resp.headers["Retry-After"] = str(RETRY_AFTER_S)
            return resp
        try:
            return view(*args, **kwargs)
        finally:
            slots.release()

    return wrapper
