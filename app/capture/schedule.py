"""Tracking hours: capture only inside the user's working times, e.g. `Mon-Fri 08:00-19:00`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RULE = re.compile(r"^\s*(?P<days>[A-Za-z,\- ]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class Window:
    days: frozenset[int]
    start: time
    end: time
    """An end before the start runs past midnight into the next day."""


def _day(text: str) -> int:
    key = text.strip().lower()[:3]
    if key not in DAYS:
        raise ValueError(f"'{text.strip()}' is not a weekday (Mon, Tue, ... Sun)")
    return DAYS.index(key)


def _days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split(","):
        first, dash, last = part.partition("-")
        if dash:
            a, b = _day(first), _day(last)
            days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            days.add(_day(first))
    return frozenset(days)


def _clock(text: str) -> time:
    hours, minutes = (int(x) for x in text.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    return time(hours, minutes)


def parse_rule(text: str) -> Window:
    match = _RULE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not in the form 'Mon-Fri 08:00-19:00'")
    try:
        return Window(_days(match["days"]), _clock(match["start"]), _clock(match["end"]))
    except ValueError as exc:
        raise ValueError(f"'{text}': {exc}") from None


def check_rules(rules: list[str]) -> str | None:
    """Settings check for `capture.tracking_hours`."""
    for rule in rules:
        try:
            parse_rule(rule)
        except (ValueError, TypeError) as exc:
            return str(exc)
    return None


class TrackingHours:
    """No rules means always; otherwise a local time must fall inside one of them."""

    def __init__(self, rules: list[str]) -> None:
        self._windows = [parse_rule(r) for r in rules]

    def allows(self, local: datetime) -> bool:
        if not self._windows:
            return True
        now, day = local.time(), local.weekday()
        for w in self._windows:
            if w.start <= w.end:
                if day in w.days and w.start <= now < w.end:
                    return True
            elif (day in w.days and now >= w.start) or ((day - 1) % 7 in w.days and now < w.end):
                return True
        return False
