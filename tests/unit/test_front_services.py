"""The service doors the GUI and the CLI use instead of repositories: project lookups on the catalog, entries on
the entry service, and the capture pause on the activity service."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.capture.pause import FOREVER
from app.core import Core
from app.domain.errors import TimeTallyError
from tests.conftest import WallClock


def test_the_catalog_finds_adds_and_names_projects(core: Core) -> None:
    project = core.catalog.add_path("Acme/Website", billable=False)
    assert core.catalog.find("Acme/Website") == project and not project.billable
    assert core.catalog.require("Acme/Website") == project
    assert [c.name for c in core.catalog.clients()] == ["Acme"]
    assert core.catalog.ensure_client("acme").id == project.client_id
    task = core.catalog.ensure_task(project.id, "Design")
    assert core.catalog.require_task(project, "Design") == task
    assert core.catalog.tasks_by_project() == {project.id: (task,)}
    assert core.catalog.projects() == [project]
    with pytest.raises(TimeTallyError, match="Nowhere"):
        core.catalog.require("Nowhere")


def test_the_entry_service_reads_one_entry_and_names_an_unknown_id(core: Core) -> None:
    assert core.entry_service.running() is None and core.entry_service.last_finished() is None
    with pytest.raises(TimeTallyError, match="42"):
        core.entry_service.get(42)


def test_the_activity_service_keeps_the_capture_pause(core: Core, wall_clock: WallClock) -> None:
    wall_clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    assert core.activity.paused_until() is None
    core.activity.pause(None)
    assert core.activity.paused_until() == FOREVER
    soon = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    core.activity.pause(soon)
    assert core.activity.paused_until() == soon
    core.activity.pause(datetime(2026, 3, 2, 8, 59, tzinfo=UTC))
    assert core.activity.paused_until() is None, "a pause that has passed counts as running"
    core.activity.pause(soon)
    core.activity.resume()
    assert core.activity.paused_until() is None
