"""The weekly review window: the week grid beside the chosen day's timeline, proposals and entries below it.

Keyboard path: the grid has focus when the week opens; arrows move between cells (and days), Enter opens a cell,
Alt+Left/Alt+Right/Alt+Home change week, Ctrl+Shift+A approves the week and Alt+U submits it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from app.core import Core
from app.domain.instants import instant
from app.domain.models import EntryStatus, Project
from app.domain.timefmt import format_duration, utcnow
from app.timesheet.review import Assignment
from app.timesheet.week import WeekReview
from app.ui.events import ChangeBus
from app.ui.icons import Icon, icon
from app.ui.invoice_preview import open_invoice_preview
from app.ui.review.assign_dialog import AssignDialog
from app.ui.review.dialogs import CellEntriesDialog, rule_offer
from app.ui.review.grid import WeekGridModel, WeekGridView
from app.ui.review.learned import LearnedBar
from app.ui.review.proposals import DayItemsPanel
from app.ui.review.state import ReviewModel
from app.ui.review.timeline import KIND_COLOURS, TimelineWidget, use_projects
from app.ui.send_dialog import open_send_dialog
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

DAY_PANEL_MIN, LABEL_PADDING = 460, 16
"""The day panel keeps room for its timeline and table; a label's room beyond its text."""
LEGEND = " &nbsp; ".join(f'<span style="color:{c}">■</span> {n}' for n, c in (
    ("Unclassified", KIND_COLOURS["unclassified"]), ("Private", KIND_COLOURS["private"]),
    ("Idle", KIND_COLOURS["idle"]))) + (" &nbsp; Work in its project's colour · proposals dashed, learned ones "
                                       "dotted · drag across the day to assign time")


class ReviewWindow(QWidget):
    """Opens on this week; everything it shows is loaded by `ReviewModel` on a worker."""

    def __init__(self, core: Core, runner: TaskRunner, bus: ChangeBus, parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] = utcnow, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.core = core
        self.runner = runner
        self.setWindowTitle("Timesheet review — TimeTally")
        self.setWindowIcon(icon(Icon.APP))
        self.resize(1420, 820)
        self.model = ReviewModel(core, runner, bus, clock, today)
        self.model.setParent(self)
        self._today = today
        self._clock = clock
        self.day_index = 0
        self.dialogs: list[QDialog] = []

        self.title = QLabel("Loading…")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.state = QLabel()
        self.state.setObjectName("weekState")
        self.state.setStyleSheet("QLabel#weekState { background: #e8eef6; color: #1f3b5c; border-radius: 9px;"
                                 " padding: 2px 10px; }")
        self.previous = QPushButton("◀")
        self.previous.setToolTip("Previous week (Alt+Left)")
        self.this_week = QPushButton("&This week")
        self.next = QPushButton("▶")
        self.next.setToolTip("Next week (Alt+Right)")
        for button in (self.previous, self.next):
            button.setFixedWidth(36)
        self.invoice = QPushButton("&Invoice preview…")
        self.approve_selected = QPushButton("Appro&ve selected")
        self.approve_selected.setToolTip("Approve the entries in the selected grid cells")
        self.approve_week = QPushButton("Approve &week")
        self.approve_week.setToolTip("Approve every finished draft entry of the week (Ctrl+Shift+A)")
        self.submit = QPushButton("S&ubmit week")
        self.submit.setToolTip("Mark the approved week as ready for billing")
        self.submit.setDefault(False)
        self.send = QPushButton("Send to &Xero…")
        self.send.setToolTip("Preview, then send the week's approved time as invoices")
        self.send_qbo = QPushButton("Send to &QuickBooks…")
        self.send_qbo.setToolTip("Preview, then send the week's approved time as time activities or invoices")
        header = QHBoxLayout()
        header.setSpacing(8)
        for widget in (self.previous, self.this_week, self.next):
            header.addWidget(widget)
        header.addSpacing(12)
        header.addWidget(self.title)
        header.addSpacing(8)
        header.addWidget(self.state)
        header.addStretch(1)
        for widget in (self.approve_selected, self.approve_week, self.submit):
            header.addWidget(widget)
        billing = QHBoxLayout()  # a second row, so the page fits the main window beside its sidebar
        billing.setSpacing(8)
        billing.addStretch(1)
        for widget in (self.invoice, self.send, self.send_qbo):
            billing.addWidget(widget)

        self.grid_model = WeekGridModel(self)
        self.grid = WeekGridView(self.grid_model)
        self.flags = QListWidget()
        self.flags.setObjectName("flags")
        self.flags.setMaximumHeight(130)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.grid, 1)
        key = QLabel('<span style="color:#1c6e3c">Green</span>: approved and locked · tinted (⚠ in the total): '
                     "flagged, hover for why · <i>italic</i>: non-billable · Enter or double-click a cell to edit "
                     "its entries")
        key.setObjectName("gridKey")
        key.setWordWrap(True)
        left_box.addWidget(key)
        self.flags_label = QLabel("Flags")
        left_box.addWidget(self.flags_label)
        left_box.addWidget(self.flags)

        self.tabs = QTabBar()
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        self.timeline = TimelineWidget()
        legend = QLabel(LEGEND)
        legend.setObjectName("legend")
        legend.setWordWrap(True)
        self.panel = DayItemsPanel(self.model)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.setSpacing(6)
        right_box.addWidget(self.tabs)
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame_box = QVBoxLayout(frame)
        frame_box.setContentsMargins(4, 4, 4, 4)
        frame_box.addWidget(self.timeline)
        right_box.addWidget(frame)
        right_box.addWidget(legend)
        right_box.addSpacing(6)
        right_box.addWidget(self.panel, 1)
        self.learned = LearnedBar(core, runner, bus, self.model, self.panel.selected_proposals)
        self.panel.tree.itemSelectionChanged.connect(self.learned.refresh)
        self.learned.rule_opened.connect(self._track)
        right_box.addWidget(self.learned)

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([660, 740])
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 10)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addLayout(billing)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

        self._connect()
        self.grid.setFocus()
        self.model.open_week()

    def _connect(self) -> None:
        model = self.model
        model.loaded.connect(self.show_review)
        model.failed.connect(lambda text: self._say(text, error=True))
        model.done.connect(self._say)
        model.suggested.connect(self._offer_rule)
        self.previous.clicked.connect(lambda: model.step(-1))
        self.next.clicked.connect(lambda: model.step(1))
        self.this_week.clicked.connect(lambda: model.open_week(self._today()))
        self.invoice.clicked.connect(self.open_invoice_preview)
        self.send.clicked.connect(lambda: self.open_send_dialog("xero"))
        self.send_qbo.clicked.connect(lambda: self.open_send_dialog("quickbooks"))
        self.approve_selected.clicked.connect(self._approve_selected)
        self.approve_week.clicked.connect(self.confirm_approve_week)
        self.submit.clicked.connect(model.submit)
        self.grid.open_cell.connect(self.open_cell)
        self.grid.day_chosen.connect(self.show_day)
        self.tabs.currentChanged.connect(self.show_day)
        self.timeline.range_selected.connect(self.assign_range)
        self.timeline.item_clicked.connect(self.panel.select)
        self.flags.itemActivated.connect(self._flag_chosen)
        for keys, slot in (("Alt+Left", lambda: model.step(-1)), ("Alt+Right", lambda: model.step(1)),
                           ("Alt+Home", lambda: model.open_week(self._today())),
                           ("Ctrl+Shift+A", self.confirm_approve_week), ("F5", model.refresh),
                           ("Ctrl+Return", self.panel.accept), ("Ctrl+W", self.close)):
            QShortcut(QKeySequence(keys), self, slot)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.panel.tree, self.panel.reject)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.fit_labels)  # once the splitter has its new size

    def fit_labels(self) -> None:
        """Widen the grid, taking room from the day panel down to DAY_PANEL_MIN, until no client / project / task
        label is cut short."""
        sizes = self.splitter.sizes()
        header = self.grid.horizontalHeader()
        short = self.grid.sizeHintForColumn(0) + LABEL_PADDING - header.sectionSize(0)
        room = sizes[1] - DAY_PANEL_MIN if len(sizes) == 2 else 0
        if short > 0 and room > 0:
            grow = min(short, room)
            self.splitter.setSizes([sizes[0] + grow, sizes[1] - grow])

    def show_review(self, review: WeekReview) -> None:
        period = review.period
        week = period.first.isocalendar()
        self.title.setText(f"Week {week.week} · {period.first:%d %b} – {period.last:%d %b %Y}")
        drafts = [e for e in review.entries if e.status is EntryStatus.DRAFT and not e.running]
        if review.submission is not None:
            state = f"Submitted {review.submission.at.astimezone():%d %b %H:%M} · ready for billing"
        elif drafts:
            state = f"{len(drafts)} entr{'y' if len(drafts) == 1 else 'ies'} to approve"
        elif review.entries:
            state = "All approved · ready to submit"
        else:
            state = "No entries yet"
        self.state.setText(state)
        self.approve_week.setEnabled(bool(drafts))
        self.submit.setEnabled(bool(review.entries) and not drafts and review.submission is None)
        current = self.grid.currentIndex()
        use_projects(review.projects)
        self.grid_model.set_review(review)
        self.fit_labels()
        if current.isValid():
            self.grid.setCurrentIndex(self.grid_model.index(min(current.row(), self.grid_model.rowCount() - 1),
                                                            current.column()))
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        for n, day in enumerate(review.grid.days):
            seconds = review.grid.day_total(n)
            self.tabs.addTab(f"{day:%a %d}" + (f"  {format_duration(seconds)}" if seconds else ""))
        self.tabs.blockSignals(False)
        self.flags.clear()
        for flag in review.flags:
            item = QListWidgetItem(("" if flag.day is None else f"{flag.day:%a}  ") + flag.message)
            item.setData(Qt.ItemDataRole.UserRole, flag.day)
            self.flags.addItem(item)
        self.flags_label.setText(f"Flags ({len(review.flags)})" if review.flags else "No flags: the week looks right")
        self.flags.setVisible(bool(review.flags))  # an empty list under "No flags" would only take the grid's room
        if self.model.focus_index is None and self._today() in review.grid.days:
            self.day_index = review.grid.days.index(self._today())  # first open: today; later, the day chosen
        self.show_day(self.day_index)

    def show_day(self, index: int) -> None:
        review = self.model.review
        if review is None or not 0 <= index < len(review.timelines):
            return
        self.day_index = self.model.focus_index = index
        if self.tabs.currentIndex() != index:
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)
        day = review.timelines[index]
        self.timeline.set_day(day, reading=day.day not in review.loaded_days)
        self.panel.show_day(review, index)

    def open_cell(self, index: QModelIndex) -> None:
        review = self.model.review
        if review is None or index.row() >= len(review.grid.rows):
            return
        row = review.grid.rows[index.row()]
        day = review.grid.days[index.column() - 1] if 1 <= index.column() <= 7 else None
        self._track(CellEntriesDialog(self.model, row.label, day, self))

    def assign_range(self, start: float, end: float) -> None:
        review = self.model.review
        if review is None:
            return
        day = next((d for d in review.timelines if d.start <= start < d.end), None)
        dialog = AssignDialog(review.projects, start, end, self, blocks=day.blocks if day else (),
                              entries=day.entries if day else (), now=instant(self._clock()),
                              create_project=self._create_project)
        dialog.accepted.connect(lambda: self.model.assign_pieces(dialog.pieces(), dialog.project.currentData(),
                                                                 dialog.description.text()))
        self._track(dialog)

    def _create_project(self, path: str, then: Callable[[Project], None]) -> None:
        catalog = self.core.catalog
        self.runner.write(lambda: catalog.add_path(path), then,
                          lambda error: self._say(user_message(error), error=True), owner=self)

    def _offer_rule(self, result: Assignment) -> None:
        suggestion = result.suggestion
        if suggestion is not None:
            box = rule_offer(self, result)
            box.buttonClicked.connect(lambda button: self.model.add_rule(suggestion.rule)
                                      if box.buttonRole(button) == QMessageBox.ButtonRole.AcceptRole else None)
            self._track(box)

    def _track(self, dialog: QDialog) -> None:
        """Open without blocking; the window keeps it (tests find it in `dialogs`) until it closes."""
        dialog.finished.connect(lambda _: self._closed(dialog))
        self.dialogs.append(dialog)
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        """Keyboard focus comes back to the review once a dialog goes."""
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()
        self.activateWindow()

    def open_invoice_preview(self) -> QWidget | None:
        period = self.model.period
        return open_invoice_preview(self.core.billing, self.runner, period, self) if period else None

    def open_send_dialog(self, provider: str = "xero") -> QWidget | None:
        period = self.model.period
        if period is None:
            return None
        return open_send_dialog(self.core.sync, self.runner, period, provider=provider, parent=self)

    def confirm_approve_week(self) -> None:
        """Approving locks the week's time, so it asks first and lists the flags still open."""
        review = self.model.review
        drafts = [e for e in review.entries if e.status is EntryStatus.DRAFT and not e.running] if review else []
        if review is None or not drafts:
            return
        week = review.period.first.isocalendar().week
        count = f"{len(drafts)} entr{'y' if len(drafts) == 1 else 'ies'}"
        box = QMessageBox(QMessageBox.Icon.Question, "Approve the week",
                          f"Approve {count} of week {week}? Approved time is locked: changing it later takes an "
                          "unlock with a reason.", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        flags = [("" if f.day is None else f"{f.day:%a}: ") + f.message for f in review.flags]
        box.setInformativeText("Open flags:\n" + "\n".join(f"• {text}" for text in flags) if flags
                               else "No flags are open.")
        approve = box.button(QMessageBox.StandardButton.Yes)
        approve.setText("Approve")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        approve.clicked.connect(self.model.approve_week)
        self._track(box)

    def _approve_selected(self) -> None:
        ids = self.grid.selected_entry_ids() or [e.id for e in self.panel.selected_entries()]
        if ids:
            self.model.approve(ids)

    def _flag_chosen(self, item: QListWidgetItem) -> None:
        review, day = self.model.review, item.data(Qt.ItemDataRole.UserRole)
        if review is not None and day in review.grid.days:
            self.show_day(review.grid.days.index(day))

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b3261e;" if error else "")
        self.message.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        for dialog in list(self.dialogs):
            dialog.close()
        super().closeEvent(event)
