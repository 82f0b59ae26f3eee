"""Where a pause of capture is kept: in the settings table, so it outlives a restart and every TimeTally process
(the GUI, a headless `capture run`, the CLI) sees the same pause.

The row is not one of the public settings (`timetally settings list` does not show it): it is state, changed
through `timetally capture pause` / `resume`, the tray and the watcher.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

from app.domain.changes import SETTINGS, Changes, committed
from app.store.db import Database
from app.store.spans import SpanStore

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
