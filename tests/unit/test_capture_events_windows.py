"""The Windows WinEvent listener with user32/kernel32 faked: hooks, a message loop, event times, stopping."""

from __future__ import annotations

import queue
import threading
from typing import Any

from app.capture.backends.windows import WindowsBackend
from app.capture.backends.windows_events import (
    EVENT_OBJECT_NAMECHANGE,
    EVENT_SYSTEM_FOREGROUND,
    OBJID_WINDOW,
    WM_QUIT,
    WindowsListener,
)
from tests.unit.test_capture_backends import Kernel32, User32

WALL = 1_800_000_000.0


class HookingUser32(User32):
    """SetWinEventHook keeps the callback; GetMessageW blocks until a posted WM_QUIT, as the real loop does."""

    def __init__(self, refuse: bool = False) -> None:
        super().__init__(0x1234, "Report.docx - Word", 4242, last_input=0)
        self.refuse = refuse
        self.procs: dict[int, Any] = {}
        self.unhooked: list[int] = []
        self.messages: queue.SimpleQueue[int] = queue.SimpleQueue()

    def SetWinEventHook(self, low: int, high: int, _module: int, proc: Any, _pid: int, _tid: int,
                        _flags: int) -> int:
        assert low == high
        if self.refuse and low == EVENT_OBJECT_NAMECHANGE:
            return 0
        self.procs[low] = proc
        return 100 + low

    def UnhookWinEvent(self, hook: int) -> int:
        self.unhooked.append(hook)
        return 1

    def GetMessageW(self, _msg: Any, _hwnd: int, _low: int, _high: int) -> int:
        return 0 if self.messages.get(timeout=10) == WM_QUIT else 1

    def PostThreadMessageW(self, _thread: int, message: int, _w: int, _l: int) -> int:
        self.messages.put(message)
        return 1

    def TranslateMessage(self, _msg: Any) -> int:
        return 0

    def DispatchMessageW(self, _msg: Any) -> int:
        return 0


class Ticks(Kernel32):
    def GetTickCount(self) -> int:
        return self.ticks & 0xFFFFFFFF

    def GetCurrentThreadId(self) -> int:
        return threading.get_ident() & 0xFFFFFFFF


def test_foreground_and_title_changes_are_announced_at_their_tick_time() -> None:
    user32, kernel32 = HookingUser32(), Ticks(2**32 + 5_000)  # the 32-bit tick count has just wrapped
    heard: list[float] = []
    listener = WindowsListener(user32, kernel32, heard.append, lambda why: None, wall=lambda: WALL)
    assert listener.start()
    fg, name = user32.procs[EVENT_SYSTEM_FOREGROUND], user32.procs[EVENT_OBJECT_NAMECHANGE]
    fg(1, EVENT_SYSTEM_FOREGROUND, 0x9999, OBJID_WINDOW, 0, 7, (2**32 - 250) & 0xFFFFFFFF)  # 5.25 s ago
    name(2, EVENT_OBJECT_NAMECHANGE, 0x1234, OBJID_WINDOW, 0, 7, 4_900)  # the foreground window: 0.1 s ago
    name(3, EVENT_OBJECT_NAMECHANGE, 0x1234, -4, 0, 7, 4_950)  # a control inside it: not the title
    name(4, EVENT_OBJECT_NAMECHANGE, 0x5555, OBJID_WINDOW, 0, 7, 4_950)  # a background window
    fg(5, EVENT_SYSTEM_FOREGROUND, 0x9999, OBJID_WINDOW, 0, 7, 65_000)  # a stamp from the future: taken as now
    assert [round(WALL - at, 3) for at in heard] == [5.25, 0.1, 0.0]
    listener.stop()
    assert sorted(user32.unhooked) == [100 + EVENT_SYSTEM_FOREGROUND, 100 + EVENT_OBJECT_NAMECHANGE]


def test_the_backend_listens_until_closed() -> None:
    user32 = HookingUser32()
    backend = WindowsBackend(user32, Ticks(1_000))
    heard: list[float] = []
    assert backend.listen(heard.append, lambda why: None)
    user32.procs[EVENT_SYSTEM_FOREGROUND](1, EVENT_SYSTEM_FOREGROUND, 0x1234, OBJID_WINDOW, 0, 7, 1_000)
    backend.close()
    assert len(heard) == 1 and len(user32.unhooked) == 2


def test_a_refused_hook_leaves_the_watcher_polling() -> None:
    user32 = HookingUser32(refuse=True)
    backend = WindowsBackend(user32, Ticks(1_000))
    assert backend.listen(lambda at: None, lambda why: None) is False
    assert user32.unhooked == [100 + EVENT_SYSTEM_FOREGROUND]
    assert backend.active_window() is not None  # polling still reads the foreground window
