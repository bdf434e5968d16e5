"""The page shell: a skip link, the header (navigation built from the page registry, the search box, the share
button), the content as the ``<main>`` landmark (``#main-content``, the skip link's target), the footer with the
"Cite this view" line.

The cite line (:mod:`components.cite`) names the version and the data pack, written here from the running app, and
the page's title, full URL and the date, which ``assets/cite.js`` keeps in step with the address bar (the pages
rewrite it without a reload); its button copies the line."""

from __future__ import annotations

import dash
from dash import dcc, html

from components.cite import app_version, runtime_pack_key
from components.controls import nav_sync_components
from components.export_menu import share_button
from components.search import search_box

#: Id of the ``<main>`` landmark (the skip link's target; focusable by script, not a Tab stop).
MAIN_ID = "main-content"
#: Ids of the footer's cite line (its text, written by assets/cite.js), its copy button and its status message.
CITE_LINE, CITE_COPY, CITE_STATUS = "cite-line", "cite-copy", "cite-status"


def nav_links() -> list:
    """One link per registered page that asks to be in the navigation (``nav`` not False), by ``order``."""
    pages = sorted(
        (p for p in dash.page_registry.values() if p.get("nav", True) and not p.get("path_template")),
        key=lambda p: (p.get("order") or 0, p["name"]),
    )
    return [dcc.Link(p.get("nav_label", p["name"]), href=p["relative_path"], className="nav-link",
                     id={"type": "nav-link", "path": p["relative_path"]}) for p in pages]


def cite_block() -> html.P:
    """``Cite this view: Holocarbon <version> (pack <id>), <title>, <URL>, accessed <date>`` with a copy button; the
    version and pack are data attributes that assets/cite.js turns into the line."""
    pack = runtime_pack_key() or "not available"
    version = app_version()
    return html.P([
        html.Span("Cite this view: ", className="cite-label"),
        html.Span(id=CITE_LINE, className="cite-line", **{"data-version": version, "data-pack": pack}),
        " ",
        html.Button("Copy citation", id=CITE_COPY, type="button", className="cite-copy"),
        html.Span(id=CITE_STATUS, role="status", className="cite-status"),
    ], className="cite", id="cite")


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
                    html.P([
                        html.Span("Holocarbon — open, offline-capable greenhouse-gas accounting from public data. "),
                        dcc.Link("Data & methods", href="/data"),
                        html.Span(" lists every source, its license and citation."),
                    ], className="footer-about"),
                    cite_block(),
                ],
                className="site-footer",
            ),
        ],
        className="page",
    )
