"""Wayland: other applications' windows are hidden from us by design, so only idle time is captured, through
the session's D-Bus idle monitor (GNOME's Mutter) when there is one. The user is told so in plain words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.capture.backends.base import Backend, Window

NOTICE = (
    "You are using a Wayland desktop, which does not let applications see other windows. TimeTally can record "
    "when you are away from the computer, but not which application or window you use. To capture applications "
    "and window titles, choose an \"X11\" or \"Xorg\" session on the login screen."
)
NOTICE_NO_IDLE = NOTICE.replace(
    "TimeTally can record when you are away from the computer, but not",
    "This desktop also offers no idle monitor TimeTally can read, so it cannot record when you are away, nor",
)


class MutterIdleMonitor:
    """`org.gnome.Mutter.IdleMonitor.GetIdletime` on the session bus: milliseconds since the last input."""

    def __init__(self, bus: str = "SESSION") -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        self._conn = open_dbus_connection(bus=bus)
        self._msg = new_method_call(
            DBusAddress("/org/gnome/Mutter/IdleMonitor/Core", bus_name="org.gnome.Mutter.IdleMonitor",
                        interface="org.gnome.Mutter.IdleMonitor"),
            "GetIdletime",
        )

    def __call__(self) -> float:
        from jeepney.wrappers import unwrap_msg

        (idle_ms,) = unwrap_msg(self._conn.send_and_get_reply(self._msg, timeout=1.0))
        return int(idle_ms) / 1000.0

    def close(self) -> None:
        self._conn.close()


class WaylandBackend(Backend):
    name = "wayland"

    def __init__(self, monitor_factory: Callable[[], Any] = MutterIdleMonitor) -> None:
        self._idle = _open_monitor(monitor_factory)
        self.notice = NOTICE if self._idle is not None else NOTICE_NO_IDLE

    def active_window(self) -> Window | None:
        return None

    def idle_seconds(self) -> float | None:
        if self._idle is None:
            return None
        try:
            return self._idle()
        except Exception:  # the monitor went away (session ending); idle is unknown rather than fatal
            return None

    def close(self) -> None:
        closer = getattr(self._idle, "close", None)
        if closer is not None:
            closer()


def _open_monitor(factory: Callable[[], Any]) -> Callable[[], float] | None:
    """The monitor, if it answers once; None when there is no session bus or no such service."""
    try:
        monitor = factory()
        monitor()
    except Exception:
        return None
    return monitor  # type: ignore[no-any-return]
