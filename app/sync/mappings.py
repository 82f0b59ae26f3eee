"""Everything the mapping window shows and changes, as values: remote lists, what is mapped, fuzzy suggestions.

Loading may fetch remote lists (cached unless refreshed); suggestions are only proposals with their score, and a
contact mapping is stored once the user confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.domain.models import Client, Project, Task
from app.sync.provider import Capability, CustomerMatch, RemoteKind, RemoteOption
from app.sync.service import SyncService
from app.sync.store import Mapping


@dataclass(frozen=True, slots=True)
class MappingState:
    provider: str
    title: str
    lists: dict[RemoteKind, list[RemoteOption]]
    fetched_at: dict[RemoteKind, datetime | None]
    clients: list[Client]
    projects: list[Project]
    tasks: list[tuple[Project, Task]]
    mappings: dict[tuple[RemoteKind, int], Mapping]
    suggestions: dict[int, list[CustomerMatch]] = field(default_factory=dict)
    """Unmapped clients: exact or fuzzy candidates, best first."""

    def mapped(self, kind: RemoteKind, local_id: int) -> Mapping | None:
        return self.mappings.get((kind, local_id))


def kinds(sync: SyncService, name: str) -> list[RemoteKind]:
    capabilities = sync.provider(name).capabilities
    wanted = [RemoteKind.CUSTOMER, RemoteKind.ACCOUNT]
    wanted += [RemoteKind.TAX_RATE] if Capability.TAX_RATES in capabilities else []
    wanted += [RemoteKind.ITEM] if Capability.ITEMS in capabilities else []
    wanted += [RemoteKind.TRACKING] if Capability.TRACKING in capabilities else []
    return wanted


def load(sync: SyncService, name: str, refresh: bool = False) -> MappingState:
    """On a worker: may fetch every remote list once (or again, with `refresh`)."""
    provider, store = sync.provider(name), sync.store(name)
    lists = {kind: provider.remote_list(kind, refresh) for kind in kinds(sync, name)}
    mappings = {(m.kind, m.local_id): m for m in store.mappings()}
    clients, active, tasks = sync.catalogue()
    suggestions = {c.id: provider.match_customers(c.name, 3) for c in clients
                   if (RemoteKind.CUSTOMER, c.id) not in mappings}
    return MappingState(name, provider.title, lists, {k: store.fetched_at(k) for k in lists}, clients, active,
                        tasks, mappings, suggestions)


def save(sync: SyncService, name: str, changes: dict[tuple[RemoteKind, int], RemoteOption | None],
         scores: dict[int, float] | None = None) -> None:
    """Store the user's choices; None clears a mapping. `scores` keeps the fuzzy score a contact was confirmed at."""
    store = sync.store(name)
    for (kind, local_id), option in changes.items():
        if option is None:
            store.clear_mapping(kind, local_id)
        else:
            score = (scores or {}).get(local_id) if kind is RemoteKind.CUSTOMER else None
            store.set_mapping(Mapping(kind, local_id, option.code, option.name, option.parent, score))


def create_customer(sync: SyncService, name: str, client: Client) -> RemoteOption:
    """Create (or find, if it exists by now) the contact named like the client, and map the client to it."""
    created = sync.provider(name).ensure_customer(client.name)
    sync.store(name).set_mapping(Mapping(RemoteKind.CUSTOMER, client.id, created.code, created.name))
    return created
