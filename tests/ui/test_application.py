"""The desktop shell's start-up and shut-down: refused stores, a recovered database, crashes, other writers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.core import Core, build_core
from app.domain.errors import DatabaseTooNewError, NotFoundError
from app.domain.models import NewEntry
from app.store.repositories import RunRepository
from app.ui.application import Shell
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner
from app.ui.unclean_exit_dialog import UncleanExitDialog
from tests.conftest import WallClock
from tests.ui.conftest import drain

DEAD_PID = 2**22 + 12345  # above the default pid_max, so never a live process


@pytest.fixture
def make_shell(runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> Iterator[Callable[..., Shell]]:
    shells: list[Shell] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    quit_on_close = app.quitOnLastWindowClosed()

    def make(builder: Callable[[], Core], tray: bool = False) -> Shell:
        shell = Shell(builder, runner, bus, tray_available=lambda: tray)
        shells.append(shell)
        return shell

    yield make
    for shell in shells:
        if shell.window is not None:
            shell.window.close()
        drain(qtbot, runner)
        shell.shut_down()
    app.setQuitOnLastWindowClosed(quit_on_close)


def start(shell: Shell, qtbot: QtBot) -> None:
    with qtbot.waitSignal(shell.ready, timeout=10_000):
        shell.start()


def test_without_a_tray_the_window_opens(home: Path, make_shell: Callable[..., Shell], qtbot: QtBot) -> None:
    shell = make_shell(build_core)
    start(shell, qtbot)
    assert shell.tray is None
    assert shell.window is not None and shell.window.isVisible()
    app = QApplication.instance()
    assert isinstance(app, QApplication) and app.quitOnLastWindowClosed()


def test_with_a_tray_the_icon_shows_and_the_window_waits(
    home: Path, make_shell: Callable[..., Shell], qtbot: QtBot
) -> None:
    shell = make_shell(build_core, tray=True)
    start(shell, qtbot)
    assert shell.tray is not None
    assert shell.window is not None and not shell.window.isVisible()
    shell.tray.timesheet_action.trigger()
    assert shell.window.isVisible() and shell.window.current_key() == "review"


def test_a_refused_store_is_explained(make_shell: Callable[..., Shell], qtbot: QtBot) -> None:
    def refuse() -> Core:
        raise DatabaseTooNewError("The database was written by a newer TimeTally (0009); update TimeTally.")

    shell = make_shell(refuse)
    shell.start()
    qtbot.waitUntil(lambda: isinstance(shell.dialog, QMessageBox) and shell.dialog.isVisible())
    box = shell.dialog
    assert isinstance(box, QMessageBox)
    assert box.windowTitle() == "TimeTally cannot start"
    assert "newer TimeTally" in box.text()
    assert shell.window is None and shell.tray is None
    with qtbot.waitSignal(shell.failed) as failed:
        box.accept()
    assert "newer TimeTally" in failed.args[0]


def test_a_recovered_database_is_announced(home: Path, make_shell: Callable[..., Shell], qtbot: QtBot) -> None:
    home.mkdir(parents=True)
    (home / "timetally.db").write_bytes(b"this is not a database" * 100)
    shell = make_shell(build_core)
    shell.start()
    qtbot.waitUntil(lambda: isinstance(shell.dialog, QMessageBox))
    box = shell.dialog
    assert isinstance(box, QMessageBox)
    assert "fresh one" in box.text()
    assert "timetally.db.damaged-" in box.informativeText()
    qtbot.waitUntil(lambda: shell.window is not None and shell.window.isVisible())


def crashed_with_timer(core: Core, last_alive: datetime) -> int:
    runs = RunRepository(core.db)
    run_id = runs.begin(DEAD_PID, "gui", last_alive - timedelta(hours=2))
    runs.touch(run_id, last_alive)
    entry = core.entries.add(NewEntry(start=last_alive - timedelta(hours=1), end=None, description="Design"))
    return entry.id


@pytest.mark.parametrize(("stop", "hours_ago", "shown"),
                         [(True, 3, "09:00"), (False, 3, "09:00"), (True, 15, "Tue 17 Nov, 21:00")])
def test_after_a_crash_the_user_chooses_what_happens_to_the_timer(
    core: Core, make_shell: Callable[..., Shell], qtbot: QtBot, wall_clock: WallClock, stop: bool, hours_ago: int,
    shown: str,
) -> None:
    noon = datetime(2026, 11, 18, 12).astimezone()  # local noon on a Wednesday, in whatever zone the test runs
    wall_clock.set(noon)
    last_alive = noon.astimezone(UTC) - timedelta(hours=hours_ago)
    entry_id = crashed_with_timer(core, last_alive)
    shell = make_shell(lambda: core)
    start(shell, qtbot)
    dialog = shell.dialog
    assert isinstance(dialog, UncleanExitDialog) and dialog.isVisible()
    assert dialog.stop_button.text() == f"Stop it at {shown}"  # the day is named only when it is not today
    (dialog.stop_button if stop else dialog.keep_button).click()
    qtbot.waitUntil(lambda: not RunRepository(core.db).unfinished()
                    or all(r.pid != DEAD_PID for r in RunRepository(core.db).unfinished()))
    entry = core.entries.get(entry_id)
    assert entry.end == (last_alive if stop else None)


def test_stopping_at_last_alive_removes_a_timer_that_held_under_a_minute_and_says_so(
    core: Core, make_shell: Callable[..., Shell], qtbot: QtBot
) -> None:
    last_alive = datetime.now(UTC) - timedelta(hours=1)
    runs = RunRepository(core.db)
    runs.touch(runs.begin(DEAD_PID, "gui", last_alive - timedelta(hours=2)), last_alive)
    entry = core.entries.add(NewEntry(start=last_alive - timedelta(seconds=20), end=None, description="Design"))
    shell = make_shell(lambda: core)
    start(shell, qtbot)
    dialog = shell.dialog
    assert isinstance(dialog, UncleanExitDialog)
    dialog.stop_button.click()
    window = shell.timer_window
    qtbot.waitUntil(lambda: window.feedback_banner.isVisible())
    assert "held less than a minute, so it was removed" in window.feedback_banner.label.text()
    assert core.entries.running() is None
    with pytest.raises(NotFoundError):
        core.entries.get(entry.id)


def test_no_question_after_a_clean_exit(core: Core, make_shell: Callable[..., Shell], qtbot: QtBot) -> None:
    core.liveness.begin("gui")
    core.timer.start("still going")
    core.liveness.end()
    shell = make_shell(lambda: core)
    start(shell, qtbot)
    assert shell.dialog is None


def test_changes_by_another_process_reach_the_views(
    core: Core, make_shell: Callable[..., Shell], qtbot: QtBot
) -> None:
    shell = make_shell(lambda: core)
    start(shell, qtbot)
    assert shell.model is not None
    qtbot.waitUntil(lambda: shell._probe is not None and shell._probe._version is not None, timeout=5000)
    other = build_core()  # a second connection, as the CLI would open
    try:
        other.timer.start("from the command line")
    finally:
        other.close()
    qtbot.waitUntil(lambda: shell.model.snapshot.running is not None, timeout=6000)
    assert shell.model.snapshot.running.description == "from the command line"


def test_shut_down_records_a_clean_exit(core: Core, make_shell: Callable[..., Shell], qtbot: QtBot) -> None:
    shell = make_shell(lambda: core)
    start(shell, qtbot)
    qtbot.waitUntil(lambda: any(r.kind == "gui" for r in RunRepository(core.db).unfinished()))
    drain(qtbot, shell.runner)
    shell.shut_down()
    assert RunRepository(core.db).unfinished() == []


def test_preferences_open_as_a_page_of_the_main_window(
    home: Path, make_shell: Callable[..., Shell], qtbot: QtBot
) -> None:
    shell = make_shell(build_core, tray=True)
    start(shell, qtbot)
    assert shell.tray is not None and shell.window is not None
    shell.tray.preferences_action.trigger()
    assert shell.window.isVisible() and shell.window.current_key() == "preferences"
    assert shell.window.built("preferences") is shell.window.stack.currentWidget()
