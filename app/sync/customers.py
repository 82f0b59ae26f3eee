"""Finding the remote customer for a local client and remembering it in the sync store (the connectors only
match names; remembering is the service's side)."""

from __future__ import annotations

from app.sync.provider import AccountingProvider, CustomerMatch, RemoteKind
from app.sync.store import Mapping, SyncStore


def resolve_customer(provider: AccountingProvider, store: SyncStore, client_id: int, client_name: str,
                     create: bool) -> tuple[str, list[CustomerMatch]]:
    """(code, []) for the mapped customer, an exact match (remembered) or one created when `create`; otherwise
    ("", the closest matches), for the caller to word in its provider's terms. A fuzzy match is never used."""
    mapped = store.mapping(RemoteKind.CUSTOMER, client_id)
    if mapped is not None:
        return mapped.code, []
    matches = provider.match_customers(client_name)
    if matches and matches[0].exact:
        found = matches[0].customer
        store.set_mapping(Mapping(RemoteKind.CUSTOMER, client_id, found.code, found.name, score=100.0))
        return found.code, []
    if create:
        created = provider.ensure_customer(client_name)
        store.set_mapping(Mapping(RemoteKind.CUSTOMER, client_id, created.code, created.name))
        return created.code, []
    return "", matches
