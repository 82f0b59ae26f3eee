"""Watcher events as Qt signals on the GUI thread: the watcher's listeners run on its own thread, and widgets
may only be touched from the GUI thread, so each event crosses over through a queued connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.capture.events import (
    CaptureEvent,
    ClockJumped,
    IdleEnded,
    IdleStarted,
    PauseChanged,
    Sleeping,
    Status,
    Woke,
)


class Listenable(Protocol):
    def add_listener(self, listener: Callable[[CaptureEvent], None]) -> None: ...
    def remove_listener(self, listener: Callable[[CaptureEvent], None]) -> None: ...


class CaptureBridge(QObject):
    """Create on the GUI thread with the watcher; connect views to the typed signals. Instants are UTC epoch
    seconds; `paused_changed` carries an aware datetime or None."""

    idle_started = Signal(float)
    idle_ended = Signal(float, float)
    sleeping = Signal(float)
    woke = Signal(float, object)
    clock_jumped = Signal(float)
    paused_changed = Signal(object)
    status = Signal(str, bool)

    _arrived = Signal(object)

    def __init__(self, watcher: Listenable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = watcher
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._listener = self._arrived.emit
        watcher.add_listener(self._listener)

    def detach(self) -> None:
        self._watcher.remove_listener(self._listener)

    @Slot(object)
    def _deliver(self, event: CaptureEvent) -> None:
        if isinstance(event, IdleStarted):
            self.idle_started.emit(event.since)
        elif isinstance(event, IdleEnded):
            self.idle_ended.emit(event.since, event.until)
        elif isinstance(event, Sleeping):
            self.sleeping.emit(event.at)
        elif isinstance(event, Woke):
            self.woke.emit(event.at, event.since)
        elif isinstance(event, ClockJumped):
            self.clock_jumped.emit(event.by)
        elif isinstance(event, PauseChanged):
            self.paused_changed.emit(event.paused_until)
        elif isinstance(event, Status):
            self.status.emit(event.message, event.capturing)
