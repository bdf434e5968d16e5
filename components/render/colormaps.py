"""The one colour-map registry of the maps: each layer's colours, scale (log or symmetric log), range and legend
text, keyed by the colour-map id of the layer registry (:attr:`engine.maps.layers.Layer.colormap`).

Cells with no value, a zero, or a value below a log scale's floor are transparent (LUT index 0), so the basemap and
outlines show through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Colormap:
    """A colour scale: stops (low -> high), scale kind, range and the legend's unit label."""

    name: str
    stops: tuple[str, ...]
    scale: str  # "log" | "symlog"
    vmin: float  # log: lowest coloured value; symlog: linear threshold
    vmax: float
    units: str
    label: str
    tick_unit: str = "t"  # "t": tonnes (t, kt, Mt); "%": a percentage

    def lut(self) -> np.ndarray:
        """256 × RGBA lookup table; entry 0 is transparent."""
        rgb = np.array([[int(h[i:i + 2], 16) for i in (1, 3, 5)] for h in self.stops], dtype=float)
        pos = np.linspace(0, 1, len(rgb))
        t = np.linspace(0, 1, 255)
        lut = np.zeros((256, 4), dtype=np.uint8)
        for c in range(3):
            lut[1:, c] = np.round(np.interp(t, pos, rgb[:, c]))
        lut[1:, 3] = 225
        return lut

    def index(self, v: np.ndarray) -> np.ndarray:
        """LUT index of each value (0 = transparent: no value, zero, or below a log scale's floor)."""
        v = np.asarray(v, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.scale == "log":
                lo, hi = math.log10(self.vmin), math.log10(self.vmax)
                t = (np.log10(np.where(v > 0, v, np.nan)) - lo) / (hi - lo)
                idx = 1 + np.round(np.clip(t, 0, 1) * 254)
                return np.where(np.isfinite(t) & (t >= 0), idx, 0).astype(np.uint8)  # below the floor: transparent
            norm = math.log10(1 + self.vmax / self.vmin)
            s = np.sign(v) * np.log10(1 + np.abs(v) / self.vmin) / norm
            idx = 1 + np.round((np.clip(s, -1, 1) + 1) / 2 * 254)
            return np.where(np.isfinite(v) & (np.abs(v) > 1e-9), idx, 0).astype(np.uint8)

    def ticks(self) -> list[tuple[float, str]]:
        """Legend ticks as (position 0..1, label)."""
        if self.scale == "log":
            lo, hi = int(math.log10(self.vmin)), int(math.log10(self.vmax))
            return [((e - lo) / (hi - lo), _fmt(10.0 ** e)) for e in range(lo, hi + 1)]
        norm = math.log10(1 + self.vmax / self.vmin)
        vals = [-self.vmax, -self.vmax / 1000, 0.0, self.vmax / 1000, self.vmax]
        return [((np.sign(v) * math.log10(1 + abs(v) / self.vmin) / norm + 1) / 2, _fmt(v)) for v in vals]

    def css_gradient(self) -> str:
        return "linear-gradient(to right, " + ", ".join(self.stops) + ")"

    def for_mass(self, gas: str, factor: float) -> Colormap:
        """The same colours for a layer in tonnes of one gas: the range multiplied by ``factor`` (t gas per t CO2e)
        and rounded to powers of ten, the legend's unit naming the gas."""
        from dataclasses import replace

        def p10(v: float) -> float:
            return 10.0 ** round(math.log10(v))

        return replace(self, vmin=p10(self.vmin * factor), vmax=p10(self.vmax * factor),
                       units=self.units.replace("CO2e", gas))


def _fmt(v: float) -> str:
    a = abs(v)
    s = "−" if v < 0 else ""
    if a >= 1e6:
        return f"{s}{a / 1e6:g} Mt"
    if a >= 1e3:
        return f"{s}{a / 1e3:g} kt"
    return f"{s}{a:g} t"


_EMIT = ("#fff7bc", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#993404", "#4d1a02", "#1a0a00")
_BLUE = ("#eff6fb", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
_GREEN = ("#f0f9e8", "#ccebc5", "#a8ddb5", "#7bccc4", "#43a2ca", "#0868ac")
_DIVERGE = ("#08306b", "#2171b5", "#6baed6", "#c6dbef", "#f7f7f7", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
#: Viridis, reversed (yellow = well known, dark = poorly known): distinct hues through the middle of the scale, where
#: most cells are (40–180 %), and no white that could read as "no data".
_UNCERTAIN = ("#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989", "#482878",
              "#440154")
_LUC = ("#00441b", "#238b45", "#74c476", "#c7e9c0", "#f7f7f7", "#dfc27d", "#bf812d", "#8c510a", "#543005")

#: The one colormap registry (layer -> colormap).
COLORMAPS: dict[str, Colormap] = {
    "emissions": Colormap("emissions", _EMIT, "log", 100.0, 1e7, "t CO2e per 0.1° cell per year", "Emissions"),
    "cdiac": Colormap("cdiac", _EMIT, "log", 100.0, 1e7, "t CO2 per 0.1° cell per year", "Fossil CO2 (CDIAC)"),
    "ocean_sink": Colormap("ocean_sink", tuple(reversed(_DIVERGE)), "symlog", 100.0, 1e5,
                           "t CO2 per 0.1° cell per year (blue = uptake, red = outgassing)", "Ocean uptake"),
    "land_sink": Colormap("land_sink", _GREEN, "log", 1e3, 1e5, "t CO2 taken up per 0.1° cell per year",
                          "Land uptake"),
    "luc": Colormap("luc", _LUC, "symlog", 10.0, 1e6, "t CO2 per 0.1° cell per year (green = net removal)",
                    "Land-use change"),
    "uncertainty": Colormap("uncertainty", _UNCERTAIN, "log", 10.0, 1000.0,
                            "% of the cell's emissions (half-width of the 95 % interval)", "Uncertainty", "%"),
    "net_flux": Colormap("net_flux", _DIVERGE, "symlog", 10.0, 1e7,
                         "t CO2e per 0.1° cell per year (blue = net uptake, red = net emission)", "Net flux"),
}
