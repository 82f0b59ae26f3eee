"""The tray menu and tooltip, offscreen: what it shows for each state, and what each action does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.models import NewEntry
from app.ui.tasks import TaskRunner
from app.ui.timer_model import TimerModel
from app.ui.tray import STOPPED_TOOLTIP, TrayController, pause_choices
from tests.ui.conftest import Clock, settle


class FakeCapture:
    def __init__(self) -> None:
        self.until: datetime | None = None
        self.paused = False

    def pause(self, until: datetime | None) -> None:
        self.paused, self.until = True, until

    def resume(self) -> None:
        self.paused, self.until = False, None

    def paused_until(self) -> datetime | None:
        return self.until or datetime.max.replace(tzinfo=UTC) if self.paused else None

    def is_paused(self) -> bool:
        return self.paused


@pytest.fixture
def tray(model: TimerModel, runner: TaskRunner) -> Iterator[TrayController]:
    controller = TrayController(model, runner, capture=None)
    yield controller
    controller.hide()


def texts(actions: list) -> list[str]:  # type: ignore[type-arg]
    return [a.text() for a in actions if a.isVisible() and not a.isSeparator()]


def test_stopped_tray_offers_start_and_names_the_state(tray: TrayController) -> None:
    assert tray.icon.toolTip() == STOPPED_TOOLTIP
    assert tray.state == "stopped"
    assert tray.status_action.text() == "No timer running"
    assert tray.toggle_action.text() == "Start timer"
    assert not tray.continue_action.isEnabled()
    menu = texts(tray.menu.actions())
    for item in ("Start timer", "Continue last", "Switch project", "Open timesheet", "Preferences…",
                 "Quit TimeTally"):
        assert item in menu
    assert any(t.startswith("Pause capture") for t in menu)


def test_tooltip_shows_description_project_and_elapsed(
    core: Core, model: TimerModel, tray: TrayController, runner: TaskRunner, clock: Clock, qtbot: QtBot
) -> None:
    project = core.projects.add_project("Acme Corp/Website")
    running = core.timer.start("Landing page", project.id)
    settle(qtbot, runner, model)
    clock.freeze(running.start + timedelta(hours=1, minutes=23, seconds=30))
    qtbot.waitUntil(lambda: tray.icon.toolTip() == "Landing page - Acme Corp/Website (1:23)")
    assert tray.state == "running"
    assert tray.toggle_action.text() == "Stop timer"
    assert tray.status_action.text().endswith("1:23")
    clock.advance(minutes=10)
    qtbot.waitUntil(lambda: tray.icon.toolTip() == "Landing page - Acme Corp/Website (1:33)")


def test_start_and_stop_from_the_menu(core: Core, model: TimerModel, tray: TrayController, qtbot: QtBot) -> None:
    tray.toggle_action.trigger()
    qtbot.waitUntil(lambda: model.snapshot.running is not None)
    assert core.entries.running() is not None
    qtbot.waitUntil(lambda: tray.toggle_action.text() == "Stop timer")
    tray.toggle_action.trigger()
    qtbot.waitUntil(lambda: model.snapshot.running is None)
    assert core.entries.running() is None
    assert tray.icon.toolTip() == STOPPED_TOOLTIP


def test_five_recent_entries_can_be_resumed(
    core: Core, model: TimerModel, tray: TrayController, runner: TaskRunner, qtbot: QtBot
) -> None:
    start = datetime(2026, 11, 20, 8, tzinfo=UTC)
    for n in range(7):
        core.entries.add(NewEntry(start=start + timedelta(hours=n), end=start + timedelta(hours=n, minutes=30),
                                  description=f"task {n}"))
    settle(qtbot, runner, model)
    recent = texts(tray.recent_actions)
    assert recent == [f"↻ task {n} - No project" for n in (6, 5, 4, 3, 2)]
    tray.recent_actions[2].trigger()
    qtbot.waitUntil(lambda: model.snapshot.running is not None)
    assert model.snapshot.running.description == "task 4"


def test_continue_last_restarts_the_latest_entry(
    core: Core, model: TimerModel, tray: TrayController, runner: TaskRunner, qtbot: QtBot
) -> None:
    project = core.projects.add_project("Globex/Support")
    start = datetime(2026, 11, 20, 8, tzinfo=UTC)
    core.entries.add(NewEntry(start=start, end=start + timedelta(hours=1), description="Tickets",
                              project_id=project.id))
    settle(qtbot, runner, model)
    assert tray.continue_action.isEnabled()
    assert tray.continue_action.text() == "Continue “Tickets - Globex/Support”"
    tray.continue_action.trigger()
    qtbot.waitUntil(lambda: model.snapshot.running is not None)
    assert (model.snapshot.running.description, model.snapshot.running.project_id) == ("Tickets", project.id)


def test_switch_project_keeps_the_description(
    core: Core, model: TimerModel, tray: TrayController, runner: TaskRunner, qtbot: QtBot
) -> None:
    first = core.projects.add_project("Acme/Web")
    second = core.projects.add_project("Acme/Mobile")
    old = core.timer.start("Standup", first.id)
    settle(qtbot, runner, model)
    items = {a.text(): a for a in tray.switch_menu.actions()}
    assert list(items) == ["Acme/Mobile", "Acme/Web"]
    assert items["Acme/Web"].isChecked()
    items["Acme/Mobile"].trigger()
    qtbot.waitUntil(lambda: model.snapshot.running is not None and model.snapshot.running.id != old.id)
    assert model.snapshot.running.project_id == second.id
    assert model.snapshot.running.description == "Standup"
    assert core.entries.get(old.id).end is not None


def test_pause_capture_is_disabled_without_capture(tray: TrayController) -> None:
    assert not tray.capture_menu.isEnabled()


def test_pause_and_resume_capture(model: TimerModel, runner: TaskRunner, clock: Clock, qtbot: QtBot) -> None:
    capture = FakeCapture()
    tray = TrayController(model, runner, capture=capture)
    assert tray.capture_menu.isEnabled()
    assert [a.text() for a in tray.pause_actions] == ["For 30 minutes", "For 1 hour", "Until tomorrow",
                                                       "Until resumed"]
    tray.pause_actions[0].trigger()
    qtbot.waitUntil(lambda: tray.state == "paused")
    assert capture.until is not None
    assert abs((capture.until - clock()).total_seconds() - 1800) < 5
    assert "Capture paused until" in tray.icon.toolTip()
    assert tray.capture_menu.title().startswith("Capture paused until")
    tray.resume_capture_action.trigger()
    qtbot.waitUntil(lambda: tray.state == "stopped")
    assert not capture.paused
    tray.pause_actions[3].trigger()
    qtbot.waitUntil(lambda: tray.capture_menu.title() == "Capture paused until resumed")
    assert capture.until is None
    tray.hide()


def test_until_tomorrow_is_local_midnight() -> None:
    now = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
    until = dict(pause_choices(now))["Until tomorrow"]
    assert until is not None
    local = until.astimezone()
    assert (local.hour, local.minute) == (0, 0)
    assert local.date() == (now.astimezone() + timedelta(days=1)).date()


def test_icons_differ_by_state(core: Core, model: TimerModel, runner: TaskRunner, qtbot: QtBot) -> None:
    capture = FakeCapture()
    tray = TrayController(model, runner, capture=capture)
    stopped = tray.current_icon().pixmap(22, 22).toImage()
    core.timer.start("x")
    settle(qtbot, runner, model)
    running = tray.current_icon().pixmap(22, 22).toImage()
    core.timer.stop()
    settle(qtbot, runner, model)
    tray.pause_actions[3].trigger()
    qtbot.waitUntil(lambda: tray.state == "paused")
    paused = tray.current_icon().pixmap(22, 22).toImage()
    assert not stopped.isNull()
    assert stopped != running and running != paused and stopped != paused
    tray.hide()


def test_long_running_timer_is_flagged_in_the_menu(
    core: Core, model: TimerModel, tray: TrayController, runner: TaskRunner, qtbot: QtBot
) -> None:
    core.entries.add(NewEntry(start=datetime.now(UTC) - timedelta(hours=9), end=None, description="forgot"))
    settle(qtbot, runner, model)
    assert tray.notice_action.isVisible()
    assert "running for 9.0 hours" in tray.notice_action.text()


def test_menu_entries_emit_their_signals(tray: TrayController, qtbot: QtBot) -> None:
    with qtbot.waitSignal(tray.open_preferences):
        tray.preferences_action.trigger()
    with qtbot.waitSignal(tray.open_timesheet):
        tray.timesheet_action.trigger()
    with qtbot.waitSignal(tray.quit_requested):
        tray.quit_action.trigger()


def test_a_failed_action_is_reported(model: TimerModel, tray: TrayController, qtbot: QtBot) -> None:
    with qtbot.waitSignal(model.failed) as failed:
        model.continue_last()  # nothing to continue: the service refuses with a sentence
    assert failed.args == ["There is no earlier entry to continue."]


def test_a_click_on_the_icon_toggles_the_window(model: TimerModel, runner: TaskRunner) -> None:
    toggled: list[str] = []
    tray = TrayController(model, runner, toggle_window=lambda: toggled.append("toggle"))
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.DoubleClick)
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Context)
    assert toggled == ["toggle"]
    tray.hide()
