"""Record one expense: project, day, amount, category, tax, markup, billable or not, and a receipt file.

The dialog only gathers text; the expense service checks it on the write worker and the dialog shows its
sentence, so the GUI refuses exactly what the CLI refuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.models import Project

RECEIPT_FILTER = "Receipts (*.pdf *.png *.jpg *.jpeg *.gif *.webp);;All files (*)"


@dataclass(frozen=True, slots=True)
class ExpenseValues:
    path: str
    day: date
    amount: str
    category: str
    currency: str | None
    tax: str | None
    billable: bool
    markup: str | None
    receipt: Path | None
    description: str


class ExpenseDialog(QDialog):
    submitted = Signal(object)  # ExpenseValues

    def __init__(self, projects: Sequence[Project], categories: Sequence[str], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add expense")
        self.setMinimumWidth(440)
        self.project = QComboBox()
        for project in projects:
            self.project.addItem(project.path, project.path)
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. 42.50")
        self.currency = QLineEdit()
        self.currency.setPlaceholderText("the client's currency")
        self.currency.setMaxLength(3)
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(list(categories))
        self.category.setCurrentText("")
        editor = self.category.lineEdit()
        if editor is not None:
            editor.setPlaceholderText("e.g. Travel")
        self.description = QLineEdit()
        self.tax = QLineEdit()
        self.tax.setPlaceholderText("the project's tax; or GST, GST:5, none")
        self.markup = QLineEdit()
        self.markup.setPlaceholderText("0")
        self.billable = QCheckBox("Billable to the client")
        self.billable.setChecked(True)
        self.receipt: Path | None = None
        self.receipt_label = QLabel("No receipt")
        self.receipt_label.setStyleSheet("color: palette(mid);")
        pick = QPushButton("Choose receipt…")
        pick.clicked.connect(self._choose_receipt)
        self.pick_button = pick
        receipt_row = QHBoxLayout()
        receipt_row.addWidget(self.receipt_label, 1)
        receipt_row.addWidget(pick)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()

        form = QFormLayout()
        form.addRow("Project", self.project)
        form.addRow("Date", self.day)
        form.addRow("Amount", self.amount)
        form.addRow("Currency", self.currency)
        form.addRow("Category", self.category)
        form.addRow("Description", self.description)
        form.addRow("Tax", self.tax)
        form.addRow("Markup %", self.markup)
        form.addRow("", self.billable)
        form.addRow("Receipt", receipt_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        if not projects:
            layout.addWidget(QLabel("Add a project first (Clients & projects, or the timer's project field): "
                                    "every expense belongs to a client's project."))
            buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _choose_receipt(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose a receipt", "", RECEIPT_FILTER)
        if name:
            self.set_receipt(Path(name))

    def set_receipt(self, path: Path) -> None:
        self.receipt = path
        self.receipt_label.setText(path.name)
        self.receipt_label.setToolTip(str(path))

    def values(self) -> ExpenseValues:
        picked = self.day.date()
        return ExpenseValues(
            str(self.project.currentData() or ""), date(picked.year(), picked.month(), picked.day()),
            self.amount.text().strip(), self.category.currentText().strip(),
            self.currency.text().strip().upper() or None, self.tax.text().strip() or None, self.billable.isChecked(),
            self.markup.text().strip() or None, self.receipt, self.description.text().strip())

    def _submit(self) -> None:
        values = self.values()
        if not values.amount or not values.category:
            self.show_error("An expense needs an amount and a category.")
            return
        self.submitted.emit(values)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
