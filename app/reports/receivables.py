"""Receivables: invoiced but unpaid, by client, aged by days past the due date.

What is owed comes from the payment status the accounting system reported: an invoice it holds as open or
part-paid is owed (part payments lower the amount). Drafts not sent yet, or still draft or awaiting approval there,
are listed apart as not issued: nobody owes them yet. Buckets are current (not yet due), 1-30, 31-60, 61-90 and 90+
days overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.money import ZERO
from app.reports.values import Invoice

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
ISSUED = ("open", "part_paid")
NOT_ISSUED = ("unsent", "draft", "submitted")


def bucket(days_overdue: int) -> str:
    if days_overdue <= 0:
        return BUCKETS[0]
    if days_overdue <= 30:
        return BUCKETS[1]
    if days_overdue <= 60:
        return BUCKETS[2]
    if days_overdue <= 90:
        return BUCKETS[3]
    return BUCKETS[4]


@dataclass(frozen=True, slots=True)
class Owed:
    """One unpaid invoice with its age on the report's date."""

    invoice: Invoice
    days_overdue: int

    @property
    def bucket(self) -> str:
        return bucket(self.days_overdue)


@dataclass(frozen=True, slots=True)
class AgeRow:
    client: str
    currency: str
    amounts: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))
    invoices: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    def plus(self, owed: Owed) -> AgeRow:
        amounts = dict(self.amounts)
        amounts[owed.bucket] += owed.invoice.amount_due
        return AgeRow(self.client, self.currency, amounts, self.invoices + 1)


@dataclass(frozen=True, slots=True)
class Receivables:
    as_of: date
    rows: tuple[AgeRow, ...]
    totals: tuple[AgeRow, ...]
    """One per currency; `client` is "Total"."""
    invoices: tuple[Owed, ...]
    """Every unpaid invoice, most overdue first."""
    not_issued: tuple[Invoice, ...] = ()
    """Unsent, or draft or awaiting approval in the accounting system, oldest first."""


def build_receivables(invoices: Sequence[Invoice], as_of: date) -> Receivables:
    """Open invoices dated by `as_of` with something still due, aged on `as_of`; paid and voided ones are left out."""
    dated = [i for i in invoices if i.issue_date <= as_of]
    owed = [Owed(i, (as_of - i.due_date).days) for i in dated if i.status in ISSUED and i.amount_due > 0]
    waiting = sorted((i for i in dated if i.status in NOT_ISSUED), key=lambda i: (i.issue_date, i.number))
    owed.sort(key=lambda o: (-o.days_overdue, o.invoice.client_name.casefold(), o.invoice.number))
    rows: dict[tuple[str, str], AgeRow] = {}
    totals: dict[str, AgeRow] = {}
    for item in owed:
        key = (item.invoice.client_name, item.invoice.currency)
        rows[key] = (rows.get(key) or AgeRow(*key)).plus(item)
        totals[key[1]] = (totals.get(key[1]) or AgeRow("Total", key[1])).plus(item)
    ordered = sorted(rows.values(), key=lambda r: (r.client.casefold(), r.currency))
    return Receivables(as_of, tuple(ordered), tuple(totals[c] for c in sorted(totals)), tuple(owed),
                       tuple(waiting))
