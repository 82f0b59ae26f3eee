"""Rates as values: the level a rate is set at, bill or cost, and a dated rule; resolving them is billing's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import IntEnum, StrEnum

from app.domain.errors import ValidationError


class Level(IntEnum):
    """Ordered from least to most specific: a higher level wins."""

    DEFAULT = 0
    CLIENT = 1
    PROJECT = 2
    TASK = 3


class RateKind(StrEnum):
    BILL = "bill"
    COST = "cost"


@dataclass(frozen=True, slots=True)
class RateRule:
    level: Level
    target_id: int | None
    kind: RateKind
    amount: Decimal
    effective_from: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("a rate is a Decimal")
        if self.amount < 0:
            raise ValidationError(f"A rate cannot be negative ({self.amount})")


@dataclass(frozen=True, slots=True)
class RateRecord:
    """A rate as stored, not yet checked: an amount edited by hand may be NaN, which billing names in a sentence."""

    level: Level
    target_id: int | None
    kind: RateKind
    amount: Decimal
    effective_from: date | None
