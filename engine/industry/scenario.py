"""Scenarios (the "digital twin"): a frozen, hashable :class:`Scenario` that round-trips through a URL query, and the
pure functions that apply it to a country's calibrated route inputs.

A scenario changes, for one country and year: the steel route shares (EAF share of crude steel, DRI share of EAF
metallics, hydrogen share of DRI), the grid (an intensity in g CO2e/kWh, or a clean-power share that scales the
fossil part of the country's grid), the clinker ratio and kiln fuel mix, a CCS capture rate (on process CO2 or on
all direct CO2), the smelters' clean-power share, the coal share of ammonia and the electrolysis share of hydrogen,
and the CBAM import year and carbon price. Fields left at ``None`` keep the calibrated value.

Its effects (:mod:`engine.industry.model` orchestrates them): product intensities, the country's industrial emissions
of steel, cement and primary aluminium [Mt], the change of its production-based emissions by EDGAR sector and gas
(:func:`sector_delta`: process CO2 and PFCs on ``Processes``, fuel CO2 on ``Industrial Combustion``, electricity
on ``Power Industry``), placed on the input–output sector that makes the product (WIOD c11 other non-metallic
minerals for cement, c12 basic metals for steel and aluminium, c17 electricity), and from there the change of every
region's consumption-based account (:func:`consumption_delta`: ``Δc = (ΔF / x) · L·Y``, the same equation as the
ledger). Ammonia and hydrogen have no production series in the pack, so they change intensities and CBAM costs but
not national emissions. A grid change moves only the electricity of the modelled products here, not the rest of the
grid's users. Electricity is taken as generated in the country.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from engine.core.errors import InputError
from engine.industry import routes
from engine.industry.parameters import KILN_FUELS

#: Scenario years (the calibration's production series run 1998-2021; the ledger's to 2023).
YEAR_RANGE = (2000, 2023)
CBAM_YEAR_RANGE = (2026, 2040)
GRID_RANGE = (0.0, 1500.0)
CLINKER_RANGE = (0.4, 1.0)
PRICE_RANGE = (0.0, 1000.0)
SHARE_FIELDS = ("eaf_share", "dri_share_of_eaf", "h2_share_of_dri", "clean_power_share", "ccs_capture",
                "smelter_clean_share", "ammonia_coal_share", "h2_electrolysis_share")
#: Product -> (input–output sector that makes it, production column of the calibration).
PRODUCT_SECTORS = {"steel": ("c12", "crude_steel_kt"), "cement": ("c11", "cement_kt"),
                   "aluminium": ("c12", "aluminium_kt")}
ELECTRICITY_SECTOR = "c17"


def _share(name: str, v):
    if v is None:
        return None
    try:
        v = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number in 0-1; got {v!r}") from None
    if not 0.0 <= v <= 1.0 or np.isnan(v):
        raise InputError(f"{name} must be in 0-1; got {v}")
    return v


def _ranged(name: str, v, lo: float, hi: float, unit: str):
    if v is None:
        return None
    try:
        v = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number in {lo:g}-{hi:g} {unit}; got {v!r}") from None
    if not lo <= v <= hi:
        raise InputError(f"{name} must be in {lo:g}-{hi:g} {unit}; got {v:g}")
    return v


def parse_fuel_mix(value) -> tuple[tuple[str, float], ...] | None:
    """``"coal:0.6,gas:0.4"`` (or a mapping, or pairs) -> sorted ((fuel, share), ...) summing to 1.

    Raises
    ------
    InputError
        Unknown fuel, a share outside 0-1, or shares not summing to 1.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        pairs = []
        for part in value.split(","):
            if not part.strip():
                continue
            if ":" not in part:
                raise InputError(f"kiln_fuel_mix must read fuel:share,fuel:share (fuels {', '.join(KILN_FUELS)}); "
                                 f"got {value!r}")
            f, s = part.split(":", 1)
            pairs.append((f.strip().lower(), s))
    elif isinstance(value, dict):
        pairs = list(value.items())
    else:
        pairs = list(value)
    out = {}
    for f, s in pairs:
        if f not in KILN_FUELS:
            raise InputError(f"kiln fuel must be one of {', '.join(KILN_FUELS)}; got {f!r}")
        out[f] = out.get(f, 0.0) + _share(f"kiln fuel share of {f}", s)
    if not out or abs(sum(out.values()) - 1.0) > 1e-6:
        raise InputError(f"kiln_fuel_mix shares must sum to 1; they sum to {sum(out.values()):.3f}")
    return tuple(sorted(out.items()))


@dataclass(frozen=True)
class Scenario:
    """One what-if for one country (see the module docstring); ``None`` keeps the calibrated value.

    Attributes
    ----------
    country : str
        ISO3 code.
    year : int
        Calibration and ledger year, :data:`YEAR_RANGE`.
    eaf_share : share of crude steel made in electric arc furnaces [1] (the rest BF-BOF).
    dri_share_of_eaf : share of EAF metallics that are DRI [1] (the rest scrap).
    h2_share_of_dri : share of DRI reduced with hydrogen (electrolysis at the grid) [1].
    grid_intensity : grid intensity [g CO2e kWh⁻¹], :data:`GRID_RANGE`.
    clean_power_share : low-carbon share of generation [1] (instead of ``grid_intensity``; scales the fossil part).
    clinker_ratio : national clinker ratio [t t⁻¹], :data:`CLINKER_RANGE`.
    kiln_fuel_mix : ((fuel, share), ...) of :data:`~engine.industry.parameters.KILN_FUELS`, summing to 1.
    ccs_capture : CO2 capture rate [1]; ccs_scope : ``"process"`` or ``"all"`` direct CO2.
    smelter_clean_share : zero-carbon share of aluminium smelters' power [1] (the rest at the grid).
    ammonia_coal_share, h2_electrolysis_share : [1].
    cbam_year : CBAM import year for the cost, :data:`CBAM_YEAR_RANGE`.
    carbon_price : [EUR t⁻¹ CO2e], :data:`PRICE_RANGE` (None: the parameter table's default).
    """

    country: str = "CHN"
    year: int = 2018
    eaf_share: float | None = None
    dri_share_of_eaf: float | None = None
    h2_share_of_dri: float | None = None
    grid_intensity: float | None = None
    clean_power_share: float | None = None
    clinker_ratio: float | None = None
    kiln_fuel_mix: tuple | None = None
    ccs_capture: float = 0.0
    ccs_scope: str = "process"
    smelter_clean_share: float | None = None
    ammonia_coal_share: float | None = None
    h2_electrolysis_share: float | None = None
    cbam_year: int = 2026
    carbon_price: float | None = None

    def __post_init__(self):
        c = str(self.country).strip().upper()
        if not (len(c) == 3 and c.isalpha()):
            raise InputError(f"country must be an ISO3 code (three letters); got {self.country!r}")
        object.__setattr__(self, "country", c)
        for name, (lo, hi) in (("year", YEAR_RANGE), ("cbam_year", CBAM_YEAR_RANGE)):
            try:
                v = int(getattr(self, name))
            except (TypeError, ValueError):
                raise InputError(f"{name} must be an integer in {lo}-{hi}; got {getattr(self, name)!r}") from None
            if not lo <= v <= hi:
                raise InputError(f"{name} must be in {lo}-{hi}; got {v}")
            object.__setattr__(self, name, v)
        for name in SHARE_FIELDS:
            object.__setattr__(self, name, _share(name, getattr(self, name)))
        if self.ccs_capture is None:
            object.__setattr__(self, "ccs_capture", 0.0)
        object.__setattr__(self, "grid_intensity", _ranged("grid_intensity", self.grid_intensity, *GRID_RANGE,
                                                           "g CO2e/kWh"))
        object.__setattr__(self, "clinker_ratio", _ranged("clinker_ratio", self.clinker_ratio, *CLINKER_RANGE,
                                                          "t clinker/t cement"))
        object.__setattr__(self, "carbon_price", _ranged("carbon_price", self.carbon_price, *PRICE_RANGE,
                                                         "EUR/t CO2e"))
        if self.grid_intensity is not None and self.clean_power_share is not None:
            raise InputError("set grid_intensity or clean_power_share, not both")
        if self.ccs_scope not in routes.CCS_SCOPES:
            raise InputError(f"ccs_scope must be one of {', '.join(routes.CCS_SCOPES)}; got {self.ccs_scope!r}")
        object.__setattr__(self, "kiln_fuel_mix", parse_fuel_mix(self.kiln_fuel_mix))

    # --- URL round trip ---------------------------------------------------------------------------------------
    def to_params(self) -> dict[str, str]:
        """Query-string parameters, omitting defaults (``country`` and ``year`` always written)."""
        default = Scenario()
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v == getattr(default, f.name) and f.name not in ("country", "year"):
                continue
            out[f.name] = ",".join(f"{k}:{s:g}" for k, s in v) if f.name == "kiln_fuel_mix" else (
                f"{v:g}" if isinstance(v, float) else str(v))
        return out

    def to_query_string(self) -> str:
        return urlencode(self.to_params(), safe=",:")

    @classmethod
    def from_params(cls, params: dict) -> Scenario:
        """Build from a mapping of strings (or lists of strings, as from ``parse_qs``); unknown keys are refused.

        Raises
        ------
        InputError
            For an unknown parameter or a bad value (the message names the allowed range).
        """
        names = {f.name for f in fields(cls)}
        kwargs = {}
        for key, value in params.items():
            if key not in names:
                raise InputError(f"unknown scenario parameter {key!r}; allowed: {', '.join(sorted(names))}")
            if isinstance(value, (list, tuple)):
                value = value[-1] if key != "kiln_fuel_mix" or isinstance(value[0], str) else value
            if isinstance(value, str) and len(value) > 500:
                raise InputError(f"scenario parameter {key!r} is too long")
            kwargs[key] = None if value == "" else value
        return cls(**kwargs)

    @classmethod
    def from_query_string(cls, qs: str) -> Scenario:
        qs = qs[1:] if qs.startswith("?") else qs
        return cls.from_params({k: v[-1] for k, v in parse_qs(qs, keep_blank_values=False).items()})

    def replace(self, **changes) -> Scenario:
        return replace(self, **changes)

    @property
    def is_baseline(self) -> bool:
        """True when nothing is changed (country, year and the CBAM settings aside)."""
        keep = {"country", "year", "cbam_year", "carbon_price"}
        return all(getattr(self, f.name) == getattr(Scenario(), f.name) for f in fields(self) if f.name not in keep)


def steel_shares(bf_bof: float, dri_share: float, dri_coal: float, h2_share: float = 0.0) -> dict[str, float]:
    """Crude steel route shares from the BF-BOF share, the DRI share of EAF metallics, the coal share of fossil DRI
    and the hydrogen share of DRI [1]."""
    eaf = 1.0 - bf_bof
    dri = eaf * dri_share
    return {"bf_bof": bf_bof, "dri_gas": dri * (1 - h2_share) * (1 - dri_coal),
            "dri_coal": dri * (1 - h2_share) * dri_coal, "dri_h2": dri * h2_share, "scrap_eaf": eaf * (1 - dri_share)}


def scaled_grid(grid, clean_base, clean_new):
    """Grid factor when the low-carbon share moves from ``clean_base`` to ``clean_new``: the fossil part scales,
    ``g × (1 − s_new) / (1 − s_base)`` [t CO2e MWh⁻¹] (unchanged when the base is all low-carbon)."""
    if clean_base is None or np.isnan(clean_base) or clean_base >= 1.0:
        return grid
    return grid * (1.0 - clean_new) / (1.0 - clean_base)


def apply(s: Scenario, base: routes.RouteInputs, base_state: dict, p) -> routes.RouteInputs:
    """The route inputs of a scenario.

    Parameters
    ----------
    base : RouteInputs
        The country's calibrated inputs (central values, scalars).
    base_state : dict
        ``bf_bof``, ``dri_share``, ``dri_coal`` (the calibrated steel state) and ``clean_share`` [1].
    p : mapping
        Parameters (central values).
    """
    if s.grid_intensity is not None:
        grid = routes.grid_factor(s.grid_intensity, p["grid_factor"])
    elif s.clean_power_share is not None:
        grid = scaled_grid(base.grid, base_state.get("clean_share"), s.clean_power_share)
    else:
        grid = base.grid
    bf = base_state["bf_bof"] if s.eaf_share is None else 1.0 - s.eaf_share
    dri = base_state["dri_share"] if s.dri_share_of_eaf is None else s.dri_share_of_eaf
    h2 = 0.0 if s.h2_share_of_dri is None else s.h2_share_of_dri
    smelter = grid if s.smelter_clean_share is None else grid * (1.0 - s.smelter_clean_share)
    return replace(base, grid=grid, smelter_grid=smelter,
                   steel_shares=steel_shares(bf, dri, base_state["dri_coal"], h2),
                   dri_reductant_coal=base_state["dri_coal"],
                   clinker_ratio=base.clinker_ratio if s.clinker_ratio is None else s.clinker_ratio,
                   fuel_mix=base.fuel_mix if s.kiln_fuel_mix is None else dict(s.kiln_fuel_mix),
                   nh3_coal_share=base.nh3_coal_share if s.ammonia_coal_share is None else s.ammonia_coal_share,
                   h2_electrolysis_share=base.h2_electrolysis_share if s.h2_electrolysis_share is None
                   else s.h2_electrolysis_share,
                   ccs=s.ccs_capture, ccs_scope=s.ccs_scope)


def national(products: dict[str, routes.Emissions], production_kt: dict[str, float], p) -> pd.DataFrame:
    """The country's emissions of steel, cement and primary aluminium by component [Mt CO2e].

    Parameters
    ----------
    production_kt : dict
        ``steel`` (crude), ``cement``, ``aluminium`` (primary) [kt].

    Returns
    -------
    DataFrame
        Indexed by product: ``production_kt``, ``process``, ``combustion``, ``fgas``, ``indirect``, ``direct``,
        ``total`` [Mt CO2e] (whole chain: precursors made in the country).
    """
    per_t = {"steel": products["steel_product"].scaled(1.0 / p["steel_product_yield"]),
             "cement": products["cement"], "aluminium": products["aluminium_primary"]}
    rows = {}
    for k, e in per_t.items():
        m = production_kt[k] / 1000.0
        rows[k] = {"production_kt": production_kt[k], "process": m * float(e.process + e.precursor_process),
                   "combustion": m * float(e.combustion + e.precursor_combustion),
                   "fgas": m * float(e.fgas + e.precursor_fgas), "indirect": m * float(e.chain_indirect)}
    out = pd.DataFrame(rows).T
    out["direct"] = out["process"] + out["combustion"] + out["fgas"]
    out["total"] = out["direct"] + out["indirect"]
    out.index.name = "product"
    return out


def sector_delta(country: str, base: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The change of a country's production-based emissions by EDGAR sector, gas and input–output sector.

    Parameters
    ----------
    base, new : DataFrame
        :func:`national` before and after the scenario.

    Returns
    -------
    DataFrame
        ``iso3``, ``product``, ``edgar_sector``, ``gas``, ``io_sector``, ``delta_mt_co2e`` [Mt CO2e, AR5];
        rows with no change dropped.
    """
    comps = ["process", "combustion", "fgas", "indirect"]
    d = new[comps].to_numpy(dtype=float) - base[comps].to_numpy(dtype=float)
    where = {"process": ("Processes", "CO2"), "combustion": ("Industrial Combustion", "CO2"),
             "fgas": ("Processes", "F-gases"), "indirect": ("Power Industry", "CO2")}
    rows = []
    for i, prod in enumerate(base.index):
        for j, comp in enumerate(comps):
            v = float(d[i, j])
            if v != 0.0:
                sector, gas = where[comp]
                io = ELECTRICITY_SECTOR if comp == "indirect" else PRODUCT_SECTORS[prod][0]
                rows.append((country, prod, sector, gas, io, v))
    out = pd.DataFrame(rows, columns=["iso3", "product", "edgar_sector", "gas", "io_sector", "delta_mt_co2e"])
    out.attrs["units"] = {"delta_mt_co2e": "Mt CO2e (AR5)"}
    return out


def delta_F(delta: pd.DataFrame, regions: tuple[str, ...], sectors: tuple[str, ...], gases: tuple[str, ...],
            row_code: str = "ROW") -> np.ndarray:
    """The satellite change ``ΔF`` (gases × region-sectors) of a :func:`sector_delta` table [Mt CO2e]; a country
    outside the table's named regions enters its rest of the world."""
    F = np.zeros((len(gases), len(regions) * len(sectors)))
    for r in delta.itertuples(index=False):
        ri = regions.index(r.iso3) if r.iso3 in regions else regions.index(row_code)
        F[gases.index(r.gas), ri * len(sectors) + sectors.index(r.io_sector)] += r.delta_mt_co2e
    return F


def consumption_delta(dF: np.ndarray, x: np.ndarray, LY: np.ndarray) -> np.ndarray:
    """Change of every region's consumption-based account, ``Δc = (ΔF ∘ x⁻¹) · L·Y`` per gas [Mt CO2e].

    Sectors with zero output cannot carry a change (their intensity is undefined): callers check
    ``dF[:, x <= 0]`` is zero. Sums over regions equal ``ΔF`` summed (world consumption = world production).
    """
    from engine.io import iomath

    return iomath.consumption_accounts(iomath.calc_f(dF, x), LY, 0.0)
