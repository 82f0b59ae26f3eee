"""The timer service on a real SQLite file: one running timer, switch, continue, discard, flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core import Core
from app.domain.errors import NotFoundError, ValidationError
from app.domain.models import EntrySource
from app.timesheet.timer import TimerService


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timer(core: Core, clock: Clock) -> TimerService:
    return TimerService(core.entries, core.projects, core.settings, core.lock, clock=clock)


def test_start_and_stop_record_a_timer_entry(core: Core, timer: TimerService, clock: Clock) -> None:
    project = core.projects.add_project("Acme/Web")
    started = timer.start("Landing page", project.id)
    assert started.running and started.source == EntrySource.TIMER
    clock.advance(minutes=83)
    assert timer.status().elapsed == 83 * 60
    stopped = timer.stop()
    assert stopped.id == started.id and stopped.end == clock.now
    assert timer.status().running is None


def test_starting_while_running_switches_at_the_same_instant(core: Core, timer: TimerService, clock: Clock) -> None:
    first = timer.start("one")
    clock.advance(minutes=10)
    second = timer.start("two")
    assert core.entries.get(first.id).end == second.start == clock.now
    assert core.entries.running().id == second.id


def test_database_refuses_a_second_running_timer(core: Core) -> None:
    from app.domain.models import NewEntry

    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    core.entries.add(NewEntry(start=now, end=None))
    from app.domain.errors import StoreError

    with pytest.raises(StoreError):
        core.entries.add(NewEntry(start=now, end=None))


def test_continue_last_reuses_description_and_project(core: Core, timer: TimerService, clock: Clock) -> None:
    project = core.projects.add_project("Acme/Web")
    timer.start("Review", project.id)
    clock.advance(minutes=5)
    timer.stop()
    clock.advance(minutes=5)
    again = timer.continue_last()
    assert (again.description, again.project_id, again.start) == ("Review", project.id, clock.now)


def test_continue_and_stop_without_history_explain(timer: TimerService) -> None:
    with pytest.raises(NotFoundError, match="no earlier entry"):
        timer.continue_last()
    with pytest.raises(NotFoundError, match="No timer is running"):
        timer.stop()


def test_discard_deletes_the_running_timer(core: Core, timer: TimerService) -> None:
    entry = timer.start("oops")
    timer.discard()
    with pytest.raises(NotFoundError):
        core.entries.get(entry.id)


def test_recent_lists_distinct_entries_newest_first(core: Core, timer: TimerService, clock: Clock) -> None:
    for text in ["a", "b", "a", "c", "d", "e", "f"]:
        timer.start(text)
        clock.advance(minutes=1)
    timer.stop()
    assert [e.description for e in timer.recent(5)] == ["f", "e", "d", "c", "a"]


def test_long_running_timer_is_flagged(timer: TimerService, clock: Clock) -> None:
    timer.start("marathon")
    clock.advance(hours=8, minutes=1)
    assert [n.code for n in timer.status().notices] == ["long-running"]


def test_clock_jump_backwards_never_gives_a_negative_entry(timer: TimerService, clock: Clock) -> None:
    started = timer.start("x")
    clock.advance(hours=-2)
    assert timer.status().elapsed == 0
    assert timer.stop().end == started.start


def test_stop_at_before_start_is_refused(timer: TimerService, clock: Clock) -> None:
    timer.start("x")
    with pytest.raises(ValidationError, match="before the timer's start"):
        timer.stop(at=clock.now - timedelta(minutes=1))


def test_descriptions_are_cleaned_and_overlong_ones_refused(timer: TimerService) -> None:
    assert timer.start("  tabs\tand\nnewlines\x00 ").description == "tabs and newlines"
    assert timer.start("").description == ""
    with pytest.raises(ValidationError, match="at most 2,000 characters; this one has 10,000"):
        timer.start("x" * 10_000)
    assert timer.status().running.description == ""  # the refused start changed nothing


def test_default_project_applies_when_none_is_given(core: Core, timer: TimerService) -> None:
    project = core.projects.add_project("Acme/Default")
    core.settings.set("timer.default_project_id", project.id)
    assert timer.start("x").project_id == project.id


def test_unknown_project_id_is_refused(timer: TimerService) -> None:
    with pytest.raises(NotFoundError):
        timer.start("x", project_id=999)
