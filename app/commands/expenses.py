"""`timetally expenses add|list|approve|unlock|delete|map`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.billing.expenses_service import ExpenseRecord
from app.commands.entries import billing_period_from
from app.commands.output import print_json
from app.core import Core
from app.domain.money import format_money
from app.domain.periods import parse_day, parse_week
from app.sync.provider import RemoteKind

_CATEGORY_LISTS = {"xero": RemoteKind.ACCOUNT, "quickbooks": RemoteKind.ITEM}
"""What a category maps to: a Xero account code, a QuickBooks item (its income and expense accounts)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    expenses = sub.add_parser("expenses", help="record expenses, approve them and map their categories")
    esub = expenses.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = esub.add_parser("add", help="record an expense")
    add.add_argument("project", metavar="CLIENT/PROJECT")
    add.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    add.add_argument("--amount", required=True, metavar="AMOUNT", help="what was paid, tax as the invoice shows it")
    add.add_argument("--category", required=True, metavar="NAME", help="e.g. Travel, Materials")
    add.add_argument("--currency", metavar="ISO4217", help="default: the client's invoicing currency")
    add.add_argument("--tax", metavar="NAME", help="a component of the project's tax (GST), NAME:PERCENT, or none; "
                                                    "default: the project's tax")
    billable = add.add_mutually_exclusive_group()
    billable.add_argument("--billable", dest="billable", action="store_true", default=True)
    billable.add_argument("--non-billable", dest="billable", action="store_false")
    add.add_argument("--markup", metavar="PCT", help="percent added when the expense is invoiced, e.g. 10")
    add.add_argument("--receipt", metavar="FILE", help="a PDF or image, copied into the data folder")
    add.add_argument("--description", default="", metavar="TEXT")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=_add)
    lst = esub.add_parser("list", help="list the expenses of a week or range (default: this week)")
    _period_arguments(lst)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_list)
    approve = esub.add_parser("approve", help="approve and lock expenses (IDs, or all drafts of --week)")
    approve.add_argument("ids", type=int, nargs="*", metavar="ID")
    approve.add_argument("--week", metavar="YYYY-Www")
    approve.set_defaults(handler=_approve)
    for name, handler, text in (("unlock", _unlock, "make an approved expense a draft again"),
                                ("delete", _delete, "delete a draft expense (its receipt file is kept)")):
        parser = esub.add_parser(name, help=text)
        parser.add_argument("id", type=int, metavar="ID")
        parser.set_defaults(handler=handler)
    mapping = esub.add_parser("map", help="map a category to a Xero account code or a QuickBooks item; without a "
                                          "category, list the mapping")
    mapping.add_argument("provider", choices=sorted(_CATEGORY_LISTS))
    mapping.add_argument("category", nargs="?", metavar="CATEGORY")
    mapping.add_argument("code", nargs="?", metavar="CODE")
    mapping.add_argument("--auto", action="store_true", help="match categories to accounts or items of the same "
                                                             "name in the connected organisation")
    mapping.add_argument("--json", action="store_true")
    mapping.set_defaults(handler=_map)


def _period_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--week", metavar="YYYY-Www")
    group.add_argument("--from", dest="first", metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD")


def expense_json(e: ExpenseRecord) -> dict[str, Any]:
    return {"id": e.expense_id, "date": str(e.day), "client": e.client_name, "project": e.project_name,
            "category": e.category, "description": e.description, "amount": str(e.amount), "currency": e.currency,
            "tax": e.tax or None, "billable": e.billable, "markup": str(e.markup), "receipt": e.receipt or None,
            "receipt_name": e.receipt_name or None, "status": e.status, "invoice": e.invoice or None}


def expense_line(e: ExpenseRecord) -> str:
    extras = [e.status]
    if not e.billable:
        extras.append("non-billable")
    if e.markup:
        extras.append(f"markup {e.markup.normalize():f} %")
    if e.tax:
        extras.append(f"tax {e.tax}")
    if e.receipt:
        extras.append("receipt")
    if e.invoice:
        extras.append(e.invoice)
    what = f"{e.category}: {e.description}" if e.description else e.category
    return (f"#{e.expense_id:<4} {e.day}  {e.client_name}/{e.project_name}  {what}  "
            f"{format_money(e.amount, e.currency)}  ({', '.join(extras)})")


def _add(core: Core, args: argparse.Namespace) -> int:
    expense = core.expenses.add(args.project, parse_day(args.date).first, args.amount, args.category,
                                currency=args.currency, tax=args.tax, billable=args.billable, markup=args.markup,
                                receipt=Path(args.receipt) if args.receipt else None, description=args.description)
    if args.json:
        print_json(expense_json(expense))
    else:
        print(f"Added: {expense_line(expense)}")
    return 0


def _list(core: Core, args: argparse.Namespace) -> int:
    period = billing_period_from(args, core.settings.get("review.week_start"))
    found = core.expenses.in_period(period)
    if args.json:
        print_json([expense_json(e) for e in found])
        return 0
    if not found:
        print(f"No expenses from {period.first} to {period.last}.")
        return 0
    for expense in found:
        print(expense_line(expense))
    totals: dict[str, Any] = {}
    for expense in found:
        totals[expense.currency] = totals.get(expense.currency, 0) + expense.amount
    print("Total: " + ", ".join(format_money(amount, code) for code, amount in sorted(totals.items())))
    return 0


def _approve(core: Core, args: argparse.Namespace) -> int:
    if args.week:
        done = core.expenses.approve_period(parse_week(args.week))
    elif args.ids:
        done = core.expenses.approve(args.ids)
    else:
        print("Give the expense IDs to approve, or --week YYYY-Www for all draft expenses of a week.")
        return 1
    print(f"Approved {len(done)} expense{'' if len(done) == 1 else 's'}.")
    return 0


def _unlock(core: Core, args: argparse.Namespace) -> int:
    core.expenses.unlock(args.id)
    print(f"Expense #{args.id} is a draft again.")
    return 0


def _delete(core: Core, args: argparse.Namespace) -> int:
    core.expenses.delete(args.id)
    print(f"Deleted expense #{args.id}.")
    return 0


def _map(core: Core, args: argparse.Namespace) -> int:
    if args.category is not None:
        if args.code is None:
            print("Give the account code (Xero) or item id (QuickBooks) after the category.")
            return 1
        core.expenses.set_mapping(args.provider, args.category, args.code)
    accounts: list[tuple[str, str]] = []
    if args.auto:
        options = core.sync.provider(args.provider).remote_list(_CATEGORY_LISTS[args.provider])
        accounts = [(o.code, o.name) for o in options]
    found = core.expenses.mapping(args.provider, accounts)
    if args.auto:
        for category, code in found.items():
            core.expenses.set_mapping(args.provider, category, code)
    unmapped = [c for c in core.expenses.categories() if c not in found]
    if args.json:
        print_json({"provider": args.provider, "mapping": found, "unmapped": unmapped})
        return 0
    for category, code in found.items():
        print(f"{category} -> {code}")
    for category in unmapped:
        print(f"{category} -> (not mapped: sent as time lines are)")
    if not found and not unmapped:
        print("No expense categories yet; record an expense with timetally expenses add.")
    return 0
