"""The week grid: client / project / task rows × days, totals, billable split and validation flags in the cells."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QStyle, QTableView, QWidget

from app.domain.models import EntryStatus
from app.domain.timefmt import format_duration
from app.timesheet.validation import Flag
from app.timesheet.week import GridRow, WeekReview

FOOTERS = ("Total", "Billable", "Non-billable")
LABEL_MIN_WIDTH, DAY_WIDTH, TOTAL_WIDTH = 140, 50, 64
"""Pixels: the label column at its narrowest (longer labels are elided, whole in their tooltip), each day, total."""
FLAG_TINT = QColor(255, 236, 204)
FOOTER_TINT = QColor(242, 244, 247)
APPROVED_TEXT = QColor(28, 110, 60)
Index = QModelIndex | QPersistentModelIndex


class WeekGridModel(QAbstractTableModel):
    """Column 0 names the row, 1-7 are days, 8 the row total; the last three rows are the footers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review: WeekReview | None = None
        self._entry_flags: dict[int, list[Flag]] = {}
        self._day_flags: dict[int, list[Flag]] = {}
        self._approved: set[int] = set()

    def set_review(self, review: WeekReview) -> None:
        self.beginResetModel()
        self.review = review
        days = {d: i for i, d in enumerate(review.grid.days)}
        self._entry_flags, self._day_flags = {}, {}
        for flag in review.flags:
            if flag.code in ("over-limit", "unclassified") and flag.day in days:
                self._day_flags.setdefault(days[flag.day], []).append(flag)
            else:
                for entry_id in flag.entry_ids:
                    self._entry_flags.setdefault(entry_id, []).append(flag)
        self._approved = {e.id for e in review.entries if e.status is not EntryStatus.DRAFT}
        self.endResetModel()

    @property
    def rows(self) -> tuple[GridRow, ...]:
        return self.review.grid.rows if self.review else ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or self.review is None else len(self.rows) + len(FOOTERS)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 9

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
                   ) -> object:
        if orientation != Qt.Orientation.Horizontal or self.review is None:
            return None
        days = self.review.grid.days
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Client / project / task"
            return "Total" if section == 8 else f"{days[section - 1]:%a %d}"
        if role == Qt.ItemDataRole.ToolTipRole and 1 <= section <= 7:
            flags = self._day_flags.get(section - 1, [])
            return "\n".join([f"{days[section - 1]:%A %d %B %Y}", *(f.message for f in flags)])
        if role == Qt.ItemDataRole.DecorationRole and self._day_flags.get(section - 1) and 1 <= section <= 7:
            return _warning_icon()
        return None

    def entry_ids(self, index: Index) -> tuple[int, ...]:
        """The entries behind a day cell (all days for the label and total columns) of a project row."""
        if not index.isValid() or index.row() >= len(self.rows):
            return ()
        row = self.rows[index.row()]
        if 1 <= index.column() <= 7:
            return row.entry_ids[index.column() - 1]
        return tuple(i for day in row.entry_ids for i in day)

    def flags_at(self, index: Index) -> list[Flag]:
        found = {id(f): f for i in self.entry_ids(index) for f in self._entry_flags.get(i, [])}
        if index.row() == len(self.rows) and 1 <= index.column() <= 7:
            found.update((id(f), f) for f in self._day_flags.get(index.column() - 1, []))
        return list(found.values())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self.review is None:
            return None
        row, column = index.row(), index.column()
        footer = row - len(self.rows)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column, footer)
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(footer == 0 or (column == 8 and footer < 0))
            font.setItalic(footer < 0 and not self.rows[row].billable)
            return font
        flags = self.flags_at(index) if column else []
        if role == Qt.ItemDataRole.BackgroundRole:
            if flags:
                return QBrush(FLAG_TINT)
            return QBrush(FOOTER_TINT) if footer >= 0 else None
        if role == Qt.ItemDataRole.DecorationRole and flags and column == 8:
            return _warning_icon()  # day cells show the tint only: an icon there would squeeze out the time
        ids = self.entry_ids(index)
        approved = bool(ids) and all(i in self._approved for i in ids)
        if role == Qt.ItemDataRole.ForegroundRole and approved and footer < 0 and column:
            return QBrush(APPROVED_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return self._text(row, column, footer)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f.message for f in flags]
            if footer < 0 and not self.rows[row].billable:
                lines.append("Non-billable")
            if approved:
                lines.append("Approved and locked")
            elif ids and column:
                lines.append(f"{len(ids)} entr{'y' if len(ids) == 1 else 'ies'}; double-click to see and edit")
            return "\n".join(lines) or None
        return None

    def _text(self, row: int, column: int, footer: int) -> str:
        assert self.review is not None
        grid = self.review.grid
        if footer >= 0:
            if column == 0:
                return FOOTERS[footer]
            billable = (None, True, False)[footer]
            seconds = grid.total(billable) if column == 8 else grid.day_total(column - 1, billable)
            return format_duration(seconds)  # 0:00 in every footer: the split is read at a glance
        item = self.rows[row]
        if column == 0:
            return item.label
        seconds = item.total if column == 8 else item.seconds[column - 1]
        return format_duration(seconds) if seconds else ""


def _warning_icon() -> object:
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


class WeekGridView(QTableView):
    """Enter or double-click on a cell opens its entries; the current column picks the day the timeline shows."""

    open_cell = Signal(QModelIndex)
    day_chosen = Signal(int)

    def __init__(self, model: WeekGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setObjectName("weekGrid")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(True)  # a long client / project / task name takes a second line rather than being cut
        self.verticalHeader().hide()
        self.verticalHeader().setMinimumSectionSize(28)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(DAY_WIDTH)
        header.setDefaultSectionSize(DAY_WIDTH)
        header.setHighlightSections(False)
        header.setSectionResizeMode(8, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(8, TOTAL_WIDTH)
        # Room for the label header and every day and total, beside the day panel in the main window's page.
        self.setMinimumWidth(LABEL_MIN_WIDTH + 7 * DAY_WIDTH + TOTAL_WIDTH + 4)
        self.doubleClicked.connect(self.open_cell)
        self.setTabKeyNavigation(False)

    def currentChanged(self, current: Index, previous: Index) -> None:
        super().currentChanged(current, previous)
        if 1 <= current.column() <= 7:
            self.day_chosen.emit(current.column() - 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_cell.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def selected_entry_ids(self) -> list[int]:
        model = self.model()
        assert isinstance(model, WeekGridModel)
        ids = {i for index in self.selectedIndexes() for i in model.entry_ids(index)}
        return sorted(ids)
