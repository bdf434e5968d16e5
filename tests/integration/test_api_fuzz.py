"""Property-based fuzzing of the REST API with schemathesis, driven by its own OpenAPI document.

Every operation of ``/api/v1/openapi.json`` gets schema-valid (positive) and schema-invalid (negative) requests,
bounded in examples; the checks are: never a 5xx, the status code is documented, the content type is documented,
the body validates against the documented schema, and invalid input is rejected with a 4xx.

(schemathesis' lazy ``from_fixture`` loader does not support pytest 9, so each operation is driven by its
hypothesis strategy inside an ordinary parametrised test.)
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation import GenerationMode

from api.v1 import ENDPOINTS, PREFIX
from app import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
PATHS = [PREFIX + e.path for e in ENDPOINTS] + [PREFIX + "/", PREFIX + "/openapi.json", "/tiles/labels/{z}/{x}/{y}.png",
                                                PREFIX + "/lca/templates/{name}"]
#: Examples per operation and mode: enough to reach every enum value and the bounds, small enough for CI.
MAX_EXAMPLES = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 15}
#: Valid values pinned in the positive run where validity depends on several values at once, which the schema cannot
#: say (a box needs west < east and a bounded span; unit=mass needs exactly one gas that has a mass); every other
#: parameter is still generated, and the negative run generates these too.
#: A required region code is pinned too: a generated string is almost never a known region, and whether one of the
#: 30 draws hits one (as in ``"A"`` -> 400) changed with every endpoint added to the document.
PINNED = {PREFIX + "/grid.nc": {"bbox": "5.0,45.0,15.0,55.0", "unit": "co2e"}, PREFIX + "/zonal": {"unit": "co2e"},
          PREFIX + "/cell": {"unit": "co2e"}, PREFIX + "/production": {"unit": "co2e"},
          PREFIX + "/series": {"region": "CHN"}, PREFIX + "/uncertainty": {"region": "CHN"},
          PREFIX + "/industry": {"country": "IND"}, PREFIX + "/industry/scenario": {"country": "IND"},
          PREFIX + "/lca": {"template": "pv_module", "country": "CHN"}}
#: Path parameters pinned in the positive run (a generated template name is never a template: always 404).
PINNED_PATH = {PREFIX + "/lca/templates/{name}": {"name": "pv_module"}}


@pytest.fixture(scope="module")
def api_schema(settings):
    app = create_app(settings)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app.server)


def test_document_lists_every_endpoint(api_schema):
    assert set(api_schema.raw_schema["paths"]) == set(PATHS)


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("path", PATHS)
def test_api_fuzz(api_schema, path, mode):
    operation = api_schema[path]["GET"]
    if mode is GenerationMode.NEGATIVE and not operation.definition.raw.get("parameters"):
        pytest.skip("no parameters to make invalid (unknown parameters are tested in test_api.py)")
    statuses = []

    pinned = PINNED.get(path) if mode is GenerationMode.POSITIVE else None
    pinned_path = PINNED_PATH.get(path) if mode is GenerationMode.POSITIVE else None

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode, query=pinned, path_parameters=pinned_path))
    @hypothesis.settings(max_examples=MAX_EXAMPLES[mode], deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    def run(case):
        # identity: the in-process WSGI transport does not decode content codings (compression: test_compression.py)
        statuses.append(case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"}).status_code)

    run()
    if mode is GenerationMode.POSITIVE:  # valid input is answered, not only refused
        assert any(200 <= s < 300 for s in statuses), statuses


@pytest.mark.slow
@pytest.mark.parametrize("run", ["pinned-body", "valid", "invalid"])
def test_api_fuzz_post_lca(api_schema, run):
    """``POST /api/v1/lca`` with generated bodies (JSON and CSV) and query strings: schema-valid bodies (their
    countries are almost never known: 404 with the closest), schema-invalid ones (wrong types, unknown keys, missing
    scope: 4xx naming the problem), and the documented example body with generated query parameters (answered). Never
    a 5xx; every answer documented and conforming."""
    from api.lca import example_body

    operation = api_schema[PREFIX + "/lca"]["POST"]
    mode = GenerationMode.NEGATIVE if run == "invalid" else GenerationMode.POSITIVE
    kw = {"body": {**example_body(), "draws": 50}, "media_type": "application/json",
          "query": {"country": "CHN"}} if run == "pinned-body" else {}
    statuses = []

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode, **kw))
    @hypothesis.settings(max_examples=MAX_EXAMPLES[mode], deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    def go(case):
        statuses.append(case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"}).status_code)

    go()
    assert all(s < 500 for s in statuses), statuses
    if run == "pinned-body":
        assert any(200 <= s < 300 for s in statuses), statuses
    else:
        assert any(s in (400, 404, 413, 415) for s in statuses), statuses
