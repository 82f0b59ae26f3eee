"""Automation tables: webhook endpoints, their deliveries (the webhook outbox) with every attempt, and the
scheduled sends of each accounting connection.

An endpoint's secret is not here: it lives in the keyring. A delivery's `body` is the exact JSON signed and sent,
so every retry carries the same bytes under the same `webhook_id`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from app.domain.timefmt import utcnow
from app.store.types import UTCDateTime


class WebhookEndpointRow(SQLModel, table=True):
    """A URL that receives the events it names (JSON list); disabled after failing for a day."""

    __tablename__ = "webhook_endpoint"
    id: int | None = Field(default=None, primary_key=True)
    url: str
    events: str = "[]"
    enabled: bool = True
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """The first failed attempt since the last delivered one; None while it answers."""
    disabled_reason: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class WebhookDeliveryRow(SQLModel, table=True):
    """One event for one endpoint, written in the transaction of the change that caused it, before any request."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'delivered', 'failed')", name="ck_webhook_delivery_state"),
        Index("ix_webhook_delivery_due", "state", "next_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(
        sa_column=Column(Integer, ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    webhook_id: str = Field(unique=True)
    event: str
    body: str
    state: str = "pending"
    """pending until an answer delivers it; failed only for a `webhooks test` that got none (never retried)."""
    attempts: int = 0
    next_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    """When it is due; while an attempt is under way, when that attempt counts as lost (a crashed sender)."""
    last_status: int = 0
    last_error: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttemptRow(SQLModel, table=True):
    """The delivery log: every request made, with the response code (0: no answer) and what went wrong."""

    __tablename__ = "webhook_attempt"
    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(
        sa_column=Column(Integer, ForeignKey("webhook_delivery.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    status: int = 0
    error: str = ""
    duration_ms: int = 0


class ScheduleRow(SQLModel, table=True):
    """Per accounting connection: when approved time is sent by itself, how often payments are checked, when each
    last ran, and the failure the user was last told about (told once, until a run succeeds)."""

    __tablename__ = "sync_schedule"
    __table_args__ = (
        CheckConstraint("send IN ('off', 'approval', 'daily', 'weekly')", name="ck_sync_schedule_send"),
    )
    provider: str = Field(primary_key=True)
    send: str = "off"
    at: str = "18:00"
    """Local time of day, HH:MM, for daily and weekly sends."""
    weekday: int = 4
    """0 = Monday … 6 = Sunday, for weekly sends."""
    payments_minutes: int = 0
    last_send_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_payments_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failure: str = ""
    failure_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
