"""Capture settings as one immutable value the watcher reads without touching the database."""

from __future__ import annotations

from dataclasses import dataclass, field

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
        values = settings.all()
        return cls(
            interval=float(values["capture.interval_seconds"]),
            idle_threshold=float(values["capture.idle_seconds"]),
            privacy=Privacy.from_lists(values["capture.exclude_apps"], values["capture.exclude_titles"],
                                       values["capture.redactions"], values["capture.exclude_private_windows"]),
            hours=TrackingHours(values["capture.tracking_hours"]),
            retention_days=int(values["capture.retention_days"]),
        )
