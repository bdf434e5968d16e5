"""Side-by-side comparison of several countries, groups or continents: which regions a comparison holds (read from the
URL, each with the grouping it is a region of), their key figures for a year, their 1970–2023 series of one measure
with intervals, and the pure builders of the ``/compare`` page's chart and table.

Every value comes from the ledger (:meth:`engine.accounts.ledger.Accounts.ledger`) of the grouping the region belongs
to — a country from the ledger of countries, the EU27 from the ledger in which the EU27 is one region, a continent from
the ledger of continents — so a region compares with the same number its own page shows. Intervals come from the
engine's Monte Carlo draws (:meth:`engine.uncertainty.propagate.Uncertainty.line_draws`): a region's draws are the
sum of its member lines' draws, the same sum :meth:`~engine.uncertainty.propagate.Uncertainty.region_column_draws`
takes, done once per year for all the regions of a comparison (about ten times faster than region by region).

The data functions import nothing from Dash (``/api/v1/compare`` calls them); the figure and table builders import
the web helpers they need when they are called.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence
from urllib.parse import quote, urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from engine.accounts import equations as eq
from engine.accounts import regions as regions_mod
from engine.core.query import YEAR_RANGE, Query
from engine.io.nowcast import MRIO_YEARS, method_for

#: Regions in one comparison [count].
MIN_REGIONS, MAX_REGIONS = 2, 8
#: What ``/compare`` shows when the URL names no region.
DEFAULT_CODES = ("CHN", "USA", "EU27", "IND")
#: Base years of the changes in the key figures.
CHANGE_BASES = (1990, 2005)
#: The accounts a comparison can plot (the Query's perspectives) and their columns [Mt CO2e yr⁻¹].
ACCOUNTS = ("production", "consumption", "transfer", "panoramic")
COLUMN = {a: f"{a}_mt_co2e" for a in ACCOUNTS}
#: Scales of a measure (as the ledger page's ``scale``): absolute [Mt CO2e yr⁻¹] or per person [t CO2e person⁻¹ yr⁻¹].
SCALES = ("absolute", "per_capita")
ACCOUNT_TITLES = {"production": "Production (territorial) emissions", "consumption": "Consumption-based emissions",
                  "transfer": "Net emission transfer (consumption − production)",
                  "panoramic": "Panoramic account (consumption + land-use change − land sink)"}
ACCOUNT_LABELS = {"production": "Production (territorial)", "consumption": "Consumption-based",
                  "transfer": "Net transfer (consumption − production)",
                  "panoramic": "Panoramic (consumption + LUC − land sink)"}
UNITS = {"absolute": "Mt CO2e per year", "per_capita": "t CO2e per person per year"}
#: Line colours (Okabe & Ito 2008 and Tol 2021 qualitative colours, distinguishable with the common colour-vision
#: deficiencies; yellow left out: too pale on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#AA4499", "#E69F00", "#332288", "#56B4E9", "#6b6b6b")
SOURCES_NOTE = ("Sources: EDGAR 2024 (production), WIOD 2013 + JRC CO2 shares (consumption), GCB 2024 (land-use "
                "change, land sink; sink attribution modelled).")
ROW_MARK = "†"


# ---- the regions of a comparison ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Region:
    """One region a comparison can hold.

    Attributes
    ----------
    code : str
        ISO3 code (a country), group code (EU27, G7, G20, BRICS, OECD) or continent name.
    name : str
        Display name.
    kind : str
        ``country``, ``group`` or ``continent``.
    grouping : str
        The Query grouping in whose ledger the region is one row (``countries``, the group's code, ``continents``).
    """

    code: str
    name: str
    kind: str
    grouping: str


def catalogue(acc) -> dict[str, Region]:
    """Every region a comparison can hold, by code: ledger countries (not the bunkers or GCB's other areas), the named
    groups, the continents that hold a ledger country (cached per accounts)."""
    def build():
        names = acc.names()
        countries = sorted(set(acc.country_year(2020).index) - {regions_mod.BUNKERS, "OTHER"})
        out = {c: Region(c, names.get(c, c), "country", "countries") for c in countries}
        out.update({g: Region(g, names.get(g, g), "group", g) for g in regions_mod.NAMED_GROUPS})
        ledger = set(countries)
        for cont in sorted({c for iso, c in regions_mod.continents().items() if iso in ledger}):
            out[cont] = Region(cont, cont, "continent", "continents")
        return out

    return acc.cache.memo(acc._key("ui-compare-catalogue"), build, shared=False)


def options(acc, chosen: Sequence[str] = ()) -> list[dict]:
    """The choices of the region picker: groups, continents, then countries by name (``Germany (DEU)``); when
    :data:`MAX_REGIONS` are chosen, the others are disabled."""
    cat = catalogue(acc)
    full = len(chosen) >= MAX_REGIONS
    kinds = {"group": 0, "continent": 1, "country": 2}
    out = []
    for r in sorted(cat.values(), key=lambda r: (kinds[r.kind], r.name.casefold())):
        label = {"country": f"{r.name} ({r.code})", "group": f"{r.name} ({r.code}, group)",
                 "continent": f"{r.name} (continent)"}[r.kind]
        opt = {"label": label, "value": r.code}
        if full and r.code not in chosen:
            opt["disabled"] = True
        out.append(opt)
    return out


def resolve(acc, raw) -> str | None:
    """The region a URL item stands for: a code in any case (``deu``, ``eu27``, ``europe``), or a country or group the
    search index names unambiguously (``germany``, ``United States``); None when nothing or several match."""
    from engine.accounts import search

    text = " ".join(str(raw or "").split())
    if not text:
        return None
    cat = catalogue(acc)
    folded = {c.casefold(): c for c in cat}
    if text.casefold() in folded:
        return folded[text.casefold()]
    code = search.resolve(search.search_index(acc), text, kinds=("country", "group", "continent"))
    return code if code in cat else None


@dataclass(frozen=True)
class Selection:
    """The regions of a comparison read from a URL: ``codes`` (known, in order, at most :data:`MAX_REGIONS`),
    ``unknown`` (as written) and ``dropped`` (known, beyond the first :data:`MAX_REGIONS`)."""

    codes: tuple[str, ...]
    unknown: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


def split_codes(raw) -> list[str]:
    """The items of a ``codes`` value (a comma-separated string or a list), stripped, empty ones left out."""
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    return [" ".join(str(i).split()) for i in items if str(i).strip()]


def parse_codes(acc, raw, default: Sequence[str] = DEFAULT_CODES) -> Selection:
    """The :class:`Selection` of a ``codes`` value; ``default`` when it names nothing at all (``/compare``)."""
    items = split_codes(raw)
    if not items:
        return Selection(tuple(default))
    codes, unknown = [], []
    for item in items[:60]:  # a URL may be long; nobody compares 60 regions
        code = resolve(acc, item)
        if code is None:
            unknown.append(item[:40])
        elif code not in codes:
            codes.append(code)
    return Selection(tuple(codes[:MAX_REGIONS]), tuple(unknown), tuple(codes[MAX_REGIONS:]))


def selection_message(sel: Selection) -> str | None:
    """What the page says about a URL's codes it cannot use all of (None when it uses them all)."""
    parts = []
    if sel.unknown:
        listed = ", ".join(f"“{u}”" for u in sel.unknown)
        parts.append(f"Holocarbon has no country, group or continent {listed}"
                     + ("; the other regions are compared." if sel.codes else "."))
    if sel.dropped:
        parts.append(f"A comparison holds at most {MAX_REGIONS} regions: {', '.join(sel.dropped)} "
                     f"{'was' if len(sel.dropped) == 1 else 'were'} left out.")
    return " ".join(parts) or None


def check_codes(acc, raw) -> tuple[str, ...]:
    """The codes of an API request: every item known, :data:`MIN_REGIONS` to :data:`MAX_REGIONS` of them.

    Raises
    ------
    ValueError
        Naming the unknown items (with the closest codes), or saying how many regions are allowed.
    """
    from engine.core.query import closest

    items = split_codes(raw)
    codes, unknown = [], []
    for item in items:
        code = resolve(acc, item)
        if code is None:
            unknown.append(item[:40])
        elif code not in codes:
            codes.append(code)
    if unknown:
        hints = list(dict.fromkeys(h for u in unknown for h in closest(u, catalogue(acc))))[:5]
        raise ValueError(f"unknown region{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
                         + (f" (did you mean {', '.join(hints)}?)" if hints else "")
                         + "; codes are ISO3 countries, EU27, G7, G20, BRICS, OECD or a continent (see "
                           "/api/v1/regions)")
    if not MIN_REGIONS <= len(codes) <= MAX_REGIONS:
        raise ValueError(f"codes must name {MIN_REGIONS} to {MAX_REGIONS} different regions; got {len(codes)}")
    return tuple(codes)


def region_query(q: Query, region: Region) -> Query:
    """The Query whose ledger holds ``region`` as one row (every other choice as in ``q``)."""
    return q.replace(grouping=region.grouping, members=())


def parse_scale(raw) -> tuple[str, str | None]:
    """(scale, problem) of a URL's ``scale``: absolute by default; a bad value gives absolute and a message."""
    if raw in (None, ""):
        return "absolute", None
    if raw in SCALES:
        return raw, None
    return "absolute", f"scale must be one of {', '.join(SCALES)}; got {str(raw)[:40]!r} (showing absolute values)."


def page_search(q: Query, codes: Sequence[str], scale: str = "absolute") -> str:
    """The query string of a comparison (no ``?``): the regions, the Query's choices, the scale when per person."""
    params = {"codes": ",".join(codes)} | q.to_params()
    if scale != "absolute":
        params["scale"] = scale
    return urlencode(params, safe=",", quote_via=quote)


def region_href(region: Region, qs: str = "") -> str:
    """The page of a region: a country's or group's page, the ledger by continents for a continent."""
    if region.kind == "continent":
        return "/ledger?grouping=continents" + (f"&{qs}" if qs else "")
    return f"/country/{quote(region.code)}" + (f"?{qs}" if qs else "")


# ---- key figures ----------------------------------------------------------------------------------------------
def _by_grouping(regions: Iterable[Region]) -> dict[str, list[Region]]:
    out: dict[str, list[Region]] = {}
    for r in regions:
        out.setdefault(r.grouping, []).append(r)
    return out


def _row_members(acc, q: Query, region: Region) -> tuple[int, int]:
    """(members inside WIOD's rest of the world, members) of a region's ledger lines [count]."""
    yf = acc.year_frame(q.year)
    labels = regions_mod.partition(yf["codes"], region_query(q, region), acc.mrio_regions())
    inside = labels.to_numpy(dtype=str) == region.code
    return int((yf["row_member"] & inside).sum()), int(inside.sum())


def shared_row(acc, codes: Sequence[str]) -> list[str]:
    """The codes whose consumption account is (partly) a share of WIOD's rest of the world: a country inside it, or a
    group or continent with a member inside it (the same every year)."""
    cat = catalogue(acc)
    q = Query(year=YEAR_RANGE[1])
    return [c for c in codes if _row_members(acc, q, cat[c])[0] > 0]


def caveat(region: Region, row: pd.Series, year: int, basis: bool = True) -> str:
    """What the region's consumption account rests on, in a few words (the table's caveat column); with ``basis``
    also what the year's accounts rest on (a WIOD table or the nowcast), the same for every region of the year."""
    method = row["method"]
    if method == "production-only":
        return "None before 1995 (production only)"
    k, n = int(row.get("row_members", 0)), int(row.get("n_members", 1))
    if k and region.kind == "country":
        text = f"Shared RoW estimate, not its own {ROW_MARK}"
    elif k:
        text = f"{k} of {n} members a shared RoW estimate {ROW_MARK}"
    else:
        text = "Own (WIOD region)" if region.kind == "country" else "Own (members are WIOD regions)"
    if basis:
        text += " · " + ("nowcast on the 2011 table (modelled)" if method == "nowcast" else f"WIOD table of {year}")
    return text


def year_basis(year: int) -> str:
    """What every region's consumption account of ``year`` rests on, in words."""
    method, structure = method_for(year)
    if method == "nowcast":
        return f"consumption is a nowcast on the {structure} table (modelled)"
    if method == "mrio":
        return f"consumption from the WIOD table of {structure}"
    return "production only: no input–output table before 1995"


def short_caveat(row: pd.Series) -> str:
    """The caveat in a few words (the exported table figure; its footnote explains †)."""
    if row["method"] == "production-only":
        return "none before 1995"
    k, n = int(row.get("row_members", 0)), int(row.get("n_members", 1))
    if k and row.get("kind") == "country":
        return f"shared RoW estimate {ROW_MARK}"
    if k:
        return f"{k} of {n} members from RoW {ROW_MARK}"
    return "own (WIOD)"


def key_figures(acc, q: Query, codes: Sequence[str], intervals: bool = True) -> pd.DataFrame:
    """The key figures of each region for the Query's year, one row per code in the given order.

    Returns
    -------
    DataFrame
        ``code, name, kind``; ``production_mt_co2e, consumption_mt_co2e, transfer_mt_co2e, panoramic_mt_co2e``
        [Mt CO2e yr⁻¹]; ``adjustment_pct`` (net transfer in % of production) [%]; ``population`` [persons];
        ``production_t_per_capita, consumption_t_per_capita`` [t CO2e person⁻¹ yr⁻¹];
        ``production_change_since_1990_pct, production_change_since_2005_pct, consumption_change_since_2005_pct``
        (change of the account from the base year to the Query's year; missing when the year is before the base) [%];
        ``method, structure_year``; ``row_members`` (members inside WIOD's rest of the world) and ``n_members``
        [count]; ``consumption_account`` (the caveat in words). With ``intervals``, ``<column>_lo`` / ``<column>_hi``
        (the Query's ``ci`` % interval) beside each value and ``transfer_sign_uncertain``.
    """
    from components import intervals as iv

    cat = catalogue(acc)
    regions = [cat[c] for c in codes]
    rows: dict[str, dict] = {}
    for grouping, members in _by_grouping(regions).items():
        qg = region_query(q, members[0])
        led = (iv.ledger(acc, qg) if intervals else acc.ledger(qg)).set_index("region")
        bases = {b: acc.ledger(qg.replace(year=b)).set_index("region") for b in CHANGE_BASES if b <= q.year}
        for r in members:
            row = led.loc[r.code].to_dict()
            for b in CHANGE_BASES:
                for account in ("production", "consumption"):
                    col = COLUMN[account]
                    then = bases[b].loc[r.code, col] if b in bases else np.nan
                    row[f"{account}_change_since_{b}_pct"] = (
                        100.0 * (row[col] / then - 1.0) if then and np.isfinite(then) and then > 0 else np.nan)
            row["row_members"], row["n_members"] = _row_members(acc, q, r)
            rows[r.code] = row
    values = ["production_mt_co2e", "consumption_mt_co2e", "transfer_mt_co2e", "adjustment_pct", "panoramic_mt_co2e",
              "production_t_per_capita", "consumption_t_per_capita"]
    cols = ["code", "name", "kind"]
    for c in values:
        cols.append(c)
        if intervals:
            cols += [f"{c}_lo", f"{c}_hi"]
    cols += ["population", "production_change_since_1990_pct", "production_change_since_2005_pct",
             "consumption_change_since_2005_pct", "method", "structure_year", "row_members", "n_members",
             "consumption_account"] + (["transfer_sign_uncertain"] if intervals else [])
    out = []
    for r in regions:
        row = rows[r.code]
        row.update(code=r.code, name=r.name, kind=r.kind, consumption_account=caveat(r, pd.Series(row), q.year))
        out.append({c: row.get(c, np.nan) for c in cols})
    frame = pd.DataFrame(out, columns=cols)
    frame.attrs.update(year=q.year, ci=q.ci if intervals else None, method=method_for(q.year)[0],
                       query_text=q.describe())
    return frame


# ---- series ---------------------------------------------------------------------------------------------------
#: Columns of a region's stored series (one row per year).
SERIES_COLUMNS = ("year", "method", "population", *(f"{COLUMN[a]}{s}" for a in ACCOUNTS for s in ("", "_lo", "_hi")))


def _series_key(acc, q: Query, region: Region, intervals: bool) -> str:
    base = Query(gwp=q.gwp, gases=q.gases, luc_model=q.luc_model, ci=q.ci, year=YEAR_RANGE[1])
    return acc._key("ui-compare-series", base.to_query_string(), region.grouping, region.code, int(intervals))


def _compute_series(acc, q: Query, regions: Sequence[Region], intervals: bool) -> dict[str, dict]:
    """Each region's 1970–2023 values of the four accounts (and their intervals), as plain lists by column."""
    from components.runtime import uncertainty_for
    from engine.uncertainty.sampling import interval

    unc = uncertainty_for(acc) if intervals else None
    years = range(YEAR_RANGE[0], YEAR_RANGE[1] + 1)
    out = {r.code: {c: [] for c in SERIES_COLUMNS} for r in regions}
    groups = _by_grouping(regions)
    lines, members_of = None, {}
    for y in years:
        qy = q.replace(year=y)
        method = method_for(y)[0]
        for grouping, members in groups.items():
            led = acc.ledger(region_query(qy, members[0]))
            row = {code: i for i, code in enumerate(led["region"])}
            cols = {c: led[c].to_numpy(dtype=float) for c in ("population", *(COLUMN[a] for a in ACCOUNTS))}
            for r in members:
                d, i = out[r.code], row[r.code]
                d["year"].append(y)
                d["method"].append(method)
                for c, v in cols.items():
                    d[c].append(float(v[i]))
        if unc is None:
            continue
        # every region's member lines, drawn together: a region's draws are the sum of its lines' draws
        codes = acc.year_frame(y)["codes"]
        if lines is None or len(lines) != len(codes) or (lines != codes).any():  # the ledger lines of every year
            lines = codes
            for r in regions:
                labels = regions_mod.partition(codes, region_query(qy, r), acc.mrio_regions()).to_numpy(dtype=str)
                members_of[r.code] = np.flatnonzero(labels == r.code)
        union = np.unique(np.concatenate(list(members_of.values())))
        where = {line: i for i, line in enumerate(union)}
        draws = unc.line_draws(qy, union)
        for a in ACCOUNTS:
            v = draws[COLUMN[a]]  # (draws, lines)
            stack = np.stack([v[:, [where[i] for i in members_of[r.code]]].sum(axis=1) for r in regions])
            lo, hi = interval(stack, q.ci, axis=1)
            for k, r in enumerate(regions):
                out[r.code][f"{COLUMN[a]}_lo"].append(float(lo[k]))
                out[r.code][f"{COLUMN[a]}_hi"].append(float(hi[k]))
    if unc is None:
        for d in out.values():
            for a in ACCOUNTS:
                d[f"{COLUMN[a]}_lo"] = d[f"{COLUMN[a]}_hi"] = [math.nan] * len(d["year"])
    return out


def series(acc, q: Query, codes: Sequence[str], intervals: bool = True,
           cached_only: bool = False) -> pd.DataFrame | None:
    """The 1970–2023 series of every account of each region (independent of the Query's year and perspective).

    Each region is cached on its own (keyed by the GWP set, gases, land-use model and interval level); the regions
    not cached yet are computed together. With ``cached_only``, None unless every region is cached (the page draws
    the lines first and the interval bands once they are computed).

    Returns
    -------
    DataFrame
        Long: ``code, name, year, method, population`` and, per account, ``<account>_mt_co2e`` with ``_lo`` / ``_hi``
        (the ``q.ci`` % interval; missing without ``intervals``) [Mt CO2e yr⁻¹]; consumption, transfer and panoramic
        are missing before 1995.
    """
    cat = catalogue(acc)
    regions = [cat[c] for c in codes]
    got = {r.code: acc.cache.get(_series_key(acc, q, r, intervals)) for r in regions}
    todo = [r for r in regions if got[r.code] is None]
    if todo and cached_only:
        return None
    if todo:
        fresh = _compute_series(acc, q, todo, intervals)
        for r in todo:
            acc.cache.set(_series_key(acc, q, r, intervals), fresh[r.code])
            got[r.code] = fresh[r.code]
    frames = []
    for r in regions:
        f = pd.DataFrame({c: list(got[r.code][c]) for c in SERIES_COLUMNS})
        f.insert(0, "name", r.name)
        f.insert(0, "code", r.code)
        frames.append(f)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["code", "name", *SERIES_COLUMNS])
    out.attrs.update(ci=q.ci if intervals else None)
    return out


def measure_frame(data: pd.DataFrame, account: str, scale: str = "absolute") -> pd.DataFrame:
    """One measure of a :func:`series` frame: ``code, name, year, method, value, value_lo, value_hi`` [Mt CO2e yr⁻¹, or
    t CO2e person⁻¹ yr⁻¹ per person]."""
    if account not in ACCOUNTS:
        raise ValueError(f"account must be one of {', '.join(ACCOUNTS)}; got {account!r}")
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}; got {scale!r}")
    col = COLUMN[account]
    out = data[["code", "name", "year", "method"]].copy()
    pop = data["population"].to_numpy(dtype=float)
    for suffix, name in (("", "value"), ("_lo", "value_lo"), ("_hi", "value_hi")):
        v = data[col + suffix].to_numpy(dtype=float)
        out[name] = eq.per_capita(v, pop) if scale == "per_capita" else v
    return out


def with_per_capita(data: pd.DataFrame) -> pd.DataFrame:
    """A :func:`series` frame with ``<account>_t_per_capita`` (and its ``_lo`` / ``_hi``) after the absolute columns
    [t CO2e person⁻¹ yr⁻¹]."""
    out = data.copy()
    pop = out["population"].to_numpy(dtype=float)
    for a in ACCOUNTS:
        for s in ("", "_lo", "_hi"):
            out[f"{a}_t_per_capita{s}"] = eq.per_capita(out[f"{COLUMN[a]}{s}"].to_numpy(dtype=float), pop)
    return out


# ---- the series chart -----------------------------------------------------------------------------------------
def measure_title(account: str, scale: str) -> str:
    return ACCOUNT_TITLES[account] + (" per person" if scale == "per_capita" else "")


def _legend_rows(names: Sequence[str], width: float = 760.0) -> int:
    """Rows a horizontal legend of these names takes in a plot ``width`` px wide (about 6.6 px a character at 12 px,
    40 px for the symbol and the gap)."""
    rows, used = 1, 0.0
    for n in names:
        w = 40 + 6.6 * len(n)
        if used and used + w > width:
            rows, used = rows + 1, 0.0
        used += w
    return rows


def _fmt(v: float, dp: int, sign: bool = False) -> str:
    if v is None or not np.isfinite(v):
        return "—"
    v = round(float(v), dp) + 0.0
    return (f"{v:+,.{dp}f}" if sign else f"{v:,.{dp}f}").replace("-", "−")


def build_series_figure(frame: pd.DataFrame, account: str, scale: str = "absolute", ci: int | None = None,
                        year: int | None = None, shared_row: Sequence[str] = ()) -> go.Figure:
    """One line per region over the years for one measure [Mt CO2e yr⁻¹ or t CO2e person⁻¹ yr⁻¹].

    Parameters
    ----------
    frame : DataFrame
        :func:`measure_frame` (regions in the order of the legend).
    ci : int, optional
        The interval level [%] of ``value_lo`` / ``value_hi``: each line gets a pale band and its hover the interval
        (without interval values the footnote says they are being computed).
    year : int, optional
        The year of the key figures, marked by a dotted vertical line.
    shared_row : sequence of str
        Codes whose consumption is a share of WIOD's rest of the world (marked † when the account needs it).

    Notes
    -----
    Consumption-based accounts (consumption, transfer, panoramic) after the last WIOD table (2011) are a nowcast on
    the 2011 table: drawn dashed (from 2011, so the line stays joined), said in the subtitle, the footnote and the
    hover. One invisible marker trace per region carries the hover (so 2011 is not listed twice).
    """
    from components.country_view import axis_format, decimals_for
    from components.figures import base_layout, figure_summary, summarise

    unit = UNITS[scale]
    needs_io = account != "production"
    traces, twins = [], []  # plain dicts: one figure built at the end (plotly validates each trace once)
    codes = list(dict.fromkeys(frame["code"]))
    bands = ci is not None and frame["value_lo"].notna().any()
    shown = frame[frame["value"].notna()]
    dp = decimals_for(float(np.nanmax(np.abs(shown["value"]))) if len(shown) else 0.0)
    signed = account == "transfer"
    legend_names = []
    for i, code in enumerate(codes):
        d = frame[(frame["code"] == code) & frame["value"].notna()].sort_values("year")
        color = PALETTE[i % len(PALETTE)]
        name = str(frame.loc[frame["code"] == code, "name"].iloc[0])
        label = name + (f" {ROW_MARK}" if needs_io and code in shared_row else "")
        legend_names.append(label)
        line = dict(type="scatter", mode="lines", legendgroup=code, hoverinfo="skip")
        if d.empty:  # e.g. consumption before 1995 only: the region stays in the legend
            traces.append(line | dict(x=[None], y=[None], name=label, line=dict(color=color, width=2.4)))
            continue
        if bands:
            b = d[d["value_lo"].notna() & d["value_hi"].notna()]
            if len(b):  # one closed outline per region: along the lower bound, back along the upper one
                fill = _rgba(color, 0.13)
                traces.append(line | dict(
                    x=np.concatenate([b["year"], b["year"][::-1]]),
                    y=np.concatenate([b["value_lo"], b["value_hi"][::-1]]), fill="toself", fillcolor=fill,
                    line=dict(width=0, color=fill), showlegend=False, name=f"{name}: {ci} % interval"))
        now = d["method"] == "nowcast"
        measured = d[~now] if needs_io else d
        modelled = d[now | (d["year"] == MRIO_YEARS[1])] if needs_io and now.any() else d.iloc[0:0]
        traces.append(line | dict(x=measured["year"], y=measured["value"], name=label,
                                  line=dict(color=color, width=2.4)))
        if len(modelled):
            traces.append(line | dict(x=modelled["year"], y=modelled["value"], name=f"{name} (nowcast, modelled)",
                                      showlegend=False, line=dict(color=color, width=2.4, dash="dash")))
        note = np.where(d["method"] == "nowcast", " · nowcast (modelled)", "") if needs_io else np.full(len(d), "")
        iv = (f" ({ci} %: %{{customdata[0]:,.{dp}f}} to %{{customdata[1]:,.{dp}f}})" if bands else "")
        custom = [[_num(lo), _num(hi), n] for lo, hi, n in zip(d["value_lo"], d["value_hi"], note)]
        value = f"%{{y:{'+' if signed else ''},.{dp}f}} {unit}"
        traces.append(dict(type="scatter", x=d["year"], y=d["value"], mode="markers", name=name, legendgroup=code,
                           showlegend=False, marker=dict(color=color, size=7, opacity=0), customdata=custom,
                           hovertemplate=f"{name}: {value}%{{customdata[2]}}{iv}<extra></extra>"))
        twins.append(dict(type="scatter", x=d["year"], y=d["value"], mode="lines", name=name, customdata=custom,
                          hovertemplate=f"{name} %{{x}}: {value}%{{customdata[2]}}{iv}<extra></extra>"))
    first = int(shown["year"].min()) if len(shown) else YEAR_RANGE[0]
    title = f"{measure_title(account, scale)}, {first}–{YEAR_RANGE[1]}"
    subtitle = f"{len(codes)} region{'s' if len(codes) != 1 else ''} · {unit}"
    foot = []
    if needs_io:
        foot.append("Consumption exists from 1995: WIOD 2013 tables to 2011 (solid); 2012–2023 nowcast on the 2011 "
                    "table")
        foot.append("(modelled, dashed).")
        subtitle += " · dashed: nowcast 2012–2023 (modelled)"
    else:
        foot.append("Production (territorial): EDGAR 2024 inventories, every year measured.")
    if bands:
        foot.append(f"Shaded: {ci} % intervals (Monte Carlo draws of the inventories, the input–output table, the "
                    "nowcast, land).")
    elif ci is not None:  # the page draws the lines first; the bands follow (the chart keeps its height)
        foot.append(f"The {ci} % intervals are being computed: they follow as shaded bands.")
    if needs_io and any(c in shared_row for c in codes):
        foot.append(f"{ROW_MARK} Consumption is a production share of WIOD's rest of the world, not the region's own "
                    "account.")
    if year is not None:
        foot.append(f"Dotted line: {year}, the year of the key figures.")
    foot.append(SOURCES_NOTE)
    rows = _legend_rows(legend_names)
    values = shown[["value", "value_lo", "value_hi"]].to_numpy(dtype=float) if len(shown) else np.zeros(1)
    layout = base_layout(title, "<br>".join(foot), height=520 + 14 * len(foot) + 22 * (rows - 1), subtitle=subtitle)
    layout.update(
        legend=dict(orientation="h", y=1.0, x=0, yanchor="bottom", xanchor="left", font=dict(size=12)),
        hovermode="x unified", margin=dict(l=60, r=24, t=86 + 22 * rows, b=62 + 14 * len(foot)),
        # the first year's tick label and the y axis's "0" must not meet in the corner (a 300 px phone plot)
        yaxis=dict(title=dict(text=unit), rangemode="tozero", tickformat=axis_format(values), zeroline=True,
                   zerolinecolor="#c5ccd3", ticklabelstandoff=6),
        xaxis=dict(range=[first - 1.2, YEAR_RANGE[1] + 0.5], dtick=10 if first < 1990 else 5),
        shapes=[] if year is None else [dict(type="line", x0=year, x1=year, xref="x", y0=0, y1=1, yref="paper",
                                             line=dict(color="#5f6b7a", width=1, dash="dot"))])
    fig = go.Figure(data=traces, layout=layout)
    twin = go.Figure(data=twins, layout=dict(title=dict(text=title, subtitle=dict(text=subtitle)),
                                             yaxis=dict(title=dict(text=unit))))
    return summarise(fig, figure_summary(twin))


def _num(v) -> float | None:
    """A float for a figure's JSON (None for a missing value)."""
    return float(v) if v is not None and np.isfinite(v) else None


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha})"


# ---- the key-figures table -------------------------------------------------------------------------------------
#: Value columns of the table: (column, header with its unit, signed).
TABLE_VALUES = (
    ("production_mt_co2e", "Production (Mt CO2e)", False),
    ("consumption_mt_co2e", "Consumption (Mt CO2e)", False),
    ("adjustment_pct", "Net transfer (% of production)", True),
    ("production_t_per_capita", "Production per person (t CO2e)", False),
    ("consumption_t_per_capita", "Consumption per person (t CO2e)", False),
    ("production_change_since_1990_pct", "Production change since 1990 (%)", True),
    ("production_change_since_2005_pct", "Production change since 2005 (%)", True),
    ("consumption_change_since_2005_pct", "Consumption change since 2005 (%)", True),
)


def _decimals(kf: pd.DataFrame, col: str) -> int:
    from components.country_view import decimals_for

    if col.endswith("_pct"):
        return 1
    v = kf[col].to_numpy(dtype=float)
    v = v[np.isfinite(v)]
    return decimals_for(float(np.abs(v).max()) if v.size else 0.0)


def table_cells(kf: pd.DataFrame) -> list[dict]:
    """The table's text per region: ``{column: (value, interval or None)}`` with the number formatting of the
    project (decimals by magnitude, a real minus sign, signed changes)."""
    ci = kf.attrs.get("ci")
    out = []
    for _, row in kf.iterrows():
        cells = {}
        for col, _, signed in TABLE_VALUES:
            dp = _decimals(kf, col)
            text = _fmt(row[col], dp, signed)
            iv = None
            if ci is not None and f"{col}_lo" in kf.columns and np.isfinite(row.get(f"{col}_lo", np.nan)):
                iv = f"{_fmt(row[f'{col}_lo'], dp, signed)} to {_fmt(row[f'{col}_hi'], dp, signed)}"
            cells[col] = (text, iv)
        out.append(cells)
    return out


def build_table_figure(kf: pd.DataFrame) -> go.Figure:
    """The key figures as a table figure (the PNG, SVG and PDF exports of ``compare-table``)."""
    from components.figures import base_layout, summarise

    year = kf.attrs.get("year")
    cells = table_cells(kf)
    header = ["Region"] + [h for _, h, _ in TABLE_VALUES] + ["Consumption account"]
    columns = [[f"{n}{' ' + ROW_MARK if k else ''}" for n, k in zip(kf["name"], row_flags(kf))]]
    for col, _, _ in TABLE_VALUES:
        columns.append([c[col][0] for c in cells])
    columns.append([short_caveat(r) for _, r in kf.iterrows()])
    fig = go.Figure(go.Table(
        columnwidth=[1.5] + [1.0] * len(TABLE_VALUES) + [1.6],
        header=dict(values=[f"<b>{h}</b>" for h in header], fill_color="#eef1f4", align="left",
                    font=dict(size=11, color="#1f2933"), line_color="#e3e7ec"),
        cells=dict(values=columns, align=["left"] + ["right"] * len(TABLE_VALUES) + ["left"],
                   font=dict(size=11, color="#1f2933"), height=26, line_color="#e3e7ec", fill_color="white")))
    ci = kf.attrs.get("ci")
    foot = ("Net transfer = consumption − production, in % of production. Changes: from the base year to "
            f"{year}.<br>{ROW_MARK} consumption (partly) a production share of WIOD's rest of the world, not the "
            "region's own account." + (f"<br>The {ci} % intervals of every value are in the data (CSV, XLSX)."
                                       if ci else "") + "<br>" + SOURCES_NOTE)
    fig.update_layout(**base_layout(f"Key figures, {year}", foot, height=200 + 42 * len(kf)))
    fig.update_layout(margin=dict(l=20, r=20, t=60, b=110))
    text = f"Table: key figures, {year}, {len(kf)} regions. " + " ".join(
        f"{n}: production {c['production_mt_co2e'][0]} Mt CO2e, consumption {c['consumption_mt_co2e'][0]} Mt CO2e, "
        f"net transfer {c['adjustment_pct'][0]} % of production."
        for n, c in zip(kf["name"], cells))
    return summarise(fig, text)


def key_figures_table(kf: pd.DataFrame, qs: str = ""):
    """The key figures as an HTML table that scrolls inside its box on phones; each region links to its page and the
    caveat column says what its consumption account rests on."""
    from dash import html

    cat_kind = dict(zip(kf["code"], kf["kind"]))
    year = kf.attrs.get("year")
    cells = table_cells(kf)
    head = html.Tr([html.Th("Region", scope="col"), html.Th("Consumption account", scope="col")]
                   + [html.Th(h, scope="col", className="num") for _, h, _ in TABLE_VALUES])
    body = []
    for (_, row), c, flag in zip(kf.iterrows(), cells, row_flags(kf)):
        region = Region(row["code"], row["name"], cat_kind[row["code"]], "")
        body.append(html.Tr([
            html.Th([html.A(row["name"], href=region_href(region, qs)),
                     html.Span(f" {row['code']}" if region.kind != "continent" else " continent",
                               className="compare-code")], scope="row"),
            html.Td(caveat(region, row, year, basis=False),
                    className="compare-caveat" + (" compare-caveat-row" if flag else "")),
            *[html.Td([html.Span(c[col][0], className="compare-value"),
                       html.Span(c[col][1], className="compare-interval") if c[col][1] else None], className="num")
              for col, _, _ in TABLE_VALUES],
        ]))
    ci = kf.attrs.get("ci")
    caption = f"Key figures, {year}" + (f" (under each value: its {ci} % interval)" if ci else "")
    note = (f"{year}: {year_basis(year)}." + (f" Under each value: its {ci} % interval." if ci else "")
            + (f" {ROW_MARK} The consumption account is (partly) a production share of WIOD's rest of the world: "
               "the same share of RoW's consumption for each of its countries, not their own." if
               any(row_flags(kf)) else ""))
    return html.Div([
        html.P(note, className="compare-table-note"),
        html.Div(html.Table([html.Caption(caption, className="sr-only"), html.Thead(head), html.Tbody(body)],
                            className="table compare-table"), className="table-scroll compare-table-scroll"),
    ])


def row_flags(kf: pd.DataFrame) -> list[bool]:
    """Per region: whether its consumption account of the year is (partly) a share of WIOD's rest of the world."""
    return [int(k) > 0 and m != "production-only" for k, m in zip(kf["row_members"], kf["method"])]
