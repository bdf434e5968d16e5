"""Unit tests run on synthetic data only: the real-data fixtures are refused here, and the environment points the
engine at an empty data directory without a mirror, so a unit test can never read a source file by accident."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_source_files(tmp_path, monkeypatch):
    monkeypatch.setenv("HOLOCARBON_DATA", str(tmp_path / "no-data"))
    monkeypatch.setenv("HOLOCARBON_MIRROR", "none")
    monkeypatch.setenv("HOLOCARBON_OFFLINE", "1")


def _refused(name):
    @pytest.fixture(scope="session")
    def fixture():
        pytest.fail(f"unit tests use the synthetic pack, not the real-data fixture {name!r} (see tests/conftest.py)")
    return fixture


settings = _refused("settings")
accounts = _refused("accounts")
pack = _refused("pack")
app = _refused("app")
client = _refused("client")
