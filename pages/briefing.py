"""Briefing builder: the charts collected with "+ Add to briefing", with a title, an introduction and notes,
downloaded as one PDF or one self-contained HTML file, or saved/opened as a ``.json`` file.

The briefing lives in this browser only: ``dcc.Store(id="hc-briefing", storage_type="local")`` reads and writes
plain JSON under the local-storage key ``hc-briefing`` — the same key and format ``assets/export.js`` writes
(Dash's local store keeps ``JSON.stringify(data)`` under the store id, plus ``hc-briefing-timestamp``).

Edits (title, introduction, notes, move up/down, remove) are applied in the browser by one clientside callback
(no round trip while typing); the list is re-rendered by the server only when its structure changes (a counter
in ``briefing-shape``), so a note being typed never loses focus. Downloads call :mod:`components.briefing`.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import logging
from typing import Final, final

import dash
from dash import (
    ALL,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
    no_update,
)
from flask import current_app
from pypdf import PdfReader

from components import runtime
from components.briefing import (
    MAX_BYTES,
    MAX_ITEMS,
    MAX_TEXT,
    MAX_TITLE,
    BriefingError,
    coerce,
    empty,
    filename,
    html_bytes,
    json_bytes,
    parse_json,
    pdf_bytes,
    split_query,
    validate,
)
from components.charts import CHARTS
from components.messages import notice, user_message

log = logging.getLogger("holocarbon")

dash.register_page(__name__, path="/briefing", name="Briefing", order=80, title="Briefing — Holocarbon",
                   description="Collect charts from any page, add your notes, and download them as one PDF or "
                               "HTML report.")



@final
class ID:
    """Component ids of the briefing page (one place: layout, callbacks, clientside JavaScript and tests use these)."""

    STORE: Final = "hc-briefing"  # also the local-storage key (assets/export.js writes it)
    SHAPE: Final = "briefing-shape"
    UPLOAD_CHECKED: Final = "briefing-upload-checked"
    LAZY: Final = "briefing-lazy"
    DOWNLOAD: Final = "briefing-download"
    TITLE: Final = "briefing-title"
    INTRO: Final = "briefing-intro"
    PDF: Final = "briefing-pdf"
    HTML: Final = "briefing-html"
    SAVE: Final = "briefing-save"
    UPLOAD: Final = "briefing-upload"
    MESSAGE: Final = "briefing-message"
    ITEMS: Final = "briefing-items"
    EMPTY: Final = "briefing-empty"
    # ``type`` of the pattern-matching ids ``{"type": ..., "index": i}`` of each chart in the list
    NOTE: Final = "briefing-note"
    UP: Final = "briefing-up"
    DOWN: Final = "briefing-down"
    REMOVE: Final = "briefing-remove"


EMPTY_TEXT = ("Add charts with the + Add to briefing button under any chart — on the home page or a country page, "
              "for example. They are collected here, in this browser, with the choices (year, metric, regions) "
              "that were on screen.")


def layout(**_query):
    return html.Div([
        html.H1("Briefing"),
        html.P("Collect charts from any page, add a title, an introduction and a note per chart, then download "
               "everything as one PDF or one HTML file. The briefing is kept in this browser only (local "
               "storage); save it as a .json file to keep it or share it.", className="lead-small"),
        dcc.Store(id=ID.STORE, storage_type="local"),
        dcc.Store(id=ID.SHAPE),
        dcc.Store(id=ID.UPLOAD_CHECKED),
        dcc.Store(id=ID.LAZY),
        dcc.Download(id=ID.DOWNLOAD),
        html.Div([
            html.Label(["Title", dcc.Input(id=ID.TITLE, type="text", maxLength=MAX_TITLE,
                                           placeholder="Holocarbon briefing", className="briefing-input")],
                       className="briefing-field"),
            html.Label(["Introduction", dcc.Textarea(id=ID.INTRO, maxLength=MAX_TEXT, rows=4,
                                                     placeholder="What this briefing is about (printed on the "
                                                                 "cover page)", className="briefing-textarea")],
                       className="briefing-field"),
        ], className="briefing-meta"),
        html.Div([
            html.Button("Download PDF", id=ID.PDF, className="btn", type="button"),
            html.Button("Download HTML", id=ID.HTML, className="btn", type="button"),
            html.Button("Save briefing (.json)", id=ID.SAVE, className="btn btn-secondary", type="button"),
            dcc.Upload(html.Button("Open briefing (.json)", className="btn btn-secondary", type="button"),
                       id=ID.UPLOAD, accept=".json,application/json", multiple=False,
                       className="briefing-upload"),
        ], className="briefing-actions"),
        dcc.Loading(html.Div(id=ID.MESSAGE, className="briefing-message"), type="dot", delay_show=150),
        html.Div(html.P("Loading the briefing…", className="muted"), id=ID.ITEMS),
    ], className="briefing-page")


# ---------------------------------------------------------------------------------------------- list rendering

def _where(spec, query: str) -> tuple[str, str | None, str]:
    """(Query in words, problem or None, link to the chart's page)."""
    try:
        q, params = split_query(spec, query)
    except ValueError as exc:
        return "", str(exc), spec.page
    page = spec.page + ("/" + params["code"] if "code" in params else "")
    rest = q.to_query_string()
    extra = " · ".join(f"{k} {v}" for k, v in params.items())
    return q.describe() + (f" · {extra}" if extra else ""), None, page + (f"?{rest}" if rest else "")


def _item(i: int, n: int, item: dict) -> html.Li:
    spec = CHARTS.get(item["chart"])
    if spec is None:
        words, problem, link = "", f"unknown chart {item['chart']!r}: remove it", None
    else:
        words, problem, link = _where(spec, item["query"])
    title = item["title"] or (spec.title if spec else item["chart"])
    preview = (html.Img(className="briefing-preview", alt=f"Preview of {title}",
                        **{"data-src": f"/export/{item['chart']}.png" + (f"?{item['query']}" if item["query"] else "")})
               if spec is not None and not problem else html.Div("No preview", className="briefing-nopreview"))
    return html.Li([
        html.Div(preview, className="briefing-thumb"),
        html.Div([
            html.H3([html.Span(f"{i + 1}. ", className="briefing-num"), title]),
            html.P([words, " · " if words and link else "", dcc.Link("open on its page", href=link) if link else None],
                   className="briefing-where"),
            notice(problem, "warning") if problem else None,
            html.Label(["Note", dcc.Textarea(id={"type": ID.NOTE, "index": i}, value=item["note"],
                                             maxLength=MAX_TEXT, rows=3, className="briefing-textarea",
                                             placeholder="Your note for this chart (printed under it)")],
                       className="briefing-field"),
        ], className="briefing-body"),
        html.Div([
            html.Button("↑ Up", id={"type": ID.UP, "index": i}, className="briefing-move", type="button",
                        disabled=i == 0, title="Move this chart up"),
            html.Button("↓ Down", id={"type": ID.DOWN, "index": i}, className="briefing-move",
                        type="button", disabled=i == n - 1, title="Move this chart down"),
            html.Button("Remove", id={"type": ID.REMOVE, "index": i}, className="briefing-remove",
                        type="button", title="Remove this chart from the briefing"),
        ], className="briefing-item-actions"),
    ], className="briefing-item")


@callback(Output(ID.ITEMS, "children"), Input(ID.SHAPE, "data"), State(ID.STORE, "data"))
def render_items(shape, data):
    if shape is None:
        return no_update
    b = coerce(data)
    if not b["items"]:
        return html.Div([html.H2("No charts yet"), html.P(EMPTY_TEXT),
                         html.P(["Start from the ", dcc.Link("home page", href="/"), " or a country, e.g. ",
                                 dcc.Link("China", href="/country/CHN"), "."])],
                        className="briefing-empty", id=ID.EMPTY)
    n = len(b["items"])
    head = html.P(f"{n} chart{'s' if n != 1 else ''} in this briefing. The PDF has a cover page, one page per chart "
                  "and a page of sources.", className="muted")
    warn = notice(f"A briefing holds at most {MAX_ITEMS} charts; remove {n - MAX_ITEMS} before downloading.",
                  "warning") if n > MAX_ITEMS else None
    return [html.H2("Charts in this briefing", className="sr-only"),  # h1 > h2 > each chart's h3
            head, warn, html.Ol([_item(i, n, it) for i, it in enumerate(b["items"])], className="briefing-list")]


# ------------------------------------------------------------------------------------ edits, in the browser

clientside_callback(
    """function(data, title, intro, notes, ups, downs, removes, shape){
        const ID = %s;
        const dc = window.dash_clientside, nu = dc.no_update, cc = dc.callback_context;
        const norm = function(d){
            const o = {title: "", intro: "", items: []};
            if (!d || typeof d !== "object" || Array.isArray(d)) { return o; }
            o.title = typeof d.title === "string" ? d.title : "";
            o.intro = typeof d.intro === "string" ? d.intro : "";
            (Array.isArray(d.items) ? d.items : []).forEach(function(it){
                if (it && typeof it === "object") {
                    o.items.push({chart: String(it.chart || ""), title: String(it.title || ""),
                                  query: String(it.query || ""), note: String(it.note || "")});
                }
            });
            return o;
        };
        const cur = norm(data), next = JSON.parse(JSON.stringify(cur));
        const bump = (shape || 0) + 1;
        const trig = (cc.triggered || []).map(function(t){ return t.prop_id; });
        const fromStore = trig.length === 0 || trig.some(function(p){ return p === "." || p === ID.STORE + ".data"; });
        if (fromStore) {  // page load, another tab, or a file opened: show what is stored
            return [nu, cur.title, cur.intro, bump];
        }
        let structural = false;
        (cc.triggered || []).forEach(function(t){
            const p = t.prop_id;
            if (p === ID.TITLE + ".value") { next.title = title || ""; return; }
            if (p === ID.INTRO + ".value") { next.intro = intro || ""; return; }
            if (p.charAt(0) !== "{") { return; }
            const id = JSON.parse(p.slice(0, p.lastIndexOf(".")));
            if (id.type === ID.NOTE) {
                (cc.inputs_list[3] || []).forEach(function(e){
                    if (next.items[e.id.index]) { next.items[e.id.index].note = e.value || ""; }
                });
                return;
            }
            if (!t.value) { return; }  // a button just rendered, not clicked
            const i = id.index, items = next.items;
            if (i < 0 || i >= items.length) { return; }
            if (id.type === ID.UP && i > 0) { items.splice(i - 1, 0, items.splice(i, 1)[0]); }
            else if (id.type === ID.DOWN && i < items.length - 1) { items.splice(i + 1, 0, items.splice(i, 1)[0]); }
            else if (id.type === ID.REMOVE) { items.splice(i, 1); }
            structural = true;
        });
        if (JSON.stringify(next) === JSON.stringify(cur)) { return [nu, nu, nu, nu]; }
        return [next, nu, nu, structural ? bump : nu];
    }""" % json.dumps({k: getattr(ID, k) for k in ("STORE", "TITLE", "INTRO", "NOTE", "UP", "DOWN", "REMOVE")}),
    Output(ID.STORE, "data"), Output(ID.TITLE, "value"), Output(ID.INTRO, "value"), Output(ID.SHAPE, "data"),
    Input(ID.STORE, "data"), Input(ID.TITLE, "value"), Input(ID.INTRO, "value"),
    Input({"type": ID.NOTE, "index": ALL}, "value"), Input({"type": ID.UP, "index": ALL}, "n_clicks"),
    Input({"type": ID.DOWN, "index": ALL}, "n_clicks"), Input({"type": ID.REMOVE, "index": ALL}, "n_clicks"),
    State(ID.SHAPE, "data"),
)

# previews load lazily: the server renders <img data-src>, the browser sets loading=lazy before src
clientside_callback(
    """function(children){
        setTimeout(function(){
            document.querySelectorAll("img.briefing-preview[data-src]").forEach(function(img){
                if (img.getAttribute("src") !== img.dataset.src) {
                    img.loading = "lazy";
                    img.decoding = "async";
                    img.onerror = function(){ img.classList.add("briefing-preview-failed"); };
                    img.src = img.dataset.src;
                }
            });
        }, 0);
        return window.dash_clientside.no_update;
    }""",
    Output(ID.LAZY, "data"), Input(ID.ITEMS, "children"),
)

# an oversized file is refused in the browser (it would exceed the request size limit); the server checks again
clientside_callback(
    f"""function(contents, name){{
        const nu = window.dash_clientside.no_update;
        if (!contents) {{ return [nu, nu]; }}
        if (contents.length > {MAX_BYTES * 4 // 3 + 200}) {{
            return [{{error: "the file is too large (the limit is {MAX_BYTES // 1024} KB)", filename: name}}, null];
        }}
        return [{{contents: contents, filename: name}}, null];
    }}""",
    Output(ID.UPLOAD_CHECKED, "data"), Output(ID.UPLOAD, "contents"),
    Input(ID.UPLOAD, "contents"), State(ID.UPLOAD, "filename"),
)


# ------------------------------------------------------------------------------------------- server callbacks

def _file_error(name: str, why: str) -> html.Div:
    return notice(f"{why[:1].upper()}{why[1:]}. The briefing on this page was not changed.", "error",
                  f"Cannot open “{name}”. ")


@callback(Output(ID.STORE, "data", allow_duplicate=True), Output(ID.MESSAGE, "children", allow_duplicate=True),
          Input(ID.UPLOAD_CHECKED, "data"), prevent_initial_call=True)
def open_file(checked):
    if not isinstance(checked, dict):
        return no_update, no_update
    name = str(checked.get("filename") or "the file")[:120]
    if checked.get("error"):
        return no_update, _file_error(name, str(checked["error"]))
    contents = str(checked.get("contents") or "")
    header, _, payload = contents.partition(",")
    if not header.startswith("data:") or not header.endswith(";base64"):
        return no_update, _file_error(name, "the file could not be read")
    if len(payload) > MAX_BYTES * 4 // 3 + 8:
        return no_update, _file_error(name, f"the file is too large (the limit is {MAX_BYTES // 1024} KB)")
    try:
        raw = base64.b64decode(payload, validate=True)
        briefing = parse_json(raw)
    except (binascii.Error, ValueError) as exc:
        return no_update, _file_error(name, str(exc) if isinstance(exc, BriefingError) else
                                      "the file could not be read")
    n = len(briefing["items"])
    return briefing, notice(f"Opened “{name}”: {n} chart{'s' if n != 1 else ''}.", "info")


@callback(Output(ID.DOWNLOAD, "data"), Output(ID.MESSAGE, "children"),
          Input(ID.PDF, "n_clicks"), Input(ID.HTML, "n_clicks"), Input(ID.SAVE, "n_clicks"),
          State(ID.STORE, "data"), prevent_initial_call=True)
def download(_pdf, _html, _save, data):
    which = ctx.triggered_id
    if which not in (ID.PDF, ID.HTML, ID.SAVE):
        return no_update, no_update
    try:
        briefing = validate(data if data is not None else empty())
        if which == ID.SAVE:
            return (dcc.send_bytes(json_bytes(briefing), filename(briefing, "json")),
                    notice("Briefing saved as a .json file: open it here later with “Open briefing (.json)”.",
                           "info"))
        acc, kal = runtime.accounts(), current_app.config["HOLOCARBON_RENDERER"]
        if which == ID.PDF:
            pdf = pdf_bytes(acc, kal, briefing)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            return (dcc.send_bytes(pdf, filename(briefing, "pdf")),
                    notice(f"PDF ready: {pages} pages (cover, {len(briefing['items'])} charts, sources).", "info"))
        doc = html_bytes(acc, kal, briefing)
        return (dcc.send_bytes(doc, filename(briefing, "html")),
                notice(f"HTML ready ({len(doc) / 1e6:.1f} MB, works offline: charts stay interactive).", "info"))
    except (BriefingError, RuntimeError) as exc:
        why = str(exc)
        return no_update, notice(why[:1].upper() + why[1:] + ".", "error", "Cannot make the file. ")
    except Exception as exc:  # never a stack trace on the page
        return no_update, notice(user_message(exc), "error", "Cannot make the file. ")
