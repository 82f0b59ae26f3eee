"""Runs work off the GUI thread and delivers the outcome back on it.

One serial worker takes every database write (so writes never race each other); a small pool takes
reads and network calls. Callbacks always run on the GUI thread, where widgets may be touched.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

T = TypeVar("T")
_Delivery = tuple[Future[Any], Callable[[Any], None] | None, Callable[[BaseException], None] | None]
log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; a queued signal carries each finished future back to it."""

    done = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.done.connect(self._deliver)

    @Slot(object)
    def _deliver(self, item: _Delivery) -> None:
        future, on_success, on_failure = item
        error = future.exception()
        if error is None:
            if on_success is not None:
                on_success(future.result())
        elif on_failure is not None:
            on_failure(error)
        else:
            log.error("background task failed: %s", "".join(traceback.format_exception(error)))


class TaskRunner:
    """Create once on the GUI thread (the composition root does) and pass it to the views."""

    def __init__(self, pool_size: int = 4) -> None:
        self._relay = _Relay()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tt-write")
        self._pool = ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="tt-io")
        self._pending: set[Future[Any]] = set()

    def write(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        """Serial: for anything that changes the database."""
        return self._submit(self._writer, fn, on_success, on_failure)

    def read(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        """Pooled: for queries and network calls."""
        return self._submit(self._pool, fn, on_success, on_failure)

    def _submit(
        self,
        executor: ThreadPoolExecutor,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[BaseException], None] | None,
    ) -> Future[T]:
        future = executor.submit(fn)
        self._pending.add(future)

        def finished(f: Future[T]) -> None:
            self._pending.discard(f)
            self._relay.done.emit((f, on_success, on_failure))

        future.add_done_callback(finished)
        return future

    def idle(self) -> bool:
        """True when no task is queued or running (tests wait on this)."""
        return not self._pending

    def shutdown(self) -> None:
        self._writer.shutdown(wait=True)
        self._pool.shutdown(wait=True, cancel_futures=True)
