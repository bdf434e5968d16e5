"""The panoramic ledger: production, consumption (input–output model), transfers, land-use change and natural sinks
for any Query.

:class:`Accounts` is the thin orchestrator: it reads the pack (through :mod:`engine.accounts.inputs`), builds one
labelled input–output system per year (:mod:`engine.io.tables`, :mod:`engine.io.system`) with the EDGAR satellite
(:mod:`engine.io.satellite`), applies the ledger equations (:mod:`engine.accounts.equations`) and caches through
the one cache layer. Per accounting year it caches one :class:`YearBundle` — the embodied-emission flows *per gas*
(producing region-sector × consuming region) — so a change of GWP set, gases or region boundaries is a weighted sum
over four gases and a group-by over ~220 lines (milliseconds), and only a new year costs a solve (one LU
factorisation of I − A and one solve per region).

Methods per year (the ``method`` column, :func:`engine.io.nowcast.method_for`):

- ``mrio`` (1995–2011): WIOD 2013 table of that year, EDGAR emissions of that year.
- ``nowcast`` (2012–2023): the 2011 table's structure (A, L and final-demand shares) with that year's EDGAR
  emissions — labelled "structure of 2011" wherever shown.
- ``production-only`` (1970–1994): no table; consumption, transfers and panoramic are left empty.

Countries inside the model's "rest of the world" get a consumption account by sharing RoW's consumption in
proportion to their production (flag ``row_share``); sums over any grouping remain exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.accounts import equations as eq
from engine.accounts import inputs, natural
from engine.accounts import regions as regions_mod
from engine.core.cache import TieredCache
from engine.core.gwp import FGAS_NOTE, emission_weights, reweight_factors
from engine.core.query import GASES, LUC_MODELS, YEAR_RANGE, Query
from engine.io import iomath, satellite
from engine.io.nowcast import METHOD_NOTES, MRIO_YEARS, demand_growth, method_for
from engine.io.system import Extension, IOSystem
from engine.io.tables import MRIOTables

__all__ = ["Accounts", "METHOD_NOTES", "MRIO_YEARS", "YearBundle", "method_for"]


@dataclass(frozen=True)
class YearBundle:
    """Everything per gas for one accounting year (GWP- and boundary-independent); arrays are read-only (shared by
    every request of the process).

    Attributes
    ----------
    system : IOSystem
        The table (nowcast: the structure year's technology with scaled final demand) with the ``ghg`` and
        ``ghg_bunkers`` extensions.
    flows : ndarray (4, n_regions*n_sectors, n_regions)
        Emissions by gas, producing region-sector, consuming region [Mt CO2e, AR5 as published].
    h : ndarray (4, n_regions)
        Direct household emissions [Mt CO2e].
    territorial : ndarray (4, n_regions)
        EDGAR production of each model region, without bunkers [Mt CO2e].
    bunkers : ndarray (4,)
        International aviation and shipping [Mt CO2e].
    bunker_cons : ndarray (4, n_regions)
        The part of each region's consumption account that is international bunker fuel [Mt CO2e].
    f, M : ndarray (4, n_regions*n_sectors)
        Intensities [Mt CO2e (M USD)⁻¹] and multipliers f·L [Mt CO2e (M USD)⁻¹].
    x : ndarray (n_regions*n_sectors,)
        Gross output of the structure year [M USD].
    shares : AllocationShares
        How the year's EDGAR emissions were allocated to the table (reused by the uncertainty draws).
    E, B : ndarray (n_regions, 8, 4), (2, 4)
        EDGAR emissions by model region, sector and gas, and the bunkers [Mt CO2e].
    """

    year: int
    structure_year: int
    method: str
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    flows: np.ndarray
    h: np.ndarray
    territorial: np.ndarray
    bunkers: np.ndarray
    bunker_cons: np.ndarray
    f: np.ndarray
    M: np.ndarray
    x: np.ndarray
    fallbacks: tuple
    system: IOSystem | None = None
    shares: satellite.AllocationShares | None = None
    E: np.ndarray | None = None
    B: np.ndarray | None = None


def _read_only(*arrays: np.ndarray) -> None:
    for a in arrays:
        a.flags.writeable = False


class Accounts:
    """Ledger computations over a processed pack, cached through one :class:`~engine.core.cache.TieredCache`.

    Parameters
    ----------
    pack : engine.data.pack.Pack
    cache : TieredCache, optional
        Memory-only when omitted.
    """

    def __init__(self, pack, cache: TieredCache | None = None):
        from engine.data.fingerprint import code_namespace

        self.pack = pack
        self.cache = cache or TieredCache()
        #: Every cache key starts with the pack key and the fingerprint of the code and authored tables, so answers
        #: cached in the shared backend by another version of the code are never read.
        self.namespace = f"{pack.key}-{code_namespace()}"

    def _key(self, *parts) -> str:
        return ":".join(["hc", self.namespace, *map(str, parts)])

    # ---- static tables ------------------------------------------------------------------------------------
    def tables(self) -> MRIOTables:
        """Labels and years of the pack's input–output tables."""
        return self.cache.memo(self._key("mrio_tables"), lambda: MRIOTables.from_pack(self.pack), shared=False)

    def mrio_regions(self) -> tuple[str, ...]:
        """The model's regions as ISO3 (the rest of the world as ``ROW``), in table order."""
        return self.tables().regions

    def entity_map(self) -> dict[str, str]:
        return self.cache.memo(self._key("entity_map"), inputs.entity_map, shared=False)

    def names(self) -> dict[str, str]:
        """Code -> display name (EDGAR country names; groups and special lines)."""
        def build():
            e = self.pack.table("edgar_ghg_totals")
            out = dict(zip(e["iso3"], e["country"]))
            out.update(regions_mod.GROUP_NAMES)
            out["OTHER"] = "Other and disputed areas (GCB)"
            return out

        return self.cache.memo(self._key("names"), build, shared=False)

    # ---- per-year inputs ------------------------------------------------------------------------------------
    def country_year(self, year: int) -> pd.DataFrame:
        """Per ledger line (countries, ``BUNKERS``) of one year: production per gas [Mt CO2e] and population."""
        def build():
            allp = self.cache.memo(self._key("country_gas_all"),
                                   lambda: inputs.production_by_gas_all(self.pack.table("edgar_ghg_by_sector")),
                                   shared=False)
            return inputs.country_year(allp, self.pack.table("edgar_ghg_totals"),
                                       self.pack.table("edgar_ghg_per_capita"), year)

        self._check_year(year)
        return self.cache.memo(self._key("country_year", year), build)

    def _check_year(self, year: int) -> None:
        Query(year=year)  # raises ValueError naming the valid range

    def gdp(self) -> pd.DataFrame:
        """GDP per country and year implied by EDGAR's totals and per-GDP intensities [k USD, EDGAR basis]."""
        return self.cache.memo(self._key("gdp"), lambda: inputs.gdp_table(
            self.pack.table("edgar_ghg_totals"), self.pack.table("edgar_ghg_per_gdp")), shared=False)

    def demand_growth(self, base_year: int, year: int) -> np.ndarray:
        """Real GDP growth of each model region from the structure year to ``year`` [1] (:mod:`engine.io.nowcast`)."""
        return demand_growth(self.gdp(), self.mrio_regions(), base_year, year, regions_mod.ROW)

    def sink_shares(self) -> pd.Series:
        """Share of the global land sink attributed to each ledger line (land-cover proxy) [1]."""
        def build():
            raster = self.pack.grid("country_raster_0p1")
            if self.pack.has("proxy_land_sink_0p1"):
                w = self.pack.grid("proxy_land_sink_0p1").values.astype(np.float64)
            else:  # a pack without derived items (tests): compute the same weights
                lat = raster["lat"].values
                dlat = float(abs(lat[0] - lat[1]))
                w = natural.land_sink_cell_weights(self.pack.grid("modis_fractions_0p1"), lat, dlat, dlat)
            return inputs.sink_shares(raster.values, self.pack.table("country_index"), w, self.entity_map())

        return self.cache.memo(self._key("sink_shares"), build)

    def luc_table(self) -> dict[str, pd.DataFrame]:
        """Land-use change per model (and the mean) as year × ledger-line tables [Mt CO2 yr⁻¹], built once."""
        return self.cache.memo(self._key("luc_table"), lambda: inputs.luc_tables(
            self.pack.table("gcb_luc_by_model"), self.entity_map()), shared=False)

    def luc(self, year: int, model: str) -> pd.Series:
        """Land-use-change emissions per ledger line [Mt CO2 yr⁻¹] (GCB model or mean).

        Raises
        ------
        ValueError
            For an unknown model or a year outside the GCB table.
        """
        if model not in LUC_MODELS:
            raise ValueError(f"luc_model must be one of {', '.join(LUC_MODELS)}; got {model!r}")
        t = self.luc_table()[model]
        if year not in t.index:
            raise ValueError(f"no GCB land-use change data for {year} ({t.index.min()}–{t.index.max()})")
        return t.loc[year].dropna()

    def sector_year(self, year: int) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
        """(codes, EDGAR sectors, emissions[code, sector, gas]) of one year [Mt CO2e, AR5 as published], cached."""
        self._check_year(year)
        return self.cache.memo(self._key("sector_year", year),
                               lambda: inputs.sector_year(self.pack.table("edgar_ghg_by_sector"), year), shared=False)

    # ---- the input–output bundle --------------------------------------------------------------------------
    def bundle(self, year: int) -> YearBundle | None:
        """The per-gas input–output bundle of a year (None before 1995)."""
        method, structure = method_for(year)
        if structure is None:
            return None
        return self.cache.memo(self._key("bundle", year), lambda: self._build_bundle(year, structure, method))

    def system(self, year: int) -> IOSystem:
        """The input–output system of an accounting year: the year's table, or for a nowcast year the structure
        year's technology with each region's final demand scaled by its GDP growth (:mod:`engine.io.nowcast`)."""
        method, structure = method_for(year)
        if structure is None:
            raise ValueError(f"no input–output table before {MRIO_YEARS[0]}; got {year}")
        base = self.tables().system(self.pack, structure)
        return base.scaled_demand(self.demand_growth(structure, year), year) if method == "nowcast" else base

    def _build_bundle(self, year: int, structure: int, method: str) -> YearBundle:
        system = self.system(year)
        regs, sectors, x = system.regions, system.sectors, system.x
        mask, j2w = satellite.load_concordances(sectors)
        e = self.pack.table("edgar_ghg_by_sector")
        E, B = satellite.edgar_region_array(e[(e["year"] == year) & ~e["is_aggregate"]], regs)
        P = satellite.jrc_proxy(self.pack.table("jrc_co2"), j2w, year, regs, x, sectors)
        shares = satellite.allocation_shares(E, P, x, mask, sectors)
        F, h, F_b = satellite.apply_allocation(E, B, shares)
        sat = satellite.Satellite(F=F, h=h, territorial=E.sum(axis=1).T.copy(), bunkers=B.sum(axis=0),
                                  F_bunkers=F_b, fallback_regions=shares.fallback_regions)
        system = system.with_extension(Extension("ghg", GASES, "Mt CO2e", sat.F, sat.h)).with_extension(
            Extension("ghg_bunkers", GASES, "Mt CO2e", sat.F_bunkers, np.zeros_like(sat.h)))
        f = iomath.calc_f(sat.F, x)
        LY = system.LY
        b = YearBundle(
            year=year, structure_year=structure, method=method, regions=regs, sectors=sectors,
            flows=iomath.embodied_flows(f, LY), h=sat.h, territorial=sat.territorial, bunkers=sat.bunkers,
            bunker_cons=iomath.consumption_accounts(iomath.calc_f(sat.F_bunkers, x), LY, 0.0),
            f=f, M=iomath.calc_M(f, system.lu), x=x, fallbacks=sat.fallback_regions, system=system,
            shares=shares, E=E, B=B,
        )
        _read_only(b.flows, b.h, b.territorial, b.bunkers, b.bunker_cons, b.f, b.M, b.x, b.E, b.B)
        return b

    def consumption_by_gas(self, year: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(consumption, bunker part) per gas and model region of a year [Mt CO2e], from the pack's precomputed
        ``ledger_series`` when present (no solve), else from the year's bundle; None before 1995."""
        if method_for(year)[1] is None:
            return None
        if self.pack.has("ledger_series"):
            s = self.pack.arrays("ledger_series")
            i = int(year - s["years"][0])
            if 0 <= i < len(s["years"]) and s["years"][i] == year:
                return s["cons"][i], s["bunk"][i]
        b = self.bundle(year)
        return b.flows.sum(axis=1) + b.h, b.bunker_cons

    # ---- the ledger ----------------------------------------------------------------------------------------
    def year_frame(self, year: int) -> dict:
        """Query-independent arrays of one year, aligned on the ledger lines (countries, BUNKERS, OTHER).

        Keys: ``codes`` (n,), ``P`` production per gas (n, 4) [Mt CO2e], ``population`` (n,), ``luc`` dict model ->
        (n,) [Mt CO2], ``sink_share`` (n,) [1], ``land_sink`` [Mt CO2], ``wiod_idx`` (n,) model region index or -1,
        ``row_member`` (n,) bool.
        """
        def build():
            cy = self.country_year(year)
            luc = {m: self.luc(year, m) for m in LUC_MODELS}
            sink = self.sink_shares()
            codes = cy.index.union(luc["mean"].index).union(sink.index)
            inside = {r: i for i, r in enumerate(self.mrio_regions()) if r != regions_mod.ROW}
            return {
                "codes": np.asarray(codes, dtype=object),
                "P": cy[list(GASES)].reindex(codes).fillna(0.0).to_numpy(),
                "population": cy["population"].reindex(codes).to_numpy(dtype=float),
                "luc": {m: v.reindex(codes).fillna(0.0).to_numpy() for m, v in luc.items()},
                "sink_share": sink.reindex(codes).fillna(0.0).to_numpy(),
                "land_sink": natural.global_sinks(self.pack.table("gcb_global_budget"), year)["land_sink"],
                "wiod_idx": np.array([inside.get(c, -1) for c in codes]),
                "row_member": np.array([c not in inside and c != regions_mod.BUNKERS for c in codes]),
            }

        return self.cache.memo(self._key("year_frame", year), build, shared=False)

    def _line_values(self, q: Query) -> dict[str, np.ndarray]:
        """Per-line values of every ledger term for a Query (numpy, aligned on ``year_frame(...)["codes"]``)."""
        yf = self.year_frame(q.year)
        w = reweight_factors(q.gwp, q.gases)
        prod = yf["P"] @ w
        n = len(prod)
        cons = np.full(n, np.nan)
        bunk = np.full(n, np.nan)
        cb = self.consumption_by_gas(q.year)
        if cb is not None:
            cons_g, bunk_g = cb
            ri = self.mrio_regions().index(regions_mod.ROW)
            cons = eq.line_consumption(w @ cons_g, yf["wiod_idx"], yf["row_member"], prod, ri)
            bunk = eq.line_consumption(w @ bunk_g, yf["wiod_idx"], yf["row_member"], prod, ri)
        co2 = "CO2" in q.gases
        return {
            "production_mt_co2e": prod,
            "consumption_mt_co2e": cons,
            "transfer_mt_co2e": eq.transfer(cons, prod),
            "bunkers_in_consumption_mt_co2e": bunk,
            "luc_mt_co2": yf["luc"][q.luc_model] if co2 else np.zeros(n),
            "land_sink_mt_co2": yf["sink_share"] * yf["land_sink"] if co2 else np.zeros(n),
            "population": yf["population"],
        }

    def country_ledger(self, q: Query) -> pd.DataFrame:
        """The ledger per country line (before grouping) for a Query, indexed by code; see :meth:`ledger`."""
        yf = self.year_frame(q.year)
        method, structure = method_for(q.year)
        out = pd.DataFrame(self._line_values(q), index=pd.Index(yf["codes"], name="code"))
        out["method"] = method
        out["structure_year"] = structure
        out["row_share"] = yf["row_member"] & (method != "production-only")
        return out

    def _groups(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """(region labels, inverse index of each line) for the Query's grouping."""
        def build():
            codes = self.year_frame(q.year)["codes"]
            part = regions_mod.partition(codes, q, self.mrio_regions())
            labels, inverse = np.unique(part.to_numpy(dtype=str), return_inverse=True)
            return labels, inverse

        key = self._key("groups", q.year, q.grouping, ",".join(q.members), q.name)
        return self.cache.memo(key, build, shared=False)

    def ledger(self, q: Query) -> pd.DataFrame:
        """The panoramic ledger per region of the Query's grouping.

        Returns
        -------
        DataFrame
            One row per region: ``region, name, production_mt_co2e, consumption_mt_co2e, transfer_mt_co2e``
            [Mt CO2e yr⁻¹, Query GWP set], ``bunkers_in_consumption_mt_co2e`` (international bunker fuel embodied
            in the consumption account), ``luc_mt_co2, land_sink_mt_co2`` [Mt CO2 yr⁻¹; sink positive = removal],
            ``panoramic_mt_co2e`` (consumption + LUC − land sink), ``adjustment_pct`` (consumption vs production
            [%]), ``population`` [persons], per-capita columns [t CO2e person⁻¹ yr⁻¹], ``method`` (mrio / nowcast /
            production-only), ``structure_year``, ``row_share`` (some consumption shared from the model's RoW
            region by production), ``n_members``. ``attrs`` carry the Query, units and notes.
        """
        vals = self._line_values(q)
        labels, inv = self._groups(q)
        k = len(labels)
        sums = {col: (eq.group_sum_known(v, inv, k) if col == "population" else eq.group_sum(v, inv, k))
                for col, v in vals.items()}
        method, structure = method_for(q.year)
        yf = self.year_frame(q.year)
        sums["population"] = np.round(sums["population"])
        names = self.names()
        cols = {"region": labels,
                "name": [q.name if (q.grouping == "custom" and r == q.name) else names.get(r, r) for r in labels]}
        cols.update(sums)  # one DataFrame at the end: a series builds 54 of these
        cols["n_members"] = np.bincount(inv, minlength=k)
        cols["row_share"] = np.bincount(inv, weights=yf["row_member"].astype(float), minlength=k) > 0
        cols["method"] = [method] * k
        cols["structure_year"] = [structure] * k
        prod = sums["production_mt_co2e"]
        cols["panoramic_mt_co2e"] = eq.panoramic(sums["consumption_mt_co2e"], sums["luc_mt_co2"],
                                                 sums["land_sink_mt_co2"])
        cols["adjustment_pct"] = eq.adjustment_pct(sums["transfer_mt_co2e"], prod)
        for col in ("production", "consumption", "panoramic"):
            cols[f"{col}_t_per_capita"] = eq.per_capita(np.asarray(cols[f"{col}_mt_co2e"]), sums["population"])
        if method == "production-only":
            cols["row_share"] = np.zeros(k, dtype=bool)
        out = pd.DataFrame(cols)
        out = out.sort_values("production_mt_co2e", ascending=False, ignore_index=True)
        out.attrs.update(self._attrs(q, method, structure))
        return out

    def series(self, q: Query, region: str) -> pd.DataFrame:
        """Time series 1970–2023 of one region of the Query's grouping (every other choice as in the Query).

        Returns
        -------
        DataFrame
            ``year`` and the ledger columns (consumption NaN before 1995).

        Raises
        ------
        ValueError
            If the region is not a region of the grouping (names the closest ones).
        """
        rows = []
        for y in range(YEAR_RANGE[0], YEAR_RANGE[1] + 1):
            led = self.ledger(q.replace(year=y))
            hit = led[led["region"] == region]
            if hit.empty:
                regions_mod.check_codes([region], set(led["region"]))
                continue
            rows.append(hit.iloc[0])
        out = pd.DataFrame(rows).reset_index(drop=True)
        out.insert(0, "year", range(YEAR_RANGE[0], YEAR_RANGE[0] + len(out)))
        out.attrs.update(self._attrs(q, "mixed", None))
        return out

    def production(self, q: Query, unit: str = "co2e") -> pd.DataFrame:
        """Production (territorial) emissions by line, EDGAR sector and gas for a Query.

        Parameters
        ----------
        unit : str
            ``co2e`` (the Query's GWP set) or ``mass`` (tonnes of the one gas of the Query: CO2, CH4 or N2O).

        Returns
        -------
        DataFrame
            ``code, sector, gas, emissions_mt_co2e`` [Mt CO2e yr⁻¹ in the Query's GWP set; F-gases as published],
            or with ``unit="mass"`` ``emissions_mt`` [Mt of the gas yr⁻¹], for the selected gases; bunkers as
            ``BUNKERS``.

        Raises
        ------
        ValueError
            A bad year, or a unit the gases cannot have (:func:`engine.core.gwp.mass_gas`).
        """
        self._check_year(q.year)
        weights, basis, gas_attrs = emission_weights(q.gwp, q.gases, unit)
        col = "emissions_mt_co2e" if unit == "co2e" else "emissions_mt"
        e = self.pack.table("edgar_ghg_by_sector")
        d = e[(e["year"] == q.year) & ~e["is_aggregate"] & e["gas"].isin(q.gases)]
        w = dict(zip(GASES, weights))
        out = pd.DataFrame({"code": inputs.line_codes(d["iso3"]).to_numpy(), "sector": d["sector"].to_numpy(),
                            "gas": d["gas"].to_numpy(),
                            col: d["emissions_mt_co2e"].to_numpy() * d["gas"].map(w).to_numpy()})
        out = out.groupby(["code", "sector", "gas"], as_index=False)[col].sum()
        out.attrs.update(self._attrs(q, *method_for(q.year)))
        if unit == "mass":
            out.attrs["units"] = {col: f"Mt {basis} yr-1"}
        out.attrs.update(unit=unit, **gas_attrs)
        return out

    def flows(self, q: Query, by_sector: bool = False) -> pd.DataFrame:
        """Bilateral embodied emissions, producing region → consuming region (model regions mapped to the grouping).

        Parameters
        ----------
        by_sector : bool
            Keep the producing sector (the table's sector codes) as a column.

        Returns
        -------
        DataFrame
            ``producer, consumer, [sector,] emissions_mt_co2e`` [Mt CO2e yr⁻¹], zero flows dropped. Household
            direct emissions appear as producer = consumer with sector ``HH``. Empty before 1995.
        """
        b = self.bundle(q.year)
        cols = ["producer", "consumer"] + (["sector"] if by_sector else []) + ["emissions_mt_co2e"]
        if b is None:
            out = pd.DataFrame(columns=cols)
            out.attrs.update(self._attrs(q, *method_for(q.year)))
            return out
        w = reweight_factors(q.gwp, q.gases)
        regs = list(b.regions)
        part = regions_mod.partition(regs + [regions_mod.BUNKERS], q, self.mrio_regions())
        if q.grouping != "mrio":  # countries outside the model's regions are inside RoW for bilateral flows
            part[regions_mod.ROW] = regions_mod.ROW
        labels = part.reindex(regs).to_numpy(dtype=str)
        uniq, inv = np.unique(labels, return_inverse=True)
        k, n_sec = len(uniq), len(b.sectors)
        F = np.einsum("g,gnr->nr", w, b.flows).reshape(len(regs), n_sec, len(regs))
        agg = np.zeros((k, n_sec + 1, k))  # producer group, sector (+HH), consumer group
        np.add.at(agg, (inv[:, None, None], np.arange(n_sec)[None, :, None], inv[None, None, :]), F)
        np.add.at(agg, (inv, n_sec, inv), w @ b.h)
        sectors = np.array([*b.sectors, satellite.HH_LABEL])
        if not by_sector:
            agg = agg.sum(axis=1, keepdims=True)
        p_i, s_i, c_i = np.nonzero(agg)
        out = pd.DataFrame({"producer": uniq[p_i], "consumer": uniq[c_i]})
        if by_sector:
            out["sector"] = sectors[s_i]
        out["emissions_mt_co2e"] = agg[p_i, s_i, c_i]
        out = out[out["emissions_mt_co2e"] != 0].sort_values("emissions_mt_co2e", ascending=False, ignore_index=True)
        out.attrs.update(self._attrs(q, *method_for(q.year)))
        return out

    def _attrs(self, q: Query, method: str, structure: int | None) -> dict:
        notes = [METHOD_NOTES[method].format(structure_year=structure)]
        if "F-gases" in q.gases:
            notes.append(FGAS_NOTE)
        if "CO2" not in q.gases:
            notes.append("Land-use change and the land sink are CO2 fluxes: they are zero when CO2 is not selected.")
        notes.append("Land sink attributed with a land-cover proxy (MODIS 2019 x Pan et al. 2011 biome densities), "
                     "scaled to the GCB land sink: a modelled attribution, not a measurement.")
        return {"query": q.to_params(), "query_text": q.describe(), "method": method, "structure_year": structure,
                "notes": notes, "units": {"*_mt_co2e": "Mt CO2e yr-1", "*_mt_co2": "Mt CO2 yr-1",
                                          "*_t_per_capita": "t CO2e person-1 yr-1", "population": "persons"}}

    def world_check(self, q: Query) -> dict[str, float]:
        """World production, consumption (and their relative difference) for a Query [Mt CO2e]."""
        v = self._line_values(q)
        p, c = float(v["production_mt_co2e"].sum()), float(np.nansum(v["consumption_mt_co2e"]))
        return {"production": p, "consumption": c, "relative_difference": abs(c - p) / p if p else 0.0}
