"""The web side's structure: the JSON API and the tile server import no Dash, and one table maps exceptions to HTTP
statuses for the API, tiles, exports and pages (issue 11)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("module", ["api.v1", "api.tiles", "api.spec", "api.openapi", "components.render.tiles",
                                    "components.render.snapshot", "components.render.figures", "engine.session"])
def test_json_api_and_tiles_import_no_dash(module):
    code = (f"import sys, json; import {module}; "
            "print(json.dumps(sorted(m for m in sys.modules if m == 'dash' or m.startswith('dash.'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [], f"{module} imports Dash"


def test_the_engine_imports_nothing_from_the_web():
    code = ("import sys, json, engine.session, engine.validation, engine.__main__; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('dash', 'flask', 'plotly', 'pages', 'components', 'api'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_one_table_from_exception_to_status():
    from api.errors import Busy, ServiceUnavailable, status_for
    from api.spec import ParamError
    from components.render.figures import RenderError
    from engine.core.errors import (
        InputError,
        NotFoundError,
        PackError,
        SourceMissingError,
    )

    assert status_for(NotFoundError("unknown country 'XXX'")) == (404, "not found")
    assert status_for(InputError("year must be in 1970–2023")) == (400, "bad request")  # not 503: the user's to fix
    assert status_for(ValueError("bad")) == (400, "bad request")
    assert status_for(ParamError("unknown code", status=404)) == (404, "not found")
    assert status_for(SourceMissingError("gone", "edgar2024", "x.xlsx")) == (503, "unavailable")
    assert status_for(PackError("no pack")) == (503, "unavailable")
    assert status_for(RenderError("chromium died")) == (503, "unavailable")
    assert status_for(ServiceUnavailable("no pack")) == (503, "unavailable")
    assert status_for(Busy("busy")) == (503, "busy")
    assert status_for(ZeroDivisionError()) is None  # unexpected: logged, generic 500


def test_pages_word_errors_from_the_same_table():
    from components.messages import notice_kind, user_message
    from engine.core.errors import PackError

    assert notice_kind(ValueError("x")) == "warning" and notice_kind(PackError("y")) == "error"
    assert "processed data" in user_message(PackError("no pack here"))
    assert user_message(ZeroDivisionError()).startswith("Something went wrong")
