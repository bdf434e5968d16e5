"""Benchmark: throughput and latency under 50 concurrent clients, gunicorn with 4 workers. Prints JSON lines.

Starts ``gunicorn -w 4 -k gthread --threads 4 app:server`` (the venv's gunicorn, cwd = project root; keep-alive
connections, so a connection stays with the worker that accepted it) on a free loopback port with a fresh
temporary ``HOLOCARBON_CACHE_DIR`` — the FileSystemCache the workers share — or Redis when
``HOLOCARBON_REDIS_URL`` is set (passed through; ``cache_backend`` says which), waits for ``GET /health`` and
drives it with Debian ``wrk`` (``-t 2 -c 50 -d 15s --latency --timeout 10s``). A Lua ``done()`` callback prints
the figures as JSON, re-emitted here as one line per scenario:

``tiles_cached``
    256 fixed tile URLs (emissions and net_flux of 2019–2022 at zoom 2, and the two 2022 layers at zoom 3) that
    every worker has already served, requested in rotation. A rendered tile goes to the worker's memory LRU and
    to the shared cache (``Grids.cache``), so the other workers read it instead of rendering it; the warm-up
    (urllib, 8 threads, a new connection per request, one layer-year at a time) repeats each URL until
    gunicorn's access log shows that every worker has served it, so every worker's memory tier holds it
    (``warm_coverage`` = warmed (URL, worker) pairs / all pairs; a pair missed
    before the warm-up deadline is rendered during the run, which shows in max_ms).
``tiles_cold``
    Every request a tile never requested before: zooms 3–6, every x/y, of four layer-years (emissions 2021 and
    2022, land_sink and ocean_sink 2022), interleaved; each wrk thread takes a disjoint stride of the sequence
    (``setup(thread)`` / ``thread:set("id", n)``); ``wrapped`` would say a thread ran out and repeated URLs.
    The layers and their tile pyramids are computed beforehand in every worker (one zoom-0 tile per layer-year
    until each worker has served it), so "cold" means tile rendering cold, not first-ever layer computation
    (``layers_warm: true``). The set fits in a worker's layer LRU (``Grids.big``,
    ``Grids.BIG_ITEMS`` = 20 items); a larger one
    (e.g. net_flux of several years, each pulling in four more layers) evicts pyramids mid-run and then
    measures layer recomputation (seconds per request), not tile rendering.
``tiles_cold_layers_cold``
    The same over layer-years no worker has computed yet (emissions, net_flux, land_sink and ocean_sink of
    2016; ``layers_warm: false``; the grid context and the pack tables are warm): each worker computes each
    layer on its first tile of it, while its other connections wait.
``ledger``
    ``GET /api/v1/ledger?year=<y>&gwp=<g>`` rotating over 4 years × 4 GWP sets (AR4, AR5, AR6, AR6-GWP20),
    each requested once first (finished answers go through the shared cache, so every worker serves them
    without recomputing or re-serialising). When the endpoint answers 404
    the line is ``{"scenario": "ledger", "skipped": "endpoint not available"}``.

Each line has requests, duration_s, requests_per_s, p50/p90/p99/max latency [ms] as the clients saw it, wrk's
error counts (connect, read, write, timeout, status = non-2xx/3xx answers), from gunicorn's access log the 5xx
answers (with up to 5 URLs), the workers that served the run and the slowest server-side request time, and
the server's resident memory (master + workers, psutil) after the scenario. The access log costs the server
a little throughput; it is what shows which worker served what and which URL failed.

Requirement: zero errors at 50 clients. A final ``{"bench": "load", "summary": …, "ok": …}`` line; exit status
1 when a scenario had errors (or gunicorn died). Takes about two minutes.

Run: ``python bench/load.py [--worker-class gthread|sync] [--threads N]`` (needs ``/usr/bin/wrk``: ``make wrk``
or ``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WRK = os.environ.get("HOLOCARBON_WRK", "/usr/bin/wrk")
WORKERS, CLIENTS, WRK_THREADS = 4, 50, 2
DURATION_S = 15
HEALTH_DEADLINE_S = 180
WARM_DEADLINE_S = 60

#: tiles_cached, grouped by layer-year: 8 layer-years at zoom 2 (16 tiles each) + zoom 3 (64 each) of the two
#: 2022 layers = 256 URLs.
CACHED_GROUPS = [
    [f"/tiles/{layer}/2/{x}/{y}.png?year={year}" for x in range(4) for y in range(4)]
    + ([f"/tiles/{layer}/3/{x}/{y}.png?year=2022" for x in range(8) for y in range(8)] if year == 2022 else [])
    for year in (2019, 2020, 2021, 2022) for layer in ("emissions", "net_flux")
]
CACHED_URLS = [u for g in CACHED_GROUPS for u in g]
#: tiles_cold: (layer, year) combinations; every tile of zooms 3-6 of each (5440 per combination).
#: Each set fits in a worker's layer LRU (``Grids.big``, 20 items: the grid context, the ocean pattern, raw layers
#: and tile pyramids; net_flux of a year pulls in emissions, luc, land and ocean of that year): 10 and 11 items.
COLD_WARM_LAYERS = [("emissions", 2021), ("emissions", 2022), ("land_sink", 2022), ("ocean_sink", 2022)]
COLD_COLD_LAYERS = [("emissions", 2016), ("net_flux", 2016), ("land_sink", 2016), ("ocean_sink", 2016)]
COLD_ZOOMS = (3, 4, 5, 6)
LEDGER_YEARS = (2010, 2015, 2020, 2022)
LEDGER_GWPS = ("AR4", "AR5", "AR6", "AR6-GWP20")

LUA_DONE = r"""
local threads = {}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local sent, wrapped = 0, false
  for _, t in ipairs(threads) do
    sent = sent + (t:get("counter") or 0)
    if t:get("wrapped") then wrapped = true end
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "requests_per_s": %.1f, "p50_ms": %.2f, "p90_ms": %.2f, ' ..
    '"p99_ms": %.2f, "max_ms": %.2f, "bytes": %d, "requests_sent": %d, "wrapped": %s, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}}\n',
    summary.requests, secs, summary.requests / secs, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, summary.bytes, sent, tostring(wrapped),
    e.connect, e.read, e.write, e.timeout, e.status))
end
"""

LUA_ROTATE = r"""
local paths = {%(paths)s}
counter = 0
wrapped = false
function request()
  -- each thread starts at a different offset and walks the whole list
  local i = (counter + id * 37) %% #paths
  counter = counter + 1
  return wrk.format(nil, paths[i + 1])
end
"""

LUA_COLD = r"""
local combos = {%(combos)s}
local zooms = {%(zooms)s}
local nthreads = %(nthreads)d
local per_combo = 0
for _, z in ipairs(zooms) do per_combo = per_combo + 4 ^ z end
local total = per_combo * #combos
counter = 0
wrapped = false
function request()
  -- thread id takes indices id, id + nthreads, id + 2 nthreads, ...: disjoint across threads, never repeated
  local g = counter * nthreads + id
  counter = counter + 1
  if g >= total then wrapped = true; g = g %% total end
  local c = combos[(g %% #combos) + 1]
  local t = math.floor(g / #combos)
  for _, z in ipairs(zooms) do
    local n = 2 ^ z
    if t < n * n then
      return wrk.format(nil, string.format("/tiles/%%s/%%d/%%d/%%d.png?year=%%d", c[1], z, t %% n, math.floor(t / n), c[2]))
    end
    t = t - n * n
  end
end
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _emit(obj: dict) -> None:
    print(json.dumps(obj), flush=True)


def _tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def _get(url: str, timeout: float = 120) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Server:
    """gunicorn in its own process group, with an access log of (worker pid, status, seconds, URL)."""

    def __init__(self, tmp: Path, worker_class: str = "gthread", threads: int = 4):
        self.worker_class, self.threads = worker_class, threads if worker_class == "gthread" else 1
        self.port = _port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.access_log = tmp / "access.log"
        self.stderr_path = tmp / "gunicorn.stderr"
        self.env = dict(os.environ, HOLOCARBON_CACHE_DIR=str(tmp / "cache"))
        self.backend = "redis" if self.env.get("HOLOCARBON_REDIS_URL") else "filesystem"
        self.proc: subprocess.Popen | None = None
        self._log_pos = 0

    def start(self) -> float:
        cmd = [GUNICORN, "-w", str(WORKERS), "-k", self.worker_class, "--threads", str(self.threads),
               "-b", f"127.0.0.1:{self.port}", "--timeout", "300", "--graceful-timeout", "10",
               "--access-logfile", str(self.access_log),
               "--access-logformat", "%(p)s %(s)s %(L)s %(U)s?%(q)s", "--no-control-socket", "app:server"]
        t0 = time.perf_counter()
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=err,
                                         start_new_session=True)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {self.proc.returncode} before /health answered; "
                                   f"stderr tail:\n{_tail(self.stderr_path)}")
            if time.perf_counter() - t0 > HEALTH_DEADLINE_S:
                raise RuntimeError(f"/health did not answer 200 within {HEALTH_DEADLINE_S} s; gunicorn stderr "
                                   f"tail:\n{_tail(self.stderr_path)}")
            try:
                status, body = _get(self.base + "/health", timeout=5)
                if status == 200:
                    if json.loads(body).get("pack") is None:
                        raise RuntimeError(f"the app has no processed pack ({body.decode()[:300]}); run `make pack`")
                    return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        try:
            return sorted(c.pid for c in psutil.Process(self.proc.pid).children())
        except psutil.Error:
            return []

    def rss_mib(self) -> float:
        try:
            master = psutil.Process(self.proc.pid)
            procs = [master, *master.children(recursive=True)]
        except psutil.Error:
            return float("nan")
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return round(total / 2**20, 1)

    def new_log_lines(self) -> list[tuple[int, int, float, str]]:
        """Access-log entries written since the previous call: (pid, status, seconds, path?query)."""
        with open(self.access_log, "rb") as f:
            f.seek(self._log_pos)
            data = f.read()
        end = data.rfind(b"\n") + 1  # a partly written last line waits for the next call
        self._log_pos += end
        out = []
        for line in data[:end].decode(errors="replace").splitlines():
            parts = line.split(" ", 3)
            if len(parts) != 4:
                continue
            pid, status, secs, url = parts
            try:
                out.append((int(pid.strip("<>")), int(status), float(secs), url.rstrip("?")))
            except ValueError:
                continue
        return out

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        except ProcessLookupError:
            pass


def _warm_every_worker(server: Server, groups: list[list[str]], deadline_s: float = WARM_DEADLINE_S) -> dict:
    """Request the URLs (new connection each) until the access log shows every worker served each with a 200.

    One group (the tiles of one layer-year) at a time, so each worker computes each layer once instead of
    cycling through more layers than its layer LRU holds.
    """
    t0 = time.perf_counter()
    urls = [u for g in groups for u in g]
    server.new_log_lines()  # skip what came before
    pids = set(server.worker_pids())
    served: dict[str, set[int]] = collections.defaultdict(set)
    failures: list[tuple[int, str]] = []
    requests = rounds = 0

    def fetch(url: str) -> None:
        status, _ = _get(server.base + url)
        if status != 200:
            failures.append((status, url))

    with ThreadPoolExecutor(8) as pool:
        for group in groups:
            while True:
                missing = [u for u in group if not pids <= served[u]]
                if not missing or failures or time.perf_counter() - t0 > deadline_s:
                    break
                # a few copies per missing worker: an idle worker tends to win every accept of a small batch
                batch = [u for u in missing for _ in range(2 * len(pids - served[u]) + 2)]
                list(pool.map(fetch, batch))
                requests += len(batch)
                rounds += 1
                time.sleep(0.2)  # let the workers flush their access-log lines
                for pid, status, _, url in server.new_log_lines():
                    if status == 200:
                        served[url].add(pid)
                pids = set(server.worker_pids()) or pids
    pairs = sum(len(pids & served[u]) for u in urls)
    return {"warm_requests": requests, "warm_rounds": rounds, "warm_seconds": round(time.perf_counter() - t0, 1),
            "warm_coverage": round(pairs / (len(urls) * len(pids)), 3) if pids and urls else None,
            "warm_failures": [f"{s} {u}" for s, u in failures[:5]]}


def _run_wrk(server: Server, lua: str, tmp: Path, name: str) -> dict:
    script = tmp / f"{name}.lua"
    script.write_text(lua + LUA_DONE)
    cmd = [WRK, "-t", str(WRK_THREADS), "-c", str(CLIENTS), "-d", f"{DURATION_S}s", "--latency", "--timeout", "10s",
           "-s", str(script), server.base + "/"]
    server.new_log_lines()
    r = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=DURATION_S + 60)
    figures = None
    for line in r.stdout.splitlines():
        if line.startswith("{"):
            figures = json.loads(line)
    if r.returncode != 0 or figures is None:
        raise RuntimeError(f"wrk failed (status {r.returncode}): {r.stderr.strip()[-1000:] or r.stdout[-1000:]}")
    time.sleep(0.5)
    log = server.new_log_lines()
    bad = [(s, u) for _, s, _, u in log if s >= 500]
    figures["http_5xx"] = len(bad)
    figures["http_5xx_urls"] = sorted({u for _, u in bad})[:5]
    figures["server_workers_seen"] = len({pid for pid, *_ in log})
    figures["server_max_request_s"] = round(max((secs for _, _, secs, _ in log), default=0.0), 3)
    figures["server_requests_over_1s"] = sum(secs > 1 for _, _, secs, _ in log)
    figures["error_count"] = sum(figures["errors"].values())
    return figures


def _line(server: Server, scenario: str, figures: dict, **extra) -> dict:
    out = {"bench": "load", "scenario": scenario, "clients": CLIENTS, "workers": WORKERS,
           "worker_class": server.worker_class, "threads": server.threads, "cache_backend": server.backend,
           **extra, **figures, "rss_mib": server.rss_mib()}
    out["ok"] = out["error_count"] == 0 and out["http_5xx"] == 0 and not out.get("wrapped")
    return out


def _lua_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scenario_cached(server: Server, tmp: Path) -> dict:
    warm = _warm_every_worker(server, CACHED_GROUPS)
    lua = LUA_ROTATE % {"paths": ",".join(_lua_str(u) for u in CACHED_URLS)}
    return _line(server, "tiles_cached", _run_wrk(server, lua, tmp, "cached"), urls=len(CACHED_URLS), **warm)


def scenario_cold(server: Server, tmp: Path, combos, layers_warm: bool, name: str) -> dict:
    warm = {}
    if layers_warm:  # one zoom-0 tile per layer-year in every worker: layers and pyramids computed, not the tiles
        warm = _warm_every_worker(server, [[f"/tiles/{layer}/0/0/0.png?year={year}"] for layer, year in combos])
    lua = LUA_COLD % {"combos": ",".join(f"{{{_lua_str(layer)}, {year}}}" for layer, year in combos),
                      "zooms": ",".join(map(str, COLD_ZOOMS)), "nthreads": WRK_THREADS}
    figures = _run_wrk(server, lua, tmp, name)
    return _line(server, name, figures, layers_warm=layers_warm,
                 layer_years=[f"{layer}/{year}" for layer, year in combos], zooms=list(COLD_ZOOMS),
                 distinct_urls_available=len(combos) * sum(4 ** z for z in COLD_ZOOMS), **warm)


def scenario_ledger(server: Server, tmp: Path) -> dict:
    urls = [f"/api/v1/ledger?year={y}&gwp={g}" for y in LEDGER_YEARS for g in LEDGER_GWPS]
    status, body = _get(server.base + urls[-1])
    if status == 404:
        return {"bench": "load", "scenario": "ledger", "skipped": "endpoint not available", "ok": True}
    if status != 200:
        return {"bench": "load", "scenario": "ledger", "skipped": f"endpoint answered {status}",
                "detail": body.decode(errors="replace")[:300], "ok": False}
    t0 = time.perf_counter()
    failures = []
    for u in urls:  # once each: the results land in the shared cache
        s, _ = _get(server.base + u)
        if s != 200:
            failures.append(f"{s} {u}")
    warm = {"warm_seconds": round(time.perf_counter() - t0, 1), "warm_failures": failures[:5]}
    lua = LUA_ROTATE % {"paths": ",".join(_lua_str(u) for u in urls)}
    line = _line(server, "ledger", _run_wrk(server, lua, tmp, "ledger"), urls=len(urls), **warm)
    line["ok"] = line["ok"] and not failures
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker-class", choices=("gthread", "sync"), default="gthread",
                        help="gunicorn worker class (default gthread)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    args = parser.parse_args(argv)
    if not (os.path.isfile(WRK) and os.access(WRK, os.X_OK)):
        _emit({"bench": "load", "error": f"wrk not found at {WRK}: run `make wrk` (or `sudo apt-get install wrk`)",
               "ok": False})
        return 1
    if not os.access(GUNICORN, os.X_OK):
        _emit({"bench": "load", "error": f"gunicorn not found at {GUNICORN}: run `make setup`", "ok": False})
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="holocarbon-load-"))
    server = Server(tmp, args.worker_class, args.threads)
    lines: list[dict] = []
    t_all = time.perf_counter()
    try:
        t_start = server.start()
        _emit({"bench": "load", "event": "server_ready", "seconds_to_health": round(t_start, 2),
               "cache_backend": server.backend, "workers": WORKERS, "worker_class": server.worker_class,
               "threads": server.threads, "rss_mib": server.rss_mib()})
        for run in (lambda: scenario_cached(server, tmp),
                    lambda: scenario_cold(server, tmp, COLD_WARM_LAYERS, True, "tiles_cold"),
                    lambda: scenario_cold(server, tmp, COLD_COLD_LAYERS, False, "tiles_cold_layers_cold"),
                    lambda: scenario_ledger(server, tmp)):
            line = run()
            lines.append(line)
            _emit(line)
        dead = server.proc.poll() is not None
        stderr_errors = [ln for ln in _tail(server.stderr_path, 2000).splitlines()
                         if "Traceback" in ln or " ERROR " in ln or "[CRITICAL]" in ln or "WORKER TIMEOUT" in ln]
        ran = [ln for ln in lines if "skipped" not in ln]
        summary = {
            "scenarios": {ln["scenario"]: ("skipped" if "skipped" in ln else
                                           {"requests_per_s": ln["requests_per_s"], "p99_ms": ln["p99_ms"],
                                            "errors": ln["error_count"], "http_5xx": ln["http_5xx"]})
                          for ln in lines},
            "total_errors": sum(ln["error_count"] for ln in ran),
            "total_5xx": sum(ln["http_5xx"] for ln in ran),
            "server_stderr_errors": len(stderr_errors),
            "server_stderr_sample": stderr_errors[:5],
            "rss_mib": server.rss_mib(),
            "seconds": round(time.perf_counter() - t_all, 1),
        }
        ok = all(ln["ok"] for ln in lines) and not dead
        _emit({"bench": "load", "summary": summary, "cache_backend": server.backend, "clients": CLIENTS,
               "workers": WORKERS, "worker_class": server.worker_class, "threads": server.threads, "ok": ok})
        if not ok:
            tail = _tail(server.stderr_path, 30)
            print(f"gunicorn stderr tail:\n{tail}", file=sys.stderr)
        return 0 if ok else 1
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        _emit({"bench": "load", "error": str(exc), "ok": False})
        return 1
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
