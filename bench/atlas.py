"""Benchmark: Atlas control change -> updated map, in headless Debian chromium. Prints JSON lines.

Starts ``python app.py`` on a free port (current environment; by default with a fresh temporary
``HOLOCARBON_CACHE_DIR`` so no tile or layer comes from an earlier run — ``--shared-cache`` keeps the user's
cache), opens ``/atlas`` and makes 20 changes with real interactions: year steps with ArrowLeft / ArrowRight on
the focused slider handle, and layer changes by clicking an option of the layer dropdown. Per change it times
the interaction (key press / option click) until the map's raster source points at the new tiles, MapLibre
reports every tile of the view loaded (all the tile responses of that change have arrived) and two animation
frames have been drawn. Budget (DESIGN.md): control change to updated map <= 1 s p95; server resident memory
<= 2 GB (psutil, after the run).

Label tiles (``/tiles/labels/z/x/y.png``, the place names and outlines over the map), over HTTP against the same
server: the first tile of a zoom (placing that zoom's names over the whole world, then drawing), another tile of the
same zoom (placement cached, drawing cold) and that tile again (from the tile cache); budget for a tile (DESIGN.md):
cold <= 15 ms, cached <= 1 ms (the once-per-zoom placement is reported apart).

Run: ``python bench/atlas.py [--shared-cache]``.
"""

from __future__ import annotations

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

import psutil

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("HOLOCARBON_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_MS = 120_000
sys.path.insert(0, str(ROOT))
from tests.support.map_ready import (  # noqa: E402  (the same checks as the tests)
    MAP_READY_JS,
    TWO_FRAMES_JS,
)

#: The 20 changes, in order, from the default view (emissions, 2022).
STEPS = [
    ("year", "ArrowLeft"), ("year", "ArrowLeft"), ("layer", "net_flux"), ("year", "ArrowLeft"),
    ("year", "ArrowRight"), ("layer", "emissions"), ("year", "ArrowLeft"), ("year", "ArrowLeft"),
    ("layer", "land_sink"), ("year", "ArrowRight"), ("layer", "emissions"), ("year", "ArrowLeft"),
    ("year", "ArrowRight"), ("layer", "luc"), ("year", "ArrowLeft"), ("layer", "emissions"),
    ("year", "ArrowLeft"), ("year", "ArrowLeft"), ("layer", "net_flux"), ("year", "ArrowRight"),
]


def _layer_labels() -> dict[str, str]:
    from components.atlas import LAYER_OPTIONS

    return dict(LAYER_OPTIONS)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(shared_cache: bool, cache_dir: str) -> tuple[subprocess.Popen, str, float]:
    port = _port()
    env = dict(os.environ, HOLOCARBON_PORT=str(port), HOLOCARBON_HOST="127.0.0.1")
    if not shared_cache:
        env["HOLOCARBON_CACHE_DIR"] = cache_dir
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            if proc.poll() is not None or time.perf_counter() - t0 > 600:
                proc.kill()
                raise RuntimeError("app did not start")
            time.sleep(0.1)
    return proc, base, time.perf_counter() - t0


def _rss_mib(pid: int) -> float:
    p = psutil.Process(pid)
    return (p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))) / 2**20


def _stats(times: list[float]) -> dict:
    s = sorted(times)
    return {"n": len(s), "median_ms": round(statistics.median(s), 1),
            "p95_ms": round(s[max(0, round(0.95 * len(s)) - 1)], 1), "max_ms": round(s[-1], 1)}


def run(base: str) -> tuple[dict, list[dict]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_context(viewport={"width": 1360, "height": 900}, device_scale_factor=1).new_page()
        tiles: list[tuple[float, int, str]] = []  # (perf_counter, status, url) of every tile response
        page.on("response", lambda r: tiles.append((time.perf_counter(), r.status, r.url))
                if "/tiles/" in r.url else None)
        tile_requests: list[tuple[float, str]] = []
        page.on("request", lambda r: tile_requests.append((time.perf_counter(), r.url)) if "/tiles/" in r.url else None)
        callbacks: list[float] = []  # Dash callback responses (the figure with the new tile URL)
        page.on("response", lambda r: callbacks.append(time.perf_counter())
                if "_dash-update-component" in r.url else None)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

        t0 = time.perf_counter()
        page.goto(base + "/atlas")
        page.wait_for_function(MAP_READY_JS, arg=["/tiles/emissions/", "year=2022"], timeout=TIMEOUT_MS,
                               polling="raf")
        page.evaluate(TWO_FRAMES_JS)
        first = {"bench": "atlas_first_map", "ms": round((time.perf_counter() - t0) * 1000, 1),
                 "tiles": len(tiles), "note": "page navigation to the first full map (cold browser and server)"}

        labels = _layer_labels()
        thumb = page.locator("#atlas-year [role=slider]")
        layer, year = "emissions", 2022
        seen: set[tuple[str, int]] = {(layer, year)}
        rows = []
        for kind, arg in STEPS:
            if kind == "year":
                thumb.focus()
                n_before, r_before, c_before = len(tiles), len(tile_requests), len(callbacks)
                t0 = time.perf_counter()
                page.keyboard.press(arg)
                year += -1 if arg == "ArrowLeft" else 1
            else:
                page.locator("#atlas-layer").click()
                option = page.get_by_role("option", name=labels[arg], exact=True)
                option.wait_for()
                n_before, r_before, c_before = len(tiles), len(tile_requests), len(callbacks)
                t0 = time.perf_counter()
                option.click()
                layer = arg
            page.wait_for_function(MAP_READY_JS, arg=[f"/tiles/{layer}/", f"year={year}"], timeout=TIMEOUT_MS,
                                   polling="raf")
            page.evaluate(TWO_FRAMES_JS)
            t1 = time.perf_counter()
            new = [t for t in tiles[n_before:] if f"/tiles/{layer}/" in t[2] and f"year={year}" in t[2]]
            new_req = [t for t, u in tile_requests[r_before:] if f"/tiles/{layer}/" in u and f"year={year}" in u]
            cb = callbacks[c_before:]
            bad = [t[1] for t in tiles[n_before:] if t[1] >= 400]
            rows.append({"change": f"{kind}:{arg}", "layer": layer, "year": year,
                         "first_visit": (layer, year) not in seen, "ms": round((t1 - t0) * 1000, 1),
                         "tile_responses": len(new),
                         "callback_ms": round((cb[0] - t0) * 1000, 1) if cb else None,
                         "first_tile_request_ms": round((min(new_req) - t0) * 1000, 1) if new_req else None,
                         "last_tile_ms": round((max(t[0] for t in new) - t0) * 1000, 1) if new else None,
                         "failed_tiles": len(bad)})
            seen.add((layer, year))
            if page.locator(".dash-dropdown-content, [role=listbox]").count():
                page.keyboard.press("Escape")
        browser.close()
    first["console_errors"] = errors
    return first, rows


def _get_ms(url: str) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        body = r.read()
        status = r.status
    return round((time.perf_counter() - t0) * 1000, 2), status, len(body)


def label_tiles(base: str) -> list[dict]:
    """Label tiles over HTTP: per zoom, the first tile (placement + drawing), a neighbour (drawing), the neighbour
    again (cache). Paris and Brussels at zoom 6 and 9 (the Atlas's deepest zoom: every city of 15,000+ people)."""
    rows = []
    for z, (x, y), (x2, y2) in ((6, (32, 22), (32, 21)), (9, (259, 176), (261, 172))):
        first = _get_ms(f"{base}/tiles/labels/{z}/{x}/{y}.png")
        cold = _get_ms(f"{base}/tiles/labels/{z}/{x2}/{y2}.png")
        cached = [_get_ms(f"{base}/tiles/labels/{z}/{x2}/{y2}.png")[0] for _ in range(5)]
        rows.append({"bench": "atlas_label_tile", "zoom": z, "first_of_zoom_ms": first[0],
                     "cold_ms": cold[0], "cached_ms": statistics.median(cached), "bytes": cold[2],
                     "status": [first[1], cold[1]], "budget_cold_ms": 15, "budget_cached_ms": 1,
                     "note": "HTTP on loopback; first_of_zoom includes placing that zoom's names over the world"})
    return rows


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    shared = "--shared-cache" in argv
    with tempfile.TemporaryDirectory(prefix="holocarbon-bench-atlas-") as cache_dir:
        proc, base, t_start = _start_server(shared, cache_dir)
        try:
            first, rows = run(base)
            label_rows = label_tiles(base)
            rss = _rss_mib(proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(json.dumps({**first, "server_start_s": round(t_start, 2), "loadavg_1min": round(os.getloadavg()[0], 2),
                      "server_cache": "shared (user's)" if shared else "fresh temporary"}), flush=True)
    for r in rows:
        print(json.dumps({"bench": "atlas_change_detail", **r}), flush=True)
    times = [r["ms"] for r in rows]
    by_kind = {}
    for label, pred in (("year", lambda r: r["change"].startswith("year")),
                        ("layer", lambda r: r["change"].startswith("layer")),
                        ("first_visit", lambda r: r["first_visit"]), ("revisit", lambda r: not r["first_visit"])):
        sel = [r["ms"] for r in rows if pred(r)]
        if sel:
            by_kind[label] = {"n": len(sel), "median_ms": round(statistics.median(sel), 1), "max_ms": max(sel)}
    print(json.dumps({"bench": "atlas_control_change", **_stats(times), "budget_p95_ms": 1000, "by_kind": by_kind,
                      "failed_tiles": sum(r["failed_tiles"] for r in rows),
                      "note": "interaction -> raster source updated, all tiles of the view loaded, 2 frames drawn"}),
          flush=True)
    for r in label_rows:
        print(json.dumps(r), flush=True)
    print(json.dumps({"bench": "atlas_server_memory", "rss_mib": round(rss, 1), "budget_rss_mib": 2048,
                      "note": "server process (and children) after the run"}), flush=True)


if __name__ == "__main__":
    main()
