"""Export menu shown under every chart: PNG · SVG · PDF · CSV · XLSX and "Add to briefing".

The links point at ``/export/<chart>.<fmt>``; ``assets/export.js`` completes them at click time with the page's
current query string (kept in the address bar by every page) and its path parameter (``code`` for
``/country/<code>`` and ``/sector/<code>``), so the export is exactly the view on screen. "Add to briefing"
stores the chart reference in the browser (local storage, key ``hc-briefing``); nothing is kept on the server.
"""

from __future__ import annotations

from dash import html

FORMAT_LABELS = (("png", "PNG"), ("svg", "SVG"), ("pdf", "PDF"), ("csv", "CSV"), ("xlsx", "XLSX"))


def export_menu(chart: str, title: str, figure: bool = True) -> html.Div:
    """Links for one registered chart (see :data:`components.charts.CHARTS`)."""
    formats = FORMAT_LABELS if figure else FORMAT_LABELS[3:]
    links = [html.A(label, href=f"/export/{chart}.{fmt}", className="export-link", **{"data-chart": chart,
                                                                                       "data-fmt": fmt},
                    title=f"Download this {'chart' if fmt in ('png', 'svg', 'pdf') else 'data'} as {label}")
             for fmt, label in formats]
    add = html.Button("+ Add to briefing", className="briefing-add", type="button",
                      **{"data-chart": chart, "data-title": title})
    return html.Div([html.Span("Export:", className="export-label"), *links, add], className="export-menu")


def share_button() -> html.Button:
    """Copy the current address (which holds every choice) to the clipboard."""
    return html.Button("Copy link", id="share-link", className="share-link", type="button",
                       title="Copy a link to exactly this view")


def map_export_menu() -> html.Div:
    """Atlas snapshot links: the current view as a picture (PNG, PDF) or as data (NetCDF, GeoTIFF)."""
    kinds = (("png", "PNG"), ("pdf", "PDF"), ("nc", "NetCDF"), ("tif", "GeoTIFF"))
    links = [html.A(label, href=f"/export/map.{fmt}", className="export-link export-map", **{"data-fmt": fmt},
                    title=f"Download the current map view as {label}") for fmt, label in kinds]
    return html.Div([html.Span("Export this view:", className="export-label"), *links], className="export-menu")
