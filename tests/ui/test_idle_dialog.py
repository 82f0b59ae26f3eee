"""The idle prompt: driven by capture events through the Qt bridge, asking only when it should, and each button
doing what it says to the running timer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from app.capture.events import IdleEnded, PauseChanged
from app.core import Core
from app.domain.models import EntrySource, NewEntry, Span
from app.store.spans import SpanStore
from app.ui.capture_bridge import CaptureBridge
from app.ui.events import ChangeBus
from app.ui.idle_dialog import IdleDialog
from app.ui.idle_prompt import IdlePromptController
from app.ui.notifications import Notifier
from app.ui.tasks import TaskRunner

NOW = datetime.now(UTC).replace(microsecond=0)
START = NOW - timedelta(hours=6)


class FakeWatcher:
    def __init__(self) -> None:
        self.listeners: list[Callable[[object], None]] = []

    def add_listener(self, listener: Callable[[object], None]) -> None:
        self.listeners.append(listener)

    def remove_listener(self, listener: Callable[[object], None]) -> None:
        self.listeners.remove(listener)

    def emit(self, event: object) -> None:
        for listener in self.listeners:
            listener(event)


@pytest.fixture
def watcher() -> FakeWatcher:
    return FakeWatcher()


@pytest.fixture
def prompt(core: Core, runner: TaskRunner, bus: ChangeBus, watcher: FakeWatcher,
           qtbot: QtBot) -> Iterator[IdlePromptController]:
    bridge = CaptureBridge(watcher)
    controller = IdlePromptController(core, runner, bus, bridge)
    yield controller
    qtbot.waitUntil(runner.idle)
    if controller.dialog is not None:
        controller.dialog.close()
    bridge.detach()


def come_back(qtbot: QtBot, watcher: FakeWatcher, prompt: IdlePromptController, since: datetime,
              until: datetime) -> IdleDialog:
    with qtbot.waitSignal(prompt.prompted) as shown:
        watcher.emit(IdleEnded(since.timestamp(), until.timestamp()))
    dialog = shown.args[0]
    assert isinstance(dialog, IdleDialog) and dialog.isModal() and dialog.isVisible()
    return dialog


def start_timer(core: Core, description: str = "Checkout flow") -> int:
    project = core.projects.add_project("Acme Corp/Website")
    return core.entries.add(NewEntry(START, None, description, project.id, source=EntrySource.TIMER)).id


def test_keep_leaves_the_timer_alone_and_the_dialog_says_since_when(core: Core, prompt: IdlePromptController,
                                                                    watcher: FakeWatcher, qtbot: QtBot) -> None:
    entry_id = start_timer(core)
    since = NOW - timedelta(minutes=35)
    dialog = come_back(qtbot, watcher, prompt, since, NOW)
    assert dialog.minutes == 35 and "35 min" in dialog.keep.text()
    assert f"{since.astimezone():%H:%M}" in dialog.discard.text()
    with qtbot.waitSignal(prompt.resolved) as resolved:
        dialog.keep.click()
    assert resolved.args == ["keep"] and core.entries.get(entry_id).running


def test_discard_stops_the_timer_where_the_idle_time_began(core: Core, prompt: IdlePromptController,
                                                           watcher: FakeWatcher, qtbot: QtBot) -> None:
    entry_id = start_timer(core)
    since = NOW - timedelta(minutes=20)
    dialog = come_back(qtbot, watcher, prompt, since, NOW)
    with qtbot.waitSignal(prompt.resolved):
        dialog.discard.click()
    assert core.entries.get(entry_id).end == since and core.entries.running() is None


def test_discard_and_continue_starts_again_from_now(core: Core, prompt: IdlePromptController,
                                                    watcher: FakeWatcher, qtbot: QtBot) -> None:
    entry_id = start_timer(core)
    dialog = come_back(qtbot, watcher, prompt, NOW - timedelta(minutes=20), NOW)
    with qtbot.waitSignal(prompt.resolved):
        dialog.discard_continue.click()
    running = core.entries.running()
    assert core.entries.get(entry_id).end == NOW - timedelta(minutes=20)
    assert running is not None and running.id != entry_id and running.description == "Checkout flow"


def test_assign_splits_the_time_across_projects(core: Core, prompt: IdlePromptController,
                                                watcher: FakeWatcher, qtbot: QtBot) -> None:
    start_timer(core)
    support = core.projects.add_project("Globex/Support")
    internal = core.projects.add_project("Northwind/Internal")
    since = NOW - timedelta(minutes=30)
    dialog = come_back(qtbot, watcher, prompt, since, NOW)
    dialog.assign_toggle.click()
    assert dialog.assign_box.isVisible()
    dialog.add_row()
    first, second = dialog.rows
    first[0].setCurrentIndex(first[0].findData(support.id))
    first[1].setValue(10)
    second[0].setCurrentIndex(second[0].findData(internal.id))
    assert second[1].value() == 20 and not second[1].isEnabled()
    with qtbot.waitSignal(prompt.resolved) as resolved:
        dialog.assign_button.click()
    assert resolved.args == ["assign"]
    pieces = [(e.project_id, e.start, e.end) for e in core.entries.between(since, NOW) if not e.running]
    assert (support.id, since, since + timedelta(minutes=10)) in pieces
    assert (internal.id, since + timedelta(minutes=10), NOW) in pieces
    assert core.entries.running() is not None


def test_long_absence_is_dropped_without_asking_and_offered_in_the_review(
        core: Core, prompt: IdlePromptController, watcher: FakeWatcher, qtbot: QtBot) -> None:
    entry_id = start_timer(core)
    since = NOW - timedelta(hours=5)
    with qtbot.waitSignal(prompt.resolved) as resolved:
        watcher.emit(IdleEnded(since.timestamp(), NOW.timestamp()))
    assert resolved.args == ["dropped"] and prompt.dialog is None
    assert core.entries.get(entry_id).end == since
    offered = core.review.load(core.review.week_of(since.astimezone().date())).proposals
    assert any(p.dropped_id is not None and p.start == since.timestamp() for p in offered)


@pytest.mark.parametrize("situation", ["break", "meeting", "no timer"])
def test_no_prompt_during_a_break_in_a_meeting_or_without_a_timer(
        situation: str, core: Core, prompt: IdlePromptController, watcher: FakeWatcher, qtbot: QtBot) -> None:
    since = NOW - timedelta(minutes=30)
    if situation != "no timer":
        start_timer(core)
    if situation == "break":
        watcher.emit(PauseChanged(NOW + timedelta(hours=1)))
    if situation == "meeting":
        core.settings.set("idle.meetings_active", True)
        SpanStore(core.db).add_many([Span(since.timestamp() - 60, since.timestamp(), "zoom", "Zoom Meeting")])
    with qtbot.waitSignal(prompt.resolved) as resolved:
        watcher.emit(IdleEnded(since.timestamp(), NOW.timestamp()))
    assert resolved.args == [f"skipped:{situation}"] and prompt.dialog is None


def test_a_long_absence_is_told_in_a_notification_and_a_review_line(
        core: Core, prompt: IdlePromptController, watcher: FakeWatcher, qtbot: QtBot, utc_zone: None) -> None:
    project = core.projects.add_project("Acme Corp/Website")
    began = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
    core.entries.add(NewEntry(began, None, "Checkout flow", project.id, source=EntrySource.TIMER))
    since, back = datetime(2026, 11, 18, 9, 12, tzinfo=UTC), datetime(2026, 11, 18, 13, 40, tzinfo=UTC)
    notifier = Notifier()
    prompt.dropped.connect(notifier.show)
    with qtbot.waitSignal(notifier.shown) as shown:
        watcher.emit(IdleEnded(since.timestamp(), back.timestamp()))
    title, message = shown.args
    assert title == "Timer stopped while you were away"
    assert "“Checkout flow - Acme Corp/Website” was stopped at 09:12" in message
    assert "away until 13:40 (4 h 28 min)" in message and "review" in message
    assert notifier.toast is not None and notifier.toast.message.text() == message
    notifier.toast.close()
    offered = [p for p in core.review.load(core.review.week_of(since.date())).proposals if p.dropped_id]
    assert [p.why for p in offered] == ["Timer stopped at 09:12 without asking: away 4 h 28 min while it ran"]
