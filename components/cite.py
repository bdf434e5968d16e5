"""“Cite this view”: one line that names the code, the data and the view behind a number, so that a reader can get
the same number again; and the line every export carries when the view shows a modelled (nowcast) year.

The line reads ``Holocarbon <version> (pack <id>), <title>, <full URL with its query>, accessed <date>``:

- *version*: :data:`engine.__version__`, followed by the git commit of the running code when the app runs from a git
  checkout (``0.1.0+07cb5f7``, the local-version form of PEP 440);
- *pack*: the key of the processed data pack the app serves (:attr:`engine.data.pack.Pack.key`; the same as
  ``/health``), which covers every source file's checksum, the authored tables and the engine code that built it;
- *title* and *URL*: the page (in the browser, written by ``assets/cite.js`` in the footer of every page) or the
  chart and the page URL that shows it (in every export: :func:`export_lines`, used once by
  :func:`components.export.decorate` and :func:`components.export.about_rows`, so PNG, SVG, PDF, CSV, XLSX and the
  briefing all carry it).

The modelled-year line uses the words of the badge beside the year (:func:`components.messages.year_words`), so the
page and the export say the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

from components.messages import year_words
from engine import __version__
from engine.core.query import Query
from engine.io.nowcast import MRIO_YEARS, method_for

ROOT = Path(__file__).resolve().parents[1]
#: Pages whose path carries the chart's ``code`` parameter (``/country/CHN``, ``/sector/c17``).
CODE_IN_PATH = ("/country", "/sector")
#: A column that holds a quantity (its name ends in a unit, possibly with an interval bound): a view whose quantities
#: all name production shows the production account only (e.g. the ledger map in the production perspective).
_QUANTITY = re.compile(r"_(mt_co2e?|gt_co2e?|gt_c|pct|t_co2e?_per_person|t_per_capita|kg_per_usd|musd|"
                       r"mt_co2e_squared)(_lo|_hi)?$")


# ---------------------------------------------------------------------------------------------------- version

def code_commit(root: Path = ROOT) -> str | None:
    """The commit (40 hex digits) of the git checkout the code runs from, read from ``.git`` without running git;
    None outside a checkout (an installed copy, a container without ``.git``)."""
    git = root / ".git"
    try:
        if git.is_file():  # a worktree or submodule: "gitdir: <path>"
            git = (root / git.read_text().split(":", 1)[1].strip()).resolve()
        common = git / "commondir"
        common = (git / common.read_text().strip()).resolve() if common.is_file() else git
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head if re.fullmatch(r"[0-9a-f]{40}", head) else None
        ref = head.split(":", 1)[1].strip()
        for folder in (git, common):
            f = folder / ref
            if f.is_file():
                return f.read_text().strip()
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split(" ", 1)[0]
    except (OSError, IndexError, ValueError):
        return None
    return None


def app_version(root: Path = ROOT) -> str:
    """``engine.__version__``, with ``+<short commit>`` when the code runs from a git checkout."""
    commit = code_commit(root)
    return f"{__version__}+{commit[:7]}" if commit else __version__


# ------------------------------------------------------------------------------------------------------ the line

def citation(title: str, url: str | None, pack: str | None, accessed: dt.date | None = None,
             version: str | None = None) -> str:
    """``Holocarbon <version> (pack <id>), <title>, <url>, accessed <YYYY-MM-DD>`` (the URL left out when None)."""
    parts = [f"Holocarbon {version or app_version()} (pack {pack or 'not available'})", title]
    if url:
        parts.append(url)
    parts.append(f"accessed {(accessed or dt.date.today()).isoformat()}")
    return ", ".join(parts)


def runtime_pack_key() -> str | None:
    """The key of the pack the running app serves (None outside the app or when it has no pack)."""
    try:
        from flask import current_app, has_app_context
    except ImportError:  # pragma: no cover - flask is a dependency of every web module
        return None
    if not has_app_context():
        return None
    pack = current_app.config.get("HOLOCARBON_PACK")
    return pack.key if pack is not None else None


def base_url() -> str:
    """Scheme and host of the current request (``http://127.0.0.1:8050``), or "" outside a request."""
    from flask import has_request_context, request

    return request.host_url.rstrip("/") if has_request_context() else ""


def view_url(page: str, q: Query, params: dict | None = None, base: str | None = None) -> str:
    """The full URL of the page that shows a chart: ``/country/CHN?year=2015`` under the request's host."""
    params = dict(params or {})
    path = page
    if page in CODE_IN_PATH and params.get("code"):
        path = f"{page}/{params.pop('code')}"
    qs = q.to_query_string()
    extra = "&".join(f"{k}={v}" for k, v in params.items() if v not in (None, ""))
    qs = "&".join(s for s in (qs, extra) if s)
    return (base_url() if base is None else base) + path + (f"?{qs}" if qs else "")


# ------------------------------------------------------------------------------------------------ modelled years

def nowcast_line(year: int) -> str | None:
    """The line every export of a nowcast year carries (None for a year with its own table, or before the tables):
    the words of the badge beside the year (:func:`components.messages.year_words`, one place for both) with the
    year, e.g. ``Modelled: consumption nowcast on the 2011 table (2022, WIOD 2013)``."""
    method, structure = method_for(int(year))
    if method != "nowcast":
        return None
    return f"{year_words(method, structure)} ({year}, WIOD 2013)"


def series_nowcast_line(years) -> str | None:
    """The same for a time series: the nowcast years it holds, as a range (None when it holds none)."""
    later = sorted({int(y) for y in years if method_for(int(y))[0] == "nowcast"})
    if not later:
        return None
    span = f"{later[0]}–{later[-1]}" if len(later) > 1 else str(later[0])
    return f"{year_words('nowcast', MRIO_YEARS[1])} ({span}, WIOD 2013)"


def shows_consumption(out) -> bool:
    """Whether a chart output (:class:`components.charts.ChartOutput`) shows a consumption-side account: it rests on
    the input–output table (cites WIOD) and is not the production account alone."""
    if "wiod" not in out.sources:
        return False
    quantities = [str(c) for c in out.data.columns if _QUANTITY.search(str(c))]
    return not (quantities and all(c.startswith("production") for c in quantities))


def modelled_line(out, q: Query) -> str | None:
    """The modelled-year line of one export, or None: a consumption-side chart of a nowcast year (a series: of the
    nowcast years it holds)."""
    if not shows_consumption(out):
        return None
    if "year" in out.data.columns:
        return series_nowcast_line(out.data["year"].dropna().unique())
    line = nowcast_line(q.year)
    if line is None and "method" in out.data.columns \
            and out.data["method"].astype(str).str.startswith("nowcast").any():
        # a chart of a fixed year whatever the Query (the ledger's 2022 headline): its year is in its title
        years = re.findall(r"\b(?:19|20)\d\d\b", out.title)
        line = nowcast_line(int(years[-1])) if years else None
    return line


# --------------------------------------------------------------------------------------------------- the exports

def export_citation(chart: str | None, out, q: Query, params: dict | None = None,
                    accessed: dt.date | None = None) -> str:
    """The cite line of one exported chart: its title and the URL of the page that shows it with the same Query."""
    url = None
    if chart is not None:
        from components.charts import CHARTS

        spec = CHARTS.get(chart)
        if spec is not None:
            url = view_url(spec.page, q, params)
    return citation(out.title, url, runtime_pack_key(), accessed)


def export_lines(chart: str | None, out, q: Query, params: dict | None = None) -> list[str]:
    """What every export adds to its footer or metadata: the modelled-year line (when it applies), then
    ``Cite this view: …``."""
    lines = []
    modelled = modelled_line(out, q)
    if modelled:
        lines.append(modelled)
    lines.append("Cite this view: " + export_citation(chart, out, q, params))
    return lines


def wrap(line: str, width: int = 175) -> list[str]:
    """A footer line cut at spaces only (a URL is never broken)."""
    return textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [line]
