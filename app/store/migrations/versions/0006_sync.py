"""Sync: outbox jobs, the audit log, mappings, cached remote lists, sent invoices with payment status, entry flags.

Revision ID: 0006_sync
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.store.types import UTCDateTime

revision = "0006_sync"
down_revision = "0001"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.AutoString


def upgrade() -> None:
    op.create_table(
        "sync_job",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("provider", _TEXT, nullable=False),
        sa.Column("kind", _TEXT, nullable=False),
        sa.Column("local_ref", _TEXT, nullable=False),
        sa.Column("label", _TEXT, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("key", _TEXT, nullable=False),
        sa.Column("batch", _TEXT, nullable=False),
        sa.Column("state", _TEXT, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("payload", _TEXT, nullable=False),
        sa.Column("remote_id", _TEXT, nullable=False),
        sa.Column("remote_number", _TEXT, nullable=False),
        sa.Column("errors", _TEXT, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("provider", "key", name="uq_sync_job_key"),
        sa.CheckConstraint("state IN ('pending', 'sent', 'confirmed', 'failed')", name="ck_sync_job_state"),
        sa.CheckConstraint("kind IN ('invoice', 'time', 'customer')", name="ck_sync_job_kind"),
    )
    op.create_index("ix_sync_job_open", "sync_job", ["provider", "state"])
    op.create_index("ix_sync_job_ref", "sync_job", ["provider", "kind", "local_ref"])
    op.create_table(
        "sync_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("provider", _TEXT, nullable=False),
        sa.Column("kind", _TEXT, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("method", _TEXT, nullable=False),
        sa.Column("endpoint", _TEXT, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("idempotency_key", _TEXT, nullable=False),
        sa.Column("remote_ids", _TEXT, nullable=False),
        sa.Column("transformed", _TEXT, nullable=False),
        sa.Column("limits", _TEXT, nullable=False),
        sa.Column("error", _TEXT, nullable=False),
        sa.CheckConstraint("kind IN ('call', 'note')", name="ck_sync_audit_kind"),
    )
    op.create_index("ix_sync_audit_at", "sync_audit", ["provider", "at"])
    op.create_table(
        "sync_mapping",
        sa.Column("provider", _TEXT, primary_key=True),
        sa.Column("kind", _TEXT, primary_key=True),
        sa.Column("local_id", sa.Integer, primary_key=True),
        sa.Column("code", _TEXT, nullable=False),
        sa.Column("name", _TEXT, nullable=False),
        sa.Column("parent", _TEXT, nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("confirmed", sa.Boolean, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.CheckConstraint("kind IN ('customer', 'account', 'item', 'tax_rate', 'tracking')",
                           name="ck_sync_mapping_kind"),
    )
    op.create_table(
        "sync_remote_list",
        sa.Column("provider", _TEXT, primary_key=True),
        sa.Column("kind", _TEXT, primary_key=True),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.Column("items", _TEXT, nullable=False),
    )
    op.create_table(
        "sync_invoice",
        sa.Column("provider", _TEXT, primary_key=True),
        sa.Column("draft_uid", _TEXT, primary_key=True),
        sa.Column("number", _TEXT, nullable=False),
        sa.Column("remote_id", _TEXT, nullable=False),
        sa.Column("remote_number", _TEXT, nullable=False),
        sa.Column("sent_revision", sa.Integer, nullable=False),
        sa.Column("sent_hash", _TEXT, nullable=False),
        sa.Column("remote_status", _TEXT, nullable=False),
        sa.Column("total", _TEXT, nullable=False),
        sa.Column("amount_paid", _TEXT, nullable=False),
        sa.Column("amount_due", _TEXT, nullable=False),
        sa.Column("paid_on", sa.Date, nullable=True),
        sa.Column("remote_updated_at", UTCDateTime, nullable=True),
        sa.Column("sent_at", UTCDateTime, nullable=False),
        sa.Column("checked_at", UTCDateTime, nullable=True),
        sa.Column("divergence", _TEXT, nullable=False),
        sa.Column("released", sa.Boolean, nullable=False),
    )
    op.create_index("ix_sync_invoice_remote_id", "sync_invoice", ["remote_id"])
    op.create_table(
        "sync_entry_flag",
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("time_entry.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("provider", _TEXT, nullable=False),
        sa.Column("reason", _TEXT, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "sync_cursor",
        sa.Column("provider", _TEXT, primary_key=True),
        sa.Column("name", _TEXT, primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("sync_cursor", "sync_entry_flag", "sync_invoice", "sync_remote_list", "sync_mapping",
                  "sync_audit", "sync_job"):
        op.drop_table(table)
