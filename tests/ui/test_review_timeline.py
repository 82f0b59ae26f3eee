"""The day timeline widget alone: blocks on the time axis, hover text with titles, click and drag."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from app.domain.models import Entry
from app.timesheet.week import IDLE, WORK, Block, DayTimeline, ProposalItem
from app.ui.review.timeline import TimelineWidget, block_colour, tooltip

DAY = date(2026, 11, 19)
START = datetime(2026, 11, 19, tzinfo=UTC).timestamp()


def h(hours: float) -> float:
    return START + hours * 3600


def day() -> DayTimeline:
    blocks = (Block(h(9), h(10), WORK, "Acme Corp / Website", ("main.py - acme-web - Code",)),
              Block(h(12), h(13), IDLE, "Idle", ()))
    proposals = (ProposalItem(h(9), h(10), "Acme Corp/Website", "", "main.py", "Acme web", "matched"),)
    entries = (Entry(1, datetime.fromtimestamp(h(14), UTC), datetime.fromtimestamp(h(15), UTC), "Triage", 2,
                     "Globex/Support"),)
    return DayTimeline(DAY, START, START + 86400, blocks, proposals, entries)


def test_axis_spans_working_hours_and_hits_find_items(qtbot: QtBot) -> None:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(800, 200)
    widget.set_day(day())
    assert widget.view == (h(8), h(18))
    hit = widget.hit_at(QPointF(widget.x_of(h(9.5)), widget.lane_rect(0).center().y()))
    assert hit is not None and "main.py - acme-web - Code" in tooltip(hit)
    hit = widget.hit_at(QPointF(widget.x_of(h(9.5)), widget.lane_rect(1).center().y()))
    assert hit is not None and "Rule: Acme web" in tooltip(hit)
    assert widget.hit_at(QPointF(widget.x_of(h(11)), widget.lane_rect(2).center().y())) is None
    assert block_colour(day().blocks[1]).name() != block_colour(day().blocks[0]).name()
    widget.show()
    qtbot.waitExposed(widget)
    assert not widget.grab().isNull()


def test_click_selects_an_item_and_drag_selects_a_snapped_range(qtbot: QtBot) -> None:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(800, 200)
    widget.set_day(day())
    widget.show()
    y = int(widget.lane_rect(2).center().y())
    with qtbot.waitSignal(widget.item_clicked) as clicked:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(int(widget.x_of(h(14.5))), y))
    assert isinstance(clicked.args[0], Entry)
    with qtbot.waitSignal(widget.range_selected) as selected:
        qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(int(widget.x_of(h(10))), y))
        qtbot.mouseMove(widget, QPoint(int(widget.x_of(h(11))), y))
        qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(int(widget.x_of(h(11))), y))
    start, end = selected.args
    assert start % 60 == 0 and end % 60 == 0
    assert abs(start - h(10)) <= 120 and abs(end - h(11)) <= 120
    assert timedelta(seconds=end - start) >= timedelta(minutes=55)
