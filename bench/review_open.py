"""Review window benchmark: from "open week" to a populated grid and timeline, and the longest GUI stall meanwhile.

    .venv/bin/python bench/review_open.py [--runs 5] [--skip-worst]

Two synthetic weeks in a throw-away database, each with 50 regex rules and 60 entries:
  * typical: about 20,000 spans (a new window every 1-90 s from 08:00 to 19:00, Monday to Friday, 2,000 titles);
  * worst case: a title change every second around the clock for seven days (604,800 spans, 5,000 titles).
Each run opens the week in a real ReviewWindow (offscreen Qt) and waits until the grid and the day timeline show
it; a 2 ms QTimer heartbeat records the longest gap between its ticks, which is the longest the GUI thread was
blocked. The first run builds and shows the window and pays the cold costs (span cache and classifier engine
empty); the rest open the week again in the same window.
Targets: under 300 ms typical, under 2 s worst case, no GUI stall over 50 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.classify.rules import Condition, Field, Group, Matcher, Outcome, Rule  # noqa: E402
from app.core import Core, build_core  # noqa: E402
from app.domain.models import NewEntry, Span  # noqa: E402
from app.domain.periods import week_of  # noqa: E402
from app.store.spans import SpanStore  # noqa: E402
from app.timesheet.week import WeekReview  # noqa: E402
from app.ui.events import ChangeBus  # noqa: E402
from app.ui.review.window import ReviewWindow  # noqa: E402
from app.ui.tasks import TaskRunner  # noqa: E402

DAY = date(2026, 11, 19)
RULES = 50
APPS = ("code", "firefox", "terminal", "slack", "thunderbird")


def local(day: date, hour: float) -> float:
    return (datetime.combine(day, datetime.min.time()).astimezone() + timedelta(hours=hour)).timestamp()


def rules() -> list[Rule]:
    return [Rule(f"Client {n}", Group("all", (Condition(Field.TITLE, Matcher.REGEX, rf"\bc{n:03d}-(web|api|docs)\b"),)),
                 Outcome(client=f"Client {n}", project="Retainer", task="$1")) for n in range(RULES)]


def titles(rng: random.Random, count: int) -> list[str]:
    """Distinct window titles: editor files of client repositories (most matched by a rule) and mail."""
    out = [f"Inbox ({n}) - Mozilla Thunderbird" for n in range(count // 10)]
    while len(out) < count:
        client, kind = rng.randrange(RULES + 10), rng.choice(("web", "api", "docs"))
        out.append(f"file{len(out)}.py - c{client:03d}-{kind} - Visual Studio Code")
    return out


def typical_spans(days: list[date], rng: random.Random) -> list[Span]:
    """Monday to Friday, 08:00-19:00, a new window every 1-90 s among 2,000 titles."""
    pool = titles(rng, 2000)
    spans: list[Span] = []
    for day in days[:5]:
        cursor, end = local(day, 8), local(day, 19)
        while cursor < end:
            length = rng.uniform(1, 12) if rng.random() < 0.9 else rng.uniform(12, 90)
            spans.append(Span(cursor, cursor + length, rng.choice(APPS), rng.choice(pool),
                              idle=rng.random() < 0.02))
            cursor += length
    return spans


def worst_spans(days: list[date], rng: random.Random) -> list[Span]:
    """Seven whole days with a new title every second; the work behind the titles changes at a human pace, every
    1-15 minutes, as when a counter or a clock sits in the title. 5,040 distinct titles (60 repositories × 3 × 28
    files), the classifier benchmark's order of magnitude."""
    start = local(days[0], 0)
    spans: list[Span] = []
    while len(spans) < 7 * 86400:
        client, kind = rng.randrange(RULES + 10), rng.choice(("web", "api", "docs"))
        for _ in range(rng.randrange(60, 900)):
            i = len(spans)
            title = f"file{i % 28}.py - c{client:03d}-{kind} - Visual Studio Code"
            spans.append(Span(start + i, start + i + 1, "code", title))
    return spans[: 7 * 86400]


def seed(core: Core, spans: list[Span], days: list[date], rng: random.Random) -> None:
    core.classifier.replace_rules(rules())
    projects = [core.projects.add_project(f"Client {n}/Retainer").id for n in range(8)]
    SpanStore(core.db).add_many(spans)
    for day in days[:5]:
        for n in range(12):
            start = local(day, 8 + n * 0.9)
            core.entries.add(NewEntry(datetime.fromtimestamp(start).astimezone(),
                                      datetime.fromtimestamp(start + 1800).astimezone(), f"Work {n}",
                                      rng.choice(projects)))


def open_week(window: ReviewWindow | None, make: object = None) -> tuple[list[float], float, ReviewWindow]:
    """Seconds from asking for the week (or building the window, when `make` builds it) to each stage painted:
    the grid with the week's entries, the timeline of the day in view, the whole week's activity; and the longest
    heartbeat gap meanwhile. Waits in an event loop, never a busy loop."""
    beat, longest = QElapsedTimer(), [0.0]
    heartbeat = QTimer()
    heartbeat.setInterval(2)

    def tick() -> None:
        longest[0] = max(longest[0], beat.nsecsElapsed() / 1e9)
        beat.restart()

    heartbeat.timeout.connect(tick)
    loop = QEventLoop()
    stages: dict[int, float] = {}
    beat.start()
    heartbeat.start()
    started = time.perf_counter()
    if window is None:
        window = make()  # type: ignore[operator]
        window.show()
    else:
        window.model.open_week(DAY)

    def painted(review: WeekReview) -> None:
        """Runs right after the window's own slot has filled the grid and the timeline."""
        window.grid.viewport().repaint()
        window.timeline.repaint()
        stages[len(review.loaded_days)] = time.perf_counter() - started
        if review.activity:
            loop.quit()

    window.model.loaded.connect(painted)
    loop.exec()
    heartbeat.stop()
    window.model.loaded.disconnect(painted)
    return [stages.get(0, 0.0), stages.get(1, 0.0), stages[7]], longest[0], window


def _ms(first: float, warm: list[float]) -> str:
    return f"{first * 1000:,.0f} / {statistics.median(warm) * 1000:,.0f} ms"


def measure(name: str, make_spans: object, runs: int) -> str:
    rng = random.Random(7)
    days = week_of(DAY).days()
    with tempfile.TemporaryDirectory() as home:
        os.environ["TIMETALLY_HOME"] = home
        core = build_core()
        spans = make_spans(days, rng)  # type: ignore[operator]
        count = len(spans)
        seed(core, spans, days, rng)
        del spans[7:]  # keep the count for the report, not the objects
        runner, bus = TaskRunner(), ChangeBus()
        stages, stalls = [], []
        window: ReviewWindow | None = None
        for _ in range(runs):
            times, stall, window = open_week(window, lambda: ReviewWindow(core, runner, bus, today=lambda: DAY))
            stages.append(times)
            stalls.append(stall)
        assert window is not None and window.model.review is not None
        blocks = sum(len(t.blocks) for t in window.model.review.timelines)
        window.close()
        runner.shutdown()
        core.close()
    warm = stages[1:] or stages
    cells = [_ms(stages[0][n], [w[n] for w in warm]) for n in range(3)]
    return (f"| {name}: {count:,} spans, {blocks:,} timeline blocks | {' | '.join(cells)} | "
            f"{stalls[0] * 1000:.0f} / {max(stalls[1:] or stalls) * 1000:.0f} ms |")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-worst", action="store_true")
    args = parser.parse_args()
    app = QApplication(sys.argv)
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")
    print("All figures: first open / median of the warm opens.")
    print("| week | grid with the entries | + the day's timeline | + the whole week | longest GUI stall |")
    print("|------|---------:|---------:|---------:|---------:|")
    print(measure("typical", typical_spans, args.runs), flush=True)
    if not args.skip_worst:
        print(measure("worst case", worst_spans, args.runs), flush=True)
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
