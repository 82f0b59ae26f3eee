"""What the sync service lends the modules it delegates to, as protocols, so they never import the service.

Voiding (`lifecycle.py`), payments back (`payments_back.py`) and the QuickBooks sender (`quickbooks_send/`) each take
these parts; `SyncService` provides them. Keeping them here keeps the import graph of `app/sync` free of cycles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from app.billing.service import BillingService
    from app.domain.invoices import InvoiceDraft
    from app.domain.periods import Period
    from app.store.db import Database
    from app.sync.audit import AuditLog
    from app.sync.outbox import Outbox
    from app.sync.pipeline import Pipeline
    from app.sync.provider import AccountingProvider, PaymentStatus, Progress
    from app.sync.reports import PaymentOutcome
    from app.sync.store import SentInvoice, SyncStore


class SyncParts(Protocol):
    """One provider's connector, storage, outbox and audit log, by provider name."""

    @property
    def db(self) -> Database:
        ...

    def provider(self, name: str) -> AccountingProvider:
        ...

    def store(self, name: str) -> SyncStore:
        ...

    def outbox(self, name: str) -> Outbox:
        ...

    def audit(self, name: str) -> AuditLog:
        ...

    def apply_payment(self, name: str, sent: SentInvoice, status: PaymentStatus) -> PaymentOutcome:
        ...


class SendParts(SyncParts, Protocol):
    """Besides the parts, what a sender needs: the billing service, the drafts of a period, the account check and
    the one delivery path."""

    @property
    def billing(self) -> BillingService:
        ...

    def check_ready(self, name: str) -> None:
        ...

    def drafts_in(self, period: Period, client: str | None = None,
                  provider: str | None = None) -> list[InvoiceDraft]:
        ...

    def pipeline(self, name: str, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> Pipeline:
        ...
