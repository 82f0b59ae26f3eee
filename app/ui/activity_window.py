"""The Activity window: exactly what capture recorded for a day, so users can check it and delete any of it.
Right-click a span to assign its time, create a rule from it, exclude its application or delete it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.capture.activity import ActivityService
from app.domain.errors import TimeTallyError
from app.domain.models import Project, Span
from app.domain.periods import day_epochs
from app.domain.timefmt import format_clock
from app.ui.activity_actions import ActivityActions
from app.ui.banner import Banner
from app.ui.events import SPANS, ChangeBus, Changed, recorded
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

COLUMNS = ("Time", "Duration", "Application", "Title", "Idle")
SHOWN_TITLE = 300
REFRESH_MS = 15_000


class ActivityWindow(QWidget):
    """Reads and deletes through the task runner; never touches the database on the GUI thread."""

    loaded = Signal(int)
    """Emitted with the number of spans shown, after each load."""

    done = Signal(str)
    """A context-menu action finished, with its sentence."""

    def __init__(self, spans: ActivityService, tasks: TaskRunner, bus: ChangeBus | None = None,
                 day: date | None = None, notice: str | None = None, actions: ActivityActions | None = None) -> None:
        super().__init__()
        self._spans = spans
        self._actions = actions
        self.shown: dict[int, Span] = {}
        self.pick_project: Callable[[list[Project]], Project | None] = self._pick_project
        self._tasks = tasks
        self._bus = bus
        self._day = day or date.today()
        self._generation = 0
        self.setWindowTitle("Activity")
        self.resize(900, 520)

        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: 600; font-size: 15px;")
        self.previous = QPushButton("◀")
        self.previous.setToolTip("Previous day")
        self.next = QPushButton("▶")
        self.next.setToolTip("Next day")
        self.refresh_button = QPushButton("Refresh")
        self.delete_button = QPushButton("Delete selected")
        self.delete_button.setEnabled(False)
        top = QHBoxLayout()
        for widget in (self.previous, self.heading, self.next):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.delete_button)

        self.notice = Banner("warning", closable=False)
        self.set_notice(notice)

        self.table = QTreeWidget()
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu_at)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column in (0, 1, 2, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        if actions is not None:
            hint = QLabel("Right-click a span to assign its time to a project, create a rule from it, exclude its "
                          "application from capture, or delete it.")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: palette(placeholder-text);")
            layout.addWidget(hint)

        self.previous.clicked.connect(lambda: self.show_day(self._day - timedelta(days=1)))
        self.next.clicked.connect(lambda: self.show_day(self._day + timedelta(days=1)))
        self.refresh_button.clicked.connect(self.reload)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.itemSelectionChanged.connect(
            lambda: self.delete_button.setEnabled(bool(self.table.selectedItems())))
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected)
        if bus is not None:
            bus.changed.connect(self._changed)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._set_heading()

    @property
    def day(self) -> date:
        return self._day

    def set_notice(self, text: str | None) -> None:
        self.notice.show_messages([text] if text else [])

    def show_day(self, day: date) -> None:
        self._day = day
        self._set_heading()
        self.reload()

    def reload(self) -> None:
        # Reads run in a pool and may finish out of order (a day left behind): only the newest one is shown.
        self._generation += 1
        generation = self._generation
        start, end = day_epochs(self._day)
        spans = self._spans
        self._tasks.read(lambda: spans.between(start, end),
                         lambda shown: self._show(shown) if generation == self._generation else None,
                         self._failed, owner=self)

    def delete_selected(self) -> None:
        ids = [int(item.data(0, Qt.ItemDataRole.UserRole)) for item in self.table.selectedItems()]
        if not ids:
            return
        self.delete_button.setEnabled(False)
        spans = self._spans
        self._tasks.write(recorded(lambda: spans.delete(ids)), self._deleted, self._failed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()
        self.reload()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def _set_heading(self) -> None:
        today = date.today()
        label = "Today" if self._day == today else f"{self._day:%A}"
        self.heading.setText(f"{label}, {self._day:%d %B %Y}")
        self.next.setEnabled(self._day < today)

    def _show(self, spans: list[Span]) -> None:
        self.table.clear()
        self.shown = {span.id: span for span in spans}
        items = []
        for span in spans:
            title = span.title if len(span.title) <= SHOWN_TITLE else span.title[: SHOWN_TITLE - 1] + "…"
            item = QTreeWidgetItem([
                f"{datetime.fromtimestamp(span.start):%H:%M:%S}",
                format_clock(int(span.seconds)),
                span.app or "—",
                title,
                "idle" if span.idle else "",
            ])
            item.setData(0, Qt.ItemDataRole.UserRole, span.id)
            item.setToolTip(3, span.title)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items.append(item)
        self.table.addTopLevelItems(items)
        active = sum(s.seconds for s in spans if not s.idle)
        idle = sum(s.seconds for s in spans if s.idle)
        self.summary.setText(f"{len(spans)} spans · active {format_clock(int(active))} · idle {format_clock(int(idle))}"
                             if spans else "Nothing was captured on this day.")
        self.delete_button.setEnabled(False)
        self.loaded.emit(len(spans))

    def _deleted(self, done: Changed[int]) -> None:
        if self._bus is not None:
            self._bus.publish(done.changes)
        else:
            self.reload()

    def _failed(self, error: BaseException) -> None:
        message = str(error) if isinstance(error, TimeTallyError) else "The captured activity could not be read."
        self.summary.setText(message)

    # The context menu

    def selected_spans(self) -> list[Span]:
        ids = [int(item.data(0, Qt.ItemDataRole.UserRole)) for item in self.table.selectedItems()]
        return [self.shown[i] for i in ids if i in self.shown]

    def context_menu(self) -> QMenu:
        """What can be done with the selected spans; the application ones when they share one."""
        spans = self.selected_spans()
        apps = {s.app for s in spans if s.app}
        menu = QMenu(self)
        if self._actions is not None and spans:
            assign = menu.addAction("Assign to a project…", self.assign_selected)
            assign.setEnabled(any(not s.idle for s in spans))
            rule = menu.addAction("Create a rule from it…", self.rule_from_selected)
            rule.setEnabled(len(spans) == 1 and not spans[0].idle)
            if len(apps) == 1:
                app = next(iter(apps))
                menu.addAction(f"Exclude {app} from capture", lambda: self.exclude_app(app))
            menu.addSeparator()
        menu.addAction("Delete", self.delete_selected).setEnabled(bool(spans))
        return menu

    def _menu_at(self, pos: QPoint) -> None:
        item = self.table.itemAt(pos)
        if item is not None and not item.isSelected():
            self.table.setCurrentItem(item)
        self.context_menu().popup(self.table.viewport().mapToGlobal(pos))

    def assign_selected(self) -> None:
        spans = self.selected_spans()
        self._with_project(lambda actions, project: actions.assign(spans, project))

    def rule_from_selected(self) -> None:
        spans = self.selected_spans()
        if len(spans) == 1:
            self._with_project(lambda actions, project: actions.rule_from(spans[0], project))

    def exclude_app(self, app: str) -> None:
        actions = self._actions
        if actions is not None:
            self._act(lambda: actions.exclude_app(app))

    def _with_project(self, job: Callable[[ActivityActions, Project], str]) -> None:
        actions = self._actions
        if actions is None:
            return

        def chosen(projects: list[Project]) -> None:
            project = self.pick_project(projects)
            if project is not None:
                self._act(lambda: job(actions, project))

        self._tasks.read(actions.projects, chosen, self._act_failed, owner=self)

    def _act(self, job: Callable[[], str]) -> None:
        def ok(done: Changed[str]) -> None:
            self.summary.setText(done.value)
            if self._bus is not None:
                self._bus.publish(done.changes)
            self.done.emit(done.value)

        self._tasks.write(recorded(job), ok, self._act_failed, owner=self)

    def _act_failed(self, error: BaseException) -> None:
        self.summary.setText(user_message(error))

    def _pick_project(self, projects: list[Project]) -> Project | None:
        if not projects:
            self.summary.setText("There are no projects yet: create one on the Clients & projects page first.")
            return None
        paths = [p.path for p in projects]
        path, ok = QInputDialog.getItem(self, "Choose a project", "Project:", paths, 0, False)
        return projects[paths.index(path)] if ok else None

    def _changed(self, areas: frozenset[str]) -> None:
        if SPANS in areas:
            self.reload()

    def _tick(self) -> None:
        if self._day == date.today():
            self.reload()
