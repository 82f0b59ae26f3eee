"""Reads never write: proposals, the week's review and stale rules work on connections that may only read; the
rules' match statistics and the learned model they produce are stored later by the writer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from app.classify.ruleset_file import loads
from app.core import Core, build_core
from app.domain.errors import StoreError
from app.domain.models import NewEntry, Span
from app.domain.periods import Period
from app.store.db import Database
from app.store.spans import SpanStore
from tests.unit.test_review_service import RULES

DAY = datetime(2026, 11, 17, tzinfo=UTC)
WEEK = Period(date(2026, 11, 16), date(2026, 11, 22))
NOW = DAY + timedelta(days=1)


def at(hour: float) -> float:
    return (DAY + timedelta(hours=hour)).timestamp()


@contextmanager
def read_only(db: Database) -> Iterator[None]:
    """Every connection of the store refuses writes (SQLite's query_only) while the block runs."""

    def refuse_writes(conn: Any, _record: Any) -> None:
        conn.execute("PRAGMA query_only = ON")

    db.engine.dispose()
    event.listen(db.engine, "connect", refuse_writes)
    try:
        yield
    finally:
        event.remove(db.engine, "connect", refuse_writes)
        db.engine.dispose()


def seed(core: Core) -> None:
    core.classifier.replace_rules(loads(RULES))
    other = core.projects.add_project("Globex/Support")
    SpanStore(core.db).add_many([Span(at(9), at(10), "code", "main.py - acme-web"),
                                 Span(at(10), at(11), "firefox", "Globex ticket 12 - Firefox"),
                                 Span(at(11), at(12), "firefox", "Globex ticket 12 - Firefox")])
    core.entries.add(NewEntry(DAY + timedelta(hours=10), DAY + timedelta(hours=11), "ticket", other.id))


def test_proposals_need_only_a_connection_that_reads(core: Core) -> None:
    seed(core)
    with read_only(core.db):
        with pytest.raises(StoreError):  # the connections really refuse writes
            core.projects.add_project("Initech/Reports")
        proposals = core.review.proposals(WEEK, NOW)
        review = core.review.load(WEEK, NOW)
        stale = core.classifier.stale(NOW)
        listing = core.classifier.listing()
        status = core.classifier.learning.status() if core.classifier.learning else None
    assert {p.project_path for p in proposals} == {"Acme Corp/Website", "Globex/Support"}  # a rule's, a learned one
    assert review.proposals and stale == []
    assert [(i.rule.name, i.last_matched) for i in listing] == [("Acme web", DAY + timedelta(hours=10))]
    assert status is not None and status.built_at is not None
    fresh = build_core()
    try:
        assert fresh.classifier.listing()[0].last_matched is None  # nothing was written by the reads
        core.save_pending()  # the writer stores what the reads saw
        assert fresh.classifier.listing()[0].last_matched == DAY + timedelta(hours=10)
        assert fresh.classifier.learning is not None and fresh.classifier.learning.status().built_at == status.built_at
    finally:
        fresh.close()
