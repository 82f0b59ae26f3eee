"""Classification rules and their match statistics.

Revision ID: 0004_rules
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from app.store.types import UTCDateTime

revision = "0004_rules"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classify_rule",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False, unique=True),
        sa.Column("name", sa.String(collation="NOCASE"), nullable=False, unique=True),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("body", sa.String, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "classify_rule_stat",
        sa.Column("name", sa.String(collation="NOCASE"), primary_key=True),
        sa.Column("last_matched_at", UTCDateTime, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("classify_rule_stat")
    op.drop_table("classify_rule")
