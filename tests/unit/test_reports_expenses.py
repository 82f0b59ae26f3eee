"""Expenses in profitability and work in progress, on a real database: revenue is what the client is billed
(markup included), cost is what was paid, and an approved expense waits in WIP until an invoice bills it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.periods import parse_week
from app.reports.profitability import Level

WEEK = parse_week("2026-W47")


def test_expenses_in_profitability_and_wip(core: Any, utc_zone: None) -> None:
    core.billing.set_client("Acme", rate="100", currency="USD")
    core.projects.add_project("Acme/Web")
    billed = core.expenses.add("Acme/Web", date(2026, 11, 17), "100.00", "Travel", markup="10")
    core.expenses.add("Acme/Web", date(2026, 11, 18), "50.00", "Software", billable=False)
    core.expenses.approve_period(WEEK)
    report = core.reports.profitability(WEEK, Level.TASK)
    [row] = [r for r in report.rows if r.task == "Expenses"]
    assert (row.uninvoiced, row.invoiced, row.cost, row.margin) == (
        Decimal("110.00"), Decimal(0), Decimal("150.00"), Decimal("-40.00"))
    [waiting] = core.reports.wip(as_of=date(2026, 11, 30)).rows
    assert (waiting.client, waiting.value, waiting.entries) == ("Acme", Decimal("110.00"), 1)
    core.billing.create(WEEK)
    assert core.expenses.get(billed.expense_id).invoice == "INV-0001"
    [row] = [r for r in core.reports.profitability(WEEK, Level.TASK).rows if r.task == "Expenses"]
    assert (row.invoiced, row.uninvoiced) == (Decimal("110.00"), Decimal(0))
    assert core.reports.wip(as_of=date(2026, 11, 30)).rows == ()
    [unsent] = core.reports.receivables().not_issued
    assert unsent.total == Decimal("110.00")
