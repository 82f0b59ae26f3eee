"""Reports say why a table is empty, show "—" for a margin no cost rate can tell, and label small hours in
tenths instead of 0 h, 0 h, 1 h."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCharts import QValueAxis
from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.models import NewEntry
from app.domain.periods import Period
from app.ui.events import ChangeBus
from app.ui.reports import ReportsWindow
from app.ui.reports.window import TABS
from app.ui.tasks import TaskRunner
from tests.ui.test_reports_window import cells, close, shown

NOV = Period(date(2026, 11, 1), date(2026, 11, 30))


def said(window: ReportsWindow, tab: int, table: int = 0) -> str:
    grid = window.pages[TABS[tab]].tables[table]
    assert grid.rowCount() == 1 and grid.columnSpan(0, 0) == grid.columnCount()
    return grid.item(0, 0).text()


def test_empty_tables_say_why(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> None:
    window = shown(qtbot, runner, ReportsWindow(core.reports.all, runner, bus))
    assert said(window, 0) == "No work for a client was tracked in this period."
    assert said(window, 2) == "No approved work waits to be invoiced."
    assert said(window, 3).startswith("Nothing is owed")
    assert said(window, 3, 1).startswith("No unpaid invoices")
    close(qtbot, runner, window)


def test_margin_without_a_cost_rate_and_a_small_hours_axis(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                           qtbot: QtBot) -> None:
    core.billing.set_client("Acme", rate="100")
    project = core.projects.add_project("Acme/Web")
    start = datetime(2026, 11, 17, 9, tzinfo=UTC)
    core.entries.add(NewEntry(start, start + timedelta(minutes=40), "work", project.id))
    window = shown(qtbot, runner, ReportsWindow(core.reports.all, runner, bus))
    [row, total] = cells(window, 0)
    columns = [window.pages[TABS[0]].tables[0].horizontalHeaderItem(c).text() for c in range(len(row))]
    assert (row[columns.index("Margin")], row[columns.index("Margin %")]) == ("—", "—")
    assert total[columns.index("Margin")] == "—"
    weekly = window.pages[TABS[0]].views[0].chart()
    hours_axis = next(a for a in weekly.axes() if isinstance(a, QValueAxis) and a.titleText() == "Hours")
    assert hours_axis.labelFormat() == "%.1f h" and hours_axis.max() >= 1
    assert window.pages[TABS[0]].views[1].chart().title() == (
        "Margin per client: no client work with a cost rate in this period")
    core.billing.set_client("Acme", cost_rate="40", effective_from=date(2026, 11, 1))
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.reload()
    assert cells(window, 0)[0][columns.index("Margin")] == "40.00"
    close(qtbot, runner, window)
