"""Connected accounting systems: what the user may see about a connection. Tokens live in the keyring only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from app.domain.timefmt import utcnow
from app.store.types import UTCDateTime


class AccountRow(SQLModel, table=True):
    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("provider IN ('xero', 'quickbooks')", name="ck_account_provider"),
        CheckConstraint("state IN ('connected', 'reconnect needed')", name="ck_account_state"),
    )
    provider: str = Field(primary_key=True)
    organisation: str = ""
    connected_since: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    scopes: str = ""
    """Space-separated, as granted."""
    state: str = "connected"
