"""The sources table of the Data & methods page: one row per public source with status badges."""

from __future__ import annotations

from dash import html

from components.runtime import (
    cached_statuses,  # noqa: F401  (the Data & methods page reads it from here)
)
from engine.data.fetch import FIX_COMMAND, SourceStatus, source_statuses  # noqa: F401

STATUS_LABEL = {"ok": "present", "missing": "missing", "corrupt": "corrupt"}


def status_badge(status: str) -> html.Span:
    return html.Span(STATUS_LABEL[status], className=f"badge badge-{status}")


def sources_table(statuses: list[SourceStatus]) -> html.Table:
    header = html.Thead(html.Tr([html.Th(h) for h in
                                 ("Source", "Used for", "Years", "License", "Citation", "Files", "Status")]))
    rows = []
    for st in statuses:
        src = st.source
        files = f"{st.ok} of {len(src.files)} verified"
        if st.status != "ok":
            files += f" — run {FIX_COMMAND}"
        rows.append(html.Tr([
            html.Td([html.Strong(src.title), html.Br(), html.Code(src.id)]),
            html.Td(src.used_for),
            html.Td(src.years),
            html.Td(src.license),
            html.Td([src.citation, html.Br(), html.A(src.url_info, href=src.url_info, rel="noopener")],
                    className="citation"),
            html.Td(files),
            html.Td(status_badge(st.status)),
        ], id=f"source-{src.id}"))
    return html.Table([header, html.Tbody(rows)], className="table sources-table")
