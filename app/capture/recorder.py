"""From a look at the desktop to stored spans: TimeTally's own windows and privacy first, then idle (backdated
to the last input, never into time nobody watched), then the span, starting at the desktop's announced time
when there was one. Runs on the watcher thread only."""

from __future__ import annotations

from collections.abc import Callable

from app.capture.backends.base import Window
from app.capture.config import CaptureConfig
from app.capture.events import CaptureEvent, IdleEnded, IdleStarted
from app.capture.heartbeat import Beat, record, record_switch
from app.capture.own_windows import OwnWindows
from app.store.spans import SpanWriter


class Recorder:
    def __init__(self, own: OwnWindows, emit: Callable[[CaptureEvent], None]) -> None:
        self._own = own
        self._emit = emit
        self.writer: SpanWriter | None = None
        self.observed_since: float | None = None
        """Since when capture has watched without a break: idle is backdated to the last input, never before it."""
        self.idle_since: float | None = None
        self.locked_at: float | None = None

    def sample(self, config: CaptureConfig, pulse: float, wall: float, window: Window | None,
               idle_seconds: float | None, at: float | None) -> None:
        """Record what is focused at `wall`; `at` is when the desktop announced the change, if it did."""
        writer = self.writer
        assert writer is not None
        if self.observed_since is None:
            self.observed_since = wall
        since = self._idle_start(config, wall, idle_seconds)
        if window is not None:
            window = None if self._own.matches(window) else config.privacy.apply(window)
        if since is not None:
            beat = Beat(wall, window.app, window.title, window.exe, True) if window else Beat(wall, "", "", "", True)
            if self.idle_since is None:
                self.idle_since = since
                writer.backdate(since)
                record(writer, beat, pulse, start=since)
                self._emit(IdleStarted(since))
            else:
                record(writer, beat, pulse)
            return
        if self.idle_since is not None:
            began, self.idle_since = self.idle_since, None
            back = wall - idle_seconds if idle_seconds is not None else wall
            self._emit(IdleEnded(began, max(began, back)))
        if window is None:
            writer.cut()  # nothing focused, or excluded: record nothing and start afresh after it
            return
        if at is not None:  # announced: the switch is at its own time (never after this look, nor before watching)
            at = min(wall, max(at, self.observed_since))
            record_switch(writer, Beat(at, window.app, window.title, window.exe), pulse)
        record(writer, Beat(wall, window.app, window.title, window.exe, False), pulse)

    def _idle_start(self, config: CaptureConfig, wall: float, idle_seconds: float | None) -> float | None:
        """When the user went idle (their last input), or None while active. A lock counts as idle."""
        if self.locked_at is not None:
            since = self.locked_at if idle_seconds is None else min(self.locked_at, wall - idle_seconds)
        elif idle_seconds is not None and idle_seconds >= config.idle_threshold:
            since = wall - idle_seconds
        else:
            return None
        if self.idle_since is not None:
            return self.idle_since
        return min(wall, max(since, self.observed_since or wall))

    def cut(self) -> None:
        """End the current span where it is."""
        if self.writer is not None:
            self.writer.cut()

    def gap(self) -> None:
        """Capture stops watching (pause, hours, sleep, a lost desktop): end the span and forget the input
        history, so idle is never backdated into time nobody watched. A window that is merely not recorded
        (excluded, private, nothing focused) is no gap."""
        self.cut()
        self.observed_since = None
