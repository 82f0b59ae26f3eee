"""Expense use cases: record, list, approve, unlock and delete expenses, and map their categories to accounts.

Expenses follow the rules of time: a day in a week submitted for billing takes no new expense (with the same
sentence), approved expenses are locked until unlocked, and invoiced or paid ones are released only through their
invoice. Receipts are copied into the data folder (`expenses_receipts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo
from decimal import Decimal
from pathlib import Path

from app.billing.expenses import ExpenseItem
from app.billing.expenses_receipts import store_receipt
from app.billing.service import BillingService
from app.domain.errors import LockedError, ValidationError
from app.domain.money import ZERO, check_currency, parse_amount
from app.domain.periods import Period, check_day
from app.domain.tax import TaxRate, parse_tax
from app.store.expenses_repository import ExpenseRecord as ExpenseRecord  # what the CLI and GUI list
from app.store.expenses_repository import ExpenseRepository, NewExpense
from app.store.repositories import ProjectRepository
from app.timesheet.locks import PeriodLock

MAX_MARKUP = Decimal(1000)
MAX_DESCRIPTION = 1000
PROVIDERS = ("xero", "quickbooks")


class ExpenseService:
    def __init__(self, repo: ExpenseRepository, projects: ProjectRepository, billing: BillingService,
                 lock: PeriodLock, receipts: Path, tz: tzinfo | None = None) -> None:
        self._repo = repo
        self._projects = projects
        self._billing = billing
        self._lock = lock
        self._receipts = receipts
        self._tz = tz

    @property
    def receipts_folder(self) -> Path:
        return self._receipts

    def add(self, path: str, day: date, amount: str, category: str, *, currency: str | None = None,
            tax: str | None = None, billable: bool = True, markup: str | None = None,
            receipt: Path | None = None, description: str = "") -> ExpenseRecord:
        """Check everything, copy the receipt, then store: a refused expense leaves nothing behind."""
        project = self._projects.require(path)
        check_day(day)
        value = parse_amount(amount, "expense amount")
        if value <= ZERO:
            raise ValidationError(f"An expense amount is more than zero, not {amount}")
        percent = parse_amount(markup, "markup") if markup is not None else ZERO
        if percent > MAX_MARKUP:
            raise ValidationError(f"A markup is at most {MAX_MARKUP} %, not {markup}")
        name = _text("category", category)
        book = self._billing.book()
        invoiced_in = check_currency(book.client(project.client_id).currency or book.defaults.currency)
        code = check_currency(currency or invoiced_in)
        if billable and code != invoiced_in:
            raise ValidationError(f"{project.client_name} is invoiced in {invoiced_in}, so a billable expense is "
                                  f"recorded in {invoiced_in} (converted as on your statement); an expense in {code} "
                                  "can be recorded as --non-billable")
        if len(description) > MAX_DESCRIPTION:
            raise ValidationError(f"An expense description is at most {MAX_DESCRIPTION} characters")
        tax_spec = "" if tax is None else str(self._tax(tax, project.client_id, project.id)) or "none"
        self._lock.check_submitted(*Period(day, day).utc_range(self._tz))
        stored = store_receipt(receipt, self._receipts) if receipt is not None else ""
        return self._repo.add(NewExpense(day, project.id, name, description.strip(), value, code, tax_spec,
                                         billable, percent, stored, receipt.name if receipt is not None else ""))

    def _tax(self, text: str, client_id: int, project_id: int) -> TaxRate:
        """`none`, a full spec (`GST:5`), or names picked from the tax that applies to the project (`GST`)."""
        if ":" in text or text.strip().lower() in ("", "none"):
            return parse_tax(text)
        book = self._billing.book()
        applies = book.project(project_id).tax or book.client(client_id).tax or book.defaults.tax
        known = {c.name.casefold(): c for c in applies.components}
        wanted = [n.strip() for n in text.split(",") if n.strip()]
        missing = [n for n in wanted if n.casefold() not in known]
        if missing:
            names = ", ".join(c.name for c in applies.components) or "none"
            raise ValidationError(f"This project's tax has no component {missing[0]} (it has: {names}); give the "
                                  "rate as NAME:PERCENT, e.g. --tax GST:5, or --tax none")
        return TaxRate(tuple(known[n.casefold()] for n in wanted))

    def in_period(self, period: Period) -> list[ExpenseRecord]:
        return self._repo.between(period.first, period.last)

    def get(self, expense_id: int) -> ExpenseRecord:
        return self._repo.get(expense_id)

    def approve(self, expense_ids: Sequence[int]) -> list[int]:
        """Approve and lock draft expenses; approved or billed ones are left as they are."""
        for expense_id in expense_ids:
            self._repo.get(expense_id)
        return self._repo.set_status(expense_ids, "approved", only_from="draft")

    def approve_period(self, period: Period) -> list[int]:
        return self.approve([e.expense_id for e in self.in_period(period) if e.status == "draft"])

    def unlock(self, expense_id: int) -> ExpenseRecord:
        """An approved expense back to a draft; billed ones go back only through their invoice."""
        expense = self._repo.get(expense_id)
        self._refuse_billed(expense)
        if expense.status != "approved":
            raise ValidationError(f"Expense #{expense_id} is not locked.")
        self._lock.check_submitted(*Period(expense.day, expense.day).utc_range(self._tz))
        self._repo.set_status([expense_id], "draft", only_from="approved")
        return self._repo.get(expense_id)

    def delete(self, expense_id: int) -> ExpenseRecord:
        """Only a draft expense goes; its receipt file stays in the data folder."""
        expense = self._repo.get(expense_id)
        self._refuse_billed(expense)
        if expense.status == "approved":
            raise LockedError(f"Expense #{expense_id} is approved and locked. Unlock it first with "
                              f"'timetally expenses unlock {expense_id}'.")
        self._lock.check_submitted(*Period(expense.day, expense.day).utc_range(self._tz))
        return self._repo.delete(expense_id, only_status="draft")

    @staticmethod
    def _refuse_billed(expense: ExpenseRecord) -> None:
        if expense.status == "paid":
            raise LockedError(f"Expense #{expense.expense_id} is paid on {expense.invoice or 'an invoice'} and stays "
                              "locked. If it should not have been billed, raise a credit note in the accounting "
                              "system.")
        if expense.status == "invoiced":
            raise LockedError(f"Expense #{expense.expense_id} is invoiced on {expense.invoice}. Take the invoice back "
                              f"with 'timetally invoice void {expense.invoice}', then change the expense.")

    # Invoicing

    def billable_items(self, period: Period) -> list[ExpenseItem]:
        return [expense_item(e) for e in self._repo.billable(period.first, period.last)]

    def items_of(self, number: str) -> list[ExpenseItem]:
        return [expense_item(e) for e in self._repo.of_draft(number)]

    def receipts_of(self, number: str) -> list[tuple[str, Path]]:
        """(the name the user gave it, the kept file) of each receipt of the expenses a stored draft bills."""
        return [(e.receipt_name or e.receipt, self._receipts / e.receipt) for e in self._repo.of_draft(number)
                if e.receipt]

    # Accounts of categories

    def set_mapping(self, provider: str, category: str, code: str) -> None:
        self._repo.set_mapping(_provider(provider), _text("category", category), _text("account", code))

    def mapping(self, provider: str, accounts: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
        """Every category's account for `provider`: the one set, else the account (code, name) whose name is the
        category's (ignoring case), else none."""
        stored = self._repo.mappings(_provider(provider))
        by_name = {name.casefold(): code for code, name in accounts}
        found = {}
        for category in self._repo.categories():
            code = stored.get(category.casefold()) or by_name.get(category.casefold())
            if code:
                found[category] = code
        return found

    def categories(self) -> list[str]:
        return self._repo.categories()


def _provider(name: str) -> str:
    key = name.strip().lower()
    if key not in PROVIDERS:
        raise ValidationError(f"'{name}' is not an accounting system; use {' or '.join(PROVIDERS)}")
    return key


def expense_item(e: ExpenseRecord) -> ExpenseItem:
    return ExpenseItem(e.expense_id, e.day, e.client_id, e.client_name, e.project_id, e.project_name, e.category,
                       e.description, e.amount, e.currency, e.markup, parse_tax(e.tax) if e.tax else None, e.billable)


def _text(what: str, value: str) -> str:
    text = " ".join(value.split())
    if not text or len(text) > 200:
        raise ValidationError(f"A {what} is 1 to 200 characters, not '{value}'")
    return text
