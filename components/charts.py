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

from components.messages import no_io_table
from engine.core.query import GWP_LABELS, Query

#: Sources quoted in export footers, by key.
SOURCES = {
    "edgar": ("EDGAR 2024 GHG booklet (Crippa et al. 2024, JRC138862)", "CC BY 4.0; fossil CO2 CC BY-NC-ND 4.0"),
    "gcb": ("Global Carbon Budget 2024 (Friedlingstein et al. 2024, doi:10.18160/gcp-2024)", "CC BY 4.0"),
    "owid": ("Our World in Data processing of GCB 2024", "CC BY 4.0"),
    "wiod": ("World Input-Output Database 2013 (Timmer et al. 2015, doi:10.1111/roie.12178)", "free use with citation"),
    "jrc": ("JRC WIOD environmental accounts 2000-2016 (Corsatea et al. 2019, doi:10.2760/024036)", "EC reuse policy"),
    "modis": ("MODIS MCD12C1 2019 (doi:10.5067/MODIS/MCD12C1.006) with Pan et al. (2011) biome densities",
              "no restrictions"),
    "claim": ("CAS 'panoramic' accounting, SARI/CAS announcement of 8 April 2026; the announcement and news reports "
              "are linked under 'Claims we test' on the Data & methods page (/data#claims)", "quoted figures"),
    "cbam": ("Commission Implementing Regulation (EU) 2025/2621, Annex I (CBAM default values) and IR (EU) 2025/2620 "
             "(benchmarks)", "EU legislation, reuse permitted"),
    "industry": ("Holocarbon industry parameter table (data/industry_parameters.csv: worldsteel, GCCA, IAI, IEA) and "
                 "the mirror's production series (USGS / worldsteel)", "see Data & methods"),
    "ember": ("Ember / Our World in Data electricity carbon intensity", "CC BY 4.0"),
    "ember_solar": ("Ember China Solar PV Exports data (2025), by destination and month", "CC BY 4.0"),
    "owid_solar": ("Installed solar PV capacity (BP, IRENA; processed by Our World in Data)", "CC BY 4.0"),
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
    #: What the chart depends on, in words, when it is not the Query (e.g. the home page's world charts).
    query_text: str | None = None
    #: The interval level [%] of a chart that shows intervals (error bars, bands), else None; with its method note.
    ci: int | None = None
    interval_note: str | None = None


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
        Required page parameters beyond the Query (e.g. ``("code",)``), validated by ``build``.
    optional : tuple of str
        Optional page parameters (e.g. ``("scale",)`` for the ledger map).
    build : callable
        ``build(accounts, query, params) -> ChartOutput``; raises ValueError for bad parameters.
    """

    name: str
    title: str
    page: str
    build: Callable[..., ChartOutput]
    params: tuple[str, ...] = field(default=())
    optional: tuple[str, ...] = field(default=())


def _intervals(acc, q: Query) -> dict:
    """The ChartOutput fields of a chart that shows the Query's intervals."""
    from components import intervals

    return {"ci": q.ci, "interval_note": intervals.note(acc, q.ci)}


def _home_world(acc, q: Query, params: dict) -> ChartOutput:
    from components import intervals
    from components.figures import build_world_ghg_figure
    from engine.accounts import overview

    data = overview.world_ghg_by_gas(acc.pack.table("edgar_ghg_by_sector"))
    last = int(data["year"].max())
    total, lo, hi = intervals.world_production(acc, Query(year=last, ci=q.ci))
    iv = _intervals(acc, q)
    return ChartOutput(build_world_ghg_figure(data, (lo, hi, q.ci)), data,
                       "World greenhouse-gas emissions by gas, 1970–2023",
                       "Sum of EDGAR countries and international bunkers, excl. LULUCF; AR5 GWP100 as published.",
                       ("edgar",), (f"World total {last}: {total / 1000:,.1f} Gt CO2e, {q.ci} % interval "
                                    f"{lo / 1000:,.1f} to {hi / 1000:,.1f} Gt CO2e (the sum of every country's draws).",
                                    iv["interval_note"]),
                       query_text="World, 1970–2023, all gases, AR5 GWP100 as published", **iv)


def _home_budget(acc, q: Query, params: dict) -> ChartOutput:
    from components.figures import build_budget_figure
    from engine.accounts import overview

    year = 2023  # the home page shows the latest budget year whatever the Query
    data = overview.global_budget(acc.pack.table("gcb_global_budget"), year)
    return ChartOutput(build_budget_figure(data, year), data, f"Global carbon budget {year}",
                       "GCB 2024 global budget terms, GtC × 3.664; sinks negative.", ("gcb",),
                       query_text=f"World, {year}, CO2")


def _country_code(acc, params: dict) -> str:
    from engine.accounts.regions import NAMED_GROUPS
    from engine.core.query import closest

    code = str(params.get("code", "")).upper()
    known = set(acc.country_year(2020).index) - {"BUNKERS"} | set(NAMED_GROUPS)
    if code not in known:
        hint = closest(code, known)
        raise ValueError(f"unknown country or group {code!r}" + (f"; did you mean {', '.join(hint)}?" if hint else ""))
    return code


def _country_query(q: Query, code: str) -> Query:
    from engine.accounts.regions import NAMED_GROUPS

    return q.replace(grouping=code if code in NAMED_GROUPS else "countries", members=())


def _with_bounds(columns: list[str], frame: pd.DataFrame) -> list[str]:
    """The columns, each followed by its ``_lo`` / ``_hi`` interval columns where the frame has them."""
    out = []
    for c in columns:
        out.append(c)
        out += [f"{c}_{s}" for s in ("lo", "hi") if f"{c}_{s}" in frame.columns]
    return out


def _country_series(acc, q: Query, params: dict) -> ChartOutput:
    from components import intervals
    from components.country_view import build_series_figure

    code = _country_code(acc, params)
    qq = _country_query(q, code)
    name = acc.names().get(code, code)
    series = intervals.series(acc, qq, code)
    cols = _with_bounds(["production_mt_co2e", "consumption_mt_co2e", "transfer_mt_co2e", "luc_mt_co2",
                         "land_sink_mt_co2", "panoramic_mt_co2e"], series)
    data = series[["year", *cols, "transfer_sign_uncertain", "method"]]
    iv = _intervals(acc, q)
    return ChartOutput(build_series_figure(data, name, q.ci), data, f"{name}: production, consumption and panoramic",
                       "Consumption f·L·y+h on WIOD 2013 (1995–2011), nowcast on the 2011 structure (2012–2023).",
                       ("edgar", "wiod", "jrc", "gcb", "modis"), (iv["interval_note"],), **iv)


def _country_sectors(acc, q: Query, params: dict) -> ChartOutput:
    from components.country_view import build_sector_gas_figure
    from engine.accounts.regions import NAMED_GROUPS, group_members

    from components.runtime import uncertainty_for

    code = _country_code(acc, params)
    name = acc.names().get(code, code)
    prod = acc.production(q)
    members = set(group_members()[code]) if code in NAMED_GROUPS else {code}
    data = prod[prod["code"].isin(members)].groupby(["sector", "gas"], as_index=False)["emissions_mt_co2e"].sum()
    unc, qq = uncertainty_for(acc), _country_query(q, code)
    by_gas = unc.production_intervals(qq, by=("region", "sector", "gas"))
    by_gas = by_gas[by_gas["region"] == code].drop(columns="region").rename(
        columns={"emissions_lo": "emissions_mt_co2e_lo", "emissions_hi": "emissions_mt_co2e_hi"})
    data = data.merge(by_gas, on=["sector", "gas"], how="left")
    totals = unc.production_intervals(qq, by=("region", "sector"))
    totals = totals[totals["region"] == code]
    iv = _intervals(acc, q)
    return ChartOutput(build_sector_gas_figure(data, name, q.year, totals, q.ci), data,
                       f"{name}: emissions by sector and gas",
                       "EDGAR 2024 production by sector and gas, re-weighted to the chosen GWP set (F-gases as "
                       "published).", ("edgar",),
                       ("The interval columns are those of each sector and gas; the whiskers in the figure are those "
                        "of each sector's total (gases together).", iv["interval_note"]), **iv)


def _country_bridge(acc, q: Query, params: dict) -> ChartOutput:
    from components.country_view import build_bridge_figure

    from components import intervals

    code = _country_code(acc, params)
    name = acc.names().get(code, code)
    led = intervals.ledger(acc, _country_query(q, code))
    row = led.set_index("region").loc[code]
    iv = _intervals(acc, q)
    return ChartOutput(build_bridge_figure(row, name, q.year, q.ci), led[led["region"] == code].reset_index(drop=True),
                       f"{name}: from production to panoramic", "Panoramic = consumption + land-use change − "
                       "attributed land sink (modelled).", ("edgar", "wiod", "jrc", "gcb", "modis"),
                       (iv["interval_note"],), **iv)


def _country_uncertainty(acc, q: Query, params: dict) -> ChartOutput:
    from components import intervals
    from components.country_view import ACCOUNT_WORDS, build_uncertainty_figure, group_words, uncertainty_title

    code = _country_code(acc, params)
    name = acc.names().get(code, code)
    att, account, bounds, note = intervals.uncertainty_inputs(acc, _country_query(q, code), code)
    d = att[att["output"] == account].reset_index(drop=True)
    data = pd.DataFrame({"account": account, "input": [group_words(g) for g in d["group"]], "group": d["group"],
                         "variance_mt_co2e_squared": d["variance"], "share_pct": d["share_pct"]})
    iv = _intervals(acc, q)
    notes = [f"Account: {ACCOUNT_WORDS[account]} (the Query's perspective)."] + ([note] if note else [])
    if bounds is not None:
        notes.append(f"{q.ci} % interval of the account: {bounds[0]:,.1f} to {bounds[1]:,.1f} Mt CO2e.")
    notes.append("Variance shares of independent input groups (to first order for consumption), so the shares add "
                 "up to 100 %; the chart shows the largest 8, the data has every group.")
    return ChartOutput(build_uncertainty_figure(att, name, q.year, account, q.ci, bounds, note=note), data,
                       uncertainty_title(name, account, q.year),
                       "Share of the variance of the account by input: emissions by gas and sector, the input–output "
                       "table, the nowcast, land-use change, the land sink.", ("edgar", "wiod", "gcb"),
                       tuple(notes + [iv["interval_note"]]), **iv)


def _country_partners(acc, q: Query, params: dict) -> ChartOutput:
    from components.country_view import build_partners_figure, no_partners_figure, partners
    from engine.accounts.ledger import method_for
    from engine.accounts.regions import NAMED_GROUPS, ROW

    code = _country_code(acc, params)
    qq = _country_query(q, code)
    inside = set(acc.mrio_regions()) - {ROW}
    region = code if code in NAMED_GROUPS or code in inside else ROW
    if region == ROW and code != ROW and method_for(q.year)[0] != "production-only":
        name = acc.names().get(code, code)  # as on the page: RoW's partners are not this country's
        return ChartOutput(no_partners_figure(name, q.year), pd.DataFrame(columns=["partner", "emissions_mt_co2e"]),
                           f"{name}: trading partners", "Bilateral flows f∘(L·Y), WIOD 2013 regions.",
                           ("wiod",), (f"{name} is inside WIOD's rest of the world: the model has no bilateral "
                                       "flows for it alone.",))
    imp, exp = partners(acc.flows(qq), region)
    data = pd.concat([imp.assign(direction="embodied in imports (producer)"),
                      exp.assign(direction="embodied in exports (consumer)")], ignore_index=True)
    method = method_for(q.year)[0]
    name = acc.names().get(region, region)
    return ChartOutput(build_partners_figure(imp, exp, acc.names(), name, q.year, method), data,
                       f"{name}: top partners by embodied emissions", "Bilateral flows f∘(L·Y), WIOD 2013 regions.",
                       ("wiod", "jrc", "edgar"))


# ---- ledger ---------------------------------------------------------------------------------------------------
LEDGER_SOURCES = ("edgar", "wiod", "jrc", "gcb", "modis")
LEDGER_SCALES = ("absolute", "per_capita")


def _ledger_method(led: pd.DataFrame) -> str:
    from components.ledger_view import method_label

    return (f"{method_label(led.attrs['method'], led.attrs.get('structure_year'))}; "
            "consumption f·L·y + h on WIOD 2013; panoramic = consumption + land-use change − attributed land sink "
            "(modelled).")


#: The ledger method in full (the about sheet and CSV header; figures quote the short :func:`_ledger_method`).
LEDGER_METHOD_NOTE = ("Production: EDGAR 2024 by country, sector and gas. Consumption: E = f·L·y + h on the WIOD 2013 "
                      "MRIO (41 regions × 35 sectors) with EDGAR emissions allocated by JRC sector CO2 shares; "
                      "countries inside WIOD's rest of the world share its consumption in proportion to their "
                      "production. Land-use change: GCB 2024; land sink attributed with MODIS 2019 × Pan et al. "
                      "(2011) densities.")


def _ledger_scale(params: dict) -> bool:
    scale = str(params.get("scale") or "absolute")
    if scale not in LEDGER_SCALES:
        raise ValueError(f"scale must be one of {', '.join(LEDGER_SCALES)}; got {scale[:40]!r}")
    return scale == "per_capita"


def _ledger_map(acc, q: Query, params: dict) -> ChartOutput:
    from components.ledger_view import (
        PERSPECTIVE_COLUMNS,
        PERSPECTIVE_TITLES,
        build_ledger_map,
        has_consumption,
        map_frame,
        needs_io_table,
    )
    from engine.accounts import regions

    from components import intervals

    per_capita = _ledger_scale(params)
    led = intervals.ledger(acc, q)
    fallback = needs_io_table(q.perspective) and not has_consumption(led)
    shown = "production" if fallback else q.perspective
    membership = regions.partition(acc.year_frame(q.year)["codes"], q, acc.mrio_regions())
    frame = map_frame(led, membership, acc.names(), shown, per_capita)
    method, structure = led.attrs["method"], led.attrs["structure_year"]
    fig = build_ledger_map(frame, q.perspective, per_capita, q.year, method, structure, q.grouping, fallback=fallback,
                           ci=q.ci)
    col = PERSPECTIVE_COLUMNS[shown][0].replace("_mt_co2e", "")
    unit_col = f"{col}_t_co2e_per_person" if per_capita else f"{col}_mt_co2e"
    data = frame.rename(columns={"value": unit_col, "value_lo": f"{unit_col}_lo", "value_hi": f"{unit_col}_hi",
                                 "sign_uncertain": "transfer_sign_uncertain", "iso3": "country_code",
                                 "country": "country_name", "n_members": "region_member_countries",
                                 "row_share": "consumption_shared_from_row"})
    if shown != "transfer":
        data = data.drop(columns=["transfer_sign_uncertain"], errors="ignore")
    notes = [f"Each country is shown with the value of its region ({q.grouping}); {unit_col} is the region's value "
             f"and {unit_col}_lo / _hi its {q.ci} % interval (the map shows the intervals in its hover)."]
    if fallback:
        notes.append(f"No input–output table for {q.year}: production is shown instead of {q.perspective}.")
    title = f"{PERSPECTIVE_TITLES[shown]}, {q.year}" + (" — per person" if per_capita else "")
    return ChartOutput(fig, data, title, _ledger_method(led), LEDGER_SOURCES,
                       tuple(notes + [LEDGER_METHOD_NOTE] + led.attrs["notes"]), **_intervals(acc, q))


def _ledger_adjustment(acc, q: Query, params: dict) -> ChartOutput:
    from components.ledger_view import NON_MAP, build_adjustment_figure, method_label

    from components import intervals

    led = intervals.ledger(acc, q)
    d = led[~led["region"].isin(NON_MAP) & led["adjustment_pct"].notna()].nlargest(20, "production_mt_co2e")
    cols = _with_bounds(["production_mt_co2e", "consumption_mt_co2e", "adjustment_pct"], d)
    data = d[["region", "name", *cols, "transfer_sign_uncertain", "row_share", "n_members"]].reset_index(drop=True)
    data = data.rename(columns={"transfer_sign_uncertain": "sign_uncertain"})
    fig = build_adjustment_figure(led)
    return ChartOutput(fig, data, fig.layout.title.text,  # "top 20 producers" or "all 7 regions" (continents)
                       "Adjustment = consumption ÷ production − 1 [%] for the 20 largest producers (bunkers left out); "
                       + method_label(led.attrs["method"], led.attrs.get("structure_year")) + ".", LEDGER_SOURCES,
                       (LEDGER_METHOD_NOTE, "sign_uncertain: the interval of the adjustment includes zero (the region "
                        "may consume more or less than it produces).", *led.attrs["notes"]), **_intervals(acc, q))


def _ledger_headline(acc, q: Query, params: dict) -> ChartOutput:
    from components import intervals
    from components.ledger_view import build_headline_figure, headline_with_intervals
    from engine.accounts.headline import HEADLINE_YEAR, headline

    head = headline(acc, q.gwp)  # fixed year and regions; only the GWP set follows the Query (as on the page)
    head = headline_with_intervals(head, intervals.headline_intervals(acc, q.gwp, q.ci), q.ci)
    iv = _intervals(acc, q)
    return ChartOutput(build_headline_figure(head, HEADLINE_YEAR), head.reset_index(drop=True),
                       f"Headline: who consumes more than it produces, {HEADLINE_YEAR}",
                       f"Consumption vs production [%], {HEADLINE_YEAR}, {GWP_LABELS[q.gwp]}: Holocarbon (EDGAR 2024 + WIOD "
                       "2013, structure of 2011) beside the CAS claim and GCB 2024 (CO2).",
                       ("edgar", "wiod", "jrc", "gcb", "owid", "claim"),
                       tuple(head.attrs.get("notes", [])) + (
                           "Only the GWP set and the interval level of the Query apply to this chart.",
                           "holocarbon_*_pct_lo / _hi: Holocarbon's intervals; panoramic_claim_pct_position: where "
                           "the claim lies against the all-GHG interval, gcb_co2_pct_position: where GCB lies against "
                           "the CO2 interval at GCB's boundary (inside, below or above).",
                           iv["interval_note"]), **iv)


def _ledger_table(acc, q: Query, params: dict) -> ChartOutput:
    from components.ledger_view import TABLE_COLUMNS, method_label

    from components import intervals

    led = intervals.ledger(acc, q)
    first = [c["id"] for c in TABLE_COLUMNS if c["id"] in led.columns]
    first = _with_bounds(first, led)
    data = led[first + [c for c in led.columns if c not in first]].copy()
    data.insert(data.columns.get_loc("method") + 1, "method_label",
                [method_label(m, None if pd.isna(s) else int(s)) for m, s in zip(data["method"],
                                                                                  data["structure_year"])])
    return ChartOutput(None, data.reset_index(drop=True), f"The full ledger, {q.year}", _ledger_method(led),
                       LEDGER_SOURCES, (LEDGER_METHOD_NOTE, "Columns *_lo and *_hi: the interval of the column "
                                        "before them; transfer_sign_uncertain: the interval of the net transfer "
                                        "includes zero.", *led.attrs["notes"]), **_intervals(acc, q))


# ---- sector ---------------------------------------------------------------------------------------------------
def _sector(params: dict, mrio_only: bool = False):
    from engine.accounts.sectors import resolve_sector

    sec = resolve_sector(params.get("code", ""))
    if mrio_only and sec.kind != "mrio":
        raise ValueError(f"this chart exists for the input–output sectors c1..c35 only; {sec.code!r} is an EDGAR "
                         "sector")
    return sec


def _sector_sources(sec) -> tuple[str, ...]:
    return ("edgar",) if sec.kind == "edgar" else ("wiod", "jrc", "edgar")


def _sector_ranks(acc, q: Query, sec):
    from engine.accounts import sectors

    ranks = sectors.sector_emissions_by_region(acc, q, sec.code)
    meta = dict(ranks.attrs)
    if sec.kind == "mrio" and not meta.get("available", True):
        raise ValueError(f"{no_io_table}: sector {sec.code} has no emissions for {q.year}; "
                         "choose 1995–2023")
    return ranks, meta


def _sector_method(sec, meta: dict) -> str:
    from components.sector_view import method_text

    if sec.kind == "edgar":
        return f"EDGAR 2024 production (territorial) emissions of the sector {sec.name!r}, by country."
    return (f"EDGAR 2024 emissions allocated to WIOD sector {sec.code} by JRC sector CO2 shares, by MRIO region. "
            + method_text(meta))


def _sector_rank(acc, q: Query, params: dict) -> ChartOutput:
    from components.sector_view import TOP_N, build_sector_ranking_figure

    sec = _sector(params)
    ranks, meta = _sector_ranks(acc, q, sec)
    mrio = sec.kind == "mrio"
    fig = build_sector_ranking_figure(ranks, sec.name, q.year, q.gases, mrio, meta)
    return ChartOutput(fig, ranks.reset_index(drop=True),
                       f"{sec.name}: emissions by {'MRIO region' if mrio else 'country'}, {q.year}",
                       _sector_method(sec, meta), _sector_sources(sec),
                       (f"The chart shows the largest {TOP_N}; the data has every {'region' if mrio else 'country'}.",))


def _sector_map(acc, q: Query, params: dict) -> ChartOutput:
    from components.sector_view import build_sector_map_figure

    sec = _sector(params)
    ranks, meta = _sector_ranks(acc, q, sec)
    fig = build_sector_map_figure(ranks, sec.name, q.year, q.gases, sec.kind == "mrio", meta)
    mapped = ranks["code"].str.fullmatch(r"[A-Z]{3}") & (ranks["code"] != "ROW") & (ranks["emissions_mt_co2e"] > 0)
    return ChartOutput(fig, ranks[mapped].reset_index(drop=True), f"{sec.name}: where the emissions happen, {q.year}",
                       _sector_method(sec, meta) + " Logarithmic colour scale.", _sector_sources(sec),
                       ("Bunkers and the WIOD rest of the world are not mapped.",))


def _sector_intensity(acc, q: Query, params: dict) -> ChartOutput:
    from components.sector_view import build_intensity_figure, method_text
    from engine.accounts import sectors

    sec = _sector(params, mrio_only=True)
    _sector_ranks(acc, q, sec)
    inten = sectors.mrio_sector_intensity(acc, q, sec.code)
    meta = dict(inten.attrs)
    data = inten.sort_values("intensity_kg_per_usd", ascending=False, ignore_index=True)
    return ChartOutput(build_intensity_figure(inten, sec.name, q.gases, meta), data,
                       f"{sec.name}: emission intensity of output by region, {q.year}",
                       f"Intensity = the sector's emissions ÷ its gross output (USD of {meta.get('structure_year')}). "
                       + method_text(meta), ("wiod", "jrc", "edgar"))


def _sector_foreign(acc, q: Query, params: dict) -> ChartOutput:
    from components.sector_view import build_foreign_share_figure, method_text
    from engine.accounts import sectors

    sec = _sector(params)
    _sector_ranks(acc, q, sec)
    foreign = sectors.foreign_demand_share(acc, q, sec.code)
    meta = dict(foreign.attrs)
    data = foreign.sort_values("foreign_share", ascending=False, ignore_index=True)
    data = data.assign(foreign_share_pct=100 * data["foreign_share"]).drop(columns="foreign_share")
    notes = (meta["approximation"],) if meta.get("approximation") else ()
    world = meta.get("world_share")
    if world is not None and pd.notna(world):
        notes += (f"World share: {100 * world:.1f} %.",)
    return ChartOutput(build_foreign_share_figure(foreign, sec.name, q.gases, meta), data,
                       f"{sec.name}: share serving foreign final demand, {q.year}",
                       "Embodied flows f∘(L·Y) to final demand in other regions ÷ the sector's emissions. "
                       + method_text(meta), ("wiod", "jrc", "edgar"), notes)


# ---- trade ----------------------------------------------------------------------------------------------------
TRADE_METHOD = "Embodied flows f∘(L·Y), producer → consumer of final demand. "
TRADE_NOTE = ("EDGAR 2024 emissions allocated to the 35 WIOD 2013 sectors by JRC sector CO2 shares, traced through "
              "L = (I − A)⁻¹ to the final demand Y of each consuming region; countries outside WIOD's 40 are pooled in "
              "its rest of the world (RoW); direct household emissions and international bunkers are not traded "
              "flows. 2012–2023: nowcast on the structure of 2011 with final demand scaled by GDP volume.")


def _trade(acc, q: Query):
    flows = acc.flows(q)
    meta = dict(flows.attrs) | {"year": q.year}
    if meta["method"] == "production-only":
        raise ValueError(f"{no_io_table}: no trade flows for {q.year}; choose 1995–2023")
    names = acc.names()
    if q.grouping == "custom":
        names = {**names, q.name: q.name}
    return flows, meta, names


def _trade_method(meta: dict) -> str:
    from components.sector_view import method_text

    return TRADE_METHOD + method_text(meta)


def _trade_sankey(acc, q: Query, params: dict) -> ChartOutput:
    from components.trade_view import N_SANKEY, build_sankey_figure, inter_regional

    flows, meta, names = _trade(acc, q)
    d = inter_regional(flows).head(N_SANKEY)
    data = pd.DataFrame({"producer": d["producer"], "producer_name": [names.get(c, c) for c in d["producer"]],
                         "consumer": d["consumer"], "consumer_name": [names.get(c, c) for c in d["consumer"]],
                         "emissions_mt_co2e": d["emissions_mt_co2e"]})
    return ChartOutput(build_sankey_figure(flows, names, q.gases, meta), data,
                       f"Largest emission flows embodied in trade, {q.year}",
                       _trade_method(meta) + f" The {N_SANKEY} largest flows between regions.",
                       ("wiod", "jrc", "edgar"), (TRADE_NOTE,))


def _matrix_for_print(fig: go.Figure) -> go.Figure:
    """Horizontal column labels when they fit, so the x-axis title stays above the report footnote (the page tilts
    them by 45° and moves its own footnote further down; decorate() puts the report footnote 48 px under the plot)."""
    cols = [str(c) for c in (fig.data[0].x if fig.data and fig.data[0].x is not None else ())]
    if cols and 6.5 * max(map(len, cols)) <= 1000 / len(cols):  # ~6.5 px per 10 px character, ~1000 px of plot
        fig.update_xaxes(tickangle=0, title_standoff=6)
    return fig


def _trade_matrix(acc, q: Query, params: dict) -> ChartOutput:
    from components.trade_view import N_MATRIX, build_trade_matrix_figure, trade_matrix

    flows, meta, names = _trade(acc, q)
    m = trade_matrix(flows)
    long = m.stack(future_stack=True).rename("emissions_mt_co2e").reset_index() if not m.empty else \
        pd.DataFrame(columns=["producer", "consumer", "emissions_mt_co2e"])
    long = long[long["emissions_mt_co2e"].notna()]
    data = pd.DataFrame({"producer": long["producer"], "producer_name": [names.get(c, c) for c in long["producer"]],
                         "consumer": long["consumer"], "consumer_name": [names.get(c, c) for c in long["consumer"]],
                         "emissions_mt_co2e": long["emissions_mt_co2e"]}).reset_index(drop=True)
    return ChartOutput(_matrix_for_print(build_trade_matrix_figure(flows, names, q.gases, meta)), data,
                       f"Who produces for whom: embodied emissions, {q.year}",
                       _trade_method(meta) + f" {N_MATRIX} regions with the most trade; Other pools the rest.",
                       ("wiod", "jrc", "edgar"), ("Domestic flows (producer = consumer) are left out.", TRADE_NOTE))


def _trade_net(acc, q: Query, params: dict) -> ChartOutput:
    from components.trade_view import build_net_trade_figure, net_trade_table

    flows, meta, names = _trade(acc, q)
    table = net_trade_table(flows, names)
    return ChartOutput(build_net_trade_figure(table, q.gases, meta), table,
                       f"Net exporters and importers of embodied emissions, {q.year}",
                       _trade_method(meta) + " Net = exports − imports.", ("wiod", "jrc", "edgar"),
                       ("The chart shows the 10 largest net exporters and importers; the data has every region.",
                        ("Exports: emitted in the region for other regions' final demand; imports: emitted elsewhere "
                         "for the region's final demand."), TRADE_NOTE))


# ---- compare --------------------------------------------------------------------------------------------------
COMPARE_SCALES = ("absolute", "per_capita")


def _compare_params(acc, q: Query, params: dict) -> tuple[Query, tuple[str, ...], str]:
    """(Query, codes, scale) of a comparison: the page's ``codes`` (2–8 known regions; the page's default comparison
    when none are given, as ``/compare`` shows it) and ``scale``; raises ValueError naming what is wrong."""
    from components import compare_view as cv

    raw = params.get("codes")
    codes = cv.DEFAULT_CODES if raw in (None, "") else cv.check_codes(acc, raw)
    scale = str(params.get("scale") or "absolute")
    if scale not in COMPARE_SCALES:
        raise ValueError(f"scale must be one of {', '.join(COMPARE_SCALES)}; got {scale[:40]!r}")
    return q.replace(grouping="countries", members=(), name=Query().name), codes, scale


def _compare_series(acc, q: Query, params: dict) -> ChartOutput:
    from components import compare_view as cv

    q, codes, scale = _compare_params(acc, q, params)
    account = q.perspective
    frame = cv.measure_frame(cv.series(acc, q, codes), account, scale)
    fig = cv.build_series_figure(frame, account, scale, q.ci, q.year, cv.shared_row(acc, codes))
    unit = "t_co2e_per_person" if scale == "per_capita" else "mt_co2e"
    data = frame.rename(columns={"code": "region_code", "name": "region_name", "value": f"{account}_{unit}",
                                 "value_lo": f"{account}_{unit}_lo", "value_hi": f"{account}_{unit}_hi"})
    iv = _intervals(acc, q)
    return ChartOutput(fig, data.reset_index(drop=True), fig.layout.title.text,
                       "Each region as in its own ledger (groups, continents: sums of members). Dashed: nowcast on the "
                       "2011 table (modelled). † consumption a share of WIOD's rest of the world.",
                       ("edgar", "wiod", "jrc", "gcb", "modis"),
                       (f"Measure: {cv.measure_title(account, scale)} (the Query's perspective; scale={scale}).",
                        "method: mrio (a WIOD table), nowcast (modelled on the 2011 table) or production-only (no "
                        "consumption account before 1995).", iv["interval_note"]), **iv)


def _compare_table(acc, q: Query, params: dict) -> ChartOutput:
    from components import compare_view as cv

    q, codes, _ = _compare_params(acc, q, params)
    kf = cv.key_figures(acc, q, codes)
    data = kf.rename(columns={"code": "region_code", "name": "region_name", "kind": "region_kind",
                              "population": "population_persons", "row_members": "members_in_wiod_rest_of_world",
                              "n_members": "member_countries"}).reset_index(drop=True)
    iv = _intervals(acc, q)
    return ChartOutput(cv.build_table_figure(kf), data, f"Key figures, {q.year}",
                       "Ledger values of each region for the year; changes from 1990 and 2005 to the year [%]. "
                       "† consumption (partly) a production share of WIOD's rest of the world.",
                       ("edgar", "wiod", "jrc", "gcb", "modis"),
                       ("consumption_account: what the region's consumption account rests on (a country inside WIOD's "
                        "rest of the world has a production share of RoW's consumption, not its own).",
                        "Columns *_lo and *_hi: the interval of the column before them.", iv["interval_note"]), **iv)


# ---- industry and CBAM ------------------------------------------------------------------------------------------
INDUSTRY_SOURCES = ("cbam", "industry", "ember")
#: Page parameters of the industry charts beyond the Query (whose year is the calibration year and ci the level).
INDUSTRY_PARAMS = ("country", "cn", "eaf_share", "dri_share_of_eaf", "h2_share_of_dri", "grid_intensity",
                   "clean_power_share", "clinker_ratio", "kiln_fuel_mix", "ccs_capture", "ccs_scope",
                   "smelter_clean_share", "ammonia_coal_share", "h2_electrolysis_share", "cbam_year", "carbon_price")
INDUSTRY_METHOD = ("Model estimates: process routes with cited parameter ranges calibrated per country (production, "
                   "Ember grid intensity); CBAM default values as published in IR (EU) 2025/2621.")


def _industry_print(fig: go.Figure) -> go.Figure:
    """An industry figure for a picture export: the legend above the plot (the page keeps it at the foot of the
    figure, where the export draws its footer over it)."""
    fig.update_layout(legend=dict(orientation="h", yref="paper", x=0, y=1.02, yanchor="bottom"))
    return fig


def _industry_state(acc, q: Query, params: dict):
    """(Industry, Scenario, good, ci) of an industry chart's parameters (ValueError naming what is wrong)."""
    from components import industry_view as iv
    from components.runtime import industry_for
    from engine.industry import Scenario

    ind = industry_for(acc)
    kw = {k: v for k, v in params.items() if k not in ("cn",) and v not in (None, "")}
    kw.setdefault("country", iv.DEFAULT_COUNTRY)
    s = Scenario.from_params({**kw, "year": q.year})
    if s.country not in ind.countries():
        raise ValueError(f"unknown country {s.country!r} (ISO3 codes with production data or a CBAM default value)")
    good = str(params.get("cn") or iv.DEFAULT_CN).replace(" ", "")
    if good not in iv.GOOD_BY_VALUE:
        raise ValueError(f"cn must be one of {', '.join(iv.GOOD_BY_VALUE)}; got {good[:20]!r}")
    return ind, s, good, q.ci


def _industry_breakdown(acc, q: Query, params: dict) -> ChartOutput:
    from components import industry_view as iv

    ind, s, good, ci = _industry_state(acc, q, params)
    df = iv.breakdown(ind, s.country, good, s.year, ci)
    fig = iv.build_breakdown_figure(df)
    a = df.attrs
    data = df.rename(columns={"value": "t_co2e_per_t", "value_lo": "t_co2e_per_t_lo", "value_hi": "t_co2e_per_t_hi"})
    return ChartOutput(_industry_print(fig), data, fig.layout.title.text, INDUSTRY_METHOD, INDUSTRY_SOURCES,
                       (f"Total on the CBAM boundary {a['total']:.3f} t CO2e/t ({ci} % interval {a['total_lo']:.3f}–"
                        f"{a['total_hi']:.3f}); CBAM default {a['default_total']} t CO2e/t; verdict: default "
                        f"{a['verdict']}.", a["model_note"]),
                       query_text=f"{s.country}, {good}, calibration {s.year}", ci=ci,
                       interval_note=f"{ci} % Monte Carlo interval over the industry parameter table")


def _industry_defaults(acc, q: Query, params: dict) -> ChartOutput:
    from components import industry_view as iv

    ind, s, good, ci = _industry_state(acc, q, params)
    t = iv.across_countries(ind, s.country, good, s.year, ci)
    fig = iv.build_defaults_figure(t, iv.GOOD_BY_VALUE[good][3])
    cols = ["iso3", "country", "cn_code", "description", "route", "fallback", "default_total", "default_2026",
            "default_2027", "default_2028", "ours", "ours_lo", "ours_hi", "ratio", "verdict"]
    return ChartOutput(_industry_print(fig), t[cols].rename(columns={c: f"{c}_t_co2e_per_t" for c in cols if c.startswith(
                           ("default_", "ours"))}), fig.layout.title.text, INDUSTRY_METHOD, INDUSTRY_SOURCES,
                       ("verdict: the default above, inside or below our interval.",),
                       query_text=f"{good}, China, the ten largest exporters to the EU and {s.country}, "
                                  f"calibration {s.year}", ci=ci,
                       interval_note=f"{ci} % Monte Carlo interval over the industry parameter table")


def _industry_claim(acc, q: Query, params: dict) -> ChartOutput:
    from components import industry_view as iv

    ind, s, _, ci = _industry_state(acc, q, params)
    summary = ind.claim_summary(s.year, ci)
    names = iv.country_names(ind)
    fig = iv.build_claim_figure(summary, names)
    data = summary.reset_index(drop=True)
    data["share_above_pct"] = 100.0 * data.pop("share_above")
    return ChartOutput(_industry_print(fig), data, fig.layout.title.text, INDUSTRY_METHOD,
                       INDUSTRY_SOURCES, (iv.claim_verdict_line(summary, names),),
                       query_text=f"China and the ten largest exporters to the EU, calibration {s.year}", ci=ci,
                       interval_note=f"{ci} % Monte Carlo interval over the industry parameter table")


def _industry_scenario(acc, q: Query, params: dict) -> ChartOutput:
    from components import industry_view as iv

    ind, s, _, _ = _industry_state(acc, q, params)
    res = ind.scenario(s)
    fig = iv.build_scenario_figure(res)
    data = iv.scenario_intensities(res).rename(columns={"baseline": "before_t_co2e_per_t",
                                                        "scenario": "after_t_co2e_per_t"})
    em = res.emissions
    return ChartOutput(_industry_print(fig), data, fig.layout.title.text, INDUSTRY_METHOD, INDUSTRY_SOURCES,
                       (f"Scenario: {s.to_query_string()}.",
                        f"National emissions of steel, cement and aluminium: {em.loc['total', 'baseline_mt']:,.1f} -> "
                        f"{em.loc['total', 'scenario_mt']:,.1f} Mt CO2e (model estimate).", *res.notes),
                       query_text=f"{s.country}, calibration {s.year}, scenario {s.to_query_string()}")


def _industry_cost(acc, q: Query, params: dict) -> ChartOutput:
    from components import industry_view as iv

    ind, s, _, _ = _industry_state(acc, q, params)
    res = ind.scenario(s)
    fig = iv.build_cost_figure(res)
    c = res.cbam_costs
    data = c.rename(columns={k: f"{k}_eur_per_t" for k in ("cost_default", "cost_baseline", "cost_scenario")})
    return ChartOutput(_industry_print(fig), data, fig.layout.title.text, INDUSTRY_METHOD, INDUSTRY_SOURCES,
                       (f"Import year {c.attrs.get('import_year')}, carbon price {c.attrs.get('price'):g} EUR/t CO2e.",
                        *res.notes[-1:]),
                       query_text=f"{s.country}, calibration {s.year}, scenario {s.to_query_string()}")


# ---- green exports --------------------------------------------------------------------------------------------
GREEN_SOURCES = ("ember_solar", "owid_solar", "ember")
#: The authored tables of the model (not registry sources; quoted as a note under every green-exports export).
GREEN_TABLES = ("Authored tables: data/green_exports_parameters.csv (Müller et al. 2021 for PV, NREL LCA harmonisation "
                "for wind, IRENA capacity factors; sources per row on Data & methods) and data/wind_exports_china.csv "
                "(China Wind Energy Association 2025).")
#: Page parameters of the green-exports charts (the page's whole query string; the Query is not used: its year range
#: ends before the export years, hence ``export_year``).
GREEN_PARAMS = ("export_year", "tech", "ci", "size", "metric", "pv_lifetime_yr", "wind_lifetime_yr", "pv_degradation_pct",
                "installation_share", "displacement", "grid_decline_pct", "manufacturing_grid_g_kwh",
                "pv_commodities")
GREEN_METHOD = ("Model estimates: exported MW × installation share × capacity factor × 8,760 h × degradation × "
                "displaced grid intensity over the lifetime, against the manufacturing LCA footprint.")


def _green_print(fig: go.Figure) -> go.Figure:
    """A green-exports figure for a picture export: the legend above the plot (the export draws its footer below)."""
    fig.update_layout(legend=dict(orientation="h", yref="paper", x=0, y=1.02, yanchor="bottom"))
    return fig


def _green_state(acc, params: dict):
    from components import green_view as gv
    from components.runtime import green_exports_for

    ge = green_exports_for(acc)
    return ge, gv.state_from_chart_params(ge, params)


def _green_query_text(s) -> str:
    from components import green_view as gv

    qs = s.params.to_query_string()
    return f"{s.year} exports of {gv.techs_words(s.techs, lower=True)}, " + (f"parameters {qs}" if qs else
                                                                        "default parameters")


def _green_iv(res) -> dict:
    from components import green_view as gv

    return {"ci": res.ci, "interval_note": f"{res.ci} % of {gv.PAGE_DRAWS} Monte Carlo draws over the green-exports "
                                           "parameter table"} if res.ci else {}


def _green_map(acc, q: Query, params: dict) -> ChartOutput:
    from components import green_view as gv

    ge, s = _green_state(acc, params)
    res = gv.result(ge, s)
    frame = gv.by_destination(res)
    fig = gv.build_flow_map(frame, gv.destination_points(acc), s.size, s.year, s.techs)
    data = gv.with_units(frame.rename(columns={"techs": "tech"}))
    return ChartOutput(fig, data, fig.layout.title.text, GREEN_METHOD, GREEN_SOURCES,
                       (GREEN_TABLES, "Central values, both techs added per destination; the bar chart's data has the "
                        "intervals.",
                        *res.notes), query_text=_green_query_text(s))


def _green_bars(acc, q: Query, params: dict) -> ChartOutput:
    from components import green_view as gv

    ge, s = _green_state(acc, params)
    res = gv.result(ge, s)
    fig = gv.build_bars_figure(gv.top_rows(res), s.year, s.techs, res.ci)
    tot = gv.total_row(res)
    return ChartOutput(_green_print(fig), gv.destinations_table(res), fig.layout.title.text, GREEN_METHOD,
                       GREEN_SOURCES,
                       (GREEN_TABLES, f"Total: manufacturing {tot['manufacturing_mt']:,.2f} Mt CO2e, avoided "
                        f"{tot['avoided_mt_per_year']:,.1f} Mt CO2e in the first year and "
                        f"{tot['avoided_mt_lifetime']:,.0f} Mt CO2e over the lifetime (model estimates).",
                        f"The chart shows the {gv.N_BARS} largest destinations; the data has every destination.",
                        *res.notes), query_text=_green_query_text(s), **_green_iv(res))


def _green_tornado(acc, q: Query, params: dict) -> ChartOutput:
    from components import green_view as gv

    ge, s = _green_state(acc, params)
    t = ge.tornado(s.year, s.techs, s.params, metric=s.metric)
    fig = gv.build_tornado_figure(t, s.metric, s.year)
    unit = "ratio" if s.metric == "ratio" else "mt_co2e"
    data = t.reset_index(drop=True).rename(columns={c: f"{c}_{unit}" for c in ("result_low", "result_high",
                                                                             "result_central", "swing")})
    return ChartOutput(_green_print(fig), data, fig.layout.title.text, GREEN_METHOD,
                       GREEN_SOURCES, (GREEN_TABLES, f"Metric: {s.metric} ({gv.METRICS[s.metric]}).",
                                       gv.CAPTIONS["tornado"]),
                       query_text=_green_query_text(s))


def _green_claim(acc, q: Query, params: dict) -> ChartOutput:
    from components import green_view as gv

    ge, _ = _green_state(acc, params)  # the page's parameters are checked, though the claims fix their own
    claims = ge.claim_check(2024)
    fig = gv.build_claim_figure(claims)
    return ChartOutput(_green_print(fig), gv.with_units(claims.reset_index(drop=True)), fig.layout.title.text,
                       GREEN_METHOD,
                       (*GREEN_SOURCES, "claim"), (GREEN_TABLES, gv.claim_verdict_line(claims)),
                       query_text="2024 exports, the scopes of each published claim")


# ---- product footprints (LCA) -------------------------------------------------------------------------------------
LCA_SOURCES = ("wiod", "jrc", "edgar", "ember", "industry")
#: Page parameters of the footprint charts (the page's whole query string, :data:`components.lca_view.PARAMS`).
#: The year, GWP set and interval level are the Query's (``year``, ``gwp``, ``ci``: the page always writes the year).
LCA_PARAMS = ("template", "product", "amount", "unit", "country", "boundary", "use_kwh", "use_country", "amounts",
              "origins", "inv", "compare", "step")
#: The authored tables of the footprint model (quoted as a note under every footprint export).
LCA_TABLES = ("Authored tables: data/lca_factors.csv (transport factors, currency rates, deflator) and "
              "data/lca_templates/*.json (inventories with a source per line); sources on Data & methods "
              "(/data#footprint).")
LCA_METHOD = ("Model estimates: tiered hybrid LCA (Suh and Huppes 2005): process goods by industry routes, grid "
              "electricity (Ember), transport factors, purchases by WIOD multipliers.")
#: The footprint charts in the order of the report (the first is the report's summary page).
LCA_CHARTS = ("lca-report", "lca-contrib", "lca-where", "lca-what", "lca-tiers", "lca-sensitivity", "lca-paths",
              "lca-compare")


def lca_state(acc, q: Query, params: dict):
    """(LCA, page state) of a footprint chart's Query (year, GWP set, interval level) and page parameters;
    ValueError naming every bad value (the page shows them as notices, an export refuses them)."""
    from components import lca_view as lv
    from components.runtime import lca_for

    lca = lca_for(acc)
    args = {k: v for k, v in params.items() if v not in (None, "")}
    args.update(year=q.year, gwp=q.gwp, ci=q.ci)
    s, problems = lv.parse_state(lca, args)
    if problems:
        raise ValueError("; ".join(problems))
    return lca, s


def lca_outputs(acc, lca, s, only: tuple[str, ...] = LCA_CHARTS) -> dict[str, ChartOutput]:
    """The footprint charts of one state (one engine run, the comparison only when asked for)."""
    from components import lca_view as lv

    res = lv.result(lca, s)
    names = acc.names()
    sc = s.scope
    text = (f"{sc.product}, {sc.amount:g} {sc.unit} made in {sc.country}, {sc.year}, {lv.GWP_LABELS[sc.gwp]}, "
            f"{lv.BOUNDARY_LABELS[sc.boundary].lower()}" + (f" ({sc.use_kwh:g} kWh in {sc.use_country})"
                                                           if sc.use_kwh else "") +
            f", template {s.template}")
    iv = {"ci": res.ci, "interval_note": f"{res.ci} % of {res.draws} seeded Monte Carlo draws (seed {res.seed}): "
                                        "emission and table errors of purchases, the industry parameter table, grid "
                                        "and transport ranges"}
    notes = (LCA_TABLES, *res.notes)
    out = {}
    for name in only:
        if name == "lca-report":
            fig = lv.build_gas_figure(res)
            data = res.totals.rename(columns={"kg": "kg_gas"}).assign(
                share_pct=100 * res.totals["kg_co2e"] / res.total if res.total else float("nan"))
            scope = "; ".join(f"{k}: {v}" for k, v in lv.scope_rows(res))
            out[name] = ChartOutput(_green_print(fig), data, fig.layout.title.text, LCA_METHOD, LCA_SOURCES,
                                    (f"Study: {scope}.", *notes), query_text=text, **iv)
        elif name == "lca-contrib":
            fig = lv.build_contrib_figure(res)
            t = res.lines.drop(columns=["share"]).assign(share_pct=100 * res.lines["share"])
            out[name] = ChartOutput(fig, t, fig.layout.title.text, LCA_METHOD, LCA_SOURCES, notes, query_text=text,
                                    **iv)
        elif name == "lca-where":
            t = lv.where_table(res, names)
            fig = lv.build_country_figure(t, res)
            out[name] = ChartOutput(_green_print(fig), t, fig.layout.title.text, LCA_METHOD, LCA_SOURCES, notes,
                                    query_text=text)
        elif name == "lca-what":
            t = lv.what_table(res)
            fig = lv.build_sector_figure(t, res)
            out[name] = ChartOutput(fig, t, fig.layout.title.text, LCA_METHOD, LCA_SOURCES, notes, query_text=text)
        elif name == "lca-tiers":
            t = lv.tiers_frame(res)
            fig = lv.build_tiers_figure(t, res)
            t = t.assign(share_pct=100 * t["kg_co2e"] / res.total if res.total else float("nan"))
            out[name] = ChartOutput(_green_print(fig), t, fig.layout.title.text, LCA_METHOD, LCA_SOURCES,
                                    (*notes, res.tiers.attrs.get("note", "")), query_text=text)
        elif name == "lca-sensitivity":
            fig = lv.build_sensitivity_figure(res)
            t = res.sensitivity.rename(columns={"total_low": "total_low_kg_co2e", "total_high": "total_high_kg_co2e",
                                                "swing": "swing_kg_co2e"})
            t["swing_pct"] = 100 * t["swing_kg_co2e"] / res.total if res.total else float("nan")
            out[name] = ChartOutput(_green_print(fig), t, fig.layout.title.text, LCA_METHOD,
                                    LCA_SOURCES, notes, query_text=text)
        elif name == "lca-paths":
            t = lv.paths_table(res, names)
            fig = lv.build_paths_figure(t, res)
            out[name] = ChartOutput(fig, t, fig.layout.title.text, LCA_METHOD, LCA_SOURCES,
                                    (*notes, "Each chain runs from the purchase to the industry where the gas is "
                                     "emitted (structural path analysis of the money lines)."), query_text=text)
        elif name == "lca-compare":
            cmp = lv.comparison(lca, s)
            fig = lv.build_compare_figure(cmp, res, names)
            out[name] = ChartOutput(fig, cmp.assign(name=[names.get(c, c) for c in cmp["country"]],
                                                    vs_base_pct=100 * cmp["vs_base"]),
                                    fig.layout.title.text, LCA_METHOD, LCA_SOURCES,
                                    (*notes, "Central values; the producer's lines move with the country, imports "
                                     "keep their origin."), query_text=text)
    return out


def _lca_chart(name: str):
    def build(acc, q: Query, params: dict) -> ChartOutput:
        lca, s = lca_state(acc, q, params)
        return lca_outputs(acc, lca, s, (name,))[name]
    return build


#: The registry (name -> spec), read-only after import: pages and the export routes read it. Every exportable chart
#: of every page is listed here (add new charts to this tuple).
CHARTS: dict[str, ChartSpec] = {s.name: s for s in (
    ChartSpec("home-world-ghg", "World greenhouse-gas emissions by gas", "/", _home_world),
    ChartSpec("home-budget", "Global carbon budget", "/", _home_budget),
    ChartSpec("country-series", "Country time series", "/country", _country_series, ("code",)),
    ChartSpec("country-sectors", "Country emissions by sector and gas", "/country", _country_sectors, ("code",)),
    ChartSpec("country-bridge", "Country production to panoramic", "/country", _country_bridge, ("code",)),
    ChartSpec("country-partners", "Country trading partners", "/country", _country_partners, ("code",)),
    ChartSpec("country-uncertainty", "What drives the uncertainty of a country's accounts", "/country",
              _country_uncertainty, ("code",)),
    ChartSpec("ledger-map", "Ledger world map", "/ledger", _ledger_map, optional=("scale",)),
    ChartSpec("ledger-adjustment", "Consumption vs production, largest producers", "/ledger", _ledger_adjustment),
    ChartSpec("ledger-headline", "Headline comparison with the CAS claim and GCB", "/ledger", _ledger_headline),
    ChartSpec("ledger-table", "The full ledger (table)", "/ledger", _ledger_table),
    ChartSpec("sector-rank", "Sector emissions by country or region", "/sector", _sector_rank, ("code",)),
    ChartSpec("sector-map", "Sector emissions world map", "/sector", _sector_map, ("code",)),
    ChartSpec("sector-intensity", "Sector emission intensity by region", "/sector", _sector_intensity, ("code",)),
    ChartSpec("sector-foreign", "Sector share serving foreign final demand", "/sector", _sector_foreign, ("code",)),
    ChartSpec("trade-sankey", "Largest emission flows embodied in trade", "/trade", _trade_sankey),
    ChartSpec("trade-matrix", "Embodied emissions, producer × consumer", "/trade", _trade_matrix),
    ChartSpec("trade-net", "Net exporters and importers of embodied emissions", "/trade", _trade_net),
    ChartSpec("compare-series", "Comparison of regions over the years", "/compare", _compare_series,
              optional=("codes", "scale")),
    ChartSpec("compare-table", "Comparison of regions: key figures", "/compare", _compare_table,
              optional=("codes", "scale")),
    ChartSpec("industry-breakdown", "Industry: route breakdown of a CBAM good", "/industry", _industry_breakdown,
              optional=INDUSTRY_PARAMS),
    ChartSpec("industry-defaults", "Industry: CBAM default vs localised across countries", "/industry",
              _industry_defaults, optional=INDUSTRY_PARAMS),
    ChartSpec("industry-claim", "Industry: the claim table (China and ten exporters)", "/industry", _industry_claim,
              optional=INDUSTRY_PARAMS),
    ChartSpec("industry-scenario", "Industry: scenario intensities before and after", "/industry",
              _industry_scenario, optional=INDUSTRY_PARAMS),
    ChartSpec("industry-cost", "Industry: CBAM cost per tonne before and after", "/industry", _industry_cost,
              optional=INDUSTRY_PARAMS),
    ChartSpec("green-map", "Green exports: flow map from China", "/green-exports", _green_map,
              optional=GREEN_PARAMS),
    ChartSpec("green-bars", "Green exports: manufacturing vs avoided by destination", "/green-exports", _green_bars,
              optional=GREEN_PARAMS),
    ChartSpec("green-tornado", "Green exports: which parameters move the answer", "/green-exports",
              _green_tornado, optional=GREEN_PARAMS),
    ChartSpec("green-claim", "Green exports: the claim check", "/green-exports", _green_claim,
              optional=GREEN_PARAMS),
    ChartSpec("lca-report", "Product footprint: report summary", "/footprint", _lca_chart("lca-report"),
              optional=LCA_PARAMS),
    ChartSpec("lca-contrib", "Product footprint: contribution by input", "/footprint", _lca_chart("lca-contrib"),
              optional=LCA_PARAMS),
    ChartSpec("lca-where", "Product footprint: where the emissions happen", "/footprint", _lca_chart("lca-where"),
              optional=LCA_PARAMS),
    ChartSpec("lca-what", "Product footprint: by sector and process", "/footprint", _lca_chart("lca-what"),
              optional=LCA_PARAMS),
    ChartSpec("lca-tiers", "Product footprint: by supply-chain tier", "/footprint", _lca_chart("lca-tiers"),
              optional=LCA_PARAMS),
    ChartSpec("lca-sensitivity", "Product footprint: sensitivity ranking", "/footprint",
              _lca_chart("lca-sensitivity"), optional=LCA_PARAMS),
    ChartSpec("lca-paths", "Product footprint: top structural paths", "/footprint", _lca_chart("lca-paths"),
              optional=LCA_PARAMS),
    ChartSpec("lca-compare", "Product footprint: the same product made elsewhere", "/footprint",
              _lca_chart("lca-compare"), optional=LCA_PARAMS),
)}

