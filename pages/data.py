"""Data & methods: what a researcher needs to get any number again — the version and data pack the app serves, every
source with its licence, citation, link and the pages that use it (GeoNames and the GDP and population behind the
nowcast and per-capita figures included; sources mirrored for coming features shown apart), the published claims
the app compares itself with, the methods, a glossary and the uncertainty; the validation report is its own page.

No server path is shown: the data directory is named in words only.
"""

import logging
from typing import Final, final

import dash
import pandas as pd
from dash import dcc, html

from components import runtime
from components.cite import app_version, code_commit
from components.glossary import glossary_section, term
from components.messages import notice
from components.sources_table import (
    COMING,
    SourceStatus,
    cached_statuses,
    claims_section,
    coming_list,
    derived_table,
    package_table,
    sources_table,
)
from components.uncertainty_doc import uncertainty_section
from engine import __version__
from engine.core.config import AUTHORED_DIR
from engine.data.pack import PACK_VERSION
from engine.data.registry import load_registry


@final
class ID:
    """Component ids of the Data & methods page (one place: layout and tests use these)."""

    VERSION: Final = "version"  # the version block
    APP_VERSION: Final = "version-app"
    COMMIT: Final = "version-commit"
    PACK: Final = "version-pack"
    CLAIMS: Final = "claims"
    SOURCES: Final = "sources"
    PACKAGES: Final = "package-data"
    INPUTS: Final = "derived-inputs"
    COMING: Final = "coming"
    METHODS: Final = "methods"
    GLOSSARY: Final = "glossary"
    VALIDATION: Final = "validation-link"
    UNCERTAINTY: Final = "uncertainty"  # the section (components.uncertainty_doc)
    PARAMETERS: Final = "uncertainty-parameters"  # its parameter table
    INDUSTRY: Final = "industry"  # the industry and CBAM section (components.industry_view.industry_section)
    GREEN: Final = "green-exports"  # the green-exports section (components.green_view.green_section)
    FOOTPRINT: Final = "footprint"  # the product-footprint section (components.lca_view.lca_section)


dash.register_page(__name__, path="/data", name="Data & methods", order=90, title="Data & methods — Holocarbon",
                   description="Every public source Holocarbon reads: citation, license, years and status; the "
                               "version, the data pack and the validation report.")

METHODS = [
    ("Units", "Ledgers are in Mt CO2e per year, grids in t per cell per year; each table carries its unit in the "
              "column header and each chart in its axis title. 1 t C = 3.664 t CO2."),
    ("Verification", "Every source file is checked against the size and SHA-256 recorded in the project's "
                     "registry (data/sources.toml in the repository; also /api/v1/sources) before it is read; a "
                     "missing or altered file is reported here and never read."),
    ("Processed pack", "Raw files are converted once into a processed pack (parquet tables, NetCDF grids, "
                       "compressed matrices) whose id is a hash of the source checksums, the authored tables, the "
                       "engine code that reads them and the pack version, so the app starts in seconds, rebuilds "
                       "when any of them changes, and the same id means the same numbers."),
    ("Greenhouse-gas metrics", ["EDGAR publishes CH4 and N2O in CO2-equivalents with AR5 ", term("GWP"),
                                "100 factors; other GWP sets are applied by dividing by the AR5 factor and multiplying "
                                "by the chosen one. F-gases are published as one CO2e total and cannot be "
                                "re-weighted."]),
    ("Consumption-based accounts", [term("consumption-based", "Consumption-based"), " emissions E = f·L·y + h on the "
                                    "WIOD 2013 ", term("MRIO"), " table (41 regions × 35 sectors, 1995–2011), with "
                                    "EDGAR emissions allocated to its sectors by JRC CO2 shares. 2012–2023 use the "
                                    "2011 structure with each region's final demand scaled by its GDP volume (a ",
                                    term("nowcast"), ", labelled 'structure of 2011' and marked as modelled beside "
                                    "the year and in every export). Before 1995 only production is shown. Validation "
                                    "against GCB 2024: the ", dcc.Link("validation report", href="/validation"), "."]),
    ("Natural sources and sinks", ["Land-use change from the four GCB 2024 bookkeeping models (or their mean); global "
                                   "ocean and land sinks from the GCB budget. The land sink is attributed to countries "
                                   "and cells with MODIS forest/savanna cover weighted by Pan et al. (2011) biome sink "
                                   "densities, scaled to the GCB total: a modelled attribution, which the ",
                                   term("panoramic"), " account subtracts."]),
    ("Maps", "0.1° layers are computed from national totals: EDGAR sector totals spread by WRI fossil power plants, "
             "GPWv4 population refined with GeoNames city points and, inside each 1° cell, MODIS built-up and "
             "cropland (each 1° cell keeps its GPW count), or MODIS agricultural land (cropland and grassland, without the "
             "grassland of Arctic tundra: poleward of 60° in 1° cells with under 0.1 people per km², 2.5 million "
             "km², most of it in Canada and Russia). Fuel Exploitation's methane goes to "
             "GEM coal mines (underground mines weigh about 16 times surface mines per tonne, IPCC Tier 1 methane) "
             "and GEM oil and gas fields, split between them by each country's own points; its CO2 goes to VIIRS "
             "gas flares for the country's flaring share (12.5 % of the world's) and to industrial sites for the "
             "CO2 of refineries and coke ovens, so no coke-oven CO2 sits on a coal mine; "
             "Processes and Industrial Combustion go to GEM steel plants (by capacity and route: a blast furnace "
             "weighs about 13 times an electric arc furnace) and ICMM aluminium smelters for the share of the "
             "country's industry they explain (at most 60 %), the rest (cement and other industry) to population "
             "(data/sector_proxies.csv). Countries without such sites use population. Each country's cells "
             "sum to its total. The CDIAC NDP-058 1° grid is shown as an observed-based reference."),
    ("Ocean layer: net sea–air CO2 flux", "The map is the Takahashi et al. (2009) climatology: a contemporary net "
                                          "flux for the reference year 2000 (1°), uptake at high latitudes and "
                                          "natural outgassing of upwelled carbon in the tropics. Scaling all of it "
                                          "to the GCB ocean sink would multiply the outgassing too (by about 2 for "
                                          "2022); instead the outgassing cells keep their observed values (3.8 Gt "
                                          "CO2 a year, 1.04 Pg C) and only the uptake cells are scaled so that the "
                                          "map sums to the GCB ocean sink of the year (outgassing is set by the "
                                          "upwelling of old carbon-rich water, which the rise of atmospheric CO2 "
                                          "does not strengthen). Clicking a cell gives the Takahashi flux as "
                                          "published (g C m⁻² yr⁻¹). Coastal water cells the climatology leaves "
                                          "empty are filled from the mean of their filled neighbours, one 1° ring "
                                          "at a time through water only, for at most 3° (less than one of the "
                                          "climatology's 4° × 5° boxes); seas further from any climatology cell "
                                          "(Mediterranean, Baltic, Black and Red Seas, the Gulf, Hudson Bay, "
                                          "Indonesian seas, the central Arctic) and lakes are no data — "
                                          "transparent, said so in the legend and the cell panel, never zero flux. "
                                          "The 1° flux is applied to the water area of each 0.1° cell, so it "
                                          "follows the coast. The GCB sink is an anthropogenic flux, the "
                                          "climatology a contemporary one (it includes the outgassing of river "
                                          "carbon, 0.45–0.65 Pg C a year in the GCB's adjustments): the "
                                          "pattern is indicative, the total is GCB's."),
    ("Land-sink layer: what it can and cannot show", "Each 0.1° cell's weight is its area × (MODIS 2019 forest "
                                                     "fraction + 0.3 × savanna fraction) × a forest sink density "
                                                     "from Pan et al. (2011): tropical 0.85, temperate 1.02, boreal "
                                                     "0.44 t C ha⁻¹ yr⁻¹, blended smoothly over ±6° of latitude "
                                                     "around 23.5° and 50° (before, a step at 50° N drew a straight "
                                                     "line across Canada; the boreal–temperate ecotone spans about "
                                                     "44–56° N). The weights are scaled to the GCB land sink of the "
                                                     "year; the same weights attribute the sink to countries. It "
                                                     "shows where forests and savannas are, weighted by a biome "
                                                     "mean. It cannot show fire, insects, harvest, drought years, "
                                                     "forest age, CO2 fertilisation differences, sinks outside "
                                                     "forests (soils, wetlands) or land that is a net source: the "
                                                     "pattern is the same every year, only its total changes."),
    ("Map uncertainty", "The Atlas layer 'Uncertainty of emissions (%)' gives each cell's 95 % relative uncertainty "
                        "for the same year, gases and sector as the emissions map: the Solazzo et al. (2021) ranges "
                        "of its country's sectors and gases (inventory errors, independent between sectors and "
                        "gases) and each spatial proxy's own uncertainty (data/proxy_uncertainty.csv: power plants "
                        "50 %, population 100 %, agricultural land 80 %, …, each with its justification; shared by "
                        "the sectors spread with the same proxy), combined in quadrature weighted by each part's "
                        "share of the cell's emissions. The proxy part dominates almost everywhere: a cell is "
                        "known to about a factor of two, a country or a large zone much better (neighbouring cells' "
                        "errors compensate, which a per-cell map cannot show). A zone's total of this layer means "
                        "nothing (percentages do not add)."),
    ("Licenses", "EDGAR's fossil CO2 (IEA-EDGAR CO2) is CC BY-NC-ND 4.0 and GHG totals that contain it follow that "
                 "license; the app shows these numbers with citation and does not redistribute the files. "
                 "worldsteel data: Source: World Steel Association."),
]

SECTIONS = (("Version and data pack", ID.VERSION), ("Claims we test", ID.CLAIMS), ("Sources", ID.SOURCES),
            ("Data in packages", ID.PACKAGES), ("GDP and population", ID.INPUTS),
            ("Mirrored for coming features", ID.COMING), ("Methods", ID.METHODS), ("Validation", ID.VALIDATION),
            ("Uncertainty", ID.UNCERTAINTY), ("Industry and CBAM", ID.INDUSTRY), ("Green exports", ID.GREEN),
            ("Product footprints", ID.FOOTPRINT),
            ("Glossary", ID.GLOSSARY))

#: Status per source (memoised; shared with /api/v1/sources).
_statuses = cached_statuses


def without_paths(text: str) -> str:
    """A message with the server's folders replaced by words (the page never shows where files live)."""
    s = runtime.settings()
    for folder, words in ((s.raw_dir, "the raw data folder"), (s.pack_root, "the pack folder"),
                          (s.data_dir, "the data directory")):
        text = text.replace(str(folder), words)
    return text


def _uncertainty():
    """The Uncertainty section: the parameter table and the nowcast's measured error (when the pack is there)."""
    params = pd.read_csv(AUTHORED_DIR / "uncertainty_parameters.csv")
    nowcast = None
    unc = runtime.uncertainty()
    if unc is not None:
        try:
            nowcast = unc.nowcast_sigma()
        except Exception:  # noqa: BLE001 — the section stays without the measured number
            logging.getLogger("holocarbon").exception("nowcast sigma for the Data & methods page")
    return uncertainty_section(params, nowcast, ID.UNCERTAINTY, ID.PARAMETERS)


def _industry():
    """The Industry and CBAM section: method, boundary, what is not modelled, the parameter table with sources."""
    from components.industry_view import industry_section
    from engine.industry import parameters

    return industry_section(parameters.load().table, ID.INDUSTRY)


def _green():
    """The Green exports section: method, formula, what exports are not, the parameter tables with sources."""
    from components.green_view import green_section

    params = None
    try:
        ge = runtime.green_exports()
        params = ge.parameters() if ge is not None else None
    except Exception:  # noqa: BLE001 — the section stays, without the authored table
        logging.getLogger("holocarbon").exception("green-exports parameters for the Data & methods page")
    return green_section(params, ID.GREEN)


def _footprint():
    """The Product footprints section: ISO 14040/44 steps, the tiered hybrid, paths, Monte Carlo, the factor table
    and the templates with their sources, the limits."""
    from components.lca_view import lca_section, template_rows
    from engine.lca import factors

    table = None
    try:
        table = pd.read_csv(AUTHORED_DIR / factors.FILENAME, dtype={"key": str})
    except Exception:  # noqa: BLE001 — the section stays, without the factor table
        logging.getLogger("holocarbon").exception("LCA factor table for the Data & methods page")
    return lca_section(table, template_rows(None), ID.FOOTPRINT)


def version_block() -> html.Section:
    """The code version (and commit) and the data pack the app is serving: the two things that fix every number."""
    pack = runtime.pack()
    commit = code_commit()
    code = [html.Code(app_version(), id=ID.APP_VERSION), f" (release {__version__}, "]
    code += ["git commit ", html.Code(commit, id=ID.COMMIT), ")"] if commit else ["no git checkout)"]
    rows = [(html.Dt("Holocarbon"), html.Dd(code))]
    if pack is None:
        rows.append((html.Dt("Data pack"), html.Dd(notice(without_paths(runtime.pack_error()
                                                                         or "The processed pack is not built."),
                                                          "error", "Processed pack: "))))
    else:
        failed = pack.manifest.get("failed", {})
        rows += [
            (html.Dt("Data pack"), html.Dd([html.Code(pack.key, id=ID.PACK), f" (pack format {PACK_VERSION})"])),
            (html.Dt("Built"), html.Dd(f"{pack.manifest['built_at']} in {pack.manifest.get('seconds', 0):.0f} s: "
                                       f"{len(pack.manifest['items'])} items."
                                       + (f" {len(failed)} reader(s) could not run: " + "; ".join(failed)
                                          if failed else ""))),
        ]
    return html.Section([
        html.H2("Version and data pack"),
        html.P("Two ids fix every number Holocarbon shows: the version of the code and the id of the processed "
               "data pack (a hash of every source file, authored table and engine module it was built from). The "
               "“Cite this view” line at the foot of every page and in every export repeats both, with the page's "
               "full address, whose query holds every choice (year, gases, GWP, regions, perspective). The same "
               "version, pack and address give the same number.", className="narrow"),
        html.Dl([x for row in rows for x in row], className="version-block"),
    ], id=ID.VERSION)


def layout(**_query):
    registry = load_registry()
    statuses = [SourceStatus(registry[sid], ok, missing, corrupt)
                for sid, ok, missing, corrupt in _statuses(str(runtime.settings().data_dir))]
    used = [s for s in statuses if s.source.id not in COMING]
    coming = [s for s in statuses if s.source.id in COMING]
    n_files = sum(len(s.source.files) for s in statuses)
    n_ok = sum(s.ok for s in statuses)
    summary_kind = "info" if n_ok == n_files else "warning"
    return html.Div([
        html.H1("Data & methods"),
        html.P("Holocarbon reads only public files. Each is listed below with what it is used for, on which pages, "
               "the years it covers, its licence and how to cite it. Status is checked live against the registry "
               "checksums.", className="narrow"),
        html.Nav(html.Ul([html.Li(html.A(name, href=f"#{anchor}")) for name, anchor in SECTIONS],
                         className="on-this-page"), **{"aria-label": "On this page"}),
        version_block(),
        claims_section(ID.CLAIMS),
        html.Section([
            html.H2("Sources"),
            notice(f"{n_ok} of {n_files} source files present and verified against their registry checksums.",
                   summary_kind, "Status: "),
            sources_table(used, "sources-used"),
        ], id=ID.SOURCES),
        html.Section([
            html.H2("Data in packages"),
            html.P("Data that ships inside Python packages the app installs (their versions are pinned in "
                   "requirements.txt and are part of the pack id when the pack reads them).", className="narrow"),
            package_table(),
        ], id=ID.PACKAGES),
        html.Section([
            html.H2("GDP and population"),
            html.P(["The ", term("nowcast", uid="inputs"), " and the per-person figures need GDP and population. Both come from the "
                    "EDGAR booklet already listed above, which publishes emissions per unit of GDP and per person; "
                    "Holocarbon divides the totals by them."], className="narrow"),
            derived_table(),
        ], id=ID.INPUTS),
        html.Section([
            html.H2("Mirrored for coming features"),
            html.P("These sources are mirrored and verified with the others, but no page uses them yet: no number on "
                   "screen comes from them.", className="narrow"),
            coming_list(coming),
            sources_table(coming, "sources-coming", "coming-table"),
        ], id=ID.COMING),
        html.Section([
            html.H2("Methods"),
            html.Dl([item for title, text in METHODS for item in (html.Dt(title), html.Dd(text))],
                    className="methods"),
        ], id=ID.METHODS),
        html.Section([
            html.H2("Validation"),
            html.P(["The ", dcc.Link("validation report", href="/validation"), " compares Holocarbon with the Global "
                    "Carbon Budget 2024, the published 2011 input–output results, the CAS claim and the CDIAC grid, "
                    "and states the uncertainty; the project's tests assert the bounds it quotes."],
                   className="narrow"),
        ], id=ID.VALIDATION),
        _uncertainty(),
        _industry(),
        _green(),
        _footprint(),
        glossary_section(ID.GLOSSARY),
        html.P(["Source registry: ", html.Code("data/sources.toml"), " (in the repository; as JSON: ",
                html.A("/api/v1/sources", href="/api/v1/sources"), "). Command line: ",
                html.Code("python -m engine sources check"), "."]),
    ])
