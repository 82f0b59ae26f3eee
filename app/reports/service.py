"""The reports' one door to the store: reads entries, invoice lines, payment status and captured time, prices
entries with the billing layer's own rules (and expenses, `reports/expenses.py`), and hands plain values to the
pure builders.

Invoiced work is worth its share of the stored invoice lines; billable work not invoiced yet is worth what the
invoice builder would charge today; cost is the cost rate in force on the day of the work times raw hours.
Nothing here writes, so every report can run on a reader thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from app.billing.expenses_service import ExpenseService
from app.billing.invoices import build_invoices
from app.billing.rates import Target, resolve
from app.billing.service import BillingService
from app.billing.terms import Book, InvoiceOptions
from app.classify.service import ClassifierService, SpanSource
from app.domain.money import ZERO, check_currency
from app.domain.periods import FIRST_DAY, Period
from app.domain.rates import RateKind
from app.domain.work import WorkItem
from app.reports.allocate import EntryValue, LineShare, allocate
from app.reports.expenses import priced_expenses
from app.reports.profitability import Level, Profitability, build_profitability
from app.reports.receivables import Receivables, build_receivables
from app.reports.utilisation import Utilisation, build_utilisation
from app.reports.values import HOUR, FeeBudget, Invoice, PricedEntry, TrackedTime
from app.reports.wip import Wip, build_wip
from app.settings import Settings
from app.store.reports_repository import EntryRecord, InvoiceRecord, ReportsRepository
from app.store.repositories import ProjectRepository

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
OPEN_STATES = ("draft", "approved")


@dataclass(frozen=True, slots=True)
class ReportSet:
    """All four reports for one period, what the Reports window shows at once."""

    profitability: Profitability
    utilisation: Utilisation
    wip: Wip
    receivables: Receivables


class ReportService:
    def __init__(self, repo: ReportsRepository, billing: BillingService, projects: ProjectRepository,
                 classifier: ClassifierService, spans: SpanSource, settings: Settings,
                 today: Callable[[], date] = date.today) -> None:
        self._repo = repo
        self._billing = billing
        self._projects = projects
        self._classifier = classifier
        self._spans = spans
        self._settings = settings
        self._today = today
        self.expenses: ExpenseService | None = None  # set by the composition root: expenses count as well

    def profitability(self, period: Period, level: Level = Level.PROJECT, book: Book | None = None) -> Profitability:
        """`book`: the caller's, when it reads more than one report at once (reading one takes a tenth of a second
        with a year of budgets)."""
        book = book or self._billing.book()
        start, end = period.utc_range(book.tz)
        entries = self._price([r for r in self._repo.entries(start, end) if r.project_id is not None], book, period)
        entries += priced_expenses(self.expenses.in_period(period) if self.expenses else [], book.tz)
        budgets = self._budgets(book)
        fee_records = self._repo.entries_of_projects([b.project_id for b in budgets])
        fee_entries = self._price(fee_records, book, period) if fee_records else []
        return build_profitability(entries, period, level, budgets, fee_entries, book.tz,
                                   self._settings.get("review.week_start"))

    def utilisation(self, period: Period) -> Utilisation:
        tz = self._billing.zone()
        start, end = period.utc_range(tz)
        times = [TrackedTime(r.start, r.end, r.billable and r.project_id is not None)
                 for r in self._repo.entries(start, end)]
        times += self._unassigned(start, end)
        value = self._settings.snapshot().value  # one read of the table
        return build_utilisation(times, period, tz, value("reports.utilisation_target"), value("review.week_start"))

    def wip(self, as_of: date | None = None, since: date | None = None, book: Book | None = None) -> Wip:
        """Approved, uninvoiced work done up to `as_of` (default today), from `since` or whenever it was done."""
        book, today = book or self._billing.book(), as_of or self._today()
        end = Period(today, today).utc_range(book.tz)[1]
        begin = Period(since, since).utc_range(book.tz)[0] if since else EPOCH
        waiting = [r for r in self._repo.waiting(begin, end) if r.billable and r.project_id is not None]
        period = Period(min((r.start.astimezone(book.tz).date() for r in waiting), default=today), today)
        expenses = self.expenses.in_period(Period(since or FIRST_DAY, today)) if self.expenses else []
        return build_wip(self._price(waiting, book, period) + priced_expenses(expenses, book.tz), today, book.tz)

    def receivables(self, as_of: date | None = None, since: date | None = None) -> Receivables:
        """Aged on `as_of` (default today); `since` leaves out invoices issued before it."""
        day = as_of or self._today()
        invoices = [i for r in self._repo.invoices() if (i := _invoice(r, day)) is not None]
        return build_receivables([i for i in invoices if since is None or i.issue_date >= since], day)

    def all(self, period: Period, level: Level = Level.PROJECT) -> ReportSet:
        """Work in progress and receivables as of the period's last day (or today, if sooner)."""
        as_of, book = min(period.last, self._today()), self._billing.book()
        return ReportSet(self.profitability(period, level, book), self.utilisation(period), self.wip(as_of, book=book),
                         self.receivables(as_of))

    # Pricing

    def _price(self, records: Sequence[EntryRecord], book: Book, period: Period) -> list[PricedEntry]:
        invoiced = allocate(LineShare(line.kind, line.currency, line.amount, line.billed_seconds, line.entries,
                                      line.invoice)
                            for line in self._repo.lines({r.invoice for r in records if r.invoice}))
        open_items = [_work_item(r) for r in records
                      if r.billable and not r.invoice and r.status in OPEN_STATES and r.project_id is not None]
        priced_items = [i for i in open_items if _has_price(i, book)]
        previews = build_invoices(priced_items, self._billing.book(around=priced_items),
                                  InvoiceOptions(period, self._today())) if priced_items else []
        seconds = {i.entry_id: max(0, int((i.end - i.start).total_seconds())) for i in priced_items}
        uninvoiced = allocate(LineShare(line.kind, draft.currency, line.amount, line.billed_seconds,
                                        tuple((e, seconds[e]) for e in line.entry_ids))
                              for draft in previews for line in draft.lines)
        unpriced = {i.entry_id for i in open_items} - set(seconds)
        return [_priced(r, book, invoiced.get(r.entry_id), uninvoiced.get(r.entry_id), r.entry_id not in unpriced)
                for r in records if r.project_id is not None and r.client_id is not None]

    def _budgets(self, book: Book) -> list[FeeBudget]:
        budgets = []
        for project_id, terms in book.projects.items():
            if terms.fixed_fee is None:
                continue
            project = self._projects.get(project_id)
            fee = terms.fixed_fee
            budgets.append(FeeBudget(project_id, project.client_name, project.name,
                                     _currency(book, project.client_id), fee.fee, fee.budget_seconds,
                                     fee.overage_rate))
        return budgets

    def _unassigned(self, start: datetime, end: datetime) -> list[TrackedTime]:
        """Captured, active time no rule and no entry accounts for: the classifier's unclassified bucket.

        Built with the classifier's own engine and options but without recording rule matches, so a report
        reads and never writes."""
        lo, hi = start.timestamp(), end.timestamp()
        spans = self._spans.between(lo, hi)
        if not spans:
            return []
        found = self._classifier.proposals_for(spans, self._classifier.engine().classify(spans), lo, hi)
        return [TrackedTime(datetime.fromtimestamp(s.start, UTC), datetime.fromtimestamp(s.end, UTC), assigned=False,
                            active_seconds=round(s.active_seconds)) for s in found.unclassified]


def _work_item(r: EntryRecord) -> WorkItem:
    return WorkItem(r.entry_id, r.start, r.end, r.client_id or 0, r.client_name, r.project_id or 0, r.project_name,
                    "", r.task_id, r.task_name, r.billable)


def _has_price(item: WorkItem, book: Book) -> bool:
    day = item.start.astimezone(book.tz).date()
    target = Target(item.client_id, item.project_id, item.task_id)
    return book.project(item.project_id).fixed_fee is not None or resolve(book.rates, target, day) is not None


def _currency(book: Book, client_id: int) -> str:
    return check_currency(book.client(client_id).currency or book.defaults.currency)


def _priced(r: EntryRecord, book: Book, invoiced: EntryValue | None, open_value: EntryValue | None,
            priced: bool) -> PricedEntry:
    value = invoiced or open_value or EntryValue(_currency(book, r.client_id or 0))
    day = r.start.astimezone(book.tz).date()
    rate = resolve(book.rates, Target(r.client_id or 0, r.project_id or 0, r.task_id), day, RateKind.COST)
    seconds = max(0, int((r.end - r.start).total_seconds()))
    cost = rate.amount * seconds / HOUR if rate else ZERO
    return PricedEntry(
        r.entry_id, r.start, r.end, r.client_id or 0, r.client_name, r.project_id or 0, r.project_name,
        value.currency, r.task_id, r.task_name, r.billable, r.status, r.invoice, value.billed_seconds,
        value.amount if invoiced else ZERO, value.amount if open_value and not invoiced else ZERO, cost,
        value.fee_seconds, value.overage_seconds, priced, rate is not None,
    )


def _invoice(r: InvoiceRecord, as_of: date) -> Invoice | None:
    """The invoice as receivables see it on `as_of`, or None when an accounting system voided or deleted it."""
    remote = next((s for s in r.remote if not s.released), None)
    if remote is None:
        if r.remote:
            return None
        return Invoice(r.number, r.client_id, r.client_name, r.currency, r.issue_date, r.due_date, r.total, r.total,
                       "unsent")
    status, due = remote.status, remote.amount_due
    if status == "paid" and remote.paid_on is not None and remote.paid_on > as_of:
        status, due = "open", remote.total
    return Invoice(r.number, r.client_id, r.client_name, r.currency, r.issue_date, r.due_date, remote.total,
                   Decimal(due), status, remote.provider, remote.remote_number)
