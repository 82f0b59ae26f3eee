"""Capture on a real X server: hostile window properties, a focus schedule, idle, a vanishing display, SIGKILL."""

from __future__ import annotations

import itertools
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.capture.backends.base import MAX_TEXT
from app.capture.backends.x11 import X11Backend
from app.capture.config import CaptureConfig
from app.capture.events import CaptureEvent, IdleEnded, IdleStarted, Status
from app.capture.watcher import Watcher
from app.domain.models import Span
from app.store.db import open_database
from app.store.spans import SpanStore
from tests.desktop import Desktop

pytestmark = pytest.mark.x11


def window(desk: Desktop, name: str) -> int:
    desk.spawn("xmessage", "-name", name, "-title", name, f"{name} window")
    desk.wait_for(lambda: desk.run("xdotool", "search", "--name", f"^{name}$", check=False), what=name)
    return int(desk.run("xdotool", "search", "--name", f"^{name}$").split()[0])


def activate(desk: Desktop, wid: int) -> None:
    desk.run("xdotool", "windowactivate", "--sync", str(wid))


@pytest.fixture
def xlib(desktop: Desktop) -> Iterator[Any]:
    """A second client that sets raw window properties the way a misbehaving application would."""
    from Xlib import display

    conn = display.Display(desktop.display)
    yield conn
    conn.close()


def set_prop(conn: Any, wid: int, name: str, kind: str, value: bytes | list[int]) -> None:
    win = conn.create_resource_object("window", wid)
    fmt = 32 if isinstance(value, list) else 8
    win.change_property(conn.intern_atom(name), conn.intern_atom(kind), fmt, value)
    conn.sync()


def test_hostile_titles_missing_pids_and_vanished_windows(desktop: Desktop, xlib: Any) -> None:
    wid = window(desktop, "probe")
    activate(desktop, wid)
    backend = X11Backend(desktop.display)
    cases = [
        ("Réunion 📅 — مرحبا بالعالم".encode(), "Réunion 📅 — مرحبا بالعالم"),
        (b"tab\there\x01bell\x00after-nul", "tab here bell after-nul"),
        (b"x" * 12_000, "x" * (MAX_TEXT - 1) + "…"),
    ]
    for raw, expected in cases:
        set_prop(xlib, wid, "_NET_WM_NAME", "UTF8_STRING", raw)
        got = backend.active_window()
        assert got is not None and got.title == expected and got.app == "Xmessage"
    set_prop(xlib, wid, "_NET_WM_NAME", "STRING", "café".encode("latin-1"))
    assert backend.active_window().title == "café"  # type: ignore[union-attr]
    xlib.create_resource_object("window", wid).delete_property(xlib.intern_atom("_NET_WM_NAME"))
    set_prop(xlib, wid, "WM_NAME", "STRING", b"")
    xlib.sync()
    untitled = backend.active_window()
    assert untitled is not None and untitled.title == "" and untitled.pid == 0 and untitled.exe == ""
    set_prop(xlib, wid, "_NET_WM_PID", "CARDINAL", [os.getpid()])
    mine = backend.active_window()
    assert mine is not None and mine.pid == os.getpid() and mine.exe
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    other = window(desktop, "other")
    set_prop(xlib, other, "_NET_WM_PID", "CARDINAL", [dead.pid])
    activate(desktop, other)
    gone = backend.active_window()
    assert gone is not None and gone.pid == dead.pid and gone.exe == ""
    set_prop(xlib, xlib.screen().root.id, "_NET_ACTIVE_WINDOW", "WINDOW", [0x3FFFFF1])
    assert backend.active_window() is None  # a window that no longer exists
    set_prop(xlib, xlib.screen().root.id, "_NET_ACTIVE_WINDOW", "WINDOW", [0])
    assert backend.active_window() is None
    assert backend.idle_seconds() is not None
    backend.close()


def _bracket_error(at: float, began: float, ended: float) -> float:
    """How far `at` lies outside the stretch in which xdotool made the change (0 inside it)."""
    return max(0.0, began - at, at - ended)


def test_switches_and_renames_are_recorded_when_they_happen(desktop: Desktop, tmp_path: Path) -> None:
    """A seeded schedule of focus switches and in-place title changes, each timed by the test around the
    xdotool call that makes it (the change happened inside that bracket, however loaded the machine is)."""
    rng = random.Random(2326)
    names = ["Alpha", "Bravo", "Charlie"]
    ids = {n: window(desktop, n) for n in names}
    titles = {n: n for n in names}
    current = "Alpha"
    activate(desktop, ids[current])
    desktop.run("xdotool", "mousemove", "10", "10")  # input now: nobody is idle during the schedule
    env = {**desktop.env, "TIMETALLY_HOME": str(tmp_path / "home")}
    run = subprocess.Popen([sys.executable, "-m", "app", "capture", "run"], env=env,
                           stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert run.stderr is not None and "Capturing" in run.stderr.readline()
    time.sleep(1.5)
    changes: list[tuple[str, float, float]] = []
    for step in range(36):
        if rng.random() < 0.3:
            titles[current] = f"{current} {step}"
            began = time.time()
            desktop.run("xdotool", "set_window", "--name", titles[current], str(ids[current]))
        else:
            current = rng.choice([n for n in names if n != current])
            began = time.time()
            activate(desktop, ids[current])
        changes.append((titles[current], began, time.time()))
        time.sleep(rng.uniform(0.5, 1.6))
    run.send_signal(signal.SIGTERM)  # a clean stop flushes the open batch
    assert run.wait(timeout=30) == 0
    db = open_database(tmp_path / "home" / "timetally.db")
    spans = [s for s in SpanStore(db).between(0, time.time() + 60) if not s.idle]
    db.close()
    assert [s.title for s in spans] == ["Alpha", *[t for t, _b, _e in changes]]  # no visit missing, none extra
    errors = [_bracket_error(span.start, began, ended) for (_t, began, ended), span in zip(changes, spans[1:],
                                                                                          strict=True)]
    assert max(errors) <= 0.1, errors
    for before, after in itertools.pairwise(spans):
        assert after.start == pytest.approx(before.end)
    visits = list(zip(changes, changes[1:], spans[1:-1], strict=False))
    off = sum(_bracket_error(span.seconds, nxt_began - ended, nxt_ended - began)
              for (_t, began, ended), (_n, nxt_began, nxt_ended), span in visits)
    total = changes[-1][1] - changes[0][2]
    assert off / total <= 0.005, (off, total)


def test_idle_starts_at_the_last_input_and_ends_with_new_input(desktop: Desktop, tmp_path: Path) -> None:
    activate(desktop, window(desktop, "Idler"))
    db = open_database(tmp_path / "t.db")
    events: list[CaptureEvent] = []
    watcher = Watcher(SpanStore(db), CaptureConfig(interval=0.2, idle_threshold=2.0),
                      backend_factory=lambda: X11Backend(desktop.display))
    watcher.add_listener(events.append)
    watcher.start()
    try:
        desktop.run("xdotool", "mousemove", "100", "100")
        last_input = time.time()
        desktop.wait_for(lambda: any(isinstance(e, IdleStarted) for e in events), timeout=6, what="idle")
        time.sleep(0.5)
        desktop.run("xdotool", "mousemove", "300", "200")
        back = time.time()
        desktop.wait_for(lambda: any(isinstance(e, IdleEnded) for e in events), timeout=4, what="active again")
        desktop.run("xdotool", "mousemove", "320", "220")  # still here: not idle again before the stop
        time.sleep(0.5)
    finally:
        watcher.stop()
    started = next(e for e in events if isinstance(e, IdleStarted))
    ended = next(e for e in events if isinstance(e, IdleEnded))
    assert abs(started.since - last_input) <= 0.5 and abs(ended.until - back) <= 0.5
    spans = SpanStore(db).between(0, time.time() + 10)
    db.close()
    assert [s.idle for s in spans] == [False, True, False]
    assert abs(spans[1].start - last_input) <= 0.5 and spans[1].seconds >= 2


def _xvfb(number: str | None = None) -> tuple[subprocess.Popen[bytes], str]:
    if number is not None:
        proc = subprocess.Popen(["Xvfb", f":{number}", "-nolisten", "tcp", "+extension", "MIT-SCREEN-SAVER"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return proc, number
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp", "+extension",
                             "MIT-SCREEN-SAVER"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        return proc, pipe.readline().strip()


def test_the_x_server_going_away_pauses_capture_until_it_is_back(tmp_path: Path) -> None:
    server, number = _xvfb()
    db = open_database(tmp_path / "t.db")
    statuses: list[Status] = []
    watcher = Watcher(SpanStore(db), CaptureConfig(interval=0.1),
                      backend_factory=lambda: X11Backend(f":{number}"))
    watcher.add_listener(lambda e: statuses.append(e) if isinstance(e, Status) else None)
    watcher.start()
    restarted = None
    try:
        time.sleep(0.5)
        server.terminate()
        server.wait(timeout=5)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not statuses:
            time.sleep(0.05)
        assert statuses and statuses[0].capturing is False
        restarted, _ = _xvfb(number)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(statuses) < 2:
            time.sleep(0.05)
        assert [s.capturing for s in statuses] == [False, True]
        assert threading.active_count() >= 1
    finally:
        watcher.stop()
        for proc in (server, restarted):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=5)
        db.close()


def test_sigkill_during_capture_loses_at_most_the_open_batch(desktop: Desktop, tmp_path: Path) -> None:
    first, second = window(desktop, "Kilo"), window(desktop, "Lima")
    activate(desktop, first)
    home = tmp_path / "home"
    env = {**desktop.env, "TIMETALLY_HOME": str(home)}
    run = subprocess.Popen([sys.executable, "-m", "app", "capture", "run"], env=env, stderr=subprocess.PIPE,
                           stdout=subprocess.DEVNULL, text=True)
    assert run.stderr is not None and "Capturing" in run.stderr.readline()
    for i in range(11):
        activate(desktop, second if i % 2 else first)
        time.sleep(1.0)
    killed_at = time.time()
    run.send_signal(signal.SIGKILL)
    run.wait()
    with sqlite3.connect(home / "timetally.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db = open_database(home / "timetally.db")
    spans: list[Span] = SpanStore(db).between(0, killed_at + 60)
    db.close()
    assert spans and killed_at - spans[-1].end <= 10 + 1.5
    assert all(s.end >= s.start for s in spans)
    listing = subprocess.run([sys.executable, "-m", "app", "activity", "list", "--json"], env=env,
                             capture_output=True, text=True, timeout=30)
    assert listing.returncode == 0 and '"Kilo"' in listing.stdout


OWN_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
app.setApplicationName("TimeTally")  # as app.ui.application names the running app
label = QLabel("0:12:04")
label.setWindowTitle("TimeTally timer")
label.show()
app.exec()
"""


def test_timetallys_own_windows_are_never_recorded(desktop: Desktop, xlib: Any, tmp_path: Path) -> None:
    """The GUI's windows, seen from another process (a headless watcher), and a window of the watcher's own
    process: neither becomes a span."""
    alpha, mine = window(desktop, "Alpha"), window(desktop, "Mine")
    set_prop(xlib, mine, "_NET_WM_PID", "CARDINAL", [os.getpid()])
    desktop.spawn(sys.executable, "-c", OWN_WINDOW)
    desktop.wait_for(lambda: desktop.run("xdotool", "search", "--name", "^TimeTally timer$", check=False),
                     timeout=30, what="the TimeTally window")
    gui = int(desktop.run("xdotool", "search", "--name", "^TimeTally timer$").split()[0])
    db = open_database(tmp_path / "t.db")
    watcher = Watcher(SpanStore(db), CaptureConfig(interval=0.1), backend_factory=lambda: X11Backend(desktop.display))
    activate(desktop, alpha)
    watcher.start()
    try:
        for wid in (mine, gui, alpha, gui, alpha):
            time.sleep(0.6)
            activate(desktop, wid)
        time.sleep(0.6)
    finally:
        watcher.stop()
    spans = SpanStore(db).between(0, time.time() + 10)
    db.close()
    assert [s.title for s in spans] == ["Alpha", "Alpha", "Alpha"]


def _watcher_threads(before: set[int | None]) -> set[int]:
    return {t.ident for t in threading.enumerate() if t.ident is not None} - {i for i in before if i is not None}


def test_a_title_storm_is_coalesced_on_a_real_server(desktop: Desktop, xlib: Any, tmp_path: Path) -> None:
    """A title rewritten every 2 ms for two seconds (1,000 changes): few spans, little CPU."""
    wid = window(desktop, "Storm")
    activate(desktop, wid)
    db = open_database(tmp_path / "t.db")
    watcher = Watcher(SpanStore(db), CaptureConfig(), backend_factory=lambda: X11Backend(desktop.display))
    before = {t.ident for t in threading.enumerate()}
    watcher.start()
    time.sleep(1.0)
    threads = _watcher_threads(before)
    assert len(threads) == 2  # the watcher and its X event listener
    cpu = sum(time.clock_gettime(time.pthread_getcpuclockid(t)) for t in threads)
    for frame in range(1000):
        set_prop(xlib, wid, "_NET_WM_NAME", "UTF8_STRING", f"Frame {frame}".encode())
        time.sleep(0.002)
    time.sleep(1.5)
    used = sum(time.clock_gettime(time.pthread_getcpuclockid(t)) for t in threads) - cpu
    watcher.stop()
    spans = SpanStore(db).between(0, time.time() + 10)
    db.close()
    assert 2 <= len(spans) <= 60, len(spans)
    assert spans[-1].title == "Frame 999"
    assert used < 1.0, used  # reading 1,000 events and a few dozen windows, not 1,000 windows


def test_a_window_manager_that_does_not_announce_the_active_window_is_polled(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    server, number = _xvfb()  # no window manager: no _NET_ACTIVE_WINDOW
    try:
        backend = X11Backend(f":{number}")
        with caplog.at_level(logging.WARNING):
            assert backend.listen(lambda at: None, lambda why: None) is False
        assert "does not announce the active window" in caplog.text
        assert backend.active_window() is None and backend.idle_seconds() is not None
        backend.close()
    finally:
        server.terminate()
        server.wait(timeout=5)
