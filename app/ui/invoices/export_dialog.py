"""Where and how to export an invoice: PDF for the client (optionally with its timesheet) or CSV, with a file
name suggested in the user's documents folder."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

FORMATS = {"pdf": "PDF for the client (*.pdf)", "csv": "CSV, one row per line (*.csv)"}


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def suggested_name(number: str, client: str, suffix: str) -> str:
    """`Invoice INV-0001 Acme Ltd.pdf`: what a client sees as an attachment; no characters a file system refuses."""
    name = f"Invoice {number} {client}"
    return re.sub(r'[\\/:*?"<>|]+', "-", name).strip() + suffix


class ExportDialog(QDialog):
    def __init__(self, number: str, client: str, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export {number}")
        self.setMinimumWidth(560)
        self.format = QComboBox()
        for key, label in FORMATS.items():
            self.format.addItem(label, key)
        self.timesheet = QCheckBox("Add a timesheet page (days, work, notes and time of each entry)")
        self.path = QLineEdit(str((folder or documents_folder()) / suggested_name(number, client, ".pdf")))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("", self.timesheet)
        form.addRow("Save as", where)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(self._format_changed)

    def kind(self) -> str:
        return str(self.format.currentData())

    def target(self) -> Path:
        return Path(self.path.text().strip()).with_suffix(f".{self.kind()}")

    def _format_changed(self) -> None:
        self.timesheet.setEnabled(self.kind() == "pdf")
        self.path.setText(str(self.target()))

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export invoice", self.path.text(), FORMATS[self.kind()])
        if name:
            self.path.setText(name)
