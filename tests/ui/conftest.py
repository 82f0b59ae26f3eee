"""Qt fixtures: one task runner and change bus per test, the timer model on the real services, a movable clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.timefmt import utcnow
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner
from app.ui.timer_model import TimerModel


class Clock:
    """Real time plus an offset, so a test can make an hour pass without waiting for it."""

    def __init__(self) -> None:
        self.offset = timedelta()
        self.frozen: datetime | None = None

    def __call__(self) -> datetime:
        return self.frozen or utcnow() + self.offset

    def freeze(self, at: datetime) -> None:
        """Stop the clock at `at`, so a test can compare exact seconds."""
        self.frozen = at

    def advance(self, **kw: float) -> None:
        self.offset += timedelta(**kw)
        if self.frozen is not None:
            self.frozen += timedelta(**kw)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    drain(qtbot, tasks)
    tasks.shutdown()


def drain(qtbot: QtBot, runner: TaskRunner) -> None:
    """Until nothing is left: a delivered result may start more work (a write announces, a view re-reads)."""
    for _ in range(100):
        qtbot.waitUntil(runner.idle)
        QCoreApplication.processEvents()  # hand over what the workers finished
        if runner.idle():
            return


@pytest.fixture
def bus() -> ChangeBus:
    return ChangeBus()


@pytest.fixture
def model(core: Core, runner: TaskRunner, bus: ChangeBus, clock: Clock, qtbot: QtBot) -> TimerModel:
    """Loaded once, like the shell does at start-up."""
    timer_model = TimerModel(core, runner, bus, clock=clock)
    with qtbot.waitSignal(timer_model.updated):
        timer_model.refresh()
    return timer_model


def settle(qtbot: QtBot, runner: TaskRunner, model: TimerModel) -> None:
    """Wait until queued work has finished and the model has re-read what it announced."""
    qtbot.waitUntil(runner.idle)
    with qtbot.waitSignal(model.updated):
        model.refresh()
    qtbot.waitUntil(runner.idle)
