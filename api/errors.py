"""JSON error responses for the API, tile and export routes: ``{error, detail, allowed}`` with a 4xx/5xx status.

:func:`register_error_handlers` makes a blueprint answer engine errors (a missing or corrupt source, a pack item
that could not be built) with 503 and a message that says what is missing and how to fix it, and anything
unexpected with a logged 500 JSON -- never a stack trace.
"""

from __future__ import annotations

import logging

from flask import jsonify

from engine.errors import HolocarbonError, PackError, SourceError

log = logging.getLogger("holocarbon.api")


def bad_request(detail: str, allowed=None, status: int = 400, error: str = "bad request"):
    body = {"error": error, "detail": detail}
    if allowed is not None:
        body["allowed"] = list(allowed)
    resp = jsonify(body)
    resp.status_code = status
    return resp


def unavailable_detail(exc: HolocarbonError) -> str:
    """The message of an engine error, prefixed with what kind of data is missing."""
    if isinstance(exc, SourceError):
        return f"a source file this answer needs is not available: {exc}"
    if isinstance(exc, PackError):
        return f"the processed data this answer needs is not available: {exc}"
    return str(exc)


def register_error_handlers(bp) -> None:
    """Engine errors -> 503 JSON; unexpected errors -> logged 500 JSON (no traceback in the response)."""

    @bp.errorhandler(HolocarbonError)
    def _engine_error(exc):
        return bad_request(unavailable_detail(exc), status=503, error="unavailable")

    @bp.errorhandler(MemoryError)
    def _memory(exc):
        log.error("out of memory while answering a request")
        return bad_request("the server ran out of memory for this request; try a smaller area or fewer items",
                           status=503, error="unavailable")
