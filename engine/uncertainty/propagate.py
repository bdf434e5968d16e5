"""The uncertainty orchestrator: intervals for every ledger column of any Query and grouping, time series bands,
the attribution of a region's variance to its input groups, and the convergence of the Monte Carlo.

Inputs and their correlations (sources in ``data/uncertainty_parameters.csv`` and the module docstrings):

- **emissions** — per line (country), EDGAR sector and gas (:mod:`engine.uncertainty.draws`): the draws of the
  production account of every line, and through the input–output model the consumption draws stored in the pack;
- **input–output table** — relative cell errors, propagated to first order (:mod:`engine.uncertainty.table`):
  a multivariate normal term per model region with the table's covariance;
- **nowcast** — years after the last table widen by the nowcast's own measured error: the drift of its
  consumption-to-production gap to GCB since 2011, as a function of the years since 2011 (:meth:`nowcast_sigma`);
- **land-use change** — when the mean of the four GCB bookkeeping models is chosen, each draw takes one model (the
  spread between models); when one model is chosen, GCB's stated uncertainty as a common relative error;
- **land sink** — GCB's stated uncertainty as a common relative error of every line's attributed share.

Groups are sums of their members' draws, so correlations are kept; every draw of every year comes from the same
seeded streams, so answers are reproducible and series move consistently from year to year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.accounts import equations as eq
from engine.accounts import regions as regions_mod
from engine.core.gwp import reweight_factors
from engine.core.query import GASES, LUC_MODELS, Query
from engine.io.nowcast import MRIO_YEARS, method_for
from engine.sources.edgar import SECTORS as EDGAR_SECTORS
from engine.uncertainty import parameters as params_mod
from engine.uncertainty.draws import (
    EmissionDraws,
    consumption_draws,
    emission_draws,
    table_covariance,
)
from engine.uncertainty.sampling import interval, streams

#: The ledger columns that get intervals (per capita ones follow from their totals).
VALUE_COLUMNS = ("production_mt_co2e", "consumption_mt_co2e", "transfer_mt_co2e", "bunkers_in_consumption_mt_co2e",
                 "luc_mt_co2", "land_sink_mt_co2", "panoramic_mt_co2e")
PER_CAPITA = {"production_t_per_capita": "production_mt_co2e", "consumption_t_per_capita": "consumption_mt_co2e",
              "panoramic_t_per_capita": "panoramic_mt_co2e"}
#: Input groups of the attribution.
INPUT_GROUPS = ("emissions", "table", "nowcast", "land-use change", "land sink")


class Uncertainty:
    """Monte Carlo intervals over an :class:`~engine.accounts.ledger.Accounts` (its pack, cache and code).

    Parameters
    ----------
    accounts : engine.accounts.ledger.Accounts
    params : Parameters, optional
        Defaults to ``data/uncertainty_parameters.csv``.
    """

    def __init__(self, accounts, params: params_mod.Parameters | None = None, memory_items: int = 512):
        from engine.core.cache import TieredCache

        self.accounts = accounts
        self.pack = accounts.pack
        self.params = params or params_mod.load()
        #: The draws' own memory tier (per-year items would otherwise push the central ledger's out of the
        #: accounts' cache); keys carry the accounts' namespace and a digest of the parameters.
        self.cache = TieredCache(memory_items=memory_items)

    def _key(self, *parts) -> str:
        """Cache keys carry a digest of every parameter: two engines with different parameters never share draws."""
        from engine.data.fingerprint import digest

        return self.accounts._key("unc", digest(sorted(self.params.values.items())), *parts)

    # ---- inputs -------------------------------------------------------------------------------------------
    def ranges(self) -> pd.DataFrame:
        """95 % emission ranges per line, EDGAR sector and gas (:func:`engine.uncertainty.inputs.sector_ranges`)."""
        def build():
            from engine.uncertainty.inputs import sector_ranges

            return sector_ranges(self.pack.table("solazzo_uncertainty"), self._all_lines(),
                                 regions_mod.continents())

        return self.cache.memo(self._key("ranges"), build, shared=False)

    def _all_lines(self) -> list[str]:
        from engine.accounts.inputs import line_codes

        bs = self.pack.table("edgar_ghg_by_sector")
        return sorted(set(line_codes(bs[~bs["is_aggregate"]]["iso3"]).astype(str)))

    def emission_draws(self) -> EmissionDraws:
        """Multipliers of every line's emissions by sector and gas (one set for all years)."""
        return self.cache.memo(self._key("emission_draws"),
                                        lambda: emission_draws(self.ranges(), self._all_lines(), self.params),
                                        shared=False)

    def _z(self) -> dict:
        """The other input groups' standard normals (and LUC model indices), one row per draw."""
        def build():
            d, rng = self.params.draws, streams(self.params.seed)
            R = len(self.accounts.mrio_regions())
            return {"luc_model": rng["luc_model"].integers(0, len(LUC_MODELS) - 1, d),
                    "luc": rng["luc"].standard_normal(d), "land_sink": rng["land_sink"].standard_normal(d),
                    "nowcast": rng["nowcast"].standard_normal((d, R)), "table": rng["table"].standard_normal((d, R))}

        return self.cache.memo(self._key("z"), build, shared=False)

    def year_inputs(self, year: int) -> dict | None:
        """Consumption draws per gas and region, their bunker part and the table covariance of one year (from the
        pack's ``uncertainty_draws``, else computed); None before the first table year."""
        if method_for(year)[1] is None:
            return None

        def build():
            if self.pack.has("uncertainty_draws"):
                s = self.pack.arrays("uncertainty_draws")
                i = int(year - s["years"][0])
                if 0 <= i < len(s["years"]) and s["years"][i] == year:
                    return {"cons": s["cons"][i], "bunk": s["bunk"][i], "cov": s["cov"][i]}
            b = self.accounts.bundle(year)
            codes, _, arr = self.accounts.sector_year(year)
            cons, bunk = consumption_draws(b, codes, arr, self.emission_draws())
            return {"cons": cons, "bunk": bunk, "cov": table_covariance(b, self.params["mrio_cell_rse"])}

        return self.cache.memo(self._key("year", year), build, shared=False)

    def nowcast_sigma(self) -> dict:
        """The nowcast's measured error, in percentage points of production.

        For each WIOD country and each year k = 1..10 after 2011 (to 2021, GCB's last consumption year), the drift
        ``d = (H − G)_t − (H − G)_2011`` of Holocarbon's consumption-to-production gap to GCB's (CO2, GCB's boundary)
        since the last table year removes what the model and the inventory differ by anyway and keeps what the nowcast
        adds. Its spread per k is the robust scale ``1.4826 × median |d|`` (Malta's re-export swings of ±300 pp would
        dominate a root mean square); ``σ_k = s √k`` is fitted by least squares on ``σ_k²`` and extrapolated to
        2022–2023.

        Returns
        -------
        dict
            ``s`` [pp], ``k -> σ_k`` for k = 1..12 [pp], ``empirical`` (k -> robust scale) [pp], ``n`` (pairs).
        """
        def build():
            from engine.validation import gcb_comparison

            cmp = gcb_comparison(self.accounts, years=range(MRIO_YEARS[1], 2022))
            gap = (cmp["holocarbon_pct"] - cmp["gcb_pct"]).set_axis(pd.MultiIndex.from_frame(cmp[["iso3", "year"]]))
            base = gap.xs(MRIO_YEARS[1], level="year")
            rows = [(y - MRIO_YEARS[1], v - base[iso]) for (iso, y), v in gap.items()
                    if y > MRIO_YEARS[1] and iso in base.index]
            k = np.array([r[0] for r in rows], dtype=float)
            dv = np.array([r[1] for r in rows], dtype=float)
            ks = sorted(set(k))
            emp = {int(kk): float(1.4826 * np.median(np.abs(dv[k == kk]))) for kk in ks}
            s = float(np.sqrt(sum(v ** 2 for v in emp.values()) / sum(emp)))
            return {"s": s, **{kk: s * np.sqrt(kk) for kk in range(1, 13)}, "empirical": emp, "n": int(len(dv))}

        return self.cache.memo(self._key("nowcast_sigma"), build, shared=False)

    def year_production(self, year: int) -> np.ndarray:
        """Production draws per line and gas of one year, shape (draws, lines, 4), aligned on
        ``accounts.year_frame(year)["codes"]`` [Mt CO2e, AR5 as published]; cached per year."""
        n = len(self.accounts.year_frame(year)["codes"])
        return self.cache.memo(self._key("production", year), lambda: self.line_production(year, np.arange(n)),
                               shared=False)

    def line_production(self, year: int, lines: np.ndarray) -> np.ndarray:
        """Production draws per gas of some lines of a year (positions in ``year_frame(year)["codes"]``), shape
        (draws, lines, 4) [Mt CO2e, AR5 as published]: each sector's emission times its multiplier, summed."""
        acc = self.accounts
        codes = acc.year_frame(year)["codes"]
        ed = self.emission_draws()
        sy_codes, _, arr = acc.sector_year(year)
        sy_pos = {str(c): i for i, c in enumerate(sy_codes)}
        ed_pos = ed.index()
        want = [str(codes[i]) for i in lines]
        have = np.array([c in sy_pos for c in want], dtype=bool)
        cols = np.flatnonzero(have)
        sy_rows = np.array([sy_pos[want[i]] for i in cols], dtype=int)
        ed_rows = np.array([ed_pos[want[i]] for i in cols], dtype=int)
        out = np.zeros((self.params.draws, len(want), len(GASES)), dtype=np.float32)
        for g in range(len(GASES)):
            out[:, cols, g] = np.einsum("dls,ls->dl", ed.m[g][:, ed_rows, :], arr[sy_rows, :, g].astype(np.float32))
        return out

    # ---- draws of the ledger lines ------------------------------------------------------------------------
    def line_draws(self, q: Query, lines: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Draws of every ledger column per line for a Query, shape (draws, lines), aligned on
        ``accounts.year_frame(q.year)["codes"]`` [Mt CO2e or Mt CO2].

        Parameters
        ----------
        lines : ndarray of int, optional
            Only these lines (positions in the year's codes), e.g. one region's members; consumption is shared
            exactly as for all lines: the rest of the world's lines outside the selection take part in the sharing
            as one line (:func:`engine.accounts.equations.line_consumption`), and are then dropped.
        """
        acc = self.accounts
        yf = acc.year_frame(q.year)
        sel = np.arange(len(yf["codes"])) if lines is None else np.asarray(lines, dtype=int)
        w = reweight_factors(q.gwp, q.gases)
        d = self.params.draws
        P = self.year_production(q.year) if lines is None else self.line_production(q.year, sel)
        prod = P @ w  # (d, lines)
        n = len(sel)
        cons = np.full((d, n), np.nan)
        bunk = np.full((d, n), np.nan)
        yi = self.year_inputs(q.year)
        if yi is not None:
            regs = acc.mrio_regions()
            ri = regs.index(regions_mod.ROW)
            cons_r = np.einsum("dgr,g->dr", yi["cons"], w) + self._table_term(q, yi["cov"], w)
            method, structure = method_for(q.year)
            if method == "nowcast":
                cons_r = cons_r + self._nowcast_term(q, w)
            bunk_r = np.einsum("dgr,g->dr", yi["bunk"], w)
            wiod, row, share = yf["wiod_idx"][sel], yf["row_member"][sel], prod
            if lines is not None:
                rest = self._row_production(q.year) @ w - prod[:, row].sum(axis=1)
                wiod, row = np.append(wiod, -1), np.append(row, True)
                share = np.concatenate([prod, rest[:, None]], axis=1)
            cons = eq.line_consumption(cons_r, wiod, row, share, ri)[:, :n]
            bunk = eq.line_consumption(bunk_r, wiod, row, share, ri)[:, :n]
        co2 = "CO2" in q.gases
        luc = self._luc_draws(q, yf)[:, sel] if co2 else np.zeros((d, n))
        sink = self._sink_draws(yf, sel) if co2 else np.zeros((d, n))
        return {"production_mt_co2e": prod, "consumption_mt_co2e": cons, "transfer_mt_co2e": cons - prod,
                "bunkers_in_consumption_mt_co2e": bunk, "luc_mt_co2": luc, "land_sink_mt_co2": sink,
                "panoramic_mt_co2e": cons + luc - sink}

    def _row_production(self, year: int) -> np.ndarray:
        """Production draws per gas summed over the rest of the world's lines, (draws, 4) [Mt CO2e, AR5]."""
        def build():
            row = np.flatnonzero(self.accounts.year_frame(year)["row_member"])
            return self.line_production(year, row).sum(axis=1, dtype=np.float64)

        return self.cache.memo(self._key("row_production", year), build, shared=False)

    def _table_term(self, q: Query, cov: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Draws of the table's error on each region's consumption (multivariate normal) [Mt CO2e]; the square root
        of the covariance is cached per year, GWP set and gases."""
        def build():
            C = np.einsum("g,h,ghrs->rs", w, w, cov)
            vals, vecs = np.linalg.eigh(0.5 * (C + C.T))
            return vecs * np.sqrt(np.clip(vals, 0.0, None))

        root = self.cache.memo(self._key("table_root", q.year, q.gwp, ",".join(q.gases)), build,
                                        shared=False)
        return self._z()["table"] @ root.T

    def _nowcast_term(self, q: Query, w: np.ndarray) -> np.ndarray:
        """Draws of the nowcast's error on each region's consumption: σ_k % of the region's production, one normal
        per region shared by every nowcast year [Mt CO2e]."""
        k = q.year - MRIO_YEARS[1]
        sig = self.nowcast_sigma()[min(k, 12)] / 100.0
        terr = self._territorial(q.year)  # (4, regions)
        return self._z()["nowcast"] * (sig * (w @ terr))[None, :]

    def _territorial(self, year: int) -> np.ndarray:
        """EDGAR production per gas and model region of a year (from the pack's ledger_series when present)."""
        if self.pack.has("ledger_series"):
            s = self.pack.arrays("ledger_series")
            i = int(year - s["years"][0])
            if 0 <= i < len(s["years"]) and s["years"][i] == year:
                return s["terr"][i]
        return self.accounts.bundle(year).territorial

    def _luc_draws(self, q: Query, yf: dict) -> np.ndarray:
        z = self._z()
        if q.luc_model == "mean":
            models = np.stack([yf["luc"][m] for m in LUC_MODELS if m != "mean"])  # (4, lines)
            return models[z["luc_model"]]
        rel = self.params["eluc_sigma_gtc"] / self.params["eluc_mean_gtc"]
        return yf["luc"][q.luc_model][None, :] * (1.0 + rel * z["luc"][:, None])

    def _sink_draws(self, yf: dict, lines: np.ndarray | None = None) -> np.ndarray:
        rel = self.params["land_sink_sigma_gtc"] / self.params["land_sink_mean_gtc"]
        central = yf["sink_share"] * yf["land_sink"]
        if lines is not None:
            central = central[lines]
        return central[None, :] * (1.0 + rel * self._z()["land_sink"][:, None])

    # ---- regions of a grouping ----------------------------------------------------------------------------
    def region_stack(self, q: Query) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
        """(region labels, columns, draws) for the Query's grouping: the draws as one array of shape
        (columns, regions, draws) [float32; Mt CO2e or Mt CO2], each region the sum of its lines' draws.

        Draws along the last, contiguous axis make the quantiles one vectorised partial sort per bound; a grouping of
        one line per region is a scatter, any other a segment sum (``np.add.reduceat``) — no dense membership matrix.
        """
        labels, inv = self.accounts._groups(q)
        lines = self.line_draws(q)
        cols = tuple(lines)
        V = np.empty((len(cols), len(inv), self.params.draws), dtype=np.float32)
        missing = []
        for i, c in enumerate(cols):
            v = lines[c]
            nan = np.isnan(v)
            if nan.all():  # accounts that do not exist this year (consumption before 1995) stay missing
                missing.append(i)
                V[i] = 0.0
            else:
                V[i] = np.where(nan, 0.0, v).T
        k = len(labels)
        if k == len(inv):
            S = np.empty_like(V)
            S[:, inv, :] = V
        else:
            order = np.argsort(inv, kind="stable")
            starts = np.searchsorted(inv[order], np.arange(k))
            S = np.add.reduceat(V[:, order, :], starts, axis=1)
        S[missing] = np.nan
        return labels, cols, S

    def region_draws(self, q: Query) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(region labels, column -> draws per region (draws, regions)) for the Query's grouping."""
        labels, cols, S = self.region_stack(q)
        return labels, {c: S[i].T for i, c in enumerate(cols)}

    def intervals(self, q: Query, ci: int | None = None, columns: tuple[str, ...] | None = None,
                  population: np.ndarray | None = None) -> pd.DataFrame:
        """The ``ci`` % interval (default the Query's) of every ledger column per region of the grouping.

        Parameters
        ----------
        columns : tuple of str, optional
            Only these columns (value, ``adjustment_pct`` or per-capita names); default all.
        population : ndarray, optional
            Population per region of the grouping (the central ledger's), when the caller has it.

        Returns
        -------
        DataFrame
            ``region`` and ``<column>_lo``, ``<column>_hi`` for :data:`VALUE_COLUMNS`, ``adjustment_pct`` and the
            per-capita columns, plus ``transfer_sign_uncertain`` (the interval of the net transfer contains zero).
        """
        ci = q.ci if ci is None else ci
        key = self._key("intervals", q.to_params(), ci, columns, population is None)
        return self.cache.memo(key, lambda: self._intervals(q, ci, columns, population), shared=False).copy()

    def _intervals(self, q: Query, ci: int, columns: tuple[str, ...] | None, population: np.ndarray | None):
        wanted = set(VALUE_COLUMNS) | {"adjustment_pct", *PER_CAPITA} if columns is None else set(columns)
        labels, cols, S = self.region_stack(q)
        needed = wanted | {PER_CAPITA[k] for k in wanted if k in PER_CAPITA}
        if "transfer_mt_co2e" in wanted or columns is None:
            needed.add("transfer_mt_co2e")
        take = [i for i, c in enumerate(cols) if c in needed]
        stack = [S[i] for i in take]
        names = [cols[i] for i in take]
        if "adjustment_pct" in wanted:
            prod, trans = S[cols.index("production_mt_co2e")], S[cols.index("transfer_mt_co2e")]
            with np.errstate(divide="ignore", invalid="ignore"):
                stack.append(np.where(prod > 0, 100 * trans / prod, np.nan))
            names.append("adjustment_pct")
        lo, hi = interval(np.stack(stack), ci, axis=-1)
        out = {"region": labels}
        for i, col in enumerate(names):
            out[f"{col}_lo"], out[f"{col}_hi"] = lo[i], hi[i]
        if any(pc in wanted for pc in PER_CAPITA):
            if population is None:
                led = self.accounts.ledger(q).set_index("region")
                population = led["population"].reindex(labels).to_numpy()
            for pc, col in PER_CAPITA.items():
                if pc in wanted and f"{col}_lo" in out:
                    for side in ("lo", "hi"):
                        out[f"{pc}_{side}"] = eq.per_capita(out[f"{col}_{side}"], population)
        if "transfer_mt_co2e_lo" in out:
            out["transfer_sign_uncertain"] = (out["transfer_mt_co2e_lo"] < 0) & (out["transfer_mt_co2e_hi"] > 0)
        frame = pd.DataFrame(out)
        if method_for(q.year)[0] == "production-only":
            for c in frame.columns:
                if c.startswith(("consumption", "transfer", "bunkers", "panoramic", "adjustment")) and \
                        c != "transfer_sign_uncertain":
                    frame[c] = np.nan
            if "transfer_sign_uncertain" in frame:
                frame["transfer_sign_uncertain"] = False
        frame.attrs.update(ci=ci, draws=self.params.draws, seed=self.params.seed)
        return frame

    def ledger(self, q: Query, ci: int | None = None) -> pd.DataFrame:
        """:meth:`Accounts.ledger` with ``<column>_lo`` / ``<column>_hi`` beside each value column."""
        led = self.accounts.ledger(q)
        labels, _ = self.accounts._groups(q)
        pop = led.set_index("region")["population"].reindex(labels).to_numpy()
        iv = self.intervals(q, ci, population=pop).set_index("region").reindex(led["region"]).reset_index(drop=True)
        order = []
        for col in led.columns:
            order.append(col)
            if col in (*VALUE_COLUMNS, "adjustment_pct", *PER_CAPITA):
                order += [f"{col}_lo", f"{col}_hi"]
        extra = iv.drop(columns=[c for c in iv.columns if c not in order and c != "transfer_sign_uncertain"])
        out = pd.concat([led.reset_index(drop=True), extra], axis=1)[order + ["transfer_sign_uncertain"]]
        out.attrs.update(led.attrs)
        out.attrs.update(iv.attrs)
        out.attrs["notes"] = list(led.attrs.get("notes", [])) + [interval_note(iv.attrs["ci"], self.params.draws)]
        return out

    def production_intervals(self, q: Query, by: tuple[str, ...] = ("region",), unit: str = "co2e",
                             ci: int | None = None) -> pd.DataFrame:
        """Intervals of production by region of the grouping, optionally by EDGAR sector and/or gas.

        Parameters
        ----------
        by : tuple of str
            ``("region",)`` plus any of ``"sector"``, ``"gas"`` (in that order).
        unit : str
            ``co2e`` or ``mass`` (:func:`engine.core.gwp.emission_weights`).

        Returns
        -------
        DataFrame
            The ``by`` columns and ``emissions_lo``, ``emissions_hi`` [Mt CO2e or Mt of the gas].
        """
        from engine.core.gwp import emission_weights

        ci = q.ci if ci is None else ci
        weights, _, _ = emission_weights(q.gwp, q.gases, unit)
        acc = self.accounts
        codes, _, arr = acc.sector_year(q.year)
        ed = self.emission_draws()
        pos = ed.index()
        rows = np.array([pos[str(c)] for c in codes])
        part = regions_mod.partition([str(c) for c in codes], q, acc.mrio_regions())
        labels, inv = np.unique(part.to_numpy(dtype=str), return_inverse=True)
        G = np.zeros((len(codes), len(labels)), dtype=np.float32)
        G[np.arange(len(codes)), inv] = 1.0
        d = self.params.draws
        by_sector, by_gas = "sector" in by, "gas" in by
        acc_shape = (d, len(labels)) + ((len(EDGAR_SECTORS),) if by_sector else ()) + ((len(GASES),) if by_gas else ())
        total = np.zeros(acc_shape, dtype=np.float64)
        for g in range(len(GASES)):
            if weights[g] == 0:
                continue
            X = ed.m[g][:, rows, :] * (arr[:, :, g] * weights[g]).astype(np.float32)[None]  # (d, lines, sectors)
            R = np.einsum("dls,lk->dks", X, G, optimize=True)  # (d, regions, sectors)
            part_g = R if by_sector else R.sum(axis=2)
            if by_gas:
                total[..., g] += part_g
            else:
                total += part_g
        lo, hi = interval(total, ci)
        idx = [labels]
        names = ["region"]
        if by_sector:
            idx.append(list(EDGAR_SECTORS))
            names.append("sector")
        if by_gas:
            idx.append(list(GASES))
            names.append("gas")
        mi = pd.MultiIndex.from_product(idx, names=names)
        out = pd.DataFrame({"emissions_lo": np.asarray(lo).ravel(), "emissions_hi": np.asarray(hi).ravel()},
                           index=mi).reset_index()
        out.attrs.update(ci=ci, draws=d)
        return out

    def region_column_draws(self, q: Query, region: str) -> dict[str, np.ndarray]:
        """Draws of every ledger column for one region of the grouping, shape (draws,) each [Mt CO2e or Mt CO2]."""
        labels, inv = self.accounts._groups(q)
        pos = {str(r): i for i, r in enumerate(labels)}
        if region not in pos:
            regions_mod.check_codes([region], set(pos))
        member = np.flatnonzero(inv == pos[region])
        out = {}
        for col, v in self.line_draws(q, member).items():
            out[col] = v.sum(axis=1) if not np.isnan(v).all() else np.full(v.shape[0], np.nan)
        return out

    def series(self, q: Query, region: str, ci: int | None = None) -> pd.DataFrame:
        """:meth:`Accounts.series` with interval columns for every year (one region's draws per year)."""
        ci = q.ci if ci is None else ci
        base = self.accounts.series(q, region)
        cols = {f"{c}_{s}": [] for c in (*VALUE_COLUMNS, "adjustment_pct", *PER_CAPITA) for s in ("lo", "hi")}
        sign = []
        for y, pop in zip(base["year"], base["population"]):
            dr = self.region_column_draws(q.replace(year=int(y)), region)
            for c, v in dr.items():
                lo, hi = interval(v, ci)
                cols[f"{c}_lo"].append(float(lo))
                cols[f"{c}_hi"].append(float(hi))
            prod, trans = dr["production_mt_co2e"], dr["transfer_mt_co2e"]
            with np.errstate(divide="ignore", invalid="ignore"):
                lo, hi = interval(np.where(prod > 0, 100 * trans / prod, np.nan), ci)
            cols["adjustment_pct_lo"].append(float(lo))
            cols["adjustment_pct_hi"].append(float(hi))
            for pc, c in PER_CAPITA.items():
                for side in ("lo", "hi"):
                    cols[f"{pc}_{side}"].append(float(eq.per_capita(np.array([cols[f"{c}_{side}"][-1]]),
                                                                    np.array([pop]))[0]))
            sign.append(bool(cols["transfer_mt_co2e_lo"][-1] < 0 < cols["transfer_mt_co2e_hi"][-1]))
        out = base.copy()
        for c, v in cols.items():
            out[c] = v
        out["transfer_sign_uncertain"] = sign
        out.attrs.update(base.attrs)
        out.attrs.update(ci=ci, draws=self.params.draws)
        return out


def interval_note(ci: int, draws: int) -> str:
    return (f"Intervals: central {ci} % of {draws:,} seeded Monte Carlo draws of the emission inventories "
            "(Solazzo et al. 2021 ranges by country, sector and gas), the input–output table (20 % cell errors, "
            "first-order), the nowcast's measured error, land-use change (GCB model spread) and the land sink (GCB).")


def _attribution_frame(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["output", "group", "variance"])
    tot = out.groupby("output")["variance"].transform("sum")
    out["share_pct"] = np.where(tot > 0, 100 * out["variance"] / tot, np.nan)
    return out.sort_values(["output", "variance"], ascending=[True, False], ignore_index=True)


def attribution(unc: Uncertainty, q: Query, region: str) -> pd.DataFrame:
    """Which inputs drive the variance of a region's accounts.

    The inputs are independent between groups, so the variance of each account is the sum of the groups' variances
    (to first order for consumption: the allocation and the input–output model are linear in the emissions): emissions
    by EDGAR sector and gas (production and consumption move together, so their transfer gets the net effect), the
    input–output table, the nowcast, land-use change and the land sink.

    Returns
    -------
    DataFrame
        ``output`` (production, consumption, transfer, panoramic), ``group`` (``CH4 · Agriculture``, ``input–output
        table``, ``nowcast``, ``land-use change``, ``land sink``), ``variance`` [Mt CO2e²] and ``share_pct`` of the
        output's total [%], largest first.

    Raises
    ------
    ValueError
        For a region that is not a region of the Query's grouping (names the closest).
    """
    acc = unc.accounts
    labels, inv = acc._groups(q)
    if region not in set(labels):
        regions_mod.check_codes([region], set(labels))
    member = inv == list(labels).index(region)
    yf = acc.year_frame(q.year)
    codes = yf["codes"]
    w = reweight_factors(q.gwp, q.gases)
    ed = unc.emission_draws()
    sy_codes, _, arr = acc.sector_year(q.year)
    pos = ed.index()
    line_pos = {str(c): i for i, c in enumerate(codes)}
    rows_m = np.array([pos[str(c)] for c in sy_codes])
    in_group = np.array([member[line_pos[str(c)]] for c in sy_codes])
    has_io = method_for(q.year)[1] is not None
    out_rows: list[tuple[str, str, float]] = []
    if has_io:
        b = acc.bundle(q.year)
        regs = list(b.regions)
        nR, ns = len(regs), len(b.sectors)
        S = b.shares.sector  # (R, 8, ns+1)
        LYx = b.system.LY / np.where(b.x > 0, b.x, np.inf)[:, None]  # (n, R)
        K = np.einsum("rst,rtc->rsc", S[:, :, :ns], LYx.reshape(nR, ns, nR))  # (R_src, 8, R)
        idx = np.arange(nR)
        K[idx, :, idx] += S[:, :, ns]  # households' direct emissions stay at home
        # alpha: how the group's consumption depends on each model region's (RoW shared by production)
        ri = regs.index(regions_mod.ROW)
        prod_c = yf["P"] @ w
        row = yf["row_member"]
        row_total = prod_c[row].sum()
        alpha = np.zeros(nR)
        for j in np.flatnonzero(member):
            if yf["wiod_idx"][j] >= 0:
                alpha[yf["wiod_idx"][j]] += 1.0
            elif row[j] and row_total > 0:
                alpha[ri] += prod_c[j] / row_total
        src = np.array([regs.index(str(c)) if str(c) in regs else ri for c in sy_codes])
        is_b = np.array([str(c) == regions_mod.BUNKERS for c in sy_codes])
        Kb = np.einsum("kn,nc->kc", b.shares.bunker.reshape(b.shares.bunker.shape[0], -1), LYx)  # (2, R)
    for g, gas in enumerate(GASES):
        if w[g] == 0:
            continue
        for s_i, sector in enumerate(EDGAR_SECTORS):
            dm = ed.m[g][:, rows_m, s_i].astype(float) - 1.0  # (d, lines)
            e = arr[:, s_i, g] * w[g]
            dev_p = (dm * (e * in_group)).sum(axis=1)
            dev_c = np.zeros_like(dev_p)
            if has_io:
                contrib = dm * e  # (d, lines) emission deviations
                R_src = np.zeros((len(sy_codes), nR))
                R_src[np.flatnonzero(~is_b), src[~is_b]] = 1.0
                dev_r = (contrib @ R_src) @ K[:, s_i, :]  # (d, R)
                if is_b.any() and sector == "Transport":  # bunkers: shipping and aviation share one factor
                    dm_b = dm[:, np.flatnonzero(is_b)[0]]
                    dev_r = dev_r + dm_b[:, None] * ((b.B[:, g] * w[g]) @ Kb)[None, :]
                dev_c = dev_r @ alpha
            label = f"{gas} · {sector}"
            out_rows += [("production", label, float(dev_p.var())), ("consumption", label, float(dev_c.var())),
                         ("transfer", label, float((dev_c - dev_p).var())),
                         ("panoramic", label, float(dev_c.var()))]
    if has_io:
        yi = unc.year_inputs(q.year)
        C = np.einsum("g,h,ghrs->rs", w, w, yi["cov"])
        v_table = float(alpha @ C @ alpha)
        for o in ("consumption", "transfer", "panoramic"):
            out_rows.append((o, "input–output table", v_table))
        if method_for(q.year)[0] == "nowcast":
            sig = unc.nowcast_sigma()[min(q.year - MRIO_YEARS[1], 12)] / 100.0
            v_now = float(np.sum((alpha * sig * (w @ unc._territorial(q.year))) ** 2))
            for o in ("consumption", "transfer", "panoramic"):
                out_rows.append((o, "nowcast", v_now))
    if "CO2" in q.gases:
        luc = unc._luc_draws(q, yf)[:, member].sum(axis=1)
        sink = unc._sink_draws(yf)[:, member].sum(axis=1)
        out_rows += [("panoramic", "land-use change", float(luc.var())), ("panoramic", "land sink", float(sink.var()))]
    out = _attribution_frame(out_rows)
    out.attrs.update(region=region, year=q.year, query_text=q.describe())
    return out


def convergence(unc: Uncertainty, q: Query, region: str) -> pd.DataFrame:
    """How much each interval of a region moves between half the draws and all of them.

    Returns
    -------
    DataFrame
        ``column, lo_half, hi_half, lo_all, hi_all, shift_pct_of_width`` (the larger move of the two bounds, as a
        percentage of the full interval's width) [Mt CO2e, %].
    """
    labels, draws = unc.region_draws(q)
    j = list(labels).index(region) if region in set(labels) else None
    if j is None:
        regions_mod.check_codes([region], set(labels))
    half = unc.params.draws // 2
    rows = []
    for col, v in draws.items():
        x = v[:, j]
        if np.isnan(x).any():
            continue
        lo_a, hi_a = interval(x, q.ci)
        lo_h, hi_h = interval(x[:half], q.ci)
        width = float(hi_a - lo_a)
        shift = max(abs(float(lo_h - lo_a)), abs(float(hi_h - hi_a)))
        rows.append((col, float(lo_h), float(hi_h), float(lo_a), float(hi_a),
                     100 * shift / width if width > 0 else 0.0))
    return pd.DataFrame(rows, columns=["column", "lo_half", "hi_half", "lo_all", "hi_all", "shift_pct_of_width"])


def position(value: float | None, lo: float, hi: float) -> str | None:
    """Where ``value`` lies against the interval [``lo``, ``hi``]: ``"below"``, ``"inside"`` or ``"above"``; None when
    there is no value or the interval is not finite."""
    if value is None or not all(np.isfinite(v) for v in (value, lo, hi)):
        return None
    return "below" if value < lo else "above" if value > hi else "inside"


def headline_intervals(unc: Uncertainty, gwp: str = "AR5", ci: int = 90) -> pd.DataFrame:
    """The ``ci`` % intervals of the headline adjustments (:func:`engine.accounts.headline.headline`) and whether each
    published figure lies inside them.

    The claim (all GHGs) is compared with the all-GHG interval; GCB (CO2, bunker fuel left out) with the CO2 interval
    on GCB's boundary.

    Returns
    -------
    DataFrame
        ``region``, ``holocarbon_ghg_pct_lo/_hi``, ``holocarbon_co2_pct_lo/_hi``,
        ``holocarbon_co2_gcb_boundary_pct_lo/_hi`` [%], ``claim_position``, ``gcb_position`` (where the published
        figure lies: ``"inside"``, ``"below"`` or ``"above"`` the interval; None when nothing is published) and
        ``claim_inside``, ``gcb_inside`` (the same as True/False/None).
    """
    from engine.accounts.headline import HEADLINE_REGIONS, HEADLINE_YEAR, PANORAMIC_CLAIM_PCT, gcb_adjustments

    q = Query(year=HEADLINE_YEAR, gwp=gwp, ci=ci)
    gcb = gcb_adjustments(unc.pack.table("owid_co2_production_vs_consumption"))
    rows = []
    for code, _ in HEADLINE_REGIONS:
        qg = q.replace(grouping="EU27" if code == "EU27" else "countries")
        ghg = unc.region_column_draws(qg, code)
        co2 = unc.region_column_draws(qg.replace(gases=("CO2",)), code)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = {"ghg": 100 * ghg["transfer_mt_co2e"] / ghg["production_mt_co2e"],
                   "co2": 100 * co2["transfer_mt_co2e"] / co2["production_mt_co2e"],
                   "co2_gcb_boundary": 100 * (co2["transfer_mt_co2e"] - co2["bunkers_in_consumption_mt_co2e"])
                   / co2["production_mt_co2e"]}
        row = {"region": code}
        for k, v in pct.items():
            lo, hi = interval(v, ci)
            row[f"holocarbon_{k}_pct_lo"], row[f"holocarbon_{k}_pct_hi"] = float(lo), float(hi)
        claim, g = PANORAMIC_CLAIM_PCT.get(code), gcb.get(code)
        row["claim_position"] = position(claim, row["holocarbon_ghg_pct_lo"], row["holocarbon_ghg_pct_hi"])
        row["gcb_position"] = position(g, row["holocarbon_co2_gcb_boundary_pct_lo"],
                                       row["holocarbon_co2_gcb_boundary_pct_hi"])
        row["claim_inside"] = None if row["claim_position"] is None else row["claim_position"] == "inside"
        row["gcb_inside"] = None if row["gcb_position"] is None else row["gcb_position"] == "inside"
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs.update(ci=ci, draws=unc.params.draws, year=HEADLINE_YEAR)
    return out
