"""Country (or group) page: key figures, 1970–2023 series, sectors and gases, partners, land, a small map."""

from __future__ import annotations

from typing import Final, final
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from flask import request

from components import intervals, runtime
from components.atlas import build_atlas_figure, legend
from components.controls import (
    controls,
    query_from_url,
    query_from_values,
    query_inputs,
    year_status_callback,
)
from components.country_view import (
    build_bridge_figure,
    build_partners_figure,
    build_sector_gas_figure,
    build_series_figure,
    build_uncertainty_figure,
    key_figures,
    map_view,
    no_partners_figure,
    partners,
    row_member_box,
)
from components.export_menu import export_menu
from components.figures import graph, memo_view, summarise
from components.messages import NO_IO_TABLE, notice, user_message
from components.prerender import with_picture
from components.search import known_codes, resolve_code
from components.urlstate import url_state, url_sync
from engine.accounts import search
from engine.accounts.regions import NAMED_GROUPS, ROW
from engine.core.query import PERSPECTIVES, closest

#: The page name of the series chart's picture (components/prerender.py) and the chart's height [px].
PICTURE_PAGE = "/country"
SERIES_HEIGHT = 450
SHOW = ("year", "gwp", "gases", "luc_model", "ci")
#: Query fields the country page keeps in its URL (the grouping is the page's code).
URL_FIELDS = ("year", "gwp", "gases", "luc_model", "ci", "perspective")
ACCOUNT_OPTIONS = [{"label": {"production": "Production", "consumption": "Consumption", "transfer": "Net transfer",
                              "panoramic": "Panoramic"}[p], "value": p} for p in PERSPECTIVES]


@final
class ID:
    """Component ids of the country page (one place: layout, callbacks and tests use these)."""

    PREFIX: Final = "country"  # the shared controls are ``<PREFIX>-<field>`` (components.controls)
    TITLE: Final = "country-title"
    CODE: Final = "country-code"
    SEARCH: Final = "country-search"  # URL state (components.urlstate)
    NOTICE: Final = "country-notice"
    CARDS: Final = "country-cards"
    SERIES: Final = "country-series"
    UNCERTAINTY: Final = "country-uncertainty"
    ACCOUNT: Final = "country-account"  # which account the uncertainty chart explains (the Query's perspective)
    CI: Final = f"{PREFIX}-ci"
    STATE: Final = "country-state"  # the Query and code of the view, written once the key figures are done
    SECTORS: Final = "country-sectors"
    BRIDGE: Final = "country-bridge"
    PARTNERS: Final = "country-partners"
    MAP: Final = "country-map"
    ATLAS_LINK: Final = "country-atlas-link"
    QUERY: Final = "hc-query"  # the shell's session store of the query string (components.controls)


def _valid(code: str) -> bool:
    return resolve_code(code) is not None


def _title(code: str | None = None, **_) -> str:
    """The browser title of a country page: "China — Holocarbon"."""
    resolved = resolve_code(code)
    if resolved is None:
        return "Country not found — Holocarbon"
    acc = runtime.accounts()
    return f"{acc.names().get(resolved, resolved) if acc else resolved} — Holocarbon"


dash.register_page(__name__, path_template="/country/<code>", name="Country", nav=False, validate=_valid, title=_title,
                   description="Key figures, time series, sectors, trading partners and land for one country or "
                               "group.")

def _not_found(code: str) -> html.Div:
    acc = runtime.accounts()
    known = known_codes()
    hints = search.suggest(search.search_index(acc), code, n=5) if acc is not None and str(code).strip() else []
    hints = list(dict.fromkeys([h for h in hints if h in known] + closest(code, known, n=5)))[:5]
    names = acc.names() if acc else {}
    return html.Div([
        html.H1("Country not found"),
        html.P(f"Holocarbon has no country or group with the code “{code}”. Codes are ISO 3166 alpha-3 "
               "(e.g. FRA, CHN, USA) or a group (EU27, G7, G20, BRICS, OECD); a country's name works too "
               "(/country/germany), or search for it in the box at the top."),
        html.P(["Did you mean: ", *[item for h in hints for item in
                                     (dcc.Link(f"{names.get(h, h)} ({h})", href=f"/country/{h}"), " ")]])
        if hints else None,
        html.P([dcc.Link("Back to the ledger", href="/ledger"), " · ", dcc.Link("Home", href="/")]),
    ], className="narrow")


def layout(code: str | None = None, **query):
    canonical = resolve_code(code)
    if canonical is None:
        return _not_found(str(code or "")[:60])
    code = canonical
    q, problem = query_from_url(query)
    acc = runtime.accounts()
    name = acc.names().get(code, code) if acc else code
    pre = runtime.prerenderer()
    picture = pre.picture(acc, PICTURE_PAGE, _picture_state(q, code)) if pre else None
    return html.Div([
        html.H1(name, id=ID.TITLE),
        html.P([f"{code} · production and consumption accounts, land-use change and the attributed land sink. "
                "Change the year or the accounting choices; the URL keeps them. ",
                dcc.Link("Compare with other countries →", href=f"/compare?codes={code}&{_search(q)}".rstrip("&"),
                         className="compare-link")], className="lead-small"),
        notice(problem, "warning") if problem else None,
        controls(ID.PREFIX, q, show=SHOW),
        dcc.Store(id=ID.CODE, data=code),
        dcc.Store(id=ID.SEARCH),
        dcc.Store(id=ID.STATE),
        html.Div(id=ID.NOTICE),
        dcc.Loading(html.Div(id=ID.CARDS), type="dot", delay_show=300),
        html.Div([with_picture(dcc.Loading(graph(_empty(), id=ID.SERIES), type="dot", delay_show=600),
                               picture, SERIES_HEIGHT),
                  export_menu("country-series", f"{name}: time series")], className="chart-card"),
        html.Div([
            html.Div([html.Label("Explain the uncertainty of the account:", htmlFor=ID.ACCOUNT),
                      dcc.RadioItems(id=ID.ACCOUNT, options=ACCOUNT_OPTIONS, value=q.perspective, inline=True,
                                     className="checklist")], className="account-choice"),
            graph(_empty(), id=ID.UNCERTAINTY),
            export_menu("country-uncertainty", f"{name}: what drives the uncertainty"),
        ], className="chart-card uncertainty-card"),
        html.Div([html.Div([graph(_empty(), id=ID.SECTORS),
                            export_menu("country-sectors", f"{name}: sectors and gases")], className="chart-card"),
                  html.Div([graph(_empty(), id=ID.BRIDGE),
                            export_menu("country-bridge", f"{name}: production to panoramic")],
                           className="chart-card")], className="two-col"),
        html.Div([html.Div([graph(_empty(), id=ID.PARTNERS),
                            export_menu("country-partners", f"{name}: trading partners")], className="chart-card"),
                  html.Div([html.Div("Where it is emitted (atlas, 0.1°)", className="legend-title"),
                            dcc.Graph(id=ID.MAP, figure=_empty(), config={"displaylogo": False},
                                      style={"height": "420px"}),
                            html.Div(legend("emissions", bar_px=300), className="mini-map-legend",
                                     id=f"{ID.MAP}-legend"),
                            dcc.Link("Open in the atlas →", id=ID.ATLAS_LINK, href="/atlas")],
                           className="chart-card")], className="two-col"),
    ])


def _empty() -> dict:
    """The placeholder of a chart until its callback answers: a plain figure dict (a plotly Figure with the
    template cost about 100 ms of validation each, 0.6 s of every country page's layout)."""
    return {"data": [], "layout": {"height": 80, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
                                   "xaxis": {"visible": False}, "yaxis": {"visible": False},
                                   "paper_bgcolor": "white", "plot_bgcolor": "white"}}


def _query(values, code: str, account: str | None = None):
    """The Query of the page: the controls (FIELDS order), the page's region as its grouping, the account chosen for
    the uncertainty chart as its perspective."""
    year, gwp, gases, luc_model, grouping, members, perspective, ci = values
    base = query_from_values(year, gwp, gases, luc_model, "countries", "", account or perspective, ci)
    return base.replace(grouping=code if code in NAMED_GROUPS else "countries")


def _picture_state(q, code: str) -> str:
    """What the series chart depends on, as the key of its picture: the region, the URL's choices but the year (the
    series spans every year), and the account."""
    return f"{code}?{_search(q.replace(year=2000))}&perspective={q.perspective}"


def _search(q) -> str:
    return urlencode({k: v for k, v in q.to_params().items() if k in URL_FIELDS}, safe=",")


@callback(
    Output(ID.CARDS, "children"),
    Output(ID.BRIDGE, "figure"), Output(ID.PARTNERS, "figure"), Output(ID.MAP, "figure"),
    Output(ID.NOTICE, "children"), Output(ID.SEARCH, "data"), Output(ID.ATLAS_LINK, "href"),
    Output(ID.QUERY, "data", allow_duplicate=True), Output(ID.STATE, "data"),
    *query_inputs(ID.PREFIX), Input(ID.CODE, "data"), State(ID.ACCOUNT, "value"),
    prevent_initial_call="initial_duplicate",
)
def update_country(*values):
    """Thin: Query from the controls, engine calls, pure figure builders. The series, the sectors and the uncertainty
    chart follow from the view state this callback writes last, so the key figures never wait for them (and do not
    share the processor with them)."""
    *fields, code, account = values
    year = fields[0]
    acc = runtime.accounts()
    if acc is None:
        return (notice(runtime.pack_error() or "The data pack is not available.", "error"),) + (no_update,) * 8
    try:
        q = _query(fields, code, account)
        led = intervals.ledger(acc, q).set_index("region")
        row = led.loc[code]
        name = acc.names().get(code, code)
        flows = acc.flows(q)
        notes = []
        region_for_flows = code
        inside = set(acc.mrio_regions()) - {ROW}
        if code not in NAMED_GROUPS and code not in inside:
            region_for_flows = ROW
            if row["method"] != "production-only":
                notes.append(row_member_box(name, int(year), float(row.get("adjustment_pct", float("nan")))))
        if row["method"] == "production-only":
            notes.append(notice(f"{NO_IO_TABLE}: {year} shows production only; "
                                "consumption, transfers and the panoramic total are not estimated.", "info"))
        method_note = {"mrio": f"WIOD table of {year}", "nowcast": "nowcast on the structure of 2011",
                       "production-only": "no bilateral flows before 1995"}[row["method"]]
        if region_for_flows == code or row["method"] == "production-only":
            imp, exp = partners(flows, region_for_flows)
            fig_partners = build_partners_figure(imp, exp, acc.names(), name, year, method_note)
        else:  # RoW's partners are not this country's: say so instead of drawing them under its name
            fig_partners = no_partners_figure(name, year)
        map_fig = _country_map(acc, q, code)
    except Exception as exc:  # never a stack trace in the browser: user_message logs what is unexpected
        return (notice(user_message(exc), "warning"),) + (no_update,) * 8
    shared = _search(q)
    atlas = urlencode({k: v for k, v in q.to_params().items() if k in ("year", "gwp", "gases", "luc_model")},
                      safe=",")
    return (key_figures(row, year, q.ci), build_bridge_figure(row, name, year, q.ci), fig_partners, map_fig, notes,
            url_state("?" + shared), "/atlas?" + atlas, shared, view_state(q, code))


def view_state(q, code: str) -> dict:
    """The view state of the page (its Query as a query string, and the region)."""
    return {"qs": q.to_query_string(), "code": code}


def _from_state(state) -> tuple:
    """(Query, code) of a view state (ValueError when it is not one)."""
    from engine.core.query import Query

    if not isinstance(state, dict) or "qs" not in state or "code" not in state:
        raise ValueError("no view yet")
    return Query.from_query_string(str(state["qs"])), str(state["code"])


@callback(Output(ID.SECTORS, "figure"), Input(ID.STATE, "data"), prevent_initial_call=True)
def update_sectors(state):
    """Emissions by sector and gas with the interval of each sector's total."""
    acc = runtime.accounts()
    if acc is None or not state:
        return no_update
    def build():
        prod = acc.production(q)
        if code in NAMED_GROUPS:
            from engine.accounts.regions import group_members

            prod = prod[prod["code"].isin(set(group_members()[code]))]
        else:
            prod = prod[prod["code"] == code]
        prod = prod.groupby(["sector", "gas"], as_index=False)["emissions_mt_co2e"].sum()
        totals = runtime.uncertainty_for(acc).production_intervals(q, by=("region", "sector"))
        totals = totals[totals["region"] == code]
        return build_sector_gas_figure(prod, acc.names().get(code, code), q.year, totals, q.ci).to_plotly_json()

    try:
        q, code = _from_state(state)
        return memo_view(acc, acc._key("ui-country-sectors", code, q.to_query_string()), build)
    except Exception as exc:  # the main callback shows the notice; this chart keeps its last state
        user_message(exc)
        return no_update


@callback(Output(ID.SERIES, "figure"), Input(ID.STATE, "data"), prevent_initial_call=True)
def update_series(state):
    """The 1970–2023 series with the shaded intervals of this region only (cached per choice of gases, GWP set,
    land-use model and interval level; the year slider does not recompute it)."""
    acc = runtime.accounts()
    if acc is None or not state:
        return no_update
    try:
        q, code = _from_state(state)
        fig = memo_view(acc, acc._key("ui-country-series", code, q.replace(year=2000).to_query_string()),
                        lambda: build_series_figure(intervals.series(acc, q, code), acc.names().get(code, code),
                                                    q.ci).to_plotly_json())
        pre = runtime.prerenderer()
        if pre is not None:  # a picture of the series for the next first load of this view (prerender.py)
            pre.remember(acc, PICTURE_PAGE, _picture_state(q, code), fig, SERIES_HEIGHT)
        return fig
    except Exception as exc:  # the main callback shows the notice; this chart keeps its last state
        user_message(exc)
        return no_update


@callback(
    Output(ID.UNCERTAINTY, "figure"), Output(ID.SEARCH, "data", allow_duplicate=True),
    Output(ID.QUERY, "data", allow_duplicate=True),
    Input(ID.STATE, "data"), Input(ID.ACCOUNT, "value"),
    prevent_initial_call=True,
)
def update_uncertainty(state, account):
    """What drives the uncertainty of the chosen account this year (engine attribution, cached per year and choice);
    a change of the account is kept in the URL as the Query's perspective."""
    acc = runtime.accounts()
    if acc is None or not state:
        return no_update, no_update, no_update
    try:
        q, code = _from_state(state)
        q = q.replace(perspective=account or q.perspective)
        fig = memo_view(acc, acc._key("ui-country-uncertainty", code, q.to_query_string()),
                        lambda: uncertainty_view(acc, q, code).to_plotly_json())
    except Exception as exc:
        user_message(exc)
        return no_update, no_update, no_update
    if _triggered() != ID.ACCOUNT:
        return fig, no_update, no_update
    shared = _search(q)
    return fig, url_state("?" + shared), shared


def _triggered():
    """The id of the input that fired the running callback (None when called directly, e.g. from a test)."""
    try:
        return ctx.triggered_id
    except Exception:  # noqa: BLE001 — MissingCallbackContextException outside a callback
        return None


def uncertainty_view(acc, q, code: str):
    """Engine calls (attribution, the account's interval) handed to the figure builder."""
    att, account, bounds, note = intervals.uncertainty_inputs(acc, q, code)
    return build_uncertainty_figure(att, acc.names().get(code, code), q.year, account, q.ci, bounds, note=note)


def _country_map(acc, q, code):
    geo = acc.pack.geo("ne_countries_50m")
    if code in NAMED_GROUPS:
        from engine.accounts.regions import group_members

        g = geo[geo["iso3"].isin(group_members()[code])]
    else:
        emap = acc.entity_map()
        g = geo[[emap.get(c, c) == code for c in geo["iso3"]]]
    if len(g):  # frame each member's largest polygon (overseas territories would zoom the map out to the world)
        parts = g[["iso3", "geometry"]].explode(index_parts=False)
        parts = parts.assign(area=parts.geometry.area).sort_values("area").groupby("iso3").tail(1)
        bounds = tuple(parts.total_bounds)
    else:
        bounds = (-180, -60, 180, 80)
    center, zoom = map_view(bounds)
    base = request.host_url.rstrip("/")
    qs = urlencode({"year": q.year, "gwp": q.gwp, "gases": ",".join(q.gases)}, safe=",")
    fig = build_atlas_figure(f"{base}/tiles/emissions/{{z}}/{{x}}/{{y}}.png?{qs}", f"{base}/tiles/labels/{{z}}/{{x}}/{{y}}.png",
                             center=center, zoom=zoom, revision=f"country-{code}")
    fig.update_layout(height=400)
    name = acc.names().get(code, code)
    return summarise(fig, f"Map: where the emissions of {name} happen on the 0.1° grid, {q.year} "
                          f"({'+'.join(q.gases)}, {q.gwp}); the atlas link below opens it with its colour scale and "
                          "cell values.")


# the address bar follows the controls without a reload (every view is a shareable link)
url_sync(Input(ID.SEARCH, "data"))


year_status_callback(ID.PREFIX)  # the badge beside the year: measured table, nowcast or production only
