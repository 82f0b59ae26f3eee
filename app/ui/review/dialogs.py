"""Small dialogs of the review: a cell's entries, a split time, the rule offered after a range is assigned."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.models import DescriptionOrigin, Entry, EntryStatus
from app.domain.timefmt import as_utc, format_duration, utcnow
from app.timesheet.review import Assignment
from app.timesheet.week import WeekReview
from app.ui.entry_dialog import EntryDialog
from app.ui.review.state import ReviewModel


def ask_time(parent: QWidget, title: str, start: datetime, end: datetime) -> datetime | None:
    """A time strictly inside [start, end) on the start's local day, or None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    local_start, local_end = start.astimezone(), end.astimezone()
    edit = QTimeEdit(QTime(local_start.hour, local_start.minute).addSecs(int((end - start).total_seconds() // 2)))
    edit.setDisplayFormat("HH:mm")
    form = QFormLayout(dialog)
    form.addRow(QLabel(f"Between {local_start:%H:%M} and {local_end:%H:%M}"))
    form.addRow("Split &at", edit)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return as_utc(datetime.combine(local_start.date(), time(edit.time().hour(), edit.time().minute())))


def rule_offer(parent: QWidget, result: Assignment) -> QMessageBox:
    """The question whether to keep the suggested rule; "Create rule" has the accept role."""
    suggestion, preview = result.suggestion, result.preview
    assert suggestion is not None
    box = QMessageBox(parent)
    box.setWindowTitle("Create a rule for time like this?")
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(f'Time whose window title contains “{suggestion.token}” could go to '
                f"{result.entry.project_path} automatically.")
    if preview is not None:
        samples = "\n".join(f"• {t}" for t, _ in preview.samples[:3])
        box.setInformativeText(f"Over the last 4 weeks it would match {format_duration(int(preview.matched_seconds))}"
                               f" of activity, for example:\n{samples}")
    box.addButton("Create &rule", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Not now", QMessageBox.ButtonRole.RejectRole)
    return box


class CellEntriesDialog(QDialog):
    """The entries of one grid cell: edit, split, delete, approve or unlock them. Follows reloads of the week."""

    COLUMNS = ("Time", "Description", "Project", "Status")

    def __init__(self, model: ReviewModel, label: str, day: date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.label = label
        self.day = day
        self.entries: list[Entry] = []
        self.setWindowTitle(f"{label} — {day:%A %d %B}" if day else label)
        self.resize(680, 300)
        heading = QLabel(f"<b>{label}</b> · {day:%A %d %B}" if day else f"<b>{label}</b> · the whole week")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #8a5300;")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(self.edit)
        self.table.itemSelectionChanged.connect(self._offer_confirm)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, slot in (("&Edit…", self.edit), ("&Split…", self.split), ("&Delete", self.delete),
                           ("A&pprove", self.approve), ("&Unlock…", self.unlock), ("Confirm &text", self.confirm)):
            button = QPushButton(name)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[name.replace("&", "").rstrip("…")] = button
        row.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table)
        layout.addWidget(self.notes)
        layout.addLayout(row)
        model.loaded.connect(self.show_review)
        if model.review is not None:
            self.show_review(model.review)

    def show_review(self, review: WeekReview) -> None:
        row = next((r for r in review.grid.rows if r.label == self.label), None)
        ids: set[int] = set()
        if row is not None:
            days = review.grid.days
            ids = {i for d, cell in zip(days, row.entry_ids, strict=True) if self.day in (None, d) for i in cell}
        self.entries = [e for e in review.entries if e.id in ids]
        self.table.setRowCount(len(self.entries))
        for n, entry in enumerate(self.entries):
            end = "running" if entry.end is None else f"{entry.end.astimezone():%H:%M}"
            cells = (f"{entry.start.astimezone():%a %H:%M}–{end}", entry.description or "(no description)",
                     entry.project_path or "No project",
                     str(entry.status).capitalize() + (" · locked" if entry.locked else ""))
            for column, text in enumerate(cells):
                self.table.setItem(n, column, QTableWidgetItem(text))
        notes = [f.message for f in review.flags if set(f.entry_ids) & ids and f.code not in ("over-limit",)]
        self.notes.setText("\n".join(f"⚠ {n}" for n in dict.fromkeys(notes)))
        self.notes.setVisible(bool(notes))
        if self.entries and not self.table.selectedItems():
            self.table.selectRow(0)
        self._offer_confirm()

    def _titled(self) -> list[int]:
        """Selected entries whose description came from window titles and awaits the user's word."""
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.entries[r].id for r in rows if r < len(self.entries)
                and self.entries[r].description and self.entries[r].description_origin is DescriptionOrigin.TITLE]

    def _offer_confirm(self) -> None:
        button = self.buttons["Confirm text"]
        button.setVisible(any(e.description_origin is DescriptionOrigin.TITLE and e.description for e in self.entries))
        button.setEnabled(bool(self._titled()))
        button.setToolTip("Let this description, taken from window titles, appear on invoices")

    def confirm(self) -> None:
        ids = self._titled()
        if ids:
            self.model.confirm_descriptions(ids)

    def current(self) -> Entry | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.entries[min(rows)] if rows and min(rows) < len(self.entries) else None

    def edit(self) -> None:
        entry = self.current()
        if entry is None:
            return
        if entry.locked:
            QMessageBox.information(self, "Locked", f"This entry is {entry.status}. Unlock it first (with a reason).")
            return
        review = self.model.review
        dialog = EntryDialog(review.projects if review else (), entry, utcnow(), self, review.tasks if review else None)
        dialog.submitted.connect(lambda values: (self.model.edit_entry(entry.id, values), dialog.accept()))
        dialog.open()

    def split(self) -> None:
        entry = self.current()
        if entry is not None and entry.end is not None:
            at = ask_time(self, "Split entry", entry.start, entry.end)
            if at is not None:
                self.model.split_entry(entry.id, at)

    def delete(self) -> None:
        entry = self.current()
        if entry is not None:
            self.model.delete_entry(entry.id)

    def approve(self) -> None:
        ids = [self.entries[r].id for r in sorted({i.row() for i in self.table.selectedIndexes()})]
        if ids:
            self.model.approve(ids)

    def unlock(self) -> None:
        entry = self.current()
        if entry is None or entry.status is not EntryStatus.APPROVED:
            return
        reason, ok = QInputDialog.getText(self, "Unlock entry", "Why does this approved entry need to change?\n"
                                          "The reason is kept in the audit trail.")
        if ok and reason.strip():
            self.model.unlock(entry.id, reason)
