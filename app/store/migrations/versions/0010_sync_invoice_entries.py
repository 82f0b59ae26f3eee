"""Sync: each sent invoice keeps the entries it bills, so an invoice made inside the accounting system (no local
draft) can be followed to paid or void, and the send guard knows what every remote invoice holds.

Revision ID: 0010_sync_invoice_entries
Revises: 0009_one_head
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010_sync_invoice_entries"
down_revision = "0009_one_head"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_invoice") as batch:
        batch.add_column(sa.Column("entry_ids", sqlmodel.AutoString, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("sync_invoice") as batch:
        batch.drop_column("entry_ids")
