"""Fault injection for the atomicity tests: a write to one table fails (or kills the process) mid use case."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event


class Injected(RuntimeError):
    """The fault a test raised between two writes."""


def _raise(*_args: Any) -> None:
    raise Injected("a fault between two writes")


@contextmanager
def failing(row: type, when: str = "before_insert", fault: Callable[..., None] = _raise) -> Iterator[None]:
    """While open, every `when` (before_insert, before_update, before_delete) of a `row` runs `fault`."""
    event.listen(row, when, fault)
    try:
        yield
    finally:
        event.remove(row, when, fault)
