"""One invoice line as a value: what the builder prices, the store keeps and accounting systems receive.

It lives here, below both billing and the store, so neither has to copy it; `LineKind` is a `StrEnum` and is
stored as its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


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
