"""QuickBooks-only links the shared sync tables have no place for: each client's send mode (time or invoice), each
project's job (sub-customer) and the employee or vendor time is recorded for. Remote ids and names only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from app.domain.timefmt import utcnow
from app.store.types import UTCDateTime


class QuickBooksLinkRow(SQLModel, table=True):
    """`kind` mode: client id -> 'time' | 'invoice'; job: project id -> customer id; worker: 'Employee:Name' ->
    employee or vendor id."""

    __tablename__ = "quickbooks_link"
    __table_args__ = (CheckConstraint("kind IN ('mode', 'job', 'worker')", name="ck_quickbooks_link_kind"),)
    kind: str = Field(primary_key=True)
    local_key: str = Field(primary_key=True)
    code: str
    name: str = ""
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
