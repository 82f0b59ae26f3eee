"""Expense tables: recorded expenses, the invoice draft that bills each, and category mappings per provider.

Amounts, markups and the tax spec are stored as text so no binary fraction ever enters them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from app.domain.timefmt import utcnow
from app.store.tables.core import NOCASE
from app.store.types import UTCDateTime


class ExpenseRow(SQLModel, table=True):
    """One expense; `receipt` is the content-hash file name under the data folder's `receipts/`."""

    __tablename__ = "expense"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'approved', 'invoiced', 'paid')", name="ck_expense_status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="RESTRICT"), nullable=False, index=True)
    )
    category: str
    description: str = ""
    amount: str
    currency: str
    tax: str = ""
    billable: bool = True
    markup: str = "0"
    receipt: str = ""
    receipt_name: str = ""
    status: str = "draft"
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class InvoiceExpenseRow(SQLModel, table=True):
    """Which draft bills an expense: the primary key makes billing one expense twice impossible."""

    __tablename__ = "invoice_expense"
    expense_id: int = Field(
        sa_column=Column(Integer, ForeignKey("expense.id", ondelete="RESTRICT"), primary_key=True)
    )
    draft_id: int = Field(
        sa_column=Column(Integer, ForeignKey("invoice_draft.id", ondelete="CASCADE"), nullable=False, index=True)
    )


class ExpenseCategoryMapRow(SQLModel, table=True):
    """A category's account in one accounting system: a Xero account code, a QuickBooks account or item id."""

    __tablename__ = "expense_category_map"
    provider: str = Field(primary_key=True)
    category: str = Field(sa_column=Column(String(collation=NOCASE), primary_key=True))
    code: str
