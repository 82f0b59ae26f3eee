"""Outbox jobs for invoices e-mailed through the accounting system and for the proof of work attached to them, and
the per-client choice to attach that proof.

Revision ID: 0018_delivery
Revises: 0017_expenses
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_delivery"
down_revision = "0017_expenses"
branch_labels = None
depends_on = None

_OLD = "kind IN ('invoice', 'time', 'customer')"
_NEW = "kind IN ('invoice', 'time', 'customer', 'attachment', 'email')"


def upgrade() -> None:
    with op.batch_alter_table("billing_client") as batch:
        batch.add_column(sa.Column("attach_proof", sa.Boolean, nullable=True))
    with op.batch_alter_table("sync_job") as batch:
        batch.drop_constraint("ck_sync_job_kind", type_="check")
        batch.create_check_constraint("ck_sync_job_kind", _NEW)


def downgrade() -> None:
    op.execute("DELETE FROM sync_job WHERE kind IN ('attachment', 'email')")
    with op.batch_alter_table("sync_job") as batch:
        batch.drop_constraint("ck_sync_job_kind", type_="check")
        batch.create_check_constraint("ck_sync_job_kind", _OLD)
    with op.batch_alter_table("billing_client") as batch:
        batch.drop_column("attach_proof")
