"""`timetally entries list|add|delete|approve|unlock|confirm|submit`."""

from __future__ import annotations

import argparse
from datetime import date

from app.commands.output import ID, entry_json, entry_line, note, print_json
from app.core import Core
from app.domain.errors import ValidationError
from app.domain.periods import Period, check_range, parse_day, parse_week, week_of
from app.domain.timefmt import format_duration, parse_instant, utcnow


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    entries = sub.add_parser("entries", help="list and add time entries")
    esub = entries.add_subparsers(dest="action", required=True, metavar="ACTION")
    lst = esub.add_parser("list", help="list entries of a day or week (default: this week)")
    add_period_arguments(lst)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_list)
    add = esub.add_parser("add", help="add a manual entry")
    add.add_argument("project", metavar="CLIENT/PROJECT")
    add.add_argument("--start", required=True, metavar="ISO8601")
    add.add_argument("--end", required=True, metavar="ISO8601")
    add.add_argument("--description", default="", metavar="TEXT")
    add.add_argument("--task", metavar="NAME", help="one of the project's tasks (its rate and item code apply)")
    add.set_defaults(handler=_add)
    delete = esub.add_parser("delete", help="delete an entry by id")
    delete.add_argument("id", type=ID)
    delete.set_defaults(handler=_delete)
    approve = esub.add_parser("approve", help="approve and lock a day's or week's draft entries (default: this week)")
    add_period_arguments(approve)
    approve.set_defaults(handler=_approve)
    unlock = esub.add_parser("unlock", help="unlock an approved entry for editing; the reason is audited")
    unlock.add_argument("id", type=ID)
    unlock.add_argument("--reason", required=True, metavar="TEXT")
    unlock.set_defaults(handler=_unlock)
    confirm = esub.add_parser("confirm", help="let descriptions taken from window titles appear on invoices")
    confirm.add_argument("ids", type=int, nargs="+", metavar="ID")
    confirm.set_defaults(handler=_confirm)
    submit = esub.add_parser("submit", help="mark a week whose entries are all approved as ready for billing")
    submit.add_argument("--week", metavar="YYYY-Www")
    submit.set_defaults(handler=_submit)


def add_period_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--day", metavar="YYYY-MM-DD")
    group.add_argument("--week", metavar="YYYY-Www")


def period_from(args: argparse.Namespace, week_start: int = 0) -> Period:
    if getattr(args, "day", None):
        return parse_day(args.day)
    if getattr(args, "week", None):
        return parse_week(args.week)
    return week_of(date.today(), week_start)


def add_billing_period_arguments(parser: argparse.ArgumentParser) -> None:
    """`--week`, or `--from` with `--to`, and `--client`: the approved work an invoice or sync command takes."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--week", metavar="YYYY-Www")
    group.add_argument("--from", dest="first", metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD")
    parser.add_argument("--client", metavar="NAME")


def billing_period_from(args: argparse.Namespace, week_start: int = 0) -> Period:
    """The period of `add_billing_period_arguments`; this week when none is given."""
    if args.week:
        return parse_week(args.week)
    if args.first or args.last:
        if not (args.first and args.last):
            raise ValidationError("Give both --from and --to, e.g. --from 2026-11-01 --to 2026-11-30")
        return check_range(Period(parse_day(args.first).first, parse_day(args.last).first))
    return week_of(date.today(), week_start)


def _list(core: Core, args: argparse.Namespace) -> int:
    period = period_from(args, core.settings.get("review.week_start"))
    found = core.entry_service.in_period(period)
    now = utcnow()
    if args.json:
        print_json([entry_json(e, now) for e in found])
        return 0
    if not found:
        print(f"No entries from {period.first} to {period.last}.")
        return 0
    for entry in found:
        print(entry_line(entry, now))
    print(f"Total: {format_duration(sum(e.seconds(now) for e in found))}")
    return 0


def _add(core: Core, args: argparse.Namespace) -> int:
    project = core.projects.require(args.project)
    task_id = core.projects.require_task(project, args.task).id if args.task else None
    entry, notices = core.entry_service.add_manual(
        parse_instant(args.start), parse_instant(args.end), args.description, project.id, task_id
    )
    print(f"Added: {entry_line(entry)}")
    for notice in notices:
        note(f"Note: {notice.message}")
    return 0


def _delete(core: Core, args: argparse.Namespace) -> int:
    core.entry_service.delete(args.id)
    print(f"Deleted entry #{args.id}.")
    return 0


def _approve(core: Core, args: argparse.Namespace) -> int:
    period = period_from(args, core.settings.get("review.week_start"))
    done = core.approvals.approve_period(period)
    n = len(done.approved)
    print(f"Approved {n} entr{'y' if n == 1 else 'ies'} from {period.first} to {period.last}.")
    if done.without_project:
        note(done.left_out())
    return 0


def _unlock(core: Core, args: argparse.Namespace) -> int:
    entry = core.approvals.unlock(args.id, args.reason)
    print(f"Unlocked: {entry_line(entry)}")
    return 0


def _confirm(core: Core, args: argparse.Namespace) -> int:
    for entry_id in args.ids:
        core.entries.get(entry_id)  # an unknown id is named before anything changes
    confirmed = core.review.confirm_descriptions(args.ids)
    if confirmed:
        listed = ", ".join(f"#{i}" for i in confirmed)
        print(f"Confirmed the description of {listed}: it may now appear on invoices "
              "(an invoice draft already made shows it once refreshed).")
    others = [i for i in args.ids if i not in confirmed]
    if others:
        note(f"Nothing to confirm for {', '.join(f'#{i}' for i in others)}: "
             "those descriptions were typed or come from a rule.")
    return 0


def _submit(core: Core, args: argparse.Namespace) -> int:
    period = period_from(args, core.settings.get("review.week_start"))
    core.approvals.submit(period)
    print(f"Submitted the week {period.first} to {period.last}; it is ready for billing.")
    return 0
