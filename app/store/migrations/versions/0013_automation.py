"""Automation: webhook endpoints, their deliveries and attempts, and scheduled sends per accounting connection.

Revision ID: 0013_automation
Revises: 0012_learned
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.store.types import UTCDateTime

revision = "0013_automation"
down_revision = "0012_learned"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.AutoString


def upgrade() -> None:
    op.create_table(
        "webhook_endpoint",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", _TEXT, nullable=False),
        sa.Column("events", _TEXT, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("failing_since", UTCDateTime, nullable=True),
        sa.Column("disabled_reason", _TEXT, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("endpoint_id", sa.Integer, sa.ForeignKey("webhook_endpoint.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("webhook_id", _TEXT, nullable=False, unique=True),
        sa.Column("event", _TEXT, nullable=False),
        sa.Column("body", _TEXT, nullable=False),
        sa.Column("state", _TEXT, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_at", UTCDateTime, nullable=False),
        sa.Column("last_status", sa.Integer, nullable=False),
        sa.Column("last_error", _TEXT, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("delivered_at", UTCDateTime, nullable=True),
        sa.CheckConstraint("state IN ('pending', 'delivered', 'failed')", name="ck_webhook_delivery_state"),
    )
    op.create_index("ix_webhook_delivery_endpoint_id", "webhook_delivery", ["endpoint_id"])
    op.create_index("ix_webhook_delivery_due", "webhook_delivery", ["state", "next_at"])
    op.create_table(
        "webhook_attempt",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("delivery_id", sa.Integer, sa.ForeignKey("webhook_delivery.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("error", _TEXT, nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False),
    )
    op.create_index("ix_webhook_attempt_delivery_id", "webhook_attempt", ["delivery_id"])
    op.create_table(
        "sync_schedule",
        sa.Column("provider", _TEXT, primary_key=True),
        sa.Column("send", _TEXT, nullable=False),
        sa.Column("at", _TEXT, nullable=False),
        sa.Column("weekday", sa.Integer, nullable=False),
        sa.Column("payments_minutes", sa.Integer, nullable=False),
        sa.Column("last_send_at", UTCDateTime, nullable=True),
        sa.Column("last_payments_at", UTCDateTime, nullable=True),
        sa.Column("failure", _TEXT, nullable=False),
        sa.Column("failure_at", UTCDateTime, nullable=True),
        sa.CheckConstraint("send IN ('off', 'approval', 'daily', 'weekly')", name="ck_sync_schedule_send"),
    )


def downgrade() -> None:
    for table in ("sync_schedule", "webhook_attempt", "webhook_delivery", "webhook_endpoint"):
        op.drop_table(table)
