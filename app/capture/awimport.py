"""ActivityWatch bucket exports (window and afk buckets) turned into spans, so users can bring their history.

The window bucket says what had focus, the afk bucket when the user was away: window events are split where
the user went away (those pieces become idle), and time away with no window event becomes a blank idle span.
Privacy rules apply exactly as they do to live capture.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.capture.backends.base import Window, clean_text
from app.capture.privacy import Privacy
from app.domain.errors import ValidationError
from app.domain.models import Span


@dataclass(frozen=True, slots=True)
class Parsed:
    spans: list[Span]
    excluded: int
    """Window events the privacy rules dropped."""


def read_export(path: Path) -> list[dict[str, Any]]:
    """The buckets of an export file: `{"buckets": {id: bucket}}`, a list of buckets, or one bucket."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"{path} is not an ActivityWatch export (JSON): {exc}") from None
    buckets = data.get("buckets", data) if isinstance(data, dict) else data
    if isinstance(buckets, dict):
        buckets = [buckets] if "events" in buckets else [dict(b, id=b.get("id", k)) for k, b in buckets.items()]
    if not isinstance(buckets, list) or not all(isinstance(b, dict) for b in buckets):
        raise ValidationError(f"{path} is not an ActivityWatch export: no buckets found")
    return buckets


def _kind(bucket: dict[str, Any]) -> str:
    kind = str(bucket.get("type", ""))
    ident = str(bucket.get("id", ""))
    if kind == "currentwindow" or ident.startswith("aw-watcher-window"):
        return "window"
    if kind == "afkstatus" or ident.startswith("aw-watcher-afk"):
        return "afk"
    return ""


def _events(bucket: dict[str, Any]) -> Iterator[tuple[float, float, dict[str, Any]]]:
    for event in bucket.get("events") or []:
        try:
            start = datetime.fromisoformat(str(event["timestamp"]).replace("Z", "+00:00")).timestamp()
            duration = max(0.0, float(event.get("duration") or 0.0))
        except (KeyError, TypeError, ValueError):
            continue
        yield start, start + duration, event.get("data") or {}


def _union(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _pieces(start: float, end: float, cuts: list[tuple[float, float]]) -> Iterator[tuple[float, float, bool]]:
    """[start, end) split by sorted disjoint `cuts`: (from, to, inside a cut)."""
    i = max(0, bisect.bisect_right(cuts, (start, float("inf"))) - 1)
    at = start
    while at < end and i < len(cuts):
        c_start, c_end = cuts[i]
        if c_end <= at:
            i += 1
            continue
        if c_start > at:
            yield at, min(c_start, end), False
            at = min(c_start, end)
            continue
        yield at, min(c_end, end), True
        at = min(c_end, end)
        i += 1
    if at < end:
        yield at, end, False


def to_spans(buckets: list[dict[str, Any]], privacy: Privacy) -> Parsed:
    windows: list[tuple[float, float, Window]] = []
    away: list[tuple[float, float]] = []
    excluded = 0
    for bucket in buckets:
        kind = _kind(bucket)
        for start, end, data in _events(bucket):
            if kind == "afk" and data.get("status") == "afk":
                away.append((start, end))
            elif kind == "window":
                window = privacy.apply(Window(clean_text(str(data.get("app") or "")),
                                              clean_text(str(data.get("title") or ""))))
                if window is None:
                    excluded += 1
                else:
                    windows.append((start, end, window))
    cuts = _union(away)
    spans = [Span(a, b, w.app, w.title, "", inside) for start, end, w in windows
             for a, b, inside in _pieces(start, end, cuts)]
    seen = _union((s, e) for s, e, _w in windows)
    for start, end in cuts:
        spans.extend(Span(a, b, "", "", "", True) for a, b, inside in _pieces(start, end, seen) if not inside)
    spans.sort(key=lambda s: (s.start, s.end))
    return Parsed(spans, excluded)
