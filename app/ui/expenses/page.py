"""The Expenses page: a week's expenses with their status, invoice and receipt; add, approve, unlock, delete,
open a receipt, and map categories to the accounting systems' accounts. Every read and write runs on the task
runner; the page only shows results and the services' sentences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from app.billing.expenses_service import ExpenseRecord
from app.core import Core
from app.domain.money import ZERO, format_money
from app.domain.periods import Period, iso_week_label, week_of
from app.ui.automation_page import fill, table
from app.ui.banner import Banner
from app.ui.events import EXPENSES, INVOICES, ChangeBus, Changed, recorded
from app.ui.expenses.dialog import ExpenseDialog
from app.ui.expenses.mapping import CategoryMappingDialog
from app.ui.expenses.opener import open_expense_dialog
from app.ui.expenses.retainers import RetainersDialog
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

HEADERS = ("#", "Date", "Client / project", "Category", "Description", "Amount", "Markup", "Tax", "Billable",
           "Receipt", "Status", "Invoice")


def row(e: ExpenseRecord) -> tuple[object, ...]:
    return (e.expense_id, e.day, f"{e.client_name} / {e.project_name}", e.category, e.description,
            format_money(e.amount, e.currency), f"{e.markup.normalize():f} %" if e.markup else "",
            "none" if e.tax == "none" else e.tax or "project's tax", "yes" if e.billable else "no",
            e.receipt_name or "", e.status, e.invoice)


class ExpensesPage(QWidget):
    def __init__(self, core: Core, runner: TaskRunner, bus: ChangeBus,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self._core, self._runner, self._bus, self._today = core, runner, bus, today
        self._week = week_of(today())
        self._expenses: list[ExpenseRecord] = []
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600;")
        previous, following, current = QPushButton("◀ Previous week"), QPushButton("Next week ▶"), QPushButton(
            "This week")
        previous.clicked.connect(lambda: self._move(-7))
        following.clicked.connect(lambda: self._move(7))
        current.clicked.connect(lambda: self.show_week(week_of(self._today())))
        self.grid = table(HEADERS)
        self.grid.itemSelectionChanged.connect(self._update_buttons)
        self.grid.horizontalHeader().setStretchLastSection(False)
        self.grid.horizontalHeader().setSectionResizeMode(HEADERS.index("Description"), QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel("No expenses this week. Add one with “Add expense…”: a receipt can go with it.")
        self.empty.setStyleSheet("color: palette(mid); padding: 24px;")
        self.total = QLabel()
        self.error = Banner("error", closable=True)
        self.add_button = QPushButton("Add expense…")
        self.add_button.clicked.connect(self.add_expense)
        self.approve_button = QPushButton("Approve week")
        self.approve_button.setToolTip("Approve and lock every draft expense of the week")
        self.approve_button.clicked.connect(self._approve_week)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.clicked.connect(lambda: self._change(self._core.expenses.unlock))
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(lambda: self._change(self._core.expenses.delete))
        self.receipt_button = QPushButton("Open receipt")
        self.receipt_button.clicked.connect(self._open_receipt)
        self.mapping_button = QPushButton("Category accounts…")
        self.mapping_button.setToolTip("Which Xero account or QuickBooks item each category is sent as")
        self.mapping_button.clicked.connect(self._open_mapping)
        self.retainers_button = QPushButton("Retainers && progress…")
        self.retainers_button.setToolTip("Retainer invoices each month or week, progress invoices against an estimate")
        self.retainers_button.clicked.connect(self._open_retainers)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        for button in (previous, current, following):
            head.addWidget(button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.approve_button)
        buttons.addStretch(1)
        for button in (self.receipt_button, self.unlock_button, self.delete_button, self.mapping_button,
                       self.retainers_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 16)
        layout.addLayout(head)
        layout.addWidget(self.error)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.total)
        layout.addLayout(buttons)
        bus.changed.connect(self._on_changed)
        self.mapping: CategoryMappingDialog | None = None
        self.dialog: ExpenseDialog | None = None
        self.retainers: RetainersDialog | None = None
        self.show_week(self._week)

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {EXPENSES, INVOICES}:
            self.refresh()

    def _move(self, days: int) -> None:
        self.show_week(Period(self._week.first + timedelta(days=days), self._week.last + timedelta(days=days)))

    def show_week(self, week: Period) -> None:
        self._week = week
        self.title.setText(f"Expenses · week {iso_week_label(week.first)} ({week.first:%d %b} – {week.last:%d %b})")
        self.refresh()

    def refresh(self) -> None:
        week = self._week
        self._runner.read(lambda: self._core.expenses.in_period(week), self._show, self._failed, owner=self)

    def _show(self, expenses: list[ExpenseRecord]) -> None:
        self._expenses = expenses
        fill(self.grid, [row(e) for e in expenses])
        self.grid.setVisible(bool(expenses))
        self.empty.setVisible(not expenses)
        totals: dict[str, Decimal] = {}
        for e in expenses:
            totals[e.currency] = totals.get(e.currency, ZERO) + e.amount
        self.total.setText("Total: " + ", ".join(format_money(a, c) for c, a in sorted(totals.items()))
                           if expenses else "")
        self._update_buttons()

    def selected(self) -> ExpenseRecord | None:
        rows = {index.row() for index in self.grid.selectedIndexes()}
        return self._expenses[rows.pop()] if len(rows) == 1 and self._expenses else None

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.unlock_button.setEnabled(chosen is not None and chosen.status == "approved")
        self.delete_button.setEnabled(chosen is not None and chosen.status == "draft")
        self.receipt_button.setEnabled(chosen is not None and bool(chosen.receipt))
        self.approve_button.setEnabled(any(e.status == "draft" for e in self._expenses))

    def add_expense(self) -> None:
        open_expense_dialog(self, self._core, self._runner, self._bus, self._today,
                            opened=lambda dialog: setattr(self, "dialog", dialog))

    def _approve_week(self) -> None:
        week, expenses = self._week, self._core.expenses

        def approve() -> object:
            return expenses.approve_period(week)

        self._runner.write(recorded(approve), self._changed, self._failed, owner=self)

    def _change(self, action: Callable[[int], object]) -> None:
        chosen = self.selected()
        if chosen is not None:
            self._runner.write(recorded(lambda: action(chosen.expense_id)), self._changed, self._failed, owner=self)

    def _changed(self, done: Changed[object]) -> None:
        self.error.hide()
        self._bus.publish(done.changes)

    def _failed(self, error: BaseException) -> None:
        self.error.show_messages([user_message(error)])

    def _open_receipt(self) -> None:
        chosen = self.selected()
        if chosen is not None and chosen.receipt:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._core.expenses.receipts_folder / chosen.receipt)))

    def _open_retainers(self) -> None:
        self.retainers = RetainersDialog(self._core, self._runner, self._bus, self._today, self)
        self.retainers.open()

    def _open_mapping(self) -> None:
        self.mapping = CategoryMappingDialog(self._core, self._runner, self)
        self.mapping.open()
