"""Rate multipliers for weekend, night, holiday and overtime work.

Instants are UTC in the store; this is the one place billing thinks in local time. Each entry is cut at
local midnight, at the night boundaries and where overtime starts; every piece takes the highest factor that
applies to it (factors never multiply each other, so 1.5 for a weekend night stays 1.5 when night is 1.25).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from app.domain.errors import ValidationError

ONE = Decimal(1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Multipliers:
    weekend: Decimal = ONE
    weekend_days: frozenset[int] = frozenset({5, 6})
    night: Decimal = ONE
    night_start: time = time(22)
    night_end: time = time(6)
    holiday: Decimal = ONE
    holidays: frozenset[date] = field(default_factory=frozenset)
    overtime: Decimal = ONE
    overtime_daily_seconds: int = 0
    overtime_weekly_seconds: int = 0

    def active(self) -> bool:
        return any(f != ONE for f in (self.weekend, self.night, self.holiday, self.overtime))

    def counts_other_work(self) -> bool:
        """Whether a piece's factor depends on the rest of the day or week (an overtime limit), not only its time."""
        return self.overtime != ONE and bool(self.overtime_daily_seconds or self.overtime_weekly_seconds)


@dataclass(frozen=True, slots=True)
class Work:
    """One entry to cut: whole epoch seconds, so pieces always add up to the entry's raw seconds."""

    entry_id: int
    start: int
    seconds: int


@dataclass(frozen=True, slots=True)
class Piece:
    entry_id: int
    start: int
    seconds: int
    factor: Decimal = ONE
    reason: str = ""


def epoch(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(seconds=1)


def _local(second: int, tz: tzinfo) -> datetime:
    return (_EPOCH + timedelta(seconds=second)).astimezone(tz)


def _boundary(day: date, at: time, tz: tzinfo) -> int:
    return epoch(datetime.combine(day, at, tz))


def _is_night(clock: time, rules: Multipliers) -> bool:
    start, end = rules.night_start, rules.night_end
    if start == end:
        return False
    return start <= clock < end if start < end else clock >= start or clock < end


def _next_cut(second: int, end: int, tz: tzinfo, rules: Multipliers) -> int:
    """The first instant after `second` where the calendar or clock conditions may change."""
    local = _local(second, tz)
    day = local.date()
    candidates = [end, _boundary(day + timedelta(days=1), time(), tz)]
    if rules.night != ONE and rules.night_start != rules.night_end:
        candidates += [_boundary(day, rules.night_start, tz), _boundary(day, rules.night_end, tz)]
    return min(c for c in candidates if c > second)


def split(works: list[Work], rules: Multipliers, tz: tzinfo) -> dict[int, list[Piece]]:
    """Pieces per entry id, chronological; overtime counts every work item given, in start order.

    To price an entry the same whatever else is billed with it, give the person's whole day and week of work
    (`Book.worked`), not only the entries being invoiced."""
    ordered = sorted(works, key=lambda w: (w.start, w.entry_id))
    if not rules.active():
        return {w.entry_id: [Piece(w.entry_id, w.start, w.seconds)] for w in ordered}
    daily: dict[date, int] = defaultdict(int)
    weekly: dict[tuple[int, int], int] = defaultdict(int)
    result: dict[int, list[Piece]] = {}
    for work in ordered:
        pieces: list[Piece] = []
        second, end = work.start, work.start + work.seconds
        while second < end:
            local = _local(second, tz)
            day = local.date()
            week = day.isocalendar()[:2]
            cut = _next_cut(second, end, tz, rules)
            over = False
            for limit, used in ((rules.overtime_daily_seconds, daily[day]), (rules.overtime_weekly_seconds,
                                                                              weekly[week])):
                if limit and rules.overtime != ONE:
                    if used >= limit:
                        over = True
                    else:
                        cut = min(cut, second + limit - used)
            factor, reason = _factor(local, day, over, rules)
            seconds = cut - second
            daily[day] += seconds
            weekly[week] += seconds
            if pieces and pieces[-1].factor == factor and pieces[-1].reason == reason:
                last = pieces[-1]
                pieces[-1] = Piece(last.entry_id, last.start, last.seconds + seconds, factor, reason)
            else:
                pieces.append(Piece(work.entry_id, second, seconds, factor, reason))
            second = cut
        result[work.entry_id] = pieces or [Piece(work.entry_id, work.start, 0)]
    return result


def _factor(local: datetime, day: date, overtime: bool, rules: Multipliers) -> tuple[Decimal, str]:
    applicable = [
        (rules.holiday, "holiday", day in rules.holidays),
        (rules.weekend, "weekend", day.weekday() in rules.weekend_days),
        (rules.night, "night", _is_night(local.time(), rules)),
        (rules.overtime, "overtime", overtime),
    ]
    best = max(((f, name) for f, name, applies in applicable if applies and f != ONE),
               key=lambda item: item[0], default=(ONE, ""))
    return best


def parse_night(text: str) -> tuple[time, time]:
    """`22:00-06:00`: when night work starts and ends, local time."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ValidationError(f"'{text}' is not a night range such as 22:00-06:00") from None
    return start, end


def parse_weekdays(text: str) -> frozenset[int]:
    """`5,6`: weekday numbers, 0 = Monday … 6 = Sunday."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not all(p.isdigit() and int(p) <= 6 for p in parts):
        raise ValidationError(f"'{text}' is not a list of weekdays such as 5,6 (0 = Monday … 6 = Sunday)")
    return frozenset(int(p) for p in parts)
