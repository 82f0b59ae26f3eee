"""Instants are UTC and timezone-aware everywhere below the review layer; these helpers keep it so."""

from __future__ import annotations

import functools
import os
import time
from datetime import UTC, datetime, timedelta, tzinfo

from app.domain.errors import ValidationError
from app.domain.periods import check_day

_EPOCH_DAY = datetime(1970, 1, 1).toordinal()
_SECOND = timedelta(seconds=1)
_DAY = 86_400


def utcnow() -> datetime:
    return datetime.now(UTC)


class LocalZone(tzinfo):
    """The computer's time zone with each date's own offset, as the C library knows it (`TZ`, /etc/localtime,
    the Windows setting). `datetime.now().astimezone().tzinfo` is only today's fixed offset: in July it puts a
    December 23:30 in Berlin on the next day. Ambiguous and skipped wall times follow PEP 495 (`fold`).

    Clocks change on quarter hours (of UTC and of the wall clock), so what one second of a quarter hour gets is
    what all of it gets: answers are kept per quarter hour and per zone (as `TZ` and `tzset` set it)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(seconds=time.localtime().tm_gmtoff)
        return timedelta(seconds=_wall_offset(_seconds(dt) // _QUARTER, dt.fold, _zone()))

    def dst(self, dt: datetime | None) -> timedelta:
        local = time.localtime() if dt is None else time.localtime(_seconds(dt) - self.utcoffset(dt) // _SECOND)
        return timedelta(seconds=local.tm_gmtoff + time.timezone) if local.tm_isdst > 0 else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return (time.localtime() if dt is None else time.localtime(_seconds(dt) - self.utcoffset(dt) // _SECOND)
                ).tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        offset, fold = _utc_offset(_seconds(dt) // _QUARTER, _zone())
        wall = dt + timedelta(seconds=offset)
        return wall.replace(fold=1) if fold else wall

    def __repr__(self) -> str:
        return "LocalZone()"


_QUARTER = 900


def _seconds(moment: datetime) -> int:
    """Whole seconds of a wall time since 1970-01-01 00:00 of the same wall clock."""
    return (moment.toordinal() - _EPOCH_DAY) * _DAY + moment.hour * 3600 + moment.minute * 60 + moment.second


def _zone() -> tuple[object, ...]:
    return os.environ.get("TZ"), time.tzname, time.timezone, time.altzone


@functools.lru_cache(maxsize=32_768)
def _utc_offset(quarter: int, zone: tuple[object, ...]) -> tuple[int, bool]:
    """Offset east of UTC during one quarter hour of UTC, and whether its wall times come round a second time."""
    instant = quarter * _QUARTER
    offset = time.localtime(instant).tm_gmtoff
    return offset, instant == _instants(instant + offset)[-1] != _instants(instant + offset)[0]


@functools.lru_cache(maxsize=32_768)
def _wall_offset(quarter: int, fold: int, zone: tuple[object, ...]) -> int:
    """Offset east of UTC of one quarter hour of wall time; `fold` picks between two, or across a gap."""
    wall = quarter * _QUARTER
    found = _instants(wall)
    if found:
        return wall - found[min(fold, len(found) - 1)]
    before, after = (time.localtime(wall + shift).tm_gmtoff for shift in (-_DAY, _DAY))
    return after if fold else before  # a time the clocks skipped: fold 0 reads it with the offset before


def _instants(wall: int) -> list[int]:
    """The UTC seconds whose local wall time is `wall`: one, two (clocks turned back) or none (turned forward)."""
    offsets = {time.localtime(wall + shift).tm_gmtoff for shift in (-_DAY, _DAY)}
    return sorted(wall - offset for offset in offsets if time.localtime(wall - offset).tm_gmtoff == offset)


LOCAL_ZONE = LocalZone()


def as_utc(moment: datetime) -> datetime:
    """A naive datetime is taken as local time (what a user typed); an aware one is converted."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC)


def parse_instant(text: str) -> datetime:
    """ISO 8601 as users type it (`2026-11-20T09:00`, `...Z`, `...+01:00`); naive means local time."""
    try:
        value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError as exc:
        raise ValidationError(f"'{text}' is not a date and time in ISO 8601 form, e.g. 2026-11-20T09:30") from exc
    check_day(value.date(), f"'{text}'")
    return as_utc(value)


def format_duration(seconds: int) -> str:
    """`H:MM`, the form of the tray tooltip and the timer window."""
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}"


def format_clock(seconds: int) -> str:
    """`H:MM:SS` for a live elapsed time."""
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
