"""Pure builders of the trade page: Sankey of the largest embodied flows, producer × consumer matrix, net trade.

Input is the frame of :meth:`engine.accounts.ledger.Accounts.flows` (``producer, consumer, emissions_mt_co2e``
[Mt CO2e yr⁻¹], regions of the Query's grouping) with its ``attrs`` (method, structure year). Figures out,
unit-tested on the figure dict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import html

from components.figures import SINK_COLOR, SOURCE_COLOR, base_layout, short_code
from components.messages import NO_IO_TABLE
from components.sector_view import _empty_figure, fit_footnote, method_text

SOURCES = ("Sources: WIOD 2013 (Timmer et al. 2015, doi:10.1111/roie.12178); EDGAR 2024 GHG<br>"
           "(Crippa et al. 2024, JRC138862) allocated by JRC sector CO2 (Corsatea et al. 2019).")
EMPTY_TEXT = (f"{NO_IO_TABLE}: embodied flows between regions exist for 1995–2011 "
              "(WIOD 2013) and, as a nowcast on the structure of 2011, for 2012–2023. Choose a later year.")
OTHER = "Other"
N_SANKEY = 25
N_MATRIX = 15


def _footnote(meta: dict, gases, extra: str = "") -> str:
    line = method_text(meta) + (" " + extra if extra else "")
    gas = "Gases: " + " + ".join(gases) + "." + (" F-gases kept in AR5 CO2e as published." if "F-gases" in gases
                                                  else "")
    return SOURCES + "<br>" + line + "<br>" + gas


def _meta(flows: pd.DataFrame, meta: dict | None) -> dict:
    m = dict(flows.attrs)
    m.update(meta or {})
    if "year" not in m and "query" in m:
        m["year"] = m["query"].get("year")
    return m


def inter_regional(flows: pd.DataFrame) -> pd.DataFrame:
    """Flows between different regions only (producer ≠ consumer), largest first [Mt CO2e yr⁻¹]."""
    d = flows[flows["producer"] != flows["consumer"]]
    d = d.groupby(["producer", "consumer"], as_index=False)["emissions_mt_co2e"].sum()
    return d.sort_values("emissions_mt_co2e", ascending=False, ignore_index=True)


def build_sankey_figure(flows: pd.DataFrame, names: dict, gases=("CO2",), meta: dict | None = None,
                        top: int = N_SANKEY) -> go.Figure:
    """Sankey of the largest inter-regional embodied flows: producing region (left) → consuming region (right).

    Parameters
    ----------
    flows : DataFrame
        ``producer, consumer, emissions_mt_co2e`` [—, —, Mt CO2e yr⁻¹]; producer = consumer rows are dropped.
    names : dict
        Code -> display name [text].
    top : int
        Number of flows shown [count].
    """
    meta = _meta(flows, meta)
    year = meta.get("year", "")
    title = f"Largest emission flows embodied in trade, {year}"
    d = inter_regional(flows)
    foot = _footnote(meta, gases, "Producer → consumer of final demand.")
    if d.empty:
        return _empty_figure(title, "No flows between regions for this choice.", foot, height=560)
    total = float(d["emissions_mt_co2e"].sum())
    d = d.head(top)
    prods = list(dict.fromkeys(d.groupby("producer")["emissions_mt_co2e"].sum().sort_values(ascending=False).index))
    cons = list(dict.fromkeys(d.groupby("consumer")["emissions_mt_co2e"].sum().sort_values(ascending=False).index))
    labels = [names.get(p, p) for p in prods] + [names.get(c, c) for c in cons]
    where = ["emitted in"] * len(prods) + ["consumed in"] * len(cons)
    src = [prods.index(p) for p in d["producer"]]
    tgt = [len(prods) + cons.index(c) for c in d["consumer"]]
    fig = go.Figure(go.Sankey(
        arrangement="snap", valueformat=",.1f", valuesuffix=" Mt CO2e",
        node=dict(label=labels, pad=10, thickness=14, customdata=where,
                  color=[SOURCE_COLOR] * len(prods) + [SINK_COLOR] * len(cons),
                  line=dict(width=0),
                  hovertemplate="%{label} (%{customdata}): %{value:,.1f} Mt CO2e<extra></extra>"),
        link=dict(source=src, target=tgt, value=d["emissions_mt_co2e"].to_numpy(dtype=float),
                  color="rgba(196,85,59,0.28)",
                  hovertemplate="%{source.label} → %{target.label}: %{value:,.1f} Mt CO2e<extra></extra>"),
    ))
    shown = float(d["emissions_mt_co2e"].sum())
    fig.update_layout(**base_layout(
        title, foot, height=600,
        subtitle=f"{len(d)} largest flows: {shown:,.0f} of {total:,.0f} Mt CO2e traded between regions "
                 f"({100 * shown / total:.0f} %)"))
    fig.update_layout(margin=dict(l=20, r=20, t=95, b=110))
    for x, text, anchor in ((0, "Emitted in (producer)", "left"), (1, "Consumed in (final demand)", "right")):
        fig.add_annotation(text=f"<b>{text}</b>", x=x, y=1.0, xref="paper", yref="paper", yanchor="bottom",
                           xanchor=anchor, showarrow=False, font=dict(size=11, color="#3a4754"))
    # on a phone (assets/narrow.js): smaller names, more space between the nodes, so the names never overlap
    codes = ["RoW" if c == "ROW" else c for c in prods + cons]
    fig.update_layout(meta={"narrowTraces": {"textfont.size": 10, "node.label": [codes]}, "narrow": {"height": 760}})
    return fig


def trade_matrix(flows: pd.DataFrame, top: int = N_MATRIX) -> pd.DataFrame:
    """Producer × consumer matrix of inter-regional flows over the ``top`` regions by trade (exports + imports)
    plus ``Other``; the diagonal of named regions (domestic) is NaN [Mt CO2e yr⁻¹].

    Other → Other holds flows between different regions that are both inside ``Other``.
    """
    d = inter_regional(flows)
    if d.empty:
        return pd.DataFrame(dtype=float)
    vol = d.groupby("producer")["emissions_mt_co2e"].sum().add(
        d.groupby("consumer")["emissions_mt_co2e"].sum(), fill_value=0).sort_values(ascending=False)
    keep = list(vol.index[:top])

    def lab(s):
        return s.where(s.isin(keep), OTHER)

    m = d.assign(p=lab(d["producer"]), c=lab(d["consumer"])).pivot_table(
        index="p", columns="c", values="emissions_mt_co2e", aggfunc="sum", fill_value=0.0)
    order = keep + ([OTHER] if len(vol) > top else [])
    m = m.reindex(index=order, columns=order, fill_value=0.0).astype(float)
    for r in keep:
        m.loc[r, r] = np.nan
    m.index.name, m.columns.name = "producer", "consumer"
    return m


def build_trade_matrix_figure(flows: pd.DataFrame, names: dict, gases=("CO2",), meta: dict | None = None,
                              top: int = N_MATRIX) -> go.Figure:
    """Heatmap of emissions embodied in trade: rows the producing region, columns the consuming region.

    Parameters
    ----------
    flows : DataFrame
        ``producer, consumer, emissions_mt_co2e`` [—, —, Mt CO2e yr⁻¹].
    top : int
        Regions shown separately (the rest pooled as ``Other``) [count].
    """
    meta = _meta(flows, meta)
    year = meta.get("year", "")
    title = f"Who produces for whom: embodied emissions, {year}"
    foot = _footnote(meta, gases, "Domestic flows left blank; Other = all remaining regions.")
    m = trade_matrix(flows, top)
    if m.empty:
        return _empty_figure(title, "No flows between regions for this choice.", foot, height=600)
    z = m.to_numpy()
    pn = np.array([[names.get(p, p) for _ in m.columns] for p in m.index], dtype=object)
    cn = np.array([[names.get(c, c) for c in m.columns] for _ in m.index], dtype=object)
    text = np.where(np.isnan(z), "", np.vectorize(lambda v: f"{v:,.0f}")(np.nan_to_num(z)))
    fig = go.Figure(go.Heatmap(
        z=z, x=list(m.columns), y=list(m.index), colorscale="YlOrRd", zmin=0,
        customdata=np.stack([pn, cn], axis=-1), text=text, texttemplate="%{text}", textfont=dict(size=9),
        hovertemplate="Emitted in %{customdata[0]}<br>for final demand in %{customdata[1]}:<br>"
                      "%{z:,.1f} Mt CO2e<extra></extra>",
        colorbar=dict(title=dict(text="Mt CO2e<br>per year", font=dict(size=11)), thickness=12, tickformat=",.0f"),
        xgap=1, ygap=1, hoverongaps=False,
    ))
    fig.update_layout(**base_layout(title, foot, height=620, subtitle=f"Largest {len(m) - 1 if OTHER in m.index else len(m)} "
                                    "regions by trade, Mt CO2e per year"))
    fig.update_layout(margin=dict(l=80, r=20, t=70, b=200), plot_bgcolor="#f7f8fa")
    fit_footnote(fig, 80)
    fig.layout.annotations[0].yshift = -100  # below the rotated tick labels and the axis title
    fig.update_yaxes(title_text="Emitted in (producer)", autorange="reversed", tickfont=dict(size=10))
    fig.update_xaxes(title_text="Consumed in (final demand)", side="bottom", tickangle=-45, tickfont=dict(size=10))
    # on a phone (assets/narrow.js) the cells are a few pixels wide: no numbers in them (a tap gives the value)
    fig.update_layout(meta={"narrowTraces": {"texttemplate": ""},
                            "narrow": {"xaxis.tickangle": -90, "xaxis.tickfont.size": 8, "yaxis.tickfont.size": 9}})
    return fig


def net_trade_table(flows: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Exports, imports and net exports of embodied emissions per region, largest net exporter first.

    Returns
    -------
    DataFrame
        ``region, name, exports_mt_co2e, imports_mt_co2e, net_mt_co2e`` [—, text, Mt CO2e yr⁻¹ ×3]; exports are
        emissions in the region for other regions' final demand, imports the reverse, net = exports − imports
        (Σ net = 0).
    """
    d = inter_regional(flows)
    cols = ["region", "name", "exports_mt_co2e", "imports_mt_co2e", "net_mt_co2e"]
    if d.empty:
        return pd.DataFrame(columns=cols)
    ex = d.groupby("producer")["emissions_mt_co2e"].sum()
    im = d.groupby("consumer")["emissions_mt_co2e"].sum()
    regs = ex.index.union(im.index)
    out = pd.DataFrame({"region": regs.astype(str), "exports_mt_co2e": ex.reindex(regs, fill_value=0.0).to_numpy(),
                        "imports_mt_co2e": im.reindex(regs, fill_value=0.0).to_numpy()})
    out.insert(1, "name", [names.get(r, r) for r in out["region"]])
    out["net_mt_co2e"] = out["exports_mt_co2e"] - out["imports_mt_co2e"]
    return out.sort_values("net_mt_co2e", ascending=False, ignore_index=True)[cols]


def build_net_trade_figure(table: pd.DataFrame, gases=("CO2",), meta: dict | None = None, n: int = 10) -> go.Figure:
    """Diverging bars of the ``n`` largest net exporters (positive) and net importers (negative).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`net_trade_table` [Mt CO2e yr⁻¹].
    """
    meta = dict(meta or {})
    year = meta.get("year", "")
    title = f"Net exporters and importers of embodied emissions, {year}"
    foot = _footnote(meta, gases, "Net = exports − imports.")
    if table.empty:
        return _empty_figure(title, "No flows between regions for this choice.", foot)
    pos = table[table["net_mt_co2e"] > 0].head(n)
    neg = table[table["net_mt_co2e"] < 0].tail(n)
    d = pd.concat([pos, neg]).iloc[::-1]
    fig = go.Figure(go.Bar(
        x=d["net_mt_co2e"], y=d["name"], orientation="h",
        marker_color=[SOURCE_COLOR if v > 0 else SINK_COLOR for v in d["net_mt_co2e"]],
        customdata=np.stack([d["exports_mt_co2e"].to_numpy(dtype=float), d["imports_mt_co2e"].to_numpy(dtype=float)],
                            axis=1),
        text=[f"{v:+,.0f}".replace("-", "−") for v in d["net_mt_co2e"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: net %{x:+,.1f} Mt CO2e<br>exports %{customdata[0]:,.1f}, imports "
                      "%{customdata[1]:,.1f} Mt CO2e<extra></extra>",
    ))
    lim = float(d["net_mt_co2e"].abs().max()) * 1.25
    fig.update_layout(**base_layout(title, foot, height=max(440, 160 + 22 * len(d)),
                                    subtitle="Net exporters right (emit for others), net importers left"))
    fig.update_layout(showlegend=False, margin=dict(l=190, r=40, t=70, b=120))
    fit_footnote(fig, 190)
    fig.update_xaxes(title_text="Net exports of embodied emissions, Mt CO2e per year", tickformat=",.0f",
                     zeroline=True, zerolinecolor="#888", range=[-lim, lim])
    fig.update_yaxes(automargin=True)
    # on a phone (assets/narrow.js): a short axis title that fits, and room for the value labels on both sides
    fig.update_layout(meta={"narrow": {"xaxis.title.text": "Mt CO2e per year", "xaxis.range": [-1.7 * lim, 1.7 * lim],
                                       "xaxis.nticks": 3, "yaxis.automargin": False, "margin.l": 56,
                                       "yaxis.tickmode": "array", "yaxis.tickvals": list(d["name"]),
                                       "yaxis.ticktext": [short_code(c) for c in d["region"]]}})
    return fig


def net_trade_list(table: pd.DataFrame, n: int = 10) -> html.Div:
    """Two small tables: the largest net exporters and net importers [Mt CO2e yr⁻¹, thousands separators]."""
    def tab(d, caption, cls):
        return html.Table([
            html.Caption(caption),
            html.Thead(html.Tr([html.Th("Region"), html.Th("Exports, Mt CO2e"), html.Th("Imports, Mt CO2e"),
                                html.Th("Net, Mt CO2e")])),
            html.Tbody([html.Tr([html.Td(r.name), html.Td(f"{r.exports_mt_co2e:,.1f}", className="num"),
                                 html.Td(f"{r.imports_mt_co2e:,.1f}", className="num"),
                                 html.Td(f"{r.net_mt_co2e:+,.1f}".replace("-", "−"), className="num")])
                        for r in d.itertuples()]),
        ], className=f"table net-table {cls}")

    exporters = table[table["net_mt_co2e"] > 0].head(n)
    importers = table[table["net_mt_co2e"] < 0].sort_values("net_mt_co2e").head(n)
    return html.Div([tab(exporters, "Largest net exporters (emitted for others' final demand)", "net-exporters"),
                     tab(importers, "Largest net importers (others emit for their final demand)", "net-importers")],
                    className="net-lists")
