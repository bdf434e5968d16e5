"""Country outlines for the map's label tiles, at the detail a zoom level needs (numbers only: the lines are drawn
by the tile renderer, ``api/tiles.py``).

At the world view the 1:110m Natural Earth outlines are enough; closer in they would cut through 0.1° cells (a
1:110m coastline is off by tens of kilometres), so the tiles switch to 1:50m from zoom 3 and to 1:10m from zoom 5
(tile zooms, 256 px tiles; a 0.1° cell is then 2.3 and 9 px wide). The 1:10m outlines are the arcs of the
world-atlas TopoJSON (Natural Earth 4.1 admin-0 at 1:10m): each border and coastline once. Where that file is not
in the source registry (``world_atlas_10m``) the 1:50m outlines are used at every zoom from 3, the same polygons the
0.1° country raster was burnt from.

A set of outlines is kept as :class:`Lines`: every line cut into pieces of at most :data:`PIECE` points with each
piece's bounding box, so a tile picks its few hundred pieces with one vectorised test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Points per piece of line (a tile selects pieces by bounding box).
PIECE = 48
#: Outline detail per tile zoom: (first zoom, scale); 10m falls back to 50m when it is not registered.
SCALES = ((0, "110m"), (3, "50m"), (5, "10m"))
#: Registry id and file name of the 1:10m TopoJSON.
WORLD_ATLAS = ("world_atlas_10m", "countries-10m.json")


@dataclass(frozen=True)
class Lines:
    """Polylines in longitude/latitude cut into pieces.

    Attributes
    ----------
    xy : ndarray (n, 2)
        Longitude, latitude of every point, pieces one after another [degree].
    starts : ndarray (k + 1,)
        Offsets of the pieces in ``xy`` (piece ``i`` is ``xy[starts[i]:starts[i + 1]]``).
    bbox : ndarray (k, 4)
        West, south, east, north of each piece [degree].
    """

    xy: np.ndarray
    starts: np.ndarray
    bbox: np.ndarray

    @property
    def n_pieces(self) -> int:
        return len(self.starts) - 1

    def within(self, west: float, south: float, east: float, north: float) -> list[np.ndarray]:
        """The pieces whose bounding box meets a box [degree] (each an (m, 2) lon/lat array)."""
        b = self.bbox
        hit = np.flatnonzero((b[:, 0] <= east) & (b[:, 2] >= west) & (b[:, 1] <= north) & (b[:, 3] >= south))
        return [self.xy[self.starts[i]:self.starts[i + 1]] for i in hit]


def pieces(lines: list[np.ndarray], size: int = PIECE) -> Lines:
    """Cut polylines into pieces of at most ``size`` points; consecutive pieces share their end point, so the drawn
    line has no gaps.

    Raises
    ------
    ValueError
        For ``size`` below 2.
    """
    if size < 2:
        raise ValueError(f"size must be at least 2 points; got {size}")
    chunks: list[np.ndarray] = []
    for line in lines:
        a = np.asarray(line, dtype=np.float64)
        if len(a) < 2:
            continue
        for i in range(0, len(a) - 1, size - 1):
            chunks.append(a[i:i + size])
    if not chunks:
        return Lines(np.zeros((0, 2)), np.zeros(1, dtype=np.int64), np.zeros((0, 4)))
    lengths = np.array([len(c) for c in chunks])
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    bbox = np.array([(c[:, 0].min(), c[:, 1].min(), c[:, 0].max(), c[:, 1].max()) for c in chunks])
    return Lines(np.concatenate(chunks), starts, bbox)


def topojson_arcs(doc: dict) -> list[np.ndarray]:
    """The arcs of a TopoJSON topology in longitude/latitude [degree].

    A quantized topology stores each arc as integer deltas from the previous point; positions are
    ``translate + scale * cumsum(deltas)`` (TopoJSON specification, "transforms").

    Raises
    ------
    ValueError
        When the document is not a TopoJSON topology with arcs.
    """
    if not isinstance(doc, dict) or doc.get("type") != "Topology" or not isinstance(doc.get("arcs"), list):
        raise ValueError("expected a TopoJSON Topology with an 'arcs' list")
    tr = doc.get("transform")
    out = []
    for arc in doc["arcs"]:
        a = np.asarray(arc, dtype=np.float64).reshape(-1, 2) if len(arc) else np.zeros((0, 2))
        if tr is not None:
            a = np.cumsum(a, axis=0) * np.asarray(tr["scale"], dtype=np.float64) + np.asarray(tr["translate"],
                                                                                              dtype=np.float64)
        out.append(a)
    return out


def polygon_rings(geometries) -> list[np.ndarray]:
    """Exterior and interior rings of (multi)polygons as lon/lat arrays [degree]."""
    import shapely

    rings = []
    for geom in geometries:
        for poly in shapely.get_parts(geom):
            if poly.is_empty or poly.geom_type != "Polygon":
                continue
            rings.append(np.asarray(poly.exterior.coords)[:, :2])
            rings.extend(np.asarray(r.coords)[:, :2] for r in poly.interiors)
    return rings


def scale_for_zoom(z: int, have_10m: bool = True) -> str:
    """Natural Earth scale of the outlines drawn at a tile zoom (:data:`SCALES`).

    Raises
    ------
    ValueError
        For a negative zoom.
    """
    if z < 0:
        raise ValueError(f"zoom must be 0 or more; got {z}")
    scale = [s for z0, s in SCALES if z >= z0][-1]
    return "50m" if scale == "10m" and not have_10m else scale


class Outlines:
    """Outlines of every scale, read once per process through a cache (the grids' memory cache).

    Parameters
    ----------
    pack : engine.data.pack.Pack
        For the 1:110m and 1:50m countries (``ne_countries_110m``, ``ne_countries_50m``).
    cache : engine.core.cache.TieredCache
        Memory cache the pieces are kept in (not shared between processes: tens of MB of arrays).
    key : callable
        ``key(*parts) -> str``, the cache key of the pack (e.g. :meth:`engine.maps.grids.Grids._key`).
    settings : engine.core.config.Settings, optional
        Where the 1:10m file is looked up.
    """

    def __init__(self, pack, cache, key, settings=None):
        self.pack, self.cache, self.key, self.settings = pack, cache, key, settings

    def path_10m(self):
        """Path of the verified 1:10m TopoJSON, or None when it is not registered or not on disk."""
        from engine.core.errors import SourceError
        from engine.data.fetch import resolve
        from engine.data.registry import load_registry

        sid, name = WORLD_ATLAS
        source = load_registry().get(sid)
        if source is None or not any(f.name == name for f in source.files):
            return None
        try:
            return resolve(sid, name, self.settings or getattr(self.pack, "settings", None))
        except SourceError:
            return None

    def have_10m(self) -> bool:
        return self.cache.memo(self.key("outlines10m_path"), lambda: str(self.path_10m() or ""), shared=False) != ""

    def lines(self, scale: str) -> Lines:
        """The outlines of a scale (``110m``, ``50m`` or ``10m``) cut into pieces.

        Raises
        ------
        ValueError
            For another scale, or 10m when the file is not available.
        """
        if scale not in ("110m", "50m", "10m"):
            raise ValueError(f"scale must be one of 110m, 50m, 10m; got {scale!r}")

        def build() -> Lines:
            if scale == "10m":
                import json

                path = self.path_10m()
                if path is None:
                    raise ValueError("the 1:10m outlines (world_atlas_10m) are not available")
                with open(path, encoding="utf-8") as fh:
                    return pieces(topojson_arcs(json.load(fh)))
            return pieces(polygon_rings(self.pack.geo(f"ne_countries_{scale}").geometry))

        return self.cache.memo(self.key("outlines", scale), build, shared=False)

    def for_zoom(self, z: int) -> Lines:
        """The outlines drawn at a tile zoom (:func:`scale_for_zoom`)."""
        return self.lines(scale_for_zoom(z, self.have_10m()))
