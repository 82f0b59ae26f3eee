"""Invoices e-mailed by QuickBooks itself (`POST /invoice/{id}/send`), to the customer's billing address or to one
typed in (`sendTo`).

QuickBooks has no draft invoices, so any invoice it still holds may go. One with no address anywhere is refused
here with a sentence instead of QuickBooks' own fault.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from app.sync.provider import PushResult
from app.sync.quickbooks import payments
from app.sync.quickbooks.batch import requestid
from app.sync.quickbooks.client import QuickBooksClient


def email_invoice(client: QuickBooksClient, record: Mapping[str, Any] | None, remote_id: str, to: str,
                  key: str) -> PushResult:
    """`record` is the invoice as QuickBooks holds it now (None when it is gone)."""
    if record is None or payments.status(dict(record), {}).status.gone:
        return PushResult(key, False, remote_id, errors=("QuickBooks no longer holds this invoice (it was voided or "
                                                         "deleted there), so it cannot be e-mailed.",))
    number = str(record.get("DocNumber") or "")
    if not to and not (record.get("BillEmail") or {}).get("Address"):
        return PushResult(key, False, remote_id, number, errors=(
            f"QuickBooks has no e-mail address for {number or 'this invoice'}'s customer. Type one in (--to "
            "ADDRESS), or add a billing e-mail to the customer in QuickBooks.",))
    answer = client.request("POST", f"invoice/{remote_id}/send", params={"sendTo": to} if to else None,
                            requestid=requestid([key]), transformed=json.dumps({"email": remote_id, "to": to}),
                            remote_ids=lambda _: (remote_id,))
    sent = (answer.body or {}).get("Invoice") if isinstance(answer.body, dict) else None
    if answer.status >= 400 or not isinstance(sent, dict):
        problems = "; ".join(f.sentence() for f in answer.faults) or f"HTTP {answer.status}"
        return PushResult(key, False, remote_id, number, errors=(f"QuickBooks did not e-mail the invoice: {problems}",))
    status = payments.status(sent, {})
    return PushResult(key, True, remote_id, number, status.status, total=status.total)
