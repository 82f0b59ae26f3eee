"""Which accounting systems TimeTally can talk to, and the few things one does differently from the others.

The sync service looks providers up here by name; each connector is imported only when first used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.domain.periods import Period
from app.sync.provider import AccountingProvider
from app.sync.quickbooks.pacing import LIMITS as QUICKBOOKS_LIMITS
from app.sync.ratelimit import Limits
from app.sync.reports import SendReport

if TYPE_CHECKING:
    from app.sync.service import SyncService

ProviderFactory = Callable[["SyncService", str], AccountingProvider]


def _xero(service: SyncService, name: str) -> AccountingProvider:
    from app.sync.xero.provider import XeroProvider

    return XeroProvider(service.accounts.config(name).api_url, service.accounts.auth(name), service.store(name),
                        service.audit(name).record, service.limiter(name), service.transport)


def _quickbooks(service: SyncService, name: str) -> AccountingProvider:
    from app.sync.quickbooks.provider import for_service

    return for_service(service, name)


FACTORIES: dict[str, ProviderFactory] = {"xero": _xero, "quickbooks": _quickbooks}


def _quickbooks_send(service: SyncService, period: Period, client: str | None, *, create_contacts: bool,
                     **options: Any) -> SendReport:
    from app.sync.quickbooks.send import QuickBooksSync

    return QuickBooksSync(service, service.db, service.settings).send(period, client,
                                                                         create_customers=create_contacts, **options)


def _quickbooks_billed(service: SyncService) -> list[int]:
    from app.sync.quickbooks.send import QuickBooksSync

    return QuickBooksSync(service, service.db, service.settings).billed_time()


SENDERS: dict[str, Callable[..., SendReport]] = {"quickbooks": _quickbooks_send}
"""Providers that send more than invoice drafts (QuickBooks: time activities, per client in its mode)."""
BILLED_INSIDE: dict[str, Callable[[SyncService], list[int]]] = {"quickbooks": _quickbooks_billed}
"""Providers that can bill sent time themselves (QuickBooks invoices time activities): the entry ids they billed."""
PROVIDER_LIMITS: dict[str, Limits] = {"quickbooks": QUICKBOOKS_LIMITS}
"""Pacing of providers whose limits differ from Xero's (the default), unless `use(limits=...)` says otherwise."""
