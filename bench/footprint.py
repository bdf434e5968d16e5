"""Benchmark: footprint layers (engine.maps.footprint) and their tiles, in-process. Prints JSON lines.

- ``footprint_year_factors``: the one-off per-year factors (demand shares from the ledger's year bundle; the bundle
  itself is the ledger's and is warmed first) [info];
- ``footprint_layer_new_consumer_year``: a footprint layer for a consumer-year-variant not computed before, with the
  grid context, the ledger year bundle and the year's factors warm — median and p95 over 16 layers (budget 150 ms);
- ``footprint_tile_cached``: the same ``/tiles/footprint/…?consumer=…`` URL requested twice through the Flask test
  client of ``app.create_app(…)`` (fresh temporary cache directory); the second request's wall time (the emissions
  layer's cached tiles: budget 1 ms) and the first request of a new consumer's tile (layer + pyramid + tile).

Run: ``python bench/footprint.py``.
"""

from __future__ import annotations

import dataclasses
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.grid import _emit, _ms, _stats  # noqa: E402
from engine.accounts.ledger import Accounts  # noqa: E402
from engine.core.config import Settings  # noqa: E402
from engine.core.query import Query  # noqa: E402
from engine.data.pack import ensure_pack  # noqa: E402
from engine.maps.footprint import Footprints  # noqa: E402
from engine.maps.grids import Grids  # noqa: E402

YEARS = (2011, 2020)
CONSUMERS = ("USA", "DEU", "CHN", "EU27", "FRA", "JPN", "BRA", "ROW")


def bench_layers(grids: Grids) -> None:
    grids.context()
    fp = Footprints(grids)
    for y in YEARS:
        grids.accounts.bundle(y)
        grids.accounts.year_frame(y)
        t, _ = _ms(lambda y=y: fp.factors(y))
        _emit(bench="footprint_year_factors", year=y, ms=round(t, 1), note="per process and year, bundle warm")
    grids.layer("footprint", Query(year=YEARS[0]), consumer="ITA")  # warm names, proxies table, code paths
    times = []
    for y in YEARS:
        for c in CONSUMERS:
            t, _ = _ms(lambda y=y, c=c: grids.layer("footprint", Query(year=y), consumer=c))
            times.append(t)
    _emit(bench="footprint_layer_new_consumer_year", **_stats(times, 1), budget_ms=150,
          note="new consumer-year footprint layer; context, ledger bundle and year factors warm")


def bench_tiles(settings: Settings) -> None:
    from app import create_app

    with tempfile.TemporaryDirectory(prefix="holocarbon-bench-cache-") as tmp:
        app = create_app(dataclasses.replace(settings, cache_dir=Path(tmp), redis_url=None))
        client = app.server.test_client()
        rng = random.Random(7)
        urls = []
        for z in (2, 3, 4):
            n = 1 << z
            urls += [f"/tiles/footprint/{z}/{rng.randrange(n)}/{rng.randrange(n)}.png?year=2011&consumer=DEU"
                     for _ in range(8)]
        urls = list(dict.fromkeys(urls))
        t_first, r = _ms(lambda: client.get(urls[0]))
        assert r.status_code == 200, r.status_code
        second = []
        for u in urls[1:]:
            client.get(u)
            t2, r2 = _ms(lambda u=u: client.get(u))
            assert r2.status_code == 200
            second.append(t2)
    _emit(bench="footprint_tile_cached", url_example=urls[1], **_stats(second, 3), budget_ms=1,
          first_request_of_new_consumer_ms=round(t_first, 1),
          note="second GET of the same footprint tile URL through the Flask test client")


def main() -> None:
    settings = Settings.from_env()
    grids = Grids(Accounts(ensure_pack(settings, show_progress=False)))
    bench_layers(grids)
    bench_tiles(settings)


if __name__ == "__main__":
    main()
