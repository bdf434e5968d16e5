"""The Flask/Dash app without a browser: status codes, headers, the shared cache backend, the API basics."""

from __future__ import annotations

import pytest

from app import create_app
from engine.config import Settings
from engine.query import Query


@pytest.fixture(scope="module")
def client(settings):
    app = create_app(settings)
    return app.server.test_client()


def test_known_pages_200_unknown_404(client):
    assert client.get("/").status_code == 200
    assert client.get("/data").status_code == 200
    r = client.get("/no/such/page")
    assert r.status_code == 404 and b"<div id=\"react-entry-point\"" in r.data  # the shell renders the 404 page


def test_security_headers(client):
    r = client.get("/")
    assert "frame-ancestors 'self'" in r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_topojson_served_locally_and_whitelisted(client):
    r = client.get("/topojson/world_110m.json")
    assert r.status_code == 200 and r.json["type"] == "Topology"
    assert client.get("/topojson/..%2f..%2fetc%2fpasswd").status_code == 404
    assert client.get("/topojson/world_10m.json").status_code == 404


def test_health_names_the_pack(client):
    body = client.get("/health").json
    assert body["status"] == "ok" and len(body["pack"]) == 16


def test_engine_uses_the_shared_backend(settings, tmp_path):
    """The Accounts engine stores year bundles in flask-caching's backend (FileSystemCache), so workers share."""
    s = Settings(data_dir=settings.data_dir, mirror_dir=None, offline=True, cache_dir=tmp_path / "cache")
    app = create_app(s)
    acc = app.server.config["HOLOCARBON_ACCOUNTS"]
    acc.flows(Query(year=2003))  # bilateral flows need the year's MRIO bundle
    assert any((tmp_path / "cache").iterdir())
    assert acc.cache.shared.get(acc._key("bundle", 2003)) is not None


def test_unwritable_cache_dir_falls_back_to_memory(settings, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    s = Settings(data_dir=settings.data_dir, mirror_dir=None, offline=True, cache_dir=blocker / "cache")
    app = create_app(s)
    assert "serving with an in-memory cache only" in caplog.text
    assert app.server.test_client().get("/").status_code == 200
