"""Pictures of first charts (components/prerender.py): one per page and view, made in the background, never shared
between views, never more than the allowed renders at once, and data URIs a browser can decode."""

from __future__ import annotations

import threading
import time
from urllib.parse import unquote

from components.prerender import MAX_BYTES, WORLD_FIT, Prerenderer, mercator_fraction, with_picture, with_world_picture
from engine.core.cache import TieredCache


class FakeAccounts:
    def __init__(self):
        self.cache = TieredCache()

    def _key(self, *parts) -> str:
        return "test:" + ":".join(map(str, parts))


class FakeRenderer:
    """Draws an SVG that names the figure's title (so a mix-up between views shows), after ``delay`` seconds."""

    def __init__(self, delay: float = 0.0, pad: int = 0):
        self.delay, self.pad = delay, pad
        self.calls: list[tuple[str, str, int, int]] = []
        self.guard = threading.Lock()

    def render(self, figure, fmt, width, height, scale=1.0):
        with self.guard:
            self.calls.append((figure["layout"]["title"]["text"], fmt, width, height))
        time.sleep(self.delay)
        if fmt == "png":
            return _png()
        title = figure["layout"]["title"]["text"]
        return (f'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="#1f77b4"/><text>{title}</text>'
                f'{"x" * self.pad}</svg>').encode()


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 20)).save(buf, format="PNG")
    return buf.getvalue()


def _fig(title: str, height=None) -> dict:
    layout = {"title": {"text": title}}
    if height:
        layout["height"] = height
    return {"data": [{"type": "scatter", "y": [1, 2]}], "layout": layout}


def _wait(pred, timeout=5.0):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if pred():
            return True
        time.sleep(0.01)
    return False


def test_picture_is_made_in_the_background_once_and_decodes():
    acc, r = FakeAccounts(), FakeRenderer(delay=0.2)
    pre = Prerenderer(r)
    assert pre.picture(acc, "/", "ci=90") is None
    t0 = time.perf_counter()
    assert pre.remember(acc, "/", "ci=90", _fig("World #1"), 450) is True
    assert time.perf_counter() - t0 < 0.1  # the request does not wait for the render
    assert _wait(lambda: pre.picture(acc, "/", "ci=90") is not None)
    uri = pre.picture(acc, "/", "ci=90")
    assert uri.startswith("data:image/svg+xml,")
    assert "#" not in uri  # '#' would end the URI: the picture would not decode (it did not, at first)
    assert unquote(uri.split(",", 1)[1]).endswith("<text>World #1</text></svg>")
    assert pre.remember(acc, "/", "ci=90", _fig("World #1"), 450) is False  # cached: not drawn again
    assert r.calls == [("World #1", "svg", 1000, 450)]


def test_figure_height_wins_and_caller_figure_untouched():
    acc, r = FakeAccounts(), FakeRenderer()
    pre = Prerenderer(r)
    fig = _fig("Tall", height=700)
    pre.remember(acc, "/ledger", "?year=2011", fig, 640)
    assert _wait(lambda: pre.picture(acc, "/ledger", "?year=2011") is not None)
    assert r.calls[0][3] == 700
    assert fig == _fig("Tall", height=700)


def test_large_svg_becomes_webp_and_too_large_is_dropped(monkeypatch):
    acc = FakeAccounts()
    pre = Prerenderer(FakeRenderer(pad=MAX_BYTES))
    pre.remember(acc, "/ledger", "?year=2011", _fig("Map"), 640)
    assert _wait(lambda: pre.picture(acc, "/ledger", "?year=2011") is not None)
    assert pre.picture(acc, "/ledger", "?year=2011").startswith("data:image/webp;base64,")

    import components.prerender as pr

    monkeypatch.setattr(pr, "MAX_BYTES", 40)  # even the WebP is larger: no picture rather than a heavy one
    acc2, small = FakeAccounts(), FakeRenderer(pad=100)
    pre2 = Prerenderer(small)
    pre2.remember(acc2, "/ledger", "?year=2011", _fig("Map"), 640)
    assert _wait(lambda: len(small.calls) == 2 and pre2._slots.acquire(blocking=False))
    pre2._slots.release()
    assert pre2.picture(acc2, "/ledger", "?year=2011") is None  # a live chart only, rather than a heavy picture


def test_one_background_render_at_a_time_and_a_failure_frees_the_slot():
    acc, r = FakeAccounts(), FakeRenderer(delay=0.3)
    pre = Prerenderer(r, background=1)
    assert pre.remember(acc, "/", "a", _fig("A"), 450) is True
    assert pre.remember(acc, "/", "b", _fig("B"), 450) is False  # busy: skipped, the next visit asks again
    assert _wait(lambda: pre.picture(acc, "/", "a") is not None)
    assert _wait(lambda: pre.remember(acc, "/", "b", _fig("B"), 450))

    class Broken(FakeRenderer):
        def render(self, *a, **k):
            raise RuntimeError("browser died")

    pre2 = Prerenderer(Broken())
    assert pre2.remember(acc, "/", "c", _fig("C"), 450) is True
    assert _wait(lambda: pre2.remember(acc, "/", "d", _fig("D"), 450))  # the slot came back
    assert pre2.picture(acc, "/", "c") is None


def test_concurrent_views_each_get_their_own_picture():
    """Many visitors at once, different views: every picture shows its own view's figure."""
    acc, r = FakeAccounts(), FakeRenderer(delay=0.05)
    pre = Prerenderer(r, background=4)
    views = [(page, f"?year={y}") for page in ("/ledger", "/country") for y in range(2000, 2012)]
    pending = set(views)
    deadline = time.time() + 20
    while pending and time.time() < deadline:
        threads = [threading.Thread(target=pre.remember, args=(acc, p, s, _fig(f"{p}{s}"), 450)) for p, s in pending]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(0.1)
        pending = {v for v in pending if pre.picture(acc, *v) is None}
    assert not pending
    for p, s in views:
        assert unquote(pre.picture(acc, p, s).split(",", 1)[1]).endswith(f"<text>{p}{s}</text></svg>")


def test_with_picture_box():
    g = object()
    assert with_picture(g, None, 450).children == [g]
    box = with_picture(g, "data:image/svg+xml,x", 450)
    img = box.children[0]
    assert img.className == "hc-prerender" and img.alt == "" and box.children[1] is g
    assert box.style == {"minHeight": "450px"} and box.className == "hc-chart"


def test_world_picture_box_matches_the_atlas_fit():
    """The Atlas's world picture lies where MapLibre draws the world at the default view: the equator halfway down
    a Web-Mercator square, 85.05 deg N at its top; 98.6 % of the map's width (atlas.js fits zoom log2(w/512)-0.02)."""
    assert mercator_fraction(0.0) == 0.5
    assert abs(mercator_fraction(85.0511)) < 1e-4 and abs(mercator_fraction(-85.0511) - 1) < 1e-4
    assert abs(mercator_fraction(22.0) - 0.4374) < 1e-3  # (1 - asinh(tan 22 deg) / pi) / 2
    assert abs(WORLD_FIT - 0.98623) < 1e-4
    g = object()
    assert with_world_picture(g, None, 22.0) is g
    box = with_world_picture(g, "data:image/webp;base64,x", 22.0)
    img = box.children[0]
    assert "hc-map" in box.className and "hc-world" in img.className
    assert img.style == {"top": "calc(50% - 43.131cqw)", "left": "0.688%", "width": "98.623%"}
