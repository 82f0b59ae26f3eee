"""Provider configuration, each layer over the one before: the real endpoints, the providers file packaged with
TimeTally (`resources/providers.toml`: the client ids a release ships), settings.toml, the user's own choices in
Preferences → Accounts (settings `xero.client_id`, `quickbooks.client_id`, `quickbooks.relay`,
`quickbooks.relay_url`), and last the environment.

Tests and sandboxes point every URL at loopback; users with their own Intuit keys set the QuickBooks client id,
and a distributor running a token-exchange relay sets `relay = true` and points the token URL at it.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.sync.oauth.errors import ConfigError

XERO = "xero"
QUICKBOOKS = "quickbooks"
PROVIDERS = (XERO, QUICKBOOKS)
DEFAULT_PORTS = (8765, 8766, 8767)
PORTS_ENV = "TIMETALLY_REDIRECT_PORTS"
CALLBACK = "/callback"
USER_SETTINGS = ("xero.client_id", "quickbooks.client_id", "quickbooks.relay", "quickbooks.relay_url")
"""The settings (Preferences → Accounts) that `load` takes as `user`."""

XERO_SCOPES = (
    "openid", "profile", "email", "offline_access", "accounting.invoices", "accounting.contacts",
    "accounting.settings.read", "accounting.payments.read", "accounting.attachments",
)


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    name: str
    title: str
    client_id: str
    authorize_url: str
    token_url: str
    revoke_url: str
    api_url: str
    scopes: tuple[str, ...]
    redirect_ports: tuple[int, ...] = DEFAULT_PORTS
    connections_url: str = ""
    """Xero only: lists the organisations (tenants) a token may reach."""
    pkce: bool = True
    relay: bool = False
    """QuickBooks only: the token URL is a relay that adds the client secret, so the app holds none."""
    client_id_from: str = ""
    """Where the client id came from, in words, for Preferences → Accounts."""

    @property
    def redirect_uris(self) -> tuple[str, ...]:
        """Exactly what to register with the provider: one loopback address per port."""
        return tuple(f"http://localhost:{port}{CALLBACK}" for port in self.redirect_ports)

    @property
    def needs_secret(self) -> bool:
        """A confidential client authenticates with Basic auth from a secret kept in the vault."""
        return not self.pkce and not self.relay

    @property
    def needs_realm(self) -> bool:
        """QuickBooks names the company only on the callback (`realmId`)."""
        return self.name == QUICKBOOKS

    def require_client_id(self) -> str:
        if not self.client_id:
            env = "TIMETALLY_XERO_CLIENT_ID" if self.name == XERO else "TIMETALLY_QBO_CLIENT_ID"
            raise ConfigError(
                f"TimeTally has no {self.title} client id. Paste the client id of the app you registered with "
                f"{self.title} in Preferences → Accounts (or set {env}); register the redirect URIs "
                f"{', '.join(self.redirect_uris)}."
            )
        return self.client_id


DEFAULTS: dict[str, ProviderConfig] = {
    XERO: ProviderConfig(
        name=XERO,
        title="Xero",
        client_id="",
        authorize_url="https://login.xero.com/identity/connect/authorize",
        token_url="https://identity.xero.com/connect/token",
        revoke_url="https://identity.xero.com/connect/revocation",
        connections_url="https://api.xero.com/connections",
        api_url="https://api.xero.com/api.xro/2.0",
        scopes=XERO_SCOPES,
        pkce=True,
    ),
    QUICKBOOKS: ProviderConfig(
        name=QUICKBOOKS,
        title="QuickBooks",
        client_id="",
        authorize_url="https://appcenter.intuit.com/connect/oauth2",
        token_url="https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
        revoke_url="https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
        api_url="https://quickbooks.api.intuit.com",
        scopes=("com.intuit.quickbooks.accounting",),
        pkce=False,
    ),
}

_ENV_PREFIX = {XERO: "TIMETALLY_XERO_", QUICKBOOKS: "TIMETALLY_QBO_"}
_URL_FIELDS = ("authorize_url", "token_url", "revoke_url", "connections_url", "api_url")
_ENV_FIELDS = {
    XERO: ("client_id", *_URL_FIELDS),
    QUICKBOOKS: ("client_id", "authorize_url", "token_url", "revoke_url", "api_url"),
}


def parse_ports(text: str, origin: str) -> tuple[int, ...]:
    """'8765, 8766' -> (8765, 8766); anything else is refused with the place it came from."""
    try:
        ports = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError(f"{origin}: redirect ports must be numbers separated by commas, not {text!r}.") from None
    return _check_ports(ports, origin)


def _check_ports(ports: tuple[int, ...], origin: str) -> tuple[int, ...]:
    if not ports or any(not 1 <= p <= 65535 for p in ports):
        raise ConfigError(f"{origin}: give at least one redirect port between 1 and 65535.")
    return ports


def packaged_file() -> Path:
    """`resources/providers.toml` beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    return (Path(bundle) if bundle else Path(__file__).resolve().parents[3]) / "resources" / "providers.toml"


def _read_file(settings_file: Path | None) -> dict[str, Any]:
    if settings_file is None or not settings_file.exists():
        return {}
    try:
        return tomllib.loads(settings_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"TimeTally cannot read {settings_file}: {exc}") from exc


def _from_table(base: ProviderConfig, table: Mapping[str, Any], origin: str) -> ProviderConfig:
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key in ("client_id", *_URL_FIELDS):
            if not isinstance(value, str):
                raise ConfigError(f"{origin}: '{key}' must be text.")
            changes[key] = value.strip()
        elif key == "scopes":
            if isinstance(value, str):
                value = value.split()
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                raise ConfigError(f"{origin}: 'scopes' must be a list of text or one space-separated text.")
            changes["scopes"] = tuple(value)
        elif key == "relay" and base.name == QUICKBOOKS:
            if not isinstance(value, bool):
                raise ConfigError(f"{origin}: 'relay' must be true or false.")
            changes["relay"] = value
        else:
            raise ConfigError(f"{origin}: unknown key '{key}'.")
    return replace(base, **changes)


def _from_user(config: ProviderConfig, user: Mapping[str, Any]) -> ProviderConfig:
    """The user's own client id, and for QuickBooks the relay with its URL, from Preferences → Accounts."""
    client_id = str(user.get(f"{config.name}.client_id") or "").strip()
    if client_id:
        config = replace(config, client_id=client_id, client_id_from="your setting in Preferences → Accounts")
    if config.name == QUICKBOOKS and user.get("quickbooks.relay"):
        url = str(user.get("quickbooks.relay_url") or "").strip()
        config = replace(config, relay=True, token_url=url or config.token_url)
    return config


def load(settings_file: Path | None = None, environ: Mapping[str, str] | None = None, *,
         user: Mapping[str, Any] | None = None, packaged: Path | None = None) -> dict[str, ProviderConfig]:
    """Both providers' configuration: defaults < the packaged providers file < [xero]/[quickbooks]/[oauth] in
    settings.toml < the user's settings (`USER_SETTINGS`) < environment. `packaged` defaults to `packaged_file()`."""
    env = os.environ if environ is None else environ
    shipped = _read_file(packaged if packaged is not None else packaged_file())
    data = _read_file(settings_file)
    ports: tuple[int, ...] = DEFAULT_PORTS
    oauth_table = data.get("oauth", {})
    if "redirect_ports" in oauth_table:
        raw = oauth_table["redirect_ports"]
        if not isinstance(raw, list) or not all(isinstance(p, int) for p in raw):
            raise ConfigError(f"{settings_file} [oauth]: 'redirect_ports' must be a list of numbers.")
        ports = _check_ports(tuple(raw), f"{settings_file} [oauth]")
    if env.get(PORTS_ENV):
        ports = parse_ports(env[PORTS_ENV], PORTS_ENV)
    configs: dict[str, ProviderConfig] = {}
    for name, base in DEFAULTS.items():
        config = replace(base, redirect_ports=ports)
        for layer, origin, what in ((shipped, packaged or packaged_file(), "packaged with TimeTally"),
                                    (data, settings_file, f"{settings_file}")):
            table = layer.get(name, {})
            if not isinstance(table, dict):
                raise ConfigError(f"{origin}: [{name}] must be a table.")
            config = _from_table(config, table, f"{origin} [{name}]")
            if table.get("client_id"):
                config = replace(config, client_id_from=what)
        config = _from_user(config, user or {})
        for field in _ENV_FIELDS[name]:
            variable = _ENV_PREFIX[name] + field.upper()
            value = env.get(variable)
            if value:
                config = replace(config, **{field: value.strip()})  # type: ignore[arg-type]
                if field == "client_id":
                    config = replace(config, client_id_from=f"the environment ({variable})")
        configs[name] = config
    return configs
