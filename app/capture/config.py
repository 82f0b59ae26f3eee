"""Capture settings as one immutable value the watcher reads without touching the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.capture import options as opt
from app.capture.privacy import DEFAULT_REDACTIONS, Privacy
from app.capture.schedule import TrackingHours
from app.settings import Settings


@dataclass(frozen=True)
class CaptureConfig:
    interval: float = 1.0
    idle_threshold: float = 300.0
    privacy: Privacy = field(default_factory=lambda: Privacy.from_lists(redactions=DEFAULT_REDACTIONS))
    hours: TrackingHours = field(default_factory=lambda: TrackingHours([]))
    retention_days: int = 0
    batch_writes: int = 50
    batch_seconds: float = 10.0

    @property
    def pulse(self) -> float:
        """How late an equal sample may arrive and still extend the span: about 2 s at 1 Hz."""
        return 2.0 * self.interval + 0.5

    @classmethod
    def from_settings(cls, settings: Settings) -> CaptureConfig:
        get = settings.snapshot().get
        apps, titles, redactions = get(opt.EXCLUDE_APPS), get(opt.EXCLUDE_TITLES), get(opt.REDACTIONS)
        return cls(
            interval=get(opt.INTERVAL_SECONDS), idle_threshold=float(get(opt.IDLE_SECONDS)),
            privacy=Privacy.from_lists(apps, titles, redactions, get(opt.EXCLUDE_PRIVATE_WINDOWS)),
            hours=TrackingHours(get(opt.TRACKING_HOURS)), retention_days=get(opt.RETENTION_DAYS),
        )
