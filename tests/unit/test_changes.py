"""What services changed is derived from what they committed: the areas the GUI refreshes and a CLI command sends
to a running app come from there, never from names typed at the call site."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app import cli
from app.classify.ruleset_file import loads
from app.core import Core
from app.desktop.instance_client import InstanceServer, Request, instance_name
from app.domain.changes import (
    ENTRIES,
    INVOICES,
    NOTHING,
    PROJECTS,
    RULES,
    SETTINGS,
    SPANS,
    TIMER,
    Changes,
    changes_of,
    recording,
)
from app.domain.models import NewEntry, Span
from app.domain.periods import Period
from app.store.spans import SpanStore
from app.store.tables import EntryRow
from app.store.work import AREAS_OF_TABLE, unit_of_work
from tests.atomicity import Injected, failing
from tests.unit.test_review_service import RULES as RULES_TEXT

DAY = datetime(2026, 11, 17, tzinfo=UTC)


def test_each_use_case_reports_the_areas_it_wrote(core: Core) -> None:
    added = changes_of(lambda: core.projects.add_project("Acme Corp/Website"))
    assert added.changes == Changes.of(PROJECTS, ENTRIES)
    project = added.value
    assert changes_of(lambda: core.timer.start("design", project.id)).changes == Changes.of(ENTRIES, TIMER)
    assert changes_of(lambda: core.classifier.replace_rules(loads(RULES_TEXT))).changes == Changes.of(RULES)
    assert changes_of(lambda: core.settings.set("timer.long_running_hours", 5)).changes == Changes.of(SETTINGS)
    billed = changes_of(lambda: core.billing.set_client("Acme Corp", rate="100"))
    assert billed.changes == Changes.of(PROJECTS, INVOICES)
    spans = [Span(DAY.timestamp(), (DAY + timedelta(hours=1)).timestamp(), "code", "acme-web")]
    assert changes_of(lambda: SpanStore(core.db).add_many(spans)).changes == Changes.of(SPANS)


def test_reads_change_nothing(core: Core) -> None:
    core.classifier.replace_rules(loads(RULES_TEXT))
    SpanStore(core.db).add_many([Span(DAY.timestamp(), (DAY + timedelta(hours=1)).timestamp(), "code", "acme-web")])
    period = Period(date(2026, 11, 16), date(2026, 11, 22))
    with recording() as seen:
        core.review.load(period, DAY + timedelta(days=1))
        core.classifier.stale(DAY + timedelta(days=1))
        core.timer.status()
    assert seen.changes == NOTHING


def test_work_rolled_back_reports_nothing_and_recordings_nest(core: Core) -> None:
    with recording() as outer:
        with recording() as inner, pytest.raises(Injected), unit_of_work():
            core.entries.add(NewEntry(DAY, DAY + timedelta(hours=1), "gone"))
            raise Injected("undo")
        assert inner.changes == NOTHING
        core.entries.add(NewEntry(DAY, DAY + timedelta(hours=1), "kept"))
    assert outer.changes == Changes.of(ENTRIES, TIMER)
    with failing(EntryRow), pytest.raises(Injected), recording() as failed:
        core.entries.add(NewEntry(DAY, DAY + timedelta(hours=1), "refused"))
    assert failed.changes == NOTHING


def test_every_table_maps_to_declared_areas() -> None:
    with pytest.raises(ValueError, match="unknown change areas"):
        Changes.of("sink")
    for table, areas in AREAS_OF_TABLE.items():
        assert Changes(areas).areas == areas, table


def _delivered(requests: list[Request], seconds: float = 5.0) -> list[Request]:
    deadline = time.monotonic() + seconds
    while not requests and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)  # anything sent after the first
    return list(requests)


def test_a_cli_command_tells_a_running_app_what_it_changed(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    requests: list[Request] = []
    server = InstanceServer(instance_name(), requests.append)
    server.listen()
    try:
        assert cli.main(["projects", "add", "Acme Corp/Website"]) == 0
        assert _delivered(requests) == [Request("refresh", frozenset({PROJECTS, ENTRIES}))]
        requests.clear()
        assert cli.main(["projects", "list"]) == 0
        assert cli.main(["timer", "status"]) == 0
        assert _delivered(requests, 0.5) == []  # reads change nothing, so nothing is sent
        assert cli.main(["timer", "start", "--description", "design", "--project", "Acme Corp/Website"]) == 0
        assert _delivered(requests) == [Request("refresh", frozenset({ENTRIES, TIMER}))]
    finally:
        server.close()
    capsys.readouterr()
