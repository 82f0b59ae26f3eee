"""Cutting entries at local midnight, night boundaries and overtime limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from app.billing.multipliers import Multipliers, Work, epoch, parse_night, parse_weekdays, split
from app.domain.errors import ValidationError


def at(text: str) -> int:
    return epoch(datetime.fromisoformat(text).replace(tzinfo=UTC))


def test_nothing_is_cut_when_every_factor_is_one() -> None:
    pieces = split([Work(1, at("2026-11-21T23:00"), 7200)], Multipliers(), UTC)
    assert [(p.seconds, p.factor) for p in pieces[1]] == [(7200, 1)]


def test_highest_factor_wins() -> None:
    rules = Multipliers(weekend=Decimal("1.5"), night=Decimal("1.25"))
    pieces = split([Work(1, at("2026-11-21T21:00"), 7200)], rules, UTC)[1]
    assert [(p.seconds, p.factor, p.reason) for p in pieces] == [(7200, Decimal("1.5"), "weekend")]


def test_night_is_local_time() -> None:
    rules = Multipliers(night=Decimal(2), night_start=time(22), night_end=time(6))
    pieces = split([Work(1, at("2026-11-17T02:00"), 3 * 3600)], rules, ZoneInfo("America/New_York"))[1]
    assert [(p.seconds, p.reason) for p in pieces] == [(3600, ""), (7200, "night")]  # 21:00-00:00 in New York


def test_overtime_counts_all_work_of_the_day_in_order() -> None:
    rules = Multipliers(overtime=Decimal(2), overtime_daily_seconds=4 * 3600)
    pieces = split([Work(2, at("2026-11-16T13:00"), 3 * 3600), Work(1, at("2026-11-16T08:00"), 3 * 3600)], rules, UTC)
    assert [(p.seconds, p.reason) for p in pieces[1]] == [(3 * 3600, "")]
    assert [(p.seconds, p.reason) for p in pieces[2]] == [(3600, ""), (7200, "overtime")]


def test_holidays_are_listed_days() -> None:
    rules = Multipliers(holiday=Decimal(2), holidays=frozenset({date(2026, 12, 25)}))
    pieces = split([Work(1, at("2026-12-24T23:00"), 7200)], rules, UTC)[1]
    assert [(p.seconds, p.reason) for p in pieces] == [(3600, ""), (3600, "holiday")]


def test_pieces_always_add_up_across_a_dst_change() -> None:
    rules = Multipliers(night=Decimal("1.5"), weekend=Decimal(2), overtime=Decimal(3), overtime_daily_seconds=3600)
    zone = ZoneInfo("Europe/Berlin")
    pieces = split([Work(1, at("2026-10-24T20:00"), 30 * 3600)], rules, zone)[1]
    assert sum(p.seconds for p in pieces) == 30 * 3600


def test_parsers() -> None:
    assert parse_night("22:00-06:00") == (time(22), time(6))
    assert parse_weekdays("4, 5") == frozenset({4, 5})
    for bad in ("22-6x", "night"):
        with pytest.raises(ValidationError):
            parse_night(bad)
    with pytest.raises(ValidationError):
        parse_weekdays("7")
