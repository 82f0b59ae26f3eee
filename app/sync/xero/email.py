"""Invoices e-mailed by Xero itself (`POST /Invoices/{InvoiceID}/Email`), so the client gets Xero's own message
with its online invoice and payment link.

Xero e-mails only AUTHORISED invoices, to the contact's own address. The status is read first, so a draft is
refused with a sentence that says what to do rather than with Xero's validation code.
"""

from __future__ import annotations

import json

from app.sync.provider import PushResult, RemoteStatus
from app.sync.xero import payments
from app.sync.xero.client import XeroClient, XeroError, validation_messages

APPROVED = (RemoteStatus.OPEN, RemoteStatus.PART_PAID)
"""Xero's AUTHORISED, with or without part payments."""


def email_invoice(client: XeroClient, remote_id: str, key: str) -> PushResult:
    found = payments.fetch(client, [remote_id])
    if not found or found[0].status.gone:
        return PushResult(key, False, remote_id, errors=("Xero no longer holds this invoice (it was voided or "
                                                         "deleted there), so it cannot be e-mailed.",))
    current = found[0]
    if current.status not in APPROVED:
        word = "a draft" if current.status.editable else str(current.status).replace("_", "-")
        return PushResult(key, False, remote_id, current.remote_number, current.status, errors=(
            f"Xero e-mails only approved (AUTHORISED) invoices, and {current.remote_number or 'this one'} is {word} "
            "there. Approve it in Xero first, then send it to the client again.",))
    try:
        answer = client.request("POST", f"Invoices/{remote_id}/Email", body={}, idempotency_key=key,
                                transformed=json.dumps({"email": remote_id}), remote_ids=lambda _: (remote_id,))
    except XeroError as exc:
        if exc.retryable or exc.status not in (400, 404):
            raise
        return PushResult(key, False, remote_id, errors=(str(exc),), acted=exc.acted)
    if answer.status >= 400:
        problem = "; ".join(validation_messages(answer.body)) or f"HTTP {answer.status}"
        return PushResult(key, False, remote_id, current.remote_number, current.status,
                          errors=(f"Xero did not e-mail the invoice: {problem}",))
    return PushResult(key, True, remote_id, current.remote_number, current.status, total=current.total)
