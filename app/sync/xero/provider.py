"""`XeroProvider`: the Xero connector behind `AccountingProvider`.

Invoices go in batches of at most 50 per request, each request with one `Idempotency-Key` made from the keys of
the invoices it carries, so repeating a request after a lost answer never creates an invoice twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal

import httpx

from app.domain.errors import ValidationError
from app.sync.provider import (
    Cancelled,
    Capability,
    InvoicePush,
    ListCache,
    ListedProvider,
    PaymentStatus,
    Progress,
    PushResult,
    Recorder,
    RemoteOption,
    RemoteStatus,
    TimePush,
    check_cancelled,
    request_key,
    unanswered,
)
from app.sync.ratelimit import RateLimiter
from app.sync.xero import attachments, email, payments
from app.sync.xero import invoices as xero_invoices
from app.sync.xero.client import XeroClient, XeroError, validation_messages
from app.sync.xero.mapping import XeroLists


class XeroProvider(ListedProvider):
    name = "xero"
    title = "Xero"
    capabilities = frozenset({Capability.ITEMS, Capability.TRACKING, Capability.TAX_RATES,
                              Capability.UPDATE_DRAFTS})
    batch_size = xero_invoices.BATCH_SIZE
    created_status = RemoteStatus.DRAFT
    replaceable = frozenset({RemoteStatus.DRAFT, RemoteStatus.SUBMITTED})
    client: XeroClient
    lists: XeroLists

    def __init__(self, api_url: str, auth: httpx.Auth, cache: ListCache, recorder: Recorder,
                 limiter: RateLimiter | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self.client = XeroClient(api_url, auth, limiter or RateLimiter(), recorder, transport=transport)
        self.lists = XeroLists(self.client, cache)

    def ensure_customer(self, name: str, parent_code: str = "") -> RemoteOption:
        if parent_code:
            raise ValidationError("Xero contacts have no sub-contacts; map the client to a contact of its own.")
        return self.lists.ensure_contact(name)

    def push_invoices(self, invoices: Sequence[InvoicePush], progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None,
                      links: Mapping[str, Sequence[Sequence[str]]] | None = None) -> list[PushResult]:
        """New invoices by PUT and replacements of drafts by POST, 50 per request, results in the given order.
        Xero has no time activities, so there are never `links`."""
        by_key: dict[str, PushResult] = {}
        creates = [i for i in invoices if not i.remote_id]
        updates = [i for i in invoices if i.remote_id]
        batches = [(m, b) for m, group in (("PUT", creates), ("POST", updates))
                   for b in _chunks(group, self.batch_size)]
        done = 0
        for method, batch in batches:
            try:
                check_cancelled(cancelled)
                results = self._send(method, batch, cancelled)
            except Cancelled as exc:
                raise Cancelled(acted=exc.acted or done > 0) from exc
            by_key.update((r.key, r) for r in results)
            done += len(batch)
            if progress is not None:
                progress(done, len(invoices))
        return [by_key[i.key] for i in invoices]

    def _send(self, method: str, batch: Sequence[InvoicePush],
              cancelled: Callable[[], bool] | None) -> list[PushResult]:
        try:
            answer = self.client.request(
                method, "Invoices", params={"summarizeErrors": "false", "unitdp": "4"},
                body={"Invoices": [xero_invoices.to_xero(i) for i in batch]},
                idempotency_key=request_key([i.key for i in batch]),
                transformed=xero_invoices.transformed(batch), remote_ids=xero_invoices.remote_ids, cancelled=cancelled,
            )
        except XeroError as exc:
            if not exc.retryable and exc.status not in (400, 404):
                raise
            return [PushResult(i.key, False, errors=(str(exc),), retryable=exc.retryable, acted=exc.acted)
                    for i in batch]
        return xero_invoices.results(batch, answer.status, answer.body)

    def void_invoice(self, remote_id: str) -> PaymentStatus:
        """Xero deletes a DRAFT or SUBMITTED invoice and voids an AUTHORISED one; with payments it refuses both."""
        found = payments.fetch(self.client, [remote_id])
        current = found[0] if found else PaymentStatus(remote_id, RemoteStatus.DELETED, *(Decimal(0),) * 3)
        if current.status.gone or current.status is RemoteStatus.PAID or current.amount_paid > 0:
            return current
        target = "DELETED" if current.status.editable else "VOIDED"
        answer = self.client.request(
            "POST", "Invoices", params={"summarizeErrors": "false"},
            body={"Invoices": [{"InvoiceID": remote_id, "Status": target}]},
            idempotency_key=f"timetally-{target.lower()}-{remote_id}",
            transformed=json.dumps({"remote_id": remote_id, "status": target}), remote_ids=xero_invoices.remote_ids)
        invoice = ((answer.body or {}).get("Invoices") or [{}])[0] if isinstance(answer.body, dict) else {}
        if answer.status >= 400 or invoice.get("HasErrors") or not invoice.get("InvoiceID"):
            messages = validation_messages(invoice) or validation_messages(answer.body)
            verb = "delete" if target == "DELETED" else "void"
            raise XeroError(f"Xero did not {verb} the invoice: "
                            f"{'; '.join(messages) or f'HTTP {answer.status}'}", answer.status)
        return payments.status(invoice)

    def email_invoice(self, remote_id: str, to: str, key: str) -> PushResult:
        if to:
            return PushResult(key, False, remote_id, errors=(
                "Xero e-mails invoices only to the contact's own address; change it on the contact in Xero, or "
                "send without an address.",))
        return unanswered(key, lambda: email.email_invoice(self.client, remote_id, key), XeroError)

    def attach_file(self, remote_id: str, name: str, content: bytes, include_online: bool, key: str) -> PushResult:
        return unanswered(key, lambda: attachments.attach(self.client, remote_id, name, content, include_online, key),
                          XeroError)

    def push_time(self, activities: Sequence[TimePush], remote_ids: Mapping[str, str] | None = None,
                  cancelled: Callable[[], bool] | None = None, own: Collection[str] = ()) -> list[PushResult]:
        if activities:
            raise ValidationError("Xero has no time activities; time reaches Xero as invoice lines.")
        return []

    def payment_status(self, remote_ids: Sequence[str], since: datetime | None = None,
                       cancelled: Callable[[], bool] | None = None) -> list[PaymentStatus]:
        return payments.fetch(self.client, list(remote_ids), since, cancelled)


def _chunks(items: Sequence[InvoicePush], size: int) -> list[Sequence[InvoicePush]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
