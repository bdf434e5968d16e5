"""Many users at once never get each other's exports or answers (issue 11).

Kaleido's process-wide "sync server" put every render's answer on one shared queue, so two exports rendered at the
same time could each receive the other's image: 4 of 22 concurrent PNG exports came back as another chart under the
right file name. These tests fire many distinct exports at once — chart PNG, SVG and PDF, map snapshots (PNG, PDF)
and briefing PDFs, plus JSON answers and tiles that go through the workers' shared cache — against a real threaded dev
server and a real gunicorn with three workers, and compare every answer with the same request made alone. SVG and PDF carry a random plot id or a creation date; both are normalised
before comparing (and the test checks that two renders made alone are then equal, so the comparison is sharp).
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import re

import pytest

from tests.support.servers import fetch, server

pytestmark = pytest.mark.slow

CHART_EXPORTS = (
    "/export/ledger-adjustment.png?year=2011",
    "/export/trade-sankey.png",
    "/export/country-series.png?code=DEU",
    "/export/country-sectors.png?code=CHN",
    "/export/home-budget.png",
    "/export/ledger-map.png",
    "/export/trade-matrix.svg?year=2011",
    "/export/country-bridge.svg?code=USA",
    "/export/sector-rank.pdf?code=power-industry",
    "/export/home-world-ghg.pdf",
)
MAP_EXPORTS = (
    "/export/map.png?layer=emissions&year=2015&bbox=-20,30,40,70",
    "/export/map.png?layer=land_sink&year=2015&bbox=-80,-30,-30,10",
    "/export/map.pdf?layer=net_flux&year=2019&bbox=90,10,150,50",
)
#: Answers that go through the shared cache backend (JSON answers, rendered tiles): distinct requests at once must
#: each get their own, whichever worker computed them.
CACHED = (
    "/api/v1/ledger?year=2005&regions=CHN,USA",
    "/api/v1/ledger?year=2015&gwp=AR6&regions=CHN,USA",
    "/api/v1/flows?year=2011&grouping=mrio&consumer=DEU&limit=5",
    "/tiles/emissions/2/2/1.png?year=2010",
    "/tiles/emissions/2/2/1.png?year=2020",
    "/tiles/net_flux/2/2/1.png?year=2015",
)
BRIEFINGS = (
    {"title": "Trade", "intro": "", "items": [{"chart": "trade-sankey", "title": "", "query": "year=2011", "note": ""}]},
    {"title": "Germany", "intro": "Series.",
     "items": [{"chart": "country-series", "title": "", "query": "code=DEU", "note": "n"}]},
)


def _requests() -> list[tuple[str, bytes | None]]:
    return ([(u, None) for u in CHART_EXPORTS + MAP_EXPORTS + CACHED]
            + [("/briefing/export.pdf", json.dumps(b).encode()) for b in BRIEFINGS])


def normalise(path: str, body: bytes) -> bytes:
    """The bytes that identify an export: SVG without its random plot id, PDF without dates and file ids."""
    if ".svg" in path:
        m = re.search(rb'id="defs-([0-9a-f]+)"', body)
        body = body.replace(m.group(1), b"UID") if m else body
        for suffix in set(re.findall(rb'id="gUID-([0-9a-f]+)"', body)):  # colour bars carry a random id too
            body = body.replace(suffix, b"COLORBAR")
        return body
    if ".pdf" in path:
        body = re.sub(rb"/(CreationDate|ModDate) *\(D:[^)]*\)", b"", body)
        return re.sub(rb"/ID *\[ *<[0-9A-Fa-f]*> *<[0-9A-Fa-f]*> *\]", b"", body)
    return body


def _check_concurrent(base: str, rounds: int = 3, threads: int = 16) -> None:
    reqs = _requests()
    alone = {}
    for path, body in reqs:
        status, data = fetch(base, path, body)
        assert status == 200, f"{path}: {status} {data[:300]!r}"
        alone[(path, body)] = normalise(path, data)
    # the normalisation leaves nothing random: a second export made alone is identical
    for path, body in reqs:
        assert normalise(path, fetch(base, path, body)[1]) == alone[(path, body)], f"{path} is not reproducible"
    distinct = {v for v in alone.values()}
    assert len(distinct) == len(reqs), "the exports under test must all differ"
    jobs = [r for _ in range(rounds) for r in reqs]
    wrong = []
    with cf.ThreadPoolExecutor(threads) as ex:
        futures = {ex.submit(fetch, base, p, b): (p, b) for p, b in jobs}
        for fut in cf.as_completed(futures):
            p, b = futures[fut]
            status, data = fut.result()
            assert status == 200, f"{p}: {status} {data[:300]!r}"
            got = normalise(p, data)
            if got != alone[(p, b)]:
                others = [k[0] + (" " + k[1].decode()[:40] if k[1] else "") for k, v in alone.items() if v == got]
                wrong.append(f"{p}{' ' + b.decode()[:40] if b else ''} -> {others or 'an unknown image'}")
    assert not wrong, f"{len(wrong)} of {len(jobs)} concurrent exports were not their own: " + "; ".join(wrong)


def test_threaded_dev_server_gives_every_request_its_own_export(settings, out_dir):
    with server("dev", settings.data_dir, out_dir / "server-concurrency-dev.log",
                env={"HOLOCARBON_CACHE_DIR": "none"}) as base:
        _check_concurrent(base)


def test_gunicorn_workers_give_every_request_its_own_export(settings, out_dir, tmp_path):
    with server("gunicorn", settings.data_dir, out_dir / "server-concurrency-gunicorn.log", workers=3,
                env={"HOLOCARBON_CACHE_DIR": str(tmp_path / "cache")}) as base:
        _check_concurrent(base)
