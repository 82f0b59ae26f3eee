"""Capture storage, side by side with ActivityWatch's own datastore on the same seeded workload.

    .venv/bin/python bench/capture_storage.py            # all scenarios (about two minutes)
    .venv/bin/python bench/capture_storage.py --quick    # 40 h scenarios only

ActivityWatch (`aw-core` from PyPI, its `SqliteStorage` with the heartbeat logic of aw-server) runs in its own
virtualenv, bench/.venv-aw, created on first use. Each side replays identical samples, one heartbeat per second
(window and idle state in one heartbeat on both sides, so spans compare one to one), and reports per-heartbeat
insert latency (p50/p99, commits included), the time to read the whole period back (best of 15; for TimeTally
both a cold read on an empty span cache and a repeated read), and the span count.
The same file runs on both interpreters: the ActivityWatch side imports nothing from TimeTally.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
AW_VENV = HERE / ".venv-aw"
AW_VERSION = "0.5.18"
PULSE = 2.5
START = 1_790_000_000.0
APPS = [("Firefox", "firefox"), ("Code", "code"), ("Slack", "slack"), ("Terminal", "gnome-terminal"),
        ("Thunderbird", "thunderbird"), ("LibreOffice Calc", "soffice")]
READS = 15
SCENARIOS = {"typical-40h": (40, False), "typical-168h": (168, False), "worst-40h": (40, True)}
Sample = tuple[float, str, str, bool]


def workload(hours: int, worst: bool, seed: int = 3) -> Iterator[Sample]:
    """1 Hz samples: windows held for a while (or a new title every second), with idle breaks now and then."""
    rng = random.Random(seed)
    total = hours * 3600
    t = 0
    app, title, hold, idle_left = APPS[0][0], "start", 0, 0
    while t < total:
        if idle_left == 0 and rng.random() < 1 / 2700:  # about one break every 45 minutes
            idle_left = rng.randint(300, 1800)
        if worst:
            app, title = APPS[t % len(APPS)][0], f"Document {t}"
        elif hold <= 0:
            app = rng.choice(APPS)[0]
            title = f"{app} page {rng.randint(1, 400)}"
            hold = int(rng.expovariate(1 / 40)) + 1
        hold -= 1
        yield START + t, app, title, idle_left > 0
        idle_left = max(0, idle_left - 1)
        t += 1


def percentiles(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {"p50_us": ordered[len(ordered) // 2] * 1e6, "p99_us": ordered[int(len(ordered) * 0.99)] * 1e6,
            "mean_us": statistics.fmean(ordered) * 1e6}


def run_timetally(hours: int, worst: bool, folder: Path) -> dict[str, float]:
    sys.path.insert(0, str(HERE.parent))
    from app.capture.heartbeat import Beat, record
    from app.store.db import open_database
    from app.store.spans import SpanStore

    db = open_database(folder / "timetally.db")
    store = SpanStore(db)
    writer = store.writer()
    latencies = []
    clock = time.perf_counter
    for at, app, title, idle in workload(hours, worst):
        began = clock()
        record(writer, Beat(at, app, title, "", idle), PULSE)
        if writer.due():
            writer.flush()
        latencies.append(clock() - began)
    writer.flush()
    end = START + hours * 3600 + 1
    cold, warm = [], []
    for _ in range(READS):
        fresh = SpanStore(db)  # nothing cached: every span is built from its row
        began = clock()
        spans = fresh.between(START, end)
        cold.append(clock() - began)
    for _ in range(READS):
        began = clock()
        store.between(START, end)
        warm.append(clock() - began)
    count = store.count()
    db.close()
    return {**percentiles(latencies), "read_s": min(cold), "warm_read_s": min(warm), "spans": count,
            "read_spans": len(spans)}


def run_activitywatch(hours: int, worst: bool, folder: Path) -> dict[str, float]:
    """aw-server's heartbeat: merge with the cached last event, `replace_last` or `insert`."""
    from datetime import UTC, datetime, timedelta

    from aw_core.models import Event
    from aw_datastore import Datastore
    from aw_datastore.storages import SqliteStorage
    from aw_transform import heartbeat_merge

    ds = Datastore(storage_strategy=SqliteStorage, testing=True, filepath=str(folder / "aw.db"))
    ds.create_bucket("bench_window", "currentwindow", "bench", "bench")
    bucket = ds["bench_window"]
    last: Event | None = None
    latencies = []
    clock = time.perf_counter
    for at, app, title, idle in workload(hours, worst):
        began = clock()
        beat = Event(timestamp=datetime.fromtimestamp(at, UTC), duration=timedelta(0),
                     data={"app": app, "title": title, "afk": idle})
        merged = heartbeat_merge(last, beat, PULSE) if last is not None else None
        if merged is not None:
            bucket.replace_last(merged)
            last = merged
        else:
            bucket.insert(beat)
            last = beat
        latencies.append(clock() - began)
    ds.storage_strategy.commit()
    reads = []
    for _ in range(READS):
        began = clock()
        events = bucket.get(limit=-1, starttime=datetime.fromtimestamp(START, UTC),
                            endtime=datetime.fromtimestamp(START + hours * 3600 + 1, UTC))
        reads.append(clock() - began)
    return {**percentiles(latencies), "read_s": min(reads), "spans": bucket.get_eventcount(),
            "read_spans": len(events)}


def ensure_aw_venv() -> Path:
    python = AW_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {AW_VENV} with aw-core {AW_VERSION} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(AW_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"aw-core=={AW_VERSION}"], check=True)
    return python


def side(name: str, scenario: str) -> None:
    """Run one side of one scenario in this interpreter; print its figures as JSON."""
    hours, worst = SCENARIOS[scenario]
    with tempfile.TemporaryDirectory() as tmp:
        runner = run_timetally if name == "timetally" else run_activitywatch
        print(json.dumps(runner(hours, worst, Path(tmp))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the 40 h scenarios")
    parser.add_argument("--side", choices=["timetally", "activitywatch"], help=argparse.SUPPRESS)
    parser.add_argument("--scenario", choices=list(SCENARIOS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        side(args.side, args.scenario)
        return 0
    aw_python = ensure_aw_venv()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    rows = []
    for scenario in SCENARIOS:
        if args.quick and "168" in scenario:
            continue
        figures = {}
        for name, python in (("timetally", sys.executable), ("activitywatch", str(aw_python))):
            out = subprocess.run([python, __file__, "--side", name, "--scenario", scenario], env=env,
                                 capture_output=True, text=True, check=True)
            figures[name] = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append((scenario, figures["timetally"], figures["activitywatch"]))
    print("| scenario | spans TT / AW | insert p50 µs TT / AW | insert p99 µs TT / AW "
          "| read-back ms TT cold / TT repeat / AW | insert p50 speed-up | read-back speed-up cold / repeat |")
    print("|---|---|---|---|---|---|---|")
    for scenario, tt, aw in rows:
        print(f"| {scenario} | {tt['spans']:,} / {aw['spans']:,} | {tt['p50_us']:.1f} / {aw['p50_us']:.1f} "
              f"| {tt['p99_us']:.1f} / {aw['p99_us']:.1f} "
              f"| {tt['read_s'] * 1e3:.1f} / {tt['warm_read_s'] * 1e3:.1f} / {aw['read_s'] * 1e3:.1f} "
              f"| {aw['p50_us'] / tt['p50_us']:.0f}x "
              f"| {aw['read_s'] / tt['read_s']:.1f}x / {aw['read_s'] / tt['warm_read_s']:.1f}x |")
    same = all(tt["spans"] == aw["spans"] and tt["read_spans"] == aw["read_spans"] for _s, tt, aw in rows)
    print(f"\nidentical span counts: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
