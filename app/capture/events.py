"""What the watcher tells its listeners. Listeners run on the watcher thread: they must only hand events on
(the Qt bridge queues them to the GUI thread). Instants are UTC epoch seconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class IdleStarted:
    since: float
    """The last input, not the moment the threshold was crossed."""


@dataclass(frozen=True, slots=True)
class IdleEnded:
    since: float
    until: float


@dataclass(frozen=True, slots=True)
class Sleeping:
    at: float


@dataclass(frozen=True, slots=True)
class Woke:
    at: float
    since: float | None
    """When the machine went to sleep, if known; for a suspend found by the clock check, the last poll."""


@dataclass(frozen=True, slots=True)
class ClockJumped:
    at: float
    by: float
    """Seconds the wall clock moved beyond (positive) or behind (negative) the monotonic clock."""


@dataclass(frozen=True, slots=True)
class PauseChanged:
    paused_until: datetime | None
    """None when capture runs again; an aware `datetime.max` when paused until resumed."""


@dataclass(frozen=True, slots=True)
class Status:
    message: str
    capturing: bool
    """False while nothing can be captured (no desktop, display gone, storage failing)."""


CaptureEvent = IdleStarted | IdleEnded | Sleeping | Woke | ClockJumped | PauseChanged | Status
