"""The door to automation for the CLI and the desktop app: endpoints, the courier and the scheduler on one
database, built by the composition root."""

from __future__ import annotations

import time
from collections.abc import Callable

from app.automation import changes
from app.automation.courier import Courier, Report
from app.automation.endpoints import Endpoints
from app.automation.schedule import RunReport, Scheduler
from app.settings import Settings
from app.store.db import Database
from app.sync.oauth.vault import Vault
from app.sync.service import SyncService

CLI_WAIT_SECONDS = 5.0
"""How long a CLI command waits for the webhooks it caused before leaving them to the app or `run-scheduled`."""


class AutomationService:
    def __init__(self, db: Database, vault: Vault, sync: SyncService, settings: Settings) -> None:
        self._db = db
        self.endpoints = Endpoints(db, vault)
        self.scheduler = Scheduler(db, sync, lambda: int(settings.get("review.week_start")))
        self._courier: Courier | None = None
        self._hub = changes.install(db)

    @property
    def courier(self) -> Courier:
        if self._courier is None:
            self._courier = Courier(self._db, self.endpoints)
        return self._courier

    def on_written(self, listener: Callable[[], None]) -> Callable[[], None]:
        """`listener` is called (on the writing thread) whenever deliveries were written in this process; the
        callable returned unsubscribes it."""
        self._hub.listeners.append(listener)
        return lambda: self._hub.listeners.remove(listener)

    def deliver_written(self, seconds: float = CLI_WAIT_SECONDS) -> Report:
        """Deliver what this process caused, waiting at most `seconds`; what is left stays due for later."""
        written = self._hub.take_written()
        if not written:
            return Report()
        return self.courier.deliver_due(only=written, deadline=time.monotonic() + seconds)

    def run_scheduled(self) -> tuple[Report, RunReport]:
        """What `sync run-scheduled` and the app's timer do: due sends and payment checks, then due webhooks."""
        ran = self.scheduler.run_due()
        return self.courier.deliver_due(), ran

    def close(self) -> None:
        if self._courier is not None:
            self._courier.close()
            self._courier = None
