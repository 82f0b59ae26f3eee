"""Sending a period to QuickBooks, per client in its mode, and reading back time billed inside QuickBooks.

Time mode: each approved entry becomes a billable time activity; the entries stay approved until QuickBooks says
the time was billed (`HasBeenBilled`), then they are marked invoiced. Invoice mode: the period's drafts are
stored, their entries sent as time activities, and an invoice is created whose lines link those activities.
Every document is written to the outbox before its request; an interrupted send is finished first, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from app.domain.invoices import InvoiceDraft
from app.domain.periods import Period
from app.settings import Settings
from app.store.billing_repository import BillingRepository
from app.store.repositories import EntryRepository
from app.sync.documents import codes_for, to_push
from app.sync.invoice_jobs import draft_outcome, job_payload, replacement, unmapped_note
from app.sync.outbox import Job, JobKind, JobState, time_payload
from app.sync.parts import SendParts
from app.sync.pipeline import Pipeline
from app.sync.provider import Progress
from app.sync.quickbooks.provider import QuickBooksProvider
from app.sync.quickbooks_send import billed, prepare
from app.sync.quickbooks_send.links import Links, Mode
from app.sync.reports import InvoiceOutcome, Outcome, SendReport
from app.sync.unit import SendUnit

NAME = "quickbooks"


class QuickBooksSync:
    def __init__(self, sync: SendParts, links: Links, billing_repo: BillingRepository, entries: EntryRepository,
                 settings: Settings) -> None:
        self.sync = sync
        self.links = links
        self._billing_repo = billing_repo
        self._entries = entries
        self._settings = settings
        self._default_mode = Mode(settings.get("quickbooks.mode"))
        """Read once: this sender serves one use case."""
        self.store, self.outbox, self.audit = sync.store(NAME), sync.outbox(NAME), sync.audit(NAME)

    @property
    def provider(self) -> QuickBooksProvider:
        provider = self.sync.provider(NAME)
        assert isinstance(provider, QuickBooksProvider)
        return provider

    def mode(self, client_id: int) -> Mode:
        return self.links.mode(client_id, self._default_mode)

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
        pipeline = self.sync.pipeline(NAME, progress, cancelled)
        report.outcomes += pipeline.resume()
        with SendUnit(self._billing_repo, lambda: self.outbox) as unit:
            self._send_period(report, period, client, create_customers, previews, unit, pipeline)
        report.outcomes = unit.report(report.outcomes)
        return report

    def _send_period(self, report: SendReport, period: Period, client: str | None, create_customers: bool,
                     previews: Sequence[InvoiceDraft], unit: SendUnit, pipeline: Pipeline) -> None:
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
            report.outcomes += self._send_time(activities, pipeline)[1]
        for name in invoice_clients:
            unit.made(self.sync.billing.create(period, name))
        for draft in self.sync.drafts_in(period, client, NAME):
            if self.mode(draft.client_id) is Mode.INVOICE:
                report.outcomes += self._send_invoice(draft, resolver, pipeline)

    def billed_time(self) -> list[int]:
        """Entries whose time activity QuickBooks now calls `HasBeenBilled` are marked invoiced, and the invoices
        billing them are followed from then on (see `billed.py`); the ids marked invoiced."""
        return billed.billed_time(self.provider, self.outbox, self.store, self.audit, self._billing_repo,
                                  self._entries)

    # Time activities

    def _send_time(self, activities: Sequence[prepare.Activity], pipeline: Pipeline,
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
        outcomes = pipeline.deliver([j for j in jobs if j.open])
        return [self.outbox.get(j.id) for j in jobs], outcomes

    # Invoices

    def _send_invoice(self, draft: InvoiceDraft, resolver: prepare.Resolver,
                      pipeline: Pipeline) -> list[InvoiceOutcome]:
        remote_id = replacement(self.store, self.audit, self.provider, draft)
        if not isinstance(remote_id, str):
            return [remote_id] if remote_id else []
        problem = self.sync.billing.title_text(draft)
        code, problem = ("", problem) if problem else resolver.customer(draft.client_id, draft.client_name)
        if problem:
            return [draft_outcome(draft, Outcome.FAILED, (problem,))]
        entries = prepare.by_id(self._billing_repo.entries_of(draft.number))
        placed = prepare.invoice_mode(draft, entries, resolver, code)
        jobs, outcomes = self._send_time([a for _, a in placed], pipeline, (remote_id, self._billed_by(draft.uid)))
        refused = [e for j in jobs if j.state is not JobState.CONFIRMED for e in j.errors or ("not sent yet",)]
        if refused:
            return [*outcomes, draft_outcome(draft, Outcome.FAILED, ("Its time activities were not all accepted: "
                                                                     + "; ".join(refused),))]
        links: list[list[str]] = [[] for _ in draft.lines]
        for (index, _), job in zip(placed, jobs, strict=True):
            links[index].append(job.remote_id)
        tasks = {e.entry_id: e.task_id for e in entries.values()}
        push = to_push(draft, code, codes_for(draft, self.store, lambda: None), tasks, remote_id=remote_id)
        job = self.outbox.enqueue(JobKind.INVOICE, draft.uid, draft.revision, draft.number,
                                  job_payload(push, draft, links=links))
        return outcomes + pipeline.deliver([job])

    def _billed_by(self, draft_uid: str) -> frozenset[str]:
        """The time activities the invoice last sent for this draft links."""
        sent = next((j for j in self.outbox.jobs(draft_uid)
                     if j.kind is JobKind.INVOICE and j.state is JobState.CONFIRMED), None)
        return frozenset(str(i) for ids in (sent.payload.get("links") or [] if sent else []) for i in ids)

    def _dry(self, draft: InvoiceDraft, mode: Mode) -> InvoiceOutcome:
        return InvoiceOutcome(f"{draft.client_name}: {len(draft.entry_ids)} entries as {mode}", "",
                              Outcome.WOULD_SEND, client=draft.client_name, total=draft.total,
                              currency=draft.currency, warnings=unmapped_note(self.store, draft, "customer"))
