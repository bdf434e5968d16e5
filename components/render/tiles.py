"""Map tiles as PNG: a layer's values at a tile's pixels (:func:`engine.maps.pyramid.sample_tile`) coloured with the
layer's colour map into a palette PNG whose index 0 is transparent."""

from __future__ import annotations

import io

import numpy as np
from PIL import (  # noqa: F401  (loaded once per process, not on the first tile)
    Image,
    PngImagePlugin,
)

from components.render.colormaps import COLORMAPS, Colormap


def render_png(values: np.ndarray, cmap: Colormap) -> bytes:
    """PNG bytes of a value block coloured with a colormap: a palette PNG whose index 0 is transparent."""
    lut = lut_of(cmap)
    img = Image.fromarray(cmap.index(values), "P")
    img.putpalette(lut[:, :3].ravel().tobytes())
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1, transparency=lut[:, 3].tobytes())
    return buf.getvalue()


def lut_of(cmap: Colormap) -> np.ndarray:
    """The 256 × RGBA lookup table of a colour map (precomputed for the registry's maps; read-only)."""
    return _LUTS[cmap.name] if cmap.name in _LUTS and cmap is COLORMAPS.get(cmap.name) else cmap.lut()


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


#: Lookup tables of the registry's colour maps, computed once at import and read-only (shared by every request).
_LUTS = {name: _frozen(cm.lut()) for name, cm in COLORMAPS.items()}
