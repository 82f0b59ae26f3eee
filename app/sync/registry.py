"""Which accounting systems TimeTally can talk to, and how each connector is built.

A connector is built from its `Parts` only (API address, company, sign-in, list cache, recorder, limiter and
transport): it plans documents and talks HTTP, and never sees the sync service or the database. The sync service
looks providers up here by name; each connector is imported only when first used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from app.sync.provider import AccountingProvider, ListCache, Recorder
from app.sync.quickbooks.pacing import LIMITS as QUICKBOOKS_LIMITS
from app.sync.ratelimit import Limits, RateLimiter


@dataclass(frozen=True, slots=True)
class Parts:
    api_url: str
    tenant_id: str
    """The company the tokens were given for (QuickBooks' `realmId`); Xero sends its tenant with each call."""
    auth: httpx.Auth
    cache: ListCache
    recorder: Recorder
    limiter: RateLimiter
    transport: httpx.BaseTransport | None


ProviderFactory = Callable[[Parts], AccountingProvider]


def _xero(parts: Parts) -> AccountingProvider:
    from app.sync.xero.provider import XeroProvider

    return XeroProvider(parts.api_url, parts.auth, parts.cache, parts.recorder, parts.limiter, parts.transport)


def _quickbooks(parts: Parts) -> AccountingProvider:
    from app.sync.quickbooks.provider import QuickBooksProvider

    return QuickBooksProvider(parts.api_url, parts.tenant_id, parts.auth, parts.cache, parts.recorder,
                              parts.limiter, parts.transport)


FACTORIES: dict[str, ProviderFactory] = {"xero": _xero, "quickbooks": _quickbooks}
PROVIDER_LIMITS: dict[str, Limits] = {"quickbooks": QUICKBOOKS_LIMITS}
"""Pacing of providers whose limits differ from Xero's (the default), unless `use(limits=...)` says otherwise."""
