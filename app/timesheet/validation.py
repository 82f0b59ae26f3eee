"""Checks on entries that never block a save but are shown to the user: overlaps, long timers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from app.domain.errors import ValidationError
from app.domain.models import Entry, Notice

MAX_DESCRIPTION = 2_000


def clean_description(text: str | None) -> str:
    """Whitespace folded, control characters dropped; over-long text is refused rather than cut."""
    text = "".join(" " if ch.isspace() else ch for ch in (text or "") if ch.isprintable() or ch.isspace())
    text = " ".join(text.split())
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(
            f"A description can hold at most {MAX_DESCRIPTION:,} characters; this one has {len(text):,}. "
            "Shorten it and try again."
        )
    return text


def check_order(start: datetime, end: datetime) -> None:
    if end < start:
        raise ValidationError(
            f"The end ({end.astimezone():%Y-%m-%d %H:%M}) is before the start ({start.astimezone():%Y-%m-%d %H:%M})."
        )
    if end == start:
        raise ValidationError("The entry ends when it starts; give it a duration.")


def overlap_notices(entry: Entry, others: Sequence[Entry]) -> list[Notice]:
    if not others:
        return []
    ids = tuple(o.id for o in others)
    listed = ", ".join(f"#{o.id} ({o.start.astimezone():%H:%M}-{_end(o)})" for o in others[:5])
    return [Notice("overlap", f"Entry #{entry.id} overlaps {listed}.", ids)]


def long_running(entry: Entry, now: datetime, limit_hours: float) -> Notice | None:
    if entry.running and entry.seconds(now) > limit_hours * 3600:
        hours = entry.seconds(now) / 3600
        return Notice("long-running", f"The timer has been running for {hours:.1f} hours; is it still right?")
    return None


def _end(entry: Entry) -> str:
    return "now" if entry.end is None else f"{entry.end.astimezone():%H:%M}"
