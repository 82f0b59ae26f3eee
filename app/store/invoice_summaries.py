"""Every stored invoice draft in one query, without its lines and entries: what a list of invoices shows. Reading
whole drafts costs several queries each, which a year of invoices turns into a second."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import col, select

from app.store.billing_repository.settings import stored_decimal
from app.store.db import Database
from app.store.tables import ClientRow
from app.store.tables.billing import InvoiceDraftRow


@dataclass(frozen=True, slots=True)
class InvoiceSummary:
    number: str
    uid: str
    client_name: str
    currency: str
    period_first: date
    period_last: date
    issue_date: date
    due_date: date
    total: Decimal


def invoice_summaries(db: Database) -> list[InvoiceSummary]:
    """Oldest first, as the drafts were stored."""
    with db.session() as s:
        rows = s.exec(select(InvoiceDraftRow, ClientRow).join(ClientRow, col(InvoiceDraftRow.client_id) == ClientRow.id)
                      .order_by(col(InvoiceDraftRow.id))).all()
        return [InvoiceSummary(d.number, d.uid, c.name, d.currency, d.period_first, d.period_last, d.issue_date,
                               d.due_date, stored_decimal(d.total)) for d, c in rows]
