"""Trade: greenhouse-gas emissions embodied in trade between regions (producer → consumer of final demand)."""

from __future__ import annotations

from typing import Final, final

import dash
from dash import Input, Output, callback, dcc, html

from components import runtime
from components.controls import (
    MEASURED_YEAR,
    default_year_note,
    controls,
    query_from_url,
    query_from_values,
    query_inputs,
    year_status_callback,
)
from components.export_menu import export_menu
from components.figures import graph
from components.glossary import term
from components.messages import error_notice, notice, user_message
from components.trade_view import (
    EMPTY_TEXT,
    build_net_trade_figure,
    build_sankey_figure,
    build_trade_matrix_figure,
    net_trade_list,
    net_trade_table,
)
from components.urlstate import url_state, url_sync
from engine.core.errors import PackError
from engine.core.gwp import FGAS_NOTE

SHOW = ("year", "gwp", "gases", "grouping", "members")
PATH = "/trade"


@final
class ID:
    """Component ids of the trade page (one place: layout, callbacks and tests use these)."""

    PREFIX: Final = "trade"  # the shared controls are ``<PREFIX>-<field>`` (components.controls)
    BODY: Final = "trade-body"
    METHOD: Final = "trade-method"
    SEARCH: Final = "trade-search"  # URL state (components.urlstate)
    SANKEY: Final = "trade-sankey"
    MATRIX: Final = "trade-matrix"
    NET: Final = "trade-net"
    NET_LIST: Final = "trade-net-list"
    QUERY: Final = "hc-query"  # the shell's session store of the query string (components.controls)

dash.register_page(__name__, path=PATH, name="Trade", order=50, title="Trade — Holocarbon",
                   description="Emissions embodied in trade: who emits for whose final demand, as flows between "
                               "regions or groups, and the net exporters and importers.")

METHOD = ("Embodied flows f∘(L·Y): emissions of each producing region-sector (EDGAR 2024, allocated to the 35 "
          "WIOD 2013 sectors by JRC sector CO2 shares) traced through the WIOD 2013 multi-regional input–output "
          "table (L = (I − A)⁻¹) to the final demand Y of each consuming region. 1995–2011 use that year's table; "
          "2012–2023 are a nowcast on the structure of 2011 with each region's final demand scaled by its GDP "
          "volume. Countries outside WIOD's 40 are pooled in its rest of the world (RoW) for bilateral flows; "
          "direct household emissions and international bunkers are not traded flows and are left out here.")
SOURCES = ("Sources: WIOD 2013 (Timmer et al. 2015, Rev. Int. Econ. 23:575–605, doi:10.1111/roie.12178); EDGAR 2024 "
           "GHG (Crippa et al. 2024, JRC138862); JRC WIOD environmental accounts (Corsatea et al. 2019, "
           "doi:10.2760/024036).")


def layout(**query):
    q, problem = query_from_url(query, default_year=MEASURED_YEAR)
    return html.Div([
        html.Div([
            html.H1("Emissions embodied in trade"),
            html.P(["Who emits for whose consumption: greenhouse gases released in one region to make goods and "
                    "services bought by households, governments and investors in another (an ",
                    term("MRIO", "input–output model"), "). Choose the year, the ",
                    term("GWP", "greenhouse-gas metric"), ", the gases and how countries are grouped."],
                   className="lead-small"),
            html.P(["Trade in clean technology: ", dcc.Link("Green exports", href="/green-exports",
                                                           id="trade-green-link"),
                    " weighs the emissions of making China's exported solar panels and wind turbines against the "
                    "emissions they avoid abroad, by destination (model estimates)."], className="lead-small"),
        ], className="page-head"),
        notice(problem, "warning") if problem else None,
        controls(ID.PREFIX, q, show=SHOW),
        default_year_note(query, MEASURED_YEAR),
        dcc.Loading(html.Div(id=ID.BODY), type="circle", delay_show=500),
        html.Div([html.P(METHOD), html.P(SOURCES)], className="footnote", id=ID.METHOD),
        dcc.Store(id=ID.SEARCH),
    ])


def body(q, acc) -> list:
    """The page body for a Query: charts, or the empty state before 1995."""
    flows = acc.flows(q)
    meta = dict(flows.attrs) | {"year": q.year}
    if meta["method"] == "production-only":
        return [notice(EMPTY_TEXT, "info", f"No trade flows for {q.year}. ")]
    names = acc.names()
    if q.grouping == "custom":
        names = {**names, q.name: q.name}
    table = net_trade_table(flows, names)
    status = []
    if meta["method"] == "nowcast":
        status.append(notice(f"{q.year} is a nowcast: the structure of {meta['structure_year']} (WIOD 2013) with "
                             f"the emissions of {q.year} and final demand scaled by GDP volume.", "info",
                             "Structure of 2011. "))
    if "F-gases" in q.gases:
        status.append(html.P(FGAS_NOTE, className="footnote"))
    return status + [
        html.Div([graph(build_sankey_figure(flows, names, q.gases, meta), id=ID.SANKEY),
                  export_menu("trade-sankey", "Largest emission flows embodied in trade")], className="chart-card"),
        html.Div([graph(build_trade_matrix_figure(flows, names, q.gases, meta), id=ID.MATRIX),
                  export_menu("trade-matrix", "Embodied emissions, producer × consumer")],
                 className="chart-card trade-wide"),
        html.Div([
            html.Div([graph(build_net_trade_figure(table, q.gases, meta), id=ID.NET),
                      export_menu("trade-net", "Net exporters and importers of embodied emissions")],
                     className="chart-card"),
            html.Div(net_trade_list(table), className="chart-card net-card", id=ID.NET_LIST),
        ], className="two-col"),
    ]


@callback(
    Output(ID.BODY, "children"), Output(ID.SEARCH, "data"), Output(ID.QUERY, "data", allow_duplicate=True),
    *query_inputs(ID.PREFIX),
    prevent_initial_call="initial_duplicate",
)
def update(*values):
    """Thin: controls → Query → engine flows (cached per year) → pure builders."""
    try:
        q = query_from_values(*values)
    except ValueError as exc:
        return notice(user_message(exc), "warning", "Check the controls: "), dash.no_update, dash.no_update
    acc = runtime.accounts()
    if acc is None:
        return error_notice(PackError(runtime.pack_error() or "the processed pack is not built")), \
            dash.no_update, dash.no_update
    try:
        children = body(q, acc)
    except Exception as exc:  # noqa: BLE001 — never a stack trace in the browser
        return error_notice(exc), dash.no_update, dash.no_update
    qs = q.to_query_string()
    return children, url_state(qs, path=PATH), qs


# the address bar follows the controls without a reload (only while the address is this page)
url_sync(Input(ID.SEARCH, "data"))


year_status_callback(ID.PREFIX)  # the badge beside the year: measured table, nowcast or production only
