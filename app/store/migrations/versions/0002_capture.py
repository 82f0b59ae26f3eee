"""Captured activity spans and their bookkeeping.

Revision ID: 0002_capture
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_capture"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "capture_span",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("start_ts", sa.Float, nullable=False),
        sa.Column("end_ts", sa.Float, nullable=False),
        sa.Column("app", sa.String, nullable=False),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("exe", sa.String, nullable=False),
        sa.Column("idle", sa.Boolean, nullable=False),
        sa.CheckConstraint("end_ts >= start_ts", name="ck_capture_span_order"),
    )
    op.create_index("ix_capture_span_start_ts", "capture_span", ["start_ts"])
    op.create_table(
        "capture_meta",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("capture_meta")
    op.drop_index("ix_capture_span_start_ts", "capture_span")
    op.drop_table("capture_span")
