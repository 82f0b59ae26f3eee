"""The one delivery path: every document any provider gets (invoice, time activity, later others) leaves here.

Senders only plan: they write each document to the outbox (`Outbox.enqueue`) and hand the open jobs to
`Pipeline.deliver`. Delivery is the same for every kind and provider:
- batches: jobs sent before stay in their stored batch, so a repeat is the same request; the rest go in new
  batches of at most `provider.batch_size`, creates apart from replacements (`outbox.resume_batches`);
- a batch is labelled with `request_key` of its documents' keys, the request's own idempotency key;
- the send guard runs as the jobs are marked sent (`delivery.take`); a request that never reached the provider
  puts its jobs back to pending (`delivery.pushing`); a refusal fails or keeps the job (`delivery.refused`);
- an accepted invoice is recorded against its draft and its totals checked (`invoice_jobs.settle`). When the
  answer names no status the invoice stands as the provider creates them (`provider.created_status`), and when it
  carries no total the provider is asked for it, so the remote-total check never silently passes.
Progress counts documents over the whole run (a resumed remainder first, then the new documents).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from functools import partial

from app.domain.errors import TimeTallyError
from app.sync import delivery
from app.sync.audit import AuditLog
from app.sync.invoice_jobs import settle
from app.sync.outbox import Job, JobKind, JobState, Outbox, invoice_from_job, resume_batches, time_from_job
from app.sync.proof_files import content
from app.sync.provider import AccountingProvider, Cancelled, Progress, PushResult, request_key
from app.sync.reports import InvoiceOutcome, Outcome
from app.sync.store import SyncStore

Cancel = Callable[[], bool] | None
Push = Callable[[AccountingProvider, Sequence[Job], Cancel], list[PushResult]]


def _push_time(provider: AccountingProvider, group: Sequence[Job], cancelled: Cancel) -> list[PushResult]:
    known = {j.key: str(j.payload["remote_id"]) for j in group if j.payload.get("remote_id")}
    own = {str(j.payload["remote_id"]) for j in group if j.payload.get("billed_by")}
    return provider.push_time([replace(time_from_job(j), key=j.key) for j in group], known, cancelled, own)


def _push_invoices(provider: AccountingProvider, group: Sequence[Job], cancelled: Cancel) -> list[PushResult]:
    links = {j.key: j.payload["links"] for j in group if j.payload.get("links")}
    return provider.push_invoices([replace(invoice_from_job(j), key=j.key) for j in group], cancelled=cancelled,
                                  links=links or None)


def _push_emails(provider: AccountingProvider, group: Sequence[Job], cancelled: Cancel) -> list[PushResult]:
    """One request per e-mail, each under its job's own key (an e-mail is one action on one invoice)."""
    return [provider.email_invoice(str(j.payload["invoice_id"]), str(j.payload.get("to") or ""), j.key)
            for j in group]


def _push_attachments(provider: AccountingProvider, group: Sequence[Job], cancelled: Cancel) -> list[PushResult]:
    """One upload per file, each under its job's key; a receipt that cannot be read fails alone, before it leaves."""
    results = []
    for job in group:
        try:
            data = content(job)
        except TimeTallyError as exc:
            results.append(PushResult(job.key, False, errors=(str(exc),), acted=False))
            continue
        results.append(provider.attach_file(str(job.payload["invoice_id"]), str(job.payload["name"]), data,
                                            bool(job.payload.get("online")), job.key))
    return results


PUSHES: dict[JobKind, Push] = {JobKind.TIME: _push_time, JobKind.INVOICE: _push_invoices,
                               JobKind.ATTACHMENT: _push_attachments, JobKind.EMAIL: _push_emails}
"""How each kind of document goes on the wire, in the order a resumed run sends them (time before invoices: an
invoice may link time activities an interrupted run left open; attachments and e-mails after the invoice they
belong to). A new kind adds its entry here."""


class Pipeline:
    """One run's delivery to one provider."""

    def __init__(self, provider: AccountingProvider, outbox: Outbox, store: SyncStore, audit: AuditLog,
                 progress: Progress | None = None, cancelled: Cancel = None) -> None:
        self.provider, self.outbox, self.store, self.audit = provider, outbox, store, audit
        self._progress = progress
        self._cancelled = cancelled
        self._done = 0

    def resume(self) -> list[InvoiceOutcome]:
        """Send again, unchanged, whatever an interrupted run left pending or unanswered."""
        return self.deliver(self.outbox.open_jobs())

    def deliver(self, jobs: Sequence[Job]) -> list[InvoiceOutcome]:
        """The outcome of each job: open ones are sent, confirmed invoices are settled again (a crash may have come
        between the answer and its record)."""
        outcomes: list[InvoiceOutcome] = []
        open_jobs = [j for j in jobs if j.open]
        batches = [b for kind in PUSHES for b in resume_batches([j for j in open_jobs if j.kind is kind],
                                                                   self.provider.batch_size)]
        for n, given in enumerate(batches):
            group, refusals = delivery.take(self.outbox, given)
            outcomes += refusals
            if not group:
                continue
            key = request_key([j.key for j in group])
            if any(j.batch != key for j in group):
                self.outbox.assign_batch([j.id for j in group], key)
            try:
                push = partial(PUSHES[group[0].kind], self.provider, group, self._cancelled)
                results = delivery.pushing(self.outbox, group, push)
            except Cancelled:
                return outcomes + [delivery.outcome(j, Outcome.PENDING, (delivery.CANCELLED,))
                                   for b in [group, *batches[n + 1:]] for j in b]
            outcomes += [self._answered(job, result) for job, result in zip(group, results, strict=True)]
            self._done += len(group)
            if self._progress is not None:
                self._progress(self._done, self._done + sum(len(b) for b in batches[n + 1:]))
        return outcomes + [self.settled(j) for j in jobs if j.kind is JobKind.INVOICE and not j.open]

    def _answered(self, job: Job, result: PushResult) -> InvoiceOutcome:
        if not result.ok:
            return delivery.refused(self.outbox, job, result)
        self.outbox.confirm(job.id, result.remote_id, result.remote_number)
        if job.kind is JobKind.INVOICE:
            return self.settled(self.outbox.get(job.id), result)
        updated = bool(job.payload.get("remote_id"))
        return InvoiceOutcome(job.label, job.local_ref, Outcome.UPDATED if updated else Outcome.SENT,
                              result.remote_id, result.remote_number, str(result.status or ""),
                              client=str(job.payload.get("client", "")))

    def settled(self, job: Job, result: PushResult | None = None) -> InvoiceOutcome:
        """A confirmed invoice job: remember the remote invoice against the draft and check its totals."""
        if job.state is not JobState.CONFIRMED:
            return delivery.outcome(job, Outcome.FAILED, job.errors)
        status = result.status if result and result.status else self.provider.created_status

        def remote_total() -> Decimal | None:
            return next((s.total for s in self.provider.payment_status([job.remote_id])), None)

        return settle(self.store, self.audit, self.provider.title, job, status,
                      result.total if result else None, result.tax_total if result else None,
                      result.warnings if result else (), remote_total)

