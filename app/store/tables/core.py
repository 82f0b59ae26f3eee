"""SQLModel tables. Migrations in `migrations/versions` create them; a test checks the two agree."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.domain.timefmt import utcnow
from app.store.types import UTCDateTime

NOCASE = "NOCASE"


class ClientRow(SQLModel, table=True):
    __tablename__ = "client"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(collation=NOCASE), nullable=False, unique=True))
    archived: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class ProjectRow(SQLModel, table=True):
    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("client_id", "name", name="uq_project_client_name"),)
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="RESTRICT"), nullable=False, index=True)
    )
    name: str = Field(sa_column=Column(String(collation=NOCASE), nullable=False))
    billable: bool = True
    archived: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class TaskRow(SQLModel, table=True):
    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("project_id", "name", name="uq_task_project_name"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="RESTRICT"), nullable=False, index=True)
    )
    name: str = Field(sa_column=Column(String(collation=NOCASE), nullable=False))
    archived: bool = False


class EntryRow(SQLModel, table=True):
    __tablename__ = "time_entry"
    __table_args__ = (
        CheckConstraint("source IN ('timer', 'manual', 'capture')", name="ck_entry_source"),
        CheckConstraint("status IN ('draft', 'approved', 'invoiced', 'paid')", name="ck_entry_status"),
        CheckConstraint("description_origin IN ('typed', 'rule', 'title')", name="ck_entry_description_origin"),
        CheckConstraint("end_utc IS NULL OR end_utc >= start_utc", name="ck_entry_order"),
        # At most one running timer, enforced by the database itself so two processes cannot both start one.
        Index("ix_entry_one_running", text("(end_utc IS NULL)"), unique=True, sqlite_where=text("end_utc IS NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    start_utc: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    end_utc: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    description: str = ""
    project_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="RESTRICT"), nullable=True, index=True),
    )
    task_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("task.id", ondelete="RESTRICT"), nullable=True)
    )
    source: str = "manual"
    status: str = "draft"
    locked: bool = False
    billable: bool = True
    description_origin: str = Field(default="typed", sa_column_kwargs={"server_default": "typed"})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str = Field(nullable=False)  # JSON text


class AppRunRow(SQLModel, table=True):
    """One row per long-running process (GUI or headless capture): how an unclean exit is recognised."""

    __tablename__ = "app_run"
    id: int | None = Field(default=None, primary_key=True)
    pid: int
    kind: str = "gui"
    started_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    last_alive_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    acknowledged: bool = False
