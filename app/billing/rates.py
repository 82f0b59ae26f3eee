"""Rate resolution: default < client < project < task, each level with dated changes.

A rate rule with no start date has applied since always (the first rate set for a target); later changes
apply from their own date only, so work already done keeps the price it was done at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.errors import ValidationError
from app.domain.money import parse_amount
from app.domain.rates import Level, RateKind, RateRule


@dataclass(frozen=True, slots=True)
class Target:
    """Where an entry sits: the ids each level of rule is matched against."""

    client_id: int
    project_id: int
    task_id: int | None = None

    def id_at(self, level: Level) -> int | None:
        return {Level.DEFAULT: None, Level.CLIENT: self.client_id, Level.PROJECT: self.project_id,
                Level.TASK: self.task_id}[level]


@dataclass(frozen=True, slots=True)
class ResolvedRate:
    amount: Decimal
    level: Level
    effective_from: date | None


def resolve(rules: tuple[RateRule, ...] | list[RateRule], target: Target, day: date,
            kind: RateKind = RateKind.BILL) -> ResolvedRate | None:
    """The rate of the most specific level that has a rule in force on `day`; the latest such rule wins."""
    best: tuple[Level, date, RateRule] | None = None
    for rule in rules:
        if rule.kind is not kind or (rule.effective_from is not None and rule.effective_from > day):
            continue
        if rule.level is not Level.DEFAULT and rule.target_id != target.id_at(rule.level):
            continue
        key = (rule.level, rule.effective_from or date.min, rule)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    rule = best[2]
    return ResolvedRate(rule.amount, rule.level, rule.effective_from)


def effective_from_for_change(existing: list[RateRule], requested: date | None, today: date) -> date | None:
    """When a newly set rate takes effect.

    The first rate of a target applies since always; a change applies from today unless a date is asked for
    explicitly (a back-dated change is allowed, but only when asked for).
    """
    if requested is not None:
        return requested
    return today if existing else None


def rates_to_set(rate: str | None, cost_rate: str | None,
                 effective_from: date | None) -> list[tuple[RateKind, Decimal]]:
    """The bill and cost rates a `clients set` / `projects set` names, parsed; a date alone is refused."""
    if effective_from is not None and rate is None and cost_rate is None:
        raise ValidationError("A start date only applies to a rate; give --rate or --cost-rate with --from")
    found = []
    if rate is not None:
        found.append((RateKind.BILL, parse_amount(rate, "rate")))
    if cost_rate is not None:
        found.append((RateKind.COST, parse_amount(cost_rate, "cost rate")))
    return found
