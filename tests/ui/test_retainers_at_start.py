"""The first open of the desktop app after a retainer period starts makes that period's invoice, once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core import build_core
from app.ui.application import Shell
from app.ui.events import ChangeBus
from app.ui.features import DesktopFeatures
from app.ui.tasks import TaskRunner
from tests.conftest import WallClock
from tests.ui.conftest import drain
from tests.ui.test_features import autostart_home, onboarded

__all__ = ["autostart_home"]


def open_app(bus: ChangeBus, qtbot: QtBot) -> list[str]:
    """A whole start and shut-down of the app, on a task runner of its own (shutting down ends it)."""
    runner = TaskRunner()
    features = DesktopFeatures()
    shell = Shell(build_core, runner, bus, features, tray_available=lambda: True)
    with qtbot.waitSignal(shell.ready, timeout=10_000):
        shell.start()
    made = features.retainer_invoices
    if shell.window is not None:
        shell.window.close()
    drain(qtbot, runner)
    shell.shut_down()
    return made


def test_retainer_invoices_are_made_when_the_app_opens(home: Path, autostart_home: Path, bus: ChangeBus,
                                                       qtbot: QtBot, wall_clock: WallClock) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    quit_on_close = app.quitOnLastWindowClosed()
    wall_clock.set(datetime(2026, 12, 2, 9, tzinfo=UTC))
    onboarded()
    core = build_core()
    try:
        core.billing.set_client("Acme", rate="100", currency="USD")
        core.projects.add_project("Acme/Care")
        core.retainers.set("Acme/Care", every="month", amount="2000", hours="20h", overage_rate="120",
                           rollover=False, starts=date(2026, 11, 1))
    finally:
        core.close()
    assert open_app(bus, qtbot) == ["INV-0001", "INV-0002"]
    assert open_app(bus, qtbot) == [], "one invoice per period"
    app.setQuitOnLastWindowClosed(quit_on_close)
