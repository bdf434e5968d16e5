"""The page shell: a skip link, the header (navigation built from the page registry, the search box, the share
button), the content as the ``<main>`` landmark (``#main-content``, the skip link's target), the footer."""

from __future__ import annotations

import dash
from dash import dcc, html

from components.controls import nav_sync_components
from components.export_menu import share_button
from components.search import search_box

#: Id of the ``<main>`` landmark (the skip link's target; focusable by script, not a Tab stop).
MAIN_ID = "main-content"


def nav_links() -> list:
    """One link per registered page that asks to be in the navigation (``nav`` not False), by ``order``."""
    pages = sorted(
        (p for p in dash.page_registry.values() if p.get("nav", True) and not p.get("path_template")),
        key=lambda p: (p.get("order") or 0, p["name"]),
    )
    return [dcc.Link(p.get("nav_label", p["name"]), href=p["relative_path"], className="nav-link",
                     id={"type": "nav-link", "path": p["relative_path"]}) for p in pages]


def shell() -> html.Div:
    return html.Div(
        [
            html.A("Skip to content", href=f"#{MAIN_ID}", className="skip-link"),
            html.Header(
                html.Div(
                    [
                        dcc.Link([html.Span("◐", className="logo-mark"), " Holocarbon"], href="/", className="brand"),
                        html.Nav(nav_links(), className="nav", **{"aria-label": "Main"}),
                        search_box(),
                        share_button(),
                    ],
                    className="header-inner",
                ),
                className="site-header",
            ),
            html.Main(dash.page_container, className="content", id=MAIN_ID, tabIndex="-1"),
            *nav_sync_components(),
            html.Footer(
                [
                    html.Span("Holocarbon — open, offline-capable greenhouse-gas accounting from public data. "),
                    dcc.Link("Data & methods", href="/data"),
                    html.Span(" lists every source, its license and citation."),
                ],
                className="site-footer",
            ),
        ],
        className="page",
    )
