"""Real server processes for tests: ``python app.py`` (Werkzeug's threaded dev server) and ``gunicorn app:server``
(several gthread workers), each on a free loopback port with the test data directory, started and stopped by a
context manager that fails the test with the server's log when it does not come up."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(base: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server did not answer /health within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def server(kind: str, data_dir: Path, log: Path, workers: int = 3, env: dict | None = None, timeout: float = 300):
    """Yield the base URL of a running server.

    Parameters
    ----------
    kind : str
        ``dev`` (``python app.py``, threaded) or ``gunicorn`` (``gunicorn app:server`` with ``workers`` workers).
    data_dir : Path
        ``HOLOCARBON_DATA``; the pack must be built (the first start builds it otherwise).
    """
    port = free_port()
    full_env = dict(os.environ, HOLOCARBON_DATA=str(data_dir), HOLOCARBON_PORT=str(port),
                    HOLOCARBON_HOST="127.0.0.1", HOLOCARBON_WORKERS=str(workers), **(env or {}))
    if kind == "dev":
        cmd = [sys.executable, str(ROOT / "app.py")]
    elif kind == "gunicorn":
        cmd = [str(Path(sys.executable).with_name("gunicorn")), "app:server"]
    else:
        raise ValueError(f"kind must be dev or gunicorn; got {kind!r}")
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=fh, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, proc, log, timeout)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def fetch(base: str, path: str, body: bytes | None = None, retries: int = 60, timeout: float = 240) -> tuple[int, bytes]:
    """(status, body) of a GET (or a JSON POST when ``body`` is given), retrying while the server answers
    ``503 busy`` (its heavy-answer limit), as a client following ``Retry-After`` would."""
    for _ in range(retries):
        req = urllib.request.Request(base + path, data=body, method="POST" if body is not None else "GET",
                                     headers={"Content-Type": "application/json"} if body is not None else {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as exc:
            data = exc.read()
            if exc.code == 503 and b'"busy"' in data:
                time.sleep(0.5)
                continue
            return exc.code, data
    raise RuntimeError(f"{path}: still busy after {retries} tries")


def netcdf_from_bytes(body: bytes):
    """An ``xarray.Dataset`` (loaded into memory) of NetCDF file bytes, as answered by the API and the exports."""
    import tempfile

    import xarray as xr

    with tempfile.NamedTemporaryFile(suffix=".nc") as f:
        f.write(body)
        f.flush()
        with xr.open_dataset(f.name, engine="netcdf4") as ds:
            return ds.load()
