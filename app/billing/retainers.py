"""Retainers and progress invoices, as values to values.

A retainer bills a fixed amount each month (or week) for N hours. Its invoice for a period carries that period's
fee and, for the period before, the hours worked beyond what was available, at the overage rate. With rollover,
the hours left unused in a period are added to the next one's (and so on, from the retainer's first period);
without, each period starts at N. Hours are the project's billable raw time, whatever its status.

A progress invoice bills a percentage of a project's estimate; the final true-up bills the project's actual time
priced as usual, less everything billed on progress invoices before.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from app.billing.invoices import hours
from app.billing.tax import line_tax
from app.domain.errors import ValidationError
from app.domain.invoices import Grouping, InvoiceDraft, InvoiceLine, LineKind, project_subtotals
from app.domain.money import ZERO, quantize
from app.domain.periods import Period
from app.domain.tax import AmountsAre, TaxRate

_HUNDRED = Decimal(100)


class Every(StrEnum):
    MONTH = "month"
    WEEK = "week"


@dataclass(frozen=True, slots=True)
class Retainer:
    project_id: int
    every: Every
    amount: Decimal
    hours_seconds: int
    overage_rate: Decimal
    rollover: bool
    starts: date


@dataclass(frozen=True, slots=True)
class RetainerPeriod:
    """One period of a retainer: hours available (N plus what rolled over), used, beyond them, and carried on."""

    period: Period
    available: int
    used: int
    overage: int
    carried: int


def period_of(every: Every, day: date) -> Period:
    if every is Every.WEEK:
        first = day - timedelta(days=day.weekday())
        return Period(first, first + timedelta(days=6))
    return Period(day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))


def periods(retainer: Retainer, until: date) -> list[Period]:
    """The retainer's periods from the one holding its start to the one holding `until`."""
    found: list[Period] = []
    current = period_of(retainer.every, retainer.starts)
    while current.first <= until:
        found.append(current)
        current = period_of(retainer.every, current.last + timedelta(days=1))
    return found


def usage(retainer: Retainer, used: dict[date, int], until: date) -> list[RetainerPeriod]:
    """Each period up to the one holding `until`; `used` holds the seconds worked per period (by first day)."""
    found, carried = [], 0
    for period in periods(retainer, until):
        available = retainer.hours_seconds + (carried if retainer.rollover else 0)
        worked = used.get(period.first, 0)
        carried = max(0, available - worked)
        found.append(RetainerPeriod(period, available, worked, max(0, worked - available), carried))
    return found


@dataclass(frozen=True, slots=True)
class Header:
    """Who an invoice is for and how its amounts are taxed: what a retainer or progress draft shares with others."""

    client_id: int
    client_name: str
    project_id: int
    project_name: str
    currency: str
    amounts_are: AmountsAre
    tax: TaxRate
    issue_date: date
    terms_days: int


def line(header: Header, kind: LineKind, description: str, quantity: Decimal, unit: Decimal,
         seconds: int = 0) -> InvoiceLine:
    unit_amount = quantize(unit, header.currency)
    amount = quantize(quantity * unit_amount, header.currency)
    tax = line_tax(amount, header.tax, header.amounts_are, header.currency)
    return InvoiceLine(kind, description, header.project_id, header.project_name, seconds, seconds, quantity,
                       unit_amount, unit, Decimal(1), amount, tax.shares, quantize(tax.total, header.currency), ZERO,
                       ())


def draft(header: Header, period: Period, lines: list[InvoiceLine], entry_ids: tuple[int, ...] = ()) -> InvoiceDraft:
    subtotal = sum((x.amount for x in lines), ZERO)
    tax_total = sum((x.tax for x in lines), ZERO)
    return InvoiceDraft(
        header.client_id, header.client_name, header.project_id, header.currency, header.amounts_are,
        Grouping.PROJECT, period.first, period.last, header.issue_date,
        header.issue_date + timedelta(days=header.terms_days), tuple(lines), subtotal, tax_total,
        subtotal + tax_total if header.amounts_are is AmountsAre.EXCLUSIVE else subtotal,
        sum((x.cost for x in lines), ZERO), project_subtotals(tuple(lines)), entry_ids)


def _label(every: Every, period: Period) -> str:
    return f"{period.first:%B %Y}" if every is Every.MONTH else f"week of {period.first}"


def retainer_invoice(retainer: Retainer, header: Header, period: Period,
                     previous: RetainerPeriod | None) -> InvoiceDraft:
    """The invoice of `period`: its fee, and the overage of the period before (when there was one)."""
    covered = f"{hours(retainer.hours_seconds).normalize():f} h"
    lines = [line(header, LineKind.RETAINER, f"Retainer {header.project_name}, {_label(retainer.every, period)} "
                                             f"(covers {covered})", Decimal(1), retainer.amount)]
    if previous is not None and previous.overage:
        extra = hours(previous.overage)
        lines.append(line(header, LineKind.OVERAGE, f"Overage {header.project_name}, "
                                                    f"{_label(retainer.every, previous.period)}: "
                                                    f"{hours(previous.used).normalize():f} h worked, "
                                                    f"{hours(previous.available).normalize():f} h available",
                          extra, retainer.overage_rate, previous.overage))
    return draft(header, period, lines)


def progress_invoice(header: Header, estimate: Decimal, percent: Decimal, billed_before: Decimal,
                     period: Period) -> InvoiceDraft:
    """`percent` of the estimate; refused when the progress invoices together would pass the whole estimate."""
    if not ZERO < percent <= _HUNDRED:
        raise ValidationError(f"A progress invoice bills more than 0 and at most 100 % of the estimate, not {percent}")
    amount = quantize(estimate * percent / _HUNDRED, header.currency)
    if billed_before + amount > estimate:
        raise ValidationError(f"{header.project_name} has {billed_before} of its estimate {estimate} on progress "
                              f"invoices already; {percent} % more ({amount}) would pass it")
    text = f"{header.project_name}: {percent.normalize():f} % of the estimate {quantize(estimate, header.currency)}"
    return draft(header, period, [line(header, LineKind.PROGRESS, text, Decimal(1), amount)])


def true_up(actual: InvoiceDraft, header: Header, billed_before: Decimal, numbers: list[str]) -> InvoiceDraft:
    """The actual time's draft less what the progress invoices billed, as one negative line."""
    lines = list(actual.lines)
    if billed_before:
        lines.append(line(header, LineKind.PROGRESS, f"Less progress invoices {', '.join(numbers)}", Decimal(1),
                          -billed_before))
    rebuilt = draft(header, Period(actual.period_first, actual.period_last), lines, actual.entry_ids)
    return replace(rebuilt, grouping=actual.grouping, short_entries=actual.short_entries)
