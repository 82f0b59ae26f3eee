"""Sending a period to QuickBooks, per client in its mode, and reading back time billed inside QuickBooks.

Time mode: each approved entry becomes a billable time activity; the entries stay approved until QuickBooks says
the time was billed (`HasBeenBilled`), then they are marked invoiced. Invoice mode: the period's drafts are
stored, their entries sent as time activities, and an invoice is created whose lines link those activities.
Every document is written to the outbox before its request; an interrupted send is finished first, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta

from app.billing.invoices import InvoiceDraft
from app.billing.service import content_hash
from app.domain.periods import Period
from app.settings import Settings
from app.store.billing_repository import BillingRepository
from app.store.db import Database
from app.store.repositories import EntryRepository
from app.sync import delivery
from app.sync.documents import codes_for, to_push
from app.sync.invoice_jobs import job_payload, settle
from app.sync.outbox import (
    Job,
    JobKind,
    JobState,
    invoice_from_job,
    time_from_job,
    time_payload,
)
from app.sync.provider import Cancelled, Progress, PushResult, RemoteKind, RemoteStatus
from app.sync.quickbooks import billed, prepare
from app.sync.quickbooks.batch import BATCH_SIZE
from app.sync.quickbooks.links import Links, Mode
from app.sync.quickbooks.provider import QuickBooksProvider
from app.sync.reports import InvoiceOutcome, Outcome, SendReport
from app.sync.service import SyncService
from app.sync.unit import SendUnit

NAME = "quickbooks"
REPLACEABLE = (RemoteStatus.DRAFT, RemoteStatus.SUBMITTED, RemoteStatus.OPEN)
"""A QuickBooks invoice nobody has paid yet may still be changed (with its SyncToken)."""


class QuickBooksSync:
    def __init__(self, sync: SyncService, db: Database, settings: Settings) -> None:
        self.sync = sync
        self.links = Links(db)
        self._billing_repo = BillingRepository(db)
        self._entries = EntryRepository(db)
        self._settings = settings
        self.store, self.outbox, self.audit = sync.store(NAME), sync.outbox(NAME), sync.audit(NAME)
        self._progress: Progress | None = None
        self._done = 0

    @property
    def provider(self) -> QuickBooksProvider:
        provider = self.sync.provider(NAME)
        assert isinstance(provider, QuickBooksProvider)
        return provider

    def mode(self, client_id: int) -> Mode:
        return self.links.mode(client_id, Mode(self._settings.get("quickbooks.mode")))

    def send(self, period: Period, client: str | None = None, *, mode: Mode | None = None,
             create_customers: bool = False, dry_run: bool = False, progress: Progress | None = None,
             cancelled: Callable[[], bool] | None = None) -> SendReport:
        """`mode` is remembered for the clients sent; without it each client goes in its own (or the default)."""
        report = SendReport(NAME, dry_run=dry_run)
        if not dry_run:
            self.sync.check_ready(NAME)
        previews = self.sync.billing.preview(period, client, grouping="entry")
        if mode is not None and not dry_run:
            for draft in [*previews, *self.sync.drafts_in(period, client, NAME)]:
                self.links.set_mode(draft.client_id, mode)
        if dry_run:
            report.outcomes += [self._dry(d, mode or self.mode(d.client_id)) for d in previews]
            return report
        self._progress, self._done = progress, 0
        report.outcomes += self.resume(cancelled)
        with SendUnit(self._billing_repo, lambda: self.outbox) as unit:
            self._send_period(report, period, client, create_customers, previews, unit, cancelled)
        report.outcomes = unit.report(report.outcomes)
        return report

    def _send_period(self, report: SendReport, period: Period, client: str | None, create_customers: bool,
                     previews: Sequence[InvoiceDraft], unit: SendUnit, cancelled: Callable[[], bool] | None) -> None:
        resolver = prepare.Resolver(self.provider, self.store, self.links, self._settings, create_customers)
        start, end = period.utc_range()
        entries = prepare.by_id(self._billing_repo.billable_entries(start - timedelta(days=1), end + timedelta(days=1)))
        invoice_clients = []
        for draft in previews:
            if self.mode(draft.client_id) is Mode.INVOICE:
                invoice_clients.append(draft.client_name)
                continue
            code, problem = resolver.customer(draft.client_id, draft.client_name)
            if problem:
                report.outcomes.append(InvoiceOutcome(f"time of {draft.client_name}", "", Outcome.FAILED,
                                                      errors=(problem,), client=draft.client_name))
                continue
            activities = prepare.time_mode(draft, entries, resolver, code)
            report.outcomes += self._send_time(activities, cancelled)[1]
        for name in invoice_clients:
            unit.made(self.sync.billing.create(period, name))
        for draft in self.sync.drafts_in(period, client, NAME):
            if self.mode(draft.client_id) is Mode.INVOICE:
                report.outcomes += self._send_invoice(draft, resolver, cancelled)

    def resume(self, cancelled: Callable[[], bool] | None = None) -> list[InvoiceOutcome]:
        """Send again, unchanged, whatever an interrupted run left pending or unanswered: time before invoices."""
        outcomes = self._deliver(self.outbox.open_jobs(JobKind.TIME), cancelled)
        return outcomes + self._deliver(self.outbox.open_jobs(JobKind.INVOICE), cancelled)

    def billed_time(self) -> list[int]:
        """Entries whose time activity QuickBooks now calls `HasBeenBilled` are marked invoiced, and the invoices
        billing them are followed from then on (see `billed.py`); the ids marked invoiced."""
        return billed.billed_time(self.provider, self.outbox, self.store, self.audit, self._billing_repo,
                                  self._entries)

    # Time activities

    def _send_time(self, activities: Sequence[prepare.Activity], cancelled: Callable[[], bool] | None,
                   own: tuple[str, frozenset[str]] = ("", frozenset())) -> tuple[list[Job], list[InvoiceOutcome]]:
        """Jobs for the activities (confirmed ones with the same content are left alone) and what sending did.

        `own` is (invoice, the activities it bills) when TimeTally replaces its own invoice: those activities may
        be changed although QuickBooks calls them billed, since the new invoice bills them again."""
        jobs = []
        for item in activities:
            previous = next((j for j in self.outbox.jobs(str(item.push.entry_id))
                             if j.kind is JobKind.TIME and j.state is JobState.CONFIRMED), None)
            remote_id = previous.remote_id if previous else ""
            payload = {**time_payload(item.push), "client": item.client, "remote_id": remote_id,
                       "billed_by": own[0] if remote_id in own[1] else ""}
            ignored = {"remote_id": "", "billed_by": ""}
            same = previous is not None and {**previous.payload, **ignored} == {**payload, **ignored}
            jobs.append(previous if same and previous else self.outbox.enqueue(
                JobKind.TIME, str(item.push.entry_id), 0, item.label, payload))
        outcomes = self._deliver([j for j in jobs if j.open], cancelled)
        return [self.outbox.get(j.id) for j in jobs], outcomes

    # Invoices

    def _send_invoice(self, draft: InvoiceDraft, resolver: prepare.Resolver,
                      cancelled: Callable[[], bool] | None) -> list[InvoiceOutcome]:
        sent = self.store.sent(draft.uid)
        remote_id = ""
        if sent is not None:
            if sent.sent_hash == content_hash(draft) or sent.released:
                return []
            if RemoteStatus(sent.remote_status) not in REPLACEABLE:
                text = (f"{draft.number} changed after it was sent, but it is {sent.remote_status} in QuickBooks; "
                        "change it there, or void it and send again.")
                if sent.divergence != text:
                    self.store.update_sent(draft.uid, divergence=text)
                    self.audit.note(text, (sent.remote_id,))
                return [self._outcome(draft, Outcome.DIVERGED, (text,), sent.remote_id)]
            remote_id = sent.remote_id
        problem = self.sync.billing.title_text(draft)
        code, problem = ("", problem) if problem else resolver.customer(draft.client_id, draft.client_name)
        if problem:
            return [self._outcome(draft, Outcome.FAILED, (problem,))]
        entries = prepare.by_id(self._billing_repo.entries_of(draft.number))
        placed = prepare.invoice_mode(draft, entries, resolver, code)
        jobs, outcomes = self._send_time([a for _, a in placed], cancelled, (remote_id, self._billed_by(draft.uid)))
        refused = [e for j in jobs if j.state is not JobState.CONFIRMED for e in j.errors or ("not sent yet",)]
        if refused:
            return [*outcomes, self._outcome(draft, Outcome.FAILED, ("Its time activities were not all accepted: "
                                                                    + "; ".join(refused),))]
        links: list[list[str]] = [[] for _ in draft.lines]
        for (index, _), job in zip(placed, jobs, strict=True):
            links[index].append(job.remote_id)
        tasks = {e.entry_id: e.task_id for e in entries.values()}
        push = to_push(draft, code, codes_for(draft, self.store, lambda: None), tasks, remote_id=remote_id)
        job = self.outbox.enqueue(JobKind.INVOICE, draft.uid, draft.revision, draft.number,
                                  job_payload(push, draft, links=links))
        if not job.open:
            return outcomes
        return outcomes + self._deliver([job], cancelled)

    # Delivery

    def _deliver(self, jobs: Sequence[Job], cancelled: Callable[[], bool] | None) -> list[InvoiceOutcome]:
        """In the batches the jobs were sent in before (so a repeat carries the same requestid), new ones by 30."""
        kept: dict[str, list[Job]] = {}
        fresh: list[Job] = []
        for job in jobs:
            (kept.setdefault(job.batch, []) if job.batch and job.state is JobState.SENT else fresh).append(job)
        batches = [*kept.values(), *(fresh[i:i + BATCH_SIZE] for i in range(0, len(fresh), BATCH_SIZE))]
        outcomes: list[InvoiceOutcome] = []
        for n, given in enumerate(batches):
            group, refusals = delivery.take(self.outbox, given)
            outcomes += refusals
            if not group:
                continue
            label = "+".join(str(j.id) for j in group)
            if any(j.batch != label for j in group):
                self.outbox.assign_batch([j.id for j in group], label)
            try:
                results = delivery.pushing(self.outbox, group, lambda g=group: self._push(g, cancelled))  # type: ignore[misc]
            except Cancelled:
                return outcomes + [delivery.outcome(j, Outcome.PENDING, (delivery.CANCELLED,))
                                   for b in [group, *batches[n + 1:]] for j in b]
            outcomes += [self._answered(job, result) for job, result in zip(group, results, strict=True)]
            self._done += len(group)
            if self._progress is not None:
                self._progress(self._done, self._done + sum(len(b) for b in batches[n + 1:]))
        return outcomes

    def _billed_by(self, draft_uid: str) -> frozenset[str]:
        """The time activities the invoice last sent for this draft links."""
        sent = next((j for j in self.outbox.jobs(draft_uid)
                     if j.kind is JobKind.INVOICE and j.state is JobState.CONFIRMED), None)
        return frozenset(str(i) for ids in (sent.payload.get("links") or [] if sent else []) for i in ids)

    def _push(self, group: Sequence[Job], cancelled: Callable[[], bool] | None) -> list[PushResult]:
        if group[0].kind is JobKind.TIME:
            pushes = [replace(time_from_job(j), key=j.key) for j in group]
            known = {j.key: str(j.payload.get("remote_id") or "") for j in group if j.payload.get("remote_id")}
            own = {str(j.payload["remote_id"]) for j in group if j.payload.get("billed_by")}
            return self.provider.push_time(pushes, known, cancelled, own)
        invoices = [replace(invoice_from_job(j), key=j.key) for j in group]
        return self.provider.push_invoices(invoices, cancelled=cancelled,
                                           links={j.key: j.payload.get("links") or [] for j in group})

    def _answered(self, job: Job, result: PushResult) -> InvoiceOutcome:
        if not result.ok:
            return delivery.refused(self.outbox, job, result)
        self.outbox.confirm(job.id, result.remote_id, result.remote_number)
        status = result.status or RemoteStatus.OPEN
        if job.kind is JobKind.INVOICE:
            return settle(self.store, self.audit, "QuickBooks", self.outbox.get(job.id), status, result.total,
                          result.tax_total)
        updated = bool(job.payload.get("remote_id"))
        return InvoiceOutcome(job.label, job.local_ref, Outcome.UPDATED if updated else Outcome.SENT,
                              result.remote_id, result.remote_number, client=str(job.payload.get("client", "")))

    def _dry(self, draft: InvoiceDraft, mode: Mode) -> InvoiceOutcome:
        mapped = self.store.mapping(RemoteKind.CUSTOMER, draft.client_id)
        note = () if mapped else (f"'{draft.client_name}' has no customer mapped yet; it is matched when sent.",)
        return InvoiceOutcome(f"{draft.client_name}: {len(draft.entry_ids)} entries as {mode}", "",
                              Outcome.WOULD_SEND, client=draft.client_name, total=draft.total,
                              currency=draft.currency, warnings=note)

    @staticmethod
    def _outcome(draft: InvoiceDraft, outcome: Outcome, errors: tuple[str, ...], remote_id: str = "") -> InvoiceOutcome:
        return InvoiceOutcome(draft.number, draft.uid, outcome, remote_id, errors=errors, client=draft.client_name,
                              total=draft.total, currency=draft.currency)

