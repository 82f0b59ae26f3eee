"""Manual entries and edits: validated, overlap-flagged, and refused on locked (approved/invoiced) time."""

from __future__ import annotations

from datetime import datetime

from app.domain.errors import LockedError, ValidationError
from app.domain.models import Entry, EntrySource, NewEntry, Notice
from app.domain.periods import Period
from app.store.repositories import EntryRepository, ProjectRepository
from app.timesheet.validation import check_length, check_order, clean_description, overlap_notices

_UNSET = object()


class EntryService:
    def __init__(self, entries: EntryRepository, projects: ProjectRepository) -> None:
        self._entries = entries
        self._projects = projects

    def add_manual(
        self, start: datetime, end: datetime, description: str = "", project_id: int | None = None
    ) -> tuple[Entry, list[Notice]]:
        check_order(start, end)
        check_length(start, end)
        description = clean_description(description)
        if project_id is not None:
            self._projects.get(project_id)
        entry = self._entries.add(
            NewEntry(start=start, end=end, description=description, project_id=project_id,
                     source=EntrySource.MANUAL)
        )
        return entry, overlap_notices(entry, self._entries.overlapping(start, end, exclude=entry.id))

    def edit(
        self,
        entry_id: int,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        description: str | None = None,
        project_id: int | object | None = _UNSET,
    ) -> tuple[Entry, list[Notice]]:
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
        if project_id is not _UNSET:
            if project_id is not None:
                self._projects.get(project_id)  # type: ignore[arg-type]
            changes["project_id"] = project_id
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
