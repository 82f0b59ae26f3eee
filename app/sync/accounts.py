"""Connected accounting systems: connect (loopback sign-in), disconnect (revoke, then forget), status.

The database keeps only what the user may see (organisation, since when, scopes, state); tokens and the
QuickBooks client secret are in the keyring through the vault.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import select

from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables.accounts import AccountRow
from app.sync.oauth import config as oauth_config
from app.sync.oauth.config import PROVIDERS, XERO, ProviderConfig
from app.sync.oauth.errors import ConfigError, OAuthError
from app.sync.oauth.flows import Authorization, OAuthFlow, Organisation
from app.sync.oauth.loopback import DEFAULT_TIMEOUT, LoopbackListener
from app.sync.oauth.session import BearerAuth, TokenSession
from app.sync.oauth.vault import Tokens, Vault

log = logging.getLogger(__name__)

CONNECTED = "connected"
RECONNECT_NEEDED = "reconnect needed"
NOT_CONNECTED = "not connected"


@dataclass(frozen=True, slots=True)
class AccountStatus:
    provider: str
    title: str
    state: str
    organisation: str = ""
    connected_since: datetime | None = None
    scopes: tuple[str, ...] = ()
    needs_secret: bool = False
    """QuickBooks with the user's own keys: a client secret must be in the keyring before connecting."""

    @property
    def connected(self) -> bool:
        return self.state != NOT_CONNECTED

    def to_json(self) -> dict[str, Any]:
        since = self.connected_since.isoformat().replace("+00:00", "Z") if self.connected_since else None
        return {"provider": self.provider, "state": self.state, "organisation": self.organisation or None,
                "connected_since": since, "scopes": list(self.scopes)}


class ConnectAttempt:
    """One sign-in: open `url` in a browser, then `finish()` waits for the callback and stores the tokens.

    `cancel()` may be called from any thread and ends `finish()` with `Cancelled`.
    """

    def __init__(self, service: AccountsService, flow: OAuthFlow, listener: LoopbackListener,
                 authorization: Authorization) -> None:
        self._service = service
        self._flow = flow
        self._listener = listener
        self._authorization = authorization

    @property
    def provider(self) -> str:
        return self._flow.config.name

    @property
    def url(self) -> str:
        return self._authorization.url

    def finish(self, timeout: float = DEFAULT_TIMEOUT, tenant: str | None = None) -> AccountStatus:
        """`tenant` picks a Xero organisation by name or id; the first one otherwise."""
        callback = self._listener.wait(timeout)
        tokens = self._flow.exchange(self._authorization, callback.code, tenant_id=callback.realm_id or "")
        organisation = _pick(self._flow.organisations(tokens), tenant, self._flow.config.title)
        tokens = replace(tokens, tenant_id=organisation.id)
        return self._service._connected(self.provider, tokens.scopes, organisation.name, tokens)

    def cancel(self) -> None:
        """Ends a running `finish()`, or releases the port when `finish()` was never called."""
        self._listener.cancel()
        self._listener.close()


def find_organisation(organisations: list[Organisation], wanted: str) -> Organisation | None:
    """The organisation `wanted` names by id or by name (case ignored)."""
    return next((o for o in organisations if wanted in (o.id, o.name) or wanted.casefold() == o.name.casefold()),
                None)


def _pick(organisations: list[Organisation], wanted: str | None, title: str) -> Organisation:
    if not organisations:
        raise OAuthError(f"The {title} sign-in gave access to no organisation. Connect again and choose one.")
    if wanted is None:
        return organisations[0]
    found = find_organisation(organisations, wanted)
    if found is not None:
        return found
    names = ", ".join(o.name for o in organisations)
    raise OAuthError(f"{title} has no organisation named '{wanted}' in this sign-in; it gave access to: {names}.")


class AccountsService:
    """`configs` default to the packaged providers file, settings.toml, `user_settings` (Preferences → Accounts)
    and the environment, read on use so a broken settings file only stops account actions, and read again when
    the user's settings changed. `transport` is injected into every HTTP client (tests pass one that reaches
    loopback fakes).
    """

    def __init__(self, db: Database, configs: Mapping[str, ProviderConfig] | None = None, *,
                 settings_file: Path | None = None, vault: Vault | None = None,
                 transport: httpx.BaseTransport | None = None,
                 user_settings: Callable[[], Mapping[str, Any]] | None = None) -> None:
        self._db = db
        self._configs = dict(configs) if configs is not None else None
        self._fixed = configs is not None
        self._user_settings = user_settings
        self._user_seen: tuple[tuple[str, Any], ...] | None = None
        self._settings_file = settings_file
        self.vault = vault or Vault()
        self._transport = transport
        self._sessions: dict[str, TokenSession] = {}
        self._sessions_lock = threading.Lock()

    def config(self, provider: str) -> ProviderConfig:
        if not self._fixed:
            user = dict(self._user_settings()) if self._user_settings is not None else {}
            seen = tuple(sorted(user.items()))
            if self._configs is None or seen != self._user_seen:
                self._configs = oauth_config.load(self._settings_file, user=user)
                self._user_seen = seen
        assert self._configs is not None
        try:
            return self._configs[provider]
        except KeyError:
            raise ConfigError(f"TimeTally knows no accounting system named '{provider}' "
                              f"(choose {' or '.join(PROVIDERS)}).") from None

    def flow(self, provider: str) -> OAuthFlow:
        return OAuthFlow(self.config(provider), self.vault, self._transport)

    def start_connect(self, provider: str) -> ConnectAttempt:
        """Checks the keyring and configuration first, then opens the loopback listener."""
        self.vault.require_secure()
        flow = self.flow(provider)
        config = flow.config
        config.require_client_id()
        if config.needs_secret and not self.vault.client_secret(provider):
            raise ConfigError(
                f"{config.title} needs the client secret of your app first. Enter it in Preferences → Accounts, or run "
                f"'timetally accounts set-secret {provider}'."
            )
        state = flow.new_state()
        listener = LoopbackListener(config.redirect_ports, state, needs_realm=config.needs_realm,
                                    provider=config.title)
        redirect_uri = listener.start()
        try:
            authorization = flow.authorization(redirect_uri, state)
        except BaseException:
            listener.close()
            raise
        return ConnectAttempt(self, flow, listener, authorization)

    def disconnect(self, provider: str) -> str | None:
        """Revoke at the provider, then forget the tokens. Returns why revoking failed, if it did."""
        config = self.config(provider)
        problem = None
        tokens = self.vault.load(provider)
        if tokens is not None:
            try:
                self.flow(provider).revoke(tokens)
            except OAuthError as exc:
                problem = str(exc)
                log.warning("revoking the %s connection failed; the tokens are forgotten anyway", config.title)
        self.vault.delete(provider)
        with self._db.session() as s:
            row = s.get(AccountRow, provider)
            if row is not None:
                s.delete(row)
        return problem

    def status(self) -> list[AccountStatus]:
        """From the database only: no keyring prompt and no network just to show the page."""
        with self._db.session() as s:
            rows = {row.provider: row for row in s.exec(select(AccountRow)).all()}
        result = []
        for provider in PROVIDERS:
            config = self.config(provider)
            row = rows.get(provider)
            if row is None:
                result.append(AccountStatus(provider, config.title, NOT_CONNECTED, needs_secret=config.needs_secret))
            else:
                result.append(AccountStatus(provider, config.title, row.state, row.organisation, row.connected_since,
                                            tuple(row.scopes.split()), config.needs_secret))
        return result

    def set_client_secret(self, provider: str, secret: str) -> None:
        config = self.config(provider)
        if not config.needs_secret:
            raise ConfigError(f"{config.title} does not use a client secret in TimeTally.")
        if not secret.strip():
            raise ConfigError("The client secret is empty; nothing was stored.")
        self.vault.set_client_secret(provider, secret.strip())

    def session(self, provider: str) -> TokenSession:
        """One per provider in this process, so one refresh at a time across threads."""
        with self._sessions_lock:
            if provider not in self._sessions:
                self._sessions[provider] = TokenSession(self.flow(provider), self.vault, self._mark_reconnect)
            return self._sessions[provider]

    def auth(self, provider: str) -> BearerAuth:
        """For API clients: `httpx.Client(auth=accounts.auth("xero"), transport=...)`."""
        return BearerAuth(self.session(provider), tenant_header="xero-tenant-id" if provider == XERO else None)

    def set_organisation(self, provider: str, organisation: str) -> None:
        """The organisation's name for status pages, kept without a network call."""
        with self._db.session() as s:
            row = s.get(AccountRow, provider)
            if row is not None:
                row.organisation = organisation
                s.add(row)

    def _connected(self, provider: str, scopes: tuple[str, ...], organisation: str, tokens: Tokens) -> AccountStatus:
        self.vault.save(provider, tokens)
        with self._db.session() as s:
            row = s.get(AccountRow, provider) or AccountRow(provider=provider)
            row.organisation = organisation
            row.connected_since = utcnow()
            row.scopes = " ".join(scopes)
            row.state = CONNECTED
            s.add(row)
        log.info("%s connected", self.config(provider).title)
        return next(st for st in self.status() if st.provider == provider)

    def _mark_reconnect(self, provider: str) -> None:
        log.warning("%s refused the stored sign-in; the account needs reconnecting", self.config(provider).title)
        with self._db.session() as s:
            row = s.get(AccountRow, provider)
            if row is not None:
                row.state = RECONNECT_NEEDED
                s.add(row)
