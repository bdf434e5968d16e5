"""``POST /briefing/export.pdf`` and ``POST /briefing/export.html`` — a briefing (JSON body) as one file.

The body is the briefing kept by the browser (``{title, intro, items: [{chart, title, query, note}]}``, see
:mod:`components.briefing`), at most 256 KB, 30 charts and 2,000 characters per text (200 for the title). Nothing is
stored: the charts are rebuilt from the registry. Errors are JSON ``{error, detail}``: 400 for a bad briefing
(the detail names the problem and the chart), 404 for an unknown format, 413 for a body that is too large, 503
when the data pack is missing.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from api.errors import (
    bad_request,
    error_response,
    register_error_handlers,
)
from api.limits import heavy
from components.briefing import (
    MAX_BYTES,
    BriefingError,
    filename,
    html_bytes,
    parse_json,
    pdf_bytes,
)

bp = Blueprint("holocarbon_briefing", __name__)
register_error_handlers(bp)
#: The HTML is sent as application/octet-stream: it is a download (attachment), and app.py turns any text/html
#: response on a path that is not a page into a 404 (its friendly-404 rule).
BUILDERS = {"pdf": (pdf_bytes, "application/pdf"), "html": (html_bytes, "application/octet-stream")}


@bp.get("/briefing/export.<fmt>")
def export_briefing_get(fmt: str):
    resp = bad_request("POST the briefing JSON (as saved by the briefing page) to this address", ["POST"],
                       status=405, error="method not allowed")
    resp.headers["Allow"] = "POST"
    return resp


@bp.post("/briefing/export.<fmt>")
@heavy
def export_briefing(fmt: str):
    if fmt not in BUILDERS:
        return bad_request(f"unknown format {fmt!r}", list(BUILDERS), status=404, error="not found")
    if (request.content_length or 0) > MAX_BYTES:
        return bad_request(f"the briefing is too large (limit {MAX_BYTES // 1024} KB)", status=413,
                           error="too large")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BYTES:  # a chunked body has no Content-Length
        return bad_request(f"the briefing is too large (limit {MAX_BYTES // 1024} KB)", status=413,
                           error="too large")
    try:
        briefing = parse_json(raw)
        build, mime = BUILDERS[fmt]
        data = build(current_app.config.get("HOLOCARBON_ACCOUNTS"), current_app.config["HOLOCARBON_RENDERER"],
                     briefing)
    except (BriefingError, RuntimeError) as exc:  # a bad briefing (400), no pack or a renderer failure (503)
        return error_response(exc)
    resp = Response(data, mimetype=mime)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename(briefing, fmt)}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp
