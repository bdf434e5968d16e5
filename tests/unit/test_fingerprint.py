"""Code fingerprints follow the code, not its comments: the basis of pack keys and the cache namespace (issue 11)."""

from __future__ import annotations

import textwrap

from engine.data.fingerprint import CodeGraph


def _pkg(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return CodeGraph(root=tmp_path, packages=("eng",))


BASE = {
    "eng/__init__.py": '"""pkg"""\ndef __getattr__(name):\n    from eng import facade\n    return facade\n',
    "eng/facade.py": "X = 1\n",
    "eng/core.py": '"""Core."""\nFACTOR = 2\ndef f(x):\n    """Double."""\n    return FACTOR * x\n',
    "eng/table.py": 'def read():\n    from eng import core\n    return open("groups.csv")\n',
}


def test_docstrings_and_comments_do_not_change_the_fingerprint(tmp_path):
    before = _pkg(tmp_path, BASE).fingerprint(["eng.table"])["code"]
    after = _pkg(tmp_path, {**BASE, "eng/core.py": '"""Core, edited."""\n# a comment\nFACTOR = 2\n'
                            'def f(x):\n    """Double it."""\n    return FACTOR * x\n'}).fingerprint(["eng.table"])["code"]
    assert before == after


def test_a_changed_constant_in_a_lazily_imported_module_changes_it(tmp_path):
    before = _pkg(tmp_path, BASE).fingerprint(["eng.table"])["code"]
    assert "eng.core" in before  # imported inside a function: followed
    after = _pkg(tmp_path, {**BASE, "eng/core.py": "FACTOR = 3\ndef f(x):\n    return FACTOR * x\n"}
                 ).fingerprint(["eng.table"])["code"]
    assert before["eng.core"] != after["eng.core"] and before["eng.table"] == after["eng.table"]


def test_a_package_facade_is_not_followed(tmp_path):
    code = _pkg(tmp_path, BASE).fingerprint(["eng.table"])["code"]
    assert "eng" in code and "eng.facade" not in code  # __getattr__ lazy imports run only when asked for


def test_authored_tables_named_in_the_code_are_inputs():
    fp = CodeGraph().fingerprint(["engine.io.satellite"])
    assert {"edgar_to_wiod.csv", "jrc56_to_wiod35.csv"} <= set(fp["authored"])
    assert all(len(v) == 64 for v in fp["authored"].values())
