"""The `timetally` command: the GUI with no arguments, sub-commands on the same services otherwise."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from app import __version__
from app.domain.errors import TimeTallyError


def command_modules() -> list[str]:
    """Every module of `app.commands` that has a `register(subparsers)` adds its command group."""
    import app.commands

    return sorted(f"app.commands.{m.name}" for m in pkgutil.iter_modules(app.commands.__path__))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timetally", description="TimeTally time tracker")
    parser.add_argument("--version", action="version", version=f"TimeTally {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation works (temporary database, capture, windows offscreen) and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        module = importlib.import_module(name)
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    if args.self_test:
        from app.ui.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        from app.bootstrap import run_gui

        return run_gui()
    if handler is None:
        build_parser().parse_args([*(argv or sys.argv[1:]), "--help"])
        return 2
    from app.bootstrap import build_core

    try:
        core = build_core()
    except TimeTallyError as exc:
        print(f"timetally: {exc}", file=sys.stderr)
        return 1
    try:
        if core.recovered_from:
            print(f"timetally: the database was damaged; it was kept as {core.recovered_from} "
                  "and TimeTally started on a fresh one.", file=sys.stderr)
        return int(handler(core, args) or 0)
    except TimeTallyError as exc:
        print(f"timetally: {exc}", file=sys.stderr)
        return 1
    finally:
        core.close()
