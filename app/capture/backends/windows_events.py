"""Windows change events: `SetWinEventHook` for `EVENT_SYSTEM_FOREGROUND` (focus moved) and
`EVENT_OBJECT_NAMECHANGE` (a title changed; only the foreground window's own title counts), out of context, on
a thread of its own that sleeps in `GetMessageW` between events. Each event's tick count (`dwmsEventTime`) is
mapped to wall time. The DLLs and the callback type can be injected, which is how the tests run this code on
other systems.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from collections.abc import Callable
from ctypes import wintypes
from typing import Any

from app.capture.backends.base import Changed, Lost

log = logging.getLogger(__name__)

EVENT_SYSTEM_FOREGROUND = 0x0003
EVENT_OBJECT_NAMECHANGE = 0x800C
WINEVENT_OUTOFCONTEXT = 0x0000
WINEVENT_SKIPOWNPROCESS = 0x0002
OBJID_WINDOW = 0
CHILDID_SELF = 0
WM_QUIT = 0x0012
LATEST_MS = 30_000
"""An event older than this by its tick count (a wrapped or bogus stamp) is taken as happening now."""

WinEventProc = Callable[[int, int, int, int, int, int, int], None]


def _proc_type() -> Any:
    factory = getattr(ctypes, "WINFUNCTYPE", ctypes.CFUNCTYPE)
    return factory(None, wintypes.HANDLE, wintypes.DWORD, wintypes.HWND, wintypes.LONG, wintypes.LONG,
                   wintypes.DWORD, wintypes.DWORD)


class WindowsListener:
    def __init__(self, user32: Any, kernel32: Any, changed: Changed, lost: Lost,
                 proc_type: Callable[[WinEventProc], Any] | None = None,
                 wall: Callable[[], float] = time.time) -> None:
        self._user32, self._kernel32 = user32, kernel32
        self._changed, self._lost, self._wall = changed, lost, wall
        self._proc = (proc_type or _proc_type())(self._event)  # kept: the hook calls it as long as it lives
        self._thread = threading.Thread(target=self._loop, name="tt-win-events", daemon=True)
        self._ready = threading.Event()
        self._hooked = False
        self._thread_id = 0

    def start(self) -> bool:
        """Hook both events on the listener thread; False when Windows refused a hook."""
        self._thread.start()
        self._ready.wait(5.0)
        return self._hooked

    def stop(self) -> None:
        if self._thread_id:
            self._user32.PostThreadMessageW(self._thread_id, WM_QUIT, 0, 0)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(2.0)

    def _loop(self) -> None:
        user32 = self._user32
        self._thread_id = int(self._kernel32.GetCurrentThreadId())
        flags = WINEVENT_OUTOFCONTEXT | WINEVENT_SKIPOWNPROCESS
        hooks = [user32.SetWinEventHook(event, event, 0, self._proc, 0, 0, flags)
                 for event in (EVENT_SYSTEM_FOREGROUND, EVENT_OBJECT_NAMECHANGE)]
        self._hooked = all(hooks)
        self._ready.set()
        try:
            if self._hooked:
                msg = wintypes.MSG()
                while user32.GetMessageW(ctypes.byref(msg), 0, 0, 0) > 0:
                    user32.TranslateMessage(ctypes.byref(msg))
                    user32.DispatchMessageW(ctypes.byref(msg))
        except Exception as exc:  # never let the hook thread take capture down: the watcher polls instead
            log.exception("Windows event listener failed")
            self._lost(f"the Windows event hook failed: {exc}")
        finally:
            for hook in hooks:
                if hook:
                    user32.UnhookWinEvent(hook)

    def _event(self, _hook: int, event: int, hwnd: int, id_object: int, id_child: int, _thread: int,
               ms_time: int) -> None:
        if event == EVENT_OBJECT_NAMECHANGE and (
                id_object != OBJID_WINDOW or id_child != CHILDID_SELF or hwnd != self._user32.GetForegroundWindow()):
            return  # a button's or a background window's name: not the title being recorded
        self._changed(self._at(ms_time))

    def _at(self, ms_time: int) -> float:
        """The event's tick count (ms since boot, 32 bits) as wall time."""
        now = self._wall()
        age = ((int(self._kernel32.GetTickCount()) & 0xFFFFFFFF) - (ms_time & 0xFFFFFFFF)) & 0xFFFFFFFF
        return now if age > LATEST_MS else now - age / 1000.0
