"""The validation report as a page: ``docs/validation.md`` (written by ``python -m components.render.report``)
rendered as it is, one section per ``##`` heading with an anchor (``/validation#4-headline-...``), its tables
scrolling in their own box on a phone. It says which data pack the report was computed from, and warns when the app
now serves another one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final, final

import dash
from dash import dcc, html

from components import runtime
from components.messages import notice

REPORT = Path(__file__).resolve().parents[1] / "docs" / "validation.md"


@final
class ID:
    """Component ids of the validation page."""

    REPORT: Final = "validation-report"
    PACK_NOTE: Final = "validation-pack"


dash.register_page(__name__, path="/validation", name="Validation report", nav=False, order=91,
                   title="Validation report — Holocarbon",
                   description="How Holocarbon's numbers compare with the Global Carbon Budget, published input–output "
                               "results and the CDIAC grid, and their uncertainty.")


def anchor(heading: str) -> str:
    """The anchor of a heading: lower case, words joined by hyphens (``4. Headline: 2022`` -> ``4-headline-2022``)."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def sections(text: str) -> list[tuple[str | None, str]]:
    """(heading or None, Markdown) per ``##`` section; the part before the first one has no heading."""
    out: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.splitlines():
        if line.startswith("## "):
            out.append((line[3:].strip(), [line]))
        else:
            out[-1][1].append(line)
    return [(h, "\n".join(lines)) for h, lines in out if h is not None or "".join(lines).strip()]


def report_pack(text: str) -> str | None:
    """The pack id the report says it was computed from."""
    m = re.search(r"from pack `([0-9a-f]+)`", text)
    return m.group(1) if m else None


def pack_note(text: str) -> html.Div | None:
    serving = runtime.pack()
    made = report_pack(text)
    if serving is None or made is None:
        return None
    if serving.key == made:
        return notice(f"This report was computed from pack {made}, the data pack the app is serving.", "info",
                      "Data pack: ")
    return notice(f"This report was computed from pack {made}; the app now serves pack {serving.key}. Its figures "
                  "may differ slightly from what the pages show until the report is regenerated.", "warning",
                  "Data pack: ")


def layout(**_query):
    try:
        text = REPORT.read_text(encoding="utf-8")
    except OSError:
        return html.Div([html.H1("Validation report"),
                         notice("The validation report is not available on this server.", "warning")])
    parts = []
    for heading, md in sections(text):
        block = dcc.Markdown(md, link_target="_self")
        parts.append(html.Section(block, id=anchor(heading)) if heading else block)
    parts.insert(1, html.Div(pack_note(text), id=ID.PACK_NOTE))  # under the title and the report's first lines
    return html.Div([
        html.Article(parts, className="validation-report", id=ID.REPORT),
        html.P(["Back to ", dcc.Link("Data & methods", href="/data"), "."]),
    ])
