"""`QuickBooksProvider`: the QuickBooks Online connector behind `AccountingProvider`.

Time activities and invoices go in batches of at most 30 per request. A document already in QuickBooks is changed
with a sparse update carrying its current `SyncToken` (read just before). A reference refused as inactive (Fault
610) makes the customer, item or person active again and the refused items are sent once more.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

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
    RemoteKind,
    RemoteOption,
    RemoteStatus,
    TimePush,
    check_cancelled,
    unanswered,
)
from app.sync.quickbooks import attachments, batch, email, payments, time
from app.sync.quickbooks import invoices as qbo_invoices
from app.sync.quickbooks.batch import BATCH_SIZE, ItemResult, Operation
from app.sync.quickbooks.client import QuickBooksClient, QuickBooksError
from app.sync.quickbooks.invoices import Links
from app.sync.quickbooks.mapping import DEFAULT_ITEM, QuickBooksLists
from app.sync.quickbooks.pacing import LIMITS, Pacer
from app.sync.quickbooks.query import by_ids
from app.sync.ratelimit import RateLimiter

INACTIVE = "610"
_REFERENCES = {"CustomerRef": "Customer", "ItemRef": "Item", "EmployeeRef": "Employee", "VendorRef": "Vendor"}


class QuickBooksProvider(ListedProvider):
    name = "quickbooks"
    title = "QuickBooks"
    capabilities = frozenset({Capability.TIME_ACTIVITIES, Capability.JOBS, Capability.ITEMS, Capability.TAX_RATES,
                              Capability.UPDATE_DRAFTS, Capability.EMAIL_TO})
    batch_size = BATCH_SIZE
    created_status = RemoteStatus.OPEN
    replaceable = frozenset({RemoteStatus.DRAFT, RemoteStatus.SUBMITTED, RemoteStatus.OPEN})
    """An invoice nobody has paid yet may still be changed (with its SyncToken)."""
    client: QuickBooksClient
    lists: QuickBooksLists

    def __init__(self, api_url: str, realm_id: str, auth: httpx.Auth, cache: ListCache, recorder: Recorder,
                 limiter: RateLimiter | None = None, transport: httpx.BaseTransport | None = None,
                 pacer: Pacer | None = None) -> None:
        pacer = pacer or Pacer(limiter or RateLimiter(LIMITS))
        self.client = QuickBooksClient(api_url, realm_id, auth, pacer, recorder, transport=transport)
        self.lists = QuickBooksLists(self.client, cache)

    def ensure_customer(self, name: str, parent_code: str = "") -> RemoteOption:
        parent = None
        if parent_code:
            parent = next((c for c in self.lists.get(RemoteKind.CUSTOMER) if c.code == parent_code), None)
            if parent is None:
                raise QuickBooksError(f"QuickBooks has no customer {parent_code} to put the job '{name}' under.")
        return self.lists.ensure_customer(name, parent)

    # Documents

    def push_invoices(self, invoices: Sequence[InvoicePush], progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None,
                      links: Mapping[str, Links] | None = None) -> list[PushResult]:
        """`links` gives, per invoice key, the time activities each line bills (invoice mode)."""
        if not invoices:
            return []
        default_item = ""
        if any(not line.item_code for i in invoices for line in i.lines):
            default_item = self.lists.ensure_item(DEFAULT_ITEM).code
        current = self._current("Invoice", [i.remote_id for i in invoices if i.remote_id], cancelled)
        operations: list[Operation] = []
        for push in invoices:
            linked = (links or {}).get(push.key, ())
            body = qbo_invoices.to_invoice(push, linked, default_item)
            operations.append(self._operation(push.key, "Invoice", body, push.remote_id, current,
                                              qbo_invoices.describe(push, linked)))
        results = self._run(operations, progress, cancelled)
        return [_invoice_result(i.key, results[i.key]) for i in invoices]

    def push_time(self, activities: Sequence[TimePush], remote_ids: Mapping[str, str] | None = None,
                  cancelled: Callable[[], bool] | None = None, own: Collection[str] = ()) -> list[PushResult]:
        """`remote_ids` gives, per key, the time activity an earlier send created (it is updated instead). Time
        QuickBooks calls billed is refused, except `own` activities (billed by a TimeTally invoice being replaced
        in this send), which are changed without touching their billed status."""
        known = remote_ids or {}
        current = self._current("TimeActivity", [known[a.key] for a in activities if a.key in known], cancelled)
        operations: list[Operation] = []
        refused: dict[str, PushResult] = {}
        for push in activities:
            remote_id = known.get(push.key, "")
            body = time.to_time_activity(push)
            if remote_id and current.get(remote_id, {}).get("BillableStatus") == payments.BILLED:
                if remote_id not in own:
                    refused[push.key] = PushResult(push.key, False, remote_id=remote_id, errors=(
                        "This time is already on an invoice in QuickBooks; change it there.",))
                    continue
                body.pop("BillableStatus")
            operations.append(self._operation(push.key, "TimeActivity", body, remote_id, current,
                                              time.describe(push)))
        results = self._run(operations, None, cancelled)
        return [refused.get(a.key) or _time_result(a.key, results[a.key]) for a in activities]

    def payment_status(self, remote_ids: Sequence[str], since: datetime | None = None,
                       cancelled: Callable[[], bool] | None = None) -> list[PaymentStatus]:
        return payments.fetch(self.client, list(remote_ids), since, cancelled)

    def billed_time(self, activity_ids: Sequence[str]) -> dict[str, str]:
        return payments.billed(self.client, activity_ids)

    def invoices_billing(self, activity_ids: Sequence[str]) -> list[tuple[PaymentStatus, tuple[str, ...]]]:
        """The live invoices (made anywhere) whose lines bill these time activities, each with the ids it bills."""
        return payments.invoices_billing(self.client, activity_ids)

    def void_invoice(self, remote_id: str) -> PaymentStatus:
        """QuickBooks has no draft invoices: an unpaid one is voided (`operation=void`); a paid or part-paid one,
        which QuickBooks would void by unapplying its payments, is left alone."""
        record = self._current("Invoice", [remote_id], None).get(remote_id)
        if record is None:
            return PaymentStatus(remote_id, RemoteStatus.DELETED, *(Decimal(0),) * 3)
        current = payments.status(record, {})
        if current.status is not RemoteStatus.OPEN:
            return current
        answer = self.client.request("POST", "invoice", params={"operation": "void"},
                                     body={"Id": remote_id, "SyncToken": str(record["SyncToken"])},
                                     requestid=f"tt-void-{remote_id}-{record['SyncToken']}"[:50],
                                     transformed=json.dumps({"void": remote_id}), remote_ids=lambda _: (remote_id,))
        voided = (answer.body or {}).get("Invoice") if isinstance(answer.body, dict) else None
        if answer.status >= 400 or not isinstance(voided, dict):
            problems = "; ".join(f.sentence() for f in answer.faults) or f"HTTP {answer.status}"
            raise QuickBooksError(f"QuickBooks did not void the invoice: {problems}", answer.status)
        return payments.status(voided, {})

    def attach_file(self, remote_id: str, name: str, content: bytes, include_online: bool, key: str) -> PushResult:
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return unanswered(key, lambda: attachments.attach(self.client, remote_id, name, content, mime, include_online,
                                                          key), QuickBooksError)

    def email_invoice(self, remote_id: str, to: str, key: str) -> PushResult:
        return unanswered(key, lambda: email.email_invoice(
            self.client, self._current("Invoice", [remote_id], None).get(remote_id), remote_id, to, key),
            QuickBooksError)

    # Helpers

    def _current(self, entity: str, ids: Sequence[str],
                 cancelled: Callable[[], bool] | None) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        return {str(r["Id"]): r for r in by_ids(lambda q: self.client.query(q, cancelled), entity, ids)}

    @staticmethod
    def _operation(key: str, entity: str, body: dict[str, Any], remote_id: str,
                   current: Mapping[str, dict[str, Any]], describe: dict[str, Any]) -> Operation:
        """A sparse update with the current SyncToken, or a create when nothing was sent before or it was deleted."""
        record = current.get(remote_id) if remote_id else None
        if record is None:
            return Operation(key, entity, "create", body, describe)
        update = {**body, "Id": remote_id, "SyncToken": str(record["SyncToken"]), "sparse": True}
        return Operation(key, entity, "update", update, describe)

    def _run(self, operations: Sequence[Operation], progress: Progress | None,
             cancelled: Callable[[], bool] | None) -> dict[str, ItemResult]:
        results: dict[str, ItemResult] = {}
        for start in range(0, len(operations), BATCH_SIZE):
            chunk = operations[start:start + BATCH_SIZE]
            try:
                check_cancelled(cancelled)
                answered = batch.send(self.client, chunk, cancelled=cancelled)
            except Cancelled as exc:
                raise Cancelled(acted=exc.acted or start > 0) from exc
            results.update({r.key: r for r in answered})
            again = [op for op, r in zip(chunk, answered, strict=True) if INACTIVE in r.codes and self._revive(op)]
            try:
                results.update({r.key: r for r in batch.send(self.client, again, salt="revived",
                                                             cancelled=cancelled)})
            except Cancelled as exc:
                raise Cancelled(acted=True) from exc
            if progress is not None:
                progress(min(start + BATCH_SIZE, len(operations)), len(operations))
        return results

    def _revive(self, operation: Operation) -> bool:
        """Every inactive record the document refers to is made active again; True when one was."""
        refs = [(entity, str(ref["value"])) for field, entity in _REFERENCES.items()
                if isinstance(ref := operation.body.get(field), dict) and ref.get("value")]
        refs += [("Item", str(line["SalesItemLineDetail"]["ItemRef"]["value"]))
                 for line in operation.body.get("Line") or [] if "SalesItemLineDetail" in line]
        revived = [self.lists.revive(entity, code) for entity, code in dict.fromkeys(refs)]
        return any(revived)


def _invoice_result(key: str, result: ItemResult) -> PushResult:
    if not result.ok or result.record is None:
        return PushResult(key, False, errors=result.errors(), retryable=result.retryable, acted=result.acted)
    record = result.record
    tax = (record.get("TxnTaxDetail") or {}).get("TotalTax")
    return PushResult(key, True, str(record["Id"]), str(record.get("DocNumber") or ""), qbo_invoices.status_of(record),
                      total=record.get("TotalAmt"), tax_total=tax)


def _time_result(key: str, result: ItemResult) -> PushResult:
    if not result.ok or result.record is None:
        return PushResult(key, False, errors=result.errors(), retryable=result.retryable, acted=result.acted)
    return PushResult(key, True, str(result.record["Id"]))
