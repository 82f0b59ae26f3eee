"""Add or edit one time entry: description, project and task, day, start, and an end or a duration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.models import Entry, Project, Task
from app.domain.timefmt import as_utc


@dataclass(frozen=True, slots=True)
class EntryValues:
    start: datetime
    end: datetime | None
    description: str
    project_id: int | None
    task_id: int | None = None


TaskLists = Mapping[int, Sequence[Task]]
"""Each project's tasks, by project id."""


def fill_tasks(combo: QComboBox, tasks: Sequence[Task], selected: int | None) -> None:
    """'No task' and the project's tasks; disabled when it has none, so an empty list never looks broken."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem("No task", None)
    for task in tasks:
        combo.addItem(task.name, task.id)
    combo.setCurrentIndex(max(combo.findData(selected), 0))
    combo.setEnabled(bool(tasks))
    combo.setToolTip("Task: its rate and item code apply" if tasks else "This project has no tasks")
    combo.blockSignals(False)


def project_combo(projects: Sequence[Project], selected: int | None) -> QComboBox:
    combo = QComboBox()
    combo.addItem("No project", None)
    for project in projects:
        combo.addItem(project.path, project.id)
    index = combo.findData(selected)
    combo.setCurrentIndex(max(index, 0))
    return combo


def _minutes(t: QTime) -> int:
    return t.hour() * 60 + t.minute()


class EntryDialog(QDialog):
    """Emits `submitted` and stays open until the caller saved it (`accept()`) or reported an error."""

    submitted = Signal(object)  # EntryValues

    def __init__(
        self,
        projects: Sequence[Project],
        entry: Entry | None = None,
        now: datetime | None = None,
        parent: QWidget | None = None,
        tasks: TaskLists | None = None,
    ) -> None:
        super().__init__(parent)
        self.entry = entry
        self._tasks = tasks or {}
        self.setWindowTitle("Edit time entry" if entry else "Add time entry")
        self.setMinimumWidth(440)
        running = entry is not None and entry.running

        self.description = QLineEdit(entry.description if entry else "")
        self.description.setPlaceholderText("What did you work on?")
        self.project = project_combo(projects, entry.project_id if entry else None)
        self.task = QComboBox()
        self._show_tasks(entry.task_id if entry else None)
        self.project.currentIndexChanged.connect(lambda _: self._show_tasks(self.task.currentData()))
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.start = QTimeEdit()
        self.end = QTimeEdit()
        self.duration = QTimeEdit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        self.duration.setDisplayFormat("H:mm")
        self.duration.setToolTip("Hours and minutes; changing it moves the end")
        self.next_day = QLabel("")
        self.next_day.setObjectName("hint")

        local_now = (now or datetime.now()).astimezone()
        if entry is not None:
            start = entry.start.astimezone()
            end = (entry.end or local_now).astimezone()
        else:
            end = local_now.replace(minute=local_now.minute - local_now.minute % 5, second=0, microsecond=0)
            start = end - timedelta(hours=1)
        self.day.setDate(QDate(start.year, start.month, start.day))
        self.start.setTime(QTime(start.hour, start.minute))
        self.end.setTime(QTime(end.hour, end.minute))
        self._sync_duration()
        self.end.timeChanged.connect(self._sync_duration)
        self.start.timeChanged.connect(self._sync_duration)
        self.duration.timeChanged.connect(self._sync_end)
        if running:
            self.end.setEnabled(False)
            self.duration.setEnabled(False)
            self.next_day.setText("The timer is still running")

        times = QHBoxLayout()
        times.setSpacing(8)
        times.addWidget(self.start)
        times.addWidget(QLabel("to"))
        times.addWidget(self.end)
        times.addSpacing(12)
        duration_label = QLabel("D&uration")
        duration_label.setBuddy(self.duration)
        times.addWidget(duration_label)
        times.addWidget(self.duration)
        times.addStretch(1)
        start_label = QLabel("&Time")
        start_label.setBuddy(self.start)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow("&Description", self.description)
        form.addRow("&Project", self.project)
        form.addRow("Tas&k", self.task)
        form.addRow("D&ay", self.day)
        form.addRow(start_label, times)
        form.addRow("", self.next_day)

        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.description.setFocus()

    def values(self) -> EntryValues:
        d = self.day.date()
        day = date(d.year(), d.month(), d.day())
        start = datetime.combine(day, time(self.start.time().hour(), self.start.time().minute()))
        end: datetime | None = None
        if self.end.isEnabled():
            end = datetime.combine(day, time(self.end.time().hour(), self.end.time().minute()))
            if end < start:
                end += timedelta(days=1)
        return EntryValues(
            start=as_utc(start),
            end=as_utc(end) if end else None,
            description=self.description.text(),
            project_id=self.project.currentData(),
            task_id=self.task.currentData(),
        )

    def _show_tasks(self, selected: int | None) -> None:
        """The chosen project's tasks, keeping the task chosen when it is one of them."""
        fill_tasks(self.task, self._tasks.get(self.project.currentData() or 0, ()), selected)

    def show_error(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(message)
        self.error.show()

    def _submit(self) -> None:
        self.error.hide()
        self.save_button.setEnabled(False)
        self.submitted.emit(self.values())

    def _sync_duration(self) -> None:
        minutes = (_minutes(self.end.time()) - _minutes(self.start.time())) % (24 * 60)
        self.duration.blockSignals(True)
        self.duration.setTime(QTime(minutes // 60, minutes % 60))
        self.duration.blockSignals(False)
        self._show_next_day()

    def _sync_end(self) -> None:
        self.end.blockSignals(True)
        self.end.setTime(self.start.time().addSecs(_minutes(self.duration.time()) * 60))
        self.end.blockSignals(False)
        self._show_next_day()

    def _show_next_day(self) -> None:
        if self.end.isEnabled():
            crosses = _minutes(self.end.time()) < _minutes(self.start.time())
            self.next_day.setText("Ends the next day" if crosses else "")
