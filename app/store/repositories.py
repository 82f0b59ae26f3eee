"""Repositories: the only way services read and write rows. They return domain values, never rows."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from app.domain.errors import NotFoundError, StoreError, ValidationError
from app.domain.models import (
    Client,
    DescriptionOrigin,
    Entry,
    EntrySource,
    EntryStatus,
    NewEntry,
    Project,
    Task,
    split_project_path,
)
from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables import AppRunRow, ClientRow, EntryRow, ProjectRow, SettingRow, TaskRow
from app.store.work import unit_of_work


def check_name(kind: str, name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(f"A {kind} needs a name")
    if len(name) > 200:
        raise ValidationError(f"A {kind} name can hold at most 200 characters; this one has {len(name)}")
    return name


class ProjectRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def clients(self) -> list[Client]:
        with self._db.session() as s:
            rows = s.exec(select(ClientRow).order_by(col(ClientRow.name))).all()
            return [Client(r.id or 0, r.name, r.archived) for r in rows]

    def ensure_client(self, name: str) -> Client:
        name = check_name("client", name)
        with self._db.session() as s:
            row = s.exec(select(ClientRow).where(ClientRow.name == name)).first()
            if row is None:
                row = ClientRow(name=name)
                s.add(row)
                s.flush()
            return Client(row.id or 0, row.name, row.archived)

    def add_project(self, path: str, billable: bool = True) -> Project:
        """Create `CLIENT/PROJECT`, creating the client too when it is new (both or neither). An existing project
        is an error."""
        client_name, project_name = split_project_path(path)
        project_name = check_name("project", project_name)
        with unit_of_work():
            client = self.ensure_client(client_name)
            try:
                with self._db.session() as s:
                    row = ProjectRow(client_id=client.id, name=project_name, billable=billable)
                    s.add(row)
                    s.flush()
                    return Project(row.id or 0, client.id, client.name, row.name, row.billable, row.archived)
            except StoreError as exc:
                if isinstance(exc.__cause__, IntegrityError):
                    raise ValidationError(f"The project '{client.name}/{project_name}' already exists") from None
                raise

    def projects(self, include_archived: bool = False) -> list[Project]:
        with self._db.session() as s:
            query = select(ProjectRow, ClientRow).join(ClientRow, col(ProjectRow.client_id) == ClientRow.id)
            if not include_archived:
                query = query.where(col(ProjectRow.archived).is_(False))
            rows = s.exec(query.order_by(col(ClientRow.name), col(ProjectRow.name))).all()
            return [_project(p, c) for p, c in rows]

    def get(self, project_id: int) -> Project:
        with self._db.session() as s:
            row = s.exec(
                select(ProjectRow, ClientRow)
                .join(ClientRow, col(ProjectRow.client_id) == ClientRow.id)
                .where(ProjectRow.id == project_id)
            ).first()
            if row is None:
                raise NotFoundError(f"There is no project with id {project_id}")
            return _project(*row)

    def find(self, path: str) -> Project | None:
        client_name, project_name = split_project_path(path)
        with self._db.session() as s:
            row = s.exec(
                select(ProjectRow, ClientRow)
                .join(ClientRow, col(ProjectRow.client_id) == ClientRow.id)
                .where(ClientRow.name == " ".join(client_name.split()))
                .where(ProjectRow.name == " ".join(project_name.split()))
            ).first()
            return _project(*row) if row else None

    def require(self, path: str) -> Project:
        """The project named `CLIENT/PROJECT`, or an error that says how to create it."""
        project = self.find(path)
        if project is None:
            raise NotFoundError(
                f"There is no project '{path}'. Create it with: timetally projects add '{path}'"
            )
        return project

    def ensure_task(self, project_id: int, name: str) -> Task:
        name = check_name("task", name)
        with self._db.session() as s:
            row = s.exec(select(TaskRow).where(TaskRow.project_id == project_id, TaskRow.name == name)).first()
            if row is None:
                row = TaskRow(project_id=project_id, name=name)
                s.add(row)
                s.flush()
            return Task(row.id or 0, row.project_id, row.name)

    def tasks(self, project_id: int) -> list[Task]:
        with self._db.session() as s:
            rows = s.exec(select(TaskRow).where(TaskRow.project_id == project_id).order_by(col(TaskRow.name)))
            return [Task(r.id or 0, r.project_id, r.name) for r in rows]

    def tasks_by_project(self) -> dict[int, tuple[Task, ...]]:
        """Every task that is not archived, by project, in one read (for pickers)."""
        out: dict[int, list[Task]] = {}
        with self._db.session() as s:
            for r in s.exec(select(TaskRow).where(col(TaskRow.archived).is_(False)).order_by(col(TaskRow.name))):
                out.setdefault(r.project_id, []).append(Task(r.id or 0, r.project_id, r.name))
        return {project_id: tuple(tasks) for project_id, tasks in out.items()}

    def task(self, task_id: int) -> Task:
        with self._db.session() as s:
            row = s.get(TaskRow, task_id)
            if row is None:
                raise NotFoundError(f"There is no task with id {task_id}")
            return Task(row.id or 0, row.project_id, row.name)

    def require_task(self, project: Project, name: str) -> Task:
        """The task `name` of `project`, or an error that lists its tasks and says how to add one."""
        wanted = " ".join(name.split())
        tasks = self.tasks(project.id)
        found = next((t for t in tasks if t.name.casefold() == wanted.casefold()), None)
        if found is not None:
            return found
        known = f" (its tasks: {', '.join(t.name for t in tasks)})" if tasks else " (it has no tasks yet)"
        raise NotFoundError(f"There is no task '{wanted}' in {project.path}{known}. "
                            f"Add it with: timetally projects set '{project.path}' --task '{wanted}'")


def _project(p: ProjectRow, c: ClientRow) -> Project:
    return Project(p.id or 0, p.client_id, c.name, p.name, p.billable, p.archived)


_ENTRY_FIELDS = {"start", "end", "description", "description_origin", "project_id", "task_id", "billable", "status",
                 "locked"}
_COLUMN = {"start": "start_utc", "end": "end_utc"}


class EntryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _query(self) -> Any:
        return (
            select(EntryRow, ProjectRow, ClientRow, TaskRow)
            .join(ProjectRow, col(EntryRow.project_id) == ProjectRow.id, isouter=True)
            .join(ClientRow, col(ProjectRow.client_id) == ClientRow.id, isouter=True)
            .join(TaskRow, col(EntryRow.task_id) == TaskRow.id, isouter=True)
        )

    def get(self, entry_id: int) -> Entry:
        with self._db.session() as s:
            row = s.exec(self._query().where(EntryRow.id == entry_id)).first()
            if row is None:
                raise NotFoundError(f"There is no time entry with id {entry_id}")
            return _entry(*row)

    def running(self) -> Entry | None:
        with self._db.session() as s:
            row = s.exec(self._query().where(col(EntryRow.end_utc).is_(None))).first()
            return _entry(*row) if row else None

    def add(self, new: NewEntry) -> Entry:
        with self._db.session() as s:
            row = _new_row(new)
            s.add(row)
            s.flush()
            entry_id = row.id or 0
        return self.get(entry_id)

    def start_timer(self, new: NewEntry, stop_running_at: datetime) -> tuple[Entry, Entry | None]:
        """Stop the running timer (if any) and start `new`, in one transaction."""
        stopped_id = None
        try:
            with self._db.session() as s:
                current = s.exec(select(EntryRow).where(col(EntryRow.end_utc).is_(None))).first()
                if current is not None:
                    current.end_utc = max(stop_running_at, current.start_utc)
                    current.updated_at = utcnow()
                    s.add(current)
                    s.flush()
                    stopped_id = current.id
                row = _new_row(new)
                s.add(row)
                s.flush()
                started_id = row.id or 0
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise ValidationError("Another timer was started at the same moment; try again") from None
            raise
        return self.get(started_id), (self.get(stopped_id) if stopped_id else None)

    def update(self, entry_id: int, **changes: Any) -> Entry:
        unknown = set(changes) - _ENTRY_FIELDS
        if unknown:
            raise ValueError(f"unknown entry fields: {sorted(unknown)}")
        with self._db.session() as s:
            row = s.get(EntryRow, entry_id)
            if row is None:
                raise NotFoundError(f"There is no time entry with id {entry_id}")
            for key, value in changes.items():
                setattr(row, _COLUMN.get(key, key), str(value) if key in ("status", "description_origin") else value)
            row.updated_at = utcnow()
            s.add(row)
        return self.get(entry_id)

    def delete(self, entry_id: int) -> None:
        with self._db.session() as s:
            row = s.get(EntryRow, entry_id)
            if row is None:
                raise NotFoundError(f"There is no time entry with id {entry_id}")
            s.delete(row)

    def between(self, start: datetime, end: datetime) -> list[Entry]:
        """Entries that overlap [start, end), oldest first; a running timer overlaps up to now."""
        with self._db.session() as s:
            rows = s.exec(
                self._query()
                .where(EntryRow.start_utc < end)
                .where(or_(col(EntryRow.end_utc).is_(None), col(EntryRow.end_utc) > start))
                .order_by(col(EntryRow.start_utc))
            ).all()
            return [_entry(*r) for r in rows]

    def overlapping(self, start: datetime, end: datetime, exclude: int | None = None) -> list[Entry]:
        return [e for e in self.between(start, end) if e.id != exclude]

    def recent(self, limit: int = 5) -> list[Entry]:
        """The latest finished entry of each distinct (description, project), newest first."""
        with self._db.session() as s:
            latest = (
                select(func.max(EntryRow.id))
                .where(col(EntryRow.end_utc).is_not(None))
                .group_by(col(EntryRow.description), col(EntryRow.project_id))
            )
            rows = s.exec(
                self._query().where(col(EntryRow.id).in_(latest)).order_by(col(EntryRow.start_utc).desc()).limit(limit)
            ).all()
            return [_entry(*r) for r in rows]

    def last_finished(self) -> Entry | None:
        with self._db.session() as s:
            row = s.exec(
                self._query().where(col(EntryRow.end_utc).is_not(None)).order_by(col(EntryRow.end_utc).desc())
            ).first()
            return _entry(*row) if row else None


def _new_row(new: NewEntry) -> EntryRow:
    return EntryRow(
        start_utc=new.start,
        end_utc=new.end,
        description=new.description,
        project_id=new.project_id,
        task_id=new.task_id,
        source=str(new.source),
        billable=new.billable,
        description_origin=str(new.description_origin),
    )


def _entry(e: EntryRow, p: ProjectRow | None, c: ClientRow | None, t: TaskRow | None) -> Entry:
    return Entry(
        id=e.id or 0,
        start=e.start_utc,
        end=e.end_utc,
        description=e.description,
        project_id=e.project_id,
        project_path=f"{c.name}/{p.name}" if p and c else None,
        task_id=e.task_id,
        source=EntrySource(e.source),
        status=EntryStatus(e.status),
        locked=e.locked,
        billable=e.billable,
        task_name=t.name if t else "",
        description_origin=DescriptionOrigin(e.description_origin),
    )


class SettingsRepository:
    """Backend of `app.settings.Settings`: JSON values by key."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def read_settings(self) -> dict[str, Any]:
        with self._db.session() as s:
            return {r.key: json.loads(r.value) for r in s.exec(select(SettingRow))}

    def write_setting(self, key: str, value: Any) -> None:
        with self._db.session() as s:
            s.merge(SettingRow(key=key, value=json.dumps(value)))


class RunRepository:
    """Records each long-running process so the next start can tell a crash from a clean exit."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def begin(self, pid: int, kind: str, now: datetime) -> int:
        with self._db.session() as s:
            row = AppRunRow(pid=pid, kind=kind, started_at=now, last_alive_at=now)
            s.add(row)
            s.flush()
            return row.id or 0

    def touch(self, run_id: int, now: datetime) -> None:
        with self._db.session() as s:
            row = s.get(AppRunRow, run_id)
            if row is not None:
                row.last_alive_at = now
                s.add(row)

    def end(self, run_id: int, now: datetime) -> None:
        with self._db.session() as s:
            row = s.get(AppRunRow, run_id)
            if row is not None:
                row.last_alive_at = now
                row.ended_at = now
                s.add(row)

    def unfinished(self) -> Sequence[AppRunRow]:
        """Runs that never recorded their end and were not yet dealt with: alive now, or crashed."""
        with self._db.session() as s:
            return s.exec(
                select(AppRunRow)
                .where(col(AppRunRow.ended_at).is_(None), col(AppRunRow.acknowledged).is_(False))
                .order_by(col(AppRunRow.last_alive_at).desc())
            ).all()

    def acknowledge(self, run_ids: Sequence[int]) -> None:
        with self._db.session() as s:
            for run_id in run_ids:
                row = s.get(AppRunRow, run_id)
                if row is not None:
                    row.acknowledged = True
                    s.add(row)


class ChangeProbe:
    """Notices commits made by other connections, such as the CLI in another process.

    SQLite's `data_version` changes only for commits by *other* connections, so the probe keeps one
    connection of its own. Call `changed()` from one thread at a time.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None

    def changed(self) -> bool:
        """True when someone else committed since the previous call (False on the first call)."""
        if self._conn is None:
            self._conn = sqlite3.connect(self._db.path, check_same_thread=False, timeout=5)
        version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        previous, self._version = self._version, version
        return previous is not None and version != previous

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
