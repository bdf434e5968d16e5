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
             "GPWv4 population refined with GeoNames city points, or MODIS agricultural land; each country's cells "
             "sum to its total. Sinks spread global totals by the Takahashi ocean-flux pattern and the land-cover "
             "proxy. The CDIAC NDP-058 1° grid is shown as an observed-based reference."),
    ("Licenses", "EDGAR's fossil CO2 (IEA-EDGAR CO2) is CC BY-NC-ND 4.0 and GHG totals that contain it follow that "
                 "license; the app shows these numbers with citation and does not redistribute the files. "
                 "worldsteel data: Source: World Steel Association."),
]

SECTIONS = (("Version and data pack", ID.VERSION), ("Claims we test", ID.CLAIMS), ("Sources", ID.SOURCES),
            ("Data in packages", ID.PACKAGES), ("GDP and population", ID.INPUTS),
            ("Mirrored for coming features", ID.COMING), ("Methods", ID.METHODS), ("Validation", ID.VALIDATION),
            ("Uncertainty", ID.UNCERTAINTY), ("Industry and CBAM", ID.INDUSTRY), ("Green exports", ID.GREEN),
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
        glossary_section(ID.GLOSSARY),
        html.P(["Source registry: ", html.Code("data/sources.toml"), " (in the repository; as JSON: ",
                html.A("/api/v1/sources", href="/api/v1/sources"), "). Command line: ",
                html.Code("python -m engine sources check"), "."]),
    ])
