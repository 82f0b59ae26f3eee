"""After a crash, stopping the timer at the last moment the app was alive; a timer that held no time goes away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.cli import main
from app.core import Core
from app.domain.errors import LockedError, NotFoundError
from app.domain.models import NewEntry
from app.domain.periods import week_of
from app.store.repositories import RunRepository

DEAD_PID = 2**22 + 12345  # above the default pid_max, so never a live process
LAST_ALIVE = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def crashed(core: Core, ran_for: timedelta) -> int:
    runs = RunRepository(core.db)
    runs.touch(runs.begin(DEAD_PID, "gui", LAST_ALIVE - timedelta(hours=2)), LAST_ALIVE)
    return core.entries.add(NewEntry(start=LAST_ALIVE - ran_for, end=None, description="Design")).id


def test_a_timer_stopped_with_time_in_it_ends_at_the_last_moment_alive(core: Core) -> None:
    entry_id = crashed(core, timedelta(minutes=25))
    unclean = core.liveness.unclean_exit()
    assert unclean is not None and unclean.recorded_seconds == 1500
    kept = core.liveness.resolve(unclean, stop_timer=True)
    assert kept is not None and kept.end == LAST_ALIVE and core.entries.get(entry_id).end == LAST_ALIVE
    assert core.liveness.unclean_exit() is None


@pytest.mark.parametrize("ran_for", [timedelta(0), timedelta(seconds=59)])
def test_a_timer_that_would_read_0_00_is_removed_and_the_cli_says_so(
    core: Core, capsys: pytest.CaptureFixture[str], ran_for: timedelta
) -> None:
    entry_id = crashed(core, ran_for)

    assert main(["timer", "stop", "--at-last-alive"]) == 0

    out = capsys.readouterr().out
    assert out == (f"The timer #{entry_id} had run {ran_for.seconds} s when TimeTally stopped unexpectedly; it held "
                   "less than a minute, so it was removed rather than kept as a 0:00 entry.\n")
    with pytest.raises(NotFoundError):
        core.entries.get(entry_id)
    assert core.liveness.unclean_exit() is None and core.entries.running() is None


def test_keeping_the_timer_keeps_it_whatever_it_held(core: Core) -> None:
    entry_id = crashed(core, timedelta(seconds=5))
    unclean = core.liveness.unclean_exit()
    assert unclean is not None
    assert core.liveness.resolve(unclean, stop_timer=False) is not None
    assert core.entries.get(entry_id).running


def test_stopping_at_last_alive_into_a_submitted_week_is_refused(core: Core) -> None:
    week = week_of(LAST_ALIVE.astimezone().date())
    entry_id = crashed(core, timedelta(days=8))  # started the week before
    earlier = core.entries.add(NewEntry(LAST_ALIVE - timedelta(hours=3), LAST_ALIVE - timedelta(hours=2), "done",
                                        core.projects.add_project("Acme/Web").id))
    core.approvals.approve([earlier.id])
    core.approvals.submit(week)
    unclean = core.liveness.unclean_exit()
    assert unclean is not None
    with pytest.raises(LockedError, match="was submitted for billing"):
        core.liveness.resolve(unclean, stop_timer=True)
    assert core.entries.get(entry_id).running
