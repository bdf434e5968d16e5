"""Product footprint views (``/footprint``, the chart registry, the briefing): the page state in the URL (a template
and what was changed, or a compressed inventory), the inventory table's rows, pure figure builders, the report as
PDF and XLSX and the Data & methods section.

Every number is a model estimate of :class:`engine.lca.LCA` (a tiered hybrid of the industry's process routes and the
WIOD multipliers, Suh and Huppes 2005); the figures, captions and exports say so.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.figures import footed_figure
from engine.core.errors import InputError

CI_LEVELS = (66, 90, 95)
#: Monte Carlo draws of the page, its exports and its report (about 0.1-0.2 s for a template).
PAGE_DRAWS = 500
TOP_PATHS = 20
SCRATCH = "scratch"
DEFAULT_TEMPLATE = "pv_module"
#: Countries the comparison starts with (the scope's country is always added).
DEFAULT_COMPARE = ("CHN", "USA", "DEU", "IND", "JPN", "VNM")
MODEL_BADGE = "Model estimate"
#: Longest inventory blob kept in the address [characters]; a longer inventory lives in a saved study (JSON).
MAX_BLOB = 1500
STEPS = (("1", "Goal and scope"), ("2", "Inventory"), ("3", "Result"), ("4", "Interpretation"))
#: Scope of "start from scratch": one line to begin with (the inventory cannot be empty).
SCRATCH_STUDY = {"scope": {"product": "My product", "amount": 1, "unit": "piece", "country": "CHN", "year": 2020,
                           "gwp": "AR5", "boundary": "cradle-to-gate"},
                 "lines": [{"kind": "electricity", "name": "assembly electricity", "amount": 10, "unit": "kWh",
                            "origin": "producer"}]}
BOUNDARY_LABELS = {"cradle-to-gate": "Cradle to gate",
                   "cradle-to-gate+use-electricity": "Cradle to gate + use-phase electricity"}
GWP_LABELS = {"AR4": "AR4 GWP100", "AR5": "AR5 GWP100", "AR6": "AR6 GWP100", "AR6-GWP20": "AR6 GWP20"}
#: URL keys of the page: the scope, the template's edits, the options (``year``, ``gwp`` and ``ci`` are the Query's
#: keys in the chart registry; the others its page parameters, :data:`components.charts.LCA_PARAMS`).
SCOPE_KEYS = ("product", "amount", "unit", "country", "year", "gwp", "boundary", "use_kwh", "use_country")
PARAMS = ("template", *SCOPE_KEYS, "amounts", "origins", "inv", "ci", "compare", "step")
KIND_LABELS = {"money": "money", "process": "process", "electricity": "electricity", "transport": "transport",
               "direct": "direct"}
#: Units offered in the table per kind (the engine accepts these and a few spellings more).
KIND_UNITS = {"money": ("USD", "EUR", "CNY"), "process": ("t", "kg"), "electricity": ("kWh", "MWh"),
              "transport": ("tkm",), "direct": ("kg", "t")}
#: The line field the table's "sector / good / mode / gas" column fills, per kind.
ITEM_FIELD = {"money": "sector", "process": "good", "transport": "mode", "direct": "gas"}
#: Short names of the WIOD 2013 sectors (for bars and chains; the full names are in the data exports).
SECTOR_SHORT = {
    "c1": "agriculture", "c2": "mining", "c3": "food", "c4": "textiles", "c5": "leather", "c6": "wood",
    "c7": "paper and printing", "c8": "refined petroleum and coke", "c9": "chemicals", "c10": "rubber and plastics",
    "c11": "glass, cement and ceramics", "c12": "basic metals", "c13": "machinery", "c14": "electrical equipment",
    "c15": "transport equipment", "c16": "other manufacturing", "c17": "electricity, gas and water",
    "c18": "construction", "c19": "motor-vehicle trade", "c20": "wholesale trade", "c21": "retail trade",
    "c22": "hotels and restaurants", "c23": "inland transport", "c24": "water transport", "c25": "air transport",
    "c26": "transport services", "c27": "post and telecoms", "c28": "finance", "c29": "real estate",
    "c30": "business services", "c31": "public administration", "c32": "education", "c33": "health",
    "c34": "other services", "c35": "households as employers"}
KIND_COLORS = {"money": "#2f6f9f", "process": "#b5562b", "electricity": "#c98a2b", "transport": "#6b7f3a",
               "direct": "#7a4f9a"}
GAS_COLORS = {"CO2": "#4a5a6a", "CH4": "#c98a2b", "N2O": "#2f7f6f", "F-gases": "#7a4f9a"}
CAPTIONS = {
    "contrib": "Each line of the inventory: its kg CO2e per functional unit (bars) and the Monte Carlo interval "
               "(whiskers). Money lines include their whole supply chain through the input–output table.",
    "country": "Where the emissions happen: foreground lines by supplying country, money lines by the country of "
               "the emitting industry anywhere in their supply chain (f ∘ L y).",
    "sector": "What the emissions come from: process goods, electricity, transport modes, direct gases and the "
              "WIOD sectors of the purchases.",
    "tiers": "Supply-chain tiers: the foreground lines, then the money lines' tier 0 (the supplier itself), tier 1 "
             "(its suppliers) and so on; the line is the running total.",
    "sensitivity": "What moves the total most: each line's amount over its own Monte Carlo interval and the grid and "
                   "transport factors over their cited ranges, the others held central.",
    "compare": "The same inventory made in other countries: the producer's lines (origin “producer”) move with "
               "it, imports keep their origin. The lowest footprint is highlighted.",
}


def _lca_engine():
    import engine.lca as lca

    return lca


# ---- state -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LcaState:
    """Everything the page shows depends on: the template it started from, the scope and the lines (the URL or a
    saved study holds it)."""

    template: str
    scope: object  # engine.lca.Scope
    records: tuple = field(default_factory=tuple)  # inventory lines as dicts (engine.lca.Line.to_dict)
    ci: int = 90
    compare: tuple = DEFAULT_COMPARE
    step: int = 1

    def inventory(self):
        return _lca_engine().from_records(list(self.records))


def base_study(lca, template: str) -> tuple[object, list[dict]]:
    """(scope, line dicts) of a template, or of the scratch study."""
    if template == SCRATCH:
        scope, inv = lca.from_json(SCRATCH_STUDY)
    else:
        scope, inv = lca.template(template)
    return scope, inv.to_list()


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")


def _unb64(blob: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(str(blob) + "=" * (-len(str(blob)) % 4))
        return zlib.decompress(raw).decode("utf-8")
    except Exception:  # noqa: BLE001 — any damage to the blob is one message
        raise InputError("inv is not a readable inventory (a damaged link?); open the saved study instead") from None


def inventory_blob(records) -> str:
    """The lines as compressed CSV for the address (``source`` and ``note`` left out: the saved study keeps them)."""
    lines = [{k: v for k, v in r.items() if k not in ("source", "note")} for r in records]
    return _b64(_lca_engine().from_records(lines).to_csv())


def _pairs(raw: str, what: str) -> dict[int, str]:
    out = {}
    for part in str(raw).split(","):
        if not part.strip():
            continue
        n, _, v = part.partition(":")
        try:
            out[int(n)] = v.strip()
        except ValueError:
            raise InputError(f"{what} must be line:value pairs separated by commas (e.g. 3:50); got "
                             f"{str(raw)[:40]!r}") from None
    return out


def parse_state(lca, params: dict) -> tuple[LcaState, list[str]]:
    """(state, problems) of the page's URL parameters: a bad value is named and left out."""
    lca_mod = _lca_engine()
    problems: list[str] = []
    template = str(params.get("template") or DEFAULT_TEMPLATE).strip().lower()
    known = [*lca.templates()["name"], SCRATCH]
    if template not in known:
        problems.append(f"unknown template {template!r}; templates: {', '.join(known)}. Showing {DEFAULT_TEMPLATE}.")
        template = DEFAULT_TEMPLATE
    scope, records = base_study(lca, template)
    for key in SCOPE_KEYS:
        raw = params.get(key)
        if raw in (None, ""):
            continue
        try:
            scope = scope.replace(**{key: raw})
        except InputError as exc:
            problems.append(f"{key}: {exc}")
    if params.get("boundary") == "cradle-to-gate" and scope.use_kwh:
        scope = scope.replace(use_kwh=0)
    if params.get("inv"):
        try:
            records = lca_mod.from_csv(_unb64(params["inv"])).to_list()
        except InputError as exc:
            problems.append(f"inv: {exc}")
    for key, fld in (("amounts", "amount"), ("origins", "origin")):
        if params.get(key):
            try:
                for n, v in _pairs(params[key], key).items():
                    if not 1 <= n <= len(records):
                        raise InputError(f"{key}: there is no line {n} (the inventory has {len(records)})")
                    rec = dict(records[n - 1])
                    rec[fld] = v
                    records[n - 1] = lca_mod.inventory.make_line(rec, n).to_dict()
            except InputError as exc:
                problems.append(str(exc))
    ci = 90
    if params.get("ci") not in (None, ""):
        try:
            ci = int(params["ci"])
            if ci not in CI_LEVELS:
                raise ValueError
        except ValueError:
            problems.append(f"ci must be one of {', '.join(map(str, CI_LEVELS))}; got {str(params['ci'])[:10]!r}")
            ci = 90
    compare = DEFAULT_COMPARE
    if params.get("compare"):
        items = [c.strip().upper() for c in str(params["compare"]).split(",") if c.strip()]
        bad = [c for c in items if c not in lca.known_countries()]
        if bad:
            problems.append(f"compare: unknown countries {', '.join(bad[:5])}; left out.")
        compare = tuple(c for c in items if c not in bad)[:20] or DEFAULT_COMPARE
    step = 1
    if params.get("step") not in (None, ""):
        try:
            step = min(max(int(params["step"]), 1), len(STEPS))
        except ValueError:
            problems.append("step must be 1-4.")
    return LcaState(template, scope, tuple(records), ci, tuple(compare), step), problems


def page_search(lca, s: LcaState) -> tuple[str, bool]:
    """(query string, complete): the template and what differs from it; ``complete`` is False when the inventory is
    too long for the address (then only a saved study keeps it)."""
    scope0, lines0 = base_study(lca, s.template)
    now, then = s.scope.to_dict(), scope0.to_dict()
    # the year always, the GWP set unless the Query's default: they are the Query's in the exports and the briefing
    d = {"template": s.template, "year": s.scope.year}
    if s.scope.gwp != "AR5":
        d["gwp"] = s.scope.gwp
    for key in SCOPE_KEYS:
        if key not in ("year", "gwp") and now[key] != then[key]:
            v = now[key]
            d[key] = f"{v:g}" if isinstance(v, float) else v
    complete = True
    lines = [dict(r) for r in s.records]
    same_shape = len(lines) == len(lines0) and all(
        {k: v for k, v in a.items() if k not in ("amount", "origin")} ==
        {k: v for k, v in b.items() if k not in ("amount", "origin")} for a, b in zip(lines, lines0))
    if same_shape:
        am = [f"{i}:{a['amount']:g}" for i, (a, b) in enumerate(zip(lines, lines0), 1) if a["amount"] != b["amount"]]
        og = [f"{i}:{a['origin']}" for i, (a, b) in enumerate(zip(lines, lines0), 1) if a["origin"] != b["origin"]]
        if am:
            d["amounts"] = ",".join(am)
        if og:
            d["origins"] = ",".join(og)
    else:
        blob = inventory_blob(lines)
        if len(blob) <= MAX_BLOB:
            d["inv"] = blob
        else:
            complete = False
    if s.ci != 90:
        d["ci"] = s.ci
    if tuple(s.compare) != DEFAULT_COMPARE:
        d["compare"] = ",".join(s.compare)
    if s.step != 1:
        d["step"] = s.step
    return urlencode(d, safe=",:"), complete


# ---- the table ---------------------------------------------------------------------------------------------------
TABLE_COLUMNS = (
    {"id": "kind", "name": "Kind", "presentation": "dropdown"},
    {"id": "name", "name": "Name"},
    {"id": "amount", "name": "Amount", "type": "numeric"},
    {"id": "unit", "name": "Unit", "presentation": "dropdown"},
    {"id": "item", "name": "Sector / good / mode / gas", "presentation": "dropdown"},
    {"id": "origin", "name": "Origin", "presentation": "dropdown"},
    {"id": "price_year", "name": "Price year", "type": "numeric"},
)


def rows_from_records(records) -> list[dict]:
    """Table rows of inventory line dicts: the kind's field in the one ``item`` column; source and note kept."""
    rows = []
    for r in records:
        kind = r.get("kind", "")
        f = ITEM_FIELD.get(kind)
        rows.append({"kind": kind, "name": r.get("name", ""), "amount": r.get("amount"), "unit": r.get("unit", ""),
                     "item": r.get(f, "") if f else "", "origin": r.get("origin", "producer"),
                     "price_year": r.get("price_year") or None, "source": r.get("source", ""),
                     "note": r.get("note", "")})
    return rows


def records_from_rows(rows) -> list[dict]:
    """Inventory line dicts of the table's rows (the engine checks them: ``line n: ...``)."""
    out = []
    for r in rows or []:
        kind = str(r.get("kind") or "").strip().lower()
        d = {"kind": kind, "name": r.get("name") or "", "amount": r.get("amount"), "unit": r.get("unit") or "",
             "origin": r.get("origin") or "producer"}
        f = ITEM_FIELD.get(kind)
        if f and r.get("item") not in (None, ""):
            d[f] = r["item"]
        if kind == "money" and r.get("price_year") not in (None, ""):
            d["price_year"] = r["price_year"]
        for k in ("source", "note"):
            if r.get(k):
                d[k] = r[k]
        out.append(d)
    return out


def new_row(kind: str = "money") -> dict:
    return {"kind": kind, "name": "new input", "amount": 0, "unit": KIND_UNITS[kind][0], "item": "c12" if kind ==
            "money" else "", "origin": "producer", "price_year": 2020 if kind == "money" else None, "source": "",
            "note": ""}


def table_dropdowns(countries: list[dict]) -> tuple[dict, list[dict]]:
    """(dropdown, dropdown_conditional) of the table: units, items and origins by the row's kind."""
    from engine.lca.factors import MODES
    from engine.lca.inventory import DIRECT_GASES, GOODS
    from engine.sources.wiod import SECTORS

    items = {"money": [{"label": f"{k} {SECTOR_SHORT[k]}", "value": k} for k in SECTORS],
             "process": [{"label": g.replace("_", " "), "value": g} for g in GOODS],
             "transport": [{"label": m.replace("_", " "), "value": m} for m in MODES],
             "direct": [{"label": g, "value": g} for g in DIRECT_GASES]}
    dropdown = {"kind": {"options": [{"label": v, "value": k} for k, v in KIND_LABELS.items()], "clearable": False},
                "origin": {"options": [{"label": "producer", "value": "producer"},
                                       *countries], "clearable": False}}
    cond = []
    for kind in KIND_LABELS:
        q = f'{{kind}} = "{kind}"'
        cond.append({"if": {"column_id": "unit", "filter_query": q},
                     "options": [{"label": u, "value": u} for u in KIND_UNITS[kind]], "clearable": False})
        cond.append({"if": {"column_id": "item", "filter_query": q},
                     "options": items.get(kind, [{"label": "—", "value": ""}]), "clearable": kind not in items})
    return dropdown, cond


def table_styles() -> list[dict]:
    """Grey cells that the row's kind does not use (the item of an electricity line, the price year of all but
    money lines)."""
    return [{"if": {"filter_query": '{kind} != "money"', "column_id": "price_year"}, "backgroundColor": "#f1f3f5",
             "color": "#9aa3ad"},
            {"if": {"filter_query": '{kind} = "electricity"', "column_id": "item"}, "backgroundColor": "#f1f3f5",
             "color": "#9aa3ad"}]


# ---- running -----------------------------------------------------------------------------------------------------
def result(lca, s: LcaState, draws: int = PAGE_DRAWS):
    """The engine's result of the state (the page's draws and paths; seed 0, so every view repeats)."""
    return lca.run(s.scope, s.inventory(), draws=draws, ci=s.ci, seed=0, top_paths=TOP_PATHS)


def comparison(lca, s: LcaState) -> pd.DataFrame:
    return lca.compare_origins(s.scope, s.inventory(), list(s.compare))


def fmt_kg(v: float) -> str:
    """kg CO2e in 3 significant figures with a thousands separator."""
    if v is None or not np.isfinite(v):
        return "–"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:,.1f}" if a < 100 else f"{v:,.0f}"
    return f"{v:.2g}" if a < 1 else f"{v:.2f}"


def headline_items(res) -> list[dict]:
    """The headline cards: the total per functional unit with its interval, then each gas."""
    sc = res.scope
    per = f"kg CO2e per {sc.amount:g} {sc.unit}"
    t = res.totals.set_index("gas")
    has_iv = "kg_co2e_low" in t.columns
    items = [{"key": "total", "label": f"{sc.product}: total", "value": fmt_kg(res.total), "unit": per,
              "interval": f"{fmt_kg(res.interval[0])}–{fmt_kg(res.interval[1])}" if res.interval else None}]
    for gas in ("CO2", "CH4", "N2O", "F-gases"):
        if gas not in t.index:
            continue
        r = t.loc[gas]
        items.append({"key": gas.lower().replace("-", ""), "label": gas, "value": fmt_kg(r["kg_co2e"]),
                      "unit": "kg CO2e",
                      "interval": f"{fmt_kg(r['kg_co2e_low'])}–{fmt_kg(r['kg_co2e_high'])}" if has_iv else None})
    return items


def sector_label(code: str) -> str:
    return SECTOR_SHORT.get(code, str(code).replace("_", " "))


def path_chain(nodes, names: dict) -> str:
    """A path as a readable chain from the purchase to the emitter: ``electrical equipment (China) ← electricity,
    gas and water (China)``."""
    parts = []
    for node in nodes:
        reg, sec = str(node).split(":")
        where = "rest of the world" if reg == "ROW" else names.get(reg, reg)
        parts.append(f"{sector_label(sec)} ({where})")
    return " ← ".join(parts)


def paths_table(res, names: dict) -> pd.DataFrame:
    """The top structural paths for people and exports: rank, line, chain, order, kg CO2e, share [%]."""
    p = res.paths
    if p.empty:
        return pd.DataFrame(columns=["rank", "line", "input", "chain", "order", "kg_co2e", "share_pct"])
    return pd.DataFrame({"rank": p["rank"], "line": p["line"], "input": p["name"],
                         "chain": [path_chain(n, names) for n in p["nodes"]], "order": p["order"],
                         "kg_co2e": p["kg_co2e"], "share_pct": 100 * p["share"]})


def where_table(res, names: dict) -> pd.DataFrame:
    """Emissions by the country where they happen: foreground lines by supplying country, money lines by the
    emitting region of their supply chain [kg CO2e]."""
    fg = res.lines[res.lines["kind"] != "money"].groupby("country")["kg_co2e"].sum()
    em = res.by_emitter.groupby("region")["kg_co2e"].sum() if len(res.by_emitter) else pd.Series(dtype=float)
    t = pd.DataFrame({"foreground_kg_co2e": fg, "supply_chain_kg_co2e": em}).fillna(0.0)
    t["kg_co2e"] = t.sum(axis=1)
    t = t.sort_values("kg_co2e", ascending=False)
    t.index.name = "country"
    t = t.reset_index()
    t.insert(1, "name", [("Rest of the world (WIOD)" if c == "ROW" else names.get(c, c)) for c in t["country"]])
    tot = t["kg_co2e"].sum()
    t["share_pct"] = 100 * t["kg_co2e"] / tot if tot else np.nan
    return t


def what_table(res) -> pd.DataFrame:
    """Emissions by what causes them: foreground lines by good / electricity / mode / gas, money lines by the
    emitting WIOD sector anywhere in their supply chain [kg CO2e]."""
    fg = res.lines[res.lines["kind"] != "money"]
    rows = [{"source": f"{r.sector.replace('_', ' ')} ({r.kind})", "kind": r.kind, "kg_co2e": r.kg_co2e}
            for r in fg.itertuples()]
    em = res.by_emitter
    if len(em):
        for sec, v in em.groupby("sector")["kg_co2e"].sum().items():
            rows.append({"source": f"{sector_label(sec)} (supply chain)", "kind": "money", "kg_co2e": v})
    t = pd.DataFrame(rows, columns=["source", "kind", "kg_co2e"])
    t = t.groupby(["source", "kind"], as_index=False)["kg_co2e"].sum().sort_values("kg_co2e", ascending=False,
                                                                                   ignore_index=True)
    tot = t["kg_co2e"].sum()
    t["share_pct"] = 100 * t["kg_co2e"] / tot if tot else np.nan
    return t


# ---- figures -----------------------------------------------------------------------------------------------------
def _short(text, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def _layout(fig: go.Figure, title: str, height: int, left: int = 10, **extra) -> go.Figure:
    return footed_figure(fig, title, height, left, **extra)


def _unit(res) -> str:
    return f"kg CO2e per {res.scope.amount:g} {res.scope.unit}"


def build_contrib_figure(res, top: int = 15) -> go.Figure:
    """Contribution by input: one bar per line (largest first) with its interval, coloured by kind."""
    t = res.lines.sort_values("kg_co2e", ascending=False).head(top)
    ys = [f"{ln}. {_short(n, 26)}" for ln, n in zip(t["line"], t["name"])]
    err = None
    if "kg_co2e_low" in t.columns:
        err = dict(type="data", symmetric=False, array=(t["kg_co2e_high"] - t["kg_co2e"]).clip(lower=0),
                   arrayminus=(t["kg_co2e"] - t["kg_co2e_low"]).clip(lower=0), thickness=1.2, width=3, color="#333")
    fig = go.Figure(go.Bar(y=ys, x=t["kg_co2e"], orientation="h", error_x=err,
                           marker=dict(color=[KIND_COLORS.get(k, "#888") for k in t["kind"]]),
                           customdata=np.column_stack([t["kind"], 100 * t["share"], t["name"]]),
                           hovertemplate="%{customdata[2]} (%{customdata[0]}): %{x:,.1f} kg CO2e, "
                                         "%{customdata[1]:.1f} %<extra></extra>", name="Inputs"))
    return _layout(fig, f"Contribution by input ({_unit(res)})", max(300, 90 + 26 * len(ys)),
                   xaxis=dict(title="kg CO2e", rangemode="tozero"), yaxis=dict(autorange="reversed", automargin=True),
                   showlegend=False)


def _hbars(t: pd.DataFrame, label: str, title: str, height_min: int = 260, color: str = "#2f6f9f") -> go.Figure:
    fig = go.Figure(go.Bar(y=t[label], x=t["kg_co2e"], orientation="h", marker=dict(color=color),
                           customdata=t["share_pct"],
                           hovertemplate="%{y}: %{x:,.1f} kg CO2e (%{customdata:.1f} %)<extra></extra>"))
    return _layout(fig, title, max(height_min, 90 + 26 * len(t)), xaxis=dict(title="kg CO2e", rangemode="tozero"),
                   yaxis=dict(autorange="reversed", automargin=True), showlegend=False)


def build_country_figure(where: pd.DataFrame, res, top: int = 10) -> go.Figure:
    """Where the emissions happen, by country (foreground and supply chain stacked)."""
    t = where.head(top)
    ys = [_short(n, 28) for n in t["name"]]
    fig = go.Figure([
        go.Bar(y=ys, x=t["foreground_kg_co2e"], orientation="h", name="Foreground lines",
               marker=dict(color="#b5562b"), hovertemplate="%{y}: foreground %{x:,.1f} kg CO2e<extra></extra>"),
        go.Bar(y=ys, x=t["supply_chain_kg_co2e"], orientation="h", name="Supply chains of purchases",
               marker=dict(color="#2f6f9f"), hovertemplate="%{y}: supply chains %{x:,.1f} kg CO2e<extra></extra>"),
    ])
    return _layout(fig, f"Where the emissions happen ({_unit(res)})", max(280, 110 + 28 * len(ys)), barmode="stack",
                   xaxis=dict(title="kg CO2e", rangemode="tozero"), yaxis=dict(autorange="reversed", automargin=True),
                   margin=dict(l=10, r=16, t=48, b=70))


def build_sector_figure(what: pd.DataFrame, res, top: int = 12) -> go.Figure:
    """What the emissions come from: goods, electricity, modes, gases and emitting sectors."""
    t = what.head(top).copy()
    t["label"] = [_short(s, 30) for s in t["source"]]
    fig = go.Figure(go.Bar(y=t["label"], x=t["kg_co2e"], orientation="h",
                           marker=dict(color=[KIND_COLORS.get(k, "#888") for k in t["kind"]]),
                           customdata=t["share_pct"],
                           hovertemplate="%{y}: %{x:,.1f} kg CO2e (%{customdata:.1f} %)<extra></extra>"))
    return _layout(fig, f"By supplying sector and process ({_unit(res)})", max(280, 90 + 26 * len(t)),
                   xaxis=dict(title="kg CO2e", rangemode="tozero"), yaxis=dict(autorange="reversed", automargin=True),
                   showlegend=False)


def tiers_frame(res, last: int = 8) -> pd.DataFrame:
    """Tiers for the chart: foreground, tiers 0..last-1 and the rest together [kg CO2e]."""
    t = res.tiers
    fg = float(t.loc[t["tier"] == -1, "kg_co2e"].sum())
    money = t[t["tier"] >= 0]
    rows = [{"tier": "foreground", "kg_co2e": fg}]
    rows += [{"tier": f"tier {int(r.tier)}", "kg_co2e": float(r.kg_co2e)} for r in money.itertuples()
             if r.tier < last]
    rest = float(res.lines.loc[res.lines["kind"] == "money", "kg_co2e"].sum()) - float(
        money.loc[money["tier"] < last, "kg_co2e"].sum())
    if len(money):
        rows.append({"tier": f"tier {last}+", "kg_co2e": max(rest, 0.0)})
    out = pd.DataFrame(rows)
    out["cumulative_kg_co2e"] = out["kg_co2e"].cumsum()
    return out


def build_tiers_figure(tiers: pd.DataFrame, res) -> go.Figure:
    """Supply-chain tiers as horizontal bars (foreground first) with the running total as markers."""
    ys = list(tiers["tier"])
    fig = go.Figure([
        go.Bar(y=ys, x=tiers["kg_co2e"], orientation="h", name="This tier", marker=dict(color="#2f6f9f"),
               hovertemplate="%{y}: %{x:,.1f} kg CO2e<extra></extra>"),
        go.Scatter(y=ys, x=tiers["cumulative_kg_co2e"], name="Running total", mode="lines+markers",
                   line=dict(color="#b5562b"), hovertemplate="up to %{y}: %{x:,.1f} kg CO2e<extra></extra>"),
    ])
    return _layout(fig, f"By supply-chain tier ({_unit(res)})", max(300, 110 + 26 * len(ys)),
                   xaxis=dict(title="kg CO2e", rangemode="tozero"), yaxis=dict(autorange="reversed", automargin=True),
                   margin=dict(l=10, r=16, t=48, b=70))


def build_sensitivity_figure(res, top: int = 10) -> go.Figure:
    """A tornado of the sensitivity ranking: the total when each parameter is at its low and high value."""
    t = res.sensitivity.head(top)
    ys = [_short(p, 30) for p in t["parameter"]]
    base = res.total
    fig = go.Figure([
        go.Bar(y=ys, x=t["total_low"] - base, base=base, orientation="h", name="Low value",
               marker=dict(color="#2f6f9f"), customdata=t["total_low"],
               hovertemplate="%{y}: total %{customdata:,.1f} kg CO2e at the low value<extra></extra>"),
        go.Bar(y=ys, x=t["total_high"] - base, base=base, orientation="h", name="High value",
               marker=dict(color="#c98a2b"), customdata=t["total_high"],
               hovertemplate="%{y}: total %{customdata:,.1f} kg CO2e at the high value<extra></extra>"),
    ])
    fig.add_vline(x=base, line=dict(color="#333", width=1, dash="dot"))
    return _layout(fig, f"What moves the total most ({_unit(res)})", max(300, 110 + 28 * len(ys)), barmode="overlay",
                   xaxis=dict(title="total, kg CO2e"), yaxis=dict(autorange="reversed", automargin=True),
                   shapes=fig.layout.shapes, margin=dict(l=10, r=16, t=48, b=70))


def build_compare_figure(cmp: pd.DataFrame, res, names: dict) -> go.Figure:
    """The same product made in each country (lowest first), the lowest highlighted, the scope's country marked."""
    t = cmp.dropna(subset=["kg_co2e"])
    base = cmp.attrs.get("base", res.scope.country)
    ys = [f"{names.get(c, c)}" + (" (scope)" if c == base else "") for c in t["country"]]
    colors = ["#2f7f6f" if i == 0 else ("#b5562b" if c == base else "#8a98a8") for i, c in enumerate(t["country"])]
    fig = go.Figure(go.Bar(y=ys, x=t["kg_co2e"], orientation="h", marker=dict(color=colors),
                           customdata=100 * t["vs_base"],
                           hovertemplate="%{y}: %{x:,.1f} kg CO2e (%{customdata:.0f} % of the scope's "
                                         "country)<extra></extra>"))
    return _layout(fig, f"Made elsewhere: the same inventory ({_unit(res)})", max(280, 90 + 28 * len(ys)),
                   xaxis=dict(title="kg CO2e", rangemode="tozero"), yaxis=dict(autorange="reversed", automargin=True),
                   showlegend=False)


def build_paths_figure(paths: pd.DataFrame, res, top: int = 10) -> go.Figure:
    """The top structural paths as bars, each labelled with its chain (purchase → emitter, shortened)."""
    t = paths.head(top)
    ys = [f"{r.rank}. " + _short(r.chain, 48) for r in t.itertuples()]
    fig = go.Figure(go.Bar(y=ys, x=t["kg_co2e"], orientation="h", marker=dict(color="#2f6f9f"),
                           customdata=np.column_stack([t["chain"], t["input"], t["share_pct"]]) if len(t) else None,
                           hovertemplate="%{customdata[1]}: %{customdata[0]}: %{x:,.1f} kg CO2e "
                                         "(%{customdata[2]:.1f} %)<extra></extra>"))
    return _layout(fig, f"Top supply-chain paths ({_unit(res)})", max(280, 90 + 26 * len(ys)),
                   xaxis=dict(title="kg CO2e", rangemode="tozero"), yaxis=dict(autorange="reversed", automargin=True),
                   showlegend=False)


def build_gas_figure(res) -> go.Figure:
    """The total by gas (CO2e of the scope's GWP set) with intervals: the report's summary chart."""
    t = res.totals[res.totals["gas"] != "total"]
    err = None
    if "kg_co2e_low" in t.columns:
        err = dict(type="data", symmetric=False, array=(t["kg_co2e_high"] - t["kg_co2e"]).clip(lower=0),
                   arrayminus=(t["kg_co2e"] - t["kg_co2e_low"]).clip(lower=0), thickness=1.2, width=3, color="#333")
    fig = go.Figure(go.Bar(x=t["gas"], y=t["kg_co2e"], error_y=err,
                           marker=dict(color=[GAS_COLORS.get(g, "#888") for g in t["gas"]]),
                           hovertemplate="%{x}: %{y:,.1f} kg CO2e<extra></extra>"))
    iv = f", {res.ci} % interval {fmt_kg(res.interval[0])}–{fmt_kg(res.interval[1])}" if res.interval else ""
    return _layout(fig, f"{_short(res.scope.product, 40)}: {fmt_kg(res.total)} {_unit(res)}{iv}", 360, left=60,
                   yaxis=dict(title="kg CO2e", rangemode="tozero"), showlegend=False)


# ---- report ------------------------------------------------------------------------------------------------------
def scope_rows(res) -> list[tuple[str, str]]:
    sc = res.scope
    rows = [("product", sc.product), ("functional unit", f"{sc.amount:g} {sc.unit}"),
            ("producing country", sc.country), ("year", str(sc.year)), ("impact method", GWP_LABELS.get(sc.gwp, sc.gwp)),
            ("boundary", BOUNDARY_LABELS.get(sc.boundary, sc.boundary))]
    if sc.use_kwh:
        rows.append(("use-phase electricity", f"{sc.use_kwh:g} kWh in {sc.use_country}"))
    rows.append(("total", f"{fmt_kg(res.total)} {_unit(res)}"
                 + (f" ({res.ci} % interval {fmt_kg(res.interval[0])}–{fmt_kg(res.interval[1])}, {res.draws} "
                    f"Monte Carlo draws)" if res.interval else "")))
    return rows


def report_tables(res, cmp: pd.DataFrame | None, names: dict) -> dict[str, pd.DataFrame]:
    """Every table of the report (sheet name -> frame), units in the column names."""
    lines = res.lines.copy()
    lines["share_pct"] = 100 * lines.pop("share")
    out = {"scope": pd.DataFrame(scope_rows(res), columns=["field", "value"]),
           "by_gas": res.totals.rename(columns={"kg": "kg_gas"}),
           "inventory": pd.DataFrame(res.inventory.to_list()),
           "lines": lines,
           "where": where_table(res, names),
           "what": what_table(res),
           "tiers": res.tiers,
           "paths": paths_table(res, names),
           "sensitivity": res.sensitivity}
    if cmp is not None:
        out["compare"] = cmp.assign(name=[names.get(c, c) for c in cmp["country"]])
    out["notes"] = pd.DataFrame({"note": [*res.notes, METHOD_NOTE]})
    return out


METHOD_NOTE = ("Model estimates (Holocarbon /footprint): a tiered hybrid life-cycle assessment (Suh and Huppes 2005) "
               "of the inventory: process lines through the industry routes, electricity at Ember grid intensities, "
               "transport by cited factors, purchases through the WIOD 2013 multipliers; intervals from seeded Monte "
               "Carlo draws.")


def report_xlsx(res, cmp, names: dict, about: list[tuple[str, str]]) -> bytes:
    """The report as one workbook: scope, by gas, inventory, every interpretation table, notes, about."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, frame in report_tables(res, cmp, names).items():
            f = frame.copy()
            for c in f.columns:
                if f[c].map(lambda v: isinstance(v, (tuple, list))).any():
                    f[c] = f[c].map(lambda v: " > ".join(map(str, v)) if isinstance(v, (tuple, list)) else v)
            f.to_excel(xw, sheet_name=name[:31], index=False)
        pd.DataFrame(about, columns=["field", "value"]).to_excel(xw, sheet_name="about", index=False)
    return buf.getvalue()


def study_json(lca, s: LcaState) -> str:
    """The whole study (scope + lines) as the engine's JSON (:meth:`engine.lca.LCA.to_json`)."""
    return json.dumps(lca.to_json(s.scope, s.inventory()), indent=1, ensure_ascii=False)


def with_scope(s: LcaState, scope) -> LcaState:
    return dataclasses.replace(s, scope=scope)


# ---- Data & methods ------------------------------------------------------------------------------------------------
LIMITS = (
    ("Screening, not a verified footprint", "the templates are simplified bills of materials with cited amounts; a "
     "product declaration (ISO 14067, an EPD) needs the producer's own data and a critical review."),
    ("Input–output resolution", "WIOD 2013 has 35 sectors and 40 countries plus a rest of the world: a purchase "
     "gets the average intensity of its whole sector and country (all plastics alike), in the prices of the table "
     "(2011 for later years, deflated; the nowcast keeps the 2011 structure)."),
    ("Process boundary", "process lines follow the industry routes' CBAM boundary (direct, electricity and "
     "precursors); mining and upstream fuel supply are outside it unless added as money lines."),
    ("Double counting", "a money line of the sector that sells a process good (c12 for steel and aluminium, c11 "
     "for cement, c9 for ammonia, urea, hydrogen) from the same supplier double-counts it: the engine names such "
     "lines in the notes. Grid and transport factors are life-cycle values reported under CO2."),
    ("Use phase", "only electricity can be added (kWh at a country's grid); fuel use, maintenance and end of life are "
     "outside the boundary."),
)


def factor_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The factor table for people: yearly series (exchange rates, the deflator) as one row each with the years and
    the range of values; the other factors as they are."""
    if "year" not in table.columns:
        return table
    yearly = table["year"].notna() & table.duplicated(["factor", "key"], keep=False)
    rows = [table[~yearly]]
    for (factor, key), g in table[yearly].groupby(["factor", "key"], sort=False):
        years = g["year"].astype(int)
        rows.append(pd.DataFrame([{**g.iloc[0].to_dict(), "year": f"{years.min()}–{years.max()}",
                                   "value": f"{g['value'].min():.4g}–{g['value'].max():.4g}", "low": "", "high": ""}]))
    out = pd.concat(rows, ignore_index=True)
    out["year"] = [("" if pd.isna(y) else y if isinstance(y, str) else f"{int(y)}") for y in out["year"]]
    return out


def lca_section(factors: pd.DataFrame | None, templates: list[dict], section_id: str = "footprint"):
    """The Data & methods section on product footprints: ISO 14040/44 steps, the tiered hybrid and its
    double-counting rule, structural paths, Monte Carlo, the factor table and the templates with their sources."""
    from dash import dcc, html

    body = []
    if factors is not None:
        factors = factor_rows(factors)
        cols = [c for c in ("factor", "key", "year", "value", "low", "high", "unit", "source") if c in factors.columns]
        head = html.Tr([html.Th(c.replace("_", " ").capitalize(), scope="col") for c in cols])
        rows = [html.Tr([html.Td(str(r[c]) if pd.notna(r[c]) else "", className="green-source" if c == "source"
                                 else None) for c in cols]) for _, r in factors.iterrows()]
        body += [html.H3("Factor table"),
                 html.P(["The authored table ", html.Code("data/lca_factors.csv"), " (transport factors with their "
                         "ranges, currency rates, the US deflator of money lines); grid intensities come from Ember "
                         "(life cycle), process goods from the industry routes (", dcc.Link("Industry and CBAM",
                                                                                             href="/data#industry"),
                         ")."], className="narrow"),
                 html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table green-param-table",
                                     id=f"{section_id}-factors"), className="table-scroll")]
    trows = [html.Tr([html.Td(html.Code(t["name"])), html.Td(t["title"]), html.Td(t["published"]),
                      html.Td("; ".join(t["sources"]), className="green-source")]) for t in templates]
    return html.Section([
        html.H2("Product footprints"),
        html.P(["The ", dcc.Link("Product footprint page", href="/footprint"), " and ", html.Code("POST /api/v1/lca"),
                " compute model estimates, never measurements, of the greenhouse gases emitted to make a product, "
                "from a bill of inputs on public data."], className="narrow"),
        html.H3("Method"),
        html.Ol([
            html.Li([html.Strong("Goal and scope "), "(ISO 14040/14044 §4.2): the product, its functional unit and "
                     "amount, the producing country and year, the impact method (a GWP set applied per gas) and the "
                     "system boundary: cradle to gate, or cradle to gate with the use phase's electricity."]),
            html.Li([html.Strong("Inventory "), "(§4.3): a bill of inputs per functional unit. Purchases in money by "
                     "WIOD sector and country of origin (converted to US dollars of the table's year with the stated "
                     "rate and deflator); tonnes of steel, aluminium, cement, clinker, ammonia, urea or hydrogen "
                     "through the supplying country's calibrated process routes; kWh at the country's Ember "
                     "life-cycle grid intensity; tonne-kilometres by transport mode; direct emissions of CO2, CH4 "
                     "and N2O."]),
            html.Li([html.Strong("Impact assessment "), "(§4.4): a tiered hybrid (Suh and Huppes 2005, "
                     "doi:10.1016/j.jclepro.2004.01.003): the process lines are the foreground, the money lines "
                     "enter the input–output background, ", html.Code("e = Σ amount × factor + f ∘ L y"),
                     ". The double-counting rule: a process good and a purchase of the sector that sells it from "
                     "the same country cover the same emissions; the engine keeps both (the user decides) and names "
                     "the pair in the notes."]),
            html.Li([html.Strong("Interpretation "), "(§4.5): contribution by input, by supplying country and "
                     "sector and by supply-chain tier (the power series ", html.Code("f (I + A + A² + …) y"),
                     "); structural path analysis (Defourny and Thorbecke 1984; Lenzen 2003, "
                     "doi:10.1016/S0954-349X(02)00025-5) lists the largest chains, e.g. “electrical equipment "
                     "(China) ← electricity, gas and water (China)”; a sensitivity ranking and data-quality notes; "
                     "the same inventory made in other countries."]),
        ], className="narrow"),
        html.P(["Monte Carlo: money lines with the uncertainty engine's emission draws (Solazzo et al. 2021, per "
                "country, sector and gas) and the table's cell errors, process lines with draws of the industry "
                "parameter table, electricity and transport with their cited ranges; the page uses ",
                str(PAGE_DRAWS), " seeded draws. The matrix calculation is checked against Brightway's bw2calc on "
                "the same technosphere and biosphere (the tests)."], className="narrow"),
        html.H3("Limits"),
        html.Ul([html.Li([html.Strong(a + ": "), b]) for a, b in LIMITS], className="narrow"),
        html.H3("Templates and their sources"),
        html.P(["Editable JSON files in ", html.Code("data/lca_templates/"), "; every line carries its source."],
               className="narrow"),
        html.Div(html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in
                                                 ("Template", "Product", "Published footprint", "Sources")])),
                             html.Tbody(trows)], className="table green-param-table", id=f"{section_id}-templates"),
                 className="table-scroll"),
        *body,
    ], id=section_id)


def template_rows(lca) -> list[dict]:
    """Templates with their published comparison and sources (Data & methods, the page's template panel)."""
    from engine.lca import templates as tm

    out = []
    for name in tm.names():
        t = tm.load(name)
        pub = t.get("published", {})
        out.append({"name": name, "title": t.get("title", name), "description": t.get("description", ""),
                    "published": (f"{pub['kg_co2e']:,} kg CO2e — {pub.get('source', '')}" if pub.get("kg_co2e")
                                  else ""), "published_kg": pub.get("kg_co2e"), "note": pub.get("note", ""),
                    "sources": list(t.get("sources", []))})
    return out


# ---- the report (PDF through the briefing's pages, XLSX) -----------------------------------------------------------
def report_intro(res) -> str:
    sc = res.scope
    iv = (f" ({res.ci} % interval {fmt_kg(res.interval[0])}–{fmt_kg(res.interval[1])})" if res.interval else "")
    top = res.lines.sort_values("kg_co2e", ascending=False).head(3)
    return (f"{sc.product}: {fmt_kg(res.total)} {_unit(res)}{iv}, made in {sc.country} in {sc.year}, "
            f"{GWP_LABELS.get(sc.gwp, sc.gwp)}, {BOUNDARY_LABELS.get(sc.boundary, sc.boundary).lower()}. "
            "Largest inputs: " + "; ".join(f"{_short(r.name, 60)} {100 * r.share:.0f} %" for r in top.itertuples())
            + ". " + METHOD_NOTE + " Every number is a model estimate, not a measurement.")


def report_pdf(acc, s: LcaState, renderer) -> bytes:
    """The report as one PDF with the briefing's pages: a cover with the result in words, one page per footprint
    chart (the paths as a table), the sources. The charts are those of the registry (:data:`components.charts.
    LCA_CHARTS`), built from the page's state directly (no address length limit)."""
    from urllib.parse import parse_qsl

    from pypdf import PdfWriter

    from components import briefing as br
    from components.charts import CHARTS, LCA_CHARTS, lca_outputs
    from components.runtime import lca_for
    from engine.core.query import Query

    lca = lca_for(acc)
    qs, _ = page_search(lca, s)
    params = dict(parse_qsl(qs))
    outs = lca_outputs(acc, lca, s, LCA_CHARTS)
    resolved = []
    for name, out in outs.items():
        if out.figure is None:
            out = dataclasses.replace(out, figure=br._table_figure(out))
        resolved.append(br.Resolved({"chart": name, "title": out.title, "query": qs, "note": ""}, CHARTS[name],
                                    Query(year=s.scope.year, gwp=s.scope.gwp, ci=s.ci), params, out))
    res = result(lca, s)
    doc = {"title": f"Product footprint: {s.scope.product}", "intro": report_intro(res), "items": []}
    figures = [br.cover_figure(doc, resolved, kicker="HOLOCARBON PRODUCT FOOTPRINT REPORT"),
               *(br.chart_figure(r) for r in resolved),
               br.sources_figure(doc, resolved)]
    writer = PdfWriter()
    for fig in figures:
        writer.append(io.BytesIO(renderer.render(fig, "pdf", br.PAGE_W, br.PAGE_H)))
    writer.add_metadata({"/Title": doc["title"], "/Creator": "Holocarbon", "/Producer": "Holocarbon (plotly, "
                                                                                        "kaleido, pypdf)"})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def report_xlsx_of(acc, s: LcaState) -> bytes:
    """The report as one workbook (:func:`report_xlsx`) with the page's address and the cite line in ``about``."""
    from components import cite
    from components.runtime import lca_for

    lca = lca_for(acc)
    res = result(lca, s)
    qs, complete = page_search(lca, s)
    about = [("title", f"Product footprint: {s.scope.product}"), ("method", METHOD_NOTE),
             ("view", f"/footprint?{qs}" + ("" if complete else " (inventory too long for the address: see the "
                                                                "inventory sheet)")),
             ("pack", str(cite.runtime_pack_key())), ("note", "Model estimates, not measurements.")]
    return report_xlsx(res, comparison(lca, s), acc.names(), about)
