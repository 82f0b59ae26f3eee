"""One TimeTally per data folder: the first launch listens on a local socket, a second launch asks it to come to
the front and exits, and CLI commands tell it what changed so the tray refreshes at once.

The name, the transport and the protocol are in `app.desktop.instance_client`, on the standard library alone so
the bundle needs no Qt networking; its listener runs on a thread of its own, and this class brings what it
receives to the GUI thread.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.desktop.instance_client import (
    InstanceRunning,
    InstanceServer,
    Request,
    activate_running_instance,
    instance_name,
)

log = logging.getLogger(__name__)
STARTING_UP = 2.0
"""Seconds a second launch waits for a first one that has the name but does not answer yet (it is starting up)."""


class SingleInstance(QObject):
    """`claim()` once at start-up; then connect `activate_requested` and `refresh_requested`."""

    activate_requested = Signal()
    refresh_requested = Signal(frozenset)
    """The change areas another process reports (same names as `ChangeBus.changed`)."""
    _received = Signal(object)
    """Emitted on the listener's thread; queued, so the public signals always fire on the GUI thread."""

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or instance_name()
        self._received.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._server = InstanceServer(self.name, self._received.emit)

    def claim(self) -> bool:
        """True when this process is now the instance. False when another one runs; it was asked to show itself."""
        if activate_running_instance(self.name):
            return False
        try:
            self._server.listen()
        except InstanceRunning:
            self._activate_the_winner()
            return False
        except OSError as exc:
            log.warning("single-instance server not started: %s", exc)
        return True

    def is_listening(self) -> bool:
        return self._server.listening

    def close(self) -> None:
        self._server.close()

    def _activate_the_winner(self) -> None:
        """Two launches raced and the other won: ask it to show itself once it listens. This one gives up even when
        the other does not answer in time: it holds the name, and two instances on one data folder must not run."""
        deadline = time.monotonic() + STARTING_UP
        while time.monotonic() < deadline:
            if activate_running_instance(self.name):
                return
            time.sleep(0.05)
        log.warning("another TimeTally holds %s but does not answer; not starting a second one", self.name)

    @Slot(object)
    def _dispatch(self, request: Request) -> None:
        if request.op == "activate":
            self.activate_requested.emit()
        else:
            self.refresh_requested.emit(request.areas)
