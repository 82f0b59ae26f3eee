"""Rate precedence and effective dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.billing.rates import Target, effective_from_for_change, resolve
from app.domain.errors import ValidationError
from app.domain.rates import Level, RateKind, RateRule

RULES = (
    RateRule(Level.DEFAULT, None, RateKind.BILL, Decimal(50)),
    RateRule(Level.CLIENT, 1, RateKind.BILL, Decimal(80)),
    RateRule(Level.CLIENT, 1, RateKind.BILL, Decimal(90), date(2026, 11, 18)),
    RateRule(Level.PROJECT, 10, RateKind.BILL, Decimal(100)),
    RateRule(Level.TASK, 100, RateKind.BILL, Decimal(120)),
    RateRule(Level.CLIENT, 1, RateKind.COST, Decimal(40)),
)
DAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("target", "day", "expected", "level"),
    [
        (Target(2, 20), DAY, 50, Level.DEFAULT),
        (Target(1, 11), date(2026, 11, 17), 80, Level.CLIENT),
        (Target(1, 11), date(2026, 11, 18), 90, Level.CLIENT),
        (Target(1, 10), DAY, 100, Level.PROJECT),
        (Target(1, 10, 100), DAY, 120, Level.TASK),
        (Target(1, 10, 101), DAY, 100, Level.PROJECT),
    ],
)
def test_most_specific_rate_in_force_wins(target: Target, day: date, expected: int, level: Level) -> None:
    resolved = resolve(RULES, target, day)
    assert resolved is not None
    assert (resolved.amount, resolved.level) == (Decimal(expected), level)


def test_cost_rate_is_resolved_separately() -> None:
    cost = resolve(RULES, Target(1, 10, 100), DAY, RateKind.COST)
    assert cost is not None and cost.amount == 40
    assert resolve(RULES, Target(2, 20), DAY, RateKind.COST) is None


def test_no_rule_means_no_rate() -> None:
    assert resolve((), Target(1, 1), DAY) is None


def test_a_change_applies_from_today_unless_a_date_is_asked_for() -> None:
    first = RateRule(Level.CLIENT, 1, RateKind.BILL, Decimal(80))
    assert effective_from_for_change([], None, DAY) is None
    assert effective_from_for_change([first], None, DAY) == DAY
    assert effective_from_for_change([first], date(2026, 1, 1), DAY) == date(2026, 1, 1)


def test_negative_rates_are_refused() -> None:
    with pytest.raises(ValidationError, match="negative"):
        RateRule(Level.CLIENT, 1, RateKind.BILL, Decimal(-1))
