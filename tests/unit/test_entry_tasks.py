"""Tasks on manual and timer entries, so a task's rate (and its item code when sent) applies to that time."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.cli import main
from app.core import Core
from app.domain.errors import NotFoundError, ValidationError
from app.domain.periods import Period
from app.timesheet.week import ProposalItem


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def acme(core: Core) -> Core:
    assert main(["clients", "set", "Acme", "--create", "--rate", "100", "--from", "2026-01-01"]) == 0
    assert main(["projects", "add", "Acme/Web"]) == 0
    assert main(["projects", "set", "Acme/Web", "--task", "Design", "--rate", "150", "--from", "2026-01-01"]) == 0
    return core


def test_entries_add_with_a_task_bills_at_the_task_rate(acme: Core, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code, out, err = run(capsys, "entries", "add", "Acme/Web", "--task", "design", "--start", "2026-11-20T09:00Z",
                         "--end", "2026-11-20T11:00Z", "--description", "Hero")
    assert (code, err) == (0, "") and "Acme/Web · Design  Hero" in out
    listed = json.loads(run(capsys, "entries", "list", "--week", "2026-W47", "--json")[1])
    assert listed[0]["task"] == "Design"
    acme.approvals.approve([listed[0]["id"]])
    [draft] = acme.billing.preview(Period(date(2026, 11, 16), date(2026, 11, 22)))
    assert [(line.rate, line.amount) for line in draft.lines] == [(Decimal("150"), Decimal("300.00"))]


def test_an_unknown_task_is_named_with_the_projects_tasks(acme: Core, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code, _, err = run(capsys, "entries", "add", "Acme/Web", "--task", "Desgin", "--start", "2026-11-20T09:00Z",
                       "--end", "2026-11-20T10:00Z")
    assert code == 1 and err == ("timetally: There is no task 'Desgin' in Acme/Web (its tasks: Design). Add it with: "
                                 "timetally projects set 'Acme/Web' --task 'Desgin'\n")
    assert acme.entries.between(datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)) == []


def test_timer_start_with_a_task(acme: Core, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(capsys, "timer", "start", "--task", "Design")[:3:2] == (
        1, "timetally: A task belongs to a project: give --project CLIENT/PROJECT with --task.\n")
    code, out, _ = run(capsys, "timer", "start", "--project", "Acme/Web", "--task", "Design")
    assert code == 0 and "Acme/Web · Design" in out
    status = json.loads(run(capsys, "timer", "status", "--json")[1])
    assert (status["project"], status["task"]) == ("Acme/Web", "Design")
    running = acme.entries.running()
    assert running is not None and running.task_name == "Design"
    run(capsys, "timer", "stop")
    acme.timer.continue_last()
    again = acme.entries.running()
    assert again is not None and again.task_id == running.task_id


def test_a_task_must_belong_to_the_entrys_project(acme: Core) -> None:
    web = acme.projects.require("Acme/Web")
    design = acme.projects.require_task(web, "Design")
    other = acme.projects.add_project("Globex/Support")
    start, end = datetime(2026, 11, 20, 9, tzinfo=UTC), datetime(2026, 11, 20, 10, tzinfo=UTC)
    with pytest.raises(ValidationError, match="belongs to another project"):
        acme.entry_service.add_manual(start, end, "", other.id, design.id)
    with pytest.raises(ValidationError, match="choose the project too"):
        acme.timer.start("", None, design.id)
    with pytest.raises(NotFoundError):
        acme.entry_service.add_manual(start, end, "", web.id, 999)
    entry, _ = acme.entry_service.add_manual(start, end, "", web.id, design.id)
    moved, _ = acme.entry_service.edit(entry.id, project_id=other.id)
    assert (moved.project_id, moved.task_id) == (other.id, None)  # the task went with its project
    back, _ = acme.entry_service.edit(entry.id, project_id=web.id, task_id=design.id)
    assert (back.task_id, back.task_name) == (design.id, "Design")
    assert acme.entry_service.edit(entry.id, description="kept")[0].task_id == design.id


def test_the_review_offers_each_projects_tasks_and_keeps_the_chosen_one(acme: Core) -> None:
    web = acme.projects.require("Acme/Web")
    design = acme.projects.require_task(web, "Design")
    week = Period(date(2026, 11, 16), date(2026, 11, 22))
    review = acme.review.load(week, datetime(2026, 11, 21, tzinfo=UTC), entries_only=True)
    assert review.tasks == {web.id: (design,)}
    item = ProposalItem(datetime(2026, 11, 20, 9, tzinfo=UTC).timestamp(),
                        datetime(2026, 11, 20, 10, tzinfo=UTC).timestamp(), "Acme/Web", "Build", "", "Acme rule", "")
    entry = acme.review.accept_edited(item, start=item.start, end=item.end, description="", project_id=web.id,
                                      task_id=design.id)
    assert entry.task_name == "Design"
    kept = acme.review.accept_edited(item, start=datetime(2026, 11, 20, 11, tzinfo=UTC).timestamp(),
                                     end=datetime(2026, 11, 20, 12, tzinfo=UTC).timestamp(), description="",
                                     project_id=web.id)
    assert kept.task_name == "Build"  # no task chosen: the rule's stays on its project
    grid = acme.review.load(week, datetime(2026, 11, 21, tzinfo=UTC), entries_only=True).grid
    assert [row.label for row in grid.rows] == ["Acme / Web / Build", "Acme / Web / Design"]
