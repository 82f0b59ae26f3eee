"""Renaming and archiving clients, projects and tasks, and the time worked per project (for budget bars).

Archived rows stay in the database (entries and invoices keep pointing at them); pickers leave them out.
"""

from __future__ import annotations

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.domain.catalog import Kind
from app.domain.errors import NotFoundError, StoreError, ValidationError
from app.domain.models import Task
from app.store.db import Database
from app.store.repositories import check_name
from app.store.tables import ClientRow, EntryRow, ProjectRow, TaskRow


def _get(s: Session, kind: Kind, row_id: int) -> ClientRow | ProjectRow | TaskRow | None:
    if kind is Kind.CLIENT:
        return s.get(ClientRow, row_id)
    if kind is Kind.PROJECT:
        return s.get(ProjectRow, row_id)
    return s.get(TaskRow, row_id)


class CatalogRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def rename(self, kind: Kind, row_id: int, name: str) -> str:
        """The stored name; a name another row of the same parent has is refused."""
        name = check_name(str(kind), name)
        try:
            with self._db.session() as s:
                row = _get(s, kind, row_id)
                if row is None:
                    raise NotFoundError(f"There is no {kind} with id {row_id}")
                row.name = name
                s.add(row)
                s.flush()
                return name
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise ValidationError(f"There is already a {kind} named '{name}'") from None
            raise

    def set_archived(self, kind: Kind, row_id: int, archived: bool) -> None:
        """Archiving a client archives its projects too, so no picker offers work for a client that is gone."""
        with self._db.session() as s:
            row = _get(s, kind, row_id)
            if row is None:
                raise NotFoundError(f"There is no {kind} with id {row_id}")
            row.archived = archived
            s.add(row)
            if kind is Kind.CLIENT and archived:
                s.execute(update(ProjectRow).where(col(ProjectRow.client_id) == row_id).values(archived=True))

    def all_tasks(self) -> dict[int, tuple[tuple[Task, bool], ...]]:
        """Every task by project, with whether it is archived."""
        out: dict[int, list[tuple[Task, bool]]] = {}
        with self._db.session() as s:
            for r in s.exec(select(TaskRow).order_by(col(TaskRow.name))):
                out.setdefault(r.project_id, []).append((Task(r.id or 0, r.project_id, r.name), r.archived))
        return {project_id: tuple(tasks) for project_id, tasks in out.items()}

    def worked_seconds(self) -> dict[int, int]:
        """Finished time per project, whatever its status: what a budget is spent on."""
        seconds = func.sum((func.julianday(EntryRow.end_utc) - func.julianday(EntryRow.start_utc)) * 86400)
        with self._db.session() as s:
            rows = s.exec(select(EntryRow.project_id, seconds)
                          .where(col(EntryRow.project_id).is_not(None), col(EntryRow.end_utc).is_not(None))
                          .group_by(col(EntryRow.project_id))).all()
            return {project_id: round(total or 0) for project_id, total in rows if project_id is not None}
