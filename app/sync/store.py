"""Sync storage for one provider: mappings, cached remote lists, sent invoices and their payment status, entry
flags and poll cursors. Plain values in and out; the outbox and the audit log have their own modules.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import col, select

from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.expenses_repository import ExpenseRepository
from app.store.tables.sync import (
    SyncCursorRow,
    SyncEntryFlagRow,
    SyncInvoiceRow,
    SyncMappingRow,
    SyncRemoteListRow,
)
from app.sync.provider import RemoteKind, RemoteOption


@dataclass(frozen=True, slots=True)
class Mapping:
    kind: RemoteKind
    local_id: int
    code: str
    name: str
    parent: str = ""
    score: float | None = None
    confirmed: bool = True


@dataclass(frozen=True, slots=True)
class SentInvoice:
    draft_uid: str
    number: str
    remote_id: str
    remote_number: str
    sent_revision: int
    sent_hash: str
    remote_status: str
    total: Decimal
    amount_paid: Decimal
    amount_due: Decimal
    paid_on: date | None
    sent_at: datetime
    checked_at: datetime | None
    divergence: str
    released: bool
    entry_ids: tuple[int, ...] = ()
    """The entries the remote invoice bills, as sent or found (empty for invoices recorded before they were kept)."""

    @property
    def label(self) -> str:
        """The local number, or the provider's for an invoice made there."""
        return self.number or f"invoice {self.remote_number or self.remote_id}"


class SyncStore:
    def __init__(self, db: Database, provider: str) -> None:
        self._db = db
        self.provider = provider

    # Remote lists (the provider's ListCache)

    def load(self, kind: RemoteKind) -> list[RemoteOption] | None:
        with self._db.session() as s:
            row = s.get(SyncRemoteListRow, (self.provider, str(kind)))
            if row is None:
                return None
            return [RemoteOption(RemoteKind(i["kind"]), i["code"], i["name"], i.get("parent", ""), i.get("detail", ""))
                    for i in json.loads(row.items)]

    def save(self, kind: RemoteKind, options: Sequence[RemoteOption]) -> None:
        items = [{"kind": str(o.kind), "code": o.code, "name": o.name, "parent": o.parent, "detail": o.detail}
                 for o in options]
        with self._db.session() as s:
            s.merge(SyncRemoteListRow(provider=self.provider, kind=str(kind), fetched_at=utcnow(),
                                      items=json.dumps(items)))

    def fetched_at(self, kind: RemoteKind) -> datetime | None:
        with self._db.session() as s:
            row = s.get(SyncRemoteListRow, (self.provider, str(kind)))
            return row.fetched_at if row else None

    # Mappings

    def mapping(self, kind: RemoteKind, local_id: int) -> Mapping | None:
        with self._db.session() as s:
            row = s.get(SyncMappingRow, (self.provider, str(kind), local_id))
            return _mapping(row) if row else None

    def mappings(self, kind: RemoteKind | None = None) -> list[Mapping]:
        query = select(SyncMappingRow).where(SyncMappingRow.provider == self.provider)
        if kind is not None:
            query = query.where(SyncMappingRow.kind == str(kind))
        with self._db.session() as s:
            return [_mapping(r) for r in s.exec(query.order_by(col(SyncMappingRow.kind), col(SyncMappingRow.local_id)))]

    def expense_codes(self) -> dict[str, str]:
        """Expense category (folded) to this provider's account code or item (`timetally expenses map`)."""
        return ExpenseRepository(self._db).mappings(self.provider)

    def set_mapping(self, mapping: Mapping) -> None:
        with self._db.session() as s:
            s.merge(SyncMappingRow(provider=self.provider, kind=str(mapping.kind), local_id=mapping.local_id,
                                   code=mapping.code, name=mapping.name, parent=mapping.parent, score=mapping.score,
                                   confirmed=mapping.confirmed, updated_at=utcnow()))

    def clear_mapping(self, kind: RemoteKind, local_id: int) -> None:
        with self._db.session() as s:
            row = s.get(SyncMappingRow, (self.provider, str(kind), local_id))
            if row is not None:
                s.delete(row)

    # Sent invoices

    def sent(self, draft_uid: str) -> SentInvoice | None:
        with self._db.session() as s:
            row = s.get(SyncInvoiceRow, (self.provider, draft_uid))
            return _sent(row) if row else None

    def sent_invoices(self, include_closed: bool = True) -> list[SentInvoice]:
        query = select(SyncInvoiceRow).where(SyncInvoiceRow.provider == self.provider)
        if not include_closed:
            query = query.where(col(SyncInvoiceRow.released).is_(False),
                                col(SyncInvoiceRow.remote_status).not_in(["paid", "voided", "deleted"]))
        with self._db.session() as s:
            return [_sent(r) for r in s.exec(query.order_by(col(SyncInvoiceRow.sent_at)))]

    def record_sent(self, draft_uid: str, number: str, remote_id: str, remote_number: str, revision: int,
                    content_hash: str, status: str, total: Decimal | None,
                    entry_ids: Iterable[int] | None = None) -> None:
        with self._db.session() as s:
            row = s.get(SyncInvoiceRow, (self.provider, draft_uid)) or SyncInvoiceRow(
                provider=self.provider, draft_uid=draft_uid, number=number, remote_id=remote_id, sent_revision=revision,
                sent_hash=content_hash, remote_status=status)
            row.number, row.remote_id, row.remote_number = number, remote_id, remote_number or row.remote_number
            row.sent_revision, row.sent_hash, row.remote_status = revision, content_hash, status
            if total is not None:
                row.total = str(total)
                row.amount_due = str(total - Decimal(row.amount_paid))
            if entry_ids is not None:
                row.entry_ids = json.dumps(sorted(int(i) for i in entry_ids))
            row.sent_at, row.divergence = utcnow(), ""
            s.add(row)

    def update_sent(self, draft_uid: str, **values: Any) -> None:
        with self._db.session() as s:
            row = s.get(SyncInvoiceRow, (self.provider, draft_uid))
            if row is None:
                return
            for name, value in values.items():
                setattr(row, name, str(value) if isinstance(value, Decimal) else value)
            s.add(row)

    # Entry flags

    def flag_entries(self, entry_ids: Iterable[int], reason: str) -> None:
        with self._db.session() as s:
            for entry_id in entry_ids:
                s.merge(SyncEntryFlagRow(entry_id=entry_id, provider=self.provider, reason=reason))

    def flags(self) -> dict[int, str]:
        with self._db.session() as s:
            rows = s.exec(select(SyncEntryFlagRow).where(SyncEntryFlagRow.provider == self.provider)).all()
            return {r.entry_id: r.reason for r in rows}

    # Cursors

    def cursor(self, name: str) -> datetime | None:
        with self._db.session() as s:
            row = s.get(SyncCursorRow, (self.provider, name))
            return row.at if row else None

    def set_cursor(self, name: str, at: datetime) -> None:
        with self._db.session() as s:
            s.merge(SyncCursorRow(provider=self.provider, name=name, at=at))


def _mapping(row: SyncMappingRow) -> Mapping:
    return Mapping(RemoteKind(row.kind), row.local_id, row.code, row.name, row.parent, row.score, row.confirmed)


def _sent(row: SyncInvoiceRow) -> SentInvoice:
    return SentInvoice(row.draft_uid, row.number, row.remote_id, row.remote_number, row.sent_revision, row.sent_hash,
                       row.remote_status, Decimal(row.total), Decimal(row.amount_paid), Decimal(row.amount_due),
                       row.paid_on, row.sent_at, row.checked_at, row.divergence, row.released,
                       tuple(json.loads(row.entry_ids or "[]")))
