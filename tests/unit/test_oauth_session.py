"""The token session against `httpx.MockTransport`; the real authorization server is in the integration tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import httpx
import pytest

from app.sync.oauth.config import DEFAULTS, XERO
from app.sync.oauth.errors import ReconnectNeeded
from app.sync.oauth.flows import OAuthFlow
from app.sync.oauth.session import BearerAuth, NotConnected, TokenSession
from app.sync.oauth.vault import Tokens, Vault

CONFIG = replace(DEFAULTS[XERO], client_id="xid", token_url="https://auth.test/token", api_url="https://api.test")


class Provider:
    """Token endpoint + API: rotates refresh tokens, and records what the vault held when the API was called."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.serial = 0
        self.refreshes = 0
        self.valid = {"access-0"}
        self.refresh_tokens = {"refresh-0"}
        self.vault_at_api_call: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
            if form.get("refresh_token") not in self.refresh_tokens:
                return httpx.Response(400, json={"error": "invalid_grant"})
            self.refreshes += 1
            self.refresh_tokens.discard(form["refresh_token"])
            self.serial += 1
            access, refresh = f"access-{self.serial}", f"refresh-{self.serial}"
            self.valid, self.refresh_tokens = {access}, self.refresh_tokens | {refresh}
            return httpx.Response(200, json={"access_token": access, "refresh_token": refresh,
                                             "expires_in": 1800, "token_type": "Bearer"})
        stored = self.vault.load(XERO)
        self.vault_at_api_call.append(stored.refresh_token if stored else "")
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.valid:
            return httpx.Response(401, json={"Title": "Unauthorized"})
        return httpx.Response(200, json={"tenant": request.headers.get("xero-tenant-id")})


def setup(expires_in: float) -> tuple[TokenSession, Provider, list[str]]:
    vault = Vault()
    vault.save(XERO, Tokens("access-0", "refresh-0", datetime.now(UTC) + timedelta(seconds=expires_in), (), "t-1"))
    provider = Provider(vault)
    flagged: list[str] = []
    session = TokenSession(OAuthFlow(CONFIG, vault, httpx.MockTransport(provider)), vault, flagged.append)
    return session, provider, flagged


def client(session: TokenSession, provider: Provider) -> httpx.Client:
    return httpx.Client(base_url="https://api.test", auth=BearerAuth(session, "xero-tenant-id"),
                        transport=httpx.MockTransport(provider))


def test_a_fresh_token_is_used_as_it_is() -> None:
    session, provider, _ = setup(600)
    assert session.tokens().access_token == "access-0"
    assert provider.refreshes == 0


def test_refreshes_a_minute_ahead_and_saves_the_rotated_token_first() -> None:
    session, provider, _ = setup(30)
    answer = client(session, provider).get("/Invoices")
    assert answer.status_code == 200 and answer.json() == {"tenant": "t-1"}
    assert provider.refreshes == 1
    assert provider.vault_at_api_call == ["refresh-1"], "the new refresh token was in the vault before the call"
    assert session.tokens().access_token == "access-1"


def test_a_401_leads_to_one_refresh_and_one_retry() -> None:
    session, provider, _ = setup(600)
    provider.valid = set()
    answer = client(session, provider).get("/Invoices")
    assert answer.status_code == 200
    assert provider.refreshes == 1 and len(provider.vault_at_api_call) == 2


def test_a_401_after_the_retry_is_returned_not_looped() -> None:
    session, provider, _ = setup(600)
    original = provider.__call__

    def always_401(request: httpx.Request) -> httpx.Response:
        answer = original(request)
        return answer if request.url.path == "/token" else httpx.Response(401)

    api = httpx.Client(base_url="https://api.test", auth=BearerAuth(session), transport=httpx.MockTransport(always_401))
    session.flow._transport = httpx.MockTransport(always_401)
    assert api.get("/Invoices").status_code == 401
    assert provider.refreshes == 1


def test_invalid_grant_flags_reconnect_needed() -> None:
    session, provider, flagged = setup(10)
    provider.refresh_tokens = set()
    with pytest.raises(ReconnectNeeded, match="connect the account again"):
        session.tokens()
    assert flagged == [XERO]


def test_not_connected_is_explained() -> None:
    session, _, flagged = setup(600)
    Vault().delete(XERO)
    with pytest.raises(NotConnected, match="timetally accounts connect xero"):
        session.tokens()
    assert flagged == [XERO]


def test_the_token_request_is_form_encoded_with_the_client_id_and_no_secret() -> None:
    seen: list[httpx.Request] = []
    session, provider, _ = setup(10)

    def spy(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return provider(request)

    session.flow._transport = httpx.MockTransport(spy)
    session.tokens()
    body = parse_qs(seen[0].content.decode())
    assert body["grant_type"] == ["refresh_token"] and body["client_id"] == ["xid"]
    assert "Authorization" not in seen[0].headers
