"""Foundation: clients, projects, tasks, time entries, settings, app runs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from app.store.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(collation="NOCASE"), nullable=False, unique=True),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "project",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("client.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("name", sa.String(collation="NOCASE"), nullable=False),
        sa.Column("billable", sa.Boolean, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("client_id", "name", name="uq_project_client_name"),
    )
    op.create_index("ix_project_client_id", "project", ["client_id"])
    op.create_table(
        "task",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("project.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("name", sa.String(collation="NOCASE"), nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_task_project_name"),
    )
    op.create_index("ix_task_project_id", "task", ["project_id"])
    op.create_table(
        "time_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("start_utc", UTCDateTime, nullable=False),
        sa.Column("end_utc", UTCDateTime, nullable=True),
        sa.Column("description", sa.String, nullable=False),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("project.id", ondelete="RESTRICT"), nullable=True),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("task.id", ondelete="RESTRICT"), nullable=True),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("locked", sa.Boolean, nullable=False),
        sa.Column("billable", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.CheckConstraint("source IN ('timer', 'manual', 'capture')", name="ck_entry_source"),
        sa.CheckConstraint("status IN ('draft', 'approved', 'invoiced', 'paid')", name="ck_entry_status"),
        sa.CheckConstraint("end_utc IS NULL OR end_utc >= start_utc", name="ck_entry_order"),
    )
    op.create_index("ix_time_entry_start_utc", "time_entry", ["start_utc"])
    op.create_index("ix_time_entry_project_id", "time_entry", ["project_id"])
    op.create_index(
        "ix_entry_one_running",
        "time_entry",
        [sa.text("(end_utc IS NULL)")],
        unique=True,
        sqlite_where=sa.text("end_utc IS NULL"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.String, nullable=False),
    )
    op.create_table(
        "app_run",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("last_alive_at", UTCDateTime, nullable=False),
        sa.Column("ended_at", UTCDateTime, nullable=True),
        sa.Column("acknowledged", sa.Boolean, nullable=False),
    )
