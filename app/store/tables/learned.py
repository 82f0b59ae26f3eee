"""What TimeTally learned on this computer from the user's assignments: the model (one row, rebuilt from entries
whenever they change) and the learned proposals the user rejected. Neither is ever sent anywhere."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.domain.timefmt import utcnow
from app.store.types import UTCDateTime


class LearnedModelRow(SQLModel, table=True):
    """`body` is the model as JSON, built from the entries and rejections `fingerprint` names; only time after
    `forgotten_before` (epoch seconds) teaches, so "Forget what was learned" survives a rebuild."""

    __tablename__ = "learned_model"
    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(default="", nullable=False)
    forgotten_before: float = Field(default=0.0, nullable=False)
    built_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    body: str = Field(default="", nullable=False)


class LearnedRejectionRow(SQLModel, table=True):
    """A learned proposal the user turned down: its windows teach against the project, and the range is no
    longer proposed to it."""

    __tablename__ = "learned_rejection"
    id: int | None = Field(default=None, primary_key=True)
    start_ts: float = Field(nullable=False, index=True)
    end_ts: float = Field(nullable=False)
    client: str = Field(default="", nullable=False)
    project: str = Field(default="", nullable=False)
    task: str = Field(default="", nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
