"""X11 change events: `PropertyNotify` on the root window for `_NET_ACTIVE_WINDOW`, and on the active window for
`_NET_WM_NAME` / `WM_NAME` (titles that change in place), on a connection of its own read by one daemon thread
that sleeps in `select()` between events. Each event's server time is mapped to wall time.

The X server stamps events in milliseconds since it started (32 bits, wrapping every 49.7 days). `ServerClock`
learns the offset by changing a property on a window of its own and timing the round trip, and learns it again
every ten minutes, so a switch is stored when the server saw it, not when a loaded machine got round to
reading it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
from collections.abc import Callable
from typing import Any

from app.capture.backends.base import Changed, Lost

log = logging.getLogger(__name__)

RECALIBRATE_SECONDS = 600.0
MAX_ROUND_TRIP = 0.02
"""A calibration whose round trip took longer is retried: the offset is known to half the round trip."""
RETRY_SECONDS = 1.0
LATEST_SECONDS = 30.0
"""An event mapped further back than this (a bad offset, a server time reset) is taken as happening now."""


class NoActiveWindowHint(Exception):
    """The window manager does not announce the active window (`_NET_ACTIVE_WINDOW` is not supported)."""


class ServerClock:
    """Maps X server times (ms, wrapping at 2**32) to UTC epoch seconds."""

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self._base: tuple[int, float] | None = None

    def learn(self, server_ms: int, sent: float, received: float) -> None:
        """The server stamped `server_ms` between `sent` and `received` (wall seconds): take the middle."""
        self._base = (server_ms, (sent + received) / 2)

    def wall(self, server_ms: int) -> float:
        now = self._wall()
        if self._base is None or not server_ms:
            return now
        base_ms, base_wall = self._base
        delta = (server_ms - base_ms) & 0xFFFFFFFF
        if delta >= 0x80000000:
            delta -= 0x100000000
        at = base_wall + delta / 1000.0
        return at if now - LATEST_SECONDS <= at <= now else now


class X11Listener:
    def __init__(self, display_name: str | None, changed: Changed, lost: Lost,
                 wall: Callable[[], float] = time.time) -> None:
        from Xlib import X, Xatom, display, error

        self._X, self._error = X, error
        self._changed, self._lost, self._wall = changed, lost, wall
        self._display: Any = display.Display(display_name)
        self._root = self._display.screen().root
        intern = self._display.intern_atom
        self._active = intern("_NET_ACTIVE_WINDOW")
        self._titles = {intern("_NET_WM_NAME"), Xatom.WM_NAME}
        self._stamp, self._string = intern("_TIMETALLY_CLOCK"), Xatom.STRING
        supported = self._root.get_full_property(intern("_NET_SUPPORTED"), X.AnyPropertyType)
        if supported is None or self._active not in supported.value:
            self._display.close()
            raise NoActiveWindowHint("the window manager does not announce the active window")
        self._probe = self._root.create_window(-10, -10, 1, 1, 0, X.CopyFromParent, X.InputOnly,
                                               event_mask=X.PropertyChangeMask)
        self._root.change_attributes(event_mask=X.PropertyChangeMask)
        self.clock = ServerClock(wall)
        self._stamp_sent: float | None = None
        self._calibrated_at = 0.0
        self._watched = 0
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(target=self._loop, name="tt-x11-events", daemon=True)

    def start(self) -> None:
        self._follow(self._active_id())
        self._ask_time()
        self._display.flush()
        self._thread.start()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._stop_w, b"x")
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(2.0)
        for fd in (self._stop_r, self._stop_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(Exception):
            self._display.close()

    # -- the thread ------------------------------------------------------------------------------------

    def _loop(self) -> None:
        fd = self._display.fileno()
        try:
            while True:
                # Any request (a flush, a property read while handling an event) may have read events off the
                # socket into python-xlib's queue, where select() cannot see them: drain it before sleeping.
                while self._display.pending_events():
                    self._handle(self._display.next_event())
                if self._wall() - self._calibrated_at >= RECALIBRATE_SECONDS:
                    self._ask_time()
                self._display.flush()  # the event masks `_follow` changed, a calibration
                if self._display.pending_events():
                    continue
                wait = self._calibrated_at + RECALIBRATE_SECONDS - self._wall()
                readable, _, _ = select.select([fd, self._stop_r], [], [], min(RECALIBRATE_SECONDS, max(0.0, wait)))
                if self._stop_r in readable:
                    return
        except (self._error.ConnectionClosedError, self._error.DisplayError, OSError) as exc:
            self._lost(f"the X connection for events closed: {exc}")
        except Exception as exc:  # a protocol surprise must not end capture: the watcher polls instead
            log.exception("X11 event listener failed")
            self._lost(f"the X event listener failed: {exc}")

    def _handle(self, event: Any) -> None:
        if event.type != self._X.PropertyNotify:
            return
        window = event.window.id
        if window == self._root.id and event.atom == self._active:
            self._follow(self._active_id())
            self._changed(self.clock.wall(event.time))
        elif window == self._watched and event.atom in self._titles:
            self._changed(self.clock.wall(event.time))
        elif window == self._probe.id and event.atom == self._stamp and self._stamp_sent is not None:
            received = self._wall()
            if received - self._stamp_sent < MAX_ROUND_TRIP:
                self.clock.learn(event.time, self._stamp_sent, received)
            else:  # a slow round trip (a loaded machine) makes a poor reference: ask again in a second
                self._calibrated_at = received - RECALIBRATE_SECONDS + RETRY_SECONDS
            self._stamp_sent = None

    def _ask_time(self) -> None:
        """Change a property on our own window; its PropertyNotify carries the server's time."""
        self._calibrated_at = self._stamp_sent = self._wall()
        self._probe.change_property(self._stamp, self._string, 8, b"")

    def _active_id(self) -> int:
        prop = self._root.get_full_property(self._active, self._X.AnyPropertyType)
        return int(prop.value[0]) if prop is not None and len(prop.value) else 0

    def _follow(self, wid: int) -> None:
        """Hear title changes of the newly active window only; a window that is gone already is simply missed."""
        if wid == self._watched:
            return
        catch = self._error.CatchError(self._error.BadWindow, self._error.BadValue)
        if self._watched:
            old = self._display.create_resource_object("window", self._watched)
            old.change_attributes(event_mask=self._X.NoEventMask, onerror=catch)
        self._watched = wid
        if wid:
            new = self._display.create_resource_object("window", wid)
            new.change_attributes(event_mask=self._X.PropertyChangeMask, onerror=catch)
