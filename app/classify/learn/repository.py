"""The learned model and rejections in the local database, and a fingerprint of everything the model is built
from, so it is rebuilt exactly when entries, rejections or a forgetting changed it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, delete, select

from app.classify.learn.model import Label
from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables.core import EntryRow
from app.store.tables.learned import LearnedModelRow, LearnedRejectionRow

_ROW = 1


class LearnedRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def fingerprint(self) -> str:
        """Changes with every finished entry added, edited or deleted and every rejection or forgetting."""
        with self._db.session() as s:
            entries = s.exec(select(func.count(col(EntryRow.id)), func.max(col(EntryRow.id)),
                                    func.max(col(EntryRow.updated_at)))
                             .where(col(EntryRow.end_utc).is_not(None))).one()
            rejections = s.exec(select(func.count(col(LearnedRejectionRow.id)),
                                       func.max(col(LearnedRejectionRow.id)))).one()
        return f"{tuple(entries)}|{tuple(rejections)}|{self.forgotten_before()}"

    def forgotten_before(self) -> float:
        with self._db.session() as s:
            row = s.get(LearnedModelRow, _ROW)
            return row.forgotten_before if row else 0.0

    def load(self) -> tuple[str, str] | None:
        """The stored (fingerprint, body), or None when there is no model."""
        with self._db.session() as s:
            row = s.get(LearnedModelRow, _ROW)
            return (row.fingerprint, row.body) if row and row.body else None

    def save(self, fingerprint: str, body: str, built_at: datetime) -> None:
        with self._db.session() as s:
            row = s.get(LearnedModelRow, _ROW) or LearnedModelRow(id=_ROW)
            row.fingerprint, row.body, row.built_at = fingerprint, body, built_at
            s.add(row)

    def built_at(self) -> str | None:
        with self._db.session() as s:
            row = s.get(LearnedModelRow, _ROW)
            return row.built_at.isoformat() if row and row.body else None

    def forget(self, now: float) -> None:
        """Drop the model and the rejections; only time after `now` teaches from here on."""
        with self._db.session() as s:
            s.exec(delete(LearnedRejectionRow))
            row = s.get(LearnedModelRow, _ROW) or LearnedModelRow(id=_ROW)
            row.fingerprint, row.body, row.forgotten_before, row.built_at = "", "", now, utcnow()
            s.add(row)

    def reject(self, start: float, end: float, label: Label) -> None:
        client, project, task = label
        with self._db.session() as s:
            s.add(LearnedRejectionRow(start_ts=start, end_ts=end, client=client, project=project, task=task))

    def rejections(self, start: float, end: float) -> list[tuple[float, float, Label, int]]:
        """Rejections overlapping [start, end) with their ids, oldest first."""
        with self._db.session() as s:
            rows = s.exec(select(LearnedRejectionRow).where(col(LearnedRejectionRow.start_ts) < end)
                          .where(col(LearnedRejectionRow.end_ts) > start)
                          .order_by(col(LearnedRejectionRow.start_ts))).all()
        return [(r.start_ts, r.end_ts, (r.client, r.project, r.task), r.id or 0) for r in rows]
