"""Command line: ``python -m engine <group> <command>``.

Groups
------
sources fetch | check | list     fill / verify / describe the data directory
pack build | status              build the processed pack (atomic) / show its key and state
"""

from __future__ import annotations

import argparse
import sys

from engine.config import Settings


def _cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    from engine.fetch import check_all, fetch_all
    from engine.registry import load_registry

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
    from engine.pack import build_pack, pack_key, pack_status

    if args.command == "build":
        path = build_pack(settings, force=args.force, show_progress=not args.quiet)
        print(f"pack ready: {path}")
        return 0
    state, path = pack_status(settings)
    print(f"{state:8s} key={pack_key()} path={path}")
    return 0 if state == "ok" else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine", description="Holocarbon engine commands")
    sub = parser.add_subparsers(dest="group", required=True)
    p_src = sub.add_parser("sources", help="fill or verify the data directory")
    p_src.add_argument("command", choices=("fetch", "check", "list"))
    p_src.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p_pack = sub.add_parser("pack", help="build the processed pack")
    p_pack.add_argument("command", choices=("build", "status"))
    p_pack.add_argument("--force", action="store_true", help="rebuild even if an up-to-date pack exists")
    p_pack.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    from engine.errors import HolocarbonError

    try:
        if args.group == "sources":
            return _cmd_sources(args, settings)
        return _cmd_pack(args, settings)
    except HolocarbonError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
