"""Runtime-only smoke check (issue 11), run by ``.ci/run`` with the interpreter of an environment built from
requirements.txt alone: the app starts from it and answers 200 on every page route, one API answer, one map tile
and one chart export. Uses the standard library only (plus the app itself, to list its page routes).

Exit status 0 when every check passes, 1 otherwise (each failure printed with the server log's tail).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: Example values for page routes with a path parameter.
EXAMPLES = {"code": "DEU"}
SECTOR_EXAMPLE = "power-industry"
OTHER_CHECKS = (
    "/api/v1/ledger?year=2011&regions=CHN,USA",
    "/tiles/emissions/2/2/1.png?year=2020",
    "/export/country-series.png?code=DEU",
)


def page_paths() -> list[str]:
    """Every registered page route (from the app's own page registry), path parameters filled with examples."""
    os.environ["HOLOCARBON_WARM"] = "0"
    import dash

    from app import create_app

    create_app(build_pack=False)
    paths = []
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        if "<" in template:
            example = SECTOR_EXAMPLE if template.startswith("/sector") else EXAMPLES["code"]
            template = template.split("<")[0] + example
        paths.append(template)
    return sorted(set(paths) - {"/404"})


def main() -> int:
    paths = page_paths() + list(OTHER_CHECKS)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = ROOT / "test-output" / "smoke-server.log"
    log.parent.mkdir(exist_ok=True)
    env = dict(os.environ, HOLOCARBON_PORT=str(port), HOLOCARBON_HOST="127.0.0.1")
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=fh,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    failures = []
    try:
        deadline = time.time() + 300
        while True:
            if proc.poll() is not None:
                print(f"smoke: the app exited with {proc.returncode}\n{log.read_text()[-4000:]}")
                return 1
            try:
                urllib.request.urlopen(base + "/health", timeout=2).close()
                break
            except OSError:
                if time.time() > deadline:
                    print(f"smoke: no answer on /health within 300 s\n{log.read_text()[-4000:]}")
                    return 1
                time.sleep(0.5)
        for path in paths:
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=180) as r:
                    status, size = r.status, len(r.read())
            except urllib.error.HTTPError as exc:
                status, size = exc.code, len(exc.read())
            ms = (time.perf_counter() - t0) * 1000
            print(f"smoke: {status} {path} ({size} bytes, {ms:.0f} ms)")
            if status != 200:
                failures.append(f"{status} {path}")
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    if failures:
        print("smoke: FAILED: " + "; ".join(failures) + f"\n{log.read_text()[-4000:]}")
        return 1
    print(f"smoke: all {len(paths)} answers 200 from an environment built from requirements.txt alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
