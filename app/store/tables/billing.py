"""Billing tables: settings per client and project, dated rates, holidays, and stored invoice drafts.

Amounts are stored as decimal text so no binary fraction ever enters them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.domain.timefmt import utcnow
from app.store.types import UTCDateTime


class ClientBillingRow(SQLModel, table=True):
    __tablename__ = "billing_client"
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), primary_key=True)
    )
    currency: str | None = None
    rounding: str | None = None
    minimum_seconds: int | None = None
    terms_days: int | None = None
    tax: str | None = None
    amounts_are: str | None = None
    attach_proof: bool | None = None
    """Whether sent invoices carry the timesheet PDF and expense receipts as attachments (None: no)."""


class ProjectBillingRow(SQLModel, table=True):
    __tablename__ = "billing_project"
    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    )
    rounding: str | None = None
    minimum_seconds: int | None = None
    tax: str | None = None
    fixed_fee: str | None = None
    budget_seconds: int | None = None
    overage_rate: str | None = None


class RateRow(SQLModel, table=True):
    """A rate of one level (default, client, project, task) in force from `effective_from` (NULL: always)."""

    __tablename__ = "billing_rate"
    __table_args__ = (
        CheckConstraint("level IN ('default', 'client', 'project', 'task')", name="ck_billing_rate_level"),
        CheckConstraint("kind IN ('bill', 'cost')", name="ck_billing_rate_kind"),
        Index("ix_billing_rate_target", "level", "target_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    level: str
    target_id: int | None = None
    kind: str
    amount: str
    effective_from: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class HolidayRow(SQLModel, table=True):
    __tablename__ = "billing_holiday"
    day: date = Field(primary_key=True)
    name: str = ""


class InvoiceDraftRow(SQLModel, table=True):
    """A stored draft: `uid` never changes, `revision` grows whenever its content (hash) changes."""

    __tablename__ = "invoice_draft"
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True)
    number: str = Field(unique=True)
    revision: int = 1
    content_hash: str
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="RESTRICT"), nullable=False, index=True)
    )
    project_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("project.id", ondelete="RESTRICT"), nullable=True)
    )
    currency: str
    amounts_are: str
    grouping: str
    period_first: date
    period_last: date
    issue_date: date
    due_date: date
    subtotal: str
    tax_total: str
    total: str
    cost_total: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class InvoiceLineRow(SQLModel, table=True):
    __tablename__ = "invoice_line"
    __table_args__ = (UniqueConstraint("draft_id", "position", name="uq_invoice_line_position"),)
    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(
        sa_column=Column(Integer, ForeignKey("invoice_draft.id", ondelete="CASCADE"), nullable=False)
    )
    position: int
    kind: str
    description: str
    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="RESTRICT"), nullable=False)
    )
    raw_seconds: int
    billed_seconds: int
    quantity: str
    unit_amount: str
    rate: str
    multiplier: str
    amount: str
    tax: str
    taxes: str  # JSON: [[name, amount], ...]
    cost: str
    category: str = Field(default="", sa_column_kwargs={"server_default": ""})


class InvoiceLineEntryRow(SQLModel, table=True):
    __tablename__ = "invoice_line_entry"
    line_id: int = Field(
        sa_column=Column(Integer, ForeignKey("invoice_line.id", ondelete="CASCADE"), primary_key=True)
    )
    entry_id: int = Field(
        sa_column=Column(Integer, ForeignKey("time_entry.id", ondelete="RESTRICT"), primary_key=True)
    )


class InvoiceEntryRow(SQLModel, table=True):
    """Which draft bills an entry: the primary key makes billing one entry twice impossible."""

    __tablename__ = "invoice_entry"
    entry_id: int = Field(
        sa_column=Column(Integer, ForeignKey("time_entry.id", ondelete="RESTRICT"), primary_key=True)
    )
    draft_id: int = Field(
        sa_column=Column(Integer, ForeignKey("invoice_draft.id", ondelete="CASCADE"), nullable=False, index=True)
    )


class InvoiceSequenceRow(SQLModel, table=True):
    __tablename__ = "invoice_sequence"
    name: str = Field(primary_key=True)
    next_value: int = 1
