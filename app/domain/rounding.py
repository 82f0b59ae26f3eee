"""Rounding of billed time as a value: a mode, a step and a scope; how it is applied is billing's.

It lives below billing and the store so settings, the store and the builder share one type; stored as its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import ValidationError

STEPS_MINUTES = (1, 5, 6, 10, 12, 15, 30, 60)


class Mode(StrEnum):
    UP = "up"
    DOWN = "down"
    NEAREST = "nearest"


class Scope(StrEnum):
    ENTRY = "entry"
    LINE = "line"


@dataclass(frozen=True, slots=True)
class Rounding:
    mode: Mode = Mode.NEAREST
    step_minutes: int = 1
    scope: Scope = Scope.ENTRY

    def __str__(self) -> str:
        suffix = ":line" if self.scope is Scope.LINE else ""
        return f"{self.mode}:{self.step_minutes}{suffix}"


def parse_rounding(spec: str) -> Rounding:
    """`MODE:MINUTES` (per entry) or `MODE:MINUTES:line` (per invoice line), e.g. `up:15`, `nearest:6:line`."""
    parts = [p.strip().lower() for p in spec.split(":")]
    example = "e.g. up:15, nearest:6 or down:30:line"
    if len(parts) not in (2, 3):
        raise ValidationError(f"'{spec}' is not a rounding in the form MODE:MINUTES[:line], {example}")
    try:
        mode = Mode(parts[0])
    except ValueError:
        raise ValidationError(f"'{parts[0]}' is not a rounding mode; use up, down or nearest ({example})") from None
    if not parts[1].isdigit() or int(parts[1]) not in STEPS_MINUTES:
        steps = ", ".join(map(str, STEPS_MINUTES))
        raise ValidationError(f"Rounding steps are {steps} minutes; '{parts[1]}' is not one of them")
    scope = Scope.ENTRY
    if len(parts) == 3:
        try:
            scope = Scope(parts[2])
        except ValueError:
            raise ValidationError(f"'{parts[2]}' is not a rounding scope; use entry or line") from None
    return Rounding(mode, int(parts[1]), scope)
