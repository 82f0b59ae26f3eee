"""Changes announced while the Reports window is reading wait for that read, then read once more: not one read
per notification competing for the workers."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.periods import Period
from app.reports.profitability import Level
from app.reports.service import ReportSet
from app.ui.events import ENTRIES, INVOICES, ChangeBus
from app.ui.reports import ReportsWindow
from app.ui.tasks import TaskRunner
from tests.ui.test_reports_window import close


def test_changes_during_a_read_wait_for_it(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> None:
    release = threading.Event()
    calls: list[Period] = []

    def load(period: Period, level: Level) -> ReportSet:
        calls.append(period)
        if len(calls) == 1:
            release.wait(5)
        return core.reports.all(period, level)

    window = ReportsWindow(load, runner, bus)
    qtbot.addWidget(window)
    window.show()
    bus.announce(ENTRIES)
    bus.announce(INVOICES)
    qtbot.wait(600)  # past the coalescing delay
    assert len(calls) == 1
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        release.set()
    assert len(calls) == 2  # the first result was outdated: read once more, then shown
    with qtbot.assertNotEmitted(window.loaded, wait=600):
        pass
    assert len(calls) == 2
    close(qtbot, runner, window)
