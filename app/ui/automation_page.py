"""Preferences → Automation: webhook endpoints (add with the secret shown once, send a test, remove), the delivery
log, and each accounting connection's scheduled sends. Every keyring, database and network call runs on the task
runner; the page only shows results."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.automation.endpoints import Delivery, Endpoint
from app.automation.events import EVENTS
from app.automation.schedule import MOST_MINUTES, WEEKDAYS, Schedule
from app.automation.service import AutomationService
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

SEND_CHOICES = (("off", "Off: I send by hand"), ("approval", "As soon as time is approved"),
                ("daily", "Daily at"), ("weekly", "Weekly on"))
TITLES = {"xero": "Xero", "quickbooks": "QuickBooks"}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def table(headers: tuple[str, ...]) -> QTableWidget:
    grid = QTableWidget(0, len(headers))
    grid.setHorizontalHeaderLabels(list(headers))
    grid.verticalHeader().hide()
    grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    grid.horizontalHeader().setStretchLastSection(True)
    return grid


def fill(grid: QTableWidget, rows: list[tuple[Any, ...]]) -> None:
    grid.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            grid.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))


class ScheduleRow:
    """One accounting connection's schedule (when approved time is sent, how often payments are checked), laid
    out on three rows of the section's grid so every connection's fields line up."""

    def __init__(self, provider: str, grid: QGridLayout, first_row: int) -> None:
        self.provider = provider
        self.send = QComboBox()
        for key, text in SEND_CHOICES:
            self.send.addItem(text, key)
        self.day = QComboBox()
        self.day.addItems(DAYS)
        self.at = QTimeEdit()
        self.at.setDisplayFormat("HH:mm")
        self.payments = QSpinBox()
        self.payments.setRange(0, MOST_MINUTES)
        self.payments.setSpecialValueText("never")
        self.payments.setSuffix(" min")
        self.save = QPushButton(f"Save {TITLES.get(provider, provider)}")
        self.status = QLabel()
        self.status.setWordWrap(True)
        grid.addWidget(QLabel(f"<b>{TITLES.get(provider, provider)}</b>: send approved time"), first_row, 0)
        line = QHBoxLayout()
        for widget in (self.send, self.day, self.at):
            line.addWidget(widget)
        line.addStretch(1)
        grid.addLayout(line, first_row, 1)
        grid.addWidget(QLabel("Check payments every"), first_row + 1, 0)
        checks = QHBoxLayout()
        checks.addWidget(self.payments)
        checks.addStretch(1)
        checks.addWidget(self.save)
        grid.addLayout(checks, first_row + 1, 1)
        grid.addWidget(self.status, first_row + 2, 0, 1, 2)
        self.send.currentIndexChanged.connect(self._follow_mode)

    def show_schedule(self, schedule: Schedule) -> None:
        self.send.setCurrentIndex(max(0, self.send.findData(str(schedule.send))))
        self.day.setCurrentIndex(schedule.weekday)
        self.at.setTime(QTime.fromString(schedule.at, "HH:mm"))
        self.payments.setValue(schedule.payments_minutes)
        self.status.setText(f"Last problem: {schedule.failure}" if schedule.failure else schedule.sentence())
        self.status.setStyleSheet("color: #b3261e;" if schedule.failure else "")
        self._follow_mode()

    def values(self) -> dict[str, Any]:
        return {"send": self.send.currentData(), "at": self.at.time().toString("HH:mm"),
                "day": WEEKDAYS[self.day.currentIndex()], "payments_minutes": self.payments.value()}

    def _follow_mode(self) -> None:
        mode = self.send.currentData()
        self.day.setVisible(mode == "weekly")
        self.at.setVisible(mode in ("daily", "weekly"))


class AutomationPage(QWidget):
    """For the Settings dialog: `("Automation", AutomationPage(core.automation, runner))`."""

    def __init__(self, automation: AutomationService, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._automation = automation
        self._runner = runner
        self.endpoints: list[Endpoint] = []

        self.endpoint_table = table(("ID", "Address", "Events", "State"))
        self.endpoint_table.setMinimumHeight(110)
        self.empty = QLabel("No webhook endpoints yet. Add the address of a Zapier Catch Hook, a Make or n8n "
                            "webhook, or your own server; see docs/automation.md for recipes.")
        self.empty.setWordWrap(True)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://hooks.zapier.com/hooks/catch/…")
        self.event_boxes = {name: QCheckBox(name) for name in EVENTS}
        self.add_button = QPushButton("Add endpoint")
        self.test_button = QPushButton("Send test")
        self.remove_button = QPushButton("Remove")
        self.secret = QLineEdit()
        self.secret.setReadOnly(True)
        self.copy_button = QPushButton("Copy secret")
        self.secret_note = QLabel("Shown only now: copy this signing secret into the receiving service. TimeTally "
                                  "keeps its copy in the system keyring.")
        self.secret_note.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.log_table = table(("When", "Endpoint", "Event", "Status", "Code", "Attempts", "Last error"))
        self.log_table.setMinimumHeight(130)
        self.log_empty = QLabel("No deliveries yet. Each event sent to an endpoint appears here with its status, "
                                "response code and attempts.")
        self.log_empty.setWordWrap(True)

        hooks = QGroupBox("Webhook endpoints")
        hooks_layout = QVBoxLayout(hooks)
        hooks_layout.addWidget(self.endpoint_table)
        hooks_layout.addWidget(self.empty)
        row_buttons = QHBoxLayout()
        row_buttons.addStretch(1)
        row_buttons.addWidget(self.test_button)
        row_buttons.addWidget(self.remove_button)
        hooks_layout.addLayout(row_buttons)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("Address:"))
        add_row.addWidget(self.url, 1)
        add_row.addWidget(self.add_button)
        hooks_layout.addLayout(add_row)
        events = QGridLayout()
        for i, box in enumerate(self.event_boxes.values()):
            events.addWidget(box, i // 4, i % 4)
        hooks_layout.addLayout(events)
        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret, 1)
        secret_row.addWidget(self.copy_button)
        hooks_layout.addLayout(secret_row)
        hooks_layout.addWidget(self.secret_note)
        hooks_layout.addWidget(self.message)
        log = QGroupBox("Delivery log")
        log_layout = QVBoxLayout(log)
        log_layout.addWidget(self.log_table)
        log_layout.addWidget(self.log_empty)
        sends = QGroupBox("Scheduled sends (also run by 'timetally sync run-scheduled')")
        sends_layout = QGridLayout(sends)
        self.schedules = {p: ScheduleRow(p, sends_layout, 3 * i) for i, p in enumerate(TITLES)}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hooks)
        layout.addWidget(log)
        layout.addWidget(sends)
        self._show_secret("")

        self.add_button.clicked.connect(self.add)
        self.test_button.clicked.connect(self.test)
        self.remove_button.clicked.connect(self.remove)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.secret.text()))
        self.endpoint_table.itemSelectionChanged.connect(self._follow_selection)
        for row in self.schedules.values():
            row.save.clicked.connect(lambda _=False, r=row: self.save_schedule(r))
        self.refresh()

    # Reading

    def showEvent(self, event: QShowEvent) -> None:
        """The log moves on while the page is hidden: read it again whenever it is shown."""
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        automation = self._automation

        def read() -> tuple[list[Endpoint], list[Delivery], list[Schedule]]:
            return (automation.endpoints.all(), automation.endpoints.deliveries(limit=100),
                    automation.scheduler.schedules())

        self._runner.read(read, self._show, self._failed, owner=self)

    def _show(self, state: tuple[list[Endpoint], list[Delivery], list[Schedule]]) -> None:
        self.endpoints, deliveries, schedules = state
        fill(self.endpoint_table, [(e.id, e.url, ", ".join(e.events),
                                    "enabled" if e.enabled else f"disabled: {e.disabled_reason}")
                                   for e in self.endpoints])
        self.endpoint_table.setVisible(bool(self.endpoints))
        self.empty.setVisible(not self.endpoints)
        fill(self.log_table, [(f"{d.created_at.astimezone():%Y-%m-%d %H:%M:%S}", d.endpoint_id, d.event, d.state,
                               d.last_status or ("no answer" if d.attempts else ""), d.attempts, d.last_error)
                              for d in deliveries])
        self.log_table.setVisible(bool(deliveries))
        self.log_empty.setVisible(not deliveries)
        for schedule in schedules:
            if schedule.provider in self.schedules:
                self.schedules[schedule.provider].show_schedule(schedule)
        self._follow_selection()

    def selected(self) -> Endpoint | None:
        rows = self.endpoint_table.selectionModel().selectedRows()
        return self.endpoints[rows[0].row()] if rows and rows[0].row() < len(self.endpoints) else None

    def _follow_selection(self) -> None:
        chosen = self.selected() is not None
        self.test_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # Changes

    def add(self) -> None:
        url = self.url.text()
        events = tuple(name for name, box in self.event_boxes.items() if box.isChecked())
        if not events:
            self._say("Tick the events this address should receive.", error=True)
            return
        endpoints = self._automation.endpoints
        self._runner.write(lambda: endpoints.add(url, events), self._added, self._failed, owner=self)

    def _added(self, added: tuple[Endpoint, str]) -> None:
        endpoint, secret = added
        self.url.clear()
        self._show_secret(secret)
        self._say(f"Endpoint {endpoint.id} added; send a test to check it receives.")
        self.refresh()

    def test(self) -> None:
        endpoint = self.selected()
        if endpoint is None:
            return
        courier = self._automation.courier
        self._say(f"Sending a signed test event to {endpoint.url}…")
        self._runner.read(lambda: courier.test(endpoint.id), self._tested, self._failed, owner=self)

    def _tested(self, delivery: Any) -> None:
        if delivery.state == "delivered":
            self._say(f"The endpoint answered {delivery.last_status}: the test event arrived.")
        else:
            self._say(f"The test event did not arrive: {delivery.last_error or 'no answer'}.", error=True)
        self.refresh()

    def remove(self) -> None:
        endpoint = self.selected()
        if endpoint is None:
            return
        endpoints = self._automation.endpoints
        self._runner.write(lambda: endpoints.remove(endpoint.id), self._removed, self._failed, owner=self)

    def _removed(self, gone: Endpoint) -> None:
        self._say(f"Endpoint {gone.id} removed.")
        self.refresh()

    def save_schedule(self, row: ScheduleRow) -> None:
        scheduler, values = self._automation.scheduler, row.values()
        self._runner.write(lambda: scheduler.set(row.provider, **values),
                           row.show_schedule,
                           self._failed, owner=self)

    # Messages

    def _show_secret(self, secret: str) -> None:
        self.secret.setText(secret)
        for widget in (self.secret, self.copy_button, self.secret_note):
            widget.setVisible(bool(secret))

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "")

    def _failed(self, error: BaseException) -> None:
        self._say(user_message(error), error=True)
