"""The review's flags: long days, no project, overlaps, timers over 8 h, a high unclassified share."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from app.domain.models import Entry
from app.timesheet.validation import review_flags, split_by_day

DAY = date(2026, 11, 17)


def at(hour: float) -> datetime:
    return (datetime.combine(DAY, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def entry(i: int, start: float, end: float | None, project: int | None = 1) -> Entry:
    return Entry(i, at(start), at(end) if end is not None else None, project_id=project)


def codes(entries: list[Entry], **kw: object) -> list[tuple[str, tuple[int, ...]]]:
    flags = review_flags(entries, at(23), daily_limit_hours=kw.pop("limit", 10.0), **kw)  # type: ignore[arg-type]
    return [(f.code, f.entry_ids) for f in flags]


def test_clean_week_has_no_flags() -> None:
    assert codes([entry(1, 9, 12), entry(2, 13, 17)]) == []


def test_each_flag() -> None:
    assert codes([entry(1, 9, 12, project=None)]) == [("no-project", (1,))]
    assert codes([entry(1, 8, 12), entry(2, 13, 17)], limit=6.0) == [("over-limit", (1, 2))]
    assert codes([entry(1, 9, 12), entry(2, 11, 13), entry(3, 14, 15)]) == [("overlap", (1, 2))]
    assert codes([entry(1, 9, 18)]) == [("long-timer", (1,))]
    assert codes([entry(1, 14, None)]) == [("long-timer", (1,))]  # running since 14:00, now 23:00
    flags = review_flags([], at(23), daily_limit_hours=10, unclassified_share={DAY: 0.4, DAY + timedelta(1): 0.1})
    assert [(f.code, f.day) for f in flags] == [("unclassified", DAY)]


def test_split_by_day_counts_both_sides_of_midnight() -> None:
    assert split_by_day(at(23), at(25)) == [(DAY, 3600), (DAY + timedelta(days=1), 3600)]
