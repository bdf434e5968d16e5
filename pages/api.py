"""API: the REST API and the Python API, documented from the same endpoint descriptions that validate requests."""

import json
from typing import Final, final

import dash
from dash import html

from api.spec import FORMAT_PARAM, MAX_PARAM_LENGTH, QUERY_PARAMS, Endpoint, Param
from api.v1 import ENDPOINTS, PREFIX
from engine.maps.zonal import MAX_SUBSET_SPAN, MAX_TOP
from engine.session import PYTHON_EXAMPLE

dash.register_page(__name__, path="/api", name="API", order=95, title="API — Holocarbon",
                   description="REST and Python API: ledgers, flows, sectors, grids and sources as JSON, CSV or "
                               "NetCDF.")


@final
class ID:
    """Component ids of the API page (one place: layout and tests use these)."""

    ENDPOINT_PREFIX: Final = "endpoint"  # one card per endpoint: ``endpoint-<name>`` (e.g. endpoint-ledger)


def _rich(text: str) -> list:
    """Text with `backticked` words as code (descriptions are shared with the OpenAPI document's markdown)."""
    parts = text.split("`")
    return [html.Code(t) if i % 2 else t for i, t in enumerate(parts) if t]


def _default(p: Param) -> str:
    if p.default is None:
        return "required" if p.required or p.location == "path" else "—"
    if isinstance(p.default, tuple):
        return ",".join(p.default)
    return str(p.default).lower() if isinstance(p.default, bool) else str(p.default)


def _params_table(params, caption: str | None = None) -> html.Table:
    rows = [html.Tr([html.Td(html.Code(p.name)), html.Td(p.describe_type()), html.Td(_default(p)),
                     html.Td(_rich(p.description))]) for p in params]
    return html.Table([html.Caption(caption) if caption else None,
                       html.Thead(html.Tr([html.Th(h) for h in ("Parameter", "Accepted values", "Default",
                                                                "Meaning")])),
                       html.Tbody(rows)], className="table api-params")


def _columns_table(e: Endpoint) -> html.Details:
    rows = [html.Tr([html.Td(html.Code(c.name)), html.Td(c.type + (" or null" if c.nullable else "")),
                     html.Td(c.unit or "—"), html.Td(_rich(c.description))]) for c in e.columns]
    return html.Details([
        html.Summary(f"{len(e.columns)} columns"),
        html.Table([html.Thead(html.Tr([html.Th(h) for h in ("Column", "Type", "Unit", "Meaning")])),
                    html.Tbody(rows)], className="table api-columns"),
    ])


def _endpoint_card(e: Endpoint) -> html.Section:
    url = PREFIX + e.path
    example = url.replace("{code}", "power-industry") + e.example if "{" in e.path else url + e.example
    formats = {"json": "JSON", "csv": "CSV (format=csv)", "xlsx": "XLSX (format=xlsx)", "nc": "NetCDF"}
    body = [
        html.H3([html.Span("GET", className="api-method"), html.Code(url)], className="api-path"),
        html.P([html.Strong(e.summary + ". "), *_rich(e.description)]),
        html.P([html.Span("Example: ", className="muted"), html.A(example, href=example, target="_blank",
                                                                   rel="noopener", className="api-example")]),
        html.P([html.Span("Formats: ", className="muted"), ", ".join(formats[f] for f in e.formats)
                + (". Takes the Query parameters." if e.query else ".")]),
    ]
    if e.params:
        body.append(_params_table(e.params))
    if e.columns:
        body.append(_columns_table(e))
    return html.Section(body, className="card api-endpoint", id=f"{ID.ENDPOINT_PREFIX}-{e.name}")


def _lca_cards() -> list[html.Section]:
    """The two routes of product footprints outside the GET endpoints: POST /lca and the template body."""
    from api.lca import MAX_BODY, POST_SCOPE_PARAMS, RUN_PARAMS, example_body
    from engine.lca import MAX_LINES

    post = html.Section([
        html.H3([html.Span("POST", className="api-method"), html.Code(PREFIX + "/lca")], className="api-path"),
        html.P([html.Strong("Product footprint of your inventory. "), *_rich(
            "Body `application/json`: `{scope, lines, draws, ci, seed, top_paths, compare}` (or `csv` text instead "
            "of `lines`), or `text/csv` lines with the scope in the query string. Line kinds: `money` (sector c1..c35, "
            "currency, price_year), `process` (t of a good), `electricity` (kWh), `transport` (tkm by mode), "
            "`direct` (kg of CO2, CH4 or N2O). The answer holds the total and its interval, the split by gas, "
            "contributions by line, country, sector, kind and tier, the top paths, the sensitivity, notes, sources "
            "and `request`, the body that reproduces it. Query parameters override the body's scope and options; "
            "`format=csv|xlsx` for a download.")]),
        html.P(f"Limits: {MAX_LINES} lines, {MAX_BODY // 1024} kB. Errors name the line (400 line 3: unknown "
               "sector ...); an unknown country is a 404 with the closest codes; 413 for a body too large, 415 for "
               "another content type.", className="muted"),
        html.Div(html.Pre(html.Code(
            f"curl -X POST -H 'Content-Type: application/json' {PREFIX}/lca -d '"
            + json.dumps(example_body()) + "'"), tabIndex="0", role="region",
            **{"aria-label": "POST example"}), className="api-code"),
        _params_table(POST_SCOPE_PARAMS + RUN_PARAMS, "Query parameters (override the body)"),
    ], className="card api-endpoint", id=f"{ID.ENDPOINT_PREFIX}-lca_post")
    url = PREFIX + "/lca/templates/pv_module"
    tpl = html.Section([
        html.H3([html.Span("GET", className="api-method"), html.Code(PREFIX + "/lca/templates/{name}")],
                className="api-path"),
        html.P([html.Strong("One template as the body to POST. "), *_rich(
            "`{scope, lines}` with the template's title, sources and published footprint (ignored by a POST); "
            "`format=csv` gives its lines as CSV.")]),
        html.P([html.Span("Example: ", className="muted"), html.A(url, href=url, target="_blank", rel="noopener",
                                                                   className="api-example")]),
    ], className="card api-endpoint", id=f"{ID.ENDPOINT_PREFIX}-lca_template")
    return [post, tpl]


def layout(**_query):
    tags = [("accounts", "National accounts"), ("trade", "Trade"), ("grids", "Grids"),
            ("industry", "Industry and CBAM (model estimates)"),
            ("green", "Green exports (model estimates)"), ("lca", "Product footprints (model estimates)"),
            ("catalogue", "Catalogue")]
    sections = []
    for tag, title in tags:
        sections.append(html.H2(title))
        sections.extend(_endpoint_card(e) for e in ENDPOINTS if e.tag == tag)
        if tag == "lca":
            sections.extend(_lca_cards())
    return html.Div([
        html.H1("API"),
        html.P([
            "Everything on these pages is available to scripts. The REST API answers under ", html.Code(PREFIX),
            " with JSON (default) or CSV (", html.Code("format=csv"), "); grid subsets come as CF NetCDF. Every "
            "answer carries the Query it answered (all eight choices, defaults filled in) and the method flags "
            "(MRIO, nowcast or production only; downscaled or modelled maps) with the notes a reader needs. The "
            "machine-readable description is the ",
            html.A("OpenAPI 3 document", href=PREFIX + "/openapi.json", target="_blank", rel="noopener"),
            "; this page is generated from the same description."], className="lead-small"),
        html.Div([
            html.Div([html.Strong("Errors"), html.P([
                "JSON ", html.Code("{error, detail, allowed}"), ": 400 for a bad or unknown parameter (",
                html.Code("allowed"), " lists what is accepted), 404 for an unknown route or code, 405 for a method "
                "other than GET, 503 when a source file the answer needs is missing or corrupt (the detail names it "
                "and the command that fixes it)."])], className="card"),
            html.Div([html.Strong("Limits"), html.P(
                f"Parameters up to {MAX_PARAM_LENGTH} characters; lists up to the size shown per parameter; "
                f"flows up to 10,000 rows; zonal statistics up to {MAX_TOP} top cells; grid subsets up to "
                f"{MAX_SUBSET_SPAN[0]:g}° × {MAX_SUBSET_SPAN[1]:g}° (the whole grid: "
                "python -m engine grid). Request bodies up to 1 MB. Heavy answers (NetCDF subsets, exports) run "
                "two at a time per server process; when all are busy the answer is 503 busy with Retry-After.")],
                className="card"),
            html.Div([html.Strong("Units"), html.P(
                "Ledgers in Mt CO2e per year in the chosen GWP set (land-use change and sinks in Mt CO2); grids in "
                "t per 0.1° cell per year. CSV files repeat the Query, method, units and notes in # lines.")],
                className="card"),
        ], className="cards"),
        html.H2("Query parameters"),
        html.P("Accepted by every endpoint marked \u201cTakes the Query parameters\u201d, with the same names and "
               "values as the page addresses (a page link's query string is a valid API query).",
               className="muted"),
        _params_table(QUERY_PARAMS + (FORMAT_PARAM,)),
        *sections,
        html.H2("Python API"),
        html.P(["The same engine without a server: ", html.Code("from engine import Query, open_engine"),
                ". Results are pandas DataFrames and xarray DataArrays that carry the Query, units and notes in ",
                html.Code(".attrs"), ". Run from the project folder with the virtual environment (",
                html.Code(".venv/bin/python"), ")."]),
        html.Div(html.Pre(html.Code(PYTHON_EXAMPLE), tabIndex="0", role="region",  # scrolls sideways on a phone
                          **{"aria-label": "Python example"}), className="api-code"),
    ], className="api-page")
