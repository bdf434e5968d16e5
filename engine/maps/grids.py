"""The layers of the 0.1° maps, computed on demand from national totals (:class:`Grids`).

Every layer of the registry (:mod:`engine.maps.layers`) is an ``xarray.DataArray`` (``lat`` north→south, ``lon``
west→east, cell centres, 1800 × 3600) with ``attrs["units"]`` in t cell⁻¹ yr⁻¹.

Sinks (:mod:`engine.maps.sinks`): ocean — the Takahashi et al. (2009) annual flux climatology with its coastal gaps
filled, the uptake cells scaled each year so that the map sums to the GCB ocean sink and the outgassing kept as
observed; land — the land-cover proxy (``proxy_land_sink_0p1``, biome densities blended smoothly across the biome
boundaries), scaled to the GCB land sink; land-use change — each country's
GCB value spread over its forest and cropland area. Net flux = emissions + land-use change − land sink − ocean sink.
These sink maps are modelled distributions of global totals, labelled as such.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from engine.accounts import natural
from engine.accounts import regions as regions_mod
from engine.core.gwp import emission_weights
from engine.core.query import GASES, Query
from engine.core.units import C_TO_CO2, MASS_IN_T, T_PER_MT
from engine.maps import layers
from engine.maps.grid import (
    LAT,
    LON,
    NLAT,
    NLON,
    PACKED_PROXIES,
    RES,
    SECTORS,
    GridContext,
    build_context,
    cell_areas_km2,
    downscale_arrays,
    proxy_masks,
    sector_gas_proxies,
    to_dataarray,
)
from engine.maps.gridmath import cell_area_m2


class Grids:
    """Layer computations over a pack and the ledger engine (:class:`engine.accounts.ledger.Accounts`).

    Layers, pyramids and the proxy context (tens of MB each) live in a small memory-only LRU (``self.big``);
    rendered tiles (tens of kB) go to a memory LRU in front of the workers' shared cache (``self.cache``): a tile
    renders in ~1 ms once its layer exists, but another server worker may not have that layer yet (40 ms to
    seconds to compute), so a tile rendered by one worker is read by the others from the shared backend (measured
    with ``bench/load.py``); browsers revalidate with ETags.
    """

    #: Layers and pyramids kept per process (26 MB per layer, ~35 MB per pyramid): one net-flux year needs six
    #: items (its four input layers, itself and its pyramid), so 20 keep a user stepping through net-flux years from
    #: recomputing every input (bench/load.py saw 12 thrash under load); ~0.6 GB at most, inside the 2 GB budget.
    BIG_ITEMS = 20

    def __init__(self, accounts, big_items: int = BIG_ITEMS, tile_items: int = 4000):
        from engine.core.cache import TieredCache

        self.accounts = accounts
        self.pack = accounts.pack
        self.big = TieredCache(memory_items=big_items)
        self.cache = TieredCache(memory_items=tile_items, shared=accounts.cache.shared)

    def _key(self, *parts) -> str:
        return self.accounts._key("grid", *parts)

    def _layer_memo(self, key: str, build) -> xr.DataArray:
        """A layer through the per-process memory cache; its values are read-only, since every request of the
        process shares them (a caller that needs to change values copies them first)."""
        def frozen():
            da = build()
            da.values.flags.writeable = False
            return da

        return self.big.memo(key, frozen, shared=False)

    def context(self) -> GridContext:
        def build():
            raster = self.pack.grid("country_raster_0p1").values
            index = self.pack.table("country_index")
            prox = {p: self.pack.grid(f"proxy_{p}_0p1").values.ravel()
                    for p in PACKED_PROXIES}
            land = self.pack.grid("proxy_land_0p1").values.astype(np.float64)
            prox["land"] = (land * cell_areas_km2()[:, None]).ravel()
            prox["forest_crop"] = self.pack.grid("proxy_forest_crop_0p1").values.ravel()
            return build_context(raster, index, self.accounts.entity_map(), prox)

        return self.big.memo(self._key("context"), build, shared=False)

    # ---- layers ---------------------------------------------------------------------------------------------
    def emissions(self, q: Query, sector: str = "all", unit: str = "co2e") -> xr.DataArray:
        """Downscaled EDGAR emissions for the Query's year, gases and GWP set [t CO2e cell⁻¹ yr⁻¹], or with
        ``unit="mass"`` in tonnes of the one gas chosen [t CH4 cell⁻¹ yr⁻¹].

        Raises
        ------
        ValueError
            For an unknown sector (the message lists them) or a unit the gases cannot have
            (:func:`engine.core.gwp.mass_gas`).
        """
        if sector != "all" and sector not in SECTORS:
            raise ValueError(f"sector must be 'all' or one of {', '.join(SECTORS)}; got {sector!r}")
        weights, basis, gas_attrs = emission_weights(q.gwp, q.gases, unit)

        def build():
            codes, sectors, arr = self.accounts.sector_year(q.year)
            E = arr * (weights * T_PER_MT)  # (code, sector, gas) [t]
            keep = codes != regions_mod.BUNKERS
            codes, E = codes[keep], E[keep]
            if sector != "all":
                E = E * np.array([s == sector for s in sectors], dtype=float)[None, :, None]
            # each (sector, gas) pair on its proxy: Fuel Exploitation's CO2 and its methane go to different places
            totals = {p: np.einsum("csg,sg->c", E, m) for p, m in proxy_masks(sectors).items()}
            flat, unplaced = downscale_arrays(self.context(), codes, totals)
            lay = layers.get("emissions")
            return to_dataarray(flat, "emissions", f"t {basis} cell-1 yr-1",
                                long_name=lay.title, sector=sector, query=q.to_query_string(),
                                unplaced_t=float(sum(unplaced.values())), unplaced_codes=",".join(sorted(unplaced)),
                                total_t=float(sum(v.sum() for v in totals.values())),
                                method=lay.method, **gas_attrs)

        return self._layer_memo(self._key("emissions", repr(q.replace(perspective="consumption", grouping="countries",
                                                                       members=())), sector, unit), build)

    def cdiac(self, year: int) -> xr.DataArray:
        """CDIAC NDP-058 fossil CO2 at 1°, shown on the 0.1° grid (each 1° value split evenly over its 100 cells)
        [t CO2 cell⁻¹ yr⁻¹].

        Raises
        ------
        ValueError
            Outside 1990–2013.
        """
        lay = layers.get("cdiac")
        if not lay.covers(year):
            raise ValueError(f"the CDIAC grid covers {lay.years[0]}–{lay.years[1]}; got {year}")

        def build():
            g = self.pack.grid("cdiac_fossil_co2").sel(year=year).values.astype(np.float64)  # Tg C per 1° cell
            fine = np.repeat(np.repeat(g * MASS_IN_T["Tg"] * C_TO_CO2 / 100.0, 10, axis=0), 10, axis=1)
            return to_dataarray(fine.ravel().astype(np.float32), "cdiac", lay.units, long_name=lay.title, year=year,
                                method=lay.method, gas="CO2")

        return self._layer_memo(self._key("cdiac", year), build)

    def ocean_pattern(self) -> dict:
        """The year-independent parts of the ocean layer (:mod:`engine.maps.sinks`), built once per process:
        ``flux_1deg`` (Takahashi 2000 annual flux with the coastal gaps filled, NaN = no data) [g C m⁻² yr⁻¹],
        ``status_1deg`` (:data:`engine.maps.sinks.STATUS_TEXT` codes) [1], and on the 0.1° grid the climatological
        ``uptake`` and ``outgassing`` of each cell's water area [t CO2 cell⁻¹ yr⁻¹] (float32, flat)."""
        from engine.maps import sinks

        def build():
            raw = self.pack.grid("takahashi_flux_annual")
            land01 = self.pack.grid("proxy_land_0p1").values.astype(np.float64)
            if self.pack.has("takahashi_land_fraction"):  # the climatology's own land mask
                land1 = self.pack.grid("takahashi_land_fraction").values
            else:  # a pack without it (tests): the MODIS land fraction of each 1° cell
                land1 = land01.reshape(NLAT // 10, 10, NLON // 10, 10).mean(axis=(1, 3))
            flux, status = sinks.ocean_fill(raw.values, land1)
            fine = np.repeat(np.repeat(flux, 10, axis=0), 10, axis=1)  # g C m-2 yr-1 of the 1° parent
            water = 1.0 - land01
            area = cell_area_m2(LAT, RES, RES)[:, None] * water  # water area of each 0.1° cell [m2]
            up, out = sinks.uptake_outgassing(fine, area)  # g C cell-1 yr-1
            to_t = C_TO_CO2 / 1e6
            up, out = (up * to_t).astype(np.float32).ravel(), (out * to_t).astype(np.float32).ravel()
            return {"flux_1deg": flux, "status_1deg": status, "uptake": up, "outgassing": out,
                    "uptake_t": float(up.sum(dtype=np.float64)), "outgassing_t": float(out.sum(dtype=np.float64)),
                    "filled_cells": int((status == sinks.FILLED).sum()),
                    "no_data_cells": int((status == sinks.NO_DATA).sum())}

        return self.big.memo(self._key("ocean_fill_pattern"), build, shared=False)

    def ocean_sink(self, year: int) -> xr.DataArray:
        """Net ocean CO2 uptake, positive = uptake [t CO2 cell⁻¹ yr⁻¹]: the Takahashi et al. (2009) reference-year
        2000 flux with its coastal gaps filled, the uptake cells scaled so that the sum is the GCB ocean sink of the
        year and the outgassing cells kept as observed (:mod:`engine.maps.sinks`). Seas the climatology does not
        cover are 0 in the values and ``no data`` in :meth:`cell_info` (``attrs["no_data_cells"]``)."""
        from engine.maps import sinks

        def build():
            pat = self.ocean_pattern()
            sink_t = natural.global_sinks(self.pack.table("gcb_global_budget"), year)["ocean_sink"] * T_PER_MT
            u_tot, o_tot = pat["uptake_t"], pat["outgassing_t"]
            k = sinks.uptake_factor(sink_t, u_tot, o_tot)
            flat = pat["uptake"] * np.float32(k)
            flat -= pat["outgassing"]
            lay = layers.get("ocean_sink")
            return to_dataarray(flat, "ocean_sink", lay.units, long_name=lay.title, year=year,
                                total_t=float(sink_t), method=lay.method, gas="CO2", uptake_factor=k,
                                climatology_uptake_t=u_tot, climatology_outgassing_t=o_tot,
                                filled_cells_1deg=pat["filled_cells"], no_data_cells_1deg=pat["no_data_cells"],
                                fill_steps_deg=sinks.FILL_STEPS, reference_year=2000)

        return self._layer_memo(self._key("ocean_net", year), build)

    def land_sink(self, year: int) -> xr.DataArray:
        """Land CO2 uptake: the land-cover proxy of :mod:`engine.accounts.natural` scaled to the GCB land sink, positive =
        uptake [t CO2 cell⁻¹ yr⁻¹]."""
        def build():
            shares = self.pack.grid("proxy_land_sink_0p1").values.ravel()
            sink_t = natural.global_sinks(self.pack.table("gcb_global_budget"), year)["land_sink"] * T_PER_MT
            flat = shares * np.float32(sink_t)
            lay = layers.get("land_sink")
            return to_dataarray(flat.astype(np.float32), "land_sink", lay.units, long_name=lay.title, year=year,
                                total_t=float(sink_t), method=lay.method, gas="CO2")

        return self._layer_memo(self._key("land", year), build)

    def luc(self, q: Query) -> xr.DataArray:
        """National land-use-change CO2 (GCB model or mean) spread over forest + cropland area [t CO2 cell⁻¹ yr⁻¹]."""
        def build():
            s = self.accounts.luc(q.year, q.luc_model)
            flat, unplaced = downscale_arrays(self.context(), s.index.to_numpy(dtype=str),
                                              {"forest_crop": s.to_numpy() * T_PER_MT})
            lay = layers.get("luc")
            return to_dataarray(flat, "luc", lay.units, long_name=lay.title, year=q.year, luc_model=q.luc_model,
                                unplaced_t=float(sum(unplaced.values())), method=lay.method, gas="CO2")

        return self._layer_memo(self._key("luc", q.year, q.luc_model), build)

    def net_flux(self, q: Query, unit: str = "co2e") -> xr.DataArray:
        """Emissions (Query gases, GWP) + land-use change − land sink − ocean sink [t CO2e cell⁻¹ yr⁻¹]; with
        ``unit="mass"`` and one gas, in tonnes of that gas (the CO2 fluxes count only when the gas is CO2)."""
        _, basis, gas_attrs = emission_weights(q.gwp, q.gases, unit)

        def build():
            e = self.emissions(q, "all", unit).values.copy()
            if "CO2" in q.gases:  # float32 in place: four 26 MB arrays, no float64 temporaries
                e += self.luc(q).values
                e -= self.land_sink(q.year).values
                e -= self.ocean_sink(q.year).values
            lay = layers.get("net_flux")
            return to_dataarray(e.ravel(), "net_flux", f"t {basis} cell-1 yr-1", long_name=lay.title,
                                query=q.to_query_string(), method=lay.method, **gas_attrs)

        return self._layer_memo(self._key("net", repr(q.replace(perspective="consumption", grouping="countries",
                                                                 members=())), unit), build)

    def uncertainty_inputs(self) -> dict:
        """The year-independent inputs of the uncertainty layer, built once per process: ``ranges`` (the Solazzo
        et al. 2021 ranges of :meth:`engine.uncertainty.propagate.Uncertainty.ranges`), ``fgas_half_width_90`` and
        ``proxy`` (:func:`engine.maps.uncertainty_map.proxy_uncertainty`)."""
        from engine.maps.uncertainty_map import proxy_uncertainty
        from engine.uncertainty.propagate import Uncertainty

        def build():
            acc = self.accounts
            unc = acc.cache.memo(acc._key("uncertainty-engine"), lambda: Uncertainty(acc), shared=False)
            return {"ranges": unc.ranges(), "fgas_half_width_90": float(unc.params["fgas_half_width_90"]),
                    "proxy": proxy_uncertainty()}

        return self.big.memo(self._key("uncertainty_inputs"), build, shared=False)

    def uncertainty(self, q: Query, sector: str = "all", unit: str = "co2e") -> xr.DataArray:
        """Relative 95 % uncertainty of each cell of the emissions map of the same Query and sector [%]: inventory
        ranges by country, sector and gas and the proxies' own uncertainty, in quadrature weighted by each part's
        share of the cell (:mod:`engine.maps.uncertainty_map`); 0 where the map has no emissions (``attrs``
        say so).

        Raises
        ------
        ValueError
            For an unknown sector or a unit the gases cannot have.
        """
        from engine.maps.uncertainty_map import inventory_halfwidths, relative_uncertainty

        if sector != "all" and sector not in SECTORS:
            raise ValueError(f"sector must be 'all' or one of {', '.join(SECTORS)}; got {sector!r}")
        weights, basis, gas_attrs = emission_weights(q.gwp, q.gases, unit)

        def build():
            codes, sectors, arr = self.accounts.sector_year(q.year)
            inp = self.uncertainty_inputs()
            U = self.big.memo(self._key("uncertainty_halfwidths", hash((tuple(codes), tuple(sectors)))),
                              lambda: inventory_halfwidths(inp["ranges"], codes, sectors, inp["fgas_half_width_90"]),
                              shared=False)
            E = arr * weights[None, None, :] * T_PER_MT  # (code, sector, gas) [t]
            if sector != "all":
                E = E * np.array([s == sector for s in sectors], dtype=float)[None, :, None]
            keep = codes != regions_mod.BUNKERS
            rel = relative_uncertainty(self.context(), codes[keep], E[keep], U[keep], proxy_masks(sectors),
                                       self.uncertainty_inputs()["proxy"])
            lay = layers.get("uncertainty")
            rel *= np.float32(100.0)
            return to_dataarray(rel, "uncertainty", lay.units, long_name=lay.title,
                                sector=sector, query=q.to_query_string(), method=lay.method,
                                interval="95 % half-width relative to the cell's emissions",
                                zero_means="no emissions in the cell (no uncertainty defined)", **gas_attrs)

        return self._layer_memo(self._key("uncertainty", repr(layers.get("uncertainty").effective(q)), sector, unit),
                                build)

    def footprint(self, q: Query, sector: str = "all", unit: str = "co2e", consumer: str | None = None,
                  variant: str = "all") -> xr.DataArray:
        """Emissions caused by a consumer's final demand, where they are emitted [t CO2e cell⁻¹ yr⁻¹] (or tonnes of
        the one gas with ``unit="mass"``); :mod:`engine.maps.footprint`. ``attrs`` carry the consumer, the variant,
        ``unplaced_bunker_t`` (bunker fuel in the account, not on the grid), ``share_abroad``, ``modelled`` and the
        ledger's ``io_method`` (mrio or nowcast).

        Without a consumer, :data:`engine.maps.footprint.DEFAULT_CONSUMER`.

        Raises
        ------
        ValueError
            Unknown consumer (``allowed`` lists the codes), unknown variant or sector, a year before 1995.
        """
        from engine.maps.footprint import Footprints, check_variant

        fp = Footprints(self)
        layers.get("footprint").check_year(q.year)
        consumer = fp.check_consumer(consumer, q.year)
        check_variant(variant)

        def build():
            flat, basis, attrs = fp.layer(q, consumer, variant, sector, unit)
            return to_dataarray(flat, "footprint", f"t {basis} cell-1 yr-1", **attrs)

        eq = layers.get("footprint").effective(q)
        return self._layer_memo(self._key("footprint", repr(eq), consumer, variant, sector, unit), build)

    def layer(self, name: str, q: Query, sector: str = "all", unit: str = "co2e", **params) -> xr.DataArray:
        """Any layer of the registry by id (:data:`engine.maps.layers.LAYER_IDS`); ``params`` are the layer's own
        parameters (:data:`engine.maps.layers.LAYER_PARAMS`: the footprint's ``consumer`` and ``variant``), ignored by
        the layers that have none.

        Raises
        ------
        ValueError
            Unknown layer (lists the layers), or a year outside the layer's coverage.
        """
        lay = layers.get(name)
        lay.check_unit(unit, q.gases)
        kw = {k: v for k, v in params.items() if k in lay.params and v is not None}
        return lay.compute(self, q, sector, unit, **kw) if lay.params else lay.compute(self, q, sector, unit)

    def with_params(self, **params) -> "GridsWithParams":
        """This object with layer parameters bound (``consumer``, ``variant``): functions written for
        ``grids.layer(name, q, sector, unit)`` (zonal statistics, subsets) then compute the footprint of that consumer."""
        unknown = sorted(set(params) - set(layers.LAYER_PARAMS))
        if unknown:
            raise ValueError(f"layer parameters are {', '.join(layers.LAYER_PARAMS)}; got {unknown[0]!r}")
        return GridsWithParams(self, tuple(sorted((k, v) for k, v in params.items() if v is not None)))

    def levels(self, name: str, q: Query, sector: str = "all", **params) -> list[np.ndarray]:
        """The tile pyramid of a layer (memoised with the layer). Block means of the cells; for a layer whose cells do
        not add up (:attr:`engine.maps.layers.Layer.additive`: the uncertainty in %) the mean over the block's cells
        that have a value, so a coastal or desert block is not diluted by its empty cells."""
        from engine.maps.pyramid import pyramid

        lay = layers.get(name)
        extra = tuple(f"{k}={params[k]}" for k in lay.params if params.get(k) is not None)
        key = self._key("pyramid", name, repr(q.replace(perspective="consumption", grouping="countries", members=())),
                        sector if "sector" in lay.uses else "-", *extra)

        def build():
            values = self.layer(name, q, sector, **params).values
            if lay.additive:
                return pyramid(values)
            sums, counts = pyramid(values), pyramid((values != 0).astype(np.float32))
            with np.errstate(divide="ignore", invalid="ignore"):  # level 0 is the grid itself (a count of 0 or 1)
                return sums[:1] + [np.where(c > 0, v / c, np.float32(0.0)) for v, c in zip(sums[1:], counts[1:])]

        return self.big.memo(key, build, shared=False)

    def unavailable(self, name: str) -> str | None:
        """Why a layer cannot be computed (the failed source's message, naming the file and the fix), or None."""
        for item in layers.get(name).items:
            if not self.pack.has(item):
                return self.pack.failure_for(item)
        return None

    def national_sums(self, grid: xr.DataArray) -> pd.Series:
        """Sum of a layer over each entity's cells [the layer's unit × cells]."""
        ctx = self.context()
        s = np.bincount(ctx.ent, weights=grid.values.ravel()[ctx.cells].astype(np.float64), minlength=len(ctx.codes))
        return pd.Series(s, index=ctx.codes)

    def cell_info(self, name: str, q: Query, lat: float, lon: float, sector: str = "all",
                  unit: str = "co2e", **params) -> dict:
        """Value of one cell with its units, country and (for emissions) sector breakdown.

        Raises
        ------
        ValueError
            Latitude or longitude out of range.
        """
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"lat must be in [-90, 90] and lon in [-180, 180]; got {lat}, {lon}")
        row = min(int((90 - lat) / RES), NLAT - 1)
        col = min(int((lon + 180) / RES), NLON - 1)
        grid = self.layer(name, q, sector, unit, **params)
        flat = row * NLON + col
        ctx = self.context()
        k = np.searchsorted(ctx.cells, flat)
        code = str(ctx.codes[ctx.ent[k]]) if k < len(ctx.cells) and ctx.cells[k] == flat else None
        out = {"layer": name, "lat": float(LAT[row]), "lon": float(LON[col]), "value": float(grid.values[row, col]),
               "units": grid.attrs["units"], "country": code,
               "country_name": self.accounts.names().get(code, code) if code else None, "breakdown": []}
        if name == "emissions" and code:
            prod = self.accounts.production(q, unit)
            col = "emissions_mt" if unit == "mass" else "emissions_mt_co2e"
            nat = prod[prod["code"] == code].groupby(["sector", "gas"])[col].sum()
            proxy_of = sector_gas_proxies()
            for s in SECTORS if sector == "all" else (sector,):
                v = sum(float(nat.get((s, g), 0.0)) * T_PER_MT * float(ctx.norm[p][k])
                        for g, p in zip(GASES, proxy_of[s]))
                if v:
                    out["breakdown"].append({"sector": s, "value": v})
            out["breakdown"].sort(key=lambda d: -d["value"])
        if name == "ocean_sink":
            out.update(self.ocean_cell(min(int(90 - lat), 179), min(int(lon + 180), 359)))
        return out

    def ocean_cell(self, row1: int, col1: int) -> dict:
        """What the ocean layer knows of a 1° cell (row and column from the north-west): ``ocean_status``
        (:data:`engine.maps.sinks.STATUS_TEXT`), and the Takahashi et al. (2009) flux as published (reference year
        2000, negative = uptake; filled cells: the fill's value; None where no data) ``takahashi_flux_g_c_m2_yr``
        [g C m⁻² yr⁻¹]."""
        from engine.maps import sinks

        pat = self.ocean_pattern()
        code = int(pat["status_1deg"][row1, col1])
        f = float(pat["flux_1deg"][row1, col1])
        return {"ocean_status": {sinks.LAND: "land", sinks.CLIMATOLOGY: "climatology", sinks.FILLED: "filled",
                                 sinks.NO_DATA: "no data"}[code],
                "ocean_status_text": sinks.STATUS_TEXT[code],
                "takahashi_flux_g_c_m2_yr": f if np.isfinite(f) else None}


class GridsWithParams:
    """A :class:`Grids` with layer parameters bound (:meth:`Grids.with_params`): ``layer``, ``levels`` and
    ``cell_info`` pass them on; everything else is the grids' own."""

    def __init__(self, grids: Grids, params: tuple):
        self._grids = grids
        self.params = dict(params)

    def __getattr__(self, name):
        return getattr(self._grids, name)

    def layer(self, name: str, q: Query, sector: str = "all", unit: str = "co2e") -> xr.DataArray:
        return self._grids.layer(name, q, sector, unit, **self.params)

    def levels(self, name: str, q: Query, sector: str = "all") -> list[np.ndarray]:
        return self._grids.levels(name, q, sector, **self.params)

    def cell_info(self, name: str, q: Query, lat: float, lon: float, sector: str = "all", unit: str = "co2e") -> dict:
        return self._grids.cell_info(name, q, lat, lon, sector, unit, **self.params)
