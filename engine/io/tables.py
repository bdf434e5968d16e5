"""The input–output tables a pack holds (WIOD 2013 today): their labels and years, read from the pack, and one
:class:`~engine.io.system.IOSystem` per table year.

The labels come from the pack items ``wiod_labels`` (region ISO3 and sector of each row) and ``wiod_fd_labels``
(region and category of each final-demand column); the years from the ``wiod_<year>`` items present. A pack with
another table (or a small synthetic one in tests) works the same way as long as it stores the same items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.io.system import IOSystem

#: Name and item prefix of the table set.
TABLE_NAME = "WIOD 2013"
PREFIX = "wiod"


@dataclass(frozen=True)
class MRIOTables:
    """Labels and years of the pack's input–output tables.

    Attributes
    ----------
    regions : tuple of str
        Region codes in table order (ISO3; the rest of the world ``ROW``).
    sectors : tuple of str
        Sector codes (``c1`` .. ``c35``).
    fd_categories : tuple of str
        Final-demand categories of each region.
    years : tuple of int
        Years with a table.
    """

    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    fd_categories: tuple[str, ...]
    years: tuple[int, ...]
    name: str = TABLE_NAME

    @classmethod
    def from_pack(cls, pack) -> MRIOTables:
        labels = pack.table(f"{PREFIX}_labels")
        fd = pack.table(f"{PREFIX}_fd_labels")
        regions = tuple(dict.fromkeys(labels["iso3"].astype(str)))
        sectors = tuple(dict.fromkeys(labels["sector"].astype(str)))
        cats = tuple(dict.fromkeys(fd["category"].astype(str)))
        years = tuple(sorted(int(n[len(PREFIX) + 1:]) for n in pack.item_names()
                             if n.startswith(PREFIX + "_") and n[len(PREFIX) + 1:].isdigit()))
        return cls(regions, sectors, cats, years)

    def system(self, pack, year: int) -> IOSystem:
        """The table of one year as a labelled system (monetary unit M USD).

        Raises
        ------
        ValueError
            For a year without a table.
        """
        if self.years and year not in self.years:
            raise ValueError(f"{self.name} has tables for {self.years[0]}–{self.years[-1]}; got {year}")
        arrays = pack.arrays(f"{PREFIX}_{year}")
        return IOSystem(self.regions, self.sectors, np.asarray(arrays["Z"]), np.asarray(arrays["Y"]),
                        self.fd_categories, year)
