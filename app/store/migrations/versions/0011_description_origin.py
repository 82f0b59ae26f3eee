"""Where each entry's description came from, so text from window titles reaches no invoice unconfirmed.

Descriptions of entries accepted from captured activity before this revision may be window titles: they start out
unconfirmed ('title'); every other entry's text was typed ('typed').

Revision ID: 0011_description_origin
Revises: 0010_sync_invoice_entries
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011_description_origin"
down_revision = "0010_sync_invoice_entries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: rebuilding the table would lose the expression index that allows one running timer.
    op.add_column("time_entry", sa.Column(
        "description_origin", sqlmodel.AutoString, sa.CheckConstraint(
            "description_origin IN ('typed', 'rule', 'title')", name="ck_entry_description_origin"),
        nullable=False, server_default="typed"))
    op.execute("UPDATE time_entry SET description_origin = 'title' WHERE source = 'capture' AND description != ''")


def downgrade() -> None:
    op.drop_column("time_entry", "description_origin")
