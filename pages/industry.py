"""Industry and CBAM: a country's route breakdown of a CBAM good (waterfall from process to indirect, with the
interval), the CBAM default against our localised estimate across China and the ten largest exporters to the EU,
the claim table, and a scenario panel with a before/after view — every choice in the URL
(``/industry?country=IND&year=2019&cn=72071210&eaf_share=0.6``)."""

from __future__ import annotations

from typing import Final, final

import dash
import plotly.graph_objects as go
from dash import Input, Output, callback, dcc, html, no_update

from components import industry_view as iv
from components import runtime
from components.export_menu import export_menu
from components.figures import LIGHT_TEMPLATE, graph
from components.messages import notice, user_message
from components.urlstate import url_state, url_sync

PATH = "/industry"


@final
class ID:
    """Component ids of the industry page (layout, callbacks and tests use these)."""

    COUNTRY: Final = "industry-country"
    GOOD: Final = "industry-good"
    YEAR: Final = "industry-year"
    CI: Final = "industry-ci"
    URL_NOTICE: Final = "industry-url-notice"
    NOTICE: Final = "industry-notice"
    PRODUCT_NOTICE: Final = "industry-product-notice"
    BREAKDOWN: Final = "industry-breakdown"
    DEFAULTS: Final = "industry-defaults"
    CLAIM: Final = "industry-claim"
    CLAIM_CHART: Final = "industry-claim-chart"
    CLAIM_WORDS: Final = "industry-claim-words"
    SCENARIO: Final = "industry-scenario"
    COST: Final = "industry-cost"
    NATIONAL: Final = "industry-national"
    SEARCH: Final = "industry-search"
    #: one id per scenario control: ``industry-sc-<field>``
    SC_PREFIX: Final = "industry-sc-"


dash.register_page(__name__, path=PATH, name="Industry", order=60, title="Industry and CBAM — Holocarbon",
                   description="Steel, cement, aluminium, fertilisers and hydrogen: modelled embedded emissions by "
                               "country against the EU CBAM default values, the claim table and what-if scenarios.")

SHARE_OPTIONS = [{"label": f"{v} %", "value": v / 100} for v in range(0, 101, 10)]
#: (field, label, options, help) of the scenario controls; None (cleared) keeps the calibrated value.
CONTROLS = (
    ("eaf_share", "EAF share of crude steel", SHARE_OPTIONS, "The rest is blast furnace–basic oxygen furnace."),
    ("dri_share_of_eaf", "DRI share of EAF metallics", SHARE_OPTIONS, "The rest is scrap."),
    ("h2_share_of_dri", "Hydrogen DRI share", SHARE_OPTIONS, "Electrolytic hydrogen at the grid."),
    ("clean_power_share", "Clean-power share of the grid", SHARE_OPTIONS, "Scales the grid's fossil part."),
    ("clinker_ratio", "Clinker ratio of cement", [{"label": f"{v / 100:.2f}", "value": v / 100}
                                                  for v in range(50, 100, 5)], "t clinker per t cement."),
    ("kiln_fuel_mix", "Kiln fuel mix", [{"label": label, "value": v} for v, label in iv.FUEL_MIXES], ""),
    ("ccs_capture", "CCS capture rate (process CO2)", SHARE_OPTIONS, ""),
    ("smelter_clean_share", "Smelter clean-power share", SHARE_OPTIONS, "The rest at the grid."),
    ("cbam_year", "CBAM import year", [{"label": str(y), "value": y} for y in range(2026, 2035)], ""),
)
SC_FIELDS = tuple(c[0] for c in CONTROLS) + ("carbon_price",)


def _empty(height: int = 80) -> go.Figure:
    return go.Figure().update_layout(template=LIGHT_TEMPLATE, height=height, margin=dict(l=0, r=0, t=0, b=0),
                                     xaxis=dict(visible=False), yaxis=dict(visible=False))


def _value(s, field):
    v = getattr(s, field)
    if field == "kiln_fuel_mix" and v is not None:
        return ",".join(f"{k}:{x:g}" for k, x in v)
    if field == "ccs_capture" and not v:
        return None
    if field == "cbam_year":
        return int(v)
    return v


def _control(field, label, options, hint, s) -> html.Div:
    cid = ID.SC_PREFIX + field
    value = _value(s, field)
    if value is not None and field != "cbam_year" and not any(o["value"] == value for o in options):
        options = [*options, {"label": f"{value:g}" if isinstance(value, float) else str(value), "value": value}]
    return html.Div([
        html.Label(label, htmlFor=cid),
        dcc.Dropdown(id=cid, options=options, value=value, clearable=field != "cbam_year", searchable=False,
                     placeholder="calibrated", className="industry-sc-select"),
        html.Small(hint, className="industry-hint") if hint else None,
    ], className="industry-control")


def layout(**params):
    ind = runtime.industry()
    if ind is None:
        return html.Div([html.H1("Industry and CBAM"), notice(runtime.pack_error() or
                                                              "The data pack is not available.", "error")])
    s, good, ci, problems = iv.parse_state(params)
    try:
        known = iv.countries(ind, s.year)
    except Exception as exc:  # a source the page needs is missing or corrupt: say which, serve the rest of the app
        return html.Div([html.H1("Industry and CBAM"), notice(user_message(exc), "error")])
    if s.country not in known:
        problems.append(f"{s.country} has no CBAM default value row (or no production data); showing China.")
        s = s.replace(country=iv.DEFAULT_COUNTRY)
    names = iv.country_names(ind)
    return html.Div([
        html.Div([
            html.H1(["Industry and CBAM ", html.Span(iv.MODEL_BADGE, className="badge badge-modelled industry-badge",
                                                     title="Every Holocarbon number on this page is modelled from "
                                                           "process routes; the CBAM defaults are the regulation's")]),
            html.P("Embedded emissions of steel, cement, aluminium, fertilisers and hydrogen, modelled per country "
                   "from process routes with cited parameter ranges, against the EU CBAM default values (Implementing "
                   "Regulation (EU) 2025/2621, as published). Change the routes and the grid in the scenario panel; "
                   "the address keeps every choice, “Copy link” shares it.", className="lead-small"),
        ], className="page-head"),
        html.Div([notice(p, "warning") for p in problems], id=ID.URL_NOTICE),
        html.Div([
            html.Div([html.Label("Country", htmlFor=ID.COUNTRY),
                      dcc.Dropdown(id=ID.COUNTRY, options=[{"label": f"{names.get(c, c)} ({c})", "value": c}
                                                           for c in known], value=s.country, clearable=False)],
                     className="industry-pick-item"),
            html.Div([html.Label("Product (CBAM good)", htmlFor=ID.GOOD),
                      dcc.Dropdown(id=ID.GOOD, options=[{"label": g[3], "value": g[0]} for g in iv.GOODS],
                                   value=good, clearable=False, searchable=False)], className="industry-pick-item"),
            html.Div([html.Label("Calibration year", htmlFor=ID.YEAR),
                      dcc.Dropdown(id=ID.YEAR, options=[{"label": str(y), "value": y} for y in range(2000, 2024)],
                                   value=s.year, clearable=False, searchable=False)], className="industry-pick-item"),
            html.Div([html.Label("Interval", htmlFor=ID.CI),
                      dcc.Dropdown(id=ID.CI, options=[{"label": f"{c} %", "value": c} for c in iv.CI_LEVELS],
                                   value=ci, clearable=False, searchable=False)], className="industry-pick-item"),
        ], className="industry-pick"),
        html.Div(id=ID.PRODUCT_NOTICE, role="status"),
        html.Div([
            html.Div([dcc.Loading(graph(_empty(), id=ID.BREAKDOWN), type="dot", delay_show=600),
                      html.P(iv.CAPTIONS["breakdown"], className="industry-caption"),
                      export_menu("industry-breakdown", "Industry: route breakdown")], className="chart-card"),
            html.Div([dcc.Loading(graph(_empty(), id=ID.DEFAULTS), type="dot", delay_show=600),
                      html.P(iv.CAPTIONS["defaults"], className="industry-caption"),
                      export_menu("industry-defaults", "Industry: CBAM default vs localised")],
                     className="chart-card"),
        ], className="industry-grid"),
        html.Section([
            html.H2("Scenario: what if this country's industry changed?"),
            html.P("Leave a choice empty to keep the calibrated value. Results are model estimates (central "
                   "parameters).", className="industry-hint"),
            html.Div([_control(*c, s) for c in CONTROLS] + [html.Div([
                html.Label("Carbon price (EUR/t CO2e)", htmlFor=ID.SC_PREFIX + "carbon_price"),
                dcc.Input(id=ID.SC_PREFIX + "carbon_price", type="number", min=0, max=1000, step=1,
                          value=s.carbon_price, placeholder="75 (default)", debounce=True,
                          className="industry-price"),
                html.Small("Default 75 EUR/t: EU allowance average of 2025 (Veyt, January 2026).",
                           className="industry-hint")], className="industry-control")],
                className="industry-controls"),
            html.Div(id=ID.NOTICE, role="status"),
            html.Div(id=ID.NATIONAL),
            html.Div([
                html.Div([dcc.Loading(graph(_empty(), id=ID.SCENARIO), type="dot", delay_show=600),
                          html.P(iv.CAPTIONS["scenario"], className="industry-caption"),
                      export_menu("industry-scenario", "Industry: scenario intensities")],
                         className="chart-card"),
                html.Div([dcc.Loading(graph(_empty(), id=ID.COST), type="dot", delay_show=600),
                          html.P(iv.CAPTIONS["cost"], className="industry-caption"),
                      export_menu("industry-cost", "Industry: CBAM cost per tonne")], className="chart-card"),
            ], className="industry-grid"),
        ], className="card industry-scenario-card", **{"aria-label": "Scenario"}),
        html.Section([
            html.H2("The claim: do CBAM defaults overestimate?"),
            html.Div(id=ID.CLAIM_WORDS),
            html.Div([dcc.Loading(graph(_empty(), id=ID.CLAIM_CHART), type="dot", delay_show=600),
                      html.P(iv.CAPTIONS["claim"], className="industry-caption"),
                      export_menu("industry-claim", "Industry: the claim table")], className="chart-card"),
            dcc.Loading(html.Div(id=ID.CLAIM), type="dot", delay_show=400),
        ], className="industry-claim-section"),
        html.P([html.Strong("Method. "), "Process routes (BF-BOF, gas/coal/hydrogen DRI-EAF, scrap EAF; clinker and "
                "cement; primary and secondary aluminium; ammonia, urea, hydrogen) with a cited parameter table, "
                "calibrated per country from production data (the blast-furnace share from pig iron over crude "
                "steel) and Ember grid intensity; intervals from Monte Carlo draws of the parameter ranges. Checked "
                "against EDGAR's Processes and Industrial Combustion (the validation report). ",
                dcc.Link("Data & methods", href="/data#industry"), " describes the boundary and what is not "
                "modelled. To footprint a whole product made of these goods (a steel beam, a car, a PV module), use "
                "the ", dcc.Link("Product footprint", href="/footprint?template=steel_beam", id="industry-footprint-link"),
                " page."], className="footnote"),
        dcc.Store(id=ID.SEARCH),
    ], className="industry-page")


def _scenario(country, year, values):
    from engine.industry import Scenario

    kw = {"country": country, "year": year}
    for field, v in zip(SC_FIELDS, values):
        if v not in (None, ""):
            kw[field] = v
    return Scenario.from_params(kw)


@callback(
    Output(ID.BREAKDOWN, "figure"), Output(ID.DEFAULTS, "figure"), Output(ID.PRODUCT_NOTICE, "children"),
    Input(ID.COUNTRY, "value"), Input(ID.GOOD, "value"), Input(ID.YEAR, "value"), Input(ID.CI, "value"),
)
def update_product(country, good, year, ci):
    """The good's route breakdown and the default vs our estimate across countries (they do not depend on the
    scenario, so a scenario change does not redraw them)."""
    ind = runtime.industry()
    if ind is None:
        return no_update, no_update, notice(runtime.pack_error() or "The data pack is not available.", "error")
    try:
        year = int(year)
        good = good if good in iv.GOOD_BY_VALUE else iv.DEFAULT_CN
        ci = int(ci) if ci in iv.CI_LEVELS else 90
        country = ind.check_country(country)
        d = iv.build_defaults_figure(iv.across_countries(ind, country, good, year, ci), iv.GOOD_BY_VALUE[good][3])
    except Exception as exc:  # never a stack trace in the browser
        return no_update, no_update, notice(user_message(exc), "warning")
    try:
        b, message = iv.build_breakdown_figure(iv.breakdown(ind, country, good, year, ci)), None
    except Exception as exc:  # a good the country has no row for, or one not modelled
        b, message = _empty(), user_message(exc)
    return b, d, notice(message, "info") if message else None


@callback(
    Output(ID.SCENARIO, "figure"), Output(ID.COST, "figure"), Output(ID.NATIONAL, "children"),
    Output(ID.NOTICE, "children"), Output(ID.SEARCH, "data"),
    Input(ID.COUNTRY, "value"), Input(ID.GOOD, "value"), Input(ID.YEAR, "value"), Input(ID.CI, "value"),
    *[Input(ID.SC_PREFIX + f, "value") for f in SC_FIELDS],
)
def update_view(country, good, year, ci, *values):
    """Thin: the scenario from the controls, the engine's result, the pure figure builders, the address (which also
    holds the good and the level)."""
    ind = runtime.industry()
    if ind is None:
        return (no_update,) * 3 + (notice(runtime.pack_error() or "The data pack is not available.", "error"),
                                   no_update)
    try:
        s = _scenario(country, int(year), values)
        good = good if good in iv.GOOD_BY_VALUE else iv.DEFAULT_CN
        ci = int(ci) if ci in iv.CI_LEVELS else 90
        res = ind.scenario(s)
        scen, cost, national = iv.build_scenario_figure(res), iv.build_cost_figure(res), national_table(res)
    except Exception as exc:  # never a stack trace in the browser
        return (no_update,) * 3 + (notice(user_message(exc), "warning"), no_update)
    return scen, cost, national, None, url_state(iv.page_search(s, good, ci), path=PATH)


@callback(Output(ID.CLAIM, "children"), Output(ID.CLAIM_CHART, "figure"), Output(ID.CLAIM_WORDS, "children"),
          Input(ID.YEAR, "value"), Input(ID.CI, "value"))
def update_claim(year, ci):
    """The claim table and its chart depend on the calibration year and the level only."""
    ind = runtime.industry()
    if ind is None:
        return no_update, no_update, no_update
    try:
        year, ci = int(year), int(ci) if ci in iv.CI_LEVELS else 90
        summary = ind.claim_summary(year, ci)
        names = iv.country_names(ind)
        words = [html.P(iv.claim_verdict_line(summary, names), className="industry-claim-lead"),
                 html.Ul([html.Li(w) for w in iv.claim_words(summary, names)], className="industry-claim-list")]
        return claim_table(summary, names), iv.build_claim_figure(summary, names), words
    except Exception as exc:
        return notice(user_message(exc), "warning"), no_update, no_update


def national_table(res) -> html.Div:
    """The country's emissions of steel, cement and aluminium before and after [Mt CO2e]."""
    e = res.emissions
    head = html.Tr([html.Th(h, scope="col", className="num" if i else None) for i, h in enumerate(
        ("Product", "Production (kt)", "Before (Mt CO2e)", "After (Mt CO2e)", "Change (Mt CO2e)"))])
    rows = [html.Tr([html.Th(str(p).capitalize(), scope="row"), html.Td(f"{r['production_kt']:,.0f}", className="num"),
                     html.Td(f"{r['baseline_mt']:,.1f}", className="num"),
                     html.Td(f"{r['scenario_mt']:,.1f}", className="num"),
                     html.Td(f"{r['delta_mt']:+,.1f}", className="num")]) for p, r in e.iterrows()]
    return html.Div([
        html.P(f"{res.scenario.country}, {res.scenario.year}: emissions of steel, cement and primary aluminium "
               "(direct and indirect, whole chain; model estimate).", className="industry-hint"),
        html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table industry-table"),
                 className="table-scroll")], className="industry-national")


def claim_table(summary, names: dict) -> html.Div:
    """Counts of verdicts per country and product group: above / inside / below (modelled goods)."""
    sectors = list(dict.fromkeys(summary["sector"]))
    head = html.Tr([html.Th("Country", scope="col")] + [html.Th(sct, scope="col") for sct in sectors])
    body = []
    for iso3, g in summary.groupby("iso3", sort=False):
        cells = []
        for sct in sectors:
            r = g[g["sector"] == sct]
            if r.empty or not int(r["modelled"].iloc[0]):
                cells.append(html.Td("not modelled", className="industry-nm"))
                continue
            r = r.iloc[0]
            cells.append(html.Td([html.Span(f"▲ {int(r['above'])}", className="v-above", title="default above"),
                                  html.Span(f"● {int(r['inside'])}", className="v-inside", title="inside"),
                                  html.Span(f"▼ {int(r['below'])}", className="v-below", title="default below")]))
        body.append(html.Tr([html.Th(f"{names.get(iso3, iso3)}", scope="row"), *cells]))
    return html.Div([
        html.P("Goods per country and sector whose CBAM default lies ▲ above, ● inside or ▼ below our modelled "
               "range (model estimate's interval).", className="industry-hint"),
        html.Div(html.Table([html.Thead(head), html.Tbody(body)], className="table industry-table"),
                 className="table-scroll")])


url_sync(Input(ID.SEARCH, "data"))
