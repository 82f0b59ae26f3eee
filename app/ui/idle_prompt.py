"""Decides whether to ask about time away from a running timer, asks, and carries out the answer.

Driven by the capture bridge: the end of an idle stretch, or waking from sleep, is the user coming back. No
question during a declared break (capture paused, or `declare_break`), when a meeting application counted as
active, or when the timer was not running; after more than the set hours away the time is dropped from the
timer without asking, offered in the review instead, and `dropped` carries a notification saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.core import Core
from app.domain.models import Entry
from app.timesheet.idle import Away
from app.ui.capture_bridge import CaptureBridge
from app.ui.events import ChangeBus, Changed, recorded
from app.ui.idle_dialog import ASSIGN, DISCARD, DISCARD_CONTINUE, KEEP, IdleDialog
from app.ui.tasks import TaskRunner
from app.ui.timer_model import label, user_message

DROPPED_TITLE = "Timer stopped while you were away"


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(round(epoch), UTC)


def dropped_message(running: Entry, since: datetime, until: datetime) -> str:
    """What the user is told on coming back after a long absence: which timer stopped, when, and where the time
    went. Local times; the day is named when the absence crossed midnight."""
    start, end = since.astimezone(), until.astimezone()
    shape = "%H:%M" if start.date() == end.date() else "%a %d %b %H:%M"
    minutes = round((until - since).total_seconds() / 60)
    return (f"The timer “{label(running)}” was stopped at {start:{shape}}: you were away until "
            f"{end:{shape}} ({minutes // 60} h {minutes % 60:02d} min), too long to count without asking. "
            "The time away is offered in the review if it was work.")


class IdlePromptController(QObject):
    """Create once on the GUI thread with the bridge of the running watcher; `parent` is the dialogs' parent."""

    prompted = Signal(object)  # the IdleDialog on screen
    resolved = Signal(str)  # what was done: keep, discard, discard-continue, assign, dropped, or skipped:<why>
    dropped = Signal(str, str)  # (title, message) for a notification: a long absence stopped the timer
    failed = Signal(str)

    def __init__(self, core: Core, runner: TaskRunner, bus: ChangeBus, bridge: CaptureBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._core = core
        self._runner = runner
        self._bus = bus
        self._parent = parent
        self._break_until: datetime | None = None
        self.dialog: IdleDialog | None = None
        bridge.idle_ended.connect(self.returned)
        bridge.woke.connect(lambda at, since: self.returned(since, at) if since is not None else None)
        bridge.paused_changed.connect(self.declare_break)

    def declare_break(self, until: datetime | None) -> None:
        """A break (or paused capture) until `until`; None ends it. Time away inside it is never asked about."""
        self._break_until = until

    def on_break(self, at: datetime) -> bool:
        return self._break_until is not None and at <= self._break_until

    def returned(self, since: float, until: float) -> None:
        """The user is back after being idle from `since` to `until` (UTC epoch seconds)."""
        start, end = _at(since), _at(until)
        if self.dialog is not None or end <= start:
            return
        if self.on_break(start):
            self.resolved.emit("skipped:break")
            return
        idle = self._core.idle
        self._runner.read(lambda: idle.away(start, end),
                          lambda away: self._decide(away, start, end), self._fail, owner=self)

    def _decide(self, away: Away, since: datetime, until: datetime) -> None:
        running = away.running
        if running is None or running.start >= until:
            self.resolved.emit("skipped:no timer")
        elif not away.prompt:
            self.resolved.emit("skipped:off")
        elif away.in_meeting:
            self.resolved.emit("skipped:meeting")
        elif (until - since).total_seconds() > away.max_away_hours * 3600:
            idle, message = self._core.idle, dropped_message(running, max(since, running.start), until)
            self._run(lambda: idle.drop(since, until), "dropped", lambda: self.dropped.emit(DROPPED_TITLE, message))
        elif self.dialog is None:
            dialog = IdleDialog(max(since, running.start), until, running, away.projects, self._parent)
            dialog.chosen.connect(lambda action, parts: self._act(action, parts, dialog))
            dialog.finished.connect(lambda _: self._forget(dialog))
            self.dialog = dialog
            dialog.open()
            self.prompted.emit(dialog)

    def _act(self, action: str, parts: object, dialog: IdleDialog) -> None:
        idle, since, until = self._core.idle, dialog.since, dialog.until
        if action == KEEP:
            self.resolved.emit(KEEP)
        elif action in (DISCARD, DISCARD_CONTINUE):
            self._run(lambda: idle.discard(since, continue_timer=action == DISCARD_CONTINUE), action)
        elif action == ASSIGN and isinstance(parts, list):
            self._run(lambda: idle.assign(since, until, parts), ASSIGN)

    def _run(self, fn: Callable[[], object], outcome: str, then: Callable[[], None] | None = None) -> None:
        def done(finished: Changed[object]) -> None:
            self._bus.publish(finished.changes)
            self.resolved.emit(outcome)
            if then is not None:
                then()

        self._runner.write(recorded(fn), done, self._fail, owner=self)

    def _forget(self, dialog: IdleDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _fail(self, error: BaseException) -> None:
        self.failed.emit(user_message(error))
