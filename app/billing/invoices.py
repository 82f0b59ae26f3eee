"""The invoice builder: approved work in, one draft per client (or per project) out, exact to the minor unit.

Every line holds one project, one rate, one multiplier and one tax, so `quantity × unit_amount` explains its
amount; the unit price is at the currency's minor unit, the amount is rounded half-up once, and the invoice
totals are sums of the rounded lines. What an entry is billed depends on the entry, the person's other work in
`Book.worked` and the settings, never on which other entries are billed with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.billing.expenses import ExpenseItem, expense_lines
from app.billing.multipliers import ONE, Piece, Work, epoch, split
from app.billing.rates import Target, resolve
from app.billing.rounding import billed_seconds
from app.billing.tax import line_tax
from app.billing.templates import describe
from app.billing.terms import Book, InvoiceOptions
from app.domain.errors import ValidationError
from app.domain.invoices import (
    SHORT_ENTRY_SECONDS,
    Grouping,
    InvoiceDraft,
    InvoiceLine,
    LineKind,
    ShortEntry,
    project_subtotals,
)
from app.domain.money import ZERO, check_currency, quantize
from app.domain.rates import RateKind
from app.domain.rounding import Rounding, Scope
from app.domain.tax import AmountsAre, TaxRate
from app.domain.work import Worked, WorkItem

_HOUR = Decimal(3600)
_QUANTITY = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class _Portion:
    """A stretch of one entry at one price, before it joins a line."""

    item: WorkItem
    start: int
    raw: int
    billed: int
    factor: Decimal
    reason: str
    kind: LineKind
    rate: Decimal
    cost_rate: Decimal
    tax: TaxRate
    rounding: Rounding
    minimum: int
    minimum_per_line: bool

    @property
    def pooled(self) -> bool:
        """Rounded (or raised to the minimum) as one line rather than entry by entry."""
        per_line = self.rounding.scope is Scope.LINE or self.minimum_per_line
        return per_line and self.kind is not LineKind.FIXED_FEE


def hours(seconds: int) -> Decimal:
    """Hours to four decimals (what accounting systems keep), rounded half-up."""
    return (Decimal(seconds) / _HOUR).quantize(_QUANTITY, rounding=ROUND_HALF_UP)


def build_invoices(items: list[WorkItem], book: Book, options: InvoiceOptions,
                   expenses: Sequence[ExpenseItem] = ()) -> list[InvoiceDraft]:
    """Drafts for the billable items and expenses, ordered by client (and project) name.

    Overtime limits count the items together with the person's other work in `book.worked` (an entry in both
    counts once), so an item is priced the same whichever invoice it lands on."""
    works = {w.entry_id: _work(w) for w in _counted_for_overtime(items, book)} | {i.entry_id: _work(i) for i in items}
    pieces = split(list(works.values()), book.multipliers, book.tz)
    portions: list[_Portion] = []
    for item in sorted(items, key=lambda i: (i.start, i.entry_id)):
        if item.billable and (options.client_id is None or item.client_id == options.client_id):
            portions += _portions(item, pieces[item.entry_id], book)
    portions = _apply_fixed_fees(portions, book)
    buckets: dict[tuple[Any, ...], _Bucket] = defaultdict(_Bucket)
    for portion in portions:
        project = portion.item.project_id if options.per_project else None
        buckets[(portion.item.client_name.casefold(), portion.item.client_id, project)].portions.append(portion)
    for expense in expenses:
        if expense.billable and (options.client_id is None or expense.client_id == options.client_id):
            project = expense.project_id if options.per_project else None
            buckets[(expense.client_name.casefold(), expense.client_id, project)].expenses.append(expense)
    return [_draft(bucket, project, book, options) for (_, _, project), bucket in sorted(buckets.items(),
                                                                                         key=_bucket_order)]


@dataclass(slots=True)
class _Bucket:
    """What one draft bills: priced pieces of time and billable expenses (either may be empty)."""
    portions: list[_Portion] = field(default_factory=list)
    expenses: list[ExpenseItem] = field(default_factory=list)

    def head(self) -> WorkItem | ExpenseItem:
        return self.portions[0].item if self.portions else self.expenses[0]


def _counted_for_overtime(items: list[WorkItem], book: Book) -> list[Worked]:
    """The other work that can move an item into overtime: from the start of the first item's week up to the
    end of the last item (later work never changes earlier pieces)."""
    if not items or not book.multipliers.counts_other_work():
        return []
    first = min(i.start for i in items).astimezone(book.tz)
    since = datetime.combine(first.date() - timedelta(days=first.weekday()), time(), book.tz)
    until = max(i.end for i in items)
    return [w for w in book.worked if w.end > since and w.start < until]


def _work(entry: WorkItem | Worked) -> Work:
    return Work(entry.entry_id, epoch(entry.start), _seconds(entry))


def _seconds(entry: WorkItem | Worked) -> int:
    return max(0, int((entry.end - entry.start).total_seconds()))


def _bucket_order(entry: tuple[tuple[Any, ...], _Bucket]) -> tuple[Any, ...]:
    (name, client_id, project), bucket = entry
    return name, client_id, bucket.head().project_name.casefold() if project is not None else ""


def _portions(item: WorkItem, pieces: list[Piece], book: Book) -> list[_Portion]:
    client, project = book.client(item.client_id), book.project(item.project_id)
    day = item.start.astimezone(book.tz).date()
    rate = resolve(book.rates, Target(item.client_id, item.project_id, item.task_id), day)
    if rate is None and project.fixed_fee is None:
        raise ValidationError(
            f"No rate applies to {item.client_name}/{item.project_name} on {day}; set one with "
            f"timetally clients set '{item.client_name}' --rate R, or set billing.default_rate"
        )
    cost = resolve(book.rates, Target(item.client_id, item.project_id, item.task_id), day, RateKind.COST)
    rounding, minimum = _timing(item.client_id, item.project_id, book)
    tax = project.tax or client.tax or book.defaults.tax
    raw = sum(p.seconds for p in pieces)
    adjusted = _stretch(pieces, _entry_billed(raw, rounding, minimum, book) - raw)
    return [
        _Portion(item, piece.start, piece.seconds, billed_part, piece.factor, piece.reason, LineKind.TIME,
                 rate.amount if rate else ZERO, cost.amount if cost else ZERO, tax, rounding, minimum,
                 book.defaults.minimum_per_line)
        for piece, billed_part in zip(pieces, adjusted, strict=True)
    ]


def _timing(client_id: int, project_id: int, book: Book) -> tuple[Rounding, int]:
    """Rounding and minimum of a project's work: the project's own, else its client's, else the defaults."""
    client, project = book.client(client_id), book.project(project_id)
    rounding = project.rounding or client.rounding or book.defaults.rounding
    minimum = next(m for m in (project.minimum_seconds, client.minimum_seconds, book.defaults.minimum_seconds)
                   if m is not None)
    return rounding, minimum


def _entry_billed(raw: int, rounding: Rounding, minimum: int, book: Book) -> int:
    """An entry's own billed seconds: rounded, and raised to the minimum, only where that is done per entry."""
    if rounding.scope is Scope.LINE:
        return raw
    return billed_seconds(raw, rounding, 0 if book.defaults.minimum_per_line else minimum)


def _stretch(pieces: list[Piece], delta: int) -> list[int]:
    """Billed seconds per piece: rounding moves the end of the entry, so the change lands on its last pieces."""
    billed = [p.seconds for p in pieces]
    if delta > 0:
        billed[-1] += delta
    index = len(billed) - 1
    while delta < 0 and index >= 0:
        cut = min(billed[index], -delta)
        billed[index] -= cut
        delta += cut
        index -= 1
    return billed


def _apply_fixed_fees(portions: list[_Portion], book: Book) -> list[_Portion]:
    """Time of a fixed-fee project counts against its budget first; the rest becomes overage at its own rate.

    The budget is used in the order the project's work was done, whatever of it is invoiced already."""
    before = _budget_used_before(portions, book)
    taken: dict[int, int] = defaultdict(int)
    result: list[_Portion] = []
    for portion in portions:
        fee = book.project(portion.item.project_id).fixed_fee
        if fee is None:
            result.append(portion)
            continue
        entry = portion.item.entry_id
        covered = min(portion.billed, max(0, fee.budget_seconds - before[entry] - taken[entry]))
        taken[entry] += portion.billed
        over = portion.billed - covered
        extra = portion.billed - portion.raw
        raw_over = min(portion.raw, max(0, over - extra))
        if covered or portion.billed == 0 or not fee.fee_billed:
            result.append(replace(portion, raw=portion.raw - raw_over, billed=covered, kind=LineKind.FIXED_FEE,
                                  rate=ZERO, factor=ONE, reason=""))
        if over:
            result.append(replace(portion, raw=raw_over, billed=over, kind=LineKind.OVERAGE,
                                  rate=fee.overage_rate))
    return result


def _budget_used_before(portions: list[_Portion], book: Book) -> dict[int, int]:
    """Per entry of a fixed-fee project: the billed seconds of the project's billable work done before it."""
    clients = {p.item.project_id: p.item.client_id for p in portions
               if book.project(p.item.project_id).fixed_fee is not None}
    work: dict[int, tuple[int, datetime, int]] = {}  # entry -> (project, start, billed seconds)
    for other in book.worked:
        if other.billable and other.project_id in clients:
            rounding, minimum = _timing(clients[other.project_id], other.project_id, book)
            work[other.entry_id] = other.project_id, other.start, _entry_billed(_seconds(other), rounding, minimum,
                                                                                book)
    own: dict[int, int] = defaultdict(int)
    for portion in portions:
        if portion.item.project_id in clients:
            own[portion.item.entry_id] += portion.billed
            work[portion.item.entry_id] = portion.item.project_id, portion.item.start, own[portion.item.entry_id]
    used: dict[int, int] = defaultdict(int)
    before: dict[int, int] = {}
    for entry, (project, _, seconds) in sorted(work.items(), key=lambda kv: (kv[1][1], kv[0])):
        before[entry] = used[project]
        used[project] += seconds
    return before


_BY_PROJECT = (Grouping.TASK, Grouping.PROJECT, Grouping.SUMMARY)


def _group_key(portion: _Portion, grouping: Grouping, book: Book) -> tuple[Any, ...]:
    """Also the line order: per project for project-shaped groupings (fee lines closing each project),
    otherwise chronological or by person with the fee and overage lines at the end."""
    item = portion.item
    project = (item.project_name.casefold(), item.project_id)
    if portion.kind is not LineKind.TIME:
        return (0, *project, 1) if grouping in _BY_PROJECT else (1, *project)
    local_day = item.start.astimezone(book.tz).date()
    keys: dict[Grouping, tuple[Any, ...]] = {
        Grouping.ENTRY: (item.start, item.entry_id),
        Grouping.TASK: (*project, 0, item.task_name.casefold(), item.task_id or 0),
        Grouping.PROJECT: (*project, 0),
        Grouping.PERSON: (book.person, *project),
        Grouping.DAY: (local_day, *project),
        Grouping.SUMMARY: (*project, 0),
    }
    return (0, *keys[grouping])


def _price_key(portion: _Portion) -> tuple[Any, ...]:
    """What must be equal inside one line for `quantity × unit_amount` to explain it."""
    pooled = portion.pooled
    kind_rank = list(LineKind).index(portion.kind)
    return (kind_rank, portion.item.project_id, portion.rate, portion.factor, portion.reason, str(portion.tax),
            str(portion.rounding) if pooled else "", portion.minimum if pooled else 0)


def _draft(bucket: _Bucket, project_id: int | None, book: Book, options: InvoiceOptions) -> InvoiceDraft:
    portions = bucket.portions
    client_id, client_name = bucket.head().client_id, bucket.head().client_name
    client = book.client(client_id)
    currency = check_currency(client.currency or book.defaults.currency)
    amounts_are = client.amounts_are or book.defaults.amounts_are
    groups: dict[tuple[Any, ...], list[_Portion]] = defaultdict(list)
    for portion in portions:
        groups[(_group_key(portion, options.grouping, book), _price_key(portion))].append(portion)
    lines = tuple([_line(groups[key], currency, amounts_are, book, options) for key in sorted(groups)]
                  + expense_lines(bucket.expenses, book, options.grouping, currency, amounts_are))
    subtotal = sum((line.amount for line in lines), ZERO)
    tax_total = sum((line.tax for line in lines), ZERO)
    terms = client.terms_days if client.terms_days is not None else book.defaults.terms_days
    return InvoiceDraft(
        client_id=client_id,
        client_name=client_name,
        project_id=project_id,
        currency=currency,
        amounts_are=amounts_are,
        grouping=options.grouping,
        period_first=options.period.first,
        period_last=options.period.last,
        issue_date=options.issue_date,
        due_date=options.issue_date + timedelta(days=terms),
        lines=lines,
        subtotal=subtotal,
        tax_total=tax_total,
        total=subtotal + tax_total if amounts_are is AmountsAre.EXCLUSIVE else subtotal,
        cost_total=sum((line.cost for line in lines), ZERO),
        project_subtotals=project_subtotals(lines),
        entry_ids=tuple(sorted({p.item.entry_id for p in portions})),
        short_entries=tuple(sorted({ShortEntry(p.item.entry_id, p.item.start, _seconds(p.item)) for p in portions
                                    if _seconds(p.item) < SHORT_ENTRY_SECONDS}, key=lambda s: (s.start, s.entry_id))),
        expense_ids=tuple(sorted(e.expense_id for e in bucket.expenses)),
    )


def _line(portions: list[_Portion], currency: str, amounts_are: AmountsAre, book: Book,
          options: InvoiceOptions) -> InvoiceLine:
    head = portions[0]
    raw = sum(p.raw for p in portions)
    billed = sum(p.billed for p in portions)
    if head.pooled and head.rounding.scope is Scope.LINE:
        billed = billed_seconds(raw, head.rounding, head.minimum)
    elif head.pooled and raw:
        billed = max(billed, head.minimum)
    fee = book.project(head.item.project_id).fixed_fee
    kind = head.kind
    if kind is LineKind.FIXED_FEE and fee is not None:
        kind = LineKind.WITHIN_FEE if fee.fee_billed else kind
        quantity, unit_amount = Decimal(1), quantize(ZERO if fee.fee_billed else fee.fee, currency)
    else:
        quantity, unit_amount = hours(billed), quantize(head.rate * head.factor, currency)
    amount = quantize(quantity * unit_amount, currency)
    tax = line_tax(amount, head.tax, amounts_are, currency)
    cost = quantize(sum((Decimal(p.raw) * p.cost_rate for p in portions), ZERO) / _HOUR, currency)
    return InvoiceLine(
        kind=kind,
        description=describe(_fields(portions, book, options), kind, options, head.factor, head.reason),
        project_id=head.item.project_id,
        project_name=head.item.project_name,
        raw_seconds=raw,
        billed_seconds=billed,
        quantity=quantity,
        unit_amount=unit_amount,
        rate=head.rate,
        multiplier=head.factor,
        amount=amount,
        taxes=tax.shares,
        tax=quantize(tax.total, currency),
        cost=cost,
        entry_ids=tuple(sorted({p.item.entry_id for p in portions})),
    )


def _fields(portions: list[_Portion], book: Book, options: InvoiceOptions) -> dict[str, str]:
    """Template fields of a line; a field with several values lists them in order of first appearance."""
    def joined(values: list[str]) -> str:
        return "; ".join(dict.fromkeys(v for v in values if v))

    days = sorted({p.item.start.astimezone(book.tz).date() for p in portions})
    return {
        "client": portions[0].item.client_name,
        "project": joined([p.item.project_name for p in portions]),
        "task": joined([p.item.task_name for p in portions]),
        "description": joined([p.item.description for p in portions]),
        "person": book.person,
        "day": str(days[0]) if len(days) == 1 else f"{days[0]} – {days[-1]}",
        "period": f"{options.period.first} – {options.period.last}",
    }
