"""Benchmark: control change -> every chart of a page updated, in headless Debian chromium. JSON lines.

For each page, toggles controls 20 times (a gas checkbox, the GWP metric) and measures the time from the click
until every request it triggered (Dash callbacks, map tiles) has answered and the page has painted twice (two
animation frames). The industry page changes a scenario control instead (the EAF share, then the clean-power share:
every chart of the page but the claim is redrawn); the green-exports page switches the displaced intensity (grid
average / fossil margin) and the interval level (map, bars, headline numbers and tornado redrawn; the interval
change recomputes the Monte Carlo draws); the footprint page switches the interval level (66 / 90 %: the result
callback reruns the engine with its Monte Carlo draws, the comparison and every chart of the result and the
interpretation). Budget (DESIGN.md): 1 s p95.

``python bench/pages.py [word ...]`` measures only the pages whose path contains one of the words (e.g. ``industry``).
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("/ledger?year=2015", "/country/CHN?year=2015", "/sector/c17?year=2010", "/trade?year=2010",
         "/atlas?year=2015", "/industry?country=IND&year=2019", "/green-exports?year=2024",
         "/footprint?template=passenger_car&step=3")
N_CHANGES = 20


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _measure(page, action) -> float:
    pending: set = set()

    def on_req(r):
        pending.add(r)

    def on_done(r):
        pending.discard(r)

    page.on("request", on_req)
    page.on("requestfinished", on_done)
    page.on("requestfailed", on_done)
    t0 = time.perf_counter()
    action()
    quiet_since = None
    while True:
        page.wait_for_timeout(10)
        if pending:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.perf_counter()
        elif time.perf_counter() - quiet_since > 0.12:
            break
        if time.perf_counter() - t0 > 20:
            break
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    elapsed = quiet_since - t0 if quiet_since else time.perf_counter() - t0
    page.remove_listener("request", on_req)
    page.remove_listener("requestfinished", on_done)
    page.remove_listener("requestfailed", on_done)
    return elapsed * 1000


def _industry_change(page, i: int) -> None:
    """One scenario change on the industry page: the EAF share, or the clean-power share (alternating values)."""
    field = "eaf_share" if i % 2 == 0 else "clean_power_share"
    page.locator(f"#industry-sc-{field}").click()
    page.get_by_role("option", name=f"{(30 + 10 * (i % 6))} %", exact=True).click()


def _green_change(page, i: int) -> None:
    """One change on the green-exports page: the displaced intensity, or the interval level (alternating values)."""
    if i % 2 == 0:
        page.locator("#green-p-displacement").click()
        name = "Fossil margin (fossil-only intensity)" if i % 4 == 0 else "Grid average (Ember)"
    else:
        page.locator("#green-ci").click()
        name = "66 %" if i % 4 == 1 else "90 %"
    page.get_by_role("option", name=name, exact=True).click()


def _footprint_change(page, i: int) -> None:
    """One change on the footprint page's result step: the interval level (66 / 90 %; the result callback reruns the
    whole footprint with its draws, the comparison and every chart)."""
    page.locator("#lca-ci").click()
    page.get_by_role("option", name="66 %" if i % 2 == 0 else "90 %", exact=True).click()


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    words = sys.argv[1:] if argv is None else argv
    pages = [p for p in PAGES if not words or any(w in p for w in words)]

    port = int(os.environ.get("HOLOCARBON_BENCH_PORT") or _port())
    env = dict(os.environ, HOLOCARBON_PORT=str(port))
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                   args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for path in pages:
                page = b.new_page(viewport={"width": 1360, "height": 900})
                page.goto(base + path, wait_until="networkidle")
                prefix = path.strip("/").split("/")[0].split("?")[0]
                times = []
                for i in range(N_CHANGES):
                    if prefix == "industry":
                        times.append(_measure(page, lambda i=i: _industry_change(page, i)))
                    elif prefix == "green-exports":
                        times.append(_measure(page, lambda i=i: _green_change(page, i)))
                    elif prefix == "footprint":
                        times.append(_measure(page, lambda i=i: _footprint_change(page, i)))
                    elif i % 2 == 0:
                        box = page.locator(f"#{prefix}-gases label", has_text="CH4")
                        times.append(_measure(page, box.click))
                    else:
                        def pick(i=i):
                            page.locator(f"#{prefix}-gwp").click()
                            page.get_by_role("option", name=("AR6 GWP100" if i % 4 == 1 else "AR5 GWP100"),
                                             exact=True).click()
                        times.append(_measure(page, pick))
                times.sort()
                print(json.dumps({"bench": "page_control_change", "page": path, "n": len(times),
                                  "median_ms": round(statistics.median(times)),
                                  "p95_ms": round(times[max(0, int(0.95 * len(times)) - 1)]),
                                  "max_ms": round(times[-1]), "budget_p95_ms": 1000}), flush=True)
                page.close()
            b.close()
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
