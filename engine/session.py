"""The Python API: one object over the processed pack for scripts and notebooks.

>>> from engine import Query, open_engine
>>> hc = open_engine()                        # builds the pack on first use (HOLOCARBON_DATA)
>>> ledger = hc.ledger(Query(year=2019))      # pandas DataFrame, one row per region
>>> grid = hc.grid("emissions", year=2019)    # xarray DataArray, 0.1°, t CO2e cell-1 yr-1
>>> flows = hc.flows(year=2011, grouping="mrio")  # bilateral embodied emissions, DataFrame
>>> res = hc.lca(hc.lca_template("pv_module"))  # a product footprint (engine.lca.LcaResult)

Every method takes a :class:`~engine.core.query.Query` or its fields as keywords (``year=2019, gwp="AR6"``); results
carry the Query, units, method and notes in ``.attrs``. Memory cache only (the web app adds its shared cache).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import xarray as xr

from engine.accounts.ledger import Accounts
from engine.core.config import Settings
from engine.core.query import Query
from engine.maps.grids import Grids
from engine.uncertainty.propagate import Uncertainty

#: The runnable example of the README's "Python API" section and the API page (tested: it must run as printed).
PYTHON_EXAMPLE = """\
from engine import Query, open_engine

hc = open_engine()                                   # opens (or first builds) the processed pack
q = Query(year=2019, gwp="AR6", grouping="EU27")

ledger = hc.ledger(q)                                # pandas DataFrame, one row per region
eu = ledger.set_index("region").loc["EU27"]
print(f"EU27 2019: production {eu.production_mt_co2e:,.0f}, consumption {eu.consumption_mt_co2e:,.0f} Mt CO2e")

grid = hc.grid("emissions", q)                       # xarray DataArray, 0.1 degree, t CO2e per cell per year
alps = grid.sel(lat=slice(48, 45), lon=slice(6, 14))
print(alps.dims, alps.shape, grid.attrs["units"])

flows = hc.flows(q.replace(year=2011, grouping="mrio"))   # bilateral embodied emissions, DataFrame
print(flows.head(3).to_string(index=False))

stats = hc.zonal("emissions", region="FRA", q=q, top=3)  # France: total and the three largest cells
print(f"France: {stats['total'] / 1e6:,.0f} Mt CO2e over {stats['n_cells']} cells")
"""

#: The README's uncertainty example (runs after :data:`PYTHON_EXAMPLE`; tested likewise).
UNCERTAINTY_EXAMPLE = """\
q = Query(year=2011, ci=90)
led = hc.ledger(q, intervals=True).set_index("region")
chn = led.loc["CHN"]
print(f"China 2011 consumption {chn.consumption_mt_co2e:,.0f} Mt CO2e "
      f"[{chn.consumption_mt_co2e_lo:,.0f}, {chn.consumption_mt_co2e_hi:,.0f}]")
d = hc.draws(q)                                       # {"regions": [...], "<column>": array (1000 draws, regions)}
att = hc.attribution("CHN", q)                        # which inputs drive the variance, share_pct per group
head = hc.headline(intervals=True)                    # claim_inside / gcb_inside: is each published figure inside?
"""

#: The README's product-footprint example (runs after :data:`PYTHON_EXAMPLE`; tested likewise).
LCA_EXAMPLE = """\
body = hc.lca_template("pv_module")                   # {"scope": {...}, "lines": [...]}, the body POST /api/v1/lca takes
body["scope"]["country"] = "DEU"                      # the same module made in Germany
res = hc.lca(body, draws=1000, seed=0)                # or CSV text with scope=..., or (Scope, Inventory)
print(f"{res.scope.product}: {res.total:,.0f} kg CO2e per kWp [{res.interval[0]:,.0f}, {res.interval[1]:,.0f}]")
print(res.by_country.head(3).to_string(index=False))  # also res.lines, res.paths, res.sensitivity, res.notes
"""


def _query(q: Query | None, fields: dict) -> Query:
    if q is not None and fields:
        return q.replace(**fields)
    return q if q is not None else Query(**fields)


@dataclass(frozen=True)
class Engine:
    """Accounts and grids over one pack (see the module docstring)."""

    settings: Settings
    accounts: Accounts
    grids: Grids
    uncertainty: Uncertainty

    @property
    def pack(self):
        return self.accounts.pack

    # ---- national accounts ---------------------------------------------------------------------------------
    def ledger(self, q: Query | None = None, intervals: bool = False, **fields) -> pd.DataFrame:
        """The panoramic ledger per region (:meth:`engine.accounts.ledger.Accounts.ledger`); with
        ``intervals=True`` each value column gets ``<column>_lo`` and ``<column>_hi`` at the Query's ``ci`` level
        (:meth:`engine.uncertainty.propagate.Uncertainty.ledger`)."""
        q = _query(q, fields)
        return self.uncertainty.ledger(q) if intervals else self.accounts.ledger(q)

    def draws(self, q: Query | None = None, **fields) -> dict:
        """The Monte Carlo draws themselves, for researchers: region labels and, per ledger column, an array of shape
        (draws, regions) [Mt CO2e or Mt CO2] (:meth:`engine.uncertainty.propagate.Uncertainty.region_draws`)."""
        labels, draws = self.uncertainty.region_draws(_query(q, fields))
        return {"regions": list(labels), **draws}

    def attribution(self, region: str, q: Query | None = None, **fields) -> pd.DataFrame:
        """Which inputs drive the variance of a region's accounts (:func:`engine.uncertainty.propagate.attribution`)."""
        from engine.uncertainty.propagate import attribution

        return attribution(self.uncertainty, _query(q, fields), region)

    def production(self, q: Query | None = None, unit: str = "co2e", **fields) -> pd.DataFrame:
        """Production emissions by country, EDGAR sector and gas (:meth:`engine.accounts.ledger.Accounts.production`);
        ``unit="mass"`` gives tonnes of the Query's one gas."""
        return self.accounts.production(_query(q, fields), unit)

    def flows(self, q: Query | None = None, by_sector: bool = False, **fields) -> pd.DataFrame:
        """Bilateral embodied emissions producer → consumer (:meth:`engine.accounts.ledger.Accounts.flows`)."""
        return self.accounts.flows(_query(q, fields), by_sector=by_sector)

    def series(self, region: str, q: Query | None = None, intervals: bool = False, **fields) -> pd.DataFrame:
        """1970–2023 time series of one region (:meth:`engine.accounts.ledger.Accounts.series`), with interval
        columns when ``intervals=True``."""
        q = _query(q, fields)
        return self.uncertainty.series(q, region) if intervals else self.accounts.series(q, region)

    def headline(self, gwp: str = "AR5", intervals: bool = False, ci: int = 90) -> pd.DataFrame:
        """The 2022 headline comparison with the published claim and GCB (:func:`engine.accounts.headline.headline`);
        with ``intervals=True`` the ``ci`` % intervals and whether each published figure lies inside them
        (:func:`engine.uncertainty.propagate.headline_intervals`)."""
        from engine.accounts.headline import headline
        from engine.uncertainty.propagate import headline_intervals

        q = Query(gwp=gwp, ci=ci)
        out = headline(self.accounts, q.gwp)
        if not intervals:
            return out
        iv = headline_intervals(self.uncertainty, q.gwp, q.ci)
        merged = out.merge(iv, on="region", how="left")
        merged.attrs.update(out.attrs)
        merged.attrs.update(iv.attrs)
        return merged

    # ---- product footprints ------------------------------------------------------------------------------
    @property
    def lca_engine(self):
        """The :class:`engine.lca.LCA` over these accounts (built once, held in their memory cache)."""
        from engine.lca import LCA

        return self.accounts.cache.memo(self.accounts._key("lca-engine"), lambda: LCA(self.accounts), shared=False)

    def lca_template(self, name: str) -> dict:
        """A product template (:meth:`engine.lca.LCA.templates` lists them) as ``{"scope": {...}, "lines": [...]}``,
        the body ``POST /api/v1/lca`` takes; edit it and pass it to :meth:`lca`."""
        from engine.lca import LCA

        return LCA.to_json(*self.lca_engine.template(name))

    def lca(self, inventory, scope=None, draws: int = 0, ci: int = 90, seed: int = 0, top_paths: int = 20):
        """The footprint of an inventory (:meth:`engine.lca.LCA.run`): the same inventory as ``POST /api/v1/lca``.

        Parameters
        ----------
        inventory : dict, str, Inventory or (Scope, Inventory)
            ``{"scope": {...}, "lines": [...]}`` (a dict or its JSON text; ``"csv"`` text instead of ``"lines"``),
            CSV text of the lines (header ``kind,name,amount,unit,...``) or an :class:`~engine.lca.Inventory`,
            both with ``scope``; or a (scope, inventory) pair.
        scope : Scope or dict, optional
            Goal and scope for CSV text or an Inventory; with a dict or JSON body it replaces the body's scope.
        draws, ci, seed, top_paths
            Monte Carlo draws (0-5000), confidence level [%], seed and the number of structural paths.

        Returns
        -------
        engine.lca.LcaResult
            ``total`` [kg CO2e per functional unit x amount], ``interval``, ``totals`` by gas, ``lines``,
            ``by_country``, ``by_sector``, ``by_kind``, ``tiers``, ``paths``, ``sensitivity``, ``notes``.

        Raises
        ------
        engine.core.errors.InputError
            A bad scope or line (the message names the line); NotFoundError for an unknown country.
        """
        from engine.core.errors import InputError
        from engine.lca import Inventory, Scope, from_csv

        lca = self.lca_engine
        if isinstance(scope, dict):
            scope = Scope.from_dict(scope)
        if isinstance(inventory, tuple) and len(inventory) == 2:
            scope_, inv = inventory
        elif isinstance(inventory, Inventory):
            scope_, inv = None, inventory
        elif isinstance(inventory, dict) or (isinstance(inventory, str) and inventory.lstrip().startswith("{")):
            scope_, inv = lca.from_json(inventory)
        elif isinstance(inventory, str):
            scope_, inv = None, from_csv(inventory)
        else:
            raise InputError("inventory must be a dict or JSON text with scope and lines, CSV text, an Inventory or "
                             f"a (Scope, Inventory) pair; got {type(inventory).__name__}")
        scope = scope if scope is not None else scope_
        if scope is None:
            raise InputError("CSV text or an Inventory needs scope= (a Scope or a dict: product, amount, unit, "
                             "country, year, ...)")
        return lca.run(scope, inv, draws=draws, ci=ci, seed=seed, top_paths=top_paths)

    # ---- grids ---------------------------------------------------------------------------------------------
    def grid(self, layer: str = "emissions", q: Query | None = None, sector: str = "all", unit: str = "co2e",
             consumer: str | None = None, variant: str = "all", **fields) -> xr.DataArray:
        """A 0.1° layer (:data:`engine.maps.layers.LAYER_IDS`) as an xarray DataArray [t cell⁻¹ yr⁻¹]; ``consumer``
        and ``variant`` are the footprint layer's (:data:`engine.maps.layers.LAYER_PARAMS`), ignored by the others."""
        return self.grids.layer(layer, _query(q, fields), sector, unit, consumer=consumer, variant=variant)

    def zonal(self, layer: str = "emissions", region: str | None = None, bbox=None, q: Query | None = None,
              sector: str = "all", top: int = 10, unit: str = "co2e", consumer: str | None = None,
              variant: str = "all", **fields) -> dict:
        """Total, mean and top cells of a layer over a region or box (:func:`engine.maps.zonal.zonal_stats`); the
        footprint layer's ``consumer`` and ``variant`` are passed on (the other layers ignore them)."""
        from engine.maps.zonal import BBox, zonal_stats

        if bbox is not None and not isinstance(bbox, BBox):
            bbox = BBox(*bbox)
        grids = self.grids.with_params(consumer=consumer, variant=variant)
        return zonal_stats(grids, layer, _query(q, fields), region, bbox, sector, top, unit)


def open_engine(settings: Settings | None = None, build: bool = True) -> Engine:
    """Open the processed pack (building it first when ``build`` and it is missing or stale).

    Raises
    ------
    engine.core.errors.PackError
        When the pack is missing and ``build`` is False, or cannot be built (the message says why).
    """
    from engine.data.pack import Pack, ensure_pack, pack_key

    settings = settings or Settings.from_env()
    pack = ensure_pack(settings, show_progress=False) if build else Pack.open(settings.pack_root / pack_key())
    accounts = Accounts(pack)
    return Engine(settings, accounts, Grids(accounts), Uncertainty(accounts))
