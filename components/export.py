"""Rendering charts for reports: decorated figures as PNG/SVG/PDF, data as CSV/XLSX.

Every exported figure carries its title, the Query in words, the method and sources footnote, the modelled-year line
when the chart shows a nowcast year, the "Cite this view" line (:mod:`components.cite`) and a small Holocarbon
credit. The CSV's comment lines and the XLSX's ``about`` sheet carry the same (sources, licenses, method, notes,
Query, modelled, cite).
Figures are drawn by the process's :class:`components.render.figures.FigureRenderer` (kaleido with Debian's
chromium; each render's answer goes to its own caller, geo charts use the local TopoJSON, never the CDN).
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap

import pandas as pd
import plotly.graph_objects as go

from components import cite
from components.charts import SOURCES, ChartOutput
from components.render.figures import FIGURE_FORMATS
from engine.core.query import Query

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
WIDTH, HEIGHT = 1200, 720
CREDIT = "Made with Holocarbon — open greenhouse-gas accounting from public data"


def source_lines(out: ChartOutput) -> list[str]:
    return [f"{SOURCES[k][0]} ({SOURCES[k][1]})" if k in SOURCES else k for k in out.sources]


def interval_lines(out: ChartOutput) -> list[str]:
    """The interval note of a chart that shows intervals, wrapped for the footer (empty otherwise)."""
    if out.ci is None or not out.interval_note:
        return []
    return textwrap.wrap(out.interval_note, 180)


def footer_lines(out: ChartOutput, q: Query, params: dict | None = None, chart: str | None = None) -> list[str]:
    """The footnote of an exported figure, one string per line (escaped for plotly's HTML subset): method, the
    modelled-year line (bold), interval note, sources, the cite line (cut at spaces), credit and date. The one place
    figure footers are written: :func:`decorate` for PNG/SVG/PDF and the briefing's chart pages."""
    extra = cite.export_lines(chart, out, q, params)
    modelled = [f"<b>{_esc(x)}</b>" for x in extra[:-1]]
    lines = ["Method: " + out.method] + modelled + interval_lines(out) + ["Source: " + s for s in source_lines(out)]
    lines += [_esc(x) for x in cite.wrap(extra[-1])]
    lines.append(f"{CREDIT} · {dt.date.today().isoformat()}")
    return lines


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def decorate(out: ChartOutput, q: Query, params: dict | None = None, chart: str | None = None) -> go.Figure:
    """A copy of the chart's figure dressed for a report: title, Query in words (and the interval level when the
    chart shows intervals), then the footnote of :func:`footer_lines`. ``chart`` is the chart's registry name (the
    cite line links to the page that shows it)."""
    fig = go.Figure(out.figure)
    for i, trace in enumerate(fig.data):  # plotly.js names unnamed traces with a random uid: exports must repeat
        if trace.uid is None:
            trace.uid = f"trace-{i}"
    where = ", ".join(f"{k} {v}" for k, v in (params or {}).items())
    subtitle = (out.query_text or q.describe()) + (f" · {where}" if where else "")
    if out.ci is not None:
        subtitle += f" · {out.ci} % intervals"
    lines = footer_lines(out, q, params, chart)
    fig.update_layout(title=dict(text=out.title, subtitle=dict(text=subtitle, font=dict(size=12, color="#5f6b7a")),
                                 x=0.01, xanchor="left", font=dict(size=18)),
                      width=WIDTH, height=HEIGHT, margin=dict(t=100, b=92 + 14 * len(lines)),
                      legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                                  bgcolor="rgba(255,255,255,0)"))
    old = [a for a in fig.layout.annotations if not (a.yref == "paper" and (a.y or 0) <= 0)]
    footer = go.layout.Annotation(text="<br>".join(lines), showarrow=False, xref="paper", yref="paper", x=0, y=0,
                                  yshift=-48, xanchor="left", yanchor="top", align="left",
                                  font=dict(size=10, color="#5f6b7a"))
    fig.layout.annotations = (*old, footer)  # assign, not update_layout: that merges lists by position
    if fig.layout.title.subtitle.text and any(t.type in ("bar", "scatter", "waterfall") for t in fig.data):
        fig.update_layout(margin=dict(t=125))  # room for the legend row under the subtitle
    return fig


def figure_bytes(out: ChartOutput, fmt: str, q: Query, params: dict, renderer, chart: str | None = None) -> bytes:
    """PNG (2× scale), SVG or PDF of the decorated figure.

    Raises
    ------
    ValueError
        If the chart has no figure (data-only charts such as tables) or the format is not a figure format.
    """
    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"figure formats are {', '.join(FIGURE_FORMATS)}; got {fmt!r}")
    if out.figure is None:
        raise ValueError("this chart is a table: export it as csv or xlsx")
    return renderer.render(decorate(out, q, params, chart), fmt, WIDTH, HEIGHT, scale=2 if fmt == "png" else 1)


def about_rows(out: ChartOutput, q: Query, params: dict, chart: str | None = None) -> list[tuple[str, str]]:
    """The metadata of a data export (CSV comment lines, the XLSX ``about`` sheet), with the modelled-year line
    and the cite line of :func:`components.cite.export_lines`."""
    extra = cite.export_lines(chart, out, q, params)
    rows = [("title", out.title), ("query", out.query_text or q.describe()), ("query string", q.to_query_string())]
    rows += [(k, str(v)) for k, v in params.items()]
    rows.append(("method", out.method))
    if out.ci is not None:
        rows.append(("intervals", f"{out.ci} % (central {out.ci} % of the Monte Carlo draws; columns *_lo and *_hi)"))
    rows += [("note", n) for n in out.notes]
    rows += [("source", f"{SOURCES[k][0]}") for k in out.sources if k in SOURCES]
    rows += [("license", f"{SOURCES[k][0]}: {SOURCES[k][1]}") for k in out.sources if k in SOURCES]
    rows += [("modelled", x) for x in extra[:-1]]
    rows.append(("cite", extra[-1].removeprefix("Cite this view: ")))
    rows += [("generated", f"{CREDIT}, {dt.datetime.now(dt.timezone.utc).isoformat(timespec='seconds')}")]
    return rows


def csv_bytes(out: ChartOutput, q: Query, params: dict, chart: str | None = None) -> bytes:
    """The chart's data as CSV, preceded by ``#`` comment lines with the Query, method and sources."""
    head = "".join(f"# {k}: {v}\n" for k, v in about_rows(out, q, params, chart))
    return (head + out.data.to_csv(index=False)).encode("utf-8")


def xlsx_bytes(out: ChartOutput, q: Query, params: dict, chart: str | None = None) -> bytes:
    """Workbook with sheets ``data`` and ``about`` (sources, licenses, method notes, Query)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        out.data.to_excel(xw, sheet_name="data", index=False)
        pd.DataFrame(about_rows(out, q, params, chart), columns=["field", "value"]).to_excel(xw, sheet_name="about",
                                                                                        index=False)
    return buf.getvalue()
