"""The system-tray icon: the timer at a glance (icon and tooltip) and its everyday actions in the menu."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app.capture.control import CaptureControl
from app.domain.timefmt import format_duration
from app.ui.icons import Icon, icon
from app.ui.tasks import TaskRunner
from app.ui.timer_model import RECENT, TimerModel, TimerSnapshot, label

STOPPED_TOOLTIP = "TimeTally - no timer running"


def tooltip(snapshot: TimerSnapshot, now: datetime) -> str:
    """`Description - Project (1:23)` while a timer runs."""
    if snapshot.running is None:
        return STOPPED_TOOLTIP
    return f"{label(snapshot.running)} ({format_duration(snapshot.elapsed(now))})"


def pause_choices(now: datetime) -> list[tuple[str, datetime | None]]:
    """The Pause capture submenu: (label, UTC instant to resume or None for until resumed)."""
    local = now.astimezone()
    tomorrow = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return [
        ("For 30 minutes", now + timedelta(minutes=30)),
        ("For 1 hour", now + timedelta(hours=1)),
        ("Until tomorrow", tomorrow.astimezone(UTC)),
        ("Until resumed", None),
    ]


class TrayController(QObject):
    """Owns the tray icon and its menu; everything it does goes through the timer model or callbacks."""

    open_timesheet = Signal()
    open_preferences = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        model: TimerModel,
        runner: TaskRunner,
        capture: CaptureControl | None = None,
        *,
        toggle_window: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._model = model
        self._runner = runner
        self._capture = capture
        self._capture_paused_until: datetime | None = None
        self._reconnect: tuple[str, ...] = ()
        self._toggle_window = toggle_window
        self._shown_state = ""
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self._build_menu()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self.menu.aboutToShow.connect(self._update_clock)
        self.menu.aboutToShow.connect(self._refresh_capture)
        model.updated.connect(self._render)
        model.failed.connect(self._show_failure)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_clock)
        self._tick.start()
        self._render(model.snapshot)
        self._refresh_capture()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def _build_menu(self) -> None:
        m = self.menu
        self.status_action = m.addAction("No timer running")
        self.status_action.setEnabled(False)
        self.notice_action = m.addAction("")
        self.notice_action.setEnabled(False)
        self.notice_action.setVisible(False)
        self.reconnect_action = m.addAction("")
        self.reconnect_action.setIcon(icon(Icon.RECONNECT))
        self.reconnect_action.setVisible(False)
        self.reconnect_action.triggered.connect(self.open_preferences)
        m.addSeparator()
        self.toggle_action = m.addAction("Start timer")
        self.toggle_action.triggered.connect(self._model.toggle)
        self.continue_action = m.addAction("Continue last")
        self.continue_action.triggered.connect(self._model.continue_last)
        self.recent_header = m.addAction("Recent")
        self.recent_header.setEnabled(False)
        self.recent_actions: list[QAction] = []
        for index in range(RECENT):
            action = m.addAction("")
            action.setVisible(False)
            action.triggered.connect(lambda _=False, i=index: self._model.resume(self._model.snapshot.recent[i]))
            self.recent_actions.append(action)
        self.switch_menu = m.addMenu("Switch project")
        m.addSeparator()
        self.timesheet_action = m.addAction("Open timesheet")
        self.timesheet_action.triggered.connect(self.open_timesheet)
        self.capture_menu = m.addMenu("Pause capture")
        self._build_capture_menu()
        self._features_separator = m.addSeparator()
        self.preferences_action = m.addAction("Preferences…")
        self.preferences_action.triggered.connect(self.open_preferences)
        self.quit_action = m.addAction("Quit TimeTally")
        self.quit_action.triggered.connect(self.quit_requested)

    def add_actions(self, actions: Sequence[tuple[str, Callable[[], None]]]) -> None:
        """Entries other features contribute (Activity, Rules, Reports, ...), in a group above Preferences."""
        if actions:
            self.menu.insertSeparator(self._features_separator)
        for text, handler in actions:
            action = QAction(text, self.menu)
            action.triggered.connect(lambda _=False, h=handler: h())
            self.menu.insertAction(self._features_separator, action)

    def _build_capture_menu(self) -> None:
        self.pause_actions: list[QAction] = []
        for text, _until in pause_choices(self._model.clock()):
            action = self.capture_menu.addAction(text)
            # The instant is computed when clicked, not when the menu was built.
            action.triggered.connect(lambda _=False, t=text: self._pause(t))
            self.pause_actions.append(action)
        self.capture_menu.addSeparator()
        self.resume_capture_action = self.capture_menu.addAction("Resume capture")
        self.resume_capture_action.triggered.connect(self._resume_capture)
        self.capture_menu.setEnabled(self._capture is not None)
        if self._capture is None:
            self.capture_menu.setTitle("Pause capture (capture is off)")

    def _render(self, snapshot: TimerSnapshot) -> None:
        running = snapshot.running
        self.toggle_action.setText("Stop timer" if running else "Start timer")
        last = snapshot.recent[0] if snapshot.recent else None
        self.continue_action.setEnabled(last is not None)
        self.continue_action.setText(f"Continue “{_short(label(last))}”" if last else "Continue last")
        self.recent_header.setVisible(bool(snapshot.recent))
        for index, action in enumerate(self.recent_actions):
            entry = snapshot.recent[index] if index < len(snapshot.recent) else None
            action.setVisible(entry is not None)
            action.setText(f"↻ {_short(label(entry))}" if entry else "")
        self.switch_menu.clear()
        for project in snapshot.projects:
            action = self.switch_menu.addAction(project.path)
            action.setCheckable(True)
            action.setChecked(running is not None and running.project_id == project.id)
            action.triggered.connect(lambda _=False, pid=project.id: self._model.switch_project(pid))
        self.switch_menu.setEnabled(bool(snapshot.projects))
        warning = " · ".join(n.message for n in snapshot.notices)
        self.notice_action.setText(f"⚠ {warning}" if warning else "")
        self.notice_action.setVisible(bool(warning))
        self._update_clock()

    def _update_clock(self) -> None:
        """Once a second: tooltip, header and icon from the snapshot and the clock, with no database."""
        snapshot = self._model.snapshot
        now = self._model.clock()
        if self._capture_paused_until is not None and self._capture_paused_until <= now:
            self._capture_state(None)  # capture resumed by itself
            self._refresh_capture()
        text = tooltip(snapshot, now)
        if self._capture_paused_until is not None:
            text += f"\nCapture paused {_until(self._capture_paused_until)}"
        if self._reconnect:
            text += f"\n{' and '.join(self._reconnect)}: reconnect needed"
        if self.icon.toolTip() != text:
            self.icon.setToolTip(text)
        running = snapshot.running
        header = (
            f"● {_short(label(running))}   {format_duration(snapshot.elapsed(now))}"
            if running else "No timer running"
        )
        if self.status_action.text() != header:
            self.status_action.setText(header)
        if self._shown_state != self.state:
            self._shown_state = self.state
            self.icon.setIcon(self.current_icon())

    def current_icon(self) -> QIcon:
        return icon({"running": Icon.RUNNING, "reconnect": Icon.RECONNECT, "paused": Icon.PAUSED}.get(
            self.state, Icon.STOPPED))

    @property
    def state(self) -> str:
        """`running`, `reconnect`, `paused` or `stopped`: which icon is shown. A running timer stays visible;
        otherwise an accounting connection that needs signing in again outranks paused capture."""
        if self._model.snapshot.running:
            return "running"
        if self._reconnect:
            return "reconnect"
        return "paused" if self._capture_paused_until is not None else "stopped"

    def set_reconnect_needed(self, titles: Sequence[str]) -> None:
        """The accounting systems (by title) whose sign-in expired or was revoked; empty when all is well."""
        self._reconnect = tuple(titles)
        self.reconnect_action.setText(f"Reconnect {' and '.join(self._reconnect)}…")
        self.reconnect_action.setVisible(bool(self._reconnect))
        self._update_clock()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # Only the single click: a double click also sends Trigger first, and would toggle twice.
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            if self._toggle_window is not None:
                self._toggle_window()
            else:
                self.open_timesheet.emit()

    def _show_failure(self, message: str) -> None:
        if self.icon.isVisible() and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage("TimeTally", message, QSystemTrayIcon.MessageIcon.Warning, 8000)

    # Capture pause: the control may touch files or threads, so it is called on the write worker.

    def _pause(self, choice: str) -> None:
        capture = self._capture
        if capture is None:
            return
        until = dict(pause_choices(self._model.clock()))[choice]
        self._runner.write(lambda: capture.pause(until),
                           lambda _: self._refresh_capture(), self._capture_failed, owner=self)

    def _resume_capture(self) -> None:
        capture = self._capture
        if capture is not None:
            self._runner.write(capture.resume, lambda _: self._refresh_capture(), self._capture_failed,
                               owner=self)

    def _refresh_capture(self) -> None:
        capture = self._capture
        if capture is None:
            return

        def read() -> datetime | None:
            return capture.paused_until() if capture.is_paused() else None

        self._runner.read(read, self._capture_state, self._capture_failed, owner=self)

    def _capture_state(self, paused_until: datetime | None) -> None:
        self._capture_paused_until = paused_until
        self.resume_capture_action.setEnabled(paused_until is not None)
        self.capture_menu.setTitle(f"Capture paused {_until(paused_until)}" if paused_until else "Pause capture")
        self._update_clock()

    def _capture_failed(self, error: BaseException) -> None:
        self._model.failed.emit(f"Capture could not be paused or resumed: {error}")


def _until(moment: datetime) -> str:
    if moment.year == datetime.max.year:
        return "until resumed"
    local = moment.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return f"until {local:%H:%M}"
    return f"until {local:%a %H:%M}"


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
