"""A live Holocarbon server and Debian's chromium driven by Playwright (no browser download).

The server runs as a subprocess (``python app.py``) on a free loopback port with the test data directory. Every
page records console errors and every request whose host is not the app's, so a test can assert that nothing
leaves the machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("HOLOCARBON_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-default-apps", "--disable-extensions",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(settings, out_dir):
    """Start ``python app.py`` on a free port; yield its base URL; stop it at the end."""
    port = _free_port()
    env = dict(os.environ, HOLOCARBON_DATA=str(settings.data_dir), HOLOCARBON_PORT=str(port),
               HOLOCARBON_HOST="127.0.0.1", HOLOCARBON_WARM="1")
    log = open(out_dir / "server.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300  # first start may build the pack
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"app exited with {proc.returncode}; see {out_dir / 'server.log'}")
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("app did not answer /health within 300 s")
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian chromium not found at {CHROMIUM}: `apt-get install chromium` (make test does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class PageWatch:
    """What a page did: console errors, failed requests, and requests to hosts other than the app."""

    base: str
    console_errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture()
def page(browser, live_server):
    """A fresh browser page whose console errors and off-host requests are recorded in ``page.watch``."""
    context = browser.new_context(viewport={"width": 1360, "height": 900}, device_scale_factor=1)
    pg = context.new_page()
    watch = PageWatch(live_server)
    app_netloc = urlparse(live_server).netloc

    def on_request(req):
        u = urlparse(req.url)
        if u.scheme in ("http", "https", "ws", "wss") and u.netloc != app_netloc:
            watch.external.append(req.url)

    pg.on("request", on_request)
    pg.on("console", lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))
    pg.on("requestfailed", lambda req: watch.failed.append(f"{req.url} {req.failure}"))
    pg.watch = watch
    yield pg
    context.close()
