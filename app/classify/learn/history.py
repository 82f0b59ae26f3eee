"""What teaches: each piece of a finished entry over captured activity, as (window, label, seconds, entry).
Idle time, and time a rule makes private or ignored, never teaches."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from operator import attrgetter

from app.classify.engine import Verdict
from app.classify.learn.model import Key, Label
from app.domain.models import Span

_START = attrgetter("start")
Piece = tuple[float, float, Label, int]
"""An entry's (or a rejection's) [start, end) in epoch seconds, its label and its id."""


def lessons(spans: Sequence[Span], verdicts: Sequence[Verdict | None], pieces: Sequence[Piece]
            ) -> Iterator[tuple[Key, Label, float, int]]:
    """Spans ordered by start, their rule verdicts, and the pieces that cover them."""
    for lo, hi, label, ident in pieces:
        n = bisect_left(spans, lo, key=_START)
        n -= n > 0 and spans[n - 1].end > lo
        while n < len(spans) and spans[n].start < hi:
            span, verdict = spans[n], verdicts[n]
            n += 1
            if span.idle or (verdict is not None and (verdict.outcome.private or verdict.outcome.ignore)):
                continue
            seconds = min(span.end, hi) - max(span.start, lo)
            if seconds > 0:
                yield (span.app, span.exe, span.title), label, seconds, ident


def reaches(pieces: Sequence[Piece], gap: float = 3600.0) -> list[tuple[float, float]]:
    """The pieces joined where less than `gap` apart: the ranges worth reading spans for, a few per day."""
    out: list[list[float]] = []
    for lo, hi, _, _ in sorted(pieces):
        if out and lo - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]
