"""The fallback when no probe works here: nothing is captured, and the user is told why."""

from __future__ import annotations

from app.capture.backends.base import Backend, Window


class NullBackend(Backend):
    name = "none"

    def __init__(self, reason: str) -> None:
        self.notice = reason

    def active_window(self) -> Window | None:
        return None

    def idle_seconds(self) -> float | None:
        return None
