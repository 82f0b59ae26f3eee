"""Points a core's QuickBooks account at a fake QuickBooks: tokens with the realm in the (test) keyring, the account
row, fast limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.store.tables.accounts import AccountRow
from app.sync.oauth.vault import Tokens
from app.sync.quickbooks import pacing
from app.sync.ratelimit import Limits
from tests.fakes.quickbooks_server import ACCESS_TOKEN, REALM_ID, FakeQuickBooks

FAST = Limits(per_window=500, window_seconds=60.0, concurrent=10, max_retries=4, backoff_seconds=0.02)
TEST_SECOND = 0.1
"""Tests run Intuit's 10 requests a second as 10 per tenth of a second (the client keeps a margin, as a real one
must, since the fake counts arrivals)."""
SCOPES = ("com.intuit.quickbooks.accounting",)


def fake_company() -> FakeQuickBooks:
    return FakeQuickBooks(second_seconds=TEST_SECOND, retry_after="0")


def connect(core: Any, fake: FakeQuickBooks, monkeypatch: pytest.MonkeyPatch, limits: Limits = FAST) -> None:
    monkeypatch.setenv("TIMETALLY_QBO_API_URL", fake.url)
    monkeypatch.setenv("TIMETALLY_QBO_CLIENT_ID", "fake-client")
    monkeypatch.setattr(pacing, "PER_SECOND", Limits(per_window=10, window_seconds=TEST_SECOND * 1.2, concurrent=10))
    core.accounts.vault.save("quickbooks", Tokens(ACCESS_TOKEN, "fake-refresh", datetime.now(UTC) + timedelta(hours=1),
                                                  SCOPES, REALM_ID))
    with core.db.session() as s:
        s.merge(AccountRow(provider="quickbooks", organisation="Sandbox Company_US_1", scopes=" ".join(SCOPES)))
    core.sync.use(limits=limits)
