"""The GUI announces what a change committed, as the store saw it: nothing typed at the call site, and nothing
when the change was refused."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.core import Core
from app.ui.events import ENTRIES, PROJECTS, TIMER, ChangeBus
from app.ui.tasks import TaskRunner
from app.ui.timer_model import TimerModel
from tests.ui.conftest import drain


def test_changes_are_published_from_what_was_committed(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                        model: TimerModel, qtbot: QtBot) -> None:
    heard: list[frozenset[str]] = []
    bus.changed.connect(heard.append)
    model.add_project("Acme/Web")
    drain(qtbot, runner)
    model.start("design")
    drain(qtbot, runner)
    assert heard == [frozenset({PROJECTS, ENTRIES}), frozenset({ENTRIES, TIMER})]
    heard.clear()
    failures: list[str] = []
    model.add_project("Acme/Web", on_failure=failures.append)  # exists already: refused, nothing written
    drain(qtbot, runner)
    assert failures and "already exists" in failures[0] and heard == []
