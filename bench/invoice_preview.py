"""Invoice preview benchmark: what pricing against the person's whole day and week costs.

    .venv/bin/python bench/invoice_preview.py [--runs 5]

A throw-away database with a month of approved work (November 2026, Monday to Friday, 12 entries a day over
three clients, about 10 hours a day, so overtime limits bite) and a fixed-fee project with a year of earlier,
invoiced work (1,000 entries). Times `invoice preview` of the month with no overtime limit, with daily and weekly
limits (every entry of the weeks touched is read and counted), and `invoice refresh` of one stored draft.
Prints the fastest and the median run per case, in milliseconds (the fastest is the one least disturbed by other
work on a shared machine).
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
os.environ["TIMETALLY_HOME"] = tempfile.mkdtemp(prefix="timetally-bench-")

from app.core import Core, build_core  # noqa: E402
from app.domain.models import NewEntry  # noqa: E402
from app.domain.periods import Period  # noqa: E402

MONTH = Period(date(2026, 11, 1), date(2026, 11, 30))
CLIENTS = ("Acme", "Birch", "Cedar")


def seed(core: Core) -> int:
    for name in CLIENTS:
        core.projects.add_project(f"{name}/Work")
        core.billing.set_client(name, rate="100")
    core.projects.add_project("Acme/Retainer")
    core.billing.set_project("Acme/Retainer", fixed_fee="5000", budget="400h", overage_rate="110")
    retainer = core.projects.require("Acme/Retainer").id
    history = datetime(2025, 11, 3, 8, tzinfo=UTC)
    for n in range(1000):  # a year of earlier retainer work, already invoiced
        start = history + timedelta(hours=8 * n)
        entry = core.entries.add(NewEntry(start, start + timedelta(minutes=45), "", retainer))
        core.entries.update(entry.id, status="invoiced", locked=True)
    projects = [core.projects.require(f"{name}/Work").id for name in CLIENTS] + [retainer]
    count = 0
    day = MONTH.first
    while day <= MONTH.last:
        if day.weekday() < 5:
            start = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
            for n in range(12):
                entry = core.entries.add(NewEntry(start, start + timedelta(minutes=50), "", projects[n % 4]))
                core.entries.update(entry.id, status="approved", locked=True)
                start += timedelta(minutes=50)
                count += 1
        day += timedelta(days=1)
    return count


def timed(runs: int, work: Callable[[], object]) -> str:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    return f"{min(times):7.1f} / {statistics.median(times):7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    core = build_core()
    try:
        entries = seed(core)
        print(f"{entries} approved entries in {MONTH.first} – {MONTH.last}, 1000 earlier retainer entries; "
              f"Python {platform.python_version()} on {platform.machine()}; fastest / median of {runs} runs")
        core.settings.set("billing.overtime_multiplier", "1.5")
        print(f"preview, no overtime limit:       {timed(runs, lambda: core.billing.preview(MONTH))}")
        core.settings.set("billing.overtime_daily_hours", 8.0)
        core.settings.set("billing.overtime_weekly_hours", 40.0)
        print(f"preview, 8 h/day and 40 h/week:   {timed(runs, lambda: core.billing.preview(MONTH))}")
        number = core.billing.create(MONTH, "Birch")[0].number
        print(f"refresh of one client's draft:    {timed(runs, lambda: core.billing.refresh(number))}")
    finally:
        core.close()


if __name__ == "__main__":
    main()
