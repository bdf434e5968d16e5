"""The emission draws and the consumption accounts they give, per year — through the same functions as the central
estimate (the satellite's :func:`~engine.io.satellite.apply_allocation`, :func:`~engine.io.iomath.calc_f` and
:func:`~engine.io.iomath.consumption_accounts`, with a leading sample axis).

Emission multipliers are drawn once per ledger line (country), EDGAR sector and gas and used for every year: a
country's sector-gas error is shared across years, so a time series moves as a whole and its trend is better known
than its level. Within a sector and gas, part of the variance is common to every country
(``shared_ef_variance_*``: EDGAR applies the same IPCC default emission factors everywhere, Tier 1); F-gases get one
global factor (AR6's range is a global one).

The derived pack item ``uncertainty_draws`` stores, for every year with an input–output table or a nowcast
(1995–2023): the consumption draws per gas and model region (float32), their bunker-fuel part, and the covariance
of the consumption accounts from the table's own cell errors (:mod:`engine.uncertainty.table`). Everything else
(production, land terms, groupings, GWP sets) is drawn at request time from the same seeded streams.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.core.query import GASES
from engine.io import iomath, satellite
from engine.sources.edgar import SECTORS as EDGAR_SECTORS
from engine.uncertainty import parameters as params_mod
from engine.uncertainty.inputs import TABLE_GASES, distribution
from engine.uncertainty.sampling import correlated, multipliers, streams

SOURCE_ID = "solazzo2021_uncertainty"
FIRST_YEAR, LAST_YEAR = 1995, 2023
#: z value of a two-sided 90 % interval.
Z90 = 1.6448536269514722


@dataclass(frozen=True)
class EmissionDraws:
    """Multipliers of every ledger line's emissions by EDGAR sector and gas.

    Attributes
    ----------
    lines : ndarray of str
        Ledger lines (EDGAR entities, ``BUNKERS``), sorted.
    m : ndarray, shape (4, draws, lines, 8), float32
        Multiplier of the central emission per gas, draw, line and sector [1], mean 1; the F-gas multipliers are one
        global factor per draw (gas first, so that each gas is one contiguous block).
    """

    lines: np.ndarray
    m: np.ndarray

    def index(self) -> dict[str, int]:
        return {str(c): i for i, c in enumerate(self.lines)}


def emission_draws(ranges, lines, p: params_mod.Parameters) -> EmissionDraws:
    """Correlated multipliers for every line, sector and gas (see the module docstring).

    Parameters
    ----------
    ranges : DataFrame
        :func:`engine.uncertainty.inputs.sector_ranges` for ``lines``.
    lines : sequence of str
        Sorted ledger lines.
    """
    lines = np.asarray(sorted(str(c) for c in lines), dtype=object)
    d = p.draws
    rng = streams(p.seed)
    n_l, n_s = len(lines), len(EDGAR_SECTORS)
    r = ranges.set_index(["line", "sector", "gas"]).reindex(
        [(line, s, g) for line in lines for s in EDGAR_SECTORS for g in TABLE_GASES])
    sigma, logn = distribution(r["rel_lo"].fillna(0.0).to_numpy(), r["rel_hi"].fillna(0.0).to_numpy(),
                               p["lognormal_above"])
    sigma = sigma.reshape(n_l, n_s, len(TABLE_GASES))
    logn = logn.reshape(n_l, n_s, len(TABLE_GASES))
    z_own = rng["emissions_own"].standard_normal((d, n_l, n_s, len(TABLE_GASES)))
    z_shared = rng["emissions_shared"].standard_normal((d, 1, n_s, len(TABLE_GASES)))
    rho = np.array([p["shared_ef_variance_co2"], p["shared_ef_variance_ch4"], p["shared_ef_variance_n2o"]])
    z = correlated(z_own, z_shared, rho)
    m = np.empty((len(GASES), d, n_l, n_s), dtype=np.float32)
    m[:len(TABLE_GASES)] = np.moveaxis(multipliers(z, sigma, logn), -1, 0)
    fgas_sigma = p["fgas_half_width_90"] / Z90
    m[GASES.index("F-gases")] = multipliers(rng["fgas"].standard_normal(d), fgas_sigma, False)[:, None, None]
    return EmissionDraws(lines, m)


def line_emissions(codes, arr: np.ndarray, draws: EmissionDraws) -> tuple[np.ndarray, np.ndarray]:
    """The year's emissions by line, sector and gas on the draws' lines, and each line's row in ``draws.m``.

    Parameters
    ----------
    codes, arr
        :meth:`engine.accounts.ledger.Accounts.sector_year` (codes, emissions[line, sector, gas] [Mt CO2e]).
    """
    pos = draws.index()
    idx = np.array([pos.get(str(c), -1) for c in codes])
    if (idx < 0).any():
        raise ValueError(f"no emission draws for the lines {list(np.asarray(codes)[idx < 0][:5])}")
    return arr, idx


def consumption_draws(bundle, codes, arr: np.ndarray, draws: EmissionDraws, rest: str = "ROW",
                      bunkers: str = "BUNKERS") -> tuple[np.ndarray, np.ndarray]:
    """Consumption accounts per draw, gas and model region, and their bunker-fuel part [Mt CO2e].

    The drawn emissions of the lines are summed into the model's regions (countries outside the named regions into
    ``rest``), allocated with the year's allocation shares and traced through the year's table — the same
    functions as the central estimate, with the sample axis first.

    Returns
    -------
    (ndarray (draws, 4, regions), ndarray (draws, 4, regions))
    """
    arr, idx = line_emissions(codes, arr, draws)
    regions = list(bundle.regions)
    reg_of = np.array([regions.index(str(c)) if str(c) in regions and str(c) != rest else regions.index(rest)
                       for c in codes])
    is_b = np.array([str(c) == bunkers for c in codes])
    m = np.moveaxis(draws.m[:, :, idx], 0, -1)  # (d, lines, 8, 4)
    X = arr[None] * m  # drawn emissions per line
    R = np.zeros((len(regions), len(codes)))
    R[reg_of[~is_b], np.flatnonzero(~is_b)] = 1.0
    d = X.shape[0]
    E = (R @ X.transpose(1, 0, 2, 3).reshape(len(codes), -1)).reshape(len(regions), d, *arr.shape[1:])
    E = E.transpose(1, 0, 2, 3)  # (d, regions, 8, 4)
    b_line = np.flatnonzero(is_b)
    t = EDGAR_SECTORS.index("Transport")
    b_mult = m[:, b_line[0], t, :] if b_line.size else np.ones((d, len(GASES)))
    B = bundle.B[None, :, :] * b_mult[:, None, :]  # (d, 2, 4): shipping and aviation share the transport factor
    F, h, F_b = satellite.apply_allocation(E, B, bundle.shares)
    LY = bundle.system.LY
    cons = iomath.consumption_accounts(iomath.calc_f(F, bundle.x), LY, h)
    bunk = iomath.consumption_accounts(iomath.calc_f(F_b, bundle.x), LY, 0.0)
    return cons, bunk


def table_covariance(bundle, rse: float) -> np.ndarray:
    """Covariance of the year's consumption accounts from the table's cell errors (:func:`cba_covariance`)
    [Mt CO2e², per gas pair and region pair]."""
    from engine.uncertainty.table import cba_covariance

    s = bundle.system
    return cba_covariance(bundle.M, s.A, s.LY, s.Y, len(s.fd_categories), rse)


def pack_items(settings=None, built: dict | None = None) -> dict:
    """``uncertainty_draws``: consumption draws, their bunker part and the table covariance for 1995–2023."""
    from engine.accounts.ledger import Accounts
    from engine.accounts.regions import continents
    from engine.data.pack import MemoryPack
    from engine.uncertainty.inputs import sector_ranges

    if built is None:
        from engine.core.config import Settings
        from engine.data.pack import ensure_pack

        pack = ensure_pack(settings or Settings.from_env(), show_progress=False)
    else:
        pack = MemoryPack(built)
    acc = Accounts(pack)
    p = params_mod.load()
    by_sector = pack.table("edgar_ghg_by_sector")
    from engine.accounts.inputs import line_codes

    all_lines = sorted(set(line_codes(by_sector[~by_sector["is_aggregate"]]["iso3"]).astype(str)))
    ranges = sector_ranges(pack.table("solazzo_uncertainty"), all_lines, continents())
    draws = emission_draws(ranges, all_lines, p)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    cons, bunk, cov = [], [], []
    for y in years:
        b = acc.bundle(int(y))
        codes, _, arr = acc.sector_year(int(y))
        c, k = consumption_draws(b, codes, arr, draws)
        cons.append(c.astype(np.float32))
        bunk.append(k.astype(np.float32))
        cov.append(table_covariance(b, p["mrio_cell_rse"]))
    return {"uncertainty_draws": {"years": years, "cons": np.stack(cons), "bunk": np.stack(bunk),
                                  "cov": np.stack(cov), "lines": np.asarray(all_lines, dtype=str)}}
