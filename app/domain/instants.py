"""One instant representation inside classify, timesheet and the review: epoch seconds (`Instant`).

The classifier compares the instants of 600,000 spans a week, so floats are the working form; aware datetimes
belong to the edges (the entry repository, the GUI, JSON) and cross over only through these functions."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import TypeAlias

from app.domain.models import Entry
from app.domain.periods import Period

Instant: TypeAlias = float
"""Seconds since 1970-01-01 00:00 UTC."""


def instant(moment: datetime) -> Instant:
    """An aware datetime (entries, the GUI) as an instant."""
    return moment.timestamp()


def moment(at: Instant, tz: tzinfo | None = UTC) -> datetime:
    """An instant as an aware datetime in `tz` (UTC; None is the computer's zone), for the edges."""
    return datetime.fromtimestamp(at, UTC).astimezone(tz) if tz is None else datetime.fromtimestamp(at, tz)


def entry_span(entry: Entry, now: Instant) -> tuple[Instant, Instant]:
    """An entry's [start, end) as instants; a running entry runs up to `now`."""
    return entry.start.timestamp(), now if entry.end is None else entry.end.timestamp()


def period_span(period: Period, tz: tzinfo | None = None) -> tuple[Instant, Instant]:
    """The instants a period of local days starts and ends at (see `Period.utc_range`)."""
    start, end = period.utc_range(tz)
    return start.timestamp(), end.timestamp()
