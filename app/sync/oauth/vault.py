"""The token vault: the OS keyring and nothing else.

Tokens never go to the database, the settings file or the logs, and when no secure keyring exists the vault
refuses to store them instead of falling back to a plain file. Each provider's refresh token, access token and
metadata are separate entries (some keyrings cap an entry's size), written refresh token first so a rotated
refresh token is safe before anything uses the new access token.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from app.sync.oauth.errors import VaultUnavailable

log = logging.getLogger(__name__)

SERVICE = "TimeTally"
_FIELDS = ("refresh_token", "meta", "access_token")
NO_KEYRING = (
    "No system keyring is available{detail}, and TimeTally keeps account tokens only there. On Linux install and "
    "unlock a Secret Service keyring (GNOME Keyring or KWallet), then try again; on Windows and macOS the system's "
    "credential store is used. TimeTally never stores tokens in a plain file."
)


def _unavailable(exc: KeyringError) -> VaultUnavailable:
    """The user's sentence for a failed keyring call. `keyring`'s own text for "no backend at all" advises
    installing a plain-text store, the one thing TimeTally refuses, so only other failures are quoted."""
    detail = "" if isinstance(exc, NoKeyringError) else f" ({type(exc).__name__}: {exc})"
    return VaultUnavailable(NO_KEYRING.format(detail=detail))


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: datetime
    scopes: tuple[str, ...] = ()
    tenant_id: str = ""
    """Xero's tenantId or QuickBooks' realmId: which organisation the tokens act on."""

    def expires_within(self, seconds: float, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) + timedelta(seconds=seconds) >= self.expires_at

    def __repr__(self) -> str:
        return f"Tokens(expires_at={self.expires_at.isoformat()}, scopes={self.scopes!r}, tenant_id=...)"


def _insecure(backend: KeyringBackend) -> str | None:
    """Why this backend cannot hold secrets, or None when it can."""
    if isinstance(backend, fail.Keyring | null.Keyring):
        return ""
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        if not chained:
            return ""
        reasons = [r for r in map(_insecure, chained) if r is not None]
        return reasons[0] if reasons else None
    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    if name.startswith("keyrings.alt") or "plaintext" in name.lower():
        return f" ({name} stores secrets in a file)"
    return None


class Vault:
    """Per-provider tokens and client secrets in the keyring backend `keyring` has selected."""

    def __init__(self, service: str = SERVICE) -> None:
        self._service = service

    def require_secure(self) -> None:
        """Raise `VaultUnavailable` with an explanation when there is no secure keyring."""
        reason = _insecure(keyring.get_keyring())
        if reason is not None:
            raise VaultUnavailable(NO_KEYRING.format(detail=reason))

    def load(self, provider: str) -> Tokens | None:
        values = {field: self._get(f"{provider}:{field}") for field in _FIELDS}
        if not values["refresh_token"] or not values["meta"]:
            return None
        try:
            meta = json.loads(values["meta"] or "")
            expires_at = datetime.fromisoformat(meta["expires_at"])
            scopes = tuple(meta.get("scopes", ()))
            tenant = str(meta.get("tenant_id", ""))
        except (ValueError, KeyError, TypeError):
            log.warning("the keyring entry for %s tokens is unreadable; it is ignored", provider)
            return None
        return Tokens(values["access_token"] or "", values["refresh_token"] or "", expires_at, scopes, tenant)

    def save(self, provider: str, tokens: Tokens) -> None:
        """Refresh token first: if a later write fails, the newest refresh token is already safe."""
        self.require_secure()
        meta = {
            "expires_at": tokens.expires_at.isoformat(), "scopes": list(tokens.scopes), "tenant_id": tokens.tenant_id,
        }
        self._set(f"{provider}:refresh_token", tokens.refresh_token)
        self._set(f"{provider}:meta", json.dumps(meta))
        self._set(f"{provider}:access_token", tokens.access_token)

    def delete(self, provider: str) -> None:
        for field in _FIELDS:
            self._delete(f"{provider}:{field}")

    def client_secret(self, provider: str) -> str | None:
        return self._get(f"{provider}:client_secret")

    def set_client_secret(self, provider: str, secret: str) -> None:
        self.require_secure()
        self._set(f"{provider}:client_secret", secret)

    def delete_client_secret(self, provider: str) -> None:
        self._delete(f"{provider}:client_secret")

    def secret(self, name: str) -> str | None:
        """Another secret TimeTally keeps (a webhook endpoint's signing secret), by its own name."""
        return self._get(name)

    def set_secret(self, name: str, value: str) -> None:
        self.require_secure()
        self._set(name, value)

    def delete_secret(self, name: str) -> None:
        self._delete(name)

    def _get(self, key: str) -> str | None:
        try:
            return keyring.get_password(self._service, key)
        except KeyringError as exc:
            raise _unavailable(exc) from exc

    def _set(self, key: str, value: str) -> None:
        try:
            keyring.set_password(self._service, key, value)
        except KeyringError as exc:
            raise _unavailable(exc) from exc

    def _delete(self, key: str) -> None:
        try:
            keyring.delete_password(self._service, key)
        except PasswordDeleteError:
            return  # already absent
        except KeyringError as exc:
            raise _unavailable(exc) from exc
