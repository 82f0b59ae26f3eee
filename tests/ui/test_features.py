"""The desktop features wired into the shell: capture runs with the app, the tray opens the feature windows,
the timesheet is the review window, settings reach the watcher, and autostart follows only real changes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core import build_core
from app.ui.activity_window import ActivityWindow
from app.ui.application import Shell
from app.ui.events import SETTINGS, ChangeBus
from app.ui.features import DesktopFeatures
from app.ui.review.window import ReviewWindow
from app.ui.rules_editor import RulesEditor
from app.ui.send_dialog import SendDialog
from app.ui.settings_dialog import SettingsDialog
from app.ui.tasks import TaskRunner
from tests.ui.conftest import drain


@pytest.fixture
def autostart_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config / "autostart" / "timetally.desktop"


def onboarded() -> None:
    """As after the welcome wizard: capture may start and the window waits for the tray."""
    core = build_core()
    try:
        core.settings.set("onboarding.privacy_seen", True)
        core.settings.set("onboarding.finished", True)
    finally:
        core.close()


@pytest.fixture
def started(
    home: Path, autostart_home: Path, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot
) -> Iterator[tuple[Shell, DesktopFeatures]]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    quit_on_close = app.quitOnLastWindowClosed()
    onboarded()
    features = DesktopFeatures()
    shell = Shell(build_core, runner, bus, features, tray_available=lambda: True)
    with qtbot.waitSignal(shell.ready, timeout=10_000):
        shell.start()
    yield shell, features
    for window in (*features.windows.values(), shell.window):
        if window is not None:
            window.close()
    drain(qtbot, runner)
    shell.shut_down()
    app.setQuitOnLastWindowClosed(quit_on_close)


def test_capture_runs_with_the_app_and_stops_with_it(started: tuple[Shell, DesktopFeatures]) -> None:
    shell, features = started
    watcher = features.watcher
    assert watcher is not None and watcher._thread is not None and watcher._thread.is_alive()
    assert shell.tray is not None and shell.tray.capture_menu.isEnabled()
    thread = watcher._thread
    shell.shut_down()
    assert not thread.is_alive()


def test_tray_entries_open_the_matching_pages_and_the_timesheet_is_the_review(
    started: tuple[Shell, DesktopFeatures], qtbot: QtBot, runner: TaskRunner
) -> None:
    shell, _features = started
    assert shell.tray is not None and shell.window is not None
    labels = [a.text() for a in shell.tray.menu.actions()]
    for label in ("Activity…", "Rules…", "Reports…", "Send to Xero…", "Open log folder"):
        assert label in labels
    assert labels.index("Reports…") < labels.index("Preferences…")
    trigger = {a.text(): a for a in shell.tray.menu.actions()}
    trigger["Activity…"].trigger()
    assert isinstance(shell.window.built("activity"), ActivityWindow) and shell.window.isVisible()
    assert shell.window.built("activity").isVisible()
    trigger["Rules…"].trigger()
    assert isinstance(shell.window.built("rules"), RulesEditor) and shell.window.current_key() == "rules"
    trigger["Open timesheet"].trigger()
    assert isinstance(shell.window.built("review"), ReviewWindow) and shell.window.built("review").isVisible()
    qtbot.waitUntil(runner.idle)


def test_send_from_the_tray_stays_open_after_its_preview(
    started: tuple[Shell, DesktopFeatures], qtbot: QtBot, runner: TaskRunner
) -> None:
    """The tray keeps the dialog: nothing else holds it once the preview read has been delivered."""
    shell, _features = started
    assert shell.tray is not None
    trigger = {a.text(): a for a in shell.tray.menu.actions()}
    trigger["Send to Xero…"].trigger()
    drain(qtbot, runner)
    gc.collect()
    qtbot.wait(50)
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, SendDialog) and w.isVisible()]
    assert len(shown) == 1
    shown[0].close()


def test_accounts_page_is_in_preferences(started: tuple[Shell, DesktopFeatures]) -> None:
    shell, _ = started
    shell.open_page("preferences")
    assert shell.window is not None
    preferences = shell.window.built("preferences")
    assert isinstance(preferences, SettingsDialog) and "Accounts" in preferences.titles()


def test_autostart_follows_a_changed_setting_but_is_not_touched_at_start(
    started: tuple[Shell, DesktopFeatures], autostart_home: Path, bus: ChangeBus, qtbot: QtBot, runner: TaskRunner
) -> None:
    shell, _ = started
    assert not autostart_home.exists()
    assert shell.core is not None
    shell.core.settings.set("app.autostart", True)
    bus.announce(SETTINGS)
    qtbot.waitUntil(autostart_home.exists)
    shell.core.settings.set("app.autostart", False)
    bus.announce(SETTINGS)
    qtbot.waitUntil(lambda: not autostart_home.exists())
    qtbot.waitUntil(runner.idle)


def test_tray_warns_when_an_account_needs_reconnecting(
    started: tuple[Shell, DesktopFeatures], bus: ChangeBus, qtbot: QtBot, runner: TaskRunner
) -> None:
    from app.store.tables.accounts import AccountRow

    shell, _ = started
    assert shell.tray is not None and shell.core is not None
    assert shell.tray.state == "stopped" and not shell.tray.reconnect_action.isVisible()
    with shell.core.db.session() as s:
        s.add(AccountRow(provider="xero", organisation="Demo Company", state="reconnect needed"))
    bus.announce("accounts")
    qtbot.waitUntil(lambda: shell.tray.state == "reconnect")
    assert shell.tray.reconnect_action.text() == "Reconnect Xero…" and shell.tray.reconnect_action.isVisible()
    assert "Xero: reconnect needed" in shell.tray.icon.toolTip()
    with shell.core.db.session() as s:
        row = s.get(AccountRow, "xero")
        assert row is not None
        row.state = "connected"
        s.add(row)
    bus.announce("accounts")
    qtbot.waitUntil(lambda: shell.tray.state == "stopped")
    qtbot.waitUntil(runner.idle)


def test_the_main_window_pauses_and_resumes_capture_without_a_tray(
    started: tuple[Shell, DesktopFeatures], qtbot: QtBot, runner: TaskRunner
) -> None:
    shell, features = started
    menu = features.capture_menu
    assert menu is not None and shell.window is not None and menu.menuAction() in shell.window.menuBar().actions()
    watcher = features.watcher
    assert watcher is not None
    [until_resumed] = [a for a in menu.actions() if a.text() == "Pause until resumed"]
    until_resumed.trigger()
    qtbot.waitUntil(lambda: menu.state.text() == "Paused until resumed")
    assert watcher.is_paused() and menu.resume_action.isEnabled()
    menu.resume_action.trigger()
    qtbot.waitUntil(lambda: menu.state.text() == "Recording")
    assert not watcher.is_paused()
    drain(qtbot, runner)
