"""QuickBooks: per-client send mode, project jobs and the person time is recorded for.

Revision ID: 0008_quickbooks
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.store.types import UTCDateTime

revision = "0008_quickbooks"
down_revision = "0001"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.AutoString


def upgrade() -> None:
    op.create_table(
        "quickbooks_link",
        sa.Column("kind", _TEXT, primary_key=True),
        sa.Column("local_key", _TEXT, primary_key=True),
        sa.Column("code", _TEXT, nullable=False),
        sa.Column("name", _TEXT, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.CheckConstraint("kind IN ('mode', 'job', 'worker')", name="ck_quickbooks_link_kind"),
    )


def downgrade() -> None:
    op.drop_table("quickbooks_link")
