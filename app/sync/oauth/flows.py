"""The OAuth 2.0 authorization-code flow with authlib over httpx, for both providers.

Xero is a public client: PKCE S256, no secret. QuickBooks is a confidential client with no PKCE: its secret
comes from the vault and goes in HTTP Basic auth at the token endpoint, unless the configured token URL is a
relay that adds the secret itself (`relay = true`), in which case the app sends only its client id.
"""

from __future__ import annotations

import logging
import secrets
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning

from app.sync.oauth.config import QUICKBOOKS, ProviderConfig
from app.sync.oauth.errors import ConfigError, OAuthError, ReconnectNeeded
from app.sync.oauth.vault import Tokens, Vault

with warnings.catch_warnings():
    # authlib announces its move to the `httpx2` package on import; the httpx client it wraps is the same.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.base_client.errors import OAuthError as AuthlibOAuthError
    from authlib.integrations.httpx_client import OAuth2Client

log = logging.getLogger(__name__)

HTTP_TIMEOUT = 30.0
QBO_MINOR_VERSION = "75"


@dataclass(frozen=True, slots=True)
class Authorization:
    """One sign-in in progress: what the browser opens and what the code exchange must repeat."""

    url: str
    state: str
    redirect_uri: str
    code_verifier: str | None = None


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str


class OAuthFlow:
    """Authorization URL, code exchange, refresh, revocation and the organisation a token reaches."""

    def __init__(self, config: ProviderConfig, vault: Vault, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self._vault = vault
        self._transport = transport

    @staticmethod
    def new_state() -> str:
        """Unguessable and single-use: the loopback listener compares it in constant time."""
        return secrets.token_urlsafe(32)

    def authorization(self, redirect_uri: str, state: str) -> Authorization:
        config = self.config
        verifier = generate_token(64) if config.pkce else None
        with self._oauth_client(secret_needed=False) as client:
            url, _ = client.create_authorization_url(
                config.authorize_url, state=state, code_verifier=verifier, redirect_uri=redirect_uri,
                scope=" ".join(config.scopes),
            )
        return Authorization(url=url, state=state, redirect_uri=redirect_uri, code_verifier=verifier)

    def exchange(self, authorization: Authorization, code: str, tenant_id: str = "") -> Tokens:
        extra = {"code_verifier": authorization.code_verifier} if authorization.code_verifier else {}
        with self._oauth_client() as client:
            answer = self._call(lambda: client.fetch_token(
                self.config.token_url, grant_type="authorization_code", code=code,
                redirect_uri=authorization.redirect_uri, **extra,
            ))
        return self._tokens(answer, previous_refresh="", tenant_id=tenant_id)

    def refresh(self, tokens: Tokens) -> Tokens:
        """New tokens from the refresh token; `ReconnectNeeded` when the provider no longer accepts it."""
        with self._oauth_client() as client:
            answer = self._call(lambda: client.refresh_token(self.config.token_url, refresh_token=tokens.refresh_token))
        return self._tokens(answer, previous_refresh=tokens.refresh_token, tenant_id=tokens.tenant_id,
                            previous_scopes=tokens.scopes)

    def revoke(self, tokens: Tokens) -> None:
        """Revoke the refresh token (and with it the grant). Xero: form + client id; Intuit: JSON + Basic auth."""
        config = self.config
        with self._http() as http:
            if config.name == QUICKBOOKS:
                response = http.post(config.revoke_url, json={"token": tokens.refresh_token},
                                     auth=self._basic() or httpx.USE_CLIENT_DEFAULT)
            else:
                response = http.post(
                    config.revoke_url, data={"token": tokens.refresh_token, "token_type_hint": "refresh_token",
                                             "client_id": config.require_client_id()})
        self._note(response)
        if response.status_code >= 400 and response.status_code != 404:
            raise OAuthError(f"{config.title} did not revoke the connection (HTTP {response.status_code}).")

    def organisations(self, tokens: Tokens) -> list[Organisation]:
        """Xero: the tenants this consent reached. QuickBooks: the one company named by `realmId`."""
        with self._http() as http:
            headers = {"Authorization": f"Bearer {tokens.access_token}", "Accept": "application/json"}
            if self.config.name == QUICKBOOKS:
                realm = tokens.tenant_id
                url = f"{self.config.api_url.rstrip('/')}/v3/company/{realm}/companyinfo/{realm}"
                response = http.get(url, headers=headers, params={"minorversion": QBO_MINOR_VERSION})
                self._note(response)
                name = response.json().get("CompanyInfo", {}).get("CompanyName") if response.is_success else None
                return [Organisation(realm, str(name or f"Company {realm}"))]
            response = http.get(self.config.connections_url, headers=headers)
            self._note(response)
            if not response.is_success:
                raise OAuthError(f"Xero did not list the connected organisations (HTTP {response.status_code}).")
            return [Organisation(str(c["tenantId"]), str(c.get("tenantName") or c["tenantId"]))
                    for c in response.json() if c.get("tenantType", "ORGANISATION") == "ORGANISATION"]

    @contextmanager
    def _http(self) -> Iterator[httpx.Client]:
        client = httpx.Client(transport=self._transport, timeout=HTTP_TIMEOUT)
        try:
            yield client
        except httpx.HTTPError as exc:
            raise OAuthError(f"{self.config.title} could not be reached: {exc}") from exc
        except ValueError as exc:
            raise OAuthError(f"{self.config.title} sent an answer TimeTally cannot read.") from exc
        finally:
            if self._transport is None:  # an injected transport belongs to the caller
                client.close()

    @contextmanager
    def _oauth_client(self, secret_needed: bool = True) -> Iterator[OAuth2Client]:
        config = self.config
        secret = self._secret() if secret_needed and config.needs_secret else None
        client = OAuth2Client(
            client_id=config.require_client_id(),
            client_secret=secret,
            token_endpoint_auth_method="client_secret_basic" if config.needs_secret else "none",
            code_challenge_method="S256" if config.pkce else None,
            transport=self._transport,
            timeout=HTTP_TIMEOUT,
            headers={"Accept": "application/json"},
        )
        for hook in ("access_token_response", "refresh_token_response"):
            client.register_compliance_hook(hook, self._note)
        try:
            yield client
        finally:
            if self._transport is None:
                client.close()

    def _secret(self) -> str:
        secret = self._vault.client_secret(self.config.name)
        if not secret:
            raise ConfigError(
                f"{self.config.title} needs the client secret of your app. Enter it in Preferences → Accounts, or run "
                f"'timetally accounts set-secret {self.config.name}'."
            )
        return secret

    def _basic(self) -> httpx.BasicAuth | None:
        return httpx.BasicAuth(self.config.require_client_id(), self._secret()) if self.config.needs_secret else None

    def _call(self, request: Callable[[], Mapping[str, Any]]) -> Mapping[str, Any]:
        try:
            return dict(request())
        except AuthlibOAuthError as exc:
            if exc.error == "invalid_grant":
                raise ReconnectNeeded(
                    f"{self.config.title} no longer accepts TimeTally's sign-in; connect the account again."
                ) from None
            detail = f": {exc.description}" if exc.description else ""
            raise OAuthError(f"{self.config.title} refused the token request ({exc.error}{detail}).") from None
        except httpx.HTTPStatusError as exc:
            status = exc.response.status_code
            raise OAuthError(f"{self.config.title}'s token endpoint failed (HTTP {status}).") from None
        except httpx.HTTPError as exc:
            raise OAuthError(f"{self.config.title} could not be reached: {exc}") from None

    def _note(self, response: httpx.Response) -> httpx.Response:
        """Log failures with Intuit's `intuit_tid` (their support asks for it); never the body, it may hold tokens."""
        if response.status_code >= 400:
            log.warning("%s answered HTTP %d for %s %s (intuit_tid=%s)", self.config.title, response.status_code,
                        response.request.method, response.request.url.copy_with(query=None),
                        response.headers.get("intuit_tid", "-"))
        return response

    def _tokens(self, answer: Mapping[str, Any], previous_refresh: str, tenant_id: str,
                previous_scopes: tuple[str, ...] = ()) -> Tokens:
        access = answer.get("access_token")
        refresh = answer.get("refresh_token") or previous_refresh
        if not access or not refresh:
            raise OAuthError(f"{self.config.title} answered without the tokens TimeTally needs (offline access).")
        try:
            lifetime = int(answer.get("expires_in", 1800))
        except (TypeError, ValueError):
            lifetime = 1800
        scope = answer.get("scope")
        scopes = tuple(scope.split()) if isinstance(scope, str) and scope else previous_scopes or self.config.scopes
        return Tokens(access_token=str(access), refresh_token=str(refresh),
                      expires_at=datetime.now(UTC) + timedelta(seconds=lifetime), scopes=scopes, tenant_id=tenant_id)
