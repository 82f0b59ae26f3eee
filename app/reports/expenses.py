"""Expenses in the reports: each one a priced item of no time on its day, under the task "Expenses".

Revenue is what the client is billed for it (amount with markup, rounded once, as on the invoice), on the invoice
or still to invoice; cost is the amount paid, billable or not. Margins then hold pass-through costs, and work in
progress holds approved expenses no invoice bills yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, tzinfo

from app.billing.expenses import billed_amount
from app.billing.expenses_service import ExpenseRecord, expense_item
from app.domain.money import ZERO
from app.reports.values import PricedEntry

TASK = "Expenses"


def priced_expenses(records: Sequence[ExpenseRecord], tz: tzinfo) -> list[PricedEntry]:
    """Ids are negative, so an expense never meets an entry of the same number."""
    found = []
    for e in records:
        day = datetime.combine(e.day, time(), tz)
        value = billed_amount(expense_item(e), e.currency) if e.billable else ZERO
        found.append(PricedEntry(-e.expense_id, day, day, e.client_id, e.client_name, e.project_id, e.project_name,
                                 e.currency, None, TASK, e.billable, e.status, e.invoice, 0,
                                 value if e.invoice else ZERO, ZERO if e.invoice else value, e.amount))
    return found
