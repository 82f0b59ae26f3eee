"""The Reports window: a period picker, one tab per report with its charts above its tables, and CSV, XLSX and
PDF export of the report on show.

Reports and their tables are built on a reader thread through the task runner; the window makes the charts (QtCharts
objects belong to the GUI thread) and fills the tabs a few milliseconds per turn of the event loop. Entries or invoices
changing elsewhere (the change bus) reload the figures; a result older than the latest request is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import chain
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QPainter, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import Core
from app.domain.periods import Period
from app.domain.timefmt import format_duration
from app.reports.profitability import Level
from app.reports.service import ReportSet
from app.reports.tables import (
    Table,
    profitability_tables,
    receivables_tables,
    utilisation_tables,
    wip_tables,
)
from app.ui.events import ENTRIES, INVOICES, ChangeBus
from app.ui.reports.charts import ageing_chart, margin_chart, utilisation_chart, weekly_chart, wip_chart
from app.ui.reports.table_view import ReportTable
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

Loader = Callable[[Period, Level], ReportSet]
PRESETS = ("This month", "Last month", "This quarter", "Last 3 months", "This year", "Custom")
TABS = ("Profitability", "Utilisation", "Work in progress", "Receivables")
CHART_HEIGHT = 300
TABLE_HEIGHT = 420
RELOAD_DELAY_MS = 250
SLICE_SECONDS = 0.008
"""Filling done in one turn of the event loop before the next; under the 50 ms a stall may take."""


TabTables = tuple[list[Table], list[Table], list[Table], list[Table]]


def _with_tables(reports: ReportSet) -> tuple[ReportSet, TabTables]:
    """The reports and the tables of each tab, built on the worker that read them (plain values, no Qt)."""
    return reports, (profitability_tables(reports.profitability), utilisation_tables(reports.utilisation),
                     wip_tables(reports.wip), receivables_tables(reports.receivables))


def preset_period(name: str, today: date) -> Period:
    """The period a preset names, ending today at the latest for the current ones."""
    month = today.replace(day=1)
    if name == "Last month":
        last = month - timedelta(days=1)
        return Period(last.replace(day=1), last)
    if name == "This quarter":
        return Period(month.replace(month=(today.month - 1) // 3 * 3 + 1), today)
    if name == "Last 3 months":
        start = month
        for _ in range(2):
            start = (start - timedelta(days=1)).replace(day=1)
        return Period(start, today)
    if name == "This year":
        return Period(today.replace(month=1, day=1), today)
    return Period(month, today)


class _Page(QScrollArea):
    """One report: chart views in a row, then titled tables."""

    def __init__(self, charts: int, tables: int) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        row = QHBoxLayout()
        self.views: list[QChartView] = []
        for _ in range(charts):
            view = QChartView(QChart())
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(CHART_HEIGHT)
            row.addWidget(view)
            self.views.append(view)
        if charts:
            layout.addLayout(row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        layout.addWidget(self.note)
        self.titles: list[QLabel] = []
        self.tables: list[ReportTable] = []
        for _ in range(tables):
            title = QLabel()
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            grid = ReportTable()
            layout.addWidget(title)
            layout.addWidget(grid)
            self.titles.append(title)
            self.tables.append(grid)
        layout.addStretch(1)
        self.setWidget(body)
        self.shown: list[Table] = []

    def fill(self, charts: Callable[[], list[QChart]], tables: list[Table], note: str = "") -> Iterator[None]:
        """Shows one report, pausing (yielding) between its charts and slices of its tables."""
        for view, chart in zip(self.views, charts(), strict=True):
            old = view.chart()
            view.setChart(chart)
            old.deleteLater()
        yield
        for n, (title, grid) in enumerate(zip(self.titles, self.tables, strict=True)):
            present = n < len(tables)
            title.setVisible(present)
            grid.setVisible(present)
            if present:
                title.setText(tables[n].title)
                yield from grid.fill(tables[n])
                grid.setFixedHeight(min(TABLE_HEIGHT, grid.verticalHeader().length()
                                        + grid.horizontalHeader().height() + 2 * grid.frameWidth()))
                yield
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.shown = tables


class ReportsWindow(QMainWindow):
    loaded = Signal()
    failed = Signal(str)
    exported = Signal(str)

    def __init__(self, load: Loader, runner: TaskRunner, bus: ChangeBus | None = None,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reports")
        self.resize(1180, 820)
        self._load, self._runner, self._today = load, runner, today
        self._generation = 0
        self._stale = False
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(RELOAD_DELAY_MS)
        self._soon.timeout.connect(self._reload_changed)
        self._in_flight: int | None = None
        self._again = False
        self.reports: ReportSet | None = None
        self.preset = QComboBox()
        self.preset.addItems(PRESETS)
        self.first, self.last = QDateEdit(), QDateEdit()
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.level = QComboBox()
        self.level.addItems([f"By {level}" for level in Level])
        self.level.setCurrentIndex(list(Level).index(Level.PROJECT))
        self.refresh_button = QPushButton("Refresh")
        self.csv_button, self.xlsx_button, self.pdf_button = (QPushButton(t) for t in ("CSV…", "XLSX…", "PDF…"))
        bar = QHBoxLayout()
        for widget in (QLabel("Period"), self.preset, self.first, QLabel("to"), self.last, self.level,
                       self.refresh_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(QLabel("Export"))
        for button in (self.csv_button, self.xlsx_button, self.pdf_button):
            button.setEnabled(False)
            bar.addWidget(button)
        self.pages = {TABS[0]: _Page(2, 2), TABS[1]: _Page(1, 2), TABS[2]: _Page(1, 1), TABS[3]: _Page(1, 3)}
        self.tabs = QTabWidget()
        for name, page in self.pages.items():
            self.tabs.addTab(page, name)
        self.status = QLabel("Loading…")
        self.status.setWordWrap(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.setCentralWidget(body)
        self._set_dates(preset_period(PRESETS[0], today()))
        self.preset.currentTextChanged.connect(self._preset_chosen)
        for edit in (self.first, self.last):
            edit.dateChanged.connect(self._dates_edited)
        self.level.currentIndexChanged.connect(lambda _: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.csv_button.clicked.connect(lambda: self._ask_path("CSV (*.csv)", ".csv", self.export_csv))
        self.xlsx_button.clicked.connect(lambda: self._ask_path("Excel workbook (*.xlsx)", ".xlsx", self.export_xlsx))
        self.pdf_button.clicked.connect(lambda: self._ask_path("PDF (*.pdf)", ".pdf", self.export_pdf))
        self.failed.connect(self.status.setText)
        if bus is not None:
            bus.changed.connect(self._changed)
        self.reload()

    # Period

    def period(self) -> Period:
        first, last = self.first.date().toPython(), self.last.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        return Period(first, last)

    def set_period(self, period: Period) -> None:
        """Show a custom period and load it."""
        self.preset.blockSignals(True)
        self.preset.setCurrentText("Custom")
        self.preset.blockSignals(False)
        self._set_dates(period)
        self.reload()

    def _set_dates(self, period: Period) -> None:
        for edit, day in ((self.first, period.first), (self.last, period.last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _preset_chosen(self, name: str) -> None:
        if name != "Custom":
            self._set_dates(preset_period(name, self._today()))
            self.reload()

    def _dates_edited(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentText("Custom")
        self.preset.blockSignals(False)
        self.reload()

    def level_chosen(self) -> Level:
        return list(Level)[self.level.currentIndex()]

    # Loading

    def reload(self) -> None:
        period = self.period()
        if period.last < period.first:
            self.failed.emit("The period ends before it starts; pick a later end date.")
            return
        self._generation += 1
        generation, level = self._generation, self.level_chosen()
        self._in_flight, self._again = generation, False
        self.status.setText("Loading…")
        self._runner.read(lambda: _with_tables(self._load(period, level)),
                          lambda result: self._loaded(generation, *result),
                          lambda error: self._failed(generation, error), owner=self)

    def _changed(self, areas: frozenset[str]) -> None:
        """A burst of changes reloads once; a hidden window waits until it is shown again."""
        if areas & {ENTRIES, INVOICES}:
            if self.isVisible():
                self._soon.start()
            else:
                self._stale = True

    def _reload_changed(self) -> None:
        """Changes that arrive while a read is under way wait for it, then read once: a read started for each
        would compete with it for the workers and every one but the last be thrown away."""
        if self._in_flight is not None:
            self._again = True
        else:
            self.reload()

    def _landed(self, generation: int) -> bool:
        """Whether the read `generation` is the latest and nothing changed meanwhile (else it reads again)."""
        if generation != self._generation:
            return False
        self._in_flight = None
        if self._again:
            self.reload()
            return False
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    def _failed(self, generation: int, error: BaseException) -> None:
        if self._landed(generation):
            self.failed.emit(user_message(error))

    def _loaded(self, generation: int, reports: ReportSet, tables: TabTables) -> None:
        if not self._landed(generation):
            return
        self.reports = reports
        profit, use, wip, owed = reports.profitability, reports.utilisation, reports.wip, reports.receivables
        unpriced = sum(r.unpriced_seconds for r in profit.rows)
        fills: list[Callable[[], Iterator[None]]] = [
            lambda: self.pages[TABS[0]].fill(
                lambda: [weekly_chart(profit), margin_chart(profit)], tables[0],
                f"{format_duration(unpriced)} of billable work has no rate yet and counts as worth nothing."
                if unpriced else ""),
            lambda: self.pages[TABS[1]].fill(lambda: [utilisation_chart(use)], tables[1]),
            lambda: self.pages[TABS[2]].fill(lambda: [wip_chart(wip)], tables[2],
                                             "" if wip.rows else "No approved work waits to be invoiced."),
            lambda: self.pages[TABS[3]].fill(lambda: [ageing_chart(owed)], tables[3],
                                             "Amounts owed come from the payment status Xero and QuickBooks "
                                             "report; sync payments for the latest."),
        ]
        current = self.tabs.currentIndex()
        order = [fills[current], *fills[:current], *fills[current + 1:]]
        self._step(chain.from_iterable(fill() for fill in order), generation, reports)

    def _step(self, steps: Iterator[None], generation: int, reports: ReportSet) -> None:
        """The tab in view first, then the others, a few milliseconds of filling per turn of the event loop:
        filling all four at once held the GUI for a tenth of a second and more with a year of data."""
        if generation != self._generation:
            return
        began = time.perf_counter()
        for _ in steps:
            if time.perf_counter() - began > SLICE_SECONDS:
                QTimer.singleShot(0, self, lambda: self._step(steps, generation, reports))
                return
        for button in (self.csv_button, self.xlsx_button, self.pdf_button):
            button.setEnabled(True)
        period = self.period()
        self.status.setText(f"{period.first} to {period.last}. Work in progress and receivables as of "
                            f"{reports.wip.today}. Totals are per currency.")
        self.loaded.emit()

    # Export

    def current_page(self) -> _Page:
        return self.pages[TABS[self.tabs.currentIndex()]]

    def _ask_path(self, file_filter: str, suffix: str, export: Callable[[Path], None]) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export report", "", file_filter)
        if name:
            export(Path(name).with_suffix(suffix))

    def _write(self, path: Path, write: Callable[[Path, list[Table]], None]) -> None:
        tables = list(self.current_page().shown)
        self._runner.write(lambda: write(path, tables), lambda _: self.exported.emit(str(path)),
                           lambda error: self.failed.emit(user_message(error)), owner=self)

    def export_csv(self, path: Path) -> None:
        from app.reports.export import write_csv  # the writers load on the first export, not with the page

        self._write(path, write_csv)

    def export_xlsx(self, path: Path) -> None:
        from app.reports.export import write_xlsx

        self._write(path, write_xlsx)

    def export_pdf(self, path: Path) -> None:
        """The tab on show, charts included, laid out by Qt here on the GUI thread."""
        from app.ui.reports.pdf import write_pdf

        page = self.current_page()
        charts = [view.grab().toImage() for view in page.views]
        period = self.period()
        write_pdf(path, f"TimeTally: {TABS[self.tabs.currentIndex()]}", f"{period.first} to {period.last}",
                  charts, page.shown)
        self.exported.emit(str(path))


def open_reports_window(core: Core, runner: TaskRunner, bus: ChangeBus | None = None,
                        parent: QWidget | None = None) -> ReportsWindow:
    """What the tray menu calls: a Reports window on `core.reports`, shown."""
    window = ReportsWindow(core.reports.all, runner, bus, parent=parent)
    window.show()
    return window
