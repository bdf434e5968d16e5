"""Command line: ``python -m engine <group> <command>``.

Groups
------
sources fetch | check | list     fill / verify / describe the data directory
pack build | status              build the processed pack (atomic) / show its key and state
ledger [--year ...]              the panoramic ledger for a Query, CSV or JSON on stdout
headline                         2022 adjustments beside the published panoramic claim and GCB
validate [--out FILE]            the validation figures as JSON (Markdown: python -m components.render.report)
grid --layer L --year Y [--gas G --unit mass] --out F   one 0.1° layer as CF NetCDF (CO2e or t of one gas)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.core.config import Settings


def _cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    from engine.data.fetch import check_all, fetch_all
    from engine.data.registry import load_registry

    if args.command == "list":
        for src in load_registry().values():
            print(f"{src.id:28s} {len(src.files):3d} file(s)  {src.title} [{src.license}]")
        return 0
    if args.command == "fetch":
        print(f"data directory: {settings.raw_dir}" + (f"  (mirror: {settings.mirror_dir})" if settings.mirror_dir else ""))
        reports = fetch_all(settings, show_progress=not args.quiet)
    else:
        reports = check_all(settings)
    bad = [r for r in reports if r.status != "ok"]
    for r in reports:
        if args.command == "check" or r.status != "ok":
            print(f"{r.status:8s} {r.file.relpath}" + (f"  -- {r.detail}" if r.status != "ok" else ""))
    print(f"{len(reports) - len(bad)} ok, {sum(r.status == 'missing' for r in bad)} missing, "
          f"{sum(r.status == 'corrupt' for r in bad)} corrupt")
    return 1 if bad else 0


def _cmd_pack(args: argparse.Namespace, settings: Settings) -> int:
    from engine.data.pack import build_pack, pack_key, pack_status

    if args.command == "build":
        path = build_pack(settings, force=args.force, show_progress=not args.quiet)
        print(f"pack ready: {path}")
        return 0
    state, path = pack_status(settings)
    print(f"{state:8s} key={pack_key()} path={path}")
    return 0 if state == "ok" else 1


def _accounts(settings: Settings):
    from engine.accounts.ledger import Accounts
    from engine.data.pack import ensure_pack

    return Accounts(ensure_pack(settings, show_progress=False))


def _emit(df, fmt: str, attrs: dict) -> None:
    import json

    if fmt == "json":
        print(json.dumps({"meta": attrs, "rows": json.loads(df.to_json(orient="records"))}, indent=1, default=str))
    else:
        for note in attrs.get("notes", []):
            print(f"# {note}")
        if attrs.get("query_text"):
            print(f"# query: {attrs['query_text']}")
        print(df.to_csv(index=False, float_format="%.6g"), end="")


def _cmd_ledger(args: argparse.Namespace, settings: Settings) -> int:
    from engine.core.query import Query

    params = {"year": args.year, "gwp": args.gwp, "luc_model": args.luc_model, "perspective": "consumption"}
    if args.gases:
        params["gases"] = args.gases
    if args.members:
        params.update(grouping="custom", members=args.members, name=args.name or "Custom group")
    elif args.group:
        params["grouping"] = args.group
    q = Query(**params)
    df = _accounts(settings).ledger(q)
    _emit(df, args.format, df.attrs)
    return 0


def _cmd_headline(args: argparse.Namespace, settings: Settings) -> int:
    from engine.accounts.headline import headline

    df = headline(_accounts(settings), gwp=args.gwp)
    _emit(df, args.format, df.attrs)
    return 0


def _cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    """The validation figures as JSON (the Markdown report: ``python -m components.render.report``)."""
    import json

    from engine.validation import results

    r = results(_accounts(settings))
    s = r["summary"]
    cd = r["cdiac"]
    out = {"pack": r["pack"],
           "world_balance_max_relative_difference": float(r["world_balance"]["relative_difference"].max()),
           "gcb_median_abs_pp": s["all"]["median"], "gcb_by_method": s["by_method"],
           "nowcast_vs_hold2011": s["nowcast_vs_hold2011"], "gcb_large_economies": s["large"],
           "reference_2011": r["reference_2011"].to_dict("records"),
           "headline": r["headline"].drop(columns=["reason"]).to_dict("records"),
           "cdiac_pearson_r_log10": {"min": float(cd["pearson_r_log10"].min()),
                                     "median": float(cd["pearson_r_log10"].median()),
                                     "max": float(cd["pearson_r_log10"].max())}}
    u = r["uncertainty"]
    if u is not None:
        out["uncertainty"] = {k: (v.to_dict("records") if hasattr(v, "to_dict") else v) for k, v in u.items()}
    text = json.dumps(out, indent=1, default=lambda v: None if v is None else float(v))
    if args.out:
        Path(args.out).write_text(text + "\n")
        print(f"validation figures written to {args.out}")
    else:
        print(text)
    return 0


def _cmd_grid(args: argparse.Namespace, settings: Settings) -> int:
    from engine.core.query import Query
    from engine.core.units import T_PER_MT
    from engine.maps.files import write_netcdf
    from engine.maps.grids import Grids

    params = {"year": args.year, "gwp": args.gwp, "luc_model": args.luc_model}
    if args.gas:
        params["gases"] = args.gas
    q = Query(**params)
    grids = Grids(_accounts(settings))
    da = grids.layer(args.layer, q, args.sector, args.unit)
    write_netcdf(da, args.out)
    total = float(da.values.sum(dtype="float64"))
    print(f"wrote {args.out}: {args.layer} {q.describe()} sector={args.sector}; sum {total / T_PER_MT:,.3f} Mt "
          f"({da.attrs['units']})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine", description="Holocarbon engine commands")
    sub = parser.add_subparsers(dest="cmd_group", required=True)
    p_src = sub.add_parser("sources", help="fill or verify the data directory")
    p_src.add_argument("command", choices=("fetch", "check", "list"))
    p_src.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p_pack = sub.add_parser("pack", help="build the processed pack")
    p_pack.add_argument("command", choices=("build", "status"))
    p_pack.add_argument("--force", action="store_true", help="rebuild even if an up-to-date pack exists")
    p_pack.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    from engine.core.query import GROUPINGS, GWP_SETS, LUC_MODELS

    p_led = sub.add_parser("ledger", help="the panoramic ledger for a Query (csv or json on stdout)")
    p_led.add_argument("--year", type=int, default=2022, help="1970-2023 (consumption from 1995)")
    p_led.add_argument("--gwp", default="AR5", help=f"one of {', '.join(GWP_SETS)}")
    p_led.add_argument("--gases", default=None, help="comma-separated subset of CO2,CH4,N2O,F-gases (default all)")
    p_led.add_argument("--luc-model", dest="luc_model", default="mean", help=f"one of {', '.join(LUC_MODELS)}")
    p_led.add_argument("--group", default="countries", help=f"one of {', '.join(GROUPINGS)}")
    p_led.add_argument("--members", default=None, help="custom group: comma-separated ISO3 codes")
    p_led.add_argument("--name", default=None, help="custom group label")
    p_led.add_argument("--format", choices=("csv", "json"), default="csv")
    p_head = sub.add_parser("headline", help="2022 adjustments vs the panoramic claim and GCB")
    p_head.add_argument("--gwp", default="AR5")
    p_head.add_argument("--format", choices=("csv", "json"), default="csv")
    p_val = sub.add_parser("validate", help="the validation figures as JSON (report: python -m components.render.report)")
    p_val.add_argument("--out", default=None, help="write the JSON to this file")
    from engine.maps.layers import LAYER_IDS

    p_grid = sub.add_parser("grid", help="write one 0.1 degree layer as CF NetCDF")
    p_grid.add_argument("--layer", default="emissions", choices=LAYER_IDS)
    p_grid.add_argument("--year", type=int, default=2022)
    p_grid.add_argument("--gas", default=None, help="comma-separated subset of CO2,CH4,N2O,F-gases (default all)")
    p_grid.add_argument("--sector", default="all", help="'all' or one EDGAR sector (emissions layer)")
    p_grid.add_argument("--gwp", default="AR5")
    p_grid.add_argument("--luc-model", dest="luc_model", default="mean")
    p_grid.add_argument("--unit", default="co2e", choices=("co2e", "mass"),
                        help="co2e (GWP-weighted) or mass: tonnes of the one gas given with --gas (CO2, CH4, N2O)")
    p_grid.add_argument("--out", required=True, help="output .nc path")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    from engine.core.errors import HolocarbonError

    try:
        if args.cmd_group == "sources":
            return _cmd_sources(args, settings)
        if args.cmd_group == "ledger":
            return _cmd_ledger(args, settings)
        if args.cmd_group == "headline":
            return _cmd_headline(args, settings)
        if args.cmd_group == "validate":
            return _cmd_validate(args, settings)
        if args.cmd_group == "grid":
            return _cmd_grid(args, settings)
        return _cmd_pack(args, settings)
    except (HolocarbonError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
