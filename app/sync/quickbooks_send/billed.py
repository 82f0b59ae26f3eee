"""Time sent in time mode and billed inside QuickBooks, followed to the invoice that bills it.

QuickBooks marks a time activity `HasBeenBilled` once an invoice (made there, with "Add billable time") bills it;
its entries become invoiced. That invoice is then found through its lines' `LinkedTxn` to the time activities and
followed like one TimeTally sent (`quickbooks-invoice-<id>`, with the entries it bills): paid marks the entries
paid, part-paid shows what is due, voided or deleted gives them back as approved work. Entries marked invoiced
before invoices were followed are looked for too, and given back when QuickBooks no longer calls their time billed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from app.domain.errors import NotFoundError
from app.domain.models import EntryStatus
from app.store.billing_repository import BillingRepository
from app.store.repositories import EntryRepository
from app.sync.audit import AuditLog
from app.sync.outbox import JobKind, JobState, Outbox
from app.sync.quickbooks.payments import BILLED
from app.sync.quickbooks.provider import QuickBooksProvider
from app.sync.store import SyncStore

PREFIX = "quickbooks-invoice-"
"""The `draft_uid` under which an invoice made inside QuickBooks is followed (it has no local draft)."""


def billed_time(provider: QuickBooksProvider, outbox: Outbox, store: SyncStore, audit: AuditLog,
                repo: BillingRepository, entries: EntryRepository) -> list[int]:
    """Marks entries whose time QuickBooks billed invoiced and starts following the invoices billing them; the ids
    marked invoiced."""
    sent = _sent_time(outbox)
    followed = {e for s in store.sent_invoices() if s.draft_uid.startswith(PREFIX) and not s.released
                for e in s.entry_ids}
    waiting: dict[str, int] = {}
    unfollowed: dict[str, int] = {}
    for activity, entry_id in sent.items():
        status = _status(entries, entry_id)
        if status is EntryStatus.APPROVED:
            waiting[activity] = entry_id
        elif status is EntryStatus.INVOICED and entry_id not in followed and repo.invoice_of(entry_id) is None:
            unfollowed[activity] = entry_id
    if not waiting and not unfollowed:
        return []
    states = provider.billed_time(sorted({*waiting, *unfollowed}))
    billed = [waiting[a] for a in waiting if states.get(a) == BILLED]
    marked = repo.set_entry_status(billed, str(EntryStatus.INVOICED), only_from=str(EntryStatus.APPROVED))
    if marked:
        audit.note(f"{len(marked)} entries were billed inside QuickBooks; they are marked invoiced.",
                   tuple(a for a, e in waiting.items() if e in marked))
    unbilled = [e for a, e in unfollowed.items() if states.get(a) != BILLED]
    if unbilled:
        reason = "The QuickBooks invoice that billed this time was voided or deleted; the time is approved again."
        repo.set_entry_status(unbilled, str(EntryStatus.APPROVED), only_from=str(EntryStatus.INVOICED))
        store.flag_entries(unbilled, reason)
        audit.note(reason, ())
    to_follow = {a: e for a, e in {**waiting, **unfollowed}.items() if states.get(a) == BILLED}
    if to_follow:
        _follow(provider, store, audit, to_follow)
    return marked


def _follow(provider: QuickBooksProvider, store: SyncStore, audit: AuditLog, activities: Mapping[str, int]) -> None:
    """Records each live invoice billing these activities, to be asked about in full by the next payment check."""
    for status, linked in provider.invoices_billing(sorted(activities)):
        uid = f"{PREFIX}{status.remote_id}"
        entry_ids = sorted({activities[a] for a in linked})
        known = store.sent(uid)
        if known is not None and not known.released:
            store.update_sent(uid, entry_ids=json.dumps(sorted({*known.entry_ids, *entry_ids})))
            continue
        store.record_sent(uid, "", status.remote_id, status.remote_number, 0, "", "open", status.total, entry_ids)
        audit.note(f"QuickBooks invoice {status.remote_number or status.remote_id} bills {len(entry_ids)} entries "
                   "sent by TimeTally; its payments are followed.", (status.remote_id,))


def _sent_time(outbox: Outbox) -> dict[str, int]:
    """Time activity id -> entry id, for each entry's latest confirmed time activity."""
    latest: dict[str, str] = {}
    for job in reversed(outbox.jobs(limit=100_000)):
        if job.kind is JobKind.TIME and job.state is JobState.CONFIRMED:
            latest[job.local_ref] = job.remote_id
    return {remote_id: int(ref) for ref, remote_id in latest.items()}


def _status(entries: EntryRepository, entry_id: int) -> EntryStatus | None:
    try:
        return entries.get(entry_id).status
    except NotFoundError:
        return None
