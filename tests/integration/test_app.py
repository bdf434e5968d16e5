"""The Flask/Dash app without a browser: status codes, headers, the shared cache backend, the API basics."""

from __future__ import annotations

import pytest

from app import create_app
from engine.core.config import Settings
from engine.core.query import Query


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


@pytest.mark.slow
def test_gunicorn_config_serves_on_loopback_with_several_workers(settings, tmp_path):
    """``gunicorn app:server`` in the project folder reads gunicorn.conf.py: 127.0.0.1, threaded workers sharing
    the disk cache, and the app answers pages and the API."""
    import json
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, HOLOCARBON_DATA=str(settings.data_dir), HOLOCARBON_PORT=str(port),
               HOLOCARBON_WORKERS="2", HOLOCARBON_CACHE_DIR=str(tmp_path / "cache"), HOLOCARBON_WARM="0")
    env.pop("HOLOCARBON_HOST", None)
    proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "app:server"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, body = time.monotonic() + 120, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/ledger?year=2011&regions=FRA",
                                            timeout=30) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.5)
        assert body is not None, proc.stdout.read().decode()[-2000:] if proc.poll() is not None else "no answer"
        assert body["data"][0]["region"] == "FRA"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=30) as r:
            assert r.status == 200
        import psutil

        assert len(psutil.Process(proc.pid).children()) == 2  # HOLOCARBON_WORKERS

        listening = {c.laddr.ip for c in psutil.net_connections(kind="tcp")
                     if c.status == psutil.CONN_LISTEN and c.laddr.port == port}
        assert listening == {"127.0.0.1"}
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
