"""The recorded answers of a fixed set of API, tile and NetCDF requests are unchanged (issue 11: a change of
structure, not of behaviour). The answers were recorded from the code before the engine restructure (see
:mod:`tests.integration.golden.requests`); a deliberate change of behaviour re-records them in its own commit,
saying why."""

from __future__ import annotations

import pytest

from tests.integration.golden.requests import REQUESTS, canonical, load


@pytest.fixture(scope="module")
def recorded():
    return load()


@pytest.mark.parametrize("kind,url", REQUESTS, ids=[u for _, u in REQUESTS])
def test_answer_unchanged(client, recorded, kind, url):
    r = client.get(url)
    assert r.status_code == recorded[url]["status"]
    assert canonical(kind, r.data) == recorded[url]["answer"], f"the answer of {url} changed"
