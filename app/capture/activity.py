"""Captured activity as the desktop app and the command line use it: a range of spans to show, spans to delete,
an export to import without counting twice, and counts for a capture run's report. The span store stays behind
this service, so nothing above it opens the store itself."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.domain.models import Span
from app.store.spans import SpanStore


def _key(span: Span) -> tuple[float, float, str, str, bool]:
    return round(span.start, 3), round(span.end, 3), span.app, span.title, span.idle


class ActivityService:
    def __init__(self, spans: SpanStore) -> None:
        self._spans = spans

    def between(self, start: float, end: float) -> list[Span]:
        """Spans overlapping [start, end) (epoch seconds), in start order."""
        return self._spans.between(start, end)

    def latest(self) -> Span | None:
        return self._spans.latest()

    def count(self, since: float | None = None) -> int:
        """Spans stored, or those started at or after `since`."""
        return self._spans.count(since)

    def delete(self, ids: Iterable[int]) -> int:
        return self._spans.delete(ids)

    def add_new(self, spans: Sequence[Span]) -> int:
        """Store the spans not already there (same start, end, application, title and idleness): importing the
        same export twice adds nothing. Returns how many were added."""
        if not spans:
            return 0
        known = {_key(s) for s in self._spans.between(min(s.start for s in spans), max(s.end for s in spans) + 1)}
        fresh = [s for s in spans if _key(s) not in known]
        self._spans.add_many(fresh)
        return len(fresh)
