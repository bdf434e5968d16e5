"""Benchmark: 0.1° grid layers and map tiles, in-process (no browser). Prints JSON lines.

Engine objects are built as ``app.py`` builds them (``Accounts(ensure_pack(Settings.from_env()))`` and
``Grids(accounts)``). Figures (budgets from DESIGN.md):

- ``grid_context``: the one-off per-process proxy context (country cells, normalised proxies) [info];
- ``grid_layer_emissions``: one emissions layer from national totals with the context built and the year's
  national totals loaded, a new Query each time (year / gases / GWP / sector) — median and p95 over 15 layers
  (budget 50 ms); the first load of a year's national totals is reported on its own line
  (``grid_year_totals_load``);
- ``grid_layer_other``: ocean sink, land sink, land-use change and net flux, each computed once [info];
- ``grid_pyramid``: the tile pyramid of a layer (block means at 0.2°, 0.4°, 0.8°, 1.5°) [info];
- ``tile_render_cold``: a 256 px tile at a new address at zoom 2–6 with the layer's pyramid cached
  (``engine.maps.pyramid.sample_tile`` + ``render_png``; budget 15 ms), also by zoom;
- ``tile_cached``: the same ``/tiles/…`` URL requested twice through the Flask test client of
  ``app.create_app(…)``; the second request's wall time (budget 1 ms), the ETag revalidation (304) and the
  cache lookup alone. The app gets a fresh temporary FileSystemCache directory, so the first request is honest
  and nothing is written to the user's cache;
- ``grid_memory``: resident memory after building 10 layers and their pyramids (budget 2 GB), and peak;
- ``grid_layer_sinks``: the ocean layer's one-off pattern (coastal fill, uptake/outgassing split on the 0.1° water
  area) and then one ocean and land layer per new year [info];
- ``grid_layer_uncertainty``: the per-cell uncertainty layer (issue 16 item 4), a new Query each time with the
  context and the year's totals loaded (budget 150 ms), and its pyramid; ``tile_cached`` is repeated for its tiles.

Run: ``python bench/grid.py``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components.render.colormaps import COLORMAPS  # noqa: E402
from components.render.tiles import render_png  # noqa: E402
from engine.accounts.ledger import Accounts  # noqa: E402
from engine.core.config import Settings  # noqa: E402
from engine.core.query import Query  # noqa: E402
from engine.data.pack import ensure_pack  # noqa: E402
from engine.maps.grids import Grids  # noqa: E402
from engine.maps.pyramid import pyramid, sample_tile  # noqa: E402

ALL = ("CO2", "CH4", "N2O", "F-gases")
#: 15 emissions layers: (year, gwp, gases, sector); every one a distinct cache key
LAYER_QUERIES = [
    (2022, "AR5", ALL, "all"), (2022, "AR6", ALL, "all"), (2022, "AR4", ("CO2",), "all"),
    (2021, "AR5", ALL, "all"), (2021, "AR6-GWP20", ("CH4", "N2O"), "all"), (2020, "AR5", ALL, "Power Industry"),
    (2020, "AR6", ALL, "all"), (2015, "AR5", ("CO2", "CH4"), "all"), (2015, "AR5", ALL, "Agriculture"),
    (2010, "AR5", ALL, "all"), (2010, "AR6", ("CO2",), "Transport"), (2005, "AR4", ALL, "all"),
    (2000, "AR5", ALL, "all"), (1990, "AR5", ALL, "all"), (1970, "AR6", ALL, "all"),
]


def _ms(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t) * 1000, out


def _stats(times: list[float], digits: int = 2) -> dict:
    s = sorted(times)
    return {"n": len(s), "median_ms": round(statistics.median(s), digits),
            "p95_ms": round(s[max(0, round(0.95 * len(s)) - 1)], digits), "max_ms": round(s[-1], digits)}


def _rss_mib() -> float:
    return psutil.Process().memory_info().rss / 2**20


def _emit(**fields) -> None:
    print(json.dumps(fields), flush=True)


def bench_layers(grids: Grids) -> None:
    t_ctx, _ = _ms(grids.context)
    _emit(bench="grid_context", ms=round(t_ctx, 1), rss_mib=round(_rss_mib(), 1),
          note="one-off per process: country cells and per-country normalised proxies")

    years = sorted({y for y, *_ in LAYER_QUERIES})
    loads = [_ms(lambda y=y: grids.accounts.sector_year(y))[0] for y in years]
    _emit(bench="grid_year_totals_load", years=len(years), **_stats(loads, 1),
          note="first use of a year's EDGAR country x sector x gas totals (then cached)")

    times, cpu = [], []
    for year, gwp, gases, sector in LAYER_QUERIES:
        q = Query(year=year, gwp=gwp, gases=gases)
        c0 = time.process_time()
        t, da = _ms(lambda q=q, s=sector: grids.emissions(q, s))
        cpu.append((time.process_time() - c0) * 1000)
        assert da.shape == (1800, 3600)
        times.append(t)
    _emit(bench="grid_layer_emissions", **_stats(times), budget_ms=50,
          cpu_median_ms=round(statistics.median(cpu), 2),
          note="wall time; new Query each time; context built and the year's national totals loaded "
               "(cpu_median_ms: process CPU time, less sensitive to other load on the machine)")

    q = Query(year=2019)
    other = {}
    for name in ("ocean_sink", "land_sink", "luc", "net_flux"):
        other[name] = round(_ms(lambda n=name: grids.layer(n, q))[0], 1)
    _emit(bench="grid_layer_other", year=2019, ms=other,
          note="each computed once (net_flux reuses the cached emissions/sink/LUC layers of the same Query)")


def bench_pyramid_and_tiles(grids: Grids) -> None:
    qs = [Query(year=y) for y in (2022, 2010, 1990)]
    grids_vals = [grids.emissions(q).values for q in qs]
    pt = [_ms(lambda g=g: pyramid(g))[0] for g in grids_vals for _ in range(3)]
    _emit(bench="grid_pyramid", **_stats(pt, 1), note="block means of a 1800 x 3600 float32 layer")

    rng = random.Random(7)
    cmap = COLORMAPS["emissions"]
    levels = grids.levels("emissions", qs[0])
    sample_tile(levels, 2, 0, 0), render_png(sample_tile(levels, 2, 0, 0), cmap)  # import / first-call costs
    total, samp, rend, by_zoom = [], [], [], {}
    for z in range(2, 7):
        n = 1 << z
        addrs = [(x, y) for x in range(n) for y in range(n)]
        rng.shuffle(addrs)
        for x, y in addrs[:24]:
            t0 = time.perf_counter()
            v = sample_tile(levels, z, x, y)
            t1 = time.perf_counter()
            render_png(v, cmap)
            t2 = time.perf_counter()
            samp.append((t1 - t0) * 1000)
            rend.append((t2 - t1) * 1000)
            total.append((t2 - t0) * 1000)
            by_zoom.setdefault(z, []).append((t2 - t0) * 1000)
    _emit(bench="tile_render_cold", **_stats(total), budget_ms=15,
          sample_median_ms=round(statistics.median(samp), 2), png_median_ms=round(statistics.median(rend), 2),
          median_ms_by_zoom={z: round(statistics.median(t), 2) for z, t in by_zoom.items()},
          note="new tile addresses, zoom 2-6 (24 per zoom, 16 at zoom 2), layer pyramid cached")


def bench_cached_tiles(settings: Settings, layer: str = "emissions") -> None:
    from app import create_app

    with tempfile.TemporaryDirectory(prefix="holocarbon-bench-cache-") as tmp:
        app = create_app(dataclasses.replace(settings, cache_dir=Path(tmp), redis_url=None))
        server = app.server
        client = server.test_client()
        grids = server.config["HOLOCARBON_GRIDS"]
        rng = random.Random(11)
        urls = []
        for z in (2, 3, 4, 5):
            n = 1 << z
            urls += [f"/tiles/{layer}/{z}/{rng.randrange(n)}/{rng.randrange(n)}.png?year=2018" for _ in range(10)]
        urls = list(dict.fromkeys(urls))
        t_first_layer, r = _ms(lambda: client.get(urls[0]))
        assert r.status_code == 200, r.status_code
        first, second, reval, lookup = [], [], [], []
        for u in urls[1:]:
            t1, r1 = _ms(lambda u=u: client.get(u))
            t2, r2 = _ms(lambda u=u: client.get(u))
            assert r1.status_code == r2.status_code == 200 and r1.data == r2.data
            etag = r2.headers["ETag"].strip('"')
            t3, r3 = _ms(lambda u=u, e=etag: client.get(u, headers={"If-None-Match": f'"{e}"'}))
            assert r3.status_code == 304, r3.status_code
            t4, png = _ms(lambda e=etag: grids.cache.get("tile:" + e))
            assert png == r2.data
            first.append(t1)
            second.append(t2)
            reval.append(t3)
            lookup.append(t4)
        # the shared tier alone (what another server worker pays on its first request for a tile)
        shared = [_ms(lambda u=u: grids.cache.shared.get("tile:" + client.get(u).headers["ETag"].strip('"')))[0]
                  for u in urls[1:11]]
    _emit(bench="tile_cached", layer=layer, url_example=urls[1], **_stats(second, 3), budget_ms=1,
          first_request_median_ms=round(statistics.median(first), 2),
          first_request_of_new_layer_ms=round(t_first_layer, 1),
          revalidate_304_median_ms=round(statistics.median(reval), 3),
          memory_lookup_median_ms=round(statistics.median(lookup), 4),
          filesystem_tier_get_median_ms=round(statistics.median(shared), 3),
          note="second GET of the same URL through the Flask test client (full WSGI request: routing, Query "
               "parsing, ETag, after_request headers); memory_lookup is the cache get alone")


def bench_sinks_and_uncertainty(grids: Grids) -> None:
    t_pat, _ = _ms(grids.ocean_pattern)
    ocean = [_ms(lambda y=y: grids.ocean_sink(y))[0] for y in (2023, 2010, 1995, 1980)]
    land = [_ms(lambda y=y: grids.land_sink(y))[0] for y in (2023, 2010, 1995, 1980)]
    _emit(bench="grid_layer_sinks", ocean_pattern_once_ms=round(t_pat, 1), ocean=_stats(ocean, 1),
          land=_stats(land, 1), note="ocean: filled Takahashi pattern built once per process, then k x uptake - "
                                     "outgassing per year; land: the pack's shares x the GCB sink")
    queries = [(2022, "AR5", ALL, "all"), (2021, "AR6", ALL, "all"), (2020, "AR5", ("CO2",), "all"),
               (2015, "AR5", ALL, "Agriculture"), (2010, "AR6", ALL, "Power Industry"), (2005, "AR4", ALL, "all"),
               (2000, "AR5", ("CH4", "N2O"), "all"), (1990, "AR5", ALL, "Transport")]
    t_inputs, _ = _ms(grids.uncertainty_inputs)
    for year, *_ in queries:
        grids.accounts.sector_year(year)
    times, pyr = [], []
    for year, gwp, gases, sector in queries:
        q = Query(year=year, gwp=gwp, gases=gases)
        t, da = _ms(lambda q=q, s=sector: grids.uncertainty(q, s))
        assert da.shape == (1800, 3600) and da.attrs["units"] == "%"
        times.append(t)
        pyr.append(_ms(lambda q=q, s=sector: grids.levels("uncertainty", q, s))[0])
    vals = grids.uncertainty(Query(year=2022)).values
    vals = vals[vals > 0]
    _emit(bench="grid_layer_uncertainty", **_stats(times, 1), budget_ms=150, inputs_once_ms=round(t_inputs, 1),
          pyramid_median_ms=round(statistics.median(pyr), 1), cells_2022=int(vals.size),
          median_pct_2022=round(float(statistics.median(vals.tolist())), 1),
          note="new Query each time, context and year totals loaded; pyramid: means over cells with a value")


def bench_memory(grids: Grids) -> None:
    queries = [Query(year=y) for y in (2023, 2019, 2017, 2016, 2014, 2013, 2012, 2011, 2009, 2008)]
    for q in queries:
        grids.levels("emissions", q)  # builds the layer and its pyramid, as serving tiles does
    rss = _rss_mib()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _emit(bench="grid_memory", layers_built=len(queries), rss_mib=round(rss, 1), peak_rss_mib=round(peak, 1),
          budget_mib=2048, big_cache_items=grids.big.memory.max_items,
          note="RSS of this process after 10 emissions layers + pyramids (the layer LRU keeps the most recent)")


def main() -> None:
    settings = Settings.from_env()
    t_pack, pack = _ms(lambda: ensure_pack(settings, show_progress=False))
    accounts = Accounts(pack)
    grids = Grids(accounts)
    _emit(bench="grid_setup", pack_open_ms=round(t_pack, 1), rss_mib=round(_rss_mib(), 1),
          cpus=os.cpu_count(), loadavg_1min=round(os.getloadavg()[0], 2))
    bench_layers(grids)
    bench_pyramid_and_tiles(grids)
    bench_sinks_and_uncertainty(grids)
    bench_memory(grids)
    bench_cached_tiles(settings)
    bench_cached_tiles(settings, "uncertainty")


if __name__ == "__main__":
    main()
