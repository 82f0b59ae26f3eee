"""The capture watcher: one thread reading the window and idle probes, writing spans, telling listeners.

Everything that happens to capture goes through `tick()` on the watcher thread, in order: clock checks, power
events, pause, tracking hours, probes, own windows, privacy, idle, storage. Other threads only queue requests
(pause, sleep, lock) or announce desktop changes, and wake the loop, so no state is shared without a lock.
When the backend can listen, ticks follow its change events (`app.capture.cadence`) and a switch is stored at
the event's time; otherwise the loop polls once per `capture.interval_seconds`.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import datetime

from app.capture.backends.base import Backend, BackendLost
from app.capture.backends.factory import create_backend
from app.capture.cadence import Cadence
from app.capture.config import CaptureConfig
from app.capture.events import (
    CaptureEvent,
    ClockJumped,
    PauseChanged,
    Sleeping,
    Status,
    Woke,
)
from app.capture.own_windows import OwnWindows
from app.capture.pause import FOREVER, PauseState, PauseStore, to_epoch
from app.capture.power import PowerMonitor
from app.capture.recorder import Recorder
from app.domain.errors import StoreError
from app.store.spans import SpanStore, SpanWriter

log = logging.getLogger(__name__)

Listener = Callable[[CaptureEvent], None]
JUMP_SECONDS = 2.0
"""Wall and monotonic clocks may disagree by this much between two polls before it counts as a jump."""
MISSED_SLEEP_SECONDS = 30.0
"""A forward jump this large is taken as a suspend nobody announced."""
RETENTION_EVERY = 6 * 3600.0
__all__ = ["FOREVER", "Watcher"]


class Watcher:
    """Satisfies `app.capture.control.CaptureControl` for the tray; `start()`/`stop()` for the GUI,
    `run(duration)` for the headless command, `tick()` for tests with fake probes and clocks."""

    def __init__(
        self,
        store: SpanStore,
        config: CaptureConfig,
        backend_factory: Callable[[], Backend] = create_backend,
        power_factory: Callable[[Watcher], PowerMonitor | None] | None = None,
        wall: Callable[[], float] = time.time,
        mono: Callable[[], float] = time.monotonic,
        local: Callable[[float], datetime] = datetime.fromtimestamp,
        pauses: PauseStore | None = None,
        own: OwnWindows | None = None,
    ) -> None:
        self._store = store
        self._config = config
        self._backend_factory = backend_factory
        self._power_factory = power_factory
        self._wall, self._mono, self._local = wall, mono, local
        self._listeners: list[Listener] = []
        self._requests: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pause = PauseState(pauses, wall, mono())
        self._recorder = Recorder(own or OwnWindows.of_this_process(), self._emit)
        self._cadence = Cadence()
        self._writer: SpanWriter | None = None
        self._backend: Backend | None = None
        self._power: PowerMonitor | None = None
        self._retry_at = 0.0
        self._retry_delay = 1.0
        self._lost = False
        self._store_failing = False
        self._prev: tuple[float, float] | None = None
        self._asleep_since: float | None = None
        self._purged_at: float | None = None
        self._resting = False
        """Asleep, paused or outside tracking hours at the last tick: nothing to read until it ends."""
        self.notice: str | None = None
        """The backend's sentence about what this desktop lets TimeTally capture, once it is known."""

    # -- listeners and configuration -------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def reconfigure(self, config: CaptureConfig) -> None:
        """New settings take effect from the next poll."""
        self._request("config", config)

    @property
    def idle(self) -> bool:
        return self._recorder.idle_since is not None

    # -- CaptureControl --------------------------------------------------------------------------------

    def pause(self, until: datetime | None) -> None:
        """Stored first (it may raise `StoreError`), so a pause that holds in memory also holds after a restart."""
        self._set_pause(to_epoch(until))

    def resume(self) -> None:
        self._set_pause(None)

    def paused_until(self) -> datetime | None:
        return self._pause.until()

    def _set_pause(self, until: float | None) -> None:
        self._pause.set(until)
        self._request("pause", None)

    def is_paused(self) -> bool:
        return self.paused_until() is not None

    # -- power hooks (any thread) ----------------------------------------------------------------------

    def notify_sleep(self, sleeping: bool) -> None:
        self._request("sleep", sleeping)

    def notify_lock(self, locked: bool) -> None:
        self._request("lock", locked)

    # -- running ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Run in a daemon thread until `stop()`."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="tt-capture", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop polling and flush everything recorded. Safe from any thread, and more than once."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def run(self, duration: float | None = None) -> None:
        """Watch in the calling thread until `stop()` or for `duration` seconds; always flushes on the way out."""
        self.open()
        deadline = None if duration is None else self._mono() + duration
        next_tick = self._mono()
        try:
            while not self._stop.is_set():
                self.tick()
                now = self._mono()
                if deadline is not None and now >= deadline:
                    break
                next_tick = self._next_tick(next_tick, now)
                if deadline is not None:
                    next_tick = min(next_tick, deadline)
                if self._wake.wait(max(0.0, next_tick - now)):
                    self._wake.clear()
        finally:
            self.close()

    def _next_tick(self, previous: float, now: float) -> float:
        """Polling keeps a steady beat; listening wakes for the next heartbeat, idle check, settled burst of
        changes or the end of a pause, whichever comes first (only the heartbeat while capture rests)."""
        if not self._cadence.listening:
            return max(previous + self._config.interval, now)
        wake = now + self._cadence.period(self._config.interval) if self._resting else self._cadence.due(now)
        left = self._pause.seconds_left(self._wall())
        return wake if left is None else min(wake, now + max(0.0, left))

    def open(self) -> None:
        self._writer = self._store.writer(self._config.batch_writes, self._config.batch_seconds, clock=self._mono)
        self._recorder.writer = self._writer
        if self._power_factory is not None:
            self._power = self._power_factory(self)
        if self.is_paused():  # paused before a restart: say so, as when the pause began
            self._emit(PauseChanged(self.paused_until()))

    def close(self) -> None:
        self._flush()
        if self._backend is not None:
            self._backend.close()
            self._backend = None
        if self._power is not None:
            self._power.stop()
            self._power = None

    def tick(self) -> None:
        """One poll. Never raises: a failing probe or store is reported to listeners and retried."""
        try:
            self._tick()
        except Exception:
            log.exception("capture poll failed")

    def _tick(self) -> None:
        wall, mono = self._wall(), self._mono()
        self._check_clock(wall, mono)
        if self._pause.follow(mono):  # another process paused or resumed
            self._requests.put(("pause", None))
        self._handle_requests(wall)
        self._resting = self._asleep_since is not None
        if self._resting:
            self._cadence.drop()
            return
        self._resting = self._paused(wall) or not self._config.hours.allows(self._local(wall))
        if self._resting:
            self._recorder.gap()
            self._cadence.drop()
        elif not self._cadence.settling(mono):
            backend = self._ensure_backend(mono)
            if backend is not None:
                at = self._cadence.take_change(mono)
                try:
                    window = self._cadence.window(backend.active_window, wall, mono, fresh=at is not None)
                    idle = self._cadence.idle(backend.idle_seconds, wall, mono, self._config.idle_threshold)
                except BackendLost as exc:
                    self._lose_backend(str(exc), mono)
                else:
                    self._recorder.sample(self._config, self._pulse, wall, window, idle, at)
        self._retain(wall)
        assert self._writer is not None
        if self._writer.due():
            self._flush()

    # -- the parts of a poll ---------------------------------------------------------------------------

    def _check_clock(self, wall: float, mono: float) -> None:
        """Spans never cross a clock jump or a suspend: compare how far each clock moved since the last poll."""
        if self._prev is not None:
            prev_wall, prev_mono = self._prev
            drift = (wall - prev_wall) - (mono - prev_mono)
            if abs(drift) > JUMP_SECONDS:
                self._recorder.gap()
                self._emit(ClockJumped(wall, drift))
                if drift > MISSED_SLEEP_SECONDS and self._asleep_since is None:
                    self._emit(Woke(wall, prev_wall))
            elif mono - prev_mono > self._pulse:
                self._recorder.gap()  # the loop stalled (process stopped, machine frozen): no known activity
        self._prev = (wall, mono)

    def _handle_requests(self, wall: float) -> None:
        while True:
            try:
                kind, value = self._requests.get_nowait()
            except queue.Empty:
                return
            if kind == "sleep" and value and self._asleep_since is None:
                self._recorder.gap()
                self._flush()
                self._asleep_since = wall
                self._emit(Sleeping(wall))
            elif kind == "sleep" and not value and self._asleep_since is not None:
                since, self._asleep_since = self._asleep_since, None
                self._recorder.gap()
                self._emit(Woke(wall, since))
            elif kind == "lock":
                self._recorder.locked_at = (self._recorder.locked_at or wall) if value else None
            elif kind == "pause":
                self._recorder.gap()
                self._emit(PauseChanged(self.paused_until()))
            elif kind == "config" and isinstance(value, CaptureConfig):
                self._config = value
                self._recorder.cut()
                self._cadence.forget()
                self._pause.check_soon()  # a CLI pause or resume announces itself as a settings change
            elif kind == "unlisten" and self._cadence.listening:
                self._cadence.listening = False
                log.warning("desktop events stopped (%s); polling every %g s instead", value,
                            self._config.interval)

    def _paused(self, wall: float) -> bool:
        paused, expired = self._pause.check(wall)
        if expired:
            self._emit(PauseChanged(None))
        return paused

    def _ensure_backend(self, mono: float) -> Backend | None:
        if self._backend is not None:
            return self._backend
        if mono < self._retry_at:
            return None
        try:
            self._backend = self._backend_factory()
        except BackendLost as exc:
            self._lose_backend(str(exc), mono)
            return None
        self._retry_delay = 1.0
        self._cadence.forget()
        self._cadence.listening = self._listen(self._backend)
        self.notice = self._backend.notice
        if self._lost:
            self._lost = False
            self._emit(Status("The desktop is back; capture continues.", True))
        elif self.notice:
            self._emit(Status(self.notice, self._backend.name != "none"))
        return self._backend

    def _listen(self, backend: Backend) -> bool:
        try:
            listening = backend.listen(self._changed, lambda why: self._request("unlisten", why))
        except Exception:
            log.exception("cannot listen to desktop events; polling instead")
            return False
        log.info("capture %s", "follows desktop events" if listening else
                 f"polls every {self._config.interval:g} s (this desktop announces no window changes)")
        return listening

    def _changed(self, at: float) -> None:
        """A backend's listener thread: focus or a title changed at `at`."""
        self._cadence.changed(at, self._mono())
        self._wake.set()

    @property
    def _pulse(self) -> float:
        """How late an equal sample may come and still extend the span: about two looks."""
        return 2.0 * self._cadence.period(self._config.interval) + 0.5

    def _lose_backend(self, reason: str, mono: float) -> None:
        self._recorder.gap()
        self._flush()
        if self._backend is not None:
            self._backend.close()
            self._backend = None
        self._cadence.listening = False
        self._retry_at = mono + self._retry_delay
        self._retry_delay = min(self._retry_delay * 2, 30.0)
        if not self._lost:
            self._lost = True
            log.warning("capture paused: %s", reason)
            self._emit(Status("The desktop connection was lost; capture resumes when it is back.", False))

    def _retain(self, wall: float) -> None:
        days = self._config.retention_days
        if days <= 0 or (self._purged_at is not None and wall - self._purged_at < RETENTION_EVERY):
            return
        self._purged_at = wall
        try:
            removed = self._store.purge(wall - days * 86400.0)
        except StoreError as exc:
            log.warning("retention purge failed: %s", exc)
            return
        if removed:
            log.info("retention: deleted %d captured spans older than %d days", removed, days)

    def _flush(self) -> None:
        if self._writer is None:
            return
        try:
            self._writer.flush()
        except StoreError as exc:
            if not self._store_failing:
                self._store_failing = True
                log.warning("captured activity could not be saved: %s", exc)
                self._emit(Status(f"Captured activity could not be saved: {exc}", False))
            return
        if self._store_failing:
            self._store_failing = False
            self._emit(Status("Captured activity is being saved again.", True))

    def _request(self, kind: str, value: object) -> None:
        self._requests.put((kind, value))
        self._wake.set()

    def _emit(self, event: CaptureEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("capture listener failed on %s", type(event).__name__)
