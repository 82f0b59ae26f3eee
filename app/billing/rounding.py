"""Rounding of billed time: a mode, a step and a scope, plus a minimum. Raw seconds are never changed."""

from __future__ import annotations

import re

from app.domain.errors import ValidationError
from app.domain.rounding import Mode, Rounding

_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def round_seconds(seconds: int, rounding: Rounding) -> int:
    """Whole seconds rounded to the step; `nearest` takes a half step upwards."""
    if seconds < 0:
        raise ValueError("durations are never negative")
    step = rounding.step_minutes * 60
    whole, rest = divmod(seconds, step)
    if rest == 0:
        return seconds
    if rounding.mode is Mode.UP or (rounding.mode is Mode.NEAREST and rest * 2 >= step):
        whole += 1
    return whole * step


def billed_seconds(seconds: int, rounding: Rounding, minimum_seconds: int = 0) -> int:
    """Rounded time, raised to the minimum; no work (zero seconds) stays zero."""
    if seconds == 0:
        return 0
    return max(round_seconds(seconds, rounding), minimum_seconds)


MAX_DURATION_HOURS = 100_000
"""No budget or minimum is longer (11 years of round-the-clock work); more is a typo, not a plan."""


def parse_duration(text: str, most_hours: int = MAX_DURATION_HOURS) -> int:
    """Seconds from `15m`, `1h`, `1h30m`, `90s` or a bare number of minutes; at most `most_hours`."""
    value = text.strip().lower().replace(" ", "")
    match = _DURATION.match(value) if len(value) <= 20 else None
    if not value.isdigit() and (not value or not match):
        raise ValidationError(f"'{text}' is not a duration such as 15m, 1h or 1h30m")
    if value.isdigit():
        seconds = int(value) * 60 if len(value) <= 12 else most_hours * 3600 + 1
    else:
        hours, minutes, secs = (int(g or 0) for g in match.groups())  # type: ignore[union-attr]
        seconds = hours * 3600 + minutes * 60 + secs
    if seconds > most_hours * 3600:
        raise ValidationError(f"'{text}' is longer than {most_hours:,} hours")
    return seconds
