"""Security: no path traversal through the tile, export, download or static routes; debug off and 127.0.0.1 by
default; security headers that Dash can live with (CSP with frame-ancestors, nosniff); no pickle or eval of what a
user sends; request size limits.

Runs against the real app (the session's data directory and pack) through Flask's test client.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import pickle
import re
import textwrap
from pathlib import Path

import dash
import pytest

import app as app_module
from app import create_app
from engine.core.config import PROJECT_ROOT, REGISTRY_PATH

MB2 = b"x" * (2 << 20)


@pytest.fixture(scope="module")
def the_app(settings):
    return create_app(settings)


@pytest.fixture(scope="module")
def client(the_app):
    return the_app.server.test_client()


# ------------------------------------------------------------------------------------------------------------------
# path traversal
# ------------------------------------------------------------------------------------------------------------------

#: Content that must never come back: /etc/passwd, the project's code and its registry, as markers and as bytes.
LEAK_MARKERS = (b"root:x:0:0", b"def create_app", b"[[cdiac_ndp058.files]]", b"from __future__ import annotations",
                b"sha256 = \"", (PROJECT_ROOT / "app.py").read_bytes()[:120], REGISTRY_PATH.read_bytes()[:120])

TRAVERSALS = [
    # tiles
    "/tiles/../../etc/passwd",
    "/tiles/emissions/1/0/..%2f..%2f..%2fetc%2fpasswd",
    "/tiles/emissions/1/0/%2e%2e%2f%2e%2e%2fapp.py",
    "/tiles/..%2f..%2fapp.py/1/0/0.png",
    "/tiles/..\\..\\app.py",
    "/tiles/emissions/1/0/0.png?year=../../etc/passwd",
    "/tiles/emissions/1/0/0.png?sector=..%2f..%2fapp.py",
    # topojson (a whitelist of two files)
    "/topojson/..%2f..%2fdata%2fsources.toml",
    "/topojson/%2e%2e%2fapp.py",
    "/topojson/..%252f..%252fapp.py",
    "/topojson/....//....//app.py",
    "/topojson/%c0%ae%c0%ae%2fapp.py",
    "/topojson/..%5c..%5capp.py",
    "/topojson/world_110m.json%00../../app.py",
    # static assets (Dash's /assets, Flask's /static) and Dash's component suites
    "/assets/../app.py",
    "/assets/..%2fapp.py",
    "/assets/%2e%2e/app.py",
    "/assets/%2e%2e%2fapp.py",
    "/assets/%252e%252e%252fapp.py",
    "/assets/..%5capp.py",
    "/assets/..\\app.py",
    "/assets//etc/passwd",
    "/assets/%2fetc%2fpasswd",
    "/static/../app.py",
    "/static/..%2fapp.py",
    "/static/app.py",
    "/_dash-component-suites/../../app.py",
    "/_dash-component-suites/..%2f..%2fapp.py",
    "/_dash-component-suites/dash/..%2f..%2f..%2fapp.py",
    "/_dash-component-suites/dash/../../../../etc/passwd",
    "/_dash-component-suites/dash/deps/..%2f..%2f..%2f..%2f..%2fapp.py",
    "/_dash-component-suites/dash/%2fetc%2fpasswd",
    # exports and downloads
    "/export/..%2f..%2fapp.py.csv",
    "/export/%2e%2e%2fapp.py.csv",
    "/export/map.nc?layer=../../etc/passwd",
    "/export/map.nc?layer=..%2f..%2fetc%2fpasswd",
    "/export/map.tif?layer=emissions&bbox=../../etc/passwd",
    "/export/country-series.csv?code=../../etc/passwd",
    "/export/country-series.csv?code=..%2f..%2fapp.py&year=2010",
    "/briefing/..%2f..%2fapp.py",
    "/briefing/export.%2e%2e%2fapp.py",
    "/geo/..%2f..%2fapp.py",
    # the REST API
    "/api/v1/../../app.py",
    "/api/v1/..%2f..%2fapp.py",
    "/api/v1/sectors/..%2f..%2fapp.py",
    "/api/v1/grid.nc?layer=../../etc/passwd",
    "/api/v1/ledger?format=../../app.py",
    "/api/v1/sources?source=../../data/sources.toml",
    # anywhere else
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%252f..%252fetc%252fpasswd",
    "//etc/passwd",
    "/..;/app.py",
    "/country/..%2f..%2fetc%2fpasswd",
    "/sector/..%2f..%2fapp.py",
]



@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_never_returns_a_file(client, path):
    for method in (client.get, client.head):
        r = method(path)
        body = r.get_data()
        for marker in LEAK_MARKERS:
            assert marker not in body, (path, r.status_code, marker)
        assert r.headers.get("Content-Disposition", "").find("passwd") == -1
        assert "app.py" not in r.headers.get("Content-Disposition", "")


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_is_refused_with_a_4xx(client, path):
    """Not 200 (a path that falls through to the Dash shell answers the friendly 404 page) and never a 500."""
    r = client.get(path)
    assert 400 <= r.status_code < 500, (path, r.status_code, r.get_data()[:200])


@pytest.mark.parametrize("path", ["/tiles/emissions/1/0/0.png?year=../../etc/passwd", "/topojson/..%5c..%5capp.py",
                                  "/export/map.nc?layer=../../etc/passwd",
                                  "/export/country-series.csv?code=../../etc/passwd", "/api/v1/..%2f..%2fapp.py",
                                  "/api/v1/sectors/..%2f..%2fapp.py", "/api/v1/grid.nc?layer=../../etc/passwd"])
def test_machine_routes_refuse_traversal_as_json(client, path):
    """A traversal that reaches an API, tile or export route is a JSON 4xx."""
    r = client.get(path)
    assert 400 <= r.status_code < 500 and r.mimetype == "application/json", (r.status_code, r.mimetype)
    assert set(r.get_json()) >= {"error", "detail"}


def test_legitimate_static_files_still_served(client):
    """The refusals above are not because static serving is broken."""
    assert client.get("/assets/style.css").status_code == 200
    r = client.get("/topojson/world_110m.json")
    assert r.status_code == 200 and r.get_json()["type"] == "Topology"


# ------------------------------------------------------------------------------------------------------------------
# debug off, 127.0.0.1 unless configured
# ------------------------------------------------------------------------------------------------------------------

def test_app_is_not_in_debug_mode(the_app):
    assert the_app.server.debug is False
    assert not the_app.server.config.get("PROPAGATE_EXCEPTIONS")
    assert not the_app.server.testing


@pytest.fixture()
def run_calls(the_app, monkeypatch):
    """``app.main`` with the real app factory's result and ``dash.Dash.run`` recording instead of serving."""
    calls = []

    def fake_run(self, *args, **kwargs):
        calls.append(kwargs | {"args": args})

    monkeypatch.setattr(dash.Dash, "run", fake_run)
    monkeypatch.setattr(app_module, "create_app", lambda *a, **k: the_app)
    for var in ("HOLOCARBON_HOST", "HOLOCARBON_PORT", "HOLOCARBON_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    return calls


def test_main_binds_localhost_without_debug_by_default(run_calls):
    app_module.main([])
    assert len(run_calls) == 1
    assert run_calls[0]["host"] == "127.0.0.1" and run_calls[0]["debug"] is False
    assert run_calls[0]["port"] == 8050


def test_main_uses_the_configured_host(run_calls, monkeypatch):
    monkeypatch.setenv("HOLOCARBON_HOST", "0.0.0.0")
    monkeypatch.setenv("HOLOCARBON_PORT", "9000")
    app_module.main([])
    assert (run_calls[-1]["host"], run_calls[-1]["port"], run_calls[-1]["debug"]) == ("0.0.0.0", 9000, False)
    app_module.main(["--host", "10.1.2.3"])
    assert run_calls[-1]["host"] == "10.1.2.3"


def test_debug_only_when_asked(run_calls, monkeypatch):
    monkeypatch.setenv("DASH_DEBUG", "true")  # Dash's own variable: main passes debug explicitly, so it is ignored
    app_module.main([])
    assert run_calls[-1]["debug"] is False
    monkeypatch.setenv("HOLOCARBON_DEBUG", "1")
    app_module.main([])
    assert run_calls[-1]["debug"] is True
    monkeypatch.delenv("HOLOCARBON_DEBUG")
    app_module.main(["--debug"])
    assert run_calls[-1]["debug"] is True


# ------------------------------------------------------------------------------------------------------------------
# security headers, compatible with Dash
# ------------------------------------------------------------------------------------------------------------------

def _csp(r) -> dict[str, list[str]]:
    out = {}
    for part in r.headers["Content-Security-Policy"].split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


HEADER_CASES = {
    "html page": ("/", 200, "text/html"),
    "friendly 404 page": ("/no/such/page", 404, "text/html"),
    "json error": ("/api/v1/ledger?year=abc", 400, "application/json"),
    "json 404": ("/api/v1/nothing-here", 404, "application/json"),
    "tile": ("/tiles/emissions/1/0/0.png?year=2010", 200, "image/png"),
    "asset": ("/assets/style.css", 200, "text/css"),
    "dash layout": ("/_dash-layout", 200, "application/json"),
    "health": ("/health", 200, "application/json"),
}


@pytest.mark.parametrize("case", list(HEADER_CASES))
def test_security_headers_everywhere(client, case):
    path, status, mimetype = HEADER_CASES[case]
    r = client.get(path)
    assert r.status_code == status and r.mimetype == mimetype, (r.status_code, r.mimetype)
    csp = _csp(r)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] in (["'self'"], ["'none'"])
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    for directive, sources in csp.items():  # nothing is loaded from another origin
        assert not [s for s in sources if s == "*" or s.startswith(("http:", "https:"))], (directive, sources)


def test_csp_and_nosniff_do_not_break_dash(client):
    """Every script and stylesheet of the page is same-origin and served with the MIME type nosniff requires;
    Dash's inline bootstrap scripts are allowed by script-src."""
    r = client.get("/")
    html = r.get_data(as_text=True)
    csp = _csp(r)
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    styles = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html)
    assert scripts and styles
    for url in scripts + styles:
        assert url.startswith("/") and not url.startswith("//"), url
    for url in scripts:
        s = client.get(url)
        assert s.status_code == 200 and s.mimetype in ("application/javascript", "text/javascript"), (url, s.mimetype)
    for url in styles:
        s = client.get(url)
        assert s.status_code == 200 and s.mimetype == "text/css", (url, s.mimetype)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>\s*\S", html)
    if inline:
        assert "'unsafe-inline'" in csp["script-src"]
    assert "'self'" in csp["connect-src"]  # callbacks POST to /_dash-update-component
    assert "data:" in csp["img-src"] and "blob:" in csp["img-src"]  # plotly image export and map tiles


# ------------------------------------------------------------------------------------------------------------------
# no pickle, eval or shell on anything a user sends
# ------------------------------------------------------------------------------------------------------------------

#: Calls that run or deserialise code (by dotted name after resolving imports).
FORBIDDEN = {
    "eval", "exec", "compile", "builtins.eval", "builtins.exec", "builtins.compile",
    "pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle.load", "_pickle.loads", "_pickle.Unpickler",
    "cPickle.load", "cPickle.loads", "dill.load", "dill.loads", "cloudpickle.load", "cloudpickle.loads",
    "joblib.load", "jsonpickle.decode", "marshal.load", "marshal.loads", "shelve.open",
    "yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load", "yaml.full_load_all",
    "pandas.read_pickle", "os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
}
SUBPROCESS = {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
              "subprocess.Popen"}


def _project_files() -> list[Path]:
    files = [PROJECT_ROOT / "app.py"]
    for folder in ("api", "components", "pages", "engine"):
        files += sorted((PROJECT_ROOT / folder).rglob("*.py"))
    return files


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(aliases.get(node.id, node.id))
    return ".".join(reversed(parts))


def unsafe_calls(source: str, filename: str = "<src>") -> list[str]:
    """``file:line: call`` for every call of :data:`FORBIDDEN`, ``__import__`` of a computed name, a subprocess
    with ``shell=True`` and any call with ``allow_pickle=True``."""
    tree = ast.parse(source, filename)
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func, aliases)
        where = f"{filename}:{node.lineno}: {name}"
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        if name in FORBIDDEN:
            found.append(where)
        elif name in ("__import__", "builtins.__import__") and not (node.args
                                                                    and isinstance(node.args[0], ast.Constant)):
            found.append(where + " (computed module name)")
        elif name in SUBPROCESS and "shell" in kw and not (isinstance(kw["shell"], ast.Constant)
                                                           and kw["shell"].value is False):
            found.append(where + " (shell=...)")
        if isinstance(kw.get("allow_pickle"), ast.Constant) and kw["allow_pickle"].value is True:
            found.append(where + " (allow_pickle=True)")
        elif "allow_pickle" in kw and not isinstance(kw["allow_pickle"], ast.Constant):
            found.append(where + " (allow_pickle computed)")
    return found


def test_the_static_check_finds_what_it_looks_for():
    bad = textwrap.dedent("""
        import pickle, marshal, subprocess, yaml
        import pickle as pk
        from pickle import loads as l
        import numpy as np
        import pandas as pd
        eval(x); exec(x); compile(x, "f", "exec")
        pickle.loads(b); pk.load(f); l(b); marshal.loads(b); yaml.load(s)
        __import__(name)
        subprocess.run(cmd, shell=True); subprocess.Popen(cmd, shell=flag)
        np.load(p, allow_pickle=True); pd.read_pickle(p)
    """)
    found = unsafe_calls(bad)
    assert len(found) == 13, found
    good = textwrap.dedent("""
        import re, json, subprocess, numpy as np
        re.compile("x"); json.loads(s); __import__("os"); subprocess.run(["ls"], shell=False); np.load(p)
        obj.eval(); df.eval("a + b")
    """)
    assert unsafe_calls(good) == []


def test_no_eval_exec_pickle_or_shell_in_project_code():
    files = _project_files()
    assert len(files) > 40 and any(f.parent.name == "sources" for f in files)
    found = [hit for f in files for hit in unsafe_calls(f.read_text(), str(f.relative_to(PROJECT_ROOT)))]
    assert found == []


PICKLED = pickle.dumps({"title": "x", "intro": "", "items": []})


@pytest.mark.parametrize("raw,message", [
    (PICKLED, "not UTF-8"),
    (pickle.dumps({"title": "x"}, protocol=0), "not valid JSON"),  # protocol 0 is ASCII text
    (b"{'title': 'x', 'items': []}", "not valid JSON"),  # a Python literal, not JSON
    (b"__import__('os').system('id')", "not valid JSON"),
    (b'{"title": NaN, "items": []}', "not valid JSON"),
])
def test_briefing_import_refuses_what_is_not_json(raw, message):
    from components.briefing import BriefingError, parse_json

    with pytest.raises(BriefingError, match=message):
        parse_json(raw)


def test_briefing_page_refuses_a_pickle_file(the_app):
    """The page's 'Open briefing' callback answers a pickle with a message and leaves the briefing unchanged."""
    import pages.briefing as page

    contents = "data:application/json;base64," + base64.b64encode(PICKLED).decode()
    with the_app.server.test_request_context("/briefing"):
        data, message = page.open_file({"filename": "evil.json", "contents": contents})
    assert data is dash.no_update
    assert "Cannot open" in json.dumps(message.to_plotly_json(), default=str)


@pytest.mark.parametrize("raw", [PICKLED, b"{'title': 'x'}"])
def test_briefing_route_refuses_a_pickle_body(client, raw):
    r = client.post("/briefing/export.html", data=raw, content_type="application/json")
    assert r.status_code == 400 and r.mimetype == "application/json"
    assert r.get_json()["error"] == "bad request"


# ------------------------------------------------------------------------------------------------------------------
# request size limits
# ------------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_large_briefing_body_is_413_json(client, fmt):
    r = client.post(f"/briefing/export.{fmt}", data=MB2, content_type="application/json")
    assert r.status_code == 413 and r.mimetype == "application/json"
    assert "too large" in r.get_json()["detail"]


def test_large_briefing_body_without_content_length_is_refused(client):
    """A chunked body (no Content-Length) is refused too, with a JSON message saying it is too large."""
    r = client.post("/briefing/export.pdf", input_stream=io.BytesIO(MB2),
                    headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
                    environ_overrides={"wsgi.input_terminated": True})
    assert r.status_code in (400, 413) and r.mimetype == "application/json"
    assert "too large" in r.get_json()["detail"]


def test_large_callback_body_is_413(client):
    r = client.post("/_dash-update-component", data=MB2, content_type="application/json")
    assert r.status_code == 413


def test_max_content_length_is_set(the_app):
    assert 0 < the_app.server.config["MAX_CONTENT_LENGTH"] <= 1 << 20


@pytest.mark.parametrize("path", [
    "/api/v1/cell?lat=1&lon=1&name=" + "x" * 5000,
    "/api/v1/ledger?year=" + "1" * 5000,
    "/api/v1/ledger?members=" + ",".join(["FRA"] * 3000),
    "/api/v1/ledger?" + "&".join(f"p{i}=1" for i in range(3000)),
    "/tiles/emissions/1/0/0.png?year=" + "1" * 5000,
    "/tiles/emissions/1/0/0.png?year=2010&gases=" + ",".join(["CO2"] * 2000),
    "/export/country-series.csv?code=FRA&name=" + "x" * 5000,
    "/export/map.png?bbox=" + "1" * 5000,
])
def test_overlong_query_parameters_are_400_json(client, path):
    r = client.get(path)
    assert r.status_code == 400 and r.mimetype == "application/json", (r.status_code, r.get_data()[:200])
    assert r.get_json()["error"] == "bad request" and r.get_json()["detail"]


@pytest.mark.parametrize("path", ["/tiles/../../etc/passwd", "/export/..%2f..%2fapp.py.csv",
                                  "/topojson/..%2f..%2fdata%2fsources.toml", "/geo/..%2f..", "/tiles/nope"])
def test_machine_paths_matching_no_route_are_json_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.mimetype == "application/json", (r.status_code, r.mimetype)


def test_briefing_export_get_is_405_and_chunked_oversize_is_413(client):
    r = client.get("/briefing/export.pdf")
    assert r.status_code == 405 and r.headers["Allow"] == "POST" and r.mimetype == "application/json"

    # a chunked upload: no Content-Length, the server reads the stream to its end
    r = client.post("/briefing/export.pdf", input_stream=io.BytesIO(b"x" * 400_000),
                    headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                    environ_overrides={"wsgi.input_terminated": True})
    assert r.status_code == 413 and r.mimetype == "application/json"


def test_flask_debug_environment_does_not_enable_the_debugger(settings, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app(settings, build_pack=False).server.debug is False


def test_heavy_renders_are_limited_per_process(the_app, client, monkeypatch):
    """With every heavy slot taken, an export or a NetCDF subset answers 503 busy with Retry-After at once-ish,
    and light answers (tiles, API tables) are not affected."""
    import time

    from api import limits

    monkeypatch.setattr(limits, "WAIT_S", 0.2)
    slots = the_app.server.config[limits.CONFIG_KEY]
    taken = 0
    while slots.acquire(blocking=False):
        taken += 1
    try:
        assert taken == limits.HEAVY_SLOTS
        for url in ("/export/ledger-table.csv?year=2019", "/export/map.nc?layer=emissions&year=2019",
                    "/api/v1/grid.nc?bbox=5,45,15,55&year=2019"):
            t0 = time.perf_counter()
            r = client.get(url)
            assert r.status_code == 503 and r.headers["Retry-After"] == str(limits.RETRY_AFTER_S), url
            assert json.loads(r.data)["error"] == "busy" and time.perf_counter() - t0 < 2
        r = client.post("/briefing/export.pdf", data=b"{}", content_type="application/json")
        assert r.status_code == 503
        assert client.get("/api/v1/ledger?year=2019&regions=FRA").status_code == 200
        assert client.get("/tiles/emissions/2/1/1.png?year=2019").status_code == 200
    finally:
        for _ in range(taken):
            slots.release()
    assert client.get("/export/ledger-table.csv?year=2019").status_code == 200
