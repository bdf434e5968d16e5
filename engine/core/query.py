"""The Query: one frozen, hashable value for every choice a user can make.

It is the cache key of every engine computation and round-trips through a URL query string, so every view is a
shareable link. Each choice is a string from a declared tuple; a bad value raises ``ValueError`` naming the
allowed values (closest matches for region codes).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields, replace
from urllib.parse import parse_qs, urlencode

#: GWP sets: IPCC AR4, AR5, AR6 GWP100 and AR6 GWP20 (factors from ``globalwarmingpotentials``).
GWP_SETS = ("AR4", "AR5", "AR6", "AR6-GWP20")
GWP_LABELS = {"AR4": "AR4 GWP100", "AR5": "AR5 GWP100", "AR6": "AR6 GWP100", "AR6-GWP20": "AR6 GWP20"}
#: Gas groups as EDGAR reports them.
GASES = ("CO2", "CH4", "N2O", "F-gases")
#: GCB 2024 bookkeeping models for land-use change, or their mean.
LUC_MODELS = ("mean", "BLUE", "H&C2023", "OSCAR", "LUCE")
#: How the world is partitioned into ledger regions.
GROUPINGS = ("countries", "mrio", "EU27", "G7", "G20", "BRICS", "OECD", "continents", "custom")
#: Accounting perspective shown on maps and charts.
PERSPECTIVES = ("production", "consumption", "transfer", "panoramic")
#: Confidence levels of the intervals shown with every number [%].
CI_LEVELS = (66, 90, 95)

YEAR_RANGE = (1970, 2023)
MAX_MEMBERS = 250
MAX_NAME = 40


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value in allowed:
        return value
    lowered = {a.lower(): a for a in allowed}
    if isinstance(value, str) and value.lower() in lowered:
        return lowered[value.lower()]
    raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


def closest(code: str, known, n: int = 3) -> list[str]:
    """Closest known codes to a mistyped one (for error messages)."""
    return difflib.get_close_matches(str(code).upper(), sorted(known), n=n, cutoff=0.4)


@dataclass(frozen=True)
class Query:
    """Everything a user can choose.

    Attributes
    ----------
    year : int
        Accounting year, 1970–2023 (consumption views: MRIO years 1995–2011, nowcast 2012–2023).
    gwp : str
        One of :data:`GWP_SETS`.
    gases : tuple of str
        Subset of :data:`GASES`, in canonical order.
    luc_model : str
        One of :data:`LUC_MODELS`.
    grouping : str
        One of :data:`GROUPINGS`: each country; the 41 MRIO regions; one named group merged into a single region
        with every other country kept separate; continents; or ``custom`` (``members`` merged into one region
        called ``name``).
    members : tuple of str
        ISO3 codes of the custom group (sorted, unique).
    name : str
        Label of the custom group.
    perspective : str
        One of :data:`PERSPECTIVES`.
    ci : int
        Confidence level of the intervals shown with the numbers, one of :data:`CI_LEVELS` [%].
    """

    year: int = 2022
    gwp: str = "AR5"
    gases: tuple[str, ...] = GASES
    luc_model: str = "mean"
    grouping: str = "countries"
    members: tuple[str, ...] = ()
    name: str = "Custom group"
    perspective: str = "consumption"
    ci: int = 90

    def __post_init__(self):
        try:
            year = int(self.year)
        except (TypeError, ValueError):
            raise ValueError(f"year must be an integer in {YEAR_RANGE[0]}–{YEAR_RANGE[1]}; got {self.year!r}") from None
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise ValueError(f"year must be in {YEAR_RANGE[0]}–{YEAR_RANGE[1]}; got {year}")
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "gwp", _choice("gwp", self.gwp, GWP_SETS))
        gases = tuple(self.gases) if not isinstance(self.gases, str) else tuple(self.gases.split(","))
        gases = tuple(_choice("gas", g.strip(), GASES) for g in gases if g.strip())
        if not gases:
            raise ValueError(f"choose at least one gas from {', '.join(GASES)}")
        object.__setattr__(self, "gases", tuple(g for g in GASES if g in gases))
        object.__setattr__(self, "luc_model", _choice("luc_model", self.luc_model, LUC_MODELS))
        object.__setattr__(self, "grouping", _choice("grouping", self.grouping, GROUPINGS))
        object.__setattr__(self, "perspective", _choice("perspective", self.perspective, PERSPECTIVES))
        ci = int(self.ci) if isinstance(self.ci, str) and self.ci.strip().isdigit() else self.ci
        if isinstance(ci, bool) or ci not in CI_LEVELS:
            raise ValueError(f"ci must be one of {', '.join(map(str, CI_LEVELS))} (confidence level in %); "
                             f"got {self.ci!r}")
        object.__setattr__(self, "ci", int(ci))
        members = self.members if not isinstance(self.members, str) else self.members.split(",")
        members = tuple(sorted({m.strip().upper() for m in members if m and m.strip()}))
        if len(members) > MAX_MEMBERS:
            raise ValueError(f"a custom group may list at most {MAX_MEMBERS} countries; got {len(members)}")
        bad = [m for m in members if not (len(m) == 3 and m.isalpha())]
        if bad:
            raise ValueError(f"members must be ISO3 codes (three letters); got {', '.join(bad[:5])}")
        if self.grouping == "custom" and not members:
            raise ValueError("a custom group needs at least one member (ISO3 codes, e.g. members=FRA,DEU)")
        object.__setattr__(self, "members", members if self.grouping == "custom" else ())
        name = str(self.name).strip()[:MAX_NAME].strip() or "Custom group"
        object.__setattr__(self, "name", name)

    # --- URL round trip -------------------------------------------------------------------------------------
    def to_params(self) -> dict[str, str]:
        """Query-string parameters, omitting defaults (so links stay short)."""
        default = Query()
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name) and f.name != "year":
                continue
            out[f.name] = ",".join(value) if isinstance(value, tuple) else str(value)
        return out

    def to_query_string(self) -> str:
        return urlencode(self.to_params(), safe=",")

    @classmethod
    def from_params(cls, params: dict) -> "Query":
        """Build from a mapping of strings (or lists of strings, as from ``parse_qs``); unknown keys are refused.

        Raises
        ------
        ValueError
            For an unknown parameter or a bad value (the message names the allowed values).
        """
        names = {f.name for f in fields(cls)}
        kwargs = {}
        for key, value in params.items():
            if key not in names:
                raise ValueError(f"unknown parameter {key!r}; allowed: {', '.join(sorted(names))}")
            if isinstance(value, (list, tuple)):
                value = ",".join(str(v) for v in value)
            if len(str(value)) > 2000:
                raise ValueError(f"parameter {key!r} is too long")
            kwargs[key] = value
        return cls(**kwargs)

    @classmethod
    def from_query_string(cls, qs: str) -> "Query":
        qs = qs[1:] if qs.startswith("?") else qs
        return cls.from_params({k: v[-1] for k, v in parse_qs(qs, keep_blank_values=False).items()})

    def replace(self, **changes) -> "Query":
        return replace(self, **changes)

    def describe(self) -> str:
        """The Query in words (for footnotes and exports)."""
        grouping = {"countries": "countries", "mrio": "MRIO regions (WIOD 2013)", "continents": "continents",
                    "custom": f"{self.name} ({', '.join(self.members)}) and other countries"}.get(
            self.grouping, f"{self.grouping} as one region, other countries separately")
        return (f"{self.year}, {GWP_LABELS[self.gwp]}, gases "
                f"{'+'.join(self.gases)}, land-use change: {self.luc_model}, regions: {grouping}, "
                f"perspective: {self.perspective}")
