"""Pictures of a page's first chart, drawn by the server, shown until plotly.js has drawn the live chart.

Why (issue 13, first load): on the 2-core reference machine plotly.js takes 1.2-1.8 s to evaluate in a fresh
browser, and Dash only asks for it once a graph mounts, so a page's first chart appeared 3-4 s after navigation
however fast the server answered. The first chart of the home, ledger and country pages is now also sent as a
picture (SVG, or WebP when the SVG would be large, as for a world map; rendered by :class:`components.render.figures.FigureRenderer` from the very figure the live chart
draws) inside the page's layout: the reader sees the chart as soon as Dash has rendered the page, and the live,
interactive chart replaces it in place (``assets/style.css`` hides the picture once the graph holds a
``.main-svg``). The picture is the same figure, so a modelled value looks modelled in it too.

Pictures are made in the background, never on a request's path: a callback that has built a page's first figure
hands it to :meth:`Prerenderer.remember`, which renders it in a worker thread when no picture of that view is cached
(at most one such render per process at a time, so a crowd of new views cannot queue up behind the exports), and the
page layout asks :meth:`Prerenderer.picture` for what is cached. A view seen for the first time has no picture: it
loads as before. Keys are the page and its canonical URL state (small strings), stored in the one cache layer.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import math
import threading
from collections.abc import Callable
from urllib.parse import quote

from dash import html
from PIL import Image
from plotly.utils import PlotlyJSONEncoder

log = logging.getLogger("holocarbon.prerender")

#: Layout size of a picture [px]; the picture is scaled to the chart's box (``object-fit: contain``).
WIDTH = 1000
#: Characters left unescaped in the data URI (quote() of everything else keeps it valid and compressible).
_SAFE = " /=:;,.'\"()-_!*~"  # never '#': it would end the URI (a fragment)
#: Pictures larger than this are not kept (a huge picture would cost more bytes than it saves time); an SVG larger
#: than this is drawn as a PNG instead [bytes of the data URI].
MAX_BYTES = 600_000


class Prerenderer:
    """Background pictures of first charts, one per (page, URL state).

    Parameters
    ----------
    renderer : FigureRenderer
        The process's figure renderer (shared with exports).
    background : int
        Renders that may run in the background at once in this process.
    """

    def __init__(self, renderer, background: int = 1):
        self.renderer = renderer
        self._slots = threading.BoundedSemaphore(background)

    @staticmethod
    def key(acc, page: str, state: str) -> str:
        """The cache key of a page's picture for one canonical URL state (``"?year=2011&gwp=AR6"``)."""
        return acc._key("prerender-2", page, state or "")

    def picture(self, acc, page: str, state: str) -> str | None:
        """The cached picture of ``page`` in ``state`` as a ``data:`` URI, or None."""
        if acc is None:
            return None
        value = acc.cache.get(self.key(acc, page, state))
        return value or None

    def remember(self, acc, page: str, state: str, figure, height: int) -> bool:
        """Render ``figure`` as the picture of ``page`` in ``state`` in the background, unless it is cached or this
        process is already drawing one. Returns True when a render was started."""
        if self.renderer is None:
            return False
        spec = json.loads(json.dumps(figure, cls=PlotlyJSONEncoder))  # the caller's figure is not touched
        height = int(spec.get("layout", {}).get("height") or height)

        def draw() -> str:
            svg = self.renderer.render(spec, "svg", WIDTH, height).decode("utf-8")
            uri = "data:image/svg+xml," + quote(svg, safe=_SAFE)
            if len(uri) > MAX_BYTES:  # a world map's country outlines: a WebP (from kaleido's PNG) is far smaller
                uri = _webp_uri(self.renderer.render(spec, "png", WIDTH, height))
            return uri

        return self.remember_drawn(acc, page, state, draw)

    def remember_drawn(self, acc, page: str, state: str, draw: Callable[[], str]) -> bool:
        """Keep what ``draw()`` returns (a ``data:`` URI) as the picture of ``page`` in ``state``, drawn in the
        background, unless it is cached or this process is already drawing one. Returns True when started."""
        if acc is None:
            return False
        key = self.key(acc, page, state)
        if acc.cache.get(key) is not None:
            return False
        if not self._slots.acquire(blocking=False):
            return False

        def run() -> None:
            try:
                uri = draw()
                if len(uri) <= MAX_BYTES:
                    acc.cache.set(key, uri)
                else:
                    log.info("no picture for %s%s: %d bytes (at most %d)", page, state, len(uri), MAX_BYTES)
            except Exception as exc:  # a picture is an optimisation: the live chart is drawn regardless
                log.warning("no picture for %s%s: %s", page, state, exc)
            finally:
                self._slots.release()

        threading.Thread(target=run, daemon=True, name="holocarbon-prerender").start()
        return True


def _webp_uri(png: bytes) -> str:
    """A PNG as a lossy WebP ``data:`` URI (quality 85): the ledger's world map, 1.09 MB as SVG, 0.2 MB as a
    base64 PNG, about a third of that as WebP, in the first answer of the page."""
    buf = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(buf, format="WEBP", quality=85, method=4)
    return "data:image/webp;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def with_picture(graph_component, picture: str | None, height: int):
    """``graph_component`` (a dcc.Graph, or a dcc.Loading around one) in a box of at least ``height`` px that shows
    ``picture`` until the live chart is drawn. The picture is decorative (``alt=""``): screen readers get the live
    chart's text summary. Without a picture the box holds only the graph."""
    children = [graph_component]
    if picture:
        children.insert(0, html.Img(src=picture, alt="", className="hc-prerender"))
    return html.Div(children, className="hc-chart", style={"minHeight": f"{height}px"} if picture else None)


#: The Atlas fits the world to the map's width at a zoom 0.02 below the exact fit (``assets/atlas.js``): the world is
#: this share of the map's width.
WORLD_FIT = 2 ** -0.02


def mercator_fraction(lat: float) -> float:
    """Where latitude ``lat`` lies down a Web-Mercator world square (0 at the top, 1 at the bottom)."""
    phi = math.radians(max(-85.0511, min(85.0511, lat)))
    return (1.0 - math.asinh(math.tan(phi)) / math.pi) / 2.0


def with_world_picture(graph_component, picture: str | None, center_lat: float):
    """The Atlas map in a box that shows ``picture`` (the whole Web-Mercator world of the layer, from
    :func:`api.tiles.world_picture`) where the live map will draw the world at its default view: as wide as the map
    fits it, with ``center_lat`` at the box's middle (``cqw``: a share of the box's width, whatever the screen).
    ``assets/atlas.js`` hides the picture once the map has drawn its tiles."""
    if not picture:
        return graph_component
    width = WORLD_FIT * 100
    top = mercator_fraction(center_lat) * width
    style = {"top": f"calc(50% - {top:.3f}cqw)", "left": f"{(100 - width) / 2:.3f}%", "width": f"{width:.3f}%"}
    return html.Div([html.Img(src=picture, alt="", className="hc-prerender hc-world", style=style),
                     graph_component], className="hc-chart hc-map")
