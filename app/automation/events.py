"""The events TimeTally sends and their payloads, built from the rows a change wrote.

Payloads have stable field names, money as decimal strings and instants in ISO 8601 UTC. They never carry a
window title (an entry's description that came from titles is sent as null) nor any token or secret.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from app.domain.models import DescriptionOrigin
from app.domain.periods import week_of
from app.domain.timefmt import LOCAL_ZONE
from app.store.tables import ClientRow, EntryRow, ProjectRow, SettingRow, TaskRow
from app.store.tables.billing import InvoiceDraftRow
from app.store.tables.sync import SyncInvoiceRow, SyncJobRow

EVENTS = (
    "timer.started", "timer.stopped", "entry.created", "entry.updated", "entry.deleted", "week.submitted",
    "week.approved", "invoice.created", "invoice.sent", "invoice.paid", "payment.received", "sync.failed",
)
TEST_EVENT = "webhook.test"
"""What `webhooks test` sends; no endpoint subscribes to it."""


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def day(value: date | str | None) -> str | None:
    return None if value is None else str(value)


def money(text: str) -> str:
    """An amount as decimal text with at least two places (`350.0` as `350.00`), never rounded."""
    amount = Decimal(text or "0")
    exponent = amount.as_tuple().exponent
    return str(amount.quantize(Decimal("0.01")) if isinstance(exponent, int) and exponent > -2 else amount)


def envelope(event: str, at: datetime, data: dict[str, Any]) -> str:
    """The body as signed and sent, in the Standard Webhooks shape: type, timestamp, data."""
    return json.dumps({"type": event, "timestamp": iso(at), "data": data}, sort_keys=True, ensure_ascii=False)


def entry_data(s: Session, row: EntryRow) -> dict[str, Any]:
    project = s.get(ProjectRow, row.project_id) if row.project_id else None
    client = s.get(ClientRow, project.client_id) if project else None
    task = s.get(TaskRow, row.task_id) if row.task_id else None
    end = row.end_utc
    return {
        "id": row.id, "start": iso(row.start_utc), "end": iso(end),
        "duration_seconds": int((end - row.start_utc).total_seconds()) if end else None,
        "description": None if row.description_origin == str(DescriptionOrigin.TITLE) else row.description,
        "client": client.name if client else None, "project": project.name if project else None,
        "task": task.name if task else None, "billable": row.billable, "status": row.status,
    }


def week_bounds(s: Session, moment: datetime) -> tuple[date, date]:
    """The local week (as the review's week start setting says) holding an instant."""
    stored = s.get(SettingRow, "review.week_start")
    period = week_of(moment.astimezone(LOCAL_ZONE).date(), int(json.loads(stored.value)) if stored else 0)
    return period.first, period.last


def week_data(first: str, last: str, who: str, at: datetime) -> dict[str, Any]:
    return {"week_start": first, "week_end": last, "submitted_by": who, "submitted_at": iso(at)}


def invoice_data(s: Session, row: InvoiceDraftRow) -> dict[str, Any]:
    client = s.get(ClientRow, row.client_id)
    return {
        "number": row.number, "client": client.name if client else None, "currency": row.currency,
        "period_start": day(row.period_first), "period_end": day(row.period_last), "issue_date": day(row.issue_date),
        "due_date": day(row.due_date), "subtotal": money(row.subtotal), "tax_total": money(row.tax_total),
        "total": money(row.total),
    }


def sent_data(s: Session, row: SyncInvoiceRow) -> dict[str, Any]:
    draft = s.exec(select(InvoiceDraftRow).where(InvoiceDraftRow.uid == row.draft_uid)).first()
    client = s.get(ClientRow, draft.client_id) if draft else None
    return {
        "number": row.number or None, "client": client.name if client else None, "provider": row.provider,
        "remote_id": row.remote_id, "remote_number": row.remote_number or None, "status": row.remote_status,
        "currency": draft.currency if draft else None, "total": money(row.total),
        "amount_paid": money(row.amount_paid), "amount_due": money(row.amount_due),
        "paid_on": day(row.paid_on),
    }


def failed_data(row: SyncJobRow) -> dict[str, Any]:
    return {"provider": row.provider, "kind": row.kind, "document": row.label or row.local_ref,
            "errors": json.loads(row.errors or "[]")}


def json_list(text: str) -> list[str]:
    value = json.loads(text or "[]")
    return [str(v) for v in value] if isinstance(value, list) else []
