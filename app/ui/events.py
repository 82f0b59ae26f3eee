"""Change events: services change data on workers, the GUI thread hears what changed and views refresh."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

ENTRIES = "entries"
PROJECTS = "projects"
TIMER = "timer"
SPANS = "spans"
SETTINGS = "settings"
ACCOUNTS = "accounts"
INVOICES = "invoices"
RULES = "rules"
EXPENSES = "expenses"


class ChangeBus(QObject):
    """One per application. `changed` carries a frozenset of area names such as {"entries", "timer"}."""

    changed = Signal(frozenset)

    def announce(self, *areas: str) -> None:
        self.changed.emit(frozenset(areas))
