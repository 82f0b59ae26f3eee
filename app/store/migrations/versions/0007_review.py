"""Review: audit of approvals, unlocks and edits; submitted weeks; rejected proposals; dropped away time.

Revision ID: 0007_review
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.store.types import UTCDateTime

revision = "0007_review"
down_revision = "0001"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.AutoString


def upgrade() -> None:
    op.create_table(
        "review_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.Integer, nullable=False),
        sa.Column("action", _TEXT, nullable=False),
        sa.Column("who", _TEXT, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("reason", _TEXT, nullable=False),
        sa.Column("before", _TEXT, nullable=False),
        sa.Column("after", _TEXT, nullable=False),
    )
    op.create_index("ix_review_audit_entry_id", "review_audit", ["entry_id"])
    op.create_table(
        "review_submitted_week",
        sa.Column("first_day", _TEXT, primary_key=True),
        sa.Column("last_day", _TEXT, nullable=False),
        sa.Column("who", _TEXT, nullable=False),
        sa.Column("submitted_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "review_rejected_proposal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("rule", _TEXT, nullable=False),
        sa.Column("start_ts", sa.Float, nullable=False),
        sa.Column("end_ts", sa.Float, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_review_rejected_proposal_start_ts", "review_rejected_proposal", ["start_ts"])
    op.create_table(
        "review_dropped_time",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("start_ts", sa.Float, nullable=False),
        sa.Column("end_ts", sa.Float, nullable=False),
        sa.Column("description", _TEXT, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_review_dropped_time_start_ts", "review_dropped_time", ["start_ts"])


def downgrade() -> None:
    op.drop_table("review_dropped_time")
    op.drop_table("review_rejected_proposal")
    op.drop_table("review_submitted_week")
    op.drop_table("review_audit")
