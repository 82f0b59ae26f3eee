"""Send to an accounting system in one click: first whether the account can be used (and "Connect…" when it
cannot, so nothing is tried that would fail), what would go (a dry run), then the send with progress and cancel,
then per invoice what happened, with the provider's own words for anything it refused.

Both the dry run and the send run on the task runner's pool (they are mostly network); progress arrives through a
queued signal, and Cancel stops at the next request (what was not sent stays in the outbox for the next sync).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_money
from app.domain.periods import Period
from app.sync.connection import ConnectionStatus
from app.sync.reports import InvoiceOutcome, SendReport
from app.sync.service import SyncService
from app.ui.accounts_page import accounts_dialog
from app.ui.events import ACCOUNTS, ChangeBus
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

COLUMNS = ("Invoice", "Client", "Total", "Result", "Remote", "Details")


class SendDialog(QDialog):
    connection_checked = Signal(object)
    previewed = Signal(object)
    finished_send = Signal(object)
    failed = Signal(str)
    progressed = Signal(int, int)

    def __init__(self, runner: TaskRunner, sync: SyncService, provider: str, period: Period,
                 client: str | None = None, parent: QWidget | None = None, bus: ChangeBus | None = None) -> None:
        super().__init__(parent)
        self._runner, self._sync, self._provider = runner, sync, provider
        self._period, self._client = period, client
        self._bus = bus or ChangeBus()
        self._cancel = threading.Event()
        self.accounts: QDialog | None = None
        title = provider.title() if provider != "quickbooks" else "QuickBooks"
        self._title = title
        self.setWindowTitle(f"Send to {title}: {period.first} – {period.last}" + (f", {client}" if client else ""))
        self.resize(920, 420)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        party = "customer" if provider == "quickbooks" else "contact"
        self.create_contacts = QCheckBox(f"Create a {title} {party} for clients that match none exactly")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel(f"Checking the {title} connection…")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.connect_button = QPushButton(f"Connect {title}…")
        self.send_button = QPushButton(f"Send to {title}")
        self.send_button.setEnabled(False)
        self.cancel_button = QPushButton("Cancel sending")
        for button in (self.connect_button, self.send_button, self.cancel_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.connect_button.setVisible(False)  # after adding: the button box shows what it is given
        self.cancel_button.setVisible(False)
        self.connect_button.clicked.connect(self.connect_account)
        self.send_button.clicked.connect(self.send)
        self.cancel_button.clicked.connect(self.cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        for widget in (self.create_contacts, self.progress):
            layout.addWidget(widget)
        layout.addStretch(0)  # takes the room only while the table is hidden
        layout.addWidget(buttons)
        self.progressed.connect(self._progress)
        self.failed.connect(self._failed)
        self._bus.changed.connect(self._on_changed)
        self.check_connection()

    def check_connection(self) -> None:
        """From the database and the keyring only; the dry run follows once the account can be used."""
        self._runner.read(lambda: self._sync.connection_status(self._provider), self._checked,
                          lambda e: self.failed.emit(user_message(e)), owner=self)

    def _checked(self, status: ConnectionStatus) -> None:
        self.connect_button.setText(f"Reconnect {self._title}…" if status.action == "reconnect"
                                    else f"Connect {self._title}…")
        self.connect_button.setVisible(not status.ready and bool(status.action))
        for widget in (self.table, self.create_contacts):
            widget.setVisible(status.ready)  # nothing to list until the account can be used
        self.connection_checked.emit(status)
        if status.ready:
            self.status.setText("Looking at what would be sent…")
            self.preview()
        else:
            self.send_button.setEnabled(False)
            self.status.setText(status.message)
            self.resize(self.width(), self.sizeHint().height())

    def connect_account(self) -> None:
        """Preferences → Accounts in a window of its own; the connection is checked again once it changed."""
        if self.accounts is None:
            self.accounts = accounts_dialog(self._sync.accounts, self._runner, self._bus, self._title, self)
        self.accounts.show()
        self.accounts.raise_()

    def _on_changed(self, areas: frozenset[str]) -> None:
        if ACCOUNTS in areas:
            self.check_connection()

    def preview(self) -> None:
        self._runner.read(lambda: self._sync.send(self._provider, self._period, self._client, dry_run=True),
                          self._previewed, lambda e: self.failed.emit(user_message(e)), owner=self)

    def _previewed(self, report: SendReport) -> None:
        self._fill(report.outcomes)
        waiting = [o for o in report.outcomes if o.outcome.ok and str(o.outcome).startswith("would")]
        self.send_button.setEnabled(bool(waiting))
        self.status.setText(f"{len(waiting)} invoice(s) will be sent or updated." if waiting
                            else "Nothing to send for this period.")
        self.previewed.emit(report)

    def send(self) -> None:
        self._cancel.clear()
        self.send_button.setEnabled(False)
        self.cancel_button.setVisible(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText("Sending…")
        create = self.create_contacts.isChecked()
        self._runner.read(
            lambda: self._sync.send(self._provider, self._period, self._client, create_contacts=create,
                                    progress=self.progressed.emit, cancelled=self._cancel.is_set),
            self._sent, lambda e: self.failed.emit(user_message(e)), owner=self)

    def cancel(self) -> None:
        self._cancel.set()
        self.status.setText("Cancelling after the request in flight…")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _sent(self, report: SendReport) -> None:
        self.cancel_button.setVisible(False)
        self.progress.setVisible(False)
        self._fill(report.outcomes)
        problems = len(report.failed)
        self.status.setText(report.summary() + (f". {problems} need attention; see Details." if problems else "."))
        self.send_button.setEnabled(problems > 0)
        self.finished_send.emit(report)

    def _failed(self, message: str) -> None:
        self.cancel_button.setVisible(False)
        self.progress.setVisible(False)
        self.status.setText(message)
        self.send_button.setEnabled(not self.connect_button.isVisible())

    def _fill(self, outcomes: list[InvoiceOutcome]) -> None:
        self.table.setRowCount(len(outcomes))
        for row, o in enumerate(outcomes):
            total = format_money(o.total, o.currency) if o.total is not None and o.currency else ""
            details = "\n".join([*o.errors, *o.warnings])
            cells = (o.number, o.client, total, str(o.outcome), o.remote_number or o.remote_id, details)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if not o.outcome.ok:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()


def open_send_dialog(sync: SyncService, runner: TaskRunner, period: Period, client: str | None = None,
                     provider: str = "xero", parent: QWidget | None = None,
                     bus: ChangeBus | None = None) -> SendDialog:
    """What the review window's "Send to Xero" button calls for the selected week (and client)."""
    dialog = SendDialog(runner, sync, provider, period, client, parent, bus)
    dialog.show()
    return dialog
