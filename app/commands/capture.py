"""`timetally capture run|pause|resume|status`, `timetally activity list`, `timetally import activitywatch FILE`."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.capture.activity import ActivityService
from app.capture.awimport import read_export, to_spans
from app.capture.config import CaptureConfig
from app.capture.events import CaptureEvent, IdleEnded, IdleStarted, PauseChanged, Sleeping, Status, Woke
from app.capture.pause import FOREVER, PauseStore, to_datetime, to_epoch
from app.commands.output import iso, note, print_json, seconds_arg
from app.core import Core, build_watcher
from app.domain.errors import ValidationError
from app.domain.models import Span
from app.domain.periods import day_epochs, parse_day
from app.domain.timefmt import format_clock, parse_instant

TITLE_WIDTH = 80


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    capture = sub.add_parser("capture", help="record the active window and idle time")
    csub = capture.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = csub.add_parser("run", help="run the watcher in the foreground (Ctrl+C stops it)")
    run.add_argument("--duration", type=seconds_arg(366 * 86_400), metavar="SECONDS",
                     help="stop after this many seconds")
    run.set_defaults(handler=_run)
    pause = csub.add_parser("pause", help="stop recording, in every TimeTally process, until resumed or for a while")
    length = pause.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=seconds_arg(366 * 1440), metavar="MINUTES", help="resume by itself after")
    length.add_argument("--until", metavar="ISO8601", help="resume by itself at this time")
    pause.set_defaults(handler=_pause)
    csub.add_parser("resume", help="record again").set_defaults(handler=_resume)
    status = csub.add_parser("status", help="say whether capture is paused")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)

    activity = sub.add_parser("activity", help="show captured activity")
    asub = activity.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = asub.add_parser("list", help="list captured spans (default: today)")
    when = listing.add_mutually_exclusive_group()
    when.add_argument("--day", metavar="YYYY-MM-DD", help="one local day")
    when.add_argument("--since", metavar="ISO8601", help="from this instant until now")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)

    imports = sub.add_parser("import", help="bring in data from other tools")
    isub = imports.add_subparsers(dest="source", required=True, metavar="SOURCE")
    aw = isub.add_parser("activitywatch", help="import an ActivityWatch export (window and afk buckets)")
    aw.add_argument("file", type=Path, metavar="FILE")
    aw.set_defaults(handler=_import_activitywatch)


def _describe(event: CaptureEvent) -> str | None:
    """A line for the terminal; never a window title."""
    def clock(ts: float) -> str:
        return f"{datetime.fromtimestamp(ts):%H:%M:%S}"

    if isinstance(event, IdleStarted):
        return f"Idle since {clock(event.since)}."
    if isinstance(event, IdleEnded):
        return f"Active again (away {format_clock(int(event.until - event.since))})."
    if isinstance(event, Sleeping):
        return "The computer is going to sleep."
    if isinstance(event, Woke):
        return "The computer woke up."
    if isinstance(event, PauseChanged):
        return _paused_text(event.paused_until) if event.paused_until else "Capture resumed."
    if isinstance(event, Status):
        return event.message
    return None


def _paused_text(until: datetime | None) -> str:
    if until is None:
        return "Capture is running."
    if until >= FOREVER:
        return "Capture is paused until resumed (timetally capture resume)."
    return f"Capture is paused until {until.astimezone():%Y-%m-%d %H:%M}."


def _stored_pause(core: Core) -> datetime | None:
    until = PauseStore(core.db).read()
    return None if until is None or until <= time.time() else to_datetime(until)


def _pause(core: Core, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    until: datetime | None = None
    if args.minutes is not None:
        until = now + timedelta(minutes=args.minutes)
    elif args.until is not None:
        until = parse_instant(args.until)
        if until <= now:
            raise ValidationError(f"'{args.until}' has passed; give a time in the future to pause until.")
    PauseStore(core.db).write(to_epoch(until))
    print(_paused_text(_stored_pause(core)))
    return 0


def _resume(core: Core, _args: argparse.Namespace) -> int:
    PauseStore(core.db).write(None)
    print(_paused_text(None))
    return 0


def _status(core: Core, args: argparse.Namespace) -> int:
    until = _stored_pause(core)
    if args.json:
        print_json({"paused": until is not None, "until_resumed": until is not None and until >= FOREVER,
                    "paused_until": iso(until) if until is not None and until < FOREVER else None})
    else:
        print(_paused_text(until))
    return 0


def _run(core: Core, args: argparse.Namespace) -> int:
    watcher = build_watcher(core)
    store = core.activity
    before, since = store.count(), time.time()

    def tell(event: CaptureEvent) -> None:
        line = _describe(event)
        if line:
            note(line)

    watcher.add_listener(tell)
    previous = {sig: signal.signal(sig, lambda *_: watcher.stop()) for sig in (signal.SIGINT, signal.SIGTERM)}
    note("Capturing; press Ctrl+C to stop." if args.duration is None else f"Capturing for {args.duration:g} s.")
    started = time.monotonic()
    try:
        watcher.run(args.duration)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    saved = _saved(store, before, since, core.settings.get("capture.retention_days"))
    note(f"Stopped after {format_clock(int(time.monotonic() - started))}; {saved}.")
    return 0


def _saved(store: ActivityService, before: int, since: float, retention_days: int) -> str:
    """Spans that start during the run are the new ones; any other span missing afterwards was purged by the
    retention setting meanwhile."""
    saved = store.count(since)
    purged = before + saved - store.count()
    text = f"{saved} new span{'' if saved == 1 else 's'} saved"
    return f"{text}, {purged} purged (older than {retention_days} days)" if purged > 0 else text


def _bounds(args: argparse.Namespace) -> tuple[float, float]:
    if args.since:
        return parse_instant(args.since).timestamp(), time.time()
    return day_epochs(parse_day(args.day).first if args.day else date.today())


def span_json(span: Span) -> dict[str, Any]:
    return {
        "id": span.id,
        "start": iso(datetime.fromtimestamp(span.start, UTC)),
        "end": iso(datetime.fromtimestamp(span.end, UTC)),
        "duration_seconds": round(span.seconds, 3),
        "app": span.app,
        "title": span.title,
        "exe": span.exe,
        "idle": span.idle,
    }


def _line(span: Span) -> str:
    title = span.title if len(span.title) <= TITLE_WIDTH else span.title[: TITLE_WIDTH - 1] + "…"
    what = "(idle)" if span.idle and not span.app else f"{span.app or '(unknown)'}  {title}"
    flag = "idle  " if span.idle else "      "
    return (f"#{span.id:<6} {datetime.fromtimestamp(span.start):%H:%M:%S}-{datetime.fromtimestamp(span.end):%H:%M:%S}"
            f" {format_clock(int(span.seconds)):>8}  {flag}{what}")


def _list(core: Core, args: argparse.Namespace) -> int:
    start, end = _bounds(args)
    spans = core.activity.between(start, end)
    if args.json:
        print_json([span_json(s) for s in spans])
        return 0
    if not spans:
        print("No captured activity in this period.")
        return 0
    for span in spans:
        sys.stdout.write(_line(span) + "\n")
    active = sum(s.seconds for s in spans if not s.idle)
    print(f"{len(spans)} spans, {format_clock(int(active))} active.")
    return 0


def _import_activitywatch(core: Core, args: argparse.Namespace) -> int:
    parsed = to_spans(read_export(args.file), CaptureConfig.from_settings(core.settings).privacy)
    added = core.activity.add_new(parsed.spans)
    skipped = len(parsed.spans) - added
    print(f"Imported {added} spans from {args.file.name}"
          + (f"; {skipped} were already there" if skipped else "")
          + (f"; {parsed.excluded} window events left out by your privacy rules" if parsed.excluded else "")
          + ".")
    return 0
