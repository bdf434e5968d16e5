"""Process routes: the embedded emissions of one tonne of steel, cement, aluminium, ammonia, urea and hydrogen, each a
small pure function of the parameters (``data/industry_parameters.csv``), the grid intensity and the scenario's
overrides (route shares, clinker ratio, kiln fuel mix, CCS capture rate, smelter power).

Every function takes a parameter mapping ``p`` whose values are floats (central estimate) or arrays of Monte Carlo
draws (:meth:`engine.industry.parameters.Parameters.draw`), and a grid factor that may carry a country axis
(shape ``(countries, 1)``); results broadcast, so one call gives every country and draw at once.

Boundary (as Regulation (EU) 2023/956 Annex IV and IR (EU) 2025/2547 count embedded emissions): the direct
emissions of the production process of the good, the indirect emissions of the electricity it uses, and the
embedded emissions of the relevant precursors consumed per tonne (clinker in cement; pig iron or DRI in crude steel;
crude steel in rolled products; unwrought aluminium in aluminium products; ammonia in urea). Alumina is not a
CBAM good and is left out of aluminium unless asked for. Whether the indirect part is *charged* depends on the good
(:mod:`engine.industry.cbam`); the functions return both.

Equations (per tonne of product; ``g`` grid factor [t CO2e MWh⁻¹]):

- indirect = electricity × g;
- clinker: process = calcination factor; combustion = kiln heat × Σ fuel share × EF (biomass zero-rated);
- cement: clinker ratio × clinker (precursor) + grinding electricity;
- crude steel: Σ route share × route, where BF-BOF = hot metal × pig iron (precursor) + converter, DRI-EAF =
  DRI per t × DRI (precursor; gas, coal or hydrogen) + EAF, scrap EAF = EAF with a scrap charge;
- rolled products: yield × crude steel (precursor) + reheating fuel and rolling electricity;
- primary aluminium: anode CO2 (process) + PFC (F-gases) + other fuels + smelter electricity × smelter grid;
- ammonia: the coal/gas mix of direct CO2 (a process share and a fuel share) + electricity; urea: 0.567 t ammonia
  (precursor) + synthesis; the CO2 bound in urea is not deducted (reported by :func:`urea_fixed_co2`);
- hydrogen: fossil (gas/coal mix) or electrolysis at the grid mix;
- CCS: a capture rate removes that share of the process CO2 (``scope="process"``) or of all direct CO2
  (``scope="all"``) of every stage, precursors included; PFCs are not captured; the energy penalty of capture is not
  modelled.

References
----------
1. IEA (2020) Iron and Steel Technology Roadmap, Paris.
2. European Commission JRC (2013) Best Available Techniques Reference Document for Iron and Steel Production.
3. GCCA, Getting the Numbers Right (GNR), 2016 data; WBCSD CSI (2011) Cement CO2 and Energy Protocol v3.0.
4. IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 2 Ch. 2 and Vol. 3 Ch. 2 and 4.
5. International Aluminium Institute (2021) Aluminium Sector Greenhouse Gas Pathways to 2050.
6. IEA (2021) Ammonia Technology Roadmap; IEA (2019) The Future of Hydrogen.
7. Vogl, V., Åhman, M., Nilsson, L. J. (2018) J. Clean. Prod. 203:736-745, doi:10.1016/j.jclepro.2018.08.279.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

import numpy as np

from engine.core.errors import InputError
from engine.industry.parameters import KILN_FUELS

#: Crude steel routes of a route mix.
STEEL_ROUTES = ("bf_bof", "dri_gas", "dri_coal", "dri_h2", "scrap_eaf")
#: What CCS capture applies to.
CCS_SCOPES = ("process", "all")
#: Products :func:`country_products` returns.
PRODUCTS = ("sinter", "pig_iron", "dri", "crude_steel", "crude_steel_bf_bof", "crude_steel_dri_eaf",
            "crude_steel_scrap_eaf", "steel_product", "steel_article", "clinker", "cement", "cement_portland",
            "aluminium_primary", "aluminium_secondary", "al_product_primary", "al_product_secondary", "ammonia",
            "urea", "hydrogen")


@dataclass(frozen=True)
class Emissions:
    """Embedded emissions of one tonne of product by component [t CO2e t⁻¹; electricity MWh t⁻¹].

    Fields are floats or arrays that broadcast (draws, countries). ``precursor_*`` hold the embedded emissions of
    the precursors consumed per tonne, split the same way as the own process.
    """

    process: Any = 0.0
    combustion: Any = 0.0
    fgas: Any = 0.0
    electricity: Any = 0.0
    indirect: Any = 0.0
    precursor_process: Any = 0.0
    precursor_combustion: Any = 0.0
    precursor_fgas: Any = 0.0
    precursor_electricity: Any = 0.0
    precursor_indirect: Any = 0.0

    @property
    def direct(self):
        """Own direct emissions [t CO2e t⁻¹]."""
        return self.process + self.combustion + self.fgas

    @property
    def precursor_direct(self):
        """Direct emissions embedded in the precursors [t CO2e t⁻¹]."""
        return self.precursor_process + self.precursor_combustion + self.precursor_fgas

    @property
    def chain_direct(self):
        """Own plus precursor direct emissions [t CO2e t⁻¹]."""
        return self.direct + self.precursor_direct

    @property
    def chain_indirect(self):
        """Own plus precursor indirect emissions [t CO2e t⁻¹]."""
        return self.indirect + self.precursor_indirect

    def total(self, indirect: bool = True):
        """Embedded emissions on the boundary, with or without the indirect part [t CO2e t⁻¹]."""
        return self.chain_direct + (self.chain_indirect if indirect else 0.0)

    def __add__(self, other: Emissions) -> Emissions:
        return Emissions(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def scaled(self, k) -> Emissions:
        """Every component times ``k`` (a share or a mass ratio) [1]."""
        return Emissions(**{f.name: getattr(self, f.name) * k for f in fields(self)})

    def as_precursor(self, k) -> Emissions:
        """``k`` tonnes of this product consumed as a precursor of one tonne of another [t t⁻¹]."""
        return Emissions(precursor_process=k * (self.process + self.precursor_process),
                         precursor_combustion=k * (self.combustion + self.precursor_combustion),
                         precursor_fgas=k * (self.fgas + self.precursor_fgas),
                         precursor_electricity=k * (self.electricity + self.precursor_electricity),
                         precursor_indirect=k * (self.indirect + self.precursor_indirect))

    def components(self) -> dict:
        """direct, indirect, precursor (direct + indirect) and total [t CO2e t⁻¹]."""
        return {"direct": self.direct, "indirect": self.indirect,
                "precursor": self.precursor_direct + self.precursor_indirect, "total": self.total()}


def grid_factor(g_co2e_per_kwh, multiplier=1.0):
    """Grid emission factor in the routes' unit: ``g / 1000 × multiplier`` [t CO2e MWh⁻¹] from [g CO2e kWh⁻¹]."""
    return np.asarray(g_co2e_per_kwh, dtype=float) / 1000.0 * multiplier


def check_ccs(ccs, scope: str) -> None:
    """Raise :class:`InputError` for a capture rate outside 0-1 or an unknown scope."""
    if scope not in CCS_SCOPES:
        raise InputError(f"ccs_scope must be one of {', '.join(CCS_SCOPES)}; got {scope!r}")
    if np.any(np.asarray(ccs) < 0) or np.any(np.asarray(ccs) > 1):
        raise InputError(f"ccs_capture must be in 0-1 (share of CO2 captured); got {ccs!r}")


def _stage(process, combustion, electricity, g, ccs=0.0, scope="process", fgas=0.0) -> Emissions:
    """One process stage with CCS applied (see the module docstring)."""
    keep_p = 1.0 - ccs
    keep_c = 1.0 - ccs if scope == "all" else 1.0
    return Emissions(process=process * keep_p, combustion=combustion * keep_c, fgas=fgas,
                     electricity=electricity, indirect=electricity * g)


def kiln_fuel_factor(p: Mapping, mix: Mapping[str, float] | None = None):
    """Emission factor of the kiln heat, ``Σ share_f × EF_f / 1000`` [t CO2 GJ⁻¹].

    Parameters
    ----------
    mix : mapping fuel -> share, optional
        Shares of :data:`~engine.industry.parameters.KILN_FUELS` summing to 1; default the ``kiln_share_*`` rows.
    """
    mix = {f: p[f"kiln_share_{f}"] for f in KILN_FUELS} if mix is None else dict(mix)
    unknown = sorted(set(mix) - set(KILN_FUELS))
    if unknown:
        raise InputError(f"kiln fuels must be among {', '.join(KILN_FUELS)}; got {', '.join(unknown)}")
    return sum(share * p[f"ef_{f}"] for f, share in mix.items()) / 1000.0


def clinker(p: Mapping, g, fuel_mix=None, ccs=0.0, scope="process") -> Emissions:
    """Grey clinker: calcination (process), kiln fuel (combustion), kiln electricity [per t clinker]."""
    return _stage(p["clinker_calcination"], p["kiln_thermal_energy"] * kiln_fuel_factor(p, fuel_mix),
                  p["clinker_electricity"], g, ccs, scope)


def cement(p: Mapping, g, clinker_ratio=None, fuel_mix=None, ccs=0.0, scope="process") -> Emissions:
    """Cement: ``clinker_ratio`` t of clinker (precursor) plus grinding electricity [per t cement].

    Parameters
    ----------
    clinker_ratio : float or array, optional
        [t clinker t⁻¹ cement]; default the ``clinker_ratio`` row (national average / blended cements).
    """
    ratio = p["clinker_ratio"] if clinker_ratio is None else clinker_ratio
    own = _stage(0.0, 0.0, p["cement_grinding_electricity"], g)
    return own + clinker(p, g, fuel_mix, ccs, scope).as_precursor(ratio)


def sinter(p: Mapping, g, ccs=0.0, scope="process") -> Emissions:
    """Sinter (agglomerated iron ore) [per t sinter]."""
    return _stage(0.0, p["sinter_direct"], p["sinter_electricity"], g, ccs, scope)


def pig_iron(p: Mapping, g, ccs=0.0, scope="process") -> Emissions:
    """Pig iron (hot metal) from the blast furnace with its coke ovens and sinter plant [per t pig iron]:
    ``(BF-BOF direct − converter direct) / hot metal per t steel`` (reductant carbon: process CO2)."""
    process = (p["steel_bf_bof_direct"] - p["steel_bof_own_direct"]) / p["hot_metal_per_bof_steel"]
    return _stage(process, 0.0, 0.0, g, ccs, scope)


def dri(p: Mapping, g, reductant: str = "gas", ccs=0.0, scope="process") -> Emissions:
    """Direct reduced iron with natural gas, coal (rotary kilns) or hydrogen (electrolysis at the grid mix)
    [per t DRI]."""
    if reductant == "gas":
        return _stage(p["dri_gas_direct"], 0.0, p["dri_shaft_electricity"], g, ccs, scope)
    if reductant == "coal":
        return _stage(p["dri_coal_direct"], 0.0, p["dri_shaft_electricity"], g, ccs, scope)
    if reductant == "h2":
        elec = p["dri_shaft_electricity"] + p["dri_h2_per_t_dri"] * p["electrolysis_electricity"]
        return _stage(p["dri_h2_direct"], 0.0, elec, g, ccs, scope)
    raise InputError(f"DRI reductant must be one of gas, coal, h2; got {reductant!r}")


def crude_steel_route(p: Mapping, g, route: str, ccs=0.0, scope="process") -> Emissions:
    """Crude steel by one route of :data:`STEEL_ROUTES` [per t crude steel]."""
    if route == "bf_bof":
        own = _stage(p["steel_bof_own_direct"], 0.0, p["steel_bf_bof_electricity"], g, ccs, scope)
        return own + pig_iron(p, g, ccs, scope).as_precursor(p["hot_metal_per_bof_steel"])
    if route == "scrap_eaf":
        return _stage(p["eaf_own_direct"], 0.0, p["eaf_electricity_scrap"], g, ccs, scope)
    if route in ("dri_gas", "dri_coal", "dri_h2"):
        own = _stage(p["eaf_own_direct"], 0.0, p["eaf_electricity_dri"], g, ccs, scope)
        return own + dri(p, g, route[4:], ccs, scope).as_precursor(p["dri_per_eaf_steel"])
    raise InputError(f"steel route must be one of {', '.join(STEEL_ROUTES)}; got {route!r}")


def crude_steel(p: Mapping, g, shares: Mapping[str, Any], ccs=0.0, scope="process") -> Emissions:
    """Crude steel of a route mix, ``Σ share_r × route_r`` [per t crude steel].

    Parameters
    ----------
    shares : mapping route -> share
        Shares of :data:`STEEL_ROUTES` (missing routes are 0); they must sum to 1.
    """
    unknown = sorted(set(shares) - set(STEEL_ROUTES))
    if unknown:
        raise InputError(f"steel routes must be among {', '.join(STEEL_ROUTES)}; got {', '.join(unknown)}")
    total = sum(np.asarray(s, dtype=float) for s in shares.values())
    if not np.allclose(total, 1.0, atol=1e-6):
        raise InputError(f"steel route shares must sum to 1; they sum to {np.round(np.unique(total), 4)}")
    out = Emissions()
    for r, s in shares.items():
        out = out + crude_steel_route(p, g, r, ccs, scope).scaled(s)
    return out


def steel_product(p: Mapping, g, crude: Emissions, article: bool = False) -> Emissions:
    """Hot-rolled products (CN 7208-7217): yield × crude steel + reheating and rolling; with ``article`` also the
    fabrication of articles of iron or steel (CN 73) [per t product]."""
    rolled = _stage(0.0, p["steel_rolling_direct"], p["steel_rolling_electricity"], g) + \
        crude.as_precursor(p["steel_product_yield"])
    if not article:
        return rolled
    return _stage(0.0, p["steel_article_direct"], 0.0, g) + rolled.as_precursor(p["steel_article_yield"])


def primary_aluminium(p: Mapping, smelter_g, ccs=0.0, scope="process", alumina: bool = False, g=None) -> Emissions:
    """Primary (unwrought) aluminium: anode CO2, PFC, other fuels and smelter electricity at ``smelter_g``
    [per t Al]; with ``alumina`` the alumina refining (at grid ``g``) as a precursor."""
    out = _stage(p["al_anode_co2"], p["al_other_direct"], p["al_smelter_electricity"], smelter_g, ccs, scope,
                 fgas=p["al_pfc"])
    if alumina:
        ref = _stage(0.0, p["alumina_direct"], p["alumina_electricity"], smelter_g if g is None else g, ccs, "all"
                     if scope == "all" else "process")
        out = out + ref.as_precursor(p["alumina_per_al"])
    return out


def secondary_aluminium(p: Mapping, g) -> Emissions:
    """Secondary (remelted scrap) aluminium [per t Al]."""
    return _stage(0.0, p["al_secondary_direct"], p["al_secondary_electricity"], g)


def aluminium_product(p: Mapping, g, unwrought: Emissions) -> Emissions:
    """Aluminium products (CN 7603-7616): yield × unwrought aluminium + processing fuel [per t product]."""
    return _stage(0.0, p["al_product_direct"], 0.0, g) + unwrought.as_precursor(p["al_product_yield"])


def _split(p: Mapping, direct, share_key: str, electricity, g, ccs, scope) -> Emissions:
    share = p[share_key]
    return _stage(direct * share, direct * (1 - share), electricity, g, ccs, scope)


def ammonia(p: Mapping, g, coal_share=0.0, ccs=0.0, scope="process") -> Emissions:
    """Anhydrous ammonia from natural-gas reforming and coal gasification in the share ``coal_share`` [per t NH3]."""
    direct = (1 - coal_share) * p["nh3_gas_direct"] + coal_share * p["nh3_coal_direct"]
    elec = (1 - coal_share) * p["nh3_gas_electricity"] + coal_share * p["nh3_coal_electricity"]
    return _split(p, direct, "nh3_process_share", elec, g, ccs, scope)


def urea(p: Mapping, g, nh3: Emissions) -> Emissions:
    """Solid urea: 0.567 t ammonia (precursor) + synthesis [per t urea]; the bound CO2 is not deducted."""
    return _stage(0.0, p["urea_direct"], p["urea_electricity"], g) + nh3.as_precursor(p["urea_nh3"])


def urea_fixed_co2(p: Mapping):
    """CO2 bound in one tonne of urea (stoichiometric, 44.01/60.06) [t CO2 t⁻¹ urea]."""
    return p["urea_co2_fixed"]


def hydrogen(p: Mapping, g, coal_share=0.0, electrolysis_share=0.0, ccs=0.0, scope="process") -> Emissions:
    """Hydrogen: fossil production (gas reforming and coal gasification, ``coal_share`` of the fossil part) and
    electrolysis at the grid mix in the share ``electrolysis_share`` [per t H2]."""
    fossil = 1 - electrolysis_share
    direct = fossil * ((1 - coal_share) * p["h2_smr_direct"] + coal_share * p["h2_coal_direct"])
    elec = fossil * p["h2_fossil_electricity"] + electrolysis_share * p["electrolysis_electricity"]
    return _split(p, direct, "h2_process_share", elec, g, ccs, scope)


@dataclass(frozen=True)
class RouteInputs:
    """What a country (or a scenario) sets for the routes; each field a float or an array over countries
    (shape ``(countries, 1)``) that broadcasts with the parameter draws.

    Attributes
    ----------
    grid : grid factor [t CO2e MWh⁻¹] (:func:`grid_factor`).
    smelter_grid : grid factor of aluminium smelters [t CO2e MWh⁻¹] (default ``grid``).
    steel_shares : mapping route -> share of crude steel [1] (:data:`STEEL_ROUTES`).
    dri_reductant_coal : share of coal-based DRI in the DRI of the country [1] (the rest gas).
    clinker_ratio : national average clinker ratio [t t⁻¹] (None: the parameter row).
    fuel_mix : kiln fuel shares (None: the parameter rows).
    nh3_coal_share, h2_coal_share, h2_electrolysis_share : [1].
    ccs : capture rate [1]; ccs_scope : one of :data:`CCS_SCOPES`.
    """

    grid: Any
    steel_shares: Mapping[str, Any]
    smelter_grid: Any = None
    dri_reductant_coal: Any = 0.0
    clinker_ratio: Any = None
    fuel_mix: Mapping[str, float] | None = None
    nh3_coal_share: Any = 0.0
    h2_coal_share: Any = 0.0
    h2_electrolysis_share: Any = 0.0
    ccs: Any = 0.0
    ccs_scope: str = "process"


def country_products(p: Mapping, x: RouteInputs) -> dict[str, Emissions]:
    """Every product of :data:`PRODUCTS` for the inputs ``x`` (a country, or all countries at once).

    ``crude_steel`` is the country's route mix; ``crude_steel_bf_bof`` / ``_dri_eaf`` / ``_scrap_eaf`` are the
    single routes (the DRI route with the country's gas/coal reductant mix); ``cement`` uses the national clinker
    ratio, ``cement_portland`` the Portland one (CN 2523 29 00); ``steel_product`` and ``steel_article`` are made
    from the country's crude steel mix.
    """
    check_ccs(x.ccs, x.ccs_scope)
    g, cc, sc = x.grid, x.ccs, x.ccs_scope
    sg = g if x.smelter_grid is None else x.smelter_grid
    c = x.dri_reductant_coal
    dri_mix = dri(p, g, "gas", cc, sc).scaled(1 - c) + dri(p, g, "coal", cc, sc).scaled(c)
    steel_dri = crude_steel_route(p, g, "dri_gas", cc, sc).scaled(1 - c) + \
        crude_steel_route(p, g, "dri_coal", cc, sc).scaled(c)
    crude = crude_steel(p, g, x.steel_shares, cc, sc)
    primary = primary_aluminium(p, sg, cc, sc)
    secondary = secondary_aluminium(p, g)
    nh3 = ammonia(p, g, x.nh3_coal_share, cc, sc)
    return {
        "sinter": sinter(p, g, cc, sc),
        "pig_iron": pig_iron(p, g, cc, sc),
        "dri": dri_mix,
        "crude_steel": crude,
        "crude_steel_bf_bof": crude_steel_route(p, g, "bf_bof", cc, sc),
        "crude_steel_dri_eaf": steel_dri,
        "crude_steel_scrap_eaf": crude_steel_route(p, g, "scrap_eaf", cc, sc),
        "steel_product": steel_product(p, g, crude),
        "steel_article": steel_product(p, g, crude, article=True),
        "clinker": clinker(p, g, x.fuel_mix, cc, sc),
        "cement": cement(p, g, x.clinker_ratio, x.fuel_mix, cc, sc),
        "cement_portland": cement(p, g, p["clinker_ratio_portland"], x.fuel_mix, cc, sc),
        "aluminium_primary": primary,
        "aluminium_secondary": secondary,
        "al_product_primary": aluminium_product(p, g, primary),
        "al_product_secondary": aluminium_product(p, g, secondary),
        "ammonia": nh3,
        "urea": urea(p, g, nh3),
        "hydrogen": hydrogen(p, g, x.h2_coal_share, x.h2_electrolysis_share, cc, sc),
    }
