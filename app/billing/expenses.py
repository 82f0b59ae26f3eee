"""Billable expenses as invoice lines: each expense priced on its own, lines are sums of those prices.

An expense's billed amount is `amount × (1 + markup / 100)`, rounded half-up once to the currency's minor unit,
and depends on nothing but the expense, so it is the same whichever invoice, grouping or order bills it. A line is
quantity 1 at the sum of its expenses' billed amounts; its tax is computed once on that amount, like a time line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from app.billing.tax import line_tax
from app.billing.terms import Book
from app.domain.errors import ValidationError
from app.domain.invoices import Grouping, InvoiceLine, LineKind
from app.domain.money import ZERO, quantize
from app.domain.periods import Period
from app.domain.tax import AmountsAre, TaxRate

_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class ExpenseItem:
    """An approved expense not yet billed, as the builder sees it; `tax` None: the project's or client's tax."""

    expense_id: int
    day: date
    client_id: int
    client_name: str
    project_id: int
    project_name: str
    category: str
    description: str
    amount: Decimal
    currency: str
    markup: Decimal = ZERO
    tax: TaxRate | None = None
    billable: bool = True


class ExpenseSource(Protocol):
    """Where the billing service finds expenses: approved and unbilled in a period, or those a draft bills."""

    def billable_items(self, period: Period) -> list[ExpenseItem]: ...

    def items_of(self, number: str) -> list[ExpenseItem]: ...

    def receipts_of(self, number: str) -> list[tuple[str, Path]]: ...


def billed_amount(expense: ExpenseItem, currency: str) -> Decimal:
    """What the client pays for one expense before tax: the amount with its markup, rounded half-up once."""
    if expense.currency != currency:
        raise ValidationError(
            f"Expense #{expense.expense_id} ({expense.category}, {expense.day}) is in {expense.currency} but "
            f"{expense.client_name} is invoiced in {currency}; record it in {currency} (converted as on your "
            "statement) or set the client's currency")
    return quantize(expense.amount * (1 + expense.markup / _HUNDRED), currency)


def expense_tax(expense: ExpenseItem, book: Book) -> TaxRate:
    """The expense's own tax, else its project's, its client's, or the workspace default: as for time."""
    if expense.tax is not None:
        return expense.tax
    return book.project(expense.project_id).tax or book.client(expense.client_id).tax or book.defaults.tax


def _group(expense: ExpenseItem, grouping: Grouping) -> tuple[Any, ...]:
    project = (expense.project_name.casefold(), expense.project_id)
    if grouping is Grouping.ENTRY:
        return (expense.day, expense.expense_id)
    if grouping is Grouping.DAY:
        return (expense.day, *project, expense.category.casefold())
    if grouping is Grouping.SUMMARY:
        return project
    return (*project, expense.category.casefold())


def _description(expenses: list[ExpenseItem], grouping: Grouping) -> str:
    head = expenses[0]
    if grouping is Grouping.SUMMARY:
        return f"{head.project_name} · expenses"
    text = f"{head.project_name} · {head.category}"
    described = "; ".join(dict.fromkeys(e.description for e in expenses if e.description))
    when = f" ({head.day})" if grouping in (Grouping.ENTRY, Grouping.DAY) else ""
    return f"{text}{when}: {described}" if described else f"{text}{when}"


def expense_lines(expenses: Sequence[ExpenseItem], book: Book, grouping: Grouping, currency: str,
                  amounts_are: AmountsAre) -> list[InvoiceLine]:
    """Lines for one draft's billable expenses, grouped as its time is; within a group split by markup and tax,
    so every line has one markup and one tax."""
    groups: dict[tuple[Any, ...], list[ExpenseItem]] = defaultdict(list)
    for expense in sorted(expenses, key=lambda e: (e.day, e.expense_id)):
        if expense.billable:
            groups[(_group(expense, grouping), expense.markup, str(expense_tax(expense, book)))].append(expense)
    lines = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2])):
        members = groups[key]
        head = members[0]
        amount = sum((billed_amount(e, currency) for e in members), ZERO)
        tax = line_tax(amount, expense_tax(head, book), amounts_are, currency)
        lines.append(InvoiceLine(
            kind=LineKind.EXPENSE, description=_description(members, grouping), project_id=head.project_id,
            project_name=head.project_name, raw_seconds=0, billed_seconds=0, quantity=Decimal(1),
            unit_amount=amount, rate=sum((e.amount for e in members), ZERO),
            multiplier=1 + head.markup / _HUNDRED, amount=amount, taxes=tax.shares, tax=quantize(tax.total, currency),
            cost=quantize(sum((e.amount for e in members), ZERO), currency), entry_ids=(),
            category=head.category if len({e.category.casefold() for e in members}) == 1 else "",
        ))
    return lines
