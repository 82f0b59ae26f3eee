"""Join the areas' schema branches into one head, so the next revision has a single parent.

Revision ID: 0009_one_head
Revises: 0002_capture, 0003_billing, 0004_rules, 0005_accounts, 0006_sync, 0007_review, 0008_quickbooks
"""

revision = "0009_one_head"
down_revision = (
    "0002_capture", "0003_billing", "0004_rules", "0005_accounts", "0006_sync", "0007_review", "0008_quickbooks",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: a merge point only."""
