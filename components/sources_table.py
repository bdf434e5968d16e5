"""The sources table of the Data & methods page: one row per public source with status badges."""

from __future__ import annotations

import time
from dataclasses import dataclass

from dash import html

from components import runtime
from engine.fetch import FIX_COMMAND, file_status
from engine.registry import Source, load_registry

STATUS_LABEL = {"ok": "present", "missing": "missing", "corrupt": "corrupt"}


@dataclass(frozen=True)
class SourceStatus:
    """Status of one source: counts of files per status."""

    source: Source
    ok: int
    missing: int
    corrupt: int

    @property
    def status(self) -> str:
        return "corrupt" if self.corrupt else "missing" if self.missing else "ok"


def source_statuses(registry: dict[str, Source], settings) -> list[SourceStatus]:
    """Verify every file (size and sha256) and summarise per source."""
    out = []
    for src in registry.values():
        states = [file_status(settings, f) for f in src.files]
        out.append(SourceStatus(src, states.count("ok"), states.count("missing"), states.count("corrupt")))
    return out


#: How long a verification of the source files is reused [s].
STATUS_TTL_S = 60


def cached_statuses(data_dir: str) -> list[tuple[str, int, int, int]]:
    """(source id, ok, missing, corrupt) per source; verified (sha256) at most once a minute per data directory,
    shared by the Data & methods page and ``/api/v1/sources`` (the key carries the minute, so an entry is never used
    after its minute has passed)."""
    def build():
        return [(s.source.id, s.ok, s.missing, s.corrupt) for s in source_statuses(load_registry(),
                                                                                   runtime.settings())]

    acc = runtime.accounts()
    if acc is None:
        return build()
    return acc.cache.memo(acc._key("source-status", data_dir, int(time.time() // STATUS_TTL_S)), build)


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
