"""Backends that cannot run here (Windows, macOS, Wayland) with their OS calls faked; the factory's choices."""

from __future__ import annotations

import ctypes
import os
from types import SimpleNamespace
from typing import Any

import pytest

from app.capture.backends import factory
from app.capture.backends.base import BackendLost, ProcessNames
from app.capture.backends.macos import NO_ACCESSIBILITY, MacBackend
from app.capture.backends.null import NullBackend
from app.capture.backends.wayland import NOTICE, NOTICE_NO_IDLE, WaylandBackend
from app.capture.backends.windows import WindowsBackend


class User32:
    """GetForegroundWindow & co. writing through the pointers they are given, as the real DLL does."""

    def __init__(self, hwnd: int, title: str, pid: int, last_input: int) -> None:
        self.hwnd, self.title, self.pid, self.last_input = hwnd, title, pid, last_input

    def GetForegroundWindow(self) -> int:
        return self.hwnd

    def GetWindowTextLengthW(self, hwnd: int) -> int:
        return len(self.title)

    def GetWindowTextW(self, hwnd: int, buffer: Any, size: int) -> int:
        buffer.value = self.title[: size - 1]
        return len(buffer.value)

    def GetWindowThreadProcessId(self, hwnd: int, pid: Any) -> int:
        pid.contents.value = self.pid
        return 1

    def GetLastInputInfo(self, info: Any) -> int:
        assert info.contents.cbSize == 8
        info.contents.dwTime = self.last_input
        return 1


class Kernel32:
    def __init__(self, ticks: int) -> None:
        self.ticks = ticks

    def GetTickCount64(self) -> int:
        return self.ticks


def test_windows_reads_the_foreground_window_and_idle_time() -> None:
    user32 = User32(0x1234, "Report.docx - Word \x00", os.getpid(), last_input=10_000)
    backend = WindowsBackend(user32, Kernel32(12_500))
    window = backend.active_window()
    assert window is not None and window.title == "Report.docx - Word" and window.pid == os.getpid()
    assert window.app and window.exe  # this very process, through psutil
    assert backend.idle_seconds() == 2.5


def test_windows_idle_survives_the_32_bit_tick_wrap() -> None:
    backend = WindowsBackend(User32(1, "", 0, last_input=2**32 - 1000), Kernel32(2**32 + 500))
    assert backend.idle_seconds() == 1.5


def test_windows_without_a_foreground_window_or_with_a_vanished_process() -> None:
    assert WindowsBackend(User32(0, "", 0, 0), Kernel32(0)).active_window() is None
    window = WindowsBackend(User32(7, "Setup", 2**22 + 12345, 0), Kernel32(0)).active_window()
    assert window is not None and (window.app, window.exe, window.title) == ("", "", "Setup")


def test_process_names_for_missing_pids_are_blank() -> None:
    names = ProcessNames()
    assert names.lookup(0) == ("", "") and names.lookup(2**22 + 999) == ("", "")
    assert names.lookup(os.getpid(), 5) == names.lookup(os.getpid(), 5) != ("", "")


def _mac(trusted: bool, title: Any = "Budget.xlsx", err: int = 0) -> MacBackend:
    front = SimpleNamespace(processIdentifier=lambda: 501, localizedName=lambda: "Microsoft Excel",
                            executableURL=lambda: SimpleNamespace(path=lambda: "/Applications/Excel.app/Excel"))
    workspace = SimpleNamespace(frontmostApplication=lambda: front)
    appkit = SimpleNamespace(NSWorkspace=SimpleNamespace(sharedWorkspace=lambda: workspace))
    quartz = SimpleNamespace(kCGEventSourceStateCombinedSessionState=1, kCGAnyInputEventType=2,
                             CGEventSourceSecondsSinceLastEventType=lambda state, kind: 42.5 if (state, kind) == (1, 2)
                             else -1)

    def copy(element: Any, attribute: str, _none: None) -> tuple[int, Any]:
        return (err, "window") if attribute == "AXFocusedWindow" else (err, title)

    services = SimpleNamespace(AXIsProcessTrusted=lambda: trusted, AXUIElementCreateApplication=lambda pid: pid,
                               AXUIElementCopyAttributeValue=copy, kAXFocusedWindowAttribute="AXFocusedWindow",
                               kAXTitleAttribute="AXTitle")
    return MacBackend(appkit, quartz, services, SimpleNamespace())


def test_macos_reads_the_frontmost_app_title_and_idle_time() -> None:
    backend = _mac(trusted=True)
    window = backend.active_window()
    assert window is not None
    assert (window.app, window.title, window.exe, window.pid) == (
        "Microsoft Excel", "Budget.xlsx", "/Applications/Excel.app/Excel", 501)
    assert backend.idle_seconds() == 42.5 and backend.notice is None


def test_macos_without_accessibility_records_apps_and_says_why_titles_are_missing() -> None:
    backend = _mac(trusted=False)
    window = backend.active_window()
    assert window is not None and window.title == "" and window.app == "Microsoft Excel"
    assert backend.notice == NO_ACCESSIBILITY
    assert _mac(trusted=True, err=-25204).active_window().title == ""  # type: ignore[union-attr]


def test_wayland_reports_idle_only_and_explains_why() -> None:
    backend = WaylandBackend(monitor_factory=lambda: lambda: 12.0)
    assert backend.active_window() is None and backend.idle_seconds() == 12.0
    assert backend.notice == NOTICE and "Wayland" in NOTICE

    def no_bus() -> Any:
        raise ConnectionRefusedError("no session bus")

    silent = WaylandBackend(monitor_factory=no_bus)
    assert silent.idle_seconds() is None and silent.notice == NOTICE_NO_IDLE


def test_factory_picks_by_platform_and_session() -> None:
    assert isinstance(factory.create_backend({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, "linux"),
                      WaylandBackend)
    null = factory.create_backend({}, "linux")
    assert isinstance(null, NullBackend) and "DISPLAY" in (null.notice or "")
    mac = factory.create_backend({}, "darwin")
    assert isinstance(mac, NullBackend) and "pyobjc" in (mac.notice or "")
    with pytest.raises(BackendLost):
        factory.create_backend({"DISPLAY": ":999"}, "linux")


def test_windows_structures_match_the_api() -> None:
    from app.capture.backends.windows import LASTINPUTINFO

    assert ctypes.sizeof(LASTINPUTINFO) == 8
