"""The local zone keeps each date's own offset: a winter night read in summer stays on its own day."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.domain.models import NewEntry
from app.domain.periods import Period
from app.domain.timefmt import LOCAL_ZONE
from app.timesheet.validation import split_by_day
from tests.conftest import WallClock

ZONES = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC")


@pytest.fixture
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[ZoneInfo]:
    """The machine's zone for one test (`TZ`), and the same zone from the tz database to compare with."""
    name = getattr(request, "param", "Europe/Berlin")
    monkeypatch.setenv("TZ", name)
    time.tzset()
    yield ZoneInfo(name)
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone", ZONES, indirect=True)
def test_every_instant_and_wall_time_agrees_with_the_tz_database(zone: ZoneInfo) -> None:
    """Around each 2027 change, every 10 minutes: UTC to local (with fold) and local (with fold) back to UTC."""
    changes = [datetime(2027, 3, 28, tzinfo=UTC), datetime(2027, 10, 31, tzinfo=UTC), datetime(2027, 3, 14, tzinfo=UTC),
               datetime(2027, 11, 7, tzinfo=UTC), datetime(2027, 4, 4, tzinfo=UTC), datetime(2027, 10, 3, tzinfo=UTC)]
    for change in changes:
        for step in range(-6 * 24, 6 * 24 + 1):
            instant = change + timedelta(minutes=10 * step)
            ours, theirs = instant.astimezone(LOCAL_ZONE), instant.astimezone(zone)
            assert (ours.replace(tzinfo=None), ours.fold, ours.utcoffset()) == (
                theirs.replace(tzinfo=None), theirs.fold, theirs.utcoffset()), instant
            for fold in (0, 1):
                wall = theirs.replace(tzinfo=None, fold=fold)
                assert wall.replace(tzinfo=LOCAL_ZONE).astimezone(UTC) == wall.replace(tzinfo=zone).astimezone(UTC)


def test_a_winter_night_read_in_summer_stays_on_its_day(zone: ZoneInfo, wall_clock: WallClock) -> None:
    wall_clock.set(datetime(2027, 7, 1, 12, tzinfo=zone))
    start = datetime(2026, 12, 24, 23, 30, tzinfo=zone)
    assert split_by_day(start, start + timedelta(hours=1)) == [(date(2026, 12, 24), 1800), (date(2026, 12, 25), 1800)]
    assert start.astimezone(LOCAL_ZONE).date() == date(2026, 12, 24)


def test_a_day_with_a_clock_change_counts_real_seconds(zone: ZoneInfo) -> None:
    midnight = datetime(2027, 3, 28, tzinfo=zone)  # 23 hours long in Berlin
    assert split_by_day(midnight, midnight + timedelta(days=1)) == [(date(2027, 3, 28), 23 * 3600)]
    autumn = datetime(2027, 10, 30, 23, tzinfo=zone).astimezone(UTC)
    assert split_by_day(autumn, autumn + timedelta(hours=26)) == [(date(2027, 10, 30), 3600),
                                                                  (date(2027, 10, 31), 25 * 3600)]


def test_billing_prices_a_winter_night_the_same_in_summer(core: Any, zone: ZoneInfo, wall_clock: WallClock) -> None:
    """Christmas Eve 23:00-23:45 in Berlin is not on the holiday, whenever the invoice is previewed."""
    core.billing.set_client("Acme", rate="100")
    core.settings.set("billing.holiday_multiplier", "2")
    core.billing.add_holiday(date(2026, 12, 25), "Christmas")
    project = core.projects.add_project("Acme/Web")
    start = datetime(2026, 12, 24, 23, tzinfo=zone)
    entry = core.entries.add(NewEntry(start, start + timedelta(minutes=45), "", project.id))
    core.entries.update(entry.id, status="approved", locked=True)
    december = Period(date(2026, 12, 1), date(2026, 12, 31))
    for now in (datetime(2026, 12, 28, 12, tzinfo=zone), datetime(2027, 7, 1, 12, tzinfo=zone)):
        wall_clock.set(now)
        [draft] = core.billing.preview(december)
        assert (draft.total, draft.lines[0].multiplier) == (Decimal("75.00"), Decimal(1)), now
