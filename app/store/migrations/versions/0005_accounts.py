"""Connected accounting systems (status only; tokens are kept in the OS keyring).

Revision ID: 0005_accounts
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from app.store.types import UTCDateTime

revision = "0005_accounts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("provider", sa.String, primary_key=True),
        sa.Column("organisation", sa.String, nullable=False),
        sa.Column("connected_since", UTCDateTime, nullable=False),
        sa.Column("scopes", sa.String, nullable=False),
        sa.Column("state", sa.String, nullable=False),
        sa.CheckConstraint("provider IN ('xero', 'quickbooks')", name="ck_account_provider"),
        sa.CheckConstraint("state IN ('connected', 'reconnect needed')", name="ck_account_state"),
    )


def downgrade() -> None:
    op.drop_table("account")
