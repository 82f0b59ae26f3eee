"""Whether an accounting system can be sent to right now, cheaply (the database and the keyring, no network), so
a send dialog can say so and offer "Connect…" before anything is stored or locked; and the same check refuses a
send early.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from keyring.errors import KeyringError

from app.sync.accounts import CONNECTED, NOT_CONNECTED, RECONNECT_NEEDED, AccountsService
from app.sync.oauth.errors import OAuthError

NO_KEYRING = "no keyring"


@dataclass(frozen=True, slots=True)
class ConnectionStatus:
    """`ready` means a send may start. Otherwise `message` says why in a sentence and `action` what fixes it:
    "connect" (never connected, or the sign-in is gone) or "reconnect" (the provider refused the sign-in); empty
    when the user must fix something else first (the system keyring)."""

    provider: str
    title: str
    state: str
    """connected, not connected, reconnect needed, or no keyring."""
    ready: bool
    message: str = ""
    action: str = ""
    organisation: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "state": self.state, "ready": self.ready, "message": self.message or None,
                "action": self.action or None, "organisation": self.organisation or None}


def connection_status(accounts: AccountsService, name: str) -> ConnectionStatus:
    account = next((s for s in accounts.status() if s.provider == name), None)
    title = account.title if account else name.title()
    command = f"'timetally accounts connect {name}'"
    if account is None or account.state == NOT_CONNECTED:
        return ConnectionStatus(name, title, NOT_CONNECTED, False, f"{title} is not connected. Connect it in "
                                f"Preferences → Accounts, or run {command}; nothing was sent or stored.", "connect")
    if account.state == RECONNECT_NEEDED:
        return ConnectionStatus(name, title, RECONNECT_NEEDED, False, f"{title} no longer accepts the stored sign-in. "
                                f"Connect it again in Preferences → Accounts, or run {command}.", "reconnect",
                                account.organisation)
    try:
        tokens = accounts.vault.load(name)
    except (KeyringError, OAuthError) as exc:
        return ConnectionStatus(name, title, NO_KEYRING, False, f"The system keyring, which holds the {title} sign-in, "
                                f"cannot be read ({type(exc).__name__}); unlock or set up the keyring, then try "
                                "again.", organisation=account.organisation)
    if tokens is None:
        return ConnectionStatus(name, title, NOT_CONNECTED, False, f"The {title} sign-in is missing from the system "
                                f"keyring. Connect it again in Preferences → Accounts, or run {command}.", "connect",
                                account.organisation)
    return ConnectionStatus(name, title, CONNECTED, True, organisation=account.organisation)
