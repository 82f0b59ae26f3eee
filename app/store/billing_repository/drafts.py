"""Invoice draft storage: the approved work still to bill, drafts with their lines, and local numbering.

Saving a draft marks its entries invoiced in the same transaction; deleting it releases them, unless an accounting
system holds the invoice.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.domain.errors import LockedError, NotFoundError, StoreError, ValidationError
from app.domain.invoices import (
    SHORT_ENTRY_SECONDS,
    Grouping,
    InvoiceDraft,
    InvoiceLine,
    LineKind,
    ShortEntry,
    project_subtotals,
)
from app.domain.models import DescriptionOrigin, EntryStatus
from app.domain.tax import AmountsAre
from app.domain.timefmt import utcnow
from app.domain.work import Worked, WorkItem
from app.store.billing_repository.settings import as_text
from app.store.db import Database
from app.store.expenses_repository import bill_expenses, expenses_billed_by, release_expenses
from app.store.remote_copies import live_copies
from app.store.retainers_repository import LinkDraft, fixed_kind, separately_billed
from app.store.tables import ClientRow, EntryRow, ProjectRow, TaskRow
from app.store.tables.billing import (
    InvoiceDraftRow,
    InvoiceEntryRow,
    InvoiceLineEntryRow,
    InvoiceLineRow,
    InvoiceSequenceRow,
)


def _shareable(entry: EntryRow) -> str:
    """The description an invoice or an accounting system may see: text taken from window titles stays on this
    computer until the user types or confirms it, so every document built from these values goes without it."""
    return "" if entry.description_origin == str(DescriptionOrigin.TITLE) else entry.description


_MONEY_COLUMNS = ("subtotal", "tax_total", "total", "cost_total")


class InvoiceDraftRepository:
    """Drafts and the entries they bill, kept consistent: an entry is billed by at most one draft."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # Work to bill

    def billable_entries(self, start: datetime, end: datetime) -> list[WorkItem]:
        """Approved, finished entries starting in [start, end) that no draft bills yet."""
        return self._entries(
            EntryRow.start_utc >= start, EntryRow.start_utc < end, col(EntryRow.end_utc).is_not(None),
            EntryRow.status == str(EntryStatus.APPROVED), col(EntryRow.id).not_in(select(InvoiceEntryRow.entry_id)),
            col(EntryRow.project_id).not_in(separately_billed()),
        )

    def unbilled_of(self, project_id: int) -> list[WorkItem]:
        """Every approved, finished entry of the project that no draft bills yet, whatever its day."""
        return self._entries(EntryRow.project_id == project_id, col(EntryRow.end_utc).is_not(None),
                             EntryRow.status == str(EntryStatus.APPROVED),
                             col(EntryRow.id).not_in(select(InvoiceEntryRow.entry_id)))

    def entries_of(self, number: str) -> list[WorkItem]:
        """The entries a stored draft bills."""
        with self._db.session() as s:
            draft_id = self._row(s, number).id
        return self._entries(col(EntryRow.id).in_(select(InvoiceEntryRow.entry_id)
                                                  .where(InvoiceEntryRow.draft_id == draft_id)))

    def _entries(self, *conditions: Any) -> list[WorkItem]:
        with self._db.session() as s:
            rows = s.exec(
                select(EntryRow, ProjectRow, ClientRow, TaskRow)
                .join(ProjectRow, col(EntryRow.project_id) == ProjectRow.id)
                .join(ClientRow, col(ProjectRow.client_id) == ClientRow.id)
                .join(TaskRow, col(EntryRow.task_id) == TaskRow.id, isouter=True)
                .where(*conditions)
                .order_by(col(EntryRow.start_utc), col(EntryRow.id))
            ).all()
            return [
                WorkItem(e.id or 0, e.start_utc, e.end_utc or e.start_utc, c.id or 0, c.name, p.id or 0, p.name,
                         _shareable(e), e.task_id, t.name if t else "", e.billable and p.billable)
                for e, p, c, t in rows
            ]

    def title_descriptions(self, entry_ids: Sequence[int]) -> dict[int, str]:
        """The unconfirmed descriptions taken from window titles among these entries, by entry id."""
        with self._db.session() as s:
            rows = s.exec(select(EntryRow.id, EntryRow.description).where(
                col(EntryRow.id).in_(list(entry_ids)), EntryRow.description_origin == str(DescriptionOrigin.TITLE),
                EntryRow.description != ""))
            return {entry_id or 0: text for entry_id, text in rows}

    def worked(self, start: datetime, end: datetime) -> list[Worked]:
        """Every finished entry overlapping [start, end): what overtime limits count."""
        return self._worked(EntryRow.start_utc < end, col(EntryRow.end_utc) > start)

    def worked_on(self, project_ids: Sequence[int]) -> list[Worked]:
        """Every finished entry of these projects, ever: what fixed-fee budgets count."""
        return self._worked(col(EntryRow.project_id).in_(list(project_ids)))

    def _worked(self, *conditions: Any) -> list[Worked]:
        with self._db.session() as s:
            rows = s.exec(
                select(EntryRow.id, EntryRow.start_utc, EntryRow.end_utc, EntryRow.project_id,  # type: ignore[call-overload]
                       EntryRow.billable, ProjectRow.billable)
                .join(ProjectRow, col(EntryRow.project_id) == ProjectRow.id, isouter=True)
                .where(col(EntryRow.end_utc).is_not(None), *conditions)
            ).all()
            return [Worked(entry_id or 0, start, end or start, project_id, bool(billable and project_billable))
                    for entry_id, start, end, project_id, billable, project_billable in rows]

    def fee_charged(self, project_id: int, exclude_draft: str | None = None) -> bool:
        """Whether a stored draft (other than `exclude_draft`) already carries the project's fixed-fee line."""
        others = select(InvoiceDraftRow.id).where(InvoiceDraftRow.number != (exclude_draft or ""))
        with self._db.session() as s:
            return s.exec(
                select(func.count()).select_from(InvoiceLineRow)
                .where(InvoiceLineRow.project_id == project_id, col(InvoiceLineRow.draft_id).in_(others),
                       InvoiceLineRow.kind == LineKind.FIXED_FEE)
            ).one() > 0

    # Drafts

    def save_draft(self, draft: InvoiceDraft, prefix: str, content_hash: str,
                   link: LinkDraft | None = None) -> InvoiceDraft:
        """Store a new draft with the next local number and mark its entries invoiced, all in one transaction
        (with `link`: what made the draft records it in the same one)."""
        try:
            with self._db.session() as s:
                number = f"{prefix}{self._next_number(s, prefix):04d}"
                row = InvoiceDraftRow(uid=uuid.uuid4().hex, number=number, revision=1, content_hash=content_hash,
                                      **self._draft_columns(draft))
                s.add(row)
                s.flush()
                self._write_lines(s, row.id or 0, draft)
                if link is not None:
                    link(s, row.id or 0)
                return self._load(s, row)
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise ValidationError("Some of these entries were invoiced meanwhile; preview again") from None
            raise

    def replace_draft(self, number: str, draft: InvoiceDraft, content_hash: str) -> InvoiceDraft:
        """New content for a stored draft; its revision grows only when the content really changed."""
        with self._db.session() as s:
            row = self._refreshable(s, number)
            if row.content_hash == content_hash:
                return self._load(s, row)
            self._release(s, row.id or 0)
            s.execute(delete(InvoiceLineRow).where(col(InvoiceLineRow.draft_id) == row.id))
            for key, value in self._draft_columns(draft).items():
                setattr(row, key, value)
            row.revision += 1
            row.content_hash = content_hash
            row.updated_at = utcnow()
            s.add(row)
            s.flush()
            self._write_lines(s, row.id or 0, draft)
            return self._load(s, row)

    def refreshable(self, number: str) -> InvoiceDraft:
        """A draft whose lines come from its entries; retainer and progress invoices are refused with a sentence."""
        with self._db.session() as s:
            return self._load(s, self._refreshable(s, number))

    def _refreshable(self, s: Session, number: str) -> InvoiceDraftRow:
        row = self._row(s, number)
        kind = fixed_kind(s, row.id or 0)
        if kind is not None:
            raise ValidationError(f"{row.number} is a {kind} invoice: its amounts come from the {kind}, not from "
                                  "entries, so it is not refreshed. Delete it and make it again if it is wrong.")
        return row

    def drafts(self) -> list[InvoiceDraft]:
        with self._db.session() as s:
            rows = s.exec(select(InvoiceDraftRow).order_by(col(InvoiceDraftRow.id))).all()
            return [self._load(s, r) for r in rows]

    def draft(self, number: str) -> InvoiceDraft:
        with self._db.session() as s:
            return self._load(s, self._row(s, number))

    def delete_draft(self, number: str, give_back_number: bool = False, unanswered_ok: bool = False) -> InvoiceDraft:
        """Remove a draft and give its entries back to review as approved, unbilled work.

        Refused while an accounting system holds the invoice (or may: a request left without an answer), in the
        same transaction, so its time can never be billed a second time. `give_back_number` also returns the
        number to the sequence when it was the last one issued (a send that created nothing remotely);
        `unanswered_ok` lets an invoice voided remotely go although a change to it is still unanswered.
        """
        with self._db.session() as s:
            row = self._row(s, number)
            held = [c for c in live_copies(s, row.uid) if c.settled or not unanswered_ok]
            if held:
                raise LockedError(
                    f"{row.number} is {held[0].where()}; deleting it here would let its time be billed twice. Use "
                    f"'timetally invoice void {row.number}': it deletes or voids the invoice in {held[0].title} "
                    "(refused once anything is paid on it) and then gives the entries back.")
            record = self._load(s, row)
            self._release(s, row.id or 0)
            s.delete(row)
            if give_back_number:
                self._give_back(s, row.number)
            return record

    def invoice_of(self, entry_id: int) -> str | None:
        """The number of the draft that bills this entry, if one does."""
        with self._db.session() as s:
            return s.exec(select(InvoiceDraftRow.number).join(
                InvoiceEntryRow, col(InvoiceEntryRow.draft_id) == InvoiceDraftRow.id,
            ).where(InvoiceEntryRow.entry_id == entry_id)).first()

    def set_entry_status(self, entry_ids: Sequence[int], status: str, only_from: str | None = None) -> list[int]:
        """Accounting sync: an invoice's entries paid, or approved again, in one transaction; the ids changed."""
        changed = []
        with self._db.session() as s:
            for entry in s.exec(select(EntryRow).where(col(EntryRow.id).in_(list(entry_ids)))).all():
                if entry.status != status and (only_from is None or entry.status == only_from):
                    entry.status, entry.updated_at = status, utcnow()
                    s.add(entry)
                    changed.append(entry.id or 0)
        return sorted(changed)

    @staticmethod
    def _next_number(s: Session, prefix: str) -> int:
        seq = s.get(InvoiceSequenceRow, prefix) or InvoiceSequenceRow(name=prefix, next_value=1)
        value = seq.next_value
        seq.next_value = value + 1
        s.add(seq)
        return value

    @staticmethod
    def _give_back(s: Session, number: str) -> None:
        """`INV-0007` goes back to its sequence when 7 was the last number issued, so no gap is left."""
        found = re.fullmatch(r"(.*?)(\d+)", number)
        seq = s.get(InvoiceSequenceRow, found.group(1)) if found else None
        if found and seq is not None and seq.next_value == int(found.group(2)) + 1:
            seq.next_value -= 1
            s.add(seq)

    @staticmethod
    def _draft_columns(draft: InvoiceDraft) -> dict[str, Any]:
        names = ("client_id", "project_id", "currency", "amounts_are", "grouping", "period_first", "period_last",
                 "issue_date", "due_date", *_MONEY_COLUMNS)
        return {name: as_text(getattr(draft, name)) for name in names}

    @staticmethod
    def _write_lines(s: Session, draft_id: int, draft: InvoiceDraft) -> None:
        for position, line in enumerate(draft.lines):
            row = InvoiceLineRow(
                draft_id=draft_id, position=position, taxes=json.dumps([[n, str(a)] for n, a in line.taxes]),
                **{f.name: as_text(getattr(line, f.name)) for f in fields(InvoiceLine)
                   if f.name not in ("taxes", "entry_ids", "project_name")},
            )
            s.add(row)
            s.flush()
            for entry_id in line.entry_ids:
                s.add(InvoiceLineEntryRow(line_id=row.id or 0, entry_id=entry_id))
        for entry_id in draft.entry_ids:
            entry = s.get(EntryRow, entry_id)
            if entry is None or entry.status != str(EntryStatus.APPROVED):
                raise ValidationError(f"Entry #{entry_id} is not approved and unbilled any more; preview again")
            entry.status, entry.locked, entry.updated_at = str(EntryStatus.INVOICED), True, utcnow()
            s.add(entry)
            s.add(InvoiceEntryRow(entry_id=entry_id, draft_id=draft_id))
        bill_expenses(s, draft_id, draft.expense_ids)
        s.flush()

    @staticmethod
    def _release(s: Session, draft_id: int) -> None:
        links = s.exec(select(InvoiceEntryRow).where(InvoiceEntryRow.draft_id == draft_id)).all()
        for link in links:
            entry = s.get(EntryRow, link.entry_id)
            if entry is not None and entry.status == str(EntryStatus.INVOICED):
                entry.status, entry.updated_at = str(EntryStatus.APPROVED), utcnow()
                s.add(entry)
            s.delete(link)
        release_expenses(s, draft_id)
        s.flush()

    @staticmethod
    def _row(s: Session, number: str) -> InvoiceDraftRow:
        row = s.exec(select(InvoiceDraftRow).where(InvoiceDraftRow.number == number.strip())).first()
        if row is None:
            raise NotFoundError(f"There is no invoice draft '{number}'; see timetally invoice list")
        return row

    @staticmethod
    def _load(s: Session, row: InvoiceDraftRow) -> InvoiceDraft:
        client = s.get(ClientRow, row.client_id)
        projects = {p.id: p.name for p in s.exec(select(ProjectRow).where(ProjectRow.client_id == row.client_id))}
        line_rows = s.exec(select(InvoiceLineRow).where(InvoiceLineRow.draft_id == row.id)
                           .order_by(col(InvoiceLineRow.position))).all()
        line_entries: dict[int, list[int]] = {}
        for line_id, entry_id in s.exec(
            select(InvoiceLineEntryRow.line_id, InvoiceLineEntryRow.entry_id)
            .where(col(InvoiceLineEntryRow.line_id).in_([line.id for line in line_rows]))
            .order_by(col(InvoiceLineEntryRow.entry_id))
        ).all():
            line_entries.setdefault(line_id, []).append(entry_id)
        lines = [
            InvoiceLine(
                LineKind(line.kind), line.description, line.project_id, projects.get(line.project_id, ""),
                line.raw_seconds, line.billed_seconds, Decimal(line.quantity), Decimal(line.unit_amount),
                Decimal(line.rate), Decimal(line.multiplier), Decimal(line.amount),
                tuple((name, Decimal(amount)) for name, amount in json.loads(line.taxes)), Decimal(line.tax),
                Decimal(line.cost), tuple(line_entries.get(line.id or 0, ())), line.category,
            )
            for line in line_rows
        ]
        entries = s.exec(select(EntryRow).join(InvoiceEntryRow, col(InvoiceEntryRow.entry_id) == EntryRow.id)
                         .where(InvoiceEntryRow.draft_id == row.id).order_by(col(EntryRow.id))).all()
        lasted = {e.id or 0: int(((e.end_utc or e.start_utc) - e.start_utc).total_seconds()) for e in entries}
        short = sorted((ShortEntry(e.id or 0, e.start_utc, lasted[e.id or 0]) for e in entries
                        if lasted[e.id or 0] < SHORT_ENTRY_SECONDS), key=lambda s: (s.start, s.entry_id))
        return InvoiceDraft(
            row.client_id, client.name if client else "", row.project_id, row.currency, AmountsAre(row.amounts_are),
            Grouping(row.grouping), row.period_first, row.period_last, row.issue_date, row.due_date, tuple(lines),
            Decimal(row.subtotal), Decimal(row.tax_total), Decimal(row.total), Decimal(row.cost_total),
            project_subtotals(tuple(lines)), tuple(lasted), row.number, row.uid, row.revision, tuple(short),
            expenses_billed_by(s, row.id or 0),
        )
