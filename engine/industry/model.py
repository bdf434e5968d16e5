"""The industry orchestrator: :class:`Industry` reads the pack through an :class:`~engine.accounts.ledger.Accounts`
(its pack, cache and ledger), calibrates the countries, draws the parameters once, and answers the calibration, the
EDGAR check, the CBAM comparison and claim table, the CBAM cost of a good, scenarios and their ledger effect.

Everything is cached in the accounts' one cache layer (memory tier only; keys carry the pack key, the code
fingerprint and a digest of ``data/industry_parameters.csv``). Results are pandas objects and dataclasses with
units in column names or ``attrs``; nothing here knows about pages or colours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.accounts import equations as eq
from engine.core.errors import InputError, NotFoundError
from engine.core.gwp import reweight_factors
from engine.core.query import CI_LEVELS, GASES, closest
from engine.industry import calibration as cal
from engine.industry import cbam as cb
from engine.industry import parameters as params_mod
from engine.industry import routes
from engine.industry import scenario as sc

#: Goods whose CBAM cost a scenario reports: (Annex I sector, CN code, description filter or None).
KEY_GOODS = (("Iron and steel", "7207 12 10", None), ("Iron and steel", "7208", None),
             ("Cement", "2523 10 00", "Grey clinker"), ("Cement", "2523 29 00", None), ("Aluminium", "7601", None),
             ("Fertilisers", "2814 10 00", None), ("Fertilisers", "3102 10 19", None),
             ("Hydrogen", "2804 10 00", None))
#: Products whose intensity a scenario reports.
SCENARIO_PRODUCTS = ("crude_steel", "steel_product", "clinker", "cement", "aluminium_primary", "ammonia", "urea",
                     "hydrogen")
#: Year whose input–output table ranks the exporters to the EU (the last WIOD 2013 year).
EXPORTER_TABLE_YEAR = 2011


@dataclass(frozen=True)
class ScenarioResult:
    """What a scenario changes (all central estimates).

    Attributes
    ----------
    scenario : Scenario
    intensities : DataFrame
        Per product: ``direct``, ``indirect``, ``precursor``, ``total`` [t CO2e t⁻¹] for ``baseline`` and
        ``scenario`` (column ``case``), long.
    emissions : DataFrame
        Per product (steel, cement, aluminium): ``production_kt`` and ``baseline_mt``, ``scenario_mt``,
        ``delta_mt`` [Mt CO2e] of direct + indirect emissions, and the direct parts.
    sector_delta : DataFrame
        :func:`engine.industry.scenario.sector_delta`.
    cbam_costs : DataFrame
        Key goods: default and localised embedded emissions and CBAM cost per tonne, baseline and scenario.
    notes : tuple of str
    """

    scenario: sc.Scenario
    intensities: pd.DataFrame
    emissions: pd.DataFrame
    sector_delta: pd.DataFrame
    cbam_costs: pd.DataFrame
    notes: tuple


class Industry:
    """Industry routes, calibration, CBAM comparison and scenarios over one pack.

    Parameters
    ----------
    accounts : engine.accounts.ledger.Accounts
        Gives the pack, the cache and the ledger (for :meth:`ledger_effect`).
    params : Parameters, optional
        Defaults to ``data/industry_parameters.csv``.
    """

    def __init__(self, accounts, params: params_mod.Parameters | None = None):
        self.accounts = accounts
        self.pack = accounts.pack
        self.cache = accounts.cache
        self.params = params or params_mod.load()
        self._digest = self.params.digest()

    def _key(self, *parts) -> str:
        return self.accounts._key("industry", self._digest, *parts)

    def _memo(self, key, build):
        return self.cache.memo(self._key(*key), build, shared=False)

    # ---- inputs -------------------------------------------------------------------------------------------------
    def draws(self) -> dict[str, np.ndarray]:
        """The parameter draws (one set per process) [units of the rows]."""
        return self._memo(("draws",), self.params.draw)

    def defaults(self) -> pd.DataFrame:
        """Annex I country rows with the value each country pays (:func:`engine.industry.cbam.annex_rows`)."""
        return self._memo(("annex_rows",), lambda: cb.annex_rows(self.pack.table("cbam_default_values")))

    def countries(self) -> list[str]:
        """Every country with production data or an Annex I row (ISO3)."""
        def build():
            prod = self.pack.table("industry_production")
            codes = set(prod.loc[prod["region_type"] == "country", "iso3"].astype(str))
            return sorted(codes | set(self.defaults()["iso3"].astype(str)))

        return self._memo(("countries",), build)

    def check_country(self, iso3: str) -> str:
        """The code upper-cased, or :class:`NotFoundError` naming the closest known codes."""
        code = str(iso3).strip().upper()
        known = self.countries()
        if code not in known:
            raise NotFoundError(f"unknown country {iso3!r}; closest: {', '.join(closest(code, known)) or 'none'}"
                                f" (ISO3 codes of countries with production data or a CBAM default value)")
        return code

    def calibration(self, year: int = cal.DEFAULT_YEAR) -> pd.DataFrame:
        """Per-country calibration of a year (:func:`engine.industry.calibration.calibrate`)."""
        year = _check_year(year)
        return self._memo(("calibration", year), lambda: cal.calibrate(
            self.pack.table("industry_production"), self.pack.table("ember_owid_electricity_carbon_intensity"),
            self.pack.table("ember_owid_electricity_generation"), year, self.countries()))

    def _products(self, year: int, central: bool) -> dict[str, routes.Emissions]:
        def build():
            p = self.params.central() if central else self.draws()
            return cb.products_for_goods(p, cal.route_inputs(self.calibration(year), p))

        return self._memo(("products", year, central), build)

    # ---- calibration against EDGAR --------------------------------------------------------------------------------
    def coverage(self, year: int = cal.DEFAULT_YEAR, ci: int = 90) -> pd.DataFrame:
        """Modelled direct emissions of steel, cement and aluminium against EDGAR, every country with production
        (:func:`engine.industry.calibration.coverage`)."""
        year, ci = _check_year(year), _check_ci(ci)

        def build():
            calib = self.calibration(year)
            d, c = self.draws(), self.params.central()
            md = cal.national_direct(calib, self._products(year, False), d)
            mc = cal.national_direct(calib, self._products(year, True), c)
            out = cal.coverage(md, mc, calib, cal.edgar_industry(self.pack.table("edgar_ghg_by_sector"), year), ci)
            return out[out["modelled_mt"] > 0]

        return self._memo(("coverage", year, ci), build)

    def top_producers(self, year: int = cal.DEFAULT_YEAR, n: int = 20, ci: int = 90) -> pd.DataFrame:
        """The ``n`` countries with the largest modelled direct emissions of the three products, with EDGAR."""
        return self.coverage(year, ci).head(int(n))

    # ---- CBAM -------------------------------------------------------------------------------------------------
    def cbam_comparison(self, year: int = cal.DEFAULT_YEAR, ci: int = 90) -> pd.DataFrame:
        """Every Annex I good and country: localised interval, ratio and verdict
        (:func:`engine.industry.cbam.compare`), calibrated on ``year``."""
        year, ci = _check_year(year), _check_ci(ci)

        def build():
            countries = self.calibration(year).index
            out = cb.compare(self.defaults(), self._products(year, False), self._products(year, True), countries, ci)
            out.attrs.update(calibration_year=year)
            return out

        return self._memo(("cbam", year, ci), build)

    def cbam(self, country: str | None = None, cn: str | None = None, year: int = cal.DEFAULT_YEAR,
             ci: int = 90) -> pd.DataFrame:
        """Rows of :meth:`cbam_comparison` for a country and/or a CN code (any prefix, spaced or not).

        Raises
        ------
        NotFoundError
            Unknown country, a country without an Annex I row, or a CN code with no CBAM good.
        """
        t = self.cbam_comparison(year, ci)
        if country is not None:
            code = self.check_country(country)
            t = t[t["iso3"] == code]
            if t.empty:
                raise NotFoundError(f"{code} has no row in Annex I of IR (EU) 2025/2621: its imports take the "
                                    f"'Other Countries and Territories' values")
        if cn is not None:
            digits = "".join(ch for ch in str(cn) if ch.isdigit())
            if not 4 <= len(digits) <= 10:
                raise InputError(f"cn must be a CN code of 4 to 10 digits (e.g. 7207 or 7207 12 10); got {cn!r}")
            t = t[[d.startswith(digits) or digits.startswith(d) for d in t["cn_digits"]]]
            if t.empty:
                raise NotFoundError(f"no CBAM good with CN code {cn!r} (CBAM goods are in chapters 25, 28, 31, "
                                    f"72, 73 and 76)")
        return t

    def exporters(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` largest non-EU exporters to the EU27 of WIOD sectors c11 + c12 in 2011
        (:func:`engine.industry.cbam.eu_exporters`)."""
        from engine.accounts.regions import group_members

        def build():
            out = cb.eu_exporters(self.pack.arrays(f"wiod_{EXPORTER_TABLE_YEAR}"), self.pack.table("wiod_labels"),
                                  self.pack.table("wiod_fd_labels"), group_members()["EU27"], n)
            out.attrs.update(table="WIOD 2013", year=EXPORTER_TABLE_YEAR)
            return out

        return self._memo(("exporters", int(n)), build)

    def claim_countries(self) -> list[str]:
        """China and the ten largest exporters to the EU (:meth:`exporters`), China first."""
        ex = [c for c in self.exporters(11)["iso3"] if c != "CHN"][:10]
        return ["CHN", *ex]

    def claim_table(self, year: int = cal.DEFAULT_YEAR, ci: int = 90) -> pd.DataFrame:
        """The claim table: every Annex I good of China and the ten largest exporters to the EU, with verdicts."""
        t = self.cbam_comparison(year, ci)
        order = {c: i for i, c in enumerate(self.claim_countries())}
        out = t[t["iso3"].isin(list(order))].copy()
        out["_o"] = out["iso3"].map(order)
        out = out.sort_values(["_o", "sector", "cn_digits"]).drop(columns="_o").reset_index(drop=True)
        out.attrs.update(t.attrs)
        out.attrs["countries"] = list(order)
        out.attrs["selection"] = ("China and the ten largest non-EU exporters to the EU27 of WIOD 2013 sectors c11 "
                                  "and c12 in 2011 (intermediate and final use)")
        return out

    def claim_summary(self, year: int = cal.DEFAULT_YEAR, ci: int = 90, verdict_col: str = "verdict") -> pd.DataFrame:
        """Counts of above / inside / below / not modelled / no default per country and product group."""
        if verdict_col not in ("verdict", *(f"verdict_{y}" for y in cb.MARKUP_YEARS)):
            raise InputError(f"verdict_col must be verdict or verdict_2026/2027/2028; got {verdict_col!r}")
        return cb.claim_summary(self.claim_table(year, ci), verdict_col)

    def benchmark(self, cn: str, route: str = "", year: int = 2026) -> float:
        """CBAM benchmark (column B) of a good [t CO2e t⁻¹] (:func:`engine.industry.cbam.benchmark`)."""
        digits = "".join(ch for ch in str(cn) if ch.isdigit())
        return self._memo(("bm", digits, route, min(max(int(year), 2026), 2028)),
                          lambda: cb.benchmark(self.pack.table("cbam_benchmarks"), digits, route, year))

    def cost(self, country: str, cn: str, import_year: int = 2026, price: float | None = None,
             description: str | None = None, calibration_year: int = cal.DEFAULT_YEAR, ci: int = 90) -> pd.DataFrame:
        """CBAM cost per tonne of a good from a country in an import year, with the default value (its mark-up
        of the year) and with our localised value (central and interval).

        Returns
        -------
        DataFrame
            One row per matching Annex I good: ``default_value`` (with mark-up) and ``ours``/``ours_lo``/``ours_hi``
            [t CO2e t⁻¹], ``benchmark`` [t CO2e t⁻¹], ``cbam_factor``, ``charged_share`` [1], ``price``
            [EUR t⁻¹ CO2e], ``cost_default``, ``cost_ours``, ``cost_ours_lo``, ``cost_ours_hi`` [EUR t⁻¹].
        """
        import_year = int(import_year)
        if not sc.CBAM_YEAR_RANGE[0] <= import_year <= sc.CBAM_YEAR_RANGE[1]:
            raise InputError(f"import year must be in {sc.CBAM_YEAR_RANGE[0]}-{sc.CBAM_YEAR_RANGE[1]}; "
                             f"got {import_year}")
        price = self.params["carbon_price"] if price is None else sc._ranged("price", price, *sc.PRICE_RANGE,
                                                                             "EUR/t CO2e")
        t = self.cbam(country, cn, calibration_year, ci)
        if description is not None:
            t = t[t["description"].str.lower().str.contains(str(description).lower(), regex=False)]
        col = f"default_{min(import_year, 2028)}"
        out = t[["iso3", "sector", "cn_code", "description", "route", "fallback", "ours", "ours_lo", "ours_hi"]].copy()
        out["default_value"] = t[col]
        out["benchmark"] = [self.benchmark(c, r, import_year) for c, r in zip(t["cn_digits"], t["route"])]
        out["import_year"] = import_year
        out["cbam_factor"] = cb.cbam_factor(import_year)
        out["charged_share"] = cb.charged_share(import_year)
        out["price"] = price
        cscf = self.params["cscf"]
        for name, see in (("cost_default", out["default_value"]), ("cost_ours", out["ours"]),
                          ("cost_ours_lo", out["ours_lo"]), ("cost_ours_hi", out["ours_hi"])):
            out[name] = cb.cost_per_tonne(see.to_numpy(dtype=float), out["benchmark"].to_numpy(), import_year, price,
                                          cscf)
        out.loc[out["ours"].isna(), ["cost_ours", "cost_ours_lo", "cost_ours_hi"]] = np.nan
        out.attrs.update(units={"cost_*": "EUR/t", "price": "EUR/t CO2e", "default_value": "t CO2e/t",
                                "ours*": "t CO2e/t", "benchmark": "t CO2e/t"}, note=cb.PRICE_NOTE,
                         cscf=cscf)
        return out.reset_index(drop=True)

    # ---- scenarios ----------------------------------------------------------------------------------------------
    def _base_state(self, country: str, year: int) -> tuple[routes.RouteInputs, dict, dict]:
        def build():
            calib = self.calibration(year)
            if country not in calib.index:
                raise NotFoundError(f"no calibration for {country} in {year}")
            row = calib.loc[[country]]
            p = self.params.central()
            base = cal.route_inputs(row, p)
            base = routes.RouteInputs(**{k: (float(np.asarray(v).ravel()[0]) if k not in ("steel_shares", "fuel_mix",
                                                                                          "ccs_scope") and v is not None
                                             else v) for k, v in base.__dict__.items()})
            caveat = bool(row["dri_caveat"].iloc[0])
            state = {"bf_bof": float(np.nan_to_num(row["bf_bof_share"].iloc[0])),
                     "dri_share": p["eaf_dri_share_caveat"] if caveat else p["eaf_dri_share_other"],
                     "dri_coal": p["dri_coal_share_ind"] if country == "IND" else 0.0,
                     "clean_share": float(row["clean_share"].iloc[0])}
            prod = {"steel": float(row["crude_steel_kt"].iloc[0]), "cement": float(row["cement_kt"].iloc[0]),
                    "aluminium": float(row["aluminium_kt"].iloc[0])}
            return base, state, prod

        return self._memo(("base", country, year), build)

    def scenario(self, s: sc.Scenario) -> ScenarioResult:
        """Apply a scenario (see :mod:`engine.industry.scenario`); central estimates, cached per scenario."""
        country = self.check_country(s.country)
        return self._memo(("scenario", repr(s)), lambda: self._scenario(s, country))

    def _scenario(self, s: sc.Scenario, country: str) -> ScenarioResult:
        base, state, prod = self._base_state(country, s.year)
        p = self.params.central()
        x0 = sc.apply(sc.Scenario(country=country, year=s.year), base, state, p)
        x1 = sc.apply(s, base, state, p)
        pr0, pr1 = routes.country_products(p, x0), routes.country_products(p, x1)
        rows = []
        for case, pr in (("baseline", pr0), ("scenario", pr1)):
            for k in SCENARIO_PRODUCTS:
                c = pr[k].components()
                rows.append({"product": k, "case": case, **{n: float(v) for n, v in c.items()}})
        intensities = pd.DataFrame(rows)
        intensities.attrs["units"] = {"direct": "t CO2e/t", "indirect": "t CO2e/t", "precursor": "t CO2e/t",
                                      "total": "t CO2e/t"}
        n0, n1 = sc.national(pr0, prod, p), sc.national(pr1, prod, p)
        emissions = pd.DataFrame({"production_kt": n0["production_kt"], "baseline_direct_mt": n0["direct"],
                                  "scenario_direct_mt": n1["direct"], "baseline_mt": n0["total"],
                                  "scenario_mt": n1["total"]})
        emissions["delta_mt"] = emissions["scenario_mt"] - emissions["baseline_mt"]
        emissions.loc["total"] = emissions.sum()
        emissions.attrs["units"] = {"production_kt": "kt", "*_mt": "Mt CO2e"}
        delta = sc.sector_delta(country, n0, n1)
        costs = self._scenario_costs(s, country, pr0, pr1, p)
        notes = ("Central estimates; intervals come from the CBAM comparison and coverage tables.",
                 "Ammonia and hydrogen have no production series in the pack: their intensities and CBAM costs move, "
                 "national emissions do not.",
                 "A grid change moves only the electricity of the modelled products (electricity generated in the "
                 "country); CCS energy penalties are not modelled.",
                 cb.PRICE_NOTE if s.carbon_price is None else f"carbon price {s.carbon_price:g} EUR/t CO2e")
        return ScenarioResult(s, intensities, emissions, delta, costs, notes)

    def _key_goods(self, country: str) -> list[dict]:
        """The Annex I rows of :data:`KEY_GOODS` a country pays (its own or the fallback), cached per country."""
        def build():
            rows_all = self.defaults()
            mine = rows_all[rows_all["iso3"] == country]
            outside = mine.empty
            if outside:  # a country outside Annex I pays the fallback values
                from engine.sources.cbam import FALLBACK_CODE

                d = self.pack.table("cbam_default_values")
                mine = cb.annex_rows(d[d["iso3"] == FALLBACK_CODE].assign(iso3="ZZZ")).assign(iso3=country)
            out = []
            for sector, cn, desc in KEY_GOODS:
                r = mine[(mine["sector"] == sector) & (mine["cn_code"] == cn)]
                if desc is not None:
                    r = r[r["description"] == desc]
                if r.empty:
                    continue
                r = r.iloc[0]
                key, _ = cb.good_model(r["sector"], r["cn_digits"], r["description"], r["route"])
                if key is None:
                    continue
                out.append({"sector": sector, "cn_code": cn, "cn_digits": r["cn_digits"],
                            "description": r["description"], "route": r["route"],
                            "fallback": bool(r["fallback"]) or outside, "charged": bool(r["indirect_charged"]),
                            "key": key.split("@")[0] + "@mix" if "@" in key else key,  # the scenario moves the mix
                            **{f"default_{y}": float(r[f"default_{y}"]) for y in cb.MARKUP_YEARS}})
            return out

        return self._memo(("key_goods", country), build)

    def _scenario_costs(self, s, country, pr0, pr1, p) -> pd.DataFrame:
        price = self.params["carbon_price"] if s.carbon_price is None else s.carbon_price
        col = f"default_{min(s.cbam_year, 2028)}"
        out = []
        for g in self._key_goods(country):
            bm = self.benchmark(g["cn_digits"], g["route"], s.cbam_year)
            e0 = float(_mix_product(pr0, g["key"], p).total(g["charged"]))
            e1 = float(_mix_product(pr1, g["key"], p).total(g["charged"]))
            cost = lambda see: float(cb.cost_per_tonne(see, bm, s.cbam_year, price, p["cscf"]))  # noqa: E731
            out.append({"sector": g["sector"], "cn_code": g["cn_code"], "description": g["description"],
                        "route": g["route"], "fallback": g["fallback"], "default_value": g[col],
                        "ours_baseline": e0, "ours_scenario": e1, "benchmark": bm, "cost_default": cost(g[col]),
                        "cost_baseline": cost(e0), "cost_scenario": cost(e1)})
        res = pd.DataFrame(out)
        res.attrs.update(import_year=s.cbam_year, price=price, units={"cost_*": "EUR/t", "ours_*": "t CO2e/t",
                                                                      "default_value": "t CO2e/t"})
        return res

    def ledger_effect(self, s: sc.Scenario, gwp: str = "AR5", gases: tuple[str, ...] = GASES) -> pd.DataFrame:
        """The change of every ledger line's production and consumption accounts under a scenario.

        The scenario's :attr:`ScenarioResult.sector_delta` enters the satellite on the input–output sector that
        makes the product; every region's consumption changes by ``(ΔF / x) · L·Y``
        (:func:`engine.industry.scenario.consumption_delta`) and is put on the ledger lines as the ledger does
        (countries inside the rest of the world share it by production).

        Returns
        -------
        DataFrame
            ``code``, ``production_mt_co2e``, ``consumption_mt_co2e`` (baseline), ``production_delta_mt_co2e``,
            ``consumption_delta_mt_co2e`` [Mt CO2e, the GWP set's], lines with a change, largest consumption change
            first. ``attrs``: ``world_production_delta``, ``world_consumption_delta`` (equal to rounding), notes.
        """
        from engine.core.query import Query

        q = Query(year=s.year, gwp=gwp, gases=gases)
        res = self.scenario(s)
        acc = self.accounts
        b = acc.bundle(s.year)
        if b is None:
            raise InputError(f"no input–output table for {s.year}")
        dF = sc.delta_F(res.sector_delta, b.regions, b.sectors, GASES)
        x = b.system.x
        notes = []
        if np.abs(dF[:, x <= 0]).sum() > 0:
            notes.append("a changed sector has no output in the table: its change is not in the consumption accounts")
            dF[:, x <= 0] = 0.0
        dc = sc.consumption_delta(dF, x, b.system.LY)
        w = reweight_factors(q.gwp, q.gases)
        yf = acc.year_frame(s.year)
        codes = list(yf["codes"])
        prod = yf["P"] @ w
        dP = np.zeros_like(prod)
        line = s.country if s.country in codes else None
        if line is None:
            raise NotFoundError(f"{s.country} has no line in the {s.year} ledger")
        gas_delta = res.sector_delta.groupby("gas")["delta_mt_co2e"].sum().reindex(GASES, fill_value=0.0).to_numpy()
        dP[codes.index(line)] = gas_delta @ w
        cons_g, _ = acc.consumption_by_gas(s.year)
        ri = acc.mrio_regions().index("ROW")
        c0 = eq.line_consumption(w @ cons_g, yf["wiod_idx"], yf["row_member"], prod, ri)
        c1 = eq.line_consumption(w @ (cons_g + dc), yf["wiod_idx"], yf["row_member"], prod + dP, ri)
        out = pd.DataFrame({"code": codes, "production_mt_co2e": prod, "consumption_mt_co2e": c0,
                            "production_delta_mt_co2e": dP, "consumption_delta_mt_co2e": c1 - c0})
        out = out[(out["production_delta_mt_co2e"] != 0) | (out["consumption_delta_mt_co2e"].abs() > 1e-12)]
        out = out.reindex(out["consumption_delta_mt_co2e"].abs().sort_values(ascending=False).index)
        out = out.reset_index(drop=True)
        out.attrs.update(world_production_delta=float(dP.sum()), world_consumption_delta=float((c1 - c0).sum()),
                         year=s.year, method=b.method, structure_year=b.structure_year, query=q.to_params(),
                         notes=notes + list(res.notes[:1]),
                         units={"*_mt_co2e": "Mt CO2e yr-1"})
        return out


def _mix_product(pr: dict, key: str, p, x=None) -> routes.Emissions:
    """A product of :func:`routes.country_products` by CBAM key (``crude_steel@mix`` -> ``crude_steel``)."""
    name, _, basis = key.partition("@")
    if basis in ("", "mix"):
        return pr[name]
    return pr[f"{name}_{basis}"]


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise InputError(f"year must be an integer in {sc.YEAR_RANGE[0]}-{sc.YEAR_RANGE[1]}; got {year!r}") from None
    if not sc.YEAR_RANGE[0] <= year <= sc.YEAR_RANGE[1]:
        raise InputError(f"year must be in {sc.YEAR_RANGE[0]}-{sc.YEAR_RANGE[1]}; got {year}")
    return year


def _check_ci(ci) -> int:
    if ci not in CI_LEVELS:
        raise InputError(f"ci must be one of {', '.join(map(str, CI_LEVELS))} (confidence level in %); got {ci!r}")
    return int(ci)
