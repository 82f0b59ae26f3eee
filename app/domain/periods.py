"""Local days and ISO weeks, turned into UTC ranges for the store."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.domain.errors import ValidationError

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
FIRST_DAY = date(1971, 1, 1)
LAST_DAY = date(9998, 12, 31)
"""The days TimeTally handles. Captured time is stored as seconds since 1970, which some systems cannot turn
back into dates below zero, and a day's end or a week's Sunday must still be a date: a year of margin at each end
keeps every local midnight, in every time zone, inside what dates and timestamps can hold."""


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open range of local days [first, last + 1 day)."""

    first: date
    last: date

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def utc_range(self, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
        """Start and end instants in UTC of the local days; `tz` defaults to the machine's zone.

        Each midnight takes the offset in force on its own date (a naive time is read by the machine's rules),
        so a week across a daylight-saving change is 167 or 169 hours long, not 168 at today's offset.
        """
        return _midnight(self.first, tz), _midnight(self.last + timedelta(days=1), tz)


def day_epochs(day: date, tz: tzinfo | None = None) -> tuple[float, float]:
    """A local day as UTC epoch seconds, the form captured spans are stored and queried in."""
    start, end = Period(day, day).utc_range(tz)
    return start.timestamp(), end.timestamp()


def _midnight(day: date, tz: tzinfo | None) -> datetime:
    local = datetime.combine(day, time())
    return (local.replace(tzinfo=tz) if tz else local.astimezone()).astimezone(UTC)


def check_day(day: date, what: str = "") -> date:
    """`day` when TimeTally handles it (see FIRST_DAY), else a sentence saying which days it handles."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(f"{what or day} is outside the days TimeTally handles ({FIRST_DAY} to {LAST_DAY})")
    return day


MAX_RANGE_YEARS = 10


def check_range(period: Period) -> Period:
    """A range of days given with --from and --to: in order, and at most ten years (a report lists each day)."""
    if period.last < period.first:
        raise ValidationError(f"--to {period.last} is before --from {period.first}")
    if (period.last - period.first).days >= MAX_RANGE_YEARS * 366:
        raise ValidationError(f"{period.first} to {period.last} is longer than {MAX_RANGE_YEARS} years; "
                              "give a shorter range")
    return period


def parse_day(text: str) -> Period:
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(f"'{text}' is not a day in the form YYYY-MM-DD") from exc
    return Period(check_day(day), day)


def parse_week(text: str) -> Period:
    """`YYYY-Www` as ISO 8601 defines it: weeks start on Monday, week 1 holds the first Thursday."""
    match = _WEEK.match(text.strip())
    if not match:
        raise ValidationError(f"'{text}' is not a week in the form YYYY-Www, e.g. 2026-W47")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise ValidationError(f"{year} has no week {week}") from exc
    if not FIRST_DAY <= monday <= LAST_DAY - timedelta(days=6):
        raise ValidationError(f"The week {text} is outside the days TimeTally handles ({FIRST_DAY} to {LAST_DAY})")
    return Period(monday, monday + timedelta(days=6))


def week_of(day: date, week_start: int = 0) -> Period:
    """The week holding `day`; `week_start` is 0 for Monday through 6 for Sunday."""
    first = day - timedelta(days=(day.weekday() - week_start) % 7)
    return Period(first, first + timedelta(days=6))


def iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
