"""Setting values, kept in the database's `setting` table and checked against the declared options.

The options (`app/options.py`) are declared by the packages that own them and gathered in `app/option_registry.py`;
the keys are public names (`timetally settings`, docs/settings.md). Preferences and the command line check a value
with the same `Option.validate`. A use case that reads several keys takes one `snapshot()`: one read of the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from app.domain.errors import ValidationError
from app.options import Option

T = TypeVar("T")


class SettingsBackend(Protocol):
    def read_settings(self) -> dict[str, Any]: ...
    def write_setting(self, key: str, value: Any) -> None: ...


class Snapshot:
    """The settings as they were at one read of the table; `get` is typed by the option asked for."""

    def __init__(self, settings: Settings, stored: dict[str, Any]) -> None:
        self._settings = settings
        self._stored = stored

    def get(self, option: Option[T]) -> T:
        return self._settings.resolve(option, self._stored)

    def value(self, key: str) -> Any:
        """The value of a key named as text (the command line, Preferences)."""
        return self._settings.resolve(self._settings.option(key), self._stored)


class Settings:
    """Reads through to a backend; unknown keys are refused so a typo never silently does nothing."""

    def __init__(self, backend: SettingsBackend, options: Mapping[str, Option[Any]]) -> None:
        self._backend = backend
        self.options = options

    def get(self, key: str) -> Any:
        """One key, from one read of the table; use `snapshot` to read several."""
        return self.snapshot().value(key)

    def set(self, key: str, value: Any) -> None:
        self._backend.write_setting(key, self.option(key).validate(value))

    def snapshot(self) -> Snapshot:
        return Snapshot(self, self._backend.read_settings())

    def all(self) -> dict[str, Any]:
        """Every option, from one read of the table."""
        snapshot = self.snapshot()
        return {key: snapshot.value(key) for key in self.options}

    def resolve(self, option: Option[T], stored: dict[str, Any]) -> T:
        """The stored value, or the default when it is missing or no longer valid (an option's type changed)."""
        if option.key not in stored:
            return option.default
        try:
            return option.validate(stored[option.key])
        except ValidationError:
            return option.default

    def option(self, key: str) -> Option[Any]:
        try:
            return self.options[key]
        except KeyError:
            raise ValidationError(f"There is no setting named '{key}'; see timetally settings list") from None
