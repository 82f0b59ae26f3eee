"""Heartbeat merging, pure: consecutive equal samples extend one span; a change starts the next one.

A sample extends the last span when its data is equal and it arrives within the pulse window after the span's
end. When the data changes within the pulse window, the switch happened somewhere between the two samples:
both spans meet at the midpoint, so the timeline has no holes and each switch is off by at most half a poll.
A switch the desktop announced (`record_switch`) carries its own time: the spans meet exactly there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from app.domain.models import Span


@dataclass(frozen=True, slots=True)
class Beat:
    """One sample: what had focus at `at` (UTC epoch seconds), and whether the user was idle."""

    at: float
    app: str
    title: str
    exe: str = ""
    idle: bool = False


def same_data(span: Span, beat: Beat) -> bool:
    return span.idle == beat.idle and span.app == beat.app and span.title == beat.title and span.exe == beat.exe


@dataclass(frozen=True, slots=True)
class Merged:
    """The outcome of one beat: `current` extends the last span (same id) unless `new` is set."""

    current: Span
    new: bool
    previous: Span | None = None
    """The last span with its end moved to the switch, when that changed."""


def _extended(last: Span, end: float) -> Span:
    """`last` with a new end (what `Span._replace` does, at half its cost)."""
    return Span(last.start, end, last.app, last.title, last.exe, last.idle, last.id)


def merge(last: Span | None, beat: Beat, pulse: float, start: float | None = None) -> Merged:
    """Fold one beat into the timeline. `start` forces a new span that begins before the beat (idle time is
    backdated to the last input)."""
    if start is not None:
        return Merged(Span(min(start, beat.at), beat.at, beat.app, beat.title, beat.exe, beat.idle), True)
    if last is None:
        return Merged(Span(beat.at, beat.at, beat.app, beat.title, beat.exe, beat.idle), True)
    gap = beat.at - last.end
    if 0.0 <= gap <= pulse and same_data(last, beat):
        return Merged(_extended(last, beat.at), False)
    if 0.0 <= gap <= pulse:
        meet = last.end + gap / 2
        return Merged(Span(meet, beat.at, beat.app, beat.title, beat.exe, beat.idle), True, _extended(last, meet))
    return Merged(Span(beat.at, beat.at, beat.app, beat.title, beat.exe, beat.idle), True)


class Timeline(Protocol):
    """Where merged spans go: the store's batching writer, or a plain list."""

    @property
    def last(self) -> Span | None: ...
    def append(self, span: Span) -> None: ...
    def update(self, span: Span) -> None: ...


def record(timeline: Timeline, beat: Beat, pulse: float, start: float | None = None) -> Span:
    """Merge `beat` into `timeline`; the span it now belongs to. Extending the last span, what almost every
    beat does, takes a short path that allocates only the new span."""
    last = timeline.last
    if start is None and last is not None and 0.0 <= beat.at - last.end <= pulse and same_data(last, beat):
        current = _extended(last, beat.at)
        timeline.update(current)
        return current
    result = merge(last, beat, pulse, start)
    if result.previous is not None:
        timeline.update(result.previous)
    if result.new:
        timeline.append(result.current)
    else:
        timeline.update(result.current)
    return result.current


def record_switch(timeline: Timeline, beat: Beat, pulse: float) -> Span:
    """A change the desktop announced at `beat.at`: the last span ends there and the next one starts there.

    The event may be older than the last span's end (a heartbeat extended the old window while the event was on
    its way): that stretch belonged to the new window, so the last span gives it back, though never below its
    own start."""
    last = timeline.last
    if last is not None and same_data(last, beat):
        if beat.at <= last.end:
            return last  # already recorded up to here
        return record(timeline, beat, pulse)
    if last is None or beat.at - last.end > pulse:
        return record(timeline, beat, pulse)
    meet = max(last.start, beat.at)
    timeline.update(_extended(last, meet))
    current = Span(meet, meet, beat.app, beat.title, beat.exe, beat.idle)
    timeline.append(current)
    return current


class SpanList:
    """A timeline in memory (tests and imports)."""

    def __init__(self) -> None:
        self.spans: list[Span] = []

    @property
    def last(self) -> Span | None:
        return self.spans[-1] if self.spans else None

    def append(self, span: Span) -> None:
        self.spans.append(span)

    def update(self, span: Span) -> None:
        self.spans[-1] = span


def merge_all(beats: Iterable[Beat], pulse: float) -> list[Span]:
    """Merge a whole sequence at once: the spans in order, ids 0."""
    timeline = SpanList()
    for beat in beats:
        record(timeline, beat, pulse)
    return timeline.spans
