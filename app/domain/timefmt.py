"""Instants are UTC and timezone-aware everywhere below the review layer; these helpers keep it so."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain.errors import ValidationError
from app.domain.periods import check_day


def utcnow() -> datetime:
    return datetime.now(UTC)


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
