"""Payments back while the app runs: every `sync.payments_poll_minutes`, ask each connected accounting system about
the invoices it was sent, on a worker, and tell the views when entries changed.

A check never overlaps the previous one; a failure (offline, sign-in expired) is logged and the next tick tries
again. The shell creates one after the core is up and calls `start()`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.settings import Settings
from app.sync.reports import PaymentOutcome
from app.sync.service import SyncService
from app.ui.events import ENTRIES, INVOICES, SYNC, ChangeBus
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

log = logging.getLogger(__name__)


class PaymentPoller(QObject):
    checked = Signal(object)
    """list[PaymentOutcome] of one check (only invoices whose status changed)."""

    def __init__(self, sync: SyncService, settings: Settings, runner: TaskRunner, bus: ChangeBus,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sync, self._settings, self._runner, self._bus = sync, settings, runner, bus
        self._busy = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        """(Re)reads the interval on a worker; 0 minutes means on demand only."""
        settings = self._settings
        self._runner.read(lambda: int(settings.get("sync.payments_poll_minutes")), self._schedule, owner=self)

    def _schedule(self, minutes: int) -> None:
        self.timer.stop()
        if minutes > 0:
            self.timer.start(minutes * 60_000)

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> None:
        if self._busy:
            return
        self._busy = True
        sync = self._sync

        def check() -> tuple[list[PaymentOutcome], int]:
            billed = sum(len(ids) for ids in sync.sync_billed_time().values())  # first: it finds invoices to follow
            return sync.sync_payments(), billed

        self._runner.read(check, self._done, self._failed, owner=self)

    def _done(self, result: tuple[list[PaymentOutcome], int]) -> None:
        self._busy = False
        outcomes, billed = result
        if outcomes or billed:
            self._bus.announce(ENTRIES, INVOICES, SYNC)
        self.checked.emit(outcomes)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        log.warning("checking payments failed: %s", user_message(error))
