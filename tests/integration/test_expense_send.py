"""Invoices with expense lines sent to the fake Xero and QuickBooks, every body checked against the vendored specs:
a mapped category's line carries its account code (Xero) or item (QuickBooks), amounts exactly as billed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.domain.models import NewEntry
from app.domain.periods import parse_week
from app.sync.quickbooks_send.links import Mode
from app.sync.reports import Outcome
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect as connect_quickbooks
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect as connect_xero

WEEK = parse_week("2026-W47")


def work_and_expenses(core: Any, currency: str) -> None:
    core.billing.set_client("Acme Ltd", rate="100", currency=currency)
    project = core.projects.add_project("Acme Ltd/Web")
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    entry = core.entries.add(NewEntry(start, start + timedelta(hours=2), "work", project.id))
    core.entries.update(entry.id, status="approved", locked=True)
    core.expenses.add("Acme Ltd/Web", date(2026, 11, 17), "200.00", "Travel", markup="15")
    core.expenses.add("Acme Ltd/Web", date(2026, 11, 18), "9.99", "Meals")
    core.expenses.approve_period(WEEK)


def test_xero_receives_expense_lines_with_the_category_account(core: Any, xero: FakeXero,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    connect_xero(core, xero, monkeypatch)
    xero.books.add_contact("Acme Ltd")
    work_and_expenses(core, "NZD")
    core.expenses.set_mapping("xero", "Travel", "999")
    [refused] = core.sync.send("xero", WEEK).outcomes
    assert refused.outcome is Outcome.FAILED and "999" in refused.errors[0]
    assert {e.status for e in core.expenses.in_period(WEEK)} == {"approved"}, "taken back with their draft"
    core.expenses.set_mapping("xero", "Travel", "260")
    [outcome] = core.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.SENT, outcome.errors
    assert xero.spec_problems == []
    [invoice] = xero.invoices()
    assert [(x["Description"], x["AccountCode"], Decimal(str(x["LineAmount"]))) for x in invoice["LineItems"]] == [
        ("Web · General", "200", Decimal("200.00")), ("Web · Meals", "200", Decimal("9.99")),
        ("Web · Travel", "260", Decimal("230.00"))]
    assert invoice["Total"] == Decimal("439.99")
    assert {e.status for e in core.expenses.in_period(WEEK)} == {"invoiced"}


def test_quickbooks_receives_expense_lines_with_the_category_item(core: Any, quickbooks: FakeQuickBooks,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    connect_quickbooks(core, quickbooks, monkeypatch)
    quickbooks.company.add("Customer", DisplayName="Acme Ltd")
    travel = quickbooks.company.add("Item", Name="Travel", Type="Service", IncomeAccountRef={"value": "79"})
    work_and_expenses(core, "USD")
    core.expenses.set_mapping("quickbooks", "Travel", travel["Id"])
    report = core.sync.quickbooks().send(WEEK, mode=Mode.INVOICE)
    assert quickbooks.spec_problems == []
    assert report.outcomes[-1].outcome is Outcome.SENT, report.outcomes[-1].errors
    [invoice] = quickbooks.all("Invoice")
    lines = [x for x in invoice["Line"] if x.get("DetailType") == "SalesItemLineDetail"]
    assert [(x["Description"], x["SalesItemLineDetail"]["ItemRef"]["value"] == travel["Id"], Decimal(str(x["Amount"])))
            for x in lines] == [("Web · General", False, Decimal("200.00")), ("Web · Meals", False, Decimal("9.99")),
                                ("Web · Travel", True, Decimal("230.00"))]
    assert invoice["TotalAmt"] == Decimal("439.99")
