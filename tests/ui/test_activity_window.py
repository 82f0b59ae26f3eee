"""The Activity window lists today's spans off the GUI thread and deletes the selected ones; the capture bridge
brings watcher events onto the GUI thread."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from app.capture.events import CaptureEvent, IdleStarted, Status
from app.core import Core
from app.domain.models import Span
from app.domain.periods import day_epochs
from app.store.spans import SpanStore
from app.ui.activity_window import ActivityWindow
from app.ui.capture_bridge import CaptureBridge
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner


def seed(core: Core) -> SpanStore:
    store = SpanStore(core.db)
    start, _end = day_epochs(date.today())
    yesterday = start - 3600
    store.add_many([
        Span(yesterday, yesterday + 60, "Old", "yesterday"),
        Span(start + 9 * 3600, start + 9 * 3600 + 600, "Firefox", "Docs 📄 " + "x" * 5000, "/usr/bin/firefox"),
        Span(start + 9 * 3600 + 600, start + 9 * 3600 + 900, "Firefox", "Docs", idle=True),
        Span(start + 10 * 3600, start + 10 * 3600 + 120, "Term", "bash"),
    ])
    return store


def test_lists_todays_spans_and_deletes_the_selected_ones(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                          qtbot: QtBot) -> None:
    store = seed(core)
    window = ActivityWindow(store, runner, bus, notice="You are using a Wayland desktop.")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded) as shown:
        window.show()
    assert shown.args == [3]
    rows = [[window.table.topLevelItem(i).text(c) for c in range(5)] for i in range(3)]  # type: ignore[union-attr]
    assert [r[2] for r in rows] == ["Firefox", "Firefox", "Term"]
    assert rows[0][1] == "0:10:00" and rows[1][4] == "idle" and len(rows[0][3]) <= 300
    assert window.notice.isVisible() and "Wayland" in window.notice.label.text()
    assert "3 spans" in window.summary.text()
    window.table.topLevelItem(0).setSelected(True)  # type: ignore[union-attr]
    window.table.topLevelItem(2).setSelected(True)  # type: ignore[union-attr]
    assert window.delete_button.isEnabled()
    with qtbot.waitSignal(window.loaded) as reloaded:
        window.delete_button.click()
    assert reloaded.args == [1]
    assert [s.title for s in store.between(*day_epochs(date.today()))] == ["Docs"]
    assert store.count() == 2  # yesterday's span is untouched


def test_previous_day_and_an_empty_day(core: Core, runner: TaskRunner, qtbot: QtBot) -> None:
    store = seed(core)
    window = ActivityWindow(store, runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded):
        window.show()
    assert not window.next.isEnabled()
    with qtbot.waitSignal(window.loaded) as shown:
        window.previous.click()
    assert window.day == date.today() - timedelta(days=1) and shown.args == [1]
    with qtbot.waitSignal(window.loaded) as empty:
        window.show_day(date(2001, 1, 1))
    assert empty.args == [0] and "Nothing was captured" in window.summary.text()


def test_a_slow_read_of_a_day_left_behind_does_not_replace_the_day_shown(core: Core, runner: TaskRunner,
                                                                          qtbot: QtBot) -> None:
    seed(core)
    gate = threading.Event()
    yesterday = day_epochs(date.today() - timedelta(days=1))

    class SlowYesterday(SpanStore):
        def between(self, start: float, end: float) -> list[Span]:
            if (start, end) == yesterday:
                gate.wait(10)
            return super().between(start, end)

    window = ActivityWindow(SlowYesterday(core.db), runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded):
        window.show()
    window.previous.click()  # its read waits at the gate
    with qtbot.waitSignal(window.loaded) as shown:
        window.show_day(date.today())
    gate.set()
    qtbot.waitUntil(runner.idle)
    assert shown.args == [3] and window.table.topLevelItemCount() == 3


class FakeWatcher:
    def __init__(self) -> None:
        self.listeners: list[object] = []

    def add_listener(self, listener: object) -> None:
        self.listeners.append(listener)

    def remove_listener(self, listener: object) -> None:
        self.listeners.remove(listener)

    def emit_from_thread(self, event: CaptureEvent) -> None:
        thread = threading.Thread(target=lambda: [f(event) for f in self.listeners])  # type: ignore[operator]
        thread.start()
        thread.join()


def test_bridge_delivers_watcher_events_on_the_gui_thread(qtbot: QtBot) -> None:
    watcher = FakeWatcher()
    bridge = CaptureBridge(watcher)
    threads: list[QThread] = []
    bridge.idle_started.connect(lambda _since: threads.append(QThread.currentThread()))
    with qtbot.waitSignal(bridge.idle_started) as idle:
        watcher.emit_from_thread(IdleStarted(1_800_000_000.0))
    assert idle.args == [1_800_000_000.0] and threads == [QThread.currentThread()]
    with qtbot.waitSignal(bridge.status) as status:
        watcher.emit_from_thread(Status("The desktop connection was lost.", False))
    assert status.args == ["The desktop connection was lost.", False]
    bridge.detach()
    assert watcher.listeners == []
