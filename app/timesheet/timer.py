"""The timer: at most one running entry, written at once so it survives a crash. No Qt here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain.errors import NotFoundError, ValidationError
from app.domain.models import DescriptionOrigin, Entry, EntrySource, NewEntry, Notice
from app.domain.timefmt import utcnow
from app.settings import Settings
from app.store.repositories import EntryRepository, ProjectRepository
from app.timesheet.entries import check_target
from app.timesheet.locks import PeriodLock
from app.timesheet.validation import clean_description, long_running


@dataclass(frozen=True, slots=True)
class TimerStatus:
    running: Entry | None
    elapsed: int
    notices: tuple[Notice, ...]


class TimerService:
    def __init__(
        self,
        entries: EntryRepository,
        projects: ProjectRepository,
        settings: Settings,
        lock: PeriodLock,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._entries = entries
        self._projects = projects
        self._settings = settings
        self._lock = lock
        self._clock = clock

    def status(self) -> TimerStatus:
        now = self._clock()
        running = self._entries.running()
        if running is None:
            return TimerStatus(None, 0, ())
        notice = long_running(running, now, self._settings.get("timer.long_running_hours"))
        return TimerStatus(running, running.seconds(now), (notice,) if notice else ())

    def start(
        self, description: str = "", project_id: int | None = None, task_id: int | None = None,
        description_origin: DescriptionOrigin = DescriptionOrigin.TYPED,
    ) -> Entry:
        """Start a timer; a running one is stopped at the same instant (that is a switch)."""
        description = clean_description(description)
        if project_id is None:
            default = self._settings.get("timer.default_project_id")
            project_id = default or None
        check_target(self._projects, project_id, task_id)
        now = self._clock().replace(microsecond=0)
        running = self._entries.running()
        if running is not None:
            self._lock.check_submitted(running.start, max(now, running.start))
        self._lock.check(now, None)
        new = NewEntry(start=now, end=None, description=description, project_id=project_id,
                       task_id=task_id, source=EntrySource.TIMER, description_origin=description_origin)
        started, _ = self._entries.start_timer(new, stop_running_at=now)
        return started

    switch = start

    def stop(self, at: datetime | None = None) -> Entry:
        running = self._entries.running()
        if running is None:
            raise NotFoundError("No timer is running.")
        if at is not None and at < running.start:
            raise ValidationError("The stop time is before the timer's start.")
        # A clock that jumped backwards never yields a negative entry.
        end = max(at or self._clock().replace(microsecond=0), running.start)
        self._lock.check_submitted(running.start, end)
        return self._entries.update(running.id, end=end)

    def continue_last(self) -> Entry:
        """Start a new timer with the description and project of the latest finished entry."""
        last = self._entries.last_finished()
        if last is None:
            raise NotFoundError("There is no earlier entry to continue.")
        return self.resume(last)

    def resume(self, entry: Entry) -> Entry:
        """A new timer like `entry`; its description keeps its origin (unconfirmed title text stays so)."""
        return self.start(entry.description, entry.project_id, entry.task_id, entry.description_origin)

    def discard(self) -> Entry:
        running = self._entries.running()
        if running is None:
            raise NotFoundError("No timer is running.")
        self._entries.delete(running.id)
        return running

    def recent(self, limit: int = 5) -> list[Entry]:
        return self._entries.recent(limit)
