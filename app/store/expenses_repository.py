"""Expense storage: recorded expenses, their status, the draft that bills each, and category mappings.

Returns plain records with `Decimal` amounts (the store never imports the billing layer). The module functions
run inside the invoice draft transaction, so an expense is marked invoiced with its draft or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from app.domain.errors import NotFoundError, ValidationError
from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables import ClientRow, ProjectRow
from app.store.tables.billing import InvoiceDraftRow
from app.store.tables.expenses import ExpenseCategoryMapRow, ExpenseRow, InvoiceExpenseRow


@dataclass(frozen=True, slots=True)
class NewExpense:
    day: date
    project_id: int
    category: str
    description: str
    amount: Decimal
    currency: str
    tax: str
    billable: bool
    markup: Decimal
    receipt: str = ""
    receipt_name: str = ""


@dataclass(frozen=True, slots=True)
class ExpenseRecord:
    """A stored expense with its client and project; `tax` empty: the project's or client's tax applies."""

    expense_id: int
    day: date
    client_id: int
    client_name: str
    project_id: int
    project_name: str
    category: str
    description: str
    amount: Decimal
    currency: str
    tax: str
    billable: bool
    markup: Decimal
    receipt: str
    receipt_name: str
    status: str
    invoice: str


class ExpenseRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, expense: NewExpense) -> ExpenseRecord:
        with self._db.session() as s:
            row = ExpenseRow(**{**asdict(expense), "amount": str(expense.amount), "markup": str(expense.markup)})
            s.add(row)
            s.flush()
            new_id = row.id or 0
        return self.get(new_id)

    def get(self, expense_id: int) -> ExpenseRecord:
        found = self._select(ExpenseRow.id == expense_id)
        if not found:
            raise NotFoundError(f"There is no expense #{expense_id}; see timetally expenses list")
        return found[0]

    def between(self, first: date, last: date) -> list[ExpenseRecord]:
        """Every expense dated in [first, last], in date order."""
        return self._select(ExpenseRow.day >= first, ExpenseRow.day <= last)

    def billable(self, first: date, last: date) -> list[ExpenseRecord]:
        """Approved expenses dated in [first, last] that no draft bills yet."""
        return self._select(ExpenseRow.day >= first, ExpenseRow.day <= last, ExpenseRow.status == "approved",
                            col(ExpenseRow.id).not_in(select(InvoiceExpenseRow.expense_id)))

    def of_draft(self, number: str) -> list[ExpenseRecord]:
        """The expenses a stored draft bills."""
        drafts = select(InvoiceDraftRow.id).where(InvoiceDraftRow.number == number.strip())
        return self._select(col(ExpenseRow.id).in_(
            select(InvoiceExpenseRow.expense_id).where(col(InvoiceExpenseRow.draft_id).in_(drafts))))

    def set_status(self, expense_ids: Sequence[int], status: str, only_from: str) -> list[int]:
        """Move these expenses from `only_from` to `status` in one transaction; the ids changed."""
        changed = []
        with self._db.session() as s:
            for row in s.exec(select(ExpenseRow).where(col(ExpenseRow.id).in_(list(expense_ids)))).all():
                if row.status == only_from:
                    row.status, row.updated_at = status, utcnow()
                    s.add(row)
                    changed.append(row.id or 0)
        return sorted(changed)

    def delete(self, expense_id: int, only_status: str) -> ExpenseRecord:
        record = self.get(expense_id)
        with self._db.session() as s:
            row = s.get(ExpenseRow, expense_id)
            if row is None or row.status != only_status:
                raise ValidationError(f"Expense #{expense_id} changed meanwhile; list the expenses again")
            s.delete(row)
        return record

    def receipt_in_use(self, name: str) -> bool:
        with self._db.session() as s:
            return s.exec(select(ExpenseRow.id).where(ExpenseRow.receipt == name)).first() is not None

    def _select(self, *conditions: Any) -> list[ExpenseRecord]:
        with self._db.session() as s:
            rows = s.exec(
                select(ExpenseRow, ProjectRow, ClientRow, InvoiceDraftRow.number)
                .join(ProjectRow, col(ExpenseRow.project_id) == ProjectRow.id)
                .join(ClientRow, col(ProjectRow.client_id) == ClientRow.id)
                .join(InvoiceExpenseRow, col(InvoiceExpenseRow.expense_id) == ExpenseRow.id, isouter=True)
                .join(InvoiceDraftRow, col(InvoiceDraftRow.id) == InvoiceExpenseRow.draft_id, isouter=True)
                .where(*conditions)
                .order_by(col(ExpenseRow.day), col(ExpenseRow.id))
            ).all()
            return [ExpenseRecord(e.id or 0, e.day, c.id or 0, c.name, p.id or 0, p.name, e.category, e.description,
                                  Decimal(e.amount), e.currency, e.tax, e.billable and p.billable, Decimal(e.markup),
                                  e.receipt, e.receipt_name, e.status, number or "")
                    for e, p, c, number in rows]

    # Category mappings

    def set_mapping(self, provider: str, category: str, code: str) -> None:
        with self._db.session() as s:
            row = s.get(ExpenseCategoryMapRow, (provider, category)) or ExpenseCategoryMapRow(
                provider=provider, category=category, code=code)
            row.code = code
            s.add(row)

    def mappings(self, provider: str) -> dict[str, str]:
        """Category (folded) to account code for one accounting system."""
        with self._db.session() as s:
            rows = s.exec(select(ExpenseCategoryMapRow).where(ExpenseCategoryMapRow.provider == provider)).all()
            return {r.category.casefold(): r.code for r in rows}

    def categories(self) -> list[str]:
        with self._db.session() as s:
            names = s.exec(select(ExpenseRow.category).distinct()).all()
        return sorted(dict.fromkeys(names), key=str.casefold)


def bill_expenses(s: Session, draft_id: int, expense_ids: Sequence[int]) -> None:
    """Link a draft's expenses to it and mark them invoiced; one no longer approved and unbilled is refused."""
    for expense_id in expense_ids:
        row = s.get(ExpenseRow, expense_id)
        if row is None or row.status != "approved" or s.get(InvoiceExpenseRow, expense_id) is not None:
            raise ValidationError(f"Expense #{expense_id} is not approved and unbilled any more; preview again")
        row.status, row.updated_at = "invoiced", utcnow()
        s.add(row)
        s.add(InvoiceExpenseRow(expense_id=expense_id, draft_id=draft_id))


def release_expenses(s: Session, draft_id: int) -> None:
    """A deleted or rebuilt draft gives its expenses back as approved, unbilled expenses."""
    for link in s.exec(select(InvoiceExpenseRow).where(InvoiceExpenseRow.draft_id == draft_id)).all():
        row = s.get(ExpenseRow, link.expense_id)
        if row is not None and row.status == "invoiced":
            row.status, row.updated_at = "approved", utcnow()
            s.add(row)
        s.delete(link)


def expenses_billed_by(s: Session, draft_id: int) -> tuple[int, ...]:
    return tuple(sorted(s.exec(select(InvoiceExpenseRow.expense_id)
                               .where(InvoiceExpenseRow.draft_id == draft_id)).all()))
