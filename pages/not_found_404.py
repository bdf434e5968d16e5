"""Friendly not-found page (the server also answers such URLs with HTTP 404)."""

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Not found", nav=False, title="Page not found — Holocarbon")


def layout(**_query):
    return html.Div(
        [
            html.H1("Page not found"),
            html.P("There is no Holocarbon page at this address. It may have moved, or the link may be mistyped."),
            html.P(["Try the ", dcc.Link("home page", href="/"), " or the ", dcc.Link("data & methods", href="/data"),
                    " page, which lists every source Holocarbon reads."]),
        ],
        className="narrow",
    )
