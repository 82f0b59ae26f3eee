"""Review tables: the audit trail of approvals, unlocks and later edits, submitted weeks, rejected proposals,
and away time dropped from a timer that the review offers back."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.domain.timefmt import utcnow
from app.store.types import UTCDateTime


class ReviewAuditRow(SQLModel, table=True):
    """Who did what to an entry and when; `before` and `after` are the entry as JSON."""

    __tablename__ = "review_audit"
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(nullable=False, index=True)
    action: str = Field(nullable=False)
    who: str = Field(nullable=False)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    reason: str = Field(default="", nullable=False)
    before: str = Field(default="", nullable=False)
    after: str = Field(default="", nullable=False)


class SubmittedWeekRow(SQLModel, table=True):
    """A week marked ready for billing; `first_day` is its local first day in ISO form."""

    __tablename__ = "review_submitted_week"
    first_day: str = Field(primary_key=True)
    last_day: str = Field(nullable=False)
    who: str = Field(nullable=False)
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class RejectedProposalRow(SQLModel, table=True):
    """A proposal the user turned down: proposals of the same rule mostly inside [start, end) stay hidden."""

    __tablename__ = "review_rejected_proposal"
    id: int | None = Field(default=None, primary_key=True)
    rule: str = Field(nullable=False)
    start_ts: float = Field(nullable=False, index=True)
    end_ts: float = Field(nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class DroppedTimeRow(SQLModel, table=True):
    """Time away from a running timer too long to ask about; the review offers it as a proposal."""

    __tablename__ = "review_dropped_time"
    id: int | None = Field(default=None, primary_key=True)
    start_ts: float = Field(nullable=False, index=True)
    end_ts: float = Field(nullable=False)
    description: str = Field(default="", nullable=False)
    project_id: int | None = Field(default=None, nullable=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
