"""A killed process never loses the timer nor damages the database."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest


def timetally(home: Path, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIMETALLY_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "app", *argv], env=env, capture_output=True, text=True, timeout=60, check=check
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_sigkill_during_cli_writes_never_corrupts_or_duplicates(home: Path) -> None:
    timetally(home, "projects", "add", "Acme/Web")
    env = {**os.environ, "TIMETALLY_HOME": str(home)}
    rng = random.Random(7)
    for i in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "timer", "start", "--project", "Acme/Web", "--description", f"run {i}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with sqlite3.connect(home / "timetally.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM time_entry WHERE end_utc IS NULL").fetchone()[0] <= 1
    assert timetally(home, "timer", "status", "--json").returncode == 0


def test_timer_started_from_cli_survives_a_killed_app_and_can_stop_at_last_alive(home: Path) -> None:
    timetally(home, "projects", "add", "Acme/Web")
    timetally(home, "timer", "start", "--project", "Acme/Web", "--description", "Survivor")
    with sqlite3.connect(home / "timetally.db") as conn:  # started two minutes ago: more than a minute to keep
        conn.execute("UPDATE time_entry SET start_utc = strftime('%Y-%m-%d %H:%M:%S.000000', start_utc, "
                     "'-2 minutes')")
    before = json.loads(timetally(home, "timer", "status", "--json").stdout)

    env = {**os.environ, "TIMETALLY_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen([sys.executable, "-m", "app"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    with sqlite3.connect(home / "timetally.db") as conn:
        while not conn.execute("SELECT count(*) FROM app_run WHERE pid = ?", (app.pid,)).fetchone()[0]:
            assert time.monotonic() < deadline, "the app never recorded that it started"
            assert app.poll() is None, "the app exited on its own"
            time.sleep(0.1)
    app.send_signal(signal.SIGKILL)
    app.wait()

    after = json.loads(timetally(home, "timer", "status", "--json").stdout)
    assert after["running"] is True
    assert (after["id"], after["start"], after["description"]) == (before["id"], before["start"], "Survivor")
    assert after["unclean_exit"] is not None
    assert "stopped unexpectedly" in timetally(home, "timer", "status").stderr

    stopped = timetally(home, "timer", "stop", "--at-last-alive")
    assert stopped.returncode == 0, stopped.stderr
    assert stopped.stdout.startswith("Stopped: ")
    final = json.loads(timetally(home, "entries", "list", "--json").stdout)
    entry = next(e for e in final if e["id"] == before["id"])
    assert entry["end"] == after["unclean_exit"]["last_alive"]
    assert json.loads(timetally(home, "timer", "status", "--json").stdout)["unclean_exit"] is None
