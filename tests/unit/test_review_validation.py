"""The review's flags: long days, no project, overlaps, timers over 8 h, a high unclassified share."""

from __future__ import annotations

import time as time_module
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.models import Entry
from app.timesheet.validation import review_flags, split_by_day
from tests.conftest import WallClock

DAY = date(2026, 11, 17)


def at(hour: float) -> datetime:
    return (datetime.combine(DAY, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def entry(i: int, start: float, end: float | None, project: int | None = 1) -> Entry:
    return Entry(i, at(start), at(end) if end is not None else None, project_id=project)


def codes(entries: list[Entry], **kw: object) -> list[tuple[str, tuple[int, ...]]]:
    flags = review_flags(entries, at(23), daily_limit_hours=kw.pop("limit", 10.0),  # type: ignore[arg-type]
                         long_timer_hours=kw.pop("long", 8.0), **kw)  # type: ignore[arg-type]
    return [(f.code, f.entry_ids) for f in flags]


def test_clean_week_has_no_flags() -> None:
    assert codes([entry(1, 9, 12), entry(2, 13, 17)]) == []


def test_each_flag() -> None:
    assert codes([entry(1, 9, 12, project=None)]) == [("no-project", (1,))]
    assert codes([entry(1, 8, 12), entry(2, 13, 17)], limit=6.0) == [("over-limit", (1, 2))]
    assert codes([entry(1, 9, 12), entry(2, 11, 13), entry(3, 14, 15)]) == [("overlap", (1, 2))]
    assert codes([entry(1, 9, 18)]) == [("long-timer", (1,))]
    assert codes([entry(1, 14, None)]) == [("long-timer", (1,))]  # running since 14:00, now 23:00
    flags = review_flags([], at(23), daily_limit_hours=10, long_timer_hours=8,
                         unclassified_share={DAY: 0.4, DAY + timedelta(1): 0.1})
    assert [(f.code, f.day) for f in flags] == [("unclassified", DAY)]


def test_the_long_timer_flag_uses_the_timer_limit_setting() -> None:
    assert codes([entry(1, 9, 14)], long=4.0) == [("long-timer", (1,))]
    assert codes([entry(1, 9, 18), entry(2, 19, None)], long=12.0, limit=16.0) == []


def test_time_two_entries_share_counts_once_towards_the_daily_limit() -> None:
    twice = [entry(1, 8, 14), entry(2, 8, 14), entry(3, 13, 17)]  # 9 hours worked, 16 in entries
    assert [c for c, _ in codes(twice)] == ["overlap", "overlap", "overlap"]
    assert codes(twice, limit=8.5) == [("over-limit", (1, 2, 3)), ("overlap", (1, 2)), ("overlap", (1, 3)),
                                       ("overlap", (2, 3))]


def test_split_by_day_counts_both_sides_of_midnight() -> None:
    assert split_by_day(at(23), at(25)) == [(DAY, 3600), (DAY + timedelta(days=1), 3600)]


def test_split_by_day_takes_the_entrys_own_offset_not_todays(monkeypatch: pytest.MonkeyPatch,
                                                             wall_clock: WallClock) -> None:
    """A November entry across midnight, split while Berlin is on summer time: still one hour on each day."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time_module.tzset()
    try:
        wall_clock.set(datetime(2027, 7, 1, 12, tzinfo=ZoneInfo("Europe/Berlin")))
        late = datetime(2026, 11, 17, 22, tzinfo=UTC)  # 23:00 in Berlin (CET, UTC+1)
        assert split_by_day(late, late + timedelta(hours=2)) == [(DAY, 3600), (DAY + timedelta(days=1), 3600)]
    finally:
        monkeypatch.undo()
        time_module.tzset()
