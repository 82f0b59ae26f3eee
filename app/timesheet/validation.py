"""Checks on entries that never block a save but are shown to the user: overlaps, long timers, and the review's
flags (long days, entries without a project, overlaps, long timers, descriptions from window titles, a high
unclassified share)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.domain.errors import ValidationError
from app.domain.models import DescriptionOrigin, Entry, EntryStatus, Notice
from app.domain.timefmt import LOCAL_ZONE, format_duration

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


MAX_ENTRY_HOURS = 24
"""A manual entry or an edit may not make an entry longer: a typo in a year (1990 for 2026) must not become 30
years of billable time. Longer timers (left running over a weekend) are kept as they are."""


def check_length(start: datetime, end: datetime, allowed_seconds: float = 0.0) -> None:
    """Refuse a length over MAX_ENTRY_HOURS, unless the entry already was `allowed_seconds` long or longer."""
    seconds = (end - start).total_seconds()
    if seconds > MAX_ENTRY_HOURS * 3600 and seconds > allowed_seconds:
        raise ValidationError(f"An entry lasts at most {MAX_ENTRY_HOURS} hours; this one would last "
                              f"{seconds / 3600:,.1f} hours. Check the dates, or split the work into one entry "
                              "per day.")


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



@dataclass(frozen=True, slots=True)
class Flag:
    """A review flag: `day` is the local day it belongs to (None: the whole week)."""

    code: str
    message: str
    day: date | None
    entry_ids: tuple[int, ...] = field(default_factory=tuple)


def split_by_day(start: datetime, end: datetime, tz: tzinfo | None = None) -> list[tuple[date, int]]:
    """Whole seconds of [start, end) on each local day it touches, so an entry past midnight counts on both."""
    zone = tz or LOCAL_ZONE
    out: list[tuple[date, int]] = []
    cursor, stop = start.astimezone(UTC), end.astimezone(UTC)  # real seconds, also across a clock change
    while cursor < stop:
        day = cursor.astimezone(zone).date()
        piece_end = min(datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC), stop)
        out.append((day, int((piece_end - cursor).total_seconds())))
        cursor = piece_end
    return out


UNBILLED = (EntryStatus.DRAFT, EntryStatus.APPROVED)
BILLED = (EntryStatus.INVOICED, EntryStatus.PAID)


def review_flags(
    entries: Sequence[Entry],
    now: datetime,
    *,
    daily_limit_hours: float,
    long_timer_hours: float,
    unclassified_share: Mapping[date, float] | None = None,
    share_limit: float = 0.25,
    tz: tzinfo | None = None,
    accounting: Mapping[int, tuple[str, str]] | None = None,
    too_short: Mapping[date, Sequence[tuple[str, float]]] | None = None,
    minimum_seconds: float = 0,
) -> list[Flag]:
    """Every flag the review shows for a week's entries; none of them blocks approval.

    `accounting` holds what the accounting systems changed, by entry: a `released` note shows while the entry is
    unbilled again, a `diverged` one while it is still on its (since edited) invoice.
    """
    flags: list[Flag] = []
    ids_per_day: dict[date, list[int]] = {}
    for entry in entries:
        days = split_by_day(entry.start, entry.end or now, tz)
        for day, _seconds in days:
            ids_per_day.setdefault(day, []).append(entry.id)
        first = days[0][0] if days else entry.start.astimezone(tz).date()
        if entry.project_id is None:
            flags.append(Flag("no-project", f"Entry #{entry.id} has no project.", first, (entry.id,)))
        if entry.description and entry.description_origin is DescriptionOrigin.TITLE:
            flags.append(Flag("title-description", f"Entry #{entry.id}'s description was taken from window titles; "
                              "it stays off invoices until you confirm it (Confirm text in the review, or "
                              f"timetally entries confirm {entry.id}).", first, (entry.id,)))
        kind, note = (accounting or {}).get(entry.id, ("", ""))
        if (kind == "released" and entry.status in UNBILLED) or (kind == "diverged" and entry.status in BILLED):
            flags.append(Flag(f"accounting-{kind}", f"Entry #{entry.id}: {note}", first, (entry.id,)))
        if entry.seconds(now) > long_timer_hours * 3600:
            hours = entry.seconds(now) / 3600
            what = "The running timer has run" if entry.running else f"Entry #{entry.id} lasts"
            flags.append(Flag("long-timer", f"{what} {hours:.1f} hours, more than the {long_timer_hours:g} hour "
                              "limit; is it right?", first, (entry.id,)))
    for day, seconds in sorted(worked_per_day(entries, now, tz).items()):
        if seconds > daily_limit_hours * 3600:
            flags.append(Flag("over-limit", f"{seconds / 3600:.1f} hours on {day:%a %d %b}, more than the "
                              f"{daily_limit_hours:g} hour limit.", day, tuple(ids_per_day[day])))
    flags.extend(_overlaps(entries, now, tz))
    for day, share in sorted((unclassified_share or {}).items()):
        if share >= share_limit:
            flags.append(Flag("unclassified", f"{share:.0%} of the activity captured on {day:%a %d %b} is "
                              "unclassified; a rule could sort it.", day))
    for day, stretches in sorted((too_short or {}).items()):
        flag = _too_short(day, stretches, minimum_seconds)
        if flag is not None:
            flags.append(flag)
    return flags


def _too_short(day: date, stretches: Sequence[tuple[str, float]], minimum_seconds: float) -> Flag | None:
    """Time rules classified on `day` that no proposal shows: each project's stretches were shorter than the
    minimum with no stretch of the same project near enough to join."""
    per_label: dict[str, float] = {}
    for label, seconds in stretches:
        per_label[label] = per_label.get(label, 0.0) + seconds
    total = sum(per_label.values())
    if total < 60:
        return None
    listed = ", ".join(f"{label} {format_duration(round(seconds))}" for label, seconds in
                       sorted(per_label.items(), key=lambda kv: -kv[1]) if seconds >= 60)
    return Flag("too-short", f"{format_duration(round(total))} matched rules in stretches too short to propose "
                f"(under {minimum_seconds / 60:g} min){': ' + listed if listed else ''}.", day)


def worked_per_day(entries: Sequence[Entry], now: datetime, tz: tzinfo | None = None) -> dict[date, int]:
    """Seconds of each local day covered by at least one entry: time two entries share counts once."""
    merged: list[list[datetime]] = []
    for start, end in sorted((e.start, e.end or now) for e in entries):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    per_day: dict[date, int] = {}
    for start, end in merged:
        for day, seconds in split_by_day(start, end, tz):
            per_day[day] = per_day.get(day, 0) + seconds
    return per_day


def _overlaps(entries: Sequence[Entry], now: datetime, tz: tzinfo | None) -> list[Flag]:
    """Pairs of entries that share time, found with one sweep over the entries sorted by start."""
    flags: list[Flag] = []
    open_entries: list[Entry] = []
    for entry in sorted(entries, key=lambda e: e.start):
        open_entries = [o for o in open_entries if (o.end or now) > entry.start]
        for other in open_entries:
            day = entry.start.astimezone(tz).date()
            flags.append(Flag("overlap", f"Entry #{entry.id} overlaps #{other.id} "
                              f"({other.start.astimezone(tz):%H:%M}-{_end(other)}).", day, (other.id, entry.id)))
        open_entries.append(entry)
    return flags
