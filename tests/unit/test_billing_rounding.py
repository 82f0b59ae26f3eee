"""Rounding specs, steps, minimums and durations."""

from __future__ import annotations

import pytest

from app.billing.rounding import billed_seconds, parse_duration, round_seconds
from app.domain.errors import ValidationError
from app.domain.rounding import Mode, Rounding, Scope, parse_rounding


def test_parse_rounding() -> None:
    assert parse_rounding("up:15") == Rounding(Mode.UP, 15, Scope.ENTRY)
    assert parse_rounding("Nearest:6:line") == Rounding(Mode.NEAREST, 6, Scope.LINE)
    assert str(parse_rounding("down:30:line")) == "down:30:line"


@pytest.mark.parametrize(
    ("spec", "message"),
    [("up:7", "steps are"), ("sideways:15", "not a rounding mode"), ("up", "MODE:MINUTES"), ("up:15:week", "scope"),
     ("up:-15", "steps are"), ("up:15:line:x", "MODE:MINUTES")],
)
def test_bad_rounding_specs(spec: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_rounding(spec)


@pytest.mark.parametrize(
    ("seconds", "spec", "expected"),
    [
        (420, "up:15", 900), (420, "down:15", 0), (449, "nearest:15", 0), (450, "nearest:15", 900),
        (900, "up:15", 900), (901, "up:15", 1800), (3120, "nearest:6", 3240), (61, "up:1", 120),
        (59, "down:1", 0), (0, "up:60", 0), (3599, "nearest:60", 3600), (1799, "nearest:60", 0),
        (300, "up:12", 720), (370, "nearest:12", 720), (359, "nearest:12", 0), (601, "down:10", 600),
        (1, "up:5", 300), (149, "nearest:5", 0), (150, "nearest:5", 300), (1801, "down:30", 1800),
    ],
)
def test_round_seconds(seconds: int, spec: str, expected: int) -> None:
    assert round_seconds(seconds, parse_rounding(spec)) == expected


def test_minimum_applies_after_rounding_but_not_to_nothing() -> None:
    rounding = parse_rounding("nearest:1")
    assert billed_seconds(600, rounding, 900) == 900
    assert billed_seconds(1200, rounding, 900) == 1200
    assert billed_seconds(0, rounding, 900) == 0
    assert billed_seconds(60, parse_rounding("down:15"), 900) == 900


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("1h", 3600), ("1h30m", 5400), ("90s", 90),
                                               ("20", 1200), ("0", 0)])
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "15x", "-5m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_duration(text)
