"""`timetally invoice preview|create|list|show|refresh|delete|void|email`, `timetally clients set|list`,
`timetally holidays`."""

from __future__ import annotations

import argparse
from datetime import date

from app.billing.export import draft_json, draft_text, title
from app.billing.service import RateChange
from app.commands.entries import add_billing_period_arguments, billing_period_from
from app.commands.output import note, print_json
from app.commands.retainers import create_retainer_invoices
from app.core import Core
from app.domain.invoices import Grouping
from app.domain.periods import parse_day
from app.domain.timefmt import format_duration
from app.sync.emailing import EmailResult
from app.sync.lifecycle import VoidResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _register_invoice(sub)
    _register_clients(sub)
    _register_holidays(sub)


def _register_invoice(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    invoice = sub.add_parser("invoice", help="preview and store invoice drafts from approved time")
    isub = invoice.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, handler, text in (("preview", _preview, "show the drafts approved time would make, storing nothing"),
                                ("create", _create, "store drafts and mark their entries invoiced")):
        parser = isub.add_parser(name, help=text)
        add_billing_period_arguments(parser)
        parser.add_argument("--per-project", action="store_true", help="one draft per project instead of per client")
        parser.add_argument("--group", choices=[str(g) for g in Grouping], help="line grouping (default: setting)")
        parser.add_argument("--json", action="store_true")
        if name == "create":
            parser.add_argument("--retainers", action="store_true",
                                help="make the retainer invoice of every period that has started and has none yet")
        parser.set_defaults(handler=handler)
    lst = isub.add_parser("list", help="list stored drafts")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_list)
    for name, handler, text in (
        ("show", _show, "print a stored draft"),
        ("refresh", _refresh, "rebuild a draft from its entries with current settings"),
        ("delete", _delete, "delete a draft never sent to an accounting system; its entries become approved, "
                            "unbilled time"),
        ("void", _void, "take an invoice back: delete it where it is a draft, void it where it is approved and "
                        "unpaid (refused once anything is paid), then release its entries"),
    ):
        parser = isub.add_parser(name, help=text)
        parser.add_argument("number", metavar="NUMBER")
        if name in ("show", "void"):
            parser.add_argument("--json", action="store_true")
        parser.set_defaults(handler=handler)
    email = isub.add_parser("email", help="send an invoice to the client: the accounting system holding it e-mails "
                                          "it (Xero: only approved, AUTHORISED invoices)")
    email.add_argument("number", metavar="NUMBER")
    email.add_argument("--to", metavar="ADDRESS", default="",
                       help="e-mail it to this address instead of the customer's (QuickBooks only)")
    email.add_argument("--json", action="store_true")
    email.set_defaults(handler=_email)


def _register_clients(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    clients = sub.add_parser("clients", help="client billing settings")
    csub = clients.add_subparsers(dest="action", required=True, metavar="ACTION")
    cset = csub.add_parser("set", help="set rates, currency, rounding, minimum, terms and tax of a client")
    cset.add_argument("name", metavar="NAME")
    add_rate_arguments(cset)
    cset.add_argument("--currency", metavar="ISO4217")
    cset.add_argument("--rounding", metavar="MODE:MINUTES[:line]", help="e.g. up:15, nearest:6, down:30:line")
    cset.add_argument("--minimum", metavar="DURATION", help="minimum billable time, e.g. 15m")
    cset.add_argument("--terms", type=int, metavar="DAYS", help="payment terms in days")
    cset.add_argument("--tax", metavar="NAME:PERCENT[:compound],...", help="e.g. GST:5,QST:9.975; 'none' clears")
    cset.add_argument("--tax-mode", choices=["exclusive", "inclusive", "none"], help="how line amounts hold tax")
    cset.add_argument("--attach", action=argparse.BooleanOptionalAction, default=None,
                      help="attach the timesheet PDF and expense receipts to its invoices in Xero or QuickBooks")
    cset.add_argument("--create", action="store_true", help="create the client when it does not exist yet")
    cset.set_defaults(handler=_client_set)
    clist = csub.add_parser("list", help="list clients with their billing settings")
    clist.add_argument("--json", action="store_true")
    clist.set_defaults(handler=_client_list)


def _register_holidays(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    holidays = sub.add_parser("holidays", help="days billed at the holiday multiplier")
    hsub = holidays.add_subparsers(dest="action", required=True, metavar="ACTION")
    hsub.add_parser("list", help="list holidays").set_defaults(handler=_holiday_list)
    add = hsub.add_parser("add", help="add a holiday")
    add.add_argument("day", metavar="YYYY-MM-DD")
    add.add_argument("name", nargs="?", default="")
    add.set_defaults(handler=_holiday_add)
    remove = hsub.add_parser("remove", help="remove a holiday")
    remove.add_argument("day", metavar="YYYY-MM-DD")
    remove.set_defaults(handler=_holiday_remove)


def add_rate_arguments(parser: argparse.ArgumentParser) -> None:
    """`--rate`, `--cost-rate` and `--from`, shared with `projects set`."""
    parser.add_argument("--rate", metavar="AMOUNT", help="hourly billable rate")
    parser.add_argument("--cost-rate", metavar="AMOUNT", help="hourly cost, for margins")
    parser.add_argument("--from", dest="since", metavar="YYYY-MM-DD",
                        help="date a rate change applies from (default: today; a first rate applies always)")


def since(args: argparse.Namespace) -> date | None:
    return parse_day(args.since).first if args.since else None


def report_rates(changes: list[RateChange], subject: str) -> None:
    for change in changes:
        what = "Rate" if change.kind == "bill" else "Cost rate"
        when = f"from {change.effective_from}" if change.effective_from else "for all work"
        print(f"{what} of {subject}: {change.amount} {when}.")
        if change.effective_from and change.effective_from < date.today():
            note(f"Note: back-dated to {change.effective_from}; unbilled work since then is repriced.")


def _build(core: Core, args: argparse.Namespace, store: bool) -> int:
    period = billing_period_from(args, core.settings.get("review.week_start"))
    make = core.billing.create if store else core.billing.preview
    drafts = make(period, args.client, per_project=args.per_project, grouping=args.group)
    if args.json:
        print_json([draft_json(d) for d in drafts])
        return 0
    if not drafts:
        print(f"No approved, unbilled time from {period.first} to {period.last}.")
        return 0
    for draft in drafts:
        print("\n".join(draft_text(draft)))
    if store:
        print(f"Stored {len(drafts)} draft(s); their entries are now invoiced.")
    return 0


def _preview(core: Core, args: argparse.Namespace) -> int:
    return _build(core, args, store=False)


def _create(core: Core, args: argparse.Namespace) -> int:
    if args.retainers:
        return create_retainer_invoices(core, args.json)
    return _build(core, args, store=True)


def _list(core: Core, args: argparse.Namespace) -> int:
    drafts = core.billing.drafts()
    if args.json:
        print_json([draft_json(d) for d in drafts])
        return 0
    if not drafts:
        print("No stored invoice drafts.")
    for draft in drafts:
        print(f"{title(draft)} · r{draft.revision} · {draft.total} {draft.currency} · "
              f"{format_duration(draft.billed_seconds)} billed")
    return 0


def _show(core: Core, args: argparse.Namespace) -> int:
    draft = core.billing.draft(args.number)
    if args.json:
        print_json(draft_json(draft))
    else:
        print("\n".join(draft_text(draft)))
    return 0


def _refresh(core: Core, args: argparse.Namespace) -> int:
    draft = core.billing.refresh(args.number)
    print(f"{draft.number} is at revision {draft.revision}; total {draft.total} {draft.currency}.")
    return 0


def _delete(core: Core, args: argparse.Namespace) -> int:
    draft = core.billing.delete(args.number)
    count = len(draft.entry_ids)
    print(f"Deleted {draft.number}; {count} {'entry is' if count == 1 else 'entries are'} approved and unbilled again.")
    return 0


def _void(core: Core, args: argparse.Namespace) -> int:
    """Exit 1 when refused (payments on it, or a send of it still unanswered): nothing was changed then."""
    return _told(core.sync.void_invoice(args.number), args.json)


def _email(core: Core, args: argparse.Namespace) -> int:
    """Exit 1 when the accounting system did not e-mail it (refused, or no answer yet)."""
    return _told(core.sync.email_invoice(args.number, args.to), args.json)


def _told(result: VoidResult | EmailResult, as_json: bool) -> int:
    """The result's JSON, or its sentence (on stderr when refused); exit 1 when refused."""
    if as_json:
        print_json(result.to_json())
    elif result.ok:
        print(result.message)
    else:
        note(result.message)
    return 0 if result.ok else 1


def _client_set(core: Core, args: argparse.Namespace) -> int:
    changes = core.billing.set_client(
        args.name, rate=args.rate, cost_rate=args.cost_rate, effective_from=since(args), currency=args.currency,
        rounding=args.rounding, minimum=args.minimum, terms=args.terms, tax=args.tax, amounts_are=args.tax_mode,
        create=args.create,
    )
    if args.attach is not None:
        core.sync.set_attach(args.name, args.attach)
    report_rates(changes, args.name)
    print(f"Saved billing settings of {args.name}.")
    return 0


def _client_list(core: Core, args: argparse.Namespace) -> int:
    summaries = core.billing.clients()
    rows = [{
        "client": s.billing.client_name,
        "rate": str(s.rate) if s.rate is not None else None,
        "cost_rate": str(s.cost_rate) if s.cost_rate is not None else None,
        "currency": s.billing.currency,
        "rounding": str(s.billing.rounding) if s.billing.rounding is not None else None,
        "minimum_seconds": s.billing.minimum_seconds,
        "terms_days": s.billing.terms_days,
        "tax": str(s.billing.tax) if s.billing.tax is not None else None,
        "tax_mode": s.billing.amounts_are,
        "attach": bool(s.billing.attach_proof),
    } for s in summaries]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        details = [f"{key}={value}" for key, value in row.items()
                   if key != "client" and value not in (None, "") and value is not False]
        print(f"{row['client']}: {', '.join(details) or 'workspace defaults'}")
    return 0


def _holiday_list(core: Core, args: argparse.Namespace) -> int:
    for day, name in core.billing.holidays():
        print(f"{day} {name}".rstrip())
    return 0


def _holiday_add(core: Core, args: argparse.Namespace) -> int:
    core.billing.add_holiday(parse_day(args.day).first, args.name)
    print(f"Added holiday {args.day}.")
    return 0


def _holiday_remove(core: Core, args: argparse.Namespace) -> int:
    core.billing.remove_holiday(parse_day(args.day).first)
    print(f"Removed holiday {args.day}.")
    return 0
