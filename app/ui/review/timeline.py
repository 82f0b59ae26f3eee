"""One day on one time axis: captured activity coloured by classification, the proposals, and the entries.

Hovering names what is under the pointer (with window titles); dragging selects a range to assign to a project.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.domain.instants import entry_span, instant, moment
from app.domain.models import Entry, EntryStatus, Project
from app.timesheet.week import IDLE, IGNORED, PRIVATE, UNCLASSIFIED, Block, DayTimeline, ProposalItem

PALETTE = ("#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#E15759", "#76B7B2", "#9C755F", "#2F6690", "#FF9DA7",
           "#6A994E")
KIND_COLOURS = {UNCLASSIFIED: "#F2C14E", PRIVATE: "#A99BC4", IGNORED: "#C9CED6", IDLE: "#E4E7EB"}
LANES = ("Activity", "Proposed", "Entries")
LABEL_WIDTH = 78
RIGHT_PAD = 24
AXIS_HEIGHT = 24
LANE_HEIGHT = 30
LANE_GAP = 10
SNAP = 60


_BY_PATH: dict[str, str] = {}


def use_projects(projects: Sequence[Project]) -> None:
    """Colour projects by id, so the first ten never share a colour; others fall back to a hash of the path."""
    _BY_PATH.update((p.path.casefold(), PALETTE[(p.id - 1) % len(PALETTE)]) for p in projects)


def project_colour(path: str) -> QColor:
    """One colour per client/project, the same in every lane, the grid and the list."""
    if not path:
        return QColor("#8A94A6")
    key = path.casefold()
    return QColor(_BY_PATH.get(key) or PALETTE[zlib.crc32(key.encode()) % len(PALETTE)])


def block_colour(block: Block) -> QColor:
    if block.kind in KIND_COLOURS:
        return QColor(KIND_COLOURS[block.kind])
    return project_colour("/".join(block.label.split(" / ")[:2]))


def _clock(epoch: float) -> str:
    return f"{moment(epoch, None):%H:%M}"


@dataclass(frozen=True, slots=True)
class Hit:
    lane: int
    start: float
    end: float
    item: Block | ProposalItem | Entry


class TimelineWidget(QWidget):
    range_selected = Signal(float, float)
    """A dragged range, UTC epoch seconds snapped to minutes."""
    item_clicked = Signal(object)
    """The proposal or entry clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayTimeline")
        self.setMouseTracking(True)
        self.setMinimumSize(420, AXIS_HEIGHT + len(LANES) * (LANE_HEIGHT + LANE_GAP) + 8)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.day: DayTimeline | None = None
        self.reading = False
        self.hits: list[Hit] = []
        self.view = (0.0, 1.0)
        self._drag: tuple[float, float] | None = None
        self._press = QPointF()

    def sizeHint(self) -> QSize:
        return QSize(640, self.minimumHeight())

    def set_day(self, day: DayTimeline | None, reading: bool = False) -> None:
        """`reading`: the day's captured activity is still being read (the entries are already there)."""
        self.day = day
        self.reading = reading
        self.hits = []
        if day is not None:
            now = instant(datetime.now(UTC))
            for block in day.blocks:
                self.hits.append(Hit(0, block.start, block.end, block))
            for item in day.proposals:
                self.hits.append(Hit(1, item.start, item.end, item))
            for entry in day.entries:
                self.hits.append(Hit(2, *entry_span(entry, now), entry))
            self.view = self._range(day)
        self.update()

    def _range(self, day: DayTimeline) -> tuple[float, float]:
        """Working hours by default, widened to whole hours around whatever the day holds."""
        lo, hi = day.start + 8 * 3600, day.start + 18 * 3600
        for hit in self.hits:
            lo, hi = min(lo, max(day.start, hit.start)), max(hi, min(day.end, hit.end))
        lo = day.start + math.floor((lo - day.start) / 3600) * 3600
        hi = day.start + math.ceil((hi - day.start) / 3600) * 3600
        return lo, min(hi, day.end)

    # Geometry

    def x_of(self, epoch: float) -> float:
        lo, hi = self.view
        return LABEL_WIDTH + (epoch - lo) / (hi - lo) * (self.width() - LABEL_WIDTH - RIGHT_PAD)

    def time_at(self, x: float) -> float:
        lo, hi = self.view
        raw = lo + (x - LABEL_WIDTH) / max(1.0, self.width() - LABEL_WIDTH - RIGHT_PAD) * (hi - lo)
        return round(min(max(raw, lo), hi) / SNAP) * SNAP

    def lane_rect(self, lane: int) -> QRectF:
        top = AXIS_HEIGHT + lane * (LANE_HEIGHT + LANE_GAP)
        return QRectF(LABEL_WIDTH, top, self.width() - LABEL_WIDTH - RIGHT_PAD, LANE_HEIGHT)

    def hit_at(self, pos: QPointF) -> Hit | None:
        for hit in reversed(self.hits):
            lane = self.lane_rect(hit.lane)
            if lane.top() <= pos.y() <= lane.bottom() and self.x_of(hit.start) - 1 <= pos.x() <= self.x_of(hit.end) + 1:
                return hit
        return None

    # Painting

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        text = palette.text().color()
        muted = QColor(text)
        muted.setAlpha(140)
        metrics = QFontMetrics(self.font())
        for lane, name in enumerate(LANES):
            rect = self.lane_rect(lane)
            painter.setPen(muted)
            painter.drawText(QRectF(8, rect.top(), LABEL_WIDTH - 14, rect.height()),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), name)
            painter.fillRect(rect, QColor(127, 127, 127, 18))
        if self.day is None:
            painter.setPen(muted)
            painter.drawText(self.lane_rect(1), int(Qt.AlignmentFlag.AlignCenter), "Loading…")
            return
        self._paint_axis(painter, muted)
        for hit in self.hits:
            self._paint_hit(painter, hit, metrics)
        if not any(h.lane == 0 for h in self.hits):
            painter.setPen(muted)
            painter.drawText(self.lane_rect(0), int(Qt.AlignmentFlag.AlignCenter),
                             "Reading captured activity…" if self.reading else "No captured activity")
        if self._drag is not None:
            a, b = sorted(self._drag)
            top, bottom = self.lane_rect(0).top() - 4, self.lane_rect(len(LANES) - 1).bottom() + 4
            area = QRectF(self.x_of(a), top, max(1.0, self.x_of(b) - self.x_of(a)), bottom - top)
            highlight = QColor(palette.highlight().color())
            highlight.setAlpha(60)
            painter.fillRect(area, highlight)
            painter.setPen(QPen(palette.highlight().color(), 1.5))
            painter.drawRect(area)
            painter.drawText(QRectF(area.left(), 0, 200, AXIS_HEIGHT - 4),
                             int(Qt.AlignmentFlag.AlignVCenter), f"{_clock(a)}–{_clock(b)}")

    def _paint_axis(self, painter: QPainter, muted: QColor) -> None:
        lo, hi = self.view
        bottom = self.lane_rect(len(LANES) - 1).bottom()
        hour = lo
        while hour <= hi:
            x = self.x_of(hour)
            painter.setPen(QPen(QColor(127, 127, 127, 60), 1))
            painter.drawLine(QPointF(x, AXIS_HEIGHT - 4), QPointF(x, bottom))
            painter.setPen(muted)
            painter.drawText(QRectF(x - 20, 2, 40, AXIS_HEIGHT - 6), int(Qt.AlignmentFlag.AlignCenter),
                             _clock(hour))
            hour += 3600 if (hi - lo) <= 14 * 3600 else 7200

    def _paint_hit(self, painter: QPainter, hit: Hit, metrics: QFontMetrics) -> None:
        lane = self.lane_rect(hit.lane)
        x0, x1 = self.x_of(hit.start), self.x_of(hit.end)
        rect = QRectF(x0, lane.top() + 2, max(1.5, x1 - x0), lane.height() - 4)
        item = hit.item
        if isinstance(item, Block):
            painter.fillRect(rect, block_colour(item))
            if item.kind == IDLE:
                painter.fillRect(rect, QBrush(QColor(0, 0, 0, 30), Qt.BrushStyle.BDiagPattern))
            return
        if isinstance(item, ProposalItem):
            colour = project_colour(item.project_path)
            fill = QColor(colour)
            fill.setAlpha(70)
            painter.setBrush(fill)
            painter.setPen(QPen(colour, 1.5, Qt.PenStyle.DotLine if item.learned else Qt.PenStyle.DashLine))
            label = item.label
        else:
            colour = project_colour(item.project_path or "")
            painter.setBrush(colour)
            locked = item.status is not EntryStatus.DRAFT
            painter.setPen(QPen(colour.darker(150), 2 if locked else 1))
            label = ("✓ " if locked else "") + (item.description or item.project_path or "No project")
        painter.drawRoundedRect(rect, 3, 3)
        if rect.width() > 40:
            painter.setPen(QColor("#1b1f24") if isinstance(item, ProposalItem) else QColor("white"))
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(rect.width() - 8))
            painter.drawText(rect.adjusted(4, 0, -4, 0), int(Qt.AlignmentFlag.AlignVCenter), text)

    # Interaction

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self.hit_at(QPointF(event.pos()))
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), tooltip(hit), self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.day is not None:
            at = self.time_at(event.position().x())
            self._drag = (at, at)
            self._press = event.position()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = (self._drag[0], self.time_at(event.position().x()))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        a, b = sorted(self._drag)
        self._drag = None
        self.update()
        if b - a >= SNAP and abs(event.position().x() - self._press.x()) > 3:
            self.range_selected.emit(a, b)
            return
        hit = self.hit_at(event.position())
        if hit is not None and not isinstance(hit.item, Block):
            self.item_clicked.emit(hit.item)


def tooltip(hit: Hit) -> str:
    span = f"{_clock(hit.start)}–{_clock(hit.end)}"
    item = hit.item
    if isinstance(item, Block):
        titles = "\n".join(f"  {t}" for t in item.titles)
        return f"{span}  {item.label}" + (f"\n{titles}" if titles else "")
    if isinstance(item, ProposalItem):
        rule = f"Rule: {item.rule}" if item.rule else item.why
        return f"{span}  {'Learned' if item.learned else 'Proposed'}: {item.label}\n{item.description}\n{rule}"
    state = "running" if item.running else str(item.status)
    return f"{span}  {item.project_path or 'No project'} ({state})\n{item.description or '(no description)'}"
