"""Industry and CBAM views (``/industry``, the chart registry, ``/api/v1/industry``): the page state in the URL, the
tables the charts show (read from :class:`engine.industry.Industry`), and pure figure builders.

Everything modelled is labelled as a model estimate; the CBAM default values are the regulation's published numbers
(IR (EU) 2025/2621, Annex I).
"""

from __future__ import annotations

from dataclasses import fields
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.figures import SUMMARY_KEY, base_layout, figure_summary
from engine.core.errors import InputError

DEFAULT_COUNTRY = "CHN"
DEFAULT_YEAR = 2018
DEFAULT_CN = "72071210"
CI_LEVELS = (66, 90, 95)
#: The goods of the product picker: (value = CN digits, CN code, description filter or None, label).
GOODS = (("72071210", "7207 12 10", None, "Semi-finished steel (7207 12 10)"),
         ("7208", "7208", None, "Flat-rolled steel (7208)"),
         ("25231000", "2523 10 00", "Grey clinker", "Grey clinker (2523 10 00)"),
         ("25232900", "2523 29 00", None, "Portland cement (2523 29 00)"),
         ("7601", "7601", None, "Unwrought aluminium (7601)"),
         ("28141000", "2814 10 00", None, "Ammonia (2814 10 00)"),
         ("31021019", "3102 10 19", None, "Urea (3102 10 19)"),
         ("28041000", "2804 10 00", None, "Hydrogen (2804 10 00)"))
GOOD_BY_VALUE = {g[0]: g for g in GOODS}
MODEL_BADGE = "Model estimate"
DEFAULT_NOTE = ("CBAM default values: IR (EU) 2025/2621 Annex I as published; mark-ups 10 % (2026), 20 % (2027), "
                "30 % (2028).")
COMPONENTS = (("process", "Process"), ("combustion", "Combustion"), ("fgas", "F-gases (PFC)"),
              ("precursor", "Precursors"), ("indirect", "Indirect (electricity)"))
VERDICT_COLORS = {"above": "#b5562b", "inside": "#8a8f96", "below": "#2f6f9f"}
PRODUCT_LABELS = {"crude_steel": "Crude steel", "steel_product": "Steel product", "clinker": "Clinker",
                  "cement": "Cement", "aluminium_primary": "Primary aluminium", "ammonia": "Ammonia", "urea": "Urea",
                  "hydrogen": "Hydrogen"}
#: Scenario fields the page offers (URL names = engine.industry.Scenario fields).
SCENARIO_FIELDS = ("eaf_share", "dri_share_of_eaf", "h2_share_of_dri", "clean_power_share", "clinker_ratio",
                   "kiln_fuel_mix", "ccs_capture", "smelter_clean_share", "cbam_year", "carbon_price")
FUEL_MIXES = (("coal:1", "Coal only"), ("coal:0.5,petcoke:0.5", "Coal and petcoke"), ("coal:0.5,gas:0.5",
              "Coal and gas"), ("gas:1", "Natural gas only"), ("biomass:0.25,coal:0.5,waste:0.25",
              "Half alternative fuels"), ("biomass:0.5,waste:0.5", "Waste and biomass only"))


# ---- state -------------------------------------------------------------------------------------------------------
def scenario_names() -> tuple[str, ...]:
    from engine.industry import Scenario

    return tuple(f.name for f in fields(Scenario))


def parse_state(params: dict) -> tuple[object, str, int, list[str]]:
    """(Scenario, good value, ci, problems) of the page's URL parameters; a bad value is dropped and named."""
    from engine.industry import Scenario

    names = set(scenario_names())
    problems = []
    good = str(params.get("cn") or DEFAULT_CN).replace(" ", "")
    if good not in GOOD_BY_VALUE:
        problems.append(f"Product {good[:20]!r} is not one of the goods this page shows; showing "
                        f"{GOOD_BY_VALUE[DEFAULT_CN][3]}.")
        good = DEFAULT_CN
    try:
        ci = int(params.get("ci") or 90)
        if ci not in CI_LEVELS:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(f"ci must be one of {', '.join(map(str, CI_LEVELS))}; showing 90 %.")
        ci = 90
    kw = {"country": DEFAULT_COUNTRY, "year": DEFAULT_YEAR}
    for k, v in params.items():
        if k in names and v not in (None, ""):
            kw[k] = v
    s = None
    while s is None:
        try:
            s = Scenario.from_params(kw)
        except InputError as exc:
            bad = next((k for k in kw if k in str(exc)), None)
            problems.append(f"{exc}; that choice is ignored.")
            if bad is None or bad in ("country",) and kw.get(bad) == DEFAULT_COUNTRY:
                kw = {"country": DEFAULT_COUNTRY, "year": DEFAULT_YEAR}
            elif bad == "country":
                kw["country"] = DEFAULT_COUNTRY
            elif bad == "year":
                kw["year"] = DEFAULT_YEAR
            else:
                kw.pop(bad)
    return s, good, ci, problems


def page_search(s, good: str, ci: int = 90) -> str:
    """The page's query string: the scenario (its non-default fields), the good and the level."""
    params = dict(s.to_params())
    params["cn"] = good
    if ci != 90:
        params["ci"] = str(ci)
    return urlencode(params, safe=",:")


def countries(ind, year: int = DEFAULT_YEAR) -> list[str]:
    """Countries of the country picker: an Annex I row and a calibration (the claim countries first)."""
    annex = set(ind.defaults()["iso3"].astype(str))
    calib = set(ind.calibration(year).index)
    return sorted(annex & calib)


def country_names(ind) -> dict[str, str]:
    d = ind.defaults()
    return dict(zip(d["iso3"].astype(str), d["country"].astype(str)))


# ---- tables --------------------------------------------------------------------------------------------------------
def _good_rows(ind, country: str | None, good: str, year: int, ci: int) -> pd.DataFrame:
    _, cn, desc, _ = GOOD_BY_VALUE[good]
    t = ind.cbam(country, cn, year, ci)
    t = t[t["cn_code"] == cn]
    if desc is not None:
        t = t[t["description"] == desc]
    return t


def _pick(v, i: int, n_countries: int, draws: bool) -> np.ndarray | float:
    """Country ``i`` of a product field broadcasting as (countries, draws): a scalar, (draws,), (countries, 1) or
    (countries, draws) [any unit]; a float for central values, an array over draws otherwise."""
    a = np.asarray(v, dtype=float)
    if a.ndim == 2:
        a = a[i]
        return a if draws else float(a.ravel()[0])
    if a.ndim == 1 and not draws:
        return float(a[i]) if len(a) == n_countries else float(a.mean())
    return a if a.ndim == 1 else float(a)


def components_of(e, i: int, n: int, draws: bool) -> dict:
    """Process, combustion, F-gas, precursor (direct) and indirect (own and precursors') of one country's product
    [t CO2e t⁻¹] (arrays over draws when ``draws``)."""
    g = lambda name: _pick(getattr(e, name), i, n, draws)  # noqa: E731
    return {"process": g("process"), "combustion": g("combustion"), "fgas": g("fgas"),
            "precursor": g("precursor_process") + g("precursor_combustion") + g("precursor_fgas"),
            "indirect": g("indirect") + g("precursor_indirect")}


def _emissions(ind, key: str, year: int, central: bool):
    """One route product of every calibrated country (central values, or the Monte Carlo draws), from the industry
    engine's cached products of the year."""
    return ind._products(year, central)[key]


def breakdown(ind, country: str, good: str, year: int = DEFAULT_YEAR, ci: int = 90) -> pd.DataFrame:
    """The route breakdown of one good from one country: one row per component with its central value and interval,
    and the default value on ``attrs``.

    Returns
    -------
    DataFrame
        ``component``, ``label``, ``value``, ``value_lo``, ``value_hi`` [t CO2e t⁻¹]; ``attrs``: ``total``,
        ``total_lo``, ``total_hi`` (on the regulation's boundary), ``default_total``, ``default_2026/7/8``,
        ``indirect_charged``, ``model_note``, ``fallback``, ``country``, ``good``, ``year``, ``ci``.
    """
    rows = _good_rows(ind, country, good, year, ci)
    if rows.empty:
        raise InputError(f"{country} has no {GOOD_BY_VALUE[good][3]} in Annex I")
    r = rows.iloc[0]
    if r["model"] is None or (isinstance(r["model"], float) and np.isnan(r["model"])):
        raise InputError(f"{GOOD_BY_VALUE[good][3]} is not modelled: {r['model_note']}")
    index = list(ind.calibration(year).index)
    i, n = index.index(country), len(index)
    central = components_of(_emissions(ind, r["model"], year, True), i, n, False)
    drawn = components_of(_emissions(ind, r["model"], year, False), i, n, True)
    q = ((100 - ci) / 2, 100 - (100 - ci) / 2)
    out = []
    for key, label in COMPONENTS:
        d = np.broadcast_to(np.asarray(drawn[key], dtype=float), (ind.params.n_draws,))
        lo, hi = np.percentile(d, q)
        out.append({"component": key, "label": label, "value": float(central[key]), "value_lo": float(lo),
                    "value_hi": float(hi)})
    df = pd.DataFrame(out)
    charged = bool(r["indirect_charged"])
    df.attrs.update(total=float(r["ours"]), total_lo=float(r["ours_lo"]), total_hi=float(r["ours_hi"]),
                    default_total=float(r["default_total"]) if pd.notna(r["default_total"]) else None,
                    **{f"default_{y}": float(r[f"default_{y}"]) if pd.notna(r[f"default_{y}"]) else None
                       for y in (2026, 2027, 2028)},
                    indirect_charged=charged, model_note=str(r["model_note"]), fallback=bool(r["fallback"]),
                    country=country, country_name=str(r["country"]), good=good, description=str(r["description"]),
                    verdict=str(r["verdict"]), year=year, ci=ci, units={"value*": "t CO2e/t"})
    return df


def route_products(ind, country: str, year: int = DEFAULT_YEAR, ci: int = 90) -> pd.DataFrame:
    """Every route product of one country by component, central and interval of the whole-chain total
    [t CO2e t⁻¹] (the ``/api/v1/industry`` products)."""
    from engine.industry.model import SCENARIO_PRODUCTS

    index = list(ind.calibration(year).index)
    i, n = index.index(country), len(index)
    q = ((100 - ci) / 2, 100 - (100 - ci) / 2)
    rows = []
    for k in SCENARIO_PRODUCTS:
        c = components_of(_emissions(ind, k, year, True), i, n, False)
        d = components_of(_emissions(ind, k, year, False), i, n, True)
        tot = sum(np.broadcast_to(np.asarray(v, dtype=float), (ind.params.n_draws,)) for v in d.values())
        lo, hi = np.percentile(tot, q)
        rows.append({"product": k, **{name: float(v) for name, v in c.items()}, "total": float(sum(c.values())),
                     "total_lo": float(lo), "total_hi": float(hi)})
    return pd.DataFrame(rows)


def across_countries(ind, country: str, good: str, year: int = DEFAULT_YEAR, ci: int = 90) -> pd.DataFrame:
    """Default vs localised of one good for China, the ten exporters and the chosen country (its own row or the
    fallback), in that order."""
    order = list(dict.fromkeys([*ind.claim_countries(), country]))
    t = _good_rows(ind, None, good, year, ci)
    t = t[t["iso3"].isin(order) & t["ours"].notna()].copy()
    t["_o"] = t["iso3"].map({c: k for k, c in enumerate(order)})
    t = t.sort_values("_o").drop(columns="_o").reset_index(drop=True)
    t.attrs.update(good=good, year=year, ci=ci, selected=country)
    return t


def claim_words(summary: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """One plain sentence per country of the claim summary (modelled goods only)."""
    out = []
    g = summary.groupby("iso3", sort=False)[["above", "inside", "below", "modelled"]].sum()
    for iso3, r in g.iterrows():
        m = int(r["modelled"])
        if not m:
            continue
        out.append(f"{names.get(iso3, iso3)}: the default value lies above our range for {int(r['above'])} of {m} "
                   f"modelled goods ({100 * r['above'] / m:.0f} %), inside it for {int(r['inside'])} and below it for "
                   f"{int(r['below'])}.")
    return out


def claim_verdict_line(summary: pd.DataFrame, names: dict[str, str]) -> str:
    """The claim in one paragraph: China's share of modelled goods whose default lies above our range, against the
    range of the other exporters' shares."""
    g = summary.groupby("iso3", sort=False)[["above", "modelled"]].sum()
    g = g[g["modelled"] > 0]
    share = 100 * g["above"] / g["modelled"]
    text = "Does the CBAM default overestimate Chinese products? "
    if "CHN" in share.index:
        text += f"For China the default lies above our modelled range for {share['CHN']:.0f} % of modelled goods. "
    others = share.drop(index="CHN", errors="ignore")
    if len(others):
        lo, hi = others.idxmin(), others.idxmax()
        text += (f"For the other {len(others)} exporters the share runs from {others[lo]:.0f} % "
                 f"({names.get(lo, lo)}) to {others[hi]:.0f} % ({names.get(hi, hi)}); it exceeds half for "
                 f"{int((others > 50).sum())} of them. ")
    return text + "Each good's verdict, product by product, is in the table below."


# ---- figures -------------------------------------------------------------------------------------------------------
#: Captions the page shows under each chart (HTML text that wraps; exports carry the same in their footer).
CAPTIONS = {
    "breakdown": ("Model estimate on the regulation's boundary: bars from the central parameters, the whisker the "
                  "Monte Carlo interval of the total. Diamond: the CBAM default value; triangles: with its 2026, "
                  "2027 and 2028 mark-ups (10, 20, 30 %)."),
    "defaults": ("Bar: our model estimate's interval (Monte Carlo over the parameter table); dot: its median. "
                 "Diamond: the CBAM default value (IR (EU) 2025/2621, as published); open markers: with the 2026, "
                 "2027 and 2028 mark-ups. * the country pays the 'Other countries and territories' value."),
    "scenario": "Whole chain (direct, precursors, indirect) per tonne, central parameters; model estimates.",
    "cost": ("Certificates for embedded emissions less the free-allocation adjustment (IR (EU) 2025/2620 benchmarks "
             "× the phase-in factor of the year). Default price 75 EUR/t CO2e: EU allowance average of 2025 (Veyt, "
             "January 2026)."),
    "claim": ("Every modelled Annex I good of China and the ten largest non-EU exporters to the EU (WIOD 2013, "
              "2011); our range: the model estimate's interval."),
}
SHORT_GOODS = {g[1]: g[3].split(" (")[0] for g in GOODS}


def _layout(fig: go.Figure, title: str, height: int, left: int = 60, **extra) -> go.Figure:
    """A new figure of ``fig``'s traces with the project's layout without the in-figure footnote (the page prints a
    caption; exports a footer), the legend at the foot of the figure where it can take as many rows as a phone needs;
    ``extra`` layout keys merged in. The layout goes to the constructor: plotly validates it once, where
    ``update_layout`` costs about ten times as much (a scenario redraws two figures per change)."""
    lay = base_layout(title, "", height=height)
    lay.update(annotations=[], margin=dict(l=left, r=16, t=48, b=40),
               legend=dict(orientation="h", yref="container", y=0.0, yanchor="bottom", x=0, font=dict(size=11)))
    lay.update(extra)
    out = go.Figure(data=fig.data, layout=lay)  # ~10× faster than fig.update_layout(**lay)
    out.layout.meta = {SUMMARY_KEY: figure_summary(out)}  # what a screen reader reads (components.figures)
    return out


def build_breakdown_figure(df: pd.DataFrame) -> go.Figure:
    """Waterfall from process to indirect (t CO2e per t), the total on the CBAM boundary with its interval, and the
    default value with its mark-ups as markers."""
    a = df.attrs
    rows = df[(df["value"].abs() > 1e-9) | (df["component"] != "fgas")]
    direct_rows = rows[rows["component"] != "indirect"]
    short = {"Process": "Process", "Combustion": "Combustion", "F-gases (PFC)": "PFC", "Precursors": "Precursors"}
    x = [short[lbl] for lbl in direct_rows["label"]] + ["Direct", "Indirect", "Total"]
    y = [round(float(v), 4) for v in direct_rows["value"]] + [
        0.0, round(float(df.loc[df["component"] == "indirect", "value"].iloc[0]), 4), 0.0]
    measure = ["relative"] * len(direct_rows) + ["total", "relative", "total"]
    hover = [f"{lbl}: {v:.3f} t CO2e/t ({a['ci']} % interval {lo:.3f}–{hi:.3f})"
             for lbl, v, lo, hi in zip(direct_rows["label"], direct_rows["value"], direct_rows["value_lo"],
                                       direct_rows["value_hi"])]
    ind_row = df[df["component"] == "indirect"].iloc[0]
    hover += ["Direct embedded emissions (model)",
              f"Indirect: {ind_row['value']:.3f} t CO2e/t" + ("" if a["indirect_charged"] else
                                                             " (not on the CBAM boundary of this good)"),
              "Total (model, central parameters)"]
    fig = go.Figure(go.Waterfall(y=x, x=y, orientation="h", measure=measure, hovertext=hover, hoverinfo="text",
                                 name="Model estimate", connector=dict(line=dict(color="#b9c1ca", width=1)),
                                 increasing=dict(marker=dict(color="#7b8fa6")),
                                 totals=dict(marker=dict(color="#3b4a6b"))))
    total_label = "Total" if a["indirect_charged"] else "Direct"
    fig.add_trace(go.Scatter(y=[total_label], x=[a["total"]], mode="markers", name=f"Model, {a['ci']} % interval",
                             marker=dict(color="#1f2933", size=9, symbol="line-ns-open"),
                             error_x=dict(type="data", symmetric=False, array=[a["total_hi"] - a["total"]],
                                          arrayminus=[a["total"] - a["total_lo"]], color="#1f2933", width=8),
                             hovertemplate=f"Model on the CBAM boundary: {a['total']:.2f} t CO2e/t "
                                           f"({a['total_lo']:.2f}–{a['total_hi']:.2f})<extra></extra>"))
    if a.get("default_total") is not None:
        fig.add_trace(go.Scatter(y=[total_label], x=[a["default_total"]], mode="markers", name="CBAM default",
                                 marker=dict(color="#b5562b", size=12, symbol="diamond"),
                                 hovertemplate=f"CBAM default (IR 2025/2621): {a['default_total']:.3f} t CO2e/t"
                                               "<extra></extra>"))
        marks = [(y, a.get(f"default_{y}")) for y in (2026, 2027, 2028) if a.get(f"default_{y}") is not None]
        fig.add_trace(go.Scatter(y=[total_label] * len(marks), x=[v for _, v in marks], mode="markers",
                                 name="Default + mark-up 2026/27/28", marker=dict(color="#b5562b", size=7,
                                                                                 symbol="triangle-right-open"),
                                 text=[str(y) for y, _ in marks],
                                 hovertemplate="Default with the %{text} mark-up: %{x:.3f} t CO2e/t<extra></extra>"))
    return _layout(fig, f"Route breakdown, {a['country']} ({MODEL_BADGE.lower()})", 440, left=90,
            xaxis_title="t CO2e per t", yaxis=dict(autorange="reversed"))


def build_defaults_figure(t: pd.DataFrame, label: str) -> go.Figure:
    """Dot-and-whisker across countries: our interval as a bar, our median as a dot, the default value and its
    2026/2027/2028 mark-ups as markers."""
    ys = [f"{r.country[:18]}{' *' if r.fallback else ''}" for r in t.itertuples()]
    ci = t.attrs.get("ci", 90)
    fig = go.Figure()
    fig.add_trace(go.Bar(y=ys, x=t["ours_hi"] - t["ours_lo"], base=t["ours_lo"], orientation="h",
                         name=f"Model, {ci} % interval", marker=dict(color="rgba(59,74,107,0.28)"),
                         customdata=np.c_[t["ours_lo"], t["ours_hi"]],
                         hovertemplate="%{y}: model interval %{customdata[0]:.2f}–%{customdata[1]:.2f} t CO2e/t"
                                       "<extra></extra>"))
    fig.add_trace(go.Scatter(y=ys, x=t["ours"], mode="markers", name="Model (median)",
                             marker=dict(color="#3b4a6b", size=8), hovertemplate="%{y}: model %{x:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(y=ys, x=t["default_total"], mode="markers", name="CBAM default",
                             marker=dict(color="#b5562b", size=11, symbol="diamond"),
                             hovertemplate="%{y}: default %{x:.2f} t CO2e/t<extra></extra>"))
    for year, sym in ((2026, "triangle-up-open"), (2027, "triangle-right-open"), (2028, "square-open")):
        fig.add_trace(go.Scatter(y=ys, x=t[f"default_{year}"], mode="markers", name=f"Default + {year} mark-up",
                                 marker=dict(color="#b5562b", size=7, symbol=sym),
                                 hovertemplate=f"%{{y}}: default with the {year} mark-up %{{x:.2f}}<extra></extra>"))
    return _layout(fig, f"Default vs our estimate: {label.split(' (')[0]}", max(440, 170 + 26 * len(ys)),
            xaxis_title="t CO2e per t", barmode="overlay", yaxis=dict(autorange="reversed"))


def build_claim_figure(summary: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    """Modelled goods per country by verdict (default above / inside / below our interval), stacked."""
    g = summary.groupby("iso3", sort=False)[["above", "inside", "below"]].sum()
    ys = [names.get(c, c)[:18] for c in g.index]
    fig = go.Figure([go.Bar(y=ys, x=g[v], orientation="h", name=f"default {v} our range",
                            marker=dict(color=VERDICT_COLORS[v]),
                            hovertemplate=f"%{{y}}: %{{x}} goods with the default {v} our range<extra></extra>")
                     for v in ("above", "inside", "below")])
    return _layout(fig, "The claim: defaults vs our range, goods per country", 470, barmode="stack",
            xaxis_title="modelled goods", yaxis=dict(autorange="reversed"))


def scenario_intensities(res) -> pd.DataFrame:
    """Baseline and scenario totals per product, wide [t CO2e t⁻¹]."""
    w = res.intensities.pivot(index="product", columns="case", values="total")
    w = w.reindex([p for p in PRODUCT_LABELS if p in w.index])
    return w.reset_index()


def build_scenario_figure(res) -> go.Figure:
    """Before/after product intensities (model estimates, central)."""
    w = scenario_intensities(res)
    ys = [PRODUCT_LABELS[p] for p in w["product"]]
    fig = go.Figure([go.Bar(y=ys, x=w["baseline"], orientation="h", name="Calibrated (before)",
                            marker=dict(color="#b9c1ca"), hovertemplate="%{y}: %{x:.2f} t CO2e/t before<extra></extra>"),
                     go.Bar(y=ys, x=w["scenario"], orientation="h", name="Scenario (after)",
                            marker=dict(color="#3b4a6b"), hovertemplate="%{y}: %{x:.2f} t CO2e/t after<extra></extra>")])
    return _layout(fig, f"Scenario, {res.scenario.country}: t CO2e per t (model)", 440, barmode="group",
            xaxis_title="t CO2e per t", yaxis=dict(autorange="reversed"))


def build_cost_figure(res) -> go.Figure:
    """CBAM cost per tonne of the key goods: with the default value, with our value before and after."""
    c = res.cbam_costs
    ys = [SHORT_GOODS.get(cn, d[:18]) for cn, d in zip(c["cn_code"], c["description"])]
    price, year = c.attrs.get("price"), c.attrs.get("import_year")
    fig = go.Figure([go.Bar(y=ys, x=c[col], orientation="h", name=name, marker=dict(color=color),
                            hovertemplate=f"%{{y}}: %{{x:,.0f}} EUR/t ({name})<extra></extra>")
                     for col, name, color in (("cost_default", "with the CBAM default", "#b5562b"),
                                              ("cost_baseline", "with our value, before", "#b9c1ca"),
                                              ("cost_scenario", "with our value, after", "#3b4a6b"))])
    return _layout(fig, f"CBAM cost per t, {year}, at {price:g} EUR/t CO2e", 460, barmode="group",
            xaxis_title="EUR per t of good", yaxis=dict(autorange="reversed"))


# ---- Data & methods ------------------------------------------------------------------------------------------------
#: What the industry model leaves out, and why (the Data & methods section and the validation report).
NOT_MODELLED = (
    ("Alloy and stainless steel, ferro-alloys", "their ferro-alloy precursors (Cr, Ni, Mn, Si) are not in the "
     "parameter table: such goods get the verdict 'not modelled' rather than a carbon-steel number."),
    ("White clinker and cement, aluminous cement, calcined clay", "no route in the parameter table."),
    ("Nitric acid, nitrates, solutions and mixed fertilisers", "only ammonia and urea have routes (N2O of nitric "
     "acid plants would need plant data)."),
    ("National emissions of ammonia and hydrogen", "the pack has no production series for them: their intensities "
     "and CBAM costs move in a scenario, national totals do not."),
    ("Plant-level data", "every country gets route averages scaled by its production mix and grid; the spread "
     "between plants is in the interval only as far as the parameter ranges carry it."),
    ("CCS energy penalty, grid-wide effects", "a scenario's grid change moves only the electricity of the modelled "
     "products (generated in the country); CCS captures without extra fuel."),
)
BOUNDARY_TEXT = ("The regulation's boundary: direct emissions of the installation plus the embedded emissions of "
                 "relevant precursors (pig iron, DRI, clinker, ammonia…); indirect emissions (electricity) only for "
                 "the goods whose indirect emissions are charged (cement, fertilisers: Annex II of Regulation (EU) "
                 "2023/956); iron and steel, aluminium and hydrogen are charged on direct emissions only. The waterfall "
                 "shows indirect emissions for every good and says when they are outside the boundary.")


def parameter_table(params: pd.DataFrame) -> pd.DataFrame:
    """The parameter table for people: parameter, product, route, central value with its range and unit, source."""
    t = params[~params["parameter"].isin(("draws", "seed"))].copy()
    t["range"] = [f"{lo:g}–{hi:g}" if lo != hi else "fixed" for lo, hi in zip(t["low"], t["high"])]
    return t[["parameter", "product", "route", "value", "range", "unit", "source"]].fillna("")


def industry_section(params: pd.DataFrame, section_id: str = "industry"):
    """The Data & methods section on the industry model and the CBAM comparison."""
    from dash import dcc, html

    table = parameter_table(params)
    head = html.Tr([html.Th(h, scope="col") for h in ("Parameter", "Product", "Route", "Value", "Range", "Unit",
                                                      "Source")])
    rows = [html.Tr([html.Td(html.Code(r.parameter)), html.Td(r.product), html.Td(r.route), html.Td(f"{r.value:g}"),
                     html.Td(r.range), html.Td(r.unit), html.Td(r.source, className="industry-source")])
            for r in table.itertuples()]
    return html.Section([
        html.H2("Industry and CBAM"),
        html.P(["The ", dcc.Link("Industry page", href="/industry"), " and ", html.Code("/api/v1/cbam"), ", ",
                html.Code("/api/v1/industry"), " and ", html.Code("/api/v1/industry/scenario"), " show model "
                "estimates, never measurements. Method: one small function per process route (BF-BOF, gas-, coal- "
                "and hydrogen-DRI with EAF, scrap EAF; clinker and cement with the clinker ratio, kiln fuel mix and "
                "calcination CO2; primary aluminium with anode, PFC and smelter electricity, secondary aluminium; "
                "ammonia by gas reforming or coal gasification, urea; hydrogen by reforming, coal gasification or "
                "electrolysis) of the parameters below. Each country is calibrated from the production series "
                "(crude steel, pig iron — the blast-furnace share is pig iron over crude steel —, cement, primary "
                "aluminium; a year outside a series is carried from the nearest year and flagged) and Ember's grid "
                "intensity. Intervals: 1,000 seeded Monte Carlo draws over the parameter ranges. The modelled direct "
                "emissions of steel, cement and aluminium are checked against EDGAR's Processes and Industrial "
                "Combustion in the ", dcc.Link("validation report", href="/validation"), "."], className="narrow"),
        html.P(["Boundary. ", BOUNDARY_TEXT], className="narrow"),
        html.P(["CBAM comparison. For every good and country of Annex I of Implementing Regulation (EU) 2025/2621 "
                "(the default values, as published, with the 10 / 20 / 30 % mark-ups of 2026 / 2027 / 2028; "
                "countries without a row pay the 'Other countries and territories' value), our localised value on "
                "the same boundary with its interval; the verdict says whether the default lies above, inside or "
                "below that interval. The claim table takes China and the ten largest non-EU exporters to the EU of "
                "WIOD 2013 sectors c11 and c12 in 2011. The CBAM cost per tonne is the certificates for the embedded "
                "emissions less the free-allocation adjustment (the benchmarks of Implementing Regulation (EU) "
                "2025/2620 times the phase-in factor of the import year) at a carbon price you set; the default is "
                "75 EUR/t CO2e, the average EU allowance price of 2025 (Veyt, January 2026)."], className="narrow"),
        html.H3("Not modelled, and why"),
        html.Ul([html.Li([html.Strong(what + ": "), why]) for what, why in NOT_MODELLED], className="narrow"),
        html.H3("Parameters and their sources"),
        html.P(["Every parameter of ", html.Code("data/industry_parameters.csv"), " (the range is the Monte Carlo "
                "range; triangular unless fixed)."], className="narrow"),
        html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table industry-param-table",
                            id=f"{section_id}-parameters"), className="table-scroll"),
    ], id=section_id)


# ---- validation report ---------------------------------------------------------------------------------------------
def _md(df: pd.DataFrame, fmt: str = "{:,.2f}") -> str:
    cols = list(df.columns)
    out = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for row in df.itertuples(index=False):
        out.append("| " + " | ".join(fmt.format(v) if isinstance(v, float) else str(v) for v in row) + " |")
    return "\n".join(out)


def industry_markdown(r: dict) -> list[str]:
    """Section 8 of the validation report: :func:`engine.validation.industry_results` as Markdown lines."""
    cov = r["coverage"].copy()
    for c in ("crude_steel_kt", "cement_kt", "aluminium_kt"):
        cov[c] = cov[c].map(lambda v: f"{v / 1000:,.1f}")
    cov = cov.rename(columns={"crude_steel_kt": "crude steel (Mt)", "cement_kt": "cement (Mt)",
                              "aluminium_kt": "primary Al (Mt)", "modelled_mt": "modelled (Mt CO2e)",
                              "modelled_mt_lo": "lo", "modelled_mt_hi": "hi",
                              "edgar_industry": "EDGAR proc.+ind. comb. (Mt CO2e)", "coverage_lo": "cov. lo",
                              "coverage_hi": "cov. hi"})
    totals = r["claim_totals"].rename(columns={"share_above_pct": "above (% of modelled)"})
    claim = r["claim"][["iso3", "sector", "above", "inside", "below", "not modelled"]]
    return [
        f"## 8. Industry and CBAM (model estimates, calibration {r['year']}, {r['ci']} % intervals)",
        "",
        "Process routes with cited parameter ranges (`data/industry_parameters.csv`), calibrated per country from "
        "the production series and Ember grid intensity (engine.industry; method and boundary on Data & methods, "
        "/data#industry). Tests: `tests/integration/test_industry_cbam.py`, `tests/integration/test_industry_api.py`.",
        "",
        "### Modelled direct emissions of steel, cement and aluminium vs EDGAR, 20 largest producers",
        "",
        f"{r['method'][:1].upper()}{r['method'][1:]}. Coverage below 1 is expected: EDGAR's two sectors also hold chemicals, lime, glass, food, "
        "paper and the rest of industry; a coverage above 1 points at a calibration to check.",
        "",
        _md(cov),
        "",
        "### The claim: CBAM default values against our localised range (China and the ten largest exporters)",
        "",
        "Exporters: the ten largest non-EU exporters to the EU27 of WIOD 2013 sectors c11 and c12 in 2011. Verdict "
        "per Annex I good of IR (EU) 2025/2621: the default value (as published, without mark-up) above, inside or "
        "below our modelled interval; 'not modelled' goods (alloy steels, ferro-alloys, white cement, nitric-acid "
        "fertilisers) are counted apart.",
        "",
        _md(totals, "{:,.0f}"),
        "",
        claim_verdict_line(r["claim"], {}),
        "",
        "By country and sector:",
        "",
        _md(claim),
        "",
    ]
