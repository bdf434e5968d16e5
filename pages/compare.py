"""Compare: several countries, groups or continents side by side — one line each over 1970–2023 for a chosen measure,
and their key figures for the year — with the comparison in the URL (``/compare?codes=DEU,FRA,CHN&year=2015``)."""

from __future__ import annotations

from typing import Final, final
from urllib.parse import urlencode

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dcc, html, no_update

from components import compare_view as cv
from components import runtime
from components.controls import (
    controls,
    query_from_url,
    query_from_values,
    query_inputs,
    year_status_callback,
)
from components.export_menu import export_menu
from components.figures import LIGHT_TEMPLATE, graph
from components.messages import notice, user_message
from components.urlstate import url_state, url_sync
from engine.core.query import Query

PATH = "/compare"
SHOW = ("year", "gwp", "gases", "luc_model", "ci")
#: Query fields the next page keeps from this one (the shell's ``hc-query``): the choices, not the regions.
CARRY = ("year", "gwp", "gases", "luc_model", "ci", "perspective")


@final
class ID:
    """Component ids of the compare page (one place: layout, callbacks and tests use these)."""

    PREFIX: Final = "compare"  # the shared controls are ``<PREFIX>-<field>`` (components.controls)
    CODES: Final = "compare-codes"
    MEASURE: Final = "compare-measure"
    URL_NOTICE: Final = "compare-url-notice"
    NOTICE: Final = "compare-notice"
    SERIES: Final = "compare-series"
    TABLE: Final = "compare-table"
    TABLE_TITLE: Final = "compare-table-title"
    STATE: Final = "compare-state"  # the Query and the regions of the view, written once the key figures are done
    BANDS: Final = "compare-bands"  # a request for the interval bands (the lines are drawn first when not cached)
    SEARCH: Final = "compare-search"  # URL state (components.urlstate)
    QUERY: Final = "hc-query"  # the shell's session store of the query string (components.controls)


dash.register_page(__name__, path=PATH, name="Compare", order=30, title="Compare — Holocarbon",
                   description="Several countries, groups or continents side by side: production, consumption and "
                               "panoramic emissions over 1970–2023, in total or per person, and their key figures.")

#: The measures of the series chart: (value, account, scale, label).
MEASURES = tuple((a if s == "absolute" else f"{a}-per-person", a, s,
                  cv.ACCOUNT_LABELS[a] + (", per person (t CO2e)" if s == "per_capita" else " (Mt CO2e)"))
                 for a in cv.ACCOUNTS for s in cv.SCALES)


def measure_options() -> list[dict]:
    """The choices of the measure picker (a fresh list for each layout)."""
    return [{"label": label, "value": value} for value, _, _, label in MEASURES]


def measure_value(account: str, scale: str) -> str:
    return account if scale == "absolute" else f"{account}-per-person"


def parse_measure(value) -> tuple[str, str]:
    """(account, scale) of a measure's value (consumption in Mt CO2e for anything else)."""
    return next(((a, s) for v, a, s, _ in MEASURES if v == value), ("consumption", "absolute"))


def _page_query(q: Query) -> Query:
    """The page's Query: regions come from the comparison, not from a grouping."""
    return q.replace(grouping="countries", members=(), name=Query().name)


def layout(codes=None, **query):
    q, problem = query_from_url(query)
    q = _page_query(q)
    scale, scale_problem = cv.parse_scale(query.get("scale"))
    acc = runtime.accounts()
    if acc is None:
        return html.Div([html.H1("Compare"), notice(runtime.pack_error() or "The data pack is not available.",
                                                    "error")])
    sel = cv.parse_codes(acc, codes)
    problems = [p for p in (problem, scale_problem, cv.selection_message(sel)) if p]
    return html.Div([
        html.Div([
            html.H1("Compare countries and groups"),
            html.P("Two to eight countries, groups or continents side by side: one line each over the years for the "
                   "measure you choose, and their key figures for the year. The address keeps the comparison; "
                   "“Copy link” shares it.", className="lead-small"),
        ], className="page-head"),
        html.Div([notice(p, "warning") for p in problems], id=ID.URL_NOTICE),
        controls(ID.PREFIX, q, show=SHOW),
        html.Div([
            html.Div([
                html.Label(f"Regions to compare ({cv.MIN_REGIONS} to {cv.MAX_REGIONS})", htmlFor=ID.CODES),
                dcc.Dropdown(id=ID.CODES, options=cv.options(acc, sel.codes), value=list(sel.codes), multi=True,
                             placeholder="Type a country, group or continent…", className="compare-codes-select"),
            ], className="compare-pick-regions"),
            html.Div([
                html.Label("Measure", htmlFor=ID.MEASURE),
                dcc.Dropdown(id=ID.MEASURE, options=measure_options(), value=measure_value(q.perspective, scale),
                             clearable=False, searchable=False, className="compare-measure-select"),
            ], className="compare-pick-measure"),
        ], className="compare-pick"),
        html.Div(id=ID.NOTICE, role="status"),
        html.Div([dcc.Loading(graph(_empty(), id=ID.SERIES), type="dot", delay_show=600),
                  export_menu("compare-series", "Comparison: time series")], className="chart-card compare-card"),
        html.Div([
            html.H2("Key figures", id=ID.TABLE_TITLE),
            dcc.Loading(html.Div(id=ID.TABLE), type="dot", delay_show=400),
            export_menu("compare-table", "Comparison: key figures"),
        ], className="chart-card compare-card compare-table-card"),
        html.P([html.Strong("Method. "), "Each region's numbers are those of the ledger in which it is one region "
                "(a group or continent is the sum of its members), so they equal its own page. Consumption: "
                "E = f·L·y + h on the WIOD 2013 tables (1995–2011); 2012–2023 a nowcast on the 2011 table "
                "(modelled). Countries inside WIOD's rest of the world share its consumption in proportion to their "
                "production, so their consumption account is a shared estimate, not their own. Intervals: Monte "
                "Carlo draws of the inventories, the input–output table, the nowcast and the land terms. ",
                cv.SOURCES_NOTE], className="footnote"),
        dcc.Store(id=ID.STATE),
        dcc.Store(id=ID.BANDS),
        dcc.Store(id=ID.SEARCH),
    ], className="compare-page")


def _empty() -> go.Figure:
    return go.Figure().update_layout(template=LIGHT_TEMPLATE, height=80, margin=dict(l=0, r=0, t=0, b=0),
                                     xaxis=dict(visible=False), yaxis=dict(visible=False))


def chosen_codes(acc, value) -> tuple[list[str], str | None]:
    """The regions of the picker's value (known codes, in order, at most :data:`cv.MAX_REGIONS`) and what the page
    says about them (None when there is nothing to say)."""
    cat = cv.catalogue(acc)
    items = [v for v in (value or []) if isinstance(v, str)]
    codes = list(dict.fromkeys(v for v in items if v in cat))
    unknown = [v for v in items if v not in cat]
    message = []
    if unknown:
        message.append(f"Not a region Holocarbon knows: {', '.join(u[:40] for u in unknown[:5])}.")
    if len(codes) > cv.MAX_REGIONS:
        message.append(f"A comparison holds at most {cv.MAX_REGIONS} regions: comparing the first "
                       f"{cv.MAX_REGIONS}; remove one to add another.")
        codes = codes[:cv.MAX_REGIONS]
    if len(codes) < cv.MIN_REGIONS:
        message.append("Choose at least two regions to compare: type a country, group or continent in "
                       "“Regions to compare”." if not codes else
                       "Add at least one more region to compare with.")
    return codes, " ".join(message) or None


@callback(
    Output(ID.TABLE, "children"), Output(ID.TABLE_TITLE, "children"), Output(ID.NOTICE, "children"),
    Output(ID.CODES, "options"), Output(ID.STATE, "data"),
    *query_inputs(ID.PREFIX), Input(ID.CODES, "value"), State(ID.STATE, "data"),
)
def update_view(*values):
    """Thin: the Query from the controls and the regions from the picker, the key figures from the engine, the table
    from the pure builder. The series and the address follow from the view state this callback writes last. The
    picker's options change only when the comparison becomes full or stops being full (the others are disabled at
    :data:`cv.MAX_REGIONS`)."""
    *fields, value, previous = values
    acc = runtime.accounts()
    if acc is None:
        return (None, no_update, notice(runtime.pack_error() or "The data pack is not available.", "error"),
                no_update, no_update)
    codes, message = chosen_codes(acc, value)
    try:
        q = _page_query(query_from_values(*fields))
        table = None
        if codes:
            kf = cv.key_figures(acc, q, codes)
            table = cv.key_figures_table(kf, _carry(q, ("year", "gwp", "gases", "luc_model", "ci")))
    except Exception as exc:  # never a stack trace in the browser: user_message logs what is unexpected
        return no_update, no_update, notice(user_message(exc), "warning"), no_update, no_update
    title = f"Key figures, {q.year}"
    was_full = isinstance(previous, dict) and len(previous.get("codes") or []) >= cv.MAX_REGIONS
    options = cv.options(acc, codes) if was_full != (len(codes) >= cv.MAX_REGIONS) else no_update
    return (table, title, notice(message, "info") if message else None, options,
            {"qs": q.to_query_string(), "codes": codes})


def _carry(q: Query, fields=CARRY) -> str:
    return urlencode({k: v for k, v in q.to_params().items() if k in fields}, safe=",")


def _from_state(state) -> tuple[Query, list[str]]:
    if not isinstance(state, dict) or "qs" not in state or not isinstance(state.get("codes"), list):
        raise ValueError("no view yet")
    return Query.from_query_string(str(state["qs"])), [str(c) for c in state["codes"]]


@callback(Output(ID.SERIES, "figure"), Output(ID.BANDS, "data"), Input(ID.STATE, "data"),
          Input(ID.MEASURE, "value"), prevent_initial_call=True)
def update_series(state, measure):
    """One line per region for the chosen measure. With every region's intervals cached (a change of the measure or
    the year, regions seen before) the chart comes with its bands at once; otherwise the lines come first (a few
    tenths of a second) and a request for the bands goes to :func:`update_bands` (a second or more for new regions,
    longer on a fresh server)."""
    acc = runtime.accounts()
    if acc is None or not state:
        return no_update, no_update
    try:
        q, codes = _from_state(state)
        account, scale = parse_measure(measure)
        if not codes:
            return _empty(), None
        data = cv.series(acc, q, codes, cached_only=True)
        if data is not None:
            return series_view(acc, q, codes, account, scale, data), None
        lines = series_view(acc, q, codes, account, scale, cv.series(acc, q, codes, intervals=False))
        return lines, {"state": state, "measure": measure}
    except Exception as exc:  # the main callback shows the notice; the chart keeps its last state
        user_message(exc)
        return no_update, no_update


@callback(Output(ID.SERIES, "figure", allow_duplicate=True), Input(ID.BANDS, "data"), State(ID.STATE, "data"),
          State(ID.MEASURE, "value"), prevent_initial_call=True)
def update_bands(request, state, measure):
    """The chart again, with each line's interval band (the regions' draws for every year, cached per region)."""
    acc = runtime.accounts()
    if acc is None or not isinstance(request, dict) or request.get("state") != state \
            or request.get("measure") != measure:
        return no_update  # nothing asked, or the view has moved on since
    try:
        q, codes = _from_state(state)
        account, scale = parse_measure(measure)
        return series_view(acc, q, codes, account, scale, cv.series(acc, q, codes))
    except Exception as exc:
        user_message(exc)
        return no_update


def series_view(acc, q: Query, codes, account: str, scale: str, data=None) -> go.Figure:
    """Engine calls handed to the figure builder: the regions' series (with intervals unless ``data`` is given)."""
    if not codes:
        return _empty()
    data = cv.series(acc, q, codes) if data is None else data
    return cv.build_series_figure(cv.measure_frame(data, account, scale), account, scale, q.ci, q.year,
                                  cv.shared_row(acc, codes))


@callback(
    Output(ID.SEARCH, "data"), Output(ID.QUERY, "data", allow_duplicate=True),
    Input(ID.STATE, "data"), Input(ID.MEASURE, "value"),
    prevent_initial_call=True,
)
def sync_url(state, measure):
    """The address holds the regions, the choices and the measure (the Query's perspective and the scale)."""
    try:
        q, codes = _from_state(state)
    except ValueError:
        return no_update, no_update
    account, scale = parse_measure(measure)
    q = q.replace(perspective=account)
    return url_state(cv.page_search(q, codes, scale), path=PATH), _carry(q)


# the address bar follows the controls without a reload (every view is a shareable link)
url_sync(Input(ID.SEARCH, "data"))

year_status_callback(ID.PREFIX)  # the badge beside the year: measured table, nowcast or production only
