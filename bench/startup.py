"""Benchmark: app cold start with a built pack, and resident memory after serving every page. JSON lines.

Starts ``python app.py`` on a free port, times process start -> first ``/health`` answer and -> first ``/``
page, then renders every page in headless Debian chromium (so the page callbacks really run) and reads the
server's resident memory (psutil). Budgets (DESIGN.md): start <= 5 s; resident memory <= 2 GB.
Repeats the start 3 times and reports each.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("/", "/data")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as r:
        r.read()
        return r.status


def _render_pages(base: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                               args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = b.new_page()
        for p in PAGES:
            page.goto(base + p, wait_until="networkidle")
        b.close()


def one_start() -> dict:
    port = _port()
    env = dict(os.environ, HOLOCARBON_PORT=str(port))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                _get(base + "/health")
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t0 > 600:
                    raise RuntimeError("app did not start")
                time.sleep(0.05)
        t_health = time.perf_counter() - t0
        _get(base + "/")
        t_home = time.perf_counter() - t0
        t1 = time.perf_counter()
        _render_pages(base)
        t_pages = time.perf_counter() - t1
        rss = psutil.Process(proc.pid).memory_info().rss / 2**20
        return {"bench": "app_cold_start", "seconds_to_health": round(t_health, 2),
                "seconds_to_home": round(t_home, 2), "budget_seconds": 5,
                "seconds_render_all_pages": round(t_pages, 2), "pages": list(PAGES), "rss_mib_after_pages": round(rss, 1),
                "budget_rss_mib": 2048}
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    for _ in range(3):
        print(json.dumps(one_start()), flush=True)


if __name__ == "__main__":
    main()
