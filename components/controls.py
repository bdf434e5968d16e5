"""The shared controls: every Query choice as one component, its state in the URL and carried across pages.

Each page calls :func:`controls` with its own id prefix and the Query parsed from its URL
(:func:`query_from_url`). :func:`query_inputs` gives the callback Inputs in a fixed order and
:func:`query_from_values` turns their values back into a Query (the one place that parses controls). The page's
sync callback stores the query string in the session store ``hc-query``; the navigation links carry it to the next
page, and the address bar is rewritten without a reload so every view is a shareable link.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import ALL, Input, Output, callback, clientside_callback, dcc, html

from engine.core.query import (
    CI_LEVELS,
    GASES,
    GROUPINGS,
    GWP_LABELS,
    GWP_SETS,
    LUC_MODELS,
    PERSPECTIVES,
    YEAR_RANGE,
    Query,
)
from engine.io.nowcast import MRIO_YEARS

#: The year consumption pages open on: the last with a measured input–output table (later years are nowcasts).
MEASURED_YEAR = MRIO_YEARS[1]

FIELDS = ("year", "gwp", "gases", "luc_model", "grouping", "members", "perspective", "ci")
GROUPING_LABELS = {"countries": "Countries", "mrio": "MRIO regions (WIOD)", "EU27": "EU27 as one region",
                   "G7": "G7 as one region", "G20": "G20 as one region", "BRICS": "BRICS as one region",
                   "OECD": "OECD as one region", "continents": "Continents", "custom": "Custom group…"}
PERSPECTIVE_LABELS = {"production": "Production (territorial)", "consumption": "Consumption-based",
                      "transfer": "Net transfer (consumption − production)",
                      "panoramic": "Panoramic (consumption + LUC − land sink)"}
CI_LABELS = {66: "66 %", 90: "90 %", 95: "95 %"}
#: Short names of the controls (the phone drawer's button lists the ones it holds).
CONTROL_NAMES = {"year": "year", "gwp": "GWP metric", "gases": "gases", "luc_model": "land-use model",
                 "grouping": "regions", "members": "custom group", "perspective": "perspective", "ci": "interval"}
LUC_LABELS = {"mean": "Mean of the 4 GCB models", "BLUE": "BLUE", "H&C2023": "H&C2023", "OSCAR": "OSCAR",
              "LUCE": "LUCE"}


def query_from_url(query: dict, default_year: int | None = None) -> tuple[Query, str | None]:
    """The Query of a page URL; a bad parameter gives the default Query and a message saying so. ``default_year``
    replaces the Query's default year when the URL names none (pages whose first view is a consumption account open
    on :data:`MEASURED_YEAR`)."""
    params = {k: v for k, v in query.items() if k in FIELDS or k == "name"}
    if default_year is not None and "year" not in params:
        params["year"] = default_year
    try:
        return Query.from_params(params), None
    except ValueError as exc:
        fallback = Query() if default_year is None else Query(year=default_year)
        return fallback, f"The link had a value Holocarbon cannot use ({exc}); showing the defaults instead."


def default_year_note(query: dict, year: int) -> html.P | None:
    """One line under the controls when a consumption page opened on its default year (none when the URL chose)."""
    if "year" in query:
        return None
    return html.P(f"Opens on {year}, the last year whose consumption account rests on a measured input–output table "
                  f"(WIOD 2013); {year + 1}–{YEAR_RANGE[1]} are nowcasts — modelled. Move the year to see them.",
                  className="lead-small default-year-note")


def controls(prefix: str, q: Query, show: tuple[str, ...] = FIELDS) -> html.Div:
    """The control panel (ids ``<prefix>-<field>``); fields not in ``show`` are kept as hidden stores."""
    marks = {y: str(y) for y in range(1970, 2024, 10)}
    items = []

    def box(label, comp, field):
        if field in show:
            more = "" if field == "year" else " ctl-more"  # folded into the drawer on phones
            items.append(html.Div([html.Label(label, htmlFor=f"{prefix}-{field}"), comp],
                                  className=f"ctl ctl-{field}{more}"))
        else:
            items.append(html.Div(comp, style={"display": "none"}))

    text, kind = year_status(q.year)
    box("Year", html.Div([
        dcc.Slider(id=f"{prefix}-year", min=YEAR_RANGE[0], max=YEAR_RANGE[1], step=1, value=q.year, marks=marks,
                   updatemode="mouseup"),
        html.Span(text, id=f"{prefix}-year-status", className=f"year-status year-status-{kind}", role="status"),
    ]), "year")
    box("Perspective", dcc.Dropdown(id=f"{prefix}-perspective", value=q.perspective, clearable=False,
                                    options=[{"label": PERSPECTIVE_LABELS[p], "value": p} for p in PERSPECTIVES]),
        "perspective")
    box("GWP metric", dcc.Dropdown(id=f"{prefix}-gwp", value=q.gwp, clearable=False,
                                   options=[{"label": GWP_LABELS[g], "value": g} for g in GWP_SETS]), "gwp")
    box("Gases", dcc.Checklist(id=f"{prefix}-gases", value=list(q.gases), inline=True, className="checklist",
                               options=[{"label": g, "value": g} for g in GASES]), "gases")
    box("Land-use change model", dcc.Dropdown(id=f"{prefix}-luc_model", value=q.luc_model, clearable=False,
                                              options=[{"label": LUC_LABELS[m], "value": m} for m in LUC_MODELS]),
        "luc_model")
    box("Regions", dcc.Dropdown(id=f"{prefix}-grouping", value=q.grouping, clearable=False,
                                options=[{"label": GROUPING_LABELS[g], "value": g} for g in GROUPINGS]), "grouping")
    box("Custom group (ISO3 codes)", dcc.Input(id=f"{prefix}-members", value=",".join(q.members), type="text",
                                               placeholder="e.g. FRA,DEU,ITA", debounce=True, maxLength=1200),
        "members")
    box("Interval (confidence)", dcc.RadioItems(id=f"{prefix}-ci", value=q.ci, inline=True, className="checklist",
                                                options=[{"label": CI_LABELS[c], "value": c} for c in CI_LEVELS]),
        "ci")
    folded = [CONTROL_NAMES[f] for f in FIELDS if f in show and f != "year"]
    if folded:  # phones: the year stays in sight, the other choices sit in a drawer this button opens
        items.insert(0, html.Button(
            ["Choices: ", html.Span(", ".join(folded)), html.Span(" ▾", className="controls-toggle-mark")],
            type="button", className="controls-toggle", id=f"{prefix}-controls-toggle",
            **{"aria-expanded": "false", "aria-controls": f"{prefix}-controls"}))
    return html.Div(items, className="controls", id=f"{prefix}-controls")


def year_status(year) -> tuple[str, str]:
    """(words, kind) of what the accounts of ``year`` rest on, for the badge beside the year: a measured input–output
    table, a nowcast on the last table (modelled), or production only. ``kind`` is the engine's method."""
    from components.messages import year_words
    from engine.io.nowcast import method_for

    try:
        method, structure = method_for(int(year))
    except (TypeError, ValueError):
        return "", "none"
    return year_words(method, structure), method


def year_status_callback(prefix: str) -> None:
    """Register the callback that keeps the badge beside ``<prefix>-year`` in step with the year (pages call it once
    at import, next to their own callbacks)."""
    @callback(Output(f"{prefix}-year-status", "children"), Output(f"{prefix}-year-status", "className"),
              Input(f"{prefix}-year", "value"), prevent_initial_call=True)
    def _year_status(year):
        text, kind = year_status(year)
        return text, f"year-status year-status-{kind}"


def query_inputs(prefix: str) -> list[Input]:
    """Inputs of the controls, in :data:`FIELDS` order."""
    return [Input(f"{prefix}-{f}", "value") for f in FIELDS]


def query_from_values(year, gwp, gases, luc_model, grouping, members, perspective, ci=None) -> Query:
    """Build the Query from control values, in :data:`FIELDS` order (raises ValueError with a message a person can
    act on); a missing ``ci`` is the default level."""
    members = members or ""
    if grouping == "custom" and not str(members).strip():
        raise ValueError("type the ISO3 codes of your custom group (e.g. FRA,DEU,ITA)")
    return Query(year=year, gwp=gwp, gases=tuple(gases or ()), luc_model=luc_model, grouping=grouping,
                 members=members if grouping == "custom" else (), perspective=perspective,
                 ci=Query().ci if ci in (None, "") else ci)


def page_search(q: Query, **extra) -> str:
    """The query string of a page URL for a Query (plus page-specific parameters)."""
    params = q.to_params() | {k: v for k, v in extra.items() if v not in (None, "")}
    return "?" + urlencode(params, safe=",")


def nav_sync_components() -> list:
    """Session store of the current query string (placed once in the shell)."""
    return [dcc.Store(id="hc-query", storage_type="session")]


# Address bar and navigation links follow the current query (no page reload).
clientside_callback(
    """function(qs){
        if(qs === undefined || qs === null){ return window.dash_clientside.no_update; }
        const links = window.dash_clientside.callback_context.outputs_list;
        return links.map(o => o.id.path + (qs ? '?' + qs : ''));
    }""",
    Output({"type": "nav-link", "path": ALL}, "href"), Input("hc-query", "data"),
)
