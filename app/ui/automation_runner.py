"""Automation while the desktop app runs: webhooks this process caused go out at once, and once a minute the due
scheduled sends, payment checks and webhook retries run, all on the task runner. A check never overlaps the
previous one; what the user must hear (a failed scheduled send, a disabled endpoint) is notified once."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.automation.courier import Report
from app.automation.schedule import RunReport
from app.automation.service import AutomationService
from app.ui.events import ChangeBus, Changed, recorded
from app.ui.notifications import Notifier
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

log = logging.getLogger(__name__)
CHECK_MS = 60_000
DELIVER_SECONDS = 30.0


class AutomationRunner(QObject):
    written = Signal()
    """Deliveries were written (emitted on whichever thread wrote them; Qt queues it to the GUI thread)."""

    def __init__(self, automation: AutomationService, runner: TaskRunner, bus: ChangeBus, notifier: Notifier | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._automation, self._runner, self._bus, self._notifier = automation, runner, bus, notifier
        self._checking = self._delivering = self._again = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.written.connect(self.deliver)
        self._unsubscribe = automation.on_written(self.written.emit)

    def start(self) -> None:
        self.timer.start(CHECK_MS)
        self.check()

    def stop(self) -> None:
        self.timer.stop()
        self._unsubscribe()
        self._unsubscribe = lambda: None

    def deliver(self) -> None:
        """What this process just caused; a write meanwhile asks for another round."""
        if self._delivering:
            self._again = True
            return
        self._delivering, self._again = True, False
        automation = self._automation
        self._runner.read(lambda: automation.deliver_written(DELIVER_SECONDS), self._delivered, self._failed_delivery,
                          owner=self)

    def _delivered(self, report: Report) -> None:
        self._delivering = False
        self._tell(report.notices())
        if self._again:
            self.deliver()

    def _failed_delivery(self, error: BaseException) -> None:
        self._delivering = False
        log.warning("delivering webhooks failed: %s", user_message(error))

    def check(self) -> None:
        if self._checking:
            return
        self._checking = True
        self._runner.read(recorded(self._automation.run_scheduled), self._checked, self._failed_check, owner=self)

    def _checked(self, done: Changed[tuple[Report, RunReport]]) -> None:
        self._checking = False
        delivered, ran = done.value
        self._bus.publish(done.changes)
        self._tell(ran.notices + delivered.notices())

    def _failed_check(self, error: BaseException) -> None:
        self._checking = False
        log.warning("the scheduled check failed: %s", user_message(error))

    def _tell(self, notices: list[str]) -> None:
        for notice in notices:
            log.warning("%s", notice)
            if self._notifier is not None:
                self._notifier.show("TimeTally automation", notice, warning=True)
