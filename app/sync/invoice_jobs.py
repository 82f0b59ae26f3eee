"""What every sender does around an invoice's request, whichever provider it goes to: whether a draft is new, to
be replaced, unchanged or diverged, the outbox payload the invoice is written as (with the entries it bills, for
the send guard), and, once the provider accepted it, recording it against the draft and checking the provider's
totals against TimeTally's.

Money is sacred: an accounting system holding a different total than TimeTally computed is an error, never a
note. The invoice is flagged (its `divergence`), the audit log says so, and the send reports it as failed.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from app.billing.service import content_hash
from app.domain.invoices import InvoiceDraft
from app.domain.money import format_money
from app.sync.audit import AuditLog
from app.sync.outbox import Job, invoice_payload
from app.sync.provider import AccountingProvider, InvoicePush, RemoteKind, RemoteStatus
from app.sync.reports import InvoiceOutcome, Outcome
from app.sync.store import SyncStore


def draft_outcome(draft: InvoiceDraft, outcome: Outcome, errors: tuple[str, ...] = (),
                  remote_id: str = "") -> InvoiceOutcome:
    return InvoiceOutcome(draft.number, draft.uid, outcome, remote_id, errors=errors, client=draft.client_name,
                          total=draft.total, currency=draft.currency)


def replacement(store: SyncStore, audit: AuditLog, provider: AccountingProvider,
                draft: InvoiceDraft) -> str | InvoiceOutcome | None:
    """Where a draft stands against what was sent: the remote invoice to replace ("" for a new one), None when
    there is nothing to send (unchanged, or given back), or the DIVERGED outcome when it changed here but the
    provider's invoice is no longer `replaceable` (flagged on the sent invoice and audited once)."""
    sent = store.sent(draft.uid)
    if sent is None:
        return ""
    if sent.sent_hash == content_hash(draft) or sent.released:
        return None
    if RemoteStatus(sent.remote_status) in provider.replaceable:
        return sent.remote_id
    text = (f"{draft.number} changed after it was sent, but it is {sent.remote_status} in {provider.title} and "
            "can no longer be replaced; change it there, or void it and send again.")
    if sent.divergence != text:
        store.update_sent(draft.uid, divergence=text)
        audit.note(text, (sent.remote_id,))
    return draft_outcome(draft, Outcome.DIVERGED, (text,), sent.remote_id)


def unmapped_note(store: SyncStore, draft: InvoiceDraft, noun: str) -> tuple[str, ...]:
    """A dry run's warning when the client has no remote customer yet."""
    if store.mapping(RemoteKind.CUSTOMER, draft.client_id):
        return ()
    return (f"'{draft.client_name}' has no {noun} mapped yet; it is matched when sent.",)


def job_payload(push: InvoicePush, draft: InvoiceDraft, **extra: Any) -> dict[str, Any]:
    """The invoice as the outbox keeps it, with what the answer is checked against and the entries it bills."""
    return {**invoice_payload(push), "draft_hash": content_hash(draft), "client": draft.client_name,
            "total": str(draft.total), "tax_total": str(draft.tax_total), "entries": list(draft.entry_ids), **extra}


def total_problem(title: str, job: Job, total: Decimal | None, tax_total: Decimal | None) -> str:
    """The sentence when the provider's total (or tax) differs from TimeTally's; empty when they agree."""
    local_total, local_tax = job.payload.get("total"), job.payload.get("tax_total")
    if total is None or local_total is None:
        return ""
    differs = Decimal(str(total)) != Decimal(str(local_total))
    tax_differs = tax_total is not None and local_tax is not None and Decimal(str(tax_total)) != Decimal(local_tax)
    if not (differs or tax_differs):
        return ""
    currency = str(job.payload.get("currency") or "")

    def money(value: Any) -> str:
        return format_money(Decimal(str(value)), currency) if currency else str(value)

    tax = f" (tax {money(tax_total)} against {money(local_tax)})" if tax_differs else ""
    return (f"{title} holds {money(total)} for {job.label} but TimeTally computed {money(local_total)}{tax}. "
            f"Check the tax type mapping, then correct the invoice in {title}, or void it with "
            f"'timetally invoice void {job.label}' and send again.")


def settle(store: SyncStore, audit: AuditLog, title: str, job: Job, status: RemoteStatus, total: Decimal | None,
           tax_total: Decimal | None = None, warnings: tuple[str, ...] = (),
           fetch_total: Callable[[], Decimal | None] | None = None) -> InvoiceOutcome:
    """Records a confirmed invoice job against its draft and checks its totals; the outcome for the report.

    `fetch_total` asks the provider when the answer carried no total (a send finished after a crash)."""
    if total is None and fetch_total is not None:
        total = fetch_total()
    store.record_sent(job.local_ref, job.label, job.remote_id, job.remote_number, job.revision,
                      str(job.payload.get("draft_hash", "")), str(status), total, job.payload.get("entries"))
    problem = total_problem(title, job, total, tax_total)
    if problem:
        store.update_sent(job.local_ref, divergence=problem)
        audit.note(problem, (job.remote_id,))
    updated = bool(job.payload.get("remote_id"))
    outcome = Outcome.TOTAL_DIFFERS if problem else Outcome.UPDATED if updated else Outcome.SENT
    return InvoiceOutcome(job.label, job.local_ref, outcome, job.remote_id, job.remote_number, status=str(status),
                          errors=(problem,) if problem else (), warnings=warnings,
                          client=str(job.payload.get("client", "")))
