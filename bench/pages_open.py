"""Every page of the main window: from opening it the first time (cold) or asking it to read again (warm) to the
page painted with a year of data, and the longest GUI stall meanwhile.

    .venv/bin/python bench/pages_open.py [--runs 5]

A throw-away database holds a year of one freelancer's work: 20 clients with 3 projects of 3 tasks each, rates
and budgets, 5 approved entries every weekday of 2026 (about 1,300), and an invoice per client and month (about
240 invoices with their lines), and the activity captured behind it (40 windows a weekday, about 10,000 spans).
Two tables: the Clients & projects and Invoices pages on their own, built once (cold: import, first read, first
paint) and then reloaded `--runs` times (warm) until their `loaded` signal; and every page of the main window (the
app's own shell, no tray), opened from the sidebar the first time (cold) and then asked to read again `--runs`
times (warm), each until no read is left on the workers and the page is painted. A 2 ms QTimer heartbeat records
the longest gap between its ticks: the longest time the GUI thread was blocked. Targets: every page under 300 ms
warm, no GUI stall over 50 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer, SignalInstance  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.core import Core, build_core  # noqa: E402
from app.domain.models import NewEntry, Span  # noqa: E402
from app.domain.periods import Period  # noqa: E402
from app.store.spans import SpanStore  # noqa: E402
from app.ui.application import Shell  # noqa: E402
from app.ui.events import ChangeBus  # noqa: E402
from app.ui.pages import PAGES  # noqa: E402
from app.ui.tasks import TaskRunner  # noqa: E402

CLIENTS, YEAR = 20, 2026


def seed(core: Core) -> None:
    projects = []
    for c in range(CLIENTS):
        client = f"Client {c:02d}"
        core.billing.set_client(client, rate=str(80 + c), currency=("USD", "EUR", "GBP")[c % 3], rounding="up:15",
                                terms=14, tax="VAT:20" if c % 2 else None, create=True)
        for p in range(3):
            path = f"{client}/Project {p}"
            projects.append(core.projects.add_project(path))
            if p == 0:
                core.billing.set_project(path, budget="200h", fixed_fee="10000", overage_rate="90")
            for t in range(3):
                core.billing.set_project(path, task=f"Task {t}", rate=str(100 + t))
    day = date(YEAR, 1, 1)
    n = 0
    spans = []
    while day.year == YEAR:
        if day.weekday() < 5:
            start = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
            spans += [Span(start.timestamp() + 720 * s, start.timestamp() + 720 * (s + 1), ("code", "firefox")[s % 2],
                           f"file{s}.py - Client {s % CLIENTS:02d} - Code") for s in range(40)]
            for _ in range(5):
                project = projects[n % len(projects)]
                entry = core.entries.add(NewEntry(start, start + timedelta(minutes=85), "Work", project.id))
                core.entries.update(entry.id, status="approved", locked=True)
                start += timedelta(minutes=95)
                n += 1
        day += timedelta(days=1)
    SpanStore(core.db).add_many(spans)
    for month in range(1, 13):
        last = (date(YEAR, month % 12 + 1, 1) if month < 12 else date(YEAR + 1, 1, 1)) - timedelta(days=1)
        core.billing.create(Period(date(YEAR, month, 1), last))


def timed(start: Callable[[], tuple[QWidget, SignalInstance]]) -> tuple[float, float, QWidget]:
    """Seconds from `start()` (which builds or reloads a page and gives its `loaded` signal) to that signal with the
    page repainted, and the longest heartbeat gap meanwhile. The result arrives through the event loop, so the
    signal is connected before it can fire."""
    beat, longest = QElapsedTimer(), [0.0]
    heartbeat = QTimer()
    heartbeat.setInterval(2)

    def tick() -> None:
        longest[0] = max(longest[0], beat.nsecsElapsed() / 1e9)
        beat.restart()

    heartbeat.timeout.connect(tick)
    loop = QEventLoop()
    finished = [0.0]
    beat.start()
    heartbeat.start()
    began = time.perf_counter()
    page, done = start()

    def arrived(*_: object) -> None:
        page.repaint()
        finished[0] = time.perf_counter() - began
        loop.quit()

    done.connect(arrived)
    loop.exec()
    heartbeat.stop()
    done.disconnect(arrived)
    return finished[0], longest[0], page


def measure(name: str, make: Callable[[], QWidget], runs: int) -> str:
    def build() -> tuple[QWidget, SignalInstance]:
        page = make()
        page.resize(1000, 640)
        page.show()
        return page, page.loaded  # type: ignore[attr-defined]

    cold, cold_stall, page = timed(build)
    warm = [timed(lambda: (page.reload(), (page, page.loaded))[1]) for _ in range(runs)]  # type: ignore[attr-defined]
    times, stalls = [w[0] for w in warm], [w[1] for w in warm]
    page.close()
    return (f"| {name} | {cold * 1000:.0f} ms | {statistics.median(times) * 1000:.0f} ms "
            f"(best {min(times) * 1000:.0f}) | {cold_stall * 1000:.0f} / {max(stalls) * 1000:.0f} ms |")


def settled(runner: TaskRunner, act: Callable[[], QWidget]) -> tuple[float, float]:
    """Seconds from `act()` to no read left on the workers and the page it gives painted; the longest
    heartbeat gap meanwhile."""
    beat, longest, finished = QElapsedTimer(), [0.0], [0.0]
    heartbeat, loop = QTimer(), QEventLoop()
    heartbeat.setInterval(2)
    page: list[QWidget] = []

    def tick() -> None:
        longest[0] = max(longest[0], beat.nsecsElapsed() / 1e9)
        beat.restart()
        if page and runner.idle():
            page[0].repaint()
            finished[0] = time.perf_counter() - began
            loop.quit()

    heartbeat.timeout.connect(tick)
    beat.start()
    heartbeat.start()
    began = time.perf_counter()
    page.append(act())
    loop.exec()
    heartbeat.stop()
    return finished[0], longest[0]


def read_again(page: QWidget) -> None:
    """What a page does when its data changed: the review re-reads its week, the others reload."""
    model = getattr(page, "model", None)
    if hasattr(page, "reload"):
        page.reload()
    elif hasattr(page, "refresh"):
        page.refresh()
    elif model is not None:
        model.refresh()


def every_page(runner: TaskRunner, bus: ChangeBus, runs: int) -> list[str]:
    """The shell on the seeded folder (no tray: the window opens on its remembered page), each page opened from
    the sidebar in turn."""
    shell = Shell(build_core, runner, bus, tray_available=lambda: False)
    loop = QEventLoop()
    shell.ready.connect(loop.quit)
    shell.start()
    loop.exec()
    window = shell.window
    assert window is not None
    window.resize(1280, 800)
    rows = []
    for page in PAGES:
        cold, cold_stall = settled(runner, lambda key=page.key: (window.open_page(key), window.page(key))[1])
        warm = [settled(runner, lambda key=page.key: (read_again(window.page(key)), window.page(key))[1])
                for _ in range(runs)]
        times, stalls = [w[0] for w in warm], [w[1] for w in warm]
        rows.append(f"| {page.title} | {cold * 1000:.0f} ms | {statistics.median(times) * 1000:.0f} ms "
                    f"(best {min(times) * 1000:.0f}) | {cold_stall * 1000:.0f} / {max(stalls) * 1000:.0f} ms |")
    window.hide()
    shell.shut_down()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as home:
        os.environ["TIMETALLY_HOME"] = home
        core = build_core()
        started = time.perf_counter()
        seed(core)
        invoices = len(core.billing.drafts())
        print(f"seeded {invoices} invoices in {time.perf_counter() - started:.1f} s")
        runner, bus = TaskRunner(), ChangeBus()
        from app.ui.clients import clients_page
        from app.ui.invoices import InvoicesPage

        print(f"Python {platform.python_version()}, {platform.machine()}, load average "
              f"{os.getloadavg()[0]:.1f}; {runs} warm runs")
        print("| page | cold (build, read, paint) | warm reload, median | longest GUI stall, cold / warm |")
        print("|---|---:|---:|---:|")
        print(measure("Clients & projects", lambda: clients_page(core, runner, bus), runs))
        print(measure("Invoices", lambda: InvoicesPage(core, runner, bus), runs))
        runner.shutdown()
        core.close()
        print("\n| page (main window) | first open | read again, median | longest GUI stall, first / again |")
        print("|---|---:|---:|---:|")
        shell_runner = TaskRunner()
        for row in every_page(shell_runner, ChangeBus(), runs):
            print(row)
        shell_runner.shutdown()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
