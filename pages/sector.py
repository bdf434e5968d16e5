"""Sector pages: one emitting sector across countries (``/sector/<code>``) and the index of sectors (``/sector``).

EDGAR sectors (``/sector/power-industry``) show production emissions by country for 1970–2023; WIOD input–output
sectors (``/sector/c17``) add the emission intensity of output by region and the share of the sector's emissions
that serves final demand in other regions (1995–2011 MRIO, 2012–2023 nowcast on the structure of 2011).
"""

from __future__ import annotations

from typing import Final, final

import dash
from dash import Input, Output, State, callback, dcc, html

from components import runtime
from components.controls import (
    controls,
    page_search,
    query_from_url,
    query_from_values,
    query_inputs,
    year_status_callback,
)
from components.export_menu import export_menu
from components.figures import graph
from components.messages import NO_IO_TABLE, error_notice, notice, user_message
from components.sector_view import (
    build_foreign_share_figure,
    build_intensity_figure,
    build_sector_map_figure,
    build_sector_ranking_figure,
    foreign_kpis,
    kpi,
    sector_index,
)
from components.urlstate import url_state, url_sync
from engine.accounts import sectors
from engine.core.errors import PackError
from engine.core.gwp import FGAS_NOTE

SHOW = ("year", "gwp", "gases")


@final
class ID:
    """Component ids of the sector pages (one place: layout, callbacks and tests use these)."""

    PREFIX: Final = "sector"  # the shared controls are ``<PREFIX>-<field>`` (components.controls)
    NOT_FOUND: Final = "sector-not-found"
    BODY: Final = "sector-body"
    CODE: Final = "sector-code"
    SEARCH: Final = "sector-search"  # URL state (components.urlstate)
    RANKING: Final = "sector-ranking"
    MAP: Final = "sector-map"
    INTENSITY: Final = "sector-intensity"
    FOREIGN: Final = "sector-foreign"
    QUERY: Final = "hc-query"  # the shell's session store of the query string (components.controls)


def _title(code=None, **_):
    try:
        return f"{sectors.resolve_sector(code).name} — Holocarbon"
    except ValueError:
        return "Sector not found — Holocarbon"


def _valid(code=None, **_) -> bool:
    return sectors.is_known_sector(code)


dash.register_page(__name__, path_template="/sector/<code>", name="Sector", title=_title, validate=_valid,
                   description="One emitting sector across countries: emissions, intensity and foreign demand.")


def index_layout(**query):
    q, problem = query_from_url(query)
    return html.Div([
        html.Div([
            html.H1("Sectors"),
            html.P("Pick a sector to see where its emissions happen. EDGAR sectors cover production emissions "
                   "1970–2023; the 35 input–output sectors of WIOD 2013 add how much each region emits per dollar of "
                   "output and how much of it serves other regions' final demand.", className="lead-small"),
        ], className="page-head"),
        notice(problem, "warning") if problem else None,
        sector_index(sectors.sector_catalogue(), page_search(q)),
    ])


dash.register_page(f"{__name__}_index", path="/sector", name="Sectors", order=40, layout=index_layout,
                   title="Sectors — Holocarbon",
                   description="Every sector's emissions across countries, emission intensity per dollar of output "
                               "and the share serving foreign final demand.")


def not_found(code) -> html.Div:
    """Friendly page for an unknown sector code, with links to the closest ones (the server answers 404)."""
    hints = sectors.closest_sectors(code or "")
    cat = sectors.sector_catalogue().set_index("code")
    return html.Div([
        html.H1("Sector not found"),
        html.P(["There is no sector ", html.Code(str(code)[:60]), ". Sector codes are EDGAR sector names such as ",
                html.Code("power-industry"), " or input–output sectors ", html.Code("c1"), "–", html.Code("c35"), "."]),
        html.Div([html.P("Did you mean:"),
                  html.Ul([html.Li(dcc.Link(f"{cat.loc[h, 'name']} ({h})", href=f"/sector/{h}")) for h in hints],
                          className="sector-suggestions")]) if hints else None,
        html.P(["See ", dcc.Link("all sectors", href="/sector"), "."]),
    ], className="narrow", id=ID.NOT_FOUND)


def layout(code=None, **query):
    try:
        sec = sectors.resolve_sector(code)
    except ValueError:
        return not_found(code)
    q, problem = query_from_url(query)
    kind = ("EDGAR sector — production (territorial) emissions" if sec.kind == "edgar"
            else f"Input–output sector {sec.code} (WIOD 2013)")
    return html.Div([
        html.Div([
            html.P([dcc.Link("Sectors", href="/sector"), " › ", kind], className="muted breadcrumb"),
            html.H1(sec.name),
            html.P("Where this sector's greenhouse gases are emitted" + (
                ", how much each region emits per dollar of output, and how much serves final demand in other "
                "regions." if sec.kind == "mrio" else
                ", and (approximately) how much serves final demand in other regions."), className="lead-small"),
        ], className="page-head"),
        notice(problem, "warning") if problem else None,
        controls(ID.PREFIX, q, show=SHOW),
        dcc.Loading(html.Div(id=ID.BODY), type="circle", delay_show=500),
        dcc.Store(id=ID.CODE, data=sec.code),
        dcc.Store(id=ID.SEARCH),
    ])


def _edgar_links(sec) -> html.P:
    acc = runtime.accounts()
    table_sectors = acc.tables().sectors if acc is not None else tuple(f"c{i}" for i in range(1, 36))
    targets = [table_sectors[i] for i in sectors.edgar_targets(sec.label, table_sectors)]
    lead = ("Emission intensities per dollar of output exist for the input–output sectors this EDGAR sector is "
            "allocated to: ")
    return html.P([lead] + [x for t in targets for x in (dcc.Link(t, href=f"/sector/{t}"), " ")],
                  className="footnote")


def body(sec, q, acc) -> list:
    """Page body for a sector and Query (thin: engine frames → pure builders)."""
    mrio = sec.kind == "mrio"
    ranks = sectors.sector_emissions_by_region(acc, q, sec.code)
    meta = dict(ranks.attrs)
    out = []
    if meta.get("method") == "nowcast":
        out.append(notice(f"{q.year}: MRIO figures are a nowcast on the structure of {meta['structure_year']} "
                          f"(WIOD 2013) with the emissions of {q.year}.", "info", "Structure of 2011. "))
    if mrio and not meta.get("available", True):
        return out + [notice(f"{NO_IO_TABLE}: the WIOD sectors have no emissions, intensities "
                             f"or trade shares for {q.year}. Choose 1995 or later, or an EDGAR sector (production "
                             f"1970–2023) from the sector index.", "info", f"No data for {q.year}. "),
                      html.P(dcc.Link("All sectors →", href="/sector" + page_search(q)))]
    foreign = sectors.foreign_demand_share(acc, q, sec.code)
    world = float(meta.get("world_mt_co2e", 0.0))
    top = ranks.iloc[0] if not ranks.empty else None
    cards = [kpi(f"World emissions of the sector, {q.year}", f"{world:,.0f} Mt CO2e", "+".join(q.gases)),
             kpi("Largest emitter", top["name"] if top is not None else "—",
                 f"{top['emissions_mt_co2e']:,.0f} Mt CO2e ({top['share_pct']:.1f} %)" if top is not None else None)]
    cards += foreign_kpis(foreign, sec.name)
    out.append(html.Div(cards, className="cards-row"))
    if "F-gases" in q.gases:
        out.append(html.P(FGAS_NOTE, className="footnote"))
    out.append(html.Div([
        html.Div([graph(build_sector_ranking_figure(ranks, sec.name, q.year, q.gases, mrio, meta),
                        id=ID.RANKING), export_menu("sector-rank", f"{sec.name}: emissions by region")],
                 className="chart-card"),
        html.Div([graph(build_sector_map_figure(ranks, sec.name, q.year, q.gases, mrio, meta), id=ID.MAP),
                  export_menu("sector-map", f"{sec.name}: world map")], className="chart-card"),
    ], className="two-col"))
    second = []
    if mrio:
        inten = sectors.mrio_sector_intensity(acc, q, sec.code)
        second.append(html.Div([graph(build_intensity_figure(inten, sec.name, q.gases, dict(inten.attrs)),
                                      id=ID.INTENSITY),
                                export_menu("sector-intensity", f"{sec.name}: emission intensity")],
                               className="chart-card"))
    second.append(html.Div([graph(build_foreign_share_figure(foreign, sec.name, q.gases, dict(foreign.attrs)),
                                  id=ID.FOREIGN),
                            export_menu("sector-foreign", f"{sec.name}: share for foreign demand")],
                           className="chart-card"))
    if not mrio and not foreign.empty:
        second.append(html.Div([notice(sectors.EDGAR_FOREIGN_NOTE, "info", "Approximation. "), _edgar_links(sec)],
                               className="chart-card"))
    elif not mrio:
        second.append(html.Div(_edgar_links(sec), className="chart-card"))
    out.append(html.Div(second, className="two-col"))
    return out


@callback(
    Output(ID.BODY, "children"), Output(ID.SEARCH, "data"), Output(ID.QUERY, "data", allow_duplicate=True),
    *query_inputs(ID.PREFIX), State(ID.CODE, "data"),
    prevent_initial_call="initial_duplicate",
)
def update(*values):
    """Thin: controls → Query → engine.accounts.sectors (cached MRIO bundle) → pure builders."""
    *values, code = values
    try:
        q = query_from_values(*values)
        sec = sectors.resolve_sector(code)
    except ValueError as exc:
        return notice(user_message(exc), "warning", "Check the controls: "), dash.no_update, dash.no_update
    acc = runtime.accounts()
    if acc is None:
        return error_notice(PackError(runtime.pack_error() or "the processed pack is not built")), \
            dash.no_update, dash.no_update
    try:
        children = body(sec, q, acc)
    except Exception as exc:  # noqa: BLE001 — never a stack trace in the browser
        return error_notice(exc), dash.no_update, dash.no_update
    qs = q.to_query_string()
    return children, url_state(qs, path=f"/sector/{sec.code}"), qs


# the address bar follows the controls without a reload (only while the address is this sector's page)
url_sync(Input(ID.SEARCH, "data"))


year_status_callback(ID.PREFIX)  # the badge beside the year: measured table, nowcast or production only
