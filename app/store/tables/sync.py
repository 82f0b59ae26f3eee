"""Sync tables: the outbox of jobs, the audit log of calls, mappings to remote records, cached remote lists,
links from local drafts to remote invoices with their payment status, and flags on entries sync changed.

Nothing here holds a token or a secret; remote ids, codes and amounts (as decimal text) only.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.domain.timefmt import utcnow
from app.store.types import UTCDateTime

JOB_STATES = ("pending", "sent", "confirmed", "failed")


class SyncJobRow(SQLModel, table=True):
    """One document to send, written before its request. `key` is the Idempotency-Key of the document and
    `batch` that of the request carrying it, so a resumed send repeats exactly the same request."""

    __tablename__ = "sync_job"
    __table_args__ = (
        UniqueConstraint("provider", "key", name="uq_sync_job_key"),
        CheckConstraint("state IN ('pending', 'sent', 'confirmed', 'failed')", name="ck_sync_job_state"),
        CheckConstraint("kind IN ('invoice', 'time', 'customer', 'attachment', 'email')", name="ck_sync_job_kind"),
        Index("ix_sync_job_open", "provider", "state"),
        Index("ix_sync_job_ref", "provider", "kind", "local_ref"),
    )
    id: int | None = Field(default=None, primary_key=True)
    provider: str
    kind: str
    local_ref: str
    """The draft uid (invoices), entry id (time) or client id (customers)."""
    label: str = ""
    """What the user calls it: the local invoice number, a client name."""
    revision: int = 0
    key: str
    batch: str = ""
    state: str = "pending"
    attempts: int = 0
    payload: str = "{}"
    """JSON of the document as sent, so a resume sends the very same body."""
    remote_id: str = ""
    remote_number: str = ""
    errors: str = "[]"
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class SyncAuditRow(SQLModel, table=True):
    """Every call made (`kind` 'call') and every divergence noticed ('note'), oldest first."""

    __tablename__ = "sync_audit"
    __table_args__ = (
        CheckConstraint("kind IN ('call', 'note')", name="ck_sync_audit_kind"),
        Index("ix_sync_audit_at", "provider", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    provider: str
    kind: str = "call"
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    method: str = ""
    endpoint: str = ""
    status: int = 0
    duration_ms: int = 0
    idempotency_key: str = ""
    remote_ids: str = "[]"
    transformed: str = ""
    limits: str = "{}"
    error: str = ""


class SyncMappingRow(SQLModel, table=True):
    """A local thing mapped to a remote code. `local_id` is a client (customer, tax rate, account), a project
    (tracking), a task (item) or 0 for the provider-wide default (account)."""

    __tablename__ = "sync_mapping"
    __table_args__ = (
        CheckConstraint("kind IN ('customer', 'account', 'item', 'tax_rate', 'tracking')", name="ck_sync_mapping_kind"),
    )
    provider: str = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    local_id: int = Field(primary_key=True)
    code: str
    name: str = ""
    parent: str = ""
    score: float | None = None
    """The fuzzy score the user confirmed; None when chosen or created by hand, 100 for an exact match."""
    confirmed: bool = False
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class SyncRemoteListRow(SQLModel, table=True):
    """A cached remote list (JSON of options), refreshed on demand."""

    __tablename__ = "sync_remote_list"
    provider: str = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    fetched_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    items: str = "[]"


class SyncInvoiceRow(SQLModel, table=True):
    """A local draft as sent: the remote invoice, which revision went out, and where its payment stands."""

    __tablename__ = "sync_invoice"
    provider: str = Field(primary_key=True)
    draft_uid: str = Field(primary_key=True)
    number: str
    remote_id: str = Field(index=True)
    remote_number: str = ""
    sent_revision: int
    sent_hash: str
    """The content hash that went out; a different hash on the draft is an edit after sending."""
    remote_status: str
    total: str = "0"
    amount_paid: str = "0"
    amount_due: str = "0"
    paid_on: date | None = None
    remote_updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    divergence: str = ""
    """Why the local draft and the remote invoice no longer agree; empty when they do."""
    released: bool = False
    """Voided or deleted remotely: its entries went back to approved."""
    entry_ids: str = "[]"
    """JSON: the entries the remote invoice bills, as sent (or, made inside the accounting system, as found)."""


class SyncEntryFlagRow(SQLModel, table=True):
    """An entry sync changed behind the user's back (released by a voided invoice), shown in review."""

    __tablename__ = "sync_entry_flag"
    entry_id: int = Field(
        sa_column=Column(Integer, ForeignKey("time_entry.id", ondelete="CASCADE"), primary_key=True)
    )
    provider: str
    reason: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class SyncCursorRow(SQLModel, table=True):
    """Per provider and purpose, when it last asked (payments: the If-Modified-Since of the next poll)."""

    __tablename__ = "sync_cursor"
    provider: str = Field(primary_key=True)
    name: str = Field(primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
