"""Where a pause of capture is kept: in the settings table, so it outlives a restart and every TimeTally process
(the GUI, a headless `capture run`, the CLI) sees the same pause.

The row is not one of the public settings (`timetally settings list` does not show it): it is state, changed
through `timetally capture pause` / `resume`, the tray and the watcher.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from app.domain.changes import SETTINGS, Changes, committed
from app.domain.errors import StoreError
from app.store.db import Database
from app.store.spans import SpanStore

log = logging.getLogger(__name__)

KEY = "capture.paused_until"
UNTIL_RESUMED = "until resumed"
FOREVER = datetime.max.replace(tzinfo=UTC)


class PauseStore:
    """Reads and writes the pause as UTC epoch seconds: `math.inf` until resumed, None when capture runs.

    One indexed row read on a pooled connection, so the watcher can look every few seconds for a pause another
    process set."""

    def __init__(self, db: Database) -> None:
        self._spans = SpanStore(db)

    def read(self) -> float | None:
        with self._spans.connection() as conn:
            row = conn.execute("SELECT value FROM setting WHERE key = ?", (KEY,)).fetchone()
        value = json.loads(row[0]) if row is not None else None
        if value == UNTIL_RESUMED:
            return math.inf
        return float(value) if isinstance(value, int | float) else None

    def write(self, until: float | None) -> None:
        stored = UNTIL_RESUMED if until == math.inf else until
        with self._spans.connection() as conn:
            conn.execute("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                         "value = excluded.value", (KEY, json.dumps(stored)))
        committed(Changes.of(SETTINGS))  # a running app's watcher reads the stored pause at once


def to_epoch(until: datetime | None) -> float:
    """A pause's end as the store keeps it: None and `FOREVER` mean until resumed."""
    return math.inf if until is None or until >= FOREVER else until.timestamp()


def to_datetime(until: float) -> datetime:
    return FOREVER if until == math.inf else datetime.fromtimestamp(until, UTC)


class PauseState:
    """The pause as the watcher holds it: set from any thread (stored first, so it also holds after a
    restart), expired by the clock, and followed from the store for pauses other processes set."""

    CHECK_SECONDS = 10.0
    """How often the store is read for a pause or resume another process stored."""

    def __init__(self, store: PauseStore | None, wall: Callable[[], float], mono: float) -> None:
        self._store = store
        self._wall = wall
        self._lock = threading.Lock()
        self._until = self._stored()
        self._checked = mono

    def set(self, until: float | None) -> None:
        if self._store is not None:
            self._store.write(until)
        with self._lock:
            self._until = until

    def until(self) -> datetime | None:
        """The aware instant capture resumes by itself, `FOREVER`, or None while capture runs."""
        with self._lock:
            until = self._until
        return None if until is None or until <= self._wall() else to_datetime(until)

    def seconds_left(self, wall: float) -> float | None:
        with self._lock:
            until = self._until
        return None if until is None else until - wall

    def check(self, wall: float) -> tuple[bool, bool]:
        """(paused now, the pause just ran out)."""
        with self._lock:
            until = self._until
            if until is not None and until <= wall:
                self._until = None
                return False, True
        return until is not None, False

    def follow(self, mono: float) -> bool:
        """Read the store when a check is due; True when another process paused or resumed meanwhile."""
        if self._store is None or mono - self._checked < self.CHECK_SECONDS:
            return False
        self._checked = mono
        stored = self._stored()
        with self._lock:
            changed, self._until = stored != self._until, stored
        return changed

    def check_soon(self) -> None:
        self._checked = -math.inf

    def _stored(self) -> float | None:
        if self._store is None:
            return None
        try:
            until = self._store.read()
        except StoreError as exc:
            log.warning("the stored capture pause could not be read: %s", exc)
            return None
        return None if until is None or until <= self._wall() else until
