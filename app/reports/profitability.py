"""Profitability: which clients, projects and tasks pay off, from priced entries.

Revenue is what stored invoices charged for the work (`invoiced`) plus what approved and draft billable work would
be charged today (`uninvoiced`); cost is the cost rate times raw hours. Rows and totals are per currency: amounts in
different currencies are never added together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from app.domain.money import ZERO, quantize
from app.domain.periods import Period, iso_week_label, week_of
from app.reports.values import HOUR, FeeBudget, PricedEntry

TOTAL = "Total"


class Level(StrEnum):
    CLIENT = "client"
    PROJECT = "project"
    TASK = "task"


@dataclass(frozen=True, slots=True)
class ProfitRow:
    client: str
    project: str
    task: str
    currency: str
    raw_seconds: int = 0
    billable_seconds: int = 0
    billed_seconds: int = 0
    unpriced_seconds: int = 0
    """Billable time no rate applies to: counted in hours, worth nothing until a rate is set."""
    invoiced: Decimal = ZERO
    uninvoiced: Decimal = ZERO
    cost: Decimal = ZERO
    uncosted_seconds: int = 0
    """Time no cost rate applies to: its cost is unknown, so the row's margin is too."""

    @property
    def revenue(self) -> Decimal:
        return self.invoiced + self.uninvoiced

    @property
    def margin_known(self) -> bool:
        return self.uncosted_seconds == 0

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        return percent(self.margin, self.revenue)

    @property
    def effective_rate(self) -> Decimal | None:
        """Revenue per raw hour worked: what an hour of this work really earned."""
        return per_hour(self.revenue, self.raw_seconds, self.currency)

    def plus(self, entry: PricedEntry) -> ProfitRow:
        billable = entry.billable
        return ProfitRow(
            self.client, self.project, self.task, self.currency,
            self.raw_seconds + entry.seconds,
            self.billable_seconds + (entry.seconds if billable else 0),
            self.billed_seconds + entry.billed_seconds,
            self.unpriced_seconds + (entry.seconds if billable and not entry.priced else 0),
            self.invoiced + entry.invoiced, self.uninvoiced + entry.uninvoiced, self.cost + entry.cost,
            self.uncosted_seconds + (0 if entry.costed else entry.seconds),
        )


@dataclass(frozen=True, slots=True)
class FeeRow:
    """A fixed-fee project over its whole life (a budget is not per period), against its budget."""

    client: str
    project: str
    currency: str
    fee: Decimal
    budget_seconds: int
    raw_seconds: int
    fee_seconds: int
    overage_seconds: int
    revenue: Decimal
    cost: Decimal

    @property
    def remaining_seconds(self) -> int:
        return max(0, self.budget_seconds - self.fee_seconds)

    @property
    def used_percent(self) -> Decimal | None:
        return percent(Decimal(self.fee_seconds), Decimal(self.budget_seconds))

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def effective_rate(self) -> Decimal | None:
        return per_hour(self.revenue, self.raw_seconds, self.currency)


@dataclass(frozen=True, slots=True)
class WeekFigure:
    """Revenue, cost and raw hours of one local week in one currency: the series of the weekly chart."""

    first: date
    label: str
    currency: str
    raw_seconds: int
    revenue: Decimal
    cost: Decimal


@dataclass(frozen=True, slots=True)
class Profitability:
    period: Period
    level: Level
    rows: tuple[ProfitRow, ...]
    totals: tuple[ProfitRow, ...]
    """One per currency, in currency order."""
    fixed_fees: tuple[FeeRow, ...]
    weeks: tuple[WeekFigure, ...] = ()
    """Every week of the period for every currency seen, in week order, empty weeks included."""


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole` to one decimal; None when there is no whole to compare with."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def per_hour(amount: Decimal, seconds: int, currency: str) -> Decimal | None:
    return quantize(amount * HOUR / seconds, currency) if seconds else None


def _key(entry: PricedEntry, level: Level) -> tuple[str, str, str]:
    project = entry.project_name if level is not Level.CLIENT else ""
    task = (entry.task_name or "(no task)") if level is Level.TASK else ""
    return entry.client_name, project, task


def group(entries: Iterable[PricedEntry], level: Level) -> list[ProfitRow]:
    """Rows for one level, ordered by client, project, task and currency."""
    rows: dict[tuple[str, str, str, str], ProfitRow] = {}
    for entry in entries:
        client, project, task = _key(entry, level)
        key = (client, project, task, entry.currency)
        rows[key] = (rows.get(key) or ProfitRow(client, project, task, entry.currency)).plus(entry)
    return sorted(rows.values(), key=lambda r: (r.client.casefold(), r.project.casefold(), r.task.casefold(),
                                                r.currency))


def totals(entries: Iterable[PricedEntry]) -> list[ProfitRow]:
    sums: dict[str, ProfitRow] = {}
    for entry in entries:
        sums[entry.currency] = (sums.get(entry.currency) or ProfitRow(TOTAL, "", "", entry.currency)).plus(entry)
    return [sums[c] for c in sorted(sums)]


def fee_rows(budgets: Sequence[FeeBudget], entries: Iterable[PricedEntry]) -> list[FeeRow]:
    """Each fixed-fee project against its budget, from all of its entries (not only the period's)."""
    by_project: dict[int, list[PricedEntry]] = {}
    for entry in entries:
        by_project.setdefault(entry.project_id, []).append(entry)
    rows = []
    for budget in budgets:
        mine = [e for e in by_project.get(budget.project_id, []) if e.currency == budget.currency]
        rows.append(FeeRow(
            budget.client_name, budget.project_name, budget.currency, budget.fee, budget.budget_seconds,
            sum(e.seconds for e in mine), sum(e.fee_seconds for e in mine), sum(e.overage_seconds for e in mine),
            sum((e.revenue for e in mine), ZERO), sum((e.cost for e in mine), ZERO),
        ))
    return sorted(rows, key=lambda r: (r.client.casefold(), r.project.casefold()))


def weekly(entries: Iterable[PricedEntry], period: Period, tz: tzinfo, week_start: int = 0) -> list[WeekFigure]:
    """Figures per local week (by the day each entry started) and currency."""
    entries = list(entries)
    sums: dict[tuple[date, str], WeekFigure] = {}
    for first in {week_of(d, week_start).first for d in period.days()}:
        label = iso_week_label(first) if week_start == 0 else f"from {first}"
        for currency in {e.currency for e in entries}:
            sums[first, currency] = WeekFigure(first, label, currency, 0, ZERO, ZERO)
    for entry in entries:
        key = (week_of(entry.start.astimezone(tz).date(), week_start).first, entry.currency)
        seen = sums.get(key)
        if seen is not None:
            sums[key] = replace(seen, raw_seconds=seen.raw_seconds + entry.seconds,
                                revenue=seen.revenue + entry.revenue, cost=seen.cost + entry.cost)
    return [sums[key] for key in sorted(sums)]


def build_profitability(entries: Sequence[PricedEntry], period: Period, level: Level = Level.PROJECT,
                        budgets: Sequence[FeeBudget] = (), fee_entries: Sequence[PricedEntry] = (),
                        tz: tzinfo = UTC, week_start: int = 0) -> Profitability:
    """The period's entries grouped at `level`; `fee_entries` are all entries of the fixed-fee projects."""
    return Profitability(period, level, tuple(group(entries, level)), tuple(totals(entries)),
                         tuple(fee_rows(budgets, fee_entries)), tuple(weekly(entries, period, tz, week_start)))
