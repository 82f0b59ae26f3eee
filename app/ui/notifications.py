"""Desktop notifications: reminders to track, the long-running-timer warning, sync results.

Shown as tray balloons when a tray icon is up; otherwise in a small window in the screen corner that closes by
itself, so a desktop without a tray still hears them. The reminder rules are in `app.desktop.reminders`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QSystemTrayIcon, QVBoxLayout, QWidget

from app.core import Core
from app.desktop.reminders import Activity, ReminderConfig, ReminderPolicy, read_activity
from app.domain.timefmt import utcnow
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
SHOW_MS = 10_000
CHECK_MS = 60_000


class Toast(QWidget):
    """The stand-in for a tray balloon: a frameless note in the bottom-right corner that never takes focus."""

    def __init__(self, title: str, message: str, msecs: int) -> None:
        super().__init__(
            None,
            Qt.WindowType.ToolTip
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus,
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        self.title = QLabel(f"<b>{title}</b>")
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        self.setFixedWidth(360)
        QTimer.singleShot(msecs, self.close)

    def show_in_corner(self) -> None:
        self.adjustSize()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.right() - self.width() - 16, area.bottom() - self.height() - 16)
        self.show()


class Notifier(QObject):
    """Shows one notification; `shown` carries (title, message) for whoever keeps a history (and for tests)."""

    shown = Signal(str, str)

    def __init__(self, tray_icon: QSystemTrayIcon | None = None, msecs: int = SHOW_MS) -> None:
        super().__init__()
        self._icon = tray_icon
        self._msecs = msecs
        self.toast: Toast | None = None
        """The fallback window on screen, if any."""

    def set_tray(self, tray_icon: QSystemTrayIcon | None) -> None:
        self._icon = tray_icon

    def show(self, title: str, message: str, warning: bool = False) -> None:
        icon = self._icon
        if icon is not None and icon.isVisible() and QSystemTrayIcon.supportsMessages():
            kind = QSystemTrayIcon.MessageIcon.Warning if warning else QSystemTrayIcon.MessageIcon.Information
            icon.showMessage(title, message, kind, self._msecs)
        else:
            if self.toast is not None:
                self.toast.close()
            toast = self.toast = Toast(title, message, self._msecs)
            toast.destroyed.connect(lambda _obj=None: self._toast_gone(toast))
            toast.show_in_corner()
        log.info("notification: %s", title)
        self.shown.emit(title, message)

    def _toast_gone(self, toast: Toast) -> None:
        if self.toast is toast:
            self.toast = None


class Reminders(QObject):
    """Checks once a minute, on a worker, whether to remind; also announces sync results."""

    def __init__(
        self,
        core: Core,
        runner: TaskRunner,
        notifier: Notifier,
        clock: Callable[[], datetime] = utcnow,
        interval_ms: int = CHECK_MS,
    ) -> None:
        super().__init__()
        self._core = core
        self._runner = runner
        self._notifier = notifier
        self._clock = clock
        self._spans = core.activity
        self._policy = ReminderPolicy(clock())
        self._checking = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check_now)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def check_now(self) -> None:
        if self._checking:
            return
        self._checking = True
        core, spans = self._core, self._spans

        def read() -> tuple[ReminderConfig, Activity]:
            return ReminderConfig.from_settings(core.settings), read_activity(core.entries, spans)

        self._runner.read(read, self._decide, self._failed)

    def sync_finished(self, ok: bool, summary: str) -> None:
        """Call when a sync ends: failures always show, successes when `notifications.sync_results` is on."""
        if not ok:
            self._notifier.show("Sync failed", summary, warning=True)
            return
        settings = self._core.settings
        self._runner.read(
            lambda: settings.get("notifications.sync_results"),
            lambda wanted: wanted and self._notifier.show("Sync finished", summary),
        )

    def _decide(self, state: tuple[ReminderConfig, Activity]) -> None:
        self._checking = False
        now = self._clock()
        reminder = self._policy.check(now, now.astimezone(), *state)
        if reminder is not None:
            self._notifier.show(reminder.title, reminder.message, reminder.warning)

    def _failed(self, error: BaseException) -> None:
        self._checking = False
        log.warning("reminder check failed: %s", error)
