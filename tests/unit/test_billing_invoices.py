"""The builder beyond the worked examples: grouping, templates, drafts per client or project, errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from app.billing.invoices import build_invoices, hours
from app.billing.templates import check_template
from app.billing.terms import Book, ClientTerms, FixedFee, InvoiceOptions, ProjectTerms
from app.domain.errors import ValidationError
from app.domain.invoices import Grouping, LineKind
from app.domain.periods import Period
from app.domain.rates import Level, RateKind, RateRule
from app.domain.work import WorkItem

WEEK = Period(date(2026, 11, 16), date(2026, 11, 22))
RATES = (RateRule(Level.DEFAULT, None, RateKind.BILL, Decimal(100)),)


def item(entry_id: int, day: int, hour: int, minutes: int, client: int = 1, project: int = 10, task: str = "",
         description: str = "") -> WorkItem:
    start = datetime(2026, 11, day, hour, tzinfo=UTC)
    names = {1: "Acme", 2: "Birch"}
    return WorkItem(entry_id, start, start + timedelta(minutes=minutes), client, names[client], project,
                    f"P{project}", description, hash(task) % 1000 if task else None, task)


def build(items: list[WorkItem], book: Book | None = None, **options: object) -> list:
    return build_invoices(items, book or Book(rates=RATES, person="Ann"),
                          InvoiceOptions(WEEK, date(2026, 11, 23), **options))  # type: ignore[arg-type]


ITEMS = [item(1, 16, 9, 60, task="Design", description="wireframes"), item(2, 16, 11, 30, task="Build"),
         item(3, 17, 9, 45, project=11), item(4, 17, 10, 15, client=2, project=20), item(5, 18, 9, 60, task="Design")]


def test_one_draft_per_client_ordered_by_name() -> None:
    drafts = build(ITEMS)
    assert [(d.client_name, d.entry_ids) for d in drafts] == [("Acme", (1, 2, 3, 5)), ("Birch", (4,))]
    assert drafts[0].due_date == date(2026, 12, 23)


def test_one_draft_per_project_on_request() -> None:
    drafts = build(ITEMS, per_project=True)
    assert [(d.client_name, d.project_id, d.entry_ids) for d in drafts] == [
        ("Acme", 10, (1, 2, 5)), ("Acme", 11, (3,)), ("Birch", 20, (4,))]


def test_client_filter_keeps_only_that_client() -> None:
    assert [d.client_name for d in build(ITEMS, client_id=2)] == ["Birch"]


@pytest.mark.parametrize(
    ("grouping", "descriptions"),
    [
        (Grouping.ENTRY, ["2026-11-16 · P10 · wireframes", "2026-11-16 · P10 · Build", "2026-11-17 · P11 · General",
                          "2026-11-18 · P10 · Design"]),
        (Grouping.TASK, ["P10 · Build", "P10 · Design", "P11 · General"]),
        (Grouping.PROJECT, ["P10", "P11"]),
        (Grouping.PERSON, ["Ann · P10", "Ann · P11"]),
        (Grouping.DAY, ["2026-11-16 · P10", "2026-11-17 · P11", "2026-11-18 · P10"]),
        (Grouping.SUMMARY, ["P10: services 2026-11-16 – 2026-11-22", "P11: services 2026-11-16 – 2026-11-22"]),
    ],
)
def test_grouping(grouping: Grouping, descriptions: list[str]) -> None:
    draft = build(ITEMS, grouping=grouping)[0]
    assert [line.description for line in draft.lines] == descriptions
    assert draft.total == Decimal("325.00")
    assert [(s.project_name, s.amount) for s in draft.project_subtotals] == [("P10", Decimal("250.00")),
                                                                            ("P11", Decimal("75.00"))]


def test_description_template() -> None:
    draft = build(ITEMS, grouping=Grouping.PROJECT, template="{client}: {project} ({day})")[0]
    assert [line.description for line in draft.lines] == ["Acme: P10 (2026-11-16 – 2026-11-18)",
                                                           "Acme: P11 (2026-11-17)"]
    with pytest.raises(ValidationError, match="unknown or broken field"):
        check_template("{colour}")


def test_a_missing_rate_is_an_error_that_says_how_to_set_one() -> None:
    with pytest.raises(ValidationError, match="clients set 'Acme' --rate"):
        build(ITEMS, Book())


def test_local_day_decides_the_rate() -> None:
    late = WorkItem(1, datetime(2026, 11, 18, 2, tzinfo=UTC), datetime(2026, 11, 18, 3, tzinfo=UTC), 1, "Acme",
                    10, "P10")
    rates = (*RATES, RateRule(Level.CLIENT, 1, RateKind.BILL, Decimal(200), date(2026, 11, 18)))
    in_toronto = build([late], Book(rates=rates, tz=ZoneInfo("America/Toronto")))[0]
    assert in_toronto.total == Decimal("100.00")
    assert build([late], Book(rates=rates))[0].total == Decimal("200.00")


def test_fixed_fee_is_charged_even_when_all_time_is_overage() -> None:
    fee = FixedFee(Decimal(500), 0, Decimal(50))
    draft = build([item(1, 16, 9, 60)], Book(projects={10: ProjectTerms(10, fixed_fee=fee)}))[0]
    assert [(line.kind, line.amount) for line in draft.lines] == [(LineKind.FIXED_FEE, Decimal("500.00")),
                                                                  (LineKind.OVERAGE, Decimal("50.00"))]
    assert draft.lines[0].description == "Fixed fee: P10"


def test_line_scope_rounding_applies_the_minimum_per_line() -> None:
    from app.domain.rounding import parse_rounding

    book = Book(rates=RATES, clients={1: ClientTerms(1, rounding=parse_rounding("up:15:line"), minimum_seconds=1800)})
    draft = build([item(1, 16, 9, 5), item(2, 16, 10, 5)], book)[0]
    assert [(line.raw_seconds, line.billed_seconds, line.amount) for line in draft.lines] == [
        (600, 1800, Decimal("50.00"))]


def test_empty_input_gives_no_drafts() -> None:
    assert build([]) == []


@pytest.mark.parametrize(("seconds", "expected"), [(60, "0.0167"), (300, "0.0833"), (1, "0.0003"), (0, "0.0000")])
def test_hours_keep_four_decimals(seconds: int, expected: str) -> None:
    assert str(hours(seconds)) == expected


def test_unit_prices_print_with_the_currency_decimals_in_every_export() -> None:
    from app.billing.export import draft_html, draft_json, draft_text, drafts_csv
    from app.billing.multipliers import Multipliers

    book = Book(clients={1: ClientTerms(1, "JPY")}, multipliers=Multipliers(weekend=Decimal("1.5")),
                rates=(RateRule(Level.DEFAULT, None, RateKind.BILL, Decimal(7777)),))
    [draft] = build([item(1, 21, 10, 80)], book)  # a Saturday: 7777 x 1.5 = 11665.5
    [line] = draft.lines
    assert (line.unit_amount, line.amount) == (Decimal(11666), Decimal(15554))
    assert draft_json(draft)["lines"][0]["unit_amount"] == "11666"
    assert drafts_csv([draft]).splitlines()[1].split(",")[10] == "11666"
    for text in (drafts_csv([draft]), draft_html(draft), "\n".join(draft_text(draft))):
        assert "11666" in text and "11665.5" not in text
