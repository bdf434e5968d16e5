"""Data & methods: every source with citation, license, years covered and status; the pack; the methods."""

import logging
from typing import Final, final

import dash
import pandas as pd
from dash import html

from components import runtime
from components.messages import notice
from components.sources_table import SourceStatus, cached_statuses, sources_table
from components.uncertainty_doc import uncertainty_section
from engine.core.config import AUTHORED_DIR
from engine.data.pack import PACK_VERSION
from engine.data.registry import load_registry


@final
class ID:
    """Component ids of the Data & methods page (one place: layout and tests use these)."""

    UNCERTAINTY: Final = "uncertainty"  # the section (components.uncertainty_doc)
    PARAMETERS: Final = "uncertainty-parameters"  # its parameter table


dash.register_page(__name__, path="/data", name="Data & methods", order=90, title="Data & methods — Holocarbon",
                   description="Every public source Holocarbon reads: citation, license, years and status.")

METHODS = [
    ("Units", "Ledgers are in Mt CO2e per year, grids in t per cell per year; each table carries its unit in the "
              "column header and each chart in its axis title. 1 t C = 3.664 t CO2."),
    ("Verification", "Every source file is checked against the size and SHA-256 recorded in the project's "
                     "registry (data/sources.toml) before it is read; a missing or altered file is reported here and "
                     "never read."),
    ("Processed pack", "Raw files are converted once into a processed pack (parquet tables, NetCDF grids, "
                       "compressed matrices) keyed by the source checksums and the pack version, so the app starts "
                       "in seconds and rebuilds automatically when a source changes."),
    ("Greenhouse-gas metrics", "EDGAR publishes CH4 and N2O in CO2-equivalents with AR5 GWP100 factors; other "
                               "GWP sets are applied by dividing by the AR5 factor and multiplying by the chosen one. "
                               "F-gases are published as one CO2e total and cannot be re-weighted."),
    ("Consumption-based accounts", "E = f·L·y + h on the WIOD 2013 multi-regional input–output table (41 regions × 35 "
                                   "sectors, 1995–2011), with EDGAR emissions allocated to its sectors by JRC CO2 "
                                   "shares. 2012–2023 use the 2011 structure with each region's final demand scaled by "
                                   "its GDP volume (a nowcast, labelled 'structure of 2011'). Before 1995 only "
                                   "production is shown. Validation against GCB 2024: docs/validation.md."),
    ("Natural sources and sinks", "Land-use change from the four GCB 2024 bookkeeping models (or their mean); global "
                                  "ocean and land sinks from the GCB budget. The land sink is attributed to countries "
                                  "and cells with MODIS forest/savanna cover weighted by Pan et al. (2011) biome sink "
                                  "densities, scaled to the GCB total: a modelled attribution."),
    ("Maps", "0.1° layers are computed from national totals: EDGAR sector totals spread by WRI fossil power plants, "
             "GPWv4 population refined with GeoNames city points, or MODIS agricultural land; each country's cells "
             "sum to its total. Sinks spread global totals by the Takahashi ocean-flux pattern and the land-cover "
             "proxy. The CDIAC NDP-058 1° grid is shown as an observed-based reference."),
    ("Licenses", "EDGAR's fossil CO2 (IEA-EDGAR CO2) is CC BY-NC-ND 4.0 and GHG totals that contain it follow that "
                 "license; the app shows these numbers with citation and does not redistribute the files. "
                 "worldsteel data: Source: World Steel Association."),
]


#: Status per source (memoised; shared with /api/v1/sources).
_statuses = cached_statuses


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


def layout(**_query):
    registry = load_registry()

    statuses = [SourceStatus(registry[sid], ok, missing, corrupt) for sid, ok, missing, corrupt in _statuses(str(runtime.settings().data_dir))]
    n_files = sum(len(s.source.files) for s in statuses)
    n_ok = sum(s.ok for s in statuses)
    pack = runtime.pack()
    if pack is None:
        pack_line = notice(runtime.pack_error() or "The processed pack is not built.", "error", "Processed pack: ")
    else:
        failed = pack.manifest.get("failed", {})
        pack_line = html.P([
            "Processed pack ", html.Code(pack.key), f" (version {PACK_VERSION}), built {pack.manifest['built_at']} "
            f"in {pack.manifest.get('seconds', 0):.0f} s: {len(pack.manifest['items'])} items."
            + (f" {len(failed)} reader(s) could not run: " + "; ".join(failed) if failed else "")
        ])
    summary_kind = "info" if n_ok == n_files else "warning"
    return html.Div([
        html.H1("Data & methods"),
        html.P("Holocarbon reads only public files. Each is listed below with what it is used for, the years it "
               "covers, its license and how to cite it. Status is checked live against the registry checksums."),
        notice(f"{n_ok} of {n_files} source files present and verified in {runtime.settings().raw_dir}.",
               summary_kind, "Status: "),
        pack_line,
        sources_table(statuses),
        html.H2("Methods"),
        html.Dl([item for title, text in METHODS for item in (html.Dt(title), html.Dd(text))], className="methods"),
        _uncertainty(),
        html.P(["Source registry: ", html.Code("data/sources.toml"), ". Command line: ",
                html.Code("python -m engine sources check"), "."]),
    ])
