"""Preferences and `timetally settings set` refuse a value with the same sentence: one check for both."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.cli import main
from app.core import Core
from app.ui.events import ChangeBus
from app.ui.settings_dialog import SettingsDialog
from app.ui.tasks import TaskRunner


@pytest.mark.parametrize(("key", "value", "text"), [("app.liveness_seconds", 1, "1"),
                                                    ("timer.long_running_hours", 30.0, "30")])
def test_the_dialog_and_the_command_line_say_the_same(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot,
                                                      capsys: pytest.CaptureFixture[str], key: str, value: object,
                                                      text: str) -> None:
    dialog = SettingsDialog(core.settings, runner, bus)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    [page] = [p for p in dialog.option_pages if key in p.editors]
    page.editors[key].set_value(value)
    dialog.save_button.click()
    assert not dialog.error.isHidden()

    assert main(["settings", "set", key, text]) == 1
    assert capsys.readouterr().err == f"timetally: {dialog.error.text()}\n"
