"""Green exports: China's exported solar PV and wind equipment by destination — a flow map, manufacturing against
avoided emissions with intervals, the parameter panel, the tornado and the claim check, every choice in the URL
(``/green-exports?year=2024&tech=pv&installation_share=0.8&displacement=fossil_margin``). Every number is modelled."""

from __future__ import annotations

from typing import Final, final

import dash
import plotly.graph_objects as go
from dash import Input, Output, callback, dcc, html, no_update

from components import green_view as gv
from components import runtime
from components.export_menu import export_menu
from components.figures import LIGHT_TEMPLATE, graph
from components.messages import notice, user_message
from components.urlstate import url_state, url_sync

PATH = "/green-exports"
#: The claims are about 2024 exports (CAS, April 2026; CREA for Carbon Brief, July 2025).
CLAIM_YEAR = 2024


@final
class ID:
    """Component ids of the green-exports page (layout, callbacks and tests use these)."""

    YEAR: Final = "green-year"
    TECH: Final = "green-tech"
    CI: Final = "green-ci"
    SIZE: Final = "green-size"
    METRIC: Final = "green-metric"
    URL_NOTICE: Final = "green-url-notice"
    NOTICE: Final = "green-notice"
    HEADLINE: Final = "green-headline"
    NOTES: Final = "green-notes"
    MAP: Final = "green-map"
    BARS: Final = "green-bars"
    TORNADO: Final = "green-tornado"
    CLAIM_CHART: Final = "green-claim-chart"
    CLAIM: Final = "green-claim"
    CLAIM_YEAR: Final = "green-claim-year"
    SEARCH: Final = "green-search"
    #: one id per GreenParams control: ``green-p-<field>``
    P_PREFIX: Final = "green-p-"


dash.register_page(__name__, path=PATH, name="Green exports", order=55, title="Green exports — Holocarbon",
                   nav=False,
                   description="China's exported solar panels and wind turbines by destination: emissions of making "
                               "them against emissions they avoid over their lives, with every parameter visible.")

#: GreenParams fields in the order of the controls (the callback's inputs).
P_FIELDS = tuple(s[0] for s in gv.SLIDERS) + ("displacement", "pv_commodities")


def _empty(height: int = 80) -> go.Figure:
    return go.Figure().update_layout(template=LIGHT_TEMPLATE, height=height, margin=dict(l=0, r=0, t=0, b=0),
                                     xaxis=dict(visible=False), yaxis=dict(visible=False))


def _marks(lo, hi) -> dict:
    return {lo: f"{lo:g}", hi: f"{hi:g}"}


def _slider(field, label, lo, hi, step, hint, value) -> html.Div:
    cid = gv_id(field)
    if field == "manufacturing_grid_g_kwh":
        ctl = dcc.Input(id=cid, type="number", min=lo, max=hi, step=step, value=value, debounce=True,
                        placeholder="Ember value", className="green-number")
    else:
        ctl = dcc.Slider(id=cid, min=lo, max=hi, step=step, value=value, marks=_marks(lo, hi), updatemode="mouseup",
                         tooltip={"placement": "bottom", "always_visible": False}, className="green-slider")
    return html.Div([html.Label(label, htmlFor=cid, id=f"{cid}-label"), ctl,
                     html.Small(hint, className="green-hint")], className="green-control")


def gv_id(field: str) -> str:
    return ID.P_PREFIX + field


def _headline(res) -> html.Div:
    items = []
    for it in gv.headline_items(res):
        items.append(html.Div([
            html.Div(it["label"], className="green-kpi-label"),
            html.Div([html.Span(it["value"], className="green-kpi-value"), " ",
                      html.Span(it["unit"], className="green-kpi-unit")]),
            html.Div(f"{res.ci} % interval {it['interval']}" if it["interval"] else (it["note"] or ""),
                     className="green-kpi-interval"),
        ], className=f"green-kpi green-kpi-{it['key']}"))
    return html.Div(items, className="green-kpis")


def _notes(res) -> html.Div | None:
    if not res.notes:
        return None
    return html.Details([html.Summary(f"Notes on this result ({len(res.notes)})"),
                         html.Ul([html.Li(n) for n in res.notes])], className="green-notes")


def layout(**params):
    ge = runtime.green_exports()
    if ge is None:
        return html.Div([html.H1("Green exports"), notice(runtime.pack_error() or "The data pack is not available.",
                                                          "error")])
    try:
        s, problems = gv.parse_state(ge, params)
        years = gv.all_years(ge)
    except Exception as exc:  # a source the page needs is missing or corrupt: say which, serve the rest of the app
        return html.Div([html.H1("Green exports"), notice(user_message(exc), "error")])
    p = s.params
    return html.Div([
        html.Div([
            html.H1(["Green exports ", html.Span(gv.MODEL_BADGE, className="badge badge-modelled green-badge",
                                                 title="Every number on this page is modelled from exported capacity "
                                                       "and cited parameters, not measured")]),
            html.P("China's exported solar panels (Ember, by destination) and wind turbines (published exports): "
                   "the emissions of making them against the emissions they avoid in the destination's grid over "
                   "their lives. Every parameter is below; the address keeps every choice, “Copy link” shares it.",
                   className="lead-small"),
        ], className="page-head"),
        html.Div([notice(x, "warning") for x in problems], id=ID.URL_NOTICE),
        html.Div([
            html.Div([html.Label("Export year", htmlFor=ID.YEAR),
                      dcc.Dropdown(id=ID.YEAR, options=[{"label": str(y), "value": y} for y in years],
                                   value=s.year, clearable=False, searchable=False)], className="green-pick-item"),
            html.Div([html.Label("Technologies", htmlFor=ID.TECH),
                      dcc.Checklist(id=ID.TECH, options=[{"label": f" {gv.TECH_LABELS[t]}", "value": t}
                                                         for t in gv.TECH_LABELS],
                                    value=list(s.techs), inline=True, className="green-check",
                                    inputClassName="green-check-input")], className="green-pick-item"),
            html.Div([html.Label("Interval", htmlFor=ID.CI),
                      dcc.Dropdown(id=ID.CI, options=[{"label": f"{c} %", "value": c} for c in gv.CI_LEVELS],
                                   value=s.ci, clearable=False, searchable=False)], className="green-pick-item"),
        ], className="green-pick"),
        html.Div(id=ID.NOTICE, role="status"),
        dcc.Loading(html.Div(id=ID.HEADLINE, className="green-headline"), type="dot", delay_show=600),
        html.Div([
            html.Div([
                html.Div([html.Label("Size the markers by ", htmlFor=ID.SIZE, className="green-label"),
                          dcc.RadioItems(id=ID.SIZE, options=[{"label": f" {v}", "value": k}
                                                              for k, v in gv.SIZE_BY.items()],
                                         value=s.size, inline=True, className="green-radio")],
                         className="green-toggle"),
                dcc.Loading(graph(_empty(), id=ID.MAP), type="dot", delay_show=600),
                html.P(gv.CAPTIONS["map"], className="green-caption"),
                export_menu("green-map", "Green exports: flow map"),
            ], className="chart-card"),
            html.Div([dcc.Loading(graph(_empty(), id=ID.BARS), type="dot", delay_show=600),
                      html.P(gv.CAPTIONS["bars"], className="green-caption"),
                      export_menu("green-bars", "Green exports: manufacturing vs avoided by destination")],
                     className="chart-card"),
        ], className="green-grid"),
        html.Div(id=ID.NOTES),
        html.Section([
            html.H2("Parameters"),
            html.P("Every choice of the model. Defaults are the central values of the parameter table; the Monte "
                   "Carlo interval also varies the table's other parameters (capacity factors, LCA values).",
                   className="green-hint"),
            html.Div([
                *[_slider(*sl, getattr(p, sl[0])) for sl in gv.SLIDERS],
                html.Div([html.Label("Displaced intensity", htmlFor=gv_id("displacement")),
                          dcc.Dropdown(id=gv_id("displacement"), options=[{"label": v, "value": k} for k, v in
                                                                          gv.DISPLACEMENT_LABELS.items()],
                                       value=p.displacement, clearable=False, searchable=False),
                          html.Small("What a kWh of wind or solar replaces in the destination's grid.",
                                     className="green-hint")], className="green-control"),
                html.Div([html.Label("PV exports counted", htmlFor=gv_id("pv_commodities")),
                          dcc.Checklist(id=gv_id("pv_commodities"), options=[{"label": " Panels (modules)",
                                                                              "value": "Panels"},
                                                                             {"label": " Cells", "value": "Cells"}],
                                        value=list(p.pv_commodities), inline=True, className="green-check"),
                          html.Small("Ember keeps modules and cells apart; cells become modules abroad.",
                                     className="green-hint")], className="green-control"),
            ], className="green-controls"),
        ], className="card green-params-card", **{"aria-label": "Parameters"}),
        html.Section([
            html.H2("Which parameters move the answer most?"),
            html.Div([html.Label("Result measured", htmlFor=ID.METRIC),
                      dcc.Dropdown(id=ID.METRIC, options=[{"label": v, "value": k} for k, v in gv.METRICS.items()],
                                   value=s.metric, clearable=False, searchable=False)], className="green-metric"),
            html.Div([dcc.Loading(graph(_empty(), id=ID.TORNADO), type="dot", delay_show=600),
                      html.P(gv.CAPTIONS["tornado"], className="green-caption"),
                      export_menu("green-tornado", "Green exports: tornado")], className="chart-card"),
        ], className="green-section"),
        html.Section([
            html.H2("The claims: about 2 Mt against about 350 Mt?"),
            html.P(["The CAS “panoramic” announcement says China's 2024 wind and solar exports “generated about 2 "
                    "million tonnes of CO2 in production but deliver about 350 million tonnes of reductions over "
                    "their operating lives”. CREA (for Carbon Brief, July 2025) finds, for all 2024 clean-technology "
                    "exports, about 110 Mt emitted in manufacturing against about 220 Mt a year avoided. Below: each "
                    "scope that could produce these figures, recomputed with this model on ", str(CLAIM_YEAR),
                    " exports, and why they differ."], className="green-claim-intro"),
            dcc.Loading(html.Div(id=ID.CLAIM), type="dot", delay_show=400),
            html.Div([dcc.Loading(graph(_empty(), id=ID.CLAIM_CHART), type="dot", delay_show=600),
                      html.P(gv.CAPTIONS["claim"], className="green-caption"),
                      export_menu("green-claim", "Green exports: the claim check")], className="chart-card"),
        ], className="green-section"),
        html.P([html.Strong("Method. "), "Exported MW (Ember's China solar exports by destination and month; an "
                "authored table of published wind-turbine exports) × installation share × capacity factor × 8,760 h "
                "× degradation over the lifetime × the destination's displaced grid intensity, against the "
                "manufacturing footprint (PV per kWp scaled by China's grid; wind per kWh from harmonised LCA). "
                "Intervals: Monte Carlo draws over the parameter table. ",
                dcc.Link("Data & methods", href="/data#green-exports"), " lists every parameter with its source and "
                "what exports are not."], className="footnote"),
        dcc.Store(id=ID.CLAIM_YEAR, data=CLAIM_YEAR),
        dcc.Store(id=ID.SEARCH),
    ], className="green-page")


@callback(
    Output(ID.BARS, "figure"), Output(ID.HEADLINE, "children"), Output(ID.NOTES, "children"),
    Output(ID.NOTICE, "children"), Output(ID.SEARCH, "data"),
    Input(ID.YEAR, "value"), Input(ID.TECH, "value"), Input(ID.CI, "value"), Input(ID.SIZE, "value"),
    Input(ID.METRIC, "value"), *[Input(gv_id(f), "value") for f in P_FIELDS],
)
def update_view(year, techs, ci, size, metric, *values):
    """Thin: the state of the controls, the engine's result (with its Monte Carlo interval), the pure figure
    builders, the address (which also holds the map's toggle and the tornado's metric)."""
    ge = runtime.green_exports()
    if ge is None:
        return (no_update,) * 3 + (notice(runtime.pack_error() or "The data pack is not available.", "error"),
                                   no_update)
    if not techs:
        return (no_update,) * 3 + (notice("Choose at least one technology.", "info"), no_update)
    try:
        s = gv.state_from_values(year, techs, ci, size, metric, dict(zip(P_FIELDS, values)))
        res = gv.result(ge, s)
        bars = gv.build_bars_figure(gv.top_rows(res), s.year, s.techs, res.ci)
    except Exception as exc:  # never a stack trace in the browser
        return (no_update,) * 3 + (notice(user_message(exc), "warning"), no_update)
    return bars, _headline(res), _notes(res), None, url_state(gv.page_search(s), path=PATH)


@callback(Output(ID.MAP, "figure"),
          Input(ID.YEAR, "value"), Input(ID.TECH, "value"), Input(ID.SIZE, "value"),
          *[Input(gv_id(f), "value") for f in P_FIELDS])
def update_map(year, techs, size, *values):
    """The flow map (central values: it shows no interval, so the interval level does not redraw it)."""
    ge = runtime.green_exports()
    if ge is None or not techs:
        return no_update
    try:
        s = gv.state_from_values(year, techs, 90, size, "avoided_mt_lifetime", dict(zip(P_FIELDS, values)))
        res = gv.result(ge, s, draws=0)
        return gv.build_flow_map(gv.by_destination(res), gv.destination_points(runtime.accounts()), s.size, s.year,
                                 s.techs)
    except Exception:  # the main callback shows the message
        return no_update


@callback(Output(ID.TORNADO, "figure"),
          Input(ID.YEAR, "value"), Input(ID.TECH, "value"), Input(ID.METRIC, "value"),
          *[Input(gv_id(f), "value") for f in P_FIELDS])
def update_tornado(year, techs, metric, *values):
    """The tornado of the chosen metric (central estimate; does not depend on the interval or the map toggle)."""
    ge = runtime.green_exports()
    if ge is None or not techs:
        return no_update
    try:
        s = gv.state_from_values(year, techs, 90, "gw", metric, dict(zip(P_FIELDS, values)))
        t = ge.tornado(s.year, s.techs, s.params, metric=s.metric)
        return gv.build_tornado_figure(t, s.metric, s.year)
    except Exception:  # the main callback shows the message
        return no_update


@callback(Output(ID.CLAIM, "children"), Output(ID.CLAIM_CHART, "figure"), Input(ID.CLAIM_YEAR, "data"))
def update_claim(year):
    """The claim check (fixed scopes of the 2024 exports; the page's parameters do not change it)."""
    ge = runtime.green_exports()
    if ge is None:
        return no_update, no_update
    try:
        claims = ge.claim_check(int(year or CLAIM_YEAR))
        return claim_panel(claims), gv.build_claim_figure(claims)
    except Exception as exc:
        return notice(user_message(exc), "warning"), no_update


CLAIM_HEADS = ("#", "Claim and scope tested", "Manufacturing (Mt CO2e)", "Avoided, ours (Mt CO2e)",
               "Published (Mt CO2e)", "Verdict", "Why they differ")


def claim_panel(claims) -> html.Div:
    """The claim check as a table: each scope, our figures with the interval, the published ones, the verdict and
    why they differ (the ledger headline's "why they differ" style)."""
    head = html.Tr([html.Th(h, scope="col", className="num" if i in (2, 3, 4) else None)
                    for i, h in enumerate(CLAIM_HEADS)])
    rows = []
    for i, (_, r) in enumerate(claims.iterrows()):
        ours = f"{gv.fmt_mt(r['avoided_mt'])} ({r['basis']})"
        if r.get("avoided_mt_low") is not None and r.get("avoided_mt_low") == r.get("avoided_mt_low"):
            ours += f", {gv.fmt_mt(r['avoided_mt_low'])}–{gv.fmt_mt(r['avoided_mt_high'])}"
        pub = " / ".join(x for x in (
            f"{gv.fmt_mt(r['reference_manufacturing_mt'])} made" if r.get("reference_manufacturing_mt") ==
            r.get("reference_manufacturing_mt") and r.get("reference_manufacturing_mt") is not None else "",
            f"{gv.fmt_mt(r['reference_avoided_mt'])} avoided" if r.get("reference_avoided_mt") ==
            r.get("reference_avoided_mt") and r.get("reference_avoided_mt") is not None else "") if x)
        ok = r["verdict"] == "matches"
        cells = [(f"#{i + 1}", None), ([html.Strong(r["claim"]), html.Br(), r["scope"]], None),
                 (gv.fmt_mt(r["manufacturing_mt"]), "num"), (ours, "num"), (pub or "–", "num"),
                 (("✔ " if ok else "✘ ") + str(r["verdict"]),
                  "green-verdict " + ("v-match" if ok else "v-nomatch")), (r["explanation"], "reason")]
        # data-label: the column's name, shown beside the value where the table becomes cards (phones)
        rows.append(html.Tr([html.Td(v, className=c, **{"data-label": lbl})
                             for (v, c), lbl in zip(cells, CLAIM_HEADS)]))
    return html.Div([
        html.P(gv.claim_verdict_line(claims), className="green-claim-lead"),
        html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table green-claim-table"),
                 className="table-scroll"),
    ])


url_sync(Input(ID.SEARCH, "data"))
