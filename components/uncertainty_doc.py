"""The "Uncertainty" section of the Data & methods page: inputs and their sources, correlations, method, what is not
included, and the parameter table (``data/uncertainty_parameters.csv``), with a link to the API endpoint."""

from __future__ import annotations

import math

import pandas as pd
from dash import html

API_EXAMPLE = "/api/v1/uncertainty?region=CHN&year=2022"

#: (input, what is drawn, source) — in the order of the engine's input groups (engine.uncertainty.propagate).
INPUTS = (
    ("Emission inventories (EDGAR)",
     "Every country's emissions by EDGAR sector and gas are multiplied by a draw within the 95 % range Solazzo et al. "
     "(2021) give by country, IPCC 2006 category and gas; categories are mapped to EDGAR's eight sectors by "
     "data/ipcc_to_edgar.csv and combined as independent errors (IPCC 2006 Approach 1). Ranges wider than ±50 % or "
     "asymmetric ones are drawn from a lognormal with the inventory value as its mean. Countries and sectors the table "
     "does not cover take their own combustion or country range, else their continent's median. F-gases: ±30 % "
     "(90 % interval) at the global level, IPCC AR6 WGIII Ch. 2.",
     "Solazzo et al. (2021), Atmos. Chem. Phys. 21:5655, doi:10.5194/acp-21-5655-2021; Minx et al. (2021), Earth "
     "Syst. Sci. Data 13:5213 (AR6 WGIII Ch. 2)"),
    ("Input–output table (WIOD 2013)",
     "Each technical coefficient and final-demand cell carries an independent 20 % relative standard error, the size "
     "of the differences multi-regional tables need to reconcile; it is propagated to the consumption accounts to "
     "first order (an analytical covariance instead of a thousand table inversions).",
     "Moran & Wood (2014), Econ. Syst. Res. 26:245; Lenzen et al. (2010), Econ. Syst. Res. 22:43; method: "
     "Rodrigues et al. (2018), Environ. Sci. Technol. 52:7577"),
    ("Nowcast (2012–2023)",
     "Years after the last table (2011) widen by the nowcast's own measured error: the drift, against the Global "
     "Carbon Budget, of each country's consumption-to-production gap since 2011, growing with the square root of the "
     "years since 2011.",
     "Measured in Holocarbon against GCB 2024 national consumption accounts (docs/validation.md)"),
    ("Land-use change",
     "With the mean of the four GCB bookkeeping models (BLUE, H&C2023, OSCAR, LUCE) each draw takes one model: the "
     "interval is the spread between models. With one model chosen, GCB's stated ±0.7 GtC per year (of 1.1) applies "
     "as a common relative error.",
     "Friedlingstein et al. (2025), Global Carbon Budget 2024, Earth Syst. Sci. Data 17:965, Table 7"),
    ("Land sink",
     "GCB's stated ±0.9 GtC per year (1σ) of a 3.2 GtC per year sink, a common relative error of every country's "
     "attributed share.",
     "Friedlingstein et al. (2025), Global Carbon Budget 2024, Table 7 (2014–2023)"),
)

CORRELATIONS = (
    "A country's error for one sector and gas is the same in every year (one draw for all years): a time series moves "
    "up or down as a whole, so its trend is better known than its level.",
    "Emission factors are partly shared between countries: EDGAR uses the same IPCC default factors everywhere, so a "
    "common draw carries 20 % of each sector's variance for CO2 and 80 % for CH4 and N2O (CO2 depends mostly on "
    "national fuel statistics, CH4 and N2O on default factors). The F-gas error is one global draw.",
    "Groups (EU27, G20, continents, a custom group) and the world are sums of their members' draws, so these "
    "correlations are kept: a group's interval is not the sum of its members' intervals.",
    "The input groups (inventories, table, nowcast, land-use change, land sink) are independent of each other.",
)

NOT_INCLUDED = (
    "the choice of input–output database (WIOD 2013 here; other tables give different but overlapping answers, "
    "Moran & Wood 2014);",
    "the method that attributes the land sink to countries (only the uncertainty of the global sink is drawn);",
    "population figures (per-person intervals use the central population).",
)


UNIT_WORDS = {"GtC yr-1": "GtC per year", "1": "", "draws": "draws"}


def _value(name: str, v, unit: str) -> str:
    """A parameter value with its unit in words (the seed without thousands separators)."""
    if isinstance(v, float) and math.isnan(v):
        return "—"
    v = float(v)
    if name == "seed":
        text = f"{v:.0f}"
    else:
        text = f"{v:,.0f}" if v == int(v) and abs(v) >= 10 else f"{v:g}"
    unit = UNIT_WORDS.get(unit, unit)
    return f"{text} {unit}".strip()


def parameter_table(params: pd.DataFrame, table_id: str) -> html.Div:
    """One row per parameter of ``data/uncertainty_parameters.csv`` (parameter, value with unit, meaning, source)."""
    head = html.Thead(html.Tr([html.Th(t) for t in ("Parameter", "Value", "What it is", "Source")]))
    rows = [html.Tr([html.Td(html.Code(r.parameter)), html.Td(_value(r.parameter, r.value, str(r.unit)), className="num"),
                     html.Td(r.note), html.Td(r.source, className="citation")])
            for r in params.itertuples(index=False)]
    return html.Div(html.Table([head, html.Tbody(rows)], className="table parameters-table", id=table_id),
                    className="table-scroll")


def uncertainty_section(params: pd.DataFrame, nowcast: dict | None, section_id: str, table_id: str) -> html.Section:
    """The section (ids from the page); ``nowcast`` is :meth:`Uncertainty.nowcast_sigma` (its measured scale is
    quoted) or None."""
    values = dict(zip(params["parameter"], params["value"]))
    draws, seed = int(values.get("draws", 1000)), int(values.get("seed", 0))
    inputs = []
    for title, what, source in INPUTS:
        if title.startswith("Nowcast") and nowcast:
            what += (f" Measured: a standard deviation of {nowcast.get(1, nowcast['s']):.1f} percentage points of "
                     f"production in 2012, growing to {nowcast.get(12, float('nan')):.1f} in 2023 (fitted on "
                     f"{nowcast.get('n', 0):,} country-years, 2012–2021).")
        inputs += [html.Dt(title), html.Dd([what, html.Br(), html.Span("Source: " + source, className="citation")])]
    return html.Section([
        html.H2("Uncertainty"),
        html.P([
            "Every number in the ledger, on the country pages and on the home page is shown with an interval: the "
            "central 66, 90 or 95 % (the “Interval” control, kept in the link) of ", html.Strong(f"{draws:,}"),
            " Monte Carlo draws. Each draw perturbs every input within its published uncertainty and goes through "
            "the same functions as the central estimate (the allocation to input–output sectors, the input–output "
            "model, the nowcast, the land attribution), so the intervals follow the accounts' own structure. The "
            f"draws are seeded (seed {seed}): the same question always gets the same interval. An interval is read "
            "from the draws themselves (their order statistics), so it need not be symmetric around the central "
            "value (the estimate from the unperturbed inputs).",
        ]),
        html.H3("Inputs and their sources"),
        html.Dl(inputs, className="methods"),
        html.H3("Correlations"),
        html.Ul([html.Li(c) for c in CORRELATIONS]),
        html.H3("Reading the intervals"),
        html.Ul([
            html.Li("A net transfer whose interval includes zero is marked “sign uncertain”: the data cannot say "
                    "whether the region consumes more or less than it produces."),
            html.Li("The country pages show which inputs drive each account's uncertainty (“What drives the "
                    "uncertainty”): shares of the variance, which add up to 100 % because the input groups are "
                    "independent."),
            html.Li(["Not included: ", *[html.Span(t + " ") for t in NOT_INCLUDED]]),
        ]),
        html.H3("Parameters"),
        html.P(["From ", html.Code("data/uncertainty_parameters.csv"), "; GtC × 3.664 = Gt CO2."]),
        parameter_table(params, table_id),
        html.P(["Every interval, the attribution of a region's variance and the convergence of the draws (how much "
                "each bound moves between half the draws and all of them) are available to scripts: ",
                html.A(html.Code(API_EXAMPLE), href=API_EXAMPLE), "."]),
    ], id=section_id, className="uncertainty-section")
