"""Connecting, refreshing and disconnecting against a real authlib authorization server on loopback."""

from __future__ import annotations

import base64
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core import Core
from app.sync.accounts import CONNECTED, NOT_CONNECTED, RECONNECT_NEEDED, AccountsService, AccountStatus
from app.sync.oauth.config import QUICKBOOKS, XERO
from app.sync.oauth.errors import AuthorizationDenied, CallbackTimeout, ConfigError, OAuthError, ReconnectNeeded
from app.sync.oauth.loopback import LoopbackListener
from tests.fakes.oauth_server import QBO_REALM, QBO_SECRET, FakeOAuthServer, browse, free_ports, provider_configs


@pytest.fixture
def server() -> Iterator[FakeOAuthServer]:
    with FakeOAuthServer() as running:
        yield running


@pytest.fixture
def ports() -> tuple[int, ...]:
    return free_ports(2)


@pytest.fixture
def accounts(core: Core, server: FakeOAuthServer, ports: tuple[int, ...]) -> AccountsService:
    return AccountsService(core.db, provider_configs(server, ports))


def connect(accounts: AccountsService, provider: str, timeout: float = 10) -> tuple[AccountStatus, httpx.Response]:
    """Start connecting, let the 'browser' approve in another thread, and wait as the app does."""
    attempt = accounts.start_connect(provider)
    pages: list[httpx.Response] = []
    browser = threading.Thread(target=lambda: pages.append(browse(attempt.url)))
    browser.start()
    try:
        return attempt.finish(timeout), _joined(browser, pages)
    finally:
        browser.join(10)


def _joined(browser: threading.Thread, pages: list[httpx.Response]) -> httpx.Response:
    browser.join(10)
    return pages[0]


def expire_soon(accounts: AccountsService, provider: str) -> None:
    tokens = accounts.vault.load(provider)
    assert tokens is not None
    accounts.vault.save(provider, replace(tokens, expires_at=datetime.now(UTC) + timedelta(seconds=5)))


def status_of(accounts: AccountsService, provider: str) -> AccountStatus:
    return next(s for s in accounts.status() if s.provider == provider)


def test_xero_connects_with_pkce_and_no_secret(accounts: AccountsService, server: FakeOAuthServer) -> None:
    attempt = accounts.start_connect(XERO)
    assert "code_challenge_method=S256" in attempt.url and "client_secret" not in attempt.url
    attempt.cancel()
    status, page = connect(accounts, XERO)
    assert page.status_code == 200 and "Connected" in page.text
    assert status.state == CONNECTED and status.organisation == "Demo Co"
    assert "accounting.invoices" in status.scopes and status.connected_since is not None
    tokens = accounts.vault.load(XERO)
    assert tokens is not None and tokens.tenant_id == "tenant-1"
    assert tokens.access_token in server.by_access


def test_quickbooks_connects_with_the_secret_and_captures_the_realm(
    accounts: AccountsService, server: FakeOAuthServer
) -> None:
    with pytest.raises(ConfigError, match="set-secret quickbooks"):
        accounts.start_connect(QUICKBOOKS)
    accounts.set_client_secret(QUICKBOOKS, QBO_SECRET)
    status, _ = connect(accounts, QUICKBOOKS)
    assert status.organisation == "Sandbox Company"
    tokens = accounts.vault.load(QUICKBOOKS)
    assert tokens is not None and tokens.tenant_id == QBO_REALM


def test_quickbooks_with_a_wrong_secret_stores_nothing(accounts: AccountsService) -> None:
    accounts.set_client_secret(QUICKBOOKS, "wrong")
    with pytest.raises(OAuthError, match="invalid_client"):
        connect(accounts, QUICKBOOKS)
    assert accounts.vault.load(QUICKBOOKS) is None
    assert status_of(accounts, QUICKBOOKS).state == NOT_CONNECTED


class Relay(httpx.BaseTransport):
    """A token-exchange relay: it holds the secret and adds it on the way to the provider."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.received_auth: list[str | None] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path in ("/token", "/revoke"):
            self.received_auth.append(request.headers.get("Authorization"))
            request.headers["Authorization"] = "Basic " + base64.b64encode(f"qbo-app:{QBO_SECRET}".encode()).decode()
        return self.inner.handle_request(request)


def test_quickbooks_through_a_relay_needs_no_secret_in_the_app(
    core: Core, server: FakeOAuthServer, ports: tuple[int, ...]
) -> None:
    relay = Relay()
    accounts = AccountsService(core.db, provider_configs(server, ports, relay=True), transport=relay)
    status, _ = connect(accounts, QUICKBOOKS)
    assert status.state == CONNECTED
    assert relay.received_auth == [None], "the app itself sent no client secret"
    assert accounts.vault.client_secret(QUICKBOOKS) is None


def sign_in_code(accounts: AccountsService, provider: str = XERO) -> tuple[Any, str]:
    flow = accounts.flow(provider)
    state = flow.new_state()
    with LoopbackListener(flow.config.redirect_ports, state) as listener:
        authorization = flow.authorization(listener.redirect_uri, state)
        page = browse(authorization.url)
        assert page.status_code == 200
        return authorization, listener.wait(5).code


def test_codes_are_single_use(accounts: AccountsService) -> None:
    authorization, code = sign_in_code(accounts)
    flow = accounts.flow(XERO)
    flow.exchange(authorization, code)
    with pytest.raises(OAuthError):
        flow.exchange(authorization, code)


def test_pkce_is_enforced(accounts: AccountsService) -> None:
    authorization, code = sign_in_code(accounts)
    with pytest.raises(OAuthError, match="code_verifier"):
        accounts.flow(XERO).exchange(replace(authorization, code_verifier=None), code)
    authorization, code = sign_in_code(accounts)
    with pytest.raises(OAuthError):
        accounts.flow(XERO).exchange(replace(authorization, code_verifier="x" * 64), code)


def test_redirect_uris_must_match_exactly(accounts: AccountsService) -> None:
    flow = accounts.flow(XERO)
    (unregistered,) = free_ports(1)
    authorization = flow.authorization(f"http://localhost:{unregistered}/callback", flow.new_state())
    answer = httpx.get(authorization.url)
    assert answer.status_code == 400 and "redirect uri" in answer.text.lower()


def test_access_denied_connects_nothing(accounts: AccountsService, server: FakeOAuthServer) -> None:
    server.deny = True
    with pytest.raises(AuthorizationDenied, match="declined"):
        connect(accounts, XERO)
    assert accounts.vault.load(XERO) is None
    assert status_of(accounts, XERO).state == NOT_CONNECTED


def test_timeout(accounts: AccountsService) -> None:
    attempt = accounts.start_connect(XERO)
    with pytest.raises(CallbackTimeout):
        attempt.finish(timeout=0.3)


def test_the_next_port_is_used_when_the_first_is_busy(accounts: AccountsService, ports: tuple[int, ...]) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", ports[0]))
        holder.listen()
        attempt = accounts.start_connect(XERO)
        assert f"localhost%3A{ports[1]}%2Fcallback" in attempt.url
        attempt.cancel()
        status, _ = connect(accounts, XERO)
    assert status.state == CONNECTED


def test_two_threads_refresh_once(accounts: AccountsService, server: FakeOAuthServer) -> None:
    connect(accounts, XERO)
    expire_soon(accounts, XERO)
    server.token_delay = 0.3
    session = accounts.session(XERO)
    barrier = threading.Barrier(2)
    got: list[str] = []

    def use() -> None:
        barrier.wait()
        got.append(session.tokens().access_token)

    threads = [threading.Thread(target=use) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert server.refresh_count() == 1
    assert len(got) == 2 and got[0] == got[1]


def test_invalid_grant_shows_reconnect_needed(accounts: AccountsService, server: FakeOAuthServer) -> None:
    connect(accounts, XERO)
    server.revoke_everything()
    expire_soon(accounts, XERO)
    with pytest.raises(ReconnectNeeded):
        accounts.session(XERO).tokens()
    assert status_of(accounts, XERO).state == RECONNECT_NEEDED


def test_an_api_401_refreshes_once_and_retries_once(accounts: AccountsService, server: FakeOAuthServer) -> None:
    connect(accounts, XERO)
    server.expire_access_tokens()
    calls_before = server.api_calls
    with httpx.Client(auth=accounts.auth(XERO)) as api:
        answer = api.get(f"{server.url}/api/ping")
    assert answer.status_code == 200
    assert server.refresh_count() == 1
    assert server.api_calls - calls_before == 2


@pytest.mark.parametrize("provider", [XERO, QUICKBOOKS])
def test_disconnect_revokes_then_forgets(accounts: AccountsService, server: FakeOAuthServer, provider: str) -> None:
    accounts.set_client_secret(QUICKBOOKS, QBO_SECRET)
    connect(accounts, provider)
    tokens = accounts.vault.load(provider)
    assert tokens is not None
    assert accounts.disconnect(provider) is None
    assert server.revocations == 1 and server.by_refresh[tokens.refresh_token].revoked
    assert accounts.vault.load(provider) is None
    assert status_of(accounts, provider).state == NOT_CONNECTED


def test_no_token_reaches_the_log_or_the_database(
    core: Core, accounts: AccountsService, server: FakeOAuthServer
) -> None:
    logging.getLogger("app").setLevel(logging.DEBUG)
    try:
        accounts.set_client_secret(QUICKBOOKS, QBO_SECRET)
        connect(accounts, XERO)
        connect(accounts, QUICKBOOKS)
        server.expire_access_tokens()
        with httpx.Client(auth=accounts.auth(XERO)) as api:
            assert api.get(f"{server.url}/api/ping").status_code == 200
        server.revoke_everything()
        expire_soon(accounts, QUICKBOOKS)
        with pytest.raises(ReconnectNeeded):
            accounts.session(QUICKBOOKS).tokens()
    finally:
        logging.getLogger("app").setLevel(logging.NOTSET)
    secrets = [*server.by_access, *server.by_refresh, QBO_SECRET]
    assert len(secrets) >= 7
    logs = [Path(h.baseFilename) for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert logs, "the app logs to a file"
    for handler in logging.getLogger().handlers:
        handler.flush()
    files = [*logs, core.db.path, Path(f"{core.db.path}-wal")]
    text = b"".join(f.read_bytes() for f in files if f.exists())
    assert b"reconnecting" in text, "the log file was written during the test"
    assert b"Demo Co" in text, "the database holds the account status"
    for secret in secrets:
        assert secret.encode() not in text
