"""Product footprints: a step-by-step life-cycle assessment (ISO 14040/44) — goal and scope, the inventory table,
the result with its Monte Carlo interval, the interpretation (contributions, tiers, structural paths, sensitivity,
the same product made elsewhere). The address keeps a template and what was changed
(``/footprint?template=steel_beam&amounts=1:1.2&country=IND``); a custom inventory is kept compressed in the address
or, when long, in a saved study (JSON). Every number is modelled."""

from __future__ import annotations

import base64
import json
from typing import Final, final

import dash
import plotly.graph_objects as go
from dash import ALL, Input, Output, State, callback, ctx, dash_table, dcc, html, no_update

from components import lca_view as lv
from components import runtime
from components.export_menu import export_menu
from components.figures import FONT, LIGHT_TEMPLATE, graph
from components.messages import notice, user_message
from components.urlstate import url_state, url_sync

PATH = "/footprint"


@final
class ID:
    """Component ids of the footprint page (layout, callbacks and tests use these)."""

    STEPS: Final = "lca-steps"  # the store of the step shown (1-4)
    GOTO: Final = "lca-goto"  # pattern {"type": GOTO, "index": step}: the step bar's buttons
    STEP: Final = "lca-step-"  # + 1..4: the four sections
    NEXT: Final = "lca-next"  # pattern {"type": NEXT, "index": step to go to}
    URL_NOTICE: Final = "lca-url-notice"
    TEMPLATE: Final = "lca-template"
    TEMPLATE_INFO: Final = "lca-template-info"
    PRODUCT: Final = "lca-product"
    AMOUNT: Final = "lca-amount"
    UNIT: Final = "lca-unit"
    COUNTRY: Final = "lca-country"
    YEAR: Final = "lca-year"
    GWP: Final = "lca-gwp"
    BOUNDARY: Final = "lca-boundary"
    USE_KWH: Final = "lca-use-kwh"
    USE_COUNTRY: Final = "lca-use-country"
    USE_BOX: Final = "lca-use-box"
    TABLE: Final = "lca-table"
    ADD: Final = "lca-add"
    UPLOAD_CSV: Final = "lca-upload-csv"
    UPLOAD_STUDY: Final = "lca-upload-study"
    UPLOAD_MESSAGE: Final = "lca-upload-message"
    VALIDATION: Final = "lca-validation"
    CSV: Final = "lca-download-csv"
    JSON: Final = "lca-download-json"
    STUDY: Final = "lca-download-study"
    PDF: Final = "lca-download-pdf"
    XLSX: Final = "lca-download-xlsx"
    DOWNLOAD: Final = "lca-download"
    REPORT_DOWNLOAD: Final = "lca-report-download"
    CI: Final = "lca-ci"
    HEADLINE: Final = "lca-headline"
    RESULT_NOTE: Final = "lca-result-note"
    CONTRIB: Final = "lca-contrib"
    COUNTRY_CHART: Final = "lca-where"
    SECTOR_CHART: Final = "lca-what"
    TIERS: Final = "lca-tiers"
    PATHS: Final = "lca-paths"
    SENSITIVITY: Final = "lca-sensitivity"
    NOTES: Final = "lca-notes"
    COMPARE: Final = "lca-compare"
    COMPARE_CHART: Final = "lca-compare-chart"
    COMPARE_WORDS: Final = "lca-compare-words"
    SEARCH: Final = "lca-search"


dash.register_page(__name__, path=PATH, name="Footprint", order=65, title="Product footprint — Holocarbon",
                   description="Footprint a product in the browser: goal and scope, a bill of inputs, the result with "
                               "its interval and where the emissions happen, on public data (a tiered hybrid LCA).")

#: Scope controls in the order of the callbacks' inputs (their ``Scope`` fields).
SCOPE_IDS = (ID.PRODUCT, ID.AMOUNT, ID.UNIT, ID.COUNTRY, ID.YEAR, ID.GWP, ID.BOUNDARY, ID.USE_KWH, ID.USE_COUNTRY)
YEARS = list(range(1995, 2024))


def _empty(height: int = 80) -> go.Figure:
    return go.Figure().update_layout(template=LIGHT_TEMPLATE, height=height, margin=dict(l=0, r=0, t=0, b=0),
                                     xaxis=dict(visible=False), yaxis=dict(visible=False))


def _country_options(lca) -> list[dict]:
    """The country picker of the other pages: "Name (ISO3)", by name."""
    names = runtime.accounts().names()
    return sorted(({"label": f"{names.get(c, c)} ({c})", "value": c} for c in lca.known_countries()),
                  key=lambda o: o["label"])


def _field(label, cid, control, hint=None, cls="lca-field") -> html.Div:
    return html.Div([html.Label(label, htmlFor=cid), control,
                     html.Small(hint, className="lca-hint") if hint else None], className=cls)


def _chart(cid, chart, title, caption) -> html.Div:
    return html.Div([dcc.Loading(graph(_empty(), id=cid), type="dot", delay_show=600),
                     html.P(caption, className="lca-caption"), export_menu(chart, title)], className="chart-card")


def _step_nav(step: int) -> html.Div:
    back = html.Button("← Back", id={"type": ID.NEXT, "index": step - 1}, className="btn btn-secondary",
                       type="button") if step > 1 else None
    nxt = html.Button(f"Next: {lv.STEPS[step][1]} →", id={"type": ID.NEXT, "index": step + 1}, className="btn",
                      type="button") if step < len(lv.STEPS) else None
    return html.Div([back, nxt], className="lca-step-nav")


def template_info(lca, name: str) -> html.Div:
    """The template's description, its published comparison and its sources (or the scratch hint)."""
    if name == lv.SCRATCH:
        return html.P("From scratch: name the product and its functional unit, then add the inputs in step 2 (or "
                      "upload a CSV). One line to begin with.", className="lca-hint")
    t = next((r for r in lv.template_rows(lca) if r["name"] == name), None)
    if t is None:
        return html.Div()
    return html.Details([
        html.Summary(f"About this template and its sources ({len(t['sources'])})"),
        html.P(t["description"]),
        html.P([html.Strong("Published comparison: "), t["published"] or "none",
                (" (" + t["note"] + ")") if t["note"] else ""]),
        html.Ul([html.Li(s) for s in t["sources"]]),
    ], className="lca-template-info", open=False)


def layout(**params):
    lca = runtime.lca()
    if lca is None:
        return html.Div([html.H1("Product footprint"), notice(runtime.pack_error() or
                                                              "The data pack is not available.", "error")])
    try:
        s, problems = lv.parse_state(lca, params)
        countries = _country_options(lca)
        templates = lv.template_rows(lca)
    except Exception as exc:  # a source the page needs is missing or corrupt: say which, serve the rest of the app
        return html.Div([html.H1("Product footprint"), notice(user_message(exc), "error")])
    sc = s.scope
    dropdown, cond = lv.table_dropdowns(countries)
    def section(n, body):
        return html.Section([html.H2(f"{n}. {lv.STEPS[n - 1][1]}", className="lca-step-title"), *body,
                             _step_nav(n)], id=f"{ID.STEP}{n}", className="lca-step" + (" is-active" if n == s.step
                                                                                            else ""))

    return html.Div([
        html.Div([
            html.H1(["Product footprint ", html.Span(lv.MODEL_BADGE, className="badge badge-modelled lca-badge",
                                                     title="Every number on this page is modelled from the "
                                                           "inventory, process routes and input–output tables, not "
                                                           "measured")]),
            html.P("A guided life-cycle assessment on public data: start from a template or from scratch, edit the "
                   "bill of inputs, and read the footprint with its range and where it comes from. The address "
                   "keeps the study; “Save study” keeps it as a file.", className="lead-small"),
        ], className="page-head"),
        html.Div([notice(p, "warning") for p in problems], id=ID.URL_NOTICE),
        html.Nav([html.Button([html.Span(n, className="lca-step-n"), html.Span(label, className="lca-step-label")],
                              id={"type": ID.GOTO, "index": int(n)}, type="button",
                              className="lca-steps-item" + (" is-active" if int(n) == s.step else ""))
                  for n, label in lv.STEPS], className="lca-steps", **{"aria-label": "Steps of the assessment"}),
        dcc.Store(id=ID.STEPS, data=s.step),
        section(1, [
            html.Div([
                _field("Start from", ID.TEMPLATE, dcc.Dropdown(
                    id=ID.TEMPLATE, options=[*({"label": t["title"], "value": t["name"]} for t in templates),
                                             {"label": "From scratch (an empty study)", "value": lv.SCRATCH}],
                    value=s.template, clearable=False, searchable=False), cls="lca-field lca-wide"),
                html.Div(template_info(lca, s.template), id=ID.TEMPLATE_INFO, className="lca-wide"),
                html.Div([
                    html.Button("Save study (.json)", id=ID.STUDY, className="btn btn-secondary", type="button"),
                    dcc.Upload(html.Button("Open study (.json)", className="btn btn-secondary", type="button"),
                               id=ID.UPLOAD_STUDY, accept=".json,application/json", max_size=400_000,
                               className="lca-upload"),
                ], className="lca-actions lca-wide"),
                _field("Product", ID.PRODUCT, dcc.Input(id=ID.PRODUCT, type="text", value=sc.product, debounce=True,
                                                        maxLength=120, className="lca-input")),
                html.Div([
                    _field("Functional unit: amount", ID.AMOUNT,
                           dcc.Input(id=ID.AMOUNT, type="number", min=0, value=sc.amount, debounce=True,
                                     className="lca-input")),
                    _field("unit", ID.UNIT, dcc.Input(id=ID.UNIT, type="text", value=sc.unit, debounce=True,
                                                      maxLength=20, className="lca-input")),
                ], className="lca-pair"),
                _field("Producing country", ID.COUNTRY, dcc.Dropdown(id=ID.COUNTRY, options=countries,
                                                                     value=sc.country, clearable=False),
                       "Lines with origin “producer” are made here."),
                _field("Year", ID.YEAR, dcc.Dropdown(id=ID.YEAR, options=[{"label": str(y), "value": y}
                                                                          for y in YEARS],
                                                     value=sc.year, clearable=False, searchable=False),
                       "After 2011 purchases use the nowcast on the 2011 table."),
                _field("Impact method", ID.GWP, dcc.Dropdown(id=ID.GWP, options=[{"label": v, "value": k} for k, v
                                                                                 in lv.GWP_LABELS.items()],
                                                             value=sc.gwp, clearable=False, searchable=False)),
                _field("System boundary", ID.BOUNDARY, dcc.Dropdown(
                    id=ID.BOUNDARY, options=[{"label": v, "value": k} for k, v in lv.BOUNDARY_LABELS.items()],
                    value=sc.boundary, clearable=False, searchable=False)),
                html.Div([
                    _field("Use-phase electricity (kWh per functional unit)", ID.USE_KWH,
                           dcc.Input(id=ID.USE_KWH, type="number", min=0, value=sc.use_kwh, debounce=True,
                                     className="lca-input")),
                    _field("used in", ID.USE_COUNTRY, dcc.Dropdown(id=ID.USE_COUNTRY, options=countries,
                                                                   value=sc.use_country, clearable=False)),
                ], id=ID.USE_BOX, className="lca-pair lca-wide",
                    style=None if sc.boundary != "cradle-to-gate" else {"display": "none"}),
            ], className="lca-scope"),
        ]),
        section(2, [
            html.P("One line per input and functional unit. Kind decides the unit and what the fourth column holds: "
                   "the WIOD sector of a purchase, the process good, the transport mode or the gas. Origin "
                   "“producer” follows the producing country.", className="lca-hint lca-narrow"),
            html.Div([
                html.Button("+ Add line", id=ID.ADD, className="btn btn-secondary", type="button"),
                dcc.Upload(html.Button("Upload CSV", className="btn btn-secondary", type="button"),
                           id=ID.UPLOAD_CSV, accept=".csv,text/csv", max_size=200_000, className="lca-upload"),
                html.Button("Download CSV", id=ID.CSV, className="btn btn-secondary", type="button"),
                html.Button("Download JSON", id=ID.JSON, className="btn btn-secondary", type="button"),
            ], className="lca-actions"),
            html.Div(id=ID.UPLOAD_MESSAGE, role="status"),
            html.Div(id=ID.VALIDATION, role="status", className="lca-validation"),
            html.P("Swipe the table sideways for the amount, unit, sector / good / mode / gas, origin and price "
                   "year.", className="lca-hint lca-phone-only"),
            html.Div(dash_table.DataTable(
                id=ID.TABLE, columns=[dict(c, editable=True) for c in lv.TABLE_COLUMNS],
                data=lv.rows_from_records(s.records), editable=True, row_deletable=True,
                dropdown=dropdown, dropdown_conditional=cond, page_action="none",
                style_table={"overflowX": "auto", "minWidth": "100%"},
                css=[{"selector": ".Select-menu-outer", "rule": "display: block !important"}],
                style_header={"whiteSpace": "normal", "height": "auto", "fontWeight": 600,
                              "backgroundColor": "#eef1f4", "fontSize": "0.8rem"},
                style_cell={"fontFamily": FONT, "fontSize": "0.84rem", "padding": "0.3rem 0.5rem",
                            "minWidth": "80px", "maxWidth": "260px", "whiteSpace": "normal", "height": "auto",
                            "textAlign": "left"},
                style_cell_conditional=[{"if": {"column_id": "name"}, "minWidth": "200px"},
                                        {"if": {"column_id": "item"}, "minWidth": "170px"},
                                        {"if": {"column_id": "origin"}, "minWidth": "150px"},
                                        {"if": {"column_id": "kind"}, "minWidth": "130px"},
                                        {"if": {"column_id": "amount"}, "textAlign": "right"}],
                style_data_conditional=lv.table_styles(),
            ), className="lca-table-box"),
            html.P(["Kinds: money (a purchase by WIOD sector, USD/EUR/CNY of a price year), process (t of a good "
                    "through the industry routes), electricity (kWh at the origin's grid), transport (tkm by mode), "
                    "direct (kg of CO2, CH4 or N2O). Sources of each line travel with it in the saved study and the "
                    "downloads. CSV columns: ",
                    html.Code("kind, name, amount, unit, origin, sector, price_year, good, mode, gas, source, note"),
                    "."], className="lca-hint lca-narrow"),
        ]),
        section(3, [
            html.Div([
                _field("Interval", ID.CI, dcc.Dropdown(id=ID.CI, options=[{"label": f"{c} %", "value": c}
                                                                          for c in lv.CI_LEVELS],
                                                       value=s.ci, clearable=False, searchable=False)),
            ], className="lca-options"),
            dcc.Loading(html.Div(id=ID.HEADLINE, className="lca-headline"), type="dot", delay_show=600),
            html.Div(id=ID.RESULT_NOTE),
            _chart(ID.CONTRIB, "lca-contrib", "Footprint: contribution by input", lv.CAPTIONS["contrib"]),
            html.Div([
                html.Button("Report (PDF)", id=ID.PDF, className="btn", type="button"),
                html.Button("Report (XLSX)", id=ID.XLSX, className="btn btn-secondary", type="button"),
                html.Button("+ Add the report to the briefing", className="briefing-add", type="button",
                            **{"data-chart": "lca-report", "data-title": "Product footprint: report"}),
                dcc.Loading(dcc.Download(id=ID.REPORT_DOWNLOAD), type="dot", delay_show=300,
                            className="lca-report-loading"),
            ], className="lca-actions"),
            html.P("The PDF report takes a few seconds (one page per chart, drawn on the server); the XLSX holds "
                   "every table.", className="lca-hint"),
        ]),
        section(4, [
            html.Div([
                _chart(ID.COUNTRY_CHART, "lca-where", "Footprint: where the emissions happen",
                       lv.CAPTIONS["country"]),
                _chart(ID.SECTOR_CHART, "lca-what", "Footprint: by sector and process", lv.CAPTIONS["sector"]),
                _chart(ID.TIERS, "lca-tiers", "Footprint: by supply-chain tier", lv.CAPTIONS["tiers"]),
                _chart(ID.SENSITIVITY, "lca-sensitivity", "Footprint: sensitivity ranking",
                       lv.CAPTIONS["sensitivity"]),
            ], className="lca-grid"),
            html.Section([
                html.H3("The largest supply-chain paths"),
                html.P("Structural path analysis: each chain runs from the purchase (left) to the industry where the "
                       "gas is emitted (right).", className="lca-hint"),
                dcc.Loading(html.Div(id=ID.PATHS), type="dot", delay_show=600),
                export_menu("lca-paths", "Footprint: top structural paths"),
            ], className="card lca-card"),
            html.Section([
                html.H3("Where to source with the lowest footprint"),
                _field("Compare the same product made in", ID.COMPARE,
                       dcc.Dropdown(id=ID.COMPARE, options=countries, value=list(s.compare), multi=True),
                       cls="lca-field lca-compare-pick"),
                html.Div(id=ID.COMPARE_WORDS),
                _chart(ID.COMPARE_CHART, "lca-compare", "Footprint: made elsewhere", lv.CAPTIONS["compare"]),
            ], className="card lca-card"),
            html.Div(id=ID.NOTES),
        ]),
        html.P([html.Strong("Method. "), "A tiered hybrid life-cycle assessment (Suh and Huppes 2005): process goods "
                "through the industry routes of the supplying country, electricity at Ember grid intensities, "
                "transport by cited factors, purchases through the WIOD 2013 multipliers by gas; structural path "
                "analysis of the purchases; intervals from ", str(lv.PAGE_DRAWS), " seeded Monte Carlo draws. ",
                dcc.Link("Data & methods", href="/data#footprint"), " lists the factors, the templates' sources and "
                "the limits."], className="footnote"),
        dcc.Download(id=ID.DOWNLOAD),
        dcc.Store(id=ID.SEARCH),
    ], className="lca-page")


@callback(Output(ID.STEPS, "data"), Input({"type": ID.NEXT, "index": ALL}, "n_clicks"),
          Input({"type": ID.GOTO, "index": ALL}, "n_clicks"), prevent_initial_call=True)
def go_to_step(nav_clicks, bar_clicks):
    """The step bar and the Back / Next buttons move the wizard."""
    t = ctx.triggered_id
    if not t or not any(c for c in (*nav_clicks, *bar_clicks) if c):
        return no_update
    return int(t["index"])


@callback(*[Output(f"{ID.STEP}{n}", "className") for n in range(1, len(lv.STEPS) + 1)],
          Output({"type": ID.GOTO, "index": ALL}, "className"), Input(ID.STEPS, "data"))
def show_step(step):
    step = int(step or 1)
    n_steps = len(lv.STEPS)
    return (*("lca-step" + (" is-active" if n == step else "") for n in range(1, n_steps + 1)),
            ["lca-steps-item" + (" is-active" if n == step else "") for n in range(1, n_steps + 1)])


@callback(Output(ID.USE_BOX, "style"), Input(ID.BOUNDARY, "value"))
def show_use(boundary):
    return None if boundary == "cradle-to-gate+use-electricity" else {"display": "none"}


def _decode(contents: str) -> str:
    _, _, b64 = str(contents).partition(",")
    return base64.b64decode(b64).decode("utf-8-sig")


@callback(
    Output(ID.TEMPLATE, "value"), Output(ID.TABLE, "data"), *[Output(i, "value") for i in SCOPE_IDS],
    Output(ID.TEMPLATE_INFO, "children"), Output(ID.UPLOAD_MESSAGE, "children"),
    Input(ID.TEMPLATE, "value"), Input(ID.ADD, "n_clicks"), Input(ID.UPLOAD_CSV, "contents"),
    Input(ID.UPLOAD_STUDY, "contents"), State(ID.UPLOAD_CSV, "filename"), State(ID.TABLE, "data"),
    prevent_initial_call=True,
)
def edit_study(template, _add, csv_contents, study_contents, csv_name, rows):
    """Load a template, add a line, read an uploaded CSV (the inventory) or study (scope and lines). A bad file is
    named with its line and changes nothing."""
    return edit(ctx.triggered_id, template, csv_contents, study_contents, csv_name, rows)


def edit(trig, template, csv_contents, study_contents, csv_name, rows):
    """:func:`edit_study` for the control that fired (``trig``: its id); callable without a callback context."""
    lca = runtime.lca()
    keep = (no_update,) * len(SCOPE_IDS)
    if lca is None:
        return (no_update,) * 2 + keep + (no_update, notice(runtime.pack_error() or "No data pack.", "error"))
    try:
        if trig == ID.ADD:
            return (no_update, [*(rows or []), lv.new_row()], *keep, no_update, None)
        if trig == ID.UPLOAD_CSV:
            from engine.lca import from_csv

            inv = from_csv(_decode(csv_contents))
            return (no_update, lv.rows_from_records(inv.to_list()), *keep, no_update,
                    notice(f"Read {len(inv)} lines from {csv_name or 'the CSV'}.", "info"))
        if trig == ID.UPLOAD_STUDY:
            scope, inv = lca.from_json(_decode(study_contents))
            return (lv.SCRATCH, lv.rows_from_records(inv.to_list()), *_scope_values(scope),
                    template_info(lca, lv.SCRATCH), notice(f"Opened the study “{scope.product}”.", "info"))
        scope, records = lv.base_study(lca, template)
        return (no_update, lv.rows_from_records(records), *_scope_values(scope), template_info(lca, template), None)
    except Exception as exc:  # a bad file: the message names the line; the page keeps what it had
        return (no_update,) * 2 + keep + (no_update, notice(f"Not read: {user_message(exc)}", "warning"))


def _scope_values(scope) -> tuple:
    return (scope.product, scope.amount, scope.unit, scope.country, scope.year, scope.gwp, scope.boundary,
            scope.use_kwh, scope.use_country)


def state_from_values(lca, template, rows, values, ci, compare, step) -> lv.LcaState:
    """The page state of the controls (InputError / NotFoundError naming the field or the line)."""
    from engine.lca import Scope

    kw = dict(zip(("product", "amount", "unit", "country", "year", "gwp", "boundary", "use_kwh", "use_country"),
                  values))
    if kw["boundary"] != "cradle-to-gate+use-electricity":
        kw["use_kwh"] = 0
    kw["use_kwh"] = kw["use_kwh"] or 0
    scope = Scope(**kw)
    inv = lv._lca_engine().from_records(lv.records_from_rows(rows))
    return lv.LcaState(template or lv.DEFAULT_TEMPLATE, scope, tuple(inv.to_list()), int(ci or 90),
                       tuple(compare or lv.DEFAULT_COMPARE), int(step or 1))


def headline(res) -> html.Div:
    items = []
    for it in lv.headline_items(res):
        items.append(html.Div([
            html.Div(it["label"], className="lca-kpi-label"),
            html.Div([html.Span(it["value"], className="lca-kpi-value"), " ",
                      html.Span(it["unit"], className="lca-kpi-unit")]),
            html.Div(f"{res.ci} % interval {it['interval']}" if it["interval"] else "",
                     className="lca-kpi-interval"),
        ], className=f"lca-kpi lca-kpi-{it['key']}"))
    return html.Div(items, className="lca-kpis")


def paths_list(res, names) -> html.Div:
    t = lv.paths_table(res, names)
    if t.empty:
        return html.P("No purchases (money lines) in the inventory: the paths run through the input–output table "
                      "only.", className="lca-hint")
    items = [html.Li([html.Span(f"{r.kg_co2e:,.1f} kg CO2e ({r.share_pct:.1f} %)", className="lca-path-value"),
                      html.Span(f" line {r.line}, {lv._short(r.input, 50)}: ", className="lca-path-line"),
                      html.Span(r.chain, className="lca-path-chain")]) for r in t.head(10).itertuples()]
    exact = "" if res.paths.attrs.get("exact", True) else " (the search stopped at its budget: an approximation)"
    return html.Div([html.Ol(items, className="lca-paths"),
                     html.P(f"The top {len(t)} paths cover {t['share_pct'].sum():.0f} % of the total{exact}; the "
                            "export has all of them.", className="lca-hint")])


def notes_block(res) -> html.Details:
    return html.Details([html.Summary(f"Data-quality notes ({len(res.notes)})"),
                         html.Ul([html.Li(n) for n in res.notes])], className="lca-notes", open=True)


def compare_words(cmp, names) -> html.P:
    t = cmp.dropna(subset=["kg_co2e"])
    if t.empty:
        return html.P()
    best = t.iloc[0]
    base = cmp.attrs.get("base")
    b = t[t["country"] == base]
    tail = ""
    if len(b) and best["country"] != base:
        tail = f", {100 * (1 - best['vs_base']):.0f} % below {names.get(base, base)}"
    return html.P([html.Strong("Lowest: "), f"{names.get(best['country'], best['country'])}, "
                   f"{lv.fmt_kg(best['kg_co2e'])} kg CO2e{tail} (central values)."], className="lca-compare-words")


def _step_only() -> bool:
    try:
        return ctx.triggered_id == ID.STEPS and len(ctx.triggered_prop_ids) == 1
    except Exception:  # noqa: BLE001 — called outside a callback (tests): a full update
        return False


@callback(
    Output(ID.HEADLINE, "children"), Output(ID.RESULT_NOTE, "children"), Output(ID.VALIDATION, "children"),
    Output(ID.CONTRIB, "figure"), Output(ID.COUNTRY_CHART, "figure"), Output(ID.SECTOR_CHART, "figure"),
    Output(ID.TIERS, "figure"), Output(ID.SENSITIVITY, "figure"), Output(ID.PATHS, "children"),
    Output(ID.NOTES, "children"), Output(ID.COMPARE_CHART, "figure"), Output(ID.COMPARE_WORDS, "children"),
    Output(ID.SEARCH, "data"),
    Input(ID.TABLE, "data"), *[Input(i, "value") for i in SCOPE_IDS], Input(ID.CI, "value"),
    Input(ID.COMPARE, "value"), Input(ID.STEPS, "data"), State(ID.TEMPLATE, "value"),
)
def update_view(rows, *values):
    """Thin: the controls into a state, the engine's result (with its Monte Carlo interval), the pure figure builders,
    the address. The interpretation (its charts and the comparison) is built only while its step is shown; moving
    to it recomputes. A bad line is named next to the table and the last result stays."""
    scope_values, (ci, compare, step, template) = values[:len(SCOPE_IDS)], values[len(SCOPE_IDS):]
    lca = runtime.lca()
    if lca is None:
        return (no_update,) * 2 + (notice(runtime.pack_error() or "No data pack.", "error"),) + (no_update,) * 10
    try:
        s = state_from_values(lca, template, rows, scope_values, ci, compare, step)
        interpret = s.step == len(lv.STEPS)
        if _step_only() and not interpret:  # a move of the wizard: only the address follows
            return (no_update,) * 12 + (url_state(lv.page_search(lca, s)[0], path=PATH),)
        res = lv.result(lca, s)
        cmp = lv.comparison(lca, s) if interpret else None
    except Exception as exc:  # never a stack trace in the browser; the engine's message names the line
        return (no_update, no_update, notice(user_message(exc), "warning", "Check the inventory: ")) + \
            (no_update,) * 10
    names = runtime.accounts().names()
    qs, complete = lv.page_search(lca, s)
    note = None if complete else notice("This inventory is too long for the address: “Save study (.json)” keeps "
                                         "it; the chart exports and the briefing use the template.", "info")
    search = url_state(qs, path=PATH)
    if not interpret:  # the interpretation's charts are drawn when its step is shown (moving there recomputes)
        return (headline(res), note, None, lv.build_contrib_figure(res)) + (no_update,) * 8 + (search,)
    return (headline(res), note, None, lv.build_contrib_figure(res),
            lv.build_country_figure(lv.where_table(res, names), res),
            lv.build_sector_figure(lv.what_table(res), res), lv.build_tiers_figure(lv.tiers_frame(res), res),
            lv.build_sensitivity_figure(res), paths_list(res, names), notes_block(res),
            lv.build_compare_figure(cmp, res, names), compare_words(cmp, names), search)


@callback(
    Output(ID.DOWNLOAD, "data"),
    Input(ID.CSV, "n_clicks"), Input(ID.JSON, "n_clicks"), Input(ID.STUDY, "n_clicks"),
    State(ID.TEMPLATE, "value"), State(ID.TABLE, "data"), *[State(i, "value") for i in SCOPE_IDS],
    State(ID.CI, "value"), State(ID.COMPARE, "value"), prevent_initial_call=True,
)
def download(_csv, _json, _study, template, rows, *values):
    """The inventory (CSV, JSON) and the whole study (JSON, read back by "Open study")."""
    return _download(ctx.triggered_id, template, rows, *values)


@callback(
    Output(ID.REPORT_DOWNLOAD, "data"),
    Input(ID.PDF, "n_clicks"), Input(ID.XLSX, "n_clicks"),
    State(ID.TEMPLATE, "value"), State(ID.TABLE, "data"), *[State(i, "value") for i in SCOPE_IDS],
    State(ID.CI, "value"), State(ID.COMPARE, "value"), prevent_initial_call=True,
)
def download_report(_pdf, _xlsx, template, rows, *values):
    """The report (PDF through the briefing's pages, XLSX with every table); a spinner beside the buttons."""
    return _download(ctx.triggered_id, template, rows, *values)


def _download(trig, template, rows, *values):
    """The file of the button ``trig`` for the page's state (callable without a callback context)."""
    lca = runtime.lca()
    if lca is None:
        return no_update
    scope_values, (ci, compare) = values[:len(SCOPE_IDS)], values[len(SCOPE_IDS):]
    try:
        s = state_from_values(lca, template, rows, scope_values, ci, compare, 1)
    except Exception:  # the validation message is already next to the table
        return no_update
    stem = "".join(ch if ch.isalnum() else "-" for ch in s.scope.product.lower()).strip("-")[:40] or "product"
    if trig == ID.CSV:
        return dict(content=s.inventory().to_csv(), filename=f"holocarbon_inventory_{stem}.csv", type="text/csv")
    if trig == ID.JSON:
        return dict(content=json.dumps(s.inventory().to_list(), indent=1, ensure_ascii=False),
                    filename=f"holocarbon_inventory_{stem}.json", type="application/json")
    if trig == ID.STUDY:
        return dict(content=lv.study_json(lca, s), filename=f"holocarbon_study_{stem}.json", type="application/json")
    try:
        if trig == ID.PDF:
            return dcc.send_bytes(lv.report_pdf(runtime.accounts(), s, _renderer()), f"holocarbon_footprint_{stem}.pdf")
        return dcc.send_bytes(lv.report_xlsx_of(runtime.accounts(), s), f"holocarbon_footprint_{stem}.xlsx")
    except Exception:  # noqa: BLE001 — a renderer failure must not break the page
        import logging

        logging.getLogger("holocarbon").exception("footprint report")
        return no_update


def _renderer():
    from flask import current_app

    return current_app.config["HOLOCARBON_RENDERER"]


url_sync(Input(ID.SEARCH, "data"))
