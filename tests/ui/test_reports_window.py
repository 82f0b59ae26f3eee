"""The Reports window: loads on a worker, shows charts and tables, reloads on change events, drops stale
results, exports CSV, XLSX and PDF, and shows failures as sentences."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.errors import ValidationError
from app.domain.models import NewEntry
from app.domain.periods import Period
from app.reports.profitability import Level
from app.reports.service import ReportSet
from app.ui.events import ENTRIES, INVOICES, SPANS, ChangeBus
from app.ui.reports import ReportsWindow, open_reports_window
from app.ui.reports.window import TABS, preset_period
from app.ui.tasks import TaskRunner
from tests.unit.test_reports_service import sample_day, seed  # noqa: F401 - sample_day is an autouse fixture

NOV = Period(date(2026, 11, 1), date(2026, 11, 30))


def shown(qtbot: QtBot, runner: TaskRunner, window: ReportsWindow) -> ReportsWindow:
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.set_period(NOV)
    return window


def close(qtbot: QtBot, runner: TaskRunner, window: ReportsWindow) -> None:
    qtbot.waitUntil(runner.idle)
    window.close()


def cells(window: ReportsWindow, tab: int, table: int = 0) -> list[list[str]]:
    grid = window.pages[TABS[tab]].tables[table]
    return [[grid.item(r, c).text() for c in range(grid.columnCount())] for r in range(grid.rowCount())]


def test_shows_every_report_and_reloads_on_entry_changes(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                         qtbot: QtBot) -> None:
    seed(core)
    window = shown(qtbot, runner, ReportsWindow(core.reports.all, runner, bus))
    profit = cells(window, 0)
    assert profit[0][:3] == ["Acme", "Fixed", "USD"]
    assert profit[-1][:3] == ["Total", "", "USD"] and profit[-1][8] == "1875.00"
    assert profit[-2][:3] == ["Total", "", "EUR"] and profit[-2][8] == "666.66"
    assert cells(window, 0, 1)[0][:6] == ["Acme", "Fixed", "USD", "1000.00", "10:00", "8:45"]  # hours in h:mm
    assert [row[0] for row in cells(window, 2)] == ["Acme", "Globex", "Total", "Total"]
    assert cells(window, 3, 2)[0][3] == "unsent"
    charts = [view.chart() for page in window.pages.values() for view in page.views]
    assert [c.title() for c in charts] == ["Revenue and hours per week", "Margin per client",
                                           "Hours per day (target: 75 % billable)",
                                           "Uninvoiced hours by client and age", "Receivables by age: nothing owed"]
    assert len(charts[0].series()) == 2 and charts[0].series()[0].count() == 2  # EUR and USD revenue sets

    project = core.projects.find("Acme/Web")
    start = datetime(2026, 11, 9, 9, tzinfo=UTC)
    entry = core.entries.add(NewEntry(start, start + timedelta(hours=2), "more", project.id))
    core.entries.update(entry.id, status="approved")
    with qtbot.assertNotEmitted(window.loaded, wait=400):
        bus.announce(SPANS)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        bus.announce(ENTRIES, INVOICES)
        bus.announce(ENTRIES)
    assert cells(window, 0)[-1][8] == "2075.00"
    window.hide()
    with qtbot.assertNotEmitted(window.loaded, wait=400):
        bus.announce(INVOICES)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.show()
    close(qtbot, runner, window)


def test_a_stale_result_is_dropped(runner: TaskRunner, qtbot: QtBot, core: Core) -> None:
    release = threading.Event()
    calls: list[Level] = []

    def load(period: Period, level: Level) -> ReportSet:
        calls.append(level)
        if len(calls) == 2:  # the first load after the window asked for November
            release.wait(5)
        return core.reports.all(period, level)

    window = ReportsWindow(load, runner)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.reports is not None)
    window.set_period(NOV)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.level.setCurrentIndex(0)
    assert window.reports is not None and window.reports.profitability.level is Level.CLIENT
    release.set()
    qtbot.waitUntil(runner.idle)
    assert window.reports.profitability.level is Level.CLIENT
    close(qtbot, runner, window)


def test_exports_the_report_on_show(core: Core, runner: TaskRunner, qtbot: QtBot, tmp_path: Path) -> None:
    seed(core)
    window = shown(qtbot, runner, ReportsWindow(core.reports.all, runner))
    window.tabs.setCurrentIndex(0)
    for name, export in (("p.csv", window.export_csv), ("p.xlsx", window.export_xlsx),
                         ("p.pdf", window.export_pdf)):
        with qtbot.waitSignal(window.exported, timeout=10_000):
            export(tmp_path / name)
    assert (tmp_path / "p.csv").read_text().startswith("Profitability by project\nClient,Project,Currency")
    assert load_workbook(tmp_path / "p.xlsx").sheetnames == ["Profitability by project",
                                                            "Fixed-fee projects (all time)"]
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "p.pdf").stat().st_size > 10_000  # the charts are in it
    close(qtbot, runner, window)


def test_a_failure_is_shown_not_raised(runner: TaskRunner, qtbot: QtBot) -> None:
    def refuse(period: Period, level: Level) -> ReportSet:
        raise ValidationError("The database is busy")

    window = ReportsWindow(refuse, runner)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.status.text() == "The database is busy")
    assert not window.csv_button.isEnabled()
    window.first.setDate(window.last.date().addDays(1))
    assert "ends before it starts" in window.status.text()
    close(qtbot, runner, window)


def test_presets() -> None:
    today = date(2026, 11, 20)
    assert preset_period("This month", today) == Period(date(2026, 11, 1), today)
    assert preset_period("Last month", today) == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert preset_period("This quarter", today) == Period(date(2026, 10, 1), today)
    assert preset_period("Last 3 months", today) == Period(date(2026, 9, 1), today)
    assert preset_period("This year", today) == Period(date(2026, 1, 1), today)


def test_open_reports_window_shows_it(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> None:
    window = open_reports_window(core, runner, bus)
    qtbot.addWidget(window)
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.reports is not None)
    close(qtbot, runner, window)
