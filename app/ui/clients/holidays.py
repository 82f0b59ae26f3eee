"""Holidays: the days billed at the holiday multiplier (`timetally holidays list|add|remove`), listed, added and
removed through the billing service on the task runner."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.billing.service import BillingService
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message


class HolidaysDialog(QDialog):
    loaded = Signal()

    def __init__(self, billing: BillingService, runner: TaskRunner, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Holidays")
        self.setMinimumWidth(420)
        self._billing, self._runner = billing, runner
        self.list = QListWidget()
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.name = QLineEdit()
        self.name.setPlaceholderText("name, e.g. New Year's Day (optional)")
        add, self.remove_button = QPushButton("&Add"), QPushButton("&Remove selected")
        add.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove_selected)
        self.status = QLabel("Work on these days is billed at the holiday multiplier (Preferences → Billing).")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.day)
        row.addWidget(self.name, 1)
        row.addWidget(add)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.remove_button)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self._runner.read(self._billing.holidays, self._show, self._failed, owner=self)

    def _show(self, holidays: list[tuple[date, str]]) -> None:
        self.list.clear()
        for day, name in holidays:
            item = QListWidgetItem(f"{day:%Y-%m-%d %a}  {name}".rstrip())
            item.setData(Qt.ItemDataRole.UserRole, day)
            self.list.addItem(item)
        if not holidays:
            self.list.addItem("No holidays yet: add the days your clients pay extra for.")
        self.remove_button.setEnabled(bool(holidays))
        self.loaded.emit()

    def add(self) -> None:
        day = self.day.date().toPython()
        name, billing = self.name.text(), self._billing
        if isinstance(day, date):
            self._runner.write(lambda: billing.add_holiday(day, name), lambda _: self._done(f"Added {day}."),
                               self._failed, owner=self)

    def remove_selected(self) -> None:
        days = [d for d in (i.data(Qt.ItemDataRole.UserRole) for i in self.list.selectedItems())
                if isinstance(d, date)]
        billing = self._billing

        def remove() -> None:
            for day in days:
                billing.remove_holiday(day)

        if days:
            self._runner.write(remove, lambda _: self._done(f"Removed {', '.join(map(str, days))}."), self._failed,
                               owner=self)

    def _done(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)
        self.name.clear()
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(user_message(error))
