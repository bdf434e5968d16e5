"""Intervals for the views: thin, cached calls to :mod:`engine.uncertainty` (the statistics live in the engine).

Every function takes the :class:`~engine.accounts.ledger.Accounts` a chart builder receives and reaches the
:class:`~engine.uncertainty.propagate.Uncertainty` through :func:`components.runtime.uncertainty_for`. Results that
take more than a few tenths of a second (a region's 54-year bands, the attribution, the headline) go through the one
cache layer, keyed by the choices they depend on (the year slider does not recompute a 1970–2023 series).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from components.messages import NO_IO_TABLE
from components.runtime import uncertainty_for
from engine.core.query import YEAR_RANGE, Query
from engine.uncertainty.propagate import attribution, interval_note
from engine.uncertainty.propagate import headline_intervals as engine_headline_intervals
from engine.uncertainty.sampling import interval

__all__ = ["attribution_frame", "headline_intervals", "ledger", "note", "series", "uncertainty_inputs",
           "world_production"]


def _memo_frame(acc, key: str, build) -> pd.DataFrame:
    """A DataFrame through the cache (stored as plain lists and attrs, so every caller gets its own copy)."""
    def stored():
        df = build()
        return df.to_dict("list"), list(df.columns), dict(df.attrs)

    data, columns, attrs = acc.cache.memo(key, stored)
    out = pd.DataFrame(data, columns=columns)
    out.attrs.update(attrs)
    return out


def note(acc, ci: int) -> str:
    """The one-sentence method note of the intervals (footnotes, exports)."""
    return interval_note(ci, uncertainty_for(acc).params.draws)


def ledger(acc, q: Query) -> pd.DataFrame:
    """:meth:`Uncertainty.ledger`: the ledger with ``<column>_lo`` / ``<column>_hi`` and ``transfer_sign_uncertain``."""
    return uncertainty_for(acc).ledger(q)


def series(acc, q: Query, region: str) -> pd.DataFrame:
    """:meth:`Uncertainty.series` of one region, 1970–2023 with interval columns (cached: about a second to build;
    independent of the Query's year and perspective)."""
    base = q.replace(year=YEAR_RANGE[1], perspective="consumption")
    return _memo_frame(acc, acc._key("ui-unc-series", base.to_query_string(), region),
                       lambda: uncertainty_for(acc).series(base, region))


def attribution_frame(acc, q: Query, region: str) -> pd.DataFrame:
    """:func:`engine.uncertainty.propagate.attribution` for one region and year (cached; independent of the
    perspective and the interval level)."""
    base = q.replace(perspective="consumption", ci=Query().ci)
    return _memo_frame(acc, acc._key("ui-unc-attribution", base.to_query_string(), region),
                       lambda: attribution(uncertainty_for(acc), base, region))


def headline_intervals(acc, gwp: str, ci: int) -> pd.DataFrame:
    """:func:`engine.uncertainty.propagate.headline_intervals` (cached): per headline region of
    :data:`~engine.accounts.headline.HEADLINE_YEAR` the ``ci`` % intervals of Holocarbon's adjustments [%] —
    ``holocarbon_ghg_pct_lo/_hi`` (all GHGs, compared with the claim) and ``holocarbon_co2_gcb_boundary_pct_lo/_hi``
    (CO2 without bunker fuel, compared with GCB)."""
    return _memo_frame(acc, acc._key("ui-unc-headline", gwp, ci),
                       lambda: engine_headline_intervals(uncertainty_for(acc), gwp, ci))


def world_production(acc, q: Query) -> tuple[float, float, float]:
    """World production (every ledger line, bunkers included) of the Query's year, gases and GWP set with its ``q.ci``
    % interval: (central, lo, hi) [Mt CO2e]. The interval is that of the sum of every line's draws (correlations
    between countries kept)."""
    q = Query(year=q.year, gwp=q.gwp, gases=q.gases, ci=q.ci)  # the world does not depend on the other choices

    def build():
        _, draws = uncertainty_for(acc).region_draws(q)
        lo, hi = interval(draws["production_mt_co2e"].astype(np.float64).sum(axis=1), q.ci)
        return float(acc.ledger(q)["production_mt_co2e"].sum()), float(lo), float(hi)

    return tuple(acc.cache.memo(acc._key("ui-unc-world", q.to_query_string()), build))


def uncertainty_inputs(acc, q: Query, region: str) -> tuple[pd.DataFrame, str, tuple[float, float] | None,
                                                             str | None]:
    """What the "what drives the uncertainty" chart needs: (attribution, account shown, the account's ``q.ci`` %
    interval [Mt CO2e] or None, a note or None). The account is the Query's perspective; before 1995 only the
    production account exists and is shown (the note says so)."""
    from engine.io.nowcast import method_for

    account, why = q.perspective, None
    if method_for(q.year)[0] == "production-only" and account != "production":
        why = (f"{NO_IO_TABLE}: the {account} account does not exist for {q.year}, so the "
               "production account is shown.")
        account = "production"
    att = attribution_frame(acc, q, region)
    col = f"{account}_mt_co2e"
    iv = uncertainty_for(acc).intervals(q, columns=(col,)).set_index("region")
    bounds = None
    if region in iv.index and np.isfinite(iv.loc[region, f"{col}_lo"]):
        bounds = (float(iv.loc[region, f"{col}_lo"]), float(iv.loc[region, f"{col}_hi"]))
    return att, account, bounds, why
