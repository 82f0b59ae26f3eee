"""Reminders and notifications: the policy on a fake clock, the tray or fallback display, the checks on real data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from app.core import Core
from app.desktop.reminders import Activity, ReminderConfig, ReminderPolicy, human_duration
from app.domain.timefmt import utcnow
from app.ui import notifications
from app.ui.notifications import Notifier, Reminders
from app.ui.tasks import TaskRunner

MONDAY_10 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
ANY_TIME = ReminderConfig(hours=(), idle_minutes=30, long_running_hours=8.0)
NOTHING = Activity()


def _at(minutes: float) -> datetime:
    return MONDAY_10 + timedelta(minutes=minutes)


def _check(
    policy: ReminderPolicy, minutes: float, config: ReminderConfig = ANY_TIME, activity: Activity = NOTHING
) -> str | None:
    """The policy at MONDAY_10 + minutes, local time taken as UTC."""
    now = _at(minutes)
    reminder = policy.check(now, now, config, activity)
    return reminder.title if reminder else None


def test_untracked_time_is_reminded_after_n_minutes_and_then_every_n_minutes() -> None:
    policy = ReminderPolicy(started=MONDAY_10)

    assert _check(policy, 29) is None
    assert _check(policy, 30) == "Not tracking time"
    assert _check(policy, 45) is None
    assert _check(policy, 60) == "Not tracking time"


def test_recent_work_or_a_running_timer_counts_as_tracking() -> None:
    policy = ReminderPolicy(started=MONDAY_10)
    worked = Activity(last_tracked=_at(20))

    assert _check(policy, 40, activity=worked) is None
    assert _check(policy, 50, activity=worked) == "Not tracking time"
    assert _check(policy, 90, activity=Activity(timer_id=1, timer_started=_at(85))) is None
    assert _check(policy, 119, activity=Activity(last_tracked=_at(100))) is None


def test_only_inside_reminder_hours_and_not_straight_away_when_they_open() -> None:
    config = ReminderConfig(hours=("Mon 11:00-12:00",), idle_minutes=30)
    policy = ReminderPolicy(started=MONDAY_10)

    assert _check(policy, 59, config) is None  # 10:59, outside the hours
    assert _check(policy, 61, config) is None  # the hours opened a minute ago
    assert _check(policy, 90, config) == "Not tracking time"
    assert _check(policy, 130, config) is None  # 12:10, closed again


def test_reminders_can_be_switched_off() -> None:
    policy = ReminderPolicy(started=MONDAY_10)

    assert _check(policy, 300, ReminderConfig(enabled=False, hours=())) is None


def test_a_long_running_timer_is_warned_about_once_per_timer() -> None:
    policy = ReminderPolicy(started=MONDAY_10)
    first = Activity(timer_id=1, timer_started=MONDAY_10)

    assert _check(policy, 8 * 60 - 1, activity=first) is None
    assert _check(policy, 8 * 60, activity=first) == "Timer still running"
    assert _check(policy, 9 * 60, activity=first) is None
    assert _check(policy, 20 * 60, activity=Activity(timer_id=2, timer_started=_at(11 * 60))) == "Timer still running"
    off = ReminderConfig(hours=(), long_running=False)
    assert _check(ReminderPolicy(MONDAY_10), 10 * 60, off, first) is None


def test_durations_read_as_words() -> None:
    assert human_duration(45 * 60 + 59) == "45 min"
    assert human_duration(2 * 3600 + 5 * 60) == "2 h 05 min"


def test_without_a_tray_a_note_shows_in_the_corner_and_closes_itself(qtbot: QtBot) -> None:
    notifier = Notifier(msecs=200)

    with qtbot.waitSignal(notifier.shown) as shown:
        notifier.show("Not tracking time", "Nothing has been tracked for 30 min.")

    assert shown.args == ["Not tracking time", "Nothing has been tracked for 30 min."]
    toast = notifier.toast
    assert toast is not None and toast.isVisible()
    assert toast.message.text() == "Nothing has been tracked for 30 min."
    qtbot.waitUntil(lambda: notifier.toast is None)


class FakeTray(QSystemTrayIcon):
    """A tray icon that is 'visible': offscreen Qt has no system tray to show a real one in."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[object, ...]] = []

    def isVisible(self) -> bool:
        return True

    def showMessage(self, *args: object) -> None:  # type: ignore[override]
        self.messages.append(args)

    @staticmethod
    def supportsMessages() -> bool:
        return True


def test_with_a_tray_it_is_a_balloon(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notifications, "QSystemTrayIcon", FakeTray)
    tray = FakeTray()
    notifier = Notifier(tray, msecs=5000)

    notifier.show("Timer still running", "The timer has been running for 8 h 00 min.", warning=True)

    assert tray.messages == [
        ("Timer still running", "The timer has been running for 8 h 00 min.", QSystemTrayIcon.MessageIcon.Warning, 5000)
    ]
    assert notifier.toast is None


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset


def test_reminders_read_the_real_store(core: Core, runner: TaskRunner, qtbot: QtBot) -> None:
    core.settings.set("reminders.hours", [])
    core.settings.set("reminders.idle_minutes", 5)
    core.settings.set("timer.long_running_hours", 1.0)
    clock = Clock()
    notifier = Notifier(msecs=60_000)
    reminders = Reminders(core, runner, notifier, clock=clock)
    seen: list[str] = []
    notifier.shown.connect(lambda title, _message: seen.append(title))

    reminders.check_now()
    qtbot.waitUntil(runner.idle)
    assert seen == []

    clock.offset = timedelta(minutes=6)
    with qtbot.waitSignal(notifier.shown):
        reminders.check_now()
    assert seen == ["Not tracking time"]

    core.timer.start("writing")
    clock.offset = timedelta(hours=1, minutes=1)
    with qtbot.waitSignal(notifier.shown):
        reminders.check_now()
    assert seen == ["Not tracking time", "Timer still running"]
    if notifier.toast is not None:
        notifier.toast.close()


def test_sync_results(core: Core, runner: TaskRunner, qtbot: QtBot) -> None:
    notifier = Notifier(msecs=60_000)
    reminders = Reminders(core, runner, notifier)
    seen: list[str] = []
    notifier.shown.connect(lambda title, _message: seen.append(title))

    with qtbot.waitSignal(notifier.shown):
        reminders.sync_finished(True, "3 invoices sent to Xero")
    core.settings.set("notifications.sync_results", False)
    reminders.sync_finished(True, "nothing to send")
    qtbot.waitUntil(runner.idle)
    reminders.sync_finished(False, "Xero refused the connection: reconnect in Preferences")

    assert seen == ["Sync finished", "Sync failed"]
    if notifier.toast is not None:
        notifier.toast.close()
