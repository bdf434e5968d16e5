"""The LCA orchestrator: :class:`LCA` over an :class:`~engine.accounts.ledger.Accounts` (its pack, cache, year
bundles and GWP weights) and an :class:`~engine.industry.Industry` (process routes per supplying country).

Per-unit factors of every line are resolved here (the year's MRIO multipliers, the industry routes, Ember grid
intensities, the factor table), the pure functions of :mod:`engine.lca.calc` and :mod:`engine.lca.interpret` do
the rest. Monte Carlo (``draws > 0``, seeded): money lines through the uncertainty engine's emission draws (Solazzo
et al. 2021, per country, EDGAR sector and gas, :meth:`engine.uncertainty.propagate.Uncertainty.emission_draws`)
pushed through the year's allocation shares, plus the table's cell errors to first order
(:mod:`engine.uncertainty.table`, ``mrio_cell_rse``); process lines through fresh draws of the industry parameter
table; electricity lines with the grid's relative range (one draw per grid); transport lines with each mode's range
(one draw per mode); direct lines fixed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.core.errors import InputError, NotFoundError
from engine.core.gwp import reweight_factors
from engine.core.query import CI_LEVELS, GASES, closest
from engine.io.nowcast import method_for
from engine.lca import calc, factors as factors_mod, interpret
from engine.lca import templates as templates_mod
from engine.lca.inventory import GOODS, PRODUCER, Inventory, Line, from_csv, from_records
from engine.lca.scope import Scope
from engine.sources.wiod import SECTORS

MAX_DRAWS = 5000
MAX_TOP = 200
ROW = "ROW"
#: Industry calibration years (:data:`engine.industry.scenario.YEAR_RANGE`).
INDUSTRY_YEARS = (2000, 2023)
GAS_COLS = tuple(f"kg_{g.lower().replace('-', '')}" for g in GASES)


@dataclass(frozen=True)
class LcaResult:
    """A footprint and its interpretation (presentation-free; kg per functional unit).

    Attributes
    ----------
    scope : Scope
    inventory : Inventory
    totals : DataFrame
        One row per gas and ``total``: ``kg`` [kg of the gas as EDGAR's AR5 CO2e for CH4, N2O, F-gases],
        ``kg_co2e`` [kg CO2e, the scope's GWP set], ``kg_co2e_low``/``_high`` with draws.
    total : float
        [kg CO2e per functional unit].
    interval : tuple of float or None
        (low, high) of the total at ``ci`` % [kg CO2e].
    lines : DataFrame
        Per line (``line`` 1-based; the use phase last as ``use``): ``name, kind, country, region, sector, good,
        mode, amount, unit, factor, factor_unit, kg_co2, kg_ch4, kg_n2o, kg_fgases, kg_co2e, share`` and with draws
        ``kg_co2e_low``/``_high``.
    by_country, by_sector, by_kind : DataFrame
        ``kg_co2e`` and ``share`` by supplying country, by sector / good / mode, by line kind.
    by_emitter : DataFrame
        Money lines: where the emissions happen, ``region, sector, kg_co2e, share`` (``f ∘ L y``).
    tiers : DataFrame
        Money lines by supply-chain tier (``tier, kg_co2e, cumulative``) and the foreground as tier ``-1``.
    paths : DataFrame
        Top paths: ``rank, line, name, order, nodes`` (tuple of ``REGION:sector`` from the purchase to the
        emitter), ``sectors`` (names), ``kg_co2e``, ``share``. ``attrs['exact']``.
    sensitivity : DataFrame
        :func:`engine.lca.interpret.sensitivity`.
    notes : tuple of str
        Data-quality notes, conversions and warnings.
    draws, ci, seed : int
    """

    scope: Scope
    inventory: Inventory
    totals: pd.DataFrame
    total: float
    interval: tuple | None
    lines: pd.DataFrame
    by_country: pd.DataFrame
    by_sector: pd.DataFrame
    by_kind: pd.DataFrame
    by_emitter: pd.DataFrame
    tiers: pd.DataFrame
    paths: pd.DataFrame
    sensitivity: pd.DataFrame
    notes: tuple
    draws: int = 0
    ci: int = 90
    seed: int = 0


@dataclass(frozen=True, eq=False)
class Resolved:
    """Every line's per-unit data for one scope (internal to the orchestrator, exposed for tests and the bench)."""

    lines: tuple[Line, ...]
    countries: tuple[str, ...]
    fg: np.ndarray
    fg_amounts: np.ndarray
    fg_factors: np.ndarray
    money: np.ndarray
    money_musd: np.ndarray
    money_cols: np.ndarray
    bundle: object
    weights: np.ndarray
    notes: tuple
    factor_info: tuple


class LCA:
    """Product footprints over one pack.

    Parameters
    ----------
    accounts : engine.accounts.ledger.Accounts
    industry : engine.industry.Industry, optional
        Built on ``accounts`` when omitted.
    """

    def __init__(self, accounts, industry=None):
        from engine.industry import Industry

        self.accounts = accounts
        self.industry = industry or Industry(accounts)
        self.factors = factors_mod.load()
        self._unc = None

    def _memo(self, key, build):
        return self.accounts.cache.memo(self.accounts._key("lca", *key), build, shared=False)

    # ---- templates and JSON ---------------------------------------------------------------------------------
    def templates(self) -> pd.DataFrame:
        """Every template: ``name, title, product, unit, country, lines, published_kg_co2e, published_source``."""
        rows = []
        for n in templates_mod.names():
            t = templates_mod.load(n)
            pub = t.get("published", {})
            rows.append({"name": n, "title": t.get("title", n), "product": t["scope"]["product"],
                         "unit": t["scope"].get("unit"), "country": t["scope"].get("country"),
                         "lines": len(t["lines"]), "published_kg_co2e": pub.get("kg_co2e"),
                         "published_source": pub.get("source")})
        return pd.DataFrame(rows)

    def template(self, name: str) -> tuple[Scope, Inventory]:
        """(scope, inventory) of a template (:class:`~engine.core.errors.NotFoundError` for an unknown name)."""
        return self.from_json(templates_mod.load(name))

    @staticmethod
    def from_json(obj) -> tuple[Scope, Inventory]:
        """(scope, inventory) from ``{"scope": {...}, "lines": [...]}`` (a dict or JSON text); lines may also be
        CSV text under ``"csv"``."""
        if isinstance(obj, (str, bytes)):
            try:
                obj = json.loads(obj)
            except json.JSONDecodeError as exc:
                raise InputError(f"not valid JSON: {exc}") from None
        if not isinstance(obj, dict) or "scope" not in obj or not ({"lines", "csv"} & set(obj)):
            raise InputError("expected an object with 'scope' and 'lines' (or 'csv')")
        scope = Scope.from_dict(obj["scope"])
        inv = from_csv(obj["csv"]) if "csv" in obj and "lines" not in obj else from_records(obj["lines"])
        return scope, inv

    @staticmethod
    def to_json(scope: Scope, inventory: Inventory) -> dict:
        """The JSON object :meth:`from_json` reads back to the same scope and inventory."""
        return {"scope": scope.to_dict(), "lines": inventory.to_list()}

    # ---- look-ups -------------------------------------------------------------------------------------------
    def known_countries(self) -> frozenset:
        def build():
            codes = {c for c in self.accounts.names() if len(c) == 3 and c.isalpha() and c.isupper()}
            return frozenset(codes | set(self.accounts.mrio_regions()) - {ROW})
        return self._memo(("countries",), build)

    def _check_country(self, code: str, n: int | str) -> str:
        known = self.known_countries()
        if code not in known:
            raise NotFoundError(f"line {n}: unknown country {code!r}; closest: "
                                f"{', '.join(closest(code, known)) or 'none'}")
        return code

    def grid(self, country: str, year: int) -> tuple[float, int, str]:
        """(intensity [g CO2e kWh⁻¹], source year, flag ``country``/``world``) of Ember's life-cycle grid intensity,
        nearest year of the country's series."""
        def build():
            from engine.industry.calibration import nearest_year

            t = self.accounts.pack.table("ember_owid_electricity_carbon_intensity")
            d = t[["iso3", "year", "intensity_g_co2e_per_kwh"]]
            return nearest_year(d, "intensity_g_co2e_per_kwh", year)

        ny = self._memo(("grid", year), build)
        if country in ny.index:
            r = ny.loc[country]
            return float(r["intensity_g_co2e_per_kwh"]), int(r["source_year"]), "country"
        r = ny.loc["WLD"]
        return float(r["intensity_g_co2e_per_kwh"]), int(r["source_year"]), "world"

    def _industry_year(self, year: int) -> int:
        return min(max(year, INDUSTRY_YEARS[0]), INDUSTRY_YEARS[1])

    def process_factor(self, good: str, country: str, year: int, p=None) -> np.ndarray:
        """Per-tonne emissions of a process good made in a country by gas [kg t⁻¹], shape (4,) at the central
        parameters or (draws, 4) for parameter draws ``p``."""

        cy = self._industry_year(year)
        if p is None:
            return self._memo(("process", good, country, cy), lambda: self._process_factor(good, country, cy, None))
        return self._process_factor(good, country, cy, p)

    def _process_factor(self, good: str, country: str, cy: int, p) -> np.ndarray:
        from engine.industry import calibration as cal
        from engine.industry import routes

        calib = self.industry.calibration(cy)
        if country not in calib.index:
            raise NotFoundError(f"no industry calibration for {country}; countries with production data: "
                                f"{', '.join(closest(country, calib.index)) or 'see /api/v1/industry'}")
        central = p is None
        p = self.industry.params.central() if central else p
        x = cal.route_inputs(calib.loc[[country]], p)
        product = GOODS[good][0]
        if product == "aluminium_primary_alumina":
            sg = x.grid if x.smelter_grid is None else x.smelter_grid
            em = routes.primary_aluminium(p, sg, alumina=True, g=x.grid)
        else:
            em = routes.country_products(p, x)[product]
        fg = np.asarray(em.fgas + em.precursor_fgas, dtype=float)
        co2 = np.asarray(em.total(True), dtype=float) - fg
        out = np.stack(np.broadcast_arrays(co2, co2 * 0, co2 * 0, fg), axis=-1) * 1000.0
        return out.reshape(4) if central else out.reshape(-1, 4)

    # ---- resolution -----------------------------------------------------------------------------------------
    def resolve(self, scope: Scope, inventory: Inventory) -> Resolved:
        """Per-unit data of every line (the use phase appended as a last electricity line when the boundary has
        it); checks every country against the data.

        Raises
        ------
        InputError / NotFoundError
            Naming the line.
        """
        lines = list(inventory.lines)
        if scope.boundary == "cradle-to-gate+use-electricity" and scope.use_kwh > 0:
            lines.append(Line("electricity", "use phase electricity", scope.use_kwh, "kWh", scope.use_country,
                              source="scope: use-phase electricity"))
        year = scope.year
        method, structure = method_for(year)
        bundle = None
        notes, info = [], []
        if any(ln.kind == "money" for ln in lines):
            bundle = self.accounts.bundle(year)
            if method == "nowcast":
                notes.append(f"Money lines use the nowcast: the {structure} WIOD table's structure with {year} "
                             f"emissions (prices of {structure}).")
        regions = list(bundle.regions) if bundle is not None else []
        fg, fg_amounts, fg_factors, money, musd, cols, countries = [], [], [], [], [], [], []
        for i, ln in enumerate(lines):
            n = i + 1 if i < len(inventory.lines) else "use"
            c = self._check_country(ln.country(scope.country), n)
            countries.append(c)
            if ln.kind == "money":
                reg = c if c in regions else ROW
                if reg == ROW:
                    notes.append(f"line {n}: {c} is not a WIOD region: its purchase uses the rest-of-the-world "
                                 f"region's multipliers.")
                try:
                    usd, rule = self.factors.to_usd(ln.amount, ln.unit, ln.price_year, structure)
                except InputError as exc:
                    raise InputError(f"line {n}: {exc}") from None
                money.append(i)
                musd.append(usd / 1e6)
                cols.append(regions.index(reg) * len(bundle.sectors) + list(bundle.sectors).index(ln.sector))
                info.append((i, f"{rule}; WIOD {reg} {ln.sector}", "kg CO2e/USD"))
                continue
            if ln.kind == "process":
                try:
                    fac = self.process_factor(ln.good, c, year)
                except NotFoundError as exc:
                    raise NotFoundError(f"line {n}: {exc}") from None
                cy = self._industry_year(year)
                info.append((i, f"industry route {GOODS[ln.good][0]} {c} (calibration {cy})", "kg CO2e/t"))
                if cy != year:
                    notes.append(f"line {n}: industry routes calibrated on {cy} (their years are "
                                 f"{INDUSTRY_YEARS[0]}-{INDUSTRY_YEARS[1]}).")
                flags = self.industry.calibration(cy).loc[c, "flags"]
                if flags:
                    notes.append(f"line {n}: {c} calibration: {flags}.")
            elif ln.kind == "electricity":
                g, gy, flag = self.grid(c, year)
                fac = np.array([g, 0.0, 0.0, 0.0])  # g/kWh = kg/MWh -> kg/kWh below
                fac = fac / 1000.0
                info.append((i, f"Ember life-cycle grid intensity {c} {gy}" + (" (world)" if flag == "world" else ""),
                             "kg CO2e/kWh"))
                if gy != year:
                    notes.append(f"line {n}: grid intensity of {c} carried from {gy}.")
                if flag == "world":
                    notes.append(f"line {n}: no Ember grid intensity for {c}: the world value is used.")
            elif ln.kind == "transport":
                v, _, _ = self.factors.transport(ln.mode)
                fac = np.array([v, 0.0, 0.0, 0.0])
                info.append((i, f"{ln.mode} (data/lca_factors.csv)", "kg CO2e/tkm"))
            else:  # direct
                fac = np.zeros(4)
                gi = GASES.index(ln.gas)
                from engine.core.gwp import PUBLISHED_SET, gwp_factor

                fac[gi] = 1.0 if ln.gas == "CO2" else gwp_factor(ln.gas, PUBLISHED_SET)  # kg gas -> kg CO2e (AR5)
                info.append((i, f"direct {ln.gas}", "kg CO2e/kg"))
            fg.append(i)
            fg_amounts.append(ln.base_amount)
            fg_factors.append(fac)
        for n, msg in calc.double_counting(lines, scope.country):
            notes.append(msg)
        if any(ln.kind in ("electricity", "transport") for ln in lines):
            notes.append("Grid and transport factors are life-cycle CO2e; they are reported under CO2.")
        if any(ln.kind == "process" for ln in lines):
            notes.append("Process lines: the industry routes' boundary (direct, electricity and precursors, "
                         "Regulation (EU) 2023/956 Annex IV; aluminium with alumina refining); mining and upstream "
                         "fuel supply are outside it unless added as money lines.")
        w = reweight_factors(scope.gwp, scope.gases)
        return Resolved(tuple(lines), tuple(countries), np.array(fg, int), np.array(fg_amounts, float),
                        np.array(fg_factors, float).reshape(-1, 4), np.array(money, int), np.array(musd, float),
                        np.array(cols, int), bundle, w, tuple(dict.fromkeys(notes)), tuple(info))

    def _kg_multipliers(self, bundle) -> tuple[np.ndarray, np.ndarray]:
        """(M, f) of the bundle in [kg (M USD)⁻¹] by gas."""
        return bundle.M * calc.KG_PER_MT, bundle.f * calc.KG_PER_MT

    def matrices(self, scope: Scope, inventory: Inventory) -> calc.HybridMatrices:
        """The explicit technosphere and biosphere of the product (:func:`engine.lca.calc.hybrid_matrices`)."""
        r = self.resolve(scope, inventory)
        A = f = labels = None
        if len(r.money):
            b = r.bundle
            A, f = b.system.A, b.f * calc.KG_PER_MT
            labels = [f"{reg}:{s}" for reg in b.regions for s in b.sectors]
        return calc.hybrid_matrices(r.fg_amounts, r.fg_factors, r.money_musd, r.money_cols, A, f, r.weights, labels)

    def by_gas(self, r: Resolved) -> np.ndarray:
        """Per line (inventory order) by gas [kg]."""
        M = self._kg_multipliers(r.bundle)[0] if r.bundle is not None else np.zeros((4, 0))
        t = calc.line_totals(r.fg_amounts, r.fg_factors, r.money_musd, r.money_cols, M)
        out = np.zeros((len(r.lines), 4))
        out[np.concatenate([r.fg, r.money]).astype(int)] = t
        return out

    # ---- the footprint --------------------------------------------------------------------------------------
    def run(self, scope: Scope, inventory: Inventory, draws: int = 0, ci: int = 90, seed: int = 0,
            top_paths: int = 20) -> LcaResult:
        """The footprint of ``scope.amount`` functional units with contributions, paths, sensitivity, notes and
        (``draws`` > 0) Monte Carlo intervals.

        Raises
        ------
        InputError
            Bad draws, ci, top_paths; a line the data cannot serve (named).
        """
        draws, ci, top_paths, seed = _check_run(draws, ci, top_paths, seed)
        r = self.resolve(scope, inventory)
        G = self.by_gas(r) * scope.amount
        w = r.weights
        co2e = G @ w
        total = float(co2e.sum())
        lines = self._line_table(scope, r, G, co2e)
        mc = self._monte_carlo(scope, r, draws, seed) if draws else None
        line_lo = line_hi = None
        interval = None
        totals = pd.DataFrame({"gas": [*GASES, "total"], "kg": [*G.sum(axis=0), np.nan],
                               "kg_co2e": [*(G.sum(axis=0) * w), total]})
        if mc is not None:
            from engine.uncertainty.sampling import interval as q

            per_line = mc @ w * scope.amount  # (d, lines)
            line_lo, line_hi = q(per_line, ci, axis=0)
            lines["kg_co2e_low"], lines["kg_co2e_high"] = line_lo, line_hi
            gas_lo, gas_hi = q(mc.sum(axis=1) * w * scope.amount, ci, axis=0)
            t_lo, t_hi = q(per_line.sum(axis=1), ci, axis=0)
            totals["kg_co2e_low"] = [*gas_lo, float(t_lo)]
            totals["kg_co2e_high"] = [*gas_hi, float(t_hi)]
            interval = (float(t_lo), float(t_hi))
        paths, tiers_df, emitter = self._paths(scope, r, top_paths, co2e)
        sens = interpret.sensitivity(lines[["line", "name", "kg_co2e"]], line_lo, line_hi,
                                     self._factor_sensitivity(r, lines, total))
        notes = list(r.notes)
        if mc is not None:
            notes.append(f"Intervals: {ci} % of {draws} seeded draws (seed {seed}); direct lines are fixed; the "
                         f"bunker-fuel part of the MRIO multipliers is held central.")
        return LcaResult(scope, inventory, totals, total, interval, lines,
                         interpret.group_contributions(lines, "country"),
                         interpret.group_contributions(lines, "sector"),
                         interpret.group_contributions(lines, "kind"), emitter, tiers_df, paths, sens, tuple(notes),
                         draws, ci, seed)

    def _line_table(self, scope, r: Resolved, G, co2e) -> pd.DataFrame:
        info = {i: (txt, unit) for i, txt, unit in r.factor_info}
        n_inv = len(r.lines) - (1 if len(r.lines) > 0 and r.lines[-1].source == "scope: use-phase electricity"
                                and scope.use_kwh > 0 else 0)
        regions = set(r.bundle.regions) if r.bundle is not None else set()
        rows = []
        for i, ln in enumerate(r.lines):
            c = r.countries[i]
            sector = {"money": ln.sector, "process": ln.good, "electricity": "electricity",
                      "transport": ln.mode, "direct": ln.gas}[ln.kind]
            amount = ln.amount * scope.amount
            per_unit = co2e[i] / amount if amount else np.nan
            rows.append({"line": str(i + 1) if i < n_inv else "use", "name": ln.name, "kind": ln.kind,
                         "country": c, "region": (c if c in regions else ROW) if ln.kind == "money" else c,
                         "sector": sector, "amount": amount, "unit": ln.unit, "factor": per_unit,
                         "factor_unit": (f"kg CO2e/{ln.unit}" if ln.kind == "money" else info[i][1]),
                         "factor_source": info[i][0], "source": ln.source,
                         **{c_: G[i, k] for k, c_ in enumerate(GAS_COLS)}, "kg_co2e": co2e[i]})
        t = pd.DataFrame(rows)
        tot = t["kg_co2e"].sum()
        t["share"] = t["kg_co2e"] / tot if tot else np.nan
        t.attrs["units"] = {"kg_*": "kg per functional unit x amount", "factor": "kg CO2e per unit of the line"}
        return t

    def _paths(self, scope, r: Resolved, top: int, co2e):
        cols_t = ["rank", "line", "name", "order", "nodes", "sectors", "kg_co2e", "share"]
        total = float(co2e.sum())
        fg_total = float(co2e[r.fg].sum()) if len(r.fg) else 0.0
        if not len(r.money):
            empty = pd.DataFrame(columns=cols_t)
            empty.attrs["exact"] = True
            tiers_df = pd.DataFrame({"tier": [-1], "kg_co2e": [fg_total], "cumulative": [fg_total]})
            return empty, tiers_df, pd.DataFrame(columns=["region", "sector", "kg_co2e", "share"])
        b = r.bundle
        Mkg, fkg = self._kg_multipliers(b)
        Mw, fw = r.weights @ Mkg, r.weights @ fkg
        A = b.system.A
        amt = scope.amount
        roots = [(int(i), int(c), float(y) * amt) for i, c, y in zip(r.money, r.money_cols, r.money_musd)]
        res = interpret.structural_paths(fw, A, Mw, roots, top=top)
        labels = [f"{reg}:{s}" for reg in b.regions for s in b.sectors]
        rows = []
        for k, (rid, nodes, v) in enumerate(res.paths):
            rows.append({"rank": k + 1, "line": str(rid + 1), "name": r.lines[rid].name, "order": len(nodes) - 1,
                         "nodes": tuple(labels[j] for j in nodes),
                         "sectors": tuple(SECTORS[labels[j].split(":")[1]] for j in nodes), "kg_co2e": v,
                         "share": v / total if total else np.nan})
        paths = pd.DataFrame(rows, columns=cols_t)
        paths.attrs.update(exact=res.exact, expanded=res.expanded, unit="kg CO2e per functional unit x amount")
        y = np.zeros(A.shape[0])
        np.add.at(y, r.money_cols, r.money_musd * amt)
        P = self._memo(("tier_rows", b.year, tuple(r.weights)), lambda: interpret.tier_rows(fw, A, 20))
        tiers_df = pd.DataFrame({"tier": np.arange(P.shape[0]), "kg_co2e": P @ y})
        tiers_df = pd.concat([pd.DataFrame({"tier": [-1], "kg_co2e": [fg_total]}), tiers_df], ignore_index=True)
        tiers_df["cumulative"] = tiers_df["kg_co2e"].cumsum()
        tiers_df.attrs["note"] = ("tier -1: the foreground lines (process, electricity, transport, direct); tiers "
                                  "0..20: money lines, sum of the paths of that order; the rest of the money lines' "
                                  "total is beyond tier 20")
        Ly = b.system.solve(y)
        em = fw * Ly
        nz = np.flatnonzero(np.abs(em) > 0)
        emitter = pd.DataFrame({"region": [labels[j].split(":")[0] for j in nz],
                                "sector": [labels[j].split(":")[1] for j in nz], "kg_co2e": em[nz]})
        emitter = emitter.sort_values("kg_co2e", ascending=False, ignore_index=True)
        s = emitter["kg_co2e"].sum()
        emitter["share"] = emitter["kg_co2e"] / s if s else np.nan
        return paths, tiers_df, emitter

    def _factor_sensitivity(self, r: Resolved, lines: pd.DataFrame, total: float) -> list[dict]:
        out = []
        if not total:
            return out
        v, lo, hi = self.factors.grid_relative()
        el = lines[lines["kind"] == "electricity"]
        for c, g in el.groupby("country"):
            s = float(g["kg_co2e"].sum())
            out.append({"parameter": f"grid intensity {c}", "kind": "factor", "elasticity": s / total,
                        "total_low": total + s * (lo / v - 1), "total_high": total + s * (hi / v - 1)})
        tr = lines[lines["kind"] == "transport"]
        for m, g in tr.groupby("sector"):
            v, lo, hi = self.factors.transport(m)
            s = float(g["kg_co2e"].sum())
            out.append({"parameter": f"transport factor {m}", "kind": "factor", "elasticity": s / total,
                        "total_low": total + s * (lo / v - 1), "total_high": total + s * (hi / v - 1)})
        return out

    # ---- Monte Carlo ------------------------------------------------------------------------------------------
    def _uncertainty(self):
        if self._unc is None:
            from engine.uncertainty.propagate import Uncertainty

            self._unc = Uncertainty(self.accounts)
        return self._unc

    def _money_parts(self, r: Resolved):
        """Per money line: central kg by (ledger line, EDGAR sector, gas) ``K`` and the table-error variance by gas,
        cached per year and purchase."""
        b = r.bundle
        unc = self._uncertainty()
        codes, _, arr = self.accounts.sector_year(r.bundle.year)
        regions = list(b.regions)
        reg_of = np.array([regions.index(str(c)) if str(c) in regions and str(c) != ROW else regions.index(ROW)
                           for c in codes])
        is_b = np.array([str(c) == "BUNKERS" for c in codes])
        n_s = len(b.sectors)
        Y = np.zeros((b.system.n, len(r.money)))
        Y[r.money_cols, np.arange(len(r.money))] = r.money_musd
        LY = b.system.solve(Y)  # (n, q)
        x = b.x
        q = np.where(x[:, None] > 0, LY / np.where(x[:, None] > 0, x[:, None], 1.0), 0.0)
        q = q.T.reshape(len(r.money), len(regions), n_s)
        S = b.shares.sector[:, :, :n_s]  # (regions, 8, n_s)
        W = np.einsum("rst,lrt->lrs", S, q)  # (q, regions, 8)
        K = arr[None, :, :, :] * W[:, reg_of, :, None] * calc.KG_PER_MT  # (q, lines, 8, 4)
        K[:, is_b] = 0.0
        key = ("tablevar", b.year)
        s = self._memo(key, lambda: (self._kg_multipliers(b)[0] ** 2) @ (b.system.A ** 2))  # (4, n)
        rse = unc.params["mrio_cell_rse"]
        var = rse ** 2 * (s @ (LY ** 2)).T  # (q, 4)
        return codes, K, var

    def _monte_carlo(self, scope: Scope, r: Resolved, n: int, seed: int) -> np.ndarray:
        """Draws of every line by gas, per functional unit (scope.amount not applied) [kg], shape (n, lines, 4)."""
        ss = np.random.SeedSequence(int(seed)).spawn(5)
        rng_pick, rng_table, rng_grid, rng_mode, _ = (np.random.default_rng(s) for s in ss)
        out = np.zeros((n, len(r.lines), 4))
        central = self.by_gas(r)
        # process lines: fresh parameter draws (shared by every process line: correlated goods)
        proc = [i for i in r.fg if r.lines[i].kind == "process"]
        if proc:
            p = self.industry.params.draw(n, seed=int(ss[4].generate_state(1)[0]))
            for i in proc:
                ln = r.lines[i]
                out[:, i, :] = ln.base_amount * self.process_factor(ln.good, r.countries[i], scope.year, p)
        gv, glo, ghi = self.factors.grid_relative()
        grids = {}
        for i in r.fg:
            ln = r.lines[i]
            if ln.kind == "electricity":
                c = r.countries[i]
                if c not in grids:
                    grids[c] = factors_mod.triangular_draws(rng_grid, n, glo, gv, ghi) / gv
                out[:, i, :] = central[i] * grids[c][:, None]
            elif ln.kind == "transport":
                v, lo, hi = self.factors.transport(ln.mode)
                key = f"mode:{ln.mode}"
                if key not in grids:
                    grids[key] = factors_mod.triangular_draws(rng_mode, n, lo, v, hi) / v
                out[:, i, :] = central[i] * grids[key][:, None]
            elif ln.kind == "direct":
                out[:, i, :] = central[i]
        if len(r.money):
            codes, K, var = self._money_parts(r)
            ed = self._uncertainty().emission_draws()
            pos = ed.index()
            idx = np.array([pos.get(str(c), -1) for c in codes])
            if (idx < 0).any():
                raise InputError(f"no emission draws for {list(np.asarray(codes)[idx < 0][:3])}")
            d_all = ed.m.shape[1]
            pick = rng_pick.choice(d_all, size=n, replace=n > d_all)
            for g in range(4):
                mg = ed.m[g][np.ix_(pick, idx)].reshape(n, -1).astype(float)  # (n, lines*8)
                out[:, r.money, g] = mg @ K[..., g].reshape(len(r.money), -1).T
            # the bunker-fuel part of the multipliers stays central
            resid = central[r.money] - K.sum(axis=(1, 2))
            out[:, r.money, :] += resid[None]
            z = rng_table.standard_normal((n, len(r.money)))
            out[:, r.money, :] += z[:, :, None] * np.sqrt(var)[None]
        return out

    # ---- comparison of origins ----------------------------------------------------------------------------------
    def compare_origins(self, scope: Scope, inventory: Inventory, countries) -> pd.DataFrame:
        """The same inventory made in each of ``countries``: the scope's country and every line supplied by the
        producer (origin ``producer`` or the scope's country) move to it; other origins stay.

        Returns
        -------
        DataFrame
            ``country, kg_co2e, money, process, electricity, transport, direct`` [kg CO2e], ``vs_base`` [1, ratio to
            the scope's country], ``rank`` (1 = lowest), ``notes``; sorted by footprint.
        """
        countries = [str(c).strip().upper() for c in countries]
        if not countries or len(countries) > 60:
            raise InputError(f"give 1-60 countries to compare; got {len(countries)}")
        base = scope.country
        rows = []
        for c in dict.fromkeys([base, *countries]):
            self._check_country(c, "compare")
            lines = tuple(ln if ln.origin not in (PRODUCER, base) else
                          Line(**{**ln.__dict__, "origin": PRODUCER}) for ln in inventory.lines)
            sc = scope.replace(country=c, use_country=scope.use_country)
            try:
                r = self.resolve(sc, Inventory(lines))
            except NotFoundError as exc:
                rows.append({"country": c, "kg_co2e": np.nan, "notes": str(exc)})
                continue
            co2e = self.by_gas(r) @ r.weights * scope.amount
            row = {"country": c, "kg_co2e": float(co2e.sum())}
            for k in ("money", "process", "electricity", "transport", "direct"):
                row[k] = float(sum(v for ln, v in zip(r.lines, co2e) if ln.kind == k))
            row["notes"] = "; ".join(r.notes[:3])
            rows.append(row)
        out = pd.DataFrame(rows)
        b = out.loc[out["country"] == base, "kg_co2e"].iloc[0]
        out["vs_base"] = out["kg_co2e"] / b if b else np.nan
        out = out.sort_values("kg_co2e", ignore_index=True, na_position="last")
        out.insert(1, "rank", np.arange(1, len(out) + 1))
        out.attrs.update(base=base, unit="kg CO2e per functional unit x amount")
        return out


def _check_run(draws, ci, top, seed):
    try:
        draws, top, seed = int(draws), int(top), int(seed)
    except (TypeError, ValueError):
        raise InputError("draws, top_paths and seed must be integers") from None
    if not 0 <= draws <= MAX_DRAWS:
        raise InputError(f"draws must be in 0-{MAX_DRAWS}; got {draws}")
    if ci not in CI_LEVELS:
        raise InputError(f"ci must be one of {', '.join(map(str, CI_LEVELS))} (confidence level in %); got {ci!r}")
    if not 0 <= top <= MAX_TOP:
        raise InputError(f"top_paths must be in 0-{MAX_TOP}; got {top}")
    if seed < 0:
        raise InputError(f"seed must be >= 0; got {seed}")
    return draws, int(ci), top, seed
