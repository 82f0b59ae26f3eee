"""Expense lines as the accounting systems receive them: a mapped category's line carries its Xero account or its
QuickBooks item, an unmapped one the client's revenue account, amounts exactly as billed."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal

from app.billing.expenses import ExpenseItem
from app.billing.invoices import build_invoices
from app.billing.terms import Book, ClientTerms, InvoiceOptions
from app.domain.invoices import InvoiceDraft
from app.domain.periods import Period
from app.sync.documents import Codes, to_push


def draft() -> InvoiceDraft:
    expenses = [ExpenseItem(i, date(2026, 11, 17), 1, "Acme", 10, "Web", category, "", Decimal(amount), "USD",
                            Decimal(10)) for i, (category, amount) in enumerate((("Travel", "100"), ("Meals", "9.99")))]
    [built] = build_invoices([], Book(clients={1: ClientTerms(1, "USD")}, tz=UTC),
                             InvoiceOptions(Period(date(2026, 11, 1), date(2026, 11, 30)), date(2026, 11, 30)),
                             expenses)
    return built


def test_xero_gets_the_category_account_and_quickbooks_the_category_item() -> None:
    built = draft()
    xero = to_push(built, "C1", Codes("200", "", {}, {}, expenses={"travel": "493"}), {})
    assert [(x.description, x.amount, x.account_code, x.item_code) for x in xero.lines] == [
        ("Web · Meals", Decimal("10.99"), "200", ""), ("Web · Travel", Decimal("110.00"), "493", "")]
    quickbooks = to_push(built, "C1", Codes("", "", {}, {}, expenses={"travel": "17"}, expenses_are_items=True), {})
    assert [(x.account_code, x.item_code) for x in quickbooks.lines] == [("", ""), ("", "17")]
