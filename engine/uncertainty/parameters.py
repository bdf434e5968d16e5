"""The parameters of the uncertainty model, one row each with value, unit and source (``data/uncertainty_parameters.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from engine.core.config import AUTHORED_DIR

#: Confidence levels a Query may ask for [%].
CI_LEVELS = (66, 90, 95)


@dataclass(frozen=True)
class Parameters:
    """Every parameter of ``data/uncertainty_parameters.csv`` by name (see that file for units and sources)."""

    values: dict
    sources: dict

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    @property
    def draws(self) -> int:
        return int(self.values["draws"])

    @property
    def seed(self) -> int:
        return int(self.values["seed"])


def load() -> Parameters:
    """Read ``data/uncertainty_parameters.csv``.

    Raises
    ------
    ValueError
        When a required parameter is missing.
    """
    t = pd.read_csv(AUTHORED_DIR / "uncertainty_parameters.csv")
    values = dict(zip(t["parameter"], t["value"].astype(float)))
    required = ("draws", "seed", "lognormal_above", "shared_ef_variance_co2", "shared_ef_variance_ch4",
                "shared_ef_variance_n2o", "fgas_half_width_90", "mrio_cell_rse", "eluc_sigma_gtc", "eluc_mean_gtc",
                "land_sink_sigma_gtc", "land_sink_mean_gtc", "ocean_sink_sigma_gtc", "ocean_sink_mean_gtc")
    missing = [r for r in required if r not in values]
    if missing:
        raise ValueError(f"data/uncertainty_parameters.csv lacks {', '.join(missing)}")
    return Parameters(values, dict(zip(t["parameter"], t["source"])))
