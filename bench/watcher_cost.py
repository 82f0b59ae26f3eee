"""What the watcher costs on a real X server (Xvfb + openbox, started here).

    .venv/bin/python bench/watcher_cost.py              # about two and a half minutes
    .venv/bin/python bench/watcher_cost.py --seconds 60

1. CPU time per poll, in process: the watcher's `tick()` with the real X11 probes and the real database,
   window focus and titles changing, clocks advancing one second per poll so batching happens as at 1 Hz.
2. A headless `timetally capture run` as users run it: CPU seconds it uses per poll once started (interpreter
   and thread wake-ups included) and its resident memory, beside a process that only builds the shared core.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.desktop import Desktop, x_desktop  # noqa: E402


def windows(desk: Desktop, count: int = 3) -> list[str]:
    ids = []
    for i in range(count):
        name = f"Bench {i}"
        desk.spawn("xmessage", "-name", f"bench{i}", "-title", name, name)
        desk.wait_for(lambda n=name: desk.run("xdotool", "search", "--name", f"^{n}$", check=False), what=name)
        ids.append(desk.run("xdotool", "search", "--name", f"^{name}$").split()[0])
    return ids


def per_poll(desk: Desktop, ids: list[str], polls: int) -> dict[str, float]:
    from app.capture.backends.x11 import X11Backend
    from app.capture.config import CaptureConfig
    from app.capture.watcher import Watcher
    from app.store.db import open_database
    from app.store.spans import SpanStore

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db")
        clock = {"wall": time.time(), "mono": 0.0}
        watcher = Watcher(SpanStore(db), CaptureConfig(), backend_factory=lambda: X11Backend(desk.display),
                          wall=lambda: clock["wall"], mono=lambda: clock["mono"])
        watcher.open()
        costs = []
        for i in range(polls):
            if i % 20 == 0:
                desk.run("xdotool", "windowactivate", "--sync", ids[(i // 20) % len(ids)])
            if i % 7 == 0:
                desk.run("xdotool", "set_window", "--name", f"Bench title {i}", ids[(i // 20) % len(ids)])
            clock["wall"] += 1.0
            clock["mono"] += 1.0
            began = time.thread_time()
            watcher.tick()
            costs.append(time.thread_time() - began)
        watcher.close()
        spans = SpanStore(db).count()
        db.close()
    ordered = sorted(costs)
    return {"mean_ms": statistics.fmean(costs) * 1e3, "p50_ms": ordered[len(ordered) // 2] * 1e3,
            "p99_ms": ordered[int(len(ordered) * 0.99)] * 1e3, "spans": spans}


def headless(desk: Desktop, ids: list[str], seconds: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**desk.env, "TIMETALLY_HOME": tmp}
        run = subprocess.Popen([sys.executable, "-m", "app", "capture", "run"], env=env, cwd=ROOT,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        assert run.stderr is not None and "Capturing" in run.stderr.readline()
        proc = psutil.Process(run.pid)
        time.sleep(3.0)  # let start-up (imports, migrations) finish before measuring
        before, started = proc.cpu_times(), time.monotonic()
        i = 0
        while time.monotonic() - started < seconds:
            desk.run("xdotool", "windowactivate", ids[i % len(ids)])
            i += 1
            time.sleep(5.0)
        after, elapsed = proc.cpu_times(), time.monotonic() - started
        rss = proc.memory_info().rss
        run.terminate()
        run.wait(timeout=20)
        baseline = subprocess.run(
            [sys.executable, "-c", "import psutil; from app.core import build_core; build_core(); "
             "print(psutil.Process().memory_info().rss)"],
            env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    cpu = (after.user + after.system) - (before.user + before.system)
    return {"cpu_per_poll_ms": cpu / elapsed * 1e3, "core_share_pct": cpu / elapsed * 100, "rss_mb": rss / 2**20,
            "core_rss_mb": int(baseline.stdout.strip().splitlines()[-1]) / 2**20}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polls", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    with x_desktop() as desk:
        ids = windows(desk)
        inproc = per_poll(desk, ids, args.polls)
        cli = headless(desk, ids, args.seconds)
    print(f"tick() CPU per poll over {args.polls} polls (X11 probes + privacy + merging + batched SQLite): "
          f"mean {inproc['mean_ms']:.3f} ms, p50 {inproc['p50_ms']:.3f} ms, p99 {inproc['p99_ms']:.3f} ms "
          f"({inproc['spans']:.0f} spans)")
    print(f"headless `capture run` over {args.seconds:.0f} s at 1 Hz: {cli['cpu_per_poll_ms']:.3f} ms CPU per poll "
          f"({cli['core_share_pct']:.3f} % of one core), RSS {cli['rss_mb']:.1f} MiB, of which "
          f"{cli['core_rss_mb']:.1f} MiB is the shared core every `timetally` process loads (`build_core()` alone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
