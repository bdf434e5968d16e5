"""A labelled multi-regional input–output system of any size, with satellite extensions by name.

The system holds the inter-industry flows ``Z`` and final demand ``Y`` with their labels (regions, sectors,
final-demand categories); gross output, technical coefficients and the factorisation of ``I − A`` are derived on first
use (:mod:`engine.io.iomath`, one equation per function). Satellite accounts are :class:`Extension` objects kept by
name, like pymrio's ``Extension``: stressors (e.g. gases) by region-sector, plus the direct emissions of final demand
by region.

Nothing here assumes WIOD's 41 regions and 35 sectors: the labels say how large the system is. The arrays may carry
leading sample axes (``Z`` of shape ``(..., n, n)``), which the identities broadcast over; the factorisation is for
a single table.

References
----------
1. Miller, R. E. and Blair, P. D. (2009) Input-Output Analysis, 2nd ed., doi:10.1017/CBO9780511626982.
2. Stadler, K. (2021) Pymrio, J. Open Res. Softw. 9(1):8, doi:10.5334/jors.251.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Mapping

import numpy as np
import pandas as pd

from engine.io import iomath


@dataclass(frozen=True, eq=False)
class Extension:
    """A satellite account of an input–output system.

    Attributes
    ----------
    name : str
        E.g. ``ghg``.
    stressors : tuple of str
        Row labels (e.g. the gases).
    unit : str
        Unit of every value (e.g. ``Mt CO2e``).
    F : ndarray, shape (..., k, n)
        Stressors by region-sector [unit].
    F_Y : ndarray, shape (..., k, r)
        Direct stressors of each region's final demand (household emissions) [unit].
    """

    name: str
    stressors: tuple[str, ...]
    unit: str
    F: np.ndarray
    F_Y: np.ndarray


@dataclass(frozen=True, eq=False)
class IOSystem:
    """A labelled multi-regional input–output table.

    Attributes
    ----------
    regions, sectors : tuple of str
        Row/column labels, region-major (row ``i`` is region ``i // n_sectors``, sector ``i % n_sectors``).
    Z : ndarray, shape (..., n, n)
        Inter-industry flows [unit].
    Y : ndarray, shape (..., n, n_regions * n_fd)
        Final demand, region-major by category [unit].
    fd_categories : tuple of str
        Final-demand categories of each region.
    year : int or None
        The table's year.
    unit : str
        Monetary unit (``M USD``).
    extensions : mapping of str to Extension
    """

    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    Z: np.ndarray
    Y: np.ndarray
    fd_categories: tuple[str, ...] = ("total",)
    year: int | None = None
    unit: str = "M USD"
    extensions: Mapping[str, Extension] = field(default_factory=dict)

    def __post_init__(self):
        n = len(self.regions) * len(self.sectors)
        if self.Z.shape[-2:] != (n, n):
            raise ValueError(f"Z must be {n} x {n} ({len(self.regions)} regions x {len(self.sectors)} sectors); "
                             f"got {self.Z.shape}")
        if self.Y.shape[-2:] != (n, len(self.regions) * len(self.fd_categories)):
            raise ValueError(f"Y must be {n} x {len(self.regions) * len(self.fd_categories)}; got {self.Y.shape}")

    # ---- sizes and labels --------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return len(self.regions) * len(self.sectors)

    @property
    def n_regions(self) -> int:
        return len(self.regions)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    def index(self) -> pd.MultiIndex:
        """(region, sector) of each row."""
        return pd.MultiIndex.from_product([self.regions, self.sectors], names=["region", "sector"])

    # ---- derived quantities (computed once) --------------------------------------------------------------
    @cached_property
    def x(self) -> np.ndarray:
        """Gross output ``Z·1 + Y·1`` [unit]."""
        return iomath.calc_x(self.Z, self.Y)

    @cached_property
    def A(self) -> np.ndarray:
        """Technical coefficients [unit unit⁻¹]."""
        return iomath.calc_A(self.Z, self.x)

    @cached_property
    def lu(self):
        """LU factorisation of ``I − A`` (single table only)."""
        if self.Z.ndim != 2:
            raise ValueError("the factorisation is for a single table; solve each sample separately")
        return iomath.factorise(self.A)

    @cached_property
    def Y_regions(self) -> np.ndarray:
        """Final demand of each region, categories summed, shape (..., n, n_regions) [unit]."""
        Y = self.Y
        return Y.reshape(*Y.shape[:-1], self.n_regions, len(self.fd_categories)).sum(axis=-1)

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        """``L · rhs`` through the factorisation [unit]."""
        return iomath.solve_LY(self.lu, rhs)

    @cached_property
    def LY(self) -> np.ndarray:
        """Output required by each region's final demand, ``L·Y_r`` (n, n_regions) [unit]."""
        return self.solve(self.Y_regions)

    def scaled_demand(self, growth: np.ndarray, year: int | None = None) -> IOSystem:
        """The same technology with each region's final demand scaled by ``growth`` (the nowcast).

        ``A`` and the factorisation are kept; the required output is ``x' = L·Y'·1`` and the flows are rebuilt as
        ``Z' = A·diag(x')``, so the new table is balanced (``Z'·1 + Y'·1 = x'``) by construction.

        Parameters
        ----------
        growth : ndarray, shape (n_regions,)
            Factor on each region's final demand [1].
        """
        growth = np.asarray(growth, dtype=float)
        LY = iomath.scale_final_demand(self.LY, growth)
        x = LY.sum(axis=1)
        Y = self.Y * np.repeat(growth, len(self.fd_categories))[np.newaxis, :]
        new = IOSystem(self.regions, self.sectors, self.A * x[np.newaxis, :], Y, self.fd_categories,
                       year if year is not None else self.year, self.unit, dict(self.extensions))
        new.__dict__.update(x=x, A=self.A, lu=self.lu, LY=LY, Y_regions=self.Y_regions * growth[np.newaxis, :])
        return new

    def with_extension(self, ext: Extension) -> IOSystem:
        """A copy with one more (or a replaced) extension; the table's derived quantities are shared."""
        new = replace(self, extensions={**self.extensions, ext.name: ext})
        for name in ("x", "A", "lu", "Y_regions", "LY"):
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name]
        return new

    def intensities(self, name: str) -> np.ndarray:
        """Stressor intensities ``f = F · diag(x)⁻¹`` of an extension [ext unit (unit)⁻¹]."""
        return iomath.calc_f(self.extensions[name].F, self.x)

    def multipliers(self, name: str) -> np.ndarray:
        """Multipliers ``f · L`` of an extension [ext unit (unit of final demand)⁻¹]."""
        return iomath.calc_M(self.intensities(name), self.lu)
