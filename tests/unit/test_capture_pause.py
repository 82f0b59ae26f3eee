"""A pause of capture outlives a restart and is shared by every TimeTally process: watcher, CLI and GUI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.capture.config import CaptureConfig
from app.capture.events import CaptureEvent, PauseChanged
from app.capture.pause import PauseStore
from app.capture.watcher import FOREVER, Watcher
from app.cli import main
from app.core import Core, build_watcher
from app.store.db import Database, open_database
from app.store.spans import SpanStore
from tests.unit.test_capture_watcher import T0, Desk


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "t.db")
    yield database
    database.close()


class Clock:
    def __init__(self) -> None:
        self.wall, self.mono = T0, 100.0

    def step(self, watcher: Watcher, count: int = 1) -> None:
        for _ in range(count):
            self.wall += 1.0
            self.mono += 1.0
            watcher.tick()


def watcher_on(db: Database, clock: Clock, events: list[CaptureEvent] | None = None) -> Watcher:
    desk = Desk()
    watcher = Watcher(SpanStore(db), CaptureConfig(), backend_factory=lambda: desk, wall=lambda: clock.wall,
                      mono=lambda: clock.mono, local=lambda _ts: datetime(2026, 11, 16, 10), pauses=PauseStore(db))
    if events is not None:
        watcher.add_listener(events.append)
    watcher.open()
    return watcher


def test_a_pause_survives_a_restart_and_says_so(db: Database) -> None:
    clock = Clock()
    first = watcher_on(db, clock)
    until = datetime.fromtimestamp(T0 + 3600, UTC)
    first.pause(until)
    clock.step(first, 3)
    first.close()
    events: list[CaptureEvent] = []
    second = watcher_on(db, clock, events)
    assert second.paused_until() == until
    assert events == [PauseChanged(until)]
    clock.step(second, 3)
    second.resume()
    clock.step(second, 2)
    second.close()
    third = watcher_on(db, clock)
    assert not third.is_paused()
    assert [(s.start - T0, s.end - T0) for s in SpanStore(db).between(0, T0 * 2)] == [(7, 8)]


def test_a_pause_until_resumed_and_an_expired_one(db: Database) -> None:
    clock = Clock()
    watcher_on(db, clock).pause(None)
    assert watcher_on(db, clock).paused_until() == FOREVER
    watcher_on(db, clock).pause(datetime.fromtimestamp(T0 + 5, UTC))
    clock.wall += 10
    assert not watcher_on(db, clock).is_paused()


def test_a_running_watcher_follows_a_pause_another_process_stored(db: Database) -> None:
    clock = Clock()
    events: list[CaptureEvent] = []
    running = watcher_on(db, clock, events)
    clock.step(running, 2)
    PauseStore(db).write(float("inf"))  # `timetally capture pause` in a terminal
    clock.step(running, 15)
    PauseStore(db).write(None)
    clock.step(running, 15)
    running.close()
    assert [e.paused_until for e in events if isinstance(e, PauseChanged)] == [FOREVER, None]
    spans = [(s.start - T0, s.end - T0) for s in SpanStore(db).between(0, T0 * 2)]
    assert len(spans) == 2 and spans[0][1] <= 12 and spans[1][0] >= 17


def test_cli_pause_status_resume_reach_the_watcher(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["capture", "pause", "--minutes", "30"]) == 0
    assert "Capture is paused until" in capsys.readouterr().out
    assert build_watcher(core).is_paused()
    assert main(["capture", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["paused"] is True and status["until_resumed"] is False and status["paused_until"].endswith("Z")
    assert main(["capture", "pause"]) == 0
    assert build_watcher(core).paused_until() == FOREVER
    assert main(["capture", "status"]) == 0
    assert "until resumed" in capsys.readouterr().out
    assert main(["capture", "resume"]) == 0
    assert not build_watcher(core).is_paused()
    assert main(["capture", "pause", "--until", "2001-01-01T00:00Z"]) == 1
    assert "has passed" in capsys.readouterr().err
    assert main(["settings", "list"]) == 0
    assert "paused_until" not in capsys.readouterr().out
