"""Matching a local client to a remote customer: exact name first, then fuzzy candidates for the user to confirm."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from app.sync.provider import AccountingProvider, CustomerMatch, RemoteKind, RemoteOption
from app.sync.store import Mapping, SyncStore

FUZZY_CUTOFF = 60.0


def normalise(name: str) -> str:
    return " ".join(name.split()).casefold()


def match_customers(name: str, customers: Sequence[RemoteOption], limit: int = 5) -> list[CustomerMatch]:
    """Exact (case and spacing ignored) matches score 100 and come first; then up to `limit` fuzzy ones."""
    wanted = normalise(name)
    exact = [CustomerMatch(c, 100.0) for c in customers if normalise(c.name) == wanted]
    if exact:
        return exact
    names = [c.name for c in customers]
    found = process.extract(name, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit,
                            score_cutoff=FUZZY_CUTOFF)
    return [CustomerMatch(customers[index], round(min(score, 99.0), 1)) for _, score, index in found]


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


def closest(matches: Sequence[CustomerMatch]) -> str:
    """The best three candidates with their scores, for a sentence; empty when there are none."""
    return ", ".join(f"'{m.customer.name}' ({m.score:.0f}%)" for m in matches[:3])
