"""Ledger: the panoramic ledger of every region — world map, sortable table, adjustment chart and the headline
comparison with the published CAS claim and the Global Carbon Budget."""

from __future__ import annotations

import json
from typing import Final, final

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import (
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dash_table,
    dcc,
    html,
    no_update,
)

from components import runtime
from components.controls import (
    MEASURED_YEAR,
    default_year_note,
    controls,
    page_search,
    query_from_url,
    query_from_values,
    query_inputs,
    year_status_callback,
)
from components.export_menu import export_menu
from components.figures import FONT, graph, memo_view
from components.glossary import term
from components import intervals
from components.ledger_view import (
    INTERVAL_COLUMN_IDS,
    NO_CONSUMPTION,
    SIGN_UNCERTAIN,
    build_adjustment_figure,
    build_headline_figure,
    build_ledger_map,
    empty_figure,
    ci_of,
    footnotes,
    has_consumption,
    headline_panel,
    headline_with_intervals,
    map_frame,
    needs_io_table,
    table_columns,
    table_records,
    table_styles,
)
from components.messages import notice, user_message
from components.prerender import with_picture
from components.urlstate import url_state, url_sync
from engine.accounts import regions
from engine.accounts.headline import HEADLINE_YEAR, headline
from engine.accounts.regions import NAMED_GROUPS

PATH = "/ledger"
#: Height of the ledger map [px] (its picture for a first load is drawn at the same height).
MAP_HEIGHT = 640


@final
class ID:
    """Component ids of the ledger page (one place: layout, callbacks and tests use these)."""

    PREFIX: Final = "ledger"  # the shared controls are ``<PREFIX>-<field>`` (components.controls)
    GWP: Final = f"{PREFIX}-gwp"
    CI: Final = f"{PREFIX}-ci"
    SCALE: Final = "ledger-scale"
    NOTICE: Final = "ledger-notice"
    MAP: Final = "ledger-map"
    ADJUSTMENT: Final = "ledger-adjustment"
    HEADLINE: Final = "ledger-headline"
    HEADLINE_NOTES: Final = "ledger-headline-notes"
    TABLE: Final = "ledger-table"
    FOOTNOTES: Final = "ledger-footnotes"
    NAME: Final = "ledger-name"
    SEARCH: Final = "ledger-search"  # URL state (components.urlstate)
    GO: Final = "ledger-go"
    GOTO: Final = "ledger-goto"  # "Go to a country": the keyboard's way to what a click on the map does
    GOTO_OPEN: Final = "ledger-goto-open"
    QUERY: Final = "hc-query"  # the shell's session store of the query string (components.controls)


dash.register_page(__name__, path=PATH, name="Ledger", order=20, title="Ledger — Holocarbon",
                   description="Production, consumption, transfers and the panoramic account of every country and "
                               "group: world map, sortable table, and Holocarbon's 2022 figures beside the published "
                               "panoramic claim and the Global Carbon Budget.")

SCALES = ("absolute", "per_capita")
SCALE_OPTIONS = [{"label": "Absolute (Mt CO2e)", "value": "absolute"},
                 {"label": "Per capita (t CO2e per person)", "value": "per_capita"}]


def country_options() -> list[dict]:
    """The choices of "Go to a country": the named groups, then every country by name (its code after it)."""
    acc = runtime.accounts()
    if acc is None:
        return []
    names = acc.names()
    codes = set(acc.country_year(2020).index) - {"BUNKERS"}
    countries = sorted(({"label": f"{names.get(c, c)} ({c})", "value": c} for c in codes),
                       key=lambda o: o["label"].casefold())
    return [{"label": f"{names.get(g, g)} (group)", "value": g} for g in NAMED_GROUPS] + countries


def goto_country() -> html.Div:
    """A keyboard and screen-reader alternative to clicking the map: choose a country, open its page."""
    return html.Div([
        html.Label("Go to a country", htmlFor=ID.GOTO),
        dcc.Dropdown(id=ID.GOTO, options=country_options(), placeholder="Type a country or group…",
                     className="ledger-goto-select"),
        html.Button("Open its page", id=ID.GOTO_OPEN, className="btn", type="button"),
    ], className="ledger-goto")


def layout(**query):
    q, problem = query_from_url(query, default_year=MEASURED_YEAR)
    scale = query.get("scale", "absolute")
    if scale not in SCALES:
        problem = (problem or "") + f" scale must be one of {', '.join(SCALES)}; got {scale!r} (showing absolute)."
        scale = "absolute"
    pre, acc = runtime.prerenderer(), runtime.accounts()
    picture = pre.picture(acc, PATH, page_search(q, scale=None if scale == "absolute" else scale)) if pre else None
    return html.Div([
        html.Div([
            html.H1("Ledger"),
            html.P(["Who emits, and for whom: each region's production (territorial) emissions, the emissions its "
                    "consumption causes anywhere in the world (", term("consumption-based"), ", from an ",
                    term("MRIO", "input–output model"), "), the difference (net transfer), and the ",
                    term("panoramic", "panoramic account"), " that adds land-use change and subtracts the land sink "
                    "attributed to it."], className="lead-small"),
        ], className="page-head"),
        notice(problem.strip(), "warning") if problem else None,
        controls(ID.PREFIX, q),
        default_year_note(query, MEASURED_YEAR),
        html.Div([
            html.Label("Map values", htmlFor=ID.SCALE),
            dcc.RadioItems(id=ID.SCALE, options=SCALE_OPTIONS, value=scale, inline=True,
                           className="checklist"),
        ], className="ledger-scale"),
        html.Div(id=ID.NOTICE),
        html.Div([goto_country(),
                  with_picture(dcc.Loading(graph(go.Figure(), id=ID.MAP, style={"height": f"{MAP_HEIGHT}px"}),
                                           type="circle", delay_show=400), picture, MAP_HEIGHT),
                  export_menu("ledger-map", "Ledger world map")], className="chart-card"),
        html.Div([
            html.Div([graph(go.Figure(), id=ID.ADJUSTMENT, style={"height": "600px"}),
                      export_menu("ledger-adjustment", "Consumption vs production, top 20 producers")],
                     className="chart-card"),
            html.Div([graph(go.Figure(), id=ID.HEADLINE, style={"height": "600px"}),
                      export_menu("ledger-headline", "Headline: Holocarbon, the CAS claim and GCB, 2022")],
                     className="chart-card"),
        ], className="two-col ledger-charts"),
        html.Div(id=ID.HEADLINE_NOTES, className="chart-card headline-card"),
        html.H2("The full ledger"),
        html.P("Sort by clicking a column header; filter by typing in the row under the headers (e.g. > 1000 or "
               "China). Mt CO2e per year; land-use change and the land sink in Mt CO2 (sink positive = removal). "
               "Each value is followed by its interval (the chosen share of 1,000 Monte Carlo draws of the inputs, "
               "see Data & methods); “sign uncertain” marks a net transfer whose interval includes zero, so whether "
               "the region is a net importer or exporter of embodied emissions is not settled.",
               className="lead-small"),
        html.P([html.Span("Amber", className="key-modelled"), " columns are modelled (the land sink is attributed "
                "to countries by land cover, not measured); ", html.Span("grey italic", className="key-shared"),
                " consumption figures belong to WIOD's rest of the world, shared among its countries by production — "
                "not a measurement of that country."], className="lead-small table-key"),
        dash_table.DataTable(
            id=ID.TABLE, columns=table_columns(q.ci), data=[], sort_action="native", filter_action="native",
            sort_mode="single", page_action="native", page_size=25,
            filter_options={"case": "insensitive", "placeholder_text": "filter…"},
            style_table={"overflowX": "auto"},  # the region column stays in sight: sticky (assets/ledger.css)
            style_header={"whiteSpace": "normal", "height": "auto", "fontWeight": 600, "backgroundColor": "#eef1f4",
                          "lineHeight": "1.2", "fontSize": "0.8rem"},
            style_cell={"fontFamily": FONT, "fontSize": "0.84rem", "padding": "0.3rem 0.5rem",
                        "minWidth": "96px", "maxWidth": "200px", "whiteSpace": "normal", "lineHeight": "1.3",
                        "height": "auto"},
            style_cell_conditional=[{"if": {"column_id": c}, "textAlign": "left"}
                                    for c in ("name", "region", "method_label", "row_flag")]
            + [{"if": {"column_id": "name"}, "minWidth": "170px"},
               {"if": {"column_id": "method_label"}, "minWidth": "200px"},
               {"if": {"column_id": "region"}, "minWidth": "80px"}]
            + [{"if": {"column_id": c}, "color": "#5f6b7a", "fontSize": "0.78rem", "minWidth": "150px",
                "textAlign": "right", "whiteSpace": "nowrap" if c != "transfer_mt_co2e_interval" else "normal"}
               for c in INTERVAL_COLUMN_IDS],
            style_data_conditional=[
                {"if": {"filter_query": "{transfer_mt_co2e} > 0", "column_id": "transfer_mt_co2e"}, "color": "#a3312a"},
                {"if": {"filter_query": "{transfer_mt_co2e} < 0", "column_id": "transfer_mt_co2e"}, "color": "#22639a"},
                {"if": {"filter_query": f'{{transfer_mt_co2e_interval}} contains "{SIGN_UNCERTAIN}"',
                        "column_id": ["transfer_mt_co2e", "transfer_mt_co2e_interval"]},
                 "color": "#8a5a00", "fontStyle": "italic"},
            ] + table_styles(),
        ),
        export_menu("ledger-table", "The full ledger", figure=False),
        html.Div(id=ID.FOOTNOTES),
        dcc.Store(id=ID.NAME, data=q.name),
        dcc.Store(id=ID.SEARCH),
        dcc.Location(id=ID.GO, refresh="callback-nav"),
    ], className="ledger-page")


def ledger_view(accounts, q, per_capita: bool):
    """Engine calls and figure builders of one Query: (map, notice, table rows, adjustment figure, footnotes).

    The ledger comes with its ``q.ci`` % intervals (:meth:`Uncertainty.ledger`, one call for the map hover, the
    table and the error bars)."""
    led = intervals.ledger(accounts, q)
    fallback = needs_io_table(q.perspective) and not has_consumption(led)

    def build():  # plotly's validation of three charts costs about a second: once per Query and scale
        shown = "production" if fallback else q.perspective
        membership = regions.partition(accounts.year_frame(q.year)["codes"], q, accounts.mrio_regions())
        frame = map_frame(led, membership, accounts.names(), shown, per_capita)
        method, structure = led.attrs["method"], led.attrs["structure_year"]
        fig = build_ledger_map(frame, q.perspective, per_capita, q.year, method, structure, q.grouping,
                               fallback=fallback, ci=ci_of(led))
        return fig.to_plotly_json(), table_records(led), build_adjustment_figure(led).to_plotly_json()

    fig, rows, adj = memo_view(accounts, accounts._key("ui-ledger-view", q.to_query_string(), per_capita), build)
    note = notice(NO_CONSUMPTION.format(year=q.year) + " The map shows production (territorial) emissions instead; "
                  "choose 1995 or later for consumption-based views.", "info", "No consumption account. ") \
        if fallback else None
    return fig, note, rows, adj, footnotes(led)


def update_ledger(year, gwp, gases, luc_model, grouping, members, perspective, scale, name, ci=None):
    """Thin: parse the controls into a Query, call the engine, hand the results to the figure builders.

    Returns (map, notice, table rows, adjustment figure, footnotes, page search ``?…``, query string); the
    registered callback is :func:`_ledger_callback`.
    """
    def failed(message: str, kind: str, title: str) -> tuple:
        """The message in the notice AND in place of the charts (an empty map would say nothing)."""
        empty = empty_figure(title.rstrip(": "), message, "Change the choice above to see the ledger.", height=420)
        return (empty, notice(message, kind, title), [], empty, None, no_update, no_update)

    try:
        q = query_from_values(year, gwp, gases, luc_model, grouping, members, perspective, ci)
        if q.grouping == "custom" and name:
            q = q.replace(name=name)
    except ValueError as exc:
        return failed(user_message(exc), "warning", "Cannot use these choices: ")
    accounts = runtime.accounts()
    if accounts is None:
        return failed(runtime.pack_error() or "The processed data pack is not built.", "error",
                      "Cannot show the ledger: ")
    try:
        fig, note, rows, adj, foot = ledger_view(accounts, q, scale == "per_capita")
    except Exception as exc:  # engine errors become a notice, never a stack trace in the browser
        return failed(user_message(exc), "warning", "Cannot show this view: ")
    search = page_search(q, scale=None if scale == "absolute" else scale)
    pre = runtime.prerenderer()
    if pre is not None:  # the map as a picture for the next first load of this view (prerender.py)
        pre.remember(accounts, PATH, search, fig, MAP_HEIGHT)
    return fig, note, rows, adj, foot, search, q.to_query_string()


@callback(
    Output(ID.MAP, "figure"), Output(ID.NOTICE, "children"), Output(ID.TABLE, "data"),
    Output(ID.ADJUSTMENT, "figure"), Output(ID.FOOTNOTES, "children"), Output(ID.SEARCH, "data"),
    Output(ID.QUERY, "data", allow_duplicate=True),
    *query_inputs(ID.PREFIX), Input(ID.SCALE, "value"), State(ID.NAME, "data"),
    prevent_initial_call="initial_duplicate",
)
def _ledger_callback(*values):
    """:func:`update_ledger`, its search handed to the address bar as the page's URL state (under /ledger)."""
    *fields, scale, name = values  # the controls in FIELDS order (the interval level last), then the page's own
    *query_fields, ci = fields
    *outputs, search, qs = update_ledger(*query_fields, scale, name, ci=ci)
    return (*outputs, url_state(search, prefix=PATH), qs)


@callback(Output(ID.TABLE, "columns"), Input(ID.CI, "value"), prevent_initial_call=True)
def _table_columns(ci):
    """The table's interval headers name the chosen level."""
    return table_columns(int(ci)) if ci in (66, 90, 95) else no_update


def headline_frame(gwp: str, ci: int | None = None) -> pd.DataFrame:
    """Headline rows and notes for a GWP set (independent of every other control), through the one cache layer;
    with ``ci``, Holocarbon's interval and where each published figure lies (:func:`headline_with_intervals`)."""
    acc = runtime.accounts()

    def build():
        head = headline(acc, gwp)
        return head.to_dict("records"), list(head.attrs.get("notes", []))

    records, notes = acc.cache.memo(acc._key("headline", gwp), build)
    head = pd.DataFrame(records)
    head.attrs["notes"] = notes
    if ci is None:
        return head
    return headline_with_intervals(head, intervals.headline_intervals(acc, gwp, ci), ci)


@callback(Output(ID.HEADLINE, "figure"), Output(ID.HEADLINE_NOTES, "children"), Input(ID.GWP, "value"),
          Input(ID.CI, "value"))
def update_headline(gwp, ci=None):
    """The headline comparison for the chosen GWP set and interval level (2022, fixed regions)."""
    if runtime.accounts() is None:
        return no_update, notice(runtime.pack_error() or "The processed data pack is not built.", "error")
    try:
        head = headline_frame(gwp, int(ci) if ci is not None else 90)
    except Exception as exc:
        return no_update, notice(user_message(exc), "warning", "Cannot show the headline comparison: ")
    acc = runtime.accounts()
    fig = memo_view(acc, acc._key("ui-headline-figure", gwp, ci),  # the same figure for every visitor: built once
                    lambda: build_headline_figure(head, HEADLINE_YEAR).to_plotly_json())
    return fig, headline_panel(head)


# the address bar follows the controls without a reload (every view is a shareable link)
url_sync(Input(ID.SEARCH, "data"))

# a click on a country, or "Open its page" after choosing one in "Go to a country", opens its page with the same
# choices
clientside_callback(
    """function(click, opened, qs, chosen){
        const dc = window.dash_clientside;
        const fired = (dc.callback_context.triggered || []).map(t => t.prop_id);
        let code = null;
        if(fired.some(p => p.indexOf(%s) === 0)){
            code = chosen;
        } else {
            const pt = click && click.points && click.points[0];
            code = pt && (pt.location || (pt.customdata && pt.customdata[0]));
        }
        if(!code){ return dc.no_update; }
        return '/country/' + encodeURIComponent(code) + (qs ? '?' + qs : '');
    }""" % json.dumps(ID.GOTO_OPEN + "."),
    Output(ID.GO, "href"), Input(ID.MAP, "clickData"), Input(ID.GOTO_OPEN, "n_clicks"), State(ID.QUERY, "data"),
    State(ID.GOTO, "value"),
    prevent_initial_call=True,
)


year_status_callback(ID.PREFIX)  # the badge beside the year: measured table, nowcast or production only
