"""The task runner after shut-down: a view's timer that still fires asks for work, and nothing runs or fails."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.tasks import TaskRunner


def test_work_asked_for_after_shutdown_is_refused_quietly(qtbot: QtBot) -> None:
    runner = TaskRunner()
    ran: list[str] = []
    runner.write(lambda: ran.append("before"))
    runner.shutdown()
    assert ran == ["before"]
    for submit in (runner.read, runner.write):
        future = submit(lambda: ran.append("after"))
        assert future.cancelled()
    assert ran == ["before"] and runner.idle()
