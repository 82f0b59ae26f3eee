"""What a send or a payment check did, per invoice, for the CLI (text and JSON) and the send window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from app.sync.provider import RemoteStatus


class Outcome(StrEnum):
    SENT = "sent"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    PENDING = "pending"
    """No answer (dropped connection, outage, cancel): it goes out again, unchanged, with the next sync."""
    DIVERGED = "diverged"
    TOTAL_DIFFERS = "total differs"
    """Sent, but the accounting system holds a different total (or tax) than TimeTally computed."""
    NOT_SENT = "not sent"
    """Nothing reached the accounting system (cancelled, no connection), and the draft this send made was taken
    back with its number."""
    WOULD_SEND = "would send"
    WOULD_UPDATE = "would update"

    @property
    def ok(self) -> bool:
        return self in (Outcome.SENT, Outcome.UPDATED, Outcome.UNCHANGED, Outcome.WOULD_SEND, Outcome.WOULD_UPDATE)


@dataclass(frozen=True, slots=True)
class InvoiceOutcome:
    number: str
    uid: str
    outcome: Outcome
    remote_id: str = ""
    remote_number: str = ""
    status: str = ""
    """The invoice's status at the provider, when it answered."""
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    client: str = ""
    total: Decimal | None = None
    currency: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "client": self.client or None, "outcome": str(self.outcome),
                "remote_id": self.remote_id or None, "remote_number": self.remote_number or None,
                "status": self.status or None, "errors": list(self.errors), "warnings": list(self.warnings),
                "total": None if self.total is None else str(self.total), "currency": self.currency or None}

    def line(self) -> str:
        remote = f" -> {self.remote_number or self.remote_id}" if (self.remote_number or self.remote_id) else ""
        client = f" ({self.client})" if self.client else ""
        text = f"{self.number}{client}: {self.outcome}{remote}"
        text += "".join(f"\n    ! {e}" for e in self.errors)
        text += "".join(f"\n    note: {w}" for w in self.warnings)
        return text


@dataclass(slots=True)
class SendReport:
    provider: str
    outcomes: list[InvoiceOutcome] = field(default_factory=list)
    dry_run: bool = False

    @property
    def failed(self) -> list[InvoiceOutcome]:
        return [o for o in self.outcomes if not o.outcome.ok]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[str(o.outcome)] = counts.get(str(o.outcome), 0) + 1
        if not counts:
            return "Nothing to send."
        return ", ".join(f"{n} {name}" for name, n in counts.items())

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "dry_run": self.dry_run, "invoices": [o.to_json() for o in self.outcomes]}


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    provider: str
    number: str
    remote_id: str
    status: RemoteStatus
    total: Decimal
    amount_paid: Decimal
    amount_due: Decimal
    paid_on: date | None
    entry_ids: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "number": self.number, "remote_id": self.remote_id,
                "status": str(self.status), "total": str(self.total), "amount_paid": str(self.amount_paid),
                "amount_due": str(self.amount_due), "paid_on": self.paid_on.isoformat() if self.paid_on else None,
                "entries": list(self.entry_ids)}

    def line(self) -> str:
        if self.status is RemoteStatus.PAID:
            when = f" on {self.paid_on}" if self.paid_on else ""
            return f"{self.number}: paid{when}; {len(self.entry_ids)} entries marked paid"
        if self.status is RemoteStatus.PART_PAID:
            return f"{self.number}: part-paid, {_money(self.amount_paid)} of {_money(self.total)} " \
                   f"({_money(self.amount_due)} due)"
        if self.status.gone:
            return f"{self.number}: {self.status}; {len(self.entry_ids)} entries are approved again and flagged"
        return f"{self.number}: {self.status}, {_money(self.amount_due)} due"


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))
