"""Windows: the foreground window through user32, idle time from GetLastInputInfo (ctypes, no extra package),
changes announced by WinEvent hooks (`windows_events`).

Never WMI in the poll loop: the process name comes from psutil. The DLLs can be injected, which is how the
tests run this code on other systems.
"""

from __future__ import annotations

import ctypes
from ctypes import wintypes
from typing import Any

from app.capture.backends.base import Backend, Changed, Lost, ProcessNames, Window, clean_text


class LASTINPUTINFO(ctypes.Structure):
    # UINT and DWORD are 32-bit on Windows; spelled out so the layout is the same wherever it is built.
    _fields_ = [("cbSize", ctypes.c_uint32), ("dwTime", ctypes.c_uint32)]


class WindowsBackend(Backend):
    name = "windows"

    def __init__(self, user32: Any = None, kernel32: Any = None) -> None:
        if user32 is None or kernel32 is None:
            windll = ctypes.windll  # type: ignore[attr-defined]
            user32, kernel32 = windll.user32, windll.kernel32
            kernel32.GetTickCount64.restype = ctypes.c_uint64
            user32.GetForegroundWindow.restype = wintypes.HWND
        self._user32 = user32
        self._kernel32 = kernel32
        self._processes = ProcessNames()
        self._listener: Any = None

    def active_window(self) -> Window | None:
        hwnd = self._user32.GetForegroundWindow()
        if not hwnd:
            return None
        length = int(self._user32.GetWindowTextLengthW(hwnd))
        buffer = ctypes.create_unicode_buffer(max(0, length) + 1)
        self._user32.GetWindowTextW(hwnd, buffer, len(buffer))
        pid = ctypes.c_uint32(0)
        self._user32.GetWindowThreadProcessId(hwnd, ctypes.pointer(pid))
        name, exe = self._processes.lookup(int(pid.value), int(hwnd))
        app = name[:-4] if name.lower().endswith(".exe") else name
        return Window(app=app, title=clean_text(buffer.value), exe=exe or name, pid=int(pid.value))

    def idle_seconds(self) -> float | None:
        info = LASTINPUTINFO(ctypes.sizeof(LASTINPUTINFO), 0)
        if not self._user32.GetLastInputInfo(ctypes.pointer(info)):
            return None
        now = int(self._kernel32.GetTickCount64())
        # dwTime is a 32-bit tick count that wraps every 49.7 days; compare in the same width.
        return float(((now & 0xFFFFFFFF) - info.dwTime) % 2**32) / 1000.0

    def listen(self, changed: Changed, lost: Lost) -> bool:
        from app.capture.backends.windows_events import WindowsListener

        listener = WindowsListener(self._user32, self._kernel32, changed, lost)
        if not listener.start():
            listener.stop()
            return False
        self._listener = listener
        return True

    def close(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
