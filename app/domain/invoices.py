"""Invoices as values: the lines and drafts the builder prices, the store keeps and accounting systems receive.

They live here, below both billing and the store, so neither has to copy them; the enums are `StrEnum`s and
are stored as their text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from app.domain.money import ZERO
from app.domain.tax import AmountsAre


class LineKind(StrEnum):
    TIME = "time"
    FIXED_FEE = "fixed_fee"
    WITHIN_FEE = "within_fee"
    OVERAGE = "overage"
    EXPENSE = "expense"
    RETAINER = "retainer"
    PROGRESS = "progress"


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    kind: LineKind
    description: str
    project_id: int
    project_name: str
    raw_seconds: int
    billed_seconds: int
    quantity: Decimal
    unit_amount: Decimal
    rate: Decimal
    multiplier: Decimal
    amount: Decimal
    taxes: tuple[tuple[str, Decimal], ...]
    tax: Decimal
    cost: Decimal
    entry_ids: tuple[int, ...]
    category: str = ""
    """An expense line's category (one), which accounting systems map to an account; empty for time."""

    @property
    def unit(self) -> str:
        return "hours" if self.kind in (LineKind.TIME, LineKind.OVERAGE) else "each"


SHORT_ENTRY_SECONDS = 60
"""Entries shorter than this are flagged wherever they are billed: often a timer started by accident."""


@dataclass(frozen=True, slots=True)
class ShortEntry:
    """An entry of under a minute on an invoice, which a minimum or rounding may bill as much longer."""

    entry_id: int
    start: datetime
    raw_seconds: int


class Grouping(StrEnum):
    ENTRY = "entry"
    TASK = "task"
    PROJECT = "project"
    PERSON = "person"
    DAY = "day"
    SUMMARY = "summary"


@dataclass(frozen=True, slots=True)
class ProjectSubtotal:
    project_id: int
    project_name: str
    raw_seconds: int
    billed_seconds: int
    amount: Decimal
    tax: Decimal


@dataclass(frozen=True, slots=True)
class InvoiceDraft:
    client_id: int
    client_name: str
    project_id: int | None
    currency: str
    amounts_are: AmountsAre
    grouping: Grouping
    period_first: date
    period_last: date
    issue_date: date
    due_date: date
    lines: tuple[InvoiceLine, ...]
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    cost_total: Decimal
    project_subtotals: tuple[ProjectSubtotal, ...]
    entry_ids: tuple[int, ...]
    number: str = ""
    uid: str = ""
    revision: int = 0
    short_entries: tuple[ShortEntry, ...] = ()
    expense_ids: tuple[int, ...] = ()

    @property
    def raw_seconds(self) -> int:
        return sum(line.raw_seconds for line in self.lines)

    @property
    def billed_seconds(self) -> int:
        return sum(line.billed_seconds for line in self.lines)


def project_subtotals(lines: tuple[InvoiceLine, ...]) -> tuple[ProjectSubtotal, ...]:
    totals: dict[int, ProjectSubtotal] = {}
    for line in lines:
        seen = totals.get(line.project_id) or ProjectSubtotal(line.project_id, line.project_name, 0, 0, ZERO, ZERO)
        totals[line.project_id] = ProjectSubtotal(
            line.project_id, line.project_name, seen.raw_seconds + line.raw_seconds,
            seen.billed_seconds + line.billed_seconds, seen.amount + line.amount, seen.tax + line.tax,
        )
    return tuple(sorted(totals.values(), key=lambda s: (s.project_name.casefold(), s.project_id)))
