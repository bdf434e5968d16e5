"""The chart registry: every exportable chart by name, rebuilt from a Query (+ page parameters) on the server.

A :class:`ChartSpec` knows how to rebuild its figure and the data behind it from the same Query parameters as the
page URL, so ``/export/<name>.<fmt>?<query>`` and the page always agree. Pages show an export menu per chart
(:func:`components.export_menu.export_menu`); the briefing builder references charts by name and parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from engine.query import Query

#: Sources quoted in export footers, by key.
SOURCES = {
    "edgar": ("EDGAR 2024 GHG booklet (Crippa et al. 2024, JRC138862)", "CC BY 4.0; fossil CO2 CC BY-NC-ND 4.0"),
    "gcb": ("Global Carbon Budget 2024 (Friedlingstein et al. 2024, doi:10.18160/gcp-2024)", "CC BY 4.0"),
    "owid": ("Our World in Data processing of GCB 2024", "CC BY 4.0"),
    "wiod": ("World Input-Output Database 2013 (Timmer et al. 2015, doi:10.1111/roie.12178)", "free use with citation"),
    "jrc": ("JRC WIOD environmental accounts 2000-2016 (Corsatea et al. 2019, doi:10.2760/024036)", "EC reuse policy"),
    "modis": ("MODIS MCD12C1 2019 (doi:10.5067/MODIS/MCD12C1.006) with Pan et al. (2011) biome densities",
              "no restrictions"),
    "claim": ("CAS 'panoramic' carbon accounting announcement (2026), as quoted in REFERENCES.md", "quoted figures"),
}


@dataclass(frozen=True)
class ChartOutput:
    """What a chart is made of: the figure, the data behind it (units in column names), provenance."""

    figure: go.Figure | None
    data: pd.DataFrame
    title: str
    method: str
    sources: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChartSpec:
    """One exportable chart.

    Attributes
    ----------
    name : str
        URL name, e.g. ``country-series``.
    page : str
        Page path it lives on (for links back).
    params : tuple of str
        Page parameters beyond the Query (e.g. ``("code",)``), validated by ``build``.
    build : callable
        ``build(accounts, query, params) -> ChartOutput``; raises ValueError for bad parameters.
    """

    name: str
    title: str
    page: str
    build: Callable[..., ChartOutput]
    params: tuple[str, ...] = field(default=())


def _home_world(acc, q: Query, params: dict) -> ChartOutput:
    from components.figures import build_world_ghg_figure
    from engine import overview

    data = overview.world_ghg_by_gas(acc.pack.table("edgar_ghg_by_sector"))
    return ChartOutput(build_world_ghg_figure(data), data, "World greenhouse-gas emissions by gas, 1970–2023",
                       "Sum of EDGAR countries and international bunkers, excl. LULUCF; AR5 GWP100 as published.",
                       ("edgar",))


def _home_budget(acc, q: Query, params: dict) -> ChartOutput:
    from components.figures import build_budget_figure
    from engine import overview

    year = 2023  # the home page shows the latest budget year whatever the Query
    data = overview.global_budget(acc.pack.table("gcb_global_budget"), year)
    return ChartOutput(build_budget_figure(data, year), data, f"Global carbon budget {year}",
                       "GCB 2024 global budget terms, GtC × 3.664; sinks negative.", ("gcb",))


def _country_code(acc, params: dict) -> str:
    from engine.query import closest
    from engine.regions import NAMED_GROUPS

    code = str(params.get("code", "")).upper()
    known = set(acc.country_year(2020).index) - {"BUNKERS"} | set(NAMED_GROUPS)
    if code not in known:
        hint = closest(code, known)
        raise ValueError(f"unknown country or group {code!r}" + (f"; did you mean {', '.join(hint)}?" if hint else ""))
    return code


def _country_query(q: Query, code: str) -> Query:
    from engine.regions import NAMED_GROUPS

    return q.replace(grouping=code if code in NAMED_GROUPS else "countries", members=())


def _country_series(acc, q: Query, params: dict) -> ChartOutput:
    from components.country_view import build_series_figure

    code = _country_code(acc, params)
    qq = _country_query(q, code)
    name = acc.names().get(code, code)
    data = acc.series(qq, code)[["year", "production_mt_co2e", "consumption_mt_co2e", "transfer_mt_co2e",
                                 "luc_mt_co2", "land_sink_mt_co2", "panoramic_mt_co2e", "method"]]
    return ChartOutput(build_series_figure(data, name), data, f"{name}: production, consumption and panoramic",
                       "Consumption f·L·y+h on WIOD 2013 (1995–2011), nowcast on the 2011 structure (2012–2023).",
                       ("edgar", "wiod", "jrc", "gcb", "modis"))


def _country_sectors(acc, q: Query, params: dict) -> ChartOutput:
    from components.country_view import build_sector_gas_figure
    from engine.regions import NAMED_GROUPS, group_members

    code = _country_code(acc, params)
    name = acc.names().get(code, code)
    prod = acc.production(q)
    members = set(group_members()[code]) if code in NAMED_GROUPS else {code}
    data = prod[prod["code"].isin(members)].groupby(["sector", "gas"], as_index=False)["emissions_mt_co2e"].sum()
    return ChartOutput(build_sector_gas_figure(data, name, q.year), data, f"{name}: emissions by sector and gas",
                       "EDGAR 2024 production by sector and gas, re-weighted to the chosen GWP set (F-gases as "
                       "published).", ("edgar",))


def _country_bridge(acc, q: Query, params: dict) -> ChartOutput:
    from components.country_view import build_bridge_figure

    code = _country_code(acc, params)
    name = acc.names().get(code, code)
    led = acc.ledger(_country_query(q, code))
    row = led.set_index("region").loc[code]
    return ChartOutput(build_bridge_figure(row, name, q.year), led[led["region"] == code].reset_index(drop=True),
                       f"{name}: from production to panoramic", "Panoramic = consumption + land-use change − "
                       "attributed land sink (modelled).", ("edgar", "wiod", "jrc", "gcb", "modis"))


def _country_partners(acc, q: Query, params: dict) -> ChartOutput:
    from components.country_view import build_partners_figure, partners
    from engine.accounts import method_for
    from engine.regions import NAMED_GROUPS, ROW

    code = _country_code(acc, params)
    qq = _country_query(q, code)
    inside = set(acc.mrio_regions()) - {ROW}
    region = code if code in NAMED_GROUPS or code in inside else ROW
    imp, exp = partners(acc.flows(qq), region)
    data = pd.concat([imp.assign(direction="embodied in imports (producer)"),
                      exp.assign(direction="embodied in exports (consumer)")], ignore_index=True)
    method = method_for(q.year)[0]
    name = acc.names().get(region, region)
    return ChartOutput(build_partners_figure(imp, exp, acc.names(), name, q.year, method), data,
                       f"{name}: top partners by embodied emissions", "Bilateral flows f∘(L·Y), WIOD 2013 regions.",
                       ("wiod", "jrc", "edgar"))


#: The registry (name -> spec), read-only after import: pages and the export routes read it. Every exportable chart
#: of every page is listed here (add new charts to this tuple).
CHARTS: dict[str, ChartSpec] = {s.name: s for s in (
    ChartSpec("home-world-ghg", "World greenhouse-gas emissions by gas", "/", _home_world),
    ChartSpec("home-budget", "Global carbon budget", "/", _home_budget),
    ChartSpec("country-series", "Country time series", "/country", _country_series, ("code",)),
    ChartSpec("country-sectors", "Country emissions by sector and gas", "/country", _country_sectors, ("code",)),
    ChartSpec("country-bridge", "Country production to panoramic", "/country", _country_bridge, ("code",)),
    ChartSpec("country-partners", "Country trading partners", "/country", _country_partners, ("code",)),
)}

