"""Utilisation worked by hand (docs/reports.md, "Utilisation"): local days in UTC+1, midnight cuts, the target."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from app.domain.periods import parse_week
from app.reports.tables import utilisation_tables
from app.reports.utilisation import build_utilisation, day_seconds
from app.reports.values import TrackedTime

CET = timezone(timedelta(hours=1))
WEEK = parse_week("2026-W47")  # Monday 16 to Sunday 22 November 2026


def local(day: int, hour: float) -> datetime:
    return datetime(2026, 11, day, tzinfo=CET) + timedelta(hours=hour)


TIMES = [
    TrackedTime(local(15, 23.5), local(16, 0.5), billable=True),  # half of it on Sunday the 15th, outside the week
    TrackedTime(local(16, 8), local(16, 12), billable=True),
    TrackedTime(local(16, 13), local(16, 15), billable=False),
    TrackedTime(local(17, 23), local(18, 1), billable=True),  # one hour on each side of midnight
    TrackedTime(local(18, 10), local(18, 11), assigned=False, active_seconds=1800),
]


def test_days_worked_by_hand() -> None:
    report = build_utilisation(TIMES, WEEK, CET, 75)
    mon, tue, wed, *rest = report.days
    assert (mon.label, mon.tracked_seconds, mon.billable_seconds, mon.non_billable_seconds) == (
        "2026-11-16", 6.5 * 3600, 4.5 * 3600, 2 * 3600)
    assert mon.share == Decimal("69.2")
    assert report.met(mon) is False
    assert (tue.tracked_seconds, tue.billable_seconds, tue.share, report.met(tue)) == (3600, 3600, 100, True)
    assert (wed.tracked_seconds, wed.unassigned_seconds) == (3600, 1800)
    assert len(rest) == 4
    assert all(r.tracked_seconds == 0 and r.share is None and report.met(r) is None for r in rest)


def test_the_week_against_the_target() -> None:
    report = build_utilisation(TIMES, WEEK, CET, 75)
    (week,) = report.weeks
    assert (week.label, week.tracked_seconds, week.billable_seconds) == ("2026-W47", 8.5 * 3600, 6.5 * 3600)
    assert week.share == Decimal("76.5")
    assert report.met(week) is True
    assert build_utilisation(TIMES, WEEK, CET, 80).met(week) is False
    assert report.total.unassigned_seconds == 1800


def test_a_week_starting_on_sunday_is_labelled_by_its_first_day() -> None:
    report = build_utilisation(TIMES, WEEK, CET, 75, week_start=6)
    assert [w.label for w in report.weeks] == ["from 2026-11-15", "from 2026-11-22"]
    assert sum(w.tracked_seconds for w in report.weeks) == report.total.tracked_seconds


def test_captured_time_across_midnight_keeps_its_active_seconds_exactly() -> None:
    spread = [TrackedTime(local(16, 23), local(17, 2), assigned=False, active_seconds=1001)]
    report = build_utilisation(spread, WEEK, CET, 75)
    assert report.days[0].unassigned_seconds + report.days[1].unassigned_seconds == 1001
    assert report.days[0].unassigned_seconds == 334  # one third of the stretch falls on Monday


def test_day_seconds_cut_at_local_midnight() -> None:
    assert day_seconds(local(17, 23), local(18, 1), CET) == {
        local(17, 0).date(): 3600, local(18, 0).date(): 3600}


def test_tables_hold_weeks_with_a_total_and_days() -> None:
    weeks, days = utilisation_tables(build_utilisation(TIMES, WEEK, CET, 75))
    assert weeks.rows[-1][0] == "Total" and weeks.total_rows == 1
    assert days.rows[0][1:6] == (Decimal("6.50"), Decimal("4.50"), Decimal("2.00"), Decimal("0.00"), Decimal("69.2"))
    assert days.rows[0][7] == "no"
