"""The timer window: start and stop with a description, project and task, and today's entries to fix up by hand."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QHideEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core import Core
from app.domain.models import Entry, Notice, Project
from app.domain.periods import Period
from app.domain.timefmt import format_clock, format_duration
from app.ui.banner import Banner, set_text
from app.ui.entry_dialog import EntryDialog, EntryValues, fill_tasks
from app.ui.events import ENTRIES, PROJECTS, TIMER, ChangeBus
from app.ui.expenses.opener import open_expense_dialog
from app.ui.icons import Icon, icon
from app.ui.tasks import TaskRunner
from app.ui.timer_model import TimerModel, TimerSnapshot, user_message
from app.ui.today_list import TodayList

NEW_PROJECT = "new"
START_STYLE = (
    "QPushButton {background: #1f8f50; color: white; border: none; border-radius: 6px; font-weight: 600;"
    " padding: 0 22px;} QPushButton:hover {background: #23a35b;} QPushButton:focus {border: 2px solid #0b4f2a;}"
)
STOP_STYLE = (
    "QPushButton {background: #c8362e; color: white; border: none; border-radius: 6px; font-weight: 600;"
    " padding: 0 22px;} QPushButton:hover {background: #dc443b;} QPushButton:focus {border: 2px solid #6e1410;}"
)


class TimerWindow(QWidget):
    """Not a main window of everything: the timer and today's list. Other views live in their own windows."""

    def __init__(self, model: TimerModel, core: Core, runner: TaskRunner, bus: ChangeBus) -> None:
        super().__init__()
        self._model = model
        self._core = core
        self._runner = runner
        self._bus = bus
        self._projects: tuple[Project, ...] = ()
        self._running_id: int | None = None
        self._day = date.today()
        self._generation = 0
        self.dialog: EntryDialog | None = None
        self.setWindowTitle("TimeTally")
        self.setWindowIcon(icon(Icon.APP))
        self.resize(640, 560)
        self.setMinimumSize(520, 460)
        self._build()
        model.updated.connect(self._render)
        model.failed.connect(self.show_error)
        model.noticed.connect(self._show_notices)
        bus.changed.connect(self._on_changed)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_clock)
        self._render(model.snapshot)

    # Layout

    def _build(self) -> None:
        self.description = QLineEdit()
        self.description.setPlaceholderText("What are you working on?")
        self.description.setClearButtonEnabled(True)
        self.description.setMinimumHeight(34)
        self.description.returnPressed.connect(self._on_return)
        self.project = QComboBox()
        self.project.setMinimumHeight(34)
        self.project.setMinimumContentsLength(18)
        self.project.setToolTip("Client/Project")
        self.project.activated.connect(self._on_project_chosen)
        self.task = QComboBox()
        self.task.setMinimumHeight(34)
        self.task.setMinimumContentsLength(10)
        self.task.activated.connect(self._on_task_chosen)
        fill_tasks(self.task, (), None)

        self.new_project = QLineEdit()
        self.new_project.setPlaceholderText("New project as Client/Project, e.g. Acme Corp/Website")
        self.new_project.returnPressed.connect(self._add_project)
        add = QPushButton("Add project")
        add.clicked.connect(self._add_project)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self._hide_new_project)
        self.new_project_error = QLabel()
        self.new_project_error.setStyleSheet("color: #b3261e;")
        self.new_project_error.hide()
        self.new_project_row = QWidget()
        row = QHBoxLayout(self.new_project_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.new_project, 1)
        row.addWidget(add)
        row.addWidget(cancel)
        self.new_project_row.hide()

        self.clock = QLabel("0:00:00")
        clock_font = QFont(self.font())
        clock_font.setPointSizeF(self.font().pointSizeF() * 3.2)
        clock_font.setWeight(QFont.Weight.Light)
        clock_font.setStyleHint(QFont.StyleHint.Monospace)
        self.clock.setFont(clock_font)
        self.clock.setAccessibleName("Elapsed time")
        self.since = QLabel("No timer running")
        self.since.setStyleSheet("color: palette(mid);")
        self.toggle = QPushButton("Start")
        self.toggle.setMinimumSize(128, 48)
        bigger = QFont(self.font())
        bigger.setPointSizeF(self.font().pointSizeF() * 1.25)
        self.toggle.setFont(bigger)
        self.toggle.setDefault(False)
        self.toggle.clicked.connect(self._on_toggle)

        self.status_banner = Banner("warning", closable=False)
        self.feedback_banner = Banner("warning", closable=True)
        self.error_banner = Banner("error", closable=True)

        self.today = TodayList(self._model.clock)
        # The list's parts, reached from the window by its shortcuts and tab order.
        self.list, self.empty, self.today_total = self.today.list, self.today.empty, self.today.total
        self.add_button, self.edit_button = self.today.add_button, self.today.edit_button
        self.delete_button = self.today.delete_button
        self.list.itemActivated.connect(lambda *_: self.edit_selected())
        self.add_button.clicked.connect(self.add_entry)
        self.today.expense_button.clicked.connect(
            lambda: open_expense_dialog(self, self._core, self._runner, self._bus))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)

        fields = QHBoxLayout()
        fields.setSpacing(8)
        fields.addWidget(self.description, 3)
        fields.addWidget(self.project, 2)
        fields.addWidget(self.task, 1)
        clock_text = QVBoxLayout()
        clock_text.setSpacing(0)
        clock_text.addWidget(self.clock)
        clock_text.addWidget(self.since)
        timer_row = QHBoxLayout()
        timer_row.addLayout(clock_text, 1)
        timer_row.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignVCenter)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 16)
        layout.setSpacing(10)
        layout.addLayout(fields)
        layout.addWidget(self.new_project_row)
        layout.addWidget(self.new_project_error)
        layout.addLayout(timer_row)
        layout.addWidget(self.status_banner)
        layout.addWidget(self.feedback_banner)
        layout.addWidget(self.error_banner)
        layout.addSpacing(4)
        layout.addWidget(line)
        layout.addWidget(self.today, 1)

        QWidget.setTabOrder(self.description, self.project)
        QWidget.setTabOrder(self.project, self.task)
        QWidget.setTabOrder(self.task, self.toggle)
        QWidget.setTabOrder(self.toggle, self.list)
        QWidget.setTabOrder(self.list, self.add_button)
        QWidget.setTabOrder(self.add_button, self.today.expense_button)
        QWidget.setTabOrder(self.today.expense_button, self.edit_button)
        QWidget.setTabOrder(self.edit_button, self.delete_button)
        QShortcut(QKeySequence.StandardKey.New, self, self.add_entry)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.list, self.delete_selected)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._fill_projects(())

    # Rendering

    def _render(self, snapshot: TimerSnapshot) -> None:
        running = snapshot.running
        if snapshot.projects != self._projects:
            self._fill_projects(snapshot.projects)
        if running is not None:
            if running.id != self._running_id or not self.description.hasFocus():
                self.description.setText(running.description)
            self._select_project(running.project_id)
            self._show_tasks(running.task_id)
        elif self._running_id is not None:
            self.description.clear()  # the timer stopped: ready for the next one
        else:
            self._show_tasks(self.task.currentData())  # a new task list for the chosen project
        self._running_id = running.id if running else None
        self.toggle.setText("Stop" if running else "Start")
        self.toggle.setStyleSheet(STOP_STYLE if running else START_STYLE)
        self.toggle.setToolTip("Stop the timer" if running else "Start a timer (Enter in the description)")
        self.status_banner.show_messages([n.message for n in snapshot.notices])
        self._update_clock()

    def _update_clock(self) -> None:
        """Once a second, from the start instant and the clock: no database on a tick."""
        if date.today() != self._day:
            self._day = date.today()
            self.reload_entries()
        snapshot = self._model.snapshot
        now = self._model.clock()
        set_text(self.clock, format_clock(snapshot.elapsed(now)))
        running = snapshot.running
        set_text(self.since, f"Started at {running.start.astimezone():%H:%M}" if running else "No timer running")
        self.today.tick()

    def _fill_projects(self, projects: tuple[Project, ...]) -> None:
        chosen = self.project.currentData()
        self._projects = projects
        self.project.clear()
        self.project.addItem("No project", None)
        for project in projects:
            self.project.addItem(project.path, project.id)
        self.project.insertSeparator(self.project.count())
        self.project.addItem("New project…", NEW_PROJECT)
        self._select_project(chosen if chosen != NEW_PROJECT else None)

    def _select_project(self, project_id: int | None) -> None:
        self.project.setCurrentIndex(max(self.project.findData(project_id), 0))

    def _show_tasks(self, selected: int | None) -> None:
        fill_tasks(self.task, self._model.snapshot.tasks.get(self._project_id() or 0, ()), selected)

    def show_error(self, message: str) -> None:
        self.error_banner.show_messages([message])

    def _show_notices(self, notices: tuple[Notice, ...]) -> None:
        self.feedback_banner.show_messages([n.message for n in notices])

    # Data

    def reload_entries(self) -> None:
        self._generation += 1
        generation = self._generation
        today = Period(date.today(), date.today())

        def loaded(entries: list[Entry]) -> None:
            if generation == self._generation:
                self.today.show_entries(entries)

        service = self._core.entry_service
        self._runner.read(lambda: service.in_period(today),
                          loaded, lambda e: self.show_error(user_message(e)), owner=self)

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {ENTRIES, TIMER, PROJECTS} and self.isVisible():
            self.reload_entries()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._tick.start()  # a hidden window does no work
        self.reload_entries()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._tick.stop()

    def selected_entry(self) -> Entry | None:
        return self.today.selected_entry()

    # Actions

    def _on_toggle(self) -> None:
        self.error_banner.hide()
        if self._model.snapshot.running:
            self._model.stop()
        else:
            self._model.start(self.description.text(), self._project_id(), self.task.currentData())

    def _on_return(self) -> None:
        """Enter starts a timer; while one runs, it saves the edited description."""
        if self._model.snapshot.running is None:
            self._on_toggle()
        elif self.description.text() != self._model.snapshot.running.description:
            self._model.edit_running(description=self.description.text())

    def _on_project_chosen(self, index: int) -> None:
        choice = self.project.itemData(index)
        if choice == NEW_PROJECT:
            running = self._model.snapshot.running
            self._select_project(running.project_id if running else None)
            self.new_project_row.show()
            self.new_project.setFocus()
            return
        self._show_tasks(None)
        if self._model.snapshot.running is not None:
            self._model.edit_running(project_id=choice)

    def _on_task_chosen(self, index: int) -> None:
        if self._model.snapshot.running is not None:
            self._model.edit_running(task_id=self.task.itemData(index))

    def _project_id(self) -> int | None:
        choice = self.project.currentData()
        return None if choice == NEW_PROJECT else choice

    def _add_project(self) -> None:
        path = self.new_project.text()

        def added(project: Project) -> None:
            self._hide_new_project()
            self._projects = ()  # the snapshot that follows refills the list
            self.project.addItem(project.path, project.id)
            self._select_project(project.id)
            self._show_tasks(None)
            if self._model.snapshot.running is not None:
                self._model.edit_running(project_id=project.id)

        def refused(message: str) -> None:
            self.new_project_error.setText(message)
            self.new_project_error.show()

        self._model.add_project(path, added, refused)

    def _hide_new_project(self) -> None:
        self.new_project.clear()
        self.new_project_row.hide()
        self.new_project_error.hide()
        self.project.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc backs out of the new-project row first, then closes the window (the tray keeps running)."""
        if event.key() != Qt.Key.Key_Escape:
            super().keyPressEvent(event)
        elif self.new_project_row.isVisible():
            self._hide_new_project()
        else:
            self.close()

    def add_entry(self) -> None:
        self._open_dialog(None)

    def edit_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None and not entry.locked:
            self._open_dialog(entry)

    def _open_dialog(self, entry: Entry | None) -> EntryDialog:
        snapshot = self._model.snapshot
        dialog = EntryDialog(snapshot.projects, entry, self._model.clock(), self, snapshot.tasks)
        dialog.submitted.connect(lambda values: self._save(dialog, values))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _save(self, dialog: EntryDialog, values: EntryValues) -> None:
        service = self._core.entry_service
        entry = dialog.entry
        if entry is None:
            def job() -> object:
                return service.add_manual(values.start, values.end or values.start, values.description,
                                          values.project_id, values.task_id)
        else:
            def job() -> object:
                return service.edit(entry.id, start=values.start, end=values.end, description=values.description,
                                    project_id=values.project_id, task_id=values.task_id)
        self._model.perform(job, on_done=lambda _: dialog.accept(), on_failure=dialog.show_error,
                            owner=dialog)

    def delete_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.locked or not self.confirm_delete(entry):
            return
        service = self._core.entry_service
        self._model.perform(lambda: service.delete(entry.id))

    def confirm_delete(self, entry: Entry) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Delete entry",
                          f"Delete “{entry.description or 'no description'}” "
                          f"({entry.start.astimezone():%H:%M}, {format_duration(entry.seconds(self._model.clock()))})?",
                          QMessageBox.StandardButton.Cancel, self)
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is delete

