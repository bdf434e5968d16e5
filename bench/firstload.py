"""Benchmark: first load of a page in a fresh browser, and a repeat visit. Prints JSON lines.

Starts ``python app.py`` (a fresh temporary ``HOLOCARBON_CACHE_DIR`` unless ``--shared-cache``) and opens each page
in headless Debian chromium:

1. a server warm-up visit per page in a throwaway browser context (the engine computes that page's tables, the web
   layer compresses the bundles once): reported as ``first_chart_server_cold_ms``, without a budget; 3 s later a
   second one (by then the server has drawn the picture of the page's first chart, components/prerender.py);
2. ``--runs`` cold visits, each in a new browser context (empty HTTP cache): the time from navigation start to the
   first chart drawn (a ``.js-plotly-plot`` with at least one trace whose ``.main-svg`` has a size; on the Atlas the
   map's MapLibre canvas), the bytes transferred until the network is idle (the sum of CDP
   ``Network.loadingFinished`` ``encodedDataLength``: headers plus body as sent, compressed when it was) and the
   number of requests and Dash callbacks; ``first_live_chart_ms`` is the time to the first interactive (plotly)
   chart, when a picture was seen first;
3. in the same context, a repeat visit (warm HTTP cache): the same figures.

Each line is ``{"bench": "firstload", "page", "metric", "value", "unit", "budget", "n", "runs"}`` with the median
over the runs in ``value``. Budgets (issue 13): first chart <= 1500 ms and <= 2.5 MB (10^6 bytes) on a first load,
first chart <= 800 ms on a repeat visit. ``--detail`` also prints one ``firstload_request`` line per response of
the last cold visit (size, encoding, cache header, server time of callbacks) to see what the first paint waits for.

``--network 20 40`` emulates a 20 Mbit/s connection with a 40 ms round trip (chromium's throttling) instead of
loopback, to see what the bytes cost over a real connection.

Run: ``python bench/firstload.py [--runs 3] [--port N] [--shared-cache] [--settle 30] [--detail] [--network MBIT_S RTT_MS]
[--pages / /atlas]``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("HOLOCARBON_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-default-apps", "--disable-extensions"]
PAGES = ("/", "/atlas", "/ledger", "/country/DEU")
BUDGET = {"first_chart_ms": 1500, "bytes": 2.5, "repeat_first_chart_ms": 800}
TIMEOUT_MS = 60_000

#: Records ``window.__firstChart`` (ms since navigation start) the first frame a chart is seen: the server's picture
#: of a page's first chart (``img.hc-prerender``, decoded and visible: components/prerender.py), a plotly graph with
#: at least one trace and a visible ``.main-svg``, or a MapLibre canvas with a size (the Atlas map); and
#: ``window.__firstLive`` the first frame a live (interactive) chart is drawn, pictures not counted.
FIRST_CHART_JS = """(() => {
  const live = () => {
    for (const c of document.querySelectorAll('.js-plotly-plot .maplibregl-canvas')) {
      if (c.width > 0 && c.height > 0 && c.getBoundingClientRect().width > 0) return true;
    }
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      const svg = gd.querySelector('.main-svg');
      if (svg && gd.data && gd.data.length && svg.getBoundingClientRect().width > 0) return true;
    }
    return false;
  };
  const picture = () => {
    for (const img of document.querySelectorAll('img.hc-prerender')) {
      const r = img.getBoundingClientRect();
      if (img.complete && img.naturalWidth > 0 && r.width > 0 && r.height > 0
          && getComputedStyle(img).display !== 'none') return true;
    }
    return false;
  };
  const tick = () => {
    const now = performance.now();
    if (window.__firstLive === undefined && live()) window.__firstLive = now;
    if (window.__firstChart === undefined && (window.__firstLive !== undefined || picture())) window.__firstChart = now;
    if (window.__firstLive === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Visit:
    """One navigation: responses seen through the Chrome DevTools Protocol, first-chart time, bytes, requests."""

    def __init__(self, context, network: tuple[float, float] | None = None):
        self.page = context.new_page()
        self.cdp = context.new_cdp_session(self.page)
        self.responses: dict[str, dict] = {}
        self.pending: set[str] = set()
        self.bytes = 0
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", lambda e: self.pending.discard(e["requestId"]))
        self.cdp.send("Network.enable")
        if network:  # (Mbit/s, round-trip ms): a real connection instead of loopback
            mbps, rtt = network
            self.cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": rtt, "downloadThroughput": mbps * 125_000,
                "uploadThroughput": mbps * 125_000})

    def _sent(self, e):
        if not e["request"]["url"].startswith(("http:", "https:")):  # data: and blob: URLs (MapLibre's worker)
            return
        self.pending.add(e["requestId"])
        entry = self.responses.setdefault(e["requestId"], {"url": e["request"]["url"], "method": e["request"]["method"]})
        if "/_dash-update-component" in e["request"]["url"]:
            try:  # which callback: its output(s)
                entry["output"] = json.loads(e["request"].get("postData") or "{}").get("output", "")[:100]
            except ValueError:
                pass

    def _response(self, e):
        if e["requestId"] not in self.responses:
            return
        r, t = e["response"], e["response"].get("timing") or {}
        h = {k.lower(): v for k, v in r.get("headers", {}).items()}
        self.responses[e["requestId"]].update(
            status=r["status"], encoding=h.get("content-encoding", ""), cache_control=h.get("cache-control", ""),
            from_cache=bool(r.get("fromDiskCache") or r.get("fromPrefetchCache") or r.get("fromServiceWorker")),
            server_ms=round(t["receiveHeadersStart" if "receiveHeadersStart" in t else "receiveHeadersEnd"]
                            - t["sendEnd"], 1) if t else None)

    def _finished(self, e):
        if e["requestId"] not in self.responses:
            return
        self.pending.discard(e["requestId"])
        self.bytes += e["encodedDataLength"]
        self.responses[e["requestId"]]["encoded_bytes"] = e["encodedDataLength"]

    def run(self, url: str) -> dict:
        self.page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        self.page.wait_for_function("() => window.__firstChart !== undefined", timeout=TIMEOUT_MS, polling=50)
        first = self.page.evaluate("() => window.__firstChart")
        try:
            self.page.wait_for_function("() => window.__firstLive !== undefined", timeout=TIMEOUT_MS, polling=50)
            live = self.page.evaluate("() => window.__firstLive")
        except Exception:  # no live chart within the timeout: reported as missing
            live = float("nan")
        quiet_since, t0 = None, time.perf_counter()
        while time.perf_counter() - t0 < TIMEOUT_MS / 1000:  # network idle: nothing pending for 300 ms
            self.page.wait_for_timeout(25)
            if self.pending:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.perf_counter()
            elif time.perf_counter() - quiet_since > 0.3:
                break
        callbacks = [r for r in self.responses.values() if "/_dash-update-component" in r.get("url", "")]
        return {"first_chart_ms": first, "first_live_chart_ms": live, "bytes": self.bytes, "requests": len(self.responses),
                "callbacks": len(callbacks),
                "slowest_callback_ms": max((r.get("server_ms") or 0 for r in callbacks), default=0), "from_cache": sum(1 for r in self.responses.values() if r.get("from_cache"))}

    def close(self):
        self.page.close()


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _emit(page: str, metric: str, value, unit: str, budget, runs: list | None = None, network=None) -> None:
    print(json.dumps({"bench": "firstload", "page": page, "metric": metric, "value": value, "unit": unit,
                      "budget": budget, "n": len(runs) if runs else 1, "runs": runs,
                      "network": f"{network[0]:g} Mbit/s, {network[1]:g} ms RTT" if network else "loopback"}),
          flush=True)


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--port", type=int, default=0, help="port of the app started here (default: a free one)")
    ap.add_argument("--shared-cache", action="store_true", help="keep the user's HOLOCARBON_CACHE_DIR")
    ap.add_argument("--settle", type=float, default=30.0,
                    help="seconds to wait once the app answers, so that its background warm-up (search index, Monte "
                         "Carlo draws) is over: a running server, as visitors meet it (0: measure a server just started)")
    ap.add_argument("--detail", action="store_true", help="one line per response of the last cold visit")
    ap.add_argument("--pages", nargs="+", default=list(PAGES))
    ap.add_argument("--network", nargs=2, type=float, metavar=("MBIT_S", "RTT_MS"),
                    help="emulate a connection (chromium throttling), e.g. --network 20 40")
    args = ap.parse_args(argv)

    emit = functools.partial(_emit, network=args.network)
    port = args.port or _port()
    tmp = tempfile.TemporaryDirectory(prefix="holocarbon-firstload-")
    env = dict(os.environ, HOLOCARBON_PORT=str(port), HOLOCARBON_HOST="127.0.0.1")
    if not args.shared_cache:
        env["HOLOCARBON_CACHE_DIR"] = tmp.name
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"app exited with {proc.returncode}") from None
                time.sleep(0.1)
        time.sleep(max(0.0, args.settle))
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

            def context():
                ctx = b.new_context(viewport={"width": 1360, "height": 900}, device_scale_factor=1)
                ctx.add_init_script(FIRST_CHART_JS)
                return ctx

            for path in args.pages:
                ctx = context()
                v = Visit(ctx, args.network)
                cold_server = v.run(base + path)
                ctx.close()
                time.sleep(3)  # the server draws the page's first-chart picture in the background (prerender.py)
                ctx = context()
                Visit(ctx, args.network).run(base + path)
                ctx.close()
                emit(path, "first_chart_server_cold_ms", round(cold_server["first_chart_ms"]), "ms", None)
                first, repeat, detail = [], [], None
                for _ in range(max(1, args.runs)):
                    ctx = context()
                    v = Visit(ctx, args.network)
                    first.append(v.run(base + path))
                    detail = v.responses
                    v.close()
                    v = Visit(ctx, args.network)
                    repeat.append(v.run(base + path))
                    ctx.close()
                for label, runs in (("", first), ("repeat_", repeat)):
                    emit(path, label + "first_chart_ms", round(_median(runs, "first_chart_ms")), "ms",
                          BUDGET.get(label + "first_chart_ms"), [round(r["first_chart_ms"]) for r in runs])
                    emit(path, label + "first_live_chart_ms", round(_median(runs, "first_live_chart_ms")), "ms", None,
                         [round(r["first_live_chart_ms"]) for r in runs])
                    emit(path, label + "bytes", round(_median(runs, "bytes") / 1e6, 3), "MB",
                          BUDGET["bytes"] if not label else None, [r["bytes"] for r in runs])
                    emit(path, label + "requests", _median(runs, "requests"), "requests", None,
                          [r["requests"] for r in runs])
                    emit(path, label + "callbacks", _median(runs, "callbacks"), "requests", None,
                          [r["callbacks"] for r in runs])
                    emit(path, label + "slowest_callback_server_ms", round(_median(runs, "slowest_callback_ms")),
                          "ms", None, [round(r["slowest_callback_ms"]) for r in runs])
                    if label:
                        emit(path, "repeat_from_cache", _median(runs, "from_cache"), "responses", None,
                              [r["from_cache"] for r in runs])
                if args.detail and detail:
                    for r in sorted(detail.values(), key=lambda r: -r.get("encoded_bytes", 0)):
                        u = urlparse(r.get("url", ""))
                        print(json.dumps({"bench": "firstload_request", "page": path,
                                          "path": (u.path + ("?" + u.query if u.query else ""))[:120],
                                          **{k: r.get(k) for k in ("method", "status", "encoded_bytes", "encoding",
                                                                   "cache_control", "server_ms", "output")
                                             if k in r}}), flush=True)
            b.close()
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        tmp.cleanup()


if __name__ == "__main__":
    main()
