"""The watcher driven poll by poll with a fake desktop and fake clocks: no thread, no waiting."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.capture.backends.base import Backend, BackendLost, Window
from app.capture.config import CaptureConfig
from app.capture.events import CaptureEvent, ClockJumped, IdleEnded, IdleStarted, PauseChanged, Sleeping, Status, Woke
from app.capture.own_windows import OwnWindows
from app.capture.privacy import Privacy
from app.capture.schedule import TrackingHours
from app.capture.watcher import FOREVER, Watcher
from app.domain.models import Span
from app.store.db import Database, open_database
from app.store.spans import SpanStore

T0 = 1_800_000_000.0


class Desk(Backend):
    """A desktop whose focused window and idle counter the test sets."""

    name = "fake"

    def __init__(self) -> None:
        self.window: Window | None = Window("Editor", "a.py", "/usr/bin/editor", 42)
        self.idle = 0.0
        self.gone = False

    def active_window(self) -> Window | None:
        if self.gone:
            raise BackendLost("display closed")
        return self.window

    def idle_seconds(self) -> float | None:
        return self.idle


class Rig:
    """A watcher on a real database with clocks the test moves."""

    def __init__(self, db: Database, config: CaptureConfig, local_hour: int = 10) -> None:
        self.wall = T0
        self.mono = 100.0
        self.desk = Desk()
        self.events: list[CaptureEvent] = []
        self.store = SpanStore(db)
        self.factory_calls = 0
        self.watcher = Watcher(self.store, config, backend_factory=self._factory, wall=lambda: self.wall,
                               mono=lambda: self.mono, local=lambda _ts: datetime(2026, 11, 16, local_hour))
        self.watcher.add_listener(self.events.append)
        self.watcher.open()

    def _factory(self) -> Backend:
        self.factory_calls += 1
        if self.desk.gone:
            raise BackendLost("no display")
        return self.desk

    def step(self, seconds: float = 1.0, count: int = 1, idle_grows: bool = False) -> None:
        for _ in range(count):
            self.wall += seconds
            self.mono += seconds
            if idle_grows:
                self.desk.idle += seconds
            self.watcher.tick()

    def spans(self) -> list[tuple[float, float, str, bool]]:
        self.watcher.close()
        self.watcher.open()
        return [(s.start - T0, s.end - T0, s.title, s.idle) for s in self.store.between(0, T0 * 2)]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "t.db")
    yield database
    database.close()


@pytest.fixture
def rig(db: Database) -> Rig:
    return Rig(db, CaptureConfig(idle_threshold=60))


def test_polls_become_spans_and_a_switch_meets_halfway(rig: Rig) -> None:
    rig.step(count=5)
    rig.desk.window = Window("Editor", "b.py")
    rig.step(count=3)
    assert rig.spans() == [(1, 5.5, "a.py", False), (5.5, 8, "b.py", False)]


def test_idle_starts_at_the_last_input_and_ends_at_the_next(rig: Rig) -> None:
    rig.step(count=10)  # active 1..10
    rig.step(count=70, idle_grows=True)  # no input from t=10; threshold 60 s crossed at t=70
    idle = [e for e in rig.events if isinstance(e, IdleStarted)]
    assert [e.since - T0 for e in idle] == [10]
    rig.desk.idle = 0.4
    rig.step()
    ended = [e for e in rig.events if isinstance(e, IdleEnded)]
    assert [(e.since - T0, round(e.until - T0, 3)) for e in ended] == [(10, 80.6)]
    assert rig.spans() == [(1, 10, "a.py", False), (10, 80.5, "a.py", True), (80.5, 81, "a.py", False)]


def test_idle_never_reaches_back_before_capture_started(rig: Rig) -> None:
    rig.desk.idle = 3600.0
    rig.step(count=3, idle_grows=True)
    assert [e.since - T0 for e in rig.events if isinstance(e, IdleStarted)] == [1]
    assert rig.spans() == [(1, 3, "a.py", True)]


def test_a_lock_counts_as_idle_from_the_lock(rig: Rig) -> None:
    rig.step(count=5)
    rig.watcher.notify_lock(True)
    rig.desk.window = None
    rig.step(count=5)
    rig.watcher.notify_lock(False)
    rig.desk.window = Window("Editor", "a.py")
    rig.step(count=2)
    assert [type(e) for e in rig.events] == [IdleStarted, IdleEnded]
    assert rig.spans() == [(1, 5, "a.py", False), (6, 10.5, "", True), (10.5, 12, "a.py", False)]


def test_sleep_and_resume_split_spans_and_are_announced(rig: Rig) -> None:
    rig.step(count=3)
    rig.watcher.notify_sleep(True)
    rig.step()
    rig.wall += 3600  # suspended: the wall clock moves, the monotonic clock does not
    rig.watcher.notify_sleep(False)
    rig.step()
    rig.step()
    kinds = [type(e) for e in rig.events]
    assert kinds == [Sleeping, ClockJumped, Woke]
    assert rig.spans() == [(1, 3, "a.py", False), (3605, 3606, "a.py", False)]


def test_a_missed_suspend_is_caught_by_the_wall_clock(rig: Rig) -> None:
    rig.step(count=3)
    rig.wall += 1800
    rig.step(count=2)
    assert [type(e) for e in rig.events] == [ClockJumped, Woke]
    assert rig.spans() == [(1, 3, "a.py", False), (1804, 1805, "a.py", False)]


def test_clock_jumps_never_give_negative_or_inflated_spans(rig: Rig) -> None:
    rig.step(count=3)
    rig.wall -= 600  # set back ten minutes
    rig.step(count=3)
    rig.wall += 7200  # then two hours forward
    rig.step(count=2)
    spans = rig.spans()
    assert all(end >= start for start, end, _t, _i in spans)
    assert max(end - start for start, end, _t, _i in spans) <= 2
    assert len([e for e in rig.events if isinstance(e, ClockJumped)]) == 2


def test_a_stalled_loop_does_not_count_the_gap_as_activity(rig: Rig) -> None:
    rig.step(count=3)
    rig.step(seconds=20)
    rig.step()
    assert rig.spans() == [(1, 3, "a.py", False), (23, 24, "a.py", False)]


def test_pause_until_a_time_and_until_resumed(rig: Rig) -> None:
    rig.step(count=2)
    until = datetime.fromtimestamp(rig.wall + 5, UTC)
    rig.watcher.pause(until)
    assert rig.watcher.is_paused() and rig.watcher.paused_until() == until
    rig.step(count=7)
    assert not rig.watcher.is_paused()
    rig.watcher.pause(None)
    assert rig.watcher.paused_until() == FOREVER
    rig.step(count=3)
    rig.watcher.resume()
    rig.step(count=2)
    pauses = [e.paused_until for e in rig.events if isinstance(e, PauseChanged)]
    assert pauses == [until, None, FOREVER, None]
    assert rig.spans() == [(1, 2, "a.py", False), (7, 9, "a.py", False), (13, 14, "a.py", False)]


def test_outside_tracking_hours_nothing_is_recorded(db: Database) -> None:
    config = CaptureConfig(hours=TrackingHours(["Mon-Fri 08:00-09:00"]))
    outside = Rig(db, config, local_hour=10)
    outside.step(count=3)
    assert outside.spans() == []
    inside = Rig(db, config, local_hour=8)  # the same Monday, inside the hours
    inside.step(count=3)
    assert inside.spans() == [(1, 3, "a.py", False)]


def test_excluded_windows_are_never_stored_and_break_the_span(db: Database) -> None:
    rig = Rig(db, CaptureConfig(privacy=Privacy.from_lists(exclude_titles=["secret"])))
    rig.step(count=2)
    rig.desk.window = Window("Editor", "secret plans")
    rig.step()
    rig.desk.window = Window("Editor", "(4) a.py")
    rig.step(count=2)
    assert rig.spans() == [(1, 2, "a.py", False), (4, 5, "a.py", False)]


def test_the_display_going_away_pauses_capture_and_it_recovers(rig: Rig) -> None:
    rig.step(count=2)
    rig.desk.gone = True
    rig.step(count=10)
    assert rig.factory_calls < 8  # retries back off
    rig.desk.gone = False
    rig.step(seconds=1, count=20)
    statuses = [(e.capturing, e.message) for e in rig.events if isinstance(e, Status)]
    assert [c for c, _m in statuses] == [False, True]
    spans = rig.spans()
    assert spans[0] == (1, 2, "a.py", False) and spans[1][0] > 12 and len(spans) == 2


def test_a_failing_listener_never_stops_capture(rig: Rig) -> None:
    def broken(_event: CaptureEvent) -> None:
        raise RuntimeError("listener bug")

    rig.watcher.add_listener(broken)
    rig.watcher.notify_lock(True)
    rig.step(count=2)
    assert rig.spans() == [(1, 2, "a.py", True)]


def test_retention_purges_old_spans(db: Database) -> None:
    SpanStore(db).add_many([Span(T0 - 40 * 86400, T0 - 40 * 86400 + 5, "Old", "x")])
    rig = Rig(db, CaptureConfig(retention_days=30))
    rig.step()
    assert [t for _s, _e, t, _i in rig.spans()] == ["a.py"]


def test_the_thread_runs_and_flushes_on_stop(db: Database) -> None:
    desk = Desk()
    watcher = Watcher(SpanStore(db), CaptureConfig(interval=0.05), backend_factory=lambda: desk)
    watcher.start()
    time.sleep(0.4)
    watcher.stop()
    spans = SpanStore(db).between(0, T0 * 2)
    assert len(spans) == 1 and spans[0].seconds > 0.2


@pytest.mark.parametrize("unrecorded", ["nothing focused", "excluded", "private"])
def test_idle_starts_at_the_last_input_when_the_window_is_not_recorded(db: Database, unrecorded: str) -> None:
    rig = Rig(db, CaptureConfig(idle_threshold=60, privacy=Privacy.from_lists(exclude_titles=["secret"])))
    rig.desk.window = {"nothing focused": None, "excluded": Window("Editor", "secret plans"),
                       "private": Window("Firefox", "Mozilla Firefox Private Browsing", "/usr/bin/firefox")}[unrecorded]
    rig.step(count=10)  # active but not recorded, 1..10
    rig.step(count=70, idle_grows=True)  # no input from t=10; the threshold is crossed at t=70
    assert [e.since - T0 for e in rig.events if isinstance(e, IdleStarted)] == [10]
    rig.desk.idle = 0.0
    rig.step()
    assert [(e.since - T0, e.until - T0) for e in rig.events if isinstance(e, IdleEnded)] == [(10, 81)]
    assert rig.spans() == [(10, 80, "", True)]


def test_idle_starts_at_the_last_input_when_only_idle_is_known(db: Database) -> None:
    """A Wayland desktop: no window ever, idle from the session's monitor."""
    rig = Rig(db, CaptureConfig(idle_threshold=60))
    rig.desk.window = None
    rig.step(count=5)
    rig.step(count=65, idle_grows=True)
    assert [e.since - T0 for e in rig.events if isinstance(e, IdleStarted)] == [5]


def test_idle_never_reaches_back_into_a_pause(rig: Rig) -> None:
    rig.watcher.pause(None)
    rig.step(count=5, idle_grows=True)
    rig.watcher.resume()
    rig.step(count=60, idle_grows=True)
    assert [e.since - T0 for e in rig.events if isinstance(e, IdleStarted)] == [6]


@pytest.mark.parametrize("own", [Window("python3", "Timer", "/usr/bin/python3", 0), Window("TimeTally", "Review", "")])
def test_timetallys_own_windows_are_never_recorded(rig: Rig, own: Window) -> None:
    if own.pid == 0:
        own = Window(own.app, own.title, own.exe, os.getpid())
    rig.step(count=2)
    rig.desk.window = own
    rig.step(count=3)
    rig.desk.window = Window("Editor", "a.py")
    rig.step(count=2)
    assert rig.spans() == [(1, 2, "a.py", False), (6, 7, "a.py", False)]


def test_a_bundled_timetally_is_recognised_by_its_executable(tmp_path: Path) -> None:
    exe = tmp_path / "timetally-bin"
    exe.write_text("")
    (tmp_path / "link").symlink_to(exe)
    own = OwnWindows(exes=frozenset({str(exe)}))
    assert own.matches(Window("tt", "Timer", str(tmp_path / "link"), 7))
    assert not own.matches(Window("python3", "Timer", "/usr/bin/python3", 7))
