"""The web layer between the app and the network: compressed answers, cache headers and a preload hint.

:func:`install_web_layer` adds one ``before_request`` and one ``after_request`` hook to the Flask server; the
``after_request`` hook runs after every other one (after the security headers and the not-found handling of
``app.py``), so it sees each answer as it will be sent.

Compression (issue 13, first load: plotly.min.js alone was 4.8 MB on the wire)
    Text answers (HTML, CSS, JavaScript, JSON, CSV, SVG, the favicon) of at least :data:`MIN_SIZE` bytes are sent
    ``br`` (brotli) or ``gzip``, whichever the request's ``Accept-Encoding`` prefers (brotli on a tie), and never
    when it accepts neither. Already compressed or binary types (PNG tiles, PDF, NetCDF, xlsx) are not in
    :data:`COMPRESSIBLE` and go out as they are, and so do streamed answers (a generator body), partial answers
    (206), answers that already carry a ``Content-Encoding``, and bodies over :data:`MAX_SIZE`. Files sent with
    ``send_file`` (assets, basemaps) are read and compressed like any body. Every answer that could have been
    compressed says ``Vary: Accept-Encoding``, compressed or not, so a shared cache keeps the variants apart.
    Static files (Dash bundles, assets, basemaps) are compressed once at a higher level and kept in the one cache
    layer (:class:`engine.core.cache.TieredCache` over flask-caching's backend, shared by the workers), keyed by
    the body's SHA-1; dynamic answers (pages, callbacks, the REST API) are compressed per request at a fast level.

ETags
    A compressed answer's strong ETag gets the coding as a suffix (``"abc"`` -> ``"abc-br"``: a different byte
    sequence must not share a strong validator). A request's ``If-None-Match`` loses those suffixes before the view
    reads it, so every view's own ETag check (Dash's bundles, the REST API, send_file) keeps answering 304; the 304
    then carries the suffix back.

Cache headers
    Fingerprinted URLs never change content: Dash's component bundles (``name.v<version>m<mtime>.js``), assets
    linked with their modification time (``/assets/style.css?m=<mtime>``) and the favicon with Dash's version
    (``/_favicon.ico?v=<version>``) get ``public, max-age=31536000, immutable``. Unfingerprinted Dash files
    (``plotly.min.js``, the ``async-*.js`` chunks that webpack loads by plain name) and assets without ``m`` get
    ``no-cache`` with their validator, so a repeat visit revalidates with a 304. ``/_dash-layout`` and
    ``/_dash-dependencies`` (the same for every visitor of one process) get an ETag and ``no-cache`` too.

Preload
    Dash pages load plotly.js only once the page-content callback has answered and a graph mounts; a ``Link:
    rel=preload`` header on the HTML of every page that draws charts lets the browser fetch it (and the graph
    chunk) in parallel with the layout and the callbacks instead of after them.
"""

from __future__ import annotations

import gzip
import hashlib
import re

from flask import Flask, Request, Response, request

from engine.core.cache import TieredCache

try:  # brotli installs from PyPI wheels (requirements.txt); without it the layer still sends gzip
    import brotli
except ImportError:  # pragma: no cover - exercised only on an incomplete install
    brotli = None

#: Media types worth compressing (text, and the uncompressed BMP inside ``.ico`` files).
COMPRESSIBLE = frozenset({
    "text/html", "text/css", "text/plain", "text/csv", "text/javascript", "text/xml", "text/markdown",
    "application/javascript", "application/x-javascript", "application/json", "application/geo+json",
    "application/problem+json", "application/xml", "application/manifest+json", "image/svg+xml",
    "image/x-icon", "image/vnd.microsoft.icon",
})
#: Below this many bytes compression saves less than it costs (headers, a round of CPU).
MIN_SIZE = 512
#: Bodies above this are sent as they are (bounded memory and CPU per answer) [bytes].
MAX_SIZE = 32 << 20
#: Codings in the server's order of preference (brotli first when the client rates both alike).
CODINGS = ("br", "gzip") if brotli is not None else ("gzip",)
#: (brotli quality, gzip level) for static files compressed once and cached, and for per-request answers.
#: Measured on plotly.min.js (4.8 MB): brotli 5 -> 1.29 MB in 0.14 s, gzip 6 -> 1.47 MB in 0.16 s; brotli 11 would
#: save another 0.18 MB for 16 s of CPU.
STATIC_LEVELS = (5, 6)
DYNAMIC_LEVELS = (4, 5)
IMMUTABLE = "public, max-age=31536000, immutable"
#: URL prefixes of files that are the same for every visitor (compressed once, kept in the cache layer).
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/", "/topojson/", "/_favicon.ico")
#: Dash answers that are the same for every visitor of one process: ETag and ``no-cache``.
REVALIDATED = ("/_dash-layout", "/_dash-dependencies")
#: What every page preloads: the graph chunk and plotly.js, as Dash's graph component will ask for them.
PRELOAD = ("/_dash-component-suites/dash/dcc/async-graph.js",
           "/_dash-component-suites/plotly/package_data/plotly.min.js")
#: Pages that draw no chart (no preload: the browser would fetch plotly.js for nothing and warn about it).
NO_CHARTS = frozenset({"/data", "/api", "/briefing"})
#: Pages whose first chart also comes as a server-drawn picture (components/prerender.py): they preload only the
#: graph chunk. Fetching (and parsing) 1.3 MB of plotly.js during Dash's start competed with it on a 2-core machine
#: and delayed the picture by about 0.5 s (bench/firstload.py: 1.85 -> 1.33 s on /, 1.87 -> 1.43 s on /ledger,
#: cold, median of 5); the live chart comes no later, as plotly.js is asked for when the graph mounts.
PICTURE_PAGES = ("/", "/atlas", "/ledger", "/country/")

#: Dash's fingerprint in a bundle's file name (``dash.fingerprint.cache_regex``): ``v<version>m<hex mtime>``.
_FINGERPRINT = re.compile(r"^v[\w-]+m[0-9a-fA-F]+$")
#: A coding suffix this layer added to an ETag, inside the quotes.
_ETAG_SUFFIX = re.compile(r'-(br|gzip)"')
_ENVIRON_KEY = "holocarbon.etag_coding"
EXTENSION = "holocarbon_weblayer"


def is_fingerprinted(path: str) -> bool:
    """True for a Dash component-suite URL whose file name carries Dash's ``.v<version>m<mtime>.`` fingerprint."""
    parts = path.rsplit("/", 1)[-1].split(".")
    return len(parts) > 2 and bool(_FINGERPRINT.match(parts[1]))


def choose_coding(req: Request) -> str | None:
    """The content coding to answer ``req`` with: the accepted one of :data:`CODINGS` with the highest quality
    (the server's order breaks ties), or None when the request accepts none of them."""
    accepted = req.accept_encodings
    best = max(CODINGS, key=lambda c: (accepted.quality(c), -CODINGS.index(c)))
    return best if accepted.quality(best) > 0 else None


def compress(data: bytes, coding: str, levels: tuple[int, int]) -> bytes:
    """``data`` encoded with ``coding`` (``br`` or ``gzip``) at ``levels`` = (brotli quality, gzip level)."""
    if coding == "br":
        return brotli.compress(data, quality=levels[0])
    if coding == "gzip":
        return gzip.compress(data, compresslevel=levels[1], mtime=0)
    raise ValueError(f"coding must be one of {', '.join(CODINGS)}; got {coding!r}")


def cache_control_for(path: str, args) -> str | None:
    """The Cache-Control this layer sets for a GET of ``path`` with query ``args`` (None: leave the view's)."""
    if path.startswith("/_dash-component-suites/"):
        return IMMUTABLE if is_fingerprinted(path) else "no-cache"
    if path.startswith("/assets/"):
        return IMMUTABLE if args.get("m") else "no-cache"
    if path == "/_favicon.ico":
        return IMMUTABLE if args.get("v") else "no-cache"
    if path in REVALIDATED:
        return "no-cache"
    return None


class WebLayer:
    """The hooks, with their cache of compressed static files (one per app, in ``server.extensions``)."""

    def __init__(self, cache: TieredCache, preload: tuple[str, ...] = PRELOAD):
        self.cache = cache
        self.link = ", ".join(f"<{url}>; rel=preload; as=script" for url in preload)
        self.link_graph_only = ", ".join(f"<{url}>; rel=preload; as=script" for url in preload
                                         if not url.endswith("plotly.min.js"))

    def link_for(self, path: str) -> str:
        """The preload hint of a page's HTML (without plotly.js on pages that show a picture first)."""
        if path == "/" or any(path.startswith(p) for p in PICTURE_PAGES if p != "/"):
            return self.link_graph_only
        return self.link

    # ---- request ----------------------------------------------------------------------------------------------
    def before(self) -> None:
        """Strip this layer's coding suffixes from ``If-None-Match`` before any view compares ETags."""
        inm = request.environ.get("HTTP_IF_NONE_MATCH")
        if inm and _ETAG_SUFFIX.search(inm):
            request.environ[_ENVIRON_KEY] = _ETAG_SUFFIX.search(inm).group(1)
            request.environ["HTTP_IF_NONE_MATCH"] = _ETAG_SUFFIX.sub('"', inm)

    # ---- response ---------------------------------------------------------------------------------------------
    def after(self, response: Response) -> Response:
        path = request.path
        if request.method in ("GET", "HEAD"):
            policy = cache_control_for(path, request.args)
            if policy is not None and response.status_code in (200, 304):
                response.headers["Cache-Control"] = policy
            if path in REVALIDATED and response.status_code == 200 and not response.is_streamed:
                response.add_etag()
                response.make_conditional(request)
            if (response.status_code == 200 and response.mimetype == "text/html" and self.link
                    and "Link" not in response.headers and path.rstrip("/") not in NO_CHARTS):
                link = self.link_for(path)
                if link:
                    response.headers["Link"] = link
        if response.status_code == 304:
            return self._not_modified(response)
        return self._compress(response, path)

    def _not_modified(self, response: Response) -> Response:
        """A 304 names the variant the client holds: the coding suffix it sent comes back on the ETag."""
        coding = request.environ.get(_ENVIRON_KEY)
        if coding:
            etag, weak = response.get_etag()
            if etag:
                response.set_etag(f"{etag}-{coding}", weak)
            response.vary.add("Accept-Encoding")
        return response

    def _compress(self, response: Response, path: str) -> Response:
        if (response.status_code not in (200, 404) or response.mimetype not in COMPRESSIBLE
                or "Content-Encoding" in response.headers or "Content-Range" in response.headers):
            return response
        if response.is_streamed and not response.direct_passthrough:
            return response  # a generator: its parts are meant to go out as they come
        length = response.content_length
        if response.direct_passthrough and (length is None or length > MAX_SIZE):
            return response
        if response.direct_passthrough:  # send_file: read the file once (assets, basemaps: kilobytes)
            response.direct_passthrough = False
        data = response.get_data()
        if len(data) < MIN_SIZE or len(data) > MAX_SIZE:
            return response
        response.vary.add("Accept-Encoding")
        coding = choose_coding(request)
        if coding is None:
            return response
        if path.startswith(STATIC_PREFIXES):
            key = f"weblayer:{coding}:{STATIC_LEVELS}:{hashlib.sha1(data).hexdigest()}"
            body = self.cache.memo(key, lambda: compress(data, coding, STATIC_LEVELS))
        else:
            body = compress(data, coding, DYNAMIC_LEVELS)
        response.set_data(body)
        response.headers["Content-Encoding"] = coding
        response.headers.pop("Accept-Ranges", None)  # ranges would address the identity bytes
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}-{coding}", weak)
        return response


def install_web_layer(server: Flask, shared_cache=None) -> WebLayer:
    """Attach the web layer to ``server``: its ``after_request`` hook runs last.

    Parameters
    ----------
    server : flask.Flask
        The Dash app's server, after every other ``after_request`` hook is registered or before: the hook is put
        first in Flask's list, and Flask runs that list in reverse order.
    shared_cache : cachelib cache, optional
        flask-caching's backend (the one cache layer); compressed static files are kept there for every worker.
    """
    layer = WebLayer(TieredCache(shared=shared_cache, memory_items=64))
    server.extensions[EXTENSION] = layer
    server.before_request_funcs.setdefault(None, []).insert(0, layer.before)
    server.after_request_funcs.setdefault(None, []).insert(0, layer.after)
    return layer
