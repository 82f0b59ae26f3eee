"""Valid access tokens on demand, and an `httpx.Auth` that API clients pass as `auth=`.

A token is refreshed 60 s before it expires. Only one refresh runs at a time per provider: a thread that waited
for the lock re-reads the vault and uses what the other thread got, because both Xero and Intuit rotate refresh
tokens and a second refresh with the old one would fail. The rotated tokens are saved to the vault before the new
access token is handed out. A provider that answers `invalid_grant` puts the account in "reconnect needed".
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator

import httpx

from app.sync.oauth.errors import OAuthError, ReconnectNeeded
from app.sync.oauth.flows import OAuthFlow
from app.sync.oauth.vault import Tokens, Vault

REFRESH_AHEAD_SECONDS = 60.0


class NotConnected(OAuthError):
    """No tokens are stored for the provider."""


class TokenSession:
    """One per provider and process (the accounts service keeps them), so its lock covers every thread."""

    def __init__(self, flow: OAuthFlow, vault: Vault, on_reconnect_needed: Callable[[str], None]) -> None:
        self.flow = flow
        self._vault = vault
        self._on_reconnect_needed = on_reconnect_needed
        self._lock = threading.Lock()

    @property
    def provider(self) -> str:
        return self.flow.config.name

    def tokens(self) -> Tokens:
        """Stored tokens, refreshed first when they expire within a minute."""
        tokens = self._load()
        if not tokens.expires_within(REFRESH_AHEAD_SECONDS):
            return tokens
        with self._lock:
            tokens = self._load()
            if tokens.expires_within(REFRESH_AHEAD_SECONDS):
                tokens = self._refresh(tokens)
            return tokens

    def after_rejection(self, rejected_access_token: str) -> Tokens:
        """The API refused this access token: refresh, unless another thread already replaced it."""
        with self._lock:
            tokens = self._load()
            if tokens.access_token != rejected_access_token:
                return tokens
            return self._refresh(tokens)

    def _load(self) -> Tokens:
        tokens = self._vault.load(self.provider)
        if tokens is None:
            self._on_reconnect_needed(self.provider)  # the keyring lost them: the account cannot work as it is
            title = self.flow.config.title
            raise NotConnected(
                f"{title} is not connected. Connect it in Preferences → Accounts, or run "
                f"'timetally accounts connect {self.provider}'."
            )
        return tokens

    def _refresh(self, tokens: Tokens) -> Tokens:
        try:
            fresh = self.flow.refresh(tokens)
        except ReconnectNeeded:
            self._on_reconnect_needed(self.provider)
            raise
        self._vault.save(self.provider, fresh)
        return fresh


class BearerAuth(httpx.Auth):
    """Adds the bearer token (and Xero's tenant header); a 401 leads to one refresh and one retry, no more."""

    def __init__(self, session: TokenSession, tenant_header: str | None = None) -> None:
        self._session = session
        self._tenant_header = tenant_header

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        tokens = self._session.tokens()
        self._sign(request, tokens)
        response = yield request
        if response.status_code == 401:
            self._sign(request, self._session.after_rejection(tokens.access_token))
            yield request

    def _sign(self, request: httpx.Request, tokens: Tokens) -> None:
        request.headers["Authorization"] = f"Bearer {tokens.access_token}"
        if self._tenant_header and tokens.tenant_id:
            request.headers[self._tenant_header] = tokens.tenant_id
