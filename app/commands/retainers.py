"""`timetally retainers set|list|remove`, `timetally progress estimate|bill|true-up`, and the retainer invoices
of `timetally invoice create --retainers`."""

from __future__ import annotations

import argparse
from typing import Any

from app.billing.export import draft_json, draft_text
from app.billing.invoices import hours
from app.commands.output import print_json
from app.core import Core
from app.domain.invoices import InvoiceDraft
from app.domain.money import format_money
from app.domain.periods import parse_day


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    retainers = sub.add_parser("retainers", help="fixed monthly or weekly amounts covering a number of hours")
    rsub = retainers.add_subparsers(dest="action", required=True, metavar="ACTION")
    rset = rsub.add_parser("set", help="give a project a retainer (its time is then billed only by retainer invoices)")
    rset.add_argument("project", metavar="CLIENT/PROJECT")
    rset.add_argument("--every", required=True, choices=["month", "week"])
    rset.add_argument("--amount", required=True, metavar="AMOUNT", help="billed each period")
    rset.add_argument("--hours", required=True, metavar="DURATION", help="hours it covers each period, e.g. 20h")
    rset.add_argument("--overage-rate", required=True, metavar="RATE", help="per hour beyond the covered hours")
    roll = rset.add_mutually_exclusive_group()
    roll.add_argument("--rollover", dest="rollover", action="store_true", default=False,
                      help="unused hours carry into the next period")
    roll.add_argument("--no-rollover", dest="rollover", action="store_false")
    rset.add_argument("--from", dest="starts", metavar="YYYY-MM-DD", help="first day (default: today)")
    rset.set_defaults(handler=_set)
    rlist = rsub.add_parser("list", help="retainers and their hours this period")
    rlist.add_argument("--json", action="store_true")
    rlist.set_defaults(handler=_list)
    remove = rsub.add_parser("remove", help="end a project's retainer (its invoices stay)")
    remove.add_argument("project", metavar="CLIENT/PROJECT")
    remove.set_defaults(handler=_remove)

    progress = sub.add_parser("progress", help="progress invoices: percentages of a project's estimate")
    psub = progress.add_subparsers(dest="action", required=True, metavar="ACTION")
    estimate = psub.add_parser("estimate", help="set a project's estimate (its time is then billed by progress "
                                                "invoices and the true-up)")
    estimate.add_argument("project", metavar="CLIENT/PROJECT")
    estimate.add_argument("amount", metavar="AMOUNT")
    estimate.set_defaults(handler=_estimate)
    bill = psub.add_parser("bill", help="store a progress invoice for a percentage of the estimate")
    bill.add_argument("project", metavar="CLIENT/PROJECT")
    bill.add_argument("--percent", required=True, metavar="PCT")
    bill.add_argument("--json", action="store_true")
    bill.set_defaults(handler=_bill)
    final = psub.add_parser("true-up", help="the final invoice: actual time less the progress invoices")
    final.add_argument("project", metavar="CLIENT/PROJECT")
    final.add_argument("--json", action="store_true")
    final.set_defaults(handler=_true_up)


def _show(drafts: list[InvoiceDraft], as_json: bool) -> None:
    if as_json:
        print_json([draft_json(d) for d in drafts])
        return
    for draft in drafts:
        print("\n".join(draft_text(draft)))


def create_retainer_invoices(core: Core, as_json: bool) -> int:
    made = core.retainers.create_due()
    _show(made, as_json)
    if not as_json:
        print(f"Stored {len(made)} retainer invoice(s)." if made else "Every retainer period that has started is "
                                                                       "invoiced already.")
    return 0


def _set(core: Core, args: argparse.Namespace) -> int:
    record = core.retainers.set(args.project, every=args.every, amount=args.amount, hours=args.hours,
                                overage_rate=args.overage_rate, rollover=args.rollover,
                                starts=parse_day(args.starts).first if args.starts else None)
    covers = hours(record.hours_seconds).normalize()
    print(f"Retainer of {record.path}: {record.amount} every {record.every} for {covers:f} h, "
          f"overage {record.overage_rate}/h, unused hours {'roll over' if record.rollover else 'lapse'}, "
          f"from {record.starts}.")
    return 0


def _list(core: Core, args: argparse.Namespace) -> int:
    found = core.retainers.retainers()
    rows: list[dict[str, Any]] = [
        {"project": s.record.path, "every": s.record.every, "amount": str(s.record.amount),
         "hours": str(hours(s.record.hours_seconds)), "overage_rate": str(s.record.overage_rate),
         "rollover": s.record.rollover, "starts": str(s.record.starts),
         "period": {"first": str(s.current.period.first), "last": str(s.current.period.last),
                    "available_hours": str(hours(s.current.available)), "used_hours": str(hours(s.current.used))}}
        for s in found]
    if args.json:
        print_json(rows)
        return 0
    if not found:
        print("No retainers; give a project one with timetally retainers set.")
    for row in rows:
        period = row["period"]
        print(f"{row['project']}: {row['amount']} every {row['every']} for {row['hours']} h; this period "
              f"{period['used_hours']} of {period['available_hours']} h used")
    return 0


def _remove(core: Core, args: argparse.Namespace) -> int:
    core.retainers.remove(args.project)
    print(f"{args.project} has no retainer any more.")
    return 0


def _estimate(core: Core, args: argparse.Namespace) -> int:
    amount = core.retainers.set_estimate(args.project, args.amount)
    print(f"Estimate of {args.project}: {amount}.")
    return 0


def _bill(core: Core, args: argparse.Namespace) -> int:
    draft = core.retainers.bill_progress(args.project, args.percent)
    _show([draft], args.json)
    return 0


def _true_up(core: Core, args: argparse.Namespace) -> int:
    draft = core.retainers.true_up(args.project)
    _show([draft], args.json)
    if not args.json:
        print(f"True-up {draft.number}: {format_money(draft.total, draft.currency)}.")
    return 0
