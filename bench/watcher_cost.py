"""What the watcher costs on a real X server (Xvfb + openbox, started here): event-driven and polling side by side.

    .venv/bin/python bench/watcher_cost.py                 # about three minutes
    .venv/bin/python bench/watcher_cost.py --quiet 60 --switches 100 --away 30 --headless 60

1. Two watchers run at once in this process on the same desktop, each on its own database: one listening to
   X events (as TimeTally runs), one forced to poll once a second (as it did before, and as it still does where
   the window manager announces nothing). The CPU time of each watcher's own threads (the watcher, and the
   event listener) is read per thread from the kernel, over three phases:
   - a quiet desktop: nobody switches windows and the user is not idle yet (CPU per hour);
   - window switches by xdotool every 0.25 s (CPU per switch, beyond the quiet rate);
   - the user away (idle beyond the threshold; CPU per hour).
2. A headless `timetally capture run` as users run it: its whole process's CPU share on a quiet desktop
   (interpreter and thread wake-ups included) and its resident memory.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def thread_cpu(idents: set[int]) -> float:
    """CPU seconds the given threads of this process have used, to the nanosecond (each thread's CPU clock)."""
    return sum(time.clock_gettime(time.pthread_getcpuclockid(ident)) for ident in idents)


@dataclass
class Subject:
    name: str
    watcher: Any
    threads: set[int]
    db: Any

    def cpu(self) -> float:
        return thread_cpu(self.threads)


def start(name: str, desk: Desktop, folder: Path, listen: bool) -> Subject:
    from app.capture.backends.x11 import X11Backend
    from app.capture.config import CaptureConfig
    from app.capture.watcher import Watcher
    from app.store.db import open_database
    from app.store.spans import SpanStore

    class Polling(X11Backend):
        def listen(self, changed: Any, lost: Any) -> bool:
            return False

    backend = X11Backend if listen else Polling
    db = open_database(folder / f"{name}.db")
    watcher = Watcher(SpanStore(db), CaptureConfig(), backend_factory=lambda: backend(desk.display))
    before = {t.ident for t in threading.enumerate()}
    watcher.start()
    time.sleep(1.5)  # the first look opens the display and, when listening, starts the event thread
    return Subject(name, watcher, {t.ident for t in threading.enumerate() if t.ident is not None} - before, db)


Figures = dict[str, dict[str, float]]


def side_by_side(desk: Desktop, ids: list[str], quiet: float, switches: int, away: float) -> Figures:
    from app.capture.config import CaptureConfig
    from app.store.spans import SpanStore

    with tempfile.TemporaryDirectory() as tmp:
        subjects = [start("events", desk, Path(tmp), True), start("polling", desk, Path(tmp), False)]
        desk.run("xdotool", "mousemove", "5", "5")
        out: dict[str, dict[str, float]] = {s.name: {} for s in subjects}

        def phase(seconds: float, action: Any = None) -> dict[str, float]:
            before = {s.name: s.cpu() for s in subjects}
            began = time.monotonic()
            if action is not None:
                action()
            time.sleep(max(0.0, seconds - (time.monotonic() - began)))
            elapsed = time.monotonic() - began
            return {s.name: (s.cpu() - before[s.name]) / elapsed for s in subjects}

        quiet_rate = phase(quiet)

        def switch() -> None:
            for i in range(switches):
                desk.run("xdotool", "windowactivate", ids[i % len(ids)])
                time.sleep(0.25)

        switching = switches * 0.25
        switch_rate = phase(switching, switch)
        desk.run("xdotool", "mousemove", "7", "7")  # the last input: the switches above are kept as work
        for s in subjects:
            s.watcher.reconfigure(CaptureConfig(idle_threshold=1.0))
        time.sleep(2.0)
        away_rate = phase(away)
        for s in subjects:
            s.watcher.stop()
            out[s.name] = {"quiet_ms_per_hour": quiet_rate[s.name] * 3600e3,
                           "quiet_core_pct": quiet_rate[s.name] * 100,
                           "switch_ms": (switch_rate[s.name] - quiet_rate[s.name]) * switching / switches * 1e3,
                           "away_ms_per_hour": away_rate[s.name] * 3600e3,
                           "away_core_pct": away_rate[s.name] * 100,
                           "spans": SpanStore(s.db).count()}
            s.db.close()
    return out


def headless(desk: Desktop, seconds: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**desk.env, "TIMETALLY_HOME": tmp}
        run = subprocess.Popen([sys.executable, "-m", "app", "capture", "run"], env=env, cwd=ROOT,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        assert run.stderr is not None and "Capturing" in run.stderr.readline()
        proc = psutil.Process(run.pid)
        time.sleep(3.0)  # let start-up (imports, migrations) finish before measuring
        desk.run("xdotool", "mousemove", "9", "9")
        before, started = proc.cpu_times(), time.monotonic()
        time.sleep(seconds)
        after, elapsed = proc.cpu_times(), time.monotonic() - started
        rss = proc.memory_info().rss
        run.terminate()
        run.wait(timeout=20)
    cpu = (after.user + after.system) - (before.user + before.system)
    return {"core_share_pct": cpu / elapsed * 100, "rss_mb": rss / 2**20}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet", type=float, default=60.0, help="seconds of a quiet desktop")
    parser.add_argument("--switches", type=int, default=120, help="window switches, one every 0.25 s")
    parser.add_argument("--away", type=float, default=40.0, help="seconds with the user away")
    parser.add_argument("--headless", type=float, default=60.0, help="seconds of a headless capture run")
    args = parser.parse_args()
    with x_desktop() as desk:
        ids = windows(desk)
        both = side_by_side(desk, ids, args.quiet, args.switches, args.away)
        cli = headless(desk, args.headless)
    print(f"{'watcher threads':<16} {'quiet desktop':>24} {'per switch':>12} {'user away':>24} {'spans':>6}")
    for name, r in both.items():
        print(f"{name:<16} {r['quiet_ms_per_hour']:>8.1f} ms/h ({r['quiet_core_pct']:.4f} %) "
              f"{r['switch_ms']:>9.3f} ms {r['away_ms_per_hour']:>8.1f} ms/h ({r['away_core_pct']:.4f} %) "
              f"{r['spans']:>6.0f}")
    print(f"quiet {args.quiet:.0f} s, {args.switches} switches, away {args.away:.0f} s; % is of one core")
    print(f"headless `capture run` (event-driven) over {args.headless:.0f} s of a quiet desktop: "
          f"{cli['core_share_pct']:.4f} % of one core for the whole process, RSS {cli['rss_mb']:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
