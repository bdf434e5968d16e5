"""JSON error responses for the API and tile routes: ``{error, detail, allowed}`` with a 4xx status."""

from __future__ import annotations

from flask import jsonify


def bad_request(detail: str, allowed=None, status: int = 400, error: str = "bad request"):
    body = {"error": error, "detail": detail}
    if allowed is not None:
        body["allowed"] = list(allowed)
    resp = jsonify(body)
    resp.status_code = status
    return resp
