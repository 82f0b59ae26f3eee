"""The report service on a real database, worked by hand (docs/reports.md, "The sample book").

Acme (USD, 100/h, cost 40/h, rounding up to 15 minutes) has Web and a fixed-fee project (1,000 for 10 h, then
120/h); Globex (EUR, 80/h, no cost rate) has App. Each project gets 100 minutes a day, Monday 2 to Friday
6 November 2026, all approved; the first two days are invoiced.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.core import Core
from app.domain.models import NewEntry, Span
from app.domain.periods import Period, parse_week
from app.reports.profitability import Level
from app.store.spans import SpanStore
from app.sync.store import SyncStore
from tests.conftest import WallClock

NOV = Period(date(2026, 11, 1), date(2026, 11, 30))
D = Decimal


# Invoices are issued "today": the sample book is read on a fixed day after its last entry, whatever the date.
SAMPLE_DAY = datetime(2026, 11, 27, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def sample_day(utc_zone: None, wall_clock: WallClock) -> None:
    """Local days are UTC days and today is SAMPLE_DAY, so the worked figures hold on any machine, any day."""
    wall_clock.set(SAMPLE_DAY)


def seed(core: Core) -> None:
    core.billing.set_client("Acme", rate="100", cost_rate="40", rounding="up:15", terms=30)
    core.billing.set_client("Globex", rate="80", currency="EUR")
    projects = [core.projects.add_project(p) for p in ("Acme/Web", "Globex/App", "Acme/Fixed")]
    core.billing.set_project("Acme/Fixed", fixed_fee="1000", budget="10h", overage_rate="120")
    for day in range(2, 7):
        for project in projects:
            start = datetime(2026, 11, day, 9, tzinfo=UTC)
            entry = core.entries.add(NewEntry(start, start + timedelta(minutes=100), "work", project.id))
            core.entries.update(entry.id, status="approved")
    core.billing.create(Period(date(2026, 11, 2), date(2026, 11, 3)))


def test_profitability_of_the_sample_book(core: Core) -> None:
    seed(core)
    report = core.reports.profitability(NOV)
    rows = {(r.client, r.project): r for r in report.rows}
    fixed, web, app = rows["Acme", "Fixed"], rows["Acme", "Web"], rows["Globex", "App"]
    assert (web.raw_seconds, web.billed_seconds) == (30000, 31500)
    assert (web.invoiced, web.uninvoiced, web.revenue) == (D(350), D(525), D(875))
    assert web.cost.quantize(D("0.01")) == D("333.33")
    assert (web.margin_percent, web.effective_rate) == (D("61.9"), D("105.00"))
    assert (fixed.invoiced, fixed.uninvoiced, fixed.effective_rate) == (D(1000), D(0), D("120.00"))
    assert (app.currency, app.invoiced, app.uninvoiced, app.cost) == ("EUR", D("266.66"), D(400), D(0))
    assert [(t.currency, t.revenue) for t in report.totals] == [("EUR", D("666.66")), ("USD", D(1875))]
    (fee,) = report.fixed_fees
    assert (fee.fee_seconds, fee.remaining_seconds, fee.used_percent) == (31500, 4500, D("87.5"))
    assert fee.revenue == D(1000)


def test_profitability_by_task_and_client(core: Core) -> None:
    seed(core)
    by_client = core.reports.profitability(NOV, Level.CLIENT).rows
    assert [(r.client, r.revenue) for r in by_client] == [("Acme", D(1875)), ("Globex", D("666.66"))]
    by_task = core.reports.profitability(NOV, Level.TASK).rows
    assert {r.task for r in by_task} == {"(no task)"}


def test_invoiced_revenue_matches_the_stored_invoices(core: Core) -> None:
    seed(core)
    drafts = core.billing.drafts()
    report = core.reports.profitability(NOV)
    for total in report.totals:
        assert total.invoiced == sum(d.subtotal for d in drafts if d.currency == total.currency)


def test_work_in_progress_of_the_sample_book(core: Core) -> None:
    seed(core)
    acme, globex = core.reports.wip(date(2026, 11, 30)).rows
    assert (acme.entries, acme.value, acme.oldest, acme.age_days, acme.average_age_days) == (
        6, D(525), date(2026, 11, 4), 26, 25)
    assert (globex.currency, globex.entries, globex.value) == ("EUR", 3, D(400))
    assert core.reports.wip(date(2026, 11, 30), since=date(2026, 11, 6)).rows[0].entries == 2


def test_work_in_progress_leaves_out_drafts_and_what_is_invoiced(core: Core) -> None:
    """Only approved work no invoice bills waits; the filter runs in the query, so it is checked on its own."""
    seed(core)
    project = core.projects.find("Globex/App")
    start = datetime(2026, 11, 9, 9, tzinfo=UTC)
    core.entries.add(NewEntry(start, start + timedelta(hours=1), "draft", project.id))
    waiting = core.reports.wip(date(2026, 11, 30)).rows
    assert [(r.client, r.entries) for r in waiting] == [("Acme", 6), ("Globex", 3)]
    core.billing.create(Period(date(2026, 11, 4), date(2026, 11, 6)))
    assert core.reports.wip(date(2026, 11, 30)).rows == ()


def test_receivables_from_the_payment_status_brought_back(core: Core) -> None:
    seed(core)
    acme_invoice, globex_invoice = core.billing.drafts()
    xero = SyncStore(core.db, "xero")
    xero.record_sent(acme_invoice.uid, acme_invoice.number, "x-1", "INV-X1", 1, "h", "open", acme_invoice.total)
    xero.update_sent(acme_invoice.uid, remote_status="part_paid", amount_paid=D(1000), amount_due=D(350))
    as_of = acme_invoice.due_date + timedelta(days=15)
    report = core.reports.receivables(as_of)
    (row,) = report.rows
    assert (row.client, row.currency, row.amounts["1-30"], row.total) == ("Acme", "USD", D(350), D(350))
    assert [i.number for i in report.not_issued] == [globex_invoice.number]

    quickbooks = SyncStore(core.db, "quickbooks")
    quickbooks.record_sent(globex_invoice.uid, globex_invoice.number, "q-9", "1009", 1, "h", "open",
                           globex_invoice.total)
    report = core.reports.receivables(as_of)
    assert [(r.client, r.currency, r.amounts["1-30"]) for r in report.rows] == [
        ("Acme", "USD", D(350)), ("Globex", "EUR", D("266.66"))]
    assert report.invoices[1].invoice.provider == "quickbooks"

    xero.update_sent(acme_invoice.uid, remote_status="paid", amount_paid=D(1350), amount_due=D(0),
                     paid_on=as_of)
    quickbooks.update_sent(globex_invoice.uid, remote_status="voided", released=True)
    assert core.reports.receivables(as_of).rows == ()
    before_payment = core.reports.receivables(as_of - timedelta(days=1))
    assert before_payment.rows[0].total == D(1350)


def test_utilisation_with_unassigned_captured_time(core: Core) -> None:
    seed(core)
    at = datetime(2026, 11, 6, 14, tzinfo=UTC).timestamp()
    SpanStore(core.db).add_many([Span(at, at + 3600, "firefox", "Research notes")])
    report = core.reports.utilisation(parse_week("2026-W45"))
    friday = report.days[4]
    assert (friday.tracked_seconds, friday.billable_seconds, friday.unassigned_seconds) == (18000, 18000, 3600)
    (week,) = report.weeks
    assert (week.tracked_seconds, week.share, report.target_percent) == (90000, D("100.0"), 75)
