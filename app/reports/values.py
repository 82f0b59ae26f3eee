"""What the report builders are given: finished entries with their price and cost already attached, and
invoices with what is still owed on them. Plain values, so every builder is tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from app.domain.money import ZERO

HOUR = Decimal(3600)


@dataclass(frozen=True, slots=True)
class PricedEntry:
    """One finished entry in one currency: `invoiced` is its share of stored invoice lines, `uninvoiced` the
    value the invoice builder gives it today; at most one of the two is non-zero."""

    entry_id: int
    start: datetime
    end: datetime
    client_id: int
    client_name: str
    project_id: int
    project_name: str
    currency: str
    task_id: int | None = None
    task_name: str = ""
    billable: bool = True
    status: str = "draft"
    invoice: str = ""
    """The local number of the invoice draft billing it; empty when not invoiced."""
    billed_seconds: int = 0
    invoiced: Decimal = ZERO
    uninvoiced: Decimal = ZERO
    cost: Decimal = ZERO
    """Cost rate × raw hours, exact: rounded to the minor unit only where shown, so sums lose nothing."""
    fee_seconds: int = 0
    """Billed seconds counted against a fixed fee's budget."""
    overage_seconds: int = 0
    priced: bool = True
    """False when no rate applied, so the entry is worth nothing until one is set."""
    costed: bool = True
    """False when no cost rate applied: its cost is unknown, not zero, so no margin can be told."""

    @property
    def seconds(self) -> int:
        return max(0, int((self.end - self.start).total_seconds()))

    @property
    def revenue(self) -> Decimal:
        return self.invoiced + self.uninvoiced


@dataclass(frozen=True, slots=True)
class FeeBudget:
    """A fixed-fee project's terms: the fee covers `budget_seconds`; more is billed at the overage rate."""

    project_id: int
    client_name: str
    project_name: str
    currency: str
    fee: Decimal
    budget_seconds: int
    overage_rate: Decimal


@dataclass(frozen=True, slots=True)
class Invoice:
    """An invoice as receivables see it: what it was for, when it is due and what is still owed.

    `status` is the accounting system's (open, part_paid, draft, submitted) or `unsent` for a local draft;
    `provider` is empty for a local draft.
    """

    number: str
    client_id: int
    client_name: str
    currency: str
    issue_date: date
    due_date: date
    total: Decimal
    amount_due: Decimal
    status: str
    provider: str = ""
    remote_number: str = ""


@dataclass(frozen=True, slots=True)
class TrackedTime:
    """A stretch of time for utilisation: an entry (billable or not) or captured time nobody assigned."""

    start: datetime
    end: datetime
    billable: bool = False
    assigned: bool = True
    active_seconds: int | None = None
    """For captured stretches: the active (non-idle) seconds inside [start, end)."""
