"""Expenses (the draft billing each, category mappings per accounting system), retainers and progress invoices.

Revision ID: 0017_expenses
Revises: 0013_automation
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.store.types import UTCDateTime

revision = "0017_expenses"
down_revision = "0013_automation"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.AutoString


def upgrade() -> None:
    with op.batch_alter_table("invoice_line") as batch:
        batch.add_column(sa.Column("category", _TEXT, nullable=False, server_default=""))
    op.create_table(
        "expense",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("project.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("category", _TEXT, nullable=False),
        sa.Column("description", _TEXT, nullable=False),
        sa.Column("amount", _TEXT, nullable=False),
        sa.Column("currency", _TEXT, nullable=False),
        sa.Column("tax", _TEXT, nullable=False),
        sa.Column("billable", sa.Boolean, nullable=False),
        sa.Column("markup", _TEXT, nullable=False),
        sa.Column("receipt", _TEXT, nullable=False),
        sa.Column("receipt_name", _TEXT, nullable=False),
        sa.Column("status", _TEXT, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.CheckConstraint("status IN ('draft', 'approved', 'invoiced', 'paid')", name="ck_expense_status"),
    )
    op.create_index("ix_expense_day", "expense", ["day"])
    op.create_index("ix_expense_project_id", "expense", ["project_id"])
    op.create_table(
        "invoice_expense",
        sa.Column("expense_id", sa.Integer, sa.ForeignKey("expense.id", ondelete="RESTRICT"), primary_key=True),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("invoice_draft.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_invoice_expense_draft_id", "invoice_expense", ["draft_id"])
    op.create_table(
        "expense_category_map",
        sa.Column("provider", _TEXT, primary_key=True),
        sa.Column("category", sa.String(collation="NOCASE"), primary_key=True),
        sa.Column("code", _TEXT, nullable=False),
    )

    _retainers()


def _retainers() -> None:
    project = sa.ForeignKey("project.id", ondelete="CASCADE")
    draft = sa.ForeignKey("invoice_draft.id", ondelete="CASCADE")
    op.create_table(
        "retainer",
        sa.Column("project_id", sa.Integer, project, primary_key=True),
        sa.Column("every", _TEXT, nullable=False),
        sa.Column("amount", _TEXT, nullable=False),
        sa.Column("hours_seconds", sa.Integer, nullable=False),
        sa.Column("overage_rate", _TEXT, nullable=False),
        sa.Column("rollover", sa.Boolean, nullable=False),
        sa.Column("starts", sa.Date, nullable=False),
        sa.CheckConstraint("every IN ('month', 'week')", name="ck_retainer_every"),
    )
    op.create_table(
        "retainer_invoice",
        sa.Column("project_id", sa.Integer, sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("period_first", sa.Date, primary_key=True),
        sa.Column("draft_id", sa.Integer, draft, nullable=False, unique=True),
    )
    op.create_table(
        "project_estimate",
        sa.Column("project_id", sa.Integer, sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("amount", _TEXT, nullable=False),
    )
    op.create_table(
        "progress_invoice",
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("invoice_draft.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False),
        sa.Column("amount", _TEXT, nullable=False),
        sa.Column("final", sa.Boolean, nullable=False),
    )
    op.create_index("ix_progress_invoice_project_id", "progress_invoice", ["project_id"])


def downgrade() -> None:
    for table in ("progress_invoice", "project_estimate", "retainer_invoice", "retainer", "expense_category_map",
                  "invoice_expense", "expense"):
        op.drop_table(table)
    with op.batch_alter_table("invoice_line") as batch:
        batch.drop_column("category")
