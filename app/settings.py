"""Typed settings, each declared once with its default; values live in the database's `setting` table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from app.domain.errors import ValidationError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Option(Generic[T]):
    key: str
    default: T
    label: str
    check: Callable[[T], str | None] | None = None

    def validate(self, value: Any) -> T:
        kind = type(self.default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValidationError(f"Setting '{self.key}' must be a {kind.__name__}, not {value!r}")
        problem = self.check(value) if self.check else None
        if problem:
            raise ValidationError(f"Setting '{self.key}': {problem}")
        return value


def _between(low: float, high: float) -> Callable[[Any], str | None]:
    return lambda v: None if low <= v <= high else f"must be between {low} and {high}"


OPTIONS: dict[str, Option[Any]] = {
    o.key: o
    for o in (
        Option("timer.long_running_hours", 8.0, "Warn about timers running longer than (hours)", _between(1, 24)),
        Option("timer.default_project_id", 0, "Default project for timers started without one (0: none)"),
        Option("review.week_start", 0, "First day of the week (0 = Monday … 6 = Sunday)", _between(0, 6)),
        Option("review.daily_hours_limit", 10.0, "Flag days with more hours than", _between(1, 24)),
        Option("app.liveness_seconds", 30, "How often the running app records that it is alive", _between(5, 600)),
        Option("ui.show_window_at_start", False, "Open the timer window when TimeTally starts"),
    )
}


class SettingsBackend(Protocol):
    def read_settings(self) -> dict[str, Any]: ...
    def write_setting(self, key: str, value: Any) -> None: ...


class Settings:
    """Reads through to a backend; unknown keys are refused so a typo never silently does nothing."""

    def __init__(self, backend: SettingsBackend) -> None:
        self._backend = backend

    def get(self, key: str) -> Any:
        option = self._option(key)
        stored = self._backend.read_settings()
        if key not in stored:
            return option.default
        try:
            return option.validate(stored[key])
        except ValidationError:
            return option.default

    def set(self, key: str, value: Any) -> None:
        self._backend.write_setting(key, self._option(key).validate(value))

    def all(self) -> dict[str, Any]:
        return {key: self.get(key) for key in OPTIONS}

    @staticmethod
    def _option(key: str) -> Option[Any]:
        try:
            return OPTIONS[key]
        except KeyError:
            raise ValidationError(f"There is no setting named '{key}'") from None
