"""Pacing for an accounting API: at most N calls at once, at most M per window, and pauses the provider asks for.

Xero allows 5 concurrent calls and 60 a minute per organisation, says how many are left in
`X-MinLimit-Remaining`, and answers 429 with `Retry-After` when over. The limiter counts its own calls in a sliding
window, stops when the provider says none are left, and makes every thread wait out a `Retry-After`. Waiting is
interruptible, so a cancelled send stops at once.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from app.sync.provider import check_cancelled


@dataclass(frozen=True, slots=True)
class Limits:
    per_window: int = 60
    window_seconds: float = 60.0
    concurrent: int = 5
    max_retries: int = 5
    """Attempts after the first, for 429s, 5xx answers and dropped connections."""
    backoff_seconds: float = 1.0
    """First pause without a Retry-After; doubled each attempt."""
    max_pause_seconds: float = 120.0


def parse_retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class RateLimiter:
    """Shared by every client of one provider in the process (the sync service keeps one per provider)."""

    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or Limits()
        self._clock = clock
        self._slots = threading.BoundedSemaphore(self.limits.concurrent)
        self._lock = threading.Condition()
        self._calls: deque[float] = deque()
        self._paused_until = 0.0
        self.waited_seconds = 0.0
        self.throttled = 0
        """429 answers seen: each one was waited out and retried."""

    @contextmanager
    def slot(self, cancelled: Callable[[], bool] | None = None) -> Iterator[None]:
        """Hold one of the concurrent slots for one call, after waiting for the window and any pause."""
        while not self._slots.acquire(timeout=0.05):
            check_cancelled(cancelled)
        try:
            self._wait_turn(cancelled)
            yield
        finally:
            self._slots.release()

    def _wait_turn(self, cancelled: Callable[[], bool] | None) -> None:
        with self._lock:
            while True:
                check_cancelled(cancelled)
                now = self._clock()
                while self._calls and self._calls[0] <= now - self.limits.window_seconds:
                    self._calls.popleft()
                wait = self._paused_until - now
                if len(self._calls) >= self.limits.per_window:
                    wait = max(wait, self._calls[0] + self.limits.window_seconds - now)
                if wait <= 0:
                    self._calls.append(now)
                    return
                self._sleep(min(wait, 0.25))

    def _sleep(self, seconds: float) -> None:
        """Called with the lock held; the condition releases it while waiting so other threads may observe."""
        self.waited_seconds += seconds
        self._lock.wait(seconds)

    def observe(self, headers: Mapping[str, str]) -> None:
        """An answer's limit headers: none left this minute means nobody calls until the window moves on."""
        remaining = headers.get("X-MinLimit-Remaining")
        if remaining is not None and remaining.strip().isdigit() and int(remaining) <= 0:
            with self._lock:
                self._pause(self._oldest_exit())

    def throttle(self, retry_after: str | None, attempt: int) -> float:
        """A 429: everyone waits `Retry-After` seconds (or an exponential backoff when it is missing)."""
        pause = parse_retry_after(retry_after)
        if pause is None:
            pause = self.backoff(attempt)
        with self._lock:
            self.throttled += 1
            self._pause(self._clock() + min(pause, self.limits.max_pause_seconds))
        return pause

    def backoff(self, attempt: int) -> float:
        return float(min(self.limits.backoff_seconds * (2 ** attempt), self.limits.max_pause_seconds))

    def pause(self, seconds: float, cancelled: Callable[[], bool] | None = None) -> None:
        """Wait `seconds` (before retrying a 5xx or a dropped connection), interruptibly."""
        end = self._clock() + seconds
        with self._lock:
            while (left := end - self._clock()) > 0:
                check_cancelled(cancelled)
                self._sleep(min(left, 0.25))

    def _oldest_exit(self) -> float:
        now = self._clock()
        return (self._calls[0] if self._calls else now) + self.limits.window_seconds

    def _pause(self, until: float) -> None:
        self._paused_until = max(self._paused_until, until)
        self._lock.notify_all()
