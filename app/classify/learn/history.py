"""What teaches: each piece of a finished entry over captured activity, as the seconds of each window under it.
Idle time, and time a rule makes private or ignored, never teaches."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from operator import attrgetter

from app.classify.engine import Verdict
from app.classify.learn.model import Key, Label
from app.domain.models import Span

_START = attrgetter("start")
Piece = tuple[float, float, Label, int]
"""An entry's (or a rejection's) [start, end) in epoch seconds, its label and its id."""


def lessons(spans: Sequence[Span], verdicts: Sequence[Verdict | None], pieces: Sequence[Piece]
            ) -> dict[Piece, dict[Key, float]]:
    """Per piece, the seconds of each window under it: spans ordered by start, their rule verdicts, and the
    pieces that cover them."""
    out: dict[Piece, dict[Key, float]] = {}
    for piece in pieces:
        lo, hi = piece[0], piece[1]
        seen = out[piece] = {}
        n = bisect_left(spans, lo, key=_START)
        n -= n > 0 and spans[n - 1].end > lo
        while n < len(spans) and spans[n].start < hi:
            span, verdict = spans[n], verdicts[n]
            n += 1
            if span.idle or (verdict is not None and (verdict.outcome.private or verdict.outcome.ignore)):
                continue
            seconds = min(span.end, hi) - max(span.start, lo)
            if seconds > 0:
                key = (span.app, span.exe, span.title)
                seen[key] = seen.get(key, 0.0) + seconds
    return out


def examples(taught: Mapping[Piece, Mapping[Key, float]]) -> list[tuple[Key, Label, float, int]]:
    """(window, label, seconds, entry id) for `Model.build`."""
    return [(key, piece[2], seconds, piece[3]) for piece, windows in taught.items() for key, seconds in windows.items()]


def reaches(pieces: Sequence[Piece], gap: float = 3600.0) -> list[tuple[float, float]]:
    """The pieces joined where less than `gap` apart: the ranges worth reading spans for, a few per day."""
    out: list[list[float]] = []
    for lo, hi, _, _ in sorted(pieces):
        if out and lo - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]
