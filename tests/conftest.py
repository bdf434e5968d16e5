"""Shared fixtures of every kind of test (one place).

Test kinds, one folder each:

- ``unit/`` — the engine and the renderers on a small synthetic pack (:mod:`tests.support.synthetic`): no source
  file, seconds;
- ``integration/`` — the real public files (readers with published values, the pack, the ledger, the REST API,
  exports, golden answers, concurrency);
- ``browser/`` — real pages in Debian chromium (Playwright), against a live server;
- ``faults/`` — missing and corrupt sources, interrupted builds, unwritable caches;
- ``security/`` — path traversal, headers, limits, debug mode, dangerous calls.

Real-data fixtures: ``settings`` points at the data directory from the environment (``HOLOCARBON_DATA``, default the
per-user cache) and fills it from the local mirror (``../shared/data``) once per session; ``accounts`` and ``pack``
are the real processed pack. ``empty_settings`` is an empty temporary data directory with no mirror, for error paths.
Synthetic fixtures: ``synthetic_pack``, ``synthetic_accounts``, ``synthetic_grids``.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from engine.core.config import Settings
from tests.support.live import live_goto
from tests.support.servers import server

OUT_DIR = Path(os.environ.get("HOLOCARBON_TEST_OUT", Path(__file__).resolve().parent.parent / "test-output"))
# Apps created inside the test process skip the background warm-up: tests read NetCDF files themselves, outside
# the engine's NetCDF lock (HDF5 is not thread-safe). The browser tests' server subprocess warms up as in production.
os.environ["HOLOCARBON_WARM"] = "0"


# ---- real data ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def settings() -> Settings:
    from engine.data.fetch import fetch_all

    s = Settings.from_env()
    reports = fetch_all(s, show_progress=False)
    bad = [r for r in reports if r.status != "ok"]
    if bad:
        pytest.fail("source files not available: " + "; ".join(r.detail for r in bad[:3]))
    return s


@pytest.fixture()
def empty_settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", mirror_dir=None, offline=True, cache_dir=None)


@pytest.fixture(scope="session")
def out_dir() -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUT_DIR


@pytest.fixture(scope="session")
def accounts(settings):
    """One :class:`~engine.accounts.ledger.Accounts` over the real pack for the whole session (memory cache only,
    large enough to keep the 29 year bundles and the property tests' ledgers without eviction)."""
    from engine.accounts.ledger import Accounts
    from engine.core.cache import TieredCache
    from engine.data.pack import ensure_pack

    return Accounts(ensure_pack(settings, show_progress=False), cache=TieredCache(memory_items=4096))


@pytest.fixture(scope="session")
def pack(accounts):
    """The real processed pack (:class:`engine.data.pack.Pack`)."""
    return accounts.pack


@pytest.fixture(scope="module")
def app(settings):
    """The Dash app over the real pack, served in-process with a memory-only cache."""
    from app import create_app

    return create_app(dataclasses.replace(settings, cache_dir=None))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


# ---- synthetic --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def synthetic_pack():
    """The small synthetic pack (4 countries, a 3-region input–output table; see tests/support/synthetic.py)."""
    from tests.support import synthetic

    return synthetic.pack()


@pytest.fixture(scope="session")
def synthetic_accounts(synthetic_pack):
    from engine.accounts.ledger import Accounts

    return Accounts(synthetic_pack)


@pytest.fixture(scope="session")
def synthetic_grids(synthetic_accounts):
    from engine.maps.grids import Grids

    return Grids(synthetic_accounts)


# ---- browser (a live server and Debian's chromium driven by Playwright; no browser download) -----------------
CHROMIUM = os.environ.get("HOLOCARBON_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-default-apps", "--disable-extensions",
]


@pytest.fixture(scope="session")
def live_server(settings, out_dir):
    """``python app.py`` on a free port with the test data directory (warm-up on, as in production); its base URL."""
    try:
        with server("dev", settings.data_dir, out_dir / "server.log", env={"HOLOCARBON_WARM": "1"}) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(f"the app did not start: {exc}")


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
    pg = live_goto(context.new_page())
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
