"""Green exports views (``/green-exports``, the chart registry, ``/api/v1/green-exports``): the page state in the
URL, the tables the charts show (read from :class:`engine.trade.GreenExports`), pure figure builders and the Data &
methods section.

Every number on the page is a model estimate: exported capacity (Ember, the wind table) times capacity factor,
hours, degradation, lifetime and the displaced grid intensity, against the manufacturing footprint; the figures and
captions say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.figures import footed_figure
from engine.core.errors import InputError

CI_LEVELS = (66, 90, 95)
#: The page's URL key of the export year (``year`` is accepted too): not ``year``, which is the accounting year of
#: the Query that every other page and the export routes read (1970–2023; the export years run to 2024).
YEAR_KEY = "export_year"
#: Monte Carlo draws of the page and its exports (the API's ``draws`` chooses its own; 0 there means central only).
PAGE_DRAWS = 500
#: What the map's markers are sized by: exported capacity, or lifetime avoided emissions.
SIZE_BY = {"gw": "Exported capacity (GW)", "avoided": "Avoided over the lifetime (Mt CO2e)"}
#: Tornado metrics (engine names) and their words.
METRICS = {"avoided_mt_lifetime": "Avoided over the lifetime (Mt CO2e)",
           "avoided_mt_per_year": "Avoided per year (Mt CO2e/yr)",
           "manufacturing_mt": "Manufacturing (Mt CO2e)", "ratio": "Ratio avoided (lifetime) / manufacturing"}
TECH_LABELS = {"pv": "Solar PV", "wind": "Wind"}
DISPLACEMENT_LABELS = {"average": "Grid average (Ember)", "fossil_margin": "Fossil margin (fossil-only intensity)"}
MODEL_BADGE = "Model estimate"
#: China's marker on the flow map [degree] (the country's label point, not a factory).
CHINA_LON_LAT = (104.2, 35.9)
N_BARS = 15
COLORS = {"manufacturing": "#b5562b", "avoided": "#2f7f6f", "line": "#7b8fa6", "china": "#b5562b",
          "dest": "#2f7f6f", "low": "#2f6f9f", "high": "#c98a2b"}
#: The page's sliders and pickers of :class:`engine.trade.GreenParams` fields: (field, label, min, max, step, hint).
SLIDERS = (
    ("pv_lifetime_yr", "PV lifetime (years)", 10, 40, 1, "Default 25 (range 20–30 in the tornado; IEA PVPS Task 12)."),
    ("wind_lifetime_yr", "Wind lifetime (years)", 10, 35, 1, "Default 20 (Dolan and Heath 2012; IRENA: 25-year economic life)."),
    ("pv_degradation_pct", "PV degradation (%/yr)", 0, 2, 0.1, "Output lost each year; default 0.5 (Jordan and Kurtz 2013)."),
    ("installation_share", "Installation share", 0, 1, 0.05, "Share of exported MW installed in the destination "
     "(the rest stocked or re-exported); default 1."),
    ("grid_decline_pct", "Grid decline (%/yr)", 0, 10, 0.5, "Yearly decline of the displaced intensity along the "
     "lifetime; default 0 (held constant)."),
    ("manufacturing_grid_g_kwh", "Manufacturing grid (g CO2e/kWh)", 0, 1500, 10, "China's grid intensity where "
     "the equipment is made; empty: Ember's value of the export year."),
)


@dataclass(frozen=True)
class GreenState:
    """Everything the page shows depends on (the URL holds it)."""

    year: int
    techs: tuple[str, ...]
    params: object  # engine.trade.GreenParams
    ci: int = 90
    size: str = "gw"
    metric: str = "avoided_mt_lifetime"


def _engine():
    import engine.trade as trade

    return trade


def param_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(_engine().GreenParams))


def default_year(ge) -> int:
    """The latest year with PV data (Ember's last full year)."""
    return int(max(ge.years("pv")))


def all_years(ge, techs=None) -> list[int]:
    """Years with data for at least one of ``techs`` (default: both)."""
    techs = techs or _engine().TECHS
    return sorted({int(y) for t in techs for y in ge.years(t)})


def parse_techs(raw) -> tuple[str, ...]:
    """The techs of a URL value ``pv,wind`` in the engine's order; InputError naming the allowed ones."""
    TECHS = _engine().TECHS
    if raw in (None, ""):
        return tuple(TECHS)
    items = [t.strip() for t in (raw if isinstance(raw, (list, tuple)) else str(raw).split(",")) if t.strip()]
    bad = [t for t in items if t not in TECHS]
    if bad or not items:
        raise InputError(f"tech must be a comma-separated subset of {', '.join(TECHS)}; got {str(raw)[:40]!r}")
    return tuple(t for t in TECHS if t in items)


def parse_state(ge, params: dict) -> tuple[GreenState, list[str]]:
    """(state, problems) of the page's URL parameters; a bad value is dropped, named, and its default used."""
    trade = _engine()
    problems: list[str] = []
    try:
        techs = parse_techs(params.get("tech"))
    except InputError as exc:
        problems.append(f"{exc}; showing both.")
        techs = tuple(trade.TECHS)
    years = all_years(ge, techs)
    year = default_year(ge)
    raw = params.get(YEAR_KEY) if params.get(YEAR_KEY) not in (None, "") else params.get("year")
    if raw not in (None, ""):
        try:
            y = int(str(raw))
            if y not in years:
                raise ValueError
            year = y
        except ValueError:
            problems.append(f"{YEAR_KEY} must be one of {', '.join(map(str, years))}; got {str(raw)[:20]!r}; "
                            f"showing {year}.")
    ci = 90
    if params.get("ci") not in (None, ""):
        try:
            ci = int(params["ci"])
            if ci not in CI_LEVELS:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"ci must be one of {', '.join(map(str, CI_LEVELS))}; showing 90 %.")
            ci = 90
    size = str(params.get("size") or "gw")
    if size not in SIZE_BY:
        problems.append(f"size must be one of {', '.join(SIZE_BY)}; showing gw.")
        size = "gw"
    metric = str(params.get("metric") or "avoided_mt_lifetime")
    if metric not in METRICS:
        problems.append(f"metric must be one of {', '.join(METRICS)}; showing avoided_mt_lifetime.")
        metric = "avoided_mt_lifetime"
    names = set(param_names())
    kw = {k: str(v) for k, v in params.items() if k in names and v not in (None, "")}
    gp = None
    while gp is None:
        try:
            gp = trade.GreenParams.from_params(kw)
        except InputError as exc:
            bad = next((k for k in kw if k in str(exc)), None)
            problems.append(f"{exc}; that choice is ignored.")
            if bad is None:
                kw = {}
            else:
                kw.pop(bad)
    return GreenState(year, techs, gp, ci, size, metric), problems


def state_from_values(year, techs, ci, size, metric, values: dict) -> GreenState:
    """The state of the page's controls (InputError for a refused value)."""
    trade = _engine()
    kw = {}
    for k, v in values.items():
        if v in (None, ""):
            continue
        kw[k] = ",".join(v) if isinstance(v, (list, tuple)) else (f"{v:g}" if isinstance(v, float) else str(v))
    gp = trade.GreenParams.from_params(kw)
    techs = parse_techs(list(techs or ()))
    ci = int(ci) if ci in CI_LEVELS else 90
    return GreenState(int(year), techs, gp, ci, size if size in SIZE_BY else "gw",
                      metric if metric in METRICS else "avoided_mt_lifetime")


def page_params(s: GreenState) -> dict[str, str]:
    """The page's query parameters: export_year, tech (when not both), the non-default GreenParams, ci, size,
    metric."""
    out = {YEAR_KEY: str(s.year)}
    if tuple(s.techs) != tuple(_engine().TECHS):
        out["tech"] = ",".join(s.techs)
    out.update(s.params.to_params())
    if s.ci != 90:
        out["ci"] = str(s.ci)
    if s.size != "gw":
        out["size"] = s.size
    if s.metric != "avoided_mt_lifetime":
        out["metric"] = s.metric
    return out


def page_search(s: GreenState) -> str:
    return urlencode(page_params(s), safe=",")


def state_from_chart_params(ge, params: dict) -> GreenState:
    """The state of a chart export's parameters (ValueError naming what is wrong; nothing is silently dropped)."""
    s, problems = parse_state(ge, params)
    if problems:
        raise ValueError(problems[0])
    return s


# ---- tables --------------------------------------------------------------------------------------------------------
def result(ge, s: GreenState, draws: int = PAGE_DRAWS):
    """The engine's :class:`~engine.trade.GreenResult` of the state (cached by the engine)."""
    return ge.result(s.year, s.techs, s.params, draws=draws, ci=s.ci)


def total_row(res, tech: str = "all") -> pd.Series:
    t = res.totals
    return t[t["tech"] == tech].iloc[0]


def destination_points(acc) -> dict[str, tuple[float, float]]:
    """ISO3 -> (lon, lat) of a point inside each country's largest polygon (Natural Earth 1:50m; cached)."""
    def build():
        g = acc.pack.geo("ne_countries_50m")
        out = {}
        for iso3, geom in zip(g["iso3"], g.geometry):
            if not isinstance(iso3, str) or geom is None or geom.is_empty:
                continue
            parts = getattr(geom, "geoms", [geom])
            big = max(parts, key=lambda p: p.area)
            pt = big.representative_point()
            out[iso3] = (round(float(pt.x), 3), round(float(pt.y), 3))
        return out

    return acc.cache.memo(acc._key("green-destination-points"), build, shared=False)


def by_destination(res) -> pd.DataFrame:
    """Destinations with both techs added up (central values only) [MW, Mt]: the map's rows."""
    d = res.destinations
    cols = ["capacity_mw", "installed_mw", "manufacturing_mt", "avoided_mt_per_year", "avoided_mt_lifetime"]
    g = d.groupby(["iso3", "name"], as_index=False, sort=False)[cols].sum()
    g["techs"] = d.groupby(["iso3", "name"], sort=False)["tech"].agg(lambda s: ", ".join(sorted(set(s)))).to_numpy()
    g["ratio"] = g["avoided_mt_lifetime"] / g["manufacturing_mt"].where(g["manufacturing_mt"] > 0)
    return g.sort_values("capacity_mw", ascending=False, ignore_index=True)


def top_rows(res, n: int = N_BARS) -> pd.DataFrame:
    """The ``n`` destination × tech rows with the most lifetime avoided emissions (the bar chart's rows)."""
    d = res.destinations.sort_values("avoided_mt_lifetime", ascending=False)
    return d.head(n).reset_index(drop=True)


# ---- words ---------------------------------------------------------------------------------------------------------
def fmt_mt(v: float) -> str:
    if v is None or not np.isfinite(v):
        return "–"
    a = abs(v)
    return f"{v:,.0f}" if a >= 100 else f"{v:,.1f}" if a >= 1 else f"{v:,.2f}"


def fmt_interval(row, col: str) -> str | None:
    lo, hi = row.get(f"{col}_low"), row.get(f"{col}_high")
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return None
    return f"{fmt_mt(lo)}–{fmt_mt(hi)}"


def techs_words(techs, lower: bool = False) -> str:
    """``Solar PV and Wind`` (or ``solar PV and wind`` in a sentence)."""
    words = [TECH_LABELS.get(t, t) for t in techs]
    if lower:
        words = [w.replace("Solar", "solar").replace("Wind", "wind") for w in words]
    return " and ".join(words)


def headline_items(res) -> list[dict]:
    """The headline numbers (all techs): label, value, unit, interval text (or None)."""
    r = total_row(res)
    items = [
        {"key": "capacity", "label": "Exported capacity", "value": f"{r['capacity_mw'] / 1000:,.1f}", "unit": "GW",
         "interval": None, "note": f"installed {r['installed_mw'] / 1000:,.1f} GW"},
        {"key": "manufacturing", "label": "Manufacturing emissions", "value": fmt_mt(r["manufacturing_mt"]),
         "unit": "Mt CO2e (once)", "interval": fmt_interval(r, "manufacturing_mt"), "note": None},
        {"key": "per_year", "label": "Avoided in the first year", "value": fmt_mt(r["avoided_mt_per_year"]),
         "unit": "Mt CO2e/yr", "interval": fmt_interval(r, "avoided_mt_per_year"), "note": None},
        {"key": "lifetime", "label": "Avoided over the lifetime", "value": fmt_mt(r["avoided_mt_lifetime"]),
         "unit": "Mt CO2e", "interval": fmt_interval(r, "avoided_mt_lifetime"), "note": None},
        {"key": "ratio", "label": "Lifetime avoided / manufacturing", "value": f"{r['ratio']:,.0f}×"
         if np.isfinite(r["ratio"]) else "–", "unit": "", "interval": (f"{r['ratio_low']:,.0f}–{r['ratio_high']:,.0f}×"
                                                                       if "ratio_low" in r and pd.notna(
                                                                           r.get("ratio_low")) else None),
         "note": None},
    ]
    return items


# ---- figures -------------------------------------------------------------------------------------------------------
CAPTIONS = {
    "map": ("Model estimate. Lines from China to each destination of the exports; markers sized by the toggle. "
            "Ember's residual groups (e.g. “other Africa”) have no point on the map; they are in the bars and totals. "
            "Exports are not installations: see the installation share."),
    "bars": ("Model estimate: manufacturing emissions (once, in China) against emissions avoided over the lifetime "
             "in the destination; whiskers: the Monte Carlo interval. The largest destinations by avoided emissions."),
    "tornado": ("Each bar: the result when one parameter goes from the low to the high end of its range, the others "
                "held at their values (central estimate). Ranges: data/green_exports_parameters.csv."),
    "claim": ("Our estimate for each tested scope (bar, with its interval) against the published figure (diamond). "
              "Log scale: per-year and lifetime figures differ by about the lifetime."),
}


def _layout(fig: go.Figure, title: str, height: int, left: int = 60, **extra) -> go.Figure:
    return footed_figure(fig, title, height, left, **extra)


def build_flow_map(frame: pd.DataFrame, points: dict, size: str, year: int, techs) -> go.Figure:
    """Lines from China to each destination and markers sized by exported GW or lifetime avoided Mt.

    Parameters
    ----------
    frame : DataFrame
        :func:`by_destination` rows [MW, Mt].
    points : dict
        ISO3 -> (lon, lat) [degree].
    size : str
        ``gw`` or ``avoided``.
    """
    f = frame[frame["iso3"].isin(points)].copy()
    f["lon"] = [points[c][0] for c in f["iso3"]]
    f["lat"] = [points[c][1] for c in f["iso3"]]
    value = f["capacity_mw"] / 1000 if size == "gw" else f["avoided_mt_lifetime"]
    vmax = float(value.max()) if len(value) and float(value.max()) > 0 else 1.0
    f = f.assign(v=value.to_numpy())
    lons, lats = [], []
    for lon, lat in zip(f["lon"], f["lat"]):
        lons += [CHINA_LON_LAT[0], lon, None]
        lats += [CHINA_LON_LAT[1], lat, None]
    sizes = (5 + 38 * np.sqrt(np.clip(f["v"].to_numpy(dtype=float), 0, None) / vmax)).round(1)
    unit = "GW" if size == "gw" else "avoided Mt CO2e"
    text = [f"{n}: {c / 1000:,.2f} GW exported ({t}); manufacturing {fmt_mt(m)} Mt CO2e; avoided {fmt_mt(a)} Mt CO2e "
            f"over the lifetime" for n, c, t, m, a in zip(f["name"], f["capacity_mw"], f["techs"],
                                                          f["manufacturing_mt"], f["avoided_mt_lifetime"])]
    traces = [
        go.Scattergeo(lon=lons, lat=lats, mode="lines", line=dict(width=0.8, color=COLORS["line"]), opacity=0.45,
                      hoverinfo="skip", showlegend=False, name="routes"),
        go.Scattergeo(lon=f["lon"], lat=f["lat"], mode="markers", name=SIZE_BY[size],
                      marker=dict(size=sizes, color=COLORS["dest"], opacity=0.75, line=dict(width=0.6, color="white")),
                      text=text, hovertemplate="%{text}<extra></extra>", showlegend=False),
        go.Scattergeo(lon=[CHINA_LON_LAT[0]], lat=[CHINA_LON_LAT[1]], mode="markers", name="China (exporter)",
                      marker=dict(size=11, color=COLORS["china"], symbol="diamond", line=dict(width=1, color="white")),
                      hovertemplate="China: exporter<extra></extra>", showlegend=False),
    ]
    geo = dict(projection=dict(type="natural earth"), showframe=False, showcoastlines=False, showcountries=True,
               countrycolor="#ffffff", countrywidth=0.4, showland=True, landcolor="#e5ecf6", bgcolor="white",
               lataxis=dict(range=[-58, 84]), resolution=110)
    title = f"China's {techs_words(techs, lower=True)} exports, {year}, sized by {unit}"
    fig = _layout(go.Figure(traces), title, 330, left=0, geo=geo, margin=dict(l=0, r=0, t=48, b=4))
    # on a phone (assets/narrow.js) the title moves above the chart: the map as tall as it is at that width
    fig.layout.meta = {**fig.layout.meta, "narrow": {"height": 230, "margin.t": 4}}
    return fig


def _bar_label(r, both: bool) -> str:
    name = _short(r["name"], 24)
    return f"{name} · {TECH_LABELS.get(r['tech'], r['tech'])}" if both else name


def build_bars_figure(rows: pd.DataFrame, year: int, techs, ci: int | None) -> go.Figure:
    """Manufacturing vs lifetime avoided emissions of the largest destinations, horizontal, with whiskers."""
    both = len(set(rows["tech"])) > 1
    ys = [_bar_label(r, both) for _, r in rows.iterrows()]

    def err(col):
        if f"{col}_low" not in rows.columns:
            return None
        return dict(type="data", symmetric=False, array=(rows[f"{col}_high"] - rows[col]).clip(lower=0).to_numpy(),
                    arrayminus=(rows[col] - rows[f"{col}_low"]).clip(lower=0).to_numpy(), thickness=1.2, width=3,
                    color="#333")

    iv = f" ({ci} % interval %{{customdata[0]:,.2f}}–%{{customdata[1]:,.2f}})" if ci else ""

    def custom(col):
        if f"{col}_low" not in rows.columns:
            return None
        return np.column_stack([rows[f"{col}_low"], rows[f"{col}_high"]])

    fig = go.Figure([
        go.Bar(y=ys, x=rows["manufacturing_mt"], orientation="h", name="Manufacturing in China (once)",
               marker=dict(color=COLORS["manufacturing"]), error_x=err("manufacturing_mt"),
               customdata=custom("manufacturing_mt"),
               hovertemplate=f"%{{y}}: manufacturing %{{x:,.2f}} Mt CO2e{iv if ci else ''}<extra></extra>"),
        go.Bar(y=ys, x=rows["avoided_mt_lifetime"], orientation="h", name="Avoided over the lifetime",
               marker=dict(color=COLORS["avoided"]), error_x=err("avoided_mt_lifetime"),
               customdata=custom("avoided_mt_lifetime"),
               hovertemplate=f"%{{y}}: avoided %{{x:,.1f}} Mt CO2e over the lifetime{iv if ci else ''}<extra></extra>"),
    ])
    return _layout(fig, f"Largest destinations, {year}: manufacturing vs avoided (Mt CO2e, model)",
                   max(380, 60 + 30 * len(ys)), left=10, barmode="group", xaxis_title="Mt CO2e",
                   yaxis=dict(autorange="reversed", automargin=True))


def build_tornado_figure(t: pd.DataFrame, metric: str, year: int) -> go.Figure:
    """Swing of the metric when each parameter goes from its low to its high value (others held)."""
    t = t.head(10)
    central = float(t["result_central"].iloc[0]) if len(t) else 0.0
    ys = [_short(lbl, 30) for lbl in t["label"]]
    low_txt = [f"{lo:g}" for lo in t["low"]]
    high_txt = [f"{hi:g}" for hi in t["high"]]
    fig = go.Figure([
        go.Bar(y=ys, x=t["result_low"] - central, base=central, orientation="h", name="parameter at its low value",
               marker=dict(color=COLORS["low"]), customdata=np.column_stack([low_txt, t["result_low"]]),
               hovertemplate="%{y} = %{customdata[0]}: %{customdata[1]:,.1f}<extra></extra>"),
        go.Bar(y=ys, x=t["result_high"] - central, base=central, orientation="h", name="parameter at its high value",
               marker=dict(color=COLORS["high"]), customdata=np.column_stack([high_txt, t["result_high"]]),
               hovertemplate="%{y} = %{customdata[0]}: %{customdata[1]:,.1f}<extra></extra>"),
    ])
    fig.add_vline(x=central, line=dict(color="#333", width=1, dash="dot"))
    unit = "ratio" if metric == "ratio" else METRICS[metric].split("(")[-1].rstrip(")")
    return _layout(fig, f"What moves the answer most, {year}: {METRICS[metric]}", max(360, 80 + 30 * len(ys)),
                   left=10, barmode="overlay", xaxis_title=unit,
                   yaxis=dict(autorange="reversed", automargin=True), shapes=fig.layout.shapes)


def _short(text, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def claim_label(i: int, r) -> str:
    """A short label of a tested scope: its number in the table, the claim and the basis."""
    who = "CREA" if str(r["claim"]).upper().startswith("CREA") else "CAS"
    return f"#{i + 1} {who}, {r['basis']}"


def build_claim_figure(claims: pd.DataFrame) -> go.Figure:
    """Our avoided emissions per tested scope (bar with interval) against the published figure (diamond), log x."""
    ys = [claim_label(i, r) for i, (_, r) in enumerate(claims.iterrows())]
    scopes = [f"{r['claim']}: {r['scope']}" for _, r in claims.iterrows()]
    err = dict(type="data", symmetric=False, array=(claims["avoided_mt_high"] - claims["avoided_mt"]).clip(lower=0),
               arrayminus=(claims["avoided_mt"] - claims["avoided_mt_low"]).clip(lower=0), thickness=1.2, width=3,
               color="#333")
    colors = [COLORS["avoided"] if v == "matches" else "#8a8f96" for v in claims["verdict"]]
    fig = go.Figure([
        go.Bar(y=ys, x=claims["avoided_mt"], orientation="h", name="Holocarbon (this scope, model)",
               marker=dict(color=colors), error_x=err, customdata=np.column_stack([claims["verdict"], scopes]),
               hovertemplate="%{customdata[1]}: ours %{x:,.0f} Mt CO2e (%{customdata[0]})<extra></extra>"),
        go.Scatter(y=ys, x=claims["reference_avoided_mt"], mode="markers", name="Published figure",
                   marker=dict(symbol="diamond", size=11, color="#1f2933"), customdata=scopes,
                   hovertemplate="%{customdata}: published %{x:,.0f} Mt CO2e<extra></extra>"),
    ])
    ticks = [1, 10, 100, 1000, 10000]
    return _layout(fig, "The claims: avoided emissions, ours against the published figure", max(360, 90 + 30 * len(ys)),
                   left=10, xaxis=dict(type="log", title="Mt CO2e avoided (log scale)", tickvals=ticks,
                                       ticktext=["1", "10", "100", "1k", "10k"]),
                   yaxis=dict(autorange="reversed", automargin=True))


# ---- data tables for exports and the API ---------------------------------------------------------------------------
def with_units(df: pd.DataFrame) -> pd.DataFrame:
    """The engine's columns with the unit spelled out for exports: ``*_mt*`` -> ``*_mt_co2e*``."""
    return df.rename(columns={c: re.sub(r"_mt(?=_|$)", "_mt_co2e", c) for c in df.columns})


def destinations_table(res) -> pd.DataFrame:
    """The destinations with the units in the column names (exports)."""
    return with_units(res.destinations.reset_index(drop=True))


def claim_verdict_line(claims: pd.DataFrame) -> str:
    """The claim check in one paragraph: which scopes match the published figures."""
    ok = claims[claims["verdict"] == "matches"]
    text = (f"{len(ok)} of {len(claims)} tested scopes reproduce the published figure within our interval"
            + (": " + "; ".join(f"#{i + 1} {r['claim']} — {r['scope']}" for i, (_, r) in enumerate(claims.iterrows())
                                 if r["verdict"] == "matches") if len(ok) else "") + ".")
    return text


# ---- Data & methods ------------------------------------------------------------------------------------------------
NOT_EXPORTS = (
    ("Exports are not installations", "a module shipped in a year may be stocked for months, installed the next year, "
     "or never installed; the installation share scales the exported MW that generate in the destination."),
    ("Re-export hubs", "the Netherlands (Rotterdam) receives modules that are installed elsewhere in Europe: their "
     "avoided emissions are counted at the hub's grid intensity and climate, not at those of the country where "
     "they are installed. The notes of each result name the hubs among the top destinations."),
    ("Ember's residual groups", "rows such as “other Africa” have no single grid: the engine uses a fallback "
     "intensity and capacity factor (named in the row's source columns); they count in the totals."),
    ("Other clean technologies", "batteries, electric vehicles and Chinese-built factories abroad are not in this "
     "model (CREA's 2024 total includes them; the claim check compares the solar part)."),
)


def parameter_table(params: pd.DataFrame) -> pd.DataFrame:
    """The authored table for people: parameter, tech, central value, range, unit, source (draws and seed left
    out: they are settings of the Monte Carlo, not of the model)."""
    t = params[~params["parameter"].isin(("draws", "seed"))].copy() if "parameter" in params else params.copy()
    for c in ("parameter", "tech", "value", "low", "high", "unit", "source"):
        if c not in t.columns:
            t[c] = ""

    def rng(lo, hi):
        try:
            return "fixed" if float(lo) == float(hi) else f"{float(lo):g}–{float(hi):g}"
        except (TypeError, ValueError):
            return ""
    t["range"] = [rng(lo, hi) for lo, hi in zip(t["low"], t["high"])]
    t["value"] = [f"{v:g}" if isinstance(v, (int, float, np.number)) and not pd.isna(v) else str(v)
                  for v in t["value"]]
    return t[["parameter", "tech", "value", "range", "unit", "source"]].fillna("")


def green_section(params: pd.DataFrame | None, section_id: str = "green-exports"):
    """The Data & methods section on the green-exports model."""
    from dash import dcc, html

    body = []
    if params is not None:
        table = parameter_table(params)
        head = html.Tr([html.Th(h, scope="col") for h in ("Parameter", "Tech", "Value", "Range", "Unit", "Source")])
        rows = [html.Tr([html.Td(html.Code(r.parameter)), html.Td(r.tech), html.Td(r.value), html.Td(r.range),
                         html.Td(r.unit), html.Td(r.source, className="green-source")]) for r in table.itertuples()]
        body = [html.H3("Parameters and their sources"),
                html.P(["The authored table ", html.Code("data/green_exports_parameters.csv"), " (the range is the "
                        "Monte Carlo and tornado range) and the page's parameters, which default to its central "
                        "values."], className="narrow"),
                html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table green-param-table",
                                    id=f"{section_id}-parameters"), className="table-scroll")]
    page_rows = [html.Tr([html.Td(html.Code(f)), html.Td(label), html.Td(f"{lo:g}–{hi:g}"), html.Td(hint)])
                 for f, label, lo, hi, _, hint in SLIDERS]
    page_rows += [html.Tr([html.Td(html.Code("displacement")), html.Td("Displaced intensity"),
                           html.Td("average | fossil_margin"), html.Td("Ember's grid average of the destination, or "
                                                                       "its fossil-only intensity (the margin).")]),
                  html.Tr([html.Td(html.Code("pv_commodities")), html.Td("Ember commodities counted"),
                           html.Td("Panels, Cells"), html.Td("Modules (default) and/or cells, kept apart as Ember "
                                                             "does; counting both double-counts cells that are "
                                                             "assembled abroad.")])]
    return html.Section([
        html.H2("Green exports"),
        html.P(["The ", dcc.Link("Green exports page", href="/green-exports"), " and ", html.Code("/api/v1/green-exports"),
                " (with ", html.Code("/tornado"), " and ", html.Code("/claim"), ") show model estimates, never "
                "measurements, of the emissions China's exported solar PV and wind equipment avoids abroad against "
                "the emissions of making it."], className="narrow"),
        html.P(["Method. Exports: PV from Ember's China solar exports by destination and month (MW, modules and "
                "cells apart); wind from an authored table of published Chinese wind-turbine exports by destination. "
                "Manufacturing: PV kg CO2e per kWp from the LCA literature (Fraunhofer ISE, Müller et al. 2021) "
                "scaled by China's grid intensity of the export year; wind from harmonised LCA results (NREL). "
                "Avoided: ", html.Code("MW × installation share × capacity factor × 8,760 h × Σ over the lifetime of "
                                       "(1 − degradation)^t × intensity × (1 − grid decline)^t"),
                ". Capacity factors: observed PV factors (OWID solar capacity with Ember/OWID solar generation), a "
                "documented fallback elsewhere; wind factors by region. Displaced intensity: the destination's "
                "Ember average or its fossil margin. Intervals: Monte Carlo draws over the parameter ranges; the "
                "tornado moves one parameter at a time."], className="narrow"),
        html.H3("What exports are not"),
        html.Ul([html.Li([html.Strong(what + ": "), why]) for what, why in NOT_EXPORTS], className="narrow"),
        html.H3("The page's parameters"),
        html.Div(html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in
                                                 ("URL key", "Meaning", "Allowed", "Note")])),
                             html.Tbody(page_rows)], className="table green-param-table"), className="table-scroll"),
        *body,
    ], id=section_id)


def field_default(name: str):
    return next(f.default for f in fields(_engine().GreenParams) if f.name == name)


def with_params(s: GreenState, **kw) -> GreenState:
    return replace(s, params=replace(s.params, **kw))
