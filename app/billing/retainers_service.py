"""Retainer and progress invoicing use cases: set a project's retainer or estimate, make each period's retainer
invoice once (at the first open of the app after the period starts, or `invoice create --retainers`), bill a
percentage of an estimate, and the final true-up against the project's actual time.

The time of a project with a retainer or an estimate is billed only this way, never by `invoice create`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from app.billing.invoices import build_invoices
from app.billing.retainers import (
    Every,
    Header,
    Retainer,
    RetainerPeriod,
    period_of,
    progress_invoice,
    retainer_invoice,
    true_up,
    usage,
)
from app.billing.rounding import parse_duration
from app.billing.service import BillingService
from app.billing.terms import InvoiceOptions
from app.domain.errors import NotFoundError, StoreError, ValidationError
from app.domain.invoices import Grouping, InvoiceDraft
from app.domain.money import ZERO, parse_amount
from app.domain.periods import Period
from app.domain.work import WorkItem
from app.settings import Settings
from app.store.billing_repository import BillingRepository
from app.store.repositories import ProjectRepository
from app.store.retainers_repository import (
    ProgressRecord,
    RetainerRecord,
    RetainersRepository,
    link_progress,
    link_retainer,
)

MOST_HOURS = 10_000


@dataclass(frozen=True, slots=True)
class RetainerState:
    """A retainer with where it stands in the current period."""

    record: RetainerRecord
    current: RetainerPeriod


class RetainerService:
    def __init__(self, repo: RetainersRepository, billing: BillingService, billing_repo: BillingRepository,
                 projects: ProjectRepository, settings: Settings, today: Callable[[], date] = date.today) -> None:
        self._repo = repo
        self._billing = billing
        self._billing_repo = billing_repo
        self._projects = projects
        self._settings = settings
        self._today = today

    # Retainers

    def set(self, path: str, *, every: str, amount: str, hours: str, overage_rate: str, rollover: bool,
            starts: date | None = None) -> RetainerRecord:
        project = self._projects.require(path)
        try:
            kind = Every(every.strip().lower())
        except ValueError:
            raise ValidationError(f"A retainer runs every month or week, not '{every}'") from None
        record = RetainerRecord(project.id, str(kind), parse_amount(amount, "retainer amount"),
                                parse_duration(hours, MOST_HOURS), parse_amount(overage_rate, "overage rate"), rollover,
                                starts or self._today(), project.client_id, project.path)
        if record.hours_seconds <= 0:
            raise ValidationError("A retainer covers some hours, e.g. --hours 20h")
        self._repo.set_retainer(record)
        return record

    def remove(self, path: str) -> None:
        if not self._repo.remove_retainer(self._projects.require(path).id):
            raise NotFoundError(f"{path} has no retainer")

    def retainers(self) -> list[RetainerState]:
        today = self._today()
        return [RetainerState(r, self._usage(r, today)[-1]) for r in self._repo.retainers() if r.starts <= today]

    def create_due(self) -> list[InvoiceDraft]:
        """The retainer invoice of every period that has started and has none yet, oldest first."""
        made = []
        today = self._today()
        for record in self._repo.retainers():
            done = self._repo.invoiced_periods(record.project_id)
            history = self._usage(record, today)
            for index, state in enumerate(history):
                if state.period.first in done:
                    continue
                draft = retainer_invoice(_terms(record), self._header(record.project_id, today), state.period,
                                         history[index - 1] if index else None)
                try:
                    made.append(self._billing.store(draft, link_retainer(record.project_id, state.period.first)))
                except (StoreError, ValidationError):
                    if state.period.first not in self._repo.invoiced_periods(record.project_id):
                        raise  # not another process making the same invoice
        return made

    def _usage(self, record: RetainerRecord, until: date) -> list[RetainerPeriod]:
        zone, kind = self._billing.zone(), Every(record.every)
        used: dict[date, int] = defaultdict(int)
        for work in self._billing_repo.worked_on([record.project_id]):
            if work.billable:
                first = period_of(kind, work.start.astimezone(zone).date()).first
                used[first] += max(0, int((work.end - work.start).total_seconds()))
        return usage(_terms(record), used, until)

    # Progress invoices

    def set_estimate(self, path: str, amount: str) -> Decimal:
        value = parse_amount(amount, "estimate")
        self._repo.set_estimate(self._projects.require(path).id, value)
        return value

    def bill_progress(self, path: str, percent: str) -> InvoiceDraft:
        project, estimate, before = self._progress_state(path)
        today = self._today()
        draft = progress_invoice(self._header(project, today), estimate, parse_amount(percent, "percentage"),
                                 sum((p.amount for p in before), ZERO), Period(today, today))
        return self._billing.store(draft, link_progress(project, draft.subtotal, final=False))

    def true_up(self, path: str) -> InvoiceDraft:
        """The project's approved, unbilled time priced as usual, less the progress invoices before it."""
        project, _, before = self._progress_state(path)
        today = self._today()
        header = self._header(project, today)
        items = [WorkItem(*(getattr(e, f.name) for f in fields(WorkItem)))
                 for e in self._billing_repo.unbilled_of(project)]
        period = Period(min((i.start.astimezone(self._billing.zone()).date() for i in items), default=today), today)
        options = InvoiceOptions(period, today, Grouping(self._settings.get("billing.grouping")), True,
                                 self._settings.get("billing.description_template"), header.client_id)
        built = build_invoices(items, self._billing.book(around=items), options)
        if not built:
            raise ValidationError(f"{path} has no approved, unbilled time to true up against; approve its time first")
        draft = true_up(built[0], header, sum((p.amount for p in before), ZERO), [p.number for p in before])
        return self._billing.store(draft, link_progress(project, draft.subtotal, final=True))

    def _progress_state(self, path: str) -> tuple[int, Decimal, list[ProgressRecord]]:
        project = self._projects.require(path)
        estimate = self._repo.estimate(project.id)
        if estimate is None:
            raise ValidationError(f"{path} has no estimate; set one with timetally progress estimate '{path}' AMOUNT")
        before = self._repo.progress(project.id)
        if any(p.final for p in before):
            raise ValidationError(f"{path} was trued up already; it takes no more progress invoices")
        return project.id, estimate, before

    def _header(self, project_id: int, today: date) -> Header:
        project = self._projects.get(project_id)
        book = self._billing.book()
        client, terms = book.client(project.client_id), book.project(project_id)
        return Header(project.client_id, project.client_name, project_id, project.name,
                      client.currency or book.defaults.currency, client.amounts_are or book.defaults.amounts_are,
                      terms.tax or client.tax or book.defaults.tax, today,
                      client.terms_days if client.terms_days is not None else book.defaults.terms_days)


def _terms(r: RetainerRecord) -> Retainer:
    return Retainer(r.project_id, Every(r.every), r.amount, r.hours_seconds, r.overage_rate, r.rollover, r.starts)
