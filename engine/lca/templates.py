"""Product templates (``data/lca_templates/<name>.json``): plain JSON with ``name``, ``title``, ``description``,
``scope`` (:class:`~engine.lca.scope.Scope` fields), ``lines`` (inventory lines with a ``source`` each),
``published`` (a published footprint of a similar product with its citation and the band the test holds) and
``sources``. Editable by hand; loaded by name.
"""

from __future__ import annotations

import json

from engine.core.config import AUTHORED_DIR
from engine.core.errors import InputError, NotFoundError
from engine.core.query import closest

TEMPLATE_DIR = AUTHORED_DIR / "lca_templates"


def names() -> list[str]:
    """Template names (file stems), sorted."""
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.json"))


def load(name: str) -> dict:
    """The template as a dict.

    Raises
    ------
    NotFoundError
        For an unknown name (the message names the templates).
    """
    key = str(name).strip().lower()
    known = names()
    if key not in known:
        near = closest(key.upper(), [k.upper() for k in known])
        raise NotFoundError(f"unknown template {name!r}; templates: {', '.join(known)}"
                            + (f" (closest: {', '.join(n.lower() for n in near)})" if near else ""))
    try:
        return json.loads((TEMPLATE_DIR / f"{key}.json").read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"data/lca_templates/{key}.json is not valid JSON: {exc}") from None
