"""Benchmark: exports. JSON lines.

- ``export_chart``: one chart export through the HTTP contract (Flask test client), cold (first kaleido use in
  the process) and warm, per format; budget 1 s warm.
- ``export_map``: atlas snapshot PNG/PDF/NetCDF/GeoTIFF of a Europe window.
- ``briefing_pdf``: a six-chart briefing PDF (when the briefing route is present); budget 10 s.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    import logging

    from app import create_app

    logging.disable(logging.INFO)
    client = create_app().server.test_client()

    def timed(url, method="get", **kw):
        t = time.perf_counter()
        r = getattr(client, method)(url, **kw)
        assert r.status_code == 200, (url, r.status_code, r.data[:200])
        return (time.perf_counter() - t) * 1000, len(r.data)

    cold, _ = timed("/export/country-series.png?code=CHN&year=2015")
    print(json.dumps({"bench": "export_chart_cold", "ms": round(cold), "note": "first export: starts the kaleido "
                      "server (chromium) once for the process"}))
    charts = [("country-series", "code=CHN"), ("country-sectors", "code=USA"), ("country-bridge", "code=EU27"),
              ("country-partners", "code=JPN"), ("home-world-ghg", ""), ("home-budget", "")]
    for fmt in ("png", "svg", "pdf", "csv", "xlsx"):
        times = []
        for year in (2012, 2016, 2020):
            for name, extra in charts:
                ms, _ = timed(f"/export/{name}.{fmt}?year={year}" + (f"&{extra}" if extra else ""))
                times.append(ms)
        times.sort()
        print(json.dumps({"bench": "export_chart_warm", "format": fmt, "n": len(times),
                          "median_ms": round(statistics.median(times)), "max_ms": round(times[-1]),
                          "budget_ms": 1000}))
    for fmt in ("png", "pdf", "nc", "tif"):
        ms, size = timed(f"/export/map.{fmt}?year=2020&bbox=-10,35,30,60")
        print(json.dumps({"bench": "export_map", "format": fmt, "ms": round(ms), "bytes": size}))
    rules = {r.rule for r in client.application.url_map.iter_rules()}
    if "/briefing/export.<fmt>" in rules:
        items = [{"chart": n, "title": n, "query": f"year=2018&{e}".strip("&"), "note": "Bench note."}
                 for n, e in charts]
        ms, size = timed("/briefing/export.pdf", method="post",
                         json={"title": "Bench briefing", "intro": "Six charts.", "items": items})
        print(json.dumps({"bench": "briefing_pdf", "charts": 6, "ms": round(ms), "bytes": size, "budget_ms": 10000}))


if __name__ == "__main__":
    main()
