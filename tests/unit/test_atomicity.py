"""Use cases that write more than one row are all or nothing: a fault (or a kill) between two of their writes
leaves the database as it was before the use case."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.classify.ruleset_file import loads
from app.core import Core, build_core
from app.domain.models import NewEntry, Span
from app.domain.periods import Period
from app.store.spans import SpanStore
from app.store.tables import EntryRow, ProjectRow
from app.store.work import unit_of_work
from tests.atomicity import Injected, failing
from tests.unit.test_review_service import RULES

DAY = datetime(2026, 11, 17, tzinfo=UTC)


def at(hour: float) -> datetime:
    return DAY + timedelta(hours=hour)


def two_entries(core: Core) -> tuple[int, int]:
    project = core.projects.add_project("Acme Corp/Website")
    first = core.entries.add(NewEntry(at(9), at(11), "design", project.id))
    second = core.entries.add(NewEntry(at(11), at(12), "build", project.id))
    return first.id, second.id


def snapshot(core: Core) -> list[tuple[Any, ...]]:
    return [(e.id, e.start, e.end, e.description, e.project_id) for e in core.entries.between(at(-48), at(48))]


def test_merge_that_fails_between_its_writes_changes_nothing(core: Core) -> None:
    two_entries(core)
    before = snapshot(core)
    with failing(EntryRow, "before_delete"), pytest.raises(Injected):
        core.review.merge([e[0] for e in before])  # the longest is stretched first, then the other deleted
    assert snapshot(core) == before
    merged = core.review.merge([e[0] for e in before])  # and the same merge goes through afterwards
    assert snapshot(core) == [(merged.id, at(9), at(12), "design; build", merged.project_id)]


def test_accept_that_fails_between_its_writes_creates_no_entry_client_or_project(core: Core, utc_zone: None) -> None:
    core.classifier.replace_rules(loads(RULES))
    SpanStore(core.db).add_many([Span(at(9).timestamp(), at(10).timestamp(), "code", "main.py - acme-web"),
                                 Span(at(13).timestamp(), at(14).timestamp(), "code", "app.py - acme-web")])
    period = Period(DAY.date(), DAY.date())
    proposals = core.review.proposals(period, at(20))
    assert len(proposals) == 2
    inserted: list[object] = []

    def second_fails(*_args: object) -> None:
        inserted.append(None)
        if len(inserted) == 2:
            raise Injected("the second entry cannot be written")

    with failing(EntryRow, "before_insert", second_fails), pytest.raises(Injected):
        core.review.accept(proposals)
    assert snapshot(core) == [] and core.projects.clients() == []  # the rule's project was not left behind
    assert len(core.review.accept(proposals)) == 2


def test_add_project_that_fails_after_its_new_client_leaves_no_client(core: Core) -> None:
    with failing(ProjectRow), pytest.raises(Injected):
        core.projects.add_project("Initech/Reports")
    assert core.projects.clients() == []
    assert core.projects.add_project("Initech/Reports").path == "Initech/Reports"


def test_a_unit_of_work_joins_an_outer_one_and_repositories_alone_still_commit(core: Core) -> None:
    with pytest.raises(Injected), unit_of_work():
        core.projects.add_project("Initech/Reports")  # its own unit of work joins this one
        core.entries.add(NewEntry(at(9), at(10), "kept only with the project"))
        raise Injected("the outer use case fails after both")
    assert core.projects.clients() == [] and snapshot(core) == []
    core.projects.ensure_client("Globex")  # no unit of work open: committed by itself
    assert [c.name for c in core.projects.clients()] == ["Globex"]


KILLED_MERGE = """
    import os, signal
    from app.core import build_core
    from app.store.tables import EntryRow
    from tests.atomicity import failing

    def kill(*_args):
        os.kill(os.getpid(), signal.SIGKILL)

    core = build_core()
    ids = [e.id for e in core.entries.recent(10)]
    with failing(EntryRow, "before_delete", kill):
        core.review.merge(ids)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_a_merge_killed_between_its_writes_is_not_half_done(home: Path) -> None:
    core = build_core()
    try:
        two_entries(core)
        before = snapshot(core)
    finally:
        core.close()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "TIMETALLY_HOME": str(home), "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED_MERGE)], env=env, cwd=root, timeout=60,
                          capture_output=True, text=True, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr
    core = build_core()
    try:
        assert snapshot(core) == before
    finally:
        core.close()
