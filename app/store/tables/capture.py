"""Captured activity: one row per span of the same window (or idle stretch), written by the watcher."""

from __future__ import annotations

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel


class SpanRow(SQLModel, table=True):
    """Instants are UTC epoch seconds (REAL): the hot path compares and extends them every second."""

    __tablename__ = "capture_span"
    __table_args__ = (CheckConstraint("end_ts >= start_ts", name="ck_capture_span_order"),)
    id: int | None = Field(default=None, primary_key=True)
    start_ts: float = Field(nullable=False, index=True)
    end_ts: float = Field(nullable=False)
    app: str = Field(default="", nullable=False)
    title: str = Field(default="", nullable=False)
    exe: str = Field(default="", nullable=False)
    idle: bool = Field(default=False, nullable=False)


class CaptureMetaRow(SQLModel, table=True):
    """Small numbers the span queries rely on, such as the longest span ever stored (bounds range scans)."""

    __tablename__ = "capture_meta"
    key: str = Field(primary_key=True)
    value: float = Field(nullable=False)
