"""The rate limiter: its own sliding window, the provider's `X-MinLimit-Remaining`, 429 pauses, concurrency, cancel."""

from __future__ import annotations

import threading
import time

import pytest

from app.sync.provider import Cancelled
from app.sync.ratelimit import Limits, RateLimiter, parse_retry_after


def test_the_window_holds_at_most_its_limit() -> None:
    limiter = RateLimiter(Limits(per_window=3, window_seconds=0.3))
    started = time.monotonic()
    for _ in range(4):
        with limiter.slot():
            pass
    assert time.monotonic() - started >= 0.28
    assert limiter.waited_seconds > 0


def test_no_calls_left_pauses_until_the_window_moves_on() -> None:
    limiter = RateLimiter(Limits(per_window=100, window_seconds=0.2))
    with limiter.slot():
        pass
    limiter.observe({"X-MinLimit-Remaining": "0"})
    started = time.monotonic()
    with limiter.slot():
        pass
    assert time.monotonic() - started >= 0.15


def test_retry_after_pauses_everyone_and_missing_one_backs_off_exponentially() -> None:
    limiter = RateLimiter(Limits(backoff_seconds=0.5, max_pause_seconds=3))
    assert limiter.throttle("2", 0) == 2.0
    assert limiter.throttle(None, 3) == 3.0  # 0.5 * 8, capped
    assert limiter.throttled == 2
    assert [parse_retry_after(v) for v in ("1", "x", None, "-3")] == [1.0, None, None, 0.0]


def test_at_most_the_concurrent_limit_runs_at_once() -> None:
    limiter = RateLimiter(Limits(concurrent=2))
    inside, peak, lock = [0], [0], threading.Lock()

    def call() -> None:
        with limiter.slot():
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            time.sleep(0.2)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=call) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 2


def test_waiting_stops_at_once_when_cancelled() -> None:
    limiter = RateLimiter(Limits(per_window=1, window_seconds=60))
    with limiter.slot():
        pass
    cancel = threading.Event()
    threading.Timer(0.1, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled), limiter.slot(cancel.is_set):
        pass
    assert time.monotonic() - started < 2
    with pytest.raises(Cancelled):
        limiter.pause(30, lambda: True)
