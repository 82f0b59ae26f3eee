"""A submitted week and locked entries take no new or changed time, through every door, until unlocked."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.classify.ruleset_file import loads
from app.cli import main
from app.core import Core
from app.domain.errors import LockedError
from app.domain.models import EntrySource, NewEntry, Span
from app.domain.periods import iso_week_label, week_of
from app.store.spans import SpanStore
from app.timesheet.timer import TimerService

DAY = date(2026, 11, 17)  # a Tuesday
WEEK = week_of(DAY)
SUBMITTED = "was submitted for billing, so it takes no new or changed time. To change it, unlock one of its entries"
RULES = """
version = 1

[[rule]]
name = "Acme web"
client = "Acme"
project = "Web"
all = [{ field = "title", contains = "acme-web" }]
"""


def at(hour: float, day: date = DAY) -> datetime:
    return (datetime.combine(day, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def submitted_week(core: Core) -> int:
    """An approved entry on Tuesday 9-10 and the week submitted; the entry's id."""
    entry = core.entries.add(NewEntry(at(9), at(10), "hero", core.projects.add_project("Acme/Web").id))
    core.approvals.approve_period(WEEK)
    core.approvals.submit(WEEK)
    return entry.id


def count(core: Core) -> int:
    return len(core.entries.between(at(-48), at(7 * 24)))


def test_the_command_line_refuses_new_time_in_a_submitted_week_and_names_the_way_out(
    core: Core, capsys: pytest.CaptureFixture[str]
) -> None:
    entry_id = submitted_week(core)
    capsys.readouterr()

    assert main(["entries", "add", "Acme/Web", "--start", at(14).isoformat(), "--end", at(15).isoformat()]) == 1
    err = capsys.readouterr().err
    assert f"The week {WEEK.first} to {WEEK.last} {SUBMITTED} with a reason" in err
    assert "timetally entries unlock ID --reason TEXT" in err and "withdraws the submission" in err
    assert "audit trail" in err

    core.classifier.replace_rules(loads(RULES))
    SpanStore(core.db).add_many([Span(at(11).timestamp(), at(12).timestamp(), "code", "acme-web")])
    assert main(["propose", "--week", iso_week_label(DAY), "--accept"]) == 1
    assert SUBMITTED in capsys.readouterr().err
    assert count(core) == 1

    core.approvals.unlock(entry_id, "client asked for a change")  # the way out: audited, withdraws the week
    assert core.approvals.submission(WEEK) is None
    assert main(["entries", "add", "Acme/Web", "--start", at(14).isoformat(), "--end", at(15).isoformat()]) == 0
    assert main(["propose", "--week", iso_week_label(DAY), "--accept"]) == 0
    assert count(core) == 3


def test_the_review_refuses_assigning_time_in_a_submitted_week_or_over_an_approved_entry(core: Core) -> None:
    entry_id = submitted_week(core)
    web = core.projects.require("Acme/Web")
    with pytest.raises(LockedError, match=SUBMITTED):
        core.review.assign(at(13), at(14), web.id)
    next_week = DAY + timedelta(days=7)
    later = core.entries.add(NewEntry(at(9, next_week), at(10, next_week), "review", web.id))
    core.approvals.approve([later.id])
    with pytest.raises(LockedError, match=rf"overlaps entry #{later.id} \(.*\), which is approved and locked. "
                                          rf"Unlock it first with a reason \(timetally entries unlock {later.id} "):
        core.review.assign(at(9.5, next_week), at(11, next_week), web.id)
    assert [e.id for e in core.entries.between(at(-48), at(14 * 24))] == [entry_id, later.id]


def test_a_draft_may_change_beside_an_approved_entry_but_not_move_onto_it(core: Core) -> None:
    web = core.projects.add_project("Acme/Web")
    approved = core.entries.add(NewEntry(at(9), at(10), "hero", web.id))
    draft = core.entries.add(NewEntry(at(9.5), at(11), "overlapping before approval", web.id))
    core.approvals.approve([approved.id])
    assert core.entry_service.edit(draft.id, description="renamed")[0].description == "renamed"
    with pytest.raises(LockedError, match="which is approved and locked"):
        core.entry_service.edit(draft.id, start=at(8), end=at(11))
    assert core.entry_service.edit(draft.id, start=at(10), end=at(11))[0].start == at(10)


def test_the_timer_neither_starts_nor_stops_into_a_submitted_week(core: Core) -> None:
    submitted_week(core)
    in_week = TimerService(core.entries, core.projects, core.settings, core.lock, clock=lambda: at(16))
    with pytest.raises(LockedError, match=SUBMITTED):
        in_week.start("late work")
    assert core.entries.running() is None
    sunday_before = WEEK.first - timedelta(days=1)
    core.entries.add(NewEntry(at(23, sunday_before), None, "overnight", source=EntrySource.TIMER))
    with pytest.raises(LockedError, match=SUBMITTED):
        in_week.stop()
    with pytest.raises(LockedError, match=SUBMITTED):
        in_week.start("switch")  # a switch would stop the running timer in the week
    assert in_week.stop(at(23.5, sunday_before)).end == at(23.5, sunday_before)


def test_the_idle_prompt_cannot_assign_time_away_into_a_submitted_week(core: Core) -> None:
    submitted_week(core)
    sunday_before = WEEK.first - timedelta(days=1)
    running = core.entries.add(NewEntry(at(23, sunday_before), None, "overnight", source=EntrySource.TIMER))
    web = core.projects.require("Acme/Web")
    with pytest.raises(LockedError, match=SUBMITTED):
        core.idle.assign(at(12), at(13), [(web.id, 3600)])
    still = core.entries.running()
    assert still is not None and still.id == running.id, "a refused assignment leaves the timer as it was"
