"""Invoices: every local invoice with its client, period, total and where it stands in an accounting system, and
what can be done with it: preview, export for the client, send, refresh, and void/release.

Everything is read and done on the task runner; the page shows the services' sentences, including the refusal to
void an invoice that has payments.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.billing.client_document import Business
from app.billing.export import drafts_csv
from app.billing.invoices import InvoiceDraft
from app.core import Core
from app.domain.money import format_money
from app.domain.periods import Period
from app.sync.invoice_list import NOT_SENT, InvoiceBook, InvoiceListing, invoice_book
from app.sync.lifecycle import VoidResult
from app.ui.events import ACCOUNTS, ENTRIES, INVOICES, ChangeBus, Changed, recorded
from app.ui.invoice_preview import InvoicePreviewDialog
from app.ui.invoices.client_pdf import write_client_pdf
from app.ui.invoices.create_dialog import CreateDialog
from app.ui.invoices.export_dialog import ExportDialog
from app.ui.send_dialog import open_send_dialog
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

T = TypeVar("T")
COLUMNS = ("Invoice", "Client", "Period", "Total", "Status", "Accounting system", "Details")
STATUS_COLOURS = {"paid": "#1e7d32", "part-paid": "#8a5300", "diverged": "#b00020", "void": "#777777"}
EMPTY = ("No invoices yet. Approve time in the review, then create invoices here (Create invoices…) or send a "
         "week to Xero or QuickBooks from the review.")


class InvoicesPage(QWidget):
    loaded = Signal()
    done = Signal(str)
    failed = Signal(str)

    def __init__(self, core: Core, runner: TaskRunner, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Invoices")
        self.core, self._runner, self._bus = core, runner, bus
        self.book: InvoiceBook | None = None
        self.clients: list[str] = []
        self.confirm: Callable[[str, str], bool] = self._ask
        self.dialogs: list[QWidget] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.doubleClicked.connect(lambda _: self.preview())
        self.empty = QLabel(EMPTY)
        self.empty.setWordWrap(True)
        self.empty.hide()  # until the list is read
        self.buttons = {key: QPushButton(text) for key, text in (
            ("create", "&Create invoices…"), ("preview", "&Preview…"), ("export", "&Export…"), ("send", "&Send…"),
            ("refresh", "&Refresh"), ("void", "&Void / release…"))}
        tips = {"refresh": "Rebuild the invoice from its entries with the current rates and settings",
                "void": "Delete it where it is a draft, void it where it is approved and unpaid, then give its "
                        "time back as approved, unbilled work"}
        for key, tip in tips.items():
            self.buttons[key].setToolTip(tip)
        for key, action in (("create", self.create_invoices), ("preview", self.preview), ("export", self.export),
                            ("send", self.send), ("refresh", self.refresh), ("void", self.void)):
            self.buttons[key].clicked.connect(action)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        for key in ("create", "preview", "export", "send", "refresh", "void"):
            row.addWidget(self.buttons[key])
            if key == "create":
                row.addSpacing(16)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.status)
        bus.changed.connect(lambda areas: self.reload() if areas & {INVOICES, ENTRIES, ACCOUNTS} else None)
        self._enable()
        self.reload()

    # Reading

    def reload(self) -> None:
        def read() -> tuple[InvoiceBook, list[str]]:
            return invoice_book(self.core.sync), [c.name for c in self.core.projects.clients() if not c.archived]

        self._runner.read(read, self._loaded, self._failed, owner=self)

    def _loaded(self, result: tuple[InvoiceBook, list[str]]) -> None:
        self.book, self.clients = result
        selected = self.selected()
        self.table.setUpdatesEnabled(False)
        self.table.clearContents()
        self.table.setRowCount(len(self.book.invoices))
        for row, listing in enumerate(self.book.invoices):
            d = listing.draft
            cells = (d.number, d.client_name, f"{d.period_first} – {d.period_last}",
                     format_money(d.total, d.currency), listing.status, listing.where, listing.detail)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 4 and listing.status in STATUS_COLOURS:
                    item.setForeground(QColor(STATUS_COLOURS[listing.status]))
                self.table.setItem(row, column, item)
            if selected is not None and d.number == selected.draft.number:
                self.table.selectRow(row)
        if self.selected() is None and self.book.invoices:
            self.table.selectRow(0)
        self.table.resizeColumnsToContents()  # once, not per cell: a year of invoices stays quick
        self.table.setUpdatesEnabled(True)
        self.empty.setVisible(not self.book.invoices)
        self._enable()
        self.loaded.emit()

    def selected(self) -> InvoiceListing | None:
        rows = self.table.selectionModel().selectedRows()
        if self.book is None or not rows or rows[0].row() >= len(self.book.invoices):
            return None
        return self.book.invoices[rows[0].row()]

    def _enable(self) -> None:
        listing = self.selected()
        for key in ("preview", "export", "send", "refresh", "void"):
            self.buttons[key].setEnabled(listing is not None and listing.status != "void")

    # Actions

    def preview(self) -> None:
        listing = self.selected()
        if listing is not None:
            number = listing.draft.number
            dialog = InvoicePreviewDialog(self._runner, lambda: [self.core.billing.draft(number)], self)
            dialog.setWindowTitle(f"Invoice {number}")
            self._open(dialog)

    def export(self) -> None:
        listing = self.selected()
        if listing is None:
            return
        dialog = ExportDialog(listing.draft.number, listing.draft.client_name, self)
        dialog.accepted.connect(lambda: self.export_to(listing.draft.number, dialog.target(),
                                                       dialog.timesheet.isChecked()))
        self._open(dialog)

    def export_to(self, number: str, path: Path, timesheet: bool = False) -> None:
        """PDF for the client (business details from Preferences) or CSV, chosen by the file's suffix."""
        billing, settings = self.core.billing, self.core.settings

        def write() -> Path:
            draft = billing.draft(number)
            if path.suffix == ".csv":
                path.write_text(drafts_csv([draft]), encoding="utf-8")
                return path
            rows = billing.timesheet(number) if timesheet else None
            return write_client_pdf(path, draft, Business.from_settings(settings.all()), rows)

        self._do(write, lambda written: f"Exported {number} to {written}.")

    def send(self) -> None:
        listing = self.selected()
        if listing is None or self.book is None:
            return
        provider = listing.provider or (self.book.connected[0] if self.book.connected else "xero")
        d = listing.draft
        self.dialogs.append(open_send_dialog(self.core.sync, self._runner, Period(d.period_first, d.period_last),
                                             d.client_name, provider, self))

    def refresh(self) -> None:
        listing = self.selected()
        if listing is not None:
            number = listing.draft.number
            self._do(lambda: self.core.billing.refresh(number),
                     lambda d: f"{d.number} is at revision {d.revision}; total {format_money(d.total, d.currency)}.")

    def void(self) -> None:
        listing = self.selected()
        if listing is None:
            return
        number = listing.draft.number
        where = f" in {listing.where}" if listing.status != NOT_SENT else ""
        question = (f"Void {number}{where}? A draft there is deleted, an approved unpaid invoice is voided, and its "
                    "time becomes approved, unbilled work again. An invoice with payments is not changed.")
        if self.confirm(f"Void {number}", question):
            self._do(lambda: self.core.sync.void_invoice(number), self._voided)

    def create_invoices(self) -> None:
        dialog = CreateDialog(self.clients, self.core.billing.zone(), self)
        dialog.accepted.connect(lambda: self.create_for(dialog.period(), dialog.client(),
                                                        dialog.per_project.isChecked(), dialog.grouping.currentData()))
        self._open(dialog)

    def create_for(self, period: Period, client: str | None, per_project: bool = False,
                   grouping: str | None = None) -> None:
        billing = self.core.billing

        def made(drafts: list[InvoiceDraft]) -> str:
            if not drafts:
                return f"No approved, unbilled time from {period.first} to {period.last}."
            return f"Created {', '.join(d.number for d in drafts)}; their entries are now invoiced."

        self._do(lambda: billing.create(period, client, per_project=per_project, grouping=grouping), made)

    # Plumbing

    def _voided(self, result: VoidResult) -> str | None:
        if not result.ok:
            self._failed_text(result.message)
            return None
        return result.message

    def _do(self, job: Callable[[], T], said: Callable[[T], str | None]) -> None:
        def ok(done: Changed[T]) -> None:
            text = said(done.value)
            self._bus.publish(done.changes)
            if text is not None:
                self.status.setStyleSheet("")
                self.status.setText(text)
                self.done.emit(text)

        self._runner.write(recorded(job), ok, self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self._failed_text(user_message(error))

    def _failed_text(self, text: str) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(text)
        self.failed.emit(text)

    def _open(self, dialog: QWidget) -> None:
        self.dialogs.append(dialog)
        dialog.show()

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes
