"""When to remind the user, as plain values: "you are not tracking" and "this timer has run very long".

The policy only sees instants and what the store says was last tracked, so every rule is tested with a fake
clock; `app.ui.notifications` runs it once a minute and shows what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.capture.activity import ActivityService
from app.capture.schedule import TrackingHours
from app.settings import Settings
from app.store.repositories import EntryRepository


@dataclass(frozen=True, slots=True)
class ReminderConfig:
    enabled: bool = True
    hours: tuple[str, ...] = ("Mon-Fri 09:00-18:00",)
    idle_minutes: int = 30
    long_running: bool = True
    long_running_hours: float = 8.0
    sync_results: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> ReminderConfig:
        """A database read: call it on a worker."""
        return cls(
            enabled=settings.get("reminders.enabled"),
            hours=tuple(settings.get("reminders.hours")),
            idle_minutes=settings.get("reminders.idle_minutes"),
            long_running=settings.get("notifications.long_running"),
            long_running_hours=settings.get("timer.long_running_hours"),
            sync_results=settings.get("notifications.sync_results"),
        )


@dataclass(frozen=True, slots=True)
class Activity:
    """What the store says now. Instants are UTC."""

    timer_id: int | None = None
    timer_started: datetime | None = None
    last_tracked: datetime | None = None
    """The later of the last finished entry's end and the end of the last captured work (not idle)."""


def read_activity(entries: EntryRepository, spans: ActivityService) -> Activity:
    """A database read: call it on a worker."""
    running = entries.running()
    last = entries.last_finished()
    moments = [last.end] if last is not None and last.end is not None else []
    span = spans.latest()
    if span is not None:
        moments.append(datetime.fromtimestamp(span.start if span.idle else span.end, UTC))
    return Activity(
        timer_id=running.id if running else None,
        timer_started=running.start if running else None,
        last_tracked=max(moments) if moments else None,
    )


def human_duration(seconds: float) -> str:
    """`45 min`, `2 h 05 min`: for a sentence, where `2:05` would read like a clock time."""
    minutes = int(seconds // 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


@dataclass(frozen=True, slots=True)
class Reminder:
    title: str
    message: str
    warning: bool = False


class ReminderPolicy:
    """Says each thing once: an untracked-time reminder at most every `idle_minutes`, and waits that long after
    start-up or after the reminder hours open; one long-running warning per timer."""

    def __init__(self, started: datetime) -> None:
        self._quiet_since = started
        self._warned_timer: int | None = None

    def check(self, now: datetime, local: datetime, config: ReminderConfig, activity: Activity) -> Reminder | None:
        if activity.timer_started is not None:
            self._quiet_since = now
            return self._long_running(now - activity.timer_started, config, activity.timer_id)
        if not config.enabled or not TrackingHours(list(config.hours)).allows(local):
            self._quiet_since = now
            return None
        since = max(filter(None, (activity.last_tracked, self._quiet_since)))
        untracked = now - since
        if untracked < timedelta(minutes=config.idle_minutes):
            return None
        self._quiet_since = now
        return Reminder(
            "Not tracking time",
            f"Nothing has been tracked for {human_duration(untracked.total_seconds())}. "
            "Start a timer from the tray, or with your shortcut.",
        )

    def _long_running(self, ran: timedelta, config: ReminderConfig, timer_id: int | None) -> Reminder | None:
        if not config.long_running or timer_id == self._warned_timer:
            return None
        if ran < timedelta(hours=config.long_running_hours):
            return None
        self._warned_timer = timer_id
        return Reminder(
            "Timer still running",
            f"The timer has been running for {human_duration(ran.total_seconds())}. Stop it if you forgot it.",
            warning=True,
        )
