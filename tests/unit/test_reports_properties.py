"""Report totals reconcile with the invoices and entries they are built from, over generated work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.billing.invoices import build_invoices
from app.billing.terms import Book, ClientTerms, Defaults, FixedFee, InvoiceOptions, ProjectTerms
from app.domain.invoices import InvoiceDraft
from app.domain.periods import Period
from app.domain.rates import Level as RateLevel
from app.domain.rates import RateKind, RateRule
from app.domain.rounding import STEPS_MINUTES, Mode, Rounding, Scope
from app.domain.work import WorkItem
from app.reports.allocate import LineShare, allocate
from app.reports.profitability import Level, build_profitability
from app.reports.receivables import build_receivables
from app.reports.values import Invoice, PricedEntry

MONDAY = datetime(2026, 11, 16, tzinfo=UTC)
PERIOD = Period(date(2026, 11, 16), date(2026, 11, 29))

items_strategy = st.lists(
    st.builds(
        lambda i, minute, seconds, client, project, task, billable: WorkItem(
            i, MONDAY + timedelta(minutes=minute), MONDAY + timedelta(minutes=minute, seconds=seconds), client,
            f"Client {client}", project + 10 * client, f"Project {project}", "", 100 + project if task else None,
            f"Task {project}" if task else "", billable),
        st.integers(1, 10_000), st.integers(0, 13 * 1440), st.integers(0, 6 * 3600), st.integers(1, 2),
        st.integers(0, 2), st.booleans(), st.booleans() | st.just(True),
    ),
    max_size=14,
    unique_by=lambda item: item.entry_id,
)
rate_strategy = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)


def book(rounding: Rounding, rate: Decimal, fee: bool) -> Book:
    projects = {20: ProjectTerms(20, fixed_fee=FixedFee(Decimal(900), 3 * 3600, Decimal(150)))} if fee else {}
    return Book(Defaults(currency="USD", rounding=rounding), {2: ClientTerms(2, currency="JPY")}, projects,
                (RateRule(RateLevel.DEFAULT, None, RateKind.BILL, rate),
                 RateRule(RateLevel.CLIENT, 2, RateKind.BILL, Decimal(7000))))


def shares(drafts: list[InvoiceDraft], items: list[WorkItem], numbered: bool) -> list[LineShare]:
    seconds = {i.entry_id: int((i.end - i.start).total_seconds()) for i in items}
    return [LineShare(str(line.kind), d.currency, line.amount, line.billed_seconds,
                      tuple((e, seconds[e]) for e in line.entry_ids), f"INV-{n}" if numbered else "")
            for n, d in enumerate(drafts) for line in d.lines]


@settings(max_examples=60, deadline=None)
@given(items_strategy, st.sampled_from(list(Mode)), st.sampled_from(STEPS_MINUTES), st.sampled_from(list(Scope)),
       rate_strategy, st.booleans(), st.integers(0, 14))
def test_totals_reconcile_with_invoices_and_entries(items: list[WorkItem], mode: Mode, step: int, scope: Scope,
                                                    rate: Decimal, fee: bool, cut: int) -> None:
    rules = book(Rounding(mode, step, scope), rate, fee)
    billed_items = [i for i in items if i.start < MONDAY + timedelta(days=cut)]
    open_items = [i for i in items if i not in billed_items]
    stored = build_invoices(billed_items, rules, InvoiceOptions(PERIOD, date(2026, 11, 30)))
    previewed = build_invoices(open_items, rules, InvoiceOptions(PERIOD, date(2026, 11, 30)))
    invoiced = allocate(shares(stored, billed_items, True))
    uninvoiced = allocate(shares(previewed, open_items, False))
    currency = {1: "USD", 2: "JPY"}
    entries = []
    for i in items:
        value = invoiced.get(i.entry_id) or uninvoiced.get(i.entry_id)
        entries.append(PricedEntry(
            i.entry_id, i.start, i.end, i.client_id, i.client_name, i.project_id, i.project_name,
            currency[i.client_id], i.task_id, i.task_name, i.billable, invoice=value.invoice if value else "",
            billed_seconds=value.billed_seconds if value else 0,
            invoiced=value.amount if value and i.entry_id in invoiced else Decimal(0),
            uninvoiced=value.amount if value and i.entry_id in uninvoiced else Decimal(0)))

    for level in Level:
        report = build_profitability(entries, PERIOD, level)
        for total in report.totals:
            mine = [d for d in stored if d.currency == total.currency]
            ahead = [d for d in previewed if d.currency == total.currency]
            assert total.invoiced == sum((d.subtotal for d in mine), Decimal(0))
            assert total.uninvoiced == sum((d.subtotal for d in ahead), Decimal(0))
            assert total.billed_seconds == sum(d.billed_seconds for d in mine + ahead)
            assert total.raw_seconds == sum(int((i.end - i.start).total_seconds()) for i in items
                                            if currency[i.client_id] == total.currency)
            rows = [r for r in report.rows if r.currency == total.currency]
            assert sum((r.revenue for r in rows), Decimal(0)) == total.revenue
            assert sum(r.raw_seconds for r in rows) == total.raw_seconds
        assert {t.currency for t in report.totals} == {currency[i.client_id] for i in items}

    owed = [Invoice(f"INV-{n}", d.client_id, d.client_name, d.currency, d.issue_date, d.due_date, d.total, d.total,
                    "open") for n, d in enumerate(stored)]
    receivables = build_receivables(owed, date(2027, 1, 31))
    for total in receivables.totals:
        assert total.total == sum((d.total for d in stored if d.currency == total.currency and d.total > 0),
                                  Decimal(0))
