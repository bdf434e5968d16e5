"""Home: what Holocarbon shows, in plain words, with links to each part and a first look at the data."""

import logging
from typing import Final, final

import dash
from dash import dcc, html

from components import intervals, runtime
from components.controls import query_from_url
from components.export_menu import export_menu
from components.figures import build_budget_figure, build_world_ghg_figure, graph, memo_view, summarise
from components.glossary import term
from components.messages import error_notice
from components.prerender import with_picture
from engine.accounts import overview
from engine.core.errors import PackError
from engine.core.query import Query

BUDGET_YEAR = 2023
TITLES = {"world-ghg": "World greenhouse-gas emissions by gas", "budget": "Global carbon budget"}


@final
class ID:
    """Component ids of the home page (one place: layout and tests use these)."""

    WORLD_GHG: Final = "home-world-ghg"
    BUDGET: Final = "home-budget"
    KEY_FIGURES: Final = "home-key-figures"
    ERROR_SUFFIX: Final = "-error"  # ``<chart id>-error``: the notice shown instead of a chart that cannot be drawn


dash.register_page(__name__, path="/", name="Home", order=0, title="Holocarbon — open holographic carbon maps",
                   description="What Holocarbon shows and where to start.")

#: The one line under the headline that says what "holographic" means here (the glossary has the same word).
HOLOGRAPHIC = ("“Holographic”: the same emissions seen from several sides at once — where they are released, who they "
               "are released for once trade is counted, and what land and ocean take back.")


def intro() -> list:
    """The lead paragraph, its technical words with their glossary definitions."""
    return [
        "Holocarbon puts in one place what usually takes several websites and a research group: where greenhouse "
        "gases are emitted and absorbed, country by country and sector by sector, and who they are emitted for once "
        "trade is taken into account: the ", term("consumption-based", "consumption-based accounts"), ", computed "
        "through a ", term("MRIO", "multi-regional input–output table"), ". Every number comes from a public source "
        "that is named beside it, and every accounting choice — year, ", term("GWP", "greenhouse-gas metric"),
        ", region boundaries — is yours to change. Consumption accounts after 2011 are modelled (a ",
        term("nowcast"), ") and say so.",
    ]


def _part_cards() -> html.Div:
    cards = []
    for page in sorted(dash.page_registry.values(), key=lambda p: p.get("order") or 0):
        if page["path"] in ("/", "/404") or page.get("path_template") or not page.get("nav", True):
            continue
        cards.append(dcc.Link(
            [html.H3(page["name"]), html.P(page.get("description") or "")],
            href=page["relative_path"], className="card card-link",
        ))
    return html.Div(cards, className="cards")


def _world_interval(ci: int) -> tuple[int, float, float, float] | None:
    """(latest year, world production, lo, hi) [Mt CO2e]: the sum of every country's and the bunkers' draws; None
    when the uncertainty engine cannot answer (the chart is then drawn without it)."""
    acc = runtime.accounts()
    if acc is None:
        return None
    try:
        year = int(acc.pack.table("edgar_ghg_by_sector")["year"].max())
        return (year, *intervals.world_production(acc, Query(year=year, ci=ci)))
    except Exception:  # noqa: BLE001 — an optional addition never hides the page
        logging.getLogger("holocarbon").exception("world interval")
        return None


def key_figures(world: tuple[int, float, float, float] | None, ci: int) -> html.P | None:
    """The world total in one sentence, with its interval."""
    if world is None:
        return None
    year, total, lo, hi = world
    return html.P([
        f"In {year} the world emitted ", html.Strong(f"{total / 1000:,.1f} Gt CO2e"),
        f" of greenhouse gases ({ci} % interval {lo / 1000:,.1f} to {hi / 1000:,.1f} Gt CO2e: the inventories' own "
        "uncertainty by country, sector and gas, Solazzo et al. 2021; AR5 GWP100, excluding land use).",
    ], className="lead-small key-sentence", id=ID.KEY_FIGURES)


def layout(**query):
    q, _ = query_from_url(query)  # only the interval level applies here (kept from the other pages)
    pack = runtime.pack()
    world = _world_interval(q.ci) if pack is not None else None
    band = (world[2], world[3], q.ci) if world else None
    builders = (  # (TITLES key, component id, figure)
        ("world-ghg", ID.WORLD_GHG,
         lambda: build_world_ghg_figure(overview.world_ghg_by_gas(pack.table("edgar_ghg_by_sector")), band)),
        ("budget", ID.BUDGET, lambda: build_budget_figure(
            overview.global_budget(pack.table("gcb_global_budget"), BUDGET_YEAR), BUDGET_YEAR)),
    )
    charts = []
    for name, chart_id, build in builders:
        try:
            if pack is None:
                raise PackError(runtime.pack_error() or "not built")
            acc = runtime.accounts()  # the same two figures for every visitor: built once (plotly validation)
            fig = memo_view(acc, acc._key("ui-home", name, q.ci), lambda b=build: summarise(b()).to_plotly_json()) \
                if acc is not None else build()
            chart = graph(fig, id=chart_id)
            if not charts and acc is not None:  # the first chart also goes out as a picture (prerender.py)
                pre, state = runtime.prerenderer(), f"ci={q.ci}"
                height = int(fig.get("layout", {}).get("height") or 450)
                if pre is not None:
                    pre.remember(acc, "/", state, fig, height)
                    chart = with_picture(chart, pre.picture(acc, "/", state), height)
            charts.append(html.Div([chart, export_menu(f"home-{name}", TITLES[name])], className="chart-card"))
        except Exception as exc:  # an unavailable source hides one chart, never the page
            charts.append(html.Div(error_notice(exc), className="chart-card", id=chart_id + ID.ERROR_SUFFIX))
    return html.Div([
        html.Section([
            html.H1("Open holographic carbon maps"),
            html.P(HOLOGRAPHIC, className="lead-small hero-explain", id="home-holographic"),
            html.P(intro(), className="lead"),
            html.Div(dcc.Link("Open the atlas →", href="/atlas", className="btn btn-link"), className="hero-cta")
            if any(p["path"] == "/atlas" for p in dash.page_registry.values()) else None,
        ], className="hero"),
        html.H2("Explore"),
        _part_cards(),
        html.H2("The world at a glance"),
        key_figures(world, q.ci),
        html.Div(charts, className="chart-grid"),
    ])
