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

    def __init__(self, accounts, params: params_mod.Parameters | None = None):
        self.accounts = accounts
        self.pack = accounts.pack
        self.params = params or params_mod.load()

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

        return self.accounts.cache.memo(self._key("ranges"), build, shared=False)

    def _all_lines(self) -> list[str]:
        from engine.accounts.inputs import line_codes

        bs = self.pack.table("edgar_ghg_by_sector")
        return sorted(set(line_codes(bs[~bs["is_aggregate"]]["iso3"]).astype(str)))

    def emission_draws(self) -> EmissionDraws:
        """Multipliers of every line's emissions by sector and gas (one set for all years)."""
        return self.accounts.cache.memo(self._key("emission_draws"),
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

        return self.accounts.cache.memo(self._key("z"), build, shared=False)

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

        return self.accounts.cache.memo(self._key("year", year), build, shared=False)

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

        return self.accounts.cache.memo(self._key("nowcast_sigma"), build, shared=False)

    def year_production(self, year: int) -> np.ndarray:
        """Production draws per line and gas of one year, shape (draws, lines, 4), aligned on
        ``accounts.year_frame(year)["codes"]`` [Mt CO2e, AR5 as published]; cached per year."""
        def build():
            acc = self.accounts
            codes = acc.year_frame(year)["codes"]
            ed = self.emission_draws()
            sy_codes, _, arr = acc.sector_year(year)
            pos = ed.index()
            out = np.zeros((self.params.draws, len(codes), len(GASES)), dtype=np.float32)
            line_pos = {str(c): i for i, c in enumerate(codes)}
            rows = np.array([pos[str(c)] for c in sy_codes])
            cols = np.array([line_pos[str(c)] for c in sy_codes])
            same = len(rows) == len(ed.lines) and np.array_equal(rows, np.arange(len(rows)))
            for g in range(len(GASES)):
                m = ed.m[g] if same else ed.m[g][:, rows]  # (d, lines, sectors)
                out[:, cols, g] = np.einsum("dls,ls->dl", m, arr[:, :, g].astype(np.float32))
            return out

        return self.accounts.cache.memo(self._key("production", year), build, shared=False)

    # ---- draws of the ledger lines ------------------------------------------------------------------------
    def line_draws(self, q: Query) -> dict[str, np.ndarray]:
        """Draws of every ledger column per line for a Query, shape (draws, lines), aligned on
        ``accounts.year_frame(q.year)["codes"]`` [Mt CO2e or Mt CO2]."""
        acc = self.accounts
        yf = acc.year_frame(q.year)
        codes = yf["codes"]
        w = reweight_factors(q.gwp, q.gases)
        d = self.params.draws
        prod = self.year_production(q.year) @ w  # (d, lines)
        n = len(codes)
        cons = np.full((d, n), np.nan)
        bunk = np.full((d, n), np.nan)
        yi = self.year_inputs(q.year)
        if yi is not None:
            regs = acc.mrio_regions()
            ri = regs.index(regions_mod.ROW)
            cons_r = np.einsum("dgr,g->dr", yi["cons"], w) + self._table_term(yi["cov"], w)
            method, structure = method_for(q.year)
            if method == "nowcast":
                cons_r = cons_r + self._nowcast_term(q, w)
            bunk_r = np.einsum("dgr,g->dr", yi["bunk"], w)
            cons = eq.line_consumption(cons_r, yf["wiod_idx"], yf["row_member"], prod, ri)
            bunk = eq.line_consumption(bunk_r, yf["wiod_idx"], yf["row_member"], prod, ri)
        co2 = "CO2" in q.gases
        luc = self._luc_draws(q, yf) if co2 else np.zeros((d, n))
        sink = self._sink_draws(yf) if co2 else np.zeros((d, n))
        return {"production_mt_co2e": prod, "consumption_mt_co2e": cons, "transfer_mt_co2e": cons - prod,
                "bunkers_in_consumption_mt_co2e": bunk, "luc_mt_co2": luc, "land_sink_mt_co2": sink,
                "panoramic_mt_co2e": cons + luc - sink}

    def _table_term(self, cov: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Draws of the table's error on each region's consumption (multivariate normal) [Mt CO2e]."""
        C = np.einsum("g,h,ghrs->rs", w, w, cov)
        vals, vecs = np.linalg.eigh(0.5 * (C + C.T))
        root = vecs * np.sqrt(np.clip(vals, 0.0, None))
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

    def _sink_draws(self, yf: dict) -> np.ndarray:
        rel = self.params["land_sink_sigma_gtc"] / self.params["land_sink_mean_gtc"]
        central = yf["sink_share"] * yf["land_sink"]
        return central[None, :] * (1.0 + rel * self._z()["land_sink"][:, None])

    # ---- regions of a grouping ----------------------------------------------------------------------------
    def region_draws(self, q: Query) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(region labels, column -> draws per region (draws, regions)) for the Query's grouping."""
        labels, inv = self.accounts._groups(q)
        G = np.zeros((len(inv), len(labels)), dtype=np.float32)
        G[np.arange(len(inv)), inv] = 1.0
        lines = self.line_draws(q)
        cols = list(lines)
        V = np.stack([np.nan_to_num(lines[c]).astype(np.float32) for c in cols])  # (columns, draws, lines)
        S = (V.reshape(-1, V.shape[-1]) @ G).reshape(len(cols), V.shape[1], len(labels))
        out = {c: S[i] for i, c in enumerate(cols)}
        for c in cols:  # accounts that do not exist this year (consumption before 1995) stay missing
            if np.isnan(lines[c]).all():
                out[c] = np.full(out[c].shape, np.nan, dtype=np.float32)
        return labels, out

    def intervals(self, q: Query, ci: int | None = None, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The ``ci`` % interval (default the Query's) of every ledger column per region of the grouping.

        Returns
        -------
        DataFrame
            ``region`` and ``<column>_lo``, ``<column>_hi`` for :data:`VALUE_COLUMNS`, ``adjustment_pct`` and the
            per-capita columns, plus ``transfer_sign_uncertain`` (the interval of the net transfer contains zero).
        """
        ci = q.ci if ci is None else ci
        wanted = set(VALUE_COLUMNS) | {"adjustment_pct", *PER_CAPITA} if columns is None else set(columns)
        labels, draws = self.region_draws(q)
        out = {"region": labels}
        needed = wanted | {PER_CAPITA[k] for k in wanted if k in PER_CAPITA}
        for col, v in draws.items():
            if col in needed:
                lo, hi = interval(v, ci)
                out[f"{col}_lo"], out[f"{col}_hi"] = lo, hi
        if "adjustment_pct" in wanted:
            prod, trans = draws["production_mt_co2e"], draws["transfer_mt_co2e"]
            with np.errstate(divide="ignore", invalid="ignore"):
                adj = np.where(prod > 0, 100 * trans / prod, np.nan)
            out["adjustment_pct_lo"], out["adjustment_pct_hi"] = interval(adj, ci)
        frame = pd.DataFrame(out)
        led = self.accounts.ledger(q).set_index("region")
        pop = led["population"].reindex(labels).to_numpy()
        for pc, col in PER_CAPITA.items():
            if pc in wanted and f"{col}_lo" in frame:
                for side in ("lo", "hi"):
                    frame[f"{pc}_{side}"] = eq.per_capita(frame[f"{col}_{side}"].to_numpy(), pop)
        if "transfer_mt_co2e_lo" in frame:
            frame["transfer_sign_uncertain"] = (frame["transfer_mt_co2e_lo"] < 0) & (frame["transfer_mt_co2e_hi"] > 0)
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
        iv = self.intervals(q, ci).set_index("region").reindex(led["region"]).reset_index(drop=True)
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
        member = inv == pos[region]
        out = {}
        for col, v in self.line_draws(q).items():
            out[col] = v[:, member].sum(axis=1) if not np.isnan(v).all() else np.full(v.shape[0], np.nan)
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
