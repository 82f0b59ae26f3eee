"""Billing: client and project settings, dated rates, holidays, invoice drafts with lines and entry links.

Revision ID: 0003_billing
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.store.types import UTCDateTime

revision = "0003_billing"
down_revision = "0001"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.AutoString


def upgrade() -> None:
    op.create_table(
        "billing_client",
        sa.Column("client_id", sa.Integer, sa.ForeignKey("client.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("currency", _TEXT, nullable=True),
        sa.Column("rounding", _TEXT, nullable=True),
        sa.Column("minimum_seconds", sa.Integer, nullable=True),
        sa.Column("terms_days", sa.Integer, nullable=True),
        sa.Column("tax", _TEXT, nullable=True),
        sa.Column("amounts_are", _TEXT, nullable=True),
    )
    op.create_table(
        "billing_project",
        sa.Column("project_id", sa.Integer, sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("rounding", _TEXT, nullable=True),
        sa.Column("minimum_seconds", sa.Integer, nullable=True),
        sa.Column("tax", _TEXT, nullable=True),
        sa.Column("fixed_fee", _TEXT, nullable=True),
        sa.Column("budget_seconds", sa.Integer, nullable=True),
        sa.Column("overage_rate", _TEXT, nullable=True),
    )
    op.create_table(
        "billing_rate",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("level", _TEXT, nullable=False),
        sa.Column("target_id", sa.Integer, nullable=True),
        sa.Column("kind", _TEXT, nullable=False),
        sa.Column("amount", _TEXT, nullable=False),
        sa.Column("effective_from", sa.Date, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.CheckConstraint("level IN ('default', 'client', 'project', 'task')", name="ck_billing_rate_level"),
        sa.CheckConstraint("kind IN ('bill', 'cost')", name="ck_billing_rate_kind"),
    )
    op.create_index("ix_billing_rate_target", "billing_rate", ["level", "target_id"])
    op.create_table(
        "billing_holiday",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("name", _TEXT, nullable=False),
    )
    op.create_table(
        "invoice_draft",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", _TEXT, nullable=False, unique=True),
        sa.Column("number", _TEXT, nullable=False, unique=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("content_hash", _TEXT, nullable=False),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("client.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("project.id", ondelete="RESTRICT"), nullable=True),
        sa.Column("currency", _TEXT, nullable=False),
        sa.Column("amounts_are", _TEXT, nullable=False),
        sa.Column("grouping", _TEXT, nullable=False),
        sa.Column("period_first", sa.Date, nullable=False),
        sa.Column("period_last", sa.Date, nullable=False),
        sa.Column("issue_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("subtotal", _TEXT, nullable=False),
        sa.Column("tax_total", _TEXT, nullable=False),
        sa.Column("total", _TEXT, nullable=False),
        sa.Column("cost_total", _TEXT, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_invoice_draft_client_id", "invoice_draft", ["client_id"])
    op.create_table(
        "invoice_line",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("invoice_draft.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", _TEXT, nullable=False),
        sa.Column("description", _TEXT, nullable=False),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("project.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("raw_seconds", sa.Integer, nullable=False),
        sa.Column("billed_seconds", sa.Integer, nullable=False),
        sa.Column("quantity", _TEXT, nullable=False),
        sa.Column("unit_amount", _TEXT, nullable=False),
        sa.Column("rate", _TEXT, nullable=False),
        sa.Column("multiplier", _TEXT, nullable=False),
        sa.Column("amount", _TEXT, nullable=False),
        sa.Column("tax", _TEXT, nullable=False),
        sa.Column("taxes", _TEXT, nullable=False),
        sa.Column("cost", _TEXT, nullable=False),
        sa.UniqueConstraint("draft_id", "position", name="uq_invoice_line_position"),
    )
    op.create_table(
        "invoice_line_entry",
        sa.Column("line_id", sa.Integer, sa.ForeignKey("invoice_line.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("time_entry.id", ondelete="RESTRICT"), primary_key=True),
    )
    op.create_table(
        "invoice_entry",
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("time_entry.id", ondelete="RESTRICT"), primary_key=True),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("invoice_draft.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_invoice_entry_draft_id", "invoice_entry", ["draft_id"])
    op.create_table(
        "invoice_sequence",
        sa.Column("name", _TEXT, primary_key=True),
        sa.Column("next_value", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("invoice_sequence", "invoice_entry", "invoice_line_entry", "invoice_line", "invoice_draft",
                  "billing_holiday", "billing_rate", "billing_project", "billing_client"):
        op.drop_table(table)
