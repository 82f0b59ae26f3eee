"""What `timetally invoice create` asks, as a form: the period, one client or all, one invoice per client or per
project, and how lines are grouped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QWidget

from app.domain.invoices import Grouping
from app.domain.periods import Period

GROUPING_LABELS = {Grouping.ENTRY: "one line per entry", Grouping.TASK: "one line per task",
                   Grouping.PROJECT: "one line per project", Grouping.PERSON: "one line per person",
                   Grouping.DAY: "one line per day", Grouping.SUMMARY: "one summary line"}


def last_month(today: date) -> Period:
    last = today.replace(day=1) - timedelta(days=1)
    return Period(last.replace(day=1), last)


class CreateDialog(QDialog):
    def __init__(self, clients: Sequence[str], zone: tzinfo, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Create invoices from approved time")
        self.setMinimumWidth(460)
        default = last_month(today or datetime.now(zone).date())
        self.first, self.last = QDateEdit(_qdate(default.first)), QDateEdit(_qdate(default.last))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.client_box = QComboBox()
        self.client_box.addItem("every client", None)
        for name in clients:
            self.client_box.addItem(name, name)
        self.per_project = QCheckBox("one invoice per project (instead of per client)")
        self.grouping = QComboBox()
        self.grouping.addItem("as set in Preferences", None)
        for grouping, label in GROUPING_LABELS.items():
            self.grouping.addItem(label, str(grouping))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Create", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("From", self.first)
        form.addRow("To", self.last)
        form.addRow("Client", self.client_box)
        form.addRow("", self.per_project)
        form.addRow("Lines", self.grouping)
        form.addRow(buttons)

    def period(self) -> Period:
        return Period(self.first.date().toPython(), self.last.date().toPython())  # type: ignore[arg-type]

    def client(self) -> str | None:
        data = self.client_box.currentData()
        return data if isinstance(data, str) else None


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
