"""Manual entries and edits: validated, overlap-flagged, and refused on locked (approved/invoiced) time."""

from __future__ import annotations

from datetime import datetime

from app.domain.errors import LockedError, ValidationError
from app.domain.models import DescriptionOrigin, Entry, EntrySource, NewEntry, Notice
from app.domain.periods import Period
from app.store.repositories import EntryRepository, ProjectRepository
from app.timesheet.locks import PeriodLock
from app.timesheet.validation import check_length, check_order, clean_description, overlap_notices

_UNSET = object()


def check_target(projects: ProjectRepository, project_id: int | None, task_id: int | None) -> None:
    """The project exists, and the task (if any) is one of its tasks: a task's rate and item code only make sense
    on its own project's time."""
    if project_id is not None:
        projects.get(project_id)
    if task_id is None:
        return
    task = projects.task(task_id)
    if project_id is None:
        raise ValidationError(f"The task '{task.name}' belongs to a project; choose the project too.")
    if task.project_id != project_id:
        raise ValidationError(f"The task '{task.name}' belongs to another project; choose one of "
                              f"{projects.get(project_id).path}'s tasks, or none.")


class EntryService:
    def __init__(self, entries: EntryRepository, projects: ProjectRepository, lock: PeriodLock) -> None:
        self._entries = entries
        self._projects = projects
        self.lock = lock

    def add(self, new: NewEntry) -> Entry:
        """Record an entry a caller has checked (a proposal, a split), unless its time is settled."""
        self.lock.check(new.start, new.end)
        return self._entries.add(new)

    def add_manual(
        self, start: datetime, end: datetime, description: str = "", project_id: int | None = None,
        task_id: int | None = None, description_origin: DescriptionOrigin = DescriptionOrigin.TYPED,
    ) -> tuple[Entry, list[Notice]]:
        check_order(start, end)
        check_length(start, end)
        description = clean_description(description)
        check_target(self._projects, project_id, task_id)
        entry = self.add(NewEntry(start=start, end=end, description=description, project_id=project_id,
                                  task_id=task_id, source=EntrySource.MANUAL, description_origin=description_origin))
        return entry, overlap_notices(entry, self._entries.overlapping(start, end, exclude=entry.id))

    def edit(
        self,
        entry_id: int,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        description: str | None = None,
        project_id: int | object | None = _UNSET,
        task_id: int | object | None = _UNSET,
        description_origin: DescriptionOrigin = DescriptionOrigin.TYPED,
    ) -> tuple[Entry, list[Notice]]:
        """Change what is given; a new project without a task given keeps the task only if it is that project's.
        A description given is the user's (typed, or seen and saved), unless `description_origin` says otherwise."""
        current = self._entries.get(entry_id)
        if current.locked:
            raise LockedError(f"Entry #{entry_id} is {current.status} and locked; unlock it before editing.")
        changes: dict[str, object] = {}
        if start is not None:
            changes["start"] = start
        if end is not None:
            if current.running:
                raise ValidationError("Stop the timer before giving it an end.")
            changes["end"] = end
        new_start, new_end = changes.get("start", current.start), changes.get("end", current.end)
        if new_end is not None:
            check_order(new_start, new_end)  # type: ignore[arg-type]
            if "start" in changes or "end" in changes:
                was = (current.end - current.start).total_seconds() if current.end else 0.0
                check_length(new_start, new_end, was)  # type: ignore[arg-type]
        if description is not None:
            changes["description"] = clean_description(description)
            changes["description_origin"] = description_origin
        if project_id is not _UNSET:
            changes["project_id"] = project_id
        if task_id is not _UNSET:
            changes["task_id"] = task_id
        elif project_id is not _UNSET and current.task_id is not None and (
                project_id is None or self._projects.task(current.task_id).project_id != project_id):
            changes["task_id"] = None
        if (new_start, new_end) != (current.start, current.end):
            self.lock.check(new_start, new_end, exclude=entry_id)  # type: ignore[arg-type]
        else:
            self.lock.check_submitted(current.start, current.end)
        if "project_id" in changes or "task_id" in changes:
            check_target(self._projects, changes.get("project_id", current.project_id),  # type: ignore[arg-type]
                         changes.get("task_id", current.task_id))  # type: ignore[arg-type]
        entry = self._entries.update(entry_id, **changes)
        if entry.end is None:
            return entry, []
        return entry, overlap_notices(entry, self._entries.overlapping(entry.start, entry.end, exclude=entry.id))

    def delete(self, entry_id: int) -> None:
        entry = self._entries.get(entry_id)
        if entry.locked:
            raise LockedError(f"Entry #{entry_id} is {entry.status} and locked; it cannot be deleted.")
        self._entries.delete(entry_id)

    def in_period(self, period: Period) -> list[Entry]:
        return self._entries.between(*period.utc_range())

    def get(self, entry_id: int) -> Entry:
        """The entry, or a sentence naming the unknown id."""
        return self._entries.get(entry_id)

    def running(self) -> Entry | None:
        return self._entries.running()

    def last_finished(self) -> Entry | None:
        return self._entries.last_finished()
