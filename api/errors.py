"""The one table from exception to HTTP status (:data:`ERROR_STATUS`), and JSON error answers ``{error, detail,
allowed}``.

The engine raises errors with codes and no HTTP (:mod:`engine.core.errors`); the REST API, the tiles, the exports,
the briefing and the pages all decide status and wording from this table, first match wins. An exception the table
does not know is unexpected: it is logged and answered with a generic 500 (never a stack trace).
"""

from __future__ import annotations

import logging

from flask import jsonify

from components.render.figures import RenderError
from engine.core.errors import (
    HolocarbonError,
    InputError,
    NotFoundError,
    PackError,
    SourceError,
)

log = logging.getLogger("holocarbon.api")


class ServiceUnavailable(RuntimeError):
    """The processed pack (or another service the answer needs) is not available."""


class Busy(RuntimeError):
    """Every heavy-answer slot of the process is taken (answered 503 with Retry-After)."""


#: (exception class, HTTP status, ``error`` label), first match wins. InputError comes before HolocarbonError: a bad
#: input is the user's to fix (400), not the server's (503).
ERROR_STATUS: tuple[tuple[type, int, str], ...] = (
    (NotFoundError, 404, "not found"),
    (InputError, 400, "bad request"),
    (Busy, 503, "busy"),
    (SourceError, 503, "unavailable"),
    (PackError, 503, "unavailable"),
    (RenderError, 503, "unavailable"),
    (ServiceUnavailable, 503, "unavailable"),
    (HolocarbonError, 503, "unavailable"),
    (MemoryError, 503, "unavailable"),
    (ValueError, 400, "bad request"),
)


def status_for(exc: BaseException) -> tuple[int, str] | None:
    """(HTTP status, error label) of an exception, or None for an unexpected one.

    An exception that carries its own ``status`` (:class:`api.spec.ParamError`) keeps it.
    """
    status = getattr(exc, "status", None)
    if isinstance(status, int) and isinstance(exc, ValueError):
        return status, "not found" if status == 404 else "bad request"
    for cls, code, label in ERROR_STATUS:
        if isinstance(exc, cls):
            return code, label
    return None


def detail_for(exc: BaseException) -> str:
    """The message of a known exception, saying what kind of data is missing for 503s."""
    if isinstance(exc, SourceError):
        return f"a source file this answer needs is not available: {exc}"
    if isinstance(exc, PackError):
        return f"the processed data this answer needs is not available: {exc}"
    if isinstance(exc, MemoryError):
        return "the server ran out of memory for this request; try a smaller area or fewer items"
    if isinstance(exc, KeyError):  # str(KeyError('x')) is "'x'"
        return str(exc.args[0]) if exc.args else "missing value"
    return str(exc)


def bad_request(detail: str, allowed=None, status: int = 400, error: str = "bad request"):
    """A JSON error answer ``{error, detail[, allowed]}``."""
    body = {"error": error, "detail": detail}
    if allowed is not None:
        body["allowed"] = list(allowed)
    resp = jsonify(body)
    resp.status_code = status
    return resp


def error_response(exc: BaseException, allowed=None):
    """The JSON answer of an exception through :data:`ERROR_STATUS` (unexpected ones: logged, generic 500)."""
    known = status_for(exc)
    if known is None:
        log.exception("unexpected error while answering", exc_info=exc)
        return bad_request("something went wrong while answering; the error has been logged on the server",
                           status=500, error="internal error")
    status, label = known
    if allowed is None:
        allowed = getattr(exc, "allowed", None)
    return bad_request(detail_for(exc), allowed, status=status, error=label)


def unavailable_detail(exc: HolocarbonError) -> str:
    """The message of an engine error, prefixed with what kind of data is missing (kept for callers)."""
    return detail_for(exc)


def register_error_handlers(bp) -> None:
    """Engine errors and memory errors raised inside a blueprint's views answer through :data:`ERROR_STATUS`."""

    @bp.errorhandler(HolocarbonError)
    def _engine_error(exc):
        return error_response(exc)

    @bp.errorhandler(MemoryError)
    def _memory(exc):
        log.error("out of memory while answering a request")
        return error_response(exc)
