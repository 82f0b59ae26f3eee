"""Sleep and lock on Linux over D-Bus (jeepney, pure Python): logind `PrepareForSleep` and the session's
`Lock`/`Unlock` on the system bus, screen savers' `ActiveChanged` on the session bus.

Each bus gets one daemon thread blocked on its socket (no polling). When a bus is missing the monitor simply
watches less; the watcher's wall-clock gap check still catches a suspend nobody announced.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

LOGIND = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
SCREENSAVERS = ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver", "org.mate.ScreenSaver",
                "org.cinnamon.ScreenSaver", "org.xfce.ScreenSaver")


@dataclass(frozen=True)
class _Watch:
    """A signal to ask the bus for, and what to do with its body."""

    rule: Any
    local: Any
    handle: Callable[[tuple[Any, ...]], None]


def _rule(**fields: str) -> Any:
    from jeepney import MatchRule

    return MatchRule(type="signal", **fields)


class _BusThread:
    """One connection and one daemon thread delivering matching signals until `stop()`."""

    def __init__(self, conn: Any, watches: list[_Watch]) -> None:
        self._conn = conn
        self._watches = watches
        self._thread = threading.Thread(target=self._loop, name="tt-dbus", daemon=True)
        self._stopping = False

    def start(self) -> None:
        from jeepney.bus_messages import message_bus

        for w in self._watches:
            self._conn.send_and_get_reply(message_bus.AddMatch(w.rule), timeout=2.0)
        self._thread.start()

    def _loop(self) -> None:
        try:
            while not self._stopping:
                msg = self._conn.receive()
                for w in self._watches:
                    if w.local.matches(msg):
                        w.handle(tuple(msg.body))
        except Exception as exc:  # the bus went away or stop() shut the socket
            if not self._stopping:
                log.warning("D-Bus signal watch ended: %s", exc)

    def stop(self) -> None:
        self._stopping = True
        with contextlib.suppress(OSError):
            self._conn.sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=2.0)
        with contextlib.suppress(OSError):
            self._conn.close()


class PowerMonitor:
    """Calls `on_sleep(True/False)` before sleep and after resume, `on_lock(True/False)` on lock and unlock.

    Callbacks run on the bus threads: they must only hand the event over (the watcher queues it).
    """

    def __init__(self, on_sleep: Callable[[bool], None], on_lock: Callable[[bool], None],
                 system_bus: str = "SYSTEM", session_bus: str = "SESSION") -> None:
        self._on_sleep = on_sleep
        self._on_lock = on_lock
        self._buses = (system_bus, session_bus)
        self._threads: list[_BusThread] = []

    def start(self) -> list[str]:
        """Begin watching; the names of what could be watched (empty where there is no D-Bus)."""
        watching: list[str] = []
        system, session = self._buses
        conn = _connect(system)
        if conn is not None:
            watches = [_Watch(_rule(sender=LOGIND, interface=f"{LOGIND}.Manager", member="PrepareForSleep",
                                    path=LOGIND_PATH),
                              _rule(interface=f"{LOGIND}.Manager", member="PrepareForSleep", path=LOGIND_PATH),
                              lambda body: self._on_sleep(bool(body[0])))]
            watching.append("sleep")
            path = _session_path(conn)
            if path:
                for member, locked in (("Lock", True), ("Unlock", False)):
                    watches.append(_Watch(_rule(sender=LOGIND, interface=f"{LOGIND}.Session", member=member, path=path),
                                          _rule(interface=f"{LOGIND}.Session", member=member, path=path),
                                          lambda _body, locked=locked: self._on_lock(locked)))  # type: ignore[misc]
                watching.append("lock")
            self._begin(conn, watches)
        conn = _connect(session)
        if conn is not None:
            watches = [_Watch(_rule(interface=name, member="ActiveChanged"),
                              _rule(interface=name, member="ActiveChanged"),
                              lambda body: self._on_lock(bool(body[0])))
                       for name in SCREENSAVERS]
            watching.append("screen saver")
            self._begin(conn, watches)
        return watching

    def _begin(self, conn: Any, watches: list[_Watch]) -> None:
        thread = _BusThread(conn, watches)
        try:
            thread.start()
        except Exception as exc:
            log.info("cannot watch D-Bus signals: %s", exc)
            with contextlib.suppress(OSError):
                conn.close()
            return
        self._threads.append(thread)

    def stop(self) -> None:
        for thread in self._threads:
            thread.stop()
        self._threads.clear()


def _connect(bus: str) -> Any:
    from jeepney.io.blocking import open_dbus_connection

    try:
        return open_dbus_connection(bus=bus)
    except Exception as exc:  # no bus here (containers, headless CI, other OS): watch less
        log.info("no D-Bus connection to %s: %s", bus, exc)
        return None


def _session_path(conn: Any) -> str | None:
    """Our logind session's object path, for its Lock/Unlock signals."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.wrappers import DBusErrorResponse, unwrap_msg

    manager = DBusAddress(LOGIND_PATH, bus_name=LOGIND, interface=f"{LOGIND}.Manager")
    calls = [new_method_call(manager, "GetSessionByPID", "u", (os.getpid(),))]
    if os.environ.get("XDG_SESSION_ID"):
        calls.append(new_method_call(manager, "GetSession", "s", (os.environ["XDG_SESSION_ID"],)))
    for call in calls:
        try:
            (path,) = unwrap_msg(conn.send_and_get_reply(call, timeout=1.0))
            return str(path)
        except (DBusErrorResponse, TimeoutError, OSError, ValueError):
            continue
    return None
