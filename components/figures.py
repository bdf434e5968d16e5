"""Pure figure builders: data in, plotly figure out (unit-tested on the figure dict); and the text summary of a
figure that a screen reader reads in its place (:func:`figure_summary`)."""

from __future__ import annotations

import html as _html
import math
import json
import re
from typing import Any, Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder
from dash import dcc

from engine.accounts import overview

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
GAS_COLORS = {"CO2": "#3b4a6b", "CH4": "#d98c2b", "N2O": "#5a9e6f", "F-gases": "#9a6fb0"}
#: Hatching of a modelled bar (plotly ``marker.pattern``), over the bar's own colour.
MODELLED_PATTERN = dict(shape="/", size=7, solidity=0.35, fgcolor="#ffffff", fgopacity=0.85)
#: A value that is not the country's own (a share of WIOD's rest of the world): grey, never the data colours.
SHARED_COLOR = "#b9c1ca"


def short_code(code: str) -> str:
    """A region's code short enough for a phone's axis: ISO3 and group codes as they are, a continent by its
    initials ("North America" -> "NA")."""
    return code if len(code) <= 7 else "".join(w[0] for w in code.split())


def modelled_tag(method: str, structure_year: int | None) -> str:
    """The words a chart title adds for a nowcast year ("" for a measured table or production only)."""
    return f" — modelled (nowcast on the {structure_year} table)" if method == "nowcast" else ""
SOURCE_COLOR, SINK_COLOR = "#c4553b", "#2f7fb5"

#: A light template with plotly_white's look (grids #EBF0F8 on white): the full plotly_white template costs
#: ~30 ms per figure to copy, more than the data.
LIGHT_TEMPLATE = {"layout": {
    "paper_bgcolor": "white", "plot_bgcolor": "white",
    "xaxis": {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8", "ticks": "",
              "automargin": True},
    "yaxis": {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8", "ticks": "",
              "automargin": True},
    "geo": {"bgcolor": "white", "landcolor": "#E5ECF6", "lakecolor": "white", "showlakes": True},
    "colorway": ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880"],
    "hoverlabel": {"align": "left"},
}}

GRAPH_CONFIG = {
    "displaylogo": False,
    "topojsonURL": "/topojson/",  # local basemaps, never the CDN
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def base_layout(title: str, footnote: str, height: int = 440, subtitle: str | None = None) -> dict:
    """Shared layout: title (and subtitle), fonts, margins, and a source/method footnote under the plot.

    The footnote may hold ``<br>`` line breaks; keep each line under ~95 characters so it fits a half-width card.
    """
    title_dict = dict(text=title, x=0.01, xanchor="left", font=dict(size=15))
    if subtitle:
        title_dict["subtitle"] = dict(text=subtitle, font=dict(size=12, color="#5f6b7a"))
    return dict(
        title=title_dict,
        template=LIGHT_TEMPLATE,
        font=dict(family=FONT, size=12, color="#1f2933"),
        height=height,
        margin=dict(l=60, r=20, t=70, b=110),
        separators=".,",
        annotations=[dict(text=footnote, showarrow=False, xref="paper", yref="paper", x=0, y=0, yshift=-48,
                          xanchor="left", yanchor="top", align="left", font=dict(size=10, color="#5f6b7a"))],
    )


def memo_view(acc, key: str, build: Callable[[], Any]) -> Any:
    """What ``build`` returns (plain figure dicts, table rows), built once per ``key`` through the one cache layer
    (this process only: it follows the code, not the pack) — plotly's validation of a page's charts costs about a
    second, a repeat view nothing. Stored as JSON text, so every request gets its own copy (``go.Figure(d)`` pops
    keys of ``d``: a shared dict would be damaged for the next visitor); numpy arrays become plotly's typed arrays."""
    text = acc.cache.memo(key, lambda: json.dumps(build(), cls=PlotlyJSONEncoder), shared=False)
    return json.loads(text)


def graph(fig: go.Figure | dict, **kwargs) -> dcc.Graph:
    """A dcc.Graph with the project's config (offline basemaps, PNG export at 2x) and the figure's text summary
    (:func:`summarise`; ``assets/a11y.js`` shows it to screen readers in place of the drawing). A figure given as a
    plain dict (from :func:`memo_view`) is used as it is: it carries its summary already."""
    return dcc.Graph(figure=fig if isinstance(fig, dict) else summarise(fig), config=GRAPH_CONFIG, **kwargs)


# ---- text summaries (what a screen reader reads instead of the drawing) ----------------------------------------
#: Where the summary travels with the figure: ``layout.meta[SUMMARY_KEY]`` (plotly keeps ``meta`` as given and draws
#: nothing from it), so every callback that returns a figure also delivers its summary.
SUMMARY_KEY = "summary"
_TAG = re.compile(r"<[^>]*>")
_BR = re.compile(r"<br\s*/?>", re.I)
_EXTRA = re.compile(r"<extra>.*?</extra>", re.I | re.S)
_FIELD = re.compile(r"%\{([^}:]+)(?::([^}]*))?\}")
_D3 = re.compile(r"^(?P<sign>\+)?(?P<comma>,)?(?:\.(?P<prec>\d+))?(?P<type>[fd%])?$")
#: Instructions for a mouse ("Click a country…", "hover for…") are left out of a summary.
_MOUSE = re.compile(r"^\s*(click|hover)\b", re.I)


def _plain(text, sep: str = "; ") -> str:
    """Plotly rich text as plain words: lines joined by ``sep``, tags and ``<extra>`` dropped, mouse hints left out."""
    if text is None:
        return ""
    parts = []
    for line in _BR.split(_EXTRA.sub("", str(text))):
        for piece in line.split(" · "):
            piece = " ".join(_html.unescape(_TAG.sub("", piece)).split())
            if piece and not _MOUSE.match(piece):
                parts.append(piece)
    return re.sub(r":\s*;", ":", sep.join(parts)).strip(" ;,")


def _number(value, spec: str | None = None) -> str:
    """A number as plotly's d3 format ``spec`` writes it (``,.1f``, ``+,.0f``, ``.1%``), with a real minus sign;
    text stays text."""
    if isinstance(value, str):
        return value
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(v):
        return "—"
    m = _D3.match(spec or "")
    if spec and m:
        prec = int(m["prec"]) if m["prec"] is not None else (0 if m["type"] == "d" else 6)
        if m["type"] == "%":
            v *= 100
        v = round(v, prec) + 0.0  # no "−0.0"
        out = f"{v:{m['sign'] or ''}{m['comma'] or ''}.{prec}f}" + ("%" if m["type"] == "%" else "")
    elif v == int(v) and abs(v) < 1e15:
        out = str(int(v))  # years and counts as written (plotly's default: no separators)
    else:
        out = f"{v:,.0f}" if abs(v) >= 100 else f"{v:.1f}" if abs(v) >= 1 else f"{v:.3g}"
    return out.replace("-", "−")


def _pick(values, i):
    """``values[i]`` of a plotly array attribute (or the scalar itself)."""
    if values is None:
        return None
    if isinstance(values, (str, int, float)):
        return values
    try:
        return values[i]
    except (IndexError, KeyError, TypeError):
        return None


def _render(template: str, fields: dict) -> str:
    """A hover template filled in for one point (``%{x}``, ``%{customdata[1]:,.1f}``, ``%{source.label}``)."""
    def one(m):
        name, spec = m.group(1).strip(), m.group(2)
        if name in fields:
            value = fields[name]
        elif (k := re.fullmatch(r"customdata\[(\d+)\]", name)) is not None:
            value = _pick(fields.get("customdata"), int(k.group(1)))
        else:
            return ""
        return "" if value is None else _number(value, spec)

    return _plain(_FIELD.sub(one, template))


def _point(trace, fields: dict, i) -> str:
    """What a person hovering the point would read: the trace's hover template, else its hover text or text."""
    template = _pick(trace.hovertemplate, i) if getattr(trace, "hovertemplate", None) is not None else None
    if template:
        return _render(template, fields)
    for attr in ("hovertext", "text"):
        t = _pick(getattr(trace, attr, None), i)
        if t:
            return _plain(t)
    cat, val = fields.get("category"), fields.get("value")
    return f"{_plain(cat)}: {_number(val)}" if cat is not None else _number(val)


def _floats(values) -> np.ndarray:
    try:
        return np.asarray(values if values is not None else [], dtype=float)
    except (TypeError, ValueError):
        return np.full(len(values), np.nan)


def _axis_title(axis) -> str:
    return _plain(axis.title.text) if axis is not None and axis.title is not None else ""


def _bar_points(t):
    """(categories, values, fields of point i) of a bar trace in either orientation."""
    horizontal = t.orientation == "h"
    cats, vals = (t.y, t.x) if horizontal else (t.x, t.y)
    cats = list(cats) if cats is not None else []
    vals = _floats(vals)

    def fields(i):
        return {"x": _pick(t.x, i), "y": _pick(t.y, i), "text": _pick(t.text, i),
                "customdata": _pick(t.customdata, i), "category": _pick(cats, i), "value": vals[i]}
    return cats, vals, fields


def _extremes(vals: np.ndarray) -> list[int]:
    """Indices of the highest and the lowest finite value (one index when they are the same)."""
    ok = np.flatnonzero(np.isfinite(vals))
    if not len(ok):
        return []
    hi, lo = int(ok[np.argmax(vals[ok])]), int(ok[np.argmin(vals[ok])])
    return [hi] if hi == lo else [hi, lo]


def _highest_lowest(trace, vals, fields) -> str:
    idx = _extremes(vals)
    words = ("Highest", "Lowest")
    return ". ".join(f"{w}: {_point(trace, fields(i), i)}" for w, i in zip(words, idx))


def _bars(fig, bars, others) -> tuple[str, list[str]]:
    horizontal = bars[0].orientation == "h"
    unit = _axis_title(fig.layout.xaxis if horizontal else fig.layout.yaxis)
    if len(bars) == 1:
        t = bars[0]
        cats, vals, fields = _bar_points(t)
        n = int(np.isfinite(vals).sum())
        facts = [f"{n} bar{'s' if n != 1 else ''}" + (f" ({unit})" if unit else "") + "."]
        if n:
            facts.append(_highest_lowest(t, vals, fields) + ".")
        return "Bar chart", facts
    names = [_plain(t.name) for t in bars if t.name]
    if fig.layout.barmode in ("stack", "relative"):
        totals: dict = {}
        for t in bars:
            cats, vals, _ = _bar_points(t)
            for c, v in zip(cats, vals):
                if math.isfinite(v):
                    totals[c] = totals.get(c, 0.0) + v
        facts = [f"{len(totals)} bars, each split by {', '.join(names)}" + (f" ({unit})" if unit else "") + "."]
        if totals:
            order = sorted(totals, key=totals.get)
            for word, c in (("Largest", order[-1]), ("Smallest", order[0]))[: 1 if len(order) == 1 else 2]:
                facts.append(f"{word} total: {_plain(c)}, {_number(totals[c], ',.1f')}"
                             + (f" {unit}" if unit else "") + _whisker(others, c) + ".")
        return "Stacked bar chart", facts
    facts = [f"{len(bars)} series ({', '.join(names)})" + (f"; {unit}" if unit else "") + "."]
    for t in bars:
        _, vals, fields = _bar_points(t)
        if np.isfinite(vals).any():
            text = _highest_lowest(t, vals, fields).replace(". Lowest", "; lowest")
            name = _plain(t.name)
            facts.append((text if name in text else f"{name}: {text[0].lower()}{text[1:]}") + ".")
    return "Grouped bar chart", facts


def _whisker(others, category) -> str:
    """The hover text of a marker trace (an interval whisker) at ``category``, as " (…)"; "" without one."""
    for t in others:
        if t.type != "scatter" or t.hoverinfo == "skip":
            continue
        cats = list((t.y if t.error_x.array is not None else t.x) or [])
        if category in cats:
            i = cats.index(category)
            text = _point(t, {"x": _pick(t.x, i), "y": _pick(t.y, i), "customdata": _pick(t.customdata, i)}, i)
            return f" ({text})" if text else ""
    return ""


def _scatter_fields(t, i) -> dict:
    return {"x": _pick(t.x, i), "y": _pick(t.y, i), "text": _pick(t.text, i), "customdata": _pick(t.customdata, i),
            "category": _pick(t.x, i), "value": _pick(t.y, i)}


def _lines(fig, lines) -> tuple[str, list[str]]:
    unit = _axis_title(fig.layout.yaxis)
    stacked = any(t.stackgroup for t in lines)
    facts = []
    if stacked:
        last = []
        total = 0.0
        for t in lines:
            y = _floats(t.y)
            ok = np.flatnonzero(np.isfinite(y))
            if len(ok):
                i = int(ok[-1])
                last.append(_point(t, _scatter_fields(t, i), i))
                total += float(y[i])
        facts.append(f"{len(lines)} stacked areas ({', '.join(_plain(t.name) for t in lines if t.name)})"
                     + (f"; {unit}" if unit else "") + ".")
        facts.append("Latest: " + "; ".join(last) + f"; together {_number(total, ',.1f')}" + (f" {unit}" if unit else "")
                     + ".")
        return "Stacked area chart", facts
    facts.append(f"{len(lines)} line{'s' if len(lines) != 1 else ''} "
                 f"({', '.join(_plain(t.name) for t in lines if t.name)})" + (f"; {unit}" if unit else "") + ".")
    for t in lines:
        y = _floats(t.y)
        ok = np.flatnonzero(np.isfinite(y))
        if not len(ok):
            continue
        i_last, i_peak = int(ok[-1]), int(ok[np.argmax(y[ok])])
        text = "Latest: " + _point(t, _scatter_fields(t, i_last), i_last)
        if i_peak != i_last:
            text += "; peak: " + _point(t, _scatter_fields(t, i_peak), i_peak)
        facts.append(text + ".")
    return "Line chart", facts


def _marks(others) -> list[str]:
    """Hover texts of small marker traces (up to 3 points, e.g. the whiskers of a few totals)."""
    out = []
    for t in others:
        if t.type != "scatter" or t.hoverinfo == "skip" or "lines" in (t.mode or "") or not t.hovertemplate:
            continue
        n = len(t.x) if t.x is not None else 0
        if 0 < n <= 3:
            out += [_point(t, _scatter_fields(t, i), i) + "." for i in range(n)]
    return out


def _facts(fig, traces) -> tuple[str, list[str]]:
    """(kind of chart, sentences about its data) of the visible traces."""
    kinds = {t.type for t in traces}
    if "choropleth" in kinds:
        t = next(t for t in traces if t.type == "choropleth")
        z = _floats(t.z)
        n = int(np.isfinite(z).sum())
        scale = _plain(t.colorbar.title.text if t.colorbar and t.colorbar.title else "", sep=" ")
        facts = [f"{n} countries coloured" + (f" by {scale}" if scale else "") + "."]
        fields = lambda i: {"z": z[i], "location": _pick(t.locations, i), "text": _pick(t.text, i),  # noqa: E731
                            "customdata": _pick(t.customdata, i)}
        if n:
            facts.append(_highest_lowest(t, z, fields) + ".")
        return "World map", facts
    if "sankey" in kinds:
        t = next(t for t in traces if t.type == "sankey")
        v = _floats(t.link.value)
        labels = list(t.node.label or [])
        if not len(v):
            return "Flow diagram", []
        i = int(np.nanargmax(v))
        src, tgt = _pick(t.link.source, i), _pick(t.link.target, i)
        fields = {"value": v[i], "source.label": _pick(labels, src), "target.label": _pick(labels, tgt)}
        text = _render(t.link.hovertemplate, fields) if t.link.hovertemplate else \
            f"{_pick(labels, src)} → {_pick(labels, tgt)}: {_number(v[i])}"
        return "Flow diagram", [f"{len(v)} flows between {len(labels)} nodes.", f"Largest: {text}."]
    if "heatmap" in kinds:
        t = next(t for t in traces if t.type == "heatmap")
        z = _floats(t.z)
        if z.ndim != 2 or not np.isfinite(z).any():
            return "Heat map", []
        r, c = np.unravel_index(int(np.nanargmax(z)), z.shape)
        fields = {"z": z[r, c], "x": _pick(t.x, c), "y": _pick(t.y, r), "customdata": _pick(_pick(t.customdata, r), c),
                  "text": _pick(_pick(t.text, r), c)}
        largest = _render(t.hovertemplate, fields) if t.hovertemplate else _number(z[r, c])
        return "Heat map", [f"{z.shape[0]} rows × {z.shape[1]} columns"
                            + (f" ({_axis_title(fig.layout.yaxis)} × {_axis_title(fig.layout.xaxis)})"
                               if fig.layout.yaxis.title.text else "") + ".", f"Largest: {largest}."]
    if "waterfall" in kinds:
        t = next(t for t in traces if t.type == "waterfall")
        unit = _axis_title(fig.layout.yaxis)
        steps = [f"{_plain(x, sep=' ')} {_plain(_pick(t.text, i)).replace('-', '−')}" for i, x in enumerate(t.x or [])]
        others = [o for o in traces if o is not t]
        return "Waterfall chart", ["Steps" + (f" ({unit})" if unit else "") + ": " + "; ".join(steps) + ".",
                                   *_marks(others)]
    bars = [t for t in traces if t.type == "bar"]
    if bars:
        others = [t for t in traces if t.type != "bar"]
        kind, facts = _bars(fig, bars, others)
        return kind, facts + _marks(others)
    lines = [t for t in traces if t.type == "scatter" and "lines" in (t.mode or "lines") and t.hoverinfo != "skip"
             and t.showlegend is not False]
    if lines:
        kind, facts = _lines(fig, lines)
        return kind, facts + _marks([t for t in traces if t not in lines])
    if kinds & {"scattermap", "scattermapbox", "densitymap"}:
        return "Map", []
    return "Chart", []


def figure_summary(fig: go.Figure | dict) -> str:
    """A short text summary of a figure for a screen reader: the kind of chart, its title and subtitle, what is
    plotted and the notable values (highest and lowest, latest and peak, largest flow), in the words of the figure's
    own hover texts, so the units and intervals a mouse user reads are in it too.

    Parameters
    ----------
    fig : Figure or dict
        Any figure of the project's builders (bar, stacked or grouped bars, lines, stacked areas, waterfall,
        choropleth, heat map, Sankey, tile map) [—].

    Returns
    -------
    str
        e.g. "Bar chart: Consumption vs production, top 20 producers, 2022. … Highest: United Kingdom; adjustment
        +38.2 %; 90 % interval …". Empty for an empty placeholder figure; an empty state's message when there is no
        data [text].
    """
    fig = fig if isinstance(fig, go.Figure) else go.Figure(fig)
    lay = fig.layout
    title = _plain(lay.title.text, sep=" ") if lay.title and lay.title.text else ""
    subtitle = _plain(lay.title.subtitle.text) if lay.title and lay.title.subtitle and lay.title.subtitle.text else ""
    traces = [t for t in fig.data if t.visible is not False and t.visible != "legendonly"]
    kind, facts = _facts(fig, traces)
    if not facts:  # an empty state says why in a centred note (the footnote sits under the plot, y <= 0)
        facts = [_plain(a.text) + "." for a in lay.annotations or ()
                 if a.xref == "paper" and a.yref == "paper" and (a.y or 0) > 0 and a.text]
    if not title and not facts and kind == "Chart":
        return ""
    sentences = [f"{kind}: {title}." if title else f"{kind}."] + ([subtitle + "."] if subtitle else []) + facts
    return " ".join(s.replace("..", ".") for s in sentences)


def summarise(fig: go.Figure, text: str | None = None) -> go.Figure:
    """The figure with its text summary in ``layout.meta`` (:func:`figure_summary`, or ``text`` when given); the
    figure itself, changed in place."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    fig.update_layout(meta={**meta, SUMMARY_KEY: text if text is not None else figure_summary(fig)})
    return fig


def build_world_ghg_figure(world: pd.DataFrame, interval: tuple[float, float, int] | None = None) -> go.Figure:
    """Stacked area of world GHG emissions by gas.

    Parameters
    ----------
    world : DataFrame
        Output of :func:`engine.accounts.overview.world_ghg_by_gas` [Mt CO2e yr⁻¹].
    interval : (lo, hi, ci), optional
        The ``ci`` % interval of the latest year's world total [Mt CO2e yr⁻¹]: quoted in the subtitle and drawn as a
        whisker on the top of the stack.
    """
    fig = go.Figure()
    for gas in overview.GAS_ORDER:
        d = world[world["gas"] == gas]
        if d.empty:
            continue
        fig.add_trace(go.Scatter(
            x=d["year"], y=d["emissions_mt_co2e"] / 1000, name=gas, stackgroup="ghg", mode="lines",
            line=dict(width=0.5, color=GAS_COLORS[gas]),
            hovertemplate=f"{gas} %{{x}}: %{{y:,.2f}} Gt CO2e<extra></extra>",
        ))
    last = int(world["year"].max())
    total = world.loc[world["year"] == last, "emissions_mt_co2e"].sum() / 1000
    subtitle = f"{total:,.1f} Gt CO2e in {last}"
    foot = ("Source: EDGAR 2024 GHG booklet (Crippa et al. 2024, JRC138862).<br>"
            "Excl. LULUCF, incl. international aviation and shipping. CH4, N2O and F-gases<br>"
            "in CO2e with AR5 GWP100 as published; F-gases cannot be re-weighted.")
    if interval is not None:
        lo, hi, ci = interval
        subtitle += f" ({ci} % interval {lo / 1000:,.1f} to {hi / 1000:,.1f})"
        legend = dict(orientation="h", x=0.01, y=0.99, xanchor="left", yanchor="top", bgcolor="rgba(255,255,255,0.75)")
        foot += (f"<br>Whisker: {ci} % interval of the {last} total (Solazzo et al. 2021 ranges, Monte Carlo).")
        fig.add_trace(go.Scatter(
            x=[last], y=[total], mode="markers", marker=dict(size=5, color="#1f2933"), showlegend=False,
            error_y=dict(type="data", symmetric=False, array=[max(hi / 1000 - total, 0)],
                         arrayminus=[max(total - lo / 1000, 0)], color="#1f2933", thickness=1.4, width=4),
            hovertemplate=(f"World total %{{x}}: %{{y:,.1f}} Gt CO2e<br>{ci} % interval {lo / 1000:,.1f} to "
                           f"{hi / 1000:,.1f}<extra></extra>")))
    fig.update_layout(**base_layout(
        f"World greenhouse-gas emissions by gas, 1970–{last}", foot, subtitle=subtitle,
        height=440 + (14 if interval is not None else 0)))
    fig.update_yaxes(title_text="Gt CO2e per year", rangemode="tozero", tickformat=",.0f")
    first = int(world["year"].min())
    # "1970" clear of the y axis' "0"; the whisker's marker would widen the axis past the last year
    fig.update_xaxes(title_text=None, range=[first - 1.5, last + (0.4 if interval is not None else 0.5)])
    fig.update_layout(legend=legend if interval is not None else  # the longer subtitle needs the top row
                      dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"))
    return fig


#: The CO2 that stays in the atmosphere: purple, never the sinks' blue (it is where emissions accumulate).
ATMOSPHERE_COLOR = "#7b5ea7"
BUDGET_LABELS = {"Atmospheric growth": "Stays in the atmosphere"}


def build_budget_figure(budget: pd.DataFrame, year: int) -> go.Figure:
    """Horizontal bars of the global carbon budget: sources right, sinks left.

    Parameters
    ----------
    budget : DataFrame
        Output of :func:`engine.accounts.overview.global_budget` [Gt CO2 yr⁻¹].
    year : int
        Budget year, for the title.
    """
    d = budget.iloc[::-1]
    colors = {"source": SOURCE_COLOR, "sink": SINK_COLOR, "atmosphere": ATMOSPHERE_COLOR, "imbalance": "#b9c1ca"}
    labels = [BUDGET_LABELS.get(t, t) for t in d["term"]]
    fig = go.Figure(go.Bar(
        x=d["gt_co2"], y=labels, orientation="h",
        marker_color=[colors.get(k, SINK_COLOR) for k in d["kind"]],
        text=[f"{v:+,.1f}".replace("-", "−") for v in d["gt_co2"]], textposition="outside", cliponaxis=False,
        customdata=d["gt_c"],
        hovertemplate="%{y}: %{x:,.2f} Gt CO2 (%{customdata:,.3f} Gt C)<extra></extra>",
    ))
    fig.update_layout(**base_layout(
        f"Global carbon budget {year}",
        "Source: Global Carbon Budget 2024 (Friedlingstein et al. 2024,<br>doi:10.18160/gcp-2024); GtC × 3.664. "
        "Sources right (red); where the CO2<br>goes left: ocean and land sinks (blue), the growth of<br>CO2 in the "
        "air (purple, not a sink); the budget imbalance<br>(grey) closes the identity.",
        subtitle="Where CO2 comes from and where it goes",
    ))
    lo, hi = float(budget["gt_co2"].min()), float(budget["gt_co2"].max())
    pad = 0.22 * (hi - lo)  # room for the value labels outside the bars
    fig.update_xaxes(title_text="Gt CO2 per year", zeroline=True, zerolinecolor="#888", tickformat=",.0f",
                     range=[min(lo, 0) - pad, max(hi, 0) + pad])
    fig.update_yaxes(automargin=True)
    fig.update_layout(showlegend=False, margin=dict(l=190, r=40, t=70, b=130))
    fig.layout.annotations[0].update(xshift=-178)  # the footnote starts under the labels, not 190 px in
    short = {"Fossil CO2 emissions": "Fossil CO2", "Land-use change emissions": "Land use",
             "Stays in the atmosphere": "In the air", "Cement carbonation sink": "Cement", "Budget imbalance":
             "Imbalance"}
    # on a phone (assets/narrow.js): short names and room on the left for the sinks' value labels
    fig.update_layout(meta={"narrow": {"yaxis.tickmode": "array", "yaxis.tickvals": labels,
                                       "yaxis.ticktext": [short.get(lb, lb) for lb in labels], "yaxis.automargin":
                                       False, "margin.l": 84, "xaxis.range": [min(lo, 0) - 2.2 * pad,
                                                                              max(hi, 0) + pad]}})
    return fig


def footed_figure(fig: go.Figure, title: str, height: int, left: int = 60, **extra) -> go.Figure:
    """A new figure of ``fig``'s traces with the project's layout (:func:`base_layout`, the legend at the foot) and
    its text summary in ``layout.meta`` (the green-exports and product-footprint charts)."""
    lay = base_layout(title, "", height=height)
    lay.update(annotations=[], margin=dict(l=left, r=16, t=48, b=40),
               legend=dict(orientation="h", yref="container", y=0.0, yanchor="bottom", x=0, font=dict(size=11)))
    lay.update(extra)
    out = go.Figure(data=fig.data, layout=lay)
    out.layout.meta = {SUMMARY_KEY: figure_summary(out)}
    return out
