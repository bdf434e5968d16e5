"""The layer registry: every map layer declared once.

A :class:`Layer` holds everything the rest of the app needs to know about a layer — its id, title and short label,
the unit and gas basis, the years it covers, the Query fields it depends on, the pack items and public sources it is
made from, how it was made (measured grid, downscaled, modelled), the colour map id of its tiles, and the function
that computes it. The Atlas layer menu, legends and source lines, the API's ``layer`` parameter and method flags,
NetCDF attributes and the captions of map exports are all generated from :data:`LAYERS` (issue 11: before, a layer's
facts were spread over six places).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from engine.core.query import GWP_LABELS, YEAR_RANGE, Query

#: Pack items every downscaled layer needs (country raster, proxies).
CONTEXT_ITEMS = ("country_raster_0p1", "country_index", "proxy_population_0p1", "proxy_power_0p1",
                 "proxy_agriculture_0p1", "proxy_land_0p1", "proxy_forest_crop_0p1", "proxy_fuel_exploitation_0p1",
                 "proxy_fuel_exploitation_co2_0p1", "proxy_industry_0p1")
#: How a layer was made.
#: The point datasets behind the Fuel Exploitation and industry proxies (:mod:`engine.maps.proxies`).
POINT_SOURCES = ("gem_coal_mines", "gem_oil_gas_fields", "viirs_flares_2017", "gem_steel_plants", "icmm_mining")
KINDS = ("downscaled", "modelled", "gridded source")
#: Deepest zoom of the Atlas map (MapLibre zoom, a 512 px world at zoom 0): a 0.1° cell is 36 px wide there (at 45°
#: latitude 26 px). Closer, the map would only show bigger squares of the same numbers, so the map stops here.
MAX_MAP_ZOOM = 8
#: The Query fields a layer can depend on (with ``sector``), in the order they are described.
CHOICES = ("year", "sector", "gases", "gwp", "luc_model")


@dataclass(frozen=True)
class Layer:
    """One map layer.

    Attributes
    ----------
    id : str
        URL and API id (``emissions``).
    title : str
        Full title (legends, NetCDF ``long_name``, export captions).
    label : str
        Short label of the Atlas layer menu.
    basis : str
        ``CO2e`` (the Query's gases weighted by its GWP set) or ``CO2``.
    kind : str
        One of :data:`KINDS`: ``downscaled`` (national totals spread with proxies), ``modelled`` (a global total
        distributed by a modelled pattern), ``gridded source`` (a published grid).
    source_text : str
        One line naming the sources and the method (Atlas source line).
    method : str
        The method in a phrase (``attrs["method"]`` of the computed layer).
    sources : tuple of str
        Registry ids of the public sources it is made from.
    items : tuple of str
        Pack items it is computed from (to say why a layer cannot be drawn).
    uses : tuple of str
        Query fields (and ``sector``) that change it; the others are ignored (and disabled on the Atlas).
    years : (int, int)
        First and last year covered.
    resolution_deg : float
        Resolution of the information in the layer [degree] (a 1° source shown on the 0.1° grid says 1).
    colormap : str
        Id of the tile colour map (presentation, ``components/render/colormaps.py``).
    compute : callable
        ``compute(grids, query, sector, unit) -> xarray.DataArray`` [t cell⁻¹ yr⁻¹].
    modelled_sink : bool
        Contains a modelled distribution of a global sink.
    domain : str
        ``"land"`` or ``"ocean"`` when the layer has values only there (the rest is transparent, which a legend must
        not let read as "zero"), ``""`` for both.
    params : tuple of str
        Parameters of the layer beyond the Query and ``sector`` (:data:`LAYER_PARAMS`), passed to ``compute`` as
        keywords (the footprint layer's ``consumer`` and ``variant``); other layers ignore them.
    value_units : str
        Units of a layer whose cells are not tonnes (``"%"`` for the uncertainty layer); empty for t cell⁻¹ yr⁻¹.
    additive : bool
        Whether cells add up (tonnes do; a relative uncertainty in % does not: a zone's total of it means nothing).
    """

    id: str
    title: str
    label: str
    basis: str
    kind: str
    source_text: str
    method: str
    sources: tuple[str, ...]
    items: tuple[str, ...]
    uses: tuple[str, ...]
    compute: Callable = field(repr=False, compare=False)
    years: tuple[int, int] = YEAR_RANGE
    resolution_deg: float = 0.1
    colormap: str = ""
    modelled_sink: bool = False
    domain: str = ""
    params: tuple[str, ...] = ()
    value_units: str = ""
    additive: bool = True

    def applies(self, choice: str) -> bool:
        """Whether a choice (a Query field or ``sector``) changes this layer; the others are ignored by it.

        Raises
        ------
        ValueError
            For a name that is not one of :data:`CHOICES`.
        """
        if choice not in CHOICES:
            raise ValueError(f"choice must be one of {', '.join(CHOICES)}; got {choice!r}")
        return choice in self.uses

    def ignored(self) -> tuple[str, ...]:
        """The choices of :data:`CHOICES` this layer does not depend on (disabled on the Atlas)."""
        return tuple(c for c in CHOICES if c not in self.uses)

    def effective(self, q: Query) -> Query:
        """The Query with every field the layer ignores set to its default, so that equal maps share one cache key
        (an ocean-sink tile is the same whatever gases are ticked)."""
        default = Query()
        keep = {f: getattr(q, f) for f in ("year", "gwp", "gases", "luc_model") if f in self.uses}
        return default.replace(**keep)

    def describe(self, q: Query, sector: str = "all") -> str:
        """What the layer shows for a Query, naming only the choices it depends on (captions, legends, exports):
        ``"2022 · all sectors · CO2+CH4+N2O+F-gases as CO2e (AR5 GWP100)"``, ``"2015 · CO2"``."""
        parts = [str(q.year)]
        if "sector" in self.uses:
            parts.append("all sectors" if sector == "all" else sector)
        if "gases" in self.uses:
            gases = "+".join(q.gases)
            parts.append(f"{gases} ({GWP_LABELS[q.gwp]})" if q.gases == ("CO2",) or "gwp" not in self.uses
                         else f"{gases} as CO2e ({GWP_LABELS[q.gwp]})")
        else:
            parts.append(self.basis)
        if "luc_model" in self.uses:
            parts.append(f"land-use change: {'mean of the GCB models' if q.luc_model == 'mean' else q.luc_model}")
        return " · ".join(parts)

    @property
    def cell_text(self) -> str:
        """The cell its values are per, in words (``"1° cell"`` for a 1° source shown on the 0.1° grid)."""
        return f"{self.resolution_deg:g}° cell"

    @property
    def cell_factor(self) -> float:
        """0.1° cells per cell of the layer's own resolution [1]: a 1° source's value per 1° cell is its 0.1° grid
        value times this (100)."""
        return round((self.resolution_deg / 0.1) ** 2, 6)

    @property
    def units(self) -> str:
        """Units of the layer's cells [t cell⁻¹ yr⁻¹ of CO2 or CO2e], or :attr:`value_units` when set (``%``)."""
        return self.value_units or f"t {self.basis} cell-1 yr-1"

    def check_unit(self, unit: str, gases: tuple[str, ...]) -> None:
        """Refuse a unit the layer cannot give: ``mass`` of a CO2e layer needs one gas that has a mass (CH4, not
        F-gases); CO2 layers are already in tonnes of CO2.

        Raises
        ------
        ValueError
            Naming the allowed units or gases.
        """
        from engine.core.gwp import UNITS, mass_gas

        if unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(UNITS)}; got {unit!r}")
        if self.basis == "CO2e":
            mass_gas(unit, gases)

    @property
    def downscaled(self) -> bool:
        return self.kind == "downscaled"

    def covers(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]

    def check_year(self, year: int) -> None:
        """Raise ValueError naming the layer's years for a year outside them."""
        if not self.covers(year):
            raise ValueError(f"the {self.id} layer covers {self.years[0]}–{self.years[1]}; got {year}")

    def no_map_text(self, year: int) -> str | None:
        """The sentence shown instead of a map for a year the layer does not cover (never another layer's map under
        this one's name), or None when it covers the year."""
        if self.covers(year):
            return None
        return f"{self.short} covers {self.years[0]}–{self.years[1]}; no map for {year}."

    @property
    def short(self) -> str:
        """The layer's name without its parenthesis (``"Fossil CO2 — CDIAC reference"``)."""
        return self.label.split(" (")[0]


_EMISSIONS_ITEMS = ("edgar_ghg_by_sector",) + CONTEXT_ITEMS
_LUC_ITEMS = ("gcb_luc_by_model",) + CONTEXT_ITEMS
_OCEAN_ITEMS = ("takahashi_flux_annual", "proxy_land_0p1", "gcb_global_budget")
_LAND_ITEMS = ("proxy_land_sink_0p1", "gcb_global_budget")

#: The registry, in menu order.
LAYERS: tuple[Layer, ...] = (
    Layer("emissions", "Greenhouse-gas emissions (downscaled EDGAR)", "Emissions (downscaled EDGAR)", "CO2e",
          "downscaled",
          "EDGAR 2024 national totals downscaled with WRI power plants, GEM coal mines, oil and gas fields and steel "
          "plants, VIIRS flare sites, ICMM smelters, GPWv4 population refined by GeoNames cities and MODIS built-up "
          "and cropland, and MODIS cropland/grassland (modelled).",
          "EDGAR 2024 national totals downscaled with spatial proxies (modelled)",
          ("edgar2024", "wri_gppd", *POINT_SOURCES,
           "gpw4_1deg", "modis_mcd12c1_2019", "natural_earth"), _EMISSIONS_ITEMS,
          ("year", "gwp", "gases", "sector"), lambda g, q, s, u: g.emissions(q, s, u), colormap="emissions"),
    Layer("cdiac", "Fossil CO2, CDIAC NDP-058 (observed-based reference, 1°)",
          "Fossil CO2 — CDIAC reference (1990–2013)", "CO2", "gridded source",
          "CDIAC NDP-058 (Andres et al. 2016), 1° grid shown as 1° blocks; observed-based reference.",
          "CDIAC NDP-058 1° grid (national totals spread by population), observed-based", ("cdiac_ndp058",),
          ("cdiac_fossil_co2",), ("year",), lambda g, q, s, u: g.cdiac(q.year), years=(1990, 2013), resolution_deg=1.0,
          colormap="cdiac", domain="land"),
    Layer("ocean_sink", "Net sea–air CO2 flux: Takahashi 2000 climatology, uptake scaled to the GCB ocean sink",
          "Ocean net CO2 flux (Takahashi 2000, uptake scaled to GCB)", "CO2", "modelled",
          "Takahashi et al. (2009) net sea–air flux for the reference year 2000 (1°; coastal gaps filled up to 3° "
          "from the nearest climatology cells); the uptake cells are scaled so the total is the GCB 2024 ocean sink "
          "of the year, the natural outgassing (tropics, upwelling) is kept as observed (modelled).",
          "Takahashi et al. (2009) reference-year-2000 net flux, coastal gaps filled (<= 3 deg, through water), "
          "uptake cells scaled to the GCB 2024 ocean sink, outgassing kept as observed (modelled distribution)",
          ("takahashi2009", "gcb2024", "modis_mcd12c1_2019"), _OCEAN_ITEMS, ("year",),
          lambda g, q, s, u: g.ocean_sink(q.year),
          years=(1970, 2023), resolution_deg=1.0, colormap="ocean_sink", modelled_sink=True, domain="ocean"),
    Layer("land_sink", "Land CO2 uptake (forest-cover proxy scaled to GCB; no disturbance, no sources)", "Land sink",
          "CO2", "modelled",
          "MODIS 2019 forest/savanna × Pan et al. (2011) biome densities blended smoothly across the biome boundaries, "
          "scaled to the GCB 2024 land sink (modelled: where forests are, not where they grow or burn this year).",
          "MODIS 2019 forest + 0.3 x savanna x Pan et al. (2011) biome densities blended over +/-6 deg of latitude "
          "around the biome boundaries, scaled to the GCB 2024 land sink (modelled distribution; shows where forest "
          "is, weighted by a biome mean; cannot show disturbance, fire, harvest, forest age, droughts or year-to-year "
          "change)", ("modis_mcd12c1_2019", "gcb2024"), _LAND_ITEMS, ("year",),
          lambda g, q, s, u: g.land_sink(q.year), colormap="land_sink", modelled_sink=True, domain="land"),
    Layer("luc", "Land-use change CO2 (GCB, spread over forest and cropland)", "Land-use change", "CO2",
          "downscaled",
          "GCB 2024 national land-use change (bookkeeping models) spread over forest and cropland (modelled).",
          "GCB 2024 national land-use change spread over MODIS forest and cropland (modelled distribution)",
          ("gcb2024", "modis_mcd12c1_2019", "natural_earth"), _LUC_ITEMS, ("year", "luc_model"),
          lambda g, q, s, u: g.luc(q), colormap="luc", domain="land"),
    Layer("net_flux", "Net flux: emissions + land-use change − sinks", "Net flux (emissions + LUC − sinks)", "CO2e",
          "downscaled", "Downscaled emissions + land-use change − modelled land and ocean sinks.",
          "downscaled emissions + land-use change − modelled land and ocean sinks",
          ("edgar2024", "gcb2024", "takahashi2009", "modis_mcd12c1_2019", "wri_gppd", *POINT_SOURCES,
           "gpw4_1deg", "natural_earth"),
          tuple(dict.fromkeys(_EMISSIONS_ITEMS + _LUC_ITEMS + _LAND_ITEMS + _OCEAN_ITEMS)),
          ("year", "gwp", "gases", "luc_model"), lambda g, q, s, u: g.net_flux(q, u), colormap="net_flux",
          modelled_sink=True),
)
_FOOTPRINT_ITEMS = tuple(dict.fromkeys(_EMISSIONS_ITEMS + ("wiod_labels", "wiod_fd_labels", "jrc_co2")))
#: Parameters a layer may take beyond the Query and ``sector`` (``Layer.params``) with their defaults.
LAYER_PARAMS = {"consumer": None, "variant": "all"}
LAYERS = LAYERS + (
    Layer("footprint", "Emissions caused by a region's consumption (footprint)", "Footprint (consumption)",
          "CO2e", "modelled",
          "WIOD 2013 input-output model with EDGAR 2024 emissions; each producing region's share spread with the "
          "production map's sector proxies (modelled; WIOD's RoW spread over its countries by their EDGAR "
          "production; 2012-2023 nowcast on the 2011 structure).",
          "MRIO embodied emissions (WIOD 2013 x EDGAR 2024) by producing region and sector, downscaled with the "
          "production map's sector proxies (modelled)",
          ("wiod2013", "jrc_wiod_co2", "edgar2024", "wri_gppd", *POINT_SOURCES,
           "gpw4_1deg", "modis_mcd12c1_2019", "natural_earth"),
          _FOOTPRINT_ITEMS, ("year", "gwp", "gases", "sector"),
          lambda g, q, s, u, **kw: g.footprint(q, s, u, **kw), years=(1995, YEAR_RANGE[1]), colormap="emissions",
          params=("consumer", "variant")),
)
LAYERS = LAYERS + (
    Layer("uncertainty", "Relative uncertainty of the emissions map (95 %, per cell)", "Uncertainty of emissions (%)",
          "CO2e", "modelled",
          "Solazzo et al. (2021) 95 % ranges by country, sector and gas and each spatial proxy's own uncertainty "
          "(data/proxy_uncertainty.csv), combined in quadrature per cell weighted by each part's share of the "
          "cell's emissions (modelled).",
          "inventory ranges (Solazzo et al. 2021) and proxy uncertainty (data/proxy_uncertainty.csv) in quadrature, "
          "weighted by each sector-gas's and proxy's share of the cell's emissions (modelled)",
          ("solazzo2021_uncertainty", "edgar2024", "wri_gppd", *POINT_SOURCES,
           "gpw4_1deg", "modis_mcd12c1_2019", "natural_earth"),
          _EMISSIONS_ITEMS + ("solazzo_uncertainty",), ("year", "gwp", "gases", "sector"),
          lambda g, q, s, u: g.uncertainty(q, s, u), colormap="uncertainty", domain="land", value_units="%",
          additive=False),
)
#: Layer id -> layer.
BY_ID: dict[str, Layer] = {lay.id: lay for lay in LAYERS}
#: Every layer id, in menu order.
LAYER_IDS: tuple[str, ...] = tuple(BY_ID)


def get(layer_id: str) -> Layer:
    """The layer of an id.

    Raises
    ------
    ValueError
        For an unknown id (the message lists the layers).
    """
    try:
        return BY_ID[layer_id]
    except (KeyError, TypeError):
        raise ValueError(f"layer must be one of {', '.join(LAYER_IDS)}; got {layer_id!r}") from None
