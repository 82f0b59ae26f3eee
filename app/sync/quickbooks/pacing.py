"""Intuit's limits per company: 500 requests a minute, 10 a second, 40 batch requests a minute.

The minute window is the sync service's limiter for QuickBooks (it also waits out 429s for every thread, and tests
give it fast windows); the second and batch windows are kept here, one pair per connection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from app.sync.ratelimit import Limits, RateLimiter

LIMITS = Limits(per_window=500, window_seconds=60.0, concurrent=10, max_retries=5, backoff_seconds=1.0,
                max_pause_seconds=120.0)
PER_SECOND = Limits(per_window=10, window_seconds=1.0, concurrent=10)
BATCHES = Limits(per_window=40, window_seconds=60.0, concurrent=10)


class Pacer:
    """Every call waits for the second and minute windows; a `POST /batch` also for the batch window."""

    def __init__(self, limiter: RateLimiter, per_second: RateLimiter | None = None,
                 batches: RateLimiter | None = None) -> None:
        self.limiter = limiter
        self.per_second = per_second or RateLimiter(PER_SECOND)
        self.batches = batches or RateLimiter(BATCHES)

    @contextmanager
    def turn(self, batch: bool = False, cancelled: Callable[[], bool] | None = None) -> Iterator[None]:
        with ExitStack() as stack:
            if batch:
                stack.enter_context(self.batches.slot(cancelled))
            stack.enter_context(self.per_second.slot(cancelled))
            stack.enter_context(self.limiter.slot(cancelled))
            yield
