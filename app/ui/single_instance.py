"""One TimeTally per data folder: the first launch listens on a local socket, a second launch asks it to come to
the front and exits, and CLI commands tell it what changed so the tray refreshes at once.

The name and the line protocol are in `app.desktop.instance_client`, which the CLI uses without Qt.
"""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from app.desktop.instance_client import activate_running_instance, instance_name

log = logging.getLogger(__name__)
MAX_LINE = 64 * 1024


class SingleInstance(QObject):
    """`claim()` once at start-up; then connect `activate_requested` and `refresh_requested`."""

    activate_requested = Signal()
    refresh_requested = Signal(frozenset)
    """The change areas another process reports (same names as `ChangeBus.changed`)."""

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or instance_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def claim(self) -> bool:
        """True when this process is now the instance. False when another one runs; it was asked to show itself."""
        if activate_running_instance(self.name):
            return False
        if self._server.listen(self.name):
            return True
        if self._server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            if activate_running_instance(self.name):
                return False
            QLocalServer.removeServer(self.name)  # left behind by a crash: nobody answers on it
            if self._server.listen(self.name):
                return True
        log.warning("single-instance server not started: %s", self._server.errorString())
        return True

    def is_listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(connection.deleteLater)

    def _read(self, connection: QLocalSocket) -> None:
        while connection.canReadLine():
            line = bytes(connection.readLine().data())
            connection.write(b"ok\n" if self._handle(line) else b"error\n")
            connection.flush()
        if connection.bytesAvailable() > MAX_LINE:
            connection.abort()

    def _handle(self, line: bytes) -> bool:
        try:
            message = json.loads(line)
        except ValueError:
            log.warning("single-instance server: a message that is not JSON was ignored")
            return False
        op = message.get("op") if isinstance(message, dict) else None
        if op == "activate":
            self.activate_requested.emit()
            return True
        areas = message.get("areas") if op == "refresh" else None
        if isinstance(areas, list) and all(isinstance(a, str) for a in areas):
            self.refresh_requested.emit(frozenset(areas))
            return True
        log.warning("single-instance server: an unknown message was ignored")
        return False
