"""Pause and resume capture from the Activity page (for desktops without a tray), kept across a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core import Core, build_watcher
from app.ui.capture_pause import CapturePauseControl
from app.ui.tasks import TaskRunner
from tests.conftest import WallClock


def test_pause_until_resumed_then_resume(core: Core, runner: TaskRunner, qtbot: QtBot, tmp_path: Path) -> None:
    control = CapturePauseControl(build_watcher(core), runner)
    qtbot.addWidget(control)
    control.resize(640, 40)
    control.show()
    qtbot.waitUntil(lambda: control.state.text() == "Capture is recording")
    assert control.pause_button.isVisible() and not control.resume_button.isVisible()
    assert [a.text() for a in control.pause_menu.actions()] == [
        "For 30 minutes", "For 1 hour", "Until tomorrow", "Until resumed"]
    control.pause_menu.actions()[-1].trigger()
    qtbot.waitUntil(lambda: control.state.text() == "Capture paused until resumed")
    assert control.resume_button.isVisible() and not control.pause_button.isVisible()
    control.grab().save(str(tmp_path / "paused.png"))
    assert build_watcher(core).is_paused()  # what a restart sees
    control.resume_button.click()
    qtbot.waitUntil(lambda: control.state.text() == "Capture is recording")
    assert not build_watcher(core).is_paused()


def test_for_30_minutes_counts_from_the_click(core: Core, runner: TaskRunner, qtbot: QtBot,
                                              wall_clock: WallClock) -> None:
    wall_clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    control = CapturePauseControl(build_watcher(core), runner)
    qtbot.addWidget(control)
    wall_clock.set(datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    control.pause_menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: control.state.text().startswith("Capture paused until"))
    until = build_watcher(core).paused_until()
    assert until is not None and abs(until - datetime(2026, 11, 18, 15, 30, tzinfo=UTC)) < timedelta(seconds=10)
