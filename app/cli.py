"""The `timetally` command: the GUI with no arguments, sub-commands on the same services otherwise."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app import __version__
from app.domain.changes import Changes, recording
from app.domain.errors import TimeTallyError

if TYPE_CHECKING:
    from app.core import Core

log = logging.getLogger(__name__)
BROKEN_PIPE = 141
"""The status a shell reports for a program ended by SIGPIPE (128 + 13), as `head` leaves `ls` or `cat`."""


def _tell_running_app(changes: Changes) -> None:
    """A running TimeTally would notice within two seconds anyway; this makes the views of what the command
    changed (as the store saw it committed, app/store/work.py) update at once."""
    if changes:
        from app.desktop.instance_client import notify_running_instance

        notify_running_instance(sorted(changes.areas))


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
    """Run one command; a reader that went away (`timetally ... | head`) ends it quietly, as it ends Unix tools."""
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # Whatever is still buffered would fail again when Python flushes stdout on exit: send it nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return BROKEN_PIPE


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    if args.self_test:
        from app.ui.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        from app.ui.start import run_gui

        return run_gui()
    if handler is None:
        build_parser().parse_args([*(argv or sys.argv[1:]), "--help"])
        return 2
    from app.core import build_core

    try:
        core = build_core()
    except TimeTallyError as exc:
        print(f"timetally: {exc}", file=sys.stderr)
        return 1
    try:
        if core.recovered_from:
            print(f"timetally: the database was damaged; it was kept as {core.recovered_from} "
                  "and TimeTally started on a fresh one.", file=sys.stderr)
        with recording() as recorded:
            code = int(handler(core, args) or 0)
        if code == 0:
            _tell_running_app(recorded.changes)
        return code
    except TimeTallyError as exc:
        print(f"timetally: {exc}", file=sys.stderr)
        return 1
    finally:
        _save_pending(core)
        _deliver_webhooks(core)
        core.close()


def _save_pending(core: Core) -> None:
    """What the command's reads kept in memory (rules' match statistics, a learned model) is stored on the way out;
    a store that refuses it loses statistics only, so the command still succeeds."""
    try:
        core.save_pending()
    except TimeTallyError as exc:
        log.warning("could not store what the command's reads collected: %s", exc)


def _deliver_webhooks(core: Core) -> None:
    """The webhooks this command caused go out now, within a few seconds; what is left the app or
    `sync run-scheduled` delivers later (nothing is lost: each was written with its change)."""
    try:
        notices = core.automation.deliver_written().notices()
    except TimeTallyError as exc:
        notices = [f"webhooks were not delivered yet: {exc}"]
    for notice in notices:
        print(f"timetally: {notice}", file=sys.stderr)
