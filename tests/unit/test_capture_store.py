"""The span store: batched commits, updates by id, backdating, range reads, deletes and retention."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.capture.heartbeat import Beat, record
from app.domain.models import Span
from app.store.db import open_database
from app.store.spans import SpanStore


class Mono:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def committed(path: Path) -> list[tuple[float, float, str]]:
    """What another process would see right now."""
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT start_ts, end_ts, title FROM capture_span ORDER BY start_ts").fetchall()


def test_writes_are_batched_then_flushed_by_id(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    mono = Mono()
    writer = SpanStore(db).writer(batch_writes=50, batch_seconds=10, clock=mono)
    for i in range(9):
        mono.now = i
        record(writer, Beat(1000.0 + i, "A", "a"), 2.5)
        assert not writer.due()
    assert committed(db.path) == []
    mono.now = 10
    record(writer, Beat(1009.0, "A", "a"), 2.5)
    assert writer.due()
    writer.flush()
    assert committed(db.path) == [(1000.0, 1009.0, "a")]
    first_id = writer.last.id if writer.last else 0
    assert first_id > 0
    record(writer, Beat(1010.0, "A", "a"), 2.5)
    record(writer, Beat(1011.0, "A", "b"), 2.5)
    writer.flush()
    assert committed(db.path) == [(1000.0, 1010.5, "a"), (1010.5, 1011.0, "b")]
    db.close()


def test_fifty_writes_make_a_batch_even_within_ten_seconds(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    writer = SpanStore(db).writer(clock=Mono())
    for i in range(50):
        record(writer, Beat(float(i), "A", str(i)), 2.5)
    assert writer.due()
    writer.flush()
    assert len(committed(db.path)) == 50
    db.close()


def test_backdate_removes_what_this_writer_recorded_after_the_last_input(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    store = SpanStore(db)
    store.add_many([Span(1000, 1200, "Old", "import")])  # another source's span is never touched
    writer = store.writer(clock=Mono())
    for i in range(0, 300):
        record(writer, Beat(1100.0 + i, "A", "early" if i < 100 else "late"), 2.5)
    writer.backdate(1150.0)
    record(writer, Beat(1400.0, "A", "late", idle=True), 2.5, start=1150.0)
    writer.flush()
    assert [(s.start, s.end, s.title, s.idle) for s in store.between(0, 2000)] == [
        (1000, 1200, "import", False), (1100, 1150, "early", False), (1150, 1400, "late", True)]
    db.close()


def test_between_finds_overlapping_spans_in_order_including_long_ones(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    store = SpanStore(db)
    store.add_many([Span(0, 30_000, "Idle", "", idle=True), Span(30_000, 30_010, "A", "x"),
                    Span(30_020, 30_030, "B", "y"), Span(50_000, 50_001, "C", "z")])
    assert [s.app for s in store.between(29_000, 30_025)] == ["Idle", "A", "B"]
    assert [s.app for s in store.between(10_000, 10_001)] == ["Idle"]
    assert store.between(30_030, 49_999) == []
    assert [s.app for s in store.between(0, 100_000)] == ["Idle", "A", "B", "C"]
    db.close()


def test_a_span_growing_past_an_hour_stays_findable_from_inside(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    store = SpanStore(db)
    writer = store.writer(clock=Mono())
    for i in range(0, 9000, 2):
        record(writer, Beat(float(i), "A", "long"), 2.5)
        if writer.due():
            writer.flush()
    writer.flush()
    assert [(s.start, s.end) for s in store.between(8000, 8001)] == [(0, 8998)]
    db.close()


def test_delete_and_retention_purge(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    store = SpanStore(db)
    ids = store.add_many([Span(0, 10, "A", "a"), Span(10, 20, "B", "b"), Span(100, 110, "C", "c")])
    assert store.delete([ids[1]]) == 1
    assert store.purge(before=50) == 1
    assert [s.app for s in store.between(0, 1000)] == ["C"] and store.count() == 1
    assert store.latest() == Span(100, 110, "C", "c", id=ids[2])
    db.close()


def test_a_growing_span_deleted_by_the_user_is_not_resurrected(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    store = SpanStore(db)
    writer = store.writer(clock=Mono())
    record(writer, Beat(0.0, "A", "a"), 2.5)
    writer.flush()
    assert writer.last is not None
    store.delete([writer.last.id])
    record(writer, Beat(1.0, "A", "a"), 2.5)
    writer.flush()
    assert writer.last is None and store.count() == 0
    record(writer, Beat(2.0, "A", "a"), 2.5)
    writer.flush()
    assert [(s.start, s.end) for s in store.between(0, 10)] == [(2.0, 2.0)]
    db.close()


def test_repeated_reads_see_growth_deletes_and_changes_made_elsewhere(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    reader, other = SpanStore(db), SpanStore(db)
    writer = other.writer(clock=Mono())
    for i in range(5):
        record(writer, Beat(float(i), "A", "a" if i < 3 else "b"), 2.5)
    writer.flush()
    first = reader.between(0, 100)
    assert [(s.start, s.end, s.title) for s in first] == [(0, 2.5, "a"), (2.5, 4, "b")]
    record(writer, Beat(5.0, "A", "b"), 2.5)
    record(writer, Beat(6.0, "A", "c"), 2.5)
    writer.flush()
    other.delete([first[0].id])
    again = reader.between(0, 100)
    assert [(s.start, s.end, s.title) for s in again] == [(2.5, 5.5, "b"), (5.5, 6, "c")]
    assert reader.between(0, 100) == again
    db.close()
