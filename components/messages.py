"""The one place that turns errors into messages a person can act on (never a stack trace).

Which errors are the user's to fix (a bad choice, an unknown code) and which are the server's (a missing source file,
no processed pack, the chart renderer) is decided by the same table as the API's HTTP statuses
(:data:`api.errors.ERROR_STATUS`): a page says the same thing a script would read.
"""

from __future__ import annotations

import logging

from dash import html

from api.errors import detail_for, status_for
from engine.io.nowcast import MRIO_YEARS

log = logging.getLogger("holocarbon")

#: What a year before the input–output tables lacks, in the words every page, badge and export uses (one source).
NO_IO_TABLE = f"No input–output table before {MRIO_YEARS[0]}"
no_io_table = NO_IO_TABLE[0].lower() + NO_IO_TABLE[1:]


def year_words(method: str, structure: int | None) -> str:
    """What the accounts of a year rest on, for the badge beside the year and the line in exports: a measured table,
    a nowcast on the last table (modelled), or production only (``method`` from
    :func:`engine.io.nowcast.method_for`)."""
    if method == "mrio":
        return f"Consumption from the WIOD table of {structure}"
    if method == "nowcast":
        return f"Modelled: consumption nowcast on the {structure} table"
    return f"Production only: {no_io_table}"


def user_message(exc: BaseException) -> str:
    """A short message for an exception; unexpected errors are logged and get a generic sentence."""
    known = status_for(exc)
    if known is None and not isinstance(exc, KeyError):
        log.exception("unexpected error", exc_info=exc)
        return "Something went wrong while computing this view; the error has been logged."
    return detail_for(exc)


def notice_kind(exc: BaseException) -> str:
    """``warning`` for what the user can change (4xx), ``error`` for what the server lacks (5xx)."""
    known = status_for(exc)
    return "warning" if known is not None and known[0] < 500 else "error"


def notice(text: str, kind: str = "info", title: str | None = None) -> html.Div:
    """A boxed notice (kind: info, warning, error) used for empty states and errors."""
    return html.Div(
        [html.Strong(title) if title else None, html.Span(text)],
        className=f"notice notice-{kind}",
        role="alert" if kind == "error" else "status",
    )


def error_notice(exc: BaseException) -> html.Div:
    return notice(user_message(exc), notice_kind(exc), "Cannot show this view. ")
