"""`timetally sync run-scheduled` and `timetally sync schedule`: scheduled sends and payment checks, for a systemd
timer, cron or Task Scheduler; registered under `sync` by the sync command."""

from __future__ import annotations

import argparse

from app.commands.output import note, print_json
from app.core import Core
from app.sync.registry import FACTORIES


def register_actions(ssub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = ssub.add_parser("run-scheduled", help="run the scheduled sends and payment checks that are due, and "
                                                "deliver due webhooks (for a systemd timer, cron or Task Scheduler)")
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=_run)
    schedule = ssub.add_parser("schedule", help="show or set when approved time is sent and payments checked")
    schedule.add_argument("provider", nargs="?", choices=list(FACTORIES))
    schedule.add_argument("--send", choices=["off", "approval", "daily", "weekly"],
                          help="send approved time: by hand only, once approved, daily, or weekly")
    schedule.add_argument("--at", metavar="HH:MM", help="local time of a daily or weekly send")
    schedule.add_argument("--day", metavar="DAY", help="day of a weekly send: mon … sun")
    schedule.add_argument("--payments-every", type=int, metavar="MINUTES", help="check payments every N minutes "
                                                                                "(0: never)")
    schedule.add_argument("--json", action="store_true")
    schedule.set_defaults(handler=_schedule)


def _run(core: Core, args: argparse.Namespace) -> int:
    delivered, ran = core.automation.run_scheduled()
    notices = ran.notices + delivered.notices()
    if args.json:
        print_json({"ran": ran.ran, "notices": notices, "webhooks_delivered": len(delivered.delivered),
                    "webhooks_failed": len(delivered.failed)})
    else:
        for line in ran.ran:
            print(line)
        if delivered.delivered or delivered.failed:
            print(f"webhooks: {len(delivered.delivered)} delivered, {len(delivered.failed)} to retry")
        if not (ran.ran or delivered.delivered or delivered.failed):
            print("Nothing was due.")
    for notice in notices if not args.json else ():
        note(notice)
    return 1 if notices else 0


def _schedule(core: Core, args: argparse.Namespace) -> int:
    scheduler = core.automation.scheduler
    changing = any(v is not None for v in (args.send, args.at, args.day, args.payments_every))
    if changing:
        if not args.provider:
            note("Name the connection to change, e.g. 'timetally sync schedule xero --send daily --at 18:00'.")
            return 2
        scheduler.set(args.provider, send=args.send, at=args.at, day=args.day, payments_minutes=args.payments_every)
    shown = [scheduler.get(args.provider)] if args.provider else scheduler.schedules()
    if args.json:
        print_json([s.to_json() for s in shown])
    else:
        for s in shown:
            print(s.sentence())
    return 0
