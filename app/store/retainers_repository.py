"""Retainer and progress billing storage. The link functions run inside the draft's own transaction
(`InvoiceDraftRepository.save_draft(link=...)`), so a period's retainer invoice exists with its draft or not at
all, and a second process making the same one fails on the primary key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, union
from sqlmodel import Session, col, select

from app.store.db import Database
from app.store.tables import ClientRow, ProjectRow
from app.store.tables.billing import InvoiceDraftRow
from app.store.tables.retainers import ProgressInvoiceRow, ProjectEstimateRow, RetainerInvoiceRow, RetainerRow

LinkDraft = Callable[[Session, int], None]
"""Run inside the transaction that stores a new draft, with its id."""


@dataclass(frozen=True, slots=True)
class RetainerRecord:
    project_id: int
    every: str
    amount: Decimal
    hours_seconds: int
    overage_rate: Decimal
    rollover: bool
    starts: date
    client_id: int = 0
    path: str = ""


@dataclass(frozen=True, slots=True)
class ProgressRecord:
    number: str
    amount: Decimal
    final: bool


class RetainersRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def set_retainer(self, r: RetainerRecord) -> None:
        with self._db.session() as s:
            s.merge(RetainerRow(project_id=r.project_id, every=r.every, amount=str(r.amount),
                                hours_seconds=r.hours_seconds, overage_rate=str(r.overage_rate), rollover=r.rollover,
                                starts=r.starts))

    def remove_retainer(self, project_id: int) -> bool:
        with self._db.session() as s:
            row = s.get(RetainerRow, project_id)
            if row is not None:
                s.delete(row)
            return row is not None

    def retainers(self) -> list[RetainerRecord]:
        with self._db.session() as s:
            rows = s.exec(select(RetainerRow, ProjectRow, ClientRow)
                          .join(ProjectRow, col(RetainerRow.project_id) == ProjectRow.id)
                          .join(ClientRow, col(ProjectRow.client_id) == ClientRow.id)
                          .order_by(col(ClientRow.name), col(ProjectRow.name))).all()
            return [RetainerRecord(r.project_id, r.every, Decimal(r.amount), r.hours_seconds, Decimal(r.overage_rate),
                                   r.rollover, r.starts, c.id or 0, f"{c.name}/{p.name}") for r, p, c in rows]

    def invoiced_periods(self, project_id: int) -> dict[date, str]:
        """First day of each period that has its retainer invoice, with the invoice's number."""
        with self._db.session() as s:
            rows = s.exec(select(col(RetainerInvoiceRow.period_first), col(InvoiceDraftRow.number))
                          .join(InvoiceDraftRow, col(InvoiceDraftRow.id) == RetainerInvoiceRow.draft_id)
                          .where(RetainerInvoiceRow.project_id == project_id)).all()
            return {first: number for first, number in rows}

    def set_estimate(self, project_id: int, amount: Decimal) -> None:
        with self._db.session() as s:
            s.merge(ProjectEstimateRow(project_id=project_id, amount=str(amount)))

    def estimate(self, project_id: int) -> Decimal | None:
        with self._db.session() as s:
            row = s.get(ProjectEstimateRow, project_id)
            return Decimal(row.amount) if row else None

    def progress(self, project_id: int) -> list[ProgressRecord]:
        with self._db.session() as s:
            rows = s.exec(select(ProgressInvoiceRow, InvoiceDraftRow.number)
                          .join(InvoiceDraftRow, col(InvoiceDraftRow.id) == ProgressInvoiceRow.draft_id)
                          .where(ProgressInvoiceRow.project_id == project_id)
                          .order_by(col(ProgressInvoiceRow.draft_id))).all()
            return [ProgressRecord(number, Decimal(p.amount), p.final) for p, number in rows]


def link_retainer(project_id: int, period_first: date) -> LinkDraft:
    def link(s: Session, draft_id: int) -> None:
        s.add(RetainerInvoiceRow(project_id=project_id, period_first=period_first, draft_id=draft_id))
    return link


def link_progress(project_id: int, amount: Decimal, final: bool) -> LinkDraft:
    def link(s: Session, draft_id: int) -> None:
        s.add(ProgressInvoiceRow(draft_id=draft_id, project_id=project_id, amount=str(amount), final=final))
    return link


def separately_billed() -> Select[tuple[int]]:
    """Projects whose time is billed by retainer or progress invoices, never by `invoice create`."""
    return union(select(RetainerRow.project_id), select(ProjectEstimateRow.project_id))  # type: ignore[return-value]


def fixed_kind(s: Session, draft_id: int) -> str | None:
    """'retainer' or 'progress' for a draft made by those, whose amounts do not come from its entries."""
    if s.exec(select(RetainerInvoiceRow).where(RetainerInvoiceRow.draft_id == draft_id)).first() is not None:
        return "retainer"
    if s.get(ProgressInvoiceRow, draft_id) is not None:
        return "progress"
    return None
