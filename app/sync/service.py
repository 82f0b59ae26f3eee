"""Sending invoice drafts to an accounting system and bringing payments back.

Order of work in a send: check the account, finish what an earlier run left open (same requests, same keys), store
drafts for the approved work of the period, resolve each draft's customer, write every document to the outbox, then
send them in batches, record each answer and check each total. Drafts the send stored whose invoice never reached
the provider are taken back (`unit.py`). Payments come back per sent invoice (`payments_back.py`); a stored
invoice is taken back with `void_invoice` (`lifecycle.py`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

import httpx

from app.billing.invoices import InvoiceDraft
from app.billing.service import BillingService, content_hash
from app.domain.errors import NotFoundError, ValidationError
from app.domain.periods import Period
from app.settings import Settings
from app.store.billing_repository import BillingRepository
from app.store.db import Database
from app.sync import delivery
from app.sync.accounts import AccountsService
from app.sync.audit import AuditLog
from app.sync.connection import ConnectionStatus, connection_status
from app.sync.documents import codes_for, to_push
from app.sync.invoice_jobs import job_payload, settle
from app.sync.lifecycle import VoidResult, void_invoice
from app.sync.matching import closest, normalise, resolve_customer
from app.sync.outbox import Job, JobKind, JobState, Outbox, invoice_from_job, resume_batches
from app.sync.payments_back import PaymentsBack
from app.sync.provider import (
    AccountingProvider,
    Cancelled,
    InvoicePush,
    PaymentStatus,
    Progress,
    PushResult,
    RemoteKind,
    RemoteOption,
    RemoteStatus,
    request_key,
)
from app.sync.ratelimit import Limits, RateLimiter
from app.sync.registry import BILLED_INSIDE, FACTORIES, PROVIDER_LIMITS, SENDERS
from app.sync.reports import InvoiceOutcome, Outcome, PaymentOutcome, SendReport
from app.sync.store import SentInvoice, SyncStore
from app.sync.unit import SendUnit

log = logging.getLogger(__name__)


class SyncService:
    def __init__(self, db: Database, billing: BillingService, billing_repo: BillingRepository,
                 accounts: AccountsService, settings: Settings, *,
                 transport: httpx.BaseTransport | None = None, limits: Limits | None = None) -> None:
        self._db = db
        self.billing = billing
        self._billing_repo = billing_repo
        self.accounts = accounts
        self._settings = settings
        self.transport = transport
        self._limits = limits
        self._limiters: dict[str, RateLimiter] = {}
        self._providers: dict[str, AccountingProvider] = {}
        self._lock = threading.Lock()
        """The send window and the payment poller may ask for a provider at the same time."""
        self._payments = PaymentsBack(self, billing_repo)

    # Parts, one set per provider

    def provider(self, name: str) -> AccountingProvider:
        with self._lock:
            if name not in self._providers:
                factory = FACTORIES.get(name)
                if factory is None:
                    raise NotFoundError(f"TimeTally cannot send to '{name}' yet.")
                self._providers[name] = factory(self, name)
            return self._providers[name]

    @property
    def db(self) -> Database:
        return self._db

    @property
    def settings(self) -> Settings:
        return self._settings

    def use(self, *, limits: Limits | None = None, transport: httpx.BaseTransport | None = None) -> None:
        """New pacing or transport for every provider built from now on (tests and benchmarks use fast windows)."""
        self._limits, self.transport = limits or self._limits, transport or self.transport
        self._limiters.clear()
        self.close()

    def close(self) -> None:
        """Closes the providers' HTTP connections; they are built again when next needed."""
        with self._lock:
            providers, self._providers = list(self._providers.values()), {}
        for provider in providers:
            close = getattr(provider, "close", None)
            if callable(close):
                close()

    def limiter(self, name: str) -> RateLimiter:
        if name not in self._limiters:
            self._limiters[name] = RateLimiter(self._limits or PROVIDER_LIMITS.get(name))
        return self._limiters[name]

    def store(self, name: str) -> SyncStore:
        return SyncStore(self._db, name)

    def outbox(self, name: str) -> Outbox:
        return Outbox(self._db, name)

    def audit(self, name: str) -> AuditLog:
        return AuditLog(self._db, name)

    # Customers

    def resolve_customer(self, name: str, client_id: int, client_name: str, create: bool) -> tuple[str, str]:
        """(customer code, problem): the mapped customer, an exact match (remembered), or one created on request."""
        provider = self.provider(name)
        code, matches = resolve_customer(provider, self.store(name), client_id, client_name, create)
        if code:
            return code, ""
        found = closest(matches)
        hint = f" Closest: {found}; confirm one in the mapping window" if found else " Map it in the mapping window"
        return "", (f"No {provider.title} contact is named '{client_name}'.{hint}, or send with "
                    "--create-contacts to create it.")

    # Sending

    def entry_notes(self) -> dict[int, tuple[str, str]]:
        """What the accounting systems changed about entries, for the review: `released` (a voided or deleted invoice
        gave them back) or `diverged` (their invoice was changed here after it was sent); with the sentence."""
        notes: dict[int, tuple[str, str]] = {}
        diverged: dict[str, str] = {}
        for name in FACTORIES:
            store = self.store(name)
            notes.update((entry_id, ("released", reason)) for entry_id, reason in store.flags().items())
            diverged.update((s.draft_uid, s.divergence) for s in store.sent_invoices() if s.divergence)
        if diverged:
            for draft in self._billing_repo.drafts():
                if draft.uid in diverged:
                    notes.update((entry_id, ("diverged", diverged[draft.uid])) for entry_id in draft.entry_ids)
        return notes

    def drafts_in(self, period: Period, client: str | None = None, provider: str | None = None) -> list[InvoiceDraft]:
        """Stored drafts overlapping the period; with `provider`, not those another accounting system holds."""
        wanted = normalise(client) if client else None
        elsewhere = {s.draft_uid for name in FACTORIES if name != provider
                     for s in self.store(name).sent_invoices(include_closed=False)} if provider else set()
        return [d for d in self.billing.drafts()
                if d.period_first <= period.last and d.period_last >= period.first
                and (wanted is None or normalise(d.client_name) == wanted) and d.uid not in elsewhere]

    def send(self, name: str, period: Period, client: str | None = None, *, create_contacts: bool = False,
             dry_run: bool = False, progress: Progress | None = None,
             cancelled: Callable[[], bool] | None = None) -> SendReport:
        """Everything of the period that is not in the provider yet, plus drafts edited since they were sent.

        One unit of work: the account is checked before anything is stored, and the drafts this send stores are
        taken back (entries approved again, numbers returned) unless their invoice may have reached the provider."""
        if not dry_run:
            self.check_ready(name)
        if name in SENDERS:
            return SENDERS[name](self, period, client, create_contacts=create_contacts, dry_run=dry_run,
                                 progress=progress, cancelled=cancelled)
        report = SendReport(name, dry_run=dry_run)
        if dry_run:
            report.outcomes += [self._dry(name, d) for d in self.billing.preview(period, client)]
            report.outcomes += [self._dry(name, d) for d in self.drafts_in(period, client, name)]
            return report
        report.outcomes += self.resume(name, cancelled=cancelled)
        with SendUnit(self._billing_repo, lambda: self.outbox(name)) as unit:
            unit.made(self.billing.create(period, client))
            drafts = self.drafts_in(period, client, name)
            self._refresh_edited(name, drafts)
            pushes: list[tuple[InvoiceDraft, InvoicePush]] = []
            for draft in drafts:
                outcome, push = self._prepare(name, draft, create_contacts)
                if push is None:
                    if outcome is not None and not any(o.uid == outcome.uid for o in report.outcomes):
                        report.outcomes.append(outcome)
                    continue
                pushes.append((draft, push))
            jobs = [self.outbox(name).enqueue(JobKind.INVOICE, draft.uid, draft.revision, draft.number,
                                              job_payload(push, draft)) for draft, push in pushes]
            report.outcomes = [o for o in report.outcomes if o.uid not in {j.local_ref for j in jobs}]
            report.outcomes += self._deliver(name, [j for j in jobs if j.open], progress, cancelled)
            report.outcomes += [self._settled(name, j) for j in jobs if not j.open]
        report.outcomes = unit.report(report.outcomes)
        return report

    def resume(self, name: str, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> list[InvoiceOutcome]:
        """Send again, unchanged, whatever an interrupted run left pending or unanswered."""
        return self._deliver(name, self.outbox(name).open_jobs(JobKind.INVOICE), progress, cancelled)

    def _refresh_edited(self, name: str, drafts: Sequence[InvoiceDraft]) -> None:
        """Drafts edited since they were sent: learn whether Xero still holds them as drafts (one call per 100)."""
        store = self.store(name)
        edited = [sent for d in drafts if (sent := store.sent(d.uid)) is not None and not sent.released
                  and sent.sent_hash != content_hash(d) and RemoteStatus(sent.remote_status).editable]
        if not edited:
            return
        by_id = {s.remote_id: s for s in edited}
        for status in self.provider(name).payment_status(sorted(by_id)):
            sent = by_id.get(status.remote_id)
            if sent is not None and str(status.status) != sent.remote_status:
                self.apply_payment(name, sent, status)

    def _dry(self, name: str, draft: InvoiceDraft) -> InvoiceOutcome:
        sent = self.store(name).sent(draft.uid) if draft.uid else None
        if sent is not None and sent.sent_hash == content_hash(draft):
            return InvoiceOutcome(draft.number, draft.uid, Outcome.UNCHANGED, sent.remote_id, sent.remote_number)
        mapped = self.store(name).mapping(RemoteKind.CUSTOMER, draft.client_id)
        action = Outcome.WOULD_UPDATE if sent is not None else Outcome.WOULD_SEND
        note = () if mapped else (f"'{draft.client_name}' has no contact mapped yet; it is matched when sent.",)
        return InvoiceOutcome(draft.number or "(new)", draft.uid, action, sent.remote_id if sent else "",
                              client=draft.client_name, total=draft.total, currency=draft.currency, warnings=note)

    def _prepare(self, name: str, draft: InvoiceDraft,
                 create_contacts: bool) -> tuple[InvoiceOutcome | None, InvoicePush | None]:
        store = self.store(name)
        sent = store.sent(draft.uid)
        remote_id = ""
        if sent is not None:
            if sent.sent_hash == content_hash(draft) or sent.released:
                return None, None
            if not RemoteStatus(sent.remote_status).editable:
                return self._diverged(name, draft, sent.remote_id, sent.remote_status), None
            remote_id = sent.remote_id
        problem = self.billing.title_text(draft)
        code, problem = ("", problem) if problem else self.resolve_customer(name, draft.client_id, draft.client_name,
                                                                            create_contacts)
        if problem:
            return InvoiceOutcome(draft.number, draft.uid, Outcome.FAILED, errors=(problem,),
                                  client=draft.client_name, total=draft.total, currency=draft.currency), None
        provider = self.provider(name)

        def default_account() -> RemoteOption | None:
            return next(iter(provider.remote_list(RemoteKind.ACCOUNT)), None)

        def tax_rates() -> list[RemoteOption]:
            return provider.remote_list(RemoteKind.TAX_RATE)

        tasks = {e.entry_id: e.task_id for e in self._billing_repo.entries_of(draft.number)}
        authorise = self._settings.get("sync.invoice_status") == "AUTHORISED" and not remote_id
        try:
            codes = codes_for(draft, store, default_account, tax_rates, name)
        except ValidationError as exc:
            return InvoiceOutcome(draft.number, draft.uid, Outcome.FAILED, errors=(str(exc),),
                                  client=draft.client_name, total=draft.total, currency=draft.currency), None
        return None, to_push(draft, code, codes, tasks, authorise=authorise, remote_id=remote_id)

    def _diverged(self, name: str, draft: InvoiceDraft, remote_id: str, status: str) -> InvoiceOutcome:
        text = (f"{draft.number} changed after it was sent, but it is {status} in {self.provider(name).title} and "
                "can no longer be replaced; change it there, or void it and send again.")
        store = self.store(name)
        sent = store.sent(draft.uid)
        if sent is not None and sent.divergence != text:
            store.update_sent(draft.uid, divergence=text)
            self.audit(name).note(text, (remote_id,))
        return InvoiceOutcome(draft.number, draft.uid, Outcome.DIVERGED, remote_id, errors=(text,),
                              client=draft.client_name, total=draft.total, currency=draft.currency)

    def _deliver(self, name: str, jobs: Sequence[Job], progress: Progress | None,
                 cancelled: Callable[[], bool] | None) -> list[InvoiceOutcome]:
        """Send jobs in the batches they were given (a resumed batch is repeated exactly), new ones 50 at a time."""
        if not jobs:
            return []
        provider, outbox = self.provider(name), self.outbox(name)
        batches = resume_batches(jobs, provider.batch_size)
        outcomes: list[InvoiceOutcome] = []
        done, total = 0, len(jobs)
        for n, given in enumerate(batches):
            batch, refusals = delivery.take(outbox, given)
            outcomes += refusals
            if not batch:
                continue
            pushes = [replace(invoice_from_job(j), key=j.key) for j in batch]
            key = request_key([p.key for p in pushes])
            if any(j.batch != key for j in batch):
                outbox.assign_batch([j.id for j in batch], key)
            try:
                results = delivery.pushing(outbox, batch,
                                           lambda p=pushes: provider.push_invoices(p, cancelled=cancelled))  # type: ignore[misc]
            except Cancelled:
                return outcomes + [delivery.outcome(j, Outcome.PENDING, (delivery.CANCELLED,))
                                   for b in [batch, *batches[n + 1:]] for j in b]
            for job, result in zip(batch, results, strict=True):
                outcomes.append(self._answered(name, job, result))
            done += len(batch)
            if progress is not None:
                progress(done, total)
        return outcomes

    def _answered(self, name: str, job: Job, result: PushResult) -> InvoiceOutcome:
        outbox = self.outbox(name)
        if result.ok:
            outbox.confirm(job.id, result.remote_id, result.remote_number)
            return self._settled(name, outbox.get(job.id), result)
        return delivery.refused(outbox, job, result)

    def _settled(self, name: str, job: Job, result: PushResult | None = None) -> InvoiceOutcome:
        """A confirmed job: remember the remote invoice against the draft (again, if a crash came in between) and
        check its totals against TimeTally's."""
        if job.state is not JobState.CONFIRMED:
            return delivery.outcome(job, Outcome.FAILED, job.errors)
        status = result.status if result and result.status else RemoteStatus.DRAFT
        provider = self.provider(name)

        def remote_total() -> Decimal | None:
            return next((s.total for s in provider.payment_status([job.remote_id])), None)

        return settle(self.store(name), self.audit(name), provider.title, job, status,
                      result.total if result else None, result.tax_total if result else None,
                      result.warnings if result else (), remote_total)

    # Payments, voids and the connection

    def sync_payments(self, names: Iterable[str] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> list[PaymentOutcome]:
        """Ask each provider about its open sent invoices; apply and report what changed (paid, part-paid, approved,
        voided, deleted)."""
        return self._payments.sync(names if names is not None else self.connected(), cancelled)

    def sync_billed_time(self, names: Iterable[str] | None = None) -> dict[str, list[int]]:
        """Entries the accounting systems billed themselves since they were sent are marked invoiced, and the
        invoices billing them are followed from then on; the entries by provider."""
        return {name: BILLED_INSIDE[name](self) for name in (names if names is not None else self.connected())
                if name in BILLED_INSIDE}

    def apply_payment(self, name: str, sent: SentInvoice, status: PaymentStatus) -> PaymentOutcome:
        """Where a sent invoice now stands: paid marks its entries paid, voided or deleted gives them back."""
        return self._payments.apply(name, sent, status)

    def void_invoice(self, number: str) -> VoidResult:
        """Take back a stored invoice: delete it where it is a draft, void it where it is approved and unpaid, and
        only then release its entries. Refused (a REFUSED result with the sentence) when anything is paid on it.
        See `app.sync.lifecycle`."""
        return void_invoice(self, self._billing_repo, number)

    def connected(self) -> list[str]:
        return [s.provider for s in self.accounts.status() if s.connected and s.provider in FACTORIES]

    def connection_status(self, name: str) -> ConnectionStatus:
        """Whether `name` can be sent to now, from the database and the keyring only (no network): for a send
        dialog to check before it offers to send, and to offer "Connect…" when it cannot."""
        return connection_status(self.accounts, name)

    def check_ready(self, name: str) -> None:
        """Refuse early, with a sentence, when the account cannot be used: before anything is stored or locked."""
        status = self.connection_status(name)
        if not status.ready:
            raise ValidationError(status.message)

