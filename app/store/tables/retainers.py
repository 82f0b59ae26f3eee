"""Retainers and progress billing: a project's retainer terms, the invoice made for each of its periods, a
project's estimate, and the progress invoices billed against it. Amounts are decimal text."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel


class RetainerRow(SQLModel, table=True):
    __tablename__ = "retainer"
    __table_args__ = (CheckConstraint("every IN ('month', 'week')", name="ck_retainer_every"),)
    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    )
    every: str
    amount: str
    hours_seconds: int
    overage_rate: str
    rollover: bool
    starts: date


class RetainerInvoiceRow(SQLModel, table=True):
    """The draft made for one period of a retainer: the primary key makes a second one for that period impossible."""

    __tablename__ = "retainer_invoice"
    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    )
    period_first: date = Field(primary_key=True)
    draft_id: int = Field(
        sa_column=Column(Integer, ForeignKey("invoice_draft.id", ondelete="CASCADE"), nullable=False, unique=True)
    )


class ProjectEstimateRow(SQLModel, table=True):
    __tablename__ = "project_estimate"
    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    )
    amount: str


class ProgressInvoiceRow(SQLModel, table=True):
    """A progress invoice (`final`: the true-up, after which the project takes no more)."""

    __tablename__ = "progress_invoice"
    draft_id: int = Field(
        sa_column=Column(Integer, ForeignKey("invoice_draft.id", ondelete="CASCADE"), primary_key=True)
    )
    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    amount: str
    final: bool = False
