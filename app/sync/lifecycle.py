"""Taking back a stored invoice: the way out of "Invoiced · locked" that never bills the same time twice.

An invoice an accounting system holds cannot simply be deleted here (its time would be billed again on the next
send). Voiding it asks the accounting system first: a draft there is deleted, an approved unpaid invoice voided
(QuickBooks has no drafts: it voids), and only when that is done does the local draft go and its entries become
approved, unbilled work again. An invoice with any payment is refused with a sentence: a credit note in the
accounting system is the honest way to take back billed and paid time. A draft never sent anywhere just goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.domain.errors import TimeTallyError
from app.domain.money import ZERO, format_money
from app.domain.timefmt import utcnow
from app.store.billing_repository import BillingRepository
from app.store.remote_copies import RemoteCopy, live_copies
from app.sync.parts import SyncParts
from app.sync.provider import PaymentStatus, RemoteStatus
from app.sync.registry import FACTORIES


class VoidAction(StrEnum):
    DELETED = "deleted"
    """The accounting system held it as a draft and deleted it."""
    VOIDED = "voided"
    """The accounting system held it approved and unpaid, and voided it (or it was voided there already)."""
    LOCAL = "local"
    """It was never sent: only the local draft went."""
    REFUSED = "refused"
    """Nothing changed: payments were made on it, or a send of it is still unanswered."""


@dataclass(frozen=True, slots=True)
class VoidResult:
    """What `SyncService.void_invoice` did. `message` is the sentence to show; `entry_ids` the entries that are
    approved and unbilled again (empty when refused)."""

    number: str
    action: VoidAction
    message: str
    provider: str = ""
    remote_id: str = ""
    remote_number: str = ""
    entry_ids: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return self.action is not VoidAction.REFUSED

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "action": str(self.action), "ok": self.ok, "message": self.message,
                "provider": self.provider or None, "remote_id": self.remote_id or None,
                "remote_number": self.remote_number or None, "entries": list(self.entry_ids)}


def void_invoice(sync: SyncParts, repo: BillingRepository, number: str) -> VoidResult:
    draft = repo.draft(number)
    with sync.db.session() as s:
        copies = live_copies(s, draft.uid)
    unanswered = next((c for c in copies if not c.settled), None)
    if unanswered is not None:
        return VoidResult(draft.number, VoidAction.REFUSED, (
            f"{draft.number} is {unanswered.where()}, so TimeTally cannot tell yet whether {unanswered.title} has "
            f"it. Send again ('timetally sync {unanswered.provider}') to settle it, then void it."),
            unanswered.provider)
    done: list[tuple[RemoteCopy, PaymentStatus]] = []
    for copy in copies:
        status = sync.provider(copy.provider).void_invoice(copy.remote_id)
        sent = sync.store(copy.provider).sent(copy.draft_uid)
        if not status.status.gone:
            if status.status not in (RemoteStatus.PAID, RemoteStatus.PART_PAID):
                raise TimeTallyError(f"{copy.title} left {draft.number} {status.status}; nothing was changed here.")
            if sent is not None:
                sync.apply_payment(copy.provider, sent, status)
            return _refused(draft.number, draft.currency, copy, status)
        store = sync.store(copy.provider)
        store.update_sent(copy.draft_uid, remote_status=str(status.status), released=True, checked_at=utcnow(),
                          amount_due=status.amount_due, remote_updated_at=status.updated_at)
        sync.audit(copy.provider).note(f"{draft.number} was {status.status} in {copy.title} from TimeTally; its "
                                       "entries are approved again.", (copy.remote_id,))
        done.append((copy, status))
    for name in FACTORIES:
        sync.outbox(name).cancel(draft.uid, f"{draft.number} was voided before it was sent.")
    released = repo.delete_draft(draft.number)
    entries = released.entry_ids
    count = f"{len(entries)} {'entry is' if len(entries) == 1 else 'entries are'} approved and unbilled again"
    if not done:
        return VoidResult(draft.number, VoidAction.LOCAL, f"{draft.number} was never sent; the draft is deleted and "
                          f"{count}.", entry_ids=entries)
    copy, status = done[-1]
    action = VoidAction.DELETED if status.status is RemoteStatus.DELETED else VoidAction.VOIDED
    remote = copy.remote_number or copy.remote_id
    return VoidResult(draft.number, action, f"{draft.number} ({remote}) is {action} in {copy.title}; the draft is "
                      f"deleted here and {count}.", copy.provider, copy.remote_id, copy.remote_number, entries)


def _refused(number: str, currency: str, copy: RemoteCopy, status: PaymentStatus) -> VoidResult:
    if status.status is RemoteStatus.PAID:
        state, entries = "paid", "paid"
    else:
        paid, total = (format_money(max(a, ZERO), currency) for a in (status.amount_paid, status.total))
        state, entries = f"part-paid ({paid} of {total} paid)", "invoiced"
    return VoidResult(number, VoidAction.REFUSED, (
        f"{number} is {state} in {copy.title}; an invoice with payments cannot be voided or deleted. Raise a credit "
        f"note in {copy.title} for whatever should not have been billed. Its entries stay {entries}."),
        copy.provider, copy.remote_id, copy.remote_number)
