"""Classification rules in their user-facing order, each kept as its TOML table, and when each last matched."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from app.store.types import UTCDateTime


class RuleRow(SQLModel, table=True):
    """One rule; `body` is the rule as a `[[rule]]` table in the documented TOML format (docs/rules.md)."""

    __tablename__ = "classify_rule"
    id: int | None = Field(default=None, primary_key=True)
    position: int = Field(nullable=False, unique=True)
    name: str = Field(sa_column=Column(String(collation="NOCASE"), nullable=False, unique=True))
    enabled: bool = Field(default=True, nullable=False)
    body: str = Field(nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class RuleStatRow(SQLModel, table=True):
    """When a rule (by name, so statistics survive re-imports) last claimed captured time."""

    __tablename__ = "classify_rule_stat"
    name: str = Field(sa_column=Column(String(collation="NOCASE"), primary_key=True))
    last_matched_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
