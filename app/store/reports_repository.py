"""Reads for reports: entries with their names and invoice, stored invoice lines with the entries they bill, and
invoices with the payment status sync brought back. Plain records; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import col, select

from app.store.db import Database
from app.store.tables import ClientRow, EntryRow, ProjectRow, TaskRow
from app.store.tables.billing import InvoiceDraftRow, InvoiceEntryRow, InvoiceLineEntryRow, InvoiceLineRow
from app.store.tables.sync import SyncInvoiceRow


@dataclass(frozen=True, slots=True)
class EntryRecord:
    entry_id: int
    start: datetime
    end: datetime
    status: str
    billable: bool
    """The entry's own flag and its project's, both."""
    project_id: int | None
    project_name: str
    client_id: int | None
    client_name: str
    task_id: int | None
    task_name: str
    invoice: str
    """The number of the draft billing it, or empty."""


@dataclass(frozen=True, slots=True)
class LineRecord:
    invoice: str
    currency: str
    kind: str
    amount: Decimal
    billed_seconds: int
    entries: tuple[tuple[int, int], ...]
    """(entry id, raw seconds) of every entry the line bills."""


@dataclass(frozen=True, slots=True)
class RemoteState:
    provider: str
    remote_number: str
    status: str
    total: Decimal
    amount_due: Decimal
    paid_on: date | None
    released: bool
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class InvoiceRecord:
    number: str
    client_id: int
    client_name: str
    currency: str
    issue_date: date
    due_date: date
    total: Decimal
    remote: tuple[RemoteState, ...]
    """What each accounting system it was sent to last said, most recently sent first."""


class ReportsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def entries(self, start: datetime, end: datetime) -> list[EntryRecord]:
        """Finished entries starting in [start, end), with or without a project."""
        return self._entries(EntryRow.start_utc >= start, EntryRow.start_utc < end)

    def entries_of_projects(self, project_ids: Collection[int]) -> list[EntryRecord]:
        """Every finished entry of these projects, whenever it was done."""
        return self._entries(col(EntryRow.project_id).in_(list(project_ids))) if project_ids else []

    def waiting(self, start: datetime, end: datetime) -> list[EntryRecord]:
        """Finished, approved entries starting in [start, end) that no draft bills: work waiting to be invoiced."""
        return self._entries(EntryRow.start_utc >= start, EntryRow.start_utc < end, col(EntryRow.status) == "approved",
                             col(InvoiceDraftRow.number).is_(None))

    def _entries(self, *conditions: Any) -> list[EntryRecord]:
        """Plain columns, not mapped rows: building an ORM object per entry, project, client and task was most of
        the time a year of reports took."""
        with self._db.session() as s:
            rows = s.exec(
                select(EntryRow.id, EntryRow.start_utc, EntryRow.end_utc, EntryRow.status,  # type: ignore[call-overload, misc]
                       EntryRow.billable, ProjectRow.billable, ProjectRow.id, ProjectRow.name, ClientRow.id,
                       ClientRow.name, EntryRow.task_id, TaskRow.name, InvoiceDraftRow.number)
                .join(ProjectRow, col(EntryRow.project_id) == ProjectRow.id, isouter=True)
                .join(ClientRow, col(ProjectRow.client_id) == ClientRow.id, isouter=True)
                .join(TaskRow, col(EntryRow.task_id) == TaskRow.id, isouter=True)
                .join(InvoiceEntryRow, col(InvoiceEntryRow.entry_id) == EntryRow.id, isouter=True)
                .join(InvoiceDraftRow, col(InvoiceDraftRow.id) == InvoiceEntryRow.draft_id, isouter=True)
                .where(col(EntryRow.end_utc).is_not(None), *conditions)
                .order_by(col(EntryRow.start_utc), col(EntryRow.id))
            ).all()
            return [
                EntryRecord(entry_id or 0, start, end or start, status, bool(billable and project_billable),
                            project_id, project_name or "", client_id, client_name or "", task_id, task_name or "",
                            number or "")
                for (entry_id, start, end, status, billable, project_billable, project_id, project_name, client_id,
                     client_name, task_id, task_name, number) in rows
            ]

    def lines(self, numbers: Collection[str]) -> list[LineRecord]:
        """The lines of these drafts, each with the raw seconds of the entries it bills."""
        if not numbers:
            return []
        with self._db.session() as s:
            rows = s.exec(
                select(InvoiceLineRow, InvoiceDraftRow.number, InvoiceDraftRow.currency)
                .join(InvoiceDraftRow, col(InvoiceDraftRow.id) == InvoiceLineRow.draft_id)
                .where(col(InvoiceDraftRow.number).in_(list(numbers)))
                .order_by(col(InvoiceLineRow.draft_id), col(InvoiceLineRow.position))
            ).all()
            line_ids = [line.id for line, _, _ in rows]
            links: dict[int, list[tuple[int, int]]] = {}
            for line_id, entry_id, start, end in s.exec(
                select(InvoiceLineEntryRow.line_id, EntryRow.id, EntryRow.start_utc, EntryRow.end_utc)
                .join(EntryRow, col(EntryRow.id) == InvoiceLineEntryRow.entry_id)
                .where(col(InvoiceLineEntryRow.line_id).in_(line_ids))
                .order_by(col(InvoiceLineEntryRow.line_id), col(EntryRow.id))
            ).all():
                seconds = max(0, int(((end or start) - start).total_seconds()))
                links.setdefault(line_id, []).append((entry_id or 0, seconds))
            return [LineRecord(number, currency, line.kind, Decimal(line.amount), line.billed_seconds,
                               tuple(links.get(line.id or 0, ()))) for line, number, currency in rows]

    def invoices(self) -> list[InvoiceRecord]:
        """Every stored draft with what each accounting system last reported about it."""
        with self._db.session() as s:
            remote: dict[str, list[RemoteState]] = {}
            for r in s.exec(select(SyncInvoiceRow).order_by(col(SyncInvoiceRow.sent_at).desc())).all():
                remote.setdefault(r.draft_uid, []).append(RemoteState(
                    r.provider, r.remote_number, r.remote_status, Decimal(r.total), Decimal(r.amount_due), r.paid_on,
                    r.released, r.sent_at))
            rows = s.exec(
                select(InvoiceDraftRow, ClientRow.name)
                .join(ClientRow, col(ClientRow.id) == InvoiceDraftRow.client_id)
                .order_by(col(InvoiceDraftRow.issue_date), col(InvoiceDraftRow.id))
            ).all()
            return [InvoiceRecord(d.number, d.client_id, name, d.currency, d.issue_date, d.due_date, Decimal(d.total),
                                  tuple(remote.get(d.uid, ()))) for d, name in rows]
