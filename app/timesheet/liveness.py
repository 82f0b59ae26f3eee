"""Tells a crash from a clean exit: long-running processes record that they are alive, and the next start looks."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import psutil

from app.domain.models import Entry
from app.domain.timefmt import utcnow
from app.store.repositories import EntryRepository, RunRepository
from app.store.tables import AppRunRow
from app.store.work import atomic
from app.timesheet.locks import PeriodLock

SHORTEST_KEPT = 60
"""Seconds a timer stopped at the last moment the app was alive must hold to be kept: less would read 0:00."""


@dataclass(frozen=True, slots=True)
class UncleanExit:
    """The app died while a timer ran; the user chooses to keep it running or stop it at `last_alive`."""

    last_alive: datetime
    timer: Entry
    run_ids: tuple[int, ...]

    @property
    def recorded_seconds(self) -> int:
        """What stopping the timer at `last_alive` keeps."""
        return max(0, int((self.last_alive - self.timer.start).total_seconds()))

    def dropped(self) -> str:
        """The sentence for a timer that stopping at `last_alive` removed, having held under a minute."""
        return (f"The timer #{self.timer.id} had run {self.recorded_seconds} s when TimeTally stopped unexpectedly; "
                "it held less than a minute, so it was removed rather than kept as a 0:00 entry.")


def _alive(run: AppRunRow) -> bool:
    """Is the process of that run still running? A reused pid started later does not count."""
    try:
        proc = psutil.Process(run.pid)
        return proc.create_time() <= run.started_at.timestamp() + 5
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


class Liveness:
    def __init__(
        self, runs: RunRepository, entries: EntryRepository, lock: PeriodLock, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._runs = runs
        self._entries = entries
        self._lock = lock
        self._clock = clock
        self._run_id: int | None = None

    def unclean_exit(self) -> UncleanExit | None:
        """A dead process that never said goodbye while the timer ran; None when there is nothing to ask."""
        dead = [r for r in self._runs.unfinished() if r.id != self._run_id and not _alive(r)]
        if not dead:
            return None
        timer = self._entries.running()
        if timer is None or timer.start > dead[0].last_alive_at:
            self._runs.acknowledge([r.id or 0 for r in dead])
            return None
        return UncleanExit(dead[0].last_alive_at, timer, tuple(r.id or 0 for r in dead))

    @atomic
    def resolve(self, unclean: UncleanExit, stop_timer: bool) -> Entry | None:
        """Keep the timer running, or stop it at the last moment the app was known alive. None: stopping it there
        left under a minute (`UncleanExit.dropped` says so), and an entry of no time is deleted, not kept."""
        timer: Entry | None = unclean.timer
        if stop_timer and unclean.recorded_seconds < SHORTEST_KEPT:
            self._entries.delete(unclean.timer.id)
            timer = None
        elif stop_timer:
            end = max(unclean.last_alive, unclean.timer.start)
            self._lock.check_submitted(unclean.timer.start, end)
            timer = self._entries.update(unclean.timer.id, end=end)
        self._runs.acknowledge(unclean.run_ids)
        return timer

    def begin(self, kind: str) -> None:
        self._run_id = self._runs.begin(os.getpid(), kind, self._clock())

    def beat(self) -> None:
        if self._run_id is not None:
            self._runs.touch(self._run_id, self._clock())

    def end(self) -> None:
        if self._run_id is not None:
            self._runs.end(self._run_id, self._clock())
            self._run_id = None
