"""The worked examples of docs/billing.md, computed by hand there and checked here line by line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from app.billing.invoices import build_invoices
from app.billing.multipliers import Multipliers
from app.billing.terms import Book, ClientTerms, Defaults, FixedFee, InvoiceOptions, ProjectTerms
from app.domain.invoices import InvoiceDraft
from app.domain.periods import Period
from app.domain.rates import Level, RateKind, RateRule
from app.domain.rounding import parse_rounding
from app.domain.tax import AmountsAre, parse_tax
from app.domain.work import Worked, WorkItem

PROJECTS = {10: "Web", 11: "App"}
TASKS = {100: "Design", 101: "Build"}


def work(
    entry_id: int, start: str, minutes: float, project: int = 10, task: int | None = None, billable: bool = True
) -> WorkItem:
    """An entry of client 1 (Acme); times are UTC, which is also the book's zone in these examples."""
    begin = datetime.fromisoformat(start).replace(tzinfo=UTC)
    return WorkItem(
        entry_id,
        begin,
        begin + timedelta(seconds=round(minutes * 60)),
        1,
        "Acme",
        project,
        PROJECTS[project],
        "",
        task,
        TASKS.get(task or 0, ""),
        billable,
    )


def rate(
    amount: str,
    level: Level = Level.CLIENT,
    target: int | None = 1,
    since: date | None = None,
    kind: RateKind = RateKind.BILL,
) -> RateRule:
    return RateRule(level, target, kind, Decimal(amount), since)


def client(
    rounding: str = "nearest:1",
    currency: str = "USD",
    minimum: int = 0,
    tax: str = "",
    amounts_are: AmountsAre = AmountsAre.EXCLUSIVE,
) -> dict[int, ClientTerms]:
    return {1: ClientTerms(1, currency, parse_rounding(rounding), minimum * 60, 30, parse_tax(tax), amounts_are)}


@dataclass
class Example:
    number: int
    items: list[WorkItem]
    lines: list[str]  # quantity × unit amount = amount + tax
    total: str
    rates: tuple[RateRule, ...] = (rate("100"),)
    clients: dict[int, ClientTerms] = field(default_factory=client)
    projects: dict[int, ProjectTerms] = field(default_factory=dict)
    multipliers: Multipliers = field(default_factory=Multipliers)
    cost: str | None = None
    worked: tuple[Worked, ...] = ()  # the person's other work: invoiced, other clients, not approved yet
    defaults: Defaults = field(default_factory=Defaults)


MON = "2026-11-16"
FIXED = FixedFee(Decimal(1000), 10 * 3600, Decimal(120))
EXAMPLES = [
    Example(1, [work(1, f"{MON}T09:00", 7)], ["0.2500 × 100.00 = 25.00 + 0.00"], "25.00", clients=client("up:15")),
    Example(2, [work(1, f"{MON}T09:00", 7)], ["0.0000 × 100.00 = 0.00 + 0.00"], "0.00", clients=client("down:15")),
    Example(
        3, [work(1, f"{MON}T09:00", 7.5)], ["0.2500 × 100.00 = 25.00 + 0.00"], "25.00", clients=client("nearest:15")
    ),
    Example(4, [work(1, f"{MON}T09:00", 52)], ["0.9000 × 100.00 = 90.00 + 0.00"], "90.00", clients=client("nearest:6")),
    Example(5, [work(1, f"{MON}T09:00", 10)], ["0.2500 × 100.00 = 25.00 + 0.00"], "25.00", clients=client(minimum=15)),
    Example(
        6,
        [work(i, f"{MON}T{8 + i:02d}:00", 10) for i in (1, 2, 3)],
        ["0.7500 × 100.00 = 75.00 + 0.00"],
        "75.00",
        clients=client("up:15"),
    ),
    Example(
        7,
        [work(i, f"{MON}T{8 + i:02d}:00", 10) for i in (1, 2, 3)],
        ["0.5000 × 100.00 = 50.00 + 0.00"],
        "50.00",
        clients=client("up:15:line"),
    ),
    Example(
        8,
        [work(1, f"{MON}T09:00", 80)],
        ["1.3333 × 7777 = 10369 + 0"],
        "10369",
        rates=(rate("7777"),),
        clients=client(currency="JPY"),
    ),
    Example(
        9,
        [work(1, f"{MON}T09:00", 50)],
        ["0.8333 × 12.345 = 10.287 + 0.000"],
        "10.287",
        rates=(rate("12.345"),),
        clients=client(currency="BHD"),
    ),
    Example(10, [work(1, f"{MON}T09:00", 100)], ["1.6667 × 99.99 = 166.65 + 0.00"], "166.65", rates=(rate("99.99"),)),
    Example(
        11,
        [work(1, f"{MON}T09:00", 60)],
        ["1.0000 × 100.00 = 100.00 + 14.98"],
        "114.98",
        clients=client(currency="CAD", tax="GST:5,QST:9.975"),
    ),
    Example(
        12,
        [work(1, f"{MON}T09:00", 60)],
        ["1.0000 × 100.00 = 100.00 + 15.47"],
        "115.47",
        clients=client(currency="CAD", tax="GST:5,QST:9.975:compound"),
    ),
    Example(
        13,
        [work(1, f"{MON}T09:00", 60)],
        ["1.0000 × 114.98 = 114.98 + 14.98"],
        "114.98",
        rates=(rate("114.98"),),
        clients=client(currency="CAD", tax="GST:5,QST:9.975", amounts_are=AmountsAre.INCLUSIVE),
    ),
    Example(
        14,
        [work(1, f"{MON}T09:00", 60)],
        ["1.0000 × 100.00 = 100.00 + 0.00"],
        "100.00",
        clients=client(tax="GST:5", amounts_are=AmountsAre.NO_TAX),
    ),
    Example(
        15,
        [work(1, "2026-11-21T10:00", 120)],
        ["2.0000 × 120.00 = 240.00 + 0.00"],
        "240.00",
        rates=(rate("80"),),
        multipliers=Multipliers(weekend=Decimal("1.5")),
    ),
    Example(
        16,
        [work(1, f"{MON}T21:00", 120)],
        ["1.0000 × 100.00 = 100.00 + 0.00", "1.0000 × 125.00 = 125.00 + 0.00"],
        "225.00",
        multipliers=Multipliers(night=Decimal("1.25"), night_start=time(22), night_end=time(6)),
    ),
    Example(
        17,
        [work(1, "2026-12-26T09:00", 180)],
        ["3.0000 × 100.00 = 300.00 + 0.00"],
        "300.00",
        rates=(rate("50"),),
        multipliers=Multipliers(weekend=Decimal("1.5"), holiday=Decimal(2), holidays=frozenset({date(2026, 12, 26)})),
    ),
    Example(
        18,
        [work(1, f"{MON}T09:00", 600)],
        ["8.0000 × 100.00 = 800.00 + 0.00", "2.0000 × 150.00 = 300.00 + 0.00"],
        "1100.00",
        multipliers=Multipliers(overtime=Decimal("1.5"), overtime_daily_seconds=8 * 3600),
    ),
    Example(
        19,
        [work(d, f"2026-11-{15 + d}T08:00", 540) for d in range(1, 6)],
        ["40.0000 × 10.00 = 400.00 + 0.00", "5.0000 × 15.00 = 75.00 + 0.00"],
        "475.00",
        rates=(rate("10"),),
        multipliers=Multipliers(overtime=Decimal("1.5"), overtime_weekly_seconds=40 * 3600),
    ),
    Example(
        20,
        [
            work(1, f"{MON}T09:00", 60, task=100),
            work(2, f"{MON}T10:00", 60, task=101),
            work(3, f"{MON}T11:00", 60, project=11),
        ],
        ["1.0000 × 80.00 = 80.00 + 0.00", "1.0000 × 100.00 = 100.00 + 0.00", "1.0000 × 120.00 = 120.00 + 0.00"],
        "300.00",
        rates=(
            rate("50", Level.DEFAULT, None),
            rate("80"),
            rate("100", Level.PROJECT, 10),
            rate("120", Level.TASK, 100),
        ),
    ),
    Example(
        21,
        [work(1, "2026-11-17T09:00", 60), work(2, "2026-11-18T09:00", 60)],
        ["1.0000 × 80.00 = 80.00 + 0.00", "1.0000 × 90.00 = 90.00 + 0.00"],
        "170.00",
        rates=(rate("80"), rate("90", since=date(2026, 11, 18))),
    ),
    Example(
        22,
        [work(1, f"{MON}T08:00", 360), work(2, "2026-11-17T08:00", 360)],
        ["1 × 1000.00 = 1000.00 + 0.00", "2.0000 × 120.00 = 240.00 + 0.00"],
        "1240.00",
        rates=(),
        projects={10: ProjectTerms(10, fixed_fee=FIXED)},
    ),
    Example(
        23,
        [work(1, f"{MON}T08:00", 180)],
        ["1 × 0.00 = 0.00 + 0.00", "2.0000 × 120.00 = 240.00 + 0.00"],
        "240.00",
        rates=(),
        projects={10: ProjectTerms(10, fixed_fee=FixedFee(Decimal(1000), 36000, Decimal(120), True))},
        worked=(Worked(99, datetime(2026, 11, 9, 8, tzinfo=UTC), datetime(2026, 11, 9, 17, tzinfo=UTC), 10, True),),
    ),
    Example(
        24,
        [work(1, f"{MON}T09:00", 60), work(2, f"{MON}T10:00", 60, billable=False)],
        ["1.0000 × 100.00 = 100.00 + 0.00"],
        "100.00",
    ),
    Example(25, [work(1, f"{MON}T09:00", 30)], ["0.5000 × 0.01 = 0.01 + 0.00"], "0.01", rates=(rate("0.01"),)),
    Example(
        26,
        [work(1, "2026-11-20T23:30", 50)],
        ["0.5000 × 100.00 = 50.00 + 0.00", "0.5000 × 150.00 = 75.00 + 0.00"],
        "125.00",
        clients=client("up:15"),
        multipliers=Multipliers(weekend=Decimal("1.5")),
    ),
    Example(
        27,
        [work(1, f"{MON}T09:00", 90)],
        ["2.0000 × 100.00 = 200.00 + 0.00"],
        "200.00",
        rates=(rate("100"), rate("40", kind=RateKind.COST)),
        clients=client("up:60"),
        cost="60.00",
    ),
    Example(
        28,
        [work(1, "2026-11-21T10:00", 80)],
        ["1.3333 × 11666 = 15554 + 0"],
        "15554",
        rates=(rate("7777"),),
        clients=client(currency="JPY"),
        multipliers=Multipliers(weekend=Decimal("1.5")),
    ),
    Example(
        29,
        [work(1, f"{MON}T15:00", 240)],
        ["2.0000 × 100.00 = 200.00 + 0.00", "2.0000 × 150.00 = 300.00 + 0.00"],
        "500.00",
        multipliers=Multipliers(overtime=Decimal("1.5"), overtime_daily_seconds=8 * 3600),
        worked=(Worked(98, datetime(2026, 11, 16, 9, tzinfo=UTC), datetime(2026, 11, 16, 15, tzinfo=UTC), 50, True),),
    ),
    Example(
        30,
        [work(1, f"{MON}T09:00", 8 / 60), work(2, f"{MON}T10:00", 50)],
        ["0.8333 × 100.00 = 83.33 + 0.00"],
        "83.33",
        clients=client(minimum=15),
        defaults=Defaults(minimum_per_line=True),
    ),
]


def build(example: Example) -> InvoiceDraft:
    book = Book(example.defaults, example.clients, example.projects, example.rates, example.multipliers, UTC, "Me",
                example.worked)
    options = InvoiceOptions(Period(date(2026, 11, 1), date(2026, 12, 31)), date(2026, 12, 31))
    [draft] = build_invoices(example.items, book, options)
    return draft


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"example-{e.number}")
def test_worked_example(example: Example) -> None:
    draft = build(example)
    got = [f"{line.quantity} × {line.unit_amount} = {line.amount} + {line.tax}" for line in draft.lines]
    assert got == example.lines
    assert str(draft.total) == example.total
    if example.cost is not None:
        assert str(draft.cost_total) == example.cost


def test_examples_are_numbered_once() -> None:
    numbers = [e.number for e in EXAMPLES]
    assert numbers == list(range(1, len(EXAMPLES) + 1))
    assert len(numbers) >= 20
