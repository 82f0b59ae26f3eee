"""Invoice preview: the drafts a period would make, line by line, with raw and billed time; PDF and CSV export.

Drafts are built on a worker through the task runner; the dialog only shows them and writes exports.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, Qt, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.billing.export import draft_html, drafts_csv, short_entry_text, title, totals_text
from app.billing.service import BillingService
from app.domain.invoices import InvoiceDraft
from app.domain.money import format_money
from app.domain.periods import Period
from app.domain.timefmt import format_duration
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

COLUMNS = ("Description", "Raw time", "Billed time", "Qty (h)", "Unit price", "Multiplier", "Amount", "Tax")
"""Time in h:mm; the quantity in decimal hours, as the accounting system receives it."""


class InvoicePreviewDialog(QDialog):
    loaded = Signal()
    failed = Signal(str)
    exported = Signal(str)

    def __init__(self, runner: TaskRunner, load: Callable[[], list[InvoiceDraft]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Invoice preview")
        self.resize(900, 480)
        self._runner = runner
        self._load = load
        self.drafts: list[InvoiceDraft] = []
        self.picker = QComboBox()
        self.picker.currentIndexChanged.connect(self._show)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.subtotals = QLabel()
        self.totals = QLabel()
        self.flags = QLabel()
        self.flags.setWordWrap(True)
        self.flags.setStyleSheet("color: #8a5300;")
        self.flags.hide()
        self.status = QLabel("Loading…")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.pdf_button = QPushButton("Export PDF…")
        self.csv_button = QPushButton("Export CSV…")
        for button in (self.pdf_button, self.csv_button):
            button.setEnabled(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button.clicked.connect(lambda: self._ask_path("PDF (*.pdf)", ".pdf", self.export_pdf))
        self.csv_button.clicked.connect(lambda: self._ask_path("CSV (*.csv)", ".csv", self.export_csv))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.picker, self.table, self.subtotals, self.totals, self.flags, self.status, buttons):
            layout.addWidget(widget)
        self.failed.connect(self.status.setText)
        self.reload()

    def reload(self) -> None:
        self.status.setText("Loading…")
        self._runner.read(self._load, self._loaded, lambda error: self.failed.emit(user_message(error)))

    def _loaded(self, drafts: list[InvoiceDraft]) -> None:
        self.drafts = drafts
        self.picker.blockSignals(True)
        self.picker.clear()
        self.picker.addItems([title(d) for d in drafts])
        self.picker.blockSignals(False)
        self.status.setText("" if drafts else "No approved, unbilled time in this period.")
        for button in (self.pdf_button, self.csv_button):
            button.setEnabled(bool(drafts))
        self._show(0)
        self.loaded.emit()

    def _show(self, index: int) -> None:
        self.table.setRowCount(0)
        if not 0 <= index < len(self.drafts):
            self.totals.setText("")
            self.subtotals.setText("")
            self.flags.hide()
            return
        draft = self.drafts[index]
        self.table.setRowCount(len(draft.lines))
        for row, line in enumerate(draft.lines):
            cells = (line.description, format_duration(line.raw_seconds), format_duration(line.billed_seconds),
                     line.quantity,
                     line.unit_amount, f"×{line.multiplier.normalize():f}", format_money(line.amount, draft.currency),
                     format_money(line.tax, draft.currency))
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.subtotals.setText("   ".join(f"{s.project_name}: {format_money(s.amount, draft.currency)}"
                                          for s in draft.project_subtotals))
        raw, billed = format_duration(draft.raw_seconds), format_duration(draft.billed_seconds)
        self.totals.setText(f"Raw {raw}, billed {billed}.  {totals_text(draft)}")
        self.flags.setText("\n".join(f"⚠ {short_entry_text(entry)}" for entry in draft.short_entries))
        self.flags.setVisible(bool(draft.short_entries))

    def current(self) -> InvoiceDraft | None:
        index = self.picker.currentIndex()
        return self.drafts[index] if 0 <= index < len(self.drafts) else None

    def _ask_path(self, file_filter: str, suffix: str, export: Callable[[Path], None]) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export invoice", "", file_filter)
        if name:
            export(Path(name).with_suffix(suffix))

    def export_pdf(self, path: Path) -> None:
        """Qt lays the page out here, on the GUI thread; QTextDocument belongs to it."""
        draft = self.current()
        if draft is None:
            return
        writer = QPdfWriter(str(path))
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
        writer.setTitle(title(draft))
        document = QTextDocument()
        document.setHtml(draft_html(draft))
        document.print_(writer)
        del writer  # finishes the file
        self.exported.emit(str(path))

    def export_csv(self, path: Path) -> None:
        """Every draft of the preview, one row per line; the file is written on a worker."""
        text = drafts_csv(self.drafts)
        self._runner.write(lambda: path.write_text(text, encoding="utf-8"),
                           lambda _: self.exported.emit(str(path)),
                           lambda error: self.failed.emit(user_message(error)))


def open_invoice_preview(billing: BillingService, runner: TaskRunner, period: Period,
                         parent: QWidget | None = None) -> InvoicePreviewDialog:
    """What the review window calls for its "Invoice preview…" action."""
    dialog = InvoicePreviewDialog(runner, lambda: billing.preview(period), parent)
    dialog.setWindowTitle(f"Invoice preview {period.first} – {period.last}")
    dialog.show()
    return dialog
