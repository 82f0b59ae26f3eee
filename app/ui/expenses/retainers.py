"""Retainers and progress invoices: set or end a project's retainer, make the retainer invoices that are due, set
a project's estimate, bill a percentage of it and the final true-up. What the CLI's `retainers`, `progress` and
`invoice create --retainers` do, on the task runner; the services' sentences are shown as they are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.billing.invoices import InvoiceDraft, hours
from app.billing.retainers_service import RetainerState
from app.core import Core
from app.domain.models import Project
from app.domain.money import format_money
from app.ui.automation_page import fill, table
from app.ui.events import ChangeBus, Changed, recorded
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

T = TypeVar("T")


def _h(seconds: int) -> str:
    return f"{hours(seconds).normalize():f}"


def made(drafts: list[InvoiceDraft]) -> str:
    if not drafts:
        return "Every retainer period that has started is invoiced already."
    return "Stored " + ", ".join(f"{d.number} ({format_money(d.total, d.currency)})" for d in drafts) + "."


class RetainersDialog(QDialog):
    def __init__(self, core: Core, runner: TaskRunner, bus: ChangeBus, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._core, self._runner, self._bus = core, runner, bus
        self.setWindowTitle("Retainers and progress invoices")
        self.setMinimumWidth(760)
        self.grid = table(("Project", "Every", "Amount", "Covers", "Overage rate", "Unused hours", "This period"))
        self.empty = QLabel("No retainers yet. A retainer bills a fixed amount each month or week for a number of "
                            "hours; its project's time is then billed only by its retainer invoices.")
        self.empty.setWordWrap(True)
        self.project = QComboBox()
        self.every = QComboBox()
        self.every.addItems(["month", "week"])
        self.amount, self.hours, self.overage = QLineEdit(), QLineEdit(), QLineEdit()
        self.amount.setPlaceholderText("e.g. 2000")
        self.hours.setPlaceholderText("e.g. 20h")
        self.overage.setPlaceholderText("per hour beyond")
        self.rollover = QCheckBox("Unused hours roll over")
        start = today()
        self.starts = QDateEdit(QDate(start.year, start.month, start.day))
        self.starts.setDisplayFormat("yyyy-MM-dd")
        self.starts.setCalendarPopup(True)
        self.save_button, self.remove_button = QPushButton("Save retainer"), QPushButton("End retainer")
        self.due_button = QPushButton("Make due retainer invoices")
        self.save_button.clicked.connect(self.save_retainer)
        self.remove_button.clicked.connect(lambda: self._run(lambda p: self._core.retainers.remove(p),
                                                             lambda _: "The retainer ended; its invoices stay."))
        self.due_button.clicked.connect(lambda: self._run(lambda _: self._core.retainers.create_due(), made))
        self.estimate, self.percent = QLineEdit(), QLineEdit()
        self.estimate.setPlaceholderText("e.g. 10000")
        self.percent.setPlaceholderText("e.g. 30")
        self.estimate_button, self.bill_button = QPushButton("Set estimate"), QPushButton("Bill progress")
        self.true_up_button = QPushButton("Final true-up")
        self.estimate_button.clicked.connect(lambda: self._run(
            lambda p: self._core.retainers.set_estimate(p, self.estimate.text()), lambda v: f"Estimate set: {v}."))
        self.bill_button.clicked.connect(lambda: self._run(
            lambda p: [self._core.retainers.bill_progress(p, self.percent.text())], made))
        self.true_up_button.clicked.connect(lambda: self._run(lambda p: [self._core.retainers.true_up(p)], made))
        self.message = QLabel()
        self.message.setWordWrap(True)

        retainer = QGroupBox("Retainer of the project")
        form = QGridLayout(retainer)
        for column, (label, widget) in enumerate((("Every", self.every), ("Amount", self.amount),
                                                  ("Covers", self.hours), ("Overage rate", self.overage))):
            form.addWidget(QLabel(label), 0, column)
            form.addWidget(widget, 1, column)
        form.addWidget(QLabel("From"), 0, 4)
        form.addWidget(self.starts, 1, 4)
        form.addWidget(self.rollover, 2, 0, 1, 2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        row.addWidget(self.save_button)
        form.addLayout(row, 2, 2, 1, 3)
        progress = QGroupBox("Progress invoices of the project")
        line = QHBoxLayout(progress)
        for widget in (QLabel("Estimate"), self.estimate, self.estimate_button, QLabel("Percent"), self.percent,
                       self.bill_button, self.true_up_button):
            line.addWidget(widget)
        head = QHBoxLayout()
        head.addWidget(QLabel("Project"))
        head.addWidget(self.project, 1)
        head.addWidget(self.due_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.empty)
        layout.addLayout(head)
        layout.addWidget(retainer)
        layout.addWidget(progress)
        layout.addWidget(self.message)
        runner.read(self._core.projects.projects, self._projects, self._failed, owner=self)
        self.refresh()

    def _projects(self, projects: list[Project]) -> None:
        for project in projects:
            self.project.addItem(project.path, project.path)

    def refresh(self) -> None:
        self._runner.read(self._core.retainers.retainers, self._show, self._failed, owner=self)

    def _show(self, found: list[RetainerState]) -> None:
        fill(self.grid, [(s.record.path, s.record.every, s.record.amount, f"{_h(s.record.hours_seconds)} h",
                          s.record.overage_rate, "roll over" if s.record.rollover else "lapse",
                          f"{_h(s.current.used)} of {_h(s.current.available)} h")
                         for s in found])
        self.grid.setVisible(bool(found))
        self.empty.setVisible(not found)

    def save_retainer(self) -> None:
        picked = self.starts.date()
        starts = date(picked.year(), picked.month(), picked.day())
        self._run(lambda p: self._core.retainers.set(
            p, every=self.every.currentText(), amount=self.amount.text(), hours=self.hours.text(),
            overage_rate=self.overage.text(), rollover=self.rollover.isChecked(), starts=starts),
            lambda r: f"Retainer of {r.path} saved.")

    def _run(self, job: Callable[[str], T], say: Callable[[T], str]) -> None:
        path = str(self.project.currentData() or "")

        def done(finished: Changed[T]) -> None:
            self.message.setText(say(finished.value))
            self._bus.publish(finished.changes)
            self.refresh()

        self._runner.write(recorded(lambda: job(path)), done, self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(user_message(error))
