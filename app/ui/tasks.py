"""Runs work off the GUI thread and delivers the outcome back on it.

One serial worker takes every database write (so writes never race each other); a small pool takes reads and
network calls. Callbacks always run on the GUI thread, where widgets may be touched.

Qt objects must die on the thread that owns them. A worker therefore never holds the job or its callbacks once
the job has run: it sees only a number, and the GUI thread keeps the callables until it has delivered the
outcome, so a lambda that captured a widget is released here and never on a worker. Callbacks whose owner
(a given `owner`, or the object of a bound method) was deleted meanwhile are skipped: a window closed with
work in flight is not an error.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Task(Generic[T]):
    fn: Callable[[], T]
    on_success: Callable[[T], None] | None
    on_failure: Callable[[BaseException], None] | None
    owner: QObject | None


class _Relay(QObject):
    """Lives on the GUI thread; a queued signal carries each finished task's number and outcome to it."""

    done = Signal(int, object, object)


def alive(obj: object) -> bool:
    """False for a Qt object whose C++ side was deleted (a closed dialog); True for anything else."""
    return not isinstance(obj, QObject) or shiboken6.isValid(obj)


class TaskRunner:
    """Create once on the GUI thread (the composition root does) and pass it to the views."""

    def __init__(self, pool_size: int = 4) -> None:
        self._relay = _Relay()
        self._relay.done.connect(self._deliver)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tt-write")
        self._pool = ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="tt-io")
        self._tasks: dict[int, _Task[Any]] = {}
        self._keys = itertools.count()
        self._closed = False

    def write(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> Future[None]:
        """Serial: for anything that changes the database."""
        return self._submit(self._writer, _Task(fn, on_success, on_failure, owner))

    def read(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> Future[None]:
        """Pooled: for queries and network calls."""
        return self._submit(self._pool, _Task(fn, on_success, on_failure, owner))

    def _submit(self, executor: ThreadPoolExecutor, task: _Task[Any]) -> Future[None]:
        if self._closed:  # a view's timer that fires while the app shuts down asks for nothing more
            refused: Future[None] = Future()
            refused.cancel()
            return refused
        key = next(self._keys)
        self._tasks[key] = task
        return executor.submit(self._run, key)

    def _run(self, key: int) -> None:
        """On a worker: run the job, let go of it, then hand the outcome to the GUI thread."""
        fn = self._tasks[key].fn
        result: Any = None
        error: BaseException | None = None
        try:
            result = fn()
        except BaseException as exc:  # delivered to on_failure; never lost on the worker
            error = exc
        del fn
        self._relay.done.emit(key, result, error)

    @Slot(int, object, object)
    def _deliver(self, key: int, result: Any, error: BaseException | None) -> None:
        task = self._tasks.pop(key, None)
        if task is None:  # shut down meanwhile
            return
        callback = task.on_success if error is None else task.on_failure
        if not alive(task.owner) or not alive(getattr(callback, "__self__", None)):
            return
        if callback is not None:
            callback(result if error is None else error)
        elif error is not None:
            log.error("background task failed", exc_info=error)

    def idle(self) -> bool:
        """True when no task is queued, running or waiting to be delivered (tests wait on this)."""
        return not self._tasks

    def shutdown(self) -> None:
        """Finish the writes (they may hold the user's data), drop queued reads, forget undelivered outcomes;
        work asked for afterwards is refused."""
        self._closed = True
        self._writer.shutdown(wait=True)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._tasks.clear()
