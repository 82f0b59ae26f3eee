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

import httpx

from app.billing.service import BillingService, content_hash
from app.domain.errors import NotFoundError, ValidationError
from app.domain.invoices import InvoiceDraft
from app.domain.models import Client, Project, Task
from app.domain.periods import Period
from app.settings import Settings
from app.store.billing_repository import BillingRepository
from app.store.db import Database
from app.store.remote_copies import provider_title
from app.store.repositories import EntryRepository, ProjectRepository
from app.sync import tenants
from app.sync.accounts import AccountsService
from app.sync.audit import AuditLog
from app.sync.connection import ConnectionStatus, connection_status
from app.sync.customers import resolve_customer
from app.sync.documents import codes_for, to_push
from app.sync.emailing import EmailResult, email_invoice
from app.sync.invoice_jobs import draft_outcome, job_payload, replacement, unmapped_note
from app.sync.lifecycle import VoidResult, void_invoice
from app.sync.matching import closest, normalise
from app.sync.oauth.config import QUICKBOOKS
from app.sync.oauth.flows import Organisation
from app.sync.outbox import JobKind, Outbox
from app.sync.payments_back import PaymentsBack
from app.sync.pipeline import Pipeline
from app.sync.proof import attach_proof
from app.sync.provider import (
    AccountingProvider,
    InvoicePush,
    PaymentStatus,
    Progress,
    RemoteKind,
    RemoteOption,
    RemoteStatus,
)
from app.sync.quickbooks_send.links import Links
from app.sync.quickbooks_send.send import QuickBooksSync
from app.sync.ratelimit import Limits, RateLimiter
from app.sync.registry import FACTORIES, PROVIDER_LIMITS, Parts
from app.sync.reports import InvoiceOutcome, Outcome, PaymentOutcome, SendReport
from app.sync.store import SentInvoice, SyncStore
from app.sync.unit import SendUnit

log = logging.getLogger(__name__)


class SyncService:
    def __init__(self, db: Database, billing: BillingService, billing_repo: BillingRepository,
                 accounts: AccountsService, settings: Settings, *, projects: ProjectRepository | None = None,
                 transport: httpx.BaseTransport | None = None, limits: Limits | None = None) -> None:
        self._db = db
        self._projects = projects or ProjectRepository(db)
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
                self._providers[name] = factory(self._parts(name))
            return self._providers[name]

    def _parts(self, name: str) -> Parts:
        """A connector's parts: its address and company, sign-in, list cache, audit recorder, limiter, transport."""
        tokens = self.accounts.vault.load(name)
        return Parts(self.accounts.config(name).api_url, tokens.tenant_id if tokens else "", self.accounts.auth(name),
                     self.store(name), self.audit(name).record, self.limiter(name), self.transport)

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

    def pipeline(self, name: str, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> Pipeline:
        """One run's delivery to `name`: the only way a document reaches an accounting system."""
        return Pipeline(self.provider(name), self.outbox(name), self.store(name), self.audit(name), progress,
                        cancelled)

    def quickbooks(self) -> QuickBooksSync:
        """The QuickBooks sender: time activities and invoices per client in its mode."""
        return QuickBooksSync(self, Links(self._db), self._billing_repo, EntryRepository(self._db), self._settings)

    # The Xero organisation

    def organisations(self) -> list[Organisation]:
        """The Xero organisations the current sign-in reaches."""
        return tenants.organisations(self.accounts)

    def current_tenant(self) -> str:
        return tenants.current_tenant(self.accounts)

    @staticmethod
    def title(name: str) -> str:
        """The accounting system's name for people ("QuickBooks")."""
        return provider_title(name)

    def catalogue(self) -> tuple[list[Client], list[Project], list[tuple[Project, Task]]]:
        """The active clients, the projects and each project's tasks: what the mapping window maps."""
        projects = self._projects.projects()
        return ([c for c in self._projects.clients() if not c.archived], projects,
                [(p, t) for p in projects for t in self._projects.tasks(p.id)])

    def choose_tenant(self, wanted: str) -> Organisation:
        """Remember the Xero organisation named or identified by `wanted` for every later call."""
        return tenants.choose(self.accounts, wanted)

    # Customers

    def resolve_customer(self, name: str, client_id: int, client_name: str, create: bool) -> tuple[str, str]:
        """(customer code, problem): the mapped customer, an exact match (remembered), or one created on request."""
        provider = self.provider(name)
        code, matches = resolve_customer(provider, self.store(name), client_id, client_name, create)
        if code:
            return code, ""
        found = closest(matches)
        where = "Clients & projects → Accounting mapping…"
        hint = f" Closest: {found}; confirm one in {where}" if found else f" Map it in {where}"
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
        if name == QUICKBOOKS:
            sent = self.quickbooks().send(period, client, create_customers=create_contacts, dry_run=dry_run,
                                          progress=progress, cancelled=cancelled)
            return sent if dry_run else self._with_proof(name, sent, period, client)
        report = SendReport(name, dry_run=dry_run)
        if dry_run:
            report.outcomes += [self._dry(name, d) for d in self.billing.preview(period, client)]
            report.outcomes += [self._dry(name, d) for d in self.drafts_in(period, client, name)]
            return report
        pipeline = self.pipeline(name, progress, cancelled)
        report.outcomes += pipeline.resume()
        with SendUnit(self._billing_repo, lambda: self.outbox(name)) as unit:
            unit.made(self.billing.create(period, client))
            drafts = self.drafts_in(period, client, name)
            self._refresh_edited(name, drafts)
            authorise = self._settings.get("sync.invoice_status") == "AUTHORISED"  # read once per send
            pushes: list[tuple[InvoiceDraft, InvoicePush]] = []
            for draft in drafts:
                outcome, push = self._prepare(name, draft, create_contacts, authorise)
                if push is None:
                    if outcome is not None and not any(o.uid == outcome.uid for o in report.outcomes):
                        report.outcomes.append(outcome)
                    continue
                pushes.append((draft, push))
            jobs = [self.outbox(name).enqueue(JobKind.INVOICE, draft.uid, draft.revision, draft.number,
                                              job_payload(push, draft)) for draft, push in pushes]
            report.outcomes = [o for o in report.outcomes if o.uid not in {j.local_ref for j in jobs}]
            report.outcomes += pipeline.deliver(jobs)
        report.outcomes = unit.report(report.outcomes)
        return self._with_proof(name, report, period, client)

    def _with_proof(self, name: str, report: SendReport, period: Period, client: str | None) -> SendReport:
        """The report with the uploads of the proof of work the period's sent invoices carry (`app.sync.proof`)."""
        person = str(self._settings.get("billing.person") or "")
        report.outcomes += attach_proof(self, name, self.drafts_in(period, client, name), person)
        return report

    def resume(self, name: str, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> list[InvoiceOutcome]:
        """Send again, unchanged, whatever an interrupted run left pending or unanswered."""
        return self.pipeline(name, progress, cancelled).resume()

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
        action = Outcome.WOULD_UPDATE if sent is not None else Outcome.WOULD_SEND
        return InvoiceOutcome(draft.number or "(new)", draft.uid, action, sent.remote_id if sent else "",
                              client=draft.client_name, total=draft.total, currency=draft.currency,
                              warnings=unmapped_note(self.store(name), draft, "contact"))

    def _prepare(self, name: str, draft: InvoiceDraft, create_contacts: bool,
                 authorise: bool) -> tuple[InvoiceOutcome | None, InvoicePush | None]:
        store = self.store(name)
        remote_id = replacement(store, self.audit(name), self.provider(name), draft)
        if not isinstance(remote_id, str):
            return remote_id, None
        problem = self.billing.title_text(draft)
        code, problem = ("", problem) if problem else self.resolve_customer(name, draft.client_id, draft.client_name,
                                                                            create_contacts)
        if problem:
            return draft_outcome(draft, Outcome.FAILED, (problem,)), None
        provider = self.provider(name)

        def default_account() -> RemoteOption | None:
            return next(iter(provider.remote_list(RemoteKind.ACCOUNT)), None)

        def tax_rates() -> list[RemoteOption]:
            return provider.remote_list(RemoteKind.TAX_RATE)

        tasks = {e.entry_id: e.task_id for e in self._billing_repo.entries_of(draft.number)}
        try:
            codes = codes_for(draft, store, default_account, tax_rates, name)
        except ValidationError as exc:
            return draft_outcome(draft, Outcome.FAILED, (str(exc),)), None
        return None, to_push(draft, code, codes, tasks, authorise=authorise and not remote_id, remote_id=remote_id)

    # Payments, voids and the connection

    def sync_payments(self, names: Iterable[str] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> list[PaymentOutcome]:
        """Ask each provider about its open sent invoices; apply and report what changed (paid, part-paid, approved,
        voided, deleted)."""
        return self._payments.sync(names if names is not None else self.connected(), cancelled)

    def sync_billed_time(self, names: Iterable[str] | None = None) -> dict[str, list[int]]:
        """Entries the accounting systems billed themselves since they were sent are marked invoiced, and the
        invoices billing them are followed from then on; the entries by provider."""
        return {name: self.quickbooks().billed_time() for name in (names if names is not None else self.connected())
                if name == QUICKBOOKS}

    def apply_payment(self, name: str, sent: SentInvoice, status: PaymentStatus) -> PaymentOutcome:
        """Where a sent invoice now stands: paid marks its entries paid, voided or deleted gives them back."""
        return self._payments.apply(name, sent, status)

    def void_invoice(self, number: str) -> VoidResult:
        """Take back a stored invoice: delete it where it is a draft, void it where it is approved and unpaid, and
        only then release its entries. Refused (a REFUSED result with the sentence) when anything is paid on it.
        See `app.sync.lifecycle`."""
        return void_invoice(self, self._billing_repo, number)

    def set_attach(self, client: str, attach: bool) -> None:
        """Whether the client's sent invoices carry their timesheet PDF and expense receipts (`app.sync.proof`)."""
        found = next((c.billing for c in self.billing.clients() if normalise(c.billing.client_name) ==
                      normalise(client)), None)
        if found is None:
            raise NotFoundError(f"There is no client '{client}'. Check the name with: timetally clients list")
        self._billing_repo.set_client_billing(found.client_id, attach_proof=attach)

    def email_invoice(self, number: str, to: str = "") -> EmailResult:
        """"Send to client": the accounting system holding the invoice e-mails it (Xero only when authorised;
        QuickBooks to `to` when given). See `app.sync.emailing`."""
        return email_invoice(self, self._billing_repo, number, to)

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

