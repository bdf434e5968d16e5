"""Shared fixtures.

``settings`` points at the data directory from the environment (``HOLOCARBON_DATA``, default the per-user
cache) and fills it from the local mirror (``../shared/data``) once per session, so reader and pack tests run on
the real public files. ``empty_settings`` is an empty temporary data directory with no mirror, for error paths.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.core.config import Settings

OUT_DIR = Path(os.environ.get("HOLOCARBON_TEST_OUT", Path(__file__).resolve().parent.parent / "test-output"))
# Apps created inside the test process skip the background warm-up: tests read NetCDF files themselves, outside
# the engine's NetCDF lock (HDF5 is not thread-safe). The browser tests' server subprocess warms up as in production.
os.environ["HOLOCARBON_WARM"] = "0"


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
    """One :class:`~engine.accounts.ledger.Accounts` over the real pack for the whole session (memory cache only, large
    enough to keep the 29 year bundles and the property tests' ledgers without eviction)."""
    from engine.accounts.ledger import Accounts
    from engine.core.cache import TieredCache
    from engine.data.pack import ensure_pack

    return Accounts(ensure_pack(settings, show_progress=False), cache=TieredCache(memory_items=4096))


@pytest.fixture(scope="session")
def pack(accounts):
    """The real processed pack (:class:`engine.data.pack.Pack`)."""
    return accounts.pack
