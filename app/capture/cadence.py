"""When the watcher looks at the desktop, and what it may take from its last look.

Polling (a backend that cannot listen, or after its events stopped): every `capture.interval_seconds`, window
and idle read each time, as before. Listening: the backend announces each focus or title change with its time;
between changes nothing is read. A heartbeat every few seconds extends the current span from the cached
window (so a kill loses little and pause, tracking hours and clock checks still run), the window is read again
once a minute in case an event was missed, and idle time is read only when it could first cross the threshold
(the last input plus the threshold), then every two seconds while the user is away, to see them come back.

A storm of changes (hundreds of switches a second, a title that changes every frame) is coalesced: the first
change of a burst is kept with its time and the window is read once the burst has settled; while bursts keep
coming back to back the settling time doubles up to a second, so reads and stored spans stay bounded.

An event stamped before the last read of the window (delivered late: a loaded machine, a window manager that
announces twice) says nothing that read did not see: it asks for another read, but its time never pulls the
next switch back.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from app.capture.backends.base import Window

HEARTBEAT_SECONDS = 5.0
AUDIT_SECONDS = 60.0
IDLE_POLL_SECONDS = 2.0
SETTLE_SECONDS = 0.05
SETTLE_MAX_SECONDS = 1.0


class Cadence:
    """Owned by the watcher thread, except `changed`, which a backend's listener calls from its own thread."""

    def __init__(self) -> None:
        self.listening = False
        self._lock = threading.Lock()
        self._change_at: float | None = None
        self._late_at: float | None = None
        self._pending = False
        self._seen = -math.inf
        """When the window was last read: changes stamped before it were seen by that read."""
        self._settle_until = 0.0
        self._settle = SETTLE_SECONDS
        self._last_take = -math.inf
        self._window: Window | None = None
        self._window_known = False
        self._audit_at = 0.0
        self._idle: tuple[float | None, float] | None = None
        self._idle_at = 0.0

    def period(self, interval: float) -> float:
        """Seconds between two looks when nothing happens."""
        return HEARTBEAT_SECONDS if self.listening else interval

    # -- changes (any thread) --------------------------------------------------------------------------

    def changed(self, at: float, mono: float) -> None:
        with self._lock:
            if not self._pending:
                self._pending = True
                self._settle_until = mono + self._settle
            if at <= self._seen:
                self._late_at = max(self._seen, at if self._late_at is None else self._late_at)
            else:
                self._change_at = at if self._change_at is None else min(self._change_at, at)

    def settling(self, mono: float) -> bool:
        with self._lock:
            return self._pending and mono < self._settle_until

    def take_change(self, mono: float) -> float | None:
        """The time of the first change of a settled burst (a late event's: the last read), or None. A burst
        that follows the last one within twice its settling time doubles the next settling time; a quiet
        spell resets it."""
        with self._lock:
            if not self._pending or mono < self._settle_until:
                return None
            at = self._change_at if self._change_at is not None else self._late_at
            self._pending, self._change_at, self._late_at = False, None, None
        back_to_back = mono - self._last_take <= 2 * self._settle + SETTLE_SECONDS
        self._settle = min(self._settle * 2, SETTLE_MAX_SECONDS) if back_to_back else SETTLE_SECONDS
        self._last_take = mono
        return at

    # -- what to read ----------------------------------------------------------------------------------

    def window(self, query: Callable[[], Window | None], wall: float, mono: float, fresh: bool) -> Window | None:
        if not self.listening or fresh or not self._window_known or mono >= self._audit_at:
            self._window, self._window_known, self._audit_at = query(), True, mono + AUDIT_SECONDS
            with self._lock:
                self._seen = wall
        return self._window

    def idle(self, query: Callable[[], float | None], wall: float, mono: float, threshold: float) -> float | None:
        """Seconds since the last input: read, or, while listening and no crossing is due, counted on from the
        last read (real input since then only makes it smaller, and it stays under the threshold either way)."""
        if not self.listening or self._idle is None or mono >= self._idle_at:
            seconds = query()
            self._idle = (seconds, wall)
            if seconds is None:
                self._idle_at = mono + AUDIT_SECONDS
            elif seconds >= threshold:
                self._idle_at = mono + IDLE_POLL_SECONDS
            else:
                self._idle_at = mono + threshold - seconds
            return seconds
        seconds, read_at = self._idle
        return None if seconds is None else seconds + max(0.0, wall - read_at)

    def forget(self) -> None:
        """Read everything afresh on the next look (a new backend, new settings, a resume)."""
        self._window_known = False
        self._idle = None

    def drop(self) -> None:
        """Capture is not looking (paused, outside tracking hours, asleep): changes meanwhile are not kept,
        and the next look reads everything afresh."""
        with self._lock:
            self._pending, self._change_at, self._late_at = False, None, None
        self.forget()

    def due(self, now: float) -> float:
        """The monotonic time of the next look while listening."""
        wake = min(now + HEARTBEAT_SECONDS, self._idle_at if self._idle is not None else now)
        with self._lock:
            if self._pending:
                wake = min(wake, self._settle_until)
        return wake
