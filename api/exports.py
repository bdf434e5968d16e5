"""``GET /export/<chart>.<fmt>?<query>`` — every registered chart as PNG/SVG/PDF or its data as CSV/XLSX.

Query parameters are those of the page URLs (year, gwp, gases, luc_model, grouping, members, name, perspective)
plus the chart's page parameters (e.g. ``code`` for country charts). Unknown chart or format -> 404, bad
parameters -> 400, both as JSON ``{error, detail, allowed}``.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, request

from api.errors import bad_request
from components.charts import CHARTS
from components.export import FORMATS, csv_bytes, figure_bytes, xlsx_bytes
from engine.query import Query

bp = Blueprint("holocarbon_exports", __name__)
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def render(name: str, fmt: str, args) -> tuple[bytes, str, str]:
    """(bytes, mimetype, filename) of one export; raises KeyError (unknown chart) or ValueError (bad input)."""
    spec = CHARTS[name]
    params = {k: args[k] for k in spec.params if k in args}
    missing = [k for k in spec.params if k not in params]
    if missing:
        raise ValueError(f"chart {name!r} needs the parameter(s) {', '.join(missing)}")
    query_args = {k: v for k, v in args.items() if k not in spec.params}
    q = Query.from_params(query_args)
    acc = current_app.config.get("HOLOCARBON_ACCOUNTS")
    if acc is None:
        raise RuntimeError("the processed data pack is not available")
    out = spec.build(acc, q, params)
    if fmt in ("png", "svg", "pdf"):
        data = figure_bytes(out, fmt, q, params, current_app.config["HOLOCARBON_KALEIDO"])
    elif fmt == "csv":
        data = csv_bytes(out, q, params)
    else:
        data = xlsx_bytes(out, q, params)
    stem = _SAFE.sub("-", "_".join([name, *(str(v) for v in params.values()), str(q.year)]))
    return data, FORMATS[fmt], f"holocarbon_{stem}.{fmt}"


@bp.get("/export/<name>.<fmt>")
def export(name: str, fmt: str):
    if name not in CHARTS:
        return bad_request(f"unknown chart {name!r}", sorted(CHARTS), status=404, error="not found")
    if fmt not in FORMATS:
        return bad_request(f"unknown format {fmt!r}", list(FORMATS), status=404, error="not found")
    try:
        data, mime, filename = render(name, fmt, request.args)
    except ValueError as exc:
        return bad_request(str(exc))
    except RuntimeError as exc:
        return bad_request(str(exc), status=503, error="unavailable")
    resp = Response(data, mimetype=mime)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp
