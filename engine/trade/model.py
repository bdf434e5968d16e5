"""The green-export orchestrator: :class:`GreenExports` reads the pack through an
:class:`~engine.accounts.ledger.Accounts` (its pack and its one cache layer), assembles the destinations of a year
(exports, capacity factors, displaced intensities), and evaluates the equations of :mod:`engine.trade.equations`
for the central values, for seeded Monte Carlo draws of ``data/green_exports_parameters.csv`` (vectorised over
draws x destinations) and for the one-at-a-time tornado; it also runs the claim check.

Avoided emissions of a destination: ``installed MW x CF x 8760 h x I_0 x F`` with ``F`` the lifetime factor
(degradation and grid decline, :func:`~engine.trade.equations.lifetime_factor`); per year = the first year's.
Manufacturing: PV ``MW x kg/kWp`` at the manufacturing grid; wind ``MW x t/MW`` from the harmonised LCA figure.
Nothing here knows about pages, colours or labels of charts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.core.errors import InputError, NotFoundError
from engine.core.query import CI_LEVELS
from engine.trade import capacity as capmod
from engine.trade import equations as eq
from engine.trade import exports as ex
from engine.trade import params as pm
from engine.trade.params import GreenParams
from engine.uncertainty.sampling import interval

TECHS = ("pv", "wind")
METRICS = ("manufacturing_mt", "avoided_mt_per_year", "avoided_mt_lifetime", "ratio")
NUMERIC = ("capacity_mw", "installed_mw", "capacity_factor", "intensity_g_kwh", "manufacturing_mt",
           "avoided_mt_per_year", "avoided_mt_lifetime", "ratio")
INTERVAL_METRICS = METRICS
MAX_DRAWS = 10_000
#: Plain-words names of the parameters (tornado labels; a row not listed shows its note's parameter name).
LABELS = {
    "pv_kg_per_kwp": "PV module footprint at the reference grid",
    "pv_reference_grid_g_kwh": "grid intensity behind the PV footprint",
    "pv_electricity_share": "electricity share of the PV footprint",
    "pv_cell_footprint_share": "share of a module's footprint in its cells",
    "pv_cf_observed_factor": "observed PV capacity factors",
    "wind_lca_g_kwh": "wind life-cycle emissions per kWh",
    "wind_degradation_pct": "wind output decline with age",
    "ef_coal": "CO2 per TJ of coal", "ef_gas": "CO2 per TJ of gas", "ef_oil": "CO2 per TJ of oil",
    "eff_coal": "coal plant efficiency", "eff_gas": "gas plant efficiency", "eff_oil": "oil plant efficiency",
    "displaced_intensity_factor": "displaced grid intensity",
    "installation_share": "share of exports installed",
    "grid_decline_pct": "decline of the displaced grid intensity",
    "pv_degradation_pct": "PV degradation", "pv_lifetime_yr": "PV lifetime", "wind_lifetime_yr": "wind lifetime",
}
#: CREA for Carbon Brief (Myllyvirta, July 2025), all 2024 clean-technology exports (solar, batteries, EVs, wind):
#: about 110 Mt CO2 in manufacturing, about 220 Mt CO2 per year avoided abroad, about 4.0 Gt over the lifetimes.
CREA_2024 = {"manufacturing_mt": 110.0, "avoided_mt_per_year": 220.0, "avoided_mt_lifetime": 4000.0}
#: CREA publishes the four technologies together and names solar the largest part; their solar split is not in the
#: sources available to us. Band tested for the solar part: this share of each CREA total [1].
CREA_SOLAR_SHARE_BAND = (0.5, 0.9)
#: The seed's claim: China's 2024 wind and PV exports "generated about 2 million tonnes of CO2 in production but
#: deliver about 350 million tonnes of reductions over their operating lives".
CAS_SEED = {"manufacturing_mt": 2.0, "avoided_mt": 350.0}
#: "about": a reference within this relative distance of our central value, or inside our interval, matches [1].
ABOUT = 0.25


@dataclass(frozen=True)
class GreenResult:
    """Green exports of one year (see :meth:`GreenExports.result`).

    Attributes
    ----------
    year : int
    techs : tuple of str
        Technologies included (a requested technology without data for the year is left out, with a note).
    params : GreenParams
    destinations : DataFrame
        One row per destination x tech (columns in the module docstring of :mod:`engine.trade`).
    totals : DataFrame
        One row per tech and an ``"all"`` row; sums over destinations, ratio from the sums, intervals from the
        draws of the sums.
    notes : tuple of str
    ci : int or None
        Interval level [%] when draws > 0.
    """

    year: int
    techs: tuple[str, ...]
    params: GreenParams
    destinations: pd.DataFrame
    totals: pd.DataFrame
    notes: tuple[str, ...]
    ci: int | None


@dataclass(frozen=True)
class _Base:
    """The destinations of one (year, techs, commodities, displacement), ready for the equations."""

    frame: pd.DataFrame          # iso3, name, tech, region, capacity_mw, panels_mw, cells_mw, sources, bases
    shares: np.ndarray           # (D, 3) coal/gas/oil shares of fossil generation
    cf_names: tuple[str, ...]    # table rows scaling the capacity factors
    cf_index: np.ndarray         # (D,) index into cf_names
    china_grid: float            # [g CO2e/kWh]
    china_grid_year: int
    techs: tuple[str, ...]
    notes: tuple[str, ...]


class GreenExports:
    """Manufacturing against avoided emissions of China's exported PV and wind capacity, by destination.

    Parameters
    ----------
    accounts : engine.accounts.ledger.Accounts
        Gives the pack (Ember exports and electricity, OWID solar capacity) and the cache.
    params : engine.industry.parameters.Parameters, optional
        Defaults to ``data/green_exports_parameters.csv``.
    wind : DataFrame, optional
        Defaults to ``data/wind_exports_china.csv``.
    """

    def __init__(self, accounts, params=None, wind: pd.DataFrame | None = None):
        self.accounts = accounts
        self.pack = accounts.pack
        self.cache = accounts.cache
        self.params = params or pm.load()
        self.wind = ex.wind_table() if wind is None else wind
        from engine.data.fingerprint import digest

        self._digest = digest([self.params.digest(), self.wind.astype(str).values.tolist()])

    # ---- cache ----------------------------------------------------------------------------------------------
    def _memo(self, key, build):
        return self.cache.memo(self.accounts._key("green", self._digest, *key), build, shared=False)

    # ---- inputs ------------------------------------------------------------------------------------------------
    def parameters(self) -> pd.DataFrame:
        """The authored table: parameter, tech, value, low, high, unit, distribution, source, note."""
        return self.params.table[list(pm.COLUMNS)].copy()

    def years(self, tech: str) -> tuple[int, ...]:
        """Years with data for ``tech`` (pv: Ember's full years; wind: years of the authored table)."""
        tech = _check_tech(tech)
        if tech == "pv":
            return self._memo(("pv_years",), lambda: ex.pv_full_years(self.pack.table("ember_china_solar_exports_annual")))
        return tuple(sorted(int(y) for y in self.wind["year"].unique()))

    def monthly(self, tech: str = "pv", start: int | None = None, end: int | None = None) -> pd.DataFrame:
        """PV exports by destination and month: ``iso3``, ``name``, ``month`` (Timestamp), ``commodity``,
        ``capacity_mw`` [MW] (years ``start``-``end`` inclusive).

        Raises
        ------
        InputError
            For wind (published yearly only) or a bad year.
        """
        tech = _check_tech(tech)
        if tech != "pv":
            raise InputError("monthly exports exist for tech 'pv' only (wind exports are published yearly)")
        for name, v in (("start", start), ("end", end)):
            if v is not None and (not isinstance(v, (int, np.integer)) or isinstance(v, bool)):
                raise InputError(f"{name} must be a year (integer); got {v!r}")
        return self._memo(("monthly", start, end),
                          lambda: ex.monthly_pv(self.pack.table("ember_china_solar_exports_monthly"), start, end))

    def _observed_cf(self) -> pd.DataFrame:
        def build():
            if not self.pack.has("owid_solar_capacity"):
                return pd.DataFrame(columns=["iso3", "year", "capacity_factor"])
            return capmod.observed_pv_cf(self.pack.table("owid_solar_capacity"),
                                         self.pack.table("ember_owid_electricity_generation"))

        return self._memo(("observed_cf",), build)

    def china_grid(self, year: int) -> tuple[float, int]:
        """China's Ember average grid intensity of ``year`` (nearest year carried) [g CO2e/kWh], and its year."""
        ci = self.pack.table("ember_owid_electricity_carbon_intensity")
        s = ci[ci["iso3"] == "CHN"].set_index("year")["intensity_g_co2e_per_kwh"]
        v = capmod.nearest_year_value(s, int(year))
        if v is None:
            raise NotFoundError("no Ember grid intensity for China in the pack")
        return v

    def _fallback(self, tech: str):
        p = self.params

        def fallback(region):
            name = f"{tech}_cf_{pm.region_key(region)}" if region else f"{tech}_cf_world"
            if name not in p.values:
                name = f"{tech}_cf_world"
            return name, float(p[name])

        return fallback

    def _base(self, year: int, techs: tuple[str, ...], commodities: tuple[str, ...]) -> _Base:
        return self._memo(("base", year, techs, commodities), lambda: self._build_base(year, techs, commodities))

    def _build_base(self, year, techs, commodities) -> _Base:
        notes: list[str] = []
        parts = []
        have = []
        for tech in techs:
            yrs = self.years(tech)
            if year not in yrs:
                notes.append(f"no {tech} export data for {year} (years with data: {_span(yrs)}); {tech} left out")
                continue
            have.append(tech)
            if tech == "pv":
                d = ex.pv_by_destination(self.pack.table("ember_china_solar_exports_annual"),
                                         self.pack.table("ember_china_solar_exports_monthly"), year, commodities)
                d["panels_mw"] = d["panels_mw"] * ("Panels" in commodities)
                d["cells_mw"] = d["cells_mw"] * ("Cells" in commodities)
                cf = capmod.pv_capacity_factors(d, self._observed_cf(), year,
                                                (self.params["pv_cf_clip_low"], self.params["pv_cf_clip_high"]),
                                                self._fallback("pv"))
            else:
                d = ex.wind_by_destination(self.wind, year)
                d["panels_mw"] = 0.0
                d["cells_mw"] = 0.0
                fb = self._fallback("wind")
                cf = pd.DataFrame([(*reversed(fb(r)), f"fallback: {r or 'world'} onshore wind factor "
                                                      f"({fb(r)[0]})") for r in d["region"]],
                                  columns=["cf_base", "cf_param", "capacity_factor_source"], index=d.index)
            d = pd.concat([d, cf], axis=1)
            d["tech"] = tech
            parts.append(d)
        if not have:
            avail = "; ".join(f"{t}: {_span(self.years(t))}" for t in techs)
            raise InputError(f"year must be one with export data for the chosen technologies ({avail}); got {year}")
        frame = pd.concat(parts, ignore_index=True)
        frame["region"] = frame["region"].where(frame["region"].notna(), None)
        ints = capmod.average_intensities(frame, self.pack.table("ember_owid_electricity_carbon_intensity"), year)
        frame = pd.concat([frame, ints], axis=1)
        shares, margin_src = capmod.fossil_shares(frame, self.pack.table("ember_owid_electricity_generation"), year)
        frame["margin_source"] = margin_src
        names = tuple(sorted(set(frame["cf_param"])))
        index = np.array([names.index(n) for n in frame["cf_param"]], dtype=int)
        grid, gy = self.china_grid(year)
        notes += _notes(frame, year, commodities)
        return _Base(frame, shares, names, index, grid, gy, tuple(have), tuple(notes))

    # ---- evaluation --------------------------------------------------------------------------------------------
    def _values(self, gp: GreenParams, draws: int = 0, seed: int = 0) -> dict:
        """Parameter values: central (scalars) or draws (arrays of shape (draws,)); GreenParams choices fixed."""
        if draws:
            d = self._memo(("draws", draws, seed), lambda: self.params.draw(draws, seed))
            vals = dict(d)
        else:
            vals = dict(self.params.central())
        for name in pm.CHOICE_ROWS:
            vals[name] = float(getattr(gp, name))
        return vals

    def _evaluate(self, base: _Base, vals: dict, gp: GreenParams) -> dict[str, np.ndarray]:
        """Every metric for every destination: arrays of shape (n, D), n = 1 for scalars [units of the columns]."""
        f = base.frame

        def col(name):
            return np.asarray(vals[name], dtype=float).reshape(-1, 1)

        is_pv = (f["tech"] == "pv").to_numpy()
        cap = f["capacity_mw"].to_numpy(dtype=float)
        installed = cap[None, :] * col("installation_share")
        central = np.array([float(self.params[n]) for n in base.cf_names])
        cfvals = np.hstack([col(n) for n in base.cf_names]) / central[None, :]
        cf = f["cf_base"].to_numpy(dtype=float)[None, :] * cfvals[:, base.cf_index]
        if gp.displacement == "average":
            inten = f["intensity_base"].to_numpy(dtype=float)[None, :] * np.ones_like(col("ef_coal"))
        else:
            fuel = np.hstack([eq.fuel_intensity_g_kwh(col(f"ef_{x}"), col(f"eff_{x}")) for x in ("coal", "gas", "oil")])
            inten = eq.fossil_margin_g_kwh(base.shares, fuel)
        inten = inten * col("displaced_intensity_factor")
        decline = col("grid_decline_pct")
        life = np.where(is_pv[None, :], eq.lifetime_factor(col("pv_lifetime_yr"), col("pv_degradation_pct"), decline),
                        eq.lifetime_factor(col("wind_lifetime_yr"), col("wind_degradation_pct"), decline))
        per_year = eq.avoided_mt_per_year(installed, cf, inten)
        lifetime = per_year * life
        grid = base.china_grid if gp.manufacturing_grid_g_kwh is None else gp.manufacturing_grid_g_kwh
        kg = eq.pv_kg_per_kwp(col("pv_kg_per_kwp"), col("pv_electricity_share"), grid, col("pv_reference_grid_g_kwh"))
        pv_mw = f["panels_mw"].to_numpy(dtype=float)[None, :] + f["cells_mw"].to_numpy(dtype=float)[None, :] * col(
            "pv_cell_footprint_share")
        t_mw = eq.wind_t_per_mw(col("wind_lca_g_kwh"), col("wind_lca_reference_cf"), col("wind_lca_reference_lifetime_yr"))
        man = np.where(is_pv[None, :], eq.pv_manufacturing_mt(pv_mw, kg), eq.wind_manufacturing_mt(cap[None, :], t_mw))
        return {"installed_mw": installed, "capacity_factor": cf, "intensity_g_kwh": inten, "manufacturing_mt": man,
                "avoided_mt_per_year": per_year, "avoided_mt_lifetime": lifetime}

    def result(self, year: int, techs=TECHS, params: GreenParams = GreenParams(), draws: int = 0, ci: int = 90,
               seed: int = 0) -> GreenResult:
        """Green exports of ``year`` by destination and in total.

        Parameters
        ----------
        year : int
        techs : sequence of str
            Subset of :data:`TECHS`.
        params : GreenParams
        draws : int
            Monte Carlo draws (0: central values only, no interval columns), at most 10,000.
        ci : int
            Interval level [%], one of 66, 90, 95.
        seed : int
            Seed of the draws.

        Raises
        ------
        InputError
            Bad year, tech, draws, ci or seed (the message names the allowed values).
        """
        year, techs, draws, ci, seed = _check_year(year), _check_techs(techs), _check_draws(draws), _check_ci(ci), \
            _check_seed(seed)
        if not isinstance(params, GreenParams):
            raise InputError("params must be a GreenParams")
        return self._memo(("result", year, techs, params, draws, ci, seed),
                          lambda: self._result(year, techs, params, draws, ci, seed))

    def _result(self, year, techs, gp, draws, ci, seed) -> GreenResult:
        base = self._base(year, techs, gp.pv_commodities)
        c = {k: v[0] for k, v in self._evaluate(base, self._values(gp), gp).items()}
        f = base.frame
        out = pd.DataFrame({
            "iso3": f["iso3"].astype(str), "name": f["name"].astype(str), "tech": f["tech"],
            "capacity_mw": f["capacity_mw"].astype(float), "installed_mw": c["installed_mw"],
            "capacity_factor": c["capacity_factor"], "capacity_factor_source": f["capacity_factor_source"],
            "intensity_g_kwh": c["intensity_g_kwh"],
            "intensity_source": f["intensity_source"] if gp.displacement == "average" else f["margin_source"],
            "manufacturing_mt": c["manufacturing_mt"], "avoided_mt_per_year": c["avoided_mt_per_year"],
            "avoided_mt_lifetime": c["avoided_mt_lifetime"],
            "ratio": eq.ratio(c["avoided_mt_lifetime"], c["manufacturing_mt"]),
        })
        out.insert(3, "region", f["region"])
        totals = _totals(out, base.techs)
        if draws:
            d = self._evaluate(base, self._values(gp, draws, seed), gp)
            d["ratio"] = eq.ratio(d["avoided_mt_lifetime"], d["manufacturing_mt"])
            for m in INTERVAL_METRICS:
                lo, hi = interval(d[m], ci, axis=0)
                out[f"{m}_low"], out[f"{m}_high"] = lo, hi
            groups = [*base.techs, "all"]
            for m in ("manufacturing_mt", "avoided_mt_per_year", "avoided_mt_lifetime"):
                sums = np.stack([d[m][:, (f["tech"] == g).to_numpy() if g != "all" else slice(None)].sum(axis=1)
                                 for g in groups], axis=1)
                lo, hi = interval(sums, ci, axis=0)
                totals[f"{m}_low"], totals[f"{m}_high"] = lo, hi
                if m == "manufacturing_mt":
                    man_sums = sums
                if m == "avoided_mt_lifetime":
                    r = eq.ratio(sums, man_sums)
                    totals["ratio_low"], totals["ratio_high"] = interval(r, ci, axis=0)
            totals = totals[[c for c in totals.columns if c in out.columns or c in ("iso3", "name", "tech")]]
        out = out.sort_values(["tech", "capacity_mw"], ascending=[True, False]).reset_index(drop=True)
        notes = list(base.notes)
        if gp.manufacturing_grid_g_kwh is None:
            notes.append(f"manufacturing grid: China's Ember {base.china_grid_year} average, "
                         f"{base.china_grid:.0f} g CO2e/kWh")
        else:
            notes.append(f"manufacturing grid set to {gp.manufacturing_grid_g_kwh:g} g CO2e/kWh")
        if gp.installation_share < 1:
            notes.append(f"installation share {gp.installation_share:g}: only this share of the exported MW is counted "
                         "as installed (stocks, re-exports); manufacturing counts every exported MW")
        if gp.displacement == "fossil_margin":
            notes.append("fossil margin: combustion CO2 of the destination's coal, gas and oil generation (IPCC 2006 "
                         "factors, typical plant efficiencies); the average choice uses Ember's life-cycle intensities")
        for df in (out, totals):
            df.attrs["units"] = _UNITS
        return GreenResult(year, base.techs, gp, out, totals, tuple(notes), ci if draws else None)

    # ---- tornado -----------------------------------------------------------------------------------------------
    def tornado(self, year: int, techs=TECHS, params: GreenParams = GreenParams(),
                metric: str = "avoided_mt_lifetime") -> pd.DataFrame:
        """One-at-a-time sensitivity of a total to every parameter with a range.

        Returns
        -------
        DataFrame
            ``parameter``, ``label``, ``low``, ``high`` (the parameter's values [its unit]), ``result_low``,
            ``result_high``, ``result_central``, ``swing`` (|result_high - result_low|) [unit of the metric]; sorted by
            swing, parameters that do not move the metric left out.
        """
        year, techs = _check_year(year), _check_techs(techs)
        if metric not in METRICS:
            raise InputError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
        if not isinstance(params, GreenParams):
            raise InputError("params must be a GreenParams")
        return self._memo(("tornado", year, techs, params, metric), lambda: self._tornado(year, techs, params, metric))

    def _tornado(self, year, techs, gp, metric) -> pd.DataFrame:
        base = self._base(year, techs, gp.pv_commodities)
        t = self.params.table
        rows = t[(t["high"] > t["low"]) & ~t["parameter"].isin(["draws", "seed"])]
        names = list(rows["parameter"])
        central = self._values(gp)
        k = len(names)
        vals = {n: np.full(2 * k + 1, float(v)) for n, v in central.items()}
        for i, (n, lo, hi) in enumerate(zip(names, rows["low"], rows["high"])):
            vals[n][2 * i], vals[n][2 * i + 1] = lo, hi
        r = self._evaluate(base, vals, gp)
        man, life = r["manufacturing_mt"].sum(axis=1), r["avoided_mt_lifetime"].sum(axis=1)
        total = eq.ratio(life, man) if metric == "ratio" else r[metric].sum(axis=1)
        out = pd.DataFrame({"parameter": names, "label": [LABELS.get(n, _label(n)) for n in names],
                            "low": rows["low"].to_numpy(), "high": rows["high"].to_numpy(),
                            "result_low": total[0:2 * k:2], "result_high": total[1:2 * k:2],
                            "result_central": total[-1]})
        out["swing"] = (out["result_high"] - out["result_low"]).abs()
        out = out[out["swing"] > 1e-9 * max(1.0, abs(float(total[-1])))]
        out = out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
        out.attrs.update(metric=metric, year=year)
        return out

    # ---- claim check ----------------------------------------------------------------------------------------
    def claim_check(self, year: int = 2024) -> pd.DataFrame:
        """The CREA solar reproduction and the seed's "about 2 Mt vs about 350 Mt" under several scopes.

        Returns
        -------
        DataFrame
            One row per scope: ``claim``, ``scope``, ``techs``, ``params`` (query string), ``basis`` ("per year" |
            "lifetime"), ``manufacturing_mt``, ``manufacturing_mt_low``, ``manufacturing_mt_high``, ``avoided_mt``,
            ``avoided_mt_low``, ``avoided_mt_high`` [Mt CO2e], ``reference_manufacturing_mt``,
            ``reference_avoided_mt``, ``verdict`` ("matches" | "does not match"), ``explanation``.
        """
        year = _check_year(year)
        return self._memo(("claim_check", year), lambda: _claim_check(self, year))


# ---- helpers ---------------------------------------------------------------------------------------------------
_UNITS = {"capacity_mw": "MW", "installed_mw": "MW", "capacity_factor": "1", "intensity_g_kwh": "g CO2e/kWh",
          "manufacturing_mt": "Mt CO2e", "avoided_mt_per_year": "Mt CO2e/yr", "avoided_mt_lifetime": "Mt CO2e",
          "ratio": "1"}


def _totals(out: pd.DataFrame, techs) -> pd.DataFrame:
    rows = []
    for g in [*techs, "all"]:
        d = out if g == "all" else out[out["tech"] == g]
        gen = d["installed_mw"] * d["capacity_factor"]
        man, life = d["manufacturing_mt"].sum(), d["avoided_mt_lifetime"].sum()
        rows.append({
            "iso3": "TOTAL", "name": "total", "tech": g, "capacity_mw": d["capacity_mw"].sum(),
            "installed_mw": d["installed_mw"].sum(),
            "capacity_factor": gen.sum() / d["installed_mw"].sum() if d["installed_mw"].sum() > 0 else np.nan,
            "intensity_g_kwh": (gen * d["intensity_g_kwh"]).sum() / gen.sum() if gen.sum() > 0 else np.nan,
            "manufacturing_mt": man, "avoided_mt_per_year": d["avoided_mt_per_year"].sum(),
            "avoided_mt_lifetime": life, "ratio": float(eq.ratio(life, man)),
        })
    return pd.DataFrame(rows)


def _notes(frame: pd.DataFrame, year: int, commodities) -> list[str]:
    notes = []
    for tech in ("pv", "wind"):
        d = frame[frame["tech"] == tech]
        if d.empty:
            continue
        fb = d["capacity_factor_source"].str.startswith("fallback")
        obs = d.loc[~fb, "capacity_factor_source"].str.extract(r"observed (\d{4})")[0].dropna()
        if tech == "pv":
            notes.append(f"PV capacity factors: {int((~fb).sum())} destinations observed (OWID capacity with Ember "
                         f"solar generation; latest year used {obs.max() if len(obs) else 'none'}, as OWID capacity "
                         f"ends in 2020), {int(fb.sum())} take their region's fallback factor")
            clipped = d["capacity_factor_source"].str.contains("clipped")
            if clipped.any():
                notes.append(f"observed PV factors clipped to the plausible range for: "
                             f"{', '.join(d.loc[clipped, 'iso3'])}")
        else:
            notes.append("wind capacity factors: regional onshore factors (IRENA 2024); wind exports from CWEA: "
                         "destinations not published are one 'other' row valued at world averages")
    carried = frame["intensity_source"].str.contains("nearest year").sum()
    fell = frame["intensity_source"].str.startswith("fallback").sum()
    notes.append(f"displaced intensity: {int(carried)} destination rows carry Ember's nearest year to {year}, "
                 f"{int(fell)} take a regional or world mean (no Ember data)")
    if "NLD" in set(frame["iso3"]):
        nl = frame.loc[(frame["iso3"] == "NLD") & (frame["tech"] == "pv"), "capacity_mw"].sum()
        notes.append(f"the Netherlands ({nl / 1000:.1f} GW of PV) is a re-export hub (Rotterdam) for much of Europe: "
                     "its rows are valued at the Dutch grid and climate; use the installation share for stocks")
    if "Cells" in commodities:
        notes.append("cells count as capacity of their destination (assembled there into modules, some re-exported); "
                     "their manufacturing counts the cells' share of a module footprint")
    notes.append("wafers are never counted as capacity (they become cells and modules abroad)")
    return notes


def _claim_check(ge: GreenExports, year: int) -> pd.DataFrame:
    rows = []
    n, seed, ci = 1000, 0, 90

    def run(techs, gp, basis):
        r = ge.result(year, techs, gp, draws=n, ci=ci, seed=seed)
        tot = r.totals.set_index("tech").loc["all"]
        key = "avoided_mt_per_year" if basis == "per year" else "avoided_mt_lifetime"
        return r, {"manufacturing_mt": tot["manufacturing_mt"], "manufacturing_mt_low": tot["manufacturing_mt_low"],
                   "manufacturing_mt_high": tot["manufacturing_mt_high"], "avoided_mt": tot[key],
                   "avoided_mt_low": tot[f"{key}_low"], "avoided_mt_high": tot[f"{key}_high"]}

    def near(ref, c, lo, hi):
        return (lo <= ref <= hi) or abs(c - ref) <= ABOUT * ref

    # CREA solar: PV modules, Ember destinations, destination average grid, per year and lifetime
    lo_s, hi_s = CREA_SOLAR_SHARE_BAND
    gp = GreenParams()
    for basis, key in (("per year", "avoided_mt_per_year"), ("lifetime", "avoided_mt_lifetime")):
        _r, v = run(("pv",), gp, basis)
        ref = CREA_2024[key]
        ok = v["avoided_mt_high"] >= lo_s * ref and v["avoided_mt_low"] <= hi_s * ref
        rows.append({"claim": "CREA solar", "scope": f"PV modules exported in {year}, destination average grid, "
                     f"{gp.pv_lifetime_yr:g}-year life, {basis}", "techs": "pv", "params": gp.to_query_string(),
                     "basis": basis, **v, "reference_manufacturing_mt": CREA_2024["manufacturing_mt"],
                     "reference_avoided_mt": ref, "verdict": "matches" if ok else "does not match",
                     "explanation": f"CREA gives {ref:,.0f} Mt for solar, batteries, EVs and wind together and names "
                                    f"solar the largest part; our PV interval {v['avoided_mt_low']:,.0f}-"
                                    f"{v['avoided_mt_high']:,.0f} Mt {'overlaps' if ok else 'misses'} the band "
                                    f"{lo_s:.0%}-{hi_s:.0%} of it ({lo_s * ref:,.0f}-{hi_s * ref:,.0f} Mt)."})
    scopes = [
        ("PV and wind, lifetime, destination average grid (our defaults)", ("pv", "wind"), GreenParams(), "lifetime"),
        ("PV and wind, lifetime, fossil margin", ("pv", "wind"), GreenParams(displacement="fossil_margin"),
         "lifetime"),
        ("PV and wind, first year only, destination average grid", ("pv", "wind"), GreenParams(), "per year"),
        ("PV and wind, first year only, fossil margin", ("pv", "wind"), GreenParams(displacement="fossil_margin"),
         "per year"),
        ("PV and wind, lifetime, manufactured on a zero-carbon grid", ("pv", "wind"),
         GreenParams(manufacturing_grid_g_kwh=0.0), "lifetime"),
        ("wind only, lifetime, destination average grid", ("wind",), GreenParams(), "lifetime"),
        ("wind only, lifetime, fossil margin, 25-year life", ("wind",),
         GreenParams(displacement="fossil_margin", wind_lifetime_yr=25.0), "lifetime"),
        ("wind only, first year only, fossil margin", ("wind",), GreenParams(displacement="fossil_margin"),
         "per year"),
    ]
    for scope, techs, gp, basis in scopes:
        if not all(year in ge.years(t) for t in techs):
            continue
        _r, v = run(techs, gp, basis)
        m_ok = near(CAS_SEED["manufacturing_mt"], v["manufacturing_mt"], v["manufacturing_mt_low"],
                    v["manufacturing_mt_high"])
        a_ok = near(CAS_SEED["avoided_mt"], v["avoided_mt"], v["avoided_mt_low"], v["avoided_mt_high"])
        if m_ok and a_ok:
            why = "both figures come out within our interval or 25 % of our central value"
        elif m_ok:
            why = (f"the manufacturing figure fits ({v['manufacturing_mt']:.1f} Mt) but avoided is "
                   f"{v['avoided_mt']:,.0f} Mt, not about 350")
        elif a_ok:
            why = (f"avoided fits ({v['avoided_mt']:,.0f} Mt) but manufacturing is {v['manufacturing_mt']:,.1f} Mt, "
                   f"not about 2")
        else:
            why = (f"neither fits: {v['manufacturing_mt']:,.1f} Mt manufacturing, {v['avoided_mt']:,.0f} Mt avoided")
        rows.append({"claim": "CAS 2 Mt vs 350 Mt", "scope": scope, "techs": ",".join(techs),
                     "params": gp.to_query_string(), "basis": basis, **v,
                     "reference_manufacturing_mt": CAS_SEED["manufacturing_mt"],
                     "reference_avoided_mt": CAS_SEED["avoided_mt"],
                     "verdict": "matches" if (m_ok and a_ok) else "does not match", "explanation": why + "."})
    out = pd.DataFrame(rows)
    out.attrs.update(year=year, draws=n, ci=ci, seed=seed)
    return out


def _label(name: str) -> str:
    if name.startswith(("pv_cf_", "wind_cf_")):
        tech, region = name.split("_cf_")
        return f"{'PV' if tech == 'pv' else 'wind'} capacity factor, {region.replace('_', ' ')}"
    return name.replace("_", " ")


def _span(years) -> str:
    years = list(years)
    if not years:
        return "none"
    return f"{years[0]}-{years[-1]}" if len(years) > 1 and years[-1] - years[0] == len(years) - 1 else \
        ", ".join(map(str, years))


def _check_tech(tech) -> str:
    if tech not in TECHS:
        raise InputError(f"tech must be one of {', '.join(TECHS)}; got {tech!r}")
    return tech


def _check_techs(techs) -> tuple[str, ...]:
    if isinstance(techs, str):
        techs = tuple(t.strip() for t in techs.split(",") if t.strip())
    try:
        techs = tuple(techs)
    except TypeError:
        raise InputError(f"techs must be a subset of {', '.join(TECHS)}; got {techs!r}") from None
    if not techs or any(t not in TECHS for t in techs):
        raise InputError(f"techs must be a non-empty subset of {', '.join(TECHS)}; got {techs!r}")
    return tuple(t for t in TECHS if t in techs)


def _check_year(year) -> int:
    if isinstance(year, bool):
        raise InputError(f"year must be an integer in 2017-2100; got {year!r}")
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise InputError(f"year must be an integer in 2017-2100; got {year!r}") from None
    if y != year and not (isinstance(year, str) and str(y) == year.strip()):
        raise InputError(f"year must be an integer in 2017-2100; got {year!r}")
    if not 2017 <= y <= 2100:
        raise InputError(f"year must be in 2017-2100 (Ember's PV exports start in 2017); got {y}")
    return y


def _check_draws(draws) -> int:
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 0 <= draws <= MAX_DRAWS:
        raise InputError(f"draws must be an integer in 0-{MAX_DRAWS}; got {draws!r}")
    return int(draws)


def _check_ci(ci) -> int:
    if isinstance(ci, bool) or ci not in CI_LEVELS:
        raise InputError(f"ci must be one of {', '.join(map(str, CI_LEVELS))} (confidence level in %); got {ci!r}")
    return int(ci)


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2 ** 32:
        raise InputError(f"seed must be an integer in 0-{2 ** 32 - 1}; got {seed!r}")
    return int(seed)
