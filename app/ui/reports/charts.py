"""Charts of the reports (QtCharts): revenue and hours per week, margin per client, utilisation per day, ageing.

Amounts in different currencies are drawn as separate series, never stacked or added; floats appear here only
as drawing coordinates, the figures themselves stay Decimal in the reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPen

from app.reports.profitability import Profitability
from app.reports.receivables import BUCKETS, Receivables
from app.reports.utilisation import Utilisation
from app.reports.wip import AGE_BUCKETS, Wip

PALETTE = ("#2f6fb3", "#e08a1e", "#3a9d5d", "#b5485d", "#7a5cad", "#5f7f8f")
HOURS_COLOUR = "#222222"


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    chart.setTitleFont(font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def _bar_set(name: str, values: Sequence[Decimal | int], colour: str) -> QBarSet:
    bar_set = QBarSet(name)
    bar_set.append([float(v) for v in values])
    bar_set.setColor(QColor(colour))
    bar_set.setBorderColor(QColor(colour))
    return bar_set


def _value_axis(title: str, top: float, label_format: str = "%.0f") -> QValueAxis:
    axis = QValueAxis()
    axis.setTitleText(title)
    axis.setLabelFormat(label_format)
    axis.setRange(0, top or 1)
    axis.applyNiceNumbers()
    return axis


def _hours_axis(top: float) -> QValueAxis:
    """Whole hours from 3 h up; below, tenths from 0 to at least 1 h, so half an hour does not read 0 h, 0 h, 1 h."""
    top = max(top, 1.0)
    return _value_axis("Hours", top, "%.0f h" if top >= 3 else "%.1f h")


def _categories(labels: Sequence[str]) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(list(labels))
    return axis


def _attach(chart: QChart, series: QBarSeries | QStackedBarSeries | QLineSeries, x: QBarCategoryAxis,
            y: QValueAxis, y_side: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:
    chart.addSeries(series)
    if x not in chart.axes():
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    if y not in chart.axes():
        chart.addAxis(y, y_side)
    series.attachAxis(x)
    series.attachAxis(y)


def weekly_chart(report: Profitability) -> QChart:
    """Revenue per week as bars, one set per currency; raw hours per week as a line on the right axis."""
    chart = _chart("Revenue and hours per week")
    labels = list(dict.fromkeys(w.label for w in report.weeks))
    currencies = sorted({w.currency for w in report.weeks})
    if not labels or not currencies:
        chart.setTitle("Revenue and hours per week: nothing tracked in this period")
        return chart
    bars = QBarSeries()
    top = Decimal(0)
    revenue = {(w.label, w.currency): w.revenue for w in reversed(report.weeks)}  # a dict: a year has 53 weeks
    seconds = dict.fromkeys(labels, 0)
    for week in report.weeks:
        seconds[week.label] += week.raw_seconds
    for n, currency in enumerate(currencies):
        values = [revenue[label, currency] for label in labels]
        top = max(top, *values)
        bars.append(_bar_set(f"Revenue ({currency})", values, PALETTE[n % len(PALETTE)]))
    hours = [seconds[label] / 3600 for label in labels]
    line = QLineSeries()
    line.setName("Hours tracked (all currencies)")
    line.setPen(QPen(QColor(HOURS_COLOUR), 2.5))
    line.setPointsVisible(True)
    for index, value in enumerate(hours):
        line.append(index, value)
    x = _categories([label.rsplit("-W", 1)[-1] if label[:1].isdigit() else label[-5:] for label in labels])
    x.setTitleText("ISO week" if labels[0][:1].isdigit() else "Week from (month-day)")
    _attach(chart, bars, x, _value_axis("Revenue", float(top)))
    _attach(chart, line, x, _hours_axis(max(hours)), Qt.AlignmentFlag.AlignRight)
    return chart


def margin_chart(report: Profitability) -> QChart:
    """Margin per client (summed over its rows in one currency), a bar set per currency."""
    chart = _chart("Margin per client")
    margins: dict[tuple[str, str], Decimal] = {}
    for row in (r for r in report.rows if r.margin_known):
        margins[row.client, row.currency] = margins.get((row.client, row.currency), Decimal(0)) + row.margin
    clients = sorted({c for c, _ in margins}, key=str.casefold)
    if not clients:
        chart.setTitle("Margin per client: no client work with a cost rate in this period"
                       if report.rows else "Margin per client: no client work in this period")
        return chart
    bars = QBarSeries()
    low, high = Decimal(0), Decimal(0)
    for n, currency in enumerate(sorted({cur for _, cur in margins})):
        values = [margins.get((client, currency), Decimal(0)) for client in clients]
        low, high = min(low, *values), max(high, *values)
        bars.append(_bar_set(f"Margin ({currency})", values, PALETTE[n % len(PALETTE)]))
    y = _value_axis("Margin", float(high))
    y.setRange(float(low), float(high) or 1)
    y.applyNiceNumbers()
    _attach(chart, bars, _categories(clients), y)
    return chart


def utilisation_chart(report: Utilisation) -> QChart:
    """Billable, non-billable and unassigned hours per day, stacked; the target is in the title."""
    chart = _chart(f"Hours per day (target: {report.target_percent} % billable)")
    rows = report.days if len(report.days) <= 31 else report.weeks
    labels = [r.first.strftime("%a %d") if len(report.days) <= 31 else r.label for r in rows]
    stacked = QStackedBarSeries()
    parts = (("Billable", [r.billable_seconds for r in rows], PALETTE[2]),
             ("Non-billable", [r.non_billable_seconds for r in rows], PALETTE[1]),
             ("Captured, unassigned", [r.unassigned_seconds for r in rows], "#b8b8b8"))
    for name, seconds, colour in parts:
        stacked.append(_bar_set(name, [Decimal(s) / 3600 for s in seconds], colour))
    top = max((r.tracked_seconds + r.unassigned_seconds for r in rows), default=0) / 3600
    _attach(chart, stacked, _categories(labels), _hours_axis(top))
    return chart


def wip_chart(report: Wip) -> QChart:
    """Hours waiting to be invoiced per client, stacked by how long they have waited (hours, so no currency)."""
    chart = _chart("Uninvoiced hours by client and age")
    if not report.rows:
        chart.setTitle("Uninvoiced hours: none waiting")
        return chart
    stacked = QStackedBarSeries()
    colours = (PALETTE[2], PALETTE[1], PALETTE[3], "#5a1f2c")
    for bucket, colour in zip(AGE_BUCKETS, colours, strict=True):
        stacked.append(_bar_set(f"{bucket} days", [Decimal(r.age_seconds[bucket]) / 3600 for r in report.rows],
                                colour))
    top = max(r.raw_seconds for r in report.rows) / 3600
    labels = [f"{r.client} ({r.currency})" for r in report.rows]
    _attach(chart, stacked, _categories(labels), _hours_axis(top))
    return chart


def ageing_chart(report: Receivables) -> QChart:
    """Amount owed per ageing bucket, a bar set per currency."""
    chart = _chart("Receivables by age")
    if not report.totals:
        chart.setTitle("Receivables by age: nothing owed")
        return chart
    bars = QBarSeries()
    top = Decimal(0)
    for n, total in enumerate(report.totals):
        values = [total.amounts[b] for b in BUCKETS]
        top = max(top, *values)
        colour = PALETTE[n % len(PALETTE)]
        bars.append(_bar_set(f"Owed ({total.currency})", values, colour))
    labels = ["Current" if b == "current" else f"{b} days" for b in BUCKETS]
    _attach(chart, bars, _categories(labels), _value_axis("Owed", float(top)))
    return chart
