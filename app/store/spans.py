"""Captured spans: the watcher's hot write path and the read API everything above uses.

Plain `sqlite3` through the engine's pool (same pragmas as the rest of the store), never ORM objects: the
watcher writes every second and readers pull hundreds of thousands of spans at once.
"""

from __future__ import annotations

import gc
import math
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

from app.domain.changes import SPANS, Changes, committed
from app.domain.errors import StoreError
from app.domain.models import MAX_SPAN_SECONDS, Span
from app.store.db import Database, explain

_INSERT = "INSERT INTO capture_span (start_ts, end_ts, app, title, exe, idle) VALUES (?, ?, ?, ?, ?, ?)"
_FULL = "start_ts, end_ts, app, title, exe, idle, id"  # Span's field order
# A row no capture could write (an end years away, imported before imports were checked) is skipped, not read.
_RANGE = ("SELECT {} FROM capture_span WHERE start_ts >= ? AND start_ts < ? AND end_ts > ? "
          f"AND end_ts - start_ts <= {MAX_SPAN_SECONDS} ORDER BY start_ts, id")
_AT_MOST = "SELECT count(*) FROM capture_span WHERE start_ts >= ? AND start_ts < ?"  # from the index alone
_CHUNK = 500
_LONGEST = "longest_span"
_LONGEST_STEP = 3600.0
_ID = attrgetter("id")
_TUPLE_NEW = tuple.__new__


def _spans(rows: Iterable[tuple[Any, ...]]) -> list[Span]:
    """Rows selected as `_FULL` to spans. `tuple.__new__` skips the Python-level `Span.__new__`; only `idle`,
    stored as 0/1, needs converting. A week holds a few thousand distinct windows over hundreds of thousands of
    spans, so each read shares one string per distinct app, title and exe: less memory, and the classifier's
    per-window lookups then hash and compare strings that already carry their hash."""
    seen: dict[str, str] = {}
    one = seen.setdefault
    return [_TUPLE_NEW(Span, (s, e, one(a, a), one(t, t), one(x, x), i == 1, k)) for s, e, a, t, x, i, k in rows]


def _round_up(seconds: float) -> float:
    """Longest-span bookkeeping moves in whole hours, so a growing span rewrites it at most hourly. It never passes
    the longest span a read takes: reads look back that far, and no further is worth looking."""
    seconds = min(seconds, MAX_SPAN_SECONDS)
    return min((math.floor(seconds / _LONGEST_STEP) + 1) * _LONGEST_STEP, MAX_SPAN_SECONDS)


class SpanStore:
    """Reads, deletes and bulk inserts of captured spans; `writer()` gives the watcher's batching writer.

    Reads keep the spans they built in a bounded cache: the review, the Activity window and rule previews read
    the same days again and again, and a stored span only ever changes its end (which is checked on every
    read) or disappears. A repeated read then costs one narrow index query instead of building every span.
    """

    CACHE_LIMIT = 100_000

    def __init__(self, db: Database, cache_limit: int = CACHE_LIMIT) -> None:
        self._db = db
        self._cache: dict[int, Span] = {}
        self._cache_limit = cache_limit

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A pooled DB-API connection; committed when the block succeeds, SQLite errors made readable."""
        conn: Any = self._db.engine.raw_connection()
        try:
            yield conn
            conn.commit()
        except sqlite3.Error as exc:
            conn.rollback()
            raise StoreError(explain(exc, self._db.path)) from exc
        finally:
            conn.close()

    def between(self, start: float, end: float) -> list[Span]:
        """Spans overlapping [start, end), ordered by start (UTC epoch seconds)."""
        cache = self._cache
        with self.connection() as conn:
            conn.execute("BEGIN")  # one snapshot for every query below
            bounds = (start - _read_longest(conn), end, start)
            # The cache supplies at most all it holds: when that is under half of what the range may hold, the key
            # query below (a quarter of the cost of a cold read) would only lead to reading every span anyway.
            if not cache or 2 * len(cache) < conn.execute(_AT_MOST, bounds[:2]).fetchone()[0]:
                return self._build(conn.execute(_RANGE.format(_FULL), bounds))
            keys = conn.execute(_RANGE.format("id, end_ts"), bounds).fetchall()
            found = {k: hit for k, e in keys if (hit := cache.get(k)) is not None and hit.end == e}
            missing = [k for k, _e in keys if k not in found]
            if len(missing) > len(keys) // 2:
                return self._build(conn.execute(_RANGE.format(_FULL), bounds))
            for first in range(0, len(missing), _CHUNK):
                chunk = missing[first: first + _CHUNK]
                marks = ",".join("?" * len(chunk))
                spans = self._build(conn.execute(f"SELECT {_FULL} FROM capture_span WHERE id IN ({marks})", chunk))
                found.update(zip(map(_ID, spans), spans, strict=True))
        return [found[k] for k, _e in keys]

    def _build(self, rows: Iterable[tuple[Any, ...]]) -> list[Span]:
        """Spans from rows straight off the cursor (no intermediate list of rows), remembered in the cache."""
        # Spans hold no reference cycles: collecting while building a hundred thousand of them only costs time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            spans = _spans(rows)
        finally:
            if collecting:
                gc.enable()
        if len(self._cache) + len(spans) > self._cache_limit:
            self._cache.clear()
        if len(spans) <= self._cache_limit:
            self._cache.update(zip(map(_ID, spans), spans, strict=True))
        return spans

    def latest(self) -> Span | None:
        with self.connection() as conn:
            last = _spans(conn.execute(f"SELECT {_FULL} FROM capture_span ORDER BY start_ts DESC, id DESC LIMIT 1"))
        return last[0] if last else None

    def count(self, since: float | None = None) -> int:
        """All spans, or those starting at or after `since`."""
        with self.connection() as conn:
            if since is None:
                return int(conn.execute("SELECT count(*) FROM capture_span").fetchone()[0])
            return int(conn.execute("SELECT count(*) FROM capture_span WHERE start_ts >= ?", (since,)).fetchone()[0])

    def delete(self, ids: Iterable[int]) -> int:
        """Delete spans by id; the number deleted."""
        keys = [(int(i),) for i in ids]
        for (key,) in keys:
            self._cache.pop(key, None)
        with self.connection() as conn:
            deleted = int(conn.executemany("DELETE FROM capture_span WHERE id = ?", keys).rowcount)
        committed(Changes.of(SPANS))
        return deleted

    def purge(self, before: float) -> int:
        """Retention: delete spans that ended before `before`; the number deleted."""
        self._cache.clear()
        with self.connection() as conn:
            deleted = int(conn.execute("DELETE FROM capture_span WHERE end_ts < ?", (before,)).rowcount)
        committed(Changes.of(SPANS))
        return deleted

    def add_many(self, spans: Sequence[Span]) -> list[int]:
        """Insert finished spans in one transaction (imports); their new ids."""
        ids: list[int] = []
        with self.connection() as conn:
            cur = conn.cursor()
            for s in spans:
                cur.execute(_INSERT, (s.start, max(s.start, s.end), s.app, s.title, s.exe, int(s.idle)))
                ids.append(int(cur.lastrowid or 0))
            longest = max((s.seconds for s in spans), default=0.0)
            if longest > _read_longest(conn):
                _write_longest(conn, _round_up(longest))
        committed(Changes.of(SPANS))
        return ids

    def writer(self, batch_writes: int = 50, batch_seconds: float = 10.0,
               clock: Callable[[], float] = time.monotonic) -> SpanWriter:
        return SpanWriter(self, batch_writes, batch_seconds, clock)


def _read_longest(conn: sqlite3.Connection) -> float:
    row = conn.execute("SELECT value FROM capture_meta WHERE key = ?", (_LONGEST,)).fetchone()
    value = row[0] if row else None
    return min(float(value), MAX_SPAN_SECONDS) if isinstance(value, int | float) and value >= 0 else 0.0


def _write_longest(conn: sqlite3.Connection, value: float) -> None:
    conn.execute("INSERT OR REPLACE INTO capture_meta (key, value) VALUES (?, ?)", (_LONGEST, value))


class SpanWriter:
    """Writes the growing timeline in batches (`app.capture.heartbeat.record` decides what to append or update).

    The last span and its id stay in memory; extending it only moves its end. Changes are kept in
    memory and committed in one short transaction once `batch_writes` beats or `batch_seconds` have
    accumulated, so a kill loses at most that batch and never holds the database locked between batches.
    Not thread-safe: one watcher thread owns it.
    """

    def __init__(self, store: SpanStore, batch_writes: int, batch_seconds: float,
                 clock: Callable[[], float]) -> None:
        self._store = store
        self._batch_writes = batch_writes
        self._batch_seconds = batch_seconds
        self._clock = clock
        self._last: Span | None = None
        self._new: list[Span] = []
        self._changed: dict[int, Span] = {}
        self._writes = 0
        self._first_write: float | None = None
        self._first_id: int | None = None
        self._longest: float | None = None

    @property
    def last(self) -> Span | None:
        return self._last

    def append(self, span: Span) -> None:
        """A new span (id 0) becomes the last one."""
        self._new.append(span)
        self._last = span
        self._wrote()

    def update(self, span: Span) -> None:
        """The last span with a new end (its id, or 0 while it is still pending)."""
        if span.id:
            self._changed[span.id] = span
        else:
            self._new[-1] = span
        self._last = span
        self._wrote()

    def _wrote(self) -> None:
        self._writes += 1
        if self._first_write is None:
            self._first_write = self._clock()

    def cut(self) -> None:
        """End the current span where it is: the next beat starts a new one (sleep, pause, clock jump, ...)."""
        self._last = None

    def backdate(self, since: float) -> None:
        """The user has been away since `since`: what this writer recorded after it was not activity."""
        self.flush()
        self._last = None
        if self._first_id is None:
            return
        with self._store.connection() as conn:
            conn.execute("DELETE FROM capture_span WHERE id >= ? AND start_ts >= ?", (self._first_id, since))
            conn.execute("UPDATE capture_span SET end_ts = ? WHERE id >= ? AND end_ts > ?",
                         (since, self._first_id, since))

    def due(self) -> bool:
        if not self._writes:
            return False
        if self._writes >= self._batch_writes:
            return True
        return self._first_write is not None and self._clock() - self._first_write >= self._batch_seconds

    def flush(self) -> None:
        """Commit what is pending. On failure everything stays pending and the error is raised."""
        if not self._new and not self._changed:
            self._writes, self._first_write = 0, None
            return
        with self._store.connection() as conn:
            cur = conn.cursor()
            gone: set[int] = set()
            for span in self._changed.values():
                cur.execute("UPDATE capture_span SET end_ts = ? WHERE id = ?", (span.end, span.id))
                if cur.rowcount == 0:
                    gone.add(span.id)
            ids = []
            for s in self._new:
                cur.execute(_INSERT, (s.start, s.end, s.app, s.title, s.exe, int(s.idle)))
                ids.append(int(cur.lastrowid or 0))
            written = [*self._changed.values(), *self._new]
            longest = max(s.seconds for s in written)
            if self._longest is None:
                self._longest = _read_longest(conn)
            if longest > self._longest:
                self._longest = _round_up(longest)
                _write_longest(conn, self._longest)
        if self._last is not None and self._last.id in gone:
            self._last = None  # deleted by the user while it was growing: start afresh
        if self._new and self._last is self._new[-1]:
            self._last = self._last._replace(id=ids[-1])
        if self._first_id is None and ids:
            self._first_id = ids[0]
        self._new.clear()
        self._changed.clear()
        self._writes, self._first_write = 0, None
