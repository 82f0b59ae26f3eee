"""The watcher following a backend's change events, with fake clocks: switches at their announced time, little
reading between them, idle backdated as when polling, storms coalesced, polling again when events stop."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.capture.backends.base import Changed, Lost, Window
from app.capture.cadence import AUDIT_SECONDS, HEARTBEAT_SECONDS, IDLE_POLL_SECONDS
from app.capture.config import CaptureConfig
from app.capture.events import IdleEnded, IdleStarted
from app.store.db import Database, open_database
from tests.unit.test_capture_watcher import T0, Desk, Rig


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "t.db")
    yield database
    database.close()


class ListeningDesk(Desk):
    """A desktop that announces changes; counts how often it is read."""

    def __init__(self) -> None:
        super().__init__()
        self.changed: Changed | None = None
        self.lost: Lost | None = None
        self.window_reads = 0
        self.idle_reads = 0

    def listen(self, changed: Changed, lost: Lost) -> bool:
        self.changed, self.lost = changed, lost
        return True

    def active_window(self) -> Window | None:
        self.window_reads += 1
        return super().active_window()

    def idle_seconds(self) -> float | None:
        self.idle_reads += 1
        return super().idle_seconds()


class EventRig(Rig):
    def __init__(self, db: Database, config: CaptureConfig) -> None:
        super().__init__(db, config)
        self.desk = ListeningDesk()

    def switch(self, window: Window | None, after: float) -> float:
        """The desktop changes `after` seconds past the current time and says so; returns that time."""
        assert self.desk.changed is not None
        self.desk.window = window
        at = self.wall + after
        self.desk.changed(at)
        return at


@pytest.fixture
def rig(db: Database) -> EventRig:
    rig = EventRig(db, CaptureConfig(idle_threshold=60))
    rig.step()
    return rig


def test_a_switch_is_stored_at_the_time_the_desktop_announced(rig: EventRig) -> None:
    rig.step(seconds=HEARTBEAT_SECONDS, count=2)  # 1 .. 11
    rig.wall, rig.mono = rig.wall + 0.337, rig.mono + 0.337
    at = rig.switch(Window("Editor", "b.py"), after=0.0)
    rig.step(seconds=0.1)  # the burst settled: the window is read once
    rig.step(seconds=HEARTBEAT_SECONDS, count=2)
    spans = [(round(start, 3), round(end, 3), title) for start, end, title, _idle in rig.spans()]
    assert spans == [(1, 11.337, "a.py"), (11.337, 21.437, "b.py")] and at - T0 == pytest.approx(11.337)


def test_between_changes_the_desktop_is_hardly_read(rig: EventRig) -> None:
    rig.desk.idle = 0.0
    reads = rig.desk.window_reads, rig.desk.idle_reads
    rig.step(seconds=HEARTBEAT_SECONDS, count=int(600 / HEARTBEAT_SECONDS))  # ten quiet minutes, with input
    windows, idles = rig.desk.window_reads - reads[0], rig.desk.idle_reads - reads[1]
    assert windows == 600 / AUDIT_SECONDS  # the once-a-minute check for a missed event
    assert idles == 600 / 60  # at each moment the 60 s threshold could have been crossed
    assert rig.spans() == [(1, 601, "a.py", False)]


def test_idle_is_backdated_to_the_last_input_while_listening(rig: EventRig) -> None:
    rig.step(seconds=HEARTBEAT_SECONDS, count=14, idle_grows=True)  # no input after the first look, at t=1
    assert [e.since - T0 for e in rig.events if isinstance(e, IdleStarted)] == [1]
    rig.desk.idle = 0.2
    rig.step(seconds=IDLE_POLL_SECONDS)  # while away, idle is read every few seconds: the return is seen soon
    back = round(71 + IDLE_POLL_SECONDS - 0.2, 1)
    assert [(e.since - T0, round(e.until - T0, 1)) for e in rig.events if isinstance(e, IdleEnded)] == [(1, back)]


def test_a_switch_storm_is_coalesced_so_reads_and_spans_stay_bounded(rig: EventRig) -> None:
    reads = rig.desk.window_reads
    for i in range(2000):  # 2000 switches in 10 s: a title changing every 5 ms
        rig.switch(Window("Game", f"frame {i}"), after=0.0)
        rig.step(seconds=0.005)
    assert rig.desk.window_reads - reads <= 20
    assert len(rig.spans()) <= 20
    rig.step(seconds=3.0)
    rig.switch(Window("Editor", "calm"), after=0.0)  # a quiet spell: the next change is read promptly again
    rig.step(seconds=0.06)
    assert rig.spans()[-1][2] == "calm"


def test_when_events_stop_the_watcher_polls_and_says_so_in_the_log(rig: EventRig,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    assert rig.desk.lost is not None
    with caplog.at_level(logging.WARNING, logger="app.capture.watcher"):
        rig.desk.lost("the X connection for events closed")
        rig.step()
    reads = rig.desk.window_reads
    rig.desk.window = Window("Editor", "b.py")  # no event: found by polling
    rig.step(count=3)
    assert rig.desk.window_reads - reads == 3
    assert "polling every 1 s instead" in caplog.text
    assert [t for _s, _e, t, _i in rig.spans()] == ["a.py", "b.py"]


def test_a_rig_without_listening_polls_every_interval(db: Database) -> None:
    rig = Rig(db, CaptureConfig())
    rig.step(count=3)
    assert rig.spans() == [(1, 3, "a.py", False)]


def test_x_server_times_map_to_wall_time_across_the_32_bit_wrap() -> None:
    from app.capture.backends.x11_events import ServerClock

    now = [T0]
    clock = ServerClock(wall=lambda: now[0])
    assert clock.wall(123) == T0  # nothing learnt yet: the time it is heard
    clock.learn(2**32 - 500, T0 - 0.002, T0)  # stamped 500 ms before the server's clock wraps
    now[0] = T0 + 2.0
    assert clock.wall(1_000) == pytest.approx(T0 - 0.001 + 1.5)  # 1.5 s later, after the wrap
    assert clock.wall(2**32 - 1_500) == pytest.approx(T0 - 1.001)
    assert clock.wall(5_000_000) == T0 + 2.0  # far outside the last half minute: taken as now
    assert clock.wall(0) == T0 + 2.0  # CurrentTime


def test_a_late_event_never_pulls_the_next_switch_back(rig: EventRig) -> None:
    """A window manager announced the switch to b.py twice; the second event arrives with the next switch."""
    rig.step(seconds=2.0)  # 1 .. 3
    first = rig.switch(Window("Editor", "b.py"), after=0.0)
    rig.step(seconds=0.06)  # b.py read at 3.06
    rig.step(seconds=1.2)
    assert rig.desk.changed is not None
    rig.desk.changed(first + 0.001)  # stamped before that read, delivered 1.2 s late
    second = rig.switch(Window("Editor", "c.py"), after=0.0)
    rig.step(seconds=0.06)
    spans = [(round(start, 3), title) for start, _end, title, _idle in rig.spans()]
    assert spans == [(1, "a.py"), (round(first - T0, 3), "b.py"), (round(second - T0, 3), "c.py")]


def test_changes_while_paused_are_not_kept_and_the_window_is_read_afresh_after(rig: EventRig) -> None:
    rig.step(seconds=2.0)  # 1 .. 3
    rig.watcher.pause(None)
    rig.step()
    rig.switch(Window("Editor", "private.py"), after=0.0)  # while paused: nothing to keep, nothing to wait for
    rig.step(seconds=0.1)
    assert rig.watcher._next_tick(rig.mono, rig.mono) == rig.mono + HEARTBEAT_SECONDS  # no busy wake-ups
    rig.desk.window = Window("Editor", "c.py")  # switched again, unannounced, before the resume
    rig.watcher.resume()
    rig.step()
    assert [(round(s), title) for s, _e, title, _i in rig.spans()] == [(1, "a.py"), (5, "c.py")]
