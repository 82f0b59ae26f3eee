"""ActivityWatch bucket exports (window and afk buckets) turned into spans, so users can bring their history.

The window bucket says what had focus, the afk bucket when the user was away: window events are split where
the user went away (those pieces become idle), and time away with no window event becomes a blank idle span.
Privacy rules apply exactly as they do to live capture.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.capture.awschema import problems
from app.capture.backends.base import Window, clean_text
from app.capture.privacy import Privacy
from app.domain.errors import ValidationError
from app.domain.models import Span
from app.domain.periods import FIRST_DAY, LAST_DAY
from app.files import read_text_limited


@dataclass(frozen=True, slots=True)
class Parsed:
    spans: list[Span]
    excluded: int
    """Window events the privacy rules dropped."""


MAX_EXPORT_BYTES = 256 << 20
"""Years of window and afk events take tens of megabytes; a file far larger is not an export worth reading."""
MAX_PROBLEMS = 5


class _Refused(ValueError):
    """A number the JSON reader refuses to turn into a float or int."""


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:20]}… is too large")
    return value


def _parse_int(text: str) -> int:
    if len(text) > 30:
        raise _Refused(f"a number has {len(text):,} digits")
    return int(text)


def _parse_constant(name: str) -> float:
    raise _Refused(f"{name} is not a number JSON allows")


def read_export(path: Path) -> list[dict[str, Any]]:
    """The buckets of an export file: `{"buckets": {id: bucket}}`, a list of buckets, or one bucket. The whole file
    is checked first (`awschema`); a file with any problem is refused, naming the first few."""
    text = read_text_limited(path, MAX_EXPORT_BYTES, "ActivityWatch export")
    not_export = f"{path} is not an ActivityWatch export (JSON)"
    try:
        data = json.loads(text, parse_float=_parse_float, parse_int=_parse_int, parse_constant=_parse_constant)
    except _Refused as exc:
        raise ValidationError(f"{not_export}: {exc}") from None
    except RecursionError:
        raise ValidationError(f"{not_export}: it nests far too deeply") from None
    except ValueError as exc:
        raise ValidationError(f"{not_export}: {exc}") from None
    buckets = data.get("buckets", data) if isinstance(data, dict) else data
    if isinstance(buckets, dict):
        if "events" in buckets:
            buckets = [buckets]
        elif all(isinstance(b, dict) for b in buckets.values()):
            buckets = [dict(b, id=b.get("id", k)) for k, b in buckets.items()]
    if not isinstance(buckets, list) or not buckets:
        raise ValidationError(f"{path} is not an ActivityWatch export: no buckets found")
    found = problems(buckets, MAX_PROBLEMS) or _timestamp_problems(buckets)
    if found:
        raise ValidationError(f"{path} was not imported; nothing was changed. First problems:\n"
                              + "\n".join(f"  {p}" for p in found))
    return buckets


def _timestamp_problems(buckets: list[dict[str, Any]]) -> list[str]:
    found = []
    for b, bucket in enumerate(buckets):
        for e, event in enumerate(bucket["events"]):
            try:
                _instant(event["timestamp"])
            except ValueError as exc:
                found.append(f"buckets[{b}].events[{e}].timestamp: {exc}")
                if len(found) >= MAX_PROBLEMS:
                    return found
    return found


def _instant(text: str) -> float:
    """Epoch seconds of an ActivityWatch timestamp inside the years TimeTally handles."""
    moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not FIRST_DAY <= moment.date() <= LAST_DAY:
        raise ValueError(f"{text} is outside {FIRST_DAY.year}-{LAST_DAY.year}")
    return moment.timestamp()


def _kind(bucket: dict[str, Any]) -> str:
    kind = str(bucket.get("type", ""))
    ident = str(bucket.get("id", ""))
    if kind == "currentwindow" or ident.startswith("aw-watcher-window"):
        return "window"
    if kind == "afkstatus" or ident.startswith("aw-watcher-afk"):
        return "afk"
    return ""


def _events(bucket: dict[str, Any]) -> Iterator[tuple[float, float, dict[str, Any]]]:
    """A checked bucket's events (see `read_export`)."""
    for event in bucket["events"]:
        start = _instant(event["timestamp"])
        yield start, start + float(event.get("duration") or 0.0), event["data"]


def _one_at_a_time(windows: list[tuple[float, float, Window]]) -> list[tuple[float, float, Window]]:
    """One window has focus at a time: repeated events are dropped and overlaps cut, so no second counts twice."""
    out: list[tuple[float, float, Window]] = []
    covered = -math.inf
    for start, end, window in sorted(windows, key=lambda w: (w[0], w[1])):
        start = max(start, covered)
        if end > start:
            out.append((start, end, window))
            covered = end
    return out


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
    windows = _one_at_a_time(windows)
    cuts = _union(away)
    spans = [Span(a, b, w.app, w.title, "", inside) for start, end, w in windows
             for a, b, inside in _pieces(start, end, cuts)]
    seen = _union((s, e) for s, e, _w in windows)
    for start, end in cuts:
        spans.extend(Span(a, b, "", "", "", True) for a, b, inside in _pieces(start, end, seen) if not inside)
    spans.sort(key=lambda s: (s.start, s.end))
    return Parsed(spans, excluded)
