"""Which invoices an accounting system holds (or may hold) and which entries each one bills, read from the sync
tables inside the caller's transaction.

Billing asks it before deleting a draft and the outbox's send guard before a document first leaves, so both
decisions are taken in the same transaction as the change they allow: two processes cannot both pass.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.store.tables.billing import InvoiceDraftRow, InvoiceEntryRow
from app.store.tables.sync import SyncInvoiceRow, SyncJobRow

GONE = ("voided", "deleted")
"""Remote statuses in which an invoice no longer bills anything."""
TITLES = {"xero": "Xero", "quickbooks": "QuickBooks"}


def provider_title(name: str) -> str:
    return TITLES.get(name, name.title())


@dataclass(frozen=True, slots=True)
class RemoteCopy:
    """A local draft (or, `number` empty, an invoice made in the accounting system) as a provider holds it.

    `settled` is False for a request that left without an answer: the provider may or may not have the invoice.
    """

    provider: str
    draft_uid: str
    number: str
    remote_id: str
    remote_number: str
    status: str
    entry_ids: frozenset[int]
    settled: bool = True

    @property
    def title(self) -> str:
        return provider_title(self.provider)

    def where(self) -> str:
        """"in Xero (INV-0042, open)", for sentences such as "INV-0001 is in Xero (INV-0042, open)"."""
        if not self.settled:
            return f"perhaps in {self.title} (its send got no answer yet)"
        remote = ", ".join(v for v in (self.remote_number, self.status.replace("_", "-")) if v)
        return f"in {self.title}" + (f" ({remote})" if remote else "")


def live_copies(s: Session, draft_uid: str | None = None) -> list[RemoteCopy]:
    """Remote invoices that still bill their entries: recorded ones neither released nor voided/deleted, and
    invoice requests that left without an answer. `draft_uid` narrows it to one draft."""
    rows = s.exec(select(SyncInvoiceRow).where(
        col(SyncInvoiceRow.released).is_(False), col(SyncInvoiceRow.remote_status).not_in(GONE),
        *([SyncInvoiceRow.draft_uid == draft_uid] if draft_uid is not None else []))).all()
    jobs = s.exec(select(SyncJobRow).where(
        SyncJobRow.kind == "invoice", SyncJobRow.state == "sent",
        *([SyncJobRow.local_ref == draft_uid] if draft_uid is not None else []))).all()
    copies = [RemoteCopy(r.provider, r.draft_uid, r.number, r.remote_id, r.remote_number, r.remote_status,
                         _entries(s, r.draft_uid, json.loads(r.entry_ids or "[]"))) for r in rows]
    for job in jobs:
        payload = json.loads(job.payload)
        copies.append(RemoteCopy(job.provider, job.local_ref, job.label, str(payload.get("remote_id") or ""),
                                 job.remote_number, "", _entries(s, job.local_ref, payload.get("entries")),
                                 settled=False))
    return copies


def draft_entries(s: Session, draft_uid: str) -> frozenset[int] | None:
    """The entries the local draft with this uid bills now; None when there is no such draft."""
    draft = s.exec(select(InvoiceDraftRow.id).where(InvoiceDraftRow.uid == draft_uid)).first()
    if draft is None:
        return None
    return frozenset(s.exec(select(InvoiceEntryRow.entry_id).where(InvoiceEntryRow.draft_id == draft)).all())


def _entries(s: Session, draft_uid: str, sent: list[int] | None) -> frozenset[int]:
    """What was sent when it is known; the local draft's entries for what was recorded before entries were kept."""
    if sent:
        return frozenset(int(i) for i in sent)
    return draft_entries(s, draft_uid) or frozenset()
