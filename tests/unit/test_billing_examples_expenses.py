"""The worked examples 31 to 35 of docs/billing.md: expenses with markup and tax, retainer rollover and the
progress true-up, computed by hand there and checked here with the same numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.billing.expenses import ExpenseItem
from app.billing.invoices import build_invoices
from app.billing.retainers import Every, Header, Retainer, progress_invoice, retainer_invoice, true_up, usage
from app.billing.terms import Book, ClientTerms, InvoiceOptions
from app.domain.invoices import InvoiceDraft
from app.domain.periods import Period
from app.domain.rates import Level, RateKind, RateRule
from app.domain.rounding import parse_rounding
from app.domain.tax import AmountsAre, parse_tax
from app.domain.work import WorkItem

NOV = Period(date(2026, 11, 1), date(2026, 11, 30))


def book(currency: str = "USD", tax: str = "") -> Book:
    terms = ClientTerms(1, currency, parse_rounding("nearest:1"), 0, 30, parse_tax(tax), AmountsAre.EXCLUSIVE)
    return Book(clients={1: terms}, rates=(RateRule(Level.CLIENT, 1, RateKind.BILL, Decimal(100)),), tz=UTC)


def expense(expense_id: int, amount: str, category: str, markup: str = "0", currency: str = "USD",
            tax: str | None = None) -> ExpenseItem:
    return ExpenseItem(expense_id, date(2026, 11, 17), 1, "Acme", 10, "Web", category, "", Decimal(amount), currency,
                       Decimal(markup), parse_tax(tax) if tax is not None else None)


def hour(entry_id: int = 1) -> WorkItem:
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    return WorkItem(entry_id, start, start + timedelta(hours=1), 1, "Acme", 10, "Web")


def lines(draft: InvoiceDraft) -> list[str]:
    return [f"{x.quantity} × {x.unit_amount} = {x.amount} + {x.tax}" for x in draft.lines]


def test_example_31_expense_with_markup_and_quebec_tax() -> None:
    [draft] = build_invoices([hour()], book("CAD", "GST:5,QST:9.975"), InvoiceOptions(NOV, date(2026, 11, 30)),
                             [expense(1, "200.00", "Travel", "15", "CAD")])
    assert lines(draft) == ["1.0000 × 100.00 = 100.00 + 14.98", "1 × 230.00 = 230.00 + 34.44"]
    assert str(draft.total) == "379.42"


def test_example_32_each_expense_is_marked_up_and_rounded_once() -> None:
    [draft] = build_invoices([], book(), InvoiceOptions(NOV, date(2026, 11, 30)),
                             [expense(1, "10.05", "Materials", "10"), expense(2, "10.05", "Materials", "10")])
    assert lines(draft) == ["1 × 22.12 = 22.12 + 0.00"]
    assert str(draft.total) == "22.12"


def test_example_33_an_expense_with_its_own_tax_and_one_not_billable() -> None:
    items = [expense(1, "33.33", "Meals", currency="CAD", tax="GST:5"),
             replace(expense(2, "80.00", "Software", currency="CAD"), billable=False)]
    [draft] = build_invoices([], book("CAD", "GST:5,QST:9.975"), InvoiceOptions(NOV, date(2026, 11, 30)), items)
    assert lines(draft) == ["1 × 33.33 = 33.33 + 1.67"]
    assert str(draft.total) == "35.00"


HEADER = Header(1, "Acme", 10, "Care", "USD", AmountsAre.EXCLUSIVE, parse_tax(""), date(2026, 12, 1), 30)


@pytest.mark.parametrize(("rollover", "expected"), [
    (True, ["1 × 2000.00 = 2000.00 + 0.00", "2.0000 × 120.00 = 240.00 + 0.00"]),
    (False, ["1 × 2000.00 = 2000.00 + 0.00", "7.0000 × 120.00 = 840.00 + 0.00"]),
])
def test_example_34_retainer_rollover(rollover: bool, expected: list[str]) -> None:
    retainer = Retainer(10, Every.MONTH, Decimal(2000), 20 * 3600, Decimal(120), rollover, date(2026, 10, 1))
    history = usage(retainer, {date(2026, 10, 1): 15 * 3600, date(2026, 11, 1): 27 * 3600}, date(2026, 12, 1))
    assert [(h.available // 3600, h.used // 3600, h.overage // 3600, h.carried // 3600) for h in history] == (
        [(20, 15, 0, 5), (25, 27, 2, 0), (20, 0, 0, 20)] if rollover else [(20, 15, 0, 5), (20, 27, 7, 0),
                                                                         (20, 0, 0, 20)])
    december = retainer_invoice(retainer, HEADER, history[2].period, history[1])
    assert lines(december) == expected


def test_example_35_progress_true_up() -> None:
    first = progress_invoice(HEADER, Decimal(10000), Decimal(30), Decimal(0), NOV)
    second = progress_invoice(HEADER, Decimal(10000), Decimal(50), first.subtotal, NOV)
    assert (first.total, second.total) == (Decimal("3000.00"), Decimal("5000.00"))
    start = datetime(2026, 11, 2, 8, tzinfo=UTC)
    work = [WorkItem(i, start + timedelta(days=i), start + timedelta(days=i, hours=9), 1, "Acme", 10, "Care")
            for i in range(10)]
    [actual] = build_invoices(work, book(), InvoiceOptions(NOV, date(2026, 11, 30), per_project=True))
    final = true_up(actual, HEADER, first.subtotal + second.subtotal, ["INV-0001", "INV-0002"])
    assert lines(final) == ["90.0000 × 100.00 = 9000.00 + 0.00", "1 × -8000.00 = -8000.00 + 0.00"]
    assert str(final.total) == "1000.00"
