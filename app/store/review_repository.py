"""Review storage: status changes written together with their audit rows, submitted weeks, rejections and
dropped away time. Each status change and its audit row share one transaction, so neither exists alone."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from app.domain.errors import NotFoundError
from app.domain.models import DescriptionOrigin, EntryStatus
from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables import EntryRow
from app.store.tables.review import DroppedTimeRow, RejectedProposalRow, ReviewAuditRow, SubmittedWeekRow


@dataclass(frozen=True, slots=True)
class AuditRecord:
    entry_id: int
    action: str
    who: str
    at: datetime
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Submission:
    first_day: date
    last_day: date
    who: str
    at: datetime


@dataclass(frozen=True, slots=True)
class DroppedTime:
    id: int
    start: float
    end: float
    description: str
    project_id: int | None


def snapshot(row: EntryRow) -> dict[str, Any]:
    """The audited fields of an entry row, as JSON-ready values."""
    return {
        "start": row.start_utc.isoformat(), "end": row.end_utc.isoformat() if row.end_utc else None,
        "description": row.description, "project_id": row.project_id, "task_id": row.task_id,
        "billable": row.billable, "status": row.status, "locked": row.locked,
        "description_origin": row.description_origin,
    }


class ReviewRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def set_status(self, entry_ids: Sequence[int], status: EntryStatus, locked: bool, *, action: str, who: str,
                   reason: str = "") -> list[int]:
        """Change status and lock of entries and audit each change; returns the ids that changed."""
        def change(row: EntryRow) -> bool:
            if row.status == str(status) and row.locked == locked:
                return False
            row.status, row.locked = str(status), locked
            return True

        return self._change(entry_ids, change, action, who, reason)

    def confirm_descriptions(self, entry_ids: Sequence[int], who: str) -> list[int]:
        """Descriptions taken from window titles become the user's own, each change audited; the ids changed."""
        def change(row: EntryRow) -> bool:
            if row.description_origin != str(DescriptionOrigin.TITLE):
                return False
            row.description_origin = str(DescriptionOrigin.TYPED)
            return True

        return self._change(entry_ids, change, "confirm-description", who)

    def _change(self, entry_ids: Sequence[int], change: Callable[[EntryRow], bool], action: str, who: str,
                reason: str = "") -> list[int]:
        """Apply `change` to each entry row and write an audit row, before and after, for each it changed; all in
        one transaction, so neither exists alone."""
        changed: list[int] = []
        now = utcnow()
        with self._db.session() as s:
            for entry_id in entry_ids:
                row = s.get(EntryRow, entry_id)
                if row is None:
                    raise NotFoundError(f"There is no time entry with id {entry_id}")
                before = snapshot(row)
                if not change(row):
                    continue
                row.updated_at = now
                s.add(row)
                s.add(ReviewAuditRow(entry_id=entry_id, action=action, who=who, at=now, reason=reason,
                                     before=json.dumps(before), after=json.dumps(snapshot(row))))
                changed.append(entry_id)
        return changed

    def record(self, entry_id: int, action: str, who: str, before: dict[str, Any], after: dict[str, Any],
               reason: str = "") -> None:
        with self._db.session() as s:
            s.add(ReviewAuditRow(entry_id=entry_id, action=action, who=who, reason=reason,
                                 before=json.dumps(before), after=json.dumps(after)))

    def audit(self, entry_id: int | None = None) -> list[AuditRecord]:
        with self._db.session() as s:
            query = select(ReviewAuditRow).order_by(col(ReviewAuditRow.id))
            if entry_id is not None:
                query = query.where(ReviewAuditRow.entry_id == entry_id)
            return [AuditRecord(r.entry_id, r.action, r.who, r.at, r.reason, json.loads(r.before or "{}"),
                                json.loads(r.after or "{}")) for r in s.exec(query)]

    def was_unlocked(self, entry_id: int) -> bool:
        with self._db.session() as s:
            query = select(ReviewAuditRow.id).where(ReviewAuditRow.entry_id == entry_id,
                                                    ReviewAuditRow.action == "unlock")
            return s.exec(query).first() is not None

    def entry_snapshot(self, entry_id: int) -> dict[str, Any]:
        with self._db.session() as s:
            row = s.get(EntryRow, entry_id)
            if row is None:
                raise NotFoundError(f"There is no time entry with id {entry_id}")
            return snapshot(row)

    def submit(self, first: date, last: date, who: str) -> Submission:
        with self._db.session() as s:
            row = s.merge(SubmittedWeekRow(first_day=first.isoformat(), last_day=last.isoformat(), who=who,
                                           submitted_at=utcnow()))
            return Submission(first, last, row.who, row.submitted_at)

    def withdraw(self, first: date) -> bool:
        with self._db.session() as s:
            row = s.get(SubmittedWeekRow, first.isoformat())
            if row is None:
                return False
            s.delete(row)
            return True

    def submissions(self) -> list[Submission]:
        with self._db.session() as s:
            rows = s.exec(select(SubmittedWeekRow).order_by(col(SubmittedWeekRow.first_day)))
            return [Submission(date.fromisoformat(r.first_day), date.fromisoformat(r.last_day), r.who,
                               r.submitted_at) for r in rows]

    def submission(self, first: date) -> Submission | None:
        return next((s for s in self.submissions() if s.first_day == first), None)

    def reject(self, rule: str, start: float, end: float) -> None:
        with self._db.session() as s:
            s.add(RejectedProposalRow(rule=rule, start_ts=start, end_ts=end))

    def rejected_between(self, start: float, end: float) -> list[tuple[str, float, float]]:
        with self._db.session() as s:
            rows = s.exec(select(RejectedProposalRow).where(RejectedProposalRow.start_ts < end,
                                                            RejectedProposalRow.end_ts > start))
            return [(r.rule, r.start_ts, r.end_ts) for r in rows]

    def add_dropped(self, start: float, end: float, description: str, project_id: int | None) -> DroppedTime:
        with self._db.session() as s:
            row = DroppedTimeRow(start_ts=start, end_ts=end, description=description, project_id=project_id)
            s.add(row)
            s.flush()
            return DroppedTime(row.id or 0, start, end, description, project_id)

    def dropped_between(self, start: float, end: float) -> list[DroppedTime]:
        with self._db.session() as s:
            rows = s.exec(select(DroppedTimeRow).where(DroppedTimeRow.start_ts < end, DroppedTimeRow.end_ts > start)
                          .order_by(col(DroppedTimeRow.start_ts)))
            return [DroppedTime(r.id or 0, r.start_ts, r.end_ts, r.description, r.project_id) for r in rows]

    def delete_dropped(self, dropped_id: int) -> None:
        with self._db.session() as s:
            row = s.get(DroppedTimeRow, dropped_id)
            if row is not None:
                s.delete(row)
