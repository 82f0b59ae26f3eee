"""Properties of the builder over generated work: sums, rounding up, determinism, no floats."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.billing.invoices import build_invoices
from app.billing.multipliers import Multipliers
from app.billing.terms import Book, ClientTerms, Defaults, FixedFee, InvoiceOptions, ProjectTerms
from app.domain.invoices import Grouping, InvoiceDraft
from app.domain.money import minor_units, quantize
from app.domain.periods import Period
from app.domain.rates import Level, RateKind, RateRule
from app.domain.rounding import STEPS_MINUTES, Mode, Rounding, Scope
from app.domain.tax import AmountsAre, parse_tax
from app.domain.work import Worked, WorkItem

MONDAY = datetime(2026, 11, 16, tzinfo=UTC)
FACTORS = st.sampled_from([Decimal(1), Decimal("1.25"), Decimal("1.5"), Decimal(2)])

items_strategy = st.lists(
    st.builds(
        lambda i, minute, seconds, client, project, task, billable: WorkItem(
            i, MONDAY + timedelta(minutes=minute), MONDAY + timedelta(minutes=minute, seconds=seconds), client,
            f"Client {client}", project + 10 * client, f"Project {project}", f"work {i % 3}",
            100 + project if task else None, f"Task {project}" if task else "", billable),
        st.integers(1, 10_000), st.integers(0, 7 * 1440), st.integers(0, 10 * 3600), st.integers(1, 2),
        st.integers(0, 2), st.booleans(), st.booleans() | st.just(True),
    ),
    max_size=12,
    unique_by=lambda item: item.entry_id,
)
worked_strategy = st.lists(
    st.builds(lambda i, minute, seconds, project, billable: Worked(
        i, MONDAY + timedelta(minutes=minute), MONDAY + timedelta(minutes=minute, seconds=seconds), project, billable),
        st.integers(20_000, 20_100), st.integers(-7 * 1440, 7 * 1440), st.integers(0, 10 * 3600),
        st.sampled_from([None, 11, 50]), st.booleans()),
    max_size=6, unique_by=lambda w: w.entry_id,
).map(tuple)
rounding_strategy = st.builds(Rounding, st.sampled_from(list(Mode)), st.sampled_from(STEPS_MINUTES),
                              st.sampled_from(list(Scope)))
amount_strategy = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def books(draw: st.DrawFn, rounding: st.SearchStrategy[Rounding] = rounding_strategy) -> Book:
    clients = {
        c: ClientTerms(c, draw(st.sampled_from(["USD", "JPY", "BHD", "CAD"])), draw(rounding),
                       draw(st.sampled_from([0, 0, 900])), 30,
                       parse_tax(draw(st.sampled_from(["", "GST:5,QST:9.975", "GST:5,QST:9.975:compound", "VAT:20"]))),
                       draw(st.sampled_from(list(AmountsAre))))
        for c in (1, 2)
    }
    fee = draw(st.none() | st.builds(FixedFee, amount_strategy, st.integers(0, 20 * 3600), amount_strategy,
                                     st.booleans()))
    projects = {11: ProjectTerms(11, rounding=draw(st.none() | rounding), fixed_fee=fee)}
    rates = (
        RateRule(Level.DEFAULT, None, RateKind.BILL, draw(amount_strategy)),
        RateRule(Level.CLIENT, 2, RateKind.BILL, draw(amount_strategy), date(2026, 11, 18)),
        RateRule(Level.TASK, 101, RateKind.BILL, draw(amount_strategy)),
        RateRule(Level.DEFAULT, None, RateKind.COST, draw(amount_strategy)),
    )
    multipliers = Multipliers(weekend=draw(FACTORS), night=draw(FACTORS), overtime=draw(FACTORS),
                              overtime_daily_seconds=draw(st.sampled_from([0, 8 * 3600])),
                              overtime_weekly_seconds=draw(st.sampled_from([0, 30 * 3600])))
    return Book(Defaults(minimum_per_line=draw(st.booleans())), clients, projects, rates, multipliers, UTC, "Me",
                draw(worked_strategy))


options_strategy = st.builds(
    lambda grouping, per_project: InvoiceOptions(Period(date(2026, 11, 16), date(2026, 11, 22)), date(2026, 11, 23),
                                                 grouping, per_project),
    st.sampled_from(list(Grouping)), st.booleans(),
)


def check_sums(draft: InvoiceDraft) -> None:
    assert draft.subtotal == sum(line.amount for line in draft.lines)
    assert draft.tax_total == sum(line.tax for line in draft.lines)
    if draft.amounts_are is AmountsAre.EXCLUSIVE:
        assert draft.total == draft.subtotal + draft.tax_total
    else:
        assert draft.total == draft.subtotal
    assert sum(s.amount for s in draft.project_subtotals) == draft.subtotal
    for line in draft.lines:
        assert line.amount == quantize(line.quantity * line.unit_amount, draft.currency)
        assert line.tax == sum(amount for _, amount in line.taxes)


@settings(max_examples=150, deadline=None)
@given(items_strategy, books(), options_strategy)
def test_lines_sum_to_the_total(items: list[WorkItem], book: Book, options: InvoiceOptions) -> None:
    drafts = build_invoices(items, book, options)
    for draft in drafts:
        check_sums(draft)
    billed_entries = {i.entry_id for i in items if i.billable}
    assert {e for d in drafts for e in d.entry_ids} == billed_entries


@settings(max_examples=150, deadline=None)
@given(items_strategy, books(st.builds(Rounding, st.just(Mode.UP), st.sampled_from(STEPS_MINUTES),
                                       st.sampled_from(list(Scope)))), options_strategy)
def test_rounding_up_never_bills_less_than_raw_time(items: list[WorkItem], book: Book,
                                                    options: InvoiceOptions) -> None:
    for draft in build_invoices(items, book, options):
        for line in draft.lines:
            assert line.billed_seconds >= line.raw_seconds
        raw = sum(int((i.end - i.start).total_seconds()) for i in items if i.billable
                  and i.client_id == draft.client_id and draft.project_id in (None, i.project_id))
        assert draft.billed_seconds >= raw


@settings(max_examples=100, deadline=None)
@given(items_strategy, books(), options_strategy, st.randoms())
def test_building_twice_gives_the_same_draft(items: list[WorkItem], book: Book, options: InvoiceOptions,
                                             rnd: random.Random) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert build_invoices(items, book, options) == build_invoices(shuffled, book, options)


def money_values(value: Any) -> list[Any]:
    """Every field of the drafts and lines that holds an amount, quantity or rate."""
    found: list[Any] = []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name in {"subtotal", "tax_total", "total", "cost_total", "amount", "tax", "cost", "quantity",
                          "unit_amount", "rate", "multiplier"}:
                found.append(item)
            found += money_values(item)
    elif isinstance(value, tuple | list):
        for item in value:
            found += money_values(item)
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                found.append(item[1])
    return found


@settings(max_examples=100, deadline=None)
@given(items_strategy, books(), options_strategy)
def test_no_float_reaches_a_money_value(items: list[WorkItem], book: Book, options: InvoiceOptions) -> None:
    for draft in build_invoices(items, book, options):
        values = money_values(draft)
        assert values and all(isinstance(v, Decimal) for v in values)
        places = minor_units(draft.currency)
        for amount in (draft.total, draft.subtotal, draft.tax_total, *(line.amount for line in draft.lines),
                       *(line.unit_amount for line in draft.lines)):
            assert amount.as_tuple().exponent == -places
