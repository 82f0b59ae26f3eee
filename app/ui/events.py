"""Change events: services change data on workers, the GUI thread hears what changed and views refresh.

Nobody names the areas by hand: a job runs `recorded(...)`, which returns its result with the `Changes` the store
saw it commit (app/domain/changes.py), and the callback publishes them. A running app hears a CLI command's
changes the same way, through the single-instance socket.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from app.domain.changes import (
    ACCOUNTS,
    ENTRIES,
    EXPENSES,
    INVOICES,
    PROJECTS,
    RULES,
    SETTINGS,
    SPANS,
    SYNC,
    TIMER,
    Changed,
    Changes,
    changes_of,
)

__all__ = ["ACCOUNTS", "ENTRIES", "EXPENSES", "INVOICES", "PROJECTS", "RULES", "SETTINGS", "SPANS", "SYNC", "TIMER",
           "ChangeBus", "Changed", "recorded"]
T = TypeVar("T")


def recorded(job: Callable[[], T]) -> Callable[[], Changed[T]]:
    """`job` with what it commits recorded, for a worker; the callback publishes `Changed.changes`."""
    return lambda: changes_of(job)


class ChangeBus(QObject):
    """One per application. `changed` carries a frozenset of area names such as {"entries", "timer"}."""

    changed = Signal(frozenset)

    def publish(self, changes: Changes) -> None:
        """Tell the views what a job changed; nothing when it changed nothing."""
        if changes:
            self.changed.emit(changes.areas)

    def announce(self, *areas: str) -> None:
        """Areas changed outside this process: a CLI command's (over the socket) or another writer's (noticed by
        the database's change probe)."""
        self.changed.emit(frozenset(areas))
