"""Every module the running app imports comes from requirements.txt (issue 11: ``make serve`` once stopped with
``ModuleNotFoundError: No module named 'pypdf'`` because only requirements-dev.txt installed it).

The imports of ``app.py``, ``pages/``, ``components/``, ``api/``, ``engine/`` and ``gunicorn.conf.py`` are read from
the syntax tree (top-level and function-level ``import`` statements alike, since lazily imported modules are needed
at run time too); each third-party module is mapped to its distribution, which must be installed by the runtime
requirements (directly or as a dependency of one of them). ``.ci/run`` proves the same from the other side: it
builds an environment from requirements.txt alone and serves the app from it.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_TREES = ("app.py", "gunicorn.conf.py", "pages", "components", "api", "engine")
FIRST_PARTY = {"app", "pages", "components", "api", "engine", "tests", "bench"}


def _files():
    for name in RUNTIME_TREES:
        p = ROOT / name
        yield from ([p] if p.is_file() else sorted(p.rglob("*.py")))


def imported_modules() -> dict[str, set[str]]:
    """Top-level module name -> files that import it (absolute imports only)."""
    out: dict[str, set[str]] = {}
    for f in _files():
        tree = ast.parse(f.read_text(), filename=str(f))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for n in names:
                out.setdefault(n.split(".")[0], set()).add(str(f.relative_to(ROOT)))
    return out


def _requirements(path: Path) -> list[Requirement]:
    reqs = []
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            reqs.append(Requirement(line))
    return reqs


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(reqs: list[Requirement]) -> set[str]:
    """Normalised names of the distributions that installing ``reqs`` installs (dependencies followed)."""
    seen: set[str] = set()
    todo = [r.name for r in reqs]
    while todo:
        name = _norm(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            deps = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        for d in deps:
            r = Requirement(d)
            if r.marker is None or r.marker.evaluate({"extra": ""}):
                todo.append(r.name)
    return seen


def test_every_runtime_import_is_installed_by_requirements_txt():
    runtime = closure(_requirements(ROOT / "requirements.txt"))
    dev_only = closure(_requirements(ROOT / "requirements-dev.txt")) - runtime
    dists = md.packages_distributions()
    stdlib = set(sys.stdlib_module_names)
    problems = []
    for mod, files in sorted(imported_modules().items()):
        if mod in stdlib or mod in FIRST_PARTY or mod == "__future__":
            continue
        owners = {_norm(d) for d in dists.get(mod, [])}
        if not owners:
            problems.append(f"{mod} (imported by {', '.join(sorted(files)[:3])}) is not installed at all")
        elif not owners & runtime:
            where = "only requirements-dev.txt installs it" if owners & dev_only else "no requirements file installs it"
            problems.append(f"{mod} (imported by {', '.join(sorted(files)[:3])}): {where}")
    assert not problems, "runtime imports missing from requirements.txt:\n" + "\n".join(problems)


def test_the_check_catches_a_dev_only_import(tmp_path, monkeypatch):
    """The walk sees lazily imported modules, and a dev-only distribution is reported (a check that cannot fail
    would be a defect)."""
    mods = imported_modules()
    assert "pypdf" in mods and "components/briefing.py" in mods["pypdf"]  # imported inside a function
    runtime = closure(_requirements(ROOT / "requirements.txt"))
    assert "pypdf" in runtime
    assert "pytest" not in runtime and "playwright" not in runtime and "pymrio" not in runtime


@pytest.mark.parametrize("dev_module", ["pytest", "playwright", "hypothesis", "pymrio", "schemathesis"])
def test_dev_tools_are_not_runtime_requirements(dev_module):
    runtime = closure(_requirements(ROOT / "requirements.txt"))
    owners = {_norm(d) for d in md.packages_distributions().get(dev_module, [dev_module])}
    assert not owners & runtime
