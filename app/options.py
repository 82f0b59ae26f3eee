"""`Option[T]`: one setting's key, default, label and check. Each package declares the options it owns in its own
`options` module; `app/option_registry.py` gathers them, and `app/settings.py` reads and writes their values."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.domain.errors import ValidationError

T = TypeVar("T")


_TYPES = {bool: "boolean", int: "integer", float: "number", str: "text", list: "list"}
_EXPECTED = {bool: "true or false", int: "a whole number", float: "a number", str: "text",
             list: "a list, written as a JSON array such as [\"firefox\", \"^zoom$\"] ([] for none)"}
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


@dataclass(frozen=True, slots=True)
class Option(Generic[T]):
    key: str
    default: T
    label: str
    check: Callable[[T], str | None] | None = None
    kind: str = ""
    """What the value is, in a word, when its Python type says too little (a decimal amount kept as text)."""

    @property
    def type_name(self) -> str:
        return self.kind or _TYPES[type(self.default)]

    def validate(self, value: Any) -> T:
        kind = type(self.default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValidationError(f"Setting '{self.key}' must be {_EXPECTED[kind]}, not {value!r}")
        problem = self.check(value) if self.check else None
        if problem:
            raise ValidationError(f"Setting '{self.key}': {problem}")
        return value

    def parse(self, text: str) -> T:
        """A value typed as text (the command line), read as the option's type, then validated."""
        kind = type(self.default)
        value: Any = text
        try:
            if kind is bool:
                word = text.strip().lower()
                value = True if word in _TRUE else False if word in _FALSE else text
            elif kind is int:
                value = int(text.strip())
            elif kind is float:
                value = float(text.strip())
                if value != value or value in (float("inf"), float("-inf")):
                    value = text
            elif kind is list:
                value = json.loads(text)
                if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                    value = text
        except ValueError:
            value = text
        return self.validate(value)

    def format(self, value: Any) -> str:
        """The value as `parse` reads it back."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)


def between(low: float, high: float) -> Callable[[Any], str | None]:
    return lambda v: None if low <= v <= high else f"must be between {low} and {high}"


def parses(parse: Callable[[Any], Any]) -> Callable[[Any], str | None]:
    """A check made from a parser: its own error sentence, or None when the value parses."""

    def check(value: Any) -> str | None:
        try:
            parse(value)
        except ValidationError as exc:
            return str(exc)
        return None

    return check


def one_of(choices: Iterable[str]) -> Callable[[Any], str | None]:
    allowed = [str(c) for c in choices]
    return lambda v: None if v in allowed else f"must be one of {', '.join(allowed)}"
