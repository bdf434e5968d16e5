"""The web layer (api/weblayer.py): compressed answers, cache headers, ETags and the preload hint, on the real app.

Each compressed answer must decompress to exactly the bytes the same request gets uncompressed; answers that are
already compressed (PNG tiles, PDF, NetCDF) or streamed go out as they are; ``Vary: Accept-Encoding`` is on every
answer that could have been compressed; the security headers of ``app.py`` survive; the views' own ETag checks keep
answering 304 to a client that holds a compressed variant.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import brotli
import pytest
from flask import Flask, Response, stream_with_context

from api.weblayer import IMMUTABLE, MIN_SIZE, choose_coding, compress, install_web_layer, is_fingerprinted
from engine.core.cache import TieredCache

DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}
#: The one part of a page's HTML that differs per request (Dash's signed per-page-load callback id).
_END_ID = re.compile(rb'"end_id":"[^"]*"')


def _same(a: bytes, b: bytes) -> bool:
    return _END_ID.sub(b"", a) == _END_ID.sub(b"", b)


def _decoded(r) -> bytes:
    enc = r.headers.get("Content-Encoding")
    return DECODE[enc](r.get_data()) if enc else r.get_data()


def _get(client, path, coding=None, **kw):
    headers = kw.pop("headers", {})
    if coding is not None:
        headers["Accept-Encoding"] = coding
    return client.get(path, headers=headers, **kw)


@pytest.fixture(scope="module")
def bundles(client) -> dict[str, str]:
    """Script URLs of the page shell: Dash's fingerprinted bundles and the assets, as the browser gets them."""
    html = client.get("/").get_data(as_text=True)
    srcs = re.findall(r'<script src="([^"]+)"', html)
    css = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    out = {"favicon": re.search(r'<link rel="icon" type="image/x-icon" href="([^"]+)"', html).group(1),
           "renderer": next(s for s in srcs if "dash_renderer" in s),
           "dcc": next(s for s in srcs if "dash_core_components.v" in s),
           "asset_css": next(c for c in css if c.startswith("/assets/style.css?m="))}
    assert is_fingerprinted(out["renderer"].split("?")[0]), out["renderer"]
    return out


def _callback_body(client, path: str = "/ledger") -> bytes:
    """The body the browser posts for the page-content callback of Dash pages (built from /_dash-dependencies)."""
    deps = json.loads(client.get("/_dash-dependencies").get_data())
    cb = next(d for d in deps if "_pages_content" in d["output"])
    values = {"pathname": path, "search": "", "hash": "", "href": "http://localhost" + path}

    def arg(spec):
        return {"id": spec["id"], "property": spec["property"], "value": values.get(spec["property"])}

    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]}
               for o in cb["output"].strip(".").split("...") if o]
    return json.dumps({"output": cb["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
                       "inputs": [arg(i) for i in cb["inputs"]], "state": [arg(s) for s in cb["state"]],
                       "changedPropIds": [f"{i['id']}.{i['property']}" for i in cb["inputs"]]}).encode()


# ---- compressed when asked, the same bytes ------------------------------------------------------------------------
@pytest.mark.parametrize("coding", ["gzip", "br"])
@pytest.mark.parametrize("what", ["page", "layout", "dependencies", "renderer", "plotly", "asset_css",
                                  "api_json", "api_csv", "openapi", "favicon"])
def test_compressed_when_asked_and_same_bytes(client, bundles, what, coding):
    path = {"page": "/ledger", "layout": "/_dash-layout", "dependencies": "/_dash-dependencies",
            "plotly": "/_dash-component-suites/plotly/package_data/plotly.min.js",
            "api_json": "/api/v1/ledger?year=2019&regions=CHN,USA", "api_csv": "/api/v1/regions?format=csv",
            "openapi": "/api/v1/openapi.json"}.get(what) or bundles[what]
    plain = _get(client, path)
    packed = _get(client, path, coding)
    assert plain.status_code == packed.status_code == 200, (path, plain.status_code, plain.get_data()[:200])
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == coding
    assert "Accept-Encoding" in packed.headers.get("Vary", "") and "Accept-Encoding" in plain.headers.get("Vary", "")
    assert _same(_decoded(packed), plain.get_data())
    assert int(packed.headers["Content-Length"]) == len(packed.get_data()) < 0.7 * len(plain.get_data())
    # the security headers of app.py are still there
    assert packed.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in packed.headers["Content-Security-Policy"]


def test_callback_answer_compressed(client):
    """A Dash callback answer (the page content of /ledger) is JSON: compressed, decodes to the same JSON."""
    body = _callback_body(client)
    hdr = {"Content-Type": "application/json"}
    plain = client.post("/_dash-update-component", data=body, headers=hdr)
    packed = client.post("/_dash-update-component", data=body, headers={**hdr, "Accept-Encoding": "gzip, br"})
    assert plain.status_code == packed.status_code == 200, plain.get_data()[:300]
    assert packed.headers["Content-Encoding"] == "br"
    assert json.loads(_decoded(packed)) == json.loads(plain.get_data())
    assert len(packed.get_data()) < 0.3 * len(plain.get_data())


def test_big_bundle_ratio(client):
    """plotly.min.js (4.8 MB) goes out at about a quarter of its size."""
    path = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    plain = _get(client, path).get_data()
    for coding, at_most in (("br", 0.30), ("gzip", 0.33)):
        packed = _get(client, path, coding)
        assert len(packed.get_data()) < at_most * len(plain), (coding, len(packed.get_data()), len(plain))


# ---- respects Accept-Encoding ---------------------------------------------------------------------------------
@pytest.mark.parametrize("accept, expected", [
    (None, None), ("identity", None), ("gzip;q=0, br;q=0", None), ("deflate", None), ("gzip", "gzip"),
    ("br", "br"), ("gzip, deflate, br", "br"), ("gzip;q=1.0, br;q=0.5", "gzip"), ("*", "br"), ("*;q=0", None),
])
def test_accept_encoding_negotiation(client, accept, expected):
    r = _get(client, "/_dash-dependencies", accept)
    assert r.headers.get("Content-Encoding") == expected
    assert "Accept-Encoding" in r.headers["Vary"]
    assert json.loads(_decoded(r))  # always a readable answer


# ---- not compressed -------------------------------------------------------------------------------------------
def test_png_tile_not_compressed(client):
    r = _get(client, "/tiles/emissions/1/1/0.png?year=2019", "gzip, br")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert "Content-Encoding" not in r.headers and r.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Accept-Encoding" not in r.headers.get("Vary", "")


@pytest.mark.parametrize("fmt, mime, magic", [("pdf", "application/pdf", b"%PDF"),
                                              ("nc", "application/x-netcdf", b"\x89HDF")])
def test_pdf_and_netcdf_not_compressed(client, fmt, mime, magic):
    r = _get(client, f"/export/map.{fmt}?year=2019&bbox=5,45,15,55", "gzip, br")
    assert r.status_code == 200, r.get_data()[:300]
    assert r.mimetype == mime and "Content-Encoding" not in r.headers
    assert r.get_data().startswith(magic)


def test_small_answer_not_compressed(client):
    r = _get(client, "/health", "gzip, br")
    assert r.status_code == 200 and len(r.get_data()) < MIN_SIZE
    assert "Content-Encoding" not in r.headers


def _tiny_app() -> Flask:
    """A bare Flask app with the web layer, for the kinds of answers the real app has few of."""
    app = Flask(__name__)
    text = b"holocarbon " * 400
    xlsx_magic = b"PK\x03\x04" + bytes(range(256)) * 20

    @app.get("/stream.csv")
    def stream():
        return Response(stream_with_context(iter([text, text])), mimetype="text/csv")

    @app.get("/book.xlsx")
    def book():
        return Response(xlsx_magic,
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @app.get("/pre.json")
    def pre():
        return Response(gzip.compress(text), mimetype="application/json", headers={"Content-Encoding": "gzip"})

    @app.get("/text.txt")
    def plain_text():
        return Response(text, mimetype="text/plain")

    install_web_layer(app)
    return app


@pytest.mark.parametrize("path", ["/stream.csv", "/book.xlsx"])
def test_streams_and_binary_types_untouched(path):
    client = _tiny_app().test_client()
    plain, packed = client.get(path), client.get(path, headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in packed.headers
    assert packed.get_data() == plain.get_data() and len(plain.get_data()) > MIN_SIZE


def test_already_encoded_answer_untouched():
    client = _tiny_app().test_client()
    r = client.get("/pre.json", headers={"Accept-Encoding": "br"})
    assert r.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(r.get_data()) == b"holocarbon " * 400


def test_range_request_not_compressed(client, bundles):
    r = _get(client, bundles["asset_css"], "gzip", headers={"Range": "bytes=0-99"})
    assert r.status_code == 206 and len(r.get_data()) == 100
    assert "Content-Encoding" not in r.headers


# ---- cache headers and ETags -----------------------------------------------------------------------------------
def test_fingerprinted_bundles_are_immutable(client, bundles):
    for url in (bundles["renderer"], bundles["dcc"], bundles["asset_css"], bundles["favicon"]):
        r = _get(client, url, "br")
        assert r.status_code == 200 and r.headers["Cache-Control"] == IMMUTABLE, url


@pytest.mark.parametrize("path", ["/_dash-component-suites/plotly/package_data/plotly.min.js",
                                  "/_dash-component-suites/dash/dcc/async-graph.js", "/assets/style.css",
                                  "/_dash-dependencies", "/_dash-layout"])
@pytest.mark.parametrize("coding", ["gzip", "br", None])
def test_unfingerprinted_revalidate_with_etag(client, path, coding):
    """``no-cache`` plus a validator; the ETag the client got (with the coding suffix) revalidates to a 304 that
    names the same variant."""
    r = _get(client, path, coding)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-cache"
    etag = r.headers["ETag"]
    assert etag.endswith(f'-{coding}"') if coding else not re.search(r'-(br|gzip)"$', etag)
    again = _get(client, path, coding, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers.get("ETag", etag) == etag
    stale = _get(client, path, coding, headers={"If-None-Match": '"not-the-tag-gzip"'})
    assert stale.status_code == 200 and len(_decoded(stale)) > 0


def test_api_etag_survives_compression(client):
    """The REST API's own ETag check still answers 304 to a client holding the gzip variant."""
    path = "/api/v1/series?region=DEU"
    r = _get(client, path, "gzip")
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    etag = r.headers["ETag"]
    assert etag.endswith('-gzip"')
    again = _get(client, path, "gzip", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag
    assert "Accept-Encoding" in again.headers["Vary"]
    assert again.headers["Cache-Control"] == "no-cache"


PLOTLY_PRELOAD = "</_dash-component-suites/plotly/package_data/plotly.min.js>; rel=preload; as=script"
GRAPH_PRELOAD = "</_dash-component-suites/dash/dcc/async-graph.js>; rel=preload; as=script"


def test_pages_preload_plotly(client):
    link = _get(client, "/trade", "br").headers["Link"]
    assert PLOTLY_PRELOAD in link and GRAPH_PRELOAD in link
    # every preloaded URL exists
    for url in re.findall(r"<([^>]+)>", link):
        assert client.get(url).status_code == 200, url
    # pages whose first chart comes as a picture first (prerender.py) preload the graph chunk only: plotly.js would
    # compete with Dash's start
    for path in ("/", "/atlas", "/ledger", "/country/DEU"):
        link = _get(client, path, "br").headers["Link"]
        assert GRAPH_PRELOAD in link and PLOTLY_PRELOAD not in link, path
    assert PLOTLY_PRELOAD in _get(client, "/compare", "br").headers["Link"]
    assert "Link" not in _get(client, "/no-such-page").headers  # the not-found page does not
    assert "Link" not in _get(client, "/data").headers  # nor a page without charts


def test_not_found_page_still_404_and_compressed(client):
    r = _get(client, "/no-such-page", "gzip")
    assert r.status_code == 404 and r.headers["Content-Encoding"] == "gzip"
    assert b"react-entry-point" in gzip.decompress(r.get_data())


# ---- pure helpers -----------------------------------------------------------------------------------------------
def test_helpers():
    assert is_fingerprinted("/_dash-component-suites/dash/deps/react@18.v4_4_1m1796003177.3.1.min.js")
    assert not is_fingerprinted("/_dash-component-suites/plotly/package_data/plotly.min.js")
    assert not is_fingerprinted("/_dash-component-suites/dash/dcc/async-graph.js")
    data = b"abc" * 1000
    assert gzip.decompress(compress(data, "gzip", (4, 5))) == data
    assert brotli.decompress(compress(data, "br", (4, 5))) == data
    with pytest.raises(ValueError, match="coding must be one of br, gzip; got 'zstd'"):
        compress(data, "zstd", (4, 5))
    with Flask(__name__).test_request_context(headers={"Accept-Encoding": "gzip;q=0.5, br;q=0.4"}):
        from flask import request
        assert choose_coding(request) == "gzip"


# ---- concurrency ------------------------------------------------------------------------------------------------
def test_concurrent_compressed_answers_are_each_their_own(app, client, bundles):
    """Different compressed requests fired at once (threads, the shared compressed-file cache cold for new keys):
    each answer decompresses to what the same request gets alone."""
    cases = [
        (bundles["renderer"], "br"), (bundles["dcc"], "gzip"), (bundles["asset_css"], "br"),
        ("/_dash-component-suites/plotly/package_data/plotly.min.js", "gzip"),
        ("/_dash-component-suites/plotly/package_data/plotly.min.js", "br"),
        ("/_dash-dependencies", "gzip"), ("/_dash-layout", "br"), ("/ledger", "gzip"), ("/", "br"),
        ("/api/v1/ledger?year=2015&regions=DEU,FRA", "br"), ("/api/v1/ledger?year=2016&regions=IND", "gzip"),
        ("/api/v1/regions?format=csv", "gzip"), ("/api/v1/series?region=CHN", "br"), ("/atlas", "br"),
        ("/topojson/world_110m.json", "gzip"),
    ] * 2
    alone = {path: _get(client, path).get_data() for path, _ in cases}
    # an empty cache of compressed files, so the threads race on compressing the static files too
    layer = app.server.extensions["holocarbon_weblayer"]
    kept, layer.cache = layer.cache, TieredCache(memory_items=64)
    barrier = threading.Barrier(10)

    def fire(case):
        path, coding = case
        c = app.server.test_client()
        try:
            barrier.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass
        r = _get(c, path, coding)
        return path, coding, r.status_code, r.headers.get("Content-Encoding"), _decoded(r)

    try:
        with ThreadPoolExecutor(10) as pool:
            results = list(pool.map(fire, cases))
    finally:
        layer.cache = kept
    for path, coding, status, enc, body in results:
        assert status == 200, path
        assert enc == coding, (path, enc)
        assert _same(body, alone[path]), path
