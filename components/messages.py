"""The one place that turns engine errors into messages a person can act on (never a stack trace)."""

from __future__ import annotations

import logging

from dash import html

from engine.errors import HolocarbonError, PackError, SourceError

log = logging.getLogger("holocarbon")


def user_message(exc: BaseException) -> str:
    """A short message for an exception; unexpected errors are logged and get a generic sentence."""
    if isinstance(exc, SourceError):
        return f"A source file this view needs is not available. {exc}"
    if isinstance(exc, PackError):
        return f"The processed data pack is not available: {exc}"
    if isinstance(exc, KeyError):  # str(KeyError('x')) is "'x'": show the key without the quotes
        return str(exc.args[0]) if exc.args else "missing value"
    if isinstance(exc, (HolocarbonError, ValueError)):
        return str(exc)
    log.exception("unexpected error", exc_info=exc)
    return "Something went wrong while computing this view; the error has been logged."


def notice(text: str, kind: str = "info", title: str | None = None) -> html.Div:
    """A boxed notice (kind: info, warning, error) used for empty states and errors."""
    return html.Div(
        [html.Strong(title) if title else None, html.Span(text)],
        className=f"notice notice-{kind}",
        role="alert" if kind == "error" else "status",
    )


def error_notice(exc: BaseException) -> html.Div:
    return notice(user_message(exc), "error", "Cannot show this view. ")
