"""The briefing: several registered charts with the reader's notes, assembled into one PDF or one HTML file.

A briefing is plain JSON kept in the browser (local storage key ``hc-briefing``, written by ``assets/export.js``)::

    {"title": str, "intro": str, "items": [{"chart": str, "title": str, "query": str, "note": str}, ...]}

``chart`` is a name from :data:`components.charts.CHARTS`; ``query`` is the page's query string plus the chart's
page parameters (``code=CHN``), exactly what ``/export/<chart>.<fmt>?<query>`` takes. Nothing is kept on the
server: the PDF/HTML is rebuilt from the registry each time.

Pure assembly functions, used by the page's download callbacks and by ``POST /briefing/export.<fmt>``:
:func:`parse_json` / :func:`validate` (strict; raise :class:`BriefingError`), :func:`resolve` (rebuild every
chart), :func:`pdf_bytes` (cover, one page per chart with its note, sources; kaleido + pypdf) and
:func:`html_bytes` (one self-contained file: interactive figures with plotly.js inlined once, no CDN; geo and map
figures as PNG ``data:`` images because their TopoJSON/tiles would otherwise be fetched from the internet).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html as _html
import io
import json
import re
import textwrap
from dataclasses import dataclass
from urllib.parse import parse_qs

import plotly.graph_objects as go

from components import cite
from components.charts import CHARTS, SOURCES, ChartOutput, ChartSpec
from components.export import CREDIT, WIDTH, decorate
from components.figures import FONT
from engine.core.errors import PackError
from engine.core.query import Query

#: Limits (checked by :func:`validate`; the upload and the API refuse larger files before parsing).
MAX_ITEMS = 30
MAX_TITLE = 200          # the cover title (a longer one cannot be laid out on the cover page)
MAX_TEXT = 2000          # intro, notes, item titles, query strings
MAX_BYTES = 256 * 1024   # a briefing file or request body
KEYS = ("title", "intro", "items")
ITEM_KEYS = ("chart", "title", "query", "note")
DEFAULT_TITLE = "Holocarbon briefing"

#: PDF pages: A4 landscape proportions at the export width (1200 × 849 px -> 900 × 637 pt).
PAGE_W, PAGE_H = WIDTH, 849
INK, MUTED, ACCENT = "#1f2933", "#5f6b7a", "#1f6f5c"
_GEO_TYPES = {"choropleth", "scattergeo", "choroplethmap", "scattermap", "densitymap", "choroplethmapbox",
              "scattermapbox", "densitymapbox"}


class BriefingError(ValueError):
    """A briefing that cannot be used, with a message for the person who made it."""


def empty() -> dict:
    return {"title": "", "intro": "", "items": []}


# --------------------------------------------------------------------------------------------------- validation

def parse_json(raw: bytes | str) -> dict:
    """Parse and :func:`validate` a briefing file or request body (JSON only; never eval or pickle)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise BriefingError(f"the briefing file is too large ({len(raw) // 1024} KB; the limit is "
                            f"{MAX_BYTES // 1024} KB)")
    if not raw.strip():
        raise BriefingError("the briefing file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BriefingError("the briefing file is not UTF-8 text (is it a .json file saved by Holocarbon?)") from None

    def _no_constant(name):
        raise BriefingError(f"the briefing file is not valid JSON ({name} is not allowed)")

    def _pairs(pairs):
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise BriefingError("the briefing file is not valid: a key appears twice in one object")
        return dict(pairs)

    try:
        data = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise BriefingError(f"the briefing file is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                            f"{exc.msg})") from None
    except RecursionError:
        raise BriefingError("the briefing file is not valid: it is nested too deeply") from None
    return validate(data)


def _text(value, where: str, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BriefingError(f"{where} must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise BriefingError(f"{where} is too long ({len(value):,} characters; the limit is {limit:,})")
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise BriefingError(f"{where} contains control characters")
    return value


def validate(data) -> dict:
    """A clean copy of a briefing, or :class:`BriefingError` naming the first problem.

    Strict: only the keys ``title``, ``intro``, ``items`` (and per item ``chart``, ``title``, ``query``,
    ``note``), text values only, at most :data:`MAX_ITEMS` charts, known chart names, bounded lengths. The
    query strings themselves are checked when the charts are rebuilt (:func:`resolve`).
    """
    if not isinstance(data, dict):
        raise BriefingError("a briefing must be a JSON object with title, intro and items")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise BriefingError(f"unknown key(s) {', '.join(map(repr, unknown))}; a briefing has {', '.join(KEYS)}")
    items = data.get("items", [])
    if items is None:
        items = []
    if not isinstance(items, list):
        raise BriefingError("items must be a list of charts")
    if len(items) > MAX_ITEMS:
        raise BriefingError(f"the briefing has {len(items)} charts; the limit is {MAX_ITEMS} — remove "
                            f"{len(items) - MAX_ITEMS}")
    clean = {"title": _text(data.get("title"), "the title", MAX_TITLE).strip(),
             "intro": _text(data.get("intro"), "the introduction"), "items": []}
    for i, item in enumerate(items, 1):
        where = f"chart {i}"
        if not isinstance(item, dict):
            raise BriefingError(f"{where} must be an object with chart, title, query and note")
        unknown = sorted(set(item) - set(ITEM_KEYS))
        if unknown:
            raise BriefingError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
        chart = item.get("chart")
        if not isinstance(chart, str) or chart not in CHARTS:
            raise BriefingError(f"{where}: unknown chart {str(chart)[:60]!r}; known charts are "
                                f"{', '.join(sorted(CHARTS))}")
        clean["items"].append({"chart": chart, "title": _text(item.get("title"), f"{where}: the title"),
                               "query": _text(item.get("query"), f"{where}: the query").lstrip("?"),
                               "note": _text(item.get("note"), f"{where}: the note")})
    return clean


def coerce(data) -> dict:
    """A displayable briefing from whatever is in local storage (lenient: never raises; for the page only)."""
    out = empty()
    if not isinstance(data, dict):
        return out
    out["title"] = data["title"] if isinstance(data.get("title"), str) else ""
    out["intro"] = data["intro"] if isinstance(data.get("intro"), str) else ""
    for item in data.get("items") or [] if isinstance(data.get("items"), list) else []:
        if isinstance(item, dict):
            out["items"].append({k: item[k] if isinstance(item.get(k), str) else "" for k in ITEM_KEYS})
    return out


# ---------------------------------------------------------------------------------------------- rebuilding charts

@dataclass(frozen=True)
class Resolved:
    """One briefing item rebuilt: its spec, the Query and page parameters, and the chart output."""

    item: dict
    spec: ChartSpec
    query: Query
    params: dict
    output: ChartOutput


def split_query(spec: ChartSpec, qs: str) -> tuple[Query, dict]:
    """(Query, page parameters) from an item's query string, as ``/export/<chart>`` reads it."""
    try:
        args = {k: v[-1] for k, v in parse_qs(qs, keep_blank_values=False, strict_parsing=False).items()}
    except ValueError as exc:
        raise BriefingError(f"bad query string: {exc}") from None
    params = {k: args.pop(k) for k in (*spec.params, *spec.optional) if k in args}
    missing = [k for k in spec.params if k not in params]
    if missing:
        raise BriefingError(f"the chart needs the parameter(s) {', '.join(missing)}")
    return Query.from_params(args), params


def resolve(accounts, briefing: dict) -> list[Resolved]:
    """Rebuild every chart of a validated briefing; :class:`BriefingError` names the first item that fails."""
    if accounts is None:
        raise PackError("the processed data pack is not available")
    if not briefing["items"]:
        raise BriefingError("the briefing has no charts yet: add charts with “+ Add to briefing” under any chart")
    done = []
    for i, item in enumerate(briefing["items"], 1):
        spec = CHARTS[item["chart"]]
        try:
            q, params = split_query(spec, item["query"])
            out = spec.build(accounts, q, params)
        except ValueError as exc:
            raise BriefingError(f"chart {i} ({item['title'] or spec.title}): {exc}") from None
        if out.figure is None:  # a table chart: show its first rows as a plotly table
            out = dataclasses.replace(out, figure=_table_figure(out))
        done.append(Resolved(item, spec, q, params, out))
    return done


def sources_used(resolved: list[Resolved]) -> list[tuple[str, str]]:
    """(source, license) of every source quoted by the briefing's charts, first use first."""
    keys = list(dict.fromkeys(k for r in resolved for k in r.output.sources))
    return [SOURCES.get(k, (k, "see the Data & methods page")) for k in keys]


def _table_figure(out: ChartOutput, rows: int = 20) -> go.Figure:
    head = out.data.head(rows)
    fig = go.Figure(go.Table(header=dict(values=[str(c) for c in head.columns], fill_color="#eef1f4"),
                             cells=dict(values=[head[c].astype(str).tolist() for c in head.columns])))
    if len(out.data) > rows:
        fig.add_annotation(text=f"First {rows} of {len(out.data):,} rows", showarrow=False, xref="paper",
                           yref="paper", x=1, y=1.02, xanchor="right", font=dict(size=11, color=MUTED))
    return fig


# --------------------------------------------------------------------------------------------------------- text

def _wrap(text: str, width: int, max_lines: int | None = None) -> list[str]:
    """Escaped lines for a plotly annotation (plotly renders a small HTML subset, so user text is escaped)."""
    lines: list[str] = []
    for para in text.replace("\r\n", "\n").split("\n"):
        wrapped = textwrap.wrap(para, width, break_long_words=True, break_on_hyphens=True) or [""]
        lines.extend(_html.escape(line, quote=False) for line in wrapped)
    while lines and not lines[-1]:
        lines.pop()
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [lines[max_lines - 1] + " …"]
    return lines


def _today() -> str:
    return dt.date.today().strftime("%-d %B %Y")


class _Flow:
    """Annotations stacked top-down on a blank page (pixel layout on a figure with zero margins)."""

    def __init__(self, top: int = 70, x: float = 0.07):
        self.y = top
        self.x = x
        self.annotations: list[dict] = []

    def add(self, lines: list[str], size: int, color: str = INK, gap: int = 0, bold: bool = False,
            line_height: float = 1.35) -> None:
        if not lines:
            return
        self.y += gap
        text = "<br>".join(f"<b>{ln}</b>" if bold and ln else ln for ln in lines)
        self.annotations.append(dict(text=text, x=self.x, y=1, xref="paper", yref="paper", xanchor="left",
                                     yanchor="top", yshift=-self.y, align="left", showarrow=False,
                                     font=dict(size=size, color=color)))
        self.y += int(len(lines) * size * line_height) + 4

    def height_of(self, n_lines: int, size: int, line_height: float = 1.35) -> int:
        return int(n_lines * size * line_height) + 4

    def figure(self, footer: str | None = None) -> go.Figure:
        anns = list(self.annotations)
        if footer:
            anns.append(dict(text=footer, x=self.x, y=0, xref="paper", yref="paper", xanchor="left",
                             yanchor="bottom", yshift=40, align="left", showarrow=False,
                             font=dict(size=11, color=MUTED)))
        fig = go.Figure()
        fig.update_layout(width=PAGE_W, height=PAGE_H, margin=dict(l=0, r=0, t=0, b=0), paper_bgcolor="white",
                          font=dict(family=FONT, color=INK),
                          plot_bgcolor="white", xaxis=dict(visible=False), yaxis=dict(visible=False),
                          showlegend=False, annotations=anns,
                          shapes=[dict(type="rect", xref="paper", yref="paper", x0=0, x1=1, y0=0.988, y1=1,
                                       line=dict(width=0), fillcolor=ACCENT)])  # a thin band along the top
        return fig


def _footer() -> str:
    return f"{_html.escape(CREDIT)} · {_today()}"


def cover_figure(briefing: dict, resolved: list[Resolved], kicker: str = "HOLOCARBON BRIEFING") -> go.Figure:
    """Cover page: the kind of document (``kicker``), title, date, introduction, contents (when it fits), "Made
    with Holocarbon"."""
    flow = _Flow(top=90)
    flow.add([kicker], 13, ACCENT, bold=True)
    flow.add(_wrap(briefing["title"] or DEFAULT_TITLE, 48, 5), 34, INK, gap=14, bold=True, line_height=1.2)
    flow.add([_today() + f" · {len(resolved)} chart{'s' if len(resolved) != 1 else ''}"], 14, MUTED, gap=6)
    flow.add(_wrap(briefing["intro"], 105, 24), 15, INK, gap=26, line_height=1.45)
    contents = [f"{i}. " + _html.escape(_short(r.item["title"] or r.output.title, 100))
                for i, r in enumerate(resolved, 1)]
    room = PAGE_H - 110 - flow.y - 60
    if contents and flow.height_of(len(contents) + 1, 13, 1.5) <= room:
        flow.add(["Contents"], 14, INK, gap=30, bold=True)
        flow.add(contents + [f"{len(resolved) + 1}. Sources and licenses"], 13, MUTED, line_height=1.5)
    return flow.figure("<b>Made with Holocarbon</b> — open greenhouse-gas accounting from public data · "
                       + _today())


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def chart_figure(r: Resolved) -> go.Figure:
    """One chart page: the decorated figure at page size with the note between the plot and the footnote."""
    fig = decorate(r.output, r.query, r.params, r.spec.name)
    note = _wrap(r.item["note"], 120, 18)  # 120 characters fit beside the widest y-axis labels
    last = len(fig.layout.annotations) - 1  # decorate() appends the method/sources/credit footnote last
    foot_shift = fig.layout.annotations[last].yshift or 0
    foot_lines = str(fig.layout.annotations[last].text).count("<br>") + 1
    if note:
        size = 13
        note_h = int(len(note) * size * 1.4) + 14
        fig.add_annotation(text="<br>".join(["<b>Note:</b> " + note[0], *note[1:]]), showarrow=False,
                           xref="paper", yref="paper", x=0, y=0, yshift=foot_shift, xanchor="left", yanchor="top",
                           align="left", font=dict(size=size, color=INK), bgcolor="#f3f6f4", borderpad=6)
        foot_shift -= note_h + 12
        fig.layout.annotations[last].yshift = foot_shift
    m = fig.layout.margin
    fig.update_layout(width=PAGE_W, height=PAGE_H,
                      margin=dict(l=max(m.l if m.l is not None else 80, 70), r=max(m.r if m.r is not None else 80, 50),
                                  b=max(m.b or 0, -foot_shift + foot_lines * 14 + 24)))
    return fig


def briefing_citation(briefing: dict) -> str:
    """The cite line of the briefing as a whole (each chart page carries the line of its own view)."""
    return cite.citation(briefing["title"] or DEFAULT_TITLE, cite.base_url() + "/briefing", cite.runtime_pack_key())


def sources_figure(briefing: dict, resolved: list[Resolved]) -> go.Figure:
    """Last page: every source and license used by the briefing's charts, and how to cite the briefing."""
    flow = _Flow(top=90)
    flow.add(["Sources"], 30, INK, bold=True)
    flow.add(_wrap("The data behind the charts in this briefing and their licenses. Each chart page names its "
                   "own method and sources and ends with the line that cites its view (the page, its query, the "
                   "version and the data pack); the Data & methods page of Holocarbon lists every source with its "
                   "full citation.", 120), 13, MUTED, gap=8)
    for name, lic in sources_used(resolved):
        flow.add(_wrap(name, 110), 14, INK, gap=14, bold=True)
        flow.add(_wrap("License: " + lic, 120), 13, MUTED)
    flow.add(["Cite this briefing"], 14, INK, gap=20, bold=True)
    flow.add([_html.escape(x, quote=False) for x in cite.wrap(briefing_citation(briefing), 120)], 13, MUTED)
    return flow.figure(_footer())


# ---------------------------------------------------------------------------------------------------------- PDF

def pdf_bytes(accounts, renderer, briefing: dict) -> bytes:
    """The briefing as one PDF: cover, one page per chart (with its note), sources.

    Raises
    ------
    BriefingError
        No charts, or a chart that cannot be rebuilt from its query (the message names it).
    """
    from pypdf import PdfWriter

    briefing = validate(briefing)
    resolved = resolve(accounts, briefing)
    figures = [cover_figure(briefing, resolved), *(chart_figure(r) for r in resolved),
               sources_figure(briefing, resolved)]
    writer = PdfWriter()
    for fig in figures:
        writer.append(io.BytesIO(renderer.render(fig, "pdf", PAGE_W, PAGE_H)))
    writer.add_metadata({"/Title": briefing["title"] or DEFAULT_TITLE, "/Creator": "Holocarbon",
                         "/Producer": "Holocarbon (plotly, kaleido, pypdf)"})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2933;
margin:0;background:#f6f7f9;line-height:1.5}
main{max-width:1240px;margin:0 auto;padding:1.5rem}
.cover{background:linear-gradient(120deg,#e4f1ec,#e8eef7);border-radius:10px;padding:1.6rem 2rem;margin-bottom:1.5rem}
.kicker{color:#1f6f5c;font-weight:700;letter-spacing:.06em;font-size:.85rem;margin:0}
h1{font-size:2rem;margin:.3rem 0}.date{color:#5f6b7a;margin:0 0 1rem}.intro p{max-width:80ch}
section.chart{background:#fff;border:1px solid #e3e7ec;border-radius:8px;padding:.6rem;margin:1.2rem 0;
break-inside:avoid}
section.chart img{width:100%;height:auto}
.note{background:#f3f6f4;border-left:4px solid #1f6f5c;padding:.6rem 1rem;margin:.6rem .4rem;max-width:100ch}
.note p{margin:.3rem 0}.sources li{margin:.4rem 0}.license{color:#5f6b7a}
footer{color:#5f6b7a;font-size:.85rem;text-align:center;padding:1.5rem}
"""


def _paragraphs(text: str) -> str:
    paras = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + _html.escape(p).replace("\n", "<br>") + "</p>" for p in paras)


def _is_geo(fig: go.Figure) -> bool:
    return any(t.type in _GEO_TYPES for t in fig.data)


def html_bytes(accounts, renderer, briefing: dict) -> bytes:
    """The briefing as one self-contained HTML file (works offline; nothing is loaded from the internet).

    Figures are interactive plotly charts; plotly.js is inlined once, before the first one. Geo and tile-map
    figures are embedded as PNG ``data:`` images instead (their TopoJSON or tiles would come from a CDN).
    """
    import plotly.io as pio

    briefing = validate(briefing)
    resolved = resolve(accounts, briefing)
    title = briefing["title"] or DEFAULT_TITLE
    head = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta name=\"generator\" content=\"Holocarbon\"><title>{_html.escape(title)}</title>"
            f"<style>{_CSS}</style></head><body><main>")
    cover = ("<header class=\"cover\"><p class=\"kicker\">HOLOCARBON BRIEFING</p>"
             f"<h1>{_html.escape(title)}</h1><p class=\"date\">{_today()} · {len(resolved)} "
             f"chart{'s' if len(resolved) != 1 else ''}</p>"
             f"<div class=\"intro\">{_paragraphs(briefing['intro'])}</div></header>")
    parts = [head, cover]
    plotlyjs_done = False
    for i, r in enumerate(resolved, 1):
        fig = decorate(r.output, r.query, r.params, r.spec.name)
        parts.append(f"<section class=\"chart\" id=\"chart-{i}\">")
        if _is_geo(fig):
            png = renderer.render(fig, "png", WIDTH, fig.layout.height or 720, scale=2)
            alt = _html.escape(r.output.title, quote=True)
            parts.append(f"<img alt=\"{alt}\" src=\"data:image/png;base64,{base64.b64encode(png).decode()}\">")
        else:
            fig.update_layout(width=None, autosize=True)
            parts.append(pio.to_html(fig, full_html=False, include_plotlyjs=not plotlyjs_done,
                                     include_mathjax=False, default_width="100%",
                                     default_height=f"{fig.layout.height or 720}px",
                                     config={"displaylogo": False, "responsive": True}))
            plotlyjs_done = True
        if r.item["note"].strip():
            parts.append(f"<div class=\"note\"><strong>Note</strong>{_paragraphs(r.item['note'])}</div>")
        parts.append("</section>")
    items = "".join(f"<li><strong>{_html.escape(name)}</strong><br><span class=\"license\">License: "
                    f"{_html.escape(lic)}</span></li>" for name, lic in sources_used(resolved))
    parts.append(f"<section class=\"sources\"><h2>Sources</h2><p>The data behind the charts in this briefing and "
                 f"their licenses; each chart's footnote names its method and sources and cites its view.</p>"
                 f"<ul>{items}</ul><p class=\"cite\"><strong>Cite this briefing:</strong> "
                 f"{_html.escape(briefing_citation(briefing))}</p></section></main><footer><strong>Made with Holocarbon</strong> — open greenhouse-gas "
                 f"accounting from public data · {_today()}</footer></body></html>\n")
    return "".join(parts).encode("utf-8")


# --------------------------------------------------------------------------------------------------- file names

def json_bytes(briefing: dict) -> bytes:
    """The briefing as a ``.json`` file that :func:`parse_json` reads back."""
    return json.dumps(validate(briefing), ensure_ascii=False, indent=2).encode("utf-8")


def filename(briefing: dict, ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (briefing.get("title") or "").lower()).strip("-")[:60]
    return f"holocarbon-briefing{'_' + slug if slug else ''}_{dt.date.today().isoformat()}.{ext}"
