"""Today's entries in the timer window: the list, the day's total and the buttons to fix entries up by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.models import Entry
from app.domain.timefmt import format_duration
from app.ui.banner import set_text

DURATION = 3  # the column that ticks while an entry runs


class TodayList(QWidget):
    """Shows the entries it is given and keeps running durations live from the clock; the window owns the
    buttons' actions, since they open dialogs and run tasks."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self._clock = clock
        self._entries: list[Entry] = []
        heading = QFont(self.font())
        heading.setBold(True)
        heading.setPointSizeF(self.font().pointSizeF() * 1.1)
        self.title = QLabel()
        self.title.setFont(heading)
        self.total = QLabel()
        self.total.setFont(heading)
        self.list = QTreeWidget()
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(["Time", "Description", "Project", "Duration"])
        self.list.headerItem().setTextAlignment(DURATION, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setStyleSheet("QTreeView::item { padding: 4px 2px; }")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        header = self.list.header()
        header.setStretchLastSection(False)
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.empty = QLabel("Nothing tracked yet today. Start the timer, or add an entry by hand.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(mid); padding: 24px;")

        self.add_button = QPushButton("Add entry…")
        self.add_button.setToolTip("Add an entry by hand (Ctrl+N)")
        self.expense_button = QPushButton("Add expense…")
        self.expense_button.setToolTip("Record an expense, with its receipt, for a client's project")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected entry (Del)")

        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.total)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.expense_button)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(title_row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        self.show_entries([])

    def show_entries(self, entries: list[Entry]) -> None:
        """Refill the list, keeping the selected entry selected."""
        selected = self.selected_entry()
        self._entries = entries
        self.list.clear()
        now = self._clock()
        for entry in entries:
            end = "now" if entry.end is None else f"{entry.end.astimezone():%H:%M}"
            item = QTreeWidgetItem([
                f"{entry.start.astimezone():%H:%M} – {end}",
                entry.description or "(no description)",
                " · ".join(filter(None, (entry.project_path or "No project", entry.task_name))),
                format_duration(entry.seconds(now)),
            ])
            item.setTextAlignment(DURATION, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if entry.running:
                font = item.font(0)
                font.setBold(True)
                for column in range(4):
                    item.setFont(column, font)
            item.setToolTip(1, item.text(1))  # the full text where a narrow window elides it
            if entry.locked:
                item.setToolTip(1, f"{item.text(1)}\n{entry.status.capitalize()}: locked against edits")
            self.list.addTopLevelItem(item)
            if selected is not None and entry.id == selected.id:
                item.setSelected(True)
        self.list.setVisible(bool(entries))
        self.empty.setVisible(not entries)
        self.title.setText(f"Today · {date.today():%A %-d %B}")
        self._update_buttons()
        self.tick()

    def tick(self) -> None:
        """The running entry's duration and the day's total, from the clock alone."""
        now = self._clock()
        total = 0
        for index, entry in enumerate(self._entries):
            seconds = entry.seconds(now)
            total += seconds
            if entry.running:
                item = self.list.topLevelItem(index)
                if item is not None and item.text(DURATION) != format_duration(seconds):
                    item.setText(DURATION, format_duration(seconds))
        set_text(self.total, f"{format_duration(total)} total")

    def selected_entry(self) -> Entry | None:
        items = self.list.selectedItems()
        if not items:
            return None
        index = self.list.indexOfTopLevelItem(items[0])
        return self._entries[index] if 0 <= index < len(self._entries) else None

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        editable = entry is not None and not entry.locked
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
