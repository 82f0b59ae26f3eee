"""`timetally timer start|stop|status|continue|discard|keep`."""

from __future__ import annotations

import argparse

from app.commands.output import entry_json, entry_line, iso, note, print_json
from app.core import Core
from app.domain.errors import ValidationError
from app.domain.timefmt import format_clock, parse_instant
from app.timesheet.liveness import UncleanExit


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    timer = sub.add_parser("timer", help="start, stop and inspect the timer")
    tsub = timer.add_subparsers(dest="action", required=True, metavar="ACTION")
    start = tsub.add_parser("start", help="start a timer (a running one is stopped: a switch)")
    start.add_argument("--project", metavar="CLIENT/PROJECT")
    start.add_argument("--description", default="", metavar="TEXT")
    start.add_argument("--task", metavar="NAME", help="one of the project's tasks (its rate and item code apply)")
    start.set_defaults(handler=_start)
    stop = tsub.add_parser("stop", help="stop the running timer")
    when = stop.add_mutually_exclusive_group()
    when.add_argument("--at", metavar="ISO8601", help="stop at this time instead of now")
    when.add_argument("--at-last-alive", action="store_true",
                      help="after a crash: stop at the last moment TimeTally was known to be running")
    stop.set_defaults(handler=_stop)
    status = tsub.add_parser("status", help="show the running timer")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    tsub.add_parser("continue", help="start again the latest entry's project and description").set_defaults(
        handler=_continue)
    tsub.add_parser("discard", help="delete the running timer").set_defaults(handler=_discard)
    tsub.add_parser("keep", help="after a crash: keep the timer running").set_defaults(handler=_keep)


def _report_unclean(unclean: UncleanExit | None) -> None:
    if unclean:
        note(
            f"TimeTally stopped unexpectedly; it was last running at {unclean.last_alive.astimezone():%Y-%m-%d %H:%M}. "
            f"The timer #{unclean.timer.id} is still running. Keep it with 'timetally timer keep', or stop it "
            "then with 'timetally timer stop --at-last-alive'."
        )


def _start(core: Core, args: argparse.Namespace) -> int:
    _report_unclean(core.liveness.unclean_exit())
    if args.task and not args.project:
        raise ValidationError("A task belongs to a project: give --project CLIENT/PROJECT with --task.")
    project = core.projects.require(args.project) if args.project else None
    task_id = core.projects.require_task(project, args.task).id if project and args.task else None
    entry = core.timer.start(args.description, project.id if project else None, task_id)
    print(f"Started: {entry_line(entry)}")
    return 0


def _stop(core: Core, args: argparse.Namespace) -> int:
    unclean = core.liveness.unclean_exit()
    if args.at_last_alive:
        if unclean is None:
            note("TimeTally did not stop unexpectedly while this timer ran; use 'timetally timer stop'.")
            return 1
        entry = core.liveness.resolve(unclean, stop_timer=True)
        if entry is None:
            print(unclean.dropped())
            return 0
    else:
        entry = core.timer.stop(parse_instant(args.at) if args.at else None)
        if unclean:
            core.liveness.resolve(unclean, stop_timer=False)
    print(f"Stopped: {entry_line(entry)}")
    return 0


def _status(core: Core, args: argparse.Namespace) -> int:
    status = core.timer.status()
    unclean = core.liveness.unclean_exit()
    if args.json:
        body = entry_json(status.running) if status.running else {}
        print_json({
            "running": status.running is not None,
            **body,
            "elapsed_seconds": status.elapsed,
            "notices": [{"code": n.code, "message": n.message} for n in status.notices],
            "unclean_exit": {"last_alive": iso(unclean.last_alive)} if unclean else None,
        })
        return 0
    if status.running is None:
        print("No timer is running.")
    else:
        entry = status.running
        print(f"Running {format_clock(status.elapsed)}: {entry.description or '(no description)'}"
              f" - {entry.project_path or '(no project)'} (since {entry.start.astimezone():%H:%M})")
    for notice in status.notices:
        note(notice.message)
    _report_unclean(unclean)
    return 0


def _continue(core: Core, args: argparse.Namespace) -> int:
    print(f"Started: {entry_line(core.timer.continue_last())}")
    return 0


def _discard(core: Core, args: argparse.Namespace) -> int:
    entry = core.timer.discard()
    print(f"Discarded the running timer #{entry.id}.")
    return 0


def _keep(core: Core, args: argparse.Namespace) -> int:
    unclean = core.liveness.unclean_exit()
    if unclean is None:
        print("Nothing to decide: TimeTally did not stop unexpectedly while a timer ran.")
        return 0
    core.liveness.resolve(unclean, stop_timer=False)
    print(f"Kept the timer #{unclean.timer.id} running.")
    return 0
