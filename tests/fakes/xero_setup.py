"""Points a core's Xero account at a fake Xero: tokens in the (test) keyring, the account row, fast limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.store.tables.accounts import AccountRow
from app.sync.oauth.config import XERO_SCOPES
from app.sync.oauth.vault import Tokens
from app.sync.ratelimit import Limits
from tests.fakes.xero_server import ACCESS_TOKEN, TENANT_ID, FakeXero

FAST = Limits(per_window=60, window_seconds=60.0, concurrent=5, max_retries=4, backoff_seconds=0.02)


def environment(fake: FakeXero) -> dict[str, str]:
    return {"TIMETALLY_XERO_API_URL": fake.api_url, "TIMETALLY_XERO_CONNECTIONS_URL": fake.connections_url,
            "TIMETALLY_XERO_CLIENT_ID": "fake-client"}


def connect(core: Any, fake: FakeXero, monkeypatch: pytest.MonkeyPatch, limits: Limits = FAST) -> None:
    for name, value in environment(fake).items():
        monkeypatch.setenv(name, value)
    store_tokens(core)
    core.sync.use(limits=limits)


def store_tokens(core: Any) -> None:
    core.accounts.vault.save("xero", Tokens(ACCESS_TOKEN, "fake-refresh", datetime.now(UTC) + timedelta(hours=1),
                                            XERO_SCOPES, TENANT_ID))
    with core.db.session() as s:
        s.merge(AccountRow(provider="xero", organisation="Demo Company (NZ)", scopes=" ".join(XERO_SCOPES)))
