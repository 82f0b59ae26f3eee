"""Learning on this computer: the model built from the user's assignments and the learned proposals rejected.

Revision ID: 0012_learned
Revises: 0011_description_origin
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.store.types import UTCDateTime

revision = "0012_learned"
down_revision = "0011_description_origin"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.AutoString


def upgrade() -> None:
    op.create_table(
        "learned_model",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", _TEXT, nullable=False),
        sa.Column("forgotten_before", sa.Float, nullable=False),
        sa.Column("built_at", UTCDateTime, nullable=False),
        sa.Column("body", _TEXT, nullable=False),
    )
    op.create_table(
        "learned_rejection",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("start_ts", sa.Float, nullable=False),
        sa.Column("end_ts", sa.Float, nullable=False),
        sa.Column("client", _TEXT, nullable=False),
        sa.Column("project", _TEXT, nullable=False),
        sa.Column("task", _TEXT, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_learned_rejection_start_ts", "learned_rejection", ["start_ts"])


def downgrade() -> None:
    op.drop_table("learned_rejection")
    op.drop_table("learned_model")
