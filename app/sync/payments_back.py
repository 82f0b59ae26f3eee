"""Payments back: where each sent invoice stands, applied to its entries.

Paid marks the entries paid; voided or deleted gives them back to review as approved work, flagged with the
reason. An invoice never checked before is asked about in full; the others only for what changed since the last
poll, whose window overlaps the previous one by a minute against clock skew.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from app.domain.errors import NotFoundError
from app.domain.models import EntryStatus
from app.domain.timefmt import utcnow
from app.store.billing_repository import BillingRepository
from app.store.work import atomic
from app.sync.parts import SyncParts
from app.sync.provider import PaymentStatus, RemoteStatus
from app.sync.reports import PaymentOutcome
from app.sync.store import SentInvoice

log = logging.getLogger(__name__)


class PaymentsBack:
    def __init__(self, sync: SyncParts, billing_repo: BillingRepository) -> None:
        self._sync = sync
        self._repo = billing_repo

    def sync(self, names: Iterable[str], cancelled: Callable[[], bool] | None) -> list[PaymentOutcome]:
        outcomes: list[PaymentOutcome] = []
        for name in names:
            store = self._sync.store(name)
            open_invoices = {s.remote_id: s for s in store.sent_invoices(include_closed=False)}
            if not open_invoices:
                continue
            started, since = utcnow(), store.cursor("payments")
            provider = self._sync.provider(name)
            never = sorted(i for i, s in open_invoices.items() if s.checked_at is None)
            seen = sorted(set(open_invoices) - set(never))
            statuses = [*(provider.payment_status(never, None, cancelled) if never else []),
                        *(provider.payment_status(seen, since, cancelled) if seen else [])]
            for status in statuses:
                sent = open_invoices.get(status.remote_id)
                if sent is None:
                    continue
                if (sent.remote_status, sent.amount_paid) == (str(status.status), status.amount_paid):
                    store.update_sent(sent.draft_uid, checked_at=utcnow())  # an overlap of the poll window
                    continue
                outcomes.append(self.apply(name, sent, status))
            store.set_cursor("payments", started - timedelta(minutes=1))
        return outcomes

    @atomic  # the invoice's new state, its entries and the audit note together or not at all
    def apply(self, name: str, sent: SentInvoice, status: PaymentStatus) -> PaymentOutcome:
        store = self._sync.store(name)
        store.update_sent(sent.draft_uid, remote_status=str(status.status), total=status.total,
                          amount_paid=status.amount_paid, amount_due=status.amount_due, paid_on=status.paid_on,
                          checked_at=utcnow(), remote_updated_at=status.updated_at)
        entry_ids = self._entry_ids(sent)
        if status.status is RemoteStatus.PAID:
            self._repo.set_entry_status(entry_ids, str(EntryStatus.PAID), only_from=str(EntryStatus.INVOICED))
        elif status.status.gone:
            title = self._sync.provider(name).title
            reason = f"{sent.label} was {status.status} in {title}; the time is approved again."
            store.update_sent(sent.draft_uid, released=True)
            if entry_ids:
                self._release(sent, entry_ids)
                store.flag_entries(entry_ids, reason)
            self._sync.audit(name).note(reason, (status.remote_id,))
            log.info("%s released %d entries of a %s invoice", name, len(entry_ids), status.status)
        return PaymentOutcome(name, sent.label, status.remote_id, status.status, status.total, status.amount_paid,
                              status.amount_due, status.paid_on, tuple(entry_ids))

    def _entry_ids(self, sent: SentInvoice) -> list[int]:
        """The local draft's entries; for an invoice made in the accounting system, those it was found billing."""
        if sent.number:
            try:
                return list(self._repo.draft(sent.number).entry_ids)
            except NotFoundError:
                pass
        return list(sent.entry_ids)

    def _release(self, sent: SentInvoice, entry_ids: Sequence[int]) -> None:
        """The draft goes (its entries become approved, unbilled work); paid entries are approved again too. A change
        to it still unanswered is left to be repeated exactly as it went, so the request it shared with other
        invoices keeps its key."""
        if sent.number:
            with contextlib.suppress(NotFoundError):
                self._repo.delete_draft(sent.number, unanswered_ok=True)
        self._repo.set_entry_status(entry_ids, str(EntryStatus.APPROVED))
