"""Which Xero organisation TimeTally works on: list `/connections`, pick one, remember its tenant id.

The tenant id travels with the tokens in the keyring (every API call sends it as `xero-tenant-id`); the
organisation's name goes to the accounts table so status pages show it without a network call.
"""

from __future__ import annotations

from dataclasses import replace

from app.domain.errors import NotFoundError
from app.sync.accounts import AccountsService, find_organisation
from app.sync.oauth.config import XERO
from app.sync.oauth.flows import Organisation


def organisations(accounts: AccountsService) -> list[Organisation]:
    """The organisations the current sign-in reaches (refreshing the token first when it is about to expire)."""
    tokens = accounts.session(XERO).tokens()
    return accounts.flow(XERO).organisations(tokens)


def current_tenant(accounts: AccountsService) -> str:
    tokens = accounts.vault.load(XERO)
    return tokens.tenant_id if tokens else ""


def choose(accounts: AccountsService, wanted: str) -> Organisation:
    """Remember the organisation named or identified by `wanted` for every later call."""
    found = organisations(accounts)
    chosen = find_organisation(found, wanted)
    if chosen is None:
        names = ", ".join(f"{o.name} ({o.id})" for o in found) or "none"
        raise NotFoundError(f"Xero has no organisation '{wanted}' in this connection; it reaches: {names}.")
    session = accounts.session(XERO)
    accounts.vault.save(XERO, replace(session.tokens(), tenant_id=chosen.id))
    accounts.set_organisation(XERO, chosen.name)
    return chosen
