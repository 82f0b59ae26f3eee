"""Utilisation: the billable share of tracked time per local day and week, against a target, beside the captured
time nobody has assigned yet (work that may still be billable once reviewed).

Stretches crossing midnight are cut at local midnight so each day gets exactly its own seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from app.domain.periods import Period, iso_week_label, week_of
from app.reports.allocate import split
from app.reports.profitability import percent
from app.reports.values import TrackedTime


@dataclass(frozen=True, slots=True)
class UseRow:
    label: str
    first: date
    last: date
    tracked_seconds: int = 0
    billable_seconds: int = 0
    unassigned_seconds: int = 0

    @property
    def non_billable_seconds(self) -> int:
        return self.tracked_seconds - self.billable_seconds

    @property
    def share(self) -> Decimal | None:
        """Billable seconds as a percentage of tracked seconds."""
        return percent(Decimal(self.billable_seconds), Decimal(self.tracked_seconds))

    def plus(self, other: UseRow) -> UseRow:
        return UseRow(self.label, self.first, self.last, self.tracked_seconds + other.tracked_seconds,
                      self.billable_seconds + other.billable_seconds,
                      self.unassigned_seconds + other.unassigned_seconds)


@dataclass(frozen=True, slots=True)
class Utilisation:
    period: Period
    target_percent: int
    days: tuple[UseRow, ...]
    weeks: tuple[UseRow, ...]
    total: UseRow

    def met(self, row: UseRow) -> bool | None:
        """Whether a row reached the target; None for a row with nothing tracked."""
        share = row.share
        return None if share is None else share >= self.target_percent


def day_seconds(start: datetime, end: datetime, tz: tzinfo) -> dict[date, int]:
    """Seconds of [start, end) on each local day it touches."""
    found: dict[date, int] = {}
    day = start.astimezone(tz).date()
    while True:
        day_start = datetime.combine(day, time(), tz)
        day_end = datetime.combine(day + timedelta(days=1), time(), tz)
        seconds = int((min(end, day_end) - max(start, day_start)).total_seconds())
        if seconds > 0:
            found[day] = seconds
        if day_end >= end:
            return found
        day += timedelta(days=1)


def build_utilisation(times: Sequence[TrackedTime], period: Period, tz: tzinfo, target_percent: int,
                      week_start: int = 0) -> Utilisation:
    """Rows for every day of the period (empty days included, so gaps show) and every week touching it."""
    days = {d: UseRow(d.isoformat(), d, d) for d in period.days()}
    for item in times:
        pieces = {d: s for d, s in day_seconds(item.start, item.end, tz).items() if d in days}
        if not pieces:
            continue
        if item.assigned:
            for d, seconds in pieces.items():
                days[d] = days[d].plus(UseRow("", d, d, seconds, seconds if item.billable else 0))
        else:
            full = day_seconds(item.start, item.end, tz)
            active = item.active_seconds if item.active_seconds is not None else sum(full.values())
            for d, seconds in zip(full, split(active, list(full.values())), strict=True):
                if d in days:
                    days[d] = days[d].plus(UseRow("", d, d, unassigned_seconds=seconds))
    weeks: dict[date, UseRow] = {}
    for d, row in days.items():
        week = week_of(d, week_start)
        label = iso_week_label(week.first) if week_start == 0 else f"from {week.first}"
        weeks[week.first] = (weeks.get(week.first) or UseRow(label, week.first, week.last)).plus(row)
    total = UseRow("Total", period.first, period.last)
    for row in days.values():
        total = total.plus(row)
    return Utilisation(period, target_percent, tuple(days.values()), tuple(weeks[w] for w in sorted(weeks)), total)
