"""Shared fixtures: every test gets its own TIMETALLY_HOME and database; Qt runs offscreen unless a test starts X."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.shifted_clock"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty TIMETALLY_HOME for this test."""
    root = tmp_path / "home"
    monkeypatch.setenv("TIMETALLY_HOME", str(root))
    return root


@pytest.fixture
def core(home: Path) -> Iterator[object]:
    """The real services on a fresh SQLite file."""
    from app.core import build_core

    built = build_core()
    yield built
    built.close()


class WallClock:
    """The wall clock the code under test reads, for a test whose result depends on what day it is."""

    def __init__(self) -> None:
        self._travel: object | None = None

    def set(self, at: datetime) -> None:
        """Start the clock at `at` (timezone-aware); it ticks on from there until the test ends."""
        import time_machine

        self.stop()
        travel = time_machine.travel(at, tick=True)
        travel.start()
        self._travel = travel

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()  # type: ignore[attr-defined]
            self._travel = None


@pytest.fixture
def wall_clock() -> Iterator[WallClock]:
    clock = WallClock()
    yield clock
    clock.stop()


@pytest.fixture
def utc_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local days are UTC days, for worked figures written in UTC that must not depend on the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def cycles_collected_on_the_main_thread() -> Iterator[None]:
    """Python's cycle collector runs on whichever thread happens to allocate. When it frees a Qt object on a task
    runner's worker, PySide can deadlock (the worker holds a Qt connection mutex and waits for the interpreter lock
    that the GUI thread, waiting for that mutex, will not give up). During a test the collector is off; between
    tests, when only the main thread runs, it works as usual."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
