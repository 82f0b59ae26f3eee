"""Sleep and lock signals over a real (private) D-Bus daemon, with a stand-in for logind and a screen saver."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

from app.capture.power import LOGIND, LOGIND_PATH, PowerMonitor


@pytest.fixture
def bus() -> Iterator[str]:
    if not shutil.which("dbus-daemon"):
        pytest.fail("dbus-daemon is required (package dbus-daemon)")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"],
                              stdout=subprocess.PIPE, text=True)
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    yield address
    daemon.terminate()
    daemon.wait(timeout=5)


def test_sleep_resume_and_screen_lock_reach_the_callbacks(bus: str) -> None:
    from jeepney import DBusAddress, new_signal
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    seen: list[tuple[str, bool]] = []
    monitor = PowerMonitor(lambda s: seen.append(("sleep", s)), lambda locked: seen.append(("lock", locked)),
                           system_bus=bus, session_bus=bus)
    assert monitor.start() == ["sleep", "screen saver"]
    with open_dbus_connection(bus=bus) as fake:
        fake.send_and_get_reply(message_bus.RequestName(LOGIND))
        logind = DBusAddress(LOGIND_PATH, interface=f"{LOGIND}.Manager")
        saver = DBusAddress("/org/freedesktop/ScreenSaver", interface="org.freedesktop.ScreenSaver")
        for message in (new_signal(logind, "PrepareForSleep", "b", (True,)),
                        new_signal(logind, "PrepareForSleep", "b", (False,)),
                        new_signal(saver, "ActiveChanged", "b", (True,)),
                        new_signal(saver, "ActiveChanged", "b", (False,))):
            fake.send(message)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(seen) < 4:
            time.sleep(0.02)
    monitor.stop()
    # Each bus has its own thread, so only the order within one kind of signal is defined.
    assert [s for kind, s in seen if kind == "sleep"] == [True, False]
    assert [s for kind, s in seen if kind == "lock"] == [True, False]


def test_sleep_from_anyone_but_logind_is_ignored(bus: str) -> None:
    from jeepney import DBusAddress, new_signal
    from jeepney.io.blocking import open_dbus_connection

    seen: list[bool] = []
    monitor = PowerMonitor(seen.append, lambda _locked: None, system_bus=bus, session_bus=bus)
    monitor.start()
    with open_dbus_connection(bus=bus) as impostor:
        impostor.send(new_signal(DBusAddress(LOGIND_PATH, interface=f"{LOGIND}.Manager"), "PrepareForSleep", "b",
                                 (True,)))
        time.sleep(0.3)
    monitor.stop()
    assert seen == []


def test_no_bus_means_watching_nothing_without_failing() -> None:
    monitor = PowerMonitor(lambda _s: None, lambda _l: None, system_bus="unix:path=/nonexistent/bus",
                           session_bus="unix:path=/nonexistent/bus")
    assert monitor.start() == []
    monitor.stop()


def test_wayland_idle_comes_from_the_session_idle_monitor(bus: str) -> None:
    import threading

    from jeepney import HeaderFields, MessageType, new_method_return
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    from app.capture.backends.wayland import NOTICE, MutterIdleMonitor, WaylandBackend

    mutter = open_dbus_connection(bus=bus)
    mutter.send_and_get_reply(message_bus.RequestName("org.gnome.Mutter.IdleMonitor"))

    def serve() -> None:
        try:
            while True:
                call = mutter.receive()
                member = call.header.fields.get(HeaderFields.member)
                if call.header.message_type == MessageType.method_call and member == "GetIdletime":
                    mutter.send(new_method_return(call, "t", (4200,)))
        except (OSError, EOFError):
            return

    threading.Thread(target=serve, daemon=True).start()
    backend = WaylandBackend(monitor_factory=lambda: MutterIdleMonitor(bus=bus))
    try:
        assert backend.notice == NOTICE and backend.idle_seconds() == 4.2 and backend.active_window() is None
    finally:
        backend.close()
        mutter.close()
