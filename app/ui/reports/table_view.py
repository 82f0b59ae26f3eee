"""One report table as a read-only grid: numbers right-aligned, hours in h:mm (the exports keep decimal hours for
spreadsheets), totals in bold and last; a table without totals sorts by a column when its header is clicked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.domain.timefmt import format_duration
from app.reports.tables import Cell, Table, text


class _Item(QTableWidgetItem):
    """Sorts by the cell's value (numbers as numbers, dates as dates), not by its text."""

    def __init__(self, cell: Cell, hours: bool = False) -> None:
        shown = format_duration(round(cell * 3600)) if hours and isinstance(cell, Decimal) else text(cell)
        super().__init__(shown)
        self.key: tuple[int, Decimal | str] = _key(cell)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _Item):
            return self.key < other.key
        return super().__lt__(other)


def _key(cell: Cell) -> tuple[int, Decimal | str]:
    if isinstance(cell, int | Decimal):
        return 0, Decimal(cell)
    if isinstance(cell, date):
        return 1, cell.isoformat()
    return 2 if cell not in (None, "") else 3, text(cell).casefold()


SLICE_ROWS = 8
"""Rows set between two turns of the event loop."""
SIZED_ROWS = 200
"""Columns are as wide as their widest cell among this many rows (and the last total)."""


class ReportTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        # Sized to the contents once per fill: kept to its contents, every cell set and every layout measured all
        # rows again (a GUI stall of a third of a second for a year of reports).
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setResizeContentsPrecision(SIZED_ROWS)
        self.horizontalHeader().setStretchLastSection(False)
        self.table: Table | None = None

    def fill(self, table: Table) -> Iterator[None]:
        """Shows `table` a few rows at a time, pausing (yielding) after each slice so the caller can hand the event
        loop a turn: items for a year's profitability held the GUI for tens of milliseconds in one go.

        Sorting is off for a table with totals, so they stay beneath the rows they add up."""
        self.table = table
        self.setSortingEnabled(False)
        self.clear()
        self.setColumnCount(len(table.columns))
        self.setHorizontalHeaderLabels(list(table.columns))
        self.setRowCount(len(table.rows))
        if not table.rows:
            self._say_empty(table)
            return
        first_total = len(table.rows) - table.total_rows
        hours = [column.endswith(" h") for column in table.columns]
        bold = QFont()
        bold.setBold(True)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                item = _Item(cell, hours=hours[c])
                if isinstance(cell, int | Decimal):
                    item.setTextAlignment(right)
                if r >= first_total:
                    item.setFont(bold)
                self.setItem(r, c, item)
            if r % SLICE_ROWS == SLICE_ROWS - 1:
                yield
        self.resizeColumnsToContents()
        self.setSortingEnabled(table.total_rows == 0)

    def _say_empty(self, table: Table) -> None:
        """One row across every column that says why there is nothing to show."""
        self.setRowCount(1)
        item = QTableWidgetItem(table.empty or "Nothing to show for this period.")
        item.setForeground(self.palette().placeholderText())
        self.setItem(0, 0, item)
        if len(table.columns) > 1:
            self.setSpan(0, 0, 1, len(table.columns))
