"""What a use case changed, by area, so views refresh from results instead of names typed at each call site.

The store derives a `Changes` from the tables each committed transaction wrote (`app/store/work.py`); a caller
that wants to know what a piece of work changed runs it inside `recording()`. The GUI announces those areas on
its change bus; a CLI command sends them to a running app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

ENTRIES = "entries"
TIMER = "timer"
PROJECTS = "projects"
SPANS = "spans"
SETTINGS = "settings"
ACCOUNTS = "accounts"
INVOICES = "invoices"
RULES = "rules"
SYNC = "sync"
EXPENSES = "expenses"
AREAS = frozenset({ENTRIES, TIMER, PROJECTS, SPANS, SETTINGS, ACCOUNTS, INVOICES, RULES, SYNC, EXPENSES})


@dataclass(frozen=True, slots=True)
class Changes:
    """The areas one or more committed transactions changed; empty when nothing was written."""

    areas: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        unknown = self.areas - AREAS
        if unknown:
            raise ValueError(f"unknown change areas: {sorted(unknown)}")

    @classmethod
    def of(cls, *areas: str) -> Changes:
        return cls(frozenset(areas))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.areas | other.areas)

    def __bool__(self) -> bool:
        return bool(self.areas)

    def touches(self, areas: Iterable[str]) -> bool:
        return not self.areas.isdisjoint(areas)


NOTHING = Changes()


class Recorded:
    """What was committed while a `recording()` was open; read `changes` after the work is done."""

    def __init__(self) -> None:
        self.changes = NOTHING

    def add(self, changes: Changes) -> None:
        self.changes = self.changes | changes


_RECORDERS: ContextVar[tuple[Recorded, ...]] = ContextVar("timetally_change_recorders", default=())


@contextmanager
def recording() -> Iterator[Recorded]:
    """Collect the changes of every transaction committed in this thread until the block ends (nests)."""
    recorded = Recorded()
    token = _RECORDERS.set((*_RECORDERS.get(), recorded))
    try:
        yield recorded
    finally:
        _RECORDERS.reset(token)


def listening() -> bool:
    """Whether a recording is open in this thread (the store skips working out changes nobody hears)."""
    return bool(_RECORDERS.get())


def committed(changes: Changes) -> None:
    """Called by the store after a commit: every open recording in this thread hears of it."""
    if changes:
        for recorded in _RECORDERS.get():
            recorded.add(changes)


@dataclass(frozen=True, slots=True)
class Changed(Generic[T]):
    """A use case's result and what it committed (Anki's OpChangesWith...: the caller refreshes from this)."""

    value: T
    changes: Changes


def changes_of(work: Callable[[], T]) -> Changed[T]:
    """Run `work` and return its result with what it committed."""
    with recording() as recorded:
        value = work()
    return Changed(value, recorded.changes)
